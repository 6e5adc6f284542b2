package sealed

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"filippo.io/age"
	"github.com/tawthiq/tawthiq/internal/sqldb"
)

func TestMain(m *testing.M) {
	ScryptWorkFactor = 10
	os.Exit(m.Run())
}

var (
	pass    = []byte("correct horse battery")
	newPass = []byte("كلمة مرور جديدة طويلة") // Arabic: counted in characters
)

type fixture struct {
	db     *sqldb.DB
	dbPath string
	dir    string // key directory
}

func setup(t *testing.T) fixture {
	t.Helper()
	tmp := t.TempDir()
	path := filepath.Join(tmp, "tawthiq.db")
	db, err := sqldb.CreateSQLite(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return fixture{db: db, dbPath: path, dir: filepath.Join(tmp, "keys")}
}

func (f fixture) create(t *testing.T) *Keyring {
	t.Helper()
	k, err := Create(context.Background(), f.db, f.dir, pass)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func (f fixture) seal(t *testing.T, k *Keyring, recordID, plaintext string) *Envelope {
	t.Helper()
	env, err := f.trySeal(k, recordID, plaintext)
	if err != nil {
		t.Fatalf("seal %s: %v", recordID, err)
	}
	return env
}

func (f fixture) trySeal(k *Keyring, recordID, plaintext string) (*Envelope, error) {
	var env *Envelope
	err := f.db.WriteTx(context.Background(), func(tx *sqldb.Tx) error {
		var err error
		env, err = k.Seal(context.Background(), tx, recordID, []byte(plaintext))
		return err
	})
	return env, err
}

func mustOpen(t *testing.T, k *Keyring, q Querier, recordID string, env *Envelope, want string) {
	t.Helper()
	got, err := k.Open(context.Background(), q, recordID, env)
	if err != nil {
		t.Fatalf("open %s: %v", recordID, err)
	}
	if string(got) != want {
		t.Fatalf("open %s = %q, want %q", recordID, got, want)
	}
}

// state is everything the keyring keeps: both tables and the key files.
func (f fixture) state(t *testing.T) string {
	t.Helper()
	var b strings.Builder
	for _, q := range []string{
		`SELECT id || '|' || public_key || '|' || kind || '|' || COALESCE(retired_at, '-') FROM org_keys ORDER BY id`,
		`SELECT record_id || '|' || hex(wrapped) || '|' || key_ids || '|' || updated_at FROM data_keys ORDER BY record_id`,
	} {
		rows, err := f.db.Query(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				t.Fatal(err)
			}
			b.WriteString(s + "\n")
		}
		rows.Close()
	}
	for _, name := range f.files(t) {
		data, err := os.ReadFile(filepath.Join(f.dir, name))
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%s %x\n", name, data)
	}
	return b.String()
}

func (f fixture) files(t *testing.T) []string {
	t.Helper()
	entries, err := os.ReadDir(f.dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// wrappedKeys returns every row's wrapped data key by record id.
func (f fixture) wrappedKeys(t *testing.T) map[string][]byte {
	t.Helper()
	rows, err := f.db.Query(context.Background(), `SELECT record_id, wrapped FROM data_keys`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string][]byte{}
	for rows.Next() {
		var id string
		var w []byte
		if err := rows.Scan(&id, &w); err != nil {
			t.Fatal(err)
		}
		out[id] = w
	}
	return out
}

func keyIDsOf(t *testing.T, f fixture, recordID string) string {
	t.Helper()
	var ids string
	err := f.db.QueryRow(context.Background(), `SELECT key_ids FROM data_keys WHERE record_id = $1`, recordID).Scan(&ids)
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

func TestCreateLoad(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	if _, err := Load(ctx, f.db, f.dir); !errors.Is(err, ErrNoKey) {
		t.Fatalf("Load on empty db: %v, want ErrNoKey", err)
	}
	if _, err := Create(ctx, f.db, f.dir, []byte("كلمة مرور ق")); !errors.Is(err, ErrShortPassphrase) {
		t.Fatalf("11 characters: %v, want ErrShortPassphrase", err)
	}
	k := f.create(t)
	if k.Locked() || !strings.HasPrefix(k.PublicKey(), "age1") || k.KeyID() != keyIDOf(k.PublicKey()) || len(k.KeyID()) != 16 {
		t.Fatalf("new keyring: locked %v, key %s id %s", k.Locked(), k.PublicKey(), k.KeyID())
	}
	if got := k.Recipients(); !slices.Equal(got, []string{k.PublicKey()}) {
		t.Fatalf("Recipients = %v", got)
	}
	if _, err := Create(ctx, f.db, f.dir, pass); !errors.Is(err, ErrExists) {
		t.Fatalf("second Create: %v, want ErrExists", err)
	}
	if got := f.files(t); !slices.Equal(got, []string{"org-" + k.KeyID() + ".age"}) {
		t.Fatalf("key dir holds %v", got)
	}
	assertMode(t, f.dir, 0o700)
	assertMode(t, keyFilePath(f.dir, k.KeyID()), 0o600)

	l, err := Load(ctx, f.db, f.dir)
	if err != nil {
		t.Fatal(err)
	}
	if !l.Locked() || l.PublicKey() != k.PublicKey() {
		t.Fatalf("Load: locked %v key %s", l.Locked(), l.PublicKey())
	}
	if err := l.Unlock(pass); err != nil || l.Locked() {
		t.Fatalf("Unlock: %v", err)
	}
	l.Lock()
	if !l.Locked() {
		t.Fatal("Lock left the keyring unlocked")
	}
}

func assertMode(t *testing.T, path string, want os.FileMode) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != want {
		t.Fatalf("%s mode %04o, want %04o", path, fi.Mode().Perm(), want)
	}
}

func TestCreateRefusesOpenDirectory(t *testing.T) {
	f := setup(t)
	if err := os.Mkdir(f.dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(f.dir, 0o755); err != nil {
		t.Fatal(err)
	}
	_, err := Create(context.Background(), f.db, f.dir, pass)
	if err == nil || !strings.Contains(err.Error(), f.dir) {
		t.Fatalf("Create in a 0755 directory: %v", err)
	}
	if _, err := Load(context.Background(), f.db, f.dir); !errors.Is(err, ErrNoKey) {
		t.Fatalf("after refused Create: %v, want ErrNoKey", err)
	}
}

func TestSealOpen(t *testing.T) {
	f := setup(t)
	k := f.create(t)
	for _, pt := range []string{"", "Witness: Abu Khalil, 0933 000 111", "الشاهد: أبو خليل، حي الوعر، حمص"} {
		env := f.seal(t, k, "rec-1", pt)
		b, err := json.Marshal(env)
		if err != nil {
			t.Fatal(err)
		}
		var back Envelope
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		mustOpen(t, k, f.db, "rec-1", &back, pt)
		err = f.db.WriteTx(context.Background(), func(tx *sqldb.Tx) error {
			mustOpen(t, k, tx, "rec-1", env, pt)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if _, err := k.Open(context.Background(), f.db, "rec-none", f.seal(t, k, "rec-1", "x")); !errors.Is(err, ErrNoDataKey) {
		t.Fatalf("record without data key: %v, want ErrNoDataKey", err)
	}
}

func TestSealReusesDataKey(t *testing.T) {
	f := setup(t)
	k := f.create(t)
	e1 := f.seal(t, k, "rec-1", "first field")
	before := f.wrappedKeys(t)
	e2 := f.seal(t, k, "rec-1", "second field")
	after := f.wrappedKeys(t)
	if len(after) != 1 || !bytes.Equal(before["rec-1"], after["rec-1"]) {
		t.Fatalf("second Seal changed data_keys: %d rows", len(after))
	}
	if bytes.Equal(e1.Nonce, e2.Nonce) {
		t.Fatal("nonce reused")
	}
	mustOpen(t, k, f.db, "rec-1", e1, "first field")
	mustOpen(t, k, f.db, "rec-1", e2, "second field")
	f.seal(t, k, "rec-2", "other record")
	if n := len(f.wrappedKeys(t)); n != 2 {
		t.Fatalf("%d data keys for 2 records", n)
	}
}

func TestTampered(t *testing.T) {
	f := setup(t)
	k := f.create(t)
	env := f.seal(t, k, "rec-1", "the secret field")
	f.seal(t, k, "rec-2", "another")
	edit := func(fn func(e *Envelope)) *Envelope {
		c := &Envelope{V: env.V, Alg: env.Alg, Nonce: slices.Clone(env.Nonce), CT: slices.Clone(env.CT)}
		fn(c)
		return c
	}
	// rec-3 gets a copy of rec-1's data key: only the associated data
	// stops rec-1's envelope from opening there.
	err := f.db.WriteTx(context.Background(), func(tx *sqldb.Tx) error {
		_, err := tx.Exec(context.Background(), `INSERT INTO data_keys (record_id, wrapped, key_ids, updated_at)
			SELECT 'rec-3', wrapped, key_ids, updated_at FROM data_keys WHERE record_id = 'rec-1'`)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name   string
		record string
		env    *Envelope
	}{
		{"ct bit", "rec-1", edit(func(e *Envelope) { e.CT[0] ^= 1 })},
		{"tag bit", "rec-1", edit(func(e *Envelope) { e.CT[len(e.CT)-1] ^= 0x80 })},
		{"nonce bit", "rec-1", edit(func(e *Envelope) { e.Nonce[5] ^= 1 })},
		{"short ct", "rec-1", edit(func(e *Envelope) { e.CT = e.CT[:10] })},
		{"short nonce", "rec-1", edit(func(e *Envelope) { e.Nonce = e.Nonce[:12] })},
		{"version", "rec-1", edit(func(e *Envelope) { e.V = 2 })},
		{"alg", "rec-1", edit(func(e *Envelope) { e.Alg = "aes-256-gcm" })},
		{"nil", "rec-1", nil},
		{"other record", "rec-2", env},
		{"same key other record", "rec-3", env},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			pt, err := k.Open(context.Background(), f.db, c.record, c.env)
			if !errors.Is(err, ErrTampered) || pt != nil {
				t.Fatalf("Open = %q, %v; want ErrTampered", pt, err)
			}
		})
	}
	mustOpen(t, k, f.db, "rec-1", env, "the secret field")
}

func TestLocked(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	old := f.seal(t, f.create(t), "rec-1", "sealed while unlocked")
	k, err := Load(ctx, f.db, f.dir)
	if err != nil {
		t.Fatal(err)
	}
	env := f.seal(t, k, "rec-2", "sealed while locked")
	if _, err := f.trySeal(k, "rec-1", "more"); !errors.Is(err, ErrLocked) {
		t.Fatalf("Seal on a record with a key while locked: %v", err)
	}
	if _, err := k.Open(ctx, f.db, "rec-2", env); !errors.Is(err, ErrLocked) {
		t.Fatalf("Open while locked: %v", err)
	}
	if _, err := k.Decrypt(strings.NewReader("x")); !errors.Is(err, ErrLocked) {
		t.Fatalf("Decrypt while locked: %v", err)
	}
	if _, _, err := k.Rotate(ctx, f.db, newPass); !errors.Is(err, ErrLocked) {
		t.Fatalf("Rotate while locked: %v", err)
	}
	if _, err := k.AddRecovery(ctx, f.db); !errors.Is(err, ErrLocked) {
		t.Fatalf("AddRecovery while locked: %v", err)
	}
	if err := k.Unlock(pass); err != nil {
		t.Fatal(err)
	}
	mustOpen(t, k, f.db, "rec-2", env, "sealed while locked")
	mustOpen(t, k, f.db, "rec-1", old, "sealed while unlocked")
}

func TestWrongPassphrase(t *testing.T) {
	f := setup(t)
	f.create(t)
	k, err := Load(context.Background(), f.db, f.dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range [][]byte{[]byte("correct horse batterY"), nil} {
		if err := k.Unlock(p); !errors.Is(err, ErrWrongPassphrase) {
			t.Fatalf("Unlock(%q): %v, want ErrWrongPassphrase", p, err)
		}
	}
	if !k.Locked() {
		t.Fatal("unlocked by a wrong passphrase")
	}
	if en, ar := Message(k.Unlock([]byte("nope"))); en != ErrWrongPassphrase.EN || ar != ErrWrongPassphrase.AR {
		t.Fatalf("Message = %q, %q", en, ar)
	}
}

func TestKeyFileDamaged(t *testing.T) {
	f := setup(t)
	k := f.create(t)
	path := keyFilePath(f.dir, k.KeyID())
	good, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// A valid key file for another identity, same passphrase.
	otherID, _ := age.GenerateX25519Identity()
	otherDir := filepath.Join(t.TempDir(), "keys")
	otherPath, err := writeKeyFile(otherDir, otherID, pass)
	if err != nil {
		t.Fatal(err)
	}
	other, _ := os.ReadFile(otherPath)
	// Encrypted to an X25519 key instead of a passphrase.
	var x25519 bytes.Buffer
	w, _ := age.Encrypt(&x25519, otherID.Recipient())
	w.Write([]byte(k.id.String()))
	w.Close()

	flip := slices.Clone(good)
	flip[len(flip)-1] ^= 1
	cases := map[string][]byte{
		"empty":          {},
		"garbage":        []byte("not an age file at all\n"),
		"truncated":      good[:len(good)-20],
		"payload bit":    flip,
		"another key":    other,
		"not passphrase": x25519.Bytes(),
		"missing":        nil,
	}
	for name, data := range cases {
		t.Run(name, func(t *testing.T) {
			if data == nil {
				os.Remove(path)
			} else if err := os.WriteFile(path, data, 0o600); err != nil {
				t.Fatal(err)
			}
			l, err := Load(context.Background(), f.db, f.dir)
			if err != nil {
				t.Fatal(err)
			}
			err = l.Unlock(pass)
			if !errors.Is(err, ErrKeyFile) || !strings.Contains(err.Error(), path) {
				t.Fatalf("Unlock: %v; want ErrKeyFile naming %s", err, path)
			}
			if strings.Contains(err.Error(), string(pass)) || strings.Contains(err.Error(), "AGE-SECRET-KEY") {
				t.Fatalf("error leaks a secret: %v", err)
			}
			if !l.Locked() {
				t.Fatal("unlocked by a damaged file")
			}
		})
	}
}

func TestChangePassphrase(t *testing.T) {
	f := setup(t)
	k := f.create(t)
	env := f.seal(t, k, "rec-1", "field")
	if err := k.ChangePassphrase([]byte("wrong passphrase!"), newPass); !errors.Is(err, ErrWrongPassphrase) {
		t.Fatalf("wrong old passphrase: %v", err)
	}
	if err := k.ChangePassphrase(pass, []byte("short")); !errors.Is(err, ErrShortPassphrase) {
		t.Fatalf("short new passphrase: %v", err)
	}
	if err := k.ChangePassphrase(pass, newPass); err != nil {
		t.Fatal(err)
	}
	if got := f.files(t); len(got) != 1 {
		t.Fatalf("key dir holds %v", got)
	}
	assertMode(t, keyFilePath(f.dir, k.KeyID()), 0o600)
	l, _ := Load(context.Background(), f.db, f.dir)
	if err := l.Unlock(pass); !errors.Is(err, ErrWrongPassphrase) {
		t.Fatalf("old passphrase after change: %v", err)
	}
	if err := l.Unlock(newPass); err != nil {
		t.Fatal(err)
	}
	mustOpen(t, l, f.db, "rec-1", env, "field")
	mustOpen(t, k, f.db, "rec-1", env, "field")
}

func TestNoSecretsAtRest(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	k := f.create(t)
	plain := []string{"Witness Abu Khalil lives above the bakery", "الشاهدة أم محمد في حي بابا عمرو"}
	secrets := []string{k.id.String()}
	for i, p := range plain {
		f.seal(t, k, fmt.Sprintf("rec-%d", i), p)
	}
	rec, err := k.AddRecovery(ctx, f.db)
	if err != nil {
		t.Fatal(err)
	}
	secrets = append(secrets, rec)
	if _, _, err := k.Rotate(ctx, f.db, newPass); err != nil {
		t.Fatal(err)
	}
	secrets = append(secrets, k.id.String())
	f.seal(t, k, "rec-9", plain[0])

	var needles [][]byte
	for _, s := range append(plain, secrets...) {
		needles = append(needles, []byte(s))
	}
	needles = append(needles, []byte("AGE-SECRET-KEY"), pass, newPass)
	for id, w := range f.wrappedKeys(t) {
		dk, err := unwrapDataKey(w, k.id)
		if err != nil {
			t.Fatalf("%s: %v", id, err)
		}
		needles = append(needles, dk)
	}
	files := []string{f.dbPath, f.dbPath + "-wal", keyFilePath(f.dir, k.KeyID())}
	for _, path := range files {
		data, err := os.ReadFile(path)
		if errors.Is(err, os.ErrNotExist) && strings.HasSuffix(path, "-wal") {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		for i, n := range needles {
			if bytes.Contains(data, n) {
				t.Errorf("%s holds secret #%d in clear", filepath.Base(path), i)
			}
		}
	}
}

func TestDecryptBundle(t *testing.T) {
	f := setup(t)
	k := f.create(t)
	r, err := ParseRecipient(k.PublicKey())
	if err != nil {
		t.Fatal(err)
	}
	var bundle bytes.Buffer
	w, _ := age.Encrypt(&bundle, r)
	io.WriteString(w, "report from Daraa")
	w.Close()
	out, err := k.Decrypt(&bundle)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := io.ReadAll(out); string(got) != "report from Daraa" {
		t.Fatalf("Decrypt = %q", got)
	}
	other, _ := age.GenerateX25519Identity()
	bundle.Reset()
	w, _ = age.Encrypt(&bundle, other.Recipient())
	w.Close()
	if _, err := k.Decrypt(&bundle); err == nil {
		t.Fatal("Decrypt opened a bundle for another key")
	}
	for _, s := range []string{"", "age1", "AGE-SECRET-KEY-1ABC", k.PublicKey() + "x"} {
		if _, err := ParseRecipient(s); !errors.Is(err, ErrBadRecipient) {
			t.Fatalf("ParseRecipient(%q): %v", s, err)
		}
	}
}

func TestReadPassphraseFile(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		content, want string
		err           error
	}{
		{"passphrase\n", "passphrase", nil},
		{"passphrase\r\n", "passphrase", nil},
		{"passphrase", "passphrase", nil},
		{"pass phrase \n\n", "pass phrase \n", nil},
		{"", "", ErrEmptyPassphrase},
		{"\n", "", ErrEmptyPassphrase},
		{"\r\n", "", ErrEmptyPassphrase},
	}
	for i, c := range cases {
		path := filepath.Join(dir, fmt.Sprint(i))
		os.WriteFile(path, []byte(c.content), 0o600)
		got, err := ReadPassphraseFile(path)
		if !errors.Is(err, c.err) || string(got) != c.want {
			t.Errorf("%q: got %q, %v; want %q, %v", c.content, got, err, c.want, c.err)
		}
		if err != nil && !strings.Contains(err.Error(), path) {
			t.Errorf("%q: error %v does not name the file", c.content, err)
		}
	}
	missing := filepath.Join(dir, "missing")
	if _, err := ReadPassphraseFile(missing); err == nil || !strings.Contains(err.Error(), missing) {
		t.Fatalf("missing file: %v", err)
	}
}

func TestMessage(t *testing.T) {
	en, ar := Message(fmt.Errorf("web: %w", fmt.Errorf("%w: record x", ErrTampered)))
	if en != ErrTampered.EN || ar != ErrTampered.AR {
		t.Fatalf("Message = %q, %q", en, ar)
	}
	if en, ar := Message(errors.New("disk full")); en == "" || ar == "" {
		t.Fatal("no general message")
	}
}
