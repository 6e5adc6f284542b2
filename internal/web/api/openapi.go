package api

import (
	"encoding/json"
	"maps"
	"net/http"
	"reflect"
	"regexp"
	"strings"
	"time"

	"github.com/tawthiq/tawthiq/internal/record"
)

func (a *API) openAPI(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, a.OpenAPI())
}

// obj is a JSON object under construction.
type obj = map[string]any

// OpenAPI builds the OpenAPI 3 description from the route table and the
// Go types themselves, so it cannot drift from what the server does.
func (a *API) OpenAPI() map[string]any {
	s := &schemas{defs: obj{}}
	s.add("FieldError", reflect.TypeFor[record.FieldError]())
	s.defs["Error"] = obj{"type": "object", "required": []string{"error"}, "properties": obj{"error": obj{
		"type": "object", "required": []string{"status", "code", "message", "message_ar"},
		"properties": obj{
			"status": obj{"type": "integer"}, "code": obj{"type": "string"},
			"message": obj{"type": "string"}, "message_ar": obj{"type": "string"},
			"fields":           obj{"type": "array", "items": ref("FieldError")},
			"current_revision": obj{"type": "integer"}, "record_id": obj{"type": "string"},
		}}}}
	s.defs["WriteReason"] = obj{"type": "object", "required": []string{"reason", "base_revision"}, "additionalProperties": false,
		"properties": obj{"base_revision": obj{"type": "integer", "minimum": 1}, "reason": obj{"type": "string", "minLength": 1}}}
	paths := obj{}
	for _, rt := range a.Routes() {
		key := OpenAPIPath(rt.Pattern)
		p, ok := paths[key].(obj)
		if !ok {
			p = obj{}
			paths[key] = p
		}
		p[strings.ToLower(rt.Method)] = s.operation(rt)
	}
	return obj{
		"openapi": "3.0.3",
		"info": obj{
			"title":   "Tawthiq API · واجهة برمجة توثيق",
			"version": a.Version,
			"description": "Records of violations against civilians: reports, incidents, acts, victims, actors, sources, claims, assessments. " +
				"Callers authenticate with an API token (Authorization: Bearer, made with `tawthiq token add`) or the web session cookie; " +
				"every route has a least role (public, reporter, analyst, reviewer, admin) and answers 401 without credentials, 403 to a lesser role. " +
				"Every write needs a reason (why); the author is the signed-in user; updates name the revision they are based on. " +
				"Errors carry messages in English and Arabic and name each field at fault.",
		},
		"paths": paths,
		"components": obj{"schemas": s.defs, "securitySchemes": obj{
			"token":   obj{"type": "http", "scheme": "bearer", "description": "An API token (tawthiq token add); its role is at most its owner's"},
			"session": obj{"type": "apiKey", "in": "cookie", "name": "__Host-tawthiq_session", "description": "The web session after sign-in"},
		}},
		"security": []any{obj{"token": []string{}}, obj{"session": []string{}}, obj{}},
	}
}

var pathParam = regexp.MustCompile(`\{(\w+)(?:\.\.\.)?\}`)

// OpenAPIPath is a route pattern as an OpenAPI path: "{rest...}" becomes
// "{rest}".
func OpenAPIPath(pattern string) string { return strings.ReplaceAll(pattern, "...}", "}") }

func (s *schemas) operation(rt Route) obj {
	op := obj{"summary": rt.Summary, "operationId": operationID(rt)}
	var params []any
	for _, m := range pathParam.FindAllStringSubmatch(rt.Pattern, -1) {
		typ := obj{"type": "string"}
		if m[1] == "rev" {
			typ = obj{"type": "integer", "minimum": 1}
		}
		params = append(params, obj{"name": m[1], "in": "path", "required": true, "schema": typ})
	}
	errs := obj{
		"400": errResp("Invalid input: every field at fault is named"),
		"401": errResp("No credentials, or an unknown, revoked or expired API token"),
		"403": errResp("The caller's role may not use this route"),
		"404": errResp("No such record"),
	}
	ok := obj{"description": "OK", "content": obj{"application/json": obj{"schema": obj{"type": "object"}}}}
	if rt.Collection != "" {
		c := collectionNamed(rt.Collection)
		op["tags"] = []string{rt.Collection}
		body := s.body(c.Type)
		envelope := s.envelope(c.Type, body)
		write := func(withBase bool) obj {
			props := obj{"reason": obj{"type": "string", "minLength": 1}, "record": ref(body)}
			req := []string{"reason", "record"}
			if withBase {
				props["base_revision"] = obj{"type": "integer", "minimum": 1}
				req = append(req, "base_revision")
			}
			return obj{"required": true, "content": obj{"application/json": obj{"schema": obj{
				"type": "object", "required": req, "properties": props, "additionalProperties": false}}}}
		}
		ok = obj{"description": "The record", "content": obj{"application/json": obj{"schema": ref(envelope)}}}
		switch {
		case rt.Method == "POST" && strings.HasSuffix(rt.Pattern, "/"+rt.Collection):
			op["requestBody"] = write(false)
			errs["413"] = errResp("Body too large")
			return finish(op, params, obj{"201": ok}, errs)
		case rt.Method == "PUT":
			op["requestBody"] = write(true)
			errs["409"] = errResp("Stale revision: reload and reapply")
			errs["413"] = errResp("Body too large")
		case rt.Method == "POST":
			op["requestBody"] = obj{"required": true, "content": obj{"application/json": obj{"schema": ref("WriteReason")}}}
			errs["409"] = errResp("Stale revision, or already in that state")
		case strings.HasSuffix(rt.Pattern, "/history"):
			ok = listOf("revisions", ref(s.add("Revision", reflect.TypeFor[record.Revision]())))
		case strings.Contains(rt.Pattern, "/revisions/"):
			ok = obj{"description": "One revision", "content": obj{"application/json": obj{"schema": ref("Revision")}}}
			s.add("Revision", reflect.TypeFor[record.Revision]())
		case strings.HasSuffix(rt.Pattern, "/related"), rt.Method == "GET" && strings.HasSuffix(rt.Pattern, "/"+rt.Collection):
			item := ref(envelope)
			if strings.HasSuffix(rt.Pattern, "/related") {
				item = ref(s.add("Record", reflect.TypeFor[record.Record]()))
			} else {
				params = append(params, listParams()...)
			}
			ok = listOf("items", item)
		}
	}
	if rt.Collection != "" {
		for _, q := range rt.Query {
			params = append(params, obj{"name": q, "in": "query", "required": false, "schema": obj{"type": "string"}})
		}
	}
	if rt.Collection == "" {
		for _, q := range rt.Query {
			params = append(params, obj{"name": q, "in": "query", "required": false, "schema": obj{"type": "string"}})
		}
		if rt.Produces != "" {
			ok = obj{"description": "The bytes", "content": obj{rt.Produces: obj{"schema": obj{"type": "string", "format": "binary"}}}}
		}
		for _, h := range rt.Headers {
			params = append(params, obj{"name": h, "in": "header", "required": true, "schema": obj{"type": "integer", "minimum": 0}})
		}
		if rt.Body != nil {
			op["requestBody"] = obj{"required": true, "content": obj{"application/json": obj{"schema": ref(s.add(rt.Body.Name(), rt.Body))}}}
		}
		if rt.Upload {
			binary := obj{"schema": obj{"type": "string", "format": "binary"}}
			content := obj{"application/octet-stream": binary}
			if rt.Method == "PATCH" {
				content[ContentTypeOffset] = binary
			}
			op["requestBody"] = obj{"required": true, "content": content}
			errs["413"] = errResp("File over the size limit; nothing stored")
			if rt.Answers == nil {
				return finish(op, params, obj{"201": ok, "200": ok}, errs)
			}
		}
		if rt.Answers != nil {
			return finish(op, params, answers(rt, ok, errs), errs)
		}
	}
	return finish(op, params, obj{"200": ok}, errs)
}

// answers describes a route's own answers: errors with the Error schema,
// 204 and HEAD answers without a body, others as JSON.
func answers(rt Route, ok, errs obj) obj {
	oks := obj{}
	for code, desc := range rt.Answers {
		switch {
		case code >= "400":
			errs[code] = errResp(desc)
		case code == "204" || rt.Method == "HEAD":
			oks[code] = obj{"description": desc}
		default:
			a := maps.Clone(ok)
			a["description"] = desc
			oks[code] = a
		}
	}
	return oks
}

func finish(op obj, params []any, oks, errs obj) obj {
	if len(params) > 0 {
		op["parameters"] = params
	}
	for k, v := range errs {
		oks[k] = v
	}
	op["responses"] = oks
	return op
}

func operationID(rt Route) string {
	id := strings.ToLower(rt.Method) + strings.NewReplacer("/api/v1/", "_", "/", "_", "{", "", "}", "", "-", "_", ".", "_").Replace(rt.Pattern)
	return strings.Trim(id, "_")
}

func collectionNamed(name string) Collection {
	for _, c := range Collections() {
		if c.Name == name {
			return c
		}
	}
	panic("api: route names unknown collection " + name)
}

func listParams() []any {
	var out []any
	add := func(name, typ, desc string) {
		out = append(out, obj{"name": name, "in": "query", "required": false, "schema": obj{"type": typ}, "description": desc})
	}
	for name := range termParams {
		add(name, "string", "only records with this "+name+" (repeatable)")
	}
	add("status", "string", "indexed status (an incident's grading, a report's language …)")
	add("grading", "string", "same as status")
	add("actor", "string", "incidents with a live involvement of this actor id")
	add("refers_to", "string", "records that refer to this record id")
	add("from", "string", "date range overlaps from this day (YYYY-MM-DD)")
	add("to", "string", "date range overlaps up to this day (YYYY-MM-DD)")
	add("retracted", "string", "include or exclude (default) retracted records")
	add("sort", "string", "updated (default) or date")
	add("limit", "integer", "page size, 1–1000, default 50")
	add("offset", "integer", "records to skip")
	return out
}

func errResp(desc string) obj {
	return obj{"description": desc, "content": obj{"application/json": obj{"schema": ref("Error")}}}
}

func listOf(field string, item obj) obj {
	return obj{"description": "OK", "content": obj{"application/json": obj{"schema": obj{"type": "object",
		"properties": obj{field: obj{"type": "array", "items": item}, "total": obj{"type": "integer"},
			"limit": obj{"type": "integer"}, "offset": obj{"type": "integer"}}}}}}
}

func ref(name string) obj { return obj{"$ref": "#/components/schemas/" + name} }

// schemas collects component schemas derived from Go types by reflection.
type schemas struct{ defs obj }

// body adds the schema of a record type's body and returns its name.
func (s *schemas) body(t record.Type) string {
	b, _ := record.New(t)
	return s.add(goName(reflect.TypeOf(b).Elem()), reflect.TypeOf(b).Elem())
}

// envelope adds "<Body>Record": the stored record with its typed body.
func (s *schemas) envelope(t record.Type, body string) string {
	name := body + "Record"
	if _, ok := s.defs[name]; !ok {
		s.add("Record", reflect.TypeFor[record.Record]())
		s.defs[name] = obj{"allOf": []any{ref("Record"), obj{"type": "object", "properties": obj{"record": ref(body)}}}}
	}
	return name
}

func goName(t reflect.Type) string { return t.Name() }

// add derives the schema of a struct type under name (once) and returns name.
func (s *schemas) add(name string, t reflect.Type) string {
	if _, ok := s.defs[name]; ok {
		return name
	}
	s.defs[name] = obj{} // placeholder against recursion
	props := obj{}
	var required []string
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" || !f.IsExported() {
			continue
		}
		jname, opts, _ := strings.Cut(tag, ",")
		if jname == "" {
			jname = f.Name
		}
		schema := s.schemaOf(f.Type)
		props[jname] = schema
		// Fields the service fills when absent carry a default tag.
		if d, ok := f.Tag.Lookup("default"); ok {
			schema["default"] = d
			continue
		}
		if !strings.Contains(opts, "omitempty") && f.Type.Kind() != reflect.Pointer && f.Type.Kind() != reflect.Map {
			required = append(required, jname)
		}
	}
	def := obj{"type": "object", "properties": props, "additionalProperties": false}
	if len(required) > 0 {
		def["required"] = required
	}
	s.defs[name] = def
	return name
}

var (
	timeType = reflect.TypeFor[time.Time]()
	rawType  = reflect.TypeFor[json.RawMessage]()
)

func (s *schemas) schemaOf(t reflect.Type) obj {
	switch {
	case t == timeType:
		return obj{"type": "string", "format": "date-time"}
	case t == rawType:
		return obj{"type": "object"}
	}
	switch t.Kind() {
	case reflect.Pointer:
		return s.schemaOf(t.Elem())
	case reflect.String:
		return obj{"type": "string"}
	case reflect.Bool:
		return obj{"type": "boolean"}
	case reflect.Int, reflect.Int64, reflect.Int32:
		return obj{"type": "integer"}
	case reflect.Float64, reflect.Float32:
		return obj{"type": "number"}
	case reflect.Slice:
		return obj{"type": "array", "items": s.schemaOf(t.Elem())}
	case reflect.Map:
		return obj{"type": "object", "additionalProperties": s.schemaOf(t.Elem())}
	case reflect.Struct:
		return ref(s.add(goName(t), t))
	}
	return obj{}
}
