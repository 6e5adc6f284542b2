package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"time"

	"github.com/tawthiq/tawthiq/internal/web"
	"github.com/tawthiq/tawthiq/internal/web/api"
	"github.com/tawthiq/tawthiq/internal/web/ui"
)

// Serve runs the HTTP server on addr until ctx is cancelled, then shuts
// down gracefully: it stops accepting, lets requests under way finish (up
// to 15 s) and returns. ready, if not nil, is called with the address
// actually listened on (useful with port 0).
func (a *App) Serve(ctx context.Context, addr, version string, ready func(string)) error {
	return a.ServeWith(ctx, ServeOptions{Addr: addr, Version: version}, ready)
}

// ServeOptions configure the server.
type ServeOptions struct {
	Addr, Version string
	// Hosts are host names accepted in requests besides loopback ones.
	Hosts []string
	// Log receives request lines (default slog.Default()).
	Log *slog.Logger
	// TLSCert and TLSKey, when both set, serve HTTPS.
	TLSCert, TLSKey string
}

// ServeWith is Serve with options.
func (a *App) ServeWith(ctx context.Context, o ServeOptions, ready func(string)) error {
	addr := o.Addr
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	h, uploads, err := a.site(o)
	if err != nil {
		ln.Close()
		return err
	}
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       5 * time.Minute, // slow field connections upload slowly
		WriteTimeout:      5 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
	}
	if n, err := a.Vault.Sweep(ctx, time.Hour); err != nil {
		slog.Warn("vault sweep failed", "err", err)
	} else if n > 0 {
		slog.Info("removed unfinished uploads left by an earlier run", "files", n)
	}
	if n, err := uploads.Sweep(ctx, api.UploadIdle); err != nil {
		slog.Warn("resumable upload sweep failed", "err", err)
	} else if n > 0 {
		slog.Info("removed resumable uploads untouched for a day", "uploads", n)
	}
	errc := make(chan error, 1)
	go func() {
		if o.TLSCert != "" {
			errc <- srv.ServeTLS(ln, o.TLSCert, o.TLSKey)
			return
		}
		errc <- srv.Serve(ln)
	}()
	bg, stopBG := context.WithCancel(ctx)
	defer stopBG() // the checkpointer stops before the database closes
	go a.keepCheckpointing(bg, time.Minute, uploads)
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

// Site is the whole HTTP handler the server serves (pages, API, the route
// guard and every protection), for tests and benchmarks that serve it
// themselves.
func (a *App) Site(o ServeOptions) (http.Handler, error) {
	h, _, err := a.site(o)
	return h, err
}

func (a *App) site(o ServeOptions) (http.Handler, *api.UploadStore, error) {
	log := o.Log
	if log == nil {
		log = slog.Default()
	}
	pages, err := ui.New(ui.Deps{Service: a.Service, Store: a.Store, Vocab: a.Vocab, Search: a.Search, DB: a.DB,
		Evidence: a.Evidence, Ledger: a.Ledger, Log: log,
		Accounts: a.Accounts, Audit: a.AuditLog, AuditLog: a.AuditLog})
	if err != nil {
		return nil, nil, err
	}
	uploads := api.NewUploadStore(filepath.Join(a.DataDir, UploadsDir))
	h := web.Site(&api.API{Service: a.Service, Store: a.Store, Vocab: a.Vocab,
		Evidence: a.Evidence, Ledger: a.Ledger, Search: a.Search, DB: a.DB, Hosts: o.Hosts, Version: o.Version, Log: log,
		Uploads: uploads, Accounts: a.Accounts, Audit: a.AuditLog, AuditLog: a.AuditLog}, pages, a.Accounts)
	return h, uploads, nil
}

// UploadsDir, inside the data folder, holds resumable uploads in progress
// (api.UploadStore).
const UploadsDir = "uploads"

// keepCheckpointing signs a checkpoint every interval while the log grows,
// so followers and witnesses see new entries without asking for them, and
// sweeps uploads abandoned by other processes and resumable uploads
// untouched for a day.
func (a *App) keepCheckpointing(ctx context.Context, interval time.Duration, uploads *api.UploadStore) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if _, err := a.Ledger.Checkpoint(ctx); err != nil && ctx.Err() == nil {
			slog.Error("ledger checkpoint failed", "err", err)
		}
		if _, err := a.Vault.Sweep(ctx, 24*time.Hour); err != nil && ctx.Err() == nil {
			slog.Warn("vault sweep failed", "err", err)
		}
		if _, err := uploads.Sweep(ctx, api.UploadIdle); err != nil && ctx.Err() == nil {
			slog.Warn("resumable upload sweep failed", "err", err)
		}
	}
}
