package api_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/tawthiq/tawthiq/internal/web"
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
			if !strings.Contains(string(raw), `"400"`) {
				t.Errorf("%s %s: 400 undocumented", rt.Method, rt.Pattern)
			}
		}
		// Every route has a least role: 401 without credentials, 403 to a
		// lesser role.
		resps, _ := op["responses"].(map[string]any)
		for _, code := range []string{"401", "403"} {
			if _, ok := resps[code]; !ok {
				t.Errorf("%s %s: %s undocumented", rt.Method, rt.Pattern, code)
			}
		}
	}
	// The caller is named by credentials, never by a header of its own.
	whole, _ := json.Marshal(doc)
	if strings.Contains(strings.ToLower(string(whole)), "x-tawthiq-user") {
		t.Error("the description still documents the X-Tawthiq-User header")
	}
	schemes, _ := doc["components"].(map[string]any)["securitySchemes"].(map[string]any)
	if tok, _ := schemes["token"].(map[string]any); tok["type"] != "http" || tok["scheme"] != "bearer" {
		t.Errorf("securitySchemes.token: %v", schemes["token"])
	}
	if ses, _ := schemes["session"].(map[string]any); ses["type"] != "apiKey" || ses["in"] != "cookie" || ses["name"] != web.SessionCookie {
		t.Errorf("securitySchemes.session: %v", schemes["session"])
	}
	if sec, _ := doc["security"].([]any); len(sec) == 0 {
		t.Error("the description names no security requirement")
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
