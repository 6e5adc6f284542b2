package auth

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/tawthiq/tawthiq/internal/auditlog"
	"github.com/tawthiq/tawthiq/internal/sqldb"
)

// TokenPrefix starts every API token secret, so a leaked one is easy to
// recognise (and for secret scanners to find): tawthiq_<id>_<secret>, the
// id 12 hex digits, the secret 32 random bytes in unpadded base64url.
const TokenPrefix = "tawthiq_"

const tokenIDLen = 12

// Token is an API token as its owner sees it; its secret is shown once,
// by AddToken, and never kept.
type Token struct {
	ID        string
	Owner     string // the owner's username
	Name      string
	Role      Role // the most it may do; its owner's role caps it
	CreatedAt time.Time
	ExpiresAt *time.Time // nil: never
	RevokedAt *time.Time
	LastUsed  *time.Time
}

// tokenID returns the id in a token secret, or false if the secret does
// not have the shape AddToken makes.
func tokenID(secret string) (string, bool) {
	rest, ok := strings.CutPrefix(secret, TokenPrefix)
	if !ok || len(rest) != tokenIDLen+1+43 || rest[tokenIDLen] != '_' {
		return "", false
	}
	id := rest[:tokenIDLen]
	if !validTokenID(id) {
		return "", false
	}
	if _, err := base64.RawURLEncoding.Strict().DecodeString(rest[tokenIDLen+1:]); err != nil {
		return "", false
	}
	return id, true
}

// validTokenID reports whether id has the shape of a token id: 12
// lower-case hex digits.
func validTokenID(id string) bool {
	if len(id) != tokenIDLen || strings.ToLower(id) != id {
		return false
	}
	_, err := hex.DecodeString(id)
	return err == nil
}

// AddToken makes an API token for owner and returns its secret, which is
// shown once. role may not be above the owner's (an *Error on "role");
// expires zero means never, else it must be in the future (an *Error on
// "expires"). A disabled owner is ErrDisabled.
func (s *Service) AddToken(ctx context.Context, actor, owner, name string, role Role, expires time.Time) (string, *Token, error) {
	name, err := cleanTokenName(name)
	if err != nil {
		return "", nil, err
	}
	if err := checkRole(role); err != nil {
		return "", nil, err
	}
	now := s.now()
	if !expires.IsZero() && !expires.After(now) {
		return "", nil, invalid("expires", "in_past")
	}
	t := &Token{ID: hex.EncodeToString(randomBytes(tokenIDLen / 2)), Name: name, Role: role, CreatedAt: now}
	if !expires.IsZero() {
		e := expires.UTC()
		t.ExpiresAt = &e
	}
	secret := TokenPrefix + t.ID + "_" + newSecret()
	err = s.change(ctx, owner, func(tx *sqldb.Tx, a *account) error {
		t.Owner = a.Username
		if a.Disabled {
			return fmt.Errorf("auth: add token for %s: %w", a.Username, ErrDisabled)
		}
		if role.Rank() > a.Role.Rank() {
			return invalid("role", "above_owner")
		}
		_, err := tx.Exec(ctx, `INSERT INTO api_tokens (id, secret_hash, user_id, name, role, created_at, expires_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			t.ID, hashSecret(secret), a.ID, name, string(role), fmtTime(now), nullTime(expires))
		if err != nil {
			return fmt.Errorf("auth: add token for %s: %w", a.Username, err)
		}
		return s.audit(ctx, tx, auditlog.Event{Action: auditlog.ActionTokenAdd, Actor: actor,
			SubjectType: "token", SubjectID: t.ID, Outcome: auditlog.OutcomeOK, Detail: string(role)})
	})
	if err != nil {
		return "", nil, err
	}
	return secret, t, nil
}

// Token returns who acts through an API token secret, with the lower of
// the token's role and its owner's current role. A token that is unknown,
// revoked or expired, or whose owner is disabled, is ErrNoSession.
// last_used is written at most once a minute.
func (s *Service) Token(ctx context.Context, secret string) (*Principal, error) {
	id, ok := tokenID(secret)
	if !ok {
		return nil, ErrNoSession
	}
	now := s.now()
	p := &Principal{Via: "token"}
	var tokenRole Role
	var expiresS, revokedS, usedS sql.NullString
	var disabled bool
	err := s.db.QueryRow(ctx, `SELECT t.id, t.role, t.expires_at, t.revoked_at, t.last_used,
			u.id, u.username, u.display_name, u.role, u.disabled
		FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.secret_hash = $1`, hashSecret(secret)).
		Scan(&p.TokenID, &tokenRole, &expiresS, &revokedS, &usedS, &p.UserID, &p.Username, &p.DisplayName, &p.Role, &disabled)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNoSession
	}
	if err != nil {
		return nil, fmt.Errorf("auth: token: %w", err)
	}
	expires, err := parseNullTime(expiresS)
	if err != nil {
		return nil, err
	}
	used, err := parseNullTime(usedS)
	if err != nil {
		return nil, err
	}
	if p.TokenID != id || revokedS.Valid || disabled || (expires != nil && !now.Before(*expires)) {
		return nil, ErrNoSession
	}
	p.Role = lower(tokenRole, p.Role)
	if used == nil || now.Sub(*used) >= touchEvery {
		err := s.db.WriteTx(ctx, func(tx *sqldb.Tx) error {
			_, err := tx.Exec(ctx, `UPDATE api_tokens SET last_used = $2 WHERE id = $1`, p.TokenID, fmtTime(now))
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("auth: token %s: touch: %w", p.TokenID, err)
		}
	}
	return p, nil
}

// Tokens lists owner's tokens, revoked ones too, oldest first.
func (s *Service) Tokens(ctx context.Context, owner string) ([]Token, error) {
	u, err := lookupName(owner)
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
	rows, err := s.db.Query(ctx, `SELECT id, name, role, created_at, expires_at, revoked_at, last_used
		FROM api_tokens WHERE user_id = $1 ORDER BY created_at, id`, a.ID)
	if err != nil {
		return nil, fmt.Errorf("auth: tokens of %s: %w", u, err)
	}
	defer rows.Close()
	var out []Token
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			return nil, fmt.Errorf("auth: tokens of %s: %w", u, err)
		}
		t.Owner = u
		out = append(out, *t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("auth: tokens of %s: %w", u, err)
	}
	return out, nil
}

func scanToken(sc interface{ Scan(...any) error }) (*Token, error) {
	var t Token
	var created string
	var expires, revoked, used sql.NullString
	if err := sc.Scan(&t.ID, &t.Name, &t.Role, &created, &expires, &revoked, &used); err != nil {
		return nil, err
	}
	var err error
	if t.CreatedAt, err = parseTime(created); err != nil {
		return nil, err
	}
	if t.ExpiresAt, err = parseNullTime(expires); err != nil {
		return nil, err
	}
	if t.RevokedAt, err = parseNullTime(revoked); err != nil {
		return nil, err
	}
	if t.LastUsed, err = parseNullTime(used); err != nil {
		return nil, err
	}
	return &t, nil
}

// RevokeToken stops a token for good; its row stays, for the record.
// ErrNotFound if no token has that id; revoking a revoked token changes
// nothing.
func (s *Service) RevokeToken(ctx context.Context, actor, id string) error {
	if !validTokenID(id) {
		// Not quoted: it may be a whole secret pasted in the wrong place.
		return fmt.Errorf("auth: revoke token: %w", ErrNotFound)
	}
	return s.db.WriteTx(ctx, func(tx *sqldb.Tx) error {
		var revoked sql.NullString
		err := tx.QueryRow(ctx, `SELECT revoked_at FROM api_tokens WHERE id = $1`, id).Scan(&revoked)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("auth: token %q: %w", id, ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("auth: revoke token: %w", err)
		}
		if revoked.Valid {
			return nil
		}
		if _, err := tx.Exec(ctx, `UPDATE api_tokens SET revoked_at = $2 WHERE id = $1`, id, fmtTime(s.now())); err != nil {
			return fmt.Errorf("auth: revoke token %s: %w", id, err)
		}
		return s.audit(ctx, tx, auditlog.Event{Action: auditlog.ActionTokenRevoke, Actor: actor,
			SubjectType: "token", SubjectID: id, Outcome: auditlog.OutcomeOK})
	})
}
