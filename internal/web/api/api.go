// Package api is Tawthiq's JSON API under /api/v1. Handlers decode and
// check the request, call the record service or store, and encode the
// answer; they hold no rules of their own. Errors map to statuses in one
// place (errors.go).
package api

import (
	"log/slog"
	"net/http"

	"github.com/tawthiq/tawthiq/internal/record"
	"github.com/tawthiq/tawthiq/internal/vocab"
)

// API holds what the handlers need.
type API struct {
	Service *record.Service
	Store   *record.Store
	Vocab   *vocab.Set
	// Version is the program version shown by /healthz.
	Version string
	// Log receives request lines and unexpected errors, never bodies.
	Log *slog.Logger
}

// Route is one entry of the route table.
type Route struct {
	Method  string
	Pattern string
	Summary string
	// Collection is set on record routes (e.g. "incidents").
	Collection string
	Handler    http.HandlerFunc
}

// Collection maps a URL collection to a record type.
type Collection struct {
	Name  string
	Type  record.Type
	Title string // for documentation
}

// Collections lists the record collections served under /api/v1.
func Collections() []Collection {
	return []Collection{
		{"reports", record.TypeReport, "Reports: one source's account, as received"},
		{"incidents", record.TypeIncident, "Incidents: one thing that happened"},
		{"acts", record.TypeAct, "Acts: one violation against one victim or group"},
		{"victims", record.TypePerson, "Victims: named or identified people"},
		{"victim-groups", record.TypeVictimGroup, "Victim groups: counted, unnamed victims"},
		{"actors", record.TypeActor, "Actors: parties, forces and groups"},
		{"involvements", record.TypeInvolvement, "Involvements: an actor's part in an incident or act"},
		{"sources", record.TypeSource, "Sources: who told us (pseudonyms only)"},
		{"claims", record.TypeClaim, "Claims: assertions inside a report, denials included"},
		{"assessments", record.TypeAssessment, "Assessments: analysts' versioned judgements"},
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
		{Method: "GET", Pattern: "/api/v1/records/{id}", Summary: "Any record by id", Handler: a.getAny},
	}
	for _, c := range Collections() {
		base := "/api/v1/" + c.Name
		rs = append(rs,
			Route{"GET", base, "List " + c.Name, c.Name, a.list(c)},
			Route{"POST", base, "Create a record in " + c.Name, c.Name, a.create(c)},
			Route{"GET", base + "/{id}", "Get one of " + c.Name, c.Name, a.get(c)},
			Route{"PUT", base + "/{id}", "Update one of " + c.Name + " (new revision)", c.Name, a.update(c)},
			Route{"POST", base + "/{id}/retract", "Retract one of " + c.Name + " (a revision; nothing is deleted)", c.Name, a.retract(c, record.ActionRetract)},
			Route{"POST", base + "/{id}/restore", "Undo a retraction", c.Name, a.retract(c, record.ActionRestore)},
			Route{"GET", base + "/{id}/history", "Every revision, oldest first", c.Name, a.history(c)},
			Route{"GET", base + "/{id}/revisions/{rev}", "One revision", c.Name, a.revision(c)},
			Route{"GET", base + "/{id}/related", "Records that refer to this one", c.Name, a.related(c)},
		)
	}
	return rs
}
