package apidog

import (
	"errors"
	"os"
	"strings"
	"testing"
)

// FuzzParseMarkdown checks that reading a Markdown twin (ParseMarkdown, then LoadOpenAPI on
// its block) never panics, fails only with ErrMalformed, and returns operations that hang
// together. The seed corpus is the synthetic quirks page and a few edge cases.
func FuzzParseMarkdown(f *testing.F) {
	b, err := os.ReadFile("testdata/markdown/quirks.md")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Add([]byte("# T\n\n## OpenAPI Specification\n\n```yaml\nopenapi: 3.0.1\npaths:\n  /x: {get: {responses: {200: {description: ''}}}}\n```\n"))
	f.Add([]byte("# T\n~~~~\n```\n~~~~\n```yaml\nopenapi: 3.1.0\npaths: {}\n"))
	f.Add([]byte("```yaml\nopenapi: 3.0.1\npaths: {/a: {post: {requestBody: {content: {application/json: {schema: {type: [string, 'null'], examples: [a]}, example: '[1,2]'}}}}}}\n```"))
	f.Add([]byte("openapi: &a [*a]\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := ParseMarkdown(b)
		if err != nil {
			if p != nil || !errors.Is(err, ErrMalformed) {
				t.Fatalf("ParseMarkdown = %v, %v", p, err)
			}
			return
		}
		if strings.Contains(p.Title, "\n") {
			t.Fatalf("title spans lines: %q", p.Title)
		}
		if !p.HasOpenAPI() {
			return
		}
		if p.OpenAPILine < 1 {
			t.Fatalf("OpenAPILine %d", p.OpenAPILine)
		}
		doc, err := LoadOpenAPI(p.OpenAPI)
		if err != nil {
			if doc != nil || !errors.Is(err, ErrMalformed) {
				t.Fatalf("LoadOpenAPI = %v, %v", doc, err)
			}
			return
		}
		for _, op := range Operations(doc) {
			if op.Op == nil || op.Method == "" || op.Method != strings.ToUpper(op.Method) {
				t.Fatalf("malformed operation %+v", op)
			}
		}
	})
}

// FuzzParseLLMS checks that ParseLLMS never panics and that every link it returns has a URL
// without spaces and a section that is one line.
func FuzzParseLLMS(f *testing.F) {
	f.Add([]byte("# Site\n> s\n## A\n- [t](https://x/y.md): n\n- [u](/z.md)\n"))
	f.Add([]byte("- [](<a>)\n## \n# \n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		l, err := ParseLLMS(b)
		if err != nil {
			if l != nil {
				t.Fatal("ParseLLMS returned a value with its error")
			}
			return
		}
		for _, k := range l.Links {
			if k.URL == "" || strings.ContainsAny(k.URL, " \t\r\n") || strings.Contains(k.Section, "\n") {
				t.Fatalf("malformed link %+v", k)
			}
		}
	})
}
