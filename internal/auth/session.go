package auth

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/tawthiq/tawthiq/internal/auditlog"
	"github.com/tawthiq/tawthiq/internal/sqldb"
)

// touchEvery is how stale last_seen or last_used may get before a request
// writes it again: it keeps reads from turning into writes.
const touchEvery = time.Minute

// SignIn checks a username and password and starts a new session. client
// identifies where the attempt comes from (the remote address) for the
// rate limit only: it is neither stored nor audited.
//
// The secret returned goes to the client (in a cookie) and nowhere else;
// the database keeps its hash. Errors: *RateLimitedError, *LockedError
// (even for the right password), ErrBadCredentials (unknown username or
// wrong password, never saying which), ErrDisabled (right password,
// disabled account). Every attempt is audited, except that a flood from
// one client is audited once per run of refusals.
func (s *Service) SignIn(ctx context.Context, username string, password []byte, client string) (string, *Principal, error) {
	now := s.now()
	if ok, wait, first := s.limit.allow(client, now); !ok {
		if first {
			if err := s.auditRateLimited(ctx, username); err != nil {
				return "", nil, err
			}
		}
		return "", nil, &RateLimitedError{RetryAfter: wait}
	}
	a, err := s.findForSignIn(ctx, username)
	if errors.Is(err, ErrNotFound) {
		s.verifyDummy(password)
		return "", nil, s.signInRefused(ctx, nil, auditlog.OutcomeBadCredentials, ErrBadCredentials)
	}
	if err != nil {
		return "", nil, err
	}
	if a.LockedUntil.After(now) {
		return "", nil, s.signInRefused(ctx, a, auditlog.OutcomeLocked, &LockedError{Until: a.LockedUntil})
	}
	ok, stale, err := verifyPassword(a.hash, password, s.o.Params)
	if err != nil {
		return "", nil, fmt.Errorf("auth: sign in %s: %w", a.Username, err)
	}
	if !ok {
		return "", nil, s.signInFailed(ctx, a, now)
	}
	if a.Disabled {
		return "", nil, s.signInRefused(ctx, a, auditlog.OutcomeDisabled, ErrDisabled)
	}
	rehash := ""
	if stale {
		if rehash, err = hashPassword(password, s.o.Params); err != nil {
			return "", nil, fmt.Errorf("auth: sign in %s: rehash: %w", a.Username, err)
		}
	}
	return s.startSession(ctx, a, rehash, now)
}

// findForSignIn reads the account a typed username names; ErrNotFound for
// one that breaks the username rules too.
func (s *Service) findForSignIn(ctx context.Context, username string) (*account, error) {
	u, err := normUsername(username)
	if err != nil {
		return nil, ErrNotFound
	}
	return getAccount(ctx, s.db, u)
}

// verifyDummy spends the time a real verification would, so an unknown
// username answers as slowly as a wrong password.
func (s *Service) verifyDummy(password []byte) {
	s.dummyOnce.Do(func() {
		s.dummy, _ = hashPassword(randomBytes(32), s.o.Params)
	})
	_, _, _ = verifyPassword(s.dummy, password, s.o.Params)
}

// signInEvent is the audit event of a sign-in by a (nil: unknown username).
func signInEvent(a *account, outcome, detail string) auditlog.Event {
	e := auditlog.Event{Action: auditlog.ActionSignIn, Outcome: outcome, Detail: detail}
	if a != nil {
		e.Actor, e.Role, e.SubjectType, e.SubjectID = a.Username, string(a.Role), "user", a.Username
	}
	return e
}

// signInRefused audits a refused sign-in that changes nothing and returns
// refusal, or the audit's error: a refusal that cannot be audited is
// reported as a failure.
func (s *Service) signInRefused(ctx context.Context, a *account, outcome string, refusal error) error {
	if err := s.audit(ctx, nil, signInEvent(a, outcome, "")); err != nil {
		return err
	}
	return refusal
}

func (s *Service) auditRateLimited(ctx context.Context, username string) error {
	a, err := s.findForSignIn(ctx, username)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return err
	}
	return s.audit(ctx, nil, signInEvent(a, auditlog.OutcomeRateLimited, ""))
}

// signInFailed counts a wrong password and locks the account when the
// count reaches the threshold; the count starts again after a lock.
func (s *Service) signInFailed(ctx context.Context, a *account, now time.Time) error {
	err := s.db.WriteTx(ctx, func(tx *sqldb.Tx) error {
		var failed int
		err := tx.QueryRow(ctx, `UPDATE users SET failed_signins = failed_signins + 1 WHERE id = $1
			RETURNING failed_signins`, a.ID).Scan(&failed)
		if err != nil {
			return fmt.Errorf("auth: sign in %s: count failure: %w", a.Username, err)
		}
		detail := ""
		if failed >= s.o.LockoutThreshold {
			_, err := tx.Exec(ctx, `UPDATE users SET failed_signins = 0, locked_until = $2 WHERE id = $1`,
				a.ID, fmtTime(now.Add(s.o.LockoutDuration)))
			if err != nil {
				return fmt.Errorf("auth: sign in %s: lock: %w", a.Username, err)
			}
			detail = "locked"
		}
		return s.audit(ctx, tx, signInEvent(a, auditlog.OutcomeBadCredentials, detail))
	})
	if err != nil {
		return err
	}
	return ErrBadCredentials
}

// startSession records a successful sign-in: the failure count cleared,
// the hash redone if rehash is set, the account's dead sessions swept and
// a new session made. The account is read again inside the transaction so
// a password change, lock or disable that landed while the password was
// being verified wins (that rare refusal is not audited: the change that
// caused it was).
func (s *Service) startSession(ctx context.Context, a *account, rehash string, now time.Time) (string, *Principal, error) {
	secret := newSecret()
	p := &Principal{UserID: a.ID, Username: a.Username, DisplayName: a.DisplayName, Role: a.Role,
		Via: "session", SessionID: hashSecret(secret)}
	err := s.db.WriteTx(ctx, func(tx *sqldb.Tx) error {
		cur, err := getAccount(ctx, tx, a.Username)
		switch {
		case err != nil:
			return err
		case cur.ID != a.ID || cur.hash != a.hash:
			return ErrBadCredentials
		case cur.LockedUntil.After(now):
			return &LockedError{Until: cur.LockedUntil}
		case cur.Disabled:
			return ErrDisabled
		}
		p.Role, p.DisplayName = cur.Role, cur.DisplayName
		hash := cur.hash
		if rehash != "" {
			hash = rehash
		}
		if _, err := tx.Exec(ctx, `UPDATE users SET failed_signins = 0, locked_until = NULL, password_hash = $2
			WHERE id = $1`, a.ID, hash); err != nil {
			return fmt.Errorf("auth: sign in %s: %w", a.Username, err)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM sessions WHERE user_id = $1 AND (expires_at <= $2 OR last_seen <= $3)`,
			a.ID, fmtTime(now), fmtTime(now.Add(-s.o.SessionIdle))); err != nil {
			return fmt.Errorf("auth: sign in %s: sweep sessions: %w", a.Username, err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO sessions (id_hash, user_id, created_at, last_seen, expires_at)
			VALUES ($1, $2, $3, $3, $4)`, p.SessionID, a.ID, fmtTime(now), fmtTime(now.Add(s.o.SessionMax))); err != nil {
			return fmt.Errorf("auth: sign in %s: new session: %w", a.Username, err)
		}
		return s.audit(ctx, tx, signInEvent(cur, auditlog.OutcomeOK, ""))
	})
	if err != nil {
		return "", nil, err
	}
	return secret, p, nil
}

// Session returns who holds a session secret. An unknown, idle or
// expired session, or one whose account is disabled, is ErrNoSession (an
// expired one is deleted). last_seen is written at most once a minute.
func (s *Service) Session(ctx context.Context, secret string) (*Principal, error) {
	if !validSecret(secret) {
		return nil, ErrNoSession
	}
	now := s.now()
	p := &Principal{Via: "session", SessionID: hashSecret(secret)}
	var lastSeenS, expiresS string
	var disabled bool
	err := s.db.QueryRow(ctx, `SELECT s.last_seen, s.expires_at, u.id, u.username, u.display_name, u.role, u.disabled
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = $1`, p.SessionID).
		Scan(&lastSeenS, &expiresS, &p.UserID, &p.Username, &p.DisplayName, &p.Role, &disabled)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNoSession
	}
	if err != nil {
		return nil, fmt.Errorf("auth: session: %w", err)
	}
	lastSeen, err := parseTime(lastSeenS)
	if err != nil {
		return nil, err
	}
	expires, err := parseTime(expiresS)
	if err != nil {
		return nil, err
	}
	if now.Sub(lastSeen) > s.o.SessionIdle || !now.Before(expires) {
		err := s.db.WriteTx(ctx, func(tx *sqldb.Tx) error {
			_, err := tx.Exec(ctx, `DELETE FROM sessions WHERE id_hash = $1`, p.SessionID)
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("auth: session: delete expired: %w", err)
		}
		return nil, ErrNoSession
	}
	if disabled {
		return nil, ErrNoSession
	}
	if now.Sub(lastSeen) >= touchEvery {
		err := s.db.WriteTx(ctx, func(tx *sqldb.Tx) error {
			_, err := tx.Exec(ctx, `UPDATE sessions SET last_seen = $2 WHERE id_hash = $1 AND last_seen < $2`,
				p.SessionID, fmtTime(now))
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("auth: session: touch: %w", err)
		}
	}
	return p, nil
}

// SignOut ends the session with this secret. ErrNoSession if there is
// none (already ended or expired); the caller clears its cookie either way.
func (s *Service) SignOut(ctx context.Context, secret string) error {
	if !validSecret(secret) {
		return ErrNoSession
	}
	id := hashSecret(secret)
	return s.db.WriteTx(ctx, func(tx *sqldb.Tx) error {
		var username, role string
		err := tx.QueryRow(ctx, `SELECT u.username, u.role FROM sessions s JOIN users u ON u.id = s.user_id
			WHERE s.id_hash = $1`, id).Scan(&username, &role)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNoSession
		}
		if err != nil {
			return fmt.Errorf("auth: sign out: %w", err)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM sessions WHERE id_hash = $1`, id); err != nil {
			return fmt.Errorf("auth: sign out: %w", err)
		}
		e := userEvent(auditlog.ActionSignOut, username, username, "")
		e.Role = role
		return s.audit(ctx, tx, e)
	})
}

// SignOutEverywhere ends every session of the account and says how many
// there were. Its API tokens are not touched: revoke those one by one.
func (s *Service) SignOutEverywhere(ctx context.Context, actor, username string) (int, error) {
	var n int
	err := s.change(ctx, username, func(tx *sqldb.Tx, a *account) error {
		var err error
		if n, err = endSessions(ctx, tx, a.ID); err != nil {
			return err
		}
		return s.audit(ctx, tx, userEvent(auditlog.ActionSignOutAll, actor, a.Username, strconv.Itoa(n)))
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}
