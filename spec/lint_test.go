package spec

import (
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"gopkg.in/yaml.v3"

	"github.com/gofive-go/gofive/spec/xgofive"
)

// The lint rules below are the project's own conventions for spec/openapi.yaml, checked in Go
// so that they run with `go test` and need nothing else installed. Spectral's spectral:oas
// ruleset runs separately (make lint-spec).

var goFriendlyOperationID = regexp.MustCompile(`^[a-z][a-zA-Z0-9]*$`)

// operations lists every operation of doc in a stable order.
func operations(doc *openapi3.T) []op {
	var ops []op
	for path, item := range doc.Paths.Map() {
		for method, o := range item.Operations() {
			ops = append(ops, op{method: method, path: path, op: o})
		}
	}
	sort.Slice(ops, func(i, j int) bool {
		if ops[i].path != ops[j].path {
			return ops[i].path < ops[j].path
		}
		return ops[i].method < ops[j].method
	})
	return ops
}

type op struct {
	method, path string
	op           *openapi3.Operation
}

func (o op) String() string { return o.method + " " + o.path + " (" + o.op.OperationID + ")" }

// mediaType is one request or response body of an operation, named for error messages.
type mediaType struct {
	where string
	mt    *openapi3.MediaType
}

// mediaTypes lists every request and response body of doc's operations.
func mediaTypes(doc *openapi3.T) []mediaType {
	var out []mediaType
	for _, o := range operations(doc) {
		if o.op.RequestBody != nil {
			for ct, mt := range o.op.RequestBody.Value.Content {
				out = append(out, mediaType{o.String() + " request " + ct, mt})
			}
		}
		for code, r := range o.op.Responses.Map() {
			for ct, mt := range r.Value.Content {
				out = append(out, mediaType{o.String() + " " + code + " " + ct, mt})
			}
		}
	}
	return out
}

func TestLintOperations(t *testing.T) {
	doc := MustLoad()
	declared := map[string]bool{}
	for _, tag := range doc.Tags {
		declared[tag.Name] = true
	}
	seen := map[string]string{}
	for _, o := range operations(doc) {
		id := o.op.OperationID
		if !goFriendlyOperationID.MatchString(id) {
			t.Errorf("%v: operationId must be lowerCamel and Go-friendly", o)
		}
		if prev, dup := seen[strings.ToLower(id)]; dup {
			t.Errorf("%v: operationId duplicates %s", o, prev)
		}
		seen[strings.ToLower(id)] = o.String()
		if len(o.op.Tags) != 1 || !declared[o.op.Tags[0]] {
			t.Errorf("%v: needs exactly one declared tag, has %q", o, o.op.Tags)
		}
		if strings.TrimSpace(o.op.Summary) == "" || strings.TrimSpace(o.op.Description) == "" {
			t.Errorf("%v: needs a summary and a description", o)
		}
		switch c := xgofive.Completeness(o.op); c {
		case xgofive.Full, xgofive.Partial:
		default:
			t.Errorf("%v: x-gofive-completeness must be full or partial, is %q", o, c)
		}
		if src := o.op.Extensions[xgofive.KeySources]; len(xgofive.Sources(o.op.Extensions)) == 0 || len(xgofive.Sources(o.op.Extensions)) != len(src.([]any)) {
			t.Errorf("%v: x-gofive-sources must list at least one source, each a string: %v", o, src)
		}
		if _, err := xgofive.PagingOf(o.op); err != nil {
			t.Errorf("%v: %v", o, err)
		}
		ok := o.op.Responses.Status(http.StatusOK)
		if ok == nil || ok.Value == nil {
			t.Errorf("%v: no 200 response", o)
			continue
		}
		mt := ok.Value.Content.Get("application/json")
		if mt == nil || mt.Schema == nil {
			t.Errorf("%v: 200 response has no application/json schema", o)
		}
	}
}

// TestLintSchemas walks every schema of the document, components and inline ones alike.
func TestLintSchemas(t *testing.T) {
	doc := MustLoad()
	visited := map[*openapi3.Schema]bool{}
	check := func(where string, s *openapi3.Schema) {
		if s.Format == "date-time" || s.Format == "date" {
			t.Errorf("%s: format %q rejects the API's real date forms; use type string + x-go-type wire.Time", where, s.Format)
		}
		goType, _ := s.Extensions["x-go-type"].(string)
		// encoding/json is imported by every generated client; importing it again is a compile error.
		if _, ok := s.Extensions["x-go-type-import"]; strings.Contains(goType, ".") && !strings.HasPrefix(goType, "json.") && !ok {
			t.Errorf("%s: x-go-type %s without x-go-type-import", where, goType)
		}
		if goType == "wire.Time" && !s.Type.Is("string") {
			t.Errorf("%s: wire.Time fields must be type string", where)
		}
		for name, p := range s.Properties {
			if p.Ref == "" && p.Value != nil && !typed(p.Value) {
				t.Errorf("%s.%s: property has no type", where, name)
			}
		}
	}
	walk := func(where string, ref *openapi3.SchemaRef) { walkSchemas(where, ref, visited, check) }
	for name, s := range doc.Components.Schemas {
		walk("#/components/schemas/"+name, s)
	}
	for _, o := range operations(doc) {
		for _, p := range o.op.Parameters {
			if p.Value.Schema == nil || !typed(p.Value.Schema.Value) {
				t.Errorf("%v: parameter %s has no type", o, p.Value.Name)
			}
			walk(o.String()+" param "+p.Value.Name, p.Value.Schema)
		}
	}
	for _, m := range mediaTypes(doc) {
		walk(m.where, m.mt.Schema)
	}
	if len(visited) < 50 {
		t.Fatalf("walked only %d schemas; the walk is broken", len(visited))
	}
}

// walkSchemas calls visit once for every schema reachable from ref (properties, items,
// oneOf/anyOf/allOf, additionalProperties) that is not in visited yet, naming each by its
// path from where.
func walkSchemas(where string, ref *openapi3.SchemaRef, visited map[*openapi3.Schema]bool, visit func(where string, s *openapi3.Schema)) {
	if ref == nil || ref.Value == nil || visited[ref.Value] {
		return
	}
	s := ref.Value
	visited[s] = true
	visit(where, s)
	for name, p := range s.Properties {
		walkSchemas(where+"."+name, p, visited, visit)
	}
	walkSchemas(where+"[]", s.Items, visited, visit)
	for i, sub := range slices.Concat(s.OneOf, s.AnyOf, s.AllOf) {
		walkSchemas(where+"|"+string(rune('0'+i)), sub, visited, visit)
	}
	walkSchemas(where+"{}", s.AdditionalProperties.Schema, visited, visit)
}

// typed reports whether s states its type: a type, a composition, or an explicit
// "not recovered" marker (an honest open schema).
func typed(s *openapi3.Schema) bool {
	if s.Type != nil && len(s.Type.Slice()) > 0 {
		return true
	}
	if len(s.OneOf)+len(s.AnyOf)+len(s.AllOf) > 0 {
		return true
	}
	return xgofive.Unrecovered(s)
}

// TestLintNoUnusedComponents reads the raw YAML, because the loader resolves $refs away.
func TestLintNoUnusedComponents(t *testing.T) {
	var root map[string]any
	if err := yaml.Unmarshal(YAML, &root); err != nil {
		t.Fatal(err)
	}
	refs := map[string]bool{}
	var collect func(v any)
	collect = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				if s, ok := x.(string); ok && k == "$ref" {
					refs[s] = true
				}
				collect(x)
			}
		case []any:
			for _, x := range v {
				collect(x)
			}
		}
	}
	collect(root)
	components := root["components"].(map[string]any)
	count := 0
	for kind, m := range components {
		if kind == "securitySchemes" {
			continue // referenced by name from security requirements
		}
		for name := range m.(map[string]any) {
			count++
			if !refs["#/components/"+kind+"/"+name] {
				t.Errorf("#/components/%s/%s is never referenced", kind, name)
			}
		}
	}
	if count == 0 {
		t.Fatal("no components found")
	}
}
