// Package web serves Tawthiq over HTTP. Every route is in the table below;
// handlers live in api/ (JSON) and, later, ui/ (pages).
package web

import (
	"log/slog"
	"net/http"
	"runtime/debug"
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
	return recoverer(a.Log, headers(logRequests(a.Log, mux)))
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
