// Package api is Tawthiq's JSON API under /api/v1. Handlers decode and
// check the request, call the record service or store, and encode the
// answer; they hold no rules of their own. Errors map to statuses in one
// place (errors.go).
package api

import (
	"log/slog"

	"github.com/tawthiq/tawthiq/internal/auditlog"
	"github.com/tawthiq/tawthiq/internal/auth"
	"net/http"
	"reflect"

	"github.com/tawthiq/tawthiq/internal/evidence"
	"github.com/tawthiq/tawthiq/internal/ledger"
	"github.com/tawthiq/tawthiq/internal/record"
	"github.com/tawthiq/tawthiq/internal/search"
	"github.com/tawthiq/tawthiq/internal/sqldb"
	"github.com/tawthiq/tawthiq/internal/vocab"
)

// API holds what the handlers need.
type API struct {
	Service *record.Service
	Store   *record.Store
	Vocab   *vocab.Set
	// Evidence stores uploads and their custody; Ledger is the log they
	// and every revision are attested in.
	Evidence *evidence.Service
	Ledger   *ledger.Log
	// Search is the full-text index.
	Search search.Index
	// DB is read for stored extractions.
	DB *sqldb.DB
	// Hosts are the host names the server answers to besides loopback
	// ones (a reverse proxy's public name, say).
	Hosts []string
	// Version is the program version shown by /healthz.
	Version string
	// Log receives request lines and unexpected errors, never bodies.
	Log *slog.Logger
	// Uploads keeps resumable uploads in progress; nil answers their
	// routes 404.
	Uploads *UploadStore
	// Audit records reads of sealed fields and exports; AuditLog is read
	// by the admin's audit route; Accounts lists users for the admin.
	Audit    auditlog.Recorder
	AuditLog *auditlog.Log
	Accounts *auth.Service
}

// Route is one entry of the route table.
type Route struct {
	Method  string
	Pattern string
	Summary string
	// Collection is set on record routes (e.g. "incidents").
	Collection string
	Handler    http.HandlerFunc
	// Query lists the query parameters a non-collection route takes;
	// Produces is its answer's content type when not JSON; Upload marks a
	// raw-bytes request body. All three are for the OpenAPI description.
	Query     []string
	Produces  string
	Upload    bool
	NeedsUser bool // the route records who calls it (the signed-in user)
	// Body is the Go type of a JSON request body; Headers are the
	// whole-number request headers the route needs (Upload-Offset);
	// Answers replace the default answers (status → description). All
	// three are for the OpenAPI description.
	Body    reflect.Type
	Headers []string
	Answers map[string]string
}

// Collection maps a URL collection to a record type.
type Collection struct {
	Name  string
	Type  record.Type
	Title string // for documentation
	// ReadOnly collections are written by their own service, not by the
	// generic create and update (evidence: only an upload makes one).
	// Retract and restore still apply.
	ReadOnly bool
}

// Collections lists the record collections served under /api/v1.
func Collections() []Collection {
	return []Collection{
		{"reports", record.TypeReport, "Reports: one source's account, as received", false},
		{"incidents", record.TypeIncident, "Incidents: one thing that happened", false},
		{"acts", record.TypeAct, "Acts: one violation against one victim or group", false},
		{"victims", record.TypePerson, "Victims: named or identified people", false},
		{"victim-groups", record.TypeVictimGroup, "Victim groups: counted, unnamed victims", false},
		{"actors", record.TypeActor, "Actors: parties, forces and groups", false},
		{"involvements", record.TypeInvolvement, "Involvements: an actor's part in an incident or act", false},
		{"sources", record.TypeSource, "Sources: who told us (pseudonyms only)", false},
		{"claims", record.TypeClaim, "Claims: assertions inside a report, denials included", false},
		{"assessments", record.TypeAssessment, "Assessments: analysts' versioned judgements", false},
		{"evidence", record.TypeEvidence, "Evidence: files in the vault attached to reports (made by upload)", true},
	}
}

// CollectionOf returns the collection name of a record type.
func CollectionOf(t record.Type) string {
	for _, c := range Collections() {
		if c.Type == t {
			return c.Name
		}
	}
	return ""
}

// Routes is the API's route table.
func (a *API) Routes() []Route {
	rs := []Route{
		{Method: "GET", Pattern: "/healthz", Summary: "Liveness and database check", Handler: a.health},
		{Method: "GET", Pattern: "/api/openapi.json", Summary: "This API's OpenAPI 3 description", Handler: a.openAPI},
		{Method: "GET", Pattern: "/api/v1/vocabularies", Summary: "List the vocabularies", Handler: a.listVocabularies},
		{Method: "GET", Pattern: "/api/v1/vocabularies/{id}", Summary: "One vocabulary with its terms", Handler: a.getVocabulary},
		{Method: "GET", Pattern: "/api/v1/records/{id}", Summary: "Any record by id (query unseal=true: sealed fields in clear, reviewers and admins only, recorded in the audit log)",
			Handler: a.getAny, Query: []string{"unseal", "purpose"}},
		{Method: "GET", Pattern: "/api/v1/me", Summary: "Who the caller is: username, role, whether cleared for sealed fields", Handler: a.me},
		{Method: "GET", Pattern: "/api/v1/users", Summary: "The accounts (admin)", Handler: a.users},
		{Method: "GET", Pattern: "/api/v1/audit", Summary: "The audit log, newest first (admin): sign-ins, sealed reads, exports, role changes",
			Handler: a.auditEntries, Query: []string{"actor", "action", "subject_type", "subject_id", "before", "limit"}},
	}
	for _, c := range Collections() {
		base := "/api/v1/" + c.Name
		rt := func(method, pattern, summary string, h http.HandlerFunc) Route {
			return Route{Method: method, Pattern: pattern, Summary: summary, Collection: c.Name, Handler: h}
		}
		rs = append(rs, rt("GET", base, "List "+c.Name, a.list(c)))
		if !c.ReadOnly {
			rs = append(rs,
				rt("POST", base, "Create a record in "+c.Name, a.create(c)),
				rt("PUT", base+"/{id}", "Update one of "+c.Name+" (new revision)", a.update(c)))
		}
		rs = append(rs,
			Route{Method: "GET", Pattern: base + "/{id}", Summary: "Get one of " + c.Name + " (query unseal=true: sealed fields in clear, reviewers and admins only, recorded in the audit log)",
				Collection: c.Name, Handler: a.get(c), Query: []string{"unseal", "purpose"}},
			rt("POST", base+"/{id}/retract", "Retract one of "+c.Name+" (a revision; nothing is deleted)", a.retract(c, record.ActionRetract)),
			rt("POST", base+"/{id}/restore", "Undo a retraction", a.retract(c, record.ActionRestore)),
			rt("GET", base+"/{id}/history", "Every revision, oldest first", a.history(c)),
			rt("GET", base+"/{id}/revisions/{rev}", "One revision", a.revision(c)),
			rt("GET", base+"/{id}/related", "Records that refer to this one", a.related(c)),
		)
	}
	rs = append(rs, Route{Method: "GET", Pattern: "/api/v1/reports/{id}/extraction",
		Summary: "Facts the extractor proposes for the report (candidates for review, with spans and confidence)",
		Handler: a.extraction, Collection: ""})
	rs = append(rs, a.reviewRoutes()...)
	rs = append(rs, a.searchRoutes()...)
	rs = append(rs, a.evidenceRoutes()...)
	rs = append(rs, a.uploadRoutes()...)
	return append(rs, a.ledgerRoutes()...)
}
