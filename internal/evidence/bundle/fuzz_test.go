package bundle_test

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tawthiq/tawthiq/internal/evidence/bundle"
)

// The package reader is fuzzed here, in a test binary with no database, so
// the fuzzer runs at full speed. testdata/package.zip is a real export
// (internal/evidence TestSamplePackage -update rewrites it).

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func readSample(tb testing.TB) (pkg []byte, key string) {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "package.zip"))
	if err != nil {
		tb.Fatal(err)
	}
	files := unzip(tb, b)
	return b, strings.TrimSpace(string(files["key.pub"]))
}

func unzip(tb testing.TB, b []byte) map[string][]byte {
	tb.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		tb.Fatal(err)
	}
	out := map[string][]byte{}
	for _, zf := range zr.File {
		rc, err := zf.Open()
		if err != nil {
			tb.Fatal(err)
		}
		out[zf.Name], err = io.ReadAll(rc)
		rc.Close()
		if err != nil {
			tb.Fatal(err)
		}
	}
	return out
}

// stored rewrites a package uncompressed, with change applied to its
// files, so byte-level mutations reach the JSON.
func stored(tb testing.TB, b []byte, change func(map[string][]byte)) []byte {
	tb.Helper()
	files := unzip(tb, b)
	if change != nil {
		change(files)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for name, data := range files {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store})
		if err != nil {
			tb.Fatal(err)
		}
		w.Write(data)
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return out.Bytes()
}

func verify(b []byte, key string) (*bundle.Verification, error) {
	return bundle.Verify(bytes.NewReader(b), int64(len(b)), key)
}

func TestSampleVerifies(t *testing.T) {
	b, key := readSample(t)
	for _, pkg := range [][]byte{b, stored(t, b, nil)} {
		v, err := verify(pkg, key)
		if err != nil || !v.OK() || !v.Trusted || v.Events == 0 || v.Revisions == 0 {
			t.Fatalf("sample: %v %+v", err, v)
		}
	}
	bad := stored(t, b, func(f map[string][]byte) { delete(f, "ledger.json") })
	if v, err := verify(bad, key); err != nil || v.OK() {
		t.Fatalf("a package without ledger.json verified: %v %+v", err, v)
	}
}

// FuzzVerifyPackage feeds Verify packages from strangers: it must never
// panic, an error must come without a Verification, and whatever it calls
// OK must hold nothing but the manifest, an original and files that hash
// to what the manifest says.
func FuzzVerifyPackage(f *testing.F) {
	valid, key := readSample(f)
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
	f.Add(stored(f, valid, nil), true)
	f.Add(stored(f, valid, func(m map[string][]byte) { delete(m, "ledger.json") }), false)
	f.Add(stored(f, valid, func(m map[string][]byte) {
		m["ledger.json"] = []byte(`{"tree_size":1,"entries":[{"index":-1,"leaf":"","proof":["AA=="]}]}`)
	}), true)

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
		checkAsListed(t, b, v.Manifest)
	})
}

// checkAsListed fails unless the zip b holds exactly the manifest, the
// original and the listed files, each with the hash the manifest gives.
func checkAsListed(t *testing.T, b []byte, m *bundle.Manifest) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("verified, but not a zip: %v", err)
	}
	want := map[string]string{m.Original.Path: m.Original.SHA256}
	for name, h := range m.Files {
		want[name] = h
	}
	for _, zf := range zr.File {
		if zf.Name == "manifest.json" {
			continue
		}
		h, listed := want[zf.Name]
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
}
