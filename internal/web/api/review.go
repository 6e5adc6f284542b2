package api

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"reflect"
	"strings"

	"github.com/tawthiq/tawthiq/internal/record"
	"github.com/tawthiq/tawthiq/internal/review"
)

// DecisionRequest is the body of POST /api/v1/reports/{id}/facts. Its
// author is the UserHeader. Fact is decoded as an extract.Fact (strictly,
// its fields named "fact.…"); it is raw here because the OpenAPI schemas
// are named by Go type, and extract's Claim, Place and Count would take
// the names of record's.
type DecisionRequest struct {
	Key    string          `json:"key"`
	Action string          `json:"action"`
	Fact   json.RawMessage `json:"fact,omitempty"`
}

// IncidentRequest is the body of POST /api/v1/reports/{id}/incident.
type IncidentRequest struct {
	Reason string `json:"reason"`
	// Another makes an incident even though the report is already on one:
	// it tells of a second incident.
	Another bool `json:"another,omitempty"`
}

// LinkRequest is the body of POST /api/v1/reports/{id}/link.
type LinkRequest struct {
	IncidentID string `json:"incident_id"`
	Reason     string `json:"reason"`
}

// reviewRoutes are the routes of the review of a report's proposed facts.
func (a *API) reviewRoutes() []Route {
	return []Route{
		{Method: "GET", Pattern: "/api/v1/reports/{id}/facts", Handler: a.reviewedFacts,
			Summary: "The proposed facts of the report's current extraction, in text order, each with its status " +
				"(proposed, accepted, edited, rejected) and the decision in force on it"},
		{Method: "GET", Pattern: "/api/v1/reports/{id}/facts/history", Handler: a.factHistory,
			Summary: "Every decision made on the report's facts, oldest first (earlier decisions are never overwritten)"},
		{Method: "POST", Pattern: "/api/v1/reports/{id}/facts", Handler: a.decideFact, Body: reflect.TypeFor[DecisionRequest](), NeedsUser: true,
			Summary: "Accept, edit or reject one proposed fact: key, action (accepted|edited|rejected), fact (the corrected fact, edited only)",
			Answers: map[string]string{"200": "The fact as now reviewed", "413": "Body too large", "404": "No such report, or its current extraction has no fact with that key: reload its facts"}},
		{Method: "POST", Pattern: "/api/v1/reports/{id}/incident", Handler: a.createIncident, Body: reflect.TypeFor[IncidentRequest](), NeedsUser: true,
			Summary: "Make an incident from the report's accepted and edited facts, with its claims and involvements, in one batch; " +
				"another=true when the report is already on an incident and tells of another one",
			Answers: map[string]string{"201": "What was written (incident_id, created, updated); Location is the incident", "413": "Body too large",
				"409": "The report is already on an incident (record_id, and the message names every one): link it there, or send another=true"}},
		{Method: "POST", Pattern: "/api/v1/reports/{id}/link", Handler: a.linkIncident, Body: reflect.TypeFor[LinkRequest](), NeedsUser: true,
			Summary: "Add the report to an existing incident: the two list each other, and its accepted claims and parties are added beside other sources'",
			Answers: map[string]string{"200": "What was written (incident_id, created, updated): both lists empty when nothing changed", "413": "Body too large",
				"409": "The report or the incident is retracted, or changed meanwhile: reload and try again"}},
	}
}

func (a *API) reviewedFacts(w http.ResponseWriter, r *http.Request) {
	if _, ok := a.current(w, r, collectionNamed("reports")); !ok {
		return
	}
	facts, err := review.Facts(r.Context(), a.DB, r.PathValue("id"))
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"report_id": r.PathValue("id"), "facts": facts})
}

func (a *API) factHistory(w http.ResponseWriter, r *http.Request) {
	if _, ok := a.current(w, r, collectionNamed("reports")); !ok {
		return
	}
	ds, err := review.History(r.Context(), a.DB, r.PathValue("id"))
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	if ds == nil {
		ds = []review.Decided{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"report_id": r.PathValue("id"), "decisions": ds})
}

func (a *API) decideFact(w http.ResponseWriter, r *http.Request) {
	var req DecisionRequest
	if err := readReview(w, r, &req); err != nil {
		a.writeError(w, r, err)
		return
	}
	d := review.Decision{Key: req.Key, Action: req.Action, Author: who(r)}
	if len(req.Fact) > 0 {
		if err := record.DecodeStrict(req.Fact, &d.Fact, "fact"); err != nil {
			a.writeError(w, r, err)
			return
		}
	}
	id := r.PathValue("id")
	if err := review.Decide(r.Context(), a.DB, id, d); err != nil {
		a.writeError(w, r, err)
		return
	}
	facts, err := review.Facts(r.Context(), a.DB, id)
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	for _, f := range facts {
		if f.Key == d.Key {
			writeJSON(w, http.StatusOK, f)
			return
		}
	}
	// The report was extracted again between the decision and this read.
	a.writeError(w, r, &review.NotFoundError{ReportID: id, Key: d.Key})
}

func (a *API) createIncident(w http.ResponseWriter, r *http.Request) {
	var req IncidentRequest
	if err := readReview(w, r, &req); err != nil {
		a.writeError(w, r, err)
		return
	}
	if err := needReason(req.Reason); err != nil {
		a.writeError(w, r, err)
		return
	}
	create := review.CreateIncident
	if req.Another {
		create = review.CreateAnotherIncident
	}
	m := record.Meta{Author: who(r), Reason: req.Reason}
	res, err := create(r.Context(), a.Service, a.Store, a.DB, r.PathValue("id"), m)
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/incidents/"+res.IncidentID)
	writeJSON(w, http.StatusCreated, res)
}

func (a *API) linkIncident(w http.ResponseWriter, r *http.Request) {
	var req LinkRequest
	if err := readReview(w, r, &req); err != nil {
		a.writeError(w, r, err)
		return
	}
	if strings.TrimSpace(req.IncidentID) == "" {
		a.badRequest(w, r, "incident_id", "required", "is required: the incident to link to", "مطلوب: الحادثة المراد الربط بها")
		return
	}
	if err := needReason(req.Reason); err != nil {
		a.writeError(w, r, err)
		return
	}
	m := record.Meta{Author: who(r), Reason: req.Reason}
	res, err := review.LinkIncident(r.Context(), a.Service, a.Store, a.DB, r.PathValue("id"), req.IncidentID, m)
	var nf *record.NotFoundError
	if errors.As(err, &nf) && nf.ID == req.IncidentID {
		// A reference in the body, as create answers one: 400 naming it.
		a.badRequest(w, r, "incident_id", "unknown_reference", "names no record", "لا يوجد سجل بهذا المعرّف")
		return
	}
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}

// readReview checks the author and decodes a review request strictly, with
// the size limit: an unknown field is refused by name.
func readReview(w http.ResponseWriter, r *http.Request, dst any) error {
	if err := checkAuthor(r); err != nil {
		return err
	}
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		return record.Invalid("Content-Type", "unsupported_media_type", "must be application/json", "يجب أن يكون application/json")
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	if err != nil {
		return err
	}
	return record.DecodeStrict(data, dst, "")
}

// needReason refuses a step that changes records without saying why before
// anything is read: even one that turns out to change nothing.
func needReason(reason string) error {
	if strings.TrimSpace(reason) == "" {
		return record.Invalid("reason", "required", "is required", "حقل مطلوب")
	}
	return nil
}
