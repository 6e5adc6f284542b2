package auth

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/tawthiq/tawthiq/internal/auditlog"
	"github.com/tawthiq/tawthiq/internal/sqldb"
)

// cheap are argon2id costs small enough for tests.
var cheap = Params{Time: 1, MemoryKiB: 8 * 1024, Threads: 1}

// clock is a fake time that moves only when told.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// recorder is an auditlog.Recorder that keeps events in memory. Events
// recorded in a transaction that rolls back are kept too: the tests look
// only at what was asked to be recorded.
type recorder struct {
	mu     sync.Mutex
	events []auditlog.Event
}

func (r *recorder) Record(_ context.Context, _ *sqldb.Tx, e auditlog.Event) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, e)
	return nil
}

func (r *recorder) all() []auditlog.Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.events)
}

func (r *recorder) last(t *testing.T) auditlog.Event {
	t.Helper()
	ev := r.all()
	if len(ev) == 0 {
		t.Fatal("no audit event")
	}
	return ev[len(ev)-1]
}

// find returns the events with this action.
func (r *recorder) find(action string) []auditlog.Event {
	var out []auditlog.Event
	for _, e := range r.all() {
		if e.Action == action {
			out = append(out, e)
		}
	}
	return out
}

type env struct {
	svc   *Service
	db    *sqldb.DB
	clock *clock
	audit *recorder
	path  string
}

func newEnv(t *testing.T) *env {
	t.Helper()
	path := filepath.Join(t.TempDir(), "tawthiq.db")
	db, err := sqldb.CreateSQLite(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	e := &env{db: db, path: path, audit: &recorder{},
		clock: &clock{t: time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)}}
	e.svc = e.service(cheap)
	return e
}

// service is another Service on the same database, clock and recorder.
func (e *env) service(p Params) *Service {
	return New(e.db, Options{Params: p, Now: e.clock.Now, Audit: e.audit})
}

var ctx = context.Background()

const pw = "نص سري طويل جدا 2026"

func (e *env) addUser(t *testing.T, username string, role Role) *User {
	t.Helper()
	u, err := e.svc.AddUser(ctx, "system", username, "", role, []byte(pw))
	if err != nil {
		t.Fatalf("add %s: %v", username, err)
	}
	return u
}

func (e *env) signIn(t *testing.T, username string) (string, *Principal) {
	t.Helper()
	secret, p, err := e.svc.SignIn(ctx, username, []byte(pw), "192.0.2.1")
	if err != nil {
		t.Fatalf("sign in %s: %v", username, err)
	}
	return secret, p
}

func wantErr(t *testing.T, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("error %v, want %v", err, target)
	}
}

func wantField(t *testing.T, err error, field, code string) *Error {
	t.Helper()
	var fe *Error
	if !errors.As(err, &fe) {
		t.Fatalf("error %v, want *Error on %s", err, field)
	}
	if fe.Field != field || fe.Code != code {
		t.Fatalf("error on %s/%s, want %s/%s", fe.Field, fe.Code, field, code)
	}
	return fe
}
