// Package proposal is the format of a spec proposal: one operation, written as an
// OpenAPI-shaped YAML fragment under spec/proposed/, for a maintainer to review and merge into
// spec/openapi.yaml by hand. Two instruments write proposals: the docs sync (`make propose`,
// facts read from a scraped docs page) and `gofive probe --propose` (facts observed on a live
// account). Neither ever edits the spec itself.
//
// A fragment file looks like
//
//	# Proposal for spec/openapi.yaml: review, then merge by hand. ...
//	paths:
//	    /v1/things/{id}:
//	        get:
//	            operationId: getThing
//	            x-gofive-completeness: partial
//	            x-gofive-sources: [DOCS-MD https://developer.gofive.co.th/api-1 on 2026-12-01]
//	            ...
//	components:
//	    schemas:
//	        Thing: {...}
//
// so that its paths entry and its schemas can be pasted under the spec's own paths and
// components.schemas. Output is deterministic: the same fragment always gives the same bytes.
package proposal

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"gopkg.in/yaml.v3"

	"github.com/gofive-go/gofive/spec/xgofive"
)

// Completeness values, as in the spec's x-gofive-completeness.
const (
	Full    = xgofive.Full    // path, method, request and response shape known
	Partial = xgofive.Partial // path and method known, part of the shape known
)

// Observed is the Source of a fragment built from a live response rather than a docs page.
const Observed = "observed"

// Fragment is one proposed operation.
type Fragment struct {
	OperationID string // lowerCamel, unique in the spec; also the file name
	Method      string // HTTP method, any case
	Path        string // the path template, e.g. /v1/case/{caseNo}
	// Source is the docs page URL the facts were read from, or [Observed].
	Source string
	// Date is when the facts were read (YYYY-MM-DD), recorded in x-gofive-sources.
	Date string
	// Completeness is [Full] or [Partial].
	Completeness string
	// Operation is the proposed operation. Its OperationID is set from the fragment's; its
	// x-gofive-sources and x-gofive-completeness are set from Source, Date and Completeness.
	Operation *openapi3.Operation
	// Schemas are the components the operation refers to ($ref '#/components/schemas/<name>').
	Schemas map[string]*openapi3.SchemaRef
}

var (
	reOperationID = regexp.MustCompile(`^[a-z][A-Za-z0-9]*$`)
	reDate        = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	methods       = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}
)

// Sources is the x-gofive-sources entry Write records for f, tagged as the design's sources
// are: "DOCS-MD <url>" for a docs page read from its Markdown twin (make scrape), or
// "OBSERVED by gofive probe" for a live response; followed by " on <date>" when Date is set.
func (f Fragment) Sources() []string {
	s := "OBSERVED by gofive probe"
	if f.Source != Observed {
		s = "DOCS-MD " + f.Source
	}
	if f.Date != "" {
		s += " on " + f.Date
	}
	return []string{s}
}

// Check reports what is wrong with f, all problems at once.
func (f Fragment) Check() error {
	var errs []error
	if !reOperationID.MatchString(f.OperationID) {
		errs = append(errs, fmt.Errorf("operationId %q is not lowerCamel ASCII", f.OperationID))
	}
	if !contains(methods, strings.ToLower(f.Method)) {
		errs = append(errs, fmt.Errorf("method %q is not an HTTP method OpenAPI knows", f.Method))
	}
	if !strings.HasPrefix(f.Path, "/") || strings.ContainsAny(f.Path, " \t\r\n?#") {
		errs = append(errs, fmt.Errorf("path %q must start with / and hold no spaces, query or fragment", f.Path))
	}
	if f.Source == "" {
		errs = append(errs, errors.New("source is empty: name the docs page URL or proposal.Observed"))
	} else if f.Source != Observed && !strings.HasPrefix(f.Source, "http://") && !strings.HasPrefix(f.Source, "https://") {
		errs = append(errs, fmt.Errorf("source %q is neither an http(s) URL nor %q", f.Source, Observed))
	}
	if f.Date != "" && !reDate.MatchString(f.Date) {
		errs = append(errs, fmt.Errorf("date %q is not YYYY-MM-DD", f.Date))
	}
	if f.Completeness != Full && f.Completeness != Partial {
		errs = append(errs, fmt.Errorf("completeness %q is neither %q nor %q", f.Completeness, Full, Partial))
	}
	if f.Operation == nil {
		errs = append(errs, errors.New("operation is nil"))
	}
	for name, s := range f.Schemas {
		if name == "" || strings.ContainsAny(name, "/~ ") {
			errs = append(errs, fmt.Errorf("schema name %q is not a plain component name", name))
		}
		if s == nil {
			errs = append(errs, fmt.Errorf("schema %q is nil", name))
		}
	}
	return errors.Join(errs...)
}

// Marshal renders f as a YAML fragment. It does not modify f.
func Marshal(f Fragment) ([]byte, error) {
	if err := f.Check(); err != nil {
		return nil, fmt.Errorf("proposal %s %s: %w", f.Method, f.Path, err)
	}
	op := *f.Operation // shallow copy: only the top-level fields below are replaced
	op.OperationID = f.OperationID
	ext := make(map[string]any, len(op.Extensions)+2)
	for k, v := range op.Extensions {
		ext[k] = v
	}
	ext[xgofive.KeyCompleteness] = f.Completeness
	ext[xgofive.KeySources] = f.Sources()
	op.Extensions = ext

	doc := map[string]any{
		"paths": map[string]any{f.Path: map[string]any{strings.ToLower(f.Method): &op}},
	}
	if len(f.Schemas) > 0 {
		doc["components"] = map[string]any{"schemas": f.Schemas}
	}
	// kin-openapi's types marshal to JSON with their extensions inline; a round trip through a
	// generic value then lets yaml.v3 write every mapping with sorted keys, so output is stable.
	j, err := json.Marshal(doc)
	if err != nil {
		return nil, fmt.Errorf("proposal %s: %w", f.OperationID, err)
	}
	dec := json.NewDecoder(bytes.NewReader(j))
	dec.UseNumber() // so 2140016585 stays 2140016585, not 2.140016585e+09
	var generic any
	if err := dec.Decode(&generic); err != nil {
		return nil, fmt.Errorf("proposal %s: %w", f.OperationID, err)
	}
	generic = plainNumbers(generic)
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "# Proposal for spec/openapi.yaml: review, then merge by hand (paths and components.schemas).\n")
	fmt.Fprintf(&buf, "# %s %s (%s), from %s.\n", strings.ToUpper(f.Method), f.Path, f.OperationID, strings.Join(f.Sources(), ", "))
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(4) // the spec's own indentation, so a paste needs no re-indenting
	if err := enc.Encode(generic); err != nil {
		return nil, fmt.Errorf("proposal %s: %w", f.OperationID, err)
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Write writes f to dir/<operationId>.yaml, replacing any earlier proposal for the same
// operation, and returns the file's path. The file is written to a temporary name and renamed,
// so a failed write never leaves half a proposal.
func Write(dir string, f Fragment) (string, error) {
	b, err := Marshal(f)
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	name := filepath.Join(dir, f.OperationID+".yaml")
	tmp, err := os.CreateTemp(dir, "."+f.OperationID+".*.tmp")
	if err != nil {
		return "", err
	}
	defer os.Remove(tmp.Name()) // no-op after the rename
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return "", err
	}
	if err := tmp.Close(); err != nil {
		return "", err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return "", err
	}
	if err := os.Rename(tmp.Name(), name); err != nil {
		return "", err
	}
	return name, nil
}

// Read loads a fragment file written by [Write]: its operation and schemas, with Source, Date
// and Completeness taken back from the extensions. It exists so tests and reviewers' tools can
// check a proposal the way the spec would load it.
func Read(name string) (Fragment, error) {
	b, err := os.ReadFile(name)
	if err != nil {
		return Fragment{}, err
	}
	var doc struct {
		Paths      map[string]map[string]*openapi3.Operation `yaml:"paths"`
		Components struct {
			Schemas map[string]*openapi3.SchemaRef `yaml:"schemas"`
		} `yaml:"components"`
	}
	// Through JSON, so kin-openapi's own decoders (extensions, $ref) apply.
	var generic any
	if err := yaml.Unmarshal(b, &generic); err != nil {
		return Fragment{}, fmt.Errorf("%s: %w", name, err)
	}
	j, err := json.Marshal(generic)
	if err != nil {
		return Fragment{}, fmt.Errorf("%s: %w", name, err)
	}
	if err := json.Unmarshal(j, &doc); err != nil {
		return Fragment{}, fmt.Errorf("%s: %w", name, err)
	}
	if len(doc.Paths) != 1 {
		return Fragment{}, fmt.Errorf("%s: a proposal holds exactly one path, found %d", name, len(doc.Paths))
	}
	var f Fragment
	for path, item := range doc.Paths {
		if len(item) != 1 {
			return Fragment{}, fmt.Errorf("%s: a proposal holds exactly one operation, found %d under %s", name, len(item), path)
		}
		for method, op := range item {
			f.Path, f.Method, f.Operation = path, strings.ToUpper(method), op
		}
	}
	if f.Operation == nil {
		return Fragment{}, fmt.Errorf("%s: the operation is empty", name)
	}
	f.OperationID = f.Operation.OperationID
	f.Schemas = doc.Components.Schemas
	f.Completeness = xgofive.Completeness(f.Operation)
	if srcs := xgofive.Sources(f.Operation.Extensions); len(srcs) > 0 {
		f.Source, f.Date = parseSource(srcs[0])
	}
	return f, nil
}

// plainNumbers turns json.Number into int64 or float64, which yaml.v3 writes as plain numbers.
func plainNumbers(v any) any {
	switch x := v.(type) {
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return i
		}
		f, _ := x.Float64()
		return f
	case map[string]any:
		for k, e := range x {
			x[k] = plainNumbers(e)
		}
	case []any:
		for i, e := range x {
			x[i] = plainNumbers(e)
		}
	}
	return v
}

func parseSource(s string) (source, date string) {
	if i := strings.LastIndex(s, " on "); i >= 0 && reDate.MatchString(s[i+4:]) {
		s, date = s[:i], s[i+4:]
	}
	if strings.HasPrefix(s, "DOCS-MD ") {
		return strings.TrimPrefix(s, "DOCS-MD "), date
	}
	return Observed, date
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
