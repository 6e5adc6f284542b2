package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha512"
	"encoding/base64"
	"errors"
	"io"
	"io/fs"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
)

// tgz builds an npm-style tarball from name → content; names are used as
// given (real ones start with package/).
func tgz(t *testing.T, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	for _, name := range slices.Sorted(maps.Keys(files)) {
		h := &tar.Header{Name: name, Mode: 0o644, Size: int64(len(files[name])), Typeflag: tar.TypeReg}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(tw, files[name]); err != nil {
			t.Fatal(err)
		}
	}
	if err := errors.Join(tw.Close(), zw.Close()); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func sri(data []byte) string {
	sum := sha512.Sum512(data)
	return "sha512-" + base64.StdEncoding.EncodeToString(sum[:])
}

// registry serves tarballs by URL path and counts the requests.
type registry struct {
	*httptest.Server
	tarballs map[string][]byte
	hits     atomic.Int32
}

func newRegistry(t *testing.T) *registry {
	r := &registry{tarballs: map[string][]byte{}}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		r.hits.Add(1)
		data, ok := r.tarballs[req.URL.Path]
		if !ok {
			http.NotFound(w, req)
			return
		}
		w.Write(data)
	}))
	t.Cleanup(r.Close)
	return r
}

var (
	demoTarball = map[string]string{
		"package/package.json":       `{"name":"demo"}`,
		"package/LICENSE":            "demo license",
		"package/dist/demo.min.js":   "demo();",
		"package/dist/demo.js":       "demo(); // unminified, not wanted",
		"package/dist/images/a.png":  "png a",
		"package/dist/images/b.png":  "png b",
		"package/src/images/c.svg":   "svg c, not wanted",
		"package/dist/images/x/d.js": "below images/, not matched by *",
	}
	fontTarball = map[string]string{
		"package/OFL.txt":                    "font license",
		"package/files/f-arabic-400.woff2":   "arabic 400",
		"package/files/f-latin-400.woff2":    "latin 400",
		"package/files/f-cyrillic-400.woff2": "not wanted",
	}
	// wantFiles is what the demo lock makes, by output path.
	wantFiles = map[string]string{
		"demo.min.js":                     "demo();",
		"images/a.png":                    "png a",
		"images/b.png":                    "png b",
		"fonts/f-arabic-400.woff2":        "arabic 400",
		"fonts/f-latin-400.woff2":         "latin 400",
		"licenses/demo-LICENSE.txt":       "demo license",
		"licenses/scope-font-LICENSE.txt": "font license",
	}
)

// setup serves the demo and font tarballs and writes a lock for them; it
// returns a config whose output is <tmp>/static/vendor.
func setup(t *testing.T) (*registry, config) {
	t.Helper()
	reg := newRegistry(t)
	demo, font := tgz(t, demoTarball), tgz(t, fontTarball)
	reg.tarballs["/demo/-/demo-1.0.0.tgz"] = demo
	reg.tarballs["/@scope/font/-/font-2.1.0.tgz"] = font
	lock := "format vendorgen-lock/1\n" +
		"package demo 1.0.0 MIT " + sri(demo) + "\n" +
		"file dist/demo.min.js demo.min.js\nfile dist/images/* images/\nlicense LICENSE\n" +
		"package @scope/font 2.1.0 OFL-1.1 " + sri(font) + "\n" +
		"file files/f-arabic-400.woff2 fonts/\nfile files/f-latin-400.woff2 fonts/\nlicense OFL.txt\n"
	return reg, testConfig(t, reg.URL, lock)
}

func testConfig(t *testing.T, registry, lock string) config {
	t.Helper()
	dir := t.TempDir()
	cfg := config{
		out:      filepath.Join(dir, "static", "vendor"),
		lock:     filepath.Join(dir, "assets.lock"),
		registry: registry,
		client:   http.DefaultClient,
		log:      io.Discard,
	}
	if err := os.WriteFile(cfg.lock, []byte(lock), 0o644); err != nil {
		t.Fatal(err)
	}
	return cfg
}

// readTree returns every file under dir by slash path.
func readTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(name)
		rel, _ := filepath.Rel(dir, name)
		files[filepath.ToSlash(rel)] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// checkNothingBeside fails if anything but the output folder is beside it
// (a staging folder left behind).
func checkNothingBeside(t *testing.T, cfg config) {
	t.Helper()
	entries, _ := os.ReadDir(filepath.Dir(cfg.out))
	for _, e := range entries {
		if e.Name() != filepath.Base(cfg.out) {
			t.Errorf("left beside the output: %s", e.Name())
		}
	}
}

func TestRunWritesMappedFiles(t *testing.T) {
	_, cfg := setup(t)
	if err := run(t.Context(), cfg); err != nil {
		t.Fatal(err)
	}
	got := readTree(t, cfg.out)
	manifest := got[manifestName]
	delete(got, manifestName)
	if !maps.Equal(got, wantFiles) {
		t.Errorf("files:\n got %v\nwant %v", got, wantFiles)
	}
	for _, line := range []string{
		"file\tdemo.min.js\tdemo\t1.0.0\tMIT\t" + sha256Hex([]byte("demo();")),
		"file\tfonts/f-latin-400.woff2\t@scope/font\t2.1.0\tOFL-1.1\t" + sha256Hex([]byte("latin 400")),
		"file\tlicenses/scope-font-LICENSE.txt\t@scope/font\t2.1.0\tOFL-1.1\t" + sha256Hex([]byte("font license")),
	} {
		if !strings.Contains(manifest, line+"\n") {
			t.Errorf("manifest lacks %q:\n%s", line, manifest)
		}
	}
	if n := strings.Count(manifest, "\nfile\t"); n != len(wantFiles) {
		t.Errorf("manifest lists %d files, want %d", n, len(wantFiles))
	}
	if err := verifyLock(t, cfg); err != nil {
		t.Error(err)
	}
	if fi, err := os.Stat(cfg.out); err != nil {
		t.Error(err)
	} else if fi.Mode().Perm() != 0o755 {
		t.Errorf("output folder mode %v, want 0755", fi.Mode().Perm())
	}
	checkNothingBeside(t, cfg)
}

func TestIntegrityMismatchWritesNothing(t *testing.T) {
	reg, cfg := setup(t)
	reg.tarballs["/@scope/font/-/font-2.1.0.tgz"] = tgz(t, map[string]string{"package/OFL.txt": "swapped"})
	err := run(t.Context(), cfg)
	if !errors.Is(err, errIntegrity) || !strings.Contains(err.Error(), "@scope/font@2.1.0") {
		t.Fatalf("got %v, want an integrity error naming @scope/font@2.1.0", err)
	}
	if _, err := os.Stat(cfg.out); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("output folder exists after a refused tarball: %v", err)
	}
	checkNothingBeside(t, cfg)
}

func TestFailedRunKeepsOldOutput(t *testing.T) {
	reg, cfg := setup(t)
	if err := run(t.Context(), cfg); err != nil {
		t.Fatal(err)
	}
	before := readTree(t, cfg.out)
	// A new lock whose tarball turns out to be wrong.
	lock := strings.Replace(string(mustRead(t, cfg.lock)), "demo 1.0.0", "demo 1.0.1", 1)
	reg.tarballs["/demo/-/demo-1.0.1.tgz"] = tgz(t, map[string]string{"package/x": "other"})
	if err := os.WriteFile(cfg.lock, []byte(lock), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := run(t.Context(), cfg); !errors.Is(err, errIntegrity) {
		t.Fatalf("got %v, want an integrity error", err)
	}
	if after := readTree(t, cfg.out); !maps.Equal(before, after) {
		t.Error("a failed run changed the output folder")
	}
	checkNothingBeside(t, cfg)
}

func TestUnsafeEntryRefused(t *testing.T) {
	for _, name := range []string{"../evil", "package/../../evil", "/evil", "package/dist/../../../evil", `package\..\..\evil`, "C:/evil"} {
		t.Run(name, func(t *testing.T) {
			files := maps.Clone(demoTarball)
			files[name] = "evil"
			data := tgz(t, files)
			reg := newRegistry(t)
			reg.tarballs["/demo/-/demo-1.0.0.tgz"] = data
			cfg := testConfig(t, reg.URL, "format vendorgen-lock/1\npackage demo 1.0.0 MIT "+sri(data)+
				"\nfile dist/demo.min.js demo.min.js\nlicense LICENSE\n")
			err := run(t.Context(), cfg)
			if !errors.Is(err, errUnsafePath) {
				t.Fatalf("got %v, want %v", err, errUnsafePath)
			}
			if _, err := os.Stat(cfg.out); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("output folder exists: %v", err)
			}
			checkNothingBeside(t, cfg)
		})
	}
}

func TestSecondRunIsOffline(t *testing.T) {
	reg, cfg := setup(t)
	if err := run(t.Context(), cfg); err != nil {
		t.Fatal(err)
	}
	reg.Close()
	cfg.client = &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		t.Errorf("network used: %s", r.URL)
		return nil, errors.New("no network in this test")
	})}
	if err := run(t.Context(), cfg); err != nil {
		t.Fatal(err)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestChangedOutputIsFetchedAgain(t *testing.T) {
	tests := []struct {
		name   string
		change func(t *testing.T, cfg config)
	}{
		{"file edited", func(t *testing.T, cfg config) { write(t, filepath.Join(cfg.out, "images", "a.png"), "tampered") }},
		{"file removed", func(t *testing.T, cfg config) { remove(t, filepath.Join(cfg.out, "demo.min.js")) }},
		{"file added", func(t *testing.T, cfg config) { write(t, filepath.Join(cfg.out, "fonts", "extra.woff2"), "x") }},
		{"manifest removed", func(t *testing.T, cfg config) { remove(t, filepath.Join(cfg.out, manifestName)) }},
		{"manifest edited", func(t *testing.T, cfg config) {
			m := filepath.Join(cfg.out, manifestName)
			write(t, m, strings.Replace(string(mustRead(t, m)), "\tMIT\t", "\tGPL\t", 1))
		}},
		{"lock changed", func(t *testing.T, cfg config) { write(t, cfg.lock, string(mustRead(t, cfg.lock))+"# a comment\n") }},
		{"output removed", func(t *testing.T, cfg config) { remove(t, cfg.out) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reg, cfg := setup(t)
			if err := run(t.Context(), cfg); err != nil {
				t.Fatal(err)
			}
			first := reg.hits.Load()
			tt.change(t, cfg)
			if err := run(t.Context(), cfg); err != nil {
				t.Fatal(err)
			}
			if reg.hits.Load() == first {
				t.Error("not fetched again")
			}
			got := readTree(t, cfg.out)
			delete(got, manifestName)
			if !maps.Equal(got, wantFiles) {
				t.Errorf("files after the second run:\n got %v\nwant %v", got, wantFiles)
			}
			if err := verifyLock(t, cfg); err != nil {
				t.Error(err)
			}
			checkNothingBeside(t, cfg)
		})
	}
}

func TestStagingLeftoverRemoved(t *testing.T) {
	_, cfg := setup(t)
	if err := run(t.Context(), cfg); err != nil {
		t.Fatal(err)
	}
	// An interrupted run left its staging folder.
	write(t, filepath.Join(filepath.Dir(cfg.out), ".vendor.tmp-123", "half.js"), "x")
	if err := run(t.Context(), cfg); err != nil {
		t.Fatal(err)
	}
	checkNothingBeside(t, cfg)
}

func TestCache(t *testing.T) {
	reg, cfg := setup(t)
	cfg.cache = t.TempDir()
	if err := run(t.Context(), cfg); err != nil {
		t.Fatal(err)
	}
	cached := filepath.Join(cfg.cache, "demo-1.0.0.tgz")
	if !bytes.Equal(mustRead(t, cached), reg.tarballs["/demo/-/demo-1.0.0.tgz"]) {
		t.Fatal("tarball not cached")
	}
	if _, err := os.Stat(filepath.Join(cfg.cache, "scope-font-2.1.0.tgz")); err != nil {
		t.Fatal(err)
	}

	// A fresh output from the cache alone.
	reg.Close()
	cfg.out = filepath.Join(t.TempDir(), "vendor")
	if err := run(t.Context(), cfg); err != nil {
		t.Fatal(err)
	}

	// A corrupt cache entry is not used.
	write(t, cached, "corrupt")
	cfg.out = filepath.Join(t.TempDir(), "vendor")
	if err := run(t.Context(), cfg); err == nil || !strings.Contains(err.Error(), "fetching demo@1.0.0 from") {
		t.Fatalf("got %v, want a fetch error (the registry is down)", err)
	}
}

func TestFetchErrors(t *testing.T) {
	reg, cfg := setup(t)
	delete(reg.tarballs, "/demo/-/demo-1.0.0.tgz")
	err := run(t.Context(), cfg)
	for _, want := range []string{"fetching demo@1.0.0 from " + reg.URL + "/demo/-/demo-1.0.0.tgz", "404", "registry must be reachable once"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("got %v, want it to contain %q", err, want)
		}
	}

	reg.Close()
	if err := run(t.Context(), cfg); err == nil || !strings.Contains(err.Error(), "registry must be reachable once") {
		t.Errorf("registry down: got %v", err)
	}
}

func TestTarballTooLarge(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write(make([]byte, maxTarball+1))
	}))
	defer srv.Close()
	if _, err := download(t.Context(), http.DefaultClient, srv.URL); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("got %v, want a size error", err)
	}
}

func TestMissingFileRefused(t *testing.T) {
	_, cfg := setup(t)
	write(t, cfg.lock, strings.Replace(string(mustRead(t, cfg.lock)), "dist/demo.min.js", "dist/gone.js", 1))
	if err := run(t.Context(), cfg); err == nil || !strings.Contains(err.Error(), "dist/gone.js matches 0 files") {
		t.Errorf("got %v", err)
	}
	checkNothingBeside(t, cfg)
}

func TestParseLockRefuses(t *testing.T) {
	const integrity = "sha512-Thx/WtpeOQqSrqBCw/A1cwGJGg4UrVa3+sW0GmrM3p4gJgO89ecH4qtbnyzDDWFvBTqjnIMCgELTNt636dtamA=="
	ok := "package x 1.0.0 MIT " + integrity + "\nfile a.js a.js\nlicense LICENSE\n"
	if _, err := parseLock([]byte("format vendorgen-lock/1\n" + ok)); err != nil {
		t.Fatalf("a good lock: %v", err)
	}
	for name, body := range map[string]string{
		"no format":        ok,
		"no packages":      "format vendorgen-lock/1\n",
		"wrong format":     "format vendorgen-lock/2\n" + ok,
		"version range":    "format vendorgen-lock/1\n" + strings.Replace(ok, "1.0.0", "^1.0.0", 1),
		"bad name":         "format vendorgen-lock/1\n" + strings.Replace(ok, "package x", "package ../x", 1),
		"sha1":             "format vendorgen-lock/1\n" + strings.Replace(ok, "sha512-", "sha1-", 1),
		"short digest":     "format vendorgen-lock/1\n" + strings.Replace(ok, integrity, "sha512-AAAA", 1),
		"no license":       "format vendorgen-lock/1\n" + strings.Replace(ok, "license LICENSE\n", "", 1),
		"two licenses":     "format vendorgen-lock/1\n" + ok + "license COPYING\n",
		"no file":          "format vendorgen-lock/1\n" + strings.Replace(ok, "file a.js a.js\n", "", 1),
		"same dest":        "format vendorgen-lock/1\n" + ok + "file b.js a.js\n",
		"dest escapes":     "format vendorgen-lock/1\n" + ok + "file b.js ../b.js\n",
		"absolute dest":    "format vendorgen-lock/1\n" + ok + "file b.js /b.js\n",
		"manifest as dest": "format vendorgen-lock/1\n" + ok + "file b.js MANIFEST.txt\n",
		"glob to one file": "format vendorgen-lock/1\n" + ok + "file img/* b.png\n",
		"bad glob":         "format vendorgen-lock/1\n" + ok + "file img/[ img/\n",
		"src escapes":      "format vendorgen-lock/1\n" + ok + "file ../b.js b.js\n",
		"file first":       "format vendorgen-lock/1\nfile a.js a.js\n" + ok,
		"same package":     "format vendorgen-lock/1\n" + ok + ok,
		"unknown":          "format vendorgen-lock/1\n" + ok + "url http://x\n",
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := parseLock([]byte(body)); err == nil {
				t.Error("accepted")
			}
		})
	}
}

// TestAssetsLock checks the lock the UI uses: the four libraries, each
// with its license, at the paths the templates refer to.
func TestAssetsLock(t *testing.T) {
	pkgs, err := parseLock(mustRead(t, "assets.lock"))
	if err != nil {
		t.Fatal(err)
	}
	var names, dests []string
	for _, p := range pkgs {
		names = append(names, p.name+"@"+p.version)
		for _, r := range p.rules {
			dests = append(dests, r.dest)
		}
	}
	want := []string{"htmx.org@2.0.11", "leaflet@1.9.4", "chart.js@4.6.1", "@fontsource/vazirmatn@5.3.0"}
	if !slices.Equal(names, want) {
		t.Errorf("packages %v, want %v", names, want)
	}
	for _, d := range []string{"htmx.min.js", "leaflet.js", "leaflet.css", "images/", "chart.umd.js", "fonts/",
		"licenses/htmx.org-LICENSE.txt", "licenses/leaflet-LICENSE.txt", "licenses/chart.js-LICENSE.txt", "licenses/fontsource-vazirmatn-LICENSE.txt"} {
		if !slices.Contains(dests, d) {
			t.Errorf("no rule writes %s", d)
		}
	}
	if got := pkgs[3].tarballURL(defaultRegistry); got != "https://registry.npmjs.org/@fontsource/vazirmatn/-/vazirmatn-5.3.0.tgz" {
		t.Errorf("tarball URL %s", got)
	}
}

func FuzzParseLock(f *testing.F) {
	f.Add(mustRead(f, "assets.lock"))
	f.Add([]byte("format vendorgen-lock/1\npackage x 1.0.0 MIT sha512-AAAA\nfile a b/\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		pkgs, err := parseLock(data)
		if err != nil {
			return
		}
		for _, p := range pkgs {
			for _, r := range p.rules {
				if !fs.ValidPath(strings.TrimSuffix(r.dest, "/")) {
					t.Errorf("accepted destination %q", r.dest)
				}
			}
		}
	})
}

func FuzzEntryPath(f *testing.F) {
	for _, s := range []string{"package/dist/a.js", "../x", "package/../../x", "/x", `a\..\x`, "package/", "package/\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		rel, err := entryPath(name)
		if err == nil && rel != "" && !fs.ValidPath(rel) {
			t.Errorf("%q gives %q, outside the folder", name, rel)
		}
	})
}

func mustRead(tb testing.TB, name string) []byte {
	tb.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

func write(t *testing.T, name, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func remove(t *testing.T, name string) {
	t.Helper()
	if err := os.RemoveAll(name); err != nil {
		t.Fatal(err)
	}
}

// verifyLock checks cfg.out against cfg.lock.
func verifyLock(t *testing.T, cfg config) error {
	t.Helper()
	lock := mustRead(t, cfg.lock)
	pkgs, err := parseLock(lock)
	if err != nil {
		t.Fatal(err)
	}
	return verifyOutput(cfg.out, sha256Hex(lock), pkgs)
}
