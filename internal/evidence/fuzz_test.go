package evidence_test

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/package.zip from a fresh export")

// samplePackage is a package exported by this code (see
// TestSamplePackage), kept so that the fuzz test in bundle needs no
// database.
var samplePackage = filepath.Join("bundle", "testdata", "package.zip")

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
		if err := os.MkdirAll(filepath.Dir(samplePackage), 0o755); err != nil {
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
