package api_test

// HTTP tests of what each role may see: sealed fields stored as ciphertext
// and shown in clear only to reviewers and admins who ask (each request,
// refusals too, in the audit log), a reporter's own reports, the public's
// published incidents, and the routes of the admin.

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/tawthiq/tawthiq/internal/auth"
)

// Plaintext of a source's sealed identity; none of it may appear in an
// answer that is not an unsealed read.
const (
	sourceRealName = "سعاد الحسن (اسم تجريبي)"
	sourceContact  = "+963-000-555-0101"
)

// noPlaintext fails the test if the answer shows any of the sealed
// plaintext.
func noPlaintext(t *testing.T, what string, answer any, plain ...string) {
	t.Helper()
	raw := toJSON(answer)
	for _, p := range plain {
		if strings.Contains(raw, p) || strings.Contains(raw, jsonEscaped(p)) {
			t.Errorf("%s shows sealed plaintext %q: %s", what, p, raw)
		}
	}
}

// jsonEscaped is s as encoding/json writes it inside a string (HTML
// escaping included), without the quotes.
func jsonEscaped(s string) string {
	q := toJSON(s)
	return q[1 : len(q)-1]
}

func bodyOf(rec map[string]any) map[string]any {
	b, _ := rec["record"].(map[string]any)
	return b
}

func errorCode(body map[string]any) string {
	e, _ := body["error"].(map[string]any)
	c, _ := e["code"].(string)
	return c
}

// createSource stores, as analyst-1, a source with a sealed identity and
// returns its id.
func createSource(t *testing.T, s *server) (string, map[string]any) {
	t.Helper()
	code, rec := s.do("POST", "/api/v1/sources", `{"reason":"a witness of the strike","record":{"display_label":"witness A",
		"source_type":"witness","identity":{"real_name":"`+sourceRealName+`","contact":"`+sourceContact+`"}}}`)
	if code != http.StatusCreated {
		t.Fatalf("create source: %d %v", code, rec)
	}
	return rec["id"].(string), rec
}

// TestSealedSourceIdentity: a source's identity is stored sealed; an
// analyst sees the envelope and is refused the plaintext, a reviewer reads
// it back, and the audit log holds both requests.
func TestSealedSourceIdentity(t *testing.T) {
	s := newServer(t)
	id, created := createSource(t, s)
	if created["created_by"] != "analyst-1" {
		t.Errorf("created_by %v", created["created_by"])
	}
	noPlaintext(t, "the create answer", created, sourceRealName, sourceContact)
	if b := bodyOf(created); b["sealed"] == nil || b["identity"] != nil || b["display_label"] != "witness A" {
		t.Errorf("the create answer does not hold the sealed envelope alone: %v", b)
	}

	for _, path := range []string{"/api/v1/sources/" + id, "/api/v1/records/" + id} {
		code, got := s.do("GET", path, "")
		if code != http.StatusOK || bodyOf(got)["sealed"] == nil || bodyOf(got)["identity"] != nil {
			t.Errorf("GET %s as analyst: %d %v", path, code, got)
		}
		noPlaintext(t, "GET "+path+" as analyst", got, sourceRealName, sourceContact)
	}
	for _, path := range []string{"/api/v1/sources", "/api/v1/sources/" + id + "/history", "/api/v1/sources/" + id + "/revisions/1"} {
		code, got := s.do("GET", path, "")
		if code != http.StatusOK || !strings.Contains(toJSON(got), `"sealed"`) {
			t.Errorf("GET %s as analyst: %d %v", path, code, got)
		}
		noPlaintext(t, "GET "+path, got, sourceRealName, sourceContact)
	}
	noPlaintext(t, "the store", s.state(), sourceRealName, sourceContact)

	// An analyst may not unseal: refused, and the refusal is recorded.
	state := s.stateBesidesAudit()
	code, denied := s.do("GET", "/api/v1/sources/"+id+"?unseal=true", "")
	if code != http.StatusForbidden || errorCode(denied) != "sealed_forbidden" {
		t.Fatalf("unseal as analyst: %d %v", code, denied)
	}
	noPlaintext(t, "the refusal", denied, sourceRealName, sourceContact)
	if s.stateBesidesAudit() != state {
		t.Error("a refused unseal changed the store")
	}
	if code, bad := s.do("GET", "/api/v1/sources/"+id+"?unseal=yes", "", s.as(auth.RoleReviewer)...); code != http.StatusBadRequest || !namesField(bad, "unseal") {
		t.Errorf("unseal=yes: %d %v", code, bad)
	}

	// A reviewer asks and reads the identity back, for a stated purpose.
	code, open := s.do("GET", "/api/v1/sources/"+id+"?unseal=true&purpose=court+filing", "", s.as(auth.RoleReviewer)...)
	ident, _ := bodyOf(open)["identity"].(map[string]any)
	if code != http.StatusOK || ident["real_name"] != sourceRealName || ident["contact"] != sourceContact || bodyOf(open)["sealed"] != nil {
		t.Fatalf("unseal as reviewer: %d %v", code, open)
	}
	if code, open := s.do("GET", "/api/v1/records/"+id+"?unseal=true", "", s.as(auth.RoleAdmin)...); code != http.StatusOK ||
		!strings.Contains(toJSON(open), jsonEscaped(sourceRealName)) {
		t.Errorf("unseal as admin through /records: %d %v", code, open)
	}

	// The audit log, read by the admin, names who asked, for what record
	// and which fields, and how it ended.
	var deniedSeen, readSeen bool
	for _, e := range s.auditLog("subject_id=" + id) {
		fields := toJSON(e["fields"])
		switch {
		case e["action"] == "sealed_denied" && e["actor"] == "analyst-1":
			deniedSeen = true
			if e["outcome"] != "denied" || e["subject_type"] != "source" || fields != `["identity"]` || e["role"] != "analyst" {
				t.Errorf("sealed_denied entry: %v", e)
			}
		case e["action"] == "sealed_read" && e["actor"] == "reviewer-1":
			readSeen = true
			if e["outcome"] != "ok" || e["subject_id"] != id || e["subject_type"] != "source" || fields != `["identity"]` ||
				e["detail"] != "court filing" {
				t.Errorf("sealed_read entry: %v", e)
			}
		}
		noPlaintext(t, "the audit log", e, sourceRealName, sourceContact)
	}
	if !deniedSeen || !readSeen {
		t.Errorf("the audit log lacks the refusal (%v) or the read (%v): %v", deniedSeen, readSeen, s.auditLog("subject_id="+id))
	}
	if got := s.auditLog("action=sealed_read&actor=analyst-1"); len(got) != 0 {
		t.Errorf("an analyst's refused request is logged as a read: %v", got)
	}
}

// TestSealedSourceKeptOnUpdate: an analyst who cannot read the identity
// edits the rest of the source; the identity is kept.
func TestSealedSourceKeptOnUpdate(t *testing.T) {
	s := newServer(t)
	id, _ := createSource(t, s)
	code, upd := s.do("PUT", "/api/v1/sources/"+id, `{"base_revision":1,"reason":"more on the witness",
		"record":{"display_label":"witness A (market)","source_type":"witness","reliability":"likely_reliable"}}`)
	if code != http.StatusOK {
		t.Fatalf("update as analyst: %d %v", code, upd)
	}
	if upd["revision"].(float64) != 2 || upd["updated_by"] != "analyst-1" || bodyOf(upd)["sealed"] == nil ||
		bodyOf(upd)["display_label"] != "witness A (market)" {
		t.Errorf("updated: %v", upd)
	}
	noPlaintext(t, "the update answer", upd, sourceRealName, sourceContact)
	code, open := s.do("GET", "/api/v1/sources/"+id+"?unseal=true", "", s.as(auth.RoleReviewer)...)
	ident, _ := bodyOf(open)["identity"].(map[string]any)
	if code != http.StatusOK || open["revision"].(float64) != 2 || ident["real_name"] != sourceRealName || ident["contact"] != sourceContact {
		t.Fatalf("the identity after an update without it: %d %v", code, open)
	}
}

// TestReporterSeesOwnReports: a reporter lists and reads their own reports
// only; the address they sent from is sealed in their report.
func TestReporterSeesOwnReports(t *testing.T) {
	s := newServer(t)
	analysts := s.newReport()
	reporter := s.as(auth.RoleReporter)
	code, mine := s.do("POST", "/api/v1/reports", `{"reason":"sent from the field","record":{"title":"ما رأيته",
		"text":"سقطت قذيفة قرب المدرسة صباح اليوم","language":"ar"}}`, reporter...)
	if code != http.StatusCreated || mine["created_by"] != "reporter-1" {
		t.Fatalf("create as reporter: %d %v", code, mine)
	}
	id := mine["id"].(string)
	if bodyOf(mine)["sealed"] == nil || bodyOf(mine)["reporter"] != nil {
		t.Errorf("the reporter's address is not sealed: %v", mine)
	}
	noPlaintext(t, "the create answer", mine, "127.0.0.1")

	code, list := s.do("GET", "/api/v1/reports", "", reporter...)
	items, _ := list["items"].([]any)
	if code != http.StatusOK || list["total"].(float64) != 1 || len(items) != 1 || items[0].(map[string]any)["id"] != id {
		t.Fatalf("the reporter's list: %d %v", code, list)
	}
	if code, got := s.do("GET", "/api/v1/reports/"+id, "", reporter...); code != http.StatusOK || got["id"] != id {
		t.Errorf("the reporter's own report: %d %v", code, got)
	}
	if code, got := s.do("GET", "/api/v1/reports/"+analysts, "", reporter...); code != http.StatusNotFound {
		t.Errorf("another's report, to a reporter: %d %v", code, got)
	}
	state := s.state()
	if code, got := s.do("PUT", "/api/v1/reports/"+analysts, `{"base_revision":1,"reason":"r","record":{"text":"x","language":"ar"}}`, reporter...); code != http.StatusForbidden {
		t.Errorf("a reporter's update of another's report: %d %v", code, got)
	}
	if s.state() != state {
		t.Error("a refused update changed the store")
	}
	if code, got := s.do("GET", "/api/v1/reports/"+id+"?unseal=true", "", reporter...); code != http.StatusForbidden || errorCode(got) != "sealed_forbidden" {
		t.Errorf("unseal as reporter: %d %v", code, got)
	}
	for _, path := range []string{"/api/v1/records/" + analysts, "/api/v1/sources", "/api/v1/search?q=x", "/api/v1/reports/" + id + "/history"} {
		if code, got := s.do("GET", path, "", reporter...); code != http.StatusForbidden || errorCode(got) != "forbidden" {
			t.Errorf("GET %s as reporter: %d %v", path, code, got)
		}
	}
	if code, _ := s.do("GET", "/api/v1/reports", ""); code != http.StatusOK {
		t.Errorf("the analyst's list: %d", code)
	} else if _, all := s.do("GET", "/api/v1/reports", ""); all["total"].(float64) != 2 {
		t.Errorf("the analyst sees %v reports, want both", all["total"])
	}

	code, open := s.do("GET", "/api/v1/reports/"+id+"?unseal=true", "", s.as(auth.RoleReviewer)...)
	rep, _ := bodyOf(open)["reporter"].(map[string]any)
	if code != http.StatusOK || rep["network_address"] != "127.0.0.1" {
		t.Fatalf("the reporter's address, unsealed by a reviewer: %d %v", code, open)
	}
	// An analyst's report carries no reporter part: nothing to unseal.
	if code, open := s.do("GET", "/api/v1/reports/"+analysts+"?unseal=true", "", s.as(auth.RoleReviewer)...); code != http.StatusOK ||
		bodyOf(open)["reporter"] != nil || bodyOf(open)["sealed"] != nil {
		t.Errorf("unseal of a report without a reporter part: %d %v", code, open)
	}
}

// TestPublicSeesPublishedIncidents: without credentials only incidents
// marked public are listed and read, without their links to internal
// records; everything else asks for credentials.
func TestPublicSeesPublishedIncidents(t *testing.T) {
	s := newServer(t)
	report := s.newReport()
	published := strings.Replace(incidentJSON, `"kinds"`, `"confidentiality":"public","report_ids":["`+report+`"],"tags":["needs-follow-up"],"kinds"`, 1)
	code, pub := s.do("POST", "/api/v1/incidents", `{"reason":"published in the monthly report","record":`+published+`}`)
	if code != http.StatusCreated {
		t.Fatalf("public incident: %d %v", code, pub)
	}
	code, internal := s.do("POST", "/api/v1/incidents", `{"reason":"still being checked","record":`+incidentJSON+`}`)
	if code != http.StatusCreated || bodyOf(internal)["confidentiality"] != "internal" {
		t.Fatalf("internal incident: %d %v", code, internal)
	}
	pubID, internalID := pub["id"].(string), internal["id"].(string)

	code, list := s.do("GET", "/api/v1/incidents", "", anonymous...)
	items, _ := list["items"].([]any)
	if code != http.StatusOK || list["total"].(float64) != 1 || len(items) != 1 {
		t.Fatalf("the public list: %d %v", code, list)
	}
	item := items[0].(map[string]any)
	if item["id"] != pubID || bodyOf(item)["report_ids"] != nil || bodyOf(item)["tags"] != nil || item["created_by"] != nil && item["created_by"] != "" {
		t.Errorf("the public list item: %v", item)
	}
	if strings.Contains(toJSON(list), report) || strings.Contains(toJSON(list), "analyst-1") {
		t.Errorf("the public list names internal records or users: %v", list)
	}
	if code, list := s.do("GET", "/api/v1/incidents?retracted=include&limit=200", "", anonymous...); code != http.StatusOK || list["total"].(float64) != 1 {
		t.Errorf("the public list with retracted=include: %d %v", code, list)
	}
	code, one := s.do("GET", "/api/v1/incidents/"+pubID, "", anonymous...)
	if code != http.StatusOK || one["id"] != pubID || bodyOf(one)["report_ids"] != nil || strings.Contains(toJSON(one), report) {
		t.Errorf("the public incident: %d %v", code, one)
	}
	if code, got := s.do("GET", "/api/v1/incidents/"+internalID, "", anonymous...); code != http.StatusNotFound {
		t.Errorf("an internal incident, to the public: %d %v", code, got)
	}
	if code, got := s.do("GET", "/api/v1/incidents/"+internalID, ""); code != http.StatusOK || got["id"] != internalID {
		t.Errorf("an internal incident, to an analyst: %d %v", code, got)
	}
	if code, got := s.do("GET", "/api/v1/incidents/"+internalID, "", s.as(auth.RoleReporter)...); code != http.StatusNotFound {
		t.Errorf("an internal incident, to a reporter: %d %v", code, got)
	}
	// A reporter is signed in: they see at least what the public sees.
	t.Run("reporter sees the published incidents", func(t *testing.T) {
		code, list := s.do("GET", "/api/v1/incidents", "", s.as(auth.RoleReporter)...)
		code1, one := s.do("GET", "/api/v1/incidents/"+pubID, "", s.as(auth.RoleReporter)...)
		if code != http.StatusOK || list["total"].(float64) != 1 || code1 != http.StatusOK {
			t.Errorf("a reporter's incidents: list %d %v, published one %d %v", code, list, code1, one)
		}
		if strings.Contains(toJSON(list), report) || strings.Contains(toJSON(one), report) {
			t.Errorf("a reporter sees the published incident's links to internal records: %v %v", list, one)
		}
	})

	state := s.state()
	for _, tc := range []struct{ method, path, body string }{
		{"POST", "/api/v1/incidents", `{"reason":"r","record":` + incidentJSON + `}`},
		{"PUT", "/api/v1/incidents/" + pubID, `{"base_revision":1,"reason":"r","record":` + incidentJSON + `}`},
		{"POST", "/api/v1/incidents/" + pubID + "/retract", `{"base_revision":1,"reason":"r"}`},
		{"GET", "/api/v1/incidents/" + pubID + "/history", ``},
		{"GET", "/api/v1/reports", ``},
		{"GET", "/api/v1/records/" + pubID, ``},
		{"GET", "/api/v1/me", ``},
	} {
		code, got := s.do(tc.method, tc.path, tc.body, anonymous...)
		if code != http.StatusUnauthorized || errorCode(got) != "unauthorized" || !namesField(got, "Authorization") {
			t.Errorf("%s %s without credentials: %d %v", tc.method, tc.path, code, got)
		}
	}
	if s.state() != state {
		t.Error("requests without credentials changed the store")
	}

	for _, tok := range []string{"Bearer tq_not-a-real-token", "Bearer " + s.accs[auth.RoleAnalyst].Token + "x", "Basic YW5hbHlzdC0xOnB3"} {
		code, got := s.do("GET", "/api/v1/incidents", "", "Authorization", tok)
		if code != http.StatusUnauthorized || errorCode(got) != "invalid_token" || !namesField(got, "Authorization") {
			t.Errorf("GET with Authorization %.20q…: %d %v", tok, code, got)
		}
	}
}

// TestRoleRoutes: who the caller is, the admin's routes, and the routes a
// reviewer needs.
func TestRoleRoutes(t *testing.T) {
	s := newServer(t)
	for _, role := range []auth.Role{auth.RoleReporter, auth.RoleAnalyst, auth.RoleReviewer, auth.RoleAdmin} {
		code, me := s.do("GET", "/api/v1/me", "", s.as(role)...)
		if code != http.StatusOK || me["username"] != string(role)+"-1" || me["role"] != string(role) || me["via"] != "token" ||
			me["can_read_sealed"] != (role == auth.RoleReviewer || role == auth.RoleAdmin) {
			t.Errorf("me as %s: %d %v", role, code, me)
		}
	}

	for _, path := range []string{"/api/v1/users", "/api/v1/audit"} {
		for _, role := range []auth.Role{auth.RoleReporter, auth.RoleAnalyst, auth.RoleReviewer} {
			if code, got := s.do("GET", path, "", s.as(role)...); code != http.StatusForbidden || errorCode(got) != "forbidden" {
				t.Errorf("GET %s as %s: %d %v", path, role, code, got)
			}
		}
	}
	code, users := s.do("GET", "/api/v1/users", "", s.as(auth.RoleAdmin)...)
	var names []string
	for _, u := range users["items"].([]any) {
		names = append(names, u.(map[string]any)["username"].(string))
	}
	slices.Sort(names)
	if code != http.StatusOK || !slices.Equal(names, []string{"admin-1", "analyst-1", "reporter-1", "reviewer-1"}) {
		t.Errorf("users: %d %v", code, users)
	}
	if strings.Contains(toJSON(users), "password") || strings.Contains(toJSON(users), s.accs[auth.RoleAdmin].Token) {
		t.Errorf("the user list shows secrets: %v", users)
	}
	if code, got := s.do("GET", "/api/v1/audit?colour=red", "", s.as(auth.RoleAdmin)...); code != http.StatusBadRequest || !namesField(got, "colour") {
		t.Errorf("audit with an unknown parameter: %d %v", code, got)
	}

	// Assessments are reviewers' to write; analysts read them.
	_, inc := s.do("POST", "/api/v1/incidents", `{"reason":"r","record":`+incidentJSON+`}`)
	assessment := `{"reason":"two independent sources","record":{"subject_id":"` + inc["id"].(string) +
		`","kind":"grading","value":"fair","rationale":"two independent sources agree"}}`
	state := s.state()
	if code, got := s.do("POST", "/api/v1/assessments", assessment); code != http.StatusForbidden || errorCode(got) != "forbidden" {
		t.Errorf("assessment by an analyst: %d %v", code, got)
	}
	if s.state() != state {
		t.Error("a refused assessment changed the store")
	}
	code, as := s.do("POST", "/api/v1/assessments", assessment, s.as(auth.RoleReviewer)...)
	if code != http.StatusCreated || as["created_by"] != "reviewer-1" {
		t.Fatalf("assessment by a reviewer: %d %v", code, as)
	}
	aid := as["id"].(string)
	update := strings.Replace(assessment, `"reason":"two independent sources"`, `"base_revision":1,"reason":"a third source"`, 1)
	if code, got := s.do("PUT", "/api/v1/assessments/"+aid, update); code != http.StatusForbidden {
		t.Errorf("assessment update by an analyst: %d %v", code, got)
	}
	if code, got := s.do("PUT", "/api/v1/assessments/"+aid, update, s.as(auth.RoleAdmin)...); code != http.StatusOK || got["updated_by"] != "admin-1" {
		t.Errorf("assessment update by an admin: %d %v", code, got)
	}
	if code, got := s.do("GET", "/api/v1/assessments/"+aid, ""); code != http.StatusOK || got["revision"].(float64) != 2 {
		t.Errorf("assessment read by an analyst: %d %v", code, got)
	}
}
