// Package manifest is the record make scrape keeps beside the pages it saves
// (spec/scraped/manifest.json): which pages the site listed, what each answered, and the
// validators (ETag, Last-Modified, sha256) that make the next run conditional. make drift and
// make propose read it to name pages by URL and to tell which pages disappeared.
package manifest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Name is the manifest's file name in the output directory.
const Name = "manifest.json"

// Sources of the page list.
const (
	SourceLLMS     = "llms.txt"
	SourceFallback = "fallback" // spec externalDocs and coverage.yaml URLs, with .md appended
)

// Page states in the manifest.
const (
	StatusOK   = "ok"
	StatusGone = "gone" // the page answered 404 or 410; its last copy, if any, is kept
)

// Manifest records what the last scrape fetched, so that the next is conditional and drift
// knows which pages disappeared.
type Manifest struct {
	Site string `json:"site"`
	// Source is where the page list came from: SourceLLMS or SourceFallback.
	Source string `json:"source"`
	// FetchedAt is when the run that wrote the manifest started (RFC 3339, UTC).
	FetchedAt string `json:"fetchedAt"`
	// LLMSSHA256 is the checksum of llms.txt when Source is SourceLLMS.
	LLMSSHA256 string  `json:"llmsSha256,omitempty"`
	Pages      []Entry `json:"pages"`
}

// Entry is one page.
type Entry struct {
	URL          string `json:"url"`
	File         string `json:"file,omitempty"` // in the output directory; empty while never fetched
	Title        string `json:"title,omitempty"`
	Section      string `json:"section,omitempty"` // the llms.txt navigation section
	Status       string `json:"status"`
	FetchedAt    string `json:"fetchedAt,omitempty"` // when the saved copy was fetched
	CheckedAt    string `json:"checkedAt,omitempty"` // when the page was last asked for
	SHA256       string `json:"sha256,omitempty"`
	ETag         string `json:"etag,omitempty"`
	LastModified string `json:"lastModified,omitempty"`
}

// Read reads dir's manifest; a missing one is an empty manifest (Source "").
func Read(dir string) (*Manifest, error) {
	b, err := os.ReadFile(filepath.Join(dir, Name))
	if errors.Is(err, fs.ErrNotExist) {
		return &Manifest{}, nil
	}
	if err != nil {
		return nil, err
	}
	var m Manifest
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, Name), err)
	}
	for _, e := range m.Pages {
		if e.File != "" && (e.File != filepath.Base(e.File) || !strings.HasSuffix(e.File, ".md")) {
			return nil, fmt.Errorf("%s: page file %q must be a plain *.md name", Name, e.File)
		}
	}
	return &m, nil
}

// Entry returns the entry for url, or nil.
func (m *Manifest) Entry(url string) *Entry {
	for i := range m.Pages {
		if m.Pages[i].URL == url {
			return &m.Pages[i]
		}
	}
	return nil
}

// Write writes the manifest (pages sorted by URL) atomically.
func (m *Manifest) Write(dir string) error {
	slices.SortFunc(m.Pages, func(a, b Entry) int { return strings.Compare(a.URL, b.URL) })
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	return WriteFileAtomic(filepath.Join(dir, Name), append(b, '\n'))
}

// WriteFileAtomic writes b to a temporary file beside name and renames it, so that a failed
// write never leaves half a file.
func WriteFileAtomic(name string, b []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), name)
}
