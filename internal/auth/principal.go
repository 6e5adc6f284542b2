package auth

import (
	"context"
	"net"
	"net/http"
)

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

// Username is the signed-in user's name in ctx ("" for the public).
func Username(ctx context.Context) string {
	if p := FromContext(ctx); p != nil {
		return p.Username
	}
	return ""
}

// RoleOf is the role of the caller in ctx (public when anonymous).
func RoleOf(ctx context.Context) Role {
	if p := FromContext(ctx); p != nil {
		return p.Role
	}
	return RolePublic
}

// ClientAddress is the network address a request came from: the key of
// the sign-in rate limit, and a reporter's address (kept sealed).
// Forwarded headers are not trusted.
func ClientAddress(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
