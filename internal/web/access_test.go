package web_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/tawthiq/tawthiq/internal/app"
	"github.com/tawthiq/tawthiq/internal/app/apptest"
	"github.com/tawthiq/tawthiq/internal/auth"
	"github.com/tawthiq/tawthiq/internal/demo"
	"github.com/tawthiq/tawthiq/internal/record"
	"github.com/tawthiq/tawthiq/internal/web"
	"github.com/tawthiq/tawthiq/internal/web/api"
	"github.com/tawthiq/tawthiq/internal/web/ui"
)

// Every route of the API and of the pages has a least role: a route
// added without one would be refused to everyone, and this test names it.
func TestEveryRouteHasAPolicy(t *testing.T) {
	a, _ := apptest.New(t)
	pages, err := ui.New(ui.Deps{Service: a.Service, Store: a.Store, Vocab: a.Vocab, Accounts: a.Accounts})
	if err != nil {
		t.Fatal(err)
	}
	for _, rt := range (&api.API{}).Routes() {
		if _, ok := web.APIRole(rt); !ok {
			t.Errorf("API route %s %s has no policy", rt.Method, rt.Pattern)
		}
	}
	for _, rt := range pages.Routes() {
		if _, ok := web.UIRole(rt); !ok {
			t.Errorf("page %s %s has no policy", rt.Method, rt.Pattern)
		}
	}
}

// routeCase is one route with its path parameters filled in.
type routeCase struct {
	method, pattern, path string
	least                 auth.Role
	page                  bool
}

// fixtures are ids of sample records of each kind, for path parameters.
type fixtures struct {
	byType   map[record.Type]string
	evidence string
	sha256   string
}

func loadFixtures(t *testing.T, a *app.App) fixtures {
	t.Helper()
	ctx := context.Background()
	if _, err := demo.Load(ctx, a.Service); err != nil {
		t.Fatal(err)
	}
	if _, err := demo.LoadEvidence(ctx, a.Evidence, a.Store); err != nil {
		t.Fatal(err)
	}
	f := fixtures{byType: map[record.Type]string{}}
	for _, typ := range record.Types() {
		recs, _, err := a.Store.List(ctx, record.Query{Type: typ, Limit: 1})
		if err != nil || len(recs) == 0 {
			t.Fatalf("no sample %s: %v", typ, err)
		}
		f.byType[typ] = recs[0].ID
		if typ == record.TypeEvidence {
			f.evidence = recs[0].ID
			var ev struct{ SHA256 string }
			if b, err := recs[0].Decode(); err == nil {
				ev.SHA256 = b.(*record.Evidence).SHA256
			}
			f.sha256 = ev.SHA256
		}
	}
	return f
}

// fill puts sample values into a route pattern's parameters.
func (f fixtures) fill(pattern, collection string) string {
	p := strings.TrimSuffix(strings.TrimSuffix(pattern, "{$}"), "/")
	if p == "" {
		p = "/"
	}
	id := f.byType[record.TypeIncident]
	switch {
	case collection != "":
		for _, c := range api.Collections() {
			if c.Name == collection {
				id = f.byType[c.Type]
			}
		}
	case strings.Contains(p, "/reports/"):
		id = f.byType[record.TypeReport]
	case strings.Contains(p, "/evidence/"):
		id = f.evidence
	case strings.Contains(p, "/vocabularies/"):
		id = "incident_kind"
	}
	r := strings.NewReplacer("{id}", id, "{rev}", "1", "{sha256}", f.sha256, "{uid}", "no-such-upload",
		"{index}", "0", "{path...}", "tile/0/000", "{level}", "1.json", "{table}", "kinds.csv")
	return r.Replace(p)
}

// A table over every route and every role: a role at least the route's
// least role gets past the guard (neither 401 nor 403 from it); a lesser
// signed-in role gets 403; the public gets 401 from the API and the
// sign-in page (or 401 for a form) from the pages. Reading routes that
// the role may use succeed for the staff roles.
func TestRouteRoleTable(t *testing.T) {
	a, accs := apptest.New(t)
	f := loadFixtures(t, a)
	h, err := a.Site(app.ServeOptions{Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	pages, err := ui.New(ui.Deps{Service: a.Service, Store: a.Store, Vocab: a.Vocab, Accounts: a.Accounts})
	if err != nil {
		t.Fatal(err)
	}
	var cases []routeCase
	for _, rt := range (&api.API{}).Routes() {
		least, _ := web.APIRole(rt)
		cases = append(cases, routeCase{rt.Method, rt.Pattern, f.fill(rt.Pattern, rt.Collection), least, false})
	}
	for _, rt := range pages.Routes() {
		least, _ := web.UIRole(rt)
		path := f.fill(rt.Pattern, "")
		if rt.Pattern == "/static/" {
			path = "/static/app.css"
		}
		cases = append(cases, routeCase{rt.Method, rt.Pattern, path, least, true})
	}
	roles := append([]auth.Role{auth.RolePublic}, apptest.Roles...)
	// Reading routes whose answer depends on input the table does not
	// make (an upload in progress) may answer 404 or 400 past the guard.
	mayMiss := map[string]bool{"GET /api/v1/uploads/{uid}": true, "HEAD /api/v1/uploads/{uid}": true,
		"GET /ledger/tile/{path...}": true, "GET /api/v1/ledger/proofs/consistency": true, "GET /api/v1/ledger/proofs/inclusion": true,
		"GET /api/v1/evidence/{id}/original": true, "GET /api/v1/evidence/{id}/package": true, "GET /ledger/checkpoint": true,
		"GET /api/v1/evidence/{id}/copies/{sha256}": true, "GET /ledger/check": true}
	// POST /signin answers empty credentials 401 itself: that is the
	// handler's refusal, not the guard's.
	handlerRefuses := map[string]bool{"POST /signin": true}
	n := 0
	for _, c := range cases {
		for _, role := range roles {
			req := httptest.NewRequest(c.method, c.path, strings.NewReader(""))
			req.Host = "127.0.0.1"
			if role != auth.RolePublic {
				req.Header.Set("Authorization", "Bearer "+accs[role].Token)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			n++
			got := rec.Code
			name := fmt.Sprintf("%s %s as %s", c.method, c.path, role)
			allowed := role.AtLeast(c.least)
			switch {
			case allowed && (got == http.StatusUnauthorized || got == http.StatusForbidden) && !handlerRefuses[c.method+" "+c.pattern]:
				// A handler may still refuse what is not the caller's (a
				// reporter's report list holds only their own), but never
				// with the guard's answers.
				t.Errorf("%s: %d, want past the guard (least role %s): %.200s", name, got, c.least, rec.Body.String())
			case allowed && c.method == "GET" && role.AtLeast(auth.RoleAnalyst) && !mayMiss[c.method+" "+c.pattern] && got >= 400:
				t.Errorf("%s: %d, want success: %.200s", name, got, rec.Body.String())
			case !allowed && role != auth.RolePublic && got != http.StatusForbidden:
				t.Errorf("%s: %d, want 403 (least role %s)", name, got, c.least)
			case !allowed && role == auth.RolePublic && !c.page && got != http.StatusUnauthorized:
				t.Errorf("%s: %d, want 401 (least role %s)", name, got, c.least)
			case !allowed && role == auth.RolePublic && c.page && c.method == "GET" &&
				(got != http.StatusSeeOther || !strings.HasPrefix(rec.Header().Get("Location"), "/signin?next=")):
				t.Errorf("%s: %d to %q, want 303 to the sign-in page", name, got, rec.Header().Get("Location"))
			case !allowed && role == auth.RolePublic && c.page && c.method != "GET" && got != http.StatusUnauthorized:
				t.Errorf("%s: %d, want 401", name, got)
			}
			for _, hdr := range []string{"Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy", "Permissions-Policy"} {
				if rec.Header().Get(hdr) == "" {
					t.Errorf("%s: no %s header", name, hdr)
				}
			}
			io.Copy(io.Discard, rec.Body)
		}
	}
	t.Logf("%d routes × %d roles = %d requests", len(cases), len(roles), n)
}
