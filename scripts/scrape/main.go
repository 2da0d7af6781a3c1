// Command scrape fetches the published docs in their machine-readable form: the site's
// /llms.txt (llmstxt.org format) and the Markdown twin of every page it links on the same
// host, saved under spec/scraped/ beside the rendered-text pages, with a manifest
// (spec/scraped/manifest.json: URL, title, navigation section, fetched-at time, sha256, ETag,
// Last-Modified) so that a re-run is conditional and rewrites only pages that changed.
//
// Where the site has no llms.txt, it falls back to the docs URLs that spec/coverage.yaml and the
// spec's externalDocs already name, with .md appended (rebased onto -url, so a mirror or a test
// site works too).
//
// It is polite and bounded: at most 4 requests at a time and a rate limit, retries with backoff
// on 429 and 5xx honouring Retry-After, a per-request timeout, a per-page size limit and a bound
// on the whole run (-max-time, 30 minutes); links to other hosts are ignored. A page that fails does not stop the others. The run ends with a
// summary (new, changed, unchanged, removed, failed with reasons). It never edits
// spec/openapi.yaml: it only reads it for the fallback URLs.
//
// Usage (from the repository root): make scrape [DOCS_URL=https://developer.gofive.co.th]
//
// Exit status: 0 every page fetched, 1 some page failed, 2 usage or setup error.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"time"

	"golang.org/x/time/rate"

	"github.com/gofive-go/gofive/scripts/internal/scrape"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("scrape", flag.ContinueOnError)
	fs.SetOutput(stderr)
	site := fs.String("url", "https://"+scrape.DocsHost, "docs site `URL` (its /llms.txt is read)")
	out := fs.String("out", "spec/scraped", "`directory` for the pages and manifest.json")
	specFile := fs.String("spec", "spec/openapi.yaml", "OpenAPI `file` whose externalDocs URLs are the fallback (read only)")
	coverage := fs.String("coverage", "spec/coverage.yaml", "coverage manifest `file` whose URLs are also the fallback")
	conc := fs.Int("concurrency", scrape.MaxConcurrency, fmt.Sprintf("requests in flight (at most %d)", scrape.MaxConcurrency))
	rps := fs.Float64("rate", 4, "requests per second, retries included")
	timeout := fs.Duration("timeout", 30*time.Second, "per-request timeout")
	maxBytes := fs.Int64("max-bytes", 4<<20, "per-page size limit in bytes")
	retries := fs.Int("retries", 4, "retries on 429, 5xx and network errors")
	maxPages := fs.Int("max-pages", scrape.DefaultMaxPages, "pages per run")
	waitMax := fs.Duration("retry-wait-max", 30*time.Second, "longest wait between attempts (also caps Retry-After)")
	maxTime := fs.Duration("max-time", 30*time.Minute, "bound on the whole run; pages not fetched by then are failures")
	progress := fs.Bool("progress", isTerminal(os.Stderr), "show progress (default: when stderr is a terminal)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "scrape: unexpected arguments: %s\n", strings.Join(fs.Args(), " "))
		return 2
	}
	u, err := url.Parse(*site)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		fmt.Fprintf(stderr, "scrape: -url %q is not an absolute http(s) URL\n", *site)
		return 2
	}
	if *conc < 1 || *conc > scrape.MaxConcurrency || *rps <= 0 || *timeout <= 0 || *maxBytes <= 0 || *retries < 0 || *maxTime <= 0 {
		fmt.Fprintf(stderr, "scrape: -concurrency must be 1..%d; -rate, -timeout, -max-bytes and -max-time positive; -retries not negative\n", scrape.MaxConcurrency)
		return 2
	}
	fallback, err := scrape.FallbackURLs(u, *specFile, *coverage)
	if err != nil {
		fmt.Fprintf(stderr, "scrape: %v\n", err)
		return 2
	}
	cfg := scrape.Config{
		Site: u, OutDir: *out, Fallback: fallback,
		Concurrency: *conc, Rate: rate.Limit(*rps), Burst: 1,
		Timeout: *timeout, MaxBytes: *maxBytes, Retries: *retries, MaxPages: *maxPages, MaxTime: *maxTime,
		RetryWaitMin: time.Second, RetryWaitMax: *waitMax,
		UserAgent: "gofive-docs-scrape (+https://github.com/gofive-go/gofive)",
	}
	if *progress {
		cfg.Progress = stderr
	}
	res, err := scrape.Run(ctx, cfg)
	if err != nil {
		fmt.Fprintf(stderr, "scrape: %v\n", err)
		return 2
	}
	fmt.Fprint(stdout, res.Summary())
	if !res.OK() {
		return 1
	}
	return 0
}

func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
