package scrape

import (
	"bufio"
	"context"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/gofive-go/gofive/api/gofivetest/memnet"
	"github.com/gofive-go/gofive/scripts/internal/manifest"
)

// hostileSite serves a SYNTHETIC llms.txt linking the given paths, and pages from pages
// (path -> handler); every other page answers a small Markdown page.
func hostileSite(t *testing.T, links []string, pages map[string]http.HandlerFunc) *url.URL {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/llms.txt" {
			var b strings.Builder
			b.WriteString("# Site\n\n## Docs\n\n")
			for i, l := range links {
				fmt.Fprintf(&b, "- [Page %d](%s): synthetic\n", i, l)
			}
			fmt.Fprint(w, b.String())
			return
		}
		if h, ok := pages[r.URL.Path]; ok {
			h(w, r)
			return
		}
		fmt.Fprintf(w, "# %s\n\nSYNTHETIC page.\n", r.URL.Path)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	u, _ := url.Parse(srv.URL)
	return u
}

// filesUnder lists every file under root, relative to it.
func filesUnder(t *testing.T, root string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(root, p)
			out = append(out, rel)
		}
		return nil
	})
	return out
}

// A page on the site that redirects to another host is not fetched from there: links to
// other hosts are ignored, and a redirect is a link.
func TestRedirectToOtherHostIsNotFollowed(t *testing.T) {
	var otherHits int
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		otherHits++
		fmt.Fprint(w, "# Other host\n\nSYNTHETIC content from another host.\n")
	}))
	defer other.Close()
	site := hostileSite(t, []string{"/api-1.md", "/api-2.md"}, map[string]http.HandlerFunc{
		"/api-1.md": func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, other.URL+"/secret.md", http.StatusFound)
		},
		"/api-2.md": func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "/api-2-moved.md", http.StatusMovedPermanently) // same host: fine
		},
	})
	out := t.TempDir()
	res, err := Run(context.Background(), config(site, nil, out))
	if err != nil {
		t.Fatal(err)
	}
	if otherHits != 0 {
		t.Errorf("the other host was asked %d time(s)", otherHits)
	}
	failed := failedURLs(res)
	if why, ok := failed["/api-1.md"]; !ok || !strings.Contains(why, "a redirect to another host (http://"+strings.TrimPrefix(other.URL, "http://")+")") {
		t.Errorf("the page redirected to another host is not a failure naming it: %+v", res)
	}
	if _, ok := failed["/api-2.md"]; ok {
		t.Errorf("a same-host redirect failed: %s", failed["/api-2.md"])
	}
	if b, err := os.ReadFile(filepath.Join(out, "api-1.md")); err == nil {
		t.Errorf("saved the other host's page: %q", b)
	}
}

// Two page URLs that flatten to the same name are saved to two files: neither overwrites the
// other.
func TestFlattenedNamesDoNotCollide(t *testing.T) {
	site := hostileSite(t, []string{"/a/b.md", "/a_b.md", "/a%2Fb.md"}, nil)
	out := t.TempDir()
	res, err := Run(context.Background(), config(site, nil, out))
	if err != nil {
		t.Fatal(err)
	}
	if !res.OK() || len(res.New) != 3 {
		t.Fatalf("want 3 new pages: %s", res.Summary())
	}
	files := map[string]string{}
	m, err := manifest.Read(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range m.Pages {
		if prev, ok := files[e.File]; ok {
			t.Errorf("%s and %s are both saved as %s", prev, e.URL, e.File)
		}
		files[e.File] = e.URL
	}
}

// Page URLs with dot segments, encoded slashes or backslashes never write outside the
// output directory.
func TestHostileLinksStayInOutDir(t *testing.T) {
	links := []string{
		"/../../../../tmp/evil.md", "/..%2F..%2Fevil.md", "/%2e%2e/%2e%2e/evil.md",
		`/..\..\evil.md`, "/.md", "/..md", "/manifest.json.md", "/" + strings.Repeat("x", 400) + ".md",
		"/a/../../manifest.md", "/llms.md",
	}
	site := hostileSite(t, links, nil)
	root := t.TempDir()
	out := filepath.Join(root, "out")
	if _, err := Run(context.Background(), config(site, nil, out)); err != nil {
		t.Fatal(err)
	}
	for _, f := range filesUnder(t, root) {
		if !strings.HasPrefix(f, "out"+string(filepath.Separator)) || strings.Count(f, string(filepath.Separator)) != 1 {
			t.Errorf("wrote %s outside the output directory", f)
		}
		if f == filepath.Join("out", "manifest.json") {
			continue
		}
		if !strings.HasSuffix(f, ".md") {
			t.Errorf("wrote %s, not a page", f)
		}
	}
}

// A page no longer listed is dropped with its file; a page of this run whose flattened name is
// that file's keeps its own copy.
func TestDroppedPageDoesNotDeleteANewOne(t *testing.T) {
	links := []string{"/a_b.md"}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/llms.txt" {
			fmt.Fprintf(w, "# Site\n\n## Docs\n\n- [Page](%s): synthetic\n", links[0])
			return
		}
		fmt.Fprintf(w, "# %s\n\nSYNTHETIC page.\n", r.URL.Path)
	}))
	defer srv.Close()
	site, _ := url.Parse(srv.URL)
	out := t.TempDir()
	if res, err := Run(context.Background(), config(site, nil, out)); err != nil || !res.OK() {
		t.Fatalf("first run: %v %+v", err, res)
	}
	links[0] = "/a/b.md"
	res, err := Run(context.Background(), config(site, nil, out))
	if err != nil || !res.OK() || len(res.Removed) != 1 || len(res.New) != 1 {
		t.Fatalf("second run: %v %+v", err, res)
	}
	m, err := manifest.Read(out)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Pages) != 1 {
		t.Fatalf("manifest: %+v", m.Pages)
	}
	b, err := os.ReadFile(filepath.Join(out, m.Pages[0].File))
	if err != nil || !strings.Contains(string(b), "/a/b.md") {
		t.Errorf("the new page's file %s: %q, %v", m.Pages[0].File, b, err)
	}
}

// The summary printed on a terminal carries none of the control characters a site puts in its
// status line (here an OSC title change and a screen clear).
func TestSummaryEscapesControlCharacters(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				r := bufio.NewReader(c)
				for {
					l, err := r.ReadString('\n')
					if err != nil || l == "\r\n" {
						break
					}
				}
				fmt.Fprint(c, "HTTP/1.1 503 \x1b]0;pwned\x07\x1b[2J\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
			}()
		}
	}()
	u, _ := url.Parse("http://" + ln.Addr().String())
	res, err := Run(context.Background(), config(u, nil, t.TempDir()))
	if err != nil {
		t.Fatal(err)
	}
	sum := res.Summary()
	if res.OK() || !strings.Contains(sum, "503") {
		t.Fatalf("want the 503 reported: %s", sum)
	}
	if i := strings.IndexFunc(sum, func(r rune) bool { return r != '\n' && (r < 0x20 || r == 0x7f) }); i >= 0 {
		t.Errorf("summary has a control character at %d: %q", i, sum)
	}
}

// An llms.txt that lists no page of the site (a maintenance page served as llms.txt) does not
// delete the saved pages: the run fails and keeps them.
func TestEmptyLLMSRemovesNothing(t *testing.T) {
	index := "# Site\n\n## Docs\n\n- [Page](/api-1.md): synthetic\n"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/llms.txt" {
			fmt.Fprint(w, index)
			return
		}
		fmt.Fprintf(w, "# %s\n\nSYNTHETIC page.\n", r.URL.Path)
	}))
	defer srv.Close()
	site, _ := url.Parse(srv.URL)
	out := t.TempDir()
	if res, err := Run(context.Background(), config(site, nil, out)); err != nil || !res.OK() {
		t.Fatalf("first run: %v %+v", err, res)
	}
	index = "# Site\n\nDown for maintenance.\n"
	res, err := Run(context.Background(), config(site, nil, out))
	if err != nil {
		t.Fatal(err)
	}
	if res.OK() || len(res.Removed) != 0 {
		t.Errorf("want a failure and nothing removed: %s", res.Summary())
	}
	if _, err := os.Stat(filepath.Join(out, "api-1.md")); err != nil {
		t.Errorf("the saved page is gone: %v", err)
	}
	if m, err := manifest.Read(out); err != nil || len(m.Pages) != 1 {
		t.Errorf("manifest: %v %+v", err, m)
	}
}

// A site that never answers holds the run no longer than MaxTime (on the bubble's clock): the
// pages are failures and the manifest is written. Without the bound, 20 such pages at 4 at a
// time, 2 attempts of 1 h each, held it for 10 h.
func TestMaxTimeBoundsTheRun(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var links strings.Builder
		links.WriteString("# Site\n\n## Docs\n\n")
		for i := range 20 {
			fmt.Fprintf(&links, "- [Page %d](/api-%d.md): synthetic\n", i, i)
		}
		u, tr := memnet.Serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/llms.txt" {
				fmt.Fprint(w, links.String())
				return
			}
			<-r.Context().Done() // never answers
		}))
		site, _ := url.Parse(u)
		cfg := config(site, nil, t.TempDir())
		cfg.Transport, cfg.Timeout, cfg.MaxTime = tr, time.Hour, time.Minute
		start := time.Now()
		res, err := Run(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		if took := time.Since(start); took > cfg.MaxTime+time.Second {
			t.Errorf("the run took %v, beyond MaxTime %v", took, cfg.MaxTime)
		}
		if len(res.Failed) != 20 {
			t.Errorf("want the 20 pages failed: %s", res.Summary())
		}
		if m, err := manifest.Read(cfg.OutDir); err != nil || len(m.Pages) != 20 {
			t.Errorf("manifest: %v %+v", err, m)
		}
	})
}
