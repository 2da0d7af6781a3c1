package scrape

import (
	"context"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"golang.org/x/time/rate"

	"github.com/gofive-go/gofive/api/gofivetest/memnet"
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
// when quirks is set, every serving quirk, on the in-memory network: call it inside a
// synctest bubble, so that the slow page's timeout and the retries' waits run on the
// bubble's clock.
func fixture(t *testing.T, quirks bool) (*docsite.Site, *url.URL, *recorder) {
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
	base, rec := serve(t, site)
	return site, base, rec
}

// serve serves h on the in-memory network (inside a synctest bubble) and returns its URL and
// a transport to it that records every attempt on the bubble's clock.
func serve(t *testing.T, h http.Handler) (*url.URL, *recorder) {
	t.Helper()
	base, tr := memnet.Serve(t, h)
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	return u, &recorder{base: tr, epoch: time.Now()}
}

// attempt is one request the scraper sent (after its rate limiter), on the bubble's clock.
type attempt struct {
	start, end time.Duration // since the recorder was made
	status     int           // 0: the attempt ended in an error (a timeout, say)
}

// recorder is the scraper's base transport in the tests: it logs each attempt by path.
type recorder struct {
	base  http.RoundTripper
	epoch time.Time
	mu    sync.Mutex
	log   map[string][]attempt
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	start := time.Since(r.epoch)
	resp, err := r.base.RoundTrip(req)
	a := attempt{start: start, end: time.Since(r.epoch)}
	if err == nil {
		a.status = resp.StatusCode
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.log == nil {
		r.log = map[string][]attempt{}
	}
	r.log[req.URL.Path] = append(r.log[req.URL.Path], a)
	return resp, err
}

// attempts returns the attempts at path since the last call, and forgets them.
func (r *recorder) attempts(path string) []attempt {
	r.mu.Lock()
	defer r.mu.Unlock()
	a := r.log[path]
	delete(r.log, path)
	return a
}

// config is a test scrape: no rate limit to speak of, millisecond retry waits, a one-second
// timeout (only the slow page, which never answers, reaches it). rt nil: the default transport.
func config(site *url.URL, rt http.RoundTripper, out string) Config {
	return Config{
		Site: site, OutDir: out, Transport: rt, Concurrency: MaxConcurrency, Rate: rate.Inf, Burst: 1,
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

// TestScrapeFixtureSite runs in a synctest bubble: each run lasts exactly as long as the slow
// page's two timed-out attempts and the backoff between them, on the bubble's clock.
func TestScrapeFixtureSite(t *testing.T) { synctest.Test(t, testScrapeFixtureSite) }

func testScrapeFixtureSite(t *testing.T) {
	site, base, rec := fixture(t, true)
	out := t.TempDir()
	cfg := config(base, rec, out)
	res := timedRun(t, cfg, rec)
	// The 500 is retried once, after exactly the first backoff (RetryWaitMin).
	if a := rec.attempts(docsite.FlakyPath); len(a) != 2 || a[0].status != 500 || a[1].status != 200 || a[1].start-a[0].end != cfg.RetryWaitMin {
		t.Errorf("the 500-then-200 page: attempts %+v; want a 500, then a 200 exactly %v later", a, cfg.RetryWaitMin)
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
	res2 := timedRun(t, cfg, rec)
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
	res3 := timedRun(t, cfg, rec)
	if !slices.Equal(paths(res3.Changed), []string{changed.Path}) || !slices.Equal(paths(res3.Removed), []string{dropped.Path}) {
		t.Errorf("changed %v removed %v; want [%s] and [%s]", res3.Changed, res3.Removed, changed.Path, dropped.Path)
	}
	if _, err := os.Stat(filepath.Join(out, strings.TrimPrefix(dropped.Path, "/"))); !os.IsNotExist(err) {
		t.Errorf("the removed page's file is still there (%v)", err)
	}
}

// timedRun runs a scrape of the fixture site with its quirks (inside a bubble) and checks
// its timing: the slow page, which never answers, is tried twice, each attempt cut at exactly
// the timeout and the retry sent exactly RetryWaitMin after the first gave up; nothing else
// waits, so the run lasts exactly that long.
func timedRun(t *testing.T, cfg Config, rec *recorder) *Result {
	t.Helper()
	start := time.Now()
	res, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	elapsed := time.Since(start)
	a := rec.attempts(docsite.SlowPath)
	if len(a) != 2 || a[0].status != 0 || a[1].status != 0 ||
		a[0].end-a[0].start != cfg.Timeout || a[1].end-a[1].start != cfg.Timeout || a[1].start-a[0].end != cfg.RetryWaitMin {
		t.Errorf("the slow page: attempts %+v; want two errors, each after exactly %v, %v apart", a, cfg.Timeout, cfg.RetryWaitMin)
	}
	if want := 2*cfg.Timeout + cfg.RetryWaitMin; elapsed != want {
		t.Errorf("the run took %v on the bubble's clock, want exactly %v", elapsed, want)
	}
	return res
}

// TestScrapeFallback: without llms.txt the pages the spec and coverage.yaml name are fetched.
func TestScrapeFallback(t *testing.T) { synctest.Test(t, testScrapeFallback) }

func testScrapeFallback(t *testing.T) {
	site, base, rec := fixture(t, false)
	site.NoLLMS = true
	fb, err := FallbackURLs(base, specFile, coverageFile)
	if err != nil {
		t.Fatal(err)
	}
	cfg := config(base, rec, t.TempDir())
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
func TestMaxPages(t *testing.T) { synctest.Test(t, testMaxPages) }

func testMaxPages(t *testing.T) {
	site, base, rec := fixture(t, false)
	cfg := config(base, rec, t.TempDir())
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

// smallSite is a SYNTHETIC site of the given pages (no spec needed), each answered by its
// handler.
func smallSite(handlers map[string]http.HandlerFunc) *docsite.Site {
	site := &docsite.Site{Title: "SYNTHETIC small site", Handlers: handlers}
	for _, p := range slices.Sorted(maps.Keys(handlers)) {
		site.Pages = append(site.Pages, &docsite.Page{Path: p, Title: "Page " + p, Section: "Fixture"})
	}
	return site
}

// failing answers code (with Retry-After retryAfter, if set) to its first n requests, then 200.
func failing(n, code int, retryAfter string) http.HandlerFunc {
	var calls atomic.Int32
	return func(w http.ResponseWriter, r *http.Request) {
		if int(calls.Add(1)) <= n {
			if retryAfter != "" {
				w.Header().Set("Retry-After", retryAfter)
			}
			http.Error(w, "SYNTHETIC failure", code)
			return
		}
		io.WriteString(w, "# Page\n\nSYNTHETIC.\n")
	}
}

// TestRetryWaits: on the bubble's clock, each retry is sent exactly when the backoff says: a
// Retry-After on a 503 and on a plain 500 is honoured, one on a 429 longer than RetryWaitMax
// is cut to it, and without one the waits double from RetryWaitMin.
func TestRetryWaits(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		site := smallSite(map[string]http.HandlerFunc{
			"/after-503.md": failing(1, http.StatusServiceUnavailable, "2"),
			"/after-500.md": failing(1, http.StatusInternalServerError, "1"),
			"/capped.md":    failing(1, http.StatusTooManyRequests, "3600"),
			"/doubling.md":  failing(2, http.StatusInternalServerError, ""),
			"/exhausted.md": failing(99, http.StatusServiceUnavailable, ""),
		})
		base, rec := serve(t, site)
		cfg := config(base, rec, t.TempDir())
		cfg.Retries, cfg.RetryWaitMin, cfg.RetryWaitMax = 2, 100*time.Millisecond, 5*time.Second
		start := time.Now()
		res, err := Run(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		elapsed := time.Since(start)
		for path, want := range map[string][]time.Duration{
			"/after-503.md": {2 * time.Second},
			"/after-500.md": {time.Second},
			"/capped.md":    {cfg.RetryWaitMax},
			"/doubling.md":  {100 * time.Millisecond, 200 * time.Millisecond},
			"/exhausted.md": {100 * time.Millisecond, 200 * time.Millisecond},
		} {
			a := rec.attempts(path)
			var waits []time.Duration
			for i := 1; i < len(a); i++ {
				waits = append(waits, a[i].start-a[i-1].end)
			}
			if !slices.Equal(waits, want) {
				t.Errorf("%s: waits between attempts %v, want exactly %v (attempts %+v)", path, waits, want, a)
			}
		}
		failed := failedURLs(res)
		if len(failed) != 1 || !strings.Contains(failed["/exhausted.md"], "503 Service Unavailable after 3 attempt(s)") {
			t.Errorf("failed = %v, want only /exhausted.md, after 3 attempts", failed)
		}
		if len(res.New) != 4 || res.Requests != 2+2+2+3+3+1 {
			t.Errorf("new %v, %d requests; want 4 pages and 13 requests", res.New, res.Requests)
		}
		// The pages wait side by side: the run lasts as long as the longest wait, the capped one.
		if elapsed != cfg.RetryWaitMax {
			t.Errorf("the run took %v on the bubble's clock, want exactly %v", elapsed, cfg.RetryWaitMax)
		}
	})
}

// TestRateLimit: on the bubble's clock, at 2 requests/s with a burst of 1 the requests go out
// exactly 500 ms apart, however many are in flight and retries included, and the time a
// request queues for the limiter does not count against its own (shorter) timeout.
func TestRateLimit(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		handlers := map[string]http.HandlerFunc{}
		for i := range 5 {
			handlers[fmt.Sprintf("/page-%d.md", i)] = failing(0, 0, "")
		}
		handlers["/flaky.md"] = failing(1, http.StatusInternalServerError, "") // its retry waits for the limiter too
		base, rec := serve(t, smallSite(handlers))
		cfg := config(base, rec, t.TempDir())
		cfg.Rate, cfg.Burst, cfg.Timeout = 2, 1, 100*time.Millisecond
		start := time.Now()
		res, err := Run(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		if elapsed := time.Since(start); !res.OK() || len(res.New) != 6 || elapsed != 3500*time.Millisecond {
			t.Errorf("new %v failed %v in %v on the bubble's clock; want 6 pages in exactly 3.5s", res.New, res.Failed, elapsed)
		}
		var starts []time.Duration
		for _, p := range append(slices.Collect(maps.Keys(handlers)), "/llms.txt") {
			for _, a := range rec.attempts(p) {
				starts = append(starts, a.start)
			}
		}
		slices.Sort(starts)
		var want []time.Duration // llms.txt, six pages and one retry
		for i := range 8 {
			want = append(want, time.Duration(i)*500*time.Millisecond)
		}
		if !slices.Equal(starts, want) {
			t.Errorf("requests sent at %v, want exactly %v", starts, want)
		}
	})
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
