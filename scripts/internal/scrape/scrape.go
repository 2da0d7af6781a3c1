// Package scrape fetches an Apidog docs site's machine-readable form (llms.txt and the
// Markdown twin of every page) into a directory with a manifest; see command scripts/scrape.
package scrape

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-retryablehttp"
	"golang.org/x/time/rate"

	"github.com/gofive-go/gofive/scripts/internal/manifest"
	"github.com/gofive-go/gofive/spec/apidog"
)

// MaxConcurrency is the most requests a scrape has in flight at once, whatever is asked.
const MaxConcurrency = 4

// DefaultMaxPages bounds one run's page list (the Gofive docs have about 100 pages).
const DefaultMaxPages = 2000

// Config is one scrape.
type Config struct {
	Site   *url.URL // the docs site root; llms.txt is Site + /llms.txt
	OutDir string   // where pages and the manifest go (spec/scraped)
	// Fallback lists the page URLs (with .md) to fetch when the site has no llms.txt.
	Fallback []string

	Transport    http.RoundTripper // nil: http.DefaultTransport
	Concurrency  int               // 1..MaxConcurrency
	Rate         rate.Limit        // requests per second, retries included
	Burst        int
	Timeout      time.Duration // per request attempt
	MaxBytes     int64         // per page
	Retries      int           // after the first attempt, on 429, 5xx and network errors
	MaxPages     int           // pages per run (0: DefaultMaxPages); links beyond are failures
	RetryWaitMin time.Duration
	RetryWaitMax time.Duration // also the cap on a Retry-After wait
	UserAgent    string
	Now          func() time.Time
	// MaxTime bounds the whole run (0: none): pages not fetched by then are failures, and the
	// manifest is still written. Without it a site that answers every request slowly, or
	// with a long Retry-After, holds the run for pages × attempts × Timeout / Concurrency.
	MaxTime time.Duration
	// Progress, when set, receives a one-line progress display (a TTY).
	Progress io.Writer
}

// Failure is a page that could not be fetched.
type Failure struct {
	URL    string
	Reason string
}

// Result summarises a scrape.
type Result struct {
	Source    string   // manifest.SourceLLMS or manifest.SourceFallback
	Note      string   // why the fallback was used
	New       []string // URLs
	Changed   []string
	Unchanged []string
	Removed   []string // no longer listed in llms.txt: file and entry dropped
	Failed    []Failure
	Ignored   []string // links to other hosts
	Requests  int64    // HTTP requests sent, retries included
}

// OK reports whether every page was fetched.
func (r *Result) OK() bool { return len(r.Failed) == 0 }

// Summary is the report printed at the end of a run.
func (r *Result) Summary() string {
	var b strings.Builder
	fmt.Fprintf(&b, "scrape: page list from %s", r.Source)
	if r.Note != "" {
		fmt.Fprintf(&b, " (%s)", printable(r.Note))
	}
	fmt.Fprintf(&b, "\nscrape: %d new, %d changed, %d unchanged, %d removed, %d failed; %d link(s) to other hosts ignored; %d request(s)\n",
		len(r.New), len(r.Changed), len(r.Unchanged), len(r.Removed), len(r.Failed), len(r.Ignored), r.Requests)
	for _, f := range r.Failed {
		fmt.Fprintf(&b, "scrape: FAILED %s: %s\n", printable(f.URL), printable(f.Reason))
	}
	return b.String()
}

// printable escapes control characters (C0, DEL, C1) in text the site chose, such as a reason
// phrase, so that the summary cannot drive the terminal it is printed on.
func printable(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || (r >= 0x7f && r < 0xa0) {
			return '?'
		}
		return r
	}, s)
}

type target struct {
	url, title, section string
	file                string // the saved name, unique in the run (assignFiles)
}

type outcome int

const (
	outNew outcome = iota
	outChanged
	outUnchanged
	outGone
	outFailed
)

// scraper holds one run's state.
type scraper struct {
	cfg      Config
	client   *retryablehttp.Client
	requests atomic.Int64
	now      string
}

// Run scrapes the site. It returns an error only when it cannot work at all (an unreadable
// manifest, an unwritable directory); a page that fails is a Failure in the result, and the
// others go on.
func Run(ctx context.Context, cfg Config) (*Result, error) {
	if cfg.Site == nil || (cfg.Site.Scheme != "http" && cfg.Site.Scheme != "https") || cfg.Site.Host == "" {
		return nil, errors.New("the site URL must be an absolute http(s) URL")
	}
	cfg.Concurrency = min(max(cfg.Concurrency, 1), MaxConcurrency)
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.MaxBytes <= 0 {
		return nil, errors.New("the page size limit must be positive")
	}
	if err := os.MkdirAll(cfg.OutDir, 0o755); err != nil {
		return nil, err
	}
	old, err := manifest.Read(cfg.OutDir)
	if err != nil {
		return nil, err
	}
	if cfg.MaxTime > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, cfg.MaxTime)
		defer cancel()
	}
	s := &scraper{cfg: cfg, now: cfg.Now().UTC().Format(time.RFC3339)}
	s.client = s.newClient()

	res := &Result{}
	m := &manifest.Manifest{Site: cfg.Site.String(), FetchedAt: s.now}
	targets, llmsSum := s.pageList(ctx, res)
	m.Source, m.LLMSSHA256 = res.Source, llmsSum
	limit := cmpInt(cfg.MaxPages, DefaultMaxPages)
	if len(targets) > limit {
		for _, t := range targets[limit:] {
			res.Failed = append(res.Failed, Failure{t.url, fmt.Sprintf("beyond the %d-page limit of one run", limit)})
		}
		targets = targets[:limit]
	}

	assignFiles(targets, old)

	// Run the pages through a bounded pool; the limiter in the transport paces the requests.
	type done struct {
		t     target
		out   outcome
		entry manifest.Entry
		why   string
	}
	results := make([]done, len(targets))
	var wg sync.WaitGroup
	next := make(chan int)
	var progressMu sync.Mutex // one writer at a time, and lines in order
	finished := 0
	for range cfg.Concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				t := targets[i]
				out, entry, why := s.fetchPage(ctx, t, old.Entry(t.url))
				results[i] = done{t, out, entry, why}
				if cfg.Progress != nil {
					progressMu.Lock()
					finished++
					fmt.Fprintf(cfg.Progress, "\rscrape: %d/%d pages", finished, len(targets))
					progressMu.Unlock()
				}
			}
		}()
	}
	for i := range targets {
		next <- i
	}
	close(next)
	wg.Wait()
	if cfg.Progress != nil && len(targets) > 0 {
		fmt.Fprintln(cfg.Progress)
	}

	listed := map[string]bool{}
	for _, d := range results {
		listed[d.t.url] = true
		switch d.out {
		case outNew:
			res.New = append(res.New, d.t.url)
		case outChanged:
			res.Changed = append(res.Changed, d.t.url)
		case outUnchanged:
			res.Unchanged = append(res.Unchanged, d.t.url)
		case outGone, outFailed:
			res.Failed = append(res.Failed, Failure{d.t.url, d.why})
		}
		m.Pages = append(m.Pages, d.entry)
	}
	// Pages of the last run that this one did not list. An llms.txt that lists no page of
	// the site at all (a maintenance page served as llms.txt, say) removes nothing: it is a
	// failure, and the saved pages are kept.
	emptyIndex := res.Source == manifest.SourceLLMS && len(targets) == 0 && len(old.Pages) > 0
	if emptyIndex {
		res.Failed = append(res.Failed, Failure{s.llmsURL(), "llms.txt lists no page on this host: the saved pages are kept"})
	}
	for _, e := range old.Pages {
		if listed[e.URL] {
			continue
		}
		if res.Source == manifest.SourceLLMS && !emptyIndex {
			// The site's own index no longer lists the page: it was removed from the docs.
			if e.File != "" {
				if err := os.Remove(filepath.Join(cfg.OutDir, e.File)); err != nil && !errors.Is(err, os.ErrNotExist) {
					return nil, err
				}
			}
			res.Removed = append(res.Removed, e.URL)
			continue
		}
		m.Pages = append(m.Pages, e) // a fallback list says nothing about other pages: keep them
	}
	if err := m.Write(cfg.OutDir); err != nil {
		return nil, err
	}
	res.Requests = s.requests.Load()
	for _, l := range [][]string{res.New, res.Changed, res.Unchanged, res.Removed, res.Ignored} {
		sort.Strings(l)
	}
	slices.SortFunc(res.Failed, func(a, b Failure) int { return strings.Compare(a.URL, b.URL) })
	return res, nil
}

// llmsURL is the site's llms.txt.
func (s *scraper) llmsURL() string {
	return s.cfg.Site.ResolveReference(&url.URL{Path: path.Join(s.cfg.Site.Path, "/llms.txt")}).String()
}

// pageList reads llms.txt, or falls back to cfg.Fallback.
func (s *scraper) pageList(ctx context.Context, res *Result) ([]target, string) {
	llmsURL := s.llmsURL()
	body, status, _, err := s.get(ctx, llmsURL, nil)
	var l *apidog.LLMS
	if err == nil && status == http.StatusOK {
		l, err = apidog.ParseLLMS(body)
	}
	if l == nil {
		res.Source = manifest.SourceFallback
		switch {
		case err != nil:
			res.Note = "llms.txt: " + err.Error()
			if status != http.StatusNotFound && status != http.StatusGone {
				// Not a plain "there is none": that is a failure worth an exit status.
				res.Failed = append(res.Failed, Failure{llmsURL, err.Error()})
			}
		default:
			res.Note = "llms.txt answered " + strconv.Itoa(status) + " " + http.StatusText(status)
			if status != http.StatusNotFound && status != http.StatusGone {
				res.Failed = append(res.Failed, Failure{llmsURL, res.Note})
			}
		}
		var ts []target
		seen := map[string]bool{}
		for _, raw := range s.cfg.Fallback {
			u, ok := s.sameSite(raw)
			if !ok {
				res.Ignored = append(res.Ignored, raw)
				continue
			}
			if !seen[u] {
				seen[u] = true
				ts = append(ts, target{url: u})
			}
		}
		return ts, ""
	}
	res.Source = manifest.SourceLLMS
	sum := sha256.Sum256(body)
	var ts []target
	seen := map[string]bool{}
	for _, link := range l.Links {
		u, ok := s.sameSite(link.URL)
		if !ok {
			res.Ignored = append(res.Ignored, link.URL)
			continue
		}
		if !seen[u] {
			seen[u] = true
			ts = append(ts, target{url: u, title: link.Title, section: link.Section})
		}
	}
	return ts, hex.EncodeToString(sum[:])
}

// sameSite resolves raw against the site and reports whether it is on the site's host.
func (s *scraper) sameSite(raw string) (string, bool) {
	ref, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return "", false
	}
	u := s.cfg.Site.ResolveReference(ref)
	if (u.Scheme != "http" && u.Scheme != "https") || !strings.EqualFold(u.Host, s.cfg.Site.Host) {
		return "", false
	}
	u.Fragment = ""
	return u.String(), true
}

// fetchPage fetches one page, conditionally when the last run saved it.
func (s *scraper) fetchPage(ctx context.Context, t target, prev *manifest.Entry) (outcome, manifest.Entry, string) {
	e := manifest.Entry{URL: t.url, Title: t.title, Section: t.section, Status: manifest.StatusOK, CheckedAt: s.now}
	file := t.file
	if prev != nil {
		e.Title = cmp.Or(e.Title, prev.Title)
		e.Section = cmp.Or(e.Section, prev.Section)
	}
	saved := prev != nil && prev.SHA256 != "" && fileExists(filepath.Join(s.cfg.OutDir, file))
	keep := func() manifest.Entry { // the last good copy, as it was
		k := *prev
		k.CheckedAt = s.now
		return k
	}
	hdr := http.Header{}
	if saved {
		if prev.ETag != "" {
			hdr.Set("If-None-Match", prev.ETag)
		}
		if prev.LastModified != "" {
			hdr.Set("If-Modified-Since", prev.LastModified)
		}
	}
	body, status, respHdr, err := s.get(ctx, t.url, hdr)
	switch {
	case err != nil:
		if prev != nil {
			return outFailed, keep(), err.Error()
		}
		return outFailed, e, err.Error()
	case status == http.StatusNotModified && saved:
		return outUnchanged, keep(), ""
	case status == http.StatusNotFound || status == http.StatusGone:
		g := e
		if prev != nil {
			g = keep()
		}
		g.Status = manifest.StatusGone
		return outGone, g, fmt.Sprintf("%d %s (recorded as gone)", status, http.StatusText(status))
	case status != http.StatusOK:
		why := fmt.Sprintf("answered %d %s", status, http.StatusText(status))
		if prev != nil {
			return outFailed, keep(), why
		}
		return outFailed, e, why
	}
	sum := sha256.Sum256(body)
	e.SHA256 = hex.EncodeToString(sum[:])
	e.ETag = respHdr.Get("ETag")
	e.LastModified = respHdr.Get("Last-Modified")
	e.File = file
	if e.Title == "" {
		if p, err := apidog.ParseMarkdown(body); err == nil {
			e.Title = p.Title
		}
	}
	if saved && prev.SHA256 == e.SHA256 {
		e.FetchedAt = prev.FetchedAt // same content: the file is not rewritten
		return outUnchanged, e, ""
	}
	if err := manifest.WriteFileAtomic(filepath.Join(s.cfg.OutDir, file), body); err != nil {
		if prev != nil {
			return outFailed, keep(), "saving: " + err.Error()
		}
		return outFailed, manifest.Entry{URL: t.url, Status: manifest.StatusOK, CheckedAt: s.now}, "saving: " + err.Error()
	}
	e.FetchedAt = s.now
	if prev != nil && prev.SHA256 != "" {
		return outChanged, e, ""
	}
	return outNew, e, ""
}

var reUnsafe = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// assignFiles gives every target its file: the one the last run saved it as, else its
// flattened URL (fileName). A name another page of this run or of the manifest already has
// ("/a/b.md" and "/a_b.md" both flatten to a_b.md) gets the URL's hash instead, so no page
// overwrites another's file, and dropping a page no longer listed never deletes a page saved
// in this run.
func assignFiles(targets []target, old *manifest.Manifest) {
	taken := map[string]string{} // file -> URL
	for _, e := range old.Pages {
		if e.File != "" {
			if _, ok := taken[e.File]; !ok {
				taken[e.File] = e.URL
			}
		}
	}
	for i := range targets {
		t := &targets[i]
		if prev := old.Entry(t.url); prev != nil && prev.File != "" && taken[prev.File] == t.url {
			t.file = prev.File
			continue
		}
		name := fileName(t.url, false)
		for n := 0; ; n++ {
			if u, ok := taken[name]; !ok || u == t.url {
				break
			}
			name = fileName(t.url+strings.Repeat("#", n), true)
		}
		taken[name] = t.url
		t.file = name
	}
}

// fileName is the saved name of a page: its URL path flattened ("/api-1.md" -> "api-1.md"),
// with a short hash of the URL when flattening would lose anything, or when hashed is set.
func fileName(u string, hashed bool) string {
	p, _ := url.Parse(u)
	name := strings.Trim(p.Path, "/")
	name = reUnsafe.ReplaceAllString(strings.ReplaceAll(name, "/", "_"), "_")
	name = strings.TrimSuffix(name, ".md")
	if hashed || name == "" || strings.HasPrefix(name, ".") || p.RawQuery != "" || len(name) > 100 || name == "manifest" || name == "llms" {
		sum := sha256.Sum256([]byte(u))
		name = strings.TrimLeft(name, ".")
		if len(name) > 80 {
			name = name[:80]
		}
		name = strings.TrimSuffix(name+"-"+hex.EncodeToString(sum[:4]), "-")
	}
	return name + ".md"
}

// get sends one GET (retried by the client) and reads at most MaxBytes of the body.
func (s *scraper) get(ctx context.Context, u string, hdr http.Header) ([]byte, int, http.Header, error) {
	req, err := retryablehttp.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, 0, nil, err
	}
	for k, v := range hdr {
		req.Header[k] = v
	}
	req.Header.Set("Accept", "text/markdown, text/plain;q=0.9, */*;q=0.1")
	if s.cfg.UserAgent != "" {
		req.Header.Set("User-Agent", s.cfg.UserAgent)
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return nil, 0, nil, describe(err, s.cfg.Retries+1)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, s.cfg.MaxBytes+1))
	if err != nil {
		return nil, resp.StatusCode, nil, fmt.Errorf("reading the body: %w", describe(err, 1))
	}
	if int64(len(body)) > s.cfg.MaxBytes {
		return nil, resp.StatusCode, nil, fmt.Errorf("page larger than the %d-byte limit", s.cfg.MaxBytes)
	}
	if resp.StatusCode >= 300 && resp.StatusCode < 400 && resp.StatusCode != http.StatusNotModified {
		// A redirect CheckRedirect refused, or one without a usable Location.
		loc, err := resp.Location()
		if err != nil {
			return nil, resp.StatusCode, nil, fmt.Errorf("answered %d %s without a usable Location", resp.StatusCode, http.StatusText(resp.StatusCode))
		}
		return nil, resp.StatusCode, nil, fmt.Errorf("answered %d %s: a redirect to another host (%s://%s) is not followed", resp.StatusCode, http.StatusText(resp.StatusCode), loc.Scheme, loc.Host)
	}
	if resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests {
		return nil, resp.StatusCode, nil, fmt.Errorf("answered %d %s after %d attempt(s)", resp.StatusCode, http.StatusText(resp.StatusCode), s.cfg.Retries+1)
	}
	return body, resp.StatusCode, resp.Header, nil
}

// describe shortens a client error: the URL is already in the report.
func describe(err error, attempts int) error {
	if errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("timed out (%d attempt(s))", attempts)
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		if ue.Timeout() {
			return fmt.Errorf("timed out (%d attempt(s))", attempts)
		}
		return fmt.Errorf("%w (%d attempt(s))", ue.Err, attempts)
	}
	return err
}

// newClient is go-retryablehttp used as designed: one client, its retry policy (429, 5xx
// except 501, network errors) and a Backoff that honours Retry-After on 429 and every 5xx,
// capped at RetryWaitMax. The transport under it counts and paces every attempt.
func (s *scraper) newClient() *retryablehttp.Client {
	base := s.cfg.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	limiter := rate.NewLimiter(s.cfg.Rate, max(s.cfg.Burst, 1))
	c := retryablehttp.NewClient()
	// The per-attempt timeout lives in the transport, after the limiter's wait, so that time
	// spent queueing for the rate limit is not counted against a request.
	c.HTTPClient = &http.Client{
		Transport: &pacedTransport{base: base, limiter: limiter, count: &s.requests, timeout: s.cfg.Timeout},
		// A redirect is a link: one to another host is not followed (get reports it), and
		// http.Client's limit of 10 ends a loop.
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if !strings.EqualFold(req.URL.Host, s.cfg.Site.Host) || (req.URL.Scheme != "http" && req.URL.Scheme != "https") {
				return http.ErrUseLastResponse
			}
			if len(via) >= 10 {
				return errors.New("stopped after 10 redirects")
			}
			return nil
		},
	}
	c.Logger = nil
	c.RetryMax = s.cfg.Retries
	c.RetryWaitMin = s.cfg.RetryWaitMin
	c.RetryWaitMax = s.cfg.RetryWaitMax
	c.Backoff = Backoff
	c.ErrorHandler = retryablehttp.PassthroughErrorHandler
	return c
}

// Backoff is retryablehttp.DefaultBackoff, except that a Retry-After on any 5xx (not just
// 503) is honoured too; a Retry-After longer than max is cut to max.
func Backoff(minWait, maxWait time.Duration, attempt int, resp *http.Response) time.Duration {
	if resp != nil && (resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500) {
		if d, ok := retryAfter(resp.Header.Get("Retry-After")); ok {
			return min(d, maxWait)
		}
	}
	return retryablehttp.DefaultBackoff(minWait, maxWait, attempt, nil)
}

// retryAfter reads a Retry-After of delay-seconds (HTTP dates are rare for docs sites and
// need a clock; they fall back to the exponential backoff).
func retryAfter(v string) (time.Duration, bool) {
	n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	if err != nil || n < 0 || n > math.MaxInt32 {
		return 0, false
	}
	return time.Duration(n) * time.Second, true
}

// pacedTransport waits for the rate limiter before each attempt, counts it, and bounds it
// (headers and body) by the per-request timeout.
type pacedTransport struct {
	base    http.RoundTripper
	limiter *rate.Limiter
	count   *atomic.Int64
	timeout time.Duration
}

func (t *pacedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if err := t.limiter.Wait(req.Context()); err != nil {
		return nil, err
	}
	t.count.Add(1)
	if t.timeout <= 0 {
		return t.base.RoundTrip(req)
	}
	ctx, cancel := context.WithTimeout(req.Context(), t.timeout)
	resp, err := t.base.RoundTrip(req.WithContext(ctx))
	if err != nil {
		cancel()
		return nil, err
	}
	resp.Body = &cancelOnClose{ReadCloser: resp.Body, cancel: cancel}
	return resp, nil
}

type cancelOnClose struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (b *cancelOnClose) Close() error {
	err := b.ReadCloser.Close()
	b.cancel()
	return err
}

func fileExists(name string) bool {
	st, err := os.Stat(name)
	return err == nil && st.Mode().IsRegular()
}

func cmpInt(a, b int) int {
	if a > 0 {
		return a
	}
	return b
}
