package auth

import (
	"strings"
	"testing"
	"time"

	"github.com/tawthiq/tawthiq/internal/auditlog"
)

func TestTokenRoleCappedByOwner(t *testing.T) {
	e := newEnv(t)
	e.addUser(t, "karim", RoleAnalyst)
	_, _, err := e.svc.AddToken(ctx, "karim", "karim", "too high", RoleReviewer, time.Time{})
	wantField(t, err, "role", "above_owner")
	_, _, err = e.svc.AddToken(ctx, "karim", "karim", "public", RolePublic, time.Time{})
	wantField(t, err, "role", "not_assignable")
	_, _, err = e.svc.AddToken(ctx, "karim", "nobody", "x", RoleReporter, time.Time{})
	wantErr(t, err, ErrNotFound)

	secret, tok, err := e.svc.AddToken(ctx, "karim", "Karim", "import script", RoleAnalyst, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(secret, "tawthiq_"+tok.ID+"_") || len(tok.ID) != 12 || tok.Owner != "karim" {
		t.Fatalf("secret shape %d chars, token %+v", len(secret), tok)
	}
	ev := e.audit.last(t)
	if ev.Action != auditlog.ActionTokenAdd || ev.Detail != "analyst" || ev.SubjectID != tok.ID || ev.Role != "analyst" {
		t.Fatalf("event %+v", ev)
	}
	p, err := e.svc.Token(ctx, secret)
	if err != nil {
		t.Fatal(err)
	}
	if p.Role != RoleAnalyst || p.Via != "token" || p.TokenID != tok.ID || p.SessionID != "" || p.Username != "karim" {
		t.Fatalf("principal %+v", p)
	}

	if err := e.svc.SetRole(ctx, "admin1", "karim", RoleReporter); err != nil {
		t.Fatal(err)
	}
	if p, err = e.svc.Token(ctx, secret); err != nil || p.Role != RoleReporter {
		t.Fatalf("after demotion: %+v, %v", p, err)
	}
	if err := e.svc.SetRole(ctx, "admin1", "karim", RoleAdmin); err != nil {
		t.Fatal(err)
	}
	if p, err = e.svc.Token(ctx, secret); err != nil || p.Role != RoleAnalyst {
		t.Fatalf("after promotion: %+v, %v", p, err)
	}
}

func TestTokenRevokedAndExpired(t *testing.T) {
	e := newEnv(t)
	e.addUser(t, "dima", RoleReviewer)
	forever, t1, err := e.svc.AddToken(ctx, "dima", "dima", "forever", RoleReporter, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(time.Second)
	hour, _, err := e.svc.AddToken(ctx, "dima", "dima", "one hour", RoleReporter, e.clock.Now().Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = e.svc.AddToken(ctx, "dima", "dima", "yesterday", RoleReporter, e.clock.Now().Add(-24*time.Hour))
	wantField(t, err, "expires", "in_past")

	for _, s := range []string{forever, hour} {
		if _, err := e.svc.Token(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	// Made-up and altered secrets.
	for _, s := range []string{"", "tawthiq_", forever[:len(forever)-1] + "A", strings.Replace(forever, t1.ID, "000000000000", 1), "Bearer " + forever} {
		_, err := e.svc.Token(ctx, s)
		wantErr(t, err, ErrNoSession)
	}

	e.clock.Advance(time.Hour)
	_, err = e.svc.Token(ctx, hour)
	wantErr(t, err, ErrNoSession)

	if err := e.svc.RevokeToken(ctx, "dima", t1.ID); err != nil {
		t.Fatal(err)
	}
	if ev := e.audit.last(t); ev.Action != auditlog.ActionTokenRevoke || ev.SubjectID != t1.ID {
		t.Fatalf("event %+v", ev)
	}
	_, err = e.svc.Token(ctx, forever)
	wantErr(t, err, ErrNoSession)
	n := len(e.audit.all())
	if err := e.svc.RevokeToken(ctx, "dima", t1.ID); err != nil {
		t.Fatal(err)
	}
	if len(e.audit.all()) != n {
		t.Fatal("second revoke audited")
	}
	wantErr(t, e.svc.RevokeToken(ctx, "dima", "ffffffffffff"), ErrNotFound)
	err = e.svc.RevokeToken(ctx, "dima", forever)
	wantErr(t, err, ErrNotFound)
	if strings.Contains(err.Error(), forever) {
		t.Fatal("secret in error")
	}

	toks, err := e.svc.Tokens(ctx, "dima")
	if err != nil || len(toks) != 2 {
		t.Fatalf("tokens %+v, %v", toks, err)
	}
	if toks[0].Name != "forever" || toks[0].RevokedAt == nil || toks[0].LastUsed == nil || toks[0].ExpiresAt != nil {
		t.Fatalf("first token %+v", toks[0])
	}
	if toks[1].ExpiresAt == nil || toks[1].RevokedAt != nil {
		t.Fatalf("second token %+v", toks[1])
	}
	_, err = e.svc.Tokens(ctx, "nobody")
	wantErr(t, err, ErrNotFound)
}

func TestTokenLastUsedOncePerMinute(t *testing.T) {
	e := newEnv(t)
	e.addUser(t, "dima", RoleReviewer)
	secret, tok, err := e.svc.AddToken(ctx, "dima", "dima", "job", RoleReporter, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	lastUsed := func() string {
		var s *string
		if err := e.db.QueryRow(ctx, `SELECT last_used FROM api_tokens WHERE id = $1`, tok.ID).Scan(&s); err != nil {
			t.Fatal(err)
		}
		if s == nil {
			return ""
		}
		return *s
	}
	if lastUsed() != "" {
		t.Fatal("last_used set before use")
	}
	e.svc.Token(ctx, secret)
	first := lastUsed()
	e.clock.Advance(59 * time.Second)
	e.svc.Token(ctx, secret)
	if lastUsed() != first {
		t.Fatal("last_used written within a minute")
	}
	e.clock.Advance(time.Second)
	e.svc.Token(ctx, secret)
	if lastUsed() == first {
		t.Fatal("last_used not written after a minute")
	}
}
