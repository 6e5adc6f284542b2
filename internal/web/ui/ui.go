// Package ui serves Tawthiq's web pages: server-rendered html/template,
// Arabic right to left by default and English left to right, with a
// little htmx and no request to any other origin. Pages read and write
// through the same services as the JSON API; they hold no rules of their
// own. Every page is in the route table below, one small handler per
// concern.
package ui

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/tawthiq/tawthiq/internal/auditlog"
	"github.com/tawthiq/tawthiq/internal/auth"
	"github.com/tawthiq/tawthiq/internal/evidence"
	"github.com/tawthiq/tawthiq/internal/ledger"
	"github.com/tawthiq/tawthiq/internal/record"
	"github.com/tawthiq/tawthiq/internal/search"
	"github.com/tawthiq/tawthiq/internal/sqldb"
	"github.com/tawthiq/tawthiq/internal/vocab"
)

// Deps are the services the pages use.
type Deps struct {
	Service  *record.Service
	Store    *record.Store
	Vocab    *vocab.Set
	Search   search.Index
	DB       *sqldb.DB
	Evidence *evidence.Service
	Ledger   *ledger.Log
	Log      *slog.Logger
	// Accounts signs readers in and out; Audit records sealed reads and
	// exports; AuditLog is shown to admins.
	Accounts *auth.Service
	Audit    auditlog.Recorder
	AuditLog *auditlog.Log
	// SessionMax is how long a session cookie is kept (the session's
	// absolute lifetime); default 12 hours.
	SessionMax time.Duration
}

// UI is the web interface.
type UI struct {
	Deps
	assets assets
	pages  map[string]*template.Template
	cache  figureCache
}

// New parses the templates and loads the static files.
func New(d Deps) (*UI, error) {
	if d.Log == nil {
		d.Log = slog.Default()
	}
	if d.Audit == nil {
		d.Audit = auditlog.Discard{}
	}
	if d.SessionMax <= 0 {
		d.SessionMax = 12 * time.Hour
	}
	u := &UI{Deps: d, pages: map[string]*template.Template{}}
	var err error
	if u.assets, err = loadAssets(); err != nil {
		return nil, fmt.Errorf("ui: static files: %w", err)
	}
	names, err := fs.Glob(templateFS, "templates/page_*.html")
	if err != nil {
		return nil, err
	}
	for _, p := range names {
		name := strings.TrimSuffix(strings.TrimPrefix(p, "templates/page_"), ".html")
		t, err := template.New(name).Funcs(u.funcs()).ParseFS(templateFS, "templates/layout.html", "templates/parts.html", p)
		if err != nil {
			return nil, fmt.Errorf("ui: template %s: %w", name, err)
		}
		u.pages[name] = t
	}
	return u, nil
}

// Route is one page or form of the route table.
type Route struct {
	Method, Pattern string
	Handler         http.HandlerFunc
}

// Routes is the UI's route table.
func (u *UI) Routes() []Route {
	return []Route{
		{"GET", "/{$}", u.dashboard},
		{"GET", "/static/", u.assets.serve},
		{"GET", "/signin", u.signInForm},
		{"POST", "/signin", u.signIn},
		{"POST", "/signout", u.signOut},
		{"GET", "/settings", u.settings},
		{"POST", "/settings/signout-all", u.signOutEverywhere},
		{"GET", "/admin/users", u.adminUsers},
		{"GET", "/admin/audit", u.adminAudit},
		{"POST", "/lang", u.switchLang},
		{"GET", "/intake", u.intakeForm},
		{"POST", "/intake", u.intake},
		{"GET", "/reports", u.reports},
		{"GET", "/reports/{id}", u.report},
		{"POST", "/reports/{id}/facts", u.decideFact},
		{"POST", "/reports/{id}/incident", u.createIncident},
		{"POST", "/reports/{id}/link", u.linkIncident},
		{"POST", "/reports/{id}/reporter", u.showReporter},
		{"GET", "/incidents", u.incidents},
		{"GET", "/incidents/facets", u.incidentFacets},
		{"GET", "/incidents/{id}", u.incident},
		{"GET", "/map", u.mapPage},
		{"GET", "/map/points.json", u.mapPoints},
		{"GET", "/map/boundaries/{level}", u.boundaries},
		{"GET", "/stats", u.statsPage},
		{"GET", "/stats/{table}", u.statsCSV},
		{"GET", "/ledger", u.ledgerPage},
		{"GET", "/ledger/check", u.ledgerCheck},
	}
}

// langCookie remembers a browser's language.
const langCookie = "tawthiq_lang"

// lang is the reader's language: ?lang= when given, else the cookie, else
// Arabic.
func lang(r *http.Request) Lang {
	if v := r.URL.Query().Get("lang"); v != "" {
		return parseLang(v)
	}
	if c, err := r.Cookie(langCookie); err == nil {
		return parseLang(c.Value)
	}
	return AR
}

// Can reports whether the reader's role is at least role (menus and
// buttons; the server checks again on every request).
func (p *Page) Can(role string) bool { return p.Role.AtLeast(auth.Role(role)) }

// Page is what every template gets.
type Page struct {
	L      Lang
	Title  string
	Nav    string // the menu entry to mark as current
	Who    string // the signed-in user's name ("" for the public)
	Role   auth.Role
	Path   string // this page's path and query, for the language switch
	Assets assets
	// VendorMissing: the build lacks the fetched libraries (run go generate).
	VendorMissing bool
	Data          any
}

func (u *UI) page(r *http.Request, nav, titleKey string, data any) *Page {
	l := lang(r)
	name := ""
	if p := principal(r); p != nil {
		name = p.Name()
	}
	return &Page{L: l, Title: l.T(titleKey), Nav: nav, Who: name, Role: roleOf(r), Path: r.URL.RequestURI(),
		Assets: u.assets, VendorMissing: !u.assets.Has("vendor/htmx.min.js"), Data: data}
}

// render executes a page into a buffer first, so a template error never
// sends half a page, then writes it.
func (u *UI) render(w http.ResponseWriter, r *http.Request, status int, name string, p *Page) {
	t, ok := u.pages[name]
	if !ok {
		u.fail(w, r, fmt.Errorf("ui: no page %q", name))
		return
	}
	var buf bytes.Buffer
	root := "layout"
	if r.Header.Get("HX-Request") == "true" && r.Header.Get("HX-Target") != "" && t.Lookup("main") != nil {
		root = "main" // htmx swaps the main part only
	}
	if err := t.ExecuteTemplate(&buf, root, p); err != nil {
		u.fail(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Language", string(p.L))
	h.Set("Vary", "Cookie, HX-Request")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// fragment renders one named template of a page (an htmx swap).
func (u *UI) fragment(w http.ResponseWriter, r *http.Request, status int, name, part string, p *Page) {
	var buf bytes.Buffer
	if err := u.pages[name].ExecuteTemplate(&buf, part, p); err != nil {
		u.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// ErrorInfo is an error page's content.
type ErrorInfo struct {
	Status  int
	Message string
	Fields  []record.FieldError
	Back    string
}

// fail shows an error page: a refusal the reader can act on (400, 404,
// 409) with the field named, or an internal error with no detail (the
// detail goes to the log, which never holds bodies).
func (u *UI) fail(w http.ResponseWriter, r *http.Request, err error) {
	info := u.errorInfo(r, err)
	t := u.pages["error"]
	var buf bytes.Buffer
	p := u.page(r, "", "error.title", info)
	root := "layout"
	if r.Header.Get("HX-Request") == "true" {
		// htmx puts the refusal in the page's alert region, leaving the
		// form as it was, instead of replacing its target with a page.
		root = "flash"
		w.Header().Set("HX-Retarget", "#flash")
		w.Header().Set("HX-Reswap", "innerHTML")
	}
	if t == nil || t.ExecuteTemplate(&buf, root, p) != nil {
		http.Error(w, info.Message, info.Status)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(info.Status)
	w.Write(buf.Bytes())
}

// errorInfo sorts an error into what the reader is told.
func (u *UI) errorInfo(r *http.Request, err error) ErrorInfo {
	l := lang(r)
	info := ErrorInfo{Status: http.StatusInternalServerError, Message: l.T("error.internal")}
	var ve *record.ValidationError
	var nf *record.NotFoundError
	var ce *record.ConflictError
	var de *record.DuplicateError
	var fe *search.FilterError
	var qe *search.QueryError
	var ue *userError
	var said interface{ Arabic() string } // a refusal that explains itself in both languages
	switch {
	case errors.As(err, &ve):
		info.Status, info.Message = http.StatusBadRequest, l.T("error.invalid")
		for _, f := range ve.Errors {
			// The service names fields by their JSON path in the record;
			// the form's fields are the record's own.
			f.Field = strings.TrimPrefix(f.Field, "record.")
			info.Fields = append(info.Fields, f)
		}
	case errors.As(err, &nf):
		info.Status, info.Message = http.StatusNotFound, l.T("error.notfound")
	case errors.As(err, &ce), errors.As(err, &de):
		info.Status, info.Message = http.StatusConflict, l.T("error.conflict")
	case errors.As(err, &said) && (errors.Is(err, record.ErrConflict) || errors.Is(err, record.ErrNotFound)):
		info.Status, info.Message = http.StatusConflict, err.Error()
		if errors.Is(err, record.ErrNotFound) {
			info.Status = http.StatusNotFound
		}
		if l == AR {
			info.Message = said.Arabic()
		}
	case errors.As(err, &fe):
		info.Status, info.Message = http.StatusBadRequest, l.T("error.invalid")
		info.Fields = []record.FieldError{{Field: fe.Field, Message: fe.EN, MessageAR: fe.AR}}
	case errors.As(err, &qe):
		info.Status, info.Message = http.StatusBadRequest, l.T("error.invalid")
		info.Fields = []record.FieldError{{Field: "q", Message: strings.TrimPrefix(qe.Error(), "search: "), MessageAR: qe.Arabic()}}
	case errors.As(err, &ue):
		info.Status, info.Message = ue.status, l.T("error.invalid")
		info.Fields = []record.FieldError{{Field: ue.field, Message: ue.en, MessageAR: ue.ar}}
	default:
		u.Log.Error("ui", "path", r.URL.Path, "err", err)
	}
	if ref := r.Header.Get("Referer"); ref != "" {
		if p, err := url.Parse(ref); err == nil && p.Host == r.Host {
			info.Back = p.RequestURI()
		}
	}
	return info
}

// userError is a refusal of a form field that no record validator makes
// (a missing name to sign with, a bad page number).
type userError struct {
	status        int
	field, en, ar string
}

func (e *userError) Error() string { return "ui: " + e.field + ": " + e.en }

func badField(field, en, ar string) error {
	return &userError{status: http.StatusBadRequest, field: field, en: en, ar: ar}
}

// NotFound is the HTML 404 for paths no route has.
func (u *UI) NotFound(w http.ResponseWriter, r *http.Request) {
	u.fail(w, r, &record.NotFoundError{ID: r.URL.Path})
}

// safeBack returns a local path to go back to, or "/".
func safeBack(s string) string {
	if s == "" || !strings.HasPrefix(s, "/") || strings.HasPrefix(s, "//") || strings.ContainsAny(s, "\\\r\n") {
		return "/"
	}
	return s
}

func itoa(n int) string { return strconv.Itoa(n) }

// seeOther answers a form: htmx follows HX-Redirect, a browser 303.
func seeOther(w http.ResponseWriter, r *http.Request, to string) {
	if r.Header.Get("HX-Request") == "true" {
		w.Header().Set("HX-Redirect", to)
		w.WriteHeader(http.StatusNoContent)
		return
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}
