package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// AllowEntry excuses one finding: a deliberate difference between the docs
// and the spec. Page (the page's file name) may be empty to match the
// operation on any page; Field must equal the finding's field (empty for
// operation-level kinds). Reason is required.
type AllowEntry struct {
	Page   string `yaml:"page,omitempty" json:"page,omitempty"`
	Method string `yaml:"method" json:"method"`
	Path   string `yaml:"path" json:"path"`
	Kind   Kind   `yaml:"kind" json:"kind"`
	Field  string `yaml:"field,omitempty" json:"field,omitempty"`
	Reason string `yaml:"reason" json:"reason"`

	line int // in the allowlist file, for messages
}

// Matches reports whether e excuses f.
func (e AllowEntry) Matches(f Finding) bool {
	return (e.Page == "" || e.Page == f.Page) &&
		strings.EqualFold(e.Method, f.Method) &&
		e.Path == f.Path && e.Kind == f.Kind && e.Field == f.Field
}

// ApplyAllow drops the findings an entry matches and adds a [StaleAllow]
// finding for every entry that matches none.
func ApplyAllow(findings []Finding, allow []AllowEntry) []Finding {
	used := make([]bool, len(allow))
	out := []Finding{}
	for _, f := range findings {
		excused := false
		for i, e := range allow {
			if e.Matches(f) {
				used[i], excused = true, true
			}
		}
		if !excused {
			out = append(out, f)
		}
	}
	for i, e := range allow {
		if used[i] {
			continue
		}
		where := ""
		if e.line > 0 {
			where = fmt.Sprintf(" (allowlist line %d)", e.line)
		}
		out = append(out, Finding{
			Page: e.Page, Method: strings.ToUpper(e.Method), Path: e.Path, Kind: StaleAllow, Field: e.Field,
			Detail: fmt.Sprintf("entry for %s matches no finding%s; its reason was: %s", e.Kind, where, e.Reason),
		})
	}
	sortFindings(out)
	return out
}

var allowKeys = []string{"page", "method", "path", "kind", "field", "reason"}

// LoadAllow reads an allowlist file: a YAML sequence of entries.
func LoadAllow(name string) ([]AllowEntry, error) {
	b, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	entries, err := ParseAllow(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return entries, nil
}

// ParseAllow parses allowlist YAML and checks every entry: known keys and
// kind, method, path and a reason present.
func ParseAllow(b []byte) ([]AllowEntry, error) {
	var root yaml.Node
	if err := yaml.NewDecoder(bytes.NewReader(b)).Decode(&root); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil
		}
		return nil, err
	}
	doc := &root
	if doc.Kind == yaml.DocumentNode && len(doc.Content) > 0 {
		doc = doc.Content[0]
	}
	if doc.Kind == yaml.ScalarNode && doc.Tag == "!!null" {
		return nil, nil
	}
	if doc.Kind != yaml.SequenceNode {
		return nil, fmt.Errorf("line %d: the allowlist must be a YAML sequence of entries", doc.Line)
	}
	var out []AllowEntry
	var errs []error
	for i, n := range doc.Content {
		if n.Kind != yaml.MappingNode {
			errs = append(errs, fmt.Errorf("line %d: entry %d is not a mapping", n.Line, i+1))
			continue
		}
		bad := false
		for k := 0; k+1 < len(n.Content); k += 2 {
			if key := n.Content[k].Value; !slices.Contains(allowKeys, key) {
				errs = append(errs, fmt.Errorf("line %d: unknown key %q (want one of %s)", n.Content[k].Line, key, strings.Join(allowKeys, ", ")))
				bad = true
			}
		}
		var e AllowEntry
		if err := n.Decode(&e); err != nil {
			errs = append(errs, fmt.Errorf("line %d: %w", n.Line, err))
			continue
		}
		e.line = n.Line
		var missing []string
		for _, f := range []struct{ name, value string }{
			{"method", e.Method}, {"path", e.Path}, {"kind", string(e.Kind)}, {"reason", e.Reason},
		} {
			if strings.TrimSpace(f.value) == "" {
				missing = append(missing, f.name)
			}
		}
		if len(missing) > 0 {
			errs = append(errs, fmt.Errorf("line %d: entry %d lacks %s", n.Line, i+1, strings.Join(missing, ", ")))
			bad = true
		}
		if e.Kind != "" && (e.Kind == StaleAllow || !slices.Contains(Kinds, e.Kind)) {
			errs = append(errs, fmt.Errorf("line %d: kind %q cannot be allowlisted (kinds: %s)", n.Line, e.Kind, allowableKinds()))
			bad = true
		}
		if !bad {
			out = append(out, e)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return out, nil
}

func allowableKinds() string {
	var ks []string
	for _, k := range Kinds {
		if k != StaleAllow {
			ks = append(ks, string(k))
		}
	}
	return strings.Join(ks, ", ")
}
