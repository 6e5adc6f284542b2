package main

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestKeysAccountsAndBundles drives the real binary through the
// organisation key's life (init, recovery key, rotation, recovery), the
// accounts and tokens commands, and a sealed bundle from `seal` on a
// reporter's machine to `ingest` on the server: hashes kept from sealing,
// an altered bundle refused, a wrong passphrase refused; then the audit
// log holds all of it and `audit` finds nothing wrong, and `config` shows
// no secret.
func TestKeysAccountsAndBundles(t *testing.T) {
	bin := binary(t)
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	runBin(t, bin, "init", "--data", data).want(t, 0)

	// The key.
	runBin(t, bin, "key", "show", "--data", data).want(t, exitUsage, "tawthiq key init")
	runBin(t, bin, "key", "init", "--data", data, "--new-passphrase-file", secretFile(t, "short")).want(t, exitInvalid, "12")
	passphrase := "نص طويل لعبارة المرور 2026"
	pass := secretFile(t, passphrase)
	init := runBin(t, bin, "key", "init", "--data", data, "--new-passphrase-file", pass)
	init.want(t, 0, "age1")
	pub := ""
	for _, f := range strings.Fields(init.stdout) {
		if strings.HasPrefix(f, "age1") {
			pub = f
		}
	}
	runBin(t, bin, "key", "init", "--data", data, "--new-passphrase-file", pass).want(t, exitError, "already exists")
	runBin(t, bin, "key", "show", "--data", data).want(t, 0, pub, "no recovery key")
	runBin(t, bin, "key", "recovery", "--data", data, "--passphrase-file", pass).want(t, exitUsage, "-o")
	recovery := filepath.Join(dir, "recovery.txt")
	runBin(t, bin, "key", "recovery", "--data", data, "--passphrase-file", secretFile(t, "not the passphrase!"), "-o", recovery).
		want(t, exitInvalid, "passphrase is wrong")
	runBin(t, bin, "key", "recovery", "--data", data, "--passphrase-file", pass, "-o", recovery).want(t, 0, recovery)
	if fi, err := os.Stat(recovery); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("recovery file: %v %v", fi, err)
	}
	runBin(t, bin, "key", "show", "--data", data).want(t, 0, "with a recovery key")

	// Accounts and tokens.
	pw := secretFile(t, "a long admin password")
	runBin(t, bin, "user", "add", "amal", "--role", "admin", "--password-file", pw, "--data", data).want(t, 0, "added amal")
	runBin(t, bin, "user", "add", "amal", "--role", "admin", "--password-file", pw, "--data", data).want(t, exitConflict)
	runBin(t, bin, "user", "add", "badr", "--role", "owner", "--password-file", pw, "--data", data).want(t, exitUsage, "--role")
	runBin(t, bin, "user", "add", "badr", "--role", "analyst", "--password-file", secretFile(t, "short"), "--data", data).
		want(t, exitInvalid, "password")
	runBin(t, bin, "user", "add", "badr", "--role", "analyst", "--password-file", pw, "--data", data).want(t, 0)
	runBin(t, bin, "user", "role", "badr", "reviewer", "--data", data).want(t, 0, "now reviewer")
	runBin(t, bin, "user", "role", "nobody", "reviewer", "--data", data).want(t, exitNotFound)
	runBin(t, bin, "user", "list", "--data", data).want(t, 0, "amal", "admin", "badr", "reviewer")
	tok := runBin(t, bin, "token", "add", "--user", "badr", "--role", "admin", "--name", "script", "--data", data)
	tok.want(t, exitInvalid, "role")
	tok = runBin(t, bin, "token", "add", "--user", "badr", "--role", "analyst", "--name", "script", "--data", data)
	tok.want(t, 0, "shown once")
	secret := strings.TrimSpace(tok.stdout)
	list := runBin(t, bin, "token", "list", "--user", "badr", "--data", data)
	list.want(t, 0, "script", "active")
	if strings.Contains(list.stdout, secret) {
		t.Fatal("token list shows the secret")
	}
	id := strings.Fields(strings.Split(list.stdout, "\n")[1])[0]
	runBin(t, bin, "token", "revoke", id, "--data", data).want(t, 0, "revoked")
	runBin(t, bin, "token", "list", "--user", "badr", "--data", data).want(t, 0, "revoked")

	// A bundle sealed on a reporter's machine (no data folder).
	text := filepath.Join(dir, "report.txt")
	os.WriteFile(text, []byte("[بيانات تجريبية — Sample data]\nقصف مدفعي على حي الدرعية في الرقة صباح اليوم، وقُتل مدنيان.\n"), 0o644)
	file := filepath.Join(dir, "recording.bin")
	content := []byte(strings.Repeat("تسجيل صوتي تجريبي ", 20000))
	os.WriteFile(file, content, 0o644)
	sum := sha256.Sum256(content)
	want := hex.EncodeToString(sum[:])
	b := filepath.Join(dir, "report.tawthiq")
	sealOut := runBin(t, bin, "seal", "--to", pub, "-o", b, "--name", "راوية الحقيقية", "--contact", "+963 900 000 777",
		"--lat", "35.95", "--lon", "39.01", text, file)
	sealOut.want(t, 0, want)
	if strings.Contains(sealOut.stdout+sealOut.stderr, "راوية الحقيقية") {
		t.Fatal("seal printed the reporter's name")
	}
	raw, _ := os.ReadFile(b)
	if strings.Contains(string(raw), "الدرعية") || strings.Contains(string(raw), "راوية") {
		t.Fatal("the bundle holds plaintext")
	}
	altered := filepath.Join(dir, "altered.tawthiq")
	bad := append([]byte(nil), raw...)
	bad[len(bad)/2] ^= 1
	os.WriteFile(altered, bad, 0o644)
	runBin(t, bin, "ingest", "--data", data, "--passphrase-file", pass, altered).want(t, exitInvalid, "altered")
	runBin(t, bin, "ingest", "--data", data, "--passphrase-file", secretFile(t, "wrong wrong wrong"), b).want(t, exitInvalid, "passphrase is wrong")
	runBin(t, bin, "reports", "list", "--data", data).want(t, 0, "0 of 0 reports")
	in := runBin(t, bin, "ingest", "--data", data, "--passphrase-file", pass, b)
	in.want(t, 0, want, "recording.bin", "sealed")
	runBin(t, bin, "ingest", "--data", data, "--passphrase-file", pass, b).want(t, 0, "already stored")
	runBin(t, bin, "reports", "list", "--data", data).want(t, 0, "1 of 1 reports")
	db, _ := os.ReadFile(filepath.Join(data, "tawthiq.db"))
	wal, _ := os.ReadFile(filepath.Join(data, "tawthiq.db-wal"))
	for _, s := range []string{"راوية الحقيقية", "+963 900 000 777"} {
		if strings.Contains(string(db)+string(wal), s) {
			t.Errorf("the database holds %q in clear", s)
		}
	}

	// Rotation: a new key and passphrase; the old passphrase opens nothing.
	pass2 := secretFile(t, "second passphrase, after rotation")
	runBin(t, bin, "key", "rotate", "--data", data, "--passphrase-file", pass, "--new-passphrase-file", pass2).want(t, 0, "re-wrapped")
	runBin(t, bin, "key", "passphrase", "--data", data, "--passphrase-file", pass, "--new-passphrase-file", pass2).want(t, exitInvalid)
	// Lost passphrase: the recovery key replaces the key.
	pass3 := secretFile(t, "third passphrase, after recovery")
	runBin(t, bin, "key", "recover", "--data", data, "--recovery-file", filepath.Join(dir, "no-such-file"), "--new-passphrase-file", pass3).
		want(t, exitInvalid)
	runBin(t, bin, "key", "recover", "--data", data, "--recovery-file", recovery, "--new-passphrase-file", pass3).want(t, 0, "replaced")

	// The audit log holds it all, and everything checks out.
	runBin(t, bin, "audit", "--data", data).want(t, 0)
	cfg := runBin(t, bin, "config", "--data", data)
	cfg.want(t, 0, "organisation public key", "age1")
	for _, s := range []string{passphrase, "a long admin password", secret, "AGE-SECRET-KEY"} {
		if strings.Contains(cfg.stdout+cfg.stderr, s) {
			t.Errorf("config shows a secret")
		}
	}
}
