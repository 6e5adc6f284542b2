package evidence_test

import (
	"archive/zip"
	"bytes"
	"io"
	"testing"
)

// FuzzVerifyPackage feeds VerifyPackage packages from strangers: it must
// never panic, an error must come without a Verification, and whatever it
// calls OK must hold an original and files that hash to what the manifest
// says.
func FuzzVerifyPackage(f *testing.F) {
	x := exportFixture(f)
	key := x.a.Ledger.VerifierKey()
	valid := x.pkg
	f.Add(valid, true)
	f.Add(valid, false)
	f.Add([]byte{}, true)
	f.Add(valid[:len(valid)-1], true)
	f.Add(valid[:len(valid)/3], true)
	for _, at := range []int{40, len(valid) / 2, len(valid) - 30} {
		b := bytes.Clone(valid)
		b[at] ^= 0x20
		f.Add(b, true)
	}
	// Valid zips with changed contents, uncompressed so that byte-level
	// mutations reach the JSON.
	p := readPkg(f, valid)
	p.store = true
	f.Add(p.zip(f), true)
	p.remove("ledger.json")
	f.Add(p.zip(f), false)
	p = readPkg(f, valid)
	p.store = true
	p.files["custody.json"] = []byte(`[{"seq":1,"evidence_id":"` + x.id + `","action":"received"}]`)
	p.rehash(f, "custody.json")
	f.Add(p.zip(f), true)
	p.files["ledger.json"] = []byte(`{"tree_size":1,"entries":[{"index":-1,"leaf":"","proof":["AA=="]}]}`)
	p.rehash(f, "ledger.json")
	f.Add(p.zip(f), true)
	p.files["manifest.json"] = []byte(`{"format":"tawthiq-evidence-package/1","original":{"path":"original/x","size":-1},"files":null}`)
	f.Add(p.zip(f), false)

	f.Fuzz(func(t *testing.T, b []byte, trusted bool) {
		k := ""
		if trusted {
			k = key
		}
		v, err := verify(b, k)
		if err != nil {
			if v != nil {
				t.Fatalf("error %v with a verification", err)
			}
			return
		}
		if v == nil {
			t.Fatal("no error and no verification")
		}
		if !v.OK() {
			return
		}
		if v.Trusted != trusted {
			t.Errorf("Trusted = %v with trusted key %v", v.Trusted, trusted)
		}
		// OK: the original and every listed file are as the manifest says.
		zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			t.Fatalf("verified, but not a zip: %v", err)
		}
		m := v.Manifest
		want := map[string]string{m.Original.Path: m.Original.SHA256}
		for name, h := range m.Files {
			want[name] = h
		}
		for _, zf := range zr.File {
			h, listed := want[zf.Name]
			if zf.Name == "manifest.json" {
				continue
			}
			if !listed {
				t.Fatalf("verified, with %q not in the manifest", zf.Name)
			}
			rc, err := zf.Open()
			if err != nil {
				t.Fatalf("verified, but %s does not open: %v", zf.Name, err)
			}
			data, err := io.ReadAll(rc)
			rc.Close()
			if err != nil || sha(data) != h {
				t.Fatalf("verified, but %s does not hash to its manifest entry (%v)", zf.Name, err)
			}
			delete(want, zf.Name)
		}
		if len(want) > 0 {
			t.Fatalf("verified, but files of the manifest are missing: %v", want)
		}
		if bytes.Equal(b, valid) && (v.Events == 0 || v.Revisions == 0) {
			t.Errorf("the valid package: %d events, %d revisions", v.Events, v.Revisions)
		}
	})
}
