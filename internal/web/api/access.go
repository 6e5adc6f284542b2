package api

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/tawthiq/tawthiq/internal/auditlog"
	"github.com/tawthiq/tawthiq/internal/auth"
	"github.com/tawthiq/tawthiq/internal/record"
)

// The route guard (package web) lets a request through only when the
// caller's role may use the route at all. What the caller may see inside
// it is decided here: a reporter sees their own reports only, the public
// published incidents only, and sealed parts are shown in clear only when
// a cleared role asks for them (?unseal=true), each time recorded in the
// audit log.

// scope narrows a list to what the caller may see: a reporter's own
// reports; for the public and reporters, published incidents only.
func scope(r *http.Request, c Collection, q *record.Query) {
	role := roleOf(r)
	if role.AtLeast(auth.RoleAnalyst) {
		return
	}
	switch c.Type {
	case record.TypeReport:
		q.CreatedBy = who(r) // the guard lets only reporters and above here
	case record.TypeIncident:
		q.Terms = append(q.Terms, record.Term{Field: "confidentiality", Value: "public"})
		q.IncludeRetracted = false
	}
}

// visible reports whether the caller may see rec at all. A record they
// may not see is answered 404, as if it did not exist.
func visible(r *http.Request, rec *record.Record) bool {
	role := roleOf(r)
	if role.AtLeast(auth.RoleAnalyst) {
		return true
	}
	switch rec.Type {
	case record.TypeReport:
		return role == auth.RoleReporter && rec.CreatedBy == who(r)
	case record.TypeIncident:
		return !rec.Retracted && publicIncident(rec.Body)
	}
	return false
}

func publicIncident(body []byte) bool {
	var b struct {
		Confidentiality string `json:"confidentiality"`
	}
	return json.Unmarshal(body, &b) == nil && b.Confidentiality == "public"
}

// errUnauthorized is a write that reached a handler with nobody signed in.
var errUnauthorized = errors.New("api: sign-in required")

// errSealedForbidden answers a request for sealed fields by a role not
// cleared for them.
var errSealedForbidden = errors.New("api: role not cleared for sealed fields")

// present returns rec as the caller may see it: sealed parts as stored
// (the envelope: ciphertext, which the content hash and the ledger attest),
// or in clear when unseal is asked by a cleared role (recorded in the
// audit log, refusals too); a published incident for the public without
// its links to internal records.
func (a *API) present(r *http.Request, rec *record.Record, unseal bool) (*record.Record, error) {
	out := *rec
	if !roleOf(r).AtLeast(auth.RoleAnalyst) && rec.Type == record.TypeIncident {
		var m map[string]json.RawMessage
		if err := json.Unmarshal(rec.Body, &m); err != nil {
			return nil, err
		}
		delete(m, "report_ids")
		delete(m, "tags")
		b, err := json.Marshal(m)
		if err != nil {
			return nil, err
		}
		out.Body, out.CreatedBy, out.UpdatedBy = b, "", ""
		return &out, nil
	}
	if !unseal {
		return &out, nil
	}
	field := record.SealedField(rec.Type)
	ev := auditlog.Event{Actor: who(r), Role: string(roleOf(r)), SubjectType: string(rec.Type), SubjectID: rec.ID,
		Fields: []string{field}, Outcome: auditlog.OutcomeOK, Action: auditlog.ActionSealedRead,
		Detail: clipDetail(r.URL.Query().Get("purpose"))}
	if !roleOf(r).CanReadSealed() {
		ev.Action, ev.Outcome = auditlog.ActionSealedDenied, auditlog.OutcomeDenied
		if err := a.audit(r, ev); err != nil {
			return nil, err
		}
		return nil, errSealedForbidden
	}
	if field == "" || !record.HasSealed(rec.Body) {
		return &out, nil
	}
	// Recorded before it is shown: a read the log cannot hold is not made.
	if err := a.audit(r, ev); err != nil {
		return nil, err
	}
	body, _, err := a.Service.Unseal(r.Context(), rec.Type, rec.ID, rec.Body)
	if err != nil {
		return nil, err
	}
	out.Body = body
	return &out, nil
}

// audit records e, when the API has an audit log.
func (a *API) audit(r *http.Request, e auditlog.Event) error {
	if a.Audit == nil {
		return nil
	}
	return a.Audit.Record(r.Context(), nil, e)
}

// clipDetail keeps an audit detail short and on one line.
func clipDetail(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 200 {
		s = s[:200]
		for !isRuneStart(s[len(s)-1]) {
			s = s[:len(s)-1]
		}
		s = s[:len(s)-1]
	}
	return s
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }

// wantUnseal reads ?unseal=true|false.
func wantUnseal(r *http.Request) (bool, error) {
	switch r.URL.Query().Get("unseal") {
	case "", "false":
		return false, nil
	case "true":
		return true, nil
	}
	return false, record.Invalid("unseal", "invalid_value", "must be true or false", "يجب أن يكون true أو false")
}

// me answers who the caller is.
func (a *API) me(w http.ResponseWriter, r *http.Request) {
	p := auth.FromContext(r.Context())
	if p == nil {
		Unauthorized(w, r)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"username": p.Username, "display_name": p.DisplayName, "role": p.Role,
		"via": p.Via, "can_read_sealed": p.Role.CanReadSealed()})
}

// users lists the accounts (admin).
func (a *API) users(w http.ResponseWriter, r *http.Request) {
	us, err := a.Accounts.Users(r.Context())
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	type user struct {
		Username    string    `json:"username"`
		DisplayName string    `json:"display_name,omitempty"`
		Role        auth.Role `json:"role"`
		Disabled    bool      `json:"disabled"`
		Locked      bool      `json:"locked"`
	}
	out := []user{}
	for _, u := range us {
		out = append(out, user{u.Username, u.DisplayName, u.Role, u.Disabled, !u.LockedUntil.IsZero()})
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": out})
}

// auditEntries lists the audit log, newest first (admin).
func (a *API) auditEntries(w http.ResponseWriter, r *http.Request) {
	q := auditlog.Query{Actor: r.URL.Query().Get("actor"), Action: r.URL.Query().Get("action"),
		SubjectType: r.URL.Query().Get("subject_type"), SubjectID: r.URL.Query().Get("subject_id")}
	for name := range r.URL.Query() {
		switch name {
		case "actor", "action", "subject_type", "subject_id", "before", "limit":
		default:
			a.badRequest(w, r, name, "unknown_parameter", "is not a known query parameter", "ليس معاملاً معروفاً")
			return
		}
	}
	var err error
	if q.Before, _, err = int64Param(r, "before"); err == nil {
		var l int64
		l, _, err = int64Param(r, "limit")
		q.Limit = int(l)
	}
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	es, err := a.AuditLog.List(r.Context(), q)
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	if es == nil {
		es = []auditlog.Entry{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": es})
}

// ownReport refuses, as not found, files for a report the caller may not
// see (a reporter attaches files to their own reports only). A report
// that does not exist is left to the evidence service to name.
func (a *API) ownReport(r *http.Request, id string) error {
	rec, err := a.Store.Get(r.Context(), id)
	if err != nil {
		if errors.Is(err, record.ErrNotFound) {
			return nil
		}
		return err
	}
	if !visible(r, rec) {
		return &record.NotFoundError{ID: id}
	}
	return nil
}

// who is the signed-in user's name ("" for the public).
func who(r *http.Request) string { return auth.Username(r.Context()) }

// roleOf is the caller's role (public when anonymous).
func roleOf(r *http.Request) auth.Role { return auth.RoleOf(r.Context()) }
