package scrape

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"golang.org/x/time/rate"

	"github.com/gofive-go/gofive/scripts/internal/docsite"
	"github.com/gofive-go/gofive/scripts/internal/manifest"
)

const (
	specFile     = "../../../spec/openapi.yaml"
	coverageFile = "../../../spec/coverage.yaml"
	testMaxBytes = 256 << 10
)

func loadSpec(t testing.TB) *openapi3.T {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromFile(specFile)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// fixture serves the fixture site (SYNTHETIC, built from the spec) with its mutations and,
// when quirks is set, every serving quirk.
func fixture(t testing.TB, quirks bool) (*docsite.Site, *url.URL) {
	t.Helper()
	site, err := docsite.Build(loadSpec(t))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := docsite.Mutate(site); err != nil {
		t.Fatal(err)
	}
	if quirks {
		docsite.AddQuirks(site, testMaxBytes)
	}
	srv := httptest.NewServer(site)
	t.Cleanup(srv.Close)
	u, _ := url.Parse(srv.URL)
	return site, u
}

// config is a test scrape: no rate limit to speak of, millisecond retry waits, a short timeout
// (only the slow page, which never answers, reaches it).
func config(site *url.URL, out string) Config {
	return Config{
		Site: site, OutDir: out, Concurrency: MaxConcurrency, Rate: rate.Inf, Burst: 1,
		Timeout: time.Second, MaxBytes: testMaxBytes, Retries: 1,
		RetryWaitMin: time.Millisecond, RetryWaitMax: 5 * time.Millisecond,
		Now: func() time.Time { return time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC) },
	}
}

func failedURLs(r *Result) map[string]string {
	m := map[string]string{}
	for _, f := range r.Failed {
		u, _ := url.Parse(f.URL)
		m[u.Path] = f.Reason
	}
	return m
}

func paths(urls []string) []string {
	var out []string
	for _, s := range urls {
		u, _ := url.Parse(s)
		out = append(out, u.Path)
	}
	return out
}

func TestScrapeFixtureSite(t *testing.T) {
	site, base := fixture(t, true)
	out := t.TempDir()
	res, err := Run(context.Background(), config(base, out))
	if err != nil {
		t.Fatal(err)
	}
	t.Log(res.Summary())
	if res.Source != manifest.SourceLLMS {
		t.Fatalf("source %q, want llms.txt", res.Source)
	}
	failed := failedURLs(res)
	for path, want := range map[string]string{
		docsite.NotFoundPath:  "404",
		docsite.SlowPath:      "timed out",
		docsite.OversizedPath: "larger than",
	} {
		if !strings.Contains(failed[path], want) {
			t.Errorf("%s: failure %q, want it to mention %q", path, failed[path], want)
		}
	}
	if len(failed) != 3 || res.OK() {
		t.Errorf("failed = %v, want exactly the three quirks", failed)
	}
	if _, bad := failed[docsite.FlakyPath]; bad || site.Hits(docsite.FlakyPath) != 2 {
		t.Errorf("the 500-then-200 page: failed %v after %d request(s); want success on the retry", bad, site.Hits(docsite.FlakyPath))
	}
	if !slices.Equal(res.Ignored, []string{docsite.OtherHostLink}) {
		t.Errorf("ignored = %v, want the other-host link", res.Ignored)
	}
	if site.Hits(site.ByOperation(docsite.DisappearedOp).Path) != 0 {
		t.Error("a page llms.txt does not list was fetched")
	}
	listed := 0
	for _, p := range site.Pages {
		if !p.Unlisted {
			listed++
		}
	}
	if len(res.New) != listed-3 || len(res.Changed)+len(res.Unchanged) != 0 {
		t.Errorf("new %d changed %d unchanged %d; want %d new", len(res.New), len(res.Changed), len(res.Unchanged), listed-3)
	}
	// Every saved page is byte for byte what the site served, and named in the manifest.
	m, err := manifest.Read(out)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Pages) != listed || m.Source != manifest.SourceLLMS || m.LLMSSHA256 == "" {
		t.Fatalf("manifest: %d pages, source %q; want %d from llms.txt", len(m.Pages), m.Source, listed)
	}
	for _, e := range m.Pages {
		u, _ := url.Parse(e.URL)
		if _, bad := failed[u.Path]; bad {
			if e.Status == manifest.StatusGone != (u.Path == docsite.NotFoundPath) || e.File != "" {
				t.Errorf("failed page entry %+v", e)
			}
			continue
		}
		b, err := os.ReadFile(filepath.Join(out, e.File))
		if err != nil || string(b) != string(site.Page(u.Path).Body) {
			t.Errorf("%s: saved copy differs from the page (%v)", e.URL, err)
		}
		if e.SHA256 == "" || (e.ETag == "" && u.Path != docsite.FlakyPath) || e.FetchedAt == "" || e.Title == "" || e.Section == "" {
			t.Errorf("entry lacks fields: %+v", e)
		}
	}

	// An unchanged re-run is conditional: nothing is rewritten, every page answers 304.
	before, before304 := site.Requests(), site.NotModified()
	stat := func() time.Time {
		st, err := os.Stat(filepath.Join(out, strings.TrimPrefix(site.ByOperation(docsite.NewFieldOp).Path, "/")))
		if err != nil {
			t.Fatal(err)
		}
		return st.ModTime()
	}
	mtime := stat()
	res2, err := Run(context.Background(), config(base, out))
	if err != nil {
		t.Fatal(err)
	}
	if len(res2.New)+len(res2.Changed) != 0 || len(res2.Unchanged) != listed-3 {
		t.Errorf("re-run: new %v changed %v, %d unchanged; want all %d unchanged", res2.New, res2.Changed, len(res2.Unchanged), listed-3)
	}
	if !stat().Equal(mtime) {
		t.Error("an unchanged page was rewritten")
	}
	// Every saved page but the flaky one (its handler sends no ETag) was asked conditionally.
	if got := site.NotModified() - before304; got != int64(listed-4) {
		t.Errorf("re-run: %d answers 304 Not Modified, want %d", got, listed-4)
	}
	t.Logf("first run %d requests, re-run %d", res.Requests, site.Requests()-before)

	// A changed page is rewritten; a page llms.txt stops listing is removed.
	changed := site.ByOperation(docsite.NewFieldOp)
	changed.Body = append(changed.Body, []byte("\nSYNTHETIC change.\n")...)
	dropped := site.ByOperation(docsite.TypeChangeOp)
	dropped.Unlisted = true
	res3, err := Run(context.Background(), config(base, out))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(paths(res3.Changed), []string{changed.Path}) || !slices.Equal(paths(res3.Removed), []string{dropped.Path}) {
		t.Errorf("changed %v removed %v; want [%s] and [%s]", res3.Changed, res3.Removed, changed.Path, dropped.Path)
	}
	if _, err := os.Stat(filepath.Join(out, strings.TrimPrefix(dropped.Path, "/"))); !os.IsNotExist(err) {
		t.Errorf("the removed page's file is still there (%v)", err)
	}
}

// TestScrapeFallback: without llms.txt the pages the spec and coverage.yaml name are fetched.
func TestScrapeFallback(t *testing.T) {
	site, base := fixture(t, false)
	site.NoLLMS = true
	fb, err := FallbackURLs(base, specFile, coverageFile)
	if err != nil {
		t.Fatal(err)
	}
	cfg := config(base, t.TempDir())
	cfg.Fallback = fb
	var progress strings.Builder
	cfg.Progress = &progress // as on a terminal
	res, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Log(res.Summary())
	if res.Source != manifest.SourceFallback || !strings.Contains(res.Note, "404") {
		t.Errorf("source %q (%s), want the fallback after a 404", res.Source, res.Note)
	}
	if want := fmt.Sprintf("\rscrape: %d/%d pages\n", len(fb), len(fb)); !strings.HasSuffix(progress.String(), want) {
		t.Errorf("progress ends %q, want %q", progress.String()[max(0, progress.Len()-40):], want)
	}
	addCase := site.ByOperation(docsite.NewOperation).Path
	if !slices.Contains(paths(res.New), addCase) {
		t.Errorf("fallback did not fetch %s (the spec's externalDocs page); new = %v", addCase, paths(res.New))
	}
	for _, u := range fb {
		if !strings.HasPrefix(u, base.String()+"/") || !strings.HasSuffix(u, ".md") {
			t.Errorf("fallback URL %s is not on the site with .md", u)
		}
	}
	// A 404 llms.txt is not itself a failure; the fallback pages the fixture lacks are.
	for _, f := range res.Failed {
		if strings.HasSuffix(f.URL, "/llms.txt") {
			t.Errorf("a missing llms.txt counted as a failure: %v", f)
		}
	}
}

// TestMaxPages: links beyond the page limit are failures, not fetched.
func TestMaxPages(t *testing.T) {
	site, base := fixture(t, false)
	cfg := config(base, t.TempDir())
	cfg.MaxPages = 5
	res, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.New) != 5 || len(res.Failed) == 0 || !strings.Contains(res.Failed[0].Reason, "5-page limit") {
		t.Fatalf("new %d, failed %v; want 5 fetched and the rest failed at the limit", len(res.New), res.Failed)
	}
	if site.Requests() != 6 { // llms.txt and five pages
		t.Errorf("%d requests, want 6", site.Requests())
	}
}

func TestBackoff(t *testing.T) {
	resp := func(code int, ra string) *http.Response {
		r := &http.Response{StatusCode: code, Header: http.Header{}}
		if ra != "" {
			r.Header.Set("Retry-After", ra)
		}
		return r
	}
	for _, tc := range []struct {
		resp *http.Response
		want time.Duration
	}{
		{resp(429, "3"), 3 * time.Second},
		{resp(500, "2"), 2 * time.Second},
		{resp(503, "1"), time.Second},
		{resp(503, "3600"), 10 * time.Second}, // capped
		{resp(500, ""), 400 * time.Millisecond},
		{resp(404, "3"), 400 * time.Millisecond}, // not retried anyway; no Retry-After honoured
		{resp(500, "soon"), 400 * time.Millisecond},
	} {
		if got := Backoff(100*time.Millisecond, 10*time.Second, 2, tc.resp); got != tc.want {
			t.Errorf("Backoff(%d, Retry-After %q) = %v, want %v", tc.resp.StatusCode, tc.resp.Header.Get("Retry-After"), got, tc.want)
		}
	}
}
