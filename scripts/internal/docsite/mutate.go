package docsite

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
)

// Expect is a finding make drift must report for a mutation: its kind, method, path and field.
type Expect struct {
	Kind, Method, Path, Field string
	What                      string // the mutation, for messages
}

// The operations the standard mutations touch (by operationId; each must be in the spec).
const (
	NewOperation      = "addCase"                 // the test removes it from its copy of the spec
	NewFieldOp        = "createDeal"              // request body gains a property
	RemovedFieldOp    = "getCustomerByCode"       // response data loses a property
	TypeChangeOp      = "addCustomerEvent"        // a request property changes type
	RequiredChangeOp  = "createOrUpdateQuotation" // an optional request property becomes required
	DocumentedOp      = "getProductUnits"         // the unrecovered response becomes documented
	DisappearedOp     = "editCase"                // its page is no longer listed in llms.txt
	NewStatusOp       = "getContractByNo"         // the page documents one more status
	PathCaseOp        = "getQuotation"            // the page spells its path in another letter case
	NewFieldName      = "fixtureNewField"         // SYNTHETIC name, not an API fact
	MalformedPagePath = "/api-fixture-malformed.md"
)

// Mutate applies the standard mutations to s (built from the spec) and returns what drift
// must report. All mutated values are SYNTHETIC test data.
func Mutate(s *Site) ([]Expect, error) {
	var exp []Expect
	page := func(id string) (*Page, error) {
		p := s.ByOperation(id)
		if p == nil {
			return nil, fmt.Errorf("docsite: operation %s is not in the spec", id)
		}
		return p, nil
	}
	// A new operation: the page stays; the test's spec lacks it.
	p, err := page(NewOperation)
	if err != nil {
		return nil, err
	}
	exp = append(exp, Expect{"missing-operation", p.Method, p.SpecPath, "", "new operation"})

	// A new field in a request body.
	if p, err = page(NewFieldOp); err != nil {
		return nil, err
	}
	body := p.Schema("requestBody", "content", "application/json", "schema")
	props, ok := body["properties"].(map[string]any)
	if !ok {
		return nil, fmt.Errorf("docsite: %s has no request properties", NewFieldOp)
	}
	props[NewFieldName] = map[string]any{"type": "string"}
	exp = append(exp, Expect{"missing-field", p.Method, p.SpecPath, "body." + NewFieldName, "new field"})
	if err := p.Render(); err != nil {
		return nil, err
	}

	// A removed field in a response.
	if p, err = page(RemovedFieldOp); err != nil {
		return nil, err
	}
	data := p.Schema("responses", "200", "content", "application/json", "schema", "properties", "data")
	if all, ok := data["allOf"].([]any); ok && len(all) > 0 && data["properties"] == nil {
		data, _ = all[0].(map[string]any) // data: {allOf: [Customer]}
	}
	dprops, ok := data["properties"].(map[string]any)
	if !ok {
		return nil, fmt.Errorf("docsite: %s has no response data properties", RemovedFieldOp)
	}
	gone := slices.Sorted(maps.Keys(dprops))[0]
	delete(dprops, gone)
	if req, ok := data["required"].([]any); ok {
		data["required"] = slices.DeleteFunc(req, func(v any) bool { return v == gone })
	}
	exp = append(exp, Expect{"extra-field", p.Method, p.SpecPath, "response.data." + gone, "removed field"})
	if err := p.Render(); err != nil {
		return nil, err
	}

	// A type change: the first string property of a request body becomes an integer.
	if p, err = page(TypeChangeOp); err != nil {
		return nil, err
	}
	body = p.Schema("requestBody", "content", "application/json", "schema")
	props, _ = body["properties"].(map[string]any)
	changed := ""
	for _, n := range slices.Sorted(maps.Keys(props)) {
		if pm, ok := props[n].(map[string]any); ok && pm["type"] == "string" {
			pm["type"] = "integer"
			changed = n
			break
		}
	}
	if changed == "" {
		return nil, fmt.Errorf("docsite: %s has no string request property", TypeChangeOp)
	}
	exp = append(exp, Expect{"type-mismatch", p.Method, p.SpecPath, "body." + changed, "type change"})
	// The page's own example no longer fits the spec's type: documented examples the spec
	// rejects are reported too.
	if mt := p.Schema("requestBody", "content", "application/json"); mt != nil {
		if _, has := mt["example"]; has {
			mt["example"] = map[string]any{changed: 12345}
			exp = append(exp, Expect{"invalid-example", p.Method, p.SpecPath, "body.example", "example the spec rejects"})
		}
	}
	if err := p.Render(); err != nil {
		return nil, err
	}

	// A required change: the first optional request property becomes required.
	if p, err = page(RequiredChangeOp); err != nil {
		return nil, err
	}
	body = p.Schema("requestBody", "content", "application/json", "schema")
	props, _ = body["properties"].(map[string]any)
	req, _ := body["required"].([]any)
	made := ""
	for _, n := range slices.Sorted(maps.Keys(props)) {
		if !slices.Contains(req, any(n)) {
			body["required"] = append(req, n)
			made = n
			break
		}
	}
	if made == "" {
		return nil, fmt.Errorf("docsite: %s has no optional request property", RequiredChangeOp)
	}
	exp = append(exp, Expect{"required-mismatch", p.Method, p.SpecPath, "body." + made, "required change"})
	if err := p.Render(); err != nil {
		return nil, err
	}

	// A response that becomes documented (the spec has x-gofive-unrecovered).
	if p, err = page(DocumentedOp); err != nil {
		return nil, err
	}
	mt := p.Schema("responses", "200", "content", "application/json")
	if mt == nil {
		return nil, fmt.Errorf("docsite: %s has no JSON 200 response", DocumentedOp)
	}
	mt["schema"] = map[string]any{
		"type": "object",
		"properties": map[string]any{
			"status": map[string]any{"type": "object", "properties": map[string]any{
				"code": map[string]any{"type": "string"}, "description": map[string]any{"type": "string"}},
				"required": []any{"code", "description"}},
			"data": map[string]any{"type": "array", "items": map[string]any{"type": "object", "properties": map[string]any{
				"fixtureUnitCode": map[string]any{"type": "string"}, "fixtureUnitName": map[string]any{"type": "string"}},
				"required": []any{"fixtureUnitCode"}}},
		},
		"required": []any{"status", "data"},
	}
	mt["example"] = "{\r\n  \"status\": {\"code\": \"1000\", \"description\": \"Success\"},\r\n  \"data\": [{\"fixtureUnitCode\": \"U1\", \"fixtureUnitName\": \"Unit\"}]\r\n}"
	exp = append(exp, Expect{"newly-documented", p.Method, p.SpecPath, "response", "response becomes documented"})
	if err := p.Render(); err != nil {
		return nil, err
	}

	// An operation whose page disappeared from llms.txt.
	if p, err = page(DisappearedOp); err != nil {
		return nil, err
	}
	p.Unlisted = true
	exp = append(exp, Expect{"removed-operation", p.Method, p.SpecPath, "", "page disappeared"})

	// A newly documented status (SYNTHETIC: 409 is not an API fact).
	if p, err = page(NewStatusOp); err != nil {
		return nil, err
	}
	p.Operation()["responses"].(map[string]any)["409"] = map[string]any{"description": "Conflict", "headers": map[string]any{}}
	exp = append(exp, Expect{"missing-status", p.Method, p.SpecPath, "response.409", "new status"})
	if err := p.Render(); err != nil {
		return nil, err
	}

	// A path spelt in another letter case.
	if p, err = page(PathCaseOp); err != nil {
		return nil, err
	}
	paths := p.Spec["paths"].(map[string]any)
	item := paths[p.SpecPath]
	delete(paths, p.SpecPath)
	segs := strings.Split(p.SpecPath, "/")
	for i, seg := range segs {
		if seg != "" && !strings.HasPrefix(seg, "{") && !strings.HasPrefix(seg, "v") {
			segs[i] = strings.ToUpper(seg[:1]) + seg[1:]
			break
		}
	}
	p.SpecPath = strings.Join(segs, "/")
	paths[p.SpecPath] = item
	exp = append(exp, Expect{"path-case-mismatch", p.Method, p.SpecPath, "", "path in another letter case"})
	if err := p.Render(); err != nil {
		return nil, err
	}

	// Malformed YAML in an OpenAPI block.
	s.Pages = append(s.Pages, &Page{
		Path: MalformedPagePath, Title: "Malformed Page", Section: "Fixture",
		Body: []byte("# Malformed Page\n\n<!-- SYNTHETIC -->\n\n## OpenAPI Specification\n\n```yaml\nopenapi: 3.0.1\npaths:\n  /v1/fixture:\n    get: {responses: [\n```\n"),
	})
	exp = append(exp, Expect{"malformed-page", "", "", "", "malformed YAML"})
	return exp, nil
}

// Quirk paths.
const (
	NotFoundPath  = "/doc-fixture-missing.md"
	FlakyPath     = "/doc-fixture-flaky.md"
	SlowPath      = "/doc-fixture-slow.md"
	OversizedPath = "/doc-fixture-oversized.md"
	OtherHostLink = "https://elsewhere.example.test/api-1.md"
)

// AddQuirks adds the serving quirks: a listed page that answers 404, one that answers 500
// once and then 200, one that never answers before the client gives up (it waits for the
// request to be cancelled), one larger than maxBytes, and a link to another host.
func AddQuirks(s *Site, maxBytes int) {
	add := func(path, title string, body []byte) {
		s.Pages = append(s.Pages, &Page{Path: path, Title: title, Section: "Fixture", Body: body})
	}
	add(NotFoundPath, "Missing Page", nil)
	add(FlakyPath, "Flaky Page", []byte("# Flaky Page\n\nSYNTHETIC: answers 500 once, then this.\n"))
	add(SlowPath, "Slow Page", nil)
	add(OversizedPath, "Oversized Page", []byte("# Oversized Page\n\n"+strings.Repeat("SYNTHETIC padding. ", maxBytes/19+1)))
	s.ExtraLLMS = append(s.ExtraLLMS, "- [Elsewhere]("+OtherHostLink+"): another host, ignored")
	s.Handlers[NotFoundPath] = http.NotFound
	var flaky struct{ n int }
	flakyPage := s.Page(FlakyPath)
	s.Handlers[FlakyPath] = func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		flaky.n++
		first := flaky.n == 1
		s.mu.Unlock()
		if first {
			http.Error(w, "synthetic failure", http.StatusInternalServerError)
			return
		}
		w.Write(flakyPage.Body)
	}
	s.Handlers[SlowPath] = func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done() // slower than any timeout: answers only when the client gives up
	}
}
