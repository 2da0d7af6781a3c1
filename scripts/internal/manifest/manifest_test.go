package manifest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadWrite(t *testing.T) {
	dir := t.TempDir()
	if m, err := Read(dir); err != nil || m.Source != "" || len(m.Pages) != 0 {
		t.Fatalf("a missing manifest: %+v, %v; want an empty one", m, err)
	}
	m := &Manifest{Site: "http://127.0.0.1", Source: SourceLLMS, Pages: []Entry{
		{URL: "http://127.0.0.1/b.md", File: "b.md", Status: StatusOK},
		{URL: "http://127.0.0.1/a.md", File: "a.md", Status: StatusGone},
	}}
	if err := m.Write(dir); err != nil {
		t.Fatal(err)
	}
	got, err := Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Pages) != 2 || got.Pages[0].File != "a.md" || got.Entry("http://127.0.0.1/b.md") == nil || got.Entry("x") != nil {
		t.Errorf("round trip: %+v", got)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("%d files, want only the manifest (no temporary files)", len(entries))
	}
}

func TestReadRejects(t *testing.T) {
	for name, text := range map[string]string{
		"path in file":  `{"pages":[{"url":"u","file":"../../spec/openapi.yaml","status":"ok"}]}`,
		"not markdown":  `{"pages":[{"url":"u","file":"openapi.yaml","status":"ok"}]}`,
		"unknown field": `{"pages":[],"extra":1}`,
		"not json":      `pages: []`,
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, Name), []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
			if _, err := Read(dir); err == nil || !strings.Contains(err.Error(), Name) {
				t.Errorf("Read = %v, want an error naming %s", err, Name)
			}
		})
	}
}
