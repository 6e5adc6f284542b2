// Package auth keeps Tawthiq's accounts and answers who is asking: people
// sign in with a username and password and get a session; programs use API
// tokens. Each account has a Role, and the roles are ordered.
//
// Invariants: no password, session secret or token secret is ever stored,
// logged, audited or put in an error in clear (the database holds an
// argon2id hash of each password and a SHA-256 of each secret); every
// change to an account is audited in the transaction that makes it; a
// sign-in always makes a new session, so a session id chosen by someone
// else is never adopted.
//
// The Service does not decide who may call it: the web layer and the
// command line check the caller's role before asking for a change, and
// pass the caller's username as the actor ("system" on the command line).
package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"sync"
	"time"

	"github.com/tawthiq/tawthiq/internal/auditlog"
	"github.com/tawthiq/tawthiq/internal/sqldb"
)

// Options tune the Service. A zero field takes its default.
type Options struct {
	// Params are the argon2id costs of new hashes (DefaultParams).
	Params Params
	// SessionIdle ends a session unused this long (2h); SessionMax ends
	// any session this old (12h).
	SessionIdle time.Duration
	SessionMax  time.Duration
	// LockoutThreshold wrong passwords in a row lock the account (5) for
	// LockoutDuration (15m).
	LockoutThreshold int
	LockoutDuration  time.Duration
	// RateLimit is how many sign-in attempts one client may make a minute
	// (10), as a token bucket: that many at once, then one every 60/n s.
	RateLimit int
	// Now is the clock (time.Now).
	Now func() time.Time
	// Audit records account events (auditlog.Discard).
	Audit auditlog.Recorder
}

// Service manages accounts, sessions and tokens. It is safe for concurrent
// use.
type Service struct {
	db    *sqldb.DB
	o     Options
	limit *limiter

	dummyOnce sync.Once
	dummy     string // a hash to verify against when the username is unknown
}

// New returns a Service on db, whose schema must be migrated.
func New(db *sqldb.DB, o Options) *Service {
	d := DefaultParams
	if o.Params.Time == 0 {
		o.Params.Time = d.Time
	}
	if o.Params.MemoryKiB == 0 {
		o.Params.MemoryKiB = d.MemoryKiB
	}
	if o.Params.Threads == 0 {
		o.Params.Threads = d.Threads
	}
	o.SessionIdle = orDefault(o.SessionIdle, 2*time.Hour)
	o.SessionMax = orDefault(o.SessionMax, 12*time.Hour)
	o.LockoutDuration = orDefault(o.LockoutDuration, 15*time.Minute)
	if o.LockoutThreshold <= 0 {
		o.LockoutThreshold = 5
	}
	if o.RateLimit <= 0 {
		o.RateLimit = 10
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Audit == nil {
		o.Audit = auditlog.Discard{}
	}
	return &Service{db: db, o: o, limit: newLimiter(o.RateLimit)}
}

func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

func (s *Service) now() time.Time { return s.o.Now().UTC() }

// timeLayout is RFC 3339 with a fixed nine-digit fraction, so stored times
// compare correctly as text; time.RFC3339Nano reads it back.
const timeLayout = "2006-01-02T15:04:05.000000000Z07:00"

func fmtTime(t time.Time) string { return t.UTC().Format(timeLayout) }

func parseTime(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("auth: stored time %q: %w", s, err)
	}
	return t.UTC(), nil
}

// parseNullTime reads a nullable time: nil for NULL.
func parseNullTime(s sql.NullString) (*time.Time, error) {
	if !s.Valid {
		return nil, nil
	}
	t, err := parseTime(s.String)
	return &t, err
}

func nullTime(t time.Time) sql.NullString {
	if t.IsZero() {
		return sql.NullString{}
	}
	return sql.NullString{String: fmtTime(t), Valid: true}
}

// randomBytes returns n bytes from crypto/rand, which never fails on the
// systems Go supports (it panics rather than return weak bytes).
func randomBytes(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return b
}

// newSecret is 32 random bytes in unpadded base64url (43 characters).
func newSecret() string { return base64.RawURLEncoding.EncodeToString(randomBytes(32)) }

// hashSecret is what the database keeps of a secret.
func hashSecret(secret string) string {
	h := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(h[:])
}

// validSecret reports whether s has the shape newSecret makes, so junk is
// refused before it reaches the database.
func validSecret(s string) bool {
	if len(s) != 43 {
		return false
	}
	_, err := base64.RawURLEncoding.Strict().DecodeString(s)
	return err == nil
}

// querier is the read side both the pool and a transaction offer.
type querier interface {
	QueryRow(ctx context.Context, q string, args ...any) *sql.Row
	Query(ctx context.Context, q string, args ...any) (*sql.Rows, error)
}

// actorRole is the current role of the account named actor, "" for
// "system" or a name that is no account.
func actorRole(ctx context.Context, q querier, actor string) (string, error) {
	var role string
	err := q.QueryRow(ctx, `SELECT role FROM users WHERE username = $1`, actor).Scan(&role)
	if err == sql.ErrNoRows {
		return "", nil
	}
	return role, err
}

// audit records an event done by actor in tx, filling in the actor's role.
func (s *Service) audit(ctx context.Context, tx *sqldb.Tx, e auditlog.Event) error {
	if e.Role == "" && e.Actor != "" {
		var q querier = s.db
		if tx != nil {
			q = tx
		}
		role, err := actorRole(ctx, q, e.Actor)
		if err != nil {
			return fmt.Errorf("auth: audit: %w", err)
		}
		e.Role = role
	}
	if err := s.o.Audit.Record(ctx, tx, e); err != nil {
		return fmt.Errorf("auth: audit %s: %w", e.Action, err)
	}
	return nil
}
