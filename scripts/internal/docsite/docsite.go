// Package docsite builds a loopback fixture of an Apidog docs site, in the layout of the
// published one (shared/research/apidog-pages.md): /llms.txt and a Markdown twin per page
// whose endpoint pages carry a one-operation OpenAPI 3.0.1 document in Apidog's flavour.
//
// SYNTHETIC: the site is built from the spec's own operations (so it holds no API fact the spec
// does not), rendered the way Apidog renders them (inlined schemas, 3.1-isms, `type: bearer`,
// x-apidog-* extensions, header parameters, string examples). Tests then apply mutations and
// quirks to it; every mutated value is test data, never a fact about the Gofive API. It exists
// for the tests and the benchmark of make scrape, drift and propose.
package docsite

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/getkin/kin-openapi/openapi3"
	"gopkg.in/yaml.v3"
)

// Page is one page of the site.
type Page struct {
	Path    string // URL path of the Markdown twin, e.g. /api-13759273.md
	Title   string
	Section string
	Body    []byte
	// Spec is the generic OpenAPI document of an endpoint page (nil on a documentation page);
	// mutate it and call Render to rewrite Body.
	Spec map[string]any
	// Unlisted pages are served but not linked from llms.txt.
	Unlisted bool
	// Method and SpecPath name the operation of an endpoint page.
	Method, SpecPath, OperationID string
}

// Site is the fixture.
type Site struct {
	Title string
	Pages []*Page
	// Extra lines appended to llms.txt (a link to another host, say).
	ExtraLLMS []string
	// NoLLMS makes /llms.txt answer 404.
	NoLLMS bool
	// Handlers override a path (a 500 that then answers 200, a slow page …).
	Handlers map[string]http.HandlerFunc

	mu          sync.Mutex
	requests    atomic.Int64
	notModified atomic.Int64
	hits        map[string]int
}

// Build renders one endpoint page per operation of doc (page path from its externalDocs
// api-<id> URL, else /api-fixture-<operationId>.md) and two documentation pages without an
// OpenAPI block (an introduction and a Webhook Payload page).
func Build(doc *openapi3.T) (*Site, error) {
	generic, err := toGeneric(doc)
	if err != nil {
		return nil, err
	}
	s := &Site{Title: "Gofive API (fixture)", Handlers: map[string]http.HandlerFunc{}}
	s.Pages = append(s.Pages, &Page{
		Path: "/doc-fixture-intro.md", Title: "Introduction", Section: "Getting started",
		Body: []byte("# Introduction\n\nSYNTHETIC fixture page: prose only, no OpenAPI block.\n"),
	})
	paths := generic["paths"].(map[string]any)
	for _, p := range slices.Sorted(maps.Keys(paths)) {
		item := paths[p].(map[string]any)
		for _, method := range slices.Sorted(maps.Keys(item)) {
			opg, ok := item[method].(map[string]any)
			if !ok || !isMethod(method) {
				continue
			}
			op := doc.Paths.Value(p).GetOperation(strings.ToUpper(method))
			page, err := endpointPage(generic, p, method, opg, op)
			if err != nil {
				return nil, err
			}
			s.Pages = append(s.Pages, page)
		}
	}
	s.Pages = append(s.Pages, &Page{
		Path: "/doc-fixture-webhook-payload.md", Title: "Webhook Payload", Section: "Webhooks",
		Body: []byte("# Webhook Payload\n\nSYNTHETIC fixture page: a payload sample, no OpenAPI block.\n\n```json\n{\"event\": \"fixture\"}\n```\n"),
	})
	return s, nil
}

func isMethod(m string) bool {
	return slices.Contains([]string{"get", "put", "post", "delete", "patch", "head", "options"}, m)
}

// Page returns the page with the given path, or nil.
func (s *Site) Page(path string) *Page {
	for _, p := range s.Pages {
		if p.Path == path {
			return p
		}
	}
	return nil
}

// ByOperation returns the endpoint page of operationID, or nil.
func (s *Site) ByOperation(operationID string) *Page {
	for _, p := range s.Pages {
		if p.OperationID == operationID {
			return p
		}
	}
	return nil
}

// LLMS renders llms.txt: pages grouped by section, in order.
func (s *Site) LLMS(base string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n\n> SYNTHETIC fixture site built from spec/openapi.yaml.\n", s.Title)
	section := "\x00"
	for _, p := range s.Pages {
		if p.Unlisted {
			continue
		}
		if p.Section != section {
			section = p.Section
			fmt.Fprintf(&b, "\n## %s\n", section)
		}
		fmt.Fprintf(&b, "- [%s](%s%s)\n", p.Title, base, p.Path)
	}
	for _, l := range s.ExtraLLMS {
		b.WriteString(l + "\n")
	}
	return b.String()
}

// Requests is how many requests the site has answered.
func (s *Site) Requests() int64 { return s.requests.Load() }

// NotModified is how many requests the site has answered 304 Not Modified.
func (s *Site) NotModified() int64 { return s.notModified.Load() }

// Hits is how many requests one path has answered.
func (s *Site) Hits(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[path]
}

// ServeHTTP serves llms.txt and the pages, with strong ETags and If-None-Match.
func (s *Site) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.requests.Add(1)
	s.mu.Lock()
	if s.hits == nil {
		s.hits = map[string]int{}
	}
	s.hits[r.URL.Path]++
	h := s.Handlers[r.URL.Path]
	s.mu.Unlock()
	if h != nil {
		h(w, r)
		return
	}
	var body []byte
	switch {
	case r.URL.Path == "/llms.txt" && !s.NoLLMS:
		body = []byte(s.LLMS("http://" + r.Host))
	default:
		p := s.Page(r.URL.Path)
		if p == nil {
			http.NotFound(w, r)
			return
		}
		body = p.Body
	}
	etag := fmt.Sprintf(`"%x"`, fnv(body))
	w.Header().Set("ETag", etag)
	if r.Header.Get("If-None-Match") == etag {
		s.notModified.Add(1)
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("Content-Type", "text/markdown; charset=utf-8")
	w.Write(body)
}

func fnv(b []byte) uint64 {
	h := uint64(14695981039346656037)
	for _, c := range b {
		h ^= uint64(c)
		h *= 1099511628211
	}
	return h
}

// Render rewrites p.Body from p.Spec.
func (p *Page) Render() error {
	if p.Spec == nil {
		return nil
	}
	y, err := yaml.Marshal(p.Spec)
	if err != nil {
		return err
	}
	p.Body = []byte(fmt.Sprintf("# %s\n\n<!-- SYNTHETIC fixture page rendered from spec/openapi.yaml -->\n\n## OpenAPI Specification\n\n```yaml\n%s```\n", p.Title, y))
	return nil
}

// Operation returns the page's operation object in Spec, for mutations.
func (p *Page) Operation() map[string]any {
	return p.Spec["paths"].(map[string]any)[p.SpecPath].(map[string]any)[strings.ToLower(p.Method)].(map[string]any)
}

// Schema follows keys from the operation (e.g. "responses", "200", "content",
// "application/json", "schema", "properties", "data") and returns that mapping.
func (p *Page) Schema(keys ...string) map[string]any {
	var cur any = p.Operation()
	for _, k := range keys {
		switch c := cur.(type) {
		case map[string]any:
			cur = c[k]
		case []any:
			var i int
			fmt.Sscan(k, &i)
			cur = c[i]
		}
	}
	m, _ := cur.(map[string]any)
	return m
}

func endpointPage(generic map[string]any, path, method string, opg map[string]any, op *openapi3.Operation) (*Page, error) {
	inlined := deref(generic, opg, 0).(map[string]any)
	apidogOp := map[string]any{}
	for k, v := range inlined {
		if !strings.HasPrefix(k, "x-") && k != "externalDocs" && k != "operationId" && k != "security" {
			apidogOp[k] = v
		}
	}
	// The docs' required markers of a response are what the spec records in
	// x-gofive-docs-required (its `required` is what the API guarantees).
	if rs, ok := apidogOp["responses"]; ok {
		docsRequired(rs, 0)
	}
	stripExtensions(apidogOp, 0)
	apidogify(apidogOp, "", 0)
	// Apidog lists the APIM key (and Content-Type on a body) as header parameters.
	params, _ := apidogOp["parameters"].([]any)
	params = append(params, map[string]any{"name": "Ocp-Apim-Subscription-Key", "in": "header", "required": true, "example": "{{subscriptionKey}}", "schema": map[string]any{"type": "string"}})
	if _, ok := apidogOp["requestBody"]; ok {
		params = append(params, map[string]any{"name": "Content-Type", "in": "header", "required": true, "example": "application/json", "schema": map[string]any{"type": "string"}})
	}
	apidogOp["parameters"] = params
	apidogOp["deprecated"] = false
	apidogOp["security"] = []any{map[string]any{"bearer": []any{}}}
	tag := ""
	if len(op.Tags) > 0 {
		tag = op.Tags[0]
	}
	apidogOp["x-apidog-folder"] = tag
	apidogOp["x-apidog-status"] = "released"
	pagePath := "/api-fixture-" + op.OperationID + ".md"
	if op.ExternalDocs != nil {
		if u, err := url.Parse(op.ExternalDocs.URL); err == nil && strings.HasPrefix(u.Path, "/api-") {
			pagePath = u.Path + ".md"
		}
	}
	apidogOp["x-run-in-apidog"] = "https://app.apidog.com/web/project/0/apis" + strings.TrimSuffix(pagePath, ".md") + "-run"
	if rs, ok := apidogOp["responses"].(map[string]any); ok {
		for code, r := range rs {
			if rm, ok := r.(map[string]any); ok {
				rm["headers"] = map[string]any{}
				if code == "200" {
					rm["x-apidog-name"] = "Success"
				}
			}
		}
	}
	spec := map[string]any{
		"openapi":    "3.0.1",
		"info":       map[string]any{"title": "", "description": "", "version": "1.0.0"},
		"paths":      map[string]any{path: map[string]any{method: apidogOp}},
		"components": map[string]any{"schemas": map[string]any{}, "securitySchemes": map[string]any{"bearer": map[string]any{"type": "bearer"}}},
		"servers":    []any{map[string]any{"url": "https://api.gofive.co.th", "description": "Prod Env"}},
		"security":   []any{map[string]any{"bearer": []any{}}},
	}
	title := op.Summary
	if title == "" {
		title = op.OperationID
	}
	p := &Page{Path: pagePath, Title: title, Section: tag, Spec: spec, Method: strings.ToUpper(method), SpecPath: path, OperationID: op.OperationID}
	return p, p.Render()
}

func toGeneric(doc *openapi3.T) (map[string]any, error) {
	j, err := json.Marshal(doc)
	if err != nil {
		return nil, err
	}
	var g map[string]any
	return g, json.Unmarshal(j, &g)
}

// deref inlines every internal $ref (Apidog pages are self-contained).
func deref(root map[string]any, v any, depth int) any {
	if depth > 64 {
		return map[string]any{}
	}
	switch x := v.(type) {
	case map[string]any:
		if ref, ok := x["$ref"].(string); ok && strings.HasPrefix(ref, "#/") {
			var cur any = root
			for _, part := range strings.Split(ref[2:], "/") {
				m, _ := cur.(map[string]any)
				cur = m[strings.ReplaceAll(strings.ReplaceAll(part, "~1", "/"), "~0", "~")]
			}
			return deref(root, cur, depth+1)
		}
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = deref(root, e, depth+1)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = deref(root, e, depth+1)
		}
		return out
	}
	return v
}

// docsRequired sets required from x-gofive-docs-required wherever a schema has it.
func docsRequired(v any, depth int) {
	if depth > 256 {
		return
	}
	switch x := v.(type) {
	case map[string]any:
		if list, ok := x["x-gofive-docs-required"].([]any); ok {
			x["required"] = list
		}
		for k, e := range x {
			if !strings.HasPrefix(k, "x-") {
				docsRequired(e, depth+1)
			}
		}
	case []any:
		for _, e := range x {
			docsRequired(e, depth+1)
		}
	}
}

// stripExtensions drops the spec's own x- extensions: the docs have none of them.
func stripExtensions(v any, depth int) {
	if depth > 256 {
		return
	}
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if strings.HasPrefix(k, "x-") {
				delete(x, k)
				continue
			}
			stripExtensions(e, depth+1)
		}
	case []any:
		for _, e := range x {
			stripExtensions(e, depth+1)
		}
	}
}

// apidogify writes schemas the way Apidog does: 3.1 type lists for nullable types, examples
// arrays, x-apidog-orders, and a media type's example as a JSON string with \r\n line ends.
func apidogify(v any, parentKey string, depth int) {
	if depth > 256 {
		return
	}
	switch x := v.(type) {
	case map[string]any:
		named := parentKey == "properties" || parentKey == "responses" || parentKey == "content" || parentKey == "examples"
		if !named {
			if t, ok := x["type"].(string); ok && x["nullable"] == true {
				x["type"] = []any{t, "null"}
				delete(x, "nullable")
			}
			if ex, ok := x["example"]; ok {
				if _, media := x["schema"]; !media {
					x["examples"] = []any{ex}
					delete(x, "example")
				}
			}
			if props, ok := x["properties"].(map[string]any); ok {
				order := slices.Sorted(maps.Keys(props))
				x["x-apidog-orders"] = order
			}
			if _, media := x["schema"]; media {
				if exs, ok := x["examples"].(map[string]any); ok {
					// One example is kept: the first by name.
					if keys := slices.Sorted(maps.Keys(exs)); len(keys) > 0 {
						if em, ok := exs[keys[0]].(map[string]any); ok {
							if j, err := json.MarshalIndent(em["value"], "", "  "); err == nil {
								x["example"] = strings.ReplaceAll(string(j), "\n", "\r\n")
							}
						}
					}
					delete(x, "examples")
				}
			}
		}
		for k, e := range x {
			if strings.HasPrefix(k, "x-") {
				continue
			}
			apidogify(e, k, depth+1)
		}
	case []any:
		for _, e := range x {
			apidogify(e, parentKey, depth+1)
		}
	}
}
