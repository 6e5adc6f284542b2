package api_test

import (
	"bytes"
	"context"
	"encoding/json"
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
	"github.com/tawthiq/tawthiq/internal/ledger"
	"github.com/tawthiq/tawthiq/internal/web"
	"github.com/tawthiq/tawthiq/internal/web/api"
)

type server struct {
	t    *testing.T
	a    *app.App
	srv  *httptest.Server
	accs map[auth.Role]apptest.Account
}

// newAPI is the API over a test installation, with its audit log and
// accounts.
func newAPI(a *app.App) *api.API {
	return &api.API{Service: a.Service, Store: a.Store, Vocab: a.Vocab, Version: "test",
		Evidence: a.Evidence, Ledger: a.Ledger, Search: a.Search, DB: a.DB,
		Log: slog.New(slog.DiscardHandler), Audit: a.AuditLog, AuditLog: a.AuditLog, Accounts: a.Accounts}
}

// newServer serves the API of a new installation (apptest.New: an
// unlocked organisation key and one account with a token per role).
func newServer(t *testing.T) *server {
	t.Helper()
	a, accs := apptest.New(t)
	srv := httptest.NewServer(web.Handler(newAPI(a), a.Accounts))
	t.Cleanup(srv.Close)
	return &server{t: t, a: a, srv: srv, accs: accs}
}

// bearer is the Authorization value that signs a request in as the test
// account of role.
func (s *server) bearer(role auth.Role) string {
	s.t.Helper()
	acc, ok := s.accs[role]
	if !ok {
		s.t.Fatalf("no test account for role %q", role)
	}
	return "Bearer " + acc.Token
}

// as is the header pair for do and send that signs a request in as the
// test account of role ("reviewer-1" for auth.RoleReviewer) instead of
// analyst-1.
func (s *server) as(role auth.Role) []string {
	return []string{"Authorization", s.bearer(role)}
}

// anonymous is the header pair for do and send that sends no credentials
// at all (the public).
var anonymous = []string{"Authorization", ""}

// do sends a request and decodes the JSON answer. It signs in as
// analyst-1 unless hdr says otherwise (as, anonymous).
func (s *server) do(method, path, body string, hdr ...string) (int, map[string]any) {
	s.t.Helper()
	req, err := http.NewRequest(method, s.srv.URL+path, strings.NewReader(body))
	if err != nil {
		s.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", s.bearer(auth.RoleAnalyst))
	for i := 0; i+1 < len(hdr); i += 2 {
		if hdr[i+1] == "" {
			req.Header.Del(hdr[i])
		} else {
			req.Header.Set(hdr[i], hdr[i+1])
		}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	var out map[string]any
	if err := json.Unmarshal(data, &out); err != nil {
		s.t.Fatalf("%s %s: answer is not JSON: %s", method, path, data)
	}
	return resp.StatusCode, out
}

// state fingerprints the whole store, to prove a refused request wrote nothing.
func (s *server) state() string {
	s.t.Helper()
	var b strings.Builder
	for _, table := range []string{"records", "revisions", "record_terms", "record_refs", "record_keys", "custody_events", "ledger_leaves"} {
		var n int
		var sum string
		if err := s.a.DB.QueryRow(context.Background(), "SELECT COUNT(*), COALESCE(MAX(rowid), 0) FROM "+table).Scan(&n, &sum); err != nil {
			s.t.Fatal(err)
		}
		fmt.Fprintf(&b, "%s=%d/%s ", table, n, sum)
	}
	var bodies string
	if err := s.a.DB.QueryRow(context.Background(), "SELECT COALESCE(group_concat(content_hash || revision), '') FROM records").Scan(&bodies); err != nil {
		s.t.Fatal(err)
	}
	return b.String() + bodies
}

// stateBesidesAudit is state without the audit log's leaves in the
// ledger: for refusals the audit log records (an attempt is in the audit
// log, nothing else may change).
func (s *server) stateBesidesAudit() string {
	s.t.Helper()
	var n int
	var last int64
	if err := s.a.DB.QueryRow(context.Background(), "SELECT COUNT(*), COALESCE(MAX(idx), -1) FROM ledger_leaves WHERE kind <> $1",
		string(ledger.KindAudit)).Scan(&n, &last); err != nil {
		s.t.Fatal(err)
	}
	st := s.state()
	// Drop the whole-ledger figure state gives; keep the other tables.
	i := strings.Index(st, "ledger_leaves=")
	j := i + strings.IndexByte(st[i:], ' ')
	return fmt.Sprintf("%s ledger_leaves(besides audit)=%d/%d%s", st[:i], n, last, st[j:])
}

// auditLog lists the audit log through the API, as admin-1, with the
// given query ("subject_id=…&action=…").
func (s *server) auditLog(query string) []map[string]any {
	s.t.Helper()
	code, out := s.do("GET", "/api/v1/audit?"+query, "", s.as(auth.RoleAdmin)...)
	if code != http.StatusOK {
		s.t.Fatalf("audit log: %d %v", code, out)
	}
	var es []map[string]any
	for _, e := range out["items"].([]any) {
		es = append(es, e.(map[string]any))
	}
	return es
}

const incidentJSON = `{"title_ar":"قصف جوي على حي الدرعية","title_en":"Air strike on al-Dir'iya","kinds":["air_strike"],
 "when":{"start":"2017-06-05","precision":"day"},
 "where":[{"name_ar":"الرقة","name_en":"Raqqa","lat":35.95,"lon":39.01,"precision":"village_town_city"}],
 "casualties":[{"category":"civilians","outcome":"killed","count":{"min":71,"qualifier":"more_than","source_text":"أكثر من 70"}}]}`

func TestCreateUpdateHistory(t *testing.T) {
	s := newServer(t)
	code, rec := s.do("POST", "/api/v1/incidents", `{"reason":"from report of 5 June","record":`+incidentJSON+`}`)
	if code != http.StatusCreated {
		t.Fatalf("create: %d %v", code, rec)
	}
	id := rec["id"].(string)
	if rec["revision"].(float64) != 1 || rec["record"].(map[string]any)["grading"] != "pending" {
		t.Fatalf("created %v", rec)
	}
	updated := strings.Replace(incidentJSON, `"kinds":["air_strike"]`, `"kinds":["air_strike"],"grading":"fair"`, 1)
	code, rec = s.do("PUT", "/api/v1/incidents/"+id, `{"base_revision":1,"reason":"second independent source","record":`+updated+`}`,
		s.as(auth.RoleReviewer)...)
	if code != http.StatusOK || rec["revision"].(float64) != 2 || rec["updated_by"] != "reviewer-1" {
		t.Fatalf("update: %d %v", code, rec)
	}
	code, hist := s.do("GET", "/api/v1/incidents/"+id+"/history", "")
	revs := hist["revisions"].([]any)
	if code != 200 || len(revs) != 2 {
		t.Fatalf("history: %d %v", code, hist)
	}
	first := revs[0].(map[string]any)
	if first["author"] != "analyst-1" || first["reason"] != "from report of 5 June" || first["record"].(map[string]any)["grading"] != "pending" {
		t.Errorf("revision 1 is not what was written: %v", first)
	}
	if revs[1].(map[string]any)["action"] != "update" {
		t.Errorf("revision 2: %v", revs[1])
	}
	code, one := s.do("GET", "/api/v1/incidents/"+id+"/revisions/1", "")
	if code != 200 || one["content_hash"] != first["content_hash"] {
		t.Errorf("revision 1: %d %v", code, one)
	}
	code, _ = s.do("GET", "/api/v1/acts/"+id, "")
	if code != http.StatusNotFound {
		t.Errorf("incident under /acts: %d", code)
	}
	code, list := s.do("GET", "/api/v1/incidents?kind=air_strike&grading=fair&from=2017-06-01&to=2017-06-30", "")
	if code != 200 || list["total"].(float64) != 1 {
		t.Errorf("list: %d %v", code, list)
	}
}

func TestStaleUpdateConflicts(t *testing.T) {
	s := newServer(t)
	_, rec := s.do("POST", "/api/v1/incidents", `{"reason":"r","record":`+incidentJSON+`}`)
	id := rec["id"].(string)
	if code, _ := s.do("PUT", "/api/v1/incidents/"+id, `{"base_revision":1,"reason":"r2","record":`+incidentJSON+`}`); code != 200 {
		t.Fatal(code)
	}
	before := s.state()
	code, body := s.do("PUT", "/api/v1/incidents/"+id, `{"base_revision":1,"reason":"r3","record":`+incidentJSON+`}`)
	e := body["error"].(map[string]any)
	if code != http.StatusConflict || e["current_revision"].(float64) != 2 || e["message_ar"] == "" {
		t.Fatalf("stale update: %d %v", code, body)
	}
	if s.state() != before {
		t.Error("a stale update changed the store")
	}
}

func TestRejectedInputLeavesStoreUnchanged(t *testing.T) {
	s := newServer(t)
	_, rec := s.do("POST", "/api/v1/incidents", `{"reason":"r","record":`+incidentJSON+`}`)
	id := rec["id"].(string)
	huge := `{"reason":"r","record":{"title_ar":"` + strings.Repeat("ق", api.MaxBodyBytes/2+10) + `"}}`
	cases := []struct {
		name, method, path, body string
		hdr                      []string
		status                   int
		field                    string
	}{
		{"malformed JSON", "POST", "/api/v1/incidents", `{"reason":"r","record":{`, nil, 400, ""},
		{"unknown kind", "POST", "/api/v1/incidents", `{"reason":"r","record":` + strings.Replace(incidentJSON, `"air_strike"`, `"air_raid"`, 1) + `}`, nil, 400, "record.kinds[0]"},
		{"min > max", "POST", "/api/v1/victim-groups", `{"reason":"r","record":{"incident_id":"` + id + `","category":"civilians","outcome":"killed","count":{"min":9,"max":3,"qualifier":"at_least"}}}`, nil, 400, "record.count.min"},
		{"end < start", "POST", "/api/v1/incidents", `{"reason":"r","record":` + strings.Replace(incidentJSON, `"start":"2017-06-05"`, `"start":"2017-06-05","end":"2017-05-01"`, 1) + `}`, nil, 400, "record.when.end"},
		{"missing reason", "POST", "/api/v1/incidents", `{"record":` + incidentJSON + `}`, nil, 400, "reason"},
		{"missing author", "POST", "/api/v1/incidents", `{"reason":"r","record":` + incidentJSON + `}`, anonymous, 401, "Authorization"},
		{"unknown token", "POST", "/api/v1/incidents", `{"reason":"r","record":` + incidentJSON + `}`, []string{"Authorization", "Bearer not-a-token"}, 401, "Authorization"},
		{"reporter writes an incident", "POST", "/api/v1/incidents", `{"reason":"r","record":` + incidentJSON + `}`, s.as(auth.RoleReporter), 403, ""},
		{"unknown field", "POST", "/api/v1/incidents", `{"reason":"r","record":` + strings.Replace(incidentJSON, `"kinds"`, `"colour":"red","kinds"`, 1) + `}`, nil, 400, "record.colour"},
		{"unknown top field", "POST", "/api/v1/incidents", `{"reason":"r","force":true,"record":` + incidentJSON + `}`, nil, 400, "force"},
		{"wrong type", "POST", "/api/v1/incidents", `{"reason":"r","record":{"kinds":"air_strike"}}`, nil, 400, "record.kinds"},
		{"oversized", "POST", "/api/v1/incidents", huge, nil, 413, "body"},
		{"not JSON content", "POST", "/api/v1/incidents", `x`, []string{"Content-Type", "text/plain"}, 400, "Content-Type"},
		{"unknown reference", "POST", "/api/v1/acts", `{"reason":"r","record":{"incident_id":"01NOPE0000","act_type":"killing","victim_group_id":"01NOPE0001"}}`, nil, 400, "record.incident_id"},
		{"update unknown code", "PUT", "/api/v1/incidents/" + id, `{"base_revision":1,"reason":"r","record":` + strings.Replace(incidentJSON, `"day"`, `"fortnight"`, 1) + `}`, nil, 400, "record.when.precision"},
		{"update no base", "PUT", "/api/v1/incidents/" + id, `{"reason":"r","record":` + incidentJSON + `}`, nil, 400, "base_revision"},
		{"update missing", "PUT", "/api/v1/incidents/01NOSUCH", `{"base_revision":1,"reason":"r","record":` + incidentJSON + `}`, nil, 404, ""},
		{"retract with record", "POST", "/api/v1/incidents/" + id + "/retract", `{"base_revision":1,"reason":"r","record":{}}`, s.as(auth.RoleReviewer), 400, "record"},
		{"retract by an analyst", "POST", "/api/v1/incidents/" + id + "/retract", `{"base_revision":1,"reason":"r"}`, nil, 403, ""},
		{"bad list param", "GET", "/api/v1/incidents?colour=red", ``, nil, 400, "colour"},
		{"bad list date", "GET", "/api/v1/incidents?from=June", ``, nil, 400, "from"},
		{"bad limit", "GET", "/api/v1/incidents?limit=0", ``, nil, 400, "limit"},
		{"no such path", "GET", "/api/v1/weather", ``, nil, 404, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := s.state()
			code, body := s.do(tc.method, tc.path, tc.body, tc.hdr...)
			if code != tc.status {
				t.Fatalf("status %d, want %d: %v", code, tc.status, body)
			}
			e, _ := body["error"].(map[string]any)
			if e == nil || e["message"] == "" || e["message_ar"] == "" {
				t.Fatalf("error body lacks bilingual messages: %v", body)
			}
			if tc.field != "" {
				fields, _ := e["fields"].([]any)
				if len(fields) == 0 || fields[0].(map[string]any)["field"] != tc.field {
					t.Fatalf("error does not name %s: %v", tc.field, body)
				}
			}
			if s.state() != before {
				t.Fatal("refused request changed the store")
			}
		})
	}
}

func TestRetractRestoreAndRelated(t *testing.T) {
	s := newServer(t)
	_, rec := s.do("POST", "/api/v1/incidents", `{"reason":"r","record":`+incidentJSON+`}`)
	id := rec["id"].(string)
	code, inv := s.do("POST", "/api/v1/involvements", `{"reason":"r","record":{"actor_id":"us_coalition","incident_id":"`+id+`","degree":"directly_carried_out","confidence":"likely"}}`)
	if code != 201 {
		t.Fatalf("involvement: %d %v", code, inv)
	}
	code, rel := s.do("GET", "/api/v1/incidents/"+id+"/related", "")
	if code != 200 || rel["total"].(float64) != 1 {
		t.Fatalf("related: %d %v", code, rel)
	}
	if code, list := s.do("GET", "/api/v1/incidents?actor=us_coalition", ""); code != 200 || list["total"].(float64) != 1 {
		t.Fatalf("by actor: %d %v", code, list)
	}
	// Retracting and restoring are reviewers' (and admins'): an analyst is
	// refused and nothing is written.
	before := s.state()
	if code, body := s.do("POST", "/api/v1/incidents/"+id+"/retract", `{"base_revision":1,"reason":"duplicate"}`); code != http.StatusForbidden ||
		body["error"].(map[string]any)["code"] != "forbidden" {
		t.Fatalf("retract by an analyst: %d %v", code, body)
	}
	if s.state() != before {
		t.Fatal("a refused retraction changed the store")
	}
	code, rec = s.do("POST", "/api/v1/incidents/"+id+"/retract", `{"base_revision":1,"reason":"duplicate"}`, s.as(auth.RoleReviewer)...)
	if code != 200 || rec["retracted"] != true || rec["revision"].(float64) != 2 || rec["updated_by"] != "reviewer-1" {
		t.Fatalf("retract: %d %v", code, rec)
	}
	if _, list := s.do("GET", "/api/v1/incidents", ""); list["total"].(float64) != 0 {
		t.Errorf("retracted incident still listed")
	}
	if _, list := s.do("GET", "/api/v1/incidents?retracted=include", ""); list["total"].(float64) != 1 {
		t.Errorf("retracted incident missing with retracted=include")
	}
	if code, body := s.do("POST", "/api/v1/incidents/"+id+"/restore", `{"base_revision":2,"reason":"not a duplicate after all"}`); code != http.StatusForbidden {
		t.Fatalf("restore by an analyst: %d %v", code, body)
	}
	code, rec = s.do("POST", "/api/v1/incidents/"+id+"/restore", `{"base_revision":2,"reason":"not a duplicate after all"}`, s.as(auth.RoleAdmin)...)
	if code != 200 || rec["retracted"] != false || rec["revision"].(float64) != 3 {
		t.Fatalf("restore: %d %v", code, rec)
	}
}

func TestActorsSeededAndVocabularies(t *testing.T) {
	s := newServer(t)
	code, body := s.do("GET", "/api/v1/actors?limit=100", "")
	if code != 200 || body["total"].(float64) < 12 {
		t.Fatalf("actors: %d %v", code, body["total"])
	}
	code, isis := s.do("GET", "/api/v1/actors/isis", "")
	if code != 200 || !strings.Contains(fmt.Sprint(isis["record"]), "داعش") {
		t.Fatalf("isis: %d %v", code, isis)
	}
	code, v := s.do("GET", "/api/v1/vocabularies/incident_kind", "")
	if terms, _ := v["terms"].([]any); code != 200 || len(terms) < 17 {
		t.Fatalf("vocabulary: %d %v", code, v)
	}
	if code, _ := s.do("GET", "/api/v1/vocabularies/nope", ""); code != 404 {
		t.Errorf("unknown vocabulary: %d", code)
	}
	code, h := s.do("GET", "/healthz", "")
	if code != 200 || h["status"] != "ok" {
		t.Errorf("healthz: %d %v", code, h)
	}
}

func TestErrorsDoNotEchoText(t *testing.T) {
	s := newServer(t)
	secret := "اسم الشاهد السري محمد"
	for name, body := range map[string]string{
		"bad code":       `{"reason":"r","record":{"identity":{"full_name_ar":"` + secret + `"},"civilian_status":"` + secret + `"}}`,
		"unknown field":  `{"reason":"r","record":{"identity":{"full_name_ar":"` + secret + `","nickname":"` + secret + `"}}}`,
		"bad birth date": `{"reason":"r","record":{"identity":{"full_name_ar":"` + secret + `","date_of_birth":"` + secret + `"}}}`,
	} {
		code, resp := s.do("POST", "/api/v1/victims", body)
		if code != 400 {
			t.Fatalf("%s: status %d: %v", name, code, resp)
		}
		out, _ := json.Marshal(resp)
		if bytes.Contains(out, []byte("الشاهد السري")) {
			t.Errorf("%s: error echoes personal data: %s", name, out)
		}
	}
}
