package api_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/tawthiq/tawthiq/internal/web/api"
)

// TestOpenAPIDescribesEveryRoute checks the served description against the
// route table: every route present with its method, every $ref resolvable,
// every write documented with its request body, header and error answers.
func TestOpenAPIDescribesEveryRoute(t *testing.T) {
	s := newServer(t)
	code, doc := s.do("GET", "/api/openapi.json", "")
	if code != 200 || !strings.HasPrefix(doc["openapi"].(string), "3.") {
		t.Fatalf("openapi: %d %v", code, doc["openapi"])
	}
	paths := doc["paths"].(map[string]any)
	a := &api.API{}
	for _, rt := range a.Routes() {
		p, ok := paths[api.OpenAPIPath(rt.Pattern)].(map[string]any)
		if !ok {
			t.Errorf("%s missing from paths", rt.Pattern)
			continue
		}
		op, ok := p[strings.ToLower(rt.Method)].(map[string]any)
		if !ok {
			t.Errorf("%s %s missing", rt.Method, rt.Pattern)
			continue
		}
		if op["summary"] == "" || op["responses"] == nil {
			t.Errorf("%s %s: no summary or responses", rt.Method, rt.Pattern)
		}
		if rt.Method == "POST" || rt.Method == "PUT" {
			if op["requestBody"] == nil && (rt.Collection != "" || rt.Upload) {
				t.Errorf("%s %s: no request body", rt.Method, rt.Pattern)
			}
			raw, _ := json.Marshal(op)
			if !strings.Contains(string(raw), api.UserHeader) || !strings.Contains(string(raw), `"400"`) {
				t.Errorf("%s %s: author header or 400 undocumented", rt.Method, rt.Pattern)
			}
		}
	}
	schemas := doc["components"].(map[string]any)["schemas"].(map[string]any)
	raw, _ := json.Marshal(doc)
	for _, part := range strings.Split(string(raw), `"$ref":"#/components/schemas/`)[1:] {
		name := part[:strings.IndexByte(part, '"')]
		if _, ok := schemas[name]; !ok {
			t.Errorf("$ref to missing schema %s", name)
		}
	}
	inc := schemas["Incident"].(map[string]any)
	req, _ := json.Marshal(inc["required"])
	for _, f := range []string{"kinds", "when"} {
		if !strings.Contains(string(req), `"`+f+`"`) {
			t.Errorf("Incident schema does not require %s: %s", f, req)
		}
	}
	grading := inc["properties"].(map[string]any)["grading"].(map[string]any)
	if strings.Contains(string(req), `"grading"`) || grading["default"] != "pending" {
		t.Errorf("grading should be optional with default pending: %v %s", grading, req)
	}
	if _, ok := inc["properties"].(map[string]any)["casualties"]; !ok {
		t.Error("Incident schema lacks casualties")
	}
}
