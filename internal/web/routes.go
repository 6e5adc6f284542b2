// Package web serves Tawthiq over HTTP. Every route is in the tables of
// api/ (JSON) and ui/ (pages); this file puts them in one mux behind the
// protections every request gets.
package web

import (
	"errors"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/tawthiq/tawthiq/internal/auth"
	"github.com/tawthiq/tawthiq/internal/web/api"
	"github.com/tawthiq/tawthiq/internal/web/ui"
)

// Handler is Site without pages: the JSON API alone.
func Handler(a *api.API, accounts *auth.Service) http.Handler { return Site(a, nil, accounts) }

// Site returns the whole HTTP handler: every route in one mux, wrapped
// in panic recovery, security headers and a request log that never records
// bodies or query strings (they can hold personal data).
//
// Cross-origin requests that change anything (a form posted from another
// site, a fetch with credentials) are refused before any handler runs;
// API clients that send neither Origin nor Sec-Fetch-Site (curl, scripts)
// are not browsers and pass.
//
// Every route is guarded by its least role (access.go): the caller is
// found from an API token or the session cookie, and a route without a
// policy is refused to everyone.
func Site(a *api.API, u *ui.UI, accounts *auth.Service) http.Handler {
	mux := http.NewServeMux()
	au := authenticator{svc: accounts}
	apiFail := func(w http.ResponseWriter, r *http.Request, err error) {
		if errors.Is(err, errBadToken) {
			api.BadToken(w, r)
			return
		}
		api.Fail(a, w, r, err)
	}
	apiDeny := func(w http.ResponseWriter, r *http.Request, _ error) { api.Unauthorized(w, r) }
	apiForbid := func(w http.ResponseWriter, r *http.Request, _ error) { api.Forbidden(w, r) }
	for _, rt := range a.Routes() {
		role, ok := APIRole(rt)
		mux.HandleFunc(rt.Method+" "+rt.Pattern, au.guard(role, ok, rt.Handler, apiDeny, apiForbid, apiFail))
	}
	if u != nil {
		uiFail := func(w http.ResponseWriter, r *http.Request, err error) {
			if errors.Is(err, errBadToken) {
				api.BadToken(w, r)
				return
			}
			u.Fail(w, r, err)
		}
		uiDeny := func(w http.ResponseWriter, r *http.Request, _ error) { u.Unauthorized(w, r) }
		uiForbid := func(w http.ResponseWriter, r *http.Request, _ error) { u.Forbidden(w, r) }
		for _, rt := range u.Routes() {
			role, ok := UIRole(rt)
			mux.HandleFunc(rt.Method+" "+rt.Pattern, au.guard(role, ok, rt.Handler, uiDeny, uiForbid, uiFail))
		}
	}
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if u == nil || strings.HasPrefix(r.URL.Path, "/api/") {
			api.NotFound(w, r)
			return
		}
		u.NotFound(w, r)
	})
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(api.CrossOrigin))
	return recoverer(a.Log, headers(logRequests(a.Log, checkHost(a.Hosts, cop.Handler(mux)))))
}

// checkHost refuses requests addressed to a host name the server does not
// answer to. Without it a web page the user visits could rebind its own
// name to 127.0.0.1 and read the local server as its own origin (DNS
// rebinding) — originals and custody included. Loopback names and
// addresses are always accepted; others only when listed (--host).
func checkHost(extra []string, next http.Handler) http.Handler {
	allowed := map[string]bool{"localhost": true}
	for _, h := range extra {
		allowed[strings.TrimSuffix(strings.ToLower(h), ".")] = true
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host := r.Host
		if h, _, err := net.SplitHostPort(host); err == nil {
			host = h
		}
		host = strings.ToLower(strings.TrimSuffix(strings.Trim(host, "[]"), "."))
		ip := net.ParseIP(host)
		if allowed[host] || ip != nil && ip.IsLoopback() {
			next.ServeHTTP(w, r)
			return
		}
		api.MisdirectedHost(w, r)
	})
}

func headers(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		// Pages load scripts, styles, fonts and images from this origin
		// only, never inline script; nothing may frame them.
		h.Set("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "+
			"font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		// No page needs the camera, microphone or location.
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()")
		if r.TLS != nil {
			// Served over HTTPS: browsers keep to it for a year.
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		h.Set("Cross-Origin-Resource-Policy", "same-origin")
		if !strings.HasPrefix(r.URL.Path, "/static/") {
			h.Set("Cache-Control", "no-store")
		}
		next.ServeHTTP(w, r)
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (s *statusWriter) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.NewResponseController reach the connection (read and
// write deadlines for long uploads, flushing) through the log wrapper.
func (s *statusWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }

func logRequests(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(sw, r)
		log.Info("http", "method", r.Method, "path", r.URL.Path, "status", sw.status,
			"ms", time.Since(start).Milliseconds())
	})
}

func recoverer(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				log.Error("http handler panic", "path", r.URL.Path, "panic", p, "stack", string(debug.Stack()))
				http.Error(w, `{"error":{"status":500,"code":"internal","message":"internal error","message_ar":"خطأ داخلي"}}`, http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}
