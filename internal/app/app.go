// Package app wires Tawthiq together by hand: configuration → database →
// vocabularies → record store and service → HTTP. Nothing else imports it
// but the command.
package app

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"

	"github.com/tawthiq/tawthiq/internal/record"
	"github.com/tawthiq/tawthiq/internal/sqldb"
	"github.com/tawthiq/tawthiq/internal/vocab"
)

// DBFile is the embedded database's name inside the data folder.
const DBFile = "tawthiq.db"

// ErrNotInitialised means the data folder has no database: run init.
var ErrNotInitialised = errors.New("data folder not initialised")

// App is an open installation.
type App struct {
	DataDir string
	DB      *sqldb.DB
	Vocab   *vocab.Set
	Store   *record.Store
	Service *record.Service
}

// DefaultDataDir is where data lives unless --data or TAWTHIQ_DATA says
// otherwise: the per-user data folder of the platform.
func DefaultDataDir() string {
	if d := os.Getenv("TAWTHIQ_DATA"); d != "" {
		return d
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "tawthiq-data"
	}
	switch runtime.GOOS {
	case "windows":
		if d := os.Getenv("LOCALAPPDATA"); d != "" {
			return filepath.Join(d, "Tawthiq")
		}
	case "darwin":
		return filepath.Join(home, "Library", "Application Support", "Tawthiq")
	}
	if d := os.Getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "tawthiq")
	}
	return filepath.Join(home, ".local", "share", "tawthiq")
}

// Init creates the data folder and its database if needed, and seeds the
// actors shipped as data. Running it again changes nothing already stored.
// created reports whether the database was new.
func Init(ctx context.Context, dir string) (a *App, created bool, err error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, false, fmt.Errorf("create data folder: %w", err)
	}
	path := filepath.Join(dir, DBFile)
	_, statErr := os.Stat(path)
	created = errors.Is(statErr, fs.ErrNotExist)
	db, err := sqldb.CreateSQLite(ctx, path)
	if err != nil {
		return nil, false, err
	}
	a, err = assemble(dir, db)
	if err != nil {
		return nil, false, err
	}
	if _, err := a.SeedActors(ctx); err != nil {
		a.Close()
		return nil, false, err
	}
	return a, created, nil
}

// Open opens an initialised data folder.
func Open(ctx context.Context, dir string) (*App, error) {
	db, err := sqldb.OpenSQLite(ctx, filepath.Join(dir, DBFile))
	if errors.Is(err, sqldb.ErrNotInitialised) {
		return nil, fmt.Errorf("%w: %s (run: tawthiq init --data %s)", ErrNotInitialised, dir, dir)
	}
	if err != nil {
		return nil, err
	}
	return assemble(dir, db)
}

func assemble(dir string, db *sqldb.DB) (*App, error) {
	vs, err := vocab.Load()
	if err != nil {
		db.Close()
		return nil, err
	}
	return &App{
		DataDir: dir,
		DB:      db,
		Vocab:   vs,
		Store:   record.NewStore(db),
		Service: record.NewService(db, vs),
	}, nil
}

// Close releases the database.
func (a *App) Close() error { return a.DB.Close() }

// SystemAuthor is the author of changes the program makes by itself.
const SystemAuthor = "system"

// SeedActors creates an actor record for every actor in the vocabulary that
// has none yet, with the actor's code as its id. It returns how many it
// created.
func (a *App) SeedActors(ctx context.Context) (int, error) {
	var changes []record.Change
	for _, act := range a.Vocab.Actors() {
		_, err := a.Store.Get(ctx, act.Code)
		if err == nil {
			continue
		}
		if !errors.Is(err, record.ErrNotFound) {
			return 0, err
		}
		changes = append(changes, record.Change{Action: record.ActionCreate, ID: act.Code, Body: &record.Actor{
			Code: act.Code, NameAR: act.Labels.AR, NameEN: act.Labels.EN,
			AliasesAR: act.Aliases.AR, AliasesEN: act.Aliases.EN,
			Category: act.Category, ParentID: act.Parent, External: act.External,
		}})
	}
	if len(changes) == 0 {
		return 0, nil
	}
	// Parents first, so a child's reference resolves inside the batch.
	ordered := make([]record.Change, 0, len(changes))
	for _, c := range changes {
		if c.Body.(*record.Actor).ParentID == "" {
			ordered = append(ordered, c)
		}
	}
	for _, c := range changes {
		if c.Body.(*record.Actor).ParentID != "" {
			ordered = append(ordered, c)
		}
	}
	_, err := a.Service.Apply(ctx, record.Meta{Author: SystemAuthor,
		Reason: "seeded from the actors vocabulary " + a.Vocab.Version()}, ordered)
	if err != nil {
		return 0, fmt.Errorf("seed actors: %w", err)
	}
	return len(ordered), nil
}
