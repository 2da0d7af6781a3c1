package scrape

import (
	"context"
	"fmt"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/gofive-go/gofive/scripts/internal/docsite"
)

// benchSite is a 100-page fixture site: the spec's endpoint pages and documentation pages,
// padded to 100 with SYNTHETIC copies of endpoint pages under other paths.
func benchSite(b *testing.B) (*docsite.Site, *url.URL) {
	b.Helper()
	site, err := docsite.Build(loadSpec(b))
	if err != nil {
		b.Fatal(err)
	}
	n := len(site.Pages)
	for i := 0; len(site.Pages) < 100; i++ {
		src := site.Pages[i%n]
		site.Pages = append(site.Pages, &docsite.Page{
			Path: fmt.Sprintf("/api-bench-%03d.md", i), Title: src.Title + " (copy)", Section: "Bench", Body: src.Body,
		})
	}
	srv := httptest.NewServer(site)
	b.Cleanup(srv.Close)
	u, _ := url.Parse(srv.URL)
	return site, u
}

// benchConfig: the production shape (4 requests in flight, conditional requests, size and
// time limits) with the rate limit lifted, so that the figure is the tool's own cost. With the
// default 4 requests/s, a 100-page sync (101 requests) takes at least 25 s by design.
func benchConfig(site *url.URL, out string) Config {
	c := config(site, nil, out) // real loopback: the figure is real time
	c.Rate = rate.Inf
	c.Timeout = 30 * time.Second
	c.MaxBytes = 4 << 20
	return c
}

// BenchmarkSync100Pages: a first sync of a 100-page site into an empty directory.
func BenchmarkSync100Pages(b *testing.B) {
	site, base := benchSite(b)
	var requests int64
	for b.Loop() {
		b.StopTimer()
		out := b.TempDir()
		before := site.Requests()
		b.StartTimer()
		res, err := Run(context.Background(), benchConfig(base, out))
		if err != nil || !res.OK() || len(res.New) != 100 {
			b.Fatalf("sync: %v %+v", err, res)
		}
		requests = site.Requests() - before
	}
	b.ReportMetric(float64(requests), "requests/op")
	b.ReportMetric(100, "pages/op")
}

// BenchmarkResync100PagesUnchanged: a second sync of the same, unchanged site: every page is
// asked for with If-None-Match and answers 304; nothing is written but the manifest.
func BenchmarkResync100PagesUnchanged(b *testing.B) {
	site, base := benchSite(b)
	out := b.TempDir()
	if res, err := Run(context.Background(), benchConfig(base, out)); err != nil || !res.OK() {
		b.Fatalf("first sync: %v", err)
	}
	var requests int64
	for b.Loop() {
		before := site.Requests()
		res, err := Run(context.Background(), benchConfig(base, out))
		if err != nil || !res.OK() || len(res.Unchanged) != 100 {
			b.Fatalf("re-sync: %v %+v", err, res)
		}
		requests = site.Requests() - before
	}
	b.ReportMetric(float64(requests), "requests/op")
	b.ReportMetric(100, "pages/op")
}
