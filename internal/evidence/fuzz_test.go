package evidence_test

import (
	"archive/zip"
	"bytes"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tawthiq/tawthiq/internal/evidence"
)

var update = flag.Bool("update", false, "rewrite testdata/package.zip from a fresh export")

// samplePackage is a package exported by this code (see
// TestSamplePackage), kept so that the fuzz test needs no database: each
// fuzz worker would otherwise start SQLite under coverage instrumentation,
// which takes a minute.
var samplePackage = filepath.Join("testdata", "package.zip")

// readSample returns the sample package and the key inside it.
func readSample(t testing.TB) (pkgBytes []byte, key string) {
	t.Helper()
	b, err := os.ReadFile(samplePackage)
	if err != nil {
		t.Fatalf("%v (go test -run TestSamplePackage -update writes it)", err)
	}
	return b, strings.TrimSpace(string(readPkg(t, b).files["key.pub"]))
}

// TestSamplePackage: the sample package still verifies, so a change of the
// format that breaks packages already handed out shows here. -update
// replaces it with a fresh export.
func TestSamplePackage(t *testing.T) {
	if *update {
		x := exportFixture(t)
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(samplePackage, x.pkg, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	b, key := readSample(t)
	for _, k := range []string{key, ""} {
		v, err := verify(b, k)
		if err != nil || !v.OK() || v.Trusted != (k != "") {
			t.Fatalf("key %q: %v, problems %q", k, err, v.Problems)
		}
		if v.Revisions != 2 || v.Events != 5 || v.Manifest.Original.MIME != "image/jpeg" {
			t.Errorf("sample: %d revisions, %d events, %+v", v.Revisions, v.Events, v.Manifest.Original)
		}
	}
}

// FuzzVerifyPackage feeds VerifyPackage packages from strangers: it must
// never panic, an error must come without a Verification, and whatever it
// calls OK must hold nothing but the manifest, an original and files that
// hash to what the manifest says.
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
	// Valid zips with changed contents, uncompressed so that byte-level
	// mutations reach the JSON.
	p := readPkg(f, valid)
	p.store = true
	f.Add(p.zip(f), true)
	p.remove("ledger.json")
	f.Add(p.zip(f), false)
	p = readPkg(f, valid)
	p.store = true
	var m evidence.Manifest
	decodeJSON(f, p.files["manifest.json"], &m)
	p.files["custody.json"] = []byte(`[{"seq":1,"evidence_id":"` + m.EvidenceID + `","action":"received"}]`)
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
		checkAsListed(t, b, v.Manifest)
		if bytes.Equal(b, valid) && (v.Events == 0 || v.Revisions == 0) {
			t.Errorf("the valid package: %d events, %d revisions", v.Events, v.Revisions)
		}
	})
}

// checkAsListed fails unless the zip b holds exactly the manifest, the
// original and the listed files, each with the hash the manifest gives.
func checkAsListed(t *testing.T, b []byte, m *evidence.Manifest) {
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
