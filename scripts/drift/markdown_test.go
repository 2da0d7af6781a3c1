package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/gofive-go/gofive/scripts/internal/docsite"
	"github.com/gofive-go/gofive/scripts/internal/manifest"
	"github.com/gofive-go/gofive/spec"
)

const specFile = "../../spec/openapi.yaml"

func mustSpec(t testing.TB) *openapi3.T {
	t.Helper()
	doc, err := loadSpec(specFile)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// writeSite writes the fixture site's pages into a directory as make scrape would (no
// manifest), and returns the directory.
func writeSite(t testing.TB, site *docsite.Site) string {
	t.Helper()
	dir := t.TempDir()
	for _, p := range site.Pages {
		if err := os.WriteFile(filepath.Join(dir, strings.TrimPrefix(p.Path, "/")), p.Body, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func diffDir(t testing.TB, doc *openapi3.T, dir string, m *manifest.Manifest) []Finding {
	t.Helper()
	view := mustSpec(t)
	ApplyDocsRequired(view)
	cov, err := spec.Coverage()
	if err != nil {
		t.Fatal(err)
	}
	if m == nil {
		m = &manifest.Manifest{}
	}
	pages, err := LoadMarkdownPages(dir, m)
	if err != nil {
		t.Fatal(err)
	}
	return DiffMarkdown(Markdown{Spec: doc, DocsView: view, Coverage: cov, Manifest: m}, pages)
}

// TestFixtureSiteRoundTrip: the fixture site rendered from the spec, in Apidog's flavour,
// read back leniently and compared with oasdiff, shows no drift at all.
func TestFixtureSiteRoundTrip(t *testing.T) {
	doc := mustSpec(t)
	site, err := docsite.Build(mustSpec(t))
	if err != nil {
		t.Fatal(err)
	}
	got := diffDir(t, doc, writeSite(t, site), nil)
	for _, f := range got {
		t.Errorf("unexpected finding: %s", f)
	}
}

// siteManifest is the manifest make scrape would write for the site: llms.txt lists every
// page not marked Unlisted.
func siteManifest(site *docsite.Site) *manifest.Manifest {
	m := &manifest.Manifest{Source: manifest.SourceLLMS}
	for _, p := range site.Pages {
		if !p.Unlisted {
			m.Pages = append(m.Pages, manifest.Entry{URL: "http://127.0.0.1" + p.Path, File: strings.TrimPrefix(p.Path, "/"), Title: p.Title, Status: manifest.StatusOK})
		}
	}
	return m
}

// specWithout loads the spec without one operation: the state before it was added.
func specWithout(t testing.TB, operationID string) (*openapi3.T, []spec.CoverageEntry) {
	t.Helper()
	doc := mustSpec(t)
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			if op.OperationID == operationID {
				item.SetOperation(method, nil)
				if len(item.Operations()) == 0 {
					doc.Paths.Delete(path)
				}
			}
		}
	}
	cov, err := spec.Coverage()
	if err != nil {
		t.Fatal(err)
	}
	for i := range cov {
		if cov[i].OperationID == operationID {
			cov[i].OperationID, cov[i].Completeness, cov[i].Path = "", "name-only", ""
		}
	}
	return doc, cov
}

func TestFixtureMutations(t *testing.T) {
	site, err := docsite.Build(mustSpec(t))
	if err != nil {
		t.Fatal(err)
	}
	expects, err := docsite.Mutate(site)
	if err != nil {
		t.Fatal(err)
	}
	dir := writeSite(t, site)
	doc, cov := specWithout(t, docsite.NewOperation)
	view, _ := specWithout(t, docsite.NewOperation)
	ApplyDocsRequired(view)
	m := siteManifest(site)
	pages, err := LoadMarkdownPages(dir, m)
	if err != nil {
		t.Fatal(err)
	}
	got := DiffMarkdown(Markdown{Spec: doc, DocsView: view, Coverage: cov, Manifest: m}, pages)
	matched := make([]bool, len(got))
	for _, e := range expects {
		found := false
		for i, f := range got {
			if string(f.Kind) == e.Kind && f.Method == e.Method && f.Path == e.Path && f.Field == e.Field {
				found, matched[i] = true, true
				t.Logf("%s → %s", e.What, f)
			}
		}
		if !found {
			t.Errorf("%s: no %s finding for %s %s %s", e.What, e.Kind, e.Method, e.Path, e.Field)
		}
	}
	for i, f := range got {
		if !matched[i] {
			t.Errorf("unexpected finding: %s", f)
		}
		if f.Page == "" {
			t.Errorf("finding names no page: %s", f)
		}
	}
	for _, f := range got {
		if f.Kind == MissingOperation && !strings.Contains(f.Detail, `as name-only`) {
			t.Errorf("new operation not matched to its name-only coverage entry: %s", f)
		}
	}
}

// TestDocsRequiredRule: a response schema's docs required markers are compared with its
// x-gofive-docs-required list when it has one, else with required. The fixture page carries
// the docs' markers (the spec's x-gofive-docs-required where it has one).
func TestDocsRequiredRule(t *testing.T) {
	site, err := docsite.Build(mustSpec(t))
	if err != nil {
		t.Fatal(err)
	}
	dir := writeSite(t, site)
	page := site.ByOperation(docsite.RemovedFieldOp)
	envelope := func(doc *openapi3.T) *openapi3.Schema {
		op := doc.Paths.Find(page.SpecPath).GetOperation(page.Method)
		return op.Responses.Status(200).Value.Content.Get("application/json").Schema.Value
	}
	docsList := func(s *openapi3.Schema) []string {
		if l, ok := stringList(s.Extensions[DocsRequiredExt]); ok {
			return l
		}
		return s.Required
	}
	for _, tc := range []struct {
		name   string
		change func(s *openapi3.Schema, docs []string)
		wants  int
	}{
		{"as the spec is", func(*openapi3.Schema, []string) {}, 0},
		{"x-gofive-docs-required lacks one", func(s *openapi3.Schema, docs []string) {
			if s.Extensions == nil {
				s.Extensions = map[string]any{}
			}
			s.Extensions[DocsRequiredExt] = toAny(docs[:len(docs)-1])
			s.Required = docs // required is not what is compared when the extension is there
		}, 1},
		{"no extension: required lacks one", func(s *openapi3.Schema, docs []string) {
			delete(s.Extensions, DocsRequiredExt)
			s.Required = docs[:len(docs)-1]
		}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc, view := mustSpec(t), mustSpec(t)
			docs := slices.Clone(docsList(envelope(doc)))
			if len(docs) == 0 {
				t.Fatalf("the 200 schema of %s has no required markers to test with", docsite.RemovedFieldOp)
			}
			for _, d := range []*openapi3.Schema{envelope(doc), envelope(view)} {
				tc.change(d, docs)
			}
			ApplyDocsRequired(view)
			pages, err := LoadMarkdownPages(dir, &manifest.Manifest{})
			if err != nil {
				t.Fatal(err)
			}
			got := DiffMarkdown(Markdown{Spec: doc, DocsView: view, Manifest: &manifest.Manifest{}}, pages)
			for _, f := range got {
				t.Log(f)
			}
			if len(got) != tc.wants {
				t.Fatalf("%d findings, want %d", len(got), tc.wants)
			}
			if tc.wants == 1 {
				want := "response." + docs[len(docs)-1]
				if f := got[0]; f.Kind != RequiredMismatch || f.Docs != "required" || f.Field != want {
					t.Errorf("finding %s, want a required-mismatch on %s", f, want)
				}
			}
		})
	}
}

func toAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// TestRenamedBodyField: a body field renamed by letter case is one field-case-mismatch, not a
// missing and an extra field. (The renamed key is SYNTHETIC test data.)
func TestRenamedBodyField(t *testing.T) {
	site, err := docsite.Build(mustSpec(t))
	if err != nil {
		t.Fatal(err)
	}
	p := site.ByOperation(docsite.TypeChangeOp)
	props := p.Schema("requestBody", "content", "application/json", "schema")["properties"].(map[string]any)
	var name string
	for n := range props {
		if name == "" || n < name {
			name = n
		}
	}
	renamed := strings.ToUpper(name[:1]) + name[1:]
	props[renamed] = props[name]
	delete(props, name)
	if err := p.Render(); err != nil {
		t.Fatal(err)
	}
	var got []Finding
	for _, f := range diffDir(t, mustSpec(t), writeSite(t, site), nil) {
		if f.Kind != InvalidExample { // the page's example still uses the old key
			got = append(got, f)
		}
	}
	for _, f := range got {
		t.Log(f)
	}
	if len(got) != 1 || got[0].Kind != FieldCaseMismatch || got[0].Field != "body."+renamed || got[0].Spec != name {
		t.Fatalf("findings %v, want one field-case-mismatch body.%s (spec %s)", got, renamed, name)
	}
}
