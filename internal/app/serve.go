package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/tawthiq/tawthiq/internal/web"
	"github.com/tawthiq/tawthiq/internal/web/api"
)

// Serve runs the HTTP server on addr until ctx is cancelled, then shuts
// down gracefully: it stops accepting, lets requests under way finish (up
// to 15 s) and returns. ready, if not nil, is called with the address
// actually listened on (useful with port 0).
func (a *App) Serve(ctx context.Context, addr, version string, ready func(string)) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	h := web.Handler(&api.API{Service: a.Service, Store: a.Store, Vocab: a.Vocab,
		Evidence: a.Evidence, Ledger: a.Ledger, Version: version, Log: slog.Default()})
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       5 * time.Minute, // slow field connections upload slowly
		WriteTimeout:      5 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	slog.Info("serving", "addr", ln.Addr().String(), "data", a.DataDir)
	if ready != nil {
		ready(ln.Addr().String())
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	slog.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
