package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"gopkg.in/yaml.v3"

	"github.com/gofive-go/gofive/scripts/internal/docsite"
	"github.com/gofive-go/gofive/scripts/internal/manifest"
	"github.com/gofive-go/gofive/spec/proposal"
)

const (
	specFile     = "../../spec/openapi.yaml"
	coverageFile = "../../spec/coverage.yaml"
)

// genericSpec is the spec as a YAML tree.
func genericSpec(t testing.TB) map[string]any {
	t.Helper()
	b, err := os.ReadFile(specFile)
	if err != nil {
		t.Fatal(err)
	}
	var g map[string]any
	if err := yaml.Unmarshal(b, &g); err != nil {
		t.Fatal(err)
	}
	return g
}

var reRef = regexp.MustCompile(`#/components/(schemas|responses)/([A-Za-z0-9_.-]+)`)

// withoutOperation removes an operation from the spec tree and then every component nothing
// refers to any more: the spec as it was before the operation was added.
func withoutOperation(t testing.TB, g map[string]any, path, method string) {
	t.Helper()
	paths := g["paths"].(map[string]any)
	item := paths[path].(map[string]any)
	delete(item, method)
	if len(item) == 0 {
		delete(paths, path)
	}
	comps := g["components"].(map[string]any)
	for {
		b, _ := yaml.Marshal(g)
		used := map[string]bool{}
		for _, m := range reRef.FindAllStringSubmatch(string(b), -1) {
			used[m[1]+"/"+m[2]] = true
		}
		removed := false
		for _, kind := range []string{"schemas", "responses"} {
			for name := range comps[kind].(map[string]any) {
				if !used[kind+"/"+name] {
					delete(comps[kind].(map[string]any), name)
					removed = true
				}
			}
		}
		if !removed {
			return
		}
	}
}

func writeYAML(t testing.TB, name string, v any) {
	t.Helper()
	b, err := yaml.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestProposeNewOperationPastes: the fixture site (SYNTHETIC, rendered from the spec) against
// the spec as it was before Add Case existed. make propose writes a fragment for Add Case and
// one for the newly documented response; the Add Case fragment, pasted into that spec, loads,
// validates and meets the spec's lint conventions.
func TestProposeNewOperationPastes(t *testing.T) {
	doc, err := openapi3.NewLoader().LoadFromFile(specFile)
	if err != nil {
		t.Fatal(err)
	}
	site, err := docsite.Build(doc)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := docsite.Mutate(site); err != nil {
		t.Fatal(err)
	}
	pages := t.TempDir()
	m := &manifest.Manifest{Source: manifest.SourceLLMS}
	for _, p := range site.Pages {
		file := strings.TrimPrefix(p.Path, "/")
		if err := os.WriteFile(filepath.Join(pages, file), p.Body, 0o644); err != nil {
			t.Fatal(err)
		}
		m.Pages = append(m.Pages, manifest.Entry{URL: "https://developer.gofive.co.th" + p.Path, File: file, Status: manifest.StatusOK})
	}
	if err := m.Write(pages); err != nil {
		t.Fatal(err)
	}
	addCase := site.ByOperation(docsite.NewOperation)
	before := genericSpec(t)
	withoutOperation(t, before, addCase.SpecPath, strings.ToLower(addCase.Method))
	dir := t.TempDir()
	beforeFile := filepath.Join(dir, "before.yaml")
	writeYAML(t, beforeFile, before)

	out := filepath.Join(dir, "proposed")
	var stdout, stderr bytes.Buffer
	code := run([]string{"-spec", beforeFile, "-pages", pages, "-coverage", coverageFile, "-out", out}, &stdout, &stderr,
		func() time.Time { return time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC) })
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	t.Log(stdout.String())
	entries, _ := os.ReadDir(out)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if strings.Join(names, " ") != "addCase.yaml "+docsite.DocumentedOp+".yaml" {
		t.Fatalf("proposals %v, want addCase.yaml and %s.yaml", names, docsite.DocumentedOp)
	}
	frag, err := proposal.Read(filepath.Join(out, "addCase.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if frag.Source != "https://developer.gofive.co.th/api-13759273" || frag.Date != "2026-12-01" || frag.Completeness != proposal.Full {
		t.Errorf("fragment source %q date %q completeness %q", frag.Source, frag.Date, frag.Completeness)
	}

	// Paste: the fragment's path item and schemas go into the spec as they are.
	var pasted map[string]any
	b, _ := os.ReadFile(filepath.Join(out, "addCase.yaml"))
	if err := yaml.Unmarshal(b, &pasted); err != nil {
		t.Fatal(err)
	}
	for p, item := range pasted["paths"].(map[string]any) {
		paths := before["paths"].(map[string]any)
		if paths[p] == nil {
			paths[p] = map[string]any{}
		}
		for method, op := range item.(map[string]any) {
			paths[p].(map[string]any)[method] = op
		}
	}
	schemas := before["components"].(map[string]any)["schemas"].(map[string]any)
	for name, s := range pasted["components"].(map[string]any)["schemas"].(map[string]any) {
		if schemas[name] != nil {
			t.Errorf("proposal schema %s collides with the spec's", name)
		}
		schemas[name] = s
	}
	afterFile := filepath.Join(dir, "after.yaml")
	writeYAML(t, afterFile, before)
	after, err := openapi3.NewLoader().LoadFromFile(afterFile)
	if err != nil {
		t.Fatal(err)
	}
	if err := after.Validate(context.Background()); err != nil {
		t.Fatalf("the spec with the proposal pasted is invalid: %v", err)
	}
	op := after.Paths.Value(addCase.SpecPath).GetOperation(addCase.Method)
	declared := map[string]bool{}
	for _, tag := range after.Tags {
		declared[tag.Name] = true
	}
	if op.OperationID != "addCase" || len(op.Tags) != 1 || !declared[op.Tags[0]] || op.Summary == "" || op.Description == "" {
		t.Errorf("operation %s tags %v summary %q: not in the spec's conventions", op.OperationID, op.Tags, op.Summary)
	}
	if mt := op.Responses.Status(200).Value.Content.Get("application/json"); mt == nil || mt.Schema.Ref != "#/components/schemas/AddCaseEnvelope" {
		t.Errorf("200 schema is not the proposed envelope: %+v", mt)
	} else if st := mt.Schema.Value.Properties["status"]; st == nil || st.Ref != "#/components/schemas/Status" {
		t.Error("the envelope's status is not the spec's Status")
	}
	if op.Responses.Value("400") == nil || op.Responses.Value("400").Ref != "#/components/responses/BadRequest" {
		t.Error("no shared business-error response")
	}
	body := op.RequestBody.Value.Content.Get("application/json").Schema.Value
	if d := body.Properties["dateCase"].Value; d.Extensions["x-go-type"] != "wire.Time" || d.Format != "" {
		t.Errorf("dateCase is not a wire.Time string: %+v", d)
	}
	if ex := op.RequestBody.Value.Content.Get("application/json").Examples["docs"]; ex == nil {
		t.Error("the docs example is not kept as examples.docs")
	} else if err := body.VisitJSON(ex.Value.Value); err != nil {
		t.Errorf("the docs example does not fit the proposed schema: %v", err)
	}
}

// localRefPage is a SYNTHETIC page for an operation the spec lacks whose schemas are $refs into
// the page's own components (a recursive one among them), one named like a spec schema.
const localRefPage = "# Brand New Thing\n\n## OpenAPI Specification\n\n```yaml\n" + `openapi: 3.0.1
info: {title: x, version: 1.0.0}
paths:
  /v1/fixture-local-refs/{id}:
    put:
      summary: Brand New Thing
      parameters:
        - name: id
          in: path
          required: true
          schema: {type: string}
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                node: {$ref: '#/components/schemas/Node'}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Status'}
        '400':
          description: bad
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Node'}
components:
  schemas:
    Status: {type: object, properties: {pageOwn: {type: string}}}
    Node:
      type: object
      properties:
        child: {$ref: '#/components/schemas/Node'}
` + "```\n"

// proposeFromPages writes m into pages, runs make propose on them against the committed spec
// and returns the output directory, its entries and the standard output.
func proposeFromPages(t *testing.T, m *manifest.Manifest, pages string) (out string, entries []os.DirEntry, stdout string) {
	t.Helper()
	if err := m.Write(pages); err != nil {
		t.Fatal(err)
	}
	out = filepath.Join(t.TempDir(), "proposed")
	var so, se bytes.Buffer
	if code := run([]string{"-spec", specFile, "-pages", pages, "-coverage", coverageFile, "-out", out}, &so, &se,
		func() time.Time { return time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC) }); code != 0 {
		t.Fatalf("exit %d: %s", code, se.String())
	}
	entries, _ = os.ReadDir(out)
	return out, entries, so.String()
}

// TestProposeDropsPageLocalRefs: a page's $refs into its own components are not carried into
// the fragment, where they dangled (Node) or bound on paste to the spec's schema of the same
// name (Status); each is named in a note and the fragment is partial.
func TestProposeDropsPageLocalRefs(t *testing.T) {
	pages := t.TempDir()
	if err := os.WriteFile(filepath.Join(pages, "api-1.md"), []byte(localRefPage), 0o644); err != nil {
		t.Fatal(err)
	}
	m := &manifest.Manifest{Source: manifest.SourceLLMS, Pages: []manifest.Entry{{URL: "https://developer.gofive.co.th/api-1.md", File: "api-1.md", Status: manifest.StatusOK}}}
	out, entries, stdout := proposeFromPages(t, m, pages)
	if len(entries) != 1 {
		t.Fatalf("want one proposal, got %d: %s", len(entries), stdout)
	}
	b, err := os.ReadFile(filepath.Join(out, entries[0].Name()))
	if err != nil {
		t.Fatal(err)
	}
	var frag map[string]any
	if err := yaml.Unmarshal(b, &frag); err != nil {
		t.Fatal(err)
	}
	own := map[string]bool{}
	if comps, ok := frag["components"].(map[string]any); ok {
		for name := range comps["schemas"].(map[string]any) {
			own[name] = true
		}
	}
	var refs []string
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, e := range v {
				if r, ok := e.(string); ok && k == "$ref" {
					refs = append(refs, r)
				}
				walk(e)
			}
		case []any:
			for _, e := range v {
				walk(e)
			}
		}
	}
	walk(frag)
	for _, r := range refs {
		if name, ok := strings.CutPrefix(r, "#/components/schemas/"); ok && !own[name] {
			t.Errorf("the fragment refers to %s, which it does not define (the page's own, dangling or bound to the spec's on paste)", r)
		}
	}
	for _, want := range []string{"#/components/schemas/Node, which is not carried over", "#/components/schemas/Status, which is not carried over", "x-gofive-completeness: partial"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("fragment lacks %q:\n%s", want, b)
		}
	}
}

// TestProposeSameTitleTwoFiles: two new operations whose pages share a title (SYNTHETIC) get
// two operationIds and two proposals; the second overwrote the first.
func TestProposeSameTitleTwoFiles(t *testing.T) {
	pages := t.TempDir()
	m := &manifest.Manifest{Source: manifest.SourceLLMS}
	for i, p := range []string{"/v1/fixture-same-title-a", "/v1/fixture-same-title-b"} {
		page := "# Fixture Same Title\n\n## OpenAPI Specification\n\n```yaml\nopenapi: 3.0.1\ninfo: {title: x, version: 1.0.0}\npaths:\n  " + p +
			":\n    get:\n      summary: Fixture Same Title\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {type: object, properties: {a: {type: string}}}\n```\n"
		file := fmt.Sprintf("api-%d.md", i)
		if err := os.WriteFile(filepath.Join(pages, file), []byte(page), 0o644); err != nil {
			t.Fatal(err)
		}
		m.Pages = append(m.Pages, manifest.Entry{URL: "https://developer.gofive.co.th/" + file, File: file, Status: manifest.StatusOK})
	}
	_, entries, stdout := proposeFromPages(t, m, pages)
	if len(entries) != 2 {
		t.Errorf("%d proposal file(s) for 2 new operations:\n%s", len(entries), stdout)
	}
}
