package apidog

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParse checks that Parse never panics and that what it returns hangs
// together. The seed corpus is the five scraped pages.
func FuzzParse(f *testing.F) {
	names, err := filepath.Glob(filepath.Join(seedDir, "*.txt"))
	if err != nil || len(names) == 0 {
		f.Fatalf("no seed pages in %s: %v", seedDir, err)
	}
	for _, name := range names {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("T\nGET\nhttps://x\nResponses\n\U0001F7E2200OK\nExample\n{\"a\": [1, // c\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := Parse(bytes.NewReader(b))
		if err != nil {
			if p != nil {
				t.Fatalf("Parse returned a page with error %v", err)
			}
			if !errors.Is(err, ErrNotApidog) {
				t.Fatalf("unexpected error kind: %v", err)
			}
			return
		}
		if p.HasOperation() != (p.URL != "") {
			t.Fatalf("method %q but URL %q", p.Method, p.URL)
		}
		if p.HasOperation() && !strings.HasPrefix(p.Path, "/") {
			t.Fatalf("Path %q does not start with /", p.Path)
		}
		var fields []Field
		if p.Body != nil {
			fields = append(fields, p.Body.Fields...)
			checkExample(t, p.Body.Example)
		}
		for _, r := range p.Responses {
			if r.Status < 100 || r.Status > 599 {
				t.Fatalf("status %d", r.Status)
			}
			fields = append(fields, r.Fields...)
			checkExample(t, r.Example)
		}
		for _, f := range fields {
			if f.Name == "" || !strings.HasSuffix(f.Path, f.Name) || f.Type == "" {
				t.Fatalf("malformed field %+v", f)
			}
		}
	})
}

func checkExample(t *testing.T, ex *Example) {
	t.Helper()
	if ex == nil {
		return
	}
	if ex.Valid == (ex.Err != "") {
		t.Fatalf("example valid=%v with error %q", ex.Valid, ex.Err)
	}
	if !ex.Valid && ex.Value != nil {
		t.Fatalf("invalid example with a value: %+v", ex)
	}
}
