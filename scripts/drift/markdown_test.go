package main

import (
	"os"
	"path/filepath"
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
