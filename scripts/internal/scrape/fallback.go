package scrape

import (
	"fmt"
	"net/url"
	"os"
	"regexp"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// DocsHost is the published docs site's host; its URLs in the spec are rebased onto the site
// being scraped.
const DocsHost = "developer.gofive.co.th"

var reURL = regexp.MustCompile(`https?://[^\s'"<>)\]]+`)

// FallbackURLs lists the page twins to fetch without llms.txt: every externalDocs URL of the
// spec and every docs URL in the coverage manifest, on the docs host, rebased onto site, with
// .md appended.
func FallbackURLs(site *url.URL, specFile, coverageFile string) ([]string, error) {
	var raws []string
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromFile(specFile)
	if err != nil {
		return nil, fmt.Errorf("reading the spec for fallback URLs: %w", err)
	}
	if doc.ExternalDocs != nil {
		raws = append(raws, doc.ExternalDocs.URL)
	}
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			if op.ExternalDocs != nil {
				raws = append(raws, op.ExternalDocs.URL)
			}
		}
	}
	if coverageFile != "" {
		b, err := os.ReadFile(coverageFile)
		if err != nil {
			return nil, fmt.Errorf("reading the coverage manifest for fallback URLs: %w", err)
		}
		raws = append(raws, reURL.FindAllString(string(b), -1)...)
	}
	seen := map[string]bool{}
	var out []string
	for _, raw := range raws {
		u, err := url.Parse(strings.TrimRight(raw, ".,;:"))
		if err != nil || (!strings.EqualFold(u.Host, DocsHost) && !strings.EqualFold(u.Host, site.Host)) {
			continue
		}
		p := strings.TrimSuffix(u.Path, "/")
		if p == "" || strings.HasSuffix(p, "/llms.txt") {
			continue
		}
		if !strings.HasSuffix(p, ".md") {
			p += ".md"
		}
		r := *site
		r.Path = strings.TrimSuffix(site.Path, "/") + p
		r.RawQuery, r.Fragment = "", ""
		if s := r.String(); !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out, nil
}
