package api

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/tawthiq/tawthiq/internal/auth"
	"github.com/tawthiq/tawthiq/internal/record"
)

// MaxBodyBytes bounds a write request: a long report's text fits, a
// mistaken upload does not.
const MaxBodyBytes = 8 << 20

// writeRequest is the body of create, update, retract and restore.
type writeRequest struct {
	BaseRevision int             `json:"base_revision,omitempty"`
	Reason       string          `json:"reason"`
	Record       json.RawMessage `json:"record,omitempty"`
}

// readWrite decodes a write request strictly, with the size limit.
func readWrite(w http.ResponseWriter, r *http.Request) (*writeRequest, error) {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		return nil, record.Invalid("Content-Type", "unsupported_media_type", "must be application/json", "يجب أن يكون application/json")
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	if err != nil {
		return nil, err
	}
	var req writeRequest
	if err := record.DecodeStrict(data, &req, ""); err != nil {
		return nil, err
	}
	return &req, nil
}

func meta(r *http.Request, req *writeRequest) record.Meta {
	return record.Meta{Author: who(r), Reason: req.Reason}
}

// checkAuthor refuses a write with no signed-in author before anything
// is decoded (the route guard lets no anonymous write through; this is
// the second lock).
func checkAuthor(r *http.Request) error {
	if who(r) == "" {
		return errUnauthorized
	}
	return nil
}

func (a *API) create(c Collection) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := checkAuthor(r); err != nil {
			a.writeError(w, r, err)
			return
		}
		req, err := readWrite(w, r)
		if err != nil {
			a.writeError(w, r, err)
			return
		}
		if len(req.Record) == 0 {
			a.badRequest(w, r, "record", "required", "is required", "حقل مطلوب")
			return
		}
		body, err := record.DecodeBody(c.Type, req.Record)
		if err != nil {
			a.writeError(w, r, err)
			return
		}
		if rep, ok := body.(*record.Report); ok && roleOf(r) == auth.RoleReporter {
			// A reporter's network address is kept, sealed with the rest
			// of what identifies them.
			if rep.Reporter == nil {
				rep.Reporter = &record.ReporterIdentity{}
			}
			rep.Reporter.NetworkAddress = auth.ClientAddress(r)
		}
		rec, err := a.Service.Create(r.Context(), meta(r, req), body)
		if err != nil {
			a.writeError(w, r, err)
			return
		}
		w.Header().Set("Location", "/api/v1/"+c.Name+"/"+rec.ID)
		a.writeVisible(w, r, http.StatusCreated, rec, false)
	}
}

func (a *API) update(c Collection) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := checkAuthor(r); err != nil {
			a.writeError(w, r, err)
			return
		}
		if _, ok := a.current(w, r, c); !ok {
			return
		}
		req, err := readWrite(w, r)
		if err != nil {
			a.writeError(w, r, err)
			return
		}
		if len(req.Record) == 0 {
			a.badRequest(w, r, "record", "required", "is required", "حقل مطلوب")
			return
		}
		body, err := record.DecodeBody(c.Type, req.Record)
		if err != nil {
			a.writeError(w, r, err)
			return
		}
		rec, err := a.Service.Update(r.Context(), meta(r, req), r.PathValue("id"), req.BaseRevision, body)
		if err != nil {
			a.writeError(w, r, err)
			return
		}
		a.writeVisible(w, r, http.StatusOK, rec, false)
	}
}

func (a *API) retract(c Collection, action record.Action) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := checkAuthor(r); err != nil {
			a.writeError(w, r, err)
			return
		}
		if _, ok := a.current(w, r, c); !ok {
			return
		}
		req, err := readWrite(w, r)
		if err != nil {
			a.writeError(w, r, err)
			return
		}
		if len(req.Record) > 0 {
			a.badRequest(w, r, "record", "not_allowed", "is not allowed here", "غير مسموح هنا")
			return
		}
		recs, err := a.Service.Apply(r.Context(), meta(r, req), []record.Change{{
			Action: action, ID: r.PathValue("id"), BaseRevision: req.BaseRevision}})
		if err != nil {
			a.writeError(w, r, err)
			return
		}
		a.writeVisible(w, r, http.StatusOK, recs[0], false)
	}
}

// current loads the record named in the path and checks it belongs to the
// collection and the caller may see it; it answers 404 itself when not.
func (a *API) current(w http.ResponseWriter, r *http.Request, c Collection) (*record.Record, bool) {
	rec, err := a.Store.Get(r.Context(), r.PathValue("id"))
	if err == nil && (rec.Type != c.Type || !visible(r, rec)) {
		err = &record.NotFoundError{ID: r.PathValue("id")}
	}
	if err != nil {
		a.writeError(w, r, err)
		return nil, false
	}
	return rec, true
}

func writeRecord(w http.ResponseWriter, status int, rec *record.Record) {
	w.Header().Set("ETag", fmt.Sprintf(`"%s-%d"`, rec.ID, rec.Revision))
	writeJSON(w, status, rec)
}

// writeVisible answers rec as the caller may see it (present).
func (a *API) writeVisible(w http.ResponseWriter, r *http.Request, status int, rec *record.Record, unseal bool) {
	out, err := a.present(r, rec, unseal)
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	writeRecord(w, status, out)
}

func (a *API) get(c Collection) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		unseal, err := wantUnseal(r)
		if err != nil {
			a.writeError(w, r, err)
			return
		}
		if rec, ok := a.current(w, r, c); ok {
			a.writeVisible(w, r, http.StatusOK, rec, unseal)
		}
	}
}

func (a *API) getAny(w http.ResponseWriter, r *http.Request) {
	unseal, err := wantUnseal(r)
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	rec, err := a.Store.Get(r.Context(), r.PathValue("id"))
	if err == nil && !visible(r, rec) {
		err = &record.NotFoundError{ID: r.PathValue("id")}
	}
	if err != nil {
		a.writeError(w, r, err)
		return
	}
	a.writeVisible(w, r, http.StatusOK, rec, unseal)
}

func (a *API) history(c Collection) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if _, ok := a.current(w, r, c); !ok {
			return
		}
		revs, err := a.Store.History(r.Context(), r.PathValue("id"))
		if err != nil {
			a.writeError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"id": r.PathValue("id"), "revisions": revs})
	}
}

func (a *API) revision(c Collection) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if _, ok := a.current(w, r, c); !ok {
			return
		}
		n, err := strconv.Atoi(r.PathValue("rev"))
		if err != nil || n < 1 {
			a.badRequest(w, r, "rev", "invalid_number", "must be a revision number ≥ 1", "يجب أن يكون رقم مراجعة ≥ 1")
			return
		}
		rev, err := a.Store.Revision(r.Context(), r.PathValue("id"), n)
		if err != nil {
			a.writeError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, rev)
	}
}

func (a *API) related(c Collection) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if _, ok := a.current(w, r, c); !ok {
			return
		}
		recs, total, err := a.Store.List(r.Context(), record.Query{RefersTo: r.PathValue("id"), Limit: record.MaxLimit, Sort: "updated"})
		if err != nil {
			a.writeError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, listPage{Items: nonNil(recs), Total: total, Limit: record.MaxLimit})
	}
}

type listPage struct {
	Items  []record.Record `json:"items"`
	Total  int             `json:"total"`
	Limit  int             `json:"limit"`
	Offset int             `json:"offset"`
}

func nonNil(rs []record.Record) []record.Record {
	if rs == nil {
		return []record.Record{}
	}
	return rs
}

// listParams are the query parameters list accepts; each maps to a term
// field, or to a Query field.
var termParams = map[string]string{
	"kind": "kind", "weapon": "weapon", "target": "target", "place": "place", "tag": "tag",
	"language": "language", "claim_type": "claim_type", "category": "category", "outcome": "outcome",
	"act_type": "act_type", "source_type": "source_type", "asserted_by": "asserted_by",
}

func (a *API) list(c Collection) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		q, err := parseQuery(r, c)
		if err != nil {
			a.writeError(w, r, err)
			return
		}
		scope(r, c, &q)
		recs, total, err := a.Store.List(r.Context(), q)
		if err == nil {
			for i := range recs {
				var out *record.Record
				if out, err = a.present(r, &recs[i], false); err != nil {
					break
				}
				recs[i] = *out
			}
		}
		if err != nil {
			a.writeError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, listPage{Items: nonNil(recs), Total: total, Limit: q.Limit, Offset: q.Offset})
	}
}

// parseQuery turns list parameters into a store query, refusing unknown
// parameters and malformed values by name.
func parseQuery(r *http.Request, c Collection) (record.Query, error) {
	q := record.Query{Type: c.Type, Limit: 50}
	for name, vals := range r.URL.Query() {
		v := vals[len(vals)-1]
		bad := func(code, en, ar string) error { return record.Invalid(name, code, en, ar) }
		if field, ok := termParams[name]; ok {
			for _, x := range vals {
				q.Terms = append(q.Terms, record.Term{Field: field, Value: x})
			}
			continue
		}
		switch name {
		case "status", "grading":
			q.Status = v
		case "actor":
			q.Actor = v
		case "refers_to":
			q.RefersTo = v
		case "from", "to":
			if _, err := time.Parse(time.DateOnly, v); err != nil {
				return q, bad("invalid_date", "must be a date YYYY-MM-DD", "يجب أن يكون تاريخاً بالشكل YYYY-MM-DD")
			}
			if name == "from" {
				q.DateFrom = v
			} else {
				q.DateTo = v
			}
		case "retracted":
			if v != "include" && v != "exclude" {
				return q, bad("invalid_value", "must be include or exclude", "يجب أن يكون include أو exclude")
			}
			q.IncludeRetracted = v == "include"
		case "sort":
			if v != "updated" && v != "date" {
				return q, bad("invalid_value", "must be updated or date", "يجب أن يكون updated أو date")
			}
			q.Sort = v
		case "limit", "offset":
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 || (name == "limit" && (n < 1 || n > record.MaxLimit)) {
				return q, bad("invalid_number", fmt.Sprintf("must be a whole number (limit 1–%d)", record.MaxLimit),
					fmt.Sprintf("يجب أن يكون عدداً صحيحاً (الحد بين 1 و%d)", record.MaxLimit))
			}
			if name == "limit" {
				q.Limit = n
			} else {
				q.Offset = n
			}
		default:
			return q, bad("unknown_parameter", "is not a known query parameter", "ليس معاملاً معروفاً")
		}
	}
	return q, nil
}
