package proposal

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"gopkg.in/yaml.v3"
)

// sample is a synthetic fragment (not an API fact): enough shape to exercise every field.
func sample() Fragment {
	op := openapi3.NewOperation()
	op.Summary = "Get a thing"
	op.Tags = []string{"Things"}
	op.AddParameter(openapi3.NewPathParameter("code").WithSchema(openapi3.NewStringSchema()))
	op.AddResponse(200, openapi3.NewResponse().WithDescription("OK").
		WithJSONSchemaRef(openapi3.NewSchemaRef("#/components/schemas/Thing", nil)))
	op.Extensions = map[string]any{"x-gofive-notes": []any{"synthetic"}}
	op.RequestBody = &openapi3.RequestBodyRef{Value: openapi3.NewRequestBody().WithJSONSchema(openapi3.NewInt64Schema())}
	op.RequestBody.Value.Content.Get("application/json").Example = 2140016585
	return Fragment{
		OperationID: "getThing", Method: "get", Path: "/v1/things/{code}",
		Source: "https://docs.example.test/api-1", Date: "2026-12-01", Completeness: Partial,
		Operation: op,
		Schemas: map[string]*openapi3.SchemaRef{
			"Thing": openapi3.NewObjectSchema().
				WithProperty("code", openapi3.NewStringSchema()).
				WithProperty("amount", openapi3.NewFloat64Schema()).NewRef(),
			"Other": openapi3.NewStringSchema().NewRef(),
			"Zeta":  openapi3.NewIntegerSchema().NewRef(),
		},
	}
}

func TestWriteDeterministicAndReadable(t *testing.T) {
	dir := t.TempDir()
	f := sample()
	name, err := Write(dir, f)
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(dir, "getThing.yaml"); name != want {
		t.Fatalf("Write wrote %s, want %s", name, want)
	}
	first, _ := os.ReadFile(name)
	// Map iteration order varies between runs; the bytes must not.
	for range 20 {
		b, err := Marshal(sample())
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(b, first) {
			t.Fatalf("Marshal is not deterministic:\n%s\n---\n%s", first, b)
		}
	}
	for _, want := range []string{
		"x-gofive-completeness: partial",
		"- DOCS-MD https://docs.example.test/api-1 on 2026-12-01",
		"operationId: getThing",
		"/v1/things/{code}:",
		"\n        get:\n", // 4-space indent, as the spec
		"x-gofive-notes:",
		"example: 2140016585\n", // not 2.140016585e+09
	} {
		if !strings.Contains(string(first), want) {
			t.Errorf("fragment lacks %q:\n%s", want, first)
		}
	}
	if f.Operation.OperationID != "" || len(f.Operation.Extensions) != 1 {
		t.Errorf("Marshal modified the caller's operation: %+v", f.Operation)
	}
	got, err := Read(name)
	if err != nil {
		t.Fatal(err)
	}
	if got.OperationID != "getThing" || got.Method != "GET" || got.Path != f.Path ||
		got.Source != f.Source || got.Date != f.Date || got.Completeness != Partial ||
		len(got.Schemas) != 3 || got.Schemas["Thing"].Value.Properties["amount"] == nil {
		t.Errorf("Read = %+v", got)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("Write left %d files, want 1 (no temporary files)", len(entries))
	}
}

func TestObservedSource(t *testing.T) {
	f := sample()
	f.Source, f.Date = Observed, ""
	b, err := Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "- OBSERVED by gofive probe\n") {
		t.Errorf("observed source not recorded:\n%s", b)
	}
	name, err := Write(t.TempDir(), f)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := Read(name); err != nil || got.Source != Observed {
		t.Errorf("Read = %+v, %v; want source %q", got, err, Observed)
	}
}

// TestPastedIntoADocumentValidates merges a fragment into a minimal OpenAPI document, as a
// maintainer would paste it, and validates the result with kin-openapi.
func TestPastedIntoADocumentValidates(t *testing.T) {
	b, err := Marshal(sample())
	if err != nil {
		t.Fatal(err)
	}
	var frag map[string]any
	if err := yaml.Unmarshal(b, &frag); err != nil {
		t.Fatal(err)
	}
	frag["openapi"] = "3.0.3"
	frag["info"] = map[string]any{"title": "t", "version": "1"}
	merged, _ := yaml.Marshal(frag)
	doc, err := openapi3.NewLoader().LoadFromData(merged)
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("pasted fragment does not validate: %v\n%s", err, merged)
	}
}

func TestCheckRejects(t *testing.T) {
	for name, mutate := range map[string]func(*Fragment){
		"operationId":  func(f *Fragment) { f.OperationID = "Get thing" },
		"method":       func(f *Fragment) { f.Method = "FETCH" },
		"path":         func(f *Fragment) { f.Path = "v1/things" },
		"path query":   func(f *Fragment) { f.Path = "/v1/things?x=1" },
		"source":       func(f *Fragment) { f.Source = "" },
		"source kind":  func(f *Fragment) { f.Source = "ftp://x" },
		"date":         func(f *Fragment) { f.Date = "1 Dec 2026" },
		"completeness": func(f *Fragment) { f.Completeness = "complete" },
		"operation":    func(f *Fragment) { f.Operation = nil },
		"schema name":  func(f *Fragment) { f.Schemas["a/b"] = openapi3.NewStringSchema().NewRef() },
		"schema nil":   func(f *Fragment) { f.Schemas["Nil"] = nil },
	} {
		t.Run(name, func(t *testing.T) {
			f := sample()
			mutate(&f)
			dir := t.TempDir()
			if _, err := Write(dir, f); err == nil {
				t.Fatal("Write accepted a bad fragment")
			}
			if entries, _ := os.ReadDir(dir); len(entries) != 0 {
				t.Errorf("a rejected fragment left %d file(s)", len(entries))
			}
		})
	}
}
