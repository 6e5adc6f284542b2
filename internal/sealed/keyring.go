// Package sealed keeps the organisation's keyring and seals record fields
// with per-record envelope encryption.
//
// The organisation key is an age X25519 identity whose secret lives only in
// a file encrypted with the organisation passphrase (dir/org-<keyid>.age);
// the database holds public keys (org_keys) and, per record, a random data
// key age-encrypted to every active recipient (data_keys): the org key and,
// if there is one, the offline recovery key. Fields are sealed with the
// record's data key (see Envelope).
//
// Invariant: no secret — identity, data key, passphrase or plaintext — is
// ever written to the database, a log or an error, and every data key is
// wrapped to exactly the active recipients listed in its key_ids.
package sealed

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"filippo.io/age"
	"github.com/tawthiq/tawthiq/internal/sqldb"
)

// Querier runs a $N-style query for one row: a *sqldb.DB or a *sqldb.Tx.
type Querier interface {
	QueryRow(ctx context.Context, q string, args ...any) *sql.Row
}

// keyRef is a public key row: its id and its "age1…" recipient.
type keyRef struct{ id, pub string }

func keyIDOf(recipient string) string {
	sum := sha256.Sum256([]byte(recipient))
	return hex.EncodeToString(sum[:8])
}

func refOf(id *age.X25519Identity) keyRef {
	pub := id.Recipient().String()
	return keyRef{id: keyIDOf(pub), pub: pub}
}

// Keyring is the organisation's keys as one process sees them. It is safe
// for concurrent use.
//
// Lock order: keyMu, then the database writer, then mu. Seal runs inside
// the caller's write transaction and takes mu, so nothing may wait for the
// writer while holding mu.
type Keyring struct {
	dir string

	// keyMu serialises the operations that replace keys or the key file.
	keyMu sync.Mutex

	mu       sync.RWMutex
	org      keyRef
	recovery *keyRef
	id       *age.X25519Identity // nil while locked
}

// Create makes the organisation key, stores its secret in dir encrypted
// with the passphrase and its public key in the database, and returns the
// keyring unlocked. ErrExists if an org key is already active.
func Create(ctx context.Context, db *sqldb.DB, dir string, passphrase []byte) (*Keyring, error) {
	if err := checkPassphrase(passphrase); err != nil {
		return nil, err
	}
	if org, _, err := activeKeys(ctx, db); err != nil {
		return nil, err
	} else if org != nil {
		return nil, ErrExists
	}
	id, err := age.GenerateX25519Identity()
	if err != nil {
		return nil, fmt.Errorf("sealed: generate key: %w", err)
	}
	ref := refOf(id)
	path, err := writeKeyFile(dir, id, passphrase)
	if err != nil {
		return nil, err
	}
	var rec *keyRef
	err = db.WriteTx(ctx, func(tx *sqldb.Tx) error {
		org, r, err := activeKeys(ctx, tx)
		if err != nil {
			return err
		}
		if org != nil {
			return ErrExists
		}
		rec = r
		return insertKey(ctx, tx, ref, "org", time.Now())
	})
	if err != nil {
		return nil, errors.Join(err, removeNew(path))
	}
	return &Keyring{dir: dir, org: ref, recovery: rec, id: id}, nil
}

// Load reads the active keys from the database and returns the keyring
// locked. ErrNoKey if there is no org key.
func Load(ctx context.Context, db *sqldb.DB, dir string) (*Keyring, error) {
	org, rec, err := activeKeys(ctx, db)
	if err != nil {
		return nil, err
	}
	if org == nil {
		return nil, ErrNoKey
	}
	return &Keyring{dir: dir, org: *org, recovery: rec}, nil
}

// Unlock decrypts the org key file with the passphrase: ErrWrongPassphrase,
// or ErrKeyFile (naming the file) if it is missing or damaged.
func (k *Keyring) Unlock(passphrase []byte) error {
	k.keyMu.Lock()
	defer k.keyMu.Unlock()
	org := k.orgRef()
	id, err := readKeyFile(keyFilePath(k.dir, org.id), passphrase, org.pub)
	if err != nil {
		return err
	}
	k.mu.Lock()
	k.id = id
	k.mu.Unlock()
	return nil
}

// Lock forgets the org identity; Seal still works for new records.
func (k *Keyring) Lock() {
	k.mu.Lock()
	k.id = nil
	k.mu.Unlock()
}

// Locked reports whether the org identity is unavailable.
func (k *Keyring) Locked() bool {
	k.mu.RLock()
	defer k.mu.RUnlock()
	return k.id == nil
}

// PublicKey is the active org recipient, "age1…": what reporters encrypt
// sealed bundles to.
func (k *Keyring) PublicKey() string { return k.orgRef().pub }

// KeyID is the id of the active org key.
func (k *Keyring) KeyID() string { return k.orgRef().id }

// Recipients lists the active public keys: the org key, then the recovery
// key if there is one.
func (k *Keyring) Recipients() []string {
	k.mu.RLock()
	defer k.mu.RUnlock()
	out := []string{k.org.pub}
	if k.recovery != nil {
		out = append(out, k.recovery.pub)
	}
	return out
}

func (k *Keyring) orgRef() keyRef {
	k.mu.RLock()
	defer k.mu.RUnlock()
	return k.org
}

// identity is the unlocked org identity and its key id, or ErrLocked.
func (k *Keyring) identity() (*age.X25519Identity, keyRef, error) {
	k.mu.RLock()
	defer k.mu.RUnlock()
	if k.id == nil {
		return nil, keyRef{}, ErrLocked
	}
	return k.id, k.org, nil
}

// ChangePassphrase re-encrypts the org key file with a new passphrase,
// after checking the old one (ErrWrongPassphrase). It works locked or not
// and leaves the keyring as it was.
func (k *Keyring) ChangePassphrase(oldPassphrase, newPassphrase []byte) error {
	if err := checkPassphrase(newPassphrase); err != nil {
		return err
	}
	k.keyMu.Lock()
	defer k.keyMu.Unlock()
	org := k.orgRef()
	id, err := readKeyFile(keyFilePath(k.dir, org.id), oldPassphrase, org.pub)
	if err != nil {
		return err
	}
	_, err = writeKeyFile(k.dir, id, newPassphrase)
	return err
}

// Decrypt opens an age file encrypted to the org public key (a sealed
// bundle from a reporter). ErrLocked while locked.
func (k *Keyring) Decrypt(r io.Reader) (io.Reader, error) {
	id, _, err := k.identity()
	if err != nil {
		return nil, err
	}
	out, err := age.Decrypt(r, id)
	if err != nil {
		return nil, fmt.Errorf("sealed: decrypt: %w", err)
	}
	return out, nil
}

// ParseRecipient parses an age X25519 public key ("age1…"), or returns
// ErrBadRecipient.
func ParseRecipient(s string) (age.Recipient, error) {
	r, err := age.ParseX25519Recipient(s)
	if err != nil {
		return nil, ErrBadRecipient
	}
	return r, nil
}

// activeKeys reads the active org and recovery keys; either may be nil.
func activeKeys(ctx context.Context, q Querier) (org, rec *keyRef, err error) {
	get := func(kind string) (*keyRef, error) {
		var r keyRef
		err := q.QueryRow(ctx, `SELECT id, public_key FROM org_keys
			WHERE kind = $1 AND retired_at IS NULL`, kind).Scan(&r.id, &r.pub)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, nil
		}
		if err != nil {
			return nil, fmt.Errorf("sealed: read %s key: %w", kind, err)
		}
		return &r, nil
	}
	if org, err = get("org"); err != nil {
		return nil, nil, err
	}
	if rec, err = get("recovery"); err != nil {
		return nil, nil, err
	}
	return org, rec, nil
}

func insertKey(ctx context.Context, tx *sqldb.Tx, ref keyRef, kind string, now time.Time) error {
	_, err := tx.Exec(ctx, `INSERT INTO org_keys (id, public_key, kind, created_at) VALUES ($1, $2, $3, $4)`,
		ref.id, ref.pub, kind, stamp(now))
	if err != nil {
		return fmt.Errorf("sealed: insert %s key %s: %w", kind, ref.id, err)
	}
	return nil
}

func retireKey(ctx context.Context, tx *sqldb.Tx, keyID string, now time.Time) error {
	_, err := tx.Exec(ctx, `UPDATE org_keys SET retired_at = $1 WHERE id = $2`, stamp(now), keyID)
	if err != nil {
		return fmt.Errorf("sealed: retire key %s: %w", keyID, err)
	}
	return nil
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }
