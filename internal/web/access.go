package web

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/tawthiq/tawthiq/internal/auth"
	"github.com/tawthiq/tawthiq/internal/web/api"
	"github.com/tawthiq/tawthiq/internal/web/ui"
)

// Who may use what. Every route has a least role here; a route missing
// from these tables is refused to everyone (deny by default), and
// TestEveryRouteHasAPolicy fails until it is added. Roles are ordered:
// public (anonymous) < reporter < analyst < reviewer < admin. What a role
// may see inside a route it may use (a reporter's own reports, the public
// incidents) is decided by the handler.

// apiPolicy is the least role of every API route outside the record
// collections.
var apiPolicy = map[string]auth.Role{
	"GET /healthz":                              auth.RolePublic,
	"GET /api/openapi.json":                     auth.RolePublic,
	"GET /api/v1/vocabularies":                  auth.RolePublic,
	"GET /api/v1/vocabularies/{id}":             auth.RolePublic,
	"GET /api/v1/me":                            auth.RoleReporter,
	"GET /api/v1/records/{id}":                  auth.RoleAnalyst,
	"GET /api/v1/reports/{id}/extraction":       auth.RoleAnalyst,
	"GET /api/v1/reports/{id}/facts":            auth.RoleAnalyst,
	"GET /api/v1/reports/{id}/facts/history":    auth.RoleAnalyst,
	"POST /api/v1/reports/{id}/facts":           auth.RoleAnalyst,
	"POST /api/v1/reports/{id}/incident":        auth.RoleAnalyst,
	"POST /api/v1/reports/{id}/link":            auth.RoleAnalyst,
	"GET /api/v1/search":                        auth.RoleAnalyst,
	"POST /api/v1/reports/{id}/evidence":        auth.RoleReporter, // own reports only (handler)
	"GET /api/v1/evidence/{id}/custody":         auth.RoleAnalyst,
	"GET /api/v1/evidence/{id}/original":        auth.RoleAnalyst,
	"POST /api/v1/evidence/{id}/published-copy": auth.RoleAnalyst,
	"GET /api/v1/evidence/{id}/copies/{sha256}": auth.RoleAnalyst,
	"POST /api/v1/evidence/{id}/check":          auth.RoleAnalyst,
	"GET /api/v1/evidence/{id}/package":         auth.RoleAnalyst,
	"POST /api/v1/reports/{id}/uploads":         auth.RoleReporter, // own reports only (handler)
	"HEAD /api/v1/uploads/{uid}":                auth.RoleReporter, // own uploads only (handler)
	"GET /api/v1/uploads/{uid}":                 auth.RoleReporter,
	"PATCH /api/v1/uploads/{uid}":               auth.RoleReporter,
	"DELETE /api/v1/uploads/{uid}":              auth.RoleReporter,
	"GET /ledger/checkpoint":                    auth.RolePublic, // the ledger holds no plaintext:
	"GET /ledger/key":                           auth.RolePublic, // anyone may verify it
	"GET /ledger/tile/{path...}":                auth.RolePublic,
	"GET /api/v1/ledger":                        auth.RolePublic,
	"GET /api/v1/ledger/entries/{index}":        auth.RolePublic,
	"GET /api/v1/ledger/proofs/inclusion":       auth.RolePublic,
	"GET /api/v1/ledger/proofs/consistency":     auth.RolePublic,
	"GET /api/v1/audit":                         auth.RoleAdmin,
	"GET /api/v1/users":                         auth.RoleAdmin,
}

// collectionPolicy is the least role of the generic record routes. The
// first match wins: collection-specific rules come before the general
// ones. A reporter's reads and writes of reports are their own only, the
// public's reads of incidents published ones only (both in the handler).
func collectionPolicy(rt api.Route) (auth.Role, bool) {
	suffix := strings.TrimPrefix(rt.Pattern, "/api/v1/"+rt.Collection)
	op := rt.Method + " " + suffix
	switch {
	case rt.Collection == "incidents" && (op == "GET " || op == "GET /{id}"):
		return auth.RolePublic, true
	case rt.Collection == "reports" && (op == "GET " || op == "GET /{id}" || op == "POST "):
		return auth.RoleReporter, true
	case rt.Collection == "assessments" && (op == "POST " || op == "PUT /{id}"):
		return auth.RoleReviewer, true // gradings and verdicts are reviewers'
	case op == "POST /{id}/retract" || op == "POST /{id}/restore":
		return auth.RoleReviewer, true
	case op == "GET " || op == "GET /{id}" || op == "GET /{id}/history" || op == "GET /{id}/revisions/{rev}" ||
		op == "GET /{id}/related" || op == "POST " || op == "PUT /{id}":
		return auth.RoleAnalyst, true
	}
	return "", false
}

// uiPolicy is the least role of every page and form.
var uiPolicy = map[string]auth.Role{
	"GET /signin":                 auth.RolePublic,
	"POST /signin":                auth.RolePublic,
	"POST /signout":               auth.RolePublic,
	"GET /static/":                auth.RolePublic,
	"POST /lang":                  auth.RolePublic,
	"GET /{$}":                    auth.RoleReporter, // reporters are sent to their reports
	"GET /settings":               auth.RoleReporter,
	"POST /settings/signout-all":  auth.RoleReporter,
	"GET /intake":                 auth.RoleReporter,
	"POST /intake":                auth.RoleReporter,
	"GET /reports":                auth.RoleReporter, // own reports only (handler)
	"GET /reports/{id}":           auth.RoleReporter, // own reports only (handler)
	"POST /reports/{id}/facts":    auth.RoleAnalyst,
	"POST /reports/{id}/incident": auth.RoleAnalyst,
	"POST /reports/{id}/link":     auth.RoleAnalyst,
	"POST /reports/{id}/reporter": auth.RoleReviewer, // show the sealed reporter
	"GET /incidents":              auth.RoleAnalyst,
	"GET /incidents/facets":       auth.RoleAnalyst,
	"GET /incidents/{id}":         auth.RoleAnalyst,
	"GET /map":                    auth.RoleAnalyst,
	"GET /map/points.json":        auth.RoleAnalyst,
	"GET /map/boundaries/{level}": auth.RoleAnalyst,
	"GET /stats":                  auth.RoleAnalyst,
	"GET /stats/{table}":          auth.RoleAnalyst,
	"GET /ledger":                 auth.RoleAnalyst,
	"GET /ledger/check":           auth.RoleAnalyst,
	"GET /admin/audit":            auth.RoleAdmin,
	"GET /admin/users":            auth.RoleAdmin,
}

// APIRole returns the least role of an API route and whether it has one.
func APIRole(rt api.Route) (auth.Role, bool) {
	if rt.Collection != "" {
		if r, ok := collectionPolicy(rt); ok {
			return r, true
		}
	}
	r, ok := apiPolicy[rt.Method+" "+rt.Pattern]
	return r, ok
}

// UIRole returns the least role of a page and whether it has one.
func UIRole(rt ui.Route) (auth.Role, bool) {
	r, ok := uiPolicy[rt.Method+" "+rt.Pattern]
	return r, ok
}

// SessionCookie is the session's cookie. The __Host- prefix makes the
// browser refuse it unless it is Secure, has Path=/ and no Domain, so no
// other host (a subdomain) can set or overwrite it.
const SessionCookie = "__Host-tawthiq_session"

// authenticator finds who makes a request: an API token in
// Authorization: Bearer, else the session cookie, else nobody (public).
type authenticator struct {
	svc *auth.Service
}

// errBadToken is a bearer token that is unknown, revoked or expired.
var errBadToken = errors.New("web: bad bearer token")

func (a authenticator) principal(r *http.Request) (*auth.Principal, error) {
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, secret, ok := strings.Cut(h, " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(secret) == "" {
			return nil, errBadToken
		}
		p, err := a.svc.Token(r.Context(), strings.TrimSpace(secret))
		if err != nil {
			if errors.Is(err, auth.ErrNoSession) {
				return nil, errBadToken
			}
			return nil, err
		}
		return p, nil
	}
	c, err := r.Cookie(SessionCookie)
	if err != nil || c.Value == "" {
		return nil, nil
	}
	p, err := a.svc.Session(r.Context(), c.Value)
	if errors.Is(err, auth.ErrNoSession) {
		return nil, nil // expired or signed out: anonymous
	}
	return p, err
}

// guard wraps a route's handler: it finds the caller and lets the request
// through only if the caller's role is at least min. An anonymous caller
// who needs more gets unauthorized (401, or the sign-in page), a signed-in
// one forbidden (403).
func (a authenticator) guard(min auth.Role, ok bool, h http.HandlerFunc, unauthorized, forbidden, fail func(http.ResponseWriter, *http.Request, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p, err := a.principal(r)
		if err != nil {
			fail(w, r, err)
			return
		}
		role := auth.RolePublic
		if p != nil {
			role = p.Role
			r = r.WithContext(auth.WithPrincipal(r.Context(), p))
		}
		switch {
		case !ok: // no policy: nobody
			forbidden(w, r, nil)
		case role.AtLeast(min):
			h(w, r)
		case p == nil:
			unauthorized(w, r, nil)
		default:
			forbidden(w, r, nil)
		}
	}
}

// principalFrom is auth.FromContext, for handlers in this package.
func principalFrom(ctx context.Context) *auth.Principal { return auth.FromContext(ctx) }
