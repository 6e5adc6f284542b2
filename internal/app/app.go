// Package app wires Tawthiq together by hand: configuration → database →
// vocabularies → record store and service → HTTP. Nothing else imports it
// but the command.
package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/tawthiq/tawthiq/internal/auditlog"
	"github.com/tawthiq/tawthiq/internal/auth"
	blobfs "github.com/tawthiq/tawthiq/internal/blobstore/fs"
	"github.com/tawthiq/tawthiq/internal/evidence"
	"github.com/tawthiq/tawthiq/internal/extract"
	"github.com/tawthiq/tawthiq/internal/ledger"
	"github.com/tawthiq/tawthiq/internal/places"
	"github.com/tawthiq/tawthiq/internal/record"
	"github.com/tawthiq/tawthiq/internal/search"
	"github.com/tawthiq/tawthiq/internal/sqldb"
	"github.com/tawthiq/tawthiq/internal/vault"
	"github.com/tawthiq/tawthiq/internal/vocab"
)

// Files and folders inside the data folder besides the database.
const (
	// KeyFile holds the ledger's private signing key (mode 0600). Losing it
	// means new checkpoints need a new key; leaking it lets others sign
	// checkpoints in the log's name. Back it up apart from the data.
	KeyFile = "ledger.key"
	// PubFile holds the public verifier key to publish, so anyone can
	// check checkpoints and evidence packages.
	PubFile = "ledger.pub"
	// VaultDir holds originals by SHA-256; StagingDir uploads in progress
	// (same filesystem, so a finished upload is linked, not copied).
	VaultDir   = "vault"
	StagingDir = "staging"
)

// DefaultMaxUpload is the largest evidence file accepted unless configured
// otherwise: long videos fit.
const DefaultMaxUpload = 4 << 30

// PasswordParams are the argon2id costs of new password hashes (tests
// lower them; a hash keeps its own costs, and a sign-in with older costs
// rehashes with these).
var PasswordParams = auth.DefaultParams

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
	Ledger  *ledger.Log
	Vault   *vault.Vault
	// Evidence stores files attached to reports with their custody.
	Evidence *evidence.Service
	// KeyCreated: Init made a new ledger key (publish its public key).
	KeyCreated bool
	// Search is the full-text index of reports and incidents.
	Search *search.SQLite
	// Extractor proposes facts from reports; proposals are stored on
	// every report revision.
	Extractor *extract.Extractor
	// Accounts are the users, their sessions and API tokens; AuditLog
	// records sign-ins, sealed reads, exports and account changes.
	Accounts *auth.Service
	AuditLog *auditlog.Log
	// keys is the organisation keyring that seals and opens sealed
	// fields (nil until one is set up: tawthiq key init).
	keys *keyring
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
	return InitWith(ctx, dir, Options{})
}

// Options are the choices init makes once.
type Options struct {
	// Origin names the ledger in its checkpoints, a schema-less URL such as
	// "rights-group.example/tawthiq". Default: "tawthiq.local/" and the
	// data folder's random key id.
	Origin string
	// NewLedgerKey allows a new key for a ledger that already has
	// entries or checkpoints, when its key is lost. It forks the log's
	// identity: every published key stops matching. Never by default.
	NewLedgerKey bool
}

// ErrKeyLost means the ledger has entries but its signing key is gone.
var ErrKeyLost = errors.New("the ledger's signing key is missing")

// InitWith is Init with options. A data folder that already has its
// ledger key keeps it: Origin only applies to a new key.
func InitWith(ctx context.Context, dir string, o Options) (a *App, created bool, err error) {
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
	keyCreated, err := ensureKey(ctx, db, dir, o)
	if err != nil {
		db.Close()
		return nil, false, err
	}
	a, err = assemble(dir, db)
	if err != nil {
		return nil, false, err
	}
	if err := a.backfillLedger(ctx); err != nil {
		a.Close()
		return nil, false, err
	}
	if err := a.backfillSearch(ctx); err != nil {
		a.Close()
		return nil, false, err
	}
	if _, err := a.SeedActors(ctx); err != nil {
		a.Close()
		return nil, false, err
	}
	a.KeyCreated = keyCreated
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
	a, err := assemble(dir, db)
	if err != nil {
		return nil, err
	}
	if err := a.backfillSearch(ctx); err != nil {
		a.Close()
		return nil, err
	}
	return a, nil
}

// backfillSearch fills an empty search index when the store has reports
// or incidents: a data folder from before search existed.
func (a *App) backfillSearch(ctx context.Context) error {
	var docs, recs bool
	if err := a.DB.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM search_docs),
		EXISTS (SELECT 1 FROM records WHERE type IN ('report', 'incident') AND retracted = 0)`).Scan(&docs, &recs); err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	if !docs && recs {
		if _, err := search.Reindex(ctx, a.DB, a.Search, places.Ancestors); err != nil {
			return err
		}
	}
	var extracted, reports bool
	if err := a.DB.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM report_extractions),
		EXISTS (SELECT 1 FROM records WHERE type = 'report' AND retracted = 0)`).Scan(&extracted, &reports); err != nil {
		return fmt.Errorf("extractions: %w", err)
	}
	if !extracted && reports {
		if _, err := a.Extractor.Recompute(ctx, a.DB); err != nil {
			return err
		}
	}
	return nil
}

// Reindex rebuilds the search index from the records and extracts every
// report again. It returns the documents indexed and reports extracted.
func (a *App) Reindex(ctx context.Context) (indexed, extracted int, err error) {
	if indexed, err = search.Reindex(ctx, a.DB, a.Search, places.Ancestors); err != nil {
		return 0, 0, err
	}
	extracted, err = a.Extractor.Recompute(ctx, a.DB)
	return indexed, extracted, err
}

func assemble(dir string, db *sqldb.DB) (*App, error) {
	fail := func(err error) (*App, error) {
		db.Close()
		return nil, err
	}
	vs, err := vocab.Load()
	if err != nil {
		return fail(err)
	}
	skey, err := os.ReadFile(filepath.Join(dir, KeyFile))
	if errors.Is(err, fs.ErrNotExist) {
		return fail(fmt.Errorf("%w: %s has no ledger key (run: tawthiq init --data %s)", ErrNotInitialised, dir, dir))
	}
	if err != nil {
		return fail(fmt.Errorf("ledger key: %w", err))
	}
	log, err := ledger.New(db, strings.TrimSpace(string(skey)))
	if err != nil {
		return fail(fmt.Errorf("ledger key %s: %w", filepath.Join(dir, KeyFile), err))
	}
	blobs, err := blobfs.New(filepath.Join(dir, VaultDir))
	if err != nil {
		return fail(err)
	}
	v := vault.New(blobs, filepath.Join(dir, StagingDir), DefaultMaxUpload)
	store := record.NewStore(db)
	idx := search.NewSQLite(db)
	ex := extract.New(vs)
	keys := &keyring{db: db}
	svc := record.NewService(db, vs, record.WithHook(log.Hook()), record.WithHook(search.Hook(idx, places.Ancestors)),
		record.WithHook(extract.Hook(ex)), record.WithSealer(keys))
	audit := auditlog.New(db, log)
	a := &App{
		DataDir:   dir,
		DB:        db,
		Vocab:     vs,
		Store:     store,
		Service:   svc,
		Ledger:    log,
		Vault:     v,
		Evidence:  evidence.New(db, svc, store, v, log),
		Search:    idx,
		Extractor: ex,
		Accounts:  auth.New(db, auth.Options{Audit: audit, Params: PasswordParams}),
		AuditLog:  audit,
		keys:      keys,
	}
	if err := a.loadKeyring(context.Background()); err != nil {
		return fail(fmt.Errorf("organisation key: %w", err))
	}
	return a, nil
}

// SetMaxUpload sets the largest evidence file accepted, in bytes.
func (a *App) SetMaxUpload(n int64) {
	a.Vault = vault.New(a.Vault.Blobs(), filepath.Join(a.DataDir, StagingDir), n)
	a.Evidence = evidence.New(a.DB, a.Service, a.Store, a.Vault, a.Ledger)
}

// ensureKey makes the ledger key pair unless the folder has one, and
// reports whether it did. A ledger that already has entries or
// checkpoints keeps the key that signed them: a missing key there is
// ErrKeyLost unless o.NewLedgerKey says to start a new identity.
func ensureKey(ctx context.Context, db *sqldb.DB, dir string, o Options) (bool, error) {
	path := filepath.Join(dir, KeyFile)
	if _, err := os.Stat(path); err == nil {
		return false, nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return false, fmt.Errorf("ledger key: %w", err)
	}
	var used bool
	if err := db.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM ledger_leaves) OR EXISTS (SELECT 1 FROM ledger_checkpoints)`).Scan(&used); err != nil {
		return false, fmt.Errorf("ledger key: %w", err)
	}
	if used && !o.NewLedgerKey {
		return false, fmt.Errorf("%w: %s has ledger entries but no %s; restore the key from its backup (a new key would give the log another identity; init --new-ledger-key does that knowingly)",
			ErrKeyLost, dir, KeyFile)
	}
	origin := o.Origin
	if origin == "" {
		var b [6]byte
		if _, err := rand.Read(b[:]); err != nil {
			return false, err
		}
		origin = "tawthiq.local/" + hex.EncodeToString(b[:])
	}
	skey, vkey, err := ledger.GenerateKey(origin)
	if err != nil {
		return false, err
	}
	// The secret goes to a new temporary file (created 0600 by
	// CreateTemp), synced, then linked to its name, which must not exist:
	// a crash leaves no key or a whole one, never a readable secret.
	f, err := os.CreateTemp(dir, ".ledger-key-*")
	if err != nil {
		return false, fmt.Errorf("ledger key: %w", err)
	}
	tmp := f.Name()
	defer os.Remove(tmp)
	_, werr := f.WriteString(skey + "\n")
	serr := f.Sync()
	cerr := f.Close()
	if err := errors.Join(werr, serr, cerr); err != nil {
		return false, fmt.Errorf("ledger key: %w", err)
	}
	if err := os.Link(tmp, path); err != nil {
		return false, fmt.Errorf("ledger key: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, PubFile), []byte(vkey+"\n"), 0o644); err != nil {
		return false, fmt.Errorf("ledger key: %w", err)
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return true, nil
}

// backfillLedger attests revisions written before the ledger existed (a
// data folder made by an earlier version): once, in revision order, in one
// transaction. A folder whose ledger already has entries is left alone.
func (a *App) backfillLedger(ctx context.Context) error {
	// Only a folder that never had a ledger: an emptied ledger with
	// checkpoints or custody must not be rebuilt over whatever is there.
	var used bool
	if err := a.DB.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM ledger_leaves) OR EXISTS (SELECT 1 FROM ledger_checkpoints)
		OR EXISTS (SELECT 1 FROM custody_events)`).Scan(&used); err != nil || used {
		return err
	}
	return a.DB.WriteTx(ctx, func(tx *sqldb.Tx) error {
		revs, err := a.Store.AllRevisions(ctx, tx)
		if err != nil {
			return err
		}
		for i := range revs {
			if _, err := a.Ledger.Append(ctx, tx, ledger.RevisionLeaf(&revs[i])); err != nil {
				return err
			}
		}
		return nil
	})
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
