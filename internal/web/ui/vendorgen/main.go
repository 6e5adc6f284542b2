// Command vendorgen fetches the web UI's front-end libraries (htmx, Leaflet,
// Chart.js, the Vazirmatn font) from the npm registry at the versions pinned
// in assets.lock, and writes the files the UI embeds into static/vendor/.
// Code from other projects is not committed to this repository, so that
// folder is git-ignored and filled by `go generate` in internal/web/ui:
//
//	go run ./vendorgen [-out static/vendor] [-lock vendorgen/assets.lock]
//
// Only this generator uses the network, and only when the folder is missing
// or out of date; the server never does. TAWTHIQ_NPM_CACHE (or -cache) names
// a folder of downloaded tarballs to reuse, so CI downloads each one once.
//
// Invariants:
//   - Nothing is extracted from a tarball before the whole tarball matches the
//     sha512 integrity the lock pins.
//   - The output folder is replaced as a whole: everything is written into a
//     temporary folder beside it, MANIFEST.txt last, and that folder is
//     renamed into place. An interrupted or failed run leaves the old folder
//     (or none), never a half-filled one.
//   - When the folder holds exactly the files its manifest lists, with the
//     listed hashes, and the manifest was made from the same lock, a run
//     changes nothing and uses no network.
//
// MANIFEST.txt, format vendorgen-manifest/1, is UTF-8 text with one record a
// line and fields separated by one tab; lines starting with '#' are comments:
//
//	format	vendorgen-manifest/1
//	lock	<hex SHA-256 of the lock file>
//	file	<path>	<package>	<version>	<license>	<hex SHA-256 of the file>
//
// file records are sorted by path, which is slash-separated and relative to
// the output folder. Every regular file in the folder except MANIFEST.txt is
// listed, and nothing else.
//
// Two runs on the same folder at once are not supported: each clears the
// temporary folders it finds beside the output.
package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"os/signal"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
)

const (
	lockFormat      = "vendorgen-lock/1"
	manifestFormat  = "vendorgen-manifest/1"
	manifestName    = "MANIFEST.txt"
	defaultRegistry = "https://registry.npmjs.org"

	maxTarball  = 20 << 20  // bytes of one .tgz, and of one file in it
	maxUnpacked = 256 << 20 // bytes of one tarball once gunzipped
)

var (
	// errIntegrity means a tarball is not the one the lock pins. Nothing of
	// it has been written; check the registry or the lock, do not retry blindly.
	errIntegrity = errors.New("tarball does not match the integrity pinned in the lock")
	// errUnsafePath means a tarball holds an entry that would land outside
	// its folder (.. or an absolute path); the tarball is refused as a whole.
	errUnsafePath = errors.New("unsafe path in tarball")
)

// config is everything a run needs, built once in main.
type config struct {
	out      string // the vendor folder, replaced as a whole
	lock     string // the lock file
	registry string // npm registry base URL
	cache    string // folder of downloaded tarballs, or "" for none
	client   *http.Client
	log      io.Writer
}

func main() {
	cfg := config{client: &http.Client{Timeout: 5 * time.Minute}, log: os.Stderr}
	flag.StringVar(&cfg.out, "out", filepath.Join("static", "vendor"), "output `folder`, replaced as a whole")
	flag.StringVar(&cfg.lock, "lock", filepath.Join("vendorgen", "assets.lock"), "lock `file` listing what to fetch")
	flag.StringVar(&cfg.registry, "registry", defaultRegistry, "npm registry `URL`")
	flag.StringVar(&cfg.cache, "cache", os.Getenv("TAWTHIQ_NPM_CACHE"), "`folder` of downloaded tarballs to reuse (default $TAWTHIQ_NPM_CACHE)")
	flag.Parse()
	if flag.NArg() != 0 {
		flag.Usage()
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := run(ctx, cfg)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "vendorgen:", err)
		os.Exit(1)
	}
}

// run brings cfg.out up to date with the lock, fetching only if it is not.
func run(ctx context.Context, cfg config) error {
	lockData, err := os.ReadFile(cfg.lock)
	if err != nil {
		return fmt.Errorf("reading the lock: %w", err)
	}
	pkgs, err := parseLock(lockData)
	if err != nil {
		return fmt.Errorf("%s: %w", cfg.lock, err)
	}
	if err := removeStaging(cfg.out); err != nil {
		return err
	}
	lockSum := sha256Hex(lockData)
	stale := verifyOutput(cfg.out, lockSum, pkgs)
	if stale == nil {
		return nil
	}
	fmt.Fprintf(cfg.log, "vendorgen: %v; fetching %d packages into %s\n", stale, len(pkgs), cfg.out)
	tarballs := make([][]byte, len(pkgs))
	for i, p := range pkgs {
		if tarballs[i], err = fetch(ctx, cfg, p); err != nil {
			return err
		}
	}
	return build(cfg.out, lockSum, pkgs, tarballs)
}

// ---- the lock ----

// pkg is one npm package of the lock and what to take from it.
type pkg struct {
	name, version, license, integrity string
	rules                             []rule
}

// rule maps tarball paths (below the top folder) to output paths.
type rule struct {
	src, dest string
	glob      bool
}

var (
	namePattern    = regexp.MustCompile(`^(@[a-z0-9][a-z0-9._-]*/)?[a-z0-9][a-z0-9._-]*$`)
	versionPattern = regexp.MustCompile(`^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$`)
)

// parseLock reads a lock file (format vendorgen-lock/1, see assets.lock).
func parseLock(data []byte) ([]pkg, error) {
	var pkgs []pkg
	formatSeen := false
	dests := map[string]bool{}
	for i, line := range strings.Split(string(data), "\n") {
		line, _, _ = strings.Cut(line, "#")
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		var err error
		switch {
		case !formatSeen:
			if len(f) != 2 || f[0] != "format" || f[1] != lockFormat {
				err = fmt.Errorf("want %q first", "format "+lockFormat)
			}
			formatSeen = true
		case f[0] == "package" && len(f) == 5:
			var p pkg
			p, err = parsePackage(f[1:], pkgs)
			pkgs = append(pkgs, p)
		case (f[0] == "file" && len(f) == 3 || f[0] == "license" && len(f) == 2) && len(pkgs) > 0:
			err = addRule(&pkgs[len(pkgs)-1], f, dests)
		default:
			err = fmt.Errorf("cannot read %q", strings.Join(f, " "))
		}
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", i+1, err)
		}
	}
	if len(pkgs) == 0 {
		return nil, errors.New("no packages")
	}
	for _, p := range pkgs {
		if len(p.rules) < 2 || !slices.ContainsFunc(p.rules, func(r rule) bool { return r.dest == p.licenseDest() }) {
			return nil, fmt.Errorf("%s: want one license and at least one file", p.name)
		}
	}
	return pkgs, nil
}

func parsePackage(f []string, before []pkg) (pkg, error) {
	p := pkg{name: f[0], version: f[1], license: f[2], integrity: f[3]}
	switch {
	case !namePattern.MatchString(p.name):
		return p, fmt.Errorf("bad package name %q", p.name)
	case slices.ContainsFunc(before, func(q pkg) bool { return q.name == p.name }):
		return p, fmt.Errorf("%s is listed twice", p.name)
	case !versionPattern.MatchString(p.version):
		return p, fmt.Errorf("%s: version %q is not one exact version", p.name, p.version)
	}
	if _, err := decodeIntegrity(p.integrity); err != nil {
		return p, fmt.Errorf("%s: %w", p.name, err)
	}
	return p, nil
}

// addRule adds a file or license directive to p; dests holds the output
// paths taken so far, by every package.
func addRule(p *pkg, f []string, dests map[string]bool) error {
	r := rule{src: f[1]}
	if f[0] == "license" {
		if slices.ContainsFunc(p.rules, func(r rule) bool { return r.dest == p.licenseDest() }) {
			return fmt.Errorf("%s has two licenses", p.name)
		}
		r.dest = p.licenseDest()
	} else {
		r.dest = f[2]
	}
	if _, err := path.Match(r.src, ""); err != nil || !fs.ValidPath(r.src) {
		return fmt.Errorf("bad source path %q", r.src)
	}
	r.glob = strings.ContainsAny(r.src, `*?[\`)
	dir := strings.HasSuffix(r.dest, "/")
	d := strings.TrimSuffix(r.dest, "/")
	switch {
	case !fs.ValidPath(d) || d == "." || d == manifestName || strings.Contains(d, `\`):
		return fmt.Errorf("bad destination %q", r.dest)
	case r.glob && !dir:
		return fmt.Errorf("a glob needs a destination folder ending in /, not %q", r.dest)
	}
	if !dir {
		if dests[d] {
			return fmt.Errorf("%s is written twice", d)
		}
		dests[d] = true
	}
	p.rules = append(p.rules, r)
	return nil
}

// match reports where rel (a path below the tarball's top folder) goes.
func (r rule) match(rel string) (string, bool) {
	if ok, _ := path.Match(r.src, rel); !ok {
		return "", false
	}
	if strings.HasSuffix(r.dest, "/") {
		return r.dest + path.Base(rel), true
	}
	return r.dest, true
}

// fileName is the package name usable as a file name: @scope/x is scope-x.
func (p pkg) fileName() string {
	return strings.ReplaceAll(strings.TrimPrefix(p.name, "@"), "/", "-")
}

func (p pkg) licenseDest() string { return "licenses/" + p.fileName() + "-LICENSE.txt" }

// tarballURL follows the registry's layout: @scope/x 1.0.0 is at
// @scope/x/-/x-1.0.0.tgz.
func (p pkg) tarballURL(registry string) string {
	return strings.TrimSuffix(registry, "/") + "/" + p.name + "/-/" + path.Base(p.name) + "-" + p.version + ".tgz"
}

// ---- fetching ----

// fetch returns p's tarball, verified against its integrity, from the cache
// or the registry.
func fetch(ctx context.Context, cfg config, p pkg) ([]byte, error) {
	var cached string
	if cfg.cache != "" {
		cached = filepath.Join(cfg.cache, p.fileName()+"-"+p.version+".tgz")
		data, err := readFile(cached)
		if err == nil {
			if err = checkIntegrity(data, p.integrity); err == nil {
				return data, nil
			}
		}
		if !errors.Is(err, fs.ErrNotExist) {
			fmt.Fprintf(cfg.log, "vendorgen: not using the cached %s: %v\n", cached, err)
		}
	}
	url := p.tarballURL(cfg.registry)
	data, err := download(ctx, cfg.client, url)
	if err != nil {
		return nil, fmt.Errorf("fetching %s@%s from %s: %w (the npm registry must be reachable once, to fill the vendor folder; later runs need no network)", p.name, p.version, url, err)
	}
	if err := checkIntegrity(data, p.integrity); err != nil {
		return nil, fmt.Errorf("%s@%s from %s: %w", p.name, p.version, url, err)
	}
	if cached != "" {
		if err := writeCache(cached, data); err != nil {
			fmt.Fprintf(cfg.log, "vendorgen: not caching %s@%s: %v\n", p.name, p.version, err)
		}
	}
	return data, nil
}

func download(ctx context.Context, client *http.Client, url string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", "tawthiq-vendorgen")
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("HTTP %s", resp.Status)
	}
	return readAtMost(resp.Body, maxTarball)
}

func readFile(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readAtMost(f, maxTarball)
}

// readAtMost reads r to the end, refusing more than max bytes.
func readAtMost(r io.Reader, max int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > max {
		return nil, fmt.Errorf("larger than %d MiB", max>>20)
	}
	return data, nil
}

// writeCache stores a verified tarball under a temporary name first, so a
// reader never sees half of it (and would refuse it anyway by its hash).
func writeCache(name string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	tmp := name + ".part"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, name)
}

// decodeIntegrity returns the digest of a sha512 SRI string.
func decodeIntegrity(sri string) ([]byte, error) {
	b64, ok := strings.CutPrefix(sri, "sha512-")
	if !ok {
		return nil, fmt.Errorf("integrity %q is not sha512-<base64>", sri)
	}
	sum, err := base64.StdEncoding.DecodeString(b64)
	if err != nil || len(sum) != sha512.Size {
		return nil, fmt.Errorf("integrity %q is not sha512-<base64 of 64 bytes>", sri)
	}
	return sum, nil
}

func checkIntegrity(data []byte, sri string) error {
	want, err := decodeIntegrity(sri)
	if err != nil {
		return err
	}
	got := sha512.Sum512(data)
	if !bytes.Equal(got[:], want) {
		return fmt.Errorf("%w: got sha512-%s, want %s", errIntegrity, base64.StdEncoding.EncodeToString(got[:]), sri)
	}
	return nil
}

// ---- writing the folder ----

// entry is one output file, as listed in the manifest.
type entry struct{ path, pkg, version, license, sum string }

// build writes every package's files and the manifest into a staging folder
// beside out, then puts it in out's place.
func build(out, lockSum string, pkgs []pkg, tarballs [][]byte) (err error) {
	parent, base := filepath.Dir(out), filepath.Base(out)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(parent, "."+base+".tmp-")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			err = errors.Join(err, os.RemoveAll(tmp))
		}
	}()
	if err := os.Chmod(tmp, 0o755); err != nil { // MkdirTemp makes it 0700
		return err
	}
	var entries []entry
	for i, p := range pkgs {
		es, err := extract(tarballs[i], p, tmp)
		if err != nil {
			return fmt.Errorf("%s@%s: %w", p.name, p.version, err)
		}
		entries = append(entries, es...)
	}
	if err := writeManifest(tmp, lockSum, entries); err != nil {
		return err
	}
	return replaceDir(tmp, out)
}

// extract writes the files p's rules select from tgz into dir. Every rule
// must select something; a plain path exactly one file.
func extract(tgz []byte, p pkg, dir string) ([]entry, error) {
	zr, err := gzip.NewReader(bytes.NewReader(tgz))
	if err != nil {
		return nil, fmt.Errorf("reading tarball: %w", err)
	}
	tr := tar.NewReader(io.LimitReader(zr, maxUnpacked))
	matched := make([]int, len(p.rules))
	var entries []entry
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("reading tarball: %w", err)
		}
		rel, err := entryPath(h.Name)
		if err != nil {
			return nil, err
		}
		if rel == "" || h.Typeflag == tar.TypeDir {
			continue
		}
		var data []byte
		for i, r := range p.rules {
			dest, ok := r.match(rel)
			if !ok {
				continue
			}
			matched[i]++
			if strings.ContainsFunc(dest, unicode.IsControl) {
				return nil, fmt.Errorf("%w: %q", errUnsafePath, h.Name)
			}
			if data == nil {
				if data, err = entryData(tr, h); err != nil {
					return nil, fmt.Errorf("%s: %w", rel, err)
				}
			}
			if err := writeNew(dir, dest, data); err != nil {
				return nil, err
			}
			entries = append(entries, entry{dest, p.name, p.version, p.license, sha256Hex(data)})
		}
	}
	for i, r := range p.rules {
		if matched[i] == 0 || !r.glob && matched[i] > 1 {
			return nil, fmt.Errorf("%s matches %d files in the tarball", r.src, matched[i])
		}
	}
	return entries, nil
}

// entryPath checks a tar entry name and returns it below the top folder
// (npm tarballs put everything in package/), or "" for the top folder itself.
func entryPath(name string) (string, error) {
	parts := strings.FieldsFunc(name, func(r rune) bool { return r == '/' || r == '\\' })
	if path.IsAbs(name) || strings.HasPrefix(name, `\`) || len(name) > 1 && name[1] == ':' || slices.Contains(parts, "..") {
		return "", fmt.Errorf("%w: %q", errUnsafePath, name)
	}
	if len(parts) < 2 {
		return "", nil
	}
	rel := path.Clean(strings.Join(parts[1:], "/"))
	if !fs.ValidPath(rel) { // not UTF-8, say
		return "", fmt.Errorf("%w: %q", errUnsafePath, name)
	}
	return rel, nil
}

func entryData(tr *tar.Reader, h *tar.Header) ([]byte, error) {
	if h.Typeflag != tar.TypeReg {
		return nil, fmt.Errorf("not a regular file (tar type %q)", h.Typeflag)
	}
	if h.Size > maxTarball {
		return nil, fmt.Errorf("%d bytes, more than %d MiB", h.Size, maxTarball>>20)
	}
	return io.ReadAll(tr)
}

// writeNew writes data to dir/name, refusing to overwrite: two rules writing
// one path is an error in the lock.
func writeNew(dir, name string, data []byte) error {
	full := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(full, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("%s is written twice", name)
	}
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	return errors.Join(err, f.Close())
}

func writeManifest(dir, lockSum string, entries []entry) error {
	slices.SortFunc(entries, func(a, b entry) int { return strings.Compare(a.path, b.path) })
	var b strings.Builder
	b.WriteString("# The front-end files of the web UI, fetched from the npm registry by vendorgen. Generated; do not edit.\n")
	fmt.Fprintf(&b, "format\t%s\nlock\t%s\n", manifestFormat, lockSum)
	for _, e := range entries {
		fmt.Fprintf(&b, "file\t%s\t%s\t%s\t%s\t%s\n", e.path, e.pkg, e.version, e.license, e.sum)
	}
	return os.WriteFile(filepath.Join(dir, manifestName), []byte(b.String()), 0o644)
}

// replaceDir puts the folder tmp in out's place. The old folder is moved
// aside first (a folder cannot be renamed over a full one), so between the
// two renames out is missing, which a later run sees as not done.
func replaceDir(tmp, out string) error {
	old := tmp + ".old"
	if err := os.Rename(out, old); errors.Is(err, fs.ErrNotExist) {
		old = ""
	} else if err != nil {
		return fmt.Errorf("moving the old vendor folder aside: %w", err)
	}
	if err := os.Rename(tmp, out); err != nil {
		if old != "" {
			err = errors.Join(err, os.Rename(old, out))
		}
		return err
	}
	if old != "" {
		return os.RemoveAll(old)
	}
	return nil
}

// removeStaging deletes what an interrupted run left beside out. The UI
// embeds static/ with all:, so a leftover would otherwise be embedded.
func removeStaging(out string) error {
	left, err := filepath.Glob(filepath.Join(filepath.Dir(out), "."+filepath.Base(out)+".tmp-*"))
	if err != nil {
		return err
	}
	for _, dir := range left {
		if err := os.RemoveAll(dir); err != nil {
			return fmt.Errorf("removing a staging folder left by an interrupted run: %w", err)
		}
	}
	return nil
}

// ---- checking the folder ----

// verifyOutput returns nil if out holds exactly the files its manifest
// lists, with their hashes, and the manifest was made from pkgs, the lock
// whose hash is lockSum; otherwise an error saying what differs.
func verifyOutput(out, lockSum string, pkgs []pkg) error {
	data, err := os.ReadFile(filepath.Join(out, manifestName))
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%s has no %s", out, manifestName)
	}
	if err != nil {
		return err
	}
	listed, err := parseManifest(data, lockSum, pkgs)
	if err != nil {
		return err
	}
	err = filepath.WalkDir(out, func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(out, name)
		rel = filepath.ToSlash(rel)
		if err != nil || rel == manifestName {
			return err
		}
		sum, ok := listed[rel]
		switch {
		case !ok:
			return fmt.Errorf("%s is not in %s", rel, manifestName)
		case !d.Type().IsRegular():
			return fmt.Errorf("%s is not a regular file", rel)
		}
		data, err := os.ReadFile(name)
		if err != nil {
			return err
		}
		if sha256Hex(data) != sum {
			return fmt.Errorf("%s has changed", rel)
		}
		delete(listed, rel)
		return nil
	})
	if err != nil {
		return err
	}
	for rel := range listed {
		return fmt.Errorf("%s is missing", rel)
	}
	return nil
}

// parseManifest returns the hash of each file a manifest lists, if the
// manifest was made from pkgs, the lock whose hash is lockSum, and names
// each package as the lock does.
func parseManifest(data []byte, lockSum string, pkgs []pkg) (map[string]string, error) {
	listed := map[string]string{}
	ids, seen := map[string]bool{}, map[string]bool{} // name, version, license
	for _, p := range pkgs {
		ids[p.name+"\t"+p.version+"\t"+p.license] = true
	}
	var format, lock string
	for _, line := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
		f := strings.Split(line, "\t")
		switch {
		case strings.HasPrefix(line, "#"):
		case len(f) == 2 && f[0] == "format":
			format = f[1]
		case len(f) == 2 && f[0] == "lock":
			lock = f[1]
		case len(f) == 6 && f[0] == "file":
			id := strings.Join(f[2:5], "\t")
			if !ids[id] {
				return nil, fmt.Errorf("%s: %s is not from a package of the lock", manifestName, f[1])
			}
			seen[id] = true
			listed[f[1]] = f[5]
		default:
			return nil, fmt.Errorf("%s: cannot read %q", manifestName, line)
		}
	}
	switch {
	case format != manifestFormat:
		return nil, fmt.Errorf("%s is not format %s", manifestName, manifestFormat)
	case lock != lockSum:
		return nil, errors.New("the lock has changed")
	case len(seen) != len(ids):
		return nil, fmt.Errorf("%s lacks a package", manifestName)
	}
	return listed, nil
}

func sha256Hex(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}
