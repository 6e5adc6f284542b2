package bundle

import (
	"bytes"
	"errors"
	"os"
	"testing"

	"filippo.io/age"
)

// FuzzNames: whatever a file is called, its entry name is one the reader
// accepts and its display name is valid.
func FuzzNames(f *testing.F) {
	for _, s := range []string{"photo.jpg", "صورة.jpg", "..", "", "a/b", "\x00\xff.png", "x.\u202e.exe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, base string) {
		name := cleanName(base)
		if !validName(name) {
			t.Fatalf("cleanName(%q) = %q, not valid", base, name)
		}
		for _, i := range []int{0, MaxFiles - 1} {
			p := entryPath(i, name)
			if sub := pathPattern.FindStringSubmatch(p); sub == nil {
				t.Fatalf("entryPath(%d, %q) = %q, refused by the reader", i, name, p)
			}
		}
	})
}

// FuzzExtract: any authenticated plaintext either opens with every file
// matching the manifest, or is refused with nothing left behind.
func FuzzExtract(f *testing.F) {
	id, err := age.GenerateX25519Identity()
	if err != nil {
		f.Fatal(err)
	}
	one := []byte("photo bytes")
	_, good := manifestFor(f, one)
	_, none := manifestFor(f)
	f.Add(tarOf(f, entry{name: "manifest.json", body: good}, entry{name: "files/0001-a.jpg", body: one}))
	f.Add(tarOf(f, entry{name: "manifest.json", body: none}))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, plain []byte) {
		dir := t.TempDir()
		o, err := Extract(bytes.NewReader(encrypt(t, id.Recipient(), plain)), []age.Identity{id}, dir, MaxTotal(1<<20))
		if err != nil {
			if left, _ := os.ReadDir(dir); len(left) != 0 {
				t.Fatalf("after %v the folder holds %v", err, left)
			}
			if !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrAltered) && !errors.Is(err, ErrTooLarge) {
				t.Fatalf("error of no kind: %v", err)
			}
			return
		}
		for _, x := range o.Files {
			data, err := os.ReadFile(x.Path)
			if err != nil || sum(data) != x.SHA256 || int64(len(data)) != x.Size {
				t.Fatalf("%s does not match its manifest entry", x.Path)
			}
		}
	})
}
