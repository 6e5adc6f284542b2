package ui

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
)

// The front-end libraries (htmx, Leaflet, Chart.js, the Vazirmatn font)
// are fetched from the npm registry at pinned versions and checked
// against their pinned hashes by vendorgen, into static/vendor/ (not
// committed: the repository holds only code written here). The binary
// embeds them; the server never fetches anything.
//
//go:generate go run ./vendorgen

//go:embed templates
var templateFS embed.FS

//go:embed all:static
var staticFS embed.FS

// asset is one static file, ready to serve.
type asset struct {
	body, gz []byte
	ctype    string
	version  string // the first hex digits of its SHA-256
}

// assets holds every static file by its path under static/, with a gzip
// copy for text types (slow connections pay per byte).
type assets map[string]*asset

func loadAssets() (assets, error) {
	out := assets{}
	err := fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		name := strings.TrimPrefix(p, "static/")
		sum := sha256.Sum256(b)
		a := &asset{body: b, ctype: mime.TypeByExtension(path.Ext(name)), version: hex.EncodeToString(sum[:6])}
		if a.ctype == "" {
			a.ctype = "application/octet-stream"
		}
		if strings.HasPrefix(a.ctype, "text/") || strings.Contains(a.ctype, "javascript") || strings.Contains(a.ctype, "json") || strings.HasSuffix(name, ".svg") {
			var buf bytes.Buffer
			zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
			zw.Write(b)
			zw.Close()
			if buf.Len() < len(b) {
				a.gz = buf.Bytes()
			}
		}
		out[name] = a
		return nil
	})
	return out, err
}

// URL is the address of a static file with its content version, so it
// can be cached for a year and still change with the binary. An unknown
// name gives a plain path (a missing vendor file shows as a 404, not a
// broken page).
func (as assets) URL(name string) string {
	if a, ok := as[name]; ok {
		return "/static/" + name + "?v=" + a.version
	}
	return "/static/" + name
}

// Has reports whether a static file is embedded (vendor files are absent
// from a build made without `go generate`).
func (as assets) Has(name string) bool { _, ok := as[name]; return ok }

func (as assets) serve(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(r.URL.Path, "/static/")
	a, ok := as[name]
	if !ok {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Type", a.ctype)
	h.Set("Vary", "Accept-Encoding")
	if r.URL.Query().Get("v") == a.version {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "no-cache")
	}
	h.Set("ETag", `"`+a.version+`"`)
	if r.Header.Get("If-None-Match") == `"`+a.version+`"` {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	body := a.body
	if a.gz != nil && strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
		h.Set("Content-Encoding", "gzip")
		body = a.gz
	}
	h.Set("Content-Length", itoa(len(body)))
	if r.Method == http.MethodHead {
		return
	}
	w.Write(body)
}
