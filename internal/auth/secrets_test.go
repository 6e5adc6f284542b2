package auth

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
)

// TestNoSecretsAtRest reads the database file, its WAL and shared-memory
// file byte for byte and finds no password, session secret or token
// secret, and none in the audit events or errors either.
func TestNoSecretsAtRest(t *testing.T) {
	e := newEnv(t)
	const password = "correct horse battery staple ٢٠٢٦"
	if _, err := e.svc.AddUser(ctx, "system", "yara", "Yara", RoleAdmin, []byte(password)); err != nil {
		t.Fatal(err)
	}
	session, _, err := e.svc.SignIn(ctx, "yara", []byte(password), "192.0.2.44")
	if err != nil {
		t.Fatal(err)
	}
	token, tok, err := e.svc.AddToken(ctx, "yara", "yara", "nightly export", RoleReviewer, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Token(ctx, token); err != nil {
		t.Fatal(err)
	}
	// A password typed into the username box, and a wrong password.
	_, _, err1 := e.svc.SignIn(ctx, "hunter2hunter2", []byte(password), "192.0.2.44")
	_, _, err2 := e.svc.SignIn(ctx, "yara", []byte("a wrong password here"), "192.0.2.44")
	if err := e.svc.SetPassword(ctx, "system", "yara", []byte(password+"!")); err != nil {
		t.Fatal(err)
	}

	secrets := map[string]string{
		"password":      password,
		"wrong":         "a wrong password here",
		"typed name":    "hunter2hunter2",
		"session":       session,
		"token":         token,
		"token secret":  strings.TrimPrefix(token, TokenPrefix+tok.ID+"_"),
		"client":        "192.0.2.44",
		"session start": session[:16],
	}
	var files int
	for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
		b, err := os.ReadFile(e.path + suffix)
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		files++
		for what, s := range secrets {
			if bytes.Contains(b, []byte(s)) {
				t.Errorf("%s found in %s", what, "db"+suffix)
			}
		}
	}
	if files == 0 {
		t.Fatal("no database file read")
	}
	for _, ev := range e.audit.all() {
		text := fmt.Sprintf("%+v", ev)
		for what, s := range secrets {
			if strings.Contains(text, s) {
				t.Errorf("%s in audit event %s", what, text)
			}
		}
	}
	for _, err := range []error{err1, err2} {
		for what, s := range secrets {
			if strings.Contains(err.Error(), s) {
				t.Errorf("%s in error %v", what, err)
			}
		}
	}
	// The hashes are there, so the test looks where it should.
	b, _ := os.ReadFile(e.path + "-wal")
	b2, _ := os.ReadFile(e.path)
	if !bytes.Contains(append(b, b2...), []byte(hashSecret(token))) {
		t.Fatal("token hash not found: the test is not reading the data")
	}
}
