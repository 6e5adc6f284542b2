package auth

import "context"

// Principal is who a request acts for: an account signed in through a
// session or acting through an API token. A nil *Principal is anonymous,
// with RolePublic.
type Principal struct {
	UserID      string
	Username    string
	DisplayName string
	// Role is what the request may do: the account's role, or for a token
	// the lower of the token's role and its owner's.
	Role Role
	// Via is "session" or "token".
	Via string
	// SessionID is the stored id (the hash of the secret) of the session,
	// for signing out; "" for a token.
	SessionID string
	// TokenID is the token's public id; "" for a session.
	TokenID string
}

// Name is the name to show: the display name, else the username.
func (p *Principal) Name() string {
	if p == nil {
		return ""
	}
	if p.DisplayName != "" {
		return p.DisplayName
	}
	return p.Username
}

type principalKey struct{}

// WithPrincipal returns ctx carrying p.
func WithPrincipal(ctx context.Context, p *Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// FromContext returns the Principal ctx carries, or nil for an anonymous
// (public) request.
func FromContext(ctx context.Context) *Principal {
	p, _ := ctx.Value(principalKey{}).(*Principal)
	return p
}
