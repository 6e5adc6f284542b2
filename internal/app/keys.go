package app

import (
	"context"
	"errors"
	"path/filepath"
	"sync"

	"github.com/tawthiq/tawthiq/internal/auditlog"
	"github.com/tawthiq/tawthiq/internal/record"
	"github.com/tawthiq/tawthiq/internal/sealed"
	"github.com/tawthiq/tawthiq/internal/sqldb"
)

// KeysDir, inside the data folder, holds the organisation key's secret,
// encrypted with its passphrase (internal/sealed). Back it up apart from
// the data, with the passphrase kept elsewhere again.
const KeysDir = "keys"

// keyring holds the organisation keyring once loaded: the record service
// seals and opens through it, so a key made or unlocked after the app is
// open is used from then on.
type keyring struct {
	mu sync.RWMutex
	k  *sealed.Keyring
	db *sqldb.DB
}

func (h *keyring) get() *sealed.Keyring {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return h.k
}

func (h *keyring) set(k *sealed.Keyring) {
	h.mu.Lock()
	h.k = k
	h.mu.Unlock()
}

// Seal implements record.Sealer.
func (h *keyring) Seal(ctx context.Context, tx *sqldb.Tx, id string, plaintext []byte) (*record.Sealed, error) {
	k := h.get()
	if k == nil {
		return nil, record.ErrNoSealer
	}
	env, err := k.Seal(ctx, tx, id, plaintext)
	if err != nil {
		return nil, sealError(err)
	}
	return &record.Sealed{V: env.V, Alg: env.Alg, Nonce: env.Nonce, CT: env.CT}, nil
}

// Open implements record.Sealer.
func (h *keyring) Open(ctx context.Context, id string, s *record.Sealed) ([]byte, error) {
	k := h.get()
	if k == nil {
		return nil, record.ErrNoSealer
	}
	plain, err := k.Open(ctx, h.db, id, &sealed.Envelope{V: s.V, Alg: s.Alg, Nonce: s.Nonce, CT: s.CT})
	if err != nil {
		return nil, sealError(err)
	}
	return plain, nil
}

// sealError maps the keyring's failures onto the record package's.
func sealError(err error) error {
	switch {
	case errors.Is(err, sealed.ErrLocked):
		return errors.Join(record.ErrSealedLocked, err)
	case errors.Is(err, sealed.ErrTampered), errors.Is(err, sealed.ErrNoDataKey):
		return errors.Join(record.ErrSealedDamaged, err)
	}
	return err
}

// KeyDir is where the organisation key's files are.
func (a *App) KeyDir() string { return filepath.Join(a.DataDir, KeysDir) }

// Keyring is the organisation keyring, nil when none was set up.
func (a *App) Keyring() *sealed.Keyring { return a.keys.get() }

// loadKeyring loads the organisation keyring, locked, if there is one.
func (a *App) loadKeyring(ctx context.Context) error {
	k, err := sealed.Load(ctx, a.DB, a.KeyDir())
	if errors.Is(err, sealed.ErrNoKey) {
		return nil
	}
	if err != nil {
		return err
	}
	a.keys.set(k)
	return nil
}

// CreateKey makes the organisation key, protected by passphrase; the
// keyring is left unlocked.
func (a *App) CreateKey(ctx context.Context, passphrase []byte) (*sealed.Keyring, error) {
	k, err := sealed.Create(ctx, a.DB, a.KeyDir(), passphrase)
	if err != nil {
		return nil, err
	}
	a.keys.set(k)
	return k, nil
}

// Unlock unlocks the organisation keyring with its passphrase.
func (a *App) Unlock(passphrase []byte) error {
	k := a.keys.get()
	if k == nil {
		return sealed.ErrNoKey
	}
	return k.Unlock(passphrase)
}

// RecoverKey replaces a lost organisation key with the recovery key,
// under a new passphrase.
func (a *App) RecoverKey(ctx context.Context, recoveryIdentity string, passphrase []byte) (*sealed.Keyring, error) {
	k, err := sealed.Recover(ctx, a.DB, a.KeyDir(), recoveryIdentity, passphrase)
	if err != nil {
		return nil, err
	}
	a.keys.set(k)
	return k, nil
}

// AuditSystem records what a command run on the server did.
func (a *App) AuditSystem(ctx context.Context, e auditlog.Event) error {
	if e.Actor == "" {
		e.Actor = SystemAuthor
	}
	if e.Outcome == "" {
		e.Outcome = auditlog.OutcomeOK
	}
	return a.AuditLog.Record(ctx, nil, e)
}
