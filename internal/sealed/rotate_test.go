package sealed

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"filippo.io/age"
	"github.com/tawthiq/tawthiq/internal/sqldb"
)

func TestRotate(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	k := f.create(t)
	if _, err := k.AddRecovery(ctx, f.db); err != nil {
		t.Fatal(err)
	}
	envs := map[string]*Envelope{}
	for i := range 300 { // more than one page of rewrapAll
		id := fmt.Sprintf("rec-%03d", i)
		envs[id] = f.seal(t, k, id, "field of "+id)
	}
	oldID, oldKeyID := k.id, k.KeyID()
	recID := strings.Split(keyIDsOf(t, f, "rec-000"), ",")[1]

	newKeyID, n, err := k.Rotate(ctx, f.db, newPass)
	if err != nil {
		t.Fatal(err)
	}
	if n != 300 || newKeyID == oldKeyID || k.KeyID() != newKeyID || k.Locked() {
		t.Fatalf("Rotate = %s, %d; keyring %s locked %v", newKeyID, n, k.KeyID(), k.Locked())
	}
	for id, env := range envs {
		mustOpen(t, k, f.db, id, env, "field of "+id)
		if got := keyIDsOf(t, f, id); got != newKeyID+","+recID {
			t.Fatalf("%s key_ids %s", id, got)
		}
	}
	if got := f.files(t); !slices.Equal(got, []string{"org-" + newKeyID + ".age"}) {
		t.Fatalf("key dir holds %v", got)
	}
	for id, w := range f.wrappedKeys(t) {
		if _, err := unwrapDataKey(w, oldID); !errors.Is(err, age.ErrIncorrectIdentity) {
			t.Fatalf("old identity still unwraps %s: %v", id, err)
		}
	}
	var retired int
	f.db.QueryRow(ctx, `SELECT count(*) FROM org_keys WHERE id = $1 AND retired_at IS NOT NULL`, oldKeyID).Scan(&retired)
	if retired != 1 {
		t.Fatal("old org key not retired")
	}
	l, _ := Load(ctx, f.db, f.dir)
	if err := l.Unlock(pass); !errors.Is(err, ErrWrongPassphrase) {
		t.Fatalf("old passphrase after rotation: %v", err)
	}
	if err := l.Unlock(newPass); err != nil {
		t.Fatal(err)
	}
	mustOpen(t, l, f.db, "rec-007", envs["rec-007"], "field of rec-007")
}

func TestRotateStale(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	a := f.create(t)
	env := f.seal(t, a, "rec-1", "field")
	b, _ := Load(ctx, f.db, f.dir)
	if err := b.Unlock(pass); err != nil {
		t.Fatal(err)
	}
	if _, _, err := a.Rotate(ctx, f.db, newPass); err != nil {
		t.Fatal(err)
	}
	before := f.state(t)
	if _, err := b.Open(ctx, f.db, "rec-1", env); !errors.Is(err, ErrStale) {
		t.Fatalf("Open with the replaced key: %v, want ErrStale", err)
	}
	if _, _, err := b.Rotate(ctx, f.db, pass); !errors.Is(err, ErrStale) {
		t.Fatalf("Rotate with the replaced key: %v, want ErrStale", err)
	}
	if _, err := b.AddRecovery(ctx, f.db); !errors.Is(err, ErrStale) {
		t.Fatalf("AddRecovery with the replaced key: %v, want ErrStale", err)
	}
	if after := f.state(t); after != before {
		t.Fatal("a refused Rotate changed the keyring")
	}
}

func TestRecover(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	k := f.create(t)
	early := f.seal(t, k, "rec-1", "sealed before the recovery key")
	secret, err := k.AddRecovery(ctx, f.db)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(secret, "AGE-SECRET-KEY-1") || len(k.Recipients()) != 2 {
		t.Fatalf("AddRecovery: %d recipients", len(k.Recipients()))
	}
	late := f.seal(t, k, "rec-2", "sealed after the recovery key")
	if ids := keyIDsOf(t, f, "rec-2"); !strings.HasPrefix(ids, k.KeyID()+",") {
		t.Fatalf("new record wrapped for %s", ids)
	}
	oldKeyID := k.KeyID()

	// The passphrase is lost.
	r, err := Recover(ctx, f.db, f.dir, "# recovery key\n"+secret+"\n", newPass)
	if err != nil {
		t.Fatal(err)
	}
	mustOpen(t, r, f.db, "rec-1", early, "sealed before the recovery key")
	mustOpen(t, r, f.db, "rec-2", late, "sealed after the recovery key")
	if got := f.files(t); !slices.Equal(got, []string{"org-" + r.KeyID() + ".age"}) || r.KeyID() == oldKeyID {
		t.Fatalf("key dir holds %v", got)
	}
	l, _ := Load(ctx, f.db, f.dir)
	if err := l.Unlock(newPass); err != nil {
		t.Fatal(err)
	}
	mustOpen(t, l, f.db, "rec-1", early, "sealed before the recovery key")
	if _, err := k.Open(ctx, f.db, "rec-1", early); !errors.Is(err, ErrStale) {
		t.Fatalf("Open with the lost key: %v", err)
	}

	// A new recovery key retires the old one.
	if _, err := l.AddRecovery(ctx, f.db); err != nil {
		t.Fatal(err)
	}
	before := f.state(t)
	if _, err := Recover(ctx, f.db, f.dir, secret, pass); !errors.Is(err, ErrWrongRecoveryKey) {
		t.Fatalf("retired recovery key: %v", err)
	}
	if f.state(t) != before {
		t.Fatal("refused Recover changed the keyring")
	}
}

func TestRecoverRefused(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	k := f.create(t)
	f.seal(t, k, "rec-1", "field")
	if _, err := Recover(ctx, f.db, f.dir, "AGE-SECRET-KEY-1QQQ", newPass); !errors.Is(err, ErrWrongRecoveryKey) {
		t.Fatalf("no recovery key set up: %v", err)
	}
	secret, err := k.AddRecovery(ctx, f.db)
	if err != nil {
		t.Fatal(err)
	}
	stranger, _ := age.GenerateX25519Identity()
	malformed := "AGE-SECRET-KEY-1NOTAREALKEYBUTLOOKSLIKEONE"
	cases := map[string]string{
		"stranger":  stranger.String(),
		"malformed": malformed,
		"empty":     "",
		"two keys":  secret + "\n" + secret,
	}
	before := f.state(t)
	for name, id := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := Recover(ctx, f.db, f.dir, id, newPass)
			if !errors.Is(err, ErrWrongRecoveryKey) {
				t.Fatalf("Recover: %v, want ErrWrongRecoveryKey", err)
			}
			if strings.Contains(err.Error(), "AGE-SECRET-KEY-1") && !strings.Contains(err.Error(), "AGE-SECRET-KEY-1…") {
				t.Fatalf("error echoes the key: %v", err)
			}
			if id != "" && strings.Contains(err.Error(), id[16:]) {
				t.Fatalf("error echoes the key: %v", err)
			}
			if f.state(t) != before {
				t.Fatal("refused Recover changed the keyring")
			}
		})
	}
	// The right key, but one data key is not wrapped for it: the whole
	// recovery rolls back and its new key file is removed.
	err = f.db.WriteTx(ctx, func(tx *sqldb.Tx) error {
		w, err := wrapDataKey(make([]byte, dataKeySize), []keyRef{{k.KeyID(), k.PublicKey()}})
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO data_keys (record_id, wrapped, key_ids, updated_at) VALUES ('rec-z', $1, $2, 'x')`, w, k.KeyID())
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	before = f.state(t)
	if _, err := Recover(ctx, f.db, f.dir, secret, newPass); !errors.Is(err, ErrWrongRecoveryKey) || !strings.Contains(err.Error(), "rec-z") {
		t.Fatalf("Recover with an unwrappable row: %v", err)
	}
	if f.state(t) != before {
		t.Fatal("failed Recover changed the keyring")
	}
}

// TestConcurrentRotate seals and opens from many goroutines while the key
// is rotated: no deadlock, and no Open ever sees the new rows with the old
// identity.
func TestConcurrentRotate(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	k := f.create(t)
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for g := range 4 {
		wg.Go(func() {
			for i := range 15 {
				id := fmt.Sprintf("rec-%d-%d", g, i)
				env, err := f.trySeal(k, id, id)
				if err == nil {
					var pt []byte
					pt, err = k.Open(ctx, f.db, id, env)
					if err == nil && string(pt) != id {
						err = fmt.Errorf("%s opened as %q", id, pt)
					}
				}
				if err != nil {
					errs <- err
					return
				}
			}
		})
	}
	for range 3 {
		if _, _, err := k.Rotate(ctx, f.db, newPass); err != nil {
			t.Fatal(err)
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
