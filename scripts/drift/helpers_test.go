package main

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/gofive-go/gofive/spec/apidog"
)

const seedDir = "../../spec/scraped" // the one copy of the seed pages

const (
	seed000 = "000_78dc5d62e66649d3.txt" // Add Customer Event
	seed001 = "001_985363de5c4a6260.txt" // Get Customer Event Types
	seed002 = "002_a9ab26707a64f4f6.txt" // Get Customer Events by Customer Code
	seed003 = "003_433fbe0c5960b443.txt" // Add Case
	seed004 = "004_ef875ea9f9c8ba7a.txt" // Get a Customer By CustomerCode (indented, Thai)
)

var seedNames = []string{seed000, seed001, seed002, seed003, seed004}

func readSeed(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(seedDir, name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// parsePage parses page text as if read from the file name.
func parsePage(t testing.TB, name, text string) *apidog.Page {
	t.Helper()
	p, err := apidog.Parse(strings.NewReader(text))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	p.Source = name
	return p
}

// seedPages parses the seeds, with the texts in replace substituted by
// name (a name not among the seeds adds a page).
func seedPages(t testing.TB, replace map[string]string) []*apidog.Page {
	t.Helper()
	var pages []*apidog.Page
	for _, name := range seedNames {
		text, ok := replace[name]
		if !ok {
			text = readSeed(t, name)
		}
		pages = append(pages, parsePage(t, name, text))
	}
	for name, text := range replace {
		if !isSeed(name) {
			pages = append(pages, parsePage(t, name, text))
		}
	}
	return pages
}

func isSeed(name string) bool { return slices.Contains(seedNames, name) }

// edit replaces old by new in s exactly n times, failing the test when s
// has a different number of occurrences (so that a seed change cannot
// silently void a mutation).
func edit(t testing.TB, s, old, new string, n int) string {
	t.Helper()
	if got := strings.Count(s, old); got != n {
		t.Fatalf("edit: %q occurs %d times, want %d", old, got, n)
	}
	return strings.ReplaceAll(s, old, new)
}

// specFromPages builds a spec that says exactly what the pages say: each
// operation with its parameters (Content-Type and the subscription key
// left to the media type and an apiKey scheme, as in the real spec), its
// request body and its responses, schemas typed and required as the field
// lists print them (keys only the examples show included, optional).
func specFromPages(t testing.TB, pages []*apidog.Page) *openapi3.T {
	t.Helper()
	doc := &openapi3.T{
		OpenAPI: "3.0.3",
		Info:    &openapi3.Info{Title: "from pages", Version: "0"},
		Paths:   openapi3.NewPaths(),
		Components: &openapi3.Components{SecuritySchemes: openapi3.SecuritySchemes{
			"subscriptionKey": {Value: openapi3.NewSecurityScheme().WithType("apiKey").WithIn("header").WithName("Ocp-Apim-Subscription-Key")},
		}},
		Security: openapi3.SecurityRequirements{{"subscriptionKey": []string{}}},
	}
	for _, p := range pages {
		if !p.HasOperation() {
			continue
		}
		op := openapi3.NewOperation()
		op.Summary = p.Title
		for _, group := range []struct {
			in     string
			params []apidog.Param
		}{{"path", p.PathParams}, {"query", p.QueryParams}, {"header", p.HeaderParams}} {
			for _, q := range group.params {
				if group.in == "header" && (q.Name == "Content-Type" || q.Name == "Ocp-Apim-Subscription-Key") {
					continue
				}
				op.AddParameter(&openapi3.Parameter{
					Name: q.Name, In: group.in, Required: q.Required || group.in == "path",
					Schema: typeSchema(q.Type, q.Nullable).NewRef(),
				})
			}
		}
		if p.Body != nil {
			op.RequestBody = &openapi3.RequestBodyRef{Value: openapi3.NewRequestBody().
				WithJSONSchema(fieldsSchema(p.Body.Fields))}
		}
		op.Responses = openapi3.NewResponses()
		for _, r := range p.Responses {
			key := strconv.Itoa(r.Status)
			if op.Responses.Value(key) != nil {
				continue
			}
			resp := openapi3.NewResponse().WithDescription(r.Description)
			if len(r.Fields) > 0 {
				resp.WithJSONSchema(fieldsSchema(r.Fields))
			}
			op.AddResponse(r.Status, resp)
		}
		doc.AddOperation(p.Path, p.Method, op)
	}
	if err := doc.Validate(t.Context()); err != nil {
		t.Fatalf("spec built from pages is invalid: %v", err)
	}
	return doc
}

// fieldsSchema nests fields by their paths into an object schema.
func fieldsSchema(fields []apidog.Field) *openapi3.Schema {
	root := openapi3.NewObjectSchema()
	containers := map[string]*openapi3.Schema{"": root}
	for _, f := range fields {
		parentPath := ""
		if i := strings.LastIndexByte(f.Path, '.'); i >= 0 {
			parentPath = strings.TrimSuffix(f.Path[:i], "[]")
		}
		parent := containers[parentPath]
		if parent == nil {
			continue
		}
		s := typeSchema(f.Type, f.Nullable)
		parent.WithPropertyRef(f.Name, s.NewRef())
		if f.Required && !f.FromExample {
			parent.Required = append(parent.Required, f.Name)
		}
		switch {
		case s.Type.Is("object"):
			containers[f.Path] = s
		case s.Type.Is("array") && s.Items.Value.Type.Is("object"):
			containers[f.Path] = s.Items.Value
		}
	}
	return root
}

// typeSchema turns a docs type ("string", "array[object]", "string|integer")
// into a schema.
func typeSchema(typ string, nullable bool) *openapi3.Schema {
	alts := strings.Split(typ, "|")
	var s *openapi3.Schema
	switch {
	case len(alts) > 1:
		s = &openapi3.Schema{}
		for _, a := range alts {
			s.OneOf = append(s.OneOf, typeSchema(a, false).NewRef())
		}
	case typ == "object":
		s = openapi3.NewObjectSchema()
	case typ == "array":
		s = openapi3.NewArraySchema().WithItems(&openapi3.Schema{})
	case strings.HasPrefix(typ, "array[") && strings.HasSuffix(typ, "]"):
		s = openapi3.NewArraySchema().WithItems(typeSchema(typ[len("array["):len(typ)-1], false))
	case typ == "any" || typ == "null" || typ == "":
		s = &openapi3.Schema{}
	default:
		s = &openapi3.Schema{Type: &openapi3.Types{typ}}
	}
	s.Nullable = nullable
	return s
}

// loadSpecText loads an inline YAML spec and validates it.
func loadSpecText(t testing.TB, text string) *openapi3.T {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromData([]byte(text))
	if err != nil {
		t.Fatalf("loading spec: %v", err)
	}
	if err := doc.Validate(t.Context()); err != nil {
		t.Fatalf("spec invalid: %v", err)
	}
	return doc
}

// short renders findings without the page, method, path and detail, for
// compact expectations.
func short(fs []Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, string(f.Kind)+" "+f.Field+": "+f.Docs+" | "+f.Spec)
	}
	return out
}
