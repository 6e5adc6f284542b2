package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/tawthiq/tawthiq/internal/audit"
	"github.com/tawthiq/tawthiq/internal/auth"
)

// Sample reports written for these tests: an air strike on a bakery, and
// a later account of it with a higher toll and who is blamed.
const (
	strikeReport = `[بيانات تجريبية] قُتل 9 مدنيين بينهم 3 أطفال، وأصيب 6 آخرون، فجر يوم الأحد 2 نيسان 2017، ` +
		`في غارة جوية لطيران التحالف الدولي استهدفت مخبزاً في مدينة الطبقة غربي الرقة.`
	strikeFollowUp = `[بيانات تجريبية] ارتفع عدد ضحايا الغارة الجوية التي استهدفت مخبزاً في مدينة الطبقة يوم الأحد 2 نيسان 2017 ` +
		`إلى 11 قتيلاً مدنياً، بحسب ما ذكرت الشبكة السورية لحقوق الإنسان. واتهم ناشطون طيران التحالف الدولي بتنفيذ الغارة.`
)

// auditAfter runs the integrity audit when the test ends: whatever it
// wrote through the API must pass.
func auditAfter(s *server) {
	s.t.Cleanup(func() {
		rep, err := audit.Run(context.Background(), audit.Inputs{DB: s.a.DB, Store: s.a.Store, Ledger: s.a.Ledger, Vault: s.a.Vault})
		if err != nil {
			s.t.Fatal(err)
		}
		for _, f := range rep.Findings {
			s.t.Errorf("audit: %s", f)
		}
	})
}

// reviewState is the store's fingerprint with the count of fact
// decisions, which state does not cover.
func reviewState(s *server) string {
	s.t.Helper()
	var n int
	if err := s.a.DB.QueryRow(context.Background(), `SELECT COUNT(*) FROM fact_decisions`).Scan(&n); err != nil {
		s.t.Fatal(err)
	}
	return fmt.Sprintf("%s decisions=%d", s.state(), n)
}

func sampleReport(s *server, text string) string {
	s.t.Helper()
	code, rec := s.do("POST", "/api/v1/reports", `{"reason":"sample report","record":{"language":"ar","published":"2017-04-03","text":"`+text+`"}}`)
	if code != http.StatusCreated {
		s.t.Fatalf("create report: %d %v", code, rec)
	}
	return rec["id"].(string)
}

// factKeys lists the report's facts through the API and names each by its
// type and the words it was read from: "casualties قُتل 9".
func factKeys(s *server, reportID string) map[string]string {
	s.t.Helper()
	code, out := s.do("GET", "/api/v1/reports/"+reportID+"/facts", "")
	if code != http.StatusOK || out["report_id"] != reportID {
		s.t.Fatalf("facts: %d %v", code, out)
	}
	keys := map[string]string{}
	for _, f := range out["facts"].([]any) {
		m := f.(map[string]any)
		p := m["proposal"].(map[string]any)
		keys[p["type"].(string)+" "+p["text"].(string)] = m["key"].(string)
	}
	return keys
}

func decision(key, action, fact string) string {
	if fact == "" {
		return fmt.Sprintf(`{"key":%q,"action":%q}`, key, action)
	}
	return fmt.Sprintf(`{"key":%q,"action":%q,"fact":%s}`, key, action, fact)
}

// postHeader is server.do for an answer whose headers matter.
func postHeader(s *server, path, body string) (int, map[string]any, http.Header) {
	s.t.Helper()
	resp, data := s.send("POST", path, []byte(body), "Content-Type", "application/json")
	var out map[string]any
	if err := json.Unmarshal(data, &out); err != nil {
		s.t.Fatalf("POST %s: answer is not JSON: %s", path, data)
	}
	return resp.StatusCode, out, resp.Header
}

// The review of a report through the API, from its proposed facts to an
// incident that a second report is then linked to.
func TestReviewReportToIncident(t *testing.T) {
	s := newServer(t)
	auditAfter(s)
	r1 := sampleReport(s, strikeReport)
	keys := factKeys(s, r1)
	for _, k := range []string{"casualties قُتل 9", "casualties 3", "casualties وأصيب 6", "date يوم الأحد 2 نيسان 2017",
		"incident_kind غارة جوية", "incident_kind مخبزاً", "actor لطيران التحالف الدولي", "place مدينة الطبقة"} {
		if keys[k] == "" {
			t.Fatalf("no proposed fact %q among %v", k, keys)
		}
	}

	for _, k := range []string{"casualties قُتل 9", "casualties 3", "date يوم الأحد 2 نيسان 2017", "incident_kind غارة جوية",
		"actor لطيران التحالف الدولي", "place مدينة الطبقة"} {
		code, f := s.do("POST", "/api/v1/reports/"+r1+"/facts", decision(keys[k], "accepted", ""))
		if code != http.StatusOK || f["key"] != keys[k] || f["status"] != "accepted" || f["decided_by"] != "analyst-1" {
			t.Fatalf("accept %s: %d %v", k, code, f)
		}
	}

	// An edit whose count runs backwards is refused, naming the field.
	injured := keys["casualties وأصيب 6"]
	before := reviewState(s)
	code, body := s.do("POST", "/api/v1/reports/"+r1+"/facts", decision(injured, "edited",
		`{"outcome":"injured","category":"civilians","count":{"min":8,"best":6,"max":7,"qualifier":"about","source_text":"6"}}`))
	if code != http.StatusBadRequest || !namesField(body, "fact.count.min") {
		t.Fatalf("edit with a bad count: %d %v", code, body)
	}
	if reviewState(s) != before {
		t.Error("a refused edit was stored")
	}
	code, f := s.do("POST", "/api/v1/reports/"+r1+"/facts", decision(injured, "edited",
		`{"outcome":"injured","category":"civilians","count":{"min":7,"best":7,"max":-1,"qualifier":"at_least","source_text":"6"}}`),
		s.as(auth.RoleReviewer)...)
	count, _ := f["fact"].(map[string]any)["count"].(map[string]any)
	if code != http.StatusOK || f["status"] != "edited" || f["decided_by"] != "reviewer-1" || count["min"] != 7.0 ||
		f["proposal"].(map[string]any)["count"].(map[string]any)["min"] != 6.0 {
		t.Fatalf("edit: %d %v", code, f)
	}
	// The bakery is the target, not a kind of its own here.
	code, f = s.do("POST", "/api/v1/reports/"+r1+"/facts", decision(keys["incident_kind مخبزاً"], "rejected", ""))
	if code != http.StatusOK || f["status"] != "rejected" {
		t.Fatalf("reject: %d %v", code, f)
	}

	code, hist := s.do("GET", "/api/v1/reports/"+r1+"/facts/history", "")
	ds, _ := hist["decisions"].([]any)
	if code != http.StatusOK || len(ds) != 8 {
		t.Fatalf("history: %d %v", code, hist)
	}
	if d := ds[6].(map[string]any); d["key"] != injured || d["decision"] != "edited" || d["author"] != "reviewer-1" {
		t.Errorf("history out of order or unsigned: %v", d)
	}

	code, res, hdr := postHeader(s, "/api/v1/reports/"+r1+"/incident", `{"reason":"one report of the strike on the Tabqa bakery"}`)
	inc, _ := res["incident_id"].(string)
	if code != http.StatusCreated || inc == "" || hdr.Get("Location") != "/api/v1/incidents/"+inc {
		t.Fatalf("create incident: %d %v %v", code, res, hdr)
	}
	code, got := s.do("GET", hdr.Get("Location"), "")
	if code != http.StatusOK || !strings.Contains(toJSON(got["record"]), `"kinds":["air_strike"]`) ||
		got["created_by"] != "analyst-1" || !strings.Contains(toJSON(got["record"]), `"min":7`) {
		t.Errorf("the incident: %d %v", code, got)
	}

	// Again: refused, naming the incident, in both languages.
	before = reviewState(s)
	code, body = s.do("POST", "/api/v1/reports/"+r1+"/incident", `{"reason":"again"}`)
	e, _ := body["error"].(map[string]any)
	if code != http.StatusConflict || e["code"] != "already_linked" || e["record_id"] != inc ||
		!strings.Contains(e["message"].(string), inc) || !strings.Contains(e["message_ar"].(string), inc) {
		t.Fatalf("create again: %d %v", code, body)
	}
	if reviewState(s) != before {
		t.Error("a refused create wrote")
	}

	// A second report of the same strike is linked to it.
	r2 := sampleReport(s, strikeFollowUp)
	keys2 := factKeys(s, r2)
	for _, k := range []string{"casualties ضحايا الغارة الجوية التي استهدفت مخبزاً في مدينة الطبقة يوم الأحد 2 نيسان 2017 إلى 11",
		"actor طيران التحالف الدولي"} {
		if code, f := s.do("POST", "/api/v1/reports/"+r2+"/facts", decision(keys2[k], "accepted", "")); code != http.StatusOK {
			t.Fatalf("accept %s: %d %v (facts %v)", k, code, f, keys2)
		}
	}
	code, link := s.do("POST", "/api/v1/reports/"+r2+"/link", `{"incident_id":"`+inc+`","reason":"second source on the strike"}`)
	if code != http.StatusOK || link["incident_id"] != inc || len(link["updated"].([]any)) != 2 || len(link["created"].([]any)) < 2 {
		t.Fatalf("link: %d %v", code, link)
	}
	_, got = s.do("GET", "/api/v1/incidents/"+inc, "")
	if !strings.Contains(toJSON(got["record"]), r1) || !strings.Contains(toJSON(got["record"]), r2) {
		t.Errorf("incident's reports: %v", got["record"])
	}
	before = reviewState(s)
	code, link = s.do("POST", "/api/v1/reports/"+r2+"/link", `{"incident_id":"`+inc+`","reason":"again"}`)
	if code != http.StatusOK || link["incident_id"] != inc || len(link["created"].([]any)) != 0 || len(link["updated"].([]any)) != 0 {
		t.Fatalf("link again: %d %v", code, link)
	}
	if reviewState(s) != before {
		t.Error("a link that changed nothing wrote")
	}

	// A report that tells of another incident too, on purpose; after it,
	// a plain create names both.
	code, res, hdr = postHeader(s, "/api/v1/reports/"+r1+"/incident", `{"reason":"the report tells of a second strike","another":true}`)
	inc2, _ := res["incident_id"].(string)
	if code != http.StatusCreated || inc2 == "" || inc2 == inc || hdr.Get("Location") != "/api/v1/incidents/"+inc2 {
		t.Fatalf("create another: %d %v", code, res)
	}
	code, body = s.do("POST", "/api/v1/reports/"+r1+"/incident", `{"reason":"again"}`)
	e, _ = body["error"].(map[string]any)
	if code != http.StatusConflict || !strings.Contains(e["message"].(string), inc) || !strings.Contains(e["message"].(string), inc2) ||
		!strings.Contains(e["message_ar"].(string), inc2) {
		t.Errorf("create with two incidents: %d %v", code, body)
	}
}

func namesField(body map[string]any, field string) bool {
	e, _ := body["error"].(map[string]any)
	fields, _ := e["fields"].([]any)
	for _, f := range fields {
		if f.(map[string]any)["field"] == field {
			return true
		}
	}
	return false
}

// Every refused review request answers with bilingual messages, names
// what is wrong, and writes nothing.
func TestReviewRefusals(t *testing.T) {
	s := newServer(t)
	auditAfter(s)
	r := sampleReport(s, strikeReport)
	keys := factKeys(s, r)
	cas := keys["casualties قُتل 9"]
	_, rec := s.do("POST", "/api/v1/incidents", `{"reason":"r","record":`+incidentJSON+`}`)
	inc := rec["id"].(string)
	facts, incident, link := "/api/v1/reports/"+r+"/facts", "/api/v1/reports/"+r+"/incident", "/api/v1/reports/"+r+"/link"
	noUser := anonymous
	reporter := s.as(auth.RoleReporter)
	cases := []struct {
		name, method, path, body string
		hdr                      []string
		status                   int
		field                    string
	}{
		{"decide without user", "POST", facts, decision(cas, "accepted", ""), noUser, 401, "Authorization"},
		{"incident without user", "POST", incident, `{"reason":"r"}`, noUser, 401, "Authorization"},
		{"link without user", "POST", link, `{"incident_id":"` + inc + `","reason":"r"}`, noUser, 401, "Authorization"},
		{"decide as reporter", "POST", facts, decision(cas, "accepted", ""), reporter, 403, ""},
		{"incident as reporter", "POST", incident, `{"reason":"r"}`, reporter, 403, ""},
		{"link as reporter", "POST", link, `{"incident_id":"` + inc + `","reason":"r"}`, reporter, 403, ""},
		{"facts as reporter", "GET", facts, ``, reporter, 403, ""},
		{"author in the body", "POST", facts, `{"key":"` + cas + `","action":"accepted","author":"someone-else"}`, nil, 400, "author"},
		{"unknown field in fact", "POST", facts, decision(cas, "edited", `{"outcome":"killed","colour":"red"}`), nil, 400, "fact.colour"},
		{"fact of wrong type", "POST", facts, decision(cas, "edited", `{"count":{"min":"nine"}}`), nil, 400, "fact.count.min"},
		{"fact with an accept", "POST", facts, decision(cas, "accepted", `{"outcome":"killed"}`), nil, 400, "fact"},
		{"edit without fact", "POST", facts, decision(cas, "edited", ""), nil, 400, "fact"},
		{"unknown action", "POST", facts, decision(cas, "approved", ""), nil, 400, "action"},
		{"no key", "POST", facts, `{"action":"accepted"}`, nil, 400, "key"},
		{"unknown key", "POST", facts, decision("casualties:1-2", "accepted", ""), nil, 404, ""},
		{"decide on no report", "POST", "/api/v1/reports/01NOSUCHREPORT0000000000000/facts", decision(cas, "accepted", ""), nil, 404, ""},
		{"empty body", "POST", facts, ``, nil, 400, ""},
		{"not JSON content", "POST", facts, decision(cas, "accepted", ""), []string{"Content-Type", "text/plain"}, 400, "Content-Type"},
		{"incident unknown field", "POST", incident, `{"reason":"r","force":true}`, nil, 400, "force"},
		{"incident another not bool", "POST", incident, `{"reason":"r","another":"yes"}`, nil, 400, "another"},
		{"incident without reason", "POST", incident, `{}`, nil, 400, "reason"},
		{"incident without kinds", "POST", incident, `{"reason":"r"}`, nil, 400, "kinds"},
		{"incident of no report", "POST", "/api/v1/reports/01NOSUCHREPORT0000000000000/incident", `{"reason":"r"}`, nil, 404, ""},
		{"link unknown field", "POST", link, `{"incident_id":"` + inc + `","reason":"r","base_revision":1}`, nil, 400, "base_revision"},
		{"link without reason", "POST", link, `{"incident_id":"` + inc + `"}`, nil, 400, "reason"},
		{"link without incident", "POST", link, `{"reason":"r"}`, nil, 400, "incident_id"},
		{"link to nothing", "POST", link, `{"incident_id":"01NOSUCHINCIDENT00000000000","reason":"r"}`, nil, 400, "incident_id"},
		{"link to a report", "POST", link, `{"incident_id":"` + r + `","reason":"r"}`, nil, 400, "incident_id"},
		{"link no report", "POST", "/api/v1/reports/01NOSUCHREPORT0000000000000/link", `{"incident_id":"` + inc + `","reason":"r"}`, nil, 404, ""},
		{"facts of no report", "GET", "/api/v1/reports/01NOSUCHREPORT0000000000000/facts", ``, nil, 404, ""},
		{"facts of an incident", "GET", "/api/v1/reports/" + inc + "/facts", ``, nil, 404, ""},
		{"history of no report", "GET", "/api/v1/reports/01NOSUCHREPORT0000000000000/facts/history", ``, nil, 404, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := reviewState(s)
			code, body := s.do(tc.method, tc.path, tc.body, tc.hdr...)
			if code != tc.status {
				t.Fatalf("status %d, want %d: %v", code, tc.status, body)
			}
			e, _ := body["error"].(map[string]any)
			if e == nil || e["message"] == "" || e["message_ar"] == "" {
				t.Fatalf("error body lacks bilingual messages: %v", body)
			}
			if tc.field != "" && !namesField(body, tc.field) {
				t.Fatalf("error does not name %s: %v", tc.field, body)
			}
			if reviewState(s) != before {
				t.Fatal("refused request changed the store")
			}
		})
	}
	// Nothing decided yet: the history is an empty list, not null.
	if code, hist := s.do("GET", "/api/v1/reports/"+r+"/facts/history", ""); code != http.StatusOK || toJSON(hist["decisions"]) != "[]" {
		t.Errorf("empty history: %d %v", code, hist)
	}
}
