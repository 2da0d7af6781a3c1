// Command propose writes reviewable spec proposals under spec/proposed/ from the scraped
// Markdown pages (make scrape): one YAML fragment (package spec/proposal's format) for each
// operation the spec lacks, and for each spec operation whose request or response the spec
// marks x-gofive-unrecovered or x-gofive-partial and the page now documents. Each fragment is
// converted to the spec's conventions: an operationId and a declared tag, the Status envelope
// and the shared business-error responses, wire types for dates (and for ids and codes whose
// documented type and example disagree), x-gofive-sources naming the page and
// x-gofive-completeness. A maintainer merges a proposal by hand; the tool never edits the spec.
//
// Usage (from the repository root): make propose
//
// Exit status: 0 done (also when there is nothing to propose), 2 usage or input error.
package main

import (
	"cmp"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"gopkg.in/yaml.v3"

	"github.com/gofive-go/gofive/scripts/internal/manifest"
	"github.com/gofive-go/gofive/scripts/internal/schemapath"
	"github.com/gofive-go/gofive/spec"
	"github.com/gofive-go/gofive/spec/apidog"
	"github.com/gofive-go/gofive/spec/proposal"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr, time.Now)) }

func run(args []string, stdout, stderr io.Writer, now func() time.Time) int {
	fs := flag.NewFlagSet("propose", flag.ContinueOnError)
	fs.SetOutput(stderr)
	specFile := fs.String("spec", "spec/openapi.yaml", "OpenAPI `file` (read only)")
	pagesDir := fs.String("pages", "spec/scraped", "`directory` of scraped pages and manifest.json")
	coverageFile := fs.String("coverage", "spec/coverage.yaml", "coverage manifest `file`")
	outDir := fs.String("out", "spec/proposed", "`directory` for the proposals")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	written, err := propose(*specFile, *pagesDir, *coverageFile, *outDir, now().UTC().Format(time.DateOnly))
	if err != nil {
		fmt.Fprintf(stderr, "propose: %v\n", err)
		return 2
	}
	for _, w := range written {
		fmt.Fprintln(stdout, w)
	}
	fmt.Fprintf(stderr, "propose: %d proposal(s) in %s; merge them into the spec by hand\n", len(written), *outDir)
	return 0
}

// propose writes the proposals and returns "path: why" lines.
func propose(specFile, pagesDir, coverageFile, outDir, date string) ([]string, error) {
	doc, err := openapi3.NewLoader().LoadFromFile(specFile)
	if err != nil {
		return nil, fmt.Errorf("loading spec: %w", err)
	}
	var cov []spec.CoverageEntry
	if b, err := os.ReadFile(coverageFile); err != nil {
		return nil, err
	} else if err := yaml.Unmarshal(b, &cov); err != nil {
		return nil, fmt.Errorf("%s: %w", coverageFile, err)
	}
	man, err := manifest.Read(pagesDir)
	if err != nil {
		return nil, err
	}
	urls := map[string]string{}
	for _, e := range man.Pages {
		if e.File != "" && e.Status == manifest.StatusOK {
			urls[e.File] = e.URL
		}
	}
	names, err := filepath.Glob(filepath.Join(pagesDir, "*.md"))
	if err != nil {
		return nil, err
	}
	var written []string
	claimed := map[string]bool{} // operationIds derived in this run (lower case)
	for _, name := range names {
		base := filepath.Base(name)
		u, fromScrape := urls[base]
		if !fromScrape {
			continue // not a page make scrape saved (or one that is gone)
		}
		b, err := os.ReadFile(name)
		if err != nil {
			return nil, err
		}
		page, err := apidog.ParseMarkdown(b)
		if err != nil || !page.HasOpenAPI() {
			continue // documentation pages have nothing to propose; make drift reports malformed ones
		}
		pdoc, err := apidog.LoadOpenAPI(page.OpenAPI)
		if err != nil {
			continue
		}
		for _, op := range apidog.Operations(pdoc) {
			existing, why := decide(doc, op)
			if why == "" {
				continue
			}
			c := &converter{spec: doc, coverage: cov, pageURL: docsURL(u), date: date, claimed: claimed}
			title := cmp.Or(op.Op.Summary, page.Title)
			frag, err := c.Convert(op.Method, op.Path, title, op.Op, existing)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", base, err)
			}
			path, err := proposal.Write(outDir, frag)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", base, err)
			}
			written = append(written, fmt.Sprintf("%s: %s %s %s (%s)", path, why, op.Method, op.Path, base))
		}
	}
	return written, nil
}

// docsURL is the page URL a reader opens: the Markdown twin's without .md.
func docsURL(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return u
	}
	p.Path = strings.TrimSuffix(p.Path, ".md")
	return p.String()
}

var reTemplate = regexp.MustCompile(`\{[^{}/]*\}`)

func normPath(p string) string {
	p = reTemplate.ReplaceAllString(p, "{}")
	if len(p) > 1 {
		p = strings.TrimRight(p, "/")
	}
	return strings.ToLower(p)
}

// maxSchemaDepth bounds the walk of a schema's field paths (loaded schemas may be cyclic).
const maxSchemaDepth = 32

// decide says whether a page operation deserves a proposal: "new operation" when the spec
// lacks it, "newly documented" when the spec marks its request or success response
// unrecovered or partial and the page documents a shape there.
func decide(doc *openapi3.T, op apidog.Operation) (*openapi3.Operation, string) {
	for path, item := range doc.Paths.Map() {
		if normPath(path) != normPath(op.Path) {
			continue
		}
		existing := item.GetOperation(op.Method)
		if existing == nil {
			continue
		}
		if documents(existing.RequestBody, op.Op.RequestBody) {
			return existing, "newly documented request"
		}
		if existing.Responses != nil && op.Op.Responses != nil {
			for status, r := range op.Op.Responses.Map() {
				if !strings.HasPrefix(status, "2") || r == nil || r.Value == nil {
					continue
				}
				sr := existing.Responses.Value(status)
				if sr == nil || sr.Value == nil {
					continue
				}
				for ct, mt := range r.Value.Content {
					if smt := sr.Value.Content.Get(ct); smt != nil && smt.Schema != nil && mt.Schema != nil &&
						markedGap(smt.Schema.Value) && schemapath.DocumentsMore(smt.Schema.Value, mt.Schema.Value, maxSchemaDepth) {
						return existing, "newly documented response"
					}
				}
			}
		}
		return existing, ""
	}
	return nil, "new operation"
}

func documents(spec, page *openapi3.RequestBodyRef) bool {
	if spec == nil || spec.Value == nil || page == nil || page.Value == nil {
		return false
	}
	for ct, mt := range page.Value.Content {
		if smt := spec.Value.Content.Get(ct); smt != nil && smt.Schema != nil && mt.Schema != nil &&
			markedGap(smt.Schema.Value) && schemapath.DocumentsMore(smt.Schema.Value, mt.Schema.Value, maxSchemaDepth) {
			return true
		}
	}
	return false
}

// markedGap: the schema, or its envelope's data, is marked unrecovered or partial.
func markedGap(s *openapi3.Schema) bool {
	if s == nil {
		return false
	}
	marked := func(s *openapi3.Schema) bool {
		return s != nil && (s.Extensions["x-gofive-unrecovered"] == true || s.Extensions["x-gofive-partial"] == true)
	}
	if marked(s) {
		return true
	}
	if d := s.Properties["data"]; d != nil && marked(d.Value) {
		return true
	}
	return false
}
