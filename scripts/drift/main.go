// Command drift reports where the OpenAPI spec has drifted from the scraped
// documentation pages it was converted from.
//
// Usage (from the repository root; scripts is a module of its own):
//
//	make drift
//	go -C scripts run ./drift [-spec ../spec/openapi.yaml] [-pages ../spec/scraped] [-allow ../spec/drift-allow.yaml] [-coverage ../spec/coverage.yaml] [-json] [-all]
//
// Two kinds of page are read from -pages: the rendered-text pages (*.txt, package apidog's
// text parser) and the Markdown twins make scrape saves (*.md, each an Apidog page whose
// OpenAPI block documents one operation; see markdown.go: oasdiff compares them with the
// spec). The Markdown comparison also reports operations that are not in the spec (matched
// by title to coverage.yaml's name-only entries), operations whose page disappeared (from
// make scrape's manifest.json), schemas now documented where the spec has
// x-gofive-unrecovered or x-gofive-partial, and pages whose OpenAPI block cannot be read.
// Response required markers are compared with x-gofive-docs-required where a response
// schema has it, else with required; request schemas with required.
//
// Every page with an operation (see package apidog) is matched to the spec
// operation with the same method and path (parameter names and a trailing
// slash ignored; a path differing in letter case only is reported as such)
// and compared: parameters, request body fields, the success response's
// fields (the envelope's data; status is the shared Status schema and is
// not compared), required flags, types, documented statuses, and whether
// the page's examples validate against the spec's schemas.
//
// Deliberate differences are listed, each with its reason, in the allowlist
// (a YAML sequence of {page, method, path, kind, field, reason}); an entry
// that no longer matches a finding is itself reported (stale-allow).
//
// Output is one finding a line (or JSON with -json). The exit status is 0
// when nothing drifted, 1 on drift and 2 on a usage, input or spec error.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"gopkg.in/yaml.v3"

	"github.com/gofive-go/gofive/scripts/internal/manifest"
	"github.com/gofive-go/gofive/spec"
	"github.com/gofive-go/gofive/spec/apidog"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// Exit statuses.
const (
	exitClean = 0
	exitDrift = 1
	exitError = 2
)

func run(args []string, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("drift", flag.ContinueOnError)
	flags.SetOutput(stderr)
	specFile := flags.String("spec", "spec/openapi.yaml", "OpenAPI spec `file`")
	pagesDir := flags.String("pages", "spec/scraped", "`directory` of scraped Apidog pages (*.txt)")
	allowFile := flags.String("allow", "spec/drift-allow.yaml", "allowlist `file` of deliberate differences (the default may be absent)")
	coverageFile := flags.String("coverage", "", "coverage manifest `file` (spec/coverage.yaml) to match new operations by title; empty: the embedded one")
	asJSON := flags.Bool("json", false, "write the findings as JSON")
	all := flags.Bool("all", false, "report every difference, ignoring the allowlist")
	flags.Usage = func() {
		fmt.Fprintf(flags.Output(), "usage: go run ./scripts/drift [flags]\n\nReports drift between the scraped docs pages and the OpenAPI spec.\nExit status: 0 no drift, 1 drift, 2 usage or input error.\n\n")
		flags.PrintDefaults()
	}
	if err := flags.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitClean
		}
		return exitError
	}
	if flags.NArg() > 0 {
		fmt.Fprintf(stderr, "drift: unexpected arguments: %s\n", strings.Join(flags.Args(), " "))
		flags.Usage()
		return exitError
	}
	explicitAllow := false
	flags.Visit(func(f *flag.Flag) { explicitAllow = explicitAllow || f.Name == "allow" })

	doc, err := loadSpec(*specFile)
	if err != nil {
		fmt.Fprintf(stderr, "drift: %v\n", err)
		return exitError
	}
	pages, err := loadPages(*pagesDir)
	if err != nil {
		fmt.Fprintf(stderr, "drift: %v\n", err)
		return exitError
	}
	man, err := manifest.Read(*pagesDir)
	if err != nil {
		fmt.Fprintf(stderr, "drift: %v\n", err)
		return exitError
	}
	mdPages, err := LoadMarkdownPages(*pagesDir, man)
	if err != nil {
		fmt.Fprintf(stderr, "drift: %v\n", err)
		return exitError
	}
	if len(pages) == 0 && len(mdPages) == 0 {
		fmt.Fprintf(stderr, "drift: pages: no *.txt or *.md pages in %s\n", *pagesDir)
		return exitError
	}
	cov, err := loadCoverage(*coverageFile)
	if err != nil {
		fmt.Fprintf(stderr, "drift: %v\n", err)
		return exitError
	}
	view, err := loadSpec(*specFile)
	if err != nil {
		fmt.Fprintf(stderr, "drift: %v\n", err)
		return exitError
	}
	ApplyDocsRequired(view)
	var allow []AllowEntry
	if !*all {
		allow, err = LoadAllow(*allowFile)
		if err != nil && (explicitAllow || !errors.Is(err, fs.ErrNotExist)) {
			fmt.Fprintf(stderr, "drift: allowlist: %v\n", err)
			return exitError
		}
	}

	// An entry about a page that is not in this run (make drift PAGES=elsewhere) can be
	// neither used nor stale: it is set aside.
	present := map[string]bool{}
	for _, p := range pages {
		present[pageName(p)] = true
	}
	for _, p := range mdPages {
		present[p.Name] = true
	}
	allow = slices.DeleteFunc(allow, func(e AllowEntry) bool { return e.Page != "" && !present[e.Page] })

	raw := Diff(doc, pages)
	for i, f := range raw { // text pages too: match a new operation to coverage.yaml by title
		if f.Kind == MissingOperation && f.Detail == "" {
			raw[i].Detail = coverageNote(cov, f.Docs, f.Method)
		}
	}
	raw = append(raw, DiffMarkdown(Markdown{Spec: doc, DocsView: view, Coverage: cov, Manifest: man}, mdPages)...)
	sortFindings(raw)
	findings := ApplyAllow(raw, allow)
	stale := 0
	for _, f := range findings {
		if f.Kind == StaleAllow {
			stale++
		}
	}
	allowed := len(raw) - (len(findings) - stale)

	if *asJSON {
		err = writeJSON(stdout, report{Findings: findings, Pages: len(pages) + len(mdPages), Allowed: allowed})
	} else {
		err = writeText(stdout, findings)
		if err == nil {
			fmt.Fprintf(stderr, "drift: %d finding(s) in %d page(s) (%d text, %d Markdown); %d allowlisted difference(s)\n", len(findings), len(pages)+len(mdPages), len(pages), len(mdPages), allowed)
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "drift: writing report: %v\n", err)
		return exitError
	}
	if len(findings) > 0 {
		return exitDrift
	}
	return exitClean
}

// report is the -json output.
type report struct {
	Findings []Finding `json:"findings"`
	Pages    int       `json:"pages"`
	// Allowed counts the findings the allowlist excused.
	Allowed int `json:"allowed"`
}

func writeJSON(w io.Writer, r report) error {
	if r.Findings == nil {
		r.Findings = []Finding{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

func writeText(w io.Writer, findings []Finding) error {
	for _, f := range findings {
		if _, err := fmt.Fprintln(w, f.String()); err != nil {
			return err
		}
	}
	return nil
}

func loadSpec(name string) (*openapi3.T, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromFile(name)
	if err != nil {
		return nil, fmt.Errorf("loading spec: %w", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("spec %s is invalid: %w", name, err)
	}
	return doc, nil
}

func loadPages(dir string) ([]*apidog.Page, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("pages: %w", err)
	}
	var pages []*apidog.Page
	for _, e := range entries {
		if e.IsDir() || filepath.Ext(e.Name()) != ".txt" || e.Name() == "llms.txt" {
			continue
		}
		p, err := apidog.ParseFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		pages = append(pages, p)
	}
	return pages, nil
}

// loadCoverage reads a coverage manifest file, or the spec package's embedded one.
func loadCoverage(name string) ([]spec.CoverageEntry, error) {
	if name == "" {
		return spec.Coverage()
	}
	b, err := os.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("coverage: %w", err)
	}
	var entries []spec.CoverageEntry
	if err := yaml.Unmarshal(b, &entries); err != nil {
		return nil, fmt.Errorf("coverage %s: %w", name, err)
	}
	return entries, nil
}
