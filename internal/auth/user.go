package auth

import (
	"context"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/tawthiq/tawthiq/internal/auditlog"
	"github.com/tawthiq/tawthiq/internal/sqldb"
)

// User is an account as an admin sees it. No hash leaves the package.
type User struct {
	ID          string
	Username    string
	DisplayName string
	Role        Role
	Disabled    bool
	CreatedAt   time.Time
	UpdatedAt   time.Time
	// LockedUntil is when a lockout ends; zero when not locked.
	LockedUntil time.Time
}

// account is a users row with what sign-in needs.
type account struct {
	User
	hash   string
	failed int
}

const accountColumns = `id, username, display_name, role, disabled, locked_until, created_at, updated_at, password_hash, failed_signins`

func scanAccount(sc interface{ Scan(...any) error }) (*account, error) {
	var a account
	var locked sql.NullString
	var created, updated string
	err := sc.Scan(&a.ID, &a.Username, &a.DisplayName, &a.Role, &a.Disabled, &locked, &created, &updated, &a.hash, &a.failed)
	if err != nil {
		return nil, err
	}
	if a.CreatedAt, err = parseTime(created); err != nil {
		return nil, err
	}
	if a.UpdatedAt, err = parseTime(updated); err != nil {
		return nil, err
	}
	lu, err := parseNullTime(locked)
	if err != nil {
		return nil, err
	}
	if lu != nil {
		a.LockedUntil = *lu
	}
	return &a, nil
}

// getAccount reads the account with a username already normalised;
// ErrNotFound if there is none. Its errors do not repeat the username,
// which at sign-in may be a password typed in the wrong box.
func getAccount(ctx context.Context, q querier, username string) (*account, error) {
	a, err := scanAccount(q.QueryRow(ctx, `SELECT `+accountColumns+` FROM users WHERE username = $1`, username))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("auth: read account: %w", err)
	}
	return a, nil
}

// lookupName normalises a username given to find an account: one that
// breaks the rules names no account, so it is ErrNotFound.
func lookupName(username string) (string, error) {
	u, err := normUsername(username)
	if err != nil {
		return "", fmt.Errorf("auth: user: %w", ErrNotFound)
	}
	return u, nil
}

// checkRole refuses a role that is unknown or cannot be given.
func checkRole(r Role) error {
	switch {
	case r.Rank() < 0:
		return invalid("role", "unknown")
	case !r.account():
		return invalid("role", "not_assignable")
	}
	return nil
}

// userEvent is an audit event about the account username.
func userEvent(action, actor, username, detail string) auditlog.Event {
	return auditlog.Event{Action: action, Actor: actor, SubjectType: "user", SubjectID: username,
		Outcome: auditlog.OutcomeOK, Detail: detail}
}

// AddUser makes an account. A rule broken by the input is an *Error; a
// taken username is ErrExists.
func (s *Service) AddUser(ctx context.Context, actor, username, displayName string, role Role, password []byte) (*User, error) {
	u, err := normUsername(username)
	if err != nil {
		return nil, err
	}
	dn, err := cleanDisplayName(displayName)
	if err != nil {
		return nil, err
	}
	if err := checkRole(role); err != nil {
		return nil, err
	}
	if err := checkPassword(password, u); err != nil {
		return nil, err
	}
	hash, err := hashPassword(password, s.o.Params)
	if err != nil {
		return nil, fmt.Errorf("auth: add user %s: %w", u, err)
	}
	now := s.now()
	user := &User{ID: hex16(), Username: u, DisplayName: dn, Role: role, CreatedAt: now, UpdatedAt: now}
	err = s.db.WriteTx(ctx, func(tx *sqldb.Tx) error {
		if _, err := getAccount(ctx, tx, u); err == nil {
			return fmt.Errorf("auth: add user %s: %w", u, ErrExists)
		} else if !errors.Is(err, ErrNotFound) {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO users (id, username, display_name, role, password_hash, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $6)`, user.ID, u, dn, string(role), hash, fmtTime(now))
		if err != nil {
			return fmt.Errorf("auth: add user %s: %w", u, err)
		}
		return s.audit(ctx, tx, userEvent(auditlog.ActionUserAdd, actor, u, string(role)))
	})
	if err != nil {
		return nil, err
	}
	return user, nil
}

// hex16 is a random id: 16 bytes in hex.
func hex16() string { return hex.EncodeToString(randomBytes(16)) }

// change runs fn on the account in one write transaction.
func (s *Service) change(ctx context.Context, username string, fn func(tx *sqldb.Tx, a *account) error) error {
	u, err := lookupName(username)
	if err != nil {
		return err
	}
	return s.db.WriteTx(ctx, func(tx *sqldb.Tx) error {
		a, err := getAccount(ctx, tx, u)
		if errors.Is(err, ErrNotFound) {
			return fmt.Errorf("auth: user %s: %w", u, ErrNotFound)
		}
		if err != nil {
			return err
		}
		return fn(tx, a)
	})
}

// endSessions deletes every session of the account and says how many.
func endSessions(ctx context.Context, tx *sqldb.Tx, userID string) (int, error) {
	res, err := tx.Exec(ctx, `DELETE FROM sessions WHERE user_id = $1`, userID)
	if err != nil {
		return 0, fmt.Errorf("auth: end sessions: %w", err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// SetRole changes an account's role and ends its sessions, so the new role
// holds from the next sign-in. Its tokens keep their own role but never act
// above the account's. Setting the role it has changes nothing.
func (s *Service) SetRole(ctx context.Context, actor, username string, role Role) error {
	if err := checkRole(role); err != nil {
		return err
	}
	return s.change(ctx, username, func(tx *sqldb.Tx, a *account) error {
		if a.Role == role {
			return nil
		}
		if _, err := tx.Exec(ctx, `UPDATE users SET role = $2, updated_at = $3 WHERE id = $1`,
			a.ID, string(role), fmtTime(s.now())); err != nil {
			return fmt.Errorf("auth: set role of %s: %w", a.Username, err)
		}
		if _, err := endSessions(ctx, tx, a.ID); err != nil {
			return err
		}
		return s.audit(ctx, tx, userEvent(auditlog.ActionRoleChange, actor, a.Username, string(a.Role)+"→"+string(role)))
	})
}

// SetPassword replaces an account's password and ends its sessions. A
// password that breaks the policy is an *Error on "password".
func (s *Service) SetPassword(ctx context.Context, actor, username string, password []byte) error {
	u, err := lookupName(username)
	if err != nil {
		return err
	}
	if err := checkPassword(password, u); err != nil {
		return err
	}
	hash, err := hashPassword(password, s.o.Params)
	if err != nil {
		return fmt.Errorf("auth: set password of %s: %w", u, err)
	}
	return s.change(ctx, u, func(tx *sqldb.Tx, a *account) error {
		if _, err := tx.Exec(ctx, `UPDATE users SET password_hash = $2, updated_at = $3 WHERE id = $1`,
			a.ID, hash, fmtTime(s.now())); err != nil {
			return fmt.Errorf("auth: set password of %s: %w", a.Username, err)
		}
		if _, err := endSessions(ctx, tx, a.ID); err != nil {
			return err
		}
		return s.audit(ctx, tx, userEvent(auditlog.ActionPasswordChange, actor, a.Username, ""))
	})
}

// Disable stops an account: it cannot sign in, its sessions end and its
// tokens stop working. Disabling a disabled account changes nothing.
func (s *Service) Disable(ctx context.Context, actor, username string) error {
	return s.setDisabled(ctx, actor, username, true)
}

// Enable lets a disabled account sign in again, and its tokens work again.
func (s *Service) Enable(ctx context.Context, actor, username string) error {
	return s.setDisabled(ctx, actor, username, false)
}

func (s *Service) setDisabled(ctx context.Context, actor, username string, disabled bool) error {
	return s.change(ctx, username, func(tx *sqldb.Tx, a *account) error {
		if a.Disabled == disabled {
			return nil
		}
		if _, err := tx.Exec(ctx, `UPDATE users SET disabled = $2, updated_at = $3 WHERE id = $1`,
			a.ID, disabled, fmtTime(s.now())); err != nil {
			return fmt.Errorf("auth: disable or enable %s: %w", a.Username, err)
		}
		action := auditlog.ActionUserEnable
		if disabled {
			action = auditlog.ActionUserDisable
			if _, err := endSessions(ctx, tx, a.ID); err != nil {
				return err
			}
		}
		return s.audit(ctx, tx, userEvent(action, actor, a.Username, ""))
	})
}

// Unlock ends a lockout and clears the count of wrong passwords. It is
// audited as user_enable with detail "unlock" (the audit log has no action
// of its own for it).
func (s *Service) Unlock(ctx context.Context, actor, username string) error {
	return s.change(ctx, username, func(tx *sqldb.Tx, a *account) error {
		if a.failed == 0 && a.LockedUntil.IsZero() {
			return nil
		}
		if _, err := tx.Exec(ctx, `UPDATE users SET failed_signins = 0, locked_until = NULL WHERE id = $1`, a.ID); err != nil {
			return fmt.Errorf("auth: unlock %s: %w", a.Username, err)
		}
		return s.audit(ctx, tx, userEvent(auditlog.ActionUserUnlock, actor, a.Username, ""))
	})
}

// User returns one account; ErrNotFound if there is none.
func (s *Service) User(ctx context.Context, username string) (*User, error) {
	u, err := lookupName(username)
	if err != nil {
		return nil, err
	}
	a, err := getAccount(ctx, s.db, u)
	if errors.Is(err, ErrNotFound) {
		return nil, fmt.Errorf("auth: user %s: %w", u, ErrNotFound)
	}
	if err != nil {
		return nil, err
	}
	return s.public(a), nil
}

// Users lists every account by username.
func (s *Service) Users(ctx context.Context) ([]User, error) {
	rows, err := s.db.Query(ctx, `SELECT `+accountColumns+` FROM users ORDER BY username`)
	if err != nil {
		return nil, fmt.Errorf("auth: users: %w", err)
	}
	defer rows.Close()
	var out []User
	for rows.Next() {
		a, err := scanAccount(rows)
		if err != nil {
			return nil, fmt.Errorf("auth: users: %w", err)
		}
		out = append(out, *s.public(a))
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("auth: users: %w", err)
	}
	return out, nil
}

// public is the User of an account, with a lockout that has ended shown
// as none.
func (s *Service) public(a *account) *User {
	u := a.User
	if !u.LockedUntil.After(s.now()) {
		u.LockedUntil = time.Time{}
	}
	return &u
}
