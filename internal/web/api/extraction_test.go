package api_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// A report stored through the API has the extractor's proposals at
// /extraction, recomputed when the report changes; other ids are 404.
func TestReportExtraction(t *testing.T) {
	s := newServer(t)
	code, rec := s.do("POST", "/api/v1/reports", `{"reason":"from a field report","record":{"language":"ar","published":"2017-06-10",
		"text":"[بيانات تجريبية] قُتل ثلاثة مدنيين بينهم طفل في قصف مدفعي لقوات النظام على حي المشلب أمس، ونفت قوات النظام استهداف المدنيين."}}`)
	if code != http.StatusCreated {
		t.Fatalf("create report: %d %v", code, rec)
	}
	id := rec["id"].(string)
	code, out := s.do("GET", "/api/v1/reports/"+id+"/extraction", "")
	if code != http.StatusOK {
		t.Fatalf("extraction: %d %v", code, out)
	}
	facts := out["extraction"].(map[string]any)["facts"].([]any)
	want := map[string]bool{"incident_kind/shelling": false, "casualties/killed/civilians": false, "place/TN0001": false,
		"date/2017-06-09": false, "actor/syrian_government/perpetrator": false, "claim/denial/syrian_government": false}
	for _, f := range facts {
		m := f.(map[string]any)
		var key string
		switch m["type"] {
		case "incident_kind":
			key = "incident_kind/" + m["value"].(string)
		case "casualties":
			key = "casualties/" + m["outcome"].(string) + "/" + m["category"].(string)
		case "place":
			if p, ok := m["place"].(map[string]any)["id"].(string); ok {
				key = "place/" + p
			}
		case "date":
			key = "date/" + m["date"].(map[string]any)["start"].(string)
		case "actor":
			key = "actor/" + m["value"].(string) + "/" + m["role"].(string)
		case "claim":
			c := m["claim"].(map[string]any)
			key = "claim/" + c["kind"].(string) + "/" + c["by"].(string)
		}
		if _, ok := want[key]; ok {
			want[key] = true
		}
	}
	for k, found := range want {
		if !found {
			t.Errorf("extraction lacks %s: %v", k, facts)
		}
	}

	// An update is extracted again.
	code, upd := s.do("PUT", "/api/v1/reports/"+id, `{"base_revision":1,"reason":"corrected text","record":{"language":"ar","published":"2017-06-10",
		"text":"[بيانات تجريبية] أعدم تنظيم داعش رجلين في ساحة النعيم."}}`)
	if code != http.StatusOK {
		t.Fatalf("update: %d %v", code, upd)
	}
	_, out = s.do("GET", "/api/v1/reports/"+id+"/extraction", "")
	if got := out["revision"].(float64); got != 2 {
		t.Errorf("extraction of revision %v, want 2", got)
	}
	if b := strings.Contains(toJSON(out), `"execution"`); !b {
		t.Errorf("updated report not extracted again: %v", out)
	}

	code, inc := s.do("POST", "/api/v1/incidents", `{"reason":"r","record":{"title_ar":"قصف","kinds":["shelling"],"when":{"start":"2017-06-09","precision":"day"}}}`)
	if code != http.StatusCreated {
		t.Fatalf("incident: %d %v", code, inc)
	}
	if code, _ := s.do("GET", "/api/v1/reports/"+inc["id"].(string)+"/extraction", ""); code != http.StatusNotFound {
		t.Errorf("extraction of an incident: %d, want 404", code)
	}
	if code, _ := s.do("GET", "/api/v1/reports/01NOSUCHREPORT0000000000000/extraction", ""); code != http.StatusNotFound {
		t.Errorf("extraction of nothing: %d, want 404", code)
	}
}

func toJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
