// Package web serves Tawthiq over HTTP. Every route is in the table below;
// handlers live in api/ (JSON) and, later, ui/ (pages).
package web

import (
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/tawthiq/tawthiq/internal/web/api"
)

// Handler returns the whole HTTP handler: every route in one mux, wrapped
// in panic recovery, security headers and a request log that never records
// bodies or query strings (they can hold personal data).
func Handler(a *api.API) http.Handler {
	mux := http.NewServeMux()
	for _, rt := range a.Routes() {
		mux.HandleFunc(rt.Method+" "+rt.Pattern, rt.Handler)
	}
	mux.HandleFunc("/", api.NotFound)
	return recoverer(a.Log, headers(logRequests(a.Log, checkHost(a.Hosts, mux))))
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
		h.Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
		h.Set("Cache-Control", "no-store")
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
