package auth

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tawthiq/tawthiq/internal/auditlog"
)

func TestAddUserAndSignIn(t *testing.T) {
	e := newEnv(t)
	u, err := e.svc.AddUser(ctx, "system", "  Layla.K ", "ليلى", RoleAnalyst, []byte(pw))
	if err != nil {
		t.Fatal(err)
	}
	if u.Username != "layla.k" || u.Role != RoleAnalyst || u.ID == "" {
		t.Fatalf("user %+v", u)
	}
	_, err = e.svc.AddUser(ctx, "system", "LAYLA.K", "", RoleReporter, []byte(pw))
	wantErr(t, err, ErrExists)

	secret, p, err := e.svc.SignIn(ctx, "Layla.K", []byte(pw), "c1")
	if err != nil {
		t.Fatal(err)
	}
	if len(secret) != 43 || p.Username != "layla.k" || p.Role != RoleAnalyst || p.Via != "session" ||
		p.SessionID != hashSecret(secret) || p.Name() != "ليلى" {
		t.Fatalf("secret %d chars, principal %+v", len(secret), p)
	}
	got, err := e.svc.Session(ctx, secret)
	if err != nil {
		t.Fatal(err)
	}
	if *got != *p {
		t.Fatalf("session principal %+v, want %+v", got, p)
	}
	ok := e.audit.find(auditlog.ActionSignIn)
	if len(ok) != 1 || ok[0].Outcome != auditlog.OutcomeOK || ok[0].Actor != "layla.k" || ok[0].Role != "analyst" {
		t.Fatalf("sign-in events %+v", ok)
	}
	add := e.audit.find(auditlog.ActionUserAdd)
	if len(add) != 1 || add[0].Actor != "system" || add[0].SubjectID != "layla.k" || add[0].Detail != "analyst" {
		t.Fatalf("user_add events %+v", add)
	}
	users, err := e.svc.Users(ctx)
	if err != nil || len(users) != 1 || users[0].Username != "layla.k" {
		t.Fatalf("users %+v, %v", users, err)
	}
	_, err = e.svc.User(ctx, "nobody")
	wantErr(t, err, ErrNotFound)
}

func TestWrongPassword(t *testing.T) {
	e := newEnv(t)
	e.addUser(t, "omar", RoleReporter)
	_, p, err := e.svc.SignIn(ctx, "omar", []byte("not the password at all"), "c1")
	wantErr(t, err, ErrBadCredentials)
	if p != nil {
		t.Fatal("principal on failure")
	}
	ev := e.audit.last(t)
	if ev.Action != auditlog.ActionSignIn || ev.Outcome != auditlog.OutcomeBadCredentials || ev.Actor != "omar" {
		t.Fatalf("event %+v", ev)
	}
	en, ar := Message(err)
	if en != "Wrong username or password." || ar == "" {
		t.Fatalf("message %q %q", en, ar)
	}
}

func TestUnknownUsernameAuditedAnonymously(t *testing.T) {
	e := newEnv(t)
	e.addUser(t, "omar", RoleReporter)
	for _, name := range []string{"ghost", "Not A Username!", pw} {
		_, _, err := e.svc.SignIn(ctx, name, []byte(pw), "c1")
		wantErr(t, err, ErrBadCredentials)
		ev := e.audit.last(t)
		if ev.Action != auditlog.ActionSignIn || ev.Outcome != auditlog.OutcomeBadCredentials ||
			ev.Actor != "" || ev.Role != "" || ev.SubjectID != "" || ev.SubjectType != "" {
			t.Fatalf("event for unknown username %+v", ev)
		}
		if strings.Contains(fmt.Sprintf("%+v", ev), "ghost") {
			t.Fatal("unknown username in the audit log")
		}
	}
}

func TestLockout(t *testing.T) {
	e := newEnv(t)
	e.addUser(t, "rana", RoleAnalyst)
	for i := range 5 {
		_, _, err := e.svc.SignIn(ctx, "rana", []byte("wrong password number "+fmt.Sprint(i)), "c1")
		wantErr(t, err, ErrBadCredentials)
	}
	if ev := e.audit.last(t); ev.Detail != "locked" {
		t.Fatalf("fifth failure %+v, want detail locked", ev)
	}
	e.clock.Advance(14 * time.Minute)
	_, _, err := e.svc.SignIn(ctx, "rana", []byte(pw), "c1")
	wantErr(t, err, ErrLocked)
	var le *LockedError
	if !errors.As(err, &le) || !le.Until.Equal(time.Date(2026, 3, 1, 10, 15, 0, 0, time.UTC)) {
		t.Fatalf("locked error %v", err)
	}
	if ev := e.audit.last(t); ev.Outcome != auditlog.OutcomeLocked || ev.Actor != "rana" {
		t.Fatalf("event %+v", ev)
	}
	if en, ar := Message(err); !strings.Contains(en, "10:15") || !strings.Contains(ar, "10:15") {
		t.Fatalf("message %q %q", en, ar)
	}
	if u, _ := e.svc.User(ctx, "rana"); u.LockedUntil.IsZero() {
		t.Fatal("User does not show the lock")
	}

	e.clock.Advance(time.Minute + time.Second)
	e.signIn(t, "rana")
	if u, _ := e.svc.User(ctx, "rana"); !u.LockedUntil.IsZero() {
		t.Fatal("lock still shown after it ended")
	}
	// The count was reset: four more failures do not lock.
	for range 4 {
		_, _, err := e.svc.SignIn(ctx, "rana", []byte("wrong again, wrong again"), "c2")
		wantErr(t, err, ErrBadCredentials)
	}
	e.signIn(t, "rana")
}

func TestUnlock(t *testing.T) {
	e := newEnv(t)
	e.addUser(t, "rana", RoleAnalyst)
	for range 5 {
		e.svc.SignIn(ctx, "rana", []byte("wrong password, twelve+"), "c1")
	}
	_, _, err := e.svc.SignIn(ctx, "rana", []byte(pw), "c1")
	wantErr(t, err, ErrLocked)
	if err := e.svc.Unlock(ctx, "admin1", "rana"); err != nil {
		t.Fatal(err)
	}
	if ev := e.audit.last(t); ev.Action != auditlog.ActionUserUnlock || ev.Actor != "admin1" {
		t.Fatalf("event %+v", ev)
	}
	e.signIn(t, "rana")
}

func TestRateLimitPerClient(t *testing.T) {
	e := newEnv(t)
	e.addUser(t, "sami", RoleReporter)
	for i := range 10 {
		_, _, err := e.svc.SignIn(ctx, "nobody", []byte(pw), "198.51.100.7")
		if !errors.Is(err, ErrBadCredentials) {
			t.Fatalf("attempt %d: %v", i+1, err)
		}
	}
	for range 3 {
		_, _, err := e.svc.SignIn(ctx, "sami", []byte(pw), "198.51.100.7")
		wantErr(t, err, ErrRateLimited)
		var re *RateLimitedError
		if !errors.As(err, &re) || re.RetryAfter <= 0 || re.RetryAfter > 6*time.Second {
			t.Fatalf("rate limit error %v", err)
		}
		if en, ar := Message(err); !strings.Contains(en, "6 seconds") || !strings.Contains(ar, "6 ثوانٍ") {
			t.Fatalf("message %q %q", en, ar)
		}
	}
	if n := len(e.audit.find(auditlog.ActionSignIn)); n != 11 {
		t.Fatalf("%d sign-in events, want 10 failures and one rate-limit", n)
	}
	if ev := e.audit.last(t); ev.Outcome != auditlog.OutcomeRateLimited || ev.Actor != "sami" {
		t.Fatalf("event %+v", ev)
	}
	for _, ev := range e.audit.all() {
		if strings.Contains(fmt.Sprintf("%+v", ev), "198.51") {
			t.Fatal("client address in the audit log")
		}
	}
	// Another client is not affected.
	if _, _, err := e.svc.SignIn(ctx, "sami", []byte(pw), "203.0.113.9"); err != nil {
		t.Fatal(err)
	}
	// The bucket refills at 10 a minute.
	e.clock.Advance(6 * time.Second)
	if _, _, err := e.svc.SignIn(ctx, "sami", []byte(pw), "198.51.100.7"); err != nil {
		t.Fatal(err)
	}
	_, _, err := e.svc.SignIn(ctx, "sami", []byte(pw), "198.51.100.7")
	wantErr(t, err, ErrRateLimited)
}

func TestLimiterBounded(t *testing.T) {
	l := newLimiter(1)
	now := time.Now()
	for i := range maxClients + 50 {
		l.allow(fmt.Sprint("client", i), now)
	}
	if len(l.byKey) != maxClients || l.order.Len() != maxClients {
		t.Fatalf("%d clients kept, want %d", len(l.byKey), maxClients)
	}
	// The most recent client is still limited; the oldest was forgotten.
	if ok, _, _ := l.allow(fmt.Sprint("client", maxClients+49), now); ok {
		t.Fatal("recent client forgotten")
	}
	if ok, _, _ := l.allow("client0", now); !ok {
		t.Fatal("oldest client kept")
	}
}

func TestSessionFixation(t *testing.T) {
	e := newEnv(t)
	e.addUser(t, "huda", RoleReviewer)
	s1, p1 := e.signIn(t, "huda")
	s2, p2 := e.signIn(t, "huda")
	if s1 == s2 || p1.SessionID == p2.SessionID {
		t.Fatal("two sign-ins share a session")
	}
	for _, made := range []string{"", "x", newSecret(), strings.Repeat("A", 43), p1.SessionID, s1 + "A"} {
		_, err := e.svc.Session(ctx, made)
		wantErr(t, err, ErrNoSession)
	}
	if err := e.svc.SignOut(ctx, s1); err != nil {
		t.Fatal(err)
	}
	if ev := e.audit.last(t); ev.Action != auditlog.ActionSignOut || ev.Actor != "huda" {
		t.Fatalf("event %+v", ev)
	}
	_, err := e.svc.Session(ctx, s1)
	wantErr(t, err, ErrNoSession)
	wantErr(t, e.svc.SignOut(ctx, s1), ErrNoSession)
	if _, err := e.svc.Session(ctx, s2); err != nil {
		t.Fatal(err)
	}
	e.signIn(t, "huda")
	n, err := e.svc.SignOutEverywhere(ctx, "admin1", "huda")
	if err != nil || n != 2 {
		t.Fatalf("signed out %d sessions, %v", n, err)
	}
	if ev := e.audit.last(t); ev.Action != auditlog.ActionSignOutAll || ev.Actor != "admin1" || ev.SubjectID != "huda" {
		t.Fatalf("event %+v", ev)
	}
	_, err = e.svc.Session(ctx, s2)
	wantErr(t, err, ErrNoSession)
	_, err = e.svc.SignOutEverywhere(ctx, "admin1", "nobody")
	wantErr(t, err, ErrNotFound)
}

func (e *env) countSessions(t *testing.T) int {
	t.Helper()
	var n int
	if err := e.db.QueryRow(ctx, `SELECT count(*) FROM sessions`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestSessionIdleExpiry(t *testing.T) {
	e := newEnv(t)
	e.addUser(t, "huda", RoleReviewer)
	secret, p := e.signIn(t, "huda")

	lastSeen := func() string {
		var s string
		if err := e.db.QueryRow(ctx, `SELECT last_seen FROM sessions WHERE id_hash = $1`, p.SessionID).Scan(&s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	first := lastSeen()
	e.clock.Advance(30 * time.Second)
	if _, err := e.svc.Session(ctx, secret); err != nil {
		t.Fatal(err)
	}
	if lastSeen() != first {
		t.Fatal("last_seen written within a minute")
	}
	e.clock.Advance(31 * time.Second)
	if _, err := e.svc.Session(ctx, secret); err != nil {
		t.Fatal(err)
	}
	if lastSeen() == first {
		t.Fatal("last_seen not written after a minute")
	}
	e.clock.Advance(2 * time.Hour)
	if _, err := e.svc.Session(ctx, secret); err != nil {
		t.Fatalf("exactly idle limit: %v", err)
	}
	e.clock.Advance(2*time.Hour + time.Second)
	_, err := e.svc.Session(ctx, secret)
	wantErr(t, err, ErrNoSession)
	if n := e.countSessions(t); n != 0 {
		t.Fatalf("%d sessions left after idle expiry", n)
	}
}

func TestSessionAbsoluteExpiry(t *testing.T) {
	e := newEnv(t)
	e.addUser(t, "huda", RoleReviewer)
	secret, _ := e.signIn(t, "huda")
	for range 11 { // active all day, every hour
		e.clock.Advance(time.Hour)
		if _, err := e.svc.Session(ctx, secret); err != nil {
			t.Fatal(err)
		}
	}
	e.clock.Advance(59 * time.Minute)
	if _, err := e.svc.Session(ctx, secret); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(time.Minute)
	_, err := e.svc.Session(ctx, secret)
	wantErr(t, err, ErrNoSession)
	if n := e.countSessions(t); n != 0 {
		t.Fatalf("%d sessions left after absolute expiry", n)
	}
}

func TestSignInSweepsDeadSessions(t *testing.T) {
	e := newEnv(t)
	e.addUser(t, "huda", RoleReviewer)
	e.signIn(t, "huda")
	e.signIn(t, "huda")
	e.clock.Advance(3 * time.Hour)
	e.signIn(t, "huda")
	if n := e.countSessions(t); n != 1 {
		t.Fatalf("%d sessions, want the new one only", n)
	}
}

func TestRoleAndPasswordChangeEndSessions(t *testing.T) {
	e := newEnv(t)
	e.addUser(t, "adel", RoleAnalyst)
	secret, _ := e.signIn(t, "adel")
	if err := e.svc.SetRole(ctx, "admin1", "adel", RoleReviewer); err != nil {
		t.Fatal(err)
	}
	ev := e.audit.last(t)
	if ev.Action != auditlog.ActionRoleChange || ev.Detail != "analyst→reviewer" || ev.Actor != "admin1" || ev.SubjectID != "adel" {
		t.Fatalf("event %+v", ev)
	}
	_, err := e.svc.Session(ctx, secret)
	wantErr(t, err, ErrNoSession)
	secret, p := e.signIn(t, "adel")
	if p.Role != RoleReviewer || !p.Role.CanReadSealed() {
		t.Fatalf("role after change %s", p.Role)
	}
	wantField(t, e.svc.SetRole(ctx, "admin1", "adel", RolePublic), "role", "not_assignable")
	wantErr(t, e.svc.SetRole(ctx, "admin1", "nobody", RoleAdmin), ErrNotFound)

	const newPW = "a new and longer passphrase"
	if err := e.svc.SetPassword(ctx, "adel", "adel", []byte(newPW)); err != nil {
		t.Fatal(err)
	}
	if ev := e.audit.last(t); ev.Action != auditlog.ActionPasswordChange || ev.Actor != "adel" || ev.Role != "reviewer" {
		t.Fatalf("event %+v", ev)
	}
	_, err = e.svc.Session(ctx, secret)
	wantErr(t, err, ErrNoSession)
	_, _, err = e.svc.SignIn(ctx, "adel", []byte(pw), "c2")
	wantErr(t, err, ErrBadCredentials)
	if _, _, err := e.svc.SignIn(ctx, "adel", []byte(newPW), "c2"); err != nil {
		t.Fatal(err)
	}
	wantField(t, e.svc.SetPassword(ctx, "admin1", "adel", []byte("short")), "password", "too_short")
}

func TestDisable(t *testing.T) {
	e := newEnv(t)
	e.addUser(t, "nour", RoleAnalyst)
	secret, _ := e.signIn(t, "nour")
	tok, _, err := e.svc.AddToken(ctx, "nour", "nour", "laptop script", RoleAnalyst, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.svc.Disable(ctx, "admin1", "nour"); err != nil {
		t.Fatal(err)
	}
	if ev := e.audit.last(t); ev.Action != auditlog.ActionUserDisable || ev.SubjectID != "nour" {
		t.Fatalf("event %+v", ev)
	}
	_, err = e.svc.Session(ctx, secret)
	wantErr(t, err, ErrNoSession)
	_, err = e.svc.Token(ctx, tok)
	wantErr(t, err, ErrNoSession)
	_, _, err = e.svc.SignIn(ctx, "nour", []byte(pw), "c1")
	wantErr(t, err, ErrDisabled)
	if ev := e.audit.last(t); ev.Outcome != auditlog.OutcomeDisabled {
		t.Fatalf("event %+v", ev)
	}
	// A wrong password on a disabled account says only that it is wrong.
	_, _, err = e.svc.SignIn(ctx, "nour", []byte("wrong wrong wrong"), "c1")
	wantErr(t, err, ErrBadCredentials)
	_, _, err = e.svc.AddToken(ctx, "nour", "nour", "another", RoleReporter, time.Time{})
	wantErr(t, err, ErrDisabled)
	if u, _ := e.svc.User(ctx, "nour"); !u.Disabled {
		t.Fatal("User does not show disabled")
	}

	if err := e.svc.Enable(ctx, "admin1", "nour"); err != nil {
		t.Fatal(err)
	}
	if ev := e.audit.last(t); ev.Action != auditlog.ActionUserEnable {
		t.Fatalf("event %+v", ev)
	}
	e.signIn(t, "nour")
	if _, err := e.svc.Token(ctx, tok); err != nil {
		t.Fatal(err)
	}
}

func TestRehashOnSignIn(t *testing.T) {
	e := newEnv(t)
	e.addUser(t, "maya", RoleReporter)
	hash := func() string {
		var h string
		if err := e.db.QueryRow(ctx, `SELECT password_hash FROM users WHERE username = 'maya'`).Scan(&h); err != nil {
			t.Fatal(err)
		}
		return h
	}
	if !strings.HasPrefix(hash(), "$argon2id$v=19$m=8192,t=1,p=1$") {
		t.Fatalf("hash %.40s…", hash())
	}
	stronger := Params{Time: 2, MemoryKiB: 16 * 1024, Threads: 2}
	svc2 := e.service(stronger)
	if _, _, err := svc2.SignIn(ctx, "maya", []byte(pw), "c1"); err != nil {
		t.Fatal(err)
	}
	h := hash()
	if !strings.HasPrefix(h, "$argon2id$v=19$m=16384,t=2,p=2$") {
		t.Fatalf("not rehashed: %.40s…", h)
	}
	// Same params: no rehash.
	if _, _, err := svc2.SignIn(ctx, "maya", []byte(pw), "c1"); err != nil {
		t.Fatal(err)
	}
	if hash() != h {
		t.Fatal("rehashed with unchanged params")
	}
	// A wrong password does not rehash.
	if _, _, err := e.svc.SignIn(ctx, "maya", []byte("wrong wrong wrong"), "c1"); !errors.Is(err, ErrBadCredentials) {
		t.Fatal(err)
	}
	if hash() != h {
		t.Fatal("rehashed on a wrong password")
	}
}

func TestConcurrentSignIns(t *testing.T) {
	e := newEnv(t)
	e.addUser(t, "team", RoleAnalyst)
	var wg sync.WaitGroup
	secrets := make([]string, 12)
	errs := make([]error, 12)
	for i := range secrets {
		wg.Go(func() {
			s, _, err := e.svc.SignIn(ctx, "team", []byte(pw), fmt.Sprint("client", i))
			if err == nil {
				_, err = e.svc.Session(ctx, s)
			}
			secrets[i], errs[i] = s, err
		})
	}
	wg.Wait()
	seen := map[string]bool{}
	for i, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
		if seen[secrets[i]] {
			t.Fatal("secret repeated")
		}
		seen[secrets[i]] = true
	}
	if n := e.countSessions(t); n != 12 {
		t.Fatalf("%d sessions", n)
	}
}
