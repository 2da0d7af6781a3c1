package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"golang.org/x/time/rate"
	"gopkg.in/yaml.v3"

	"github.com/gofive-go/gofive/api/gofivetest/memnet"
	"github.com/gofive-go/gofive/scripts/internal/docsite"
	"github.com/gofive-go/gofive/scripts/internal/scrape"
)

// TestCommittedPagesClean: make drift on the committed pages gives 0 findings.
func TestCommittedPagesClean(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := run([]string{"-spec", specFile, "-pages", "../../spec/scraped", "-allow", "../../spec/drift-allow.yaml", "-coverage", "../../spec/coverage.yaml"}, &stdout, &stderr)
	if code != exitClean || stdout.Len() != 0 {
		t.Fatalf("exit %d, findings:\n%s%s", code, stdout.String(), stderr.String())
	}
}

// allowYAML (SYNTHETIC entries) excuses the required mutation and holds one stale entry.
const allowYAML = `- page: api-3590355.md
  method: POST
  path: /v2/quotation
  kind: required-mismatch
  field: body.contactName
  reason: SYNTHETIC test entry excusing the fixture's required mutation.
- page: api-3608469.md
  method: POST
  path: /v1/deals
  kind: type-mismatch
  field: body.fixtureNewField
  reason: SYNTHETIC test entry that matches nothing.
`

// TestScrapeThenDrift is the docs sync end to end: make scrape against the loopback fixture
// site (every mutation and quirk), then make drift on what it saved, with the spec as it was
// before the new operation was added. Every mutation is named and drift exits 1. The site is
// on the in-memory network in a synctest bubble, so the slow page's timeouts cost no real time.
func TestScrapeThenDrift(t *testing.T) { synctest.Test(t, testScrapeThenDrift) }

func testScrapeThenDrift(t *testing.T) {
	site, err := docsite.Build(mustSpec(t))
	if err != nil {
		t.Fatal(err)
	}
	expects, err := docsite.Mutate(site)
	if err != nil {
		t.Fatal(err)
	}
	docsite.AddQuirks(site, 256<<10)
	siteURL, tr := memnet.Serve(t, site)
	base, _ := url.Parse(siteURL)
	pages := t.TempDir()
	start := time.Now()
	res, err := scrape.Run(context.Background(), scrape.Config{
		Site: base, OutDir: pages, Transport: tr, Concurrency: scrape.MaxConcurrency, Rate: rate.Inf, Burst: 1,
		Timeout: time.Second, MaxBytes: 256 << 10, Retries: 1, RetryWaitMin: time.Millisecond, RetryWaitMax: time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Failed) != 3 {
		t.Fatalf("failed %v; want the three quirks (404, slow, oversized)", res.Failed)
	}
	// The slow page's two timed-out attempts and the wait between them, on the bubble's clock.
	if elapsed, want := time.Since(start), 2*time.Second+time.Millisecond; elapsed != want {
		t.Errorf("the scrape took %v, want exactly %v", elapsed, want)
	}

	// The spec and coverage before addCase existed, as files for the command.
	doc, cov := specWithout(t, docsite.NewOperation)
	dir := t.TempDir()
	j, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	specPath := filepath.Join(dir, "openapi.json")
	covPath := filepath.Join(dir, "coverage.yaml")
	allowPath := filepath.Join(dir, "allow.yaml") // the committed allowlist is about the text pages
	y, _ := yaml.Marshal(cov)
	if os.WriteFile(specPath, j, 0o644) != nil || os.WriteFile(covPath, y, 0o644) != nil || os.WriteFile(allowPath, []byte(allowYAML), 0o644) != nil {
		t.Fatal("writing the test spec")
	}
	var stdout, stderr bytes.Buffer
	code := run([]string{"-spec", specPath, "-pages", pages, "-allow", allowPath, "-coverage", covPath}, &stdout, &stderr)
	if code != exitDrift {
		t.Fatalf("exit %d, want 1:\n%s%s", code, stdout.String(), stderr.String())
	}
	out := stdout.String()
	t.Logf("make drift:\n%s%s", out, stderr.String())
	// One mutation is allowlisted, and one entry is stale.
	if n := strings.Count(out, "\n"); n != len(expects) {
		t.Errorf("%d findings, want exactly the %d mutations, less the allowlisted one, plus the stale entry", n, len(expects))
	}
	if !strings.Contains(out, "api-3608469.md: POST /v1/deals: stale-allow body.fixtureNewField") ||
		!strings.Contains(stderr.String(), "1 allowlisted difference(s)") {
		t.Errorf("the allowlist was not applied to the Markdown pages")
	}
	for _, e := range expects {
		if e.Kind == "required-mismatch" {
			continue // allowlisted
		}
		want := ": " + e.Kind
		if e.Method != "" {
			want = ": " + e.Method + " " + e.Path + want
		}
		if e.Field != "" {
			want += " " + e.Field
		}
		if !strings.Contains(out, want) {
			t.Errorf("%s: no line containing %q", e.What, want)
		}
	}
}
