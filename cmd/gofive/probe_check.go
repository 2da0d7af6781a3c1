package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/gofive-go/gofive/spec"
	"github.com/gofive-go/gofive/spec/xgofive"
)

// Kinds of finding.
const (
	kindMismatch     = "mismatch"      // the value is not what the spec says (type, format, enum…)
	kindUndocumented = "undocumented"  // a field the spec does not list (strict)
	kindMissing      = "missing"       // a field the spec requires is absent
	kindDocsRequired = "docs-required" // absent, and required only by the docs' own markers
	kindDateLayout   = "date-layout"   // a date field holding a layout the spec does not document
	kindStatus       = "status"        // an HTTP status the operation does not document
	kindBusiness     = "business-error"
	kindBody         = "body" // not JSON
)

// A finding is one way a response departs from the spec, located by a JSON path whose array
// indexes are folded into [*]. Expected comes from the spec; Observed is a JSON type or a
// string form, never a value.
type finding struct {
	Path        string `json:"path"`
	Kind        string `json:"kind"`
	Expected    string `json:"expected"`
	Observed    string `json:"observed"`
	Occurrences int    `json:"occurrences"`
}

// checker validates responses in two passes: strict (undocumented fields count) and with the
// docs' own required markers.
type checker struct {
	strict *spec.Validator
	docs   *spec.Validator
}

func newChecker() (*checker, error) {
	strict, err := spec.NewValidator(spec.SkipSecurityCheck(), spec.Collect(), spec.Strict())
	if err != nil {
		return nil, err
	}
	docs, err := spec.NewValidator(spec.SkipSecurityCheck(), spec.Collect(), spec.DocsRequired())
	if err != nil {
		return nil, err
	}
	return &checker{strict: strict, docs: docs}, nil
}

// check fills r from one answer to operation o sent at urlPath. It returns the body as decoded
// (with UseNumber; nil when it is empty or not JSON), for the identifier pool.
func (c *checker) check(ctx context.Context, o *operation, urlPath string, status int, header http.Header, body []byte, r *probeResult) any {
	r.HTTPStatus = status
	var f findings
	var doc any
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) > 0 {
		dec := json.NewDecoder(bytes.NewReader(trimmed))
		dec.UseNumber()
		if err := dec.Decode(&doc); err != nil {
			f.add(finding{Path: "$", Kind: kindBody, Expected: "a JSON body", Observed: "not JSON"})
			doc = nil
		} else {
			r.shape = shapeOf(doc)
		}
	}
	if code, ok := businessCode(doc); ok {
		r.BusinessCode = code
		if code != "1000" {
			f.add(finding{Path: "$.status.code", Kind: kindBusiness, Expected: "business code 1000 (success)", Observed: "business code " + code})
		}
	}
	resp := o.op.Responses.Status(status)
	if resp == nil {
		resp = o.op.Responses.Default()
	}
	if resp == nil {
		f.add(finding{Path: "", Kind: kindStatus, Expected: "a documented status (" + documentedStatuses(o) + ")", Observed: fmt.Sprintf("HTTP %d, which this operation does not document", status)})
	}
	// The validator routes on the path alone; the host does not matter.
	req, err := http.NewRequestWithContext(ctx, o.Method, "http://probe.invalid"+urlPath, nil)
	if err == nil && doc != nil {
		for _, p := range problemsOf(c.strict.ValidateResponse(ctx, req, status, header, trimmed)) {
			f.add(toFinding(p, doc, false))
		}
		for _, p := range problemsOf(c.docs.ValidateResponse(ctx, req, status, header, trimmed)) {
			if p.Expected == "a value (required)" && !f.has(normalPath(p.Field), kindMissing) {
				f.add(toFinding(p, doc, true))
			}
		}
	}
	extra := map[string]bool{}
	if resp != nil && resp.Value != nil && doc != nil {
		if mt := resp.Value.Content.Get("application/json"); mt != nil && mt.Schema != nil {
			w := &schemaWalk{f: &f, absent: map[string]bool{}, extra: map[string]bool{}}
			w.walk(mt.Schema.Value, doc, "$", 0)
			r.Absent = sortedSet(w.absent)
			extra = w.extra
		}
	}
	r.Deviations = f.list
	for _, d := range f.list {
		if d.Kind == kindUndocumented {
			extra[d.Path] = true
		}
	}
	r.Undocumented = sortedSet(extra)
	return doc
}

func problemsOf(err error) spec.ValidationErrors {
	var ps spec.ValidationErrors
	if errors.As(err, &ps) {
		return ps
	}
	if err != nil {
		return spec.ValidationErrors{{Field: "", Expected: "a response the validator can check", Got: "an error"}}
	}
	return nil
}

// findings collects findings, merging those at the same folded path.
type findings struct{ list []finding }

func (fs *findings) add(f finding) {
	for i := range fs.list {
		g := &fs.list[i]
		if g.Path == f.Path && g.Kind == f.Kind && g.Expected == f.Expected {
			g.Occurrences++
			if !strings.Contains(g.Observed, f.Observed) {
				g.Observed += " | " + f.Observed
			}
			return
		}
	}
	f.Occurrences = 1
	fs.list = append(fs.list, f)
}

func (fs *findings) has(path, kind string) bool {
	return slices.ContainsFunc(fs.list, func(f finding) bool { return f.Path == path && f.Kind == kind })
}

// toFinding turns a validator problem into a finding. The validator's own "got" text may quote a
// value, so it is not used: what was observed is described afresh from the body.
func toFinding(p *spec.ValidationError, doc any, docsPass bool) finding {
	segs, ok := parseJSONPath(p.Field)
	f := finding{Path: foldPath(segs, ok, p.Field), Expected: p.Expected}
	switch {
	case p.Expected == "a value (required)":
		f.Kind, f.Observed, f.Expected = kindMissing, "absent", "a value (required by the spec)"
		if docsPass {
			f.Kind, f.Expected = kindDocsRequired, "a value (required by the docs' markers)"
		}
	case strings.HasPrefix(p.Expected, "only documented properties"):
		f.Kind, f.Expected = kindUndocumented, "only documented fields"
		f.Observed = "present: " + observedAt(doc, segs, ok)
	default:
		f.Kind = kindMismatch
		f.Observed = observedAt(doc, segs, ok)
		if f.Observed == "" {
			f.Observed = "a value the spec rejects"
		}
	}
	return f
}

func observedAt(doc any, segs []string, ok bool) string {
	if !ok {
		return ""
	}
	v, found := lookupPath(doc, segs)
	if !found {
		return "absent"
	}
	return describeObserved(v)
}

// parseJSONPath splits a path in the validator's notation ($.a.b[0]["c d"]) into segments.
func parseJSONPath(p string) ([]string, bool) {
	if !strings.HasPrefix(p, "$") {
		return nil, false
	}
	rest := p[1:]
	var segs []string
	for rest != "" {
		switch rest[0] {
		case '.':
			i := strings.IndexAny(rest[1:], ".[")
			if i < 0 {
				segs, rest = append(segs, rest[1:]), ""
			} else {
				segs, rest = append(segs, rest[1:1+i]), rest[1+i:]
			}
		case '[':
			if len(rest) > 1 && rest[1] == '"' {
				q, err := strconv.QuotedPrefix(rest[1:])
				if err != nil {
					return nil, false
				}
				s, _ := strconv.Unquote(q)
				segs, rest = append(segs, s), rest[1+len(q):]
				if !strings.HasPrefix(rest, "]") {
					return nil, false
				}
				rest = rest[1:]
				continue
			}
			i := strings.IndexByte(rest, ']')
			if i < 0 {
				return nil, false
			}
			segs, rest = append(segs, rest[1:i]), rest[i+1:]
		default:
			return nil, false
		}
	}
	return segs, true
}

// foldPath renders segments as a printable path: indexes become [*], names that look like data
// become <key>.
func foldPath(segs []string, ok bool, raw string) string {
	if !ok {
		if raw == "" {
			return "$"
		}
		// A parameter or header: "query.customerCode", "path.id".
		if in, name, found := strings.Cut(raw, "."); found && (in == "path" || in == "query" || in == "header") {
			return in + "." + safeKey(name)
		}
		return "(an unparsed location)"
	}
	var b strings.Builder
	b.WriteString("$")
	for _, s := range segs {
		if isIndex(s) {
			b.WriteString("[*]")
			continue
		}
		b.WriteString("." + safeKey(s))
	}
	return b.String()
}

func isIndex(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func normalPath(raw string) string {
	segs, ok := parseJSONPath(raw)
	return foldPath(segs, ok, raw)
}

func lookupPath(v any, segs []string) (any, bool) {
	for _, s := range segs {
		switch x := v.(type) {
		case map[string]any:
			m, ok := x[s]
			if !ok {
				return nil, false
			}
			v = m
		case []any:
			i, err := strconv.Atoi(s)
			if err != nil || i < 0 || i >= len(x) {
				return nil, false
			}
			v = x[i]
		default:
			return nil, false
		}
	}
	return v, true
}

// businessCode returns the envelope's status.code when it is a short number (as a string or a
// JSON number); a code of another form is described, not shown.
func businessCode(doc any) (string, bool) {
	top, ok := doc.(map[string]any)
	if !ok {
		return "", false
	}
	st, ok := top["status"].(map[string]any)
	if !ok {
		return "", false
	}
	raw, ok := st["code"]
	if !ok {
		return "", false
	}
	var s string
	switch x := raw.(type) {
	case string:
		s = x
	case json.Number:
		s = string(x)
	default:
		return "(" + kindOf(raw) + ", not a code)", true
	}
	if businessCdRE.MatchString(s) {
		return s, true
	}
	return "(non-numeric)", true
}

func documentedStatuses(o *operation) string {
	var codes []string
	for code := range o.op.Responses.Map() {
		codes = append(codes, code)
	}
	slices.Sort(codes)
	return strings.Join(codes, ", ")
}

// schemaWalk follows a response body along its schema: it records documented fields that are
// absent and dates in a layout the spec does not document (the validator accepts any string in
// a date field, since the spec types them as plain strings).
type schemaWalk struct {
	f      *findings
	absent map[string]bool
	// extra lists fields of objects the spec describes only in part (x-gofive-partial,
	// x-gofive-unrecovered): the strict pass leaves those open, yet their undocumented fields
	// are exactly what the spec lacks.
	extra map[string]bool
}

const maxWalkDepth = 32

func (w *schemaWalk) walk(s *openapi3.Schema, v any, path string, depth int) {
	if s == nil || depth > maxWalkDepth || v == nil {
		return
	}
	if len(s.AllOf) > 0 {
		for _, m := range s.AllOf {
			w.walk(m.Value, v, path, depth+1)
		}
	}
	if m, ok := v.(map[string]any); ok && len(s.AllOf) == 0 && xgofive.Incomplete(s) {
		for name := range m {
			if _, documented := s.Properties[name]; !documented {
				w.extra[path+"."+safeKey(name)] = true
			}
		}
	}
	if alts := append(slices.Clone(s.OneOf), s.AnyOf...); len(alts) > 0 {
		kind := kindOf(v)
		for _, a := range alts {
			if a.Value != nil && schemaAccepts(a.Value, kind) {
				w.walk(a.Value, v, path, depth+1)
				break
			}
		}
	}
	switch x := v.(type) {
	case map[string]any:
		for _, name := range sortedKeys(s.Properties) {
			p := s.Properties[name]
			child := path + "." + safeKey(name)
			m, ok := x[name]
			if !ok {
				w.absent[child] = true
				continue
			}
			if p != nil {
				w.walk(p.Value, m, child, depth+1)
			}
		}
	case []any:
		if s.Items != nil {
			for _, e := range x {
				w.walk(s.Items.Value, e, path+"[*]", depth+1)
			}
		}
	case string:
		if isDateSchema(s) && x != "" {
			if _, ok := dateLayout(x); !ok {
				w.f.add(finding{Path: path, Kind: kindDateLayout, Expected: "a date in a documented layout (" + documentedLayouts + ")", Observed: "string (" + stringForm(x) + ")"})
			}
		}
	}
}

// documentedLayouts are the date forms package wire decodes, which the spec documents for its
// date fields (x-go-type wire.Time).
const documentedLayouts = "YYYY-MM-DD, YYYY-MM-DDThh:mm:ss with Z, ±hh:mm, ±hhmm or no offset, YYYY-MM-DD hh:mm:ss"

func isDateSchema(s *openapi3.Schema) bool {
	if s.Format == "date" || s.Format == "date-time" {
		return true
	}
	t, _ := s.Extensions["x-go-type"].(string)
	return t == "wire.Time"
}

func schemaAccepts(s *openapi3.Schema, kind string) bool {
	if s.Type == nil || len(s.Type.Slice()) == 0 {
		return kind == "object" && len(s.Properties) > 0
	}
	for _, t := range s.Type.Slice() {
		if t == kind || (t == "number" && kind == "integer") {
			return true
		}
	}
	return false
}
