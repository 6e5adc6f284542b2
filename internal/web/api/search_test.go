package api_test

import (
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/tawthiq/tawthiq/internal/auth"
)

// searchFixture stores, through the API, two reports and two incidents
// (one in Hettin, a neighbourhood of Raqqa city, with the US-led
// coalition involved) and returns their ids by name.
func searchFixture(t *testing.T) (*server, map[string]string) {
	s := newServer(t)
	ids := map[string]string{}
	post := func(name, collection, record string) {
		t.Helper()
		code, rec := s.do("POST", "/api/v1/"+collection, `{"reason":"search test","record":`+record+`}`)
		if code != http.StatusCreated {
			t.Fatalf("create %s: %d %v", name, code, rec)
		}
		ids[name] = rec["id"].(string)
	}
	post("children", "reports", `{"title":"النساء والأطفالُ في المخيم","text":"وصل الأطفالُ إلى المخيم بعد القصف","language":"ar","published":"2017-06-07"}`)
	post("english", "reports", `{"text":"Several civilians were killed in the shelling","language":"en","published":"2016-02-01"}`)
	post("raqqa", "incidents", `{"title_ar":"غارة جوية على حي حطين","kinds":["air_strike"],"grading":"fair",
		"when":{"start":"2017-06-05","precision":"day"},
		"where":[{"gazetteer_id":"N0466","name_ar":"حطين","precision":"neighbourhood"}]}`)
	post("aleppo", "incidents", `{"title_ar":"قصف مدفعي على قرية","kinds":["shelling"],
		"when":{"start":"2017-08","precision":"month"},
		"where":[{"gazetteer_id":"C1003","precision":"village_town_city"}]}`)
	post("involvement", "involvements", `{"actor_id":"us_coalition","incident_id":"`+ids["raqqa"]+`",
		"degree":"directly_carried_out","confidence":"likely"}`)
	return s, ids
}

// searchIDs runs a search that must succeed and returns the hits' ids in
// order, and the whole answer.
func (s *server) searchIDs(query string) ([]string, map[string]any) {
	s.t.Helper()
	code, body := s.do("GET", "/api/v1/search?"+query, "")
	if code != http.StatusOK {
		s.t.Fatalf("search %s: %d %v", query, code, body)
	}
	hits, ok := body["hits"].([]any)
	if !ok {
		s.t.Fatalf("search %s: hits is not a list: %v", query, body)
	}
	ids := []string{}
	for _, h := range hits {
		ids = append(ids, h.(map[string]any)["id"].(string))
	}
	if int(body["total"].(float64)) < len(ids) {
		s.t.Fatalf("search %s: total %v below %d hits", query, body["total"], len(ids))
	}
	return ids, body
}

func q(text string) string { return "q=" + url.QueryEscape(text) }

func TestSearchHitsWithFragments(t *testing.T) {
	s, ids := searchFixture(t)
	got, body := s.searchIDs(q("الاطفال"))
	if !reflect.DeepEqual(got, []string{ids["children"]}) || body["total"].(float64) != 1 {
		t.Fatalf("الاطفال found %v: %v", got, body)
	}
	hit := body["hits"].([]any)[0].(map[string]any)
	if hit["type"] != "report" || hit["language"] != "ar" || hit["date_start"] != "2017-06-07" || hit["score"].(float64) <= 0 {
		t.Errorf("hit %v", hit)
	}
	marked := func(field string) (whole string, matches []string) {
		for _, f := range hit[field].([]any) {
			f := f.(map[string]any)
			whole += f["text"].(string)
			if f["match"] == true {
				matches = append(matches, f["text"].(string))
			}
		}
		return whole, matches
	}
	if whole, m := marked("title"); whole != "النساء والأطفالُ في المخيم" || !reflect.DeepEqual(m, []string{"والأطفالُ"}) {
		t.Errorf("title %q marks %q", whole, m)
	}
	if whole, m := marked("snippet"); !strings.Contains(whole, "إلى المخيم") || !reflect.DeepEqual(m, []string{"الأطفالُ"}) {
		t.Errorf("snippet %q marks %q", whole, m)
	}
	query := body["query"].(map[string]any)
	if fmt.Sprint(query["groups"]) != "[[الاطفال]]" || body["limit"].(float64) != 20 || body["offset"].(float64) != 0 {
		t.Errorf("answer %v", body)
	}
	if _, ok := body["facets"]; ok {
		t.Errorf("facets without asking: %v", body["facets"])
	}

	// The query language and the ignored words come back.
	_, body = s.searchIDs(q(`"قصف مدفعي" في -جوية`))
	query = body["query"].(map[string]any)
	if fmt.Sprint(query["groups"], query["excluded"], query["ignored"]) != "[[قصف مدفعي]] [جوية] [في]" {
		t.Errorf("query %v", query)
	}

	// No match is an empty list, not null.
	got, body = s.searchIDs(q("زلزال"))
	if len(got) != 0 || body["total"].(float64) != 0 {
		t.Errorf("زلزال: %v", body)
	}
}

func TestSearchFilters(t *testing.T) {
	s, ids := searchFixture(t)
	tests := []struct {
		query string
		want  []string // in order
	}{
		{"", []string{"aleppo", "children", "raqqa", "english"}}, // by date, newest first
		{"type=incident", []string{"aleppo", "raqqa"}},
		{"type=report&type=incident", []string{"aleppo", "children", "raqqa", "english"}},
		{"kind=air_strike", []string{"raqqa"}},
		{"kind=air_strike&kind=shelling", []string{"aleppo", "raqqa"}},
		{"actor=us_coalition", []string{"raqqa"}},
		{"actor=isis", []string{}},
		{"place=SY11", []string{"raqqa"}},
		{"place=SY1101", []string{"raqqa"}},
		{"place=C5710", []string{"raqqa"}},
		{"place=N0466", []string{"raqqa"}},
		{"place=SY02", []string{"aleppo"}},
		{"grading=fair", []string{"raqqa"}},
		{"grading=pending", []string{"aleppo"}},
		{"language=en", []string{"english"}},
		{"from=2017-06-06&to=2017-06-30", []string{"children"}},
		{"from=2017-08-20", []string{"aleppo"}},
		{"to=2017-06-05", []string{"raqqa", "english"}},
		{"limit=2", []string{"aleppo", "children"}},
		{"limit=2&offset=2", []string{"raqqa", "english"}},
		{"offset=3", []string{"english"}},
		{q("قصف"), nil}, // relevance: checked as a set below
		{q("قصف") + "&sort=date", []string{"aleppo", "children"}},
		{q("قصف") + "&type=report&sort=date", []string{"children"}},
		{q("shelled"), []string{"english"}},
		{q("civilian kill"), []string{"english"}},
		{q("غارة OR مدفعي") + "&sort=date", []string{"aleppo", "raqqa"}},
		{q("قصف -مخيم") + "&sort=date", []string{"aleppo"}},
		{q("في") + "&facets=false", []string{"aleppo", "children", "raqqa", "english"}},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			got, _ := s.searchIDs(tt.query)
			if tt.want == nil {
				slices.Sort(got)
				want := []string{ids["aleppo"], ids["children"]}
				slices.Sort(want)
				if !reflect.DeepEqual(got, want) {
					t.Errorf("found %v, want %v", got, want)
				}
				return
			}
			want := []string{}
			for _, n := range tt.want {
				want = append(want, ids[n])
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("found %v, want %v (%v)", got, want, tt.want)
			}
		})
	}
	// Pages keep the total.
	for _, off := range []string{"0", "2", "4"} {
		_, body := s.searchIDs("limit=2&offset=" + off)
		if body["total"].(float64) != 4 || body["limit"].(float64) != 2 || fmt.Sprint(body["offset"]) != off {
			t.Errorf("offset %s: %v", off, body)
		}
	}
	// A retraction through the API takes the record out of search.
	code, rec := s.do("POST", "/api/v1/involvements/"+ids["involvement"]+"/retract", `{"base_revision":1,"reason":"wrong actor"}`, s.as(auth.RoleReviewer)...)
	if code != http.StatusOK {
		t.Fatalf("retract: %d %v", code, rec)
	}
	if got, _ := s.searchIDs("actor=us_coalition"); len(got) != 0 {
		t.Errorf("a retracted involvement still counts: %v", got)
	}
	code, rec = s.do("POST", "/api/v1/reports/"+ids["children"]+"/retract", `{"base_revision":1,"reason":"duplicate"}`, s.as(auth.RoleReviewer)...)
	if code != http.StatusOK {
		t.Fatalf("retract: %d %v", code, rec)
	}
	if got, _ := s.searchIDs(q("الاطفال")); len(got) != 0 {
		t.Errorf("a retracted report is still found: %v", got)
	}
}

func TestSearchFacets(t *testing.T) {
	s, _ := searchFixture(t)
	_, body := s.searchIDs("facets=true&limit=1")
	facets, ok := body["facets"].(map[string]any)
	if !ok {
		t.Fatalf("no facets: %v", body)
	}
	counts := func(name string) map[string]float64 {
		list, ok := facets[name].([]any)
		if !ok {
			t.Fatalf("facet %s is not a list: %v", name, facets[name])
		}
		m := map[string]float64{}
		for _, c := range list {
			c := c.(map[string]any)
			m[c["value"].(string)] = c["count"].(float64)
		}
		return m
	}
	want := map[string]map[string]float64{
		"type":     {"report": 2, "incident": 2},
		"kind":     {"air_strike": 1, "shelling": 1},
		"actor":    {"us_coalition": 1},
		"place":    {"N0466": 1, "C5710": 1, "SY110100": 1, "SY1101": 1, "SY11": 1, "C1003": 1, "SY020000": 1, "SY0200": 1, "SY02": 1},
		"grading":  {"fair": 1, "pending": 1},
		"language": {"ar": 3, "en": 1},
	}
	for name, w := range want {
		if got := counts(name); !reflect.DeepEqual(got, w) {
			t.Errorf("facet %s = %v, want %v", name, got, w)
		}
	}
	_, body = s.searchIDs(q("قصف") + "&facets=true")
	facets = body["facets"].(map[string]any)
	if got := counts("type"); !reflect.DeepEqual(got, map[string]float64{"report": 1, "incident": 1}) {
		t.Errorf("facet type of قصف = %v", got)
	}
	if got := counts("actor"); len(got) != 0 {
		t.Errorf("facet actor of قصف = %v", got)
	}
}

// TestSearchRefused: every bad parameter is a 400 naming it, with an
// Arabic message, and changes nothing.
func TestSearchRefused(t *testing.T) {
	s, _ := searchFixture(t)
	tests := []struct {
		name, query, field string
	}{
		{"unknown parameter", q("قصف") + "&colour=red", "colour"},
		{"misspelt parameter", "kinds=air_strike", "kinds"},
		{"limit not a number", "limit=ten", "limit"},
		{"limit negative", "limit=-1", "limit"},
		{"limit too big", "limit=201", "limit"},
		{"offset not a number", "offset=1.5", "offset"},
		{"offset negative", "offset=-1", "offset"},
		{"from not a date", "from=June", "from"},
		{"from not a day", "from=2017-02-30", "from"},
		{"to not a date", "to=05/06/2017", "to"},
		{"from after to", "from=2017-07-01&to=2017-06-01", "from"},
		{"sort", "sort=newest", "sort"},
		{"facets", "facets=yes", "facets"},
		{"type not searchable", "type=act", "type"},
		{"type unknown", "type=reports", "type"},
		{"unknown kind", "kind=air_raid", "kind"},
		{"second kind unknown", "kind=shelling&kind=nope", "kind"},
		{"unknown grading", "grading=good", "grading"},
		{"unknown language", "language=arabic", "language"},
		{"unknown actor", "actor=nobody", "actor"},
		{"exclusions only", q("-قصف"), "q"},
		{"unbalanced quote", q(`"قصف مدفعي`), "q"},
		{"leading OR", q("OR قصف"), "q"},
		{"trailing OR", q("قصف OR"), "q"},
		{"too long", q(strings.Repeat("قصف ", 600)), "q"},
		{"invalid UTF-8", "q=%FF%FE", "q"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := s.state()
			code, body := s.do("GET", "/api/v1/search?"+tt.query, "")
			if code != http.StatusBadRequest {
				t.Fatalf("status %d, want 400: %v", code, body)
			}
			if field, _ := fieldOf(body); field != tt.field {
				t.Errorf("error names %q, want %q: %v", field, tt.field, body)
			}
			e := body["error"].(map[string]any)
			if e["message"] == "" || !strings.ContainsAny(e["message_ar"].(string), "ابتثجحخدذرزسشصضطظعغفقكلمنهوي") {
				t.Errorf("error lacks an Arabic message: %v", e)
			}
			if s.state() != before {
				t.Error("a refused search changed the store")
			}
		})
	}
	// The query's own message reaches the caller in both languages.
	_, body := s.do("GET", "/api/v1/search?"+q("-قصف"), "")
	e := body["error"].(map[string]any)
	if !strings.Contains(e["message_ar"].(string), "كلمة واحدة على الأقل") || !strings.Contains(e["message"].(string), "at least one word") {
		t.Errorf("query error messages: %v", e)
	}
	_, body = s.do("GET", "/api/v1/search?kind=air_raid", "")
	if _, code := fieldOf(body); code != "invalid_value" {
		t.Errorf("unknown kind code %q", code)
	}
}

// TestSearchLimitZero: limit=0 is outside "between 1 and 200" and is
// refused, as the record lists refuse it.
func TestSearchLimitZero(t *testing.T) {
	s, _ := searchFixture(t)
	code, body := s.do("GET", "/api/v1/search?limit=0", "")
	if field, _ := fieldOf(body); code != http.StatusBadRequest || field != "limit" {
		t.Errorf("limit=0: %d %v, want 400 naming limit", code, body)
	}
}

// TestSearchNULIsNot500: a NUL byte inside a word must not reach SQLite
// as a cut expression and answer 500.
func TestSearchNULIsNot500(t *testing.T) {
	s, _ := searchFixture(t)
	code, body := s.do("GET", "/api/v1/search?q=%D9%82%D8%B5%D9%81%00x", "")
	if code != http.StatusOK && code != http.StatusBadRequest {
		t.Errorf("q with a NUL: %d %v, want 200 or 400 q", code, body)
	}
}
