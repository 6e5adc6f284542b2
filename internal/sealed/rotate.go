package sealed

import (
	"context"
	"errors"
	"fmt"
	"time"

	"filippo.io/age"
	"github.com/tawthiq/tawthiq/internal/sqldb"
)

// Rotate replaces the org key: a new identity in a new key file under
// newPassphrase, every data key re-wrapped to it and the active recovery
// key, and the old org key retired, all in one transaction. The old key
// file is removed only after the commit; if anything before fails, nothing
// has changed. The keyring stays unlocked with the new identity.
//
// An error with a non-empty newKeyID means the rotation took effect but
// the old key file could not be removed: remove it by hand.
func (k *Keyring) Rotate(ctx context.Context, db *sqldb.DB, newPassphrase []byte) (newKeyID string, rewrapped int, err error) {
	if err := checkPassphrase(newPassphrase); err != nil {
		return "", 0, err
	}
	k.keyMu.Lock()
	defer k.keyMu.Unlock()
	oldID, old, err := k.identity()
	if err != nil {
		return "", 0, err
	}
	newID, ref, path, err := newOrgKey(k.dir, newPassphrase)
	if err != nil {
		return "", 0, err
	}
	var rec *keyRef
	err = k.writeAndSwap(ctx, db, func(tx *sqldb.Tx) error {
		org, r, err := activeKeys(ctx, tx)
		if err != nil {
			return err
		}
		if org == nil || org.id != old.id {
			return fmt.Errorf("%w: key %s is no longer active", ErrStale, old.id)
		}
		rec = r
		now := time.Now()
		if rewrapped, err = rewrapAll(ctx, tx, oldID, ErrStale, withRecovery(ref, rec), now); err != nil {
			return err
		}
		if err := retireKey(ctx, tx, old.id, now); err != nil {
			return err
		}
		return insertKey(ctx, tx, ref, "org", now)
	}, func() { k.org, k.recovery, k.id = ref, rec, newID })
	if err != nil {
		return "", 0, errors.Join(err, removeNew(path))
	}
	if err := removeKeyFile(k.dir, old.id); err != nil {
		return ref.id, rewrapped, fmt.Errorf("sealed: key rotated to %s, but: %w", ref.id, err)
	}
	return ref.id, rewrapped, nil
}

// AddRecovery makes a new recovery key, retires any previous one and
// re-wraps every data key to the org key and the new recovery key, in one
// transaction. It returns the recovery secret ("AGE-SECRET-KEY-1…") for
// the caller to hand over once to its custodians: it is never stored.
func (k *Keyring) AddRecovery(ctx context.Context, db *sqldb.DB) (recoveryIdentity string, err error) {
	k.keyMu.Lock()
	defer k.keyMu.Unlock()
	id, org, err := k.identity()
	if err != nil {
		return "", err
	}
	rid, err := age.GenerateX25519Identity()
	if err != nil {
		return "", fmt.Errorf("sealed: generate recovery key: %w", err)
	}
	rref := refOf(rid)
	err = k.writeAndSwap(ctx, db, func(tx *sqldb.Tx) error {
		active, rec, err := activeKeys(ctx, tx)
		if err != nil {
			return err
		}
		if active == nil || active.id != org.id {
			return fmt.Errorf("%w: key %s is no longer active", ErrStale, org.id)
		}
		now := time.Now()
		if rec != nil {
			if err := retireKey(ctx, tx, rec.id, now); err != nil {
				return err
			}
		}
		if err := insertKey(ctx, tx, rref, "recovery", now); err != nil {
			return err
		}
		_, err = rewrapAll(ctx, tx, id, ErrStale, []keyRef{org, rref}, now)
		return err
	}, func() { k.recovery = &rref })
	if err != nil {
		return "", err
	}
	return rid.String(), nil
}

// Recover replaces a lost org key with the recovery key: it unwraps every
// data key with recoveryIdentity (ErrWrongRecoveryKey if it is malformed,
// not the active recovery key, or cannot open one), makes a new org key
// under newPassphrase, re-wraps everything to it and the same recovery key
// and retires the old org key, in one transaction; the old key file is
// removed after the commit. It returns the new keyring, unlocked.
//
// An error with a non-nil keyring means recovery took effect but the old
// key file could not be removed: remove it by hand.
func Recover(ctx context.Context, db *sqldb.DB, dir string, recoveryIdentity string, newPassphrase []byte) (*Keyring, error) {
	if err := checkPassphrase(newPassphrase); err != nil {
		return nil, err
	}
	rid, err := parseIdentityText([]byte(recoveryIdentity))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrWrongRecoveryKey, err)
	}
	rref := refOf(rid)
	isActive := func(q Querier) (*keyRef, error) {
		org, rec, err := activeKeys(ctx, q)
		if err != nil {
			return nil, err
		}
		if rec == nil || rec.pub != rref.pub {
			return nil, fmt.Errorf("%w: it is not the active recovery key", ErrWrongRecoveryKey)
		}
		return org, nil
	}
	if _, err := isActive(db); err != nil {
		return nil, err
	}
	newID, ref, path, err := newOrgKey(dir, newPassphrase)
	if err != nil {
		return nil, err
	}
	var old *keyRef
	err = db.WriteTx(ctx, func(tx *sqldb.Tx) error {
		org, err := isActive(tx)
		if err != nil {
			return err
		}
		old = org
		now := time.Now()
		if _, err := rewrapAll(ctx, tx, rid, ErrWrongRecoveryKey, []keyRef{ref, rref}, now); err != nil {
			return err
		}
		if old != nil {
			if err := retireKey(ctx, tx, old.id, now); err != nil {
				return err
			}
		}
		return insertKey(ctx, tx, ref, "org", now)
	})
	if err != nil {
		return nil, errors.Join(err, removeNew(path))
	}
	k := &Keyring{dir: dir, org: ref, recovery: &rref, id: newID}
	if old != nil {
		if err := removeKeyFile(dir, old.id); err != nil {
			return k, fmt.Errorf("sealed: recovered to key %s, but: %w", ref.id, err)
		}
	}
	return k, nil
}

// newOrgKey makes an org identity and writes its key file.
func newOrgKey(dir string, passphrase []byte) (*age.X25519Identity, keyRef, string, error) {
	id, err := age.GenerateX25519Identity()
	if err != nil {
		return nil, keyRef{}, "", fmt.Errorf("sealed: generate key: %w", err)
	}
	path, err := writeKeyFile(dir, id, passphrase)
	if err != nil {
		return nil, keyRef{}, "", err
	}
	return id, refOf(id), path, nil
}

func withRecovery(org keyRef, rec *keyRef) []keyRef {
	if rec == nil {
		return []keyRef{org}
	}
	return []keyRef{org, *rec}
}

// writeAndSwap runs fn in a write transaction and, if it commits, swap
// under k.mu. k.mu is taken after fn, just before the commit, and held
// until swap has run: Seal and Open hold k.mu for reading while they read
// and unwrap a data key, so none sees the new rows with the old identity.
// fn itself runs without k.mu, because Seal takes k.mu while holding the
// writer.
func (k *Keyring) writeAndSwap(ctx context.Context, db *sqldb.DB, fn func(*sqldb.Tx) error, swap func()) error {
	held := false
	err := db.WriteTx(ctx, func(tx *sqldb.Tx) error {
		if err := fn(tx); err != nil {
			return err
		}
		k.mu.Lock()
		held = true
		return nil
	})
	if err == nil {
		swap()
	}
	if held {
		k.mu.Unlock()
	}
	return err
}

// rewrapAll re-wraps every data key, unwrapped with from, to the
// recipients, in pages so memory stays flat. A key that from cannot open
// fails the whole transaction with notFor. It returns how many it did.
func rewrapAll(ctx context.Context, tx *sqldb.Tx, from age.Identity, notFor error, to []keyRef, now time.Time) (int, error) {
	const page = 256
	type row struct {
		id      string
		wrapped []byte
	}
	ids, at := joinIDs(to), stamp(now)
	n, last := 0, ""
	for {
		rows, err := tx.Query(ctx, `SELECT record_id, wrapped FROM data_keys
			WHERE record_id > $1 ORDER BY record_id LIMIT $2`, last, page)
		if err != nil {
			return n, fmt.Errorf("sealed: read data keys: %w", err)
		}
		var batch []row
		for rows.Next() {
			var r row
			if err := rows.Scan(&r.id, &r.wrapped); err != nil {
				rows.Close()
				return n, fmt.Errorf("sealed: read data keys: %w", err)
			}
			batch = append(batch, r)
		}
		if err := errors.Join(rows.Err(), rows.Close()); err != nil {
			return n, fmt.Errorf("sealed: read data keys: %w", err)
		}
		if len(batch) == 0 {
			return n, nil
		}
		for _, r := range batch {
			dk, err := unwrapDataKey(r.wrapped, from)
			if errors.Is(err, age.ErrIncorrectIdentity) {
				return n, fmt.Errorf("%w: data key of %s does not open with it", notFor, r.id)
			}
			if err != nil {
				return n, fmt.Errorf("sealed: data key of %s: %w", r.id, err)
			}
			wrapped, err := wrapDataKey(dk, to)
			clear(dk)
			if err != nil {
				return n, fmt.Errorf("sealed: rewrap data key of %s: %w", r.id, err)
			}
			if _, err := tx.Exec(ctx, `UPDATE data_keys SET wrapped = $1, key_ids = $2, updated_at = $3
				WHERE record_id = $4`, wrapped, ids, at, r.id); err != nil {
				return n, fmt.Errorf("sealed: rewrap data key of %s: %w", r.id, err)
			}
			n++
		}
		last = batch[len(batch)-1].id
	}
}
