package main

import (
	"bytes"
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/gofive-go/gofive/scripts/internal/docsite"
)

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"-url", "ftp://x"},
		{"-url", "not a url"},
		{"-concurrency", "5"},
		{"-rate", "0"},
		{"-max-bytes", "0"},
		{"-max-time", "0"},
		{"extra"},
	} {
		var stdout, stderr bytes.Buffer
		if code := run(context.Background(), args, &stdout, &stderr); code != 2 {
			t.Errorf("run(%q) = %d, want 2 (stderr %q)", args, code, stderr.String())
		}
	}
}

// TestRunExitStatus: against a clean fixture site (SYNTHETIC, from the spec, no quirks) the
// command saves every page and exits 0; the spec file it reads is left as it was.
func TestRunExitStatus(t *testing.T) {
	const specFile = "../../spec/openapi.yaml"
	before, err := os.ReadFile(specFile)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := openapi3.NewLoader().LoadFromFile(specFile)
	if err != nil {
		t.Fatal(err)
	}
	site, err := docsite.Build(doc)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(site)
	defer srv.Close()
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"-url", srv.URL, "-out", out, "-spec", specFile, "-coverage", "../../spec/coverage.yaml", "-rate", "1000", "-progress=false"}, &stdout, &stderr)
	if code != 0 {
		t.Fatalf("exit %d:\n%s%s", code, stdout.String(), stderr.String())
	}
	if !strings.Contains(stdout.String(), " 0 failed") {
		t.Errorf("summary: %s", stdout.String())
	}
	files, _ := filepath.Glob(filepath.Join(out, "*.md"))
	if len(files) != len(site.Pages) {
		t.Errorf("%d pages saved, want %d", len(files), len(site.Pages))
	}
	if after, _ := os.ReadFile(specFile); !bytes.Equal(before, after) {
		t.Error("scrape changed the spec file")
	}
}
