package main

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/gofive-go/gofive/spec/apidog"
)

// Kind classifies a finding.
type Kind string

// The finding kinds.
const (
	// MissingOperation: the page's method and path are not in the spec.
	MissingOperation Kind = "missing-operation"
	// PathCaseMismatch: the spec has the operation under a path that
	// differs from the page's in letter case only.
	PathCaseMismatch Kind = "path-case-mismatch"
	// MissingField: a parameter, the request body, or a body or response
	// field the page shows (in its field list or only in its example) is
	// not in the spec.
	MissingField Kind = "missing-field"
	// ExtraField: the spec has a parameter, request body or field the
	// page does not show.
	ExtraField Kind = "extra-field"
	// FieldCaseMismatch: page and spec spell a field or parameter name
	// differently in letter case only.
	FieldCaseMismatch Kind = "field-case-mismatch"
	// RequiredMismatch: the page and the spec disagree on required.
	RequiredMismatch Kind = "required-mismatch"
	// TypeMismatch: the documented type differs from the spec's (an
	// x-go-type, number for integer, oneOf for one type all count), or
	// the request body's content type differs.
	TypeMismatch Kind = "type-mismatch"
	// MissingStatus: the page documents a response status the spec lacks.
	MissingStatus Kind = "missing-status"
	// InvalidExample: a page example is not valid JSON or does not
	// validate against the spec's schema.
	InvalidExample Kind = "invalid-example"
	// StaleAllow: an allowlist entry matches no finding.
	StaleAllow Kind = "stale-allow"
	// RemovedOperation: a spec operation whose docs page disappeared: llms.txt no longer
	// lists the page its externalDocs names, or the page answered 404/410 (see make scrape's
	// manifest).
	RemovedOperation Kind = "removed-operation"
	// NewlyDocumented: a page documents a schema where the spec has x-gofive-unrecovered or
	// x-gofive-partial; make propose writes the documented shape as a proposal.
	NewlyDocumented Kind = "newly-documented"
	// MalformedPage: a Markdown page's OpenAPI block cannot be read (not YAML, unterminated,
	// not OpenAPI even read leniently).
	MalformedPage Kind = "malformed-page"
)

// Kinds lists every finding kind.
var Kinds = []Kind{
	MissingOperation, PathCaseMismatch, MissingField, ExtraField, FieldCaseMismatch,
	RequiredMismatch, TypeMismatch, MissingStatus, InvalidExample, StaleAllow,
	RemovedOperation, NewlyDocumented, MalformedPage,
}

// Finding is one difference between a documentation page and the spec.
//
// Field names where the difference is: "path.<name>", "query.<name>",
// "header.<name>" for parameters; "body" and "body.<field path>" for the
// request body; "response.<field path>" for fields of the success
// response ("response.data.addresses[].locationName"); "response.<status>"
// for a status; "body.example" and "response.<status>.example" for
// examples. Docs and Spec say what each side has.
type Finding struct {
	Page   string `json:"page"`
	Method string `json:"method"`
	Path   string `json:"path"`
	Kind   Kind   `json:"kind"`
	Field  string `json:"field,omitempty"`
	Docs   string `json:"docs,omitempty"`
	Spec   string `json:"spec,omitempty"`
	Detail string `json:"detail,omitempty"`
}

// String formats the finding as one report line.
func (f Finding) String() string {
	var b strings.Builder
	if f.Method == "" && f.Path == "" {
		fmt.Fprintf(&b, "%s: %s", f.Page, f.Kind) // a page-level finding (malformed-page)
	} else {
		fmt.Fprintf(&b, "%s: %s %s: %s", f.Page, f.Method, f.Path, f.Kind)
	}
	if f.Field != "" {
		b.WriteString(" " + f.Field)
	}
	if f.Docs != "" || f.Spec != "" {
		fmt.Fprintf(&b, ": docs %s; spec %s", orDash(f.Docs), orDash(f.Spec))
	}
	if f.Detail != "" {
		b.WriteString(" — " + oneLine(f.Detail))
	}
	// Paths, field names and details come from the docs pages: no control character of theirs
	// reaches the terminal the report is printed on.
	return strings.Map(func(r rune) rune {
		if r < 0x20 || (r >= 0x7f && r < 0xa0) {
			return '?'
		}
		return r
	}, b.String())
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return oneLine(s)
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// Compare reports every difference between the pages' operations and doc,
// less those allow excuses, plus the allow entries that excuse nothing
// (as [StaleAllow]). Pages without an operation are skipped. doc must have
// been validated (examples are checked with [openapi3.Schema.VisitJSON]).
func Compare(doc *openapi3.T, pages []*apidog.Page, allow []AllowEntry) []Finding {
	return ApplyAllow(Diff(doc, pages), allow)
}

// Diff reports every difference, allowlist aside, sorted by page, method,
// path, kind and field.
func Diff(doc *openapi3.T, pages []*apidog.Page) []Finding {
	idx := indexOperations(doc)
	var out []Finding
	for _, p := range pages {
		if !p.HasOperation() {
			continue
		}
		c := &pageComparison{doc: doc, page: p, name: pageName(p)}
		c.compare(idx)
		out = append(out, c.findings...)
	}
	sortFindings(out)
	return out
}

func pageName(p *apidog.Page) string {
	if p.Source != "" {
		return filepath.Base(p.Source)
	}
	return p.Title
}

func sortFindings(fs []Finding) {
	slices.SortStableFunc(fs, func(a, b Finding) int {
		return cmp.Or(
			cmp.Compare(a.Page, b.Page), cmp.Compare(a.Method, b.Method), cmp.Compare(a.Path, b.Path),
			cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Field, b.Field))
	})
}

// specOperation is an operation of the spec.
type specOperation struct {
	path string
	item *openapi3.PathItem
	op   *openapi3.Operation
}

type operationIndex struct {
	exact map[string]specOperation   // method + normalised path
	fold  map[string][]specOperation // method + lower-cased normalised path
}

var reTemplate = regexp.MustCompile(`\{[^{}/]*\}`)

// normPath drops parameter names and a trailing slash:
// "/v3/customers/{code}/" -> "/v3/customers/{}".
func normPath(p string) string {
	p = reTemplate.ReplaceAllString(p, "{}")
	if len(p) > 1 {
		p = strings.TrimRight(p, "/")
	}
	if p == "" {
		p = "/"
	}
	return p
}

func indexOperations(doc *openapi3.T) operationIndex {
	idx := operationIndex{exact: map[string]specOperation{}, fold: map[string][]specOperation{}}
	if doc == nil || doc.Paths == nil {
		return idx
	}
	paths := doc.Paths.Map()
	for _, path := range slices.Sorted(maps.Keys(paths)) {
		item := paths[path]
		for method, op := range item.Operations() {
			so := specOperation{path: path, item: item, op: op}
			key := method + " " + normPath(path)
			if _, dup := idx.exact[key]; !dup {
				idx.exact[key] = so
			}
			fk := method + " " + strings.ToLower(normPath(path))
			idx.fold[fk] = append(idx.fold[fk], so)
		}
	}
	return idx
}

type pageComparison struct {
	doc      *openapi3.T
	page     *apidog.Page
	name     string
	findings []Finding
}

func (c *pageComparison) add(kind Kind, field, docs, spec, detail string) {
	c.findings = append(c.findings, Finding{
		Page: c.name, Method: c.page.Method, Path: c.page.Path,
		Kind: kind, Field: field, Docs: docs, Spec: spec, Detail: detail,
	})
}

func (c *pageComparison) compare(idx operationIndex) {
	p := c.page
	method := strings.ToUpper(p.Method)
	so, ok := idx.exact[method+" "+normPath(p.Path)]
	if !ok {
		cands := idx.fold[method+" "+strings.ToLower(normPath(p.Path))]
		if len(cands) == 0 {
			c.add(MissingOperation, "", p.Title, "absent", "")
			return
		}
		so = cands[0]
		c.add(PathCaseMismatch, "", p.Path, so.path, "")
	}
	c.compareParams(so)
	c.compareBody(so)
	c.compareResponses(so)
}

// --- parameters ---

// ignoredHeaders are headers OpenAPI does not let a spec model as
// parameters (media types and security cover them).
var ignoredHeaders = map[string]bool{"content-type": true, "accept": true, "authorization": true}

func (c *pageComparison) compareParams(so specOperation) {
	p := c.page
	spec := map[string]*openapi3.Parameter{} // in + "\x00" + name
	var specOrder []string
	addSpec := func(ps openapi3.Parameters) {
		for _, ref := range ps {
			if ref == nil || ref.Value == nil {
				continue
			}
			k := ref.Value.In + "\x00" + ref.Value.Name
			if _, ok := spec[k]; !ok {
				specOrder = append(specOrder, k)
			}
			spec[k] = ref.Value
		}
	}
	addSpec(so.item.Parameters)
	addSpec(so.op.Parameters)

	pathParams := slices.Clone(p.PathParams)
	for _, m := range reTemplate.FindAllString(p.Path, -1) {
		name := m[1 : len(m)-1]
		if !slices.ContainsFunc(pathParams, func(q apidog.Param) bool { return q.Name == name }) {
			pathParams = append(pathParams, apidog.Param{Name: name, Required: true})
		}
	}
	apiKeys := c.apiKeyHeaders(so.op)
	matched := map[string]bool{}
	for _, group := range []struct {
		in     string
		params []apidog.Param
	}{
		{"path", pathParams}, {"query", p.QueryParams}, {"header", p.HeaderParams}, {"cookie", p.CookieParams},
	} {
		for _, dp := range group.params {
			field := group.in + "." + dp.Name
			if group.in == "header" && (ignoredHeaders[strings.ToLower(dp.Name)] || apiKeys[strings.ToLower(dp.Name)]) {
				continue
			}
			sp := spec[group.in+"\x00"+dp.Name]
			if sp == nil {
				i := slices.IndexFunc(specOrder, func(k string) bool {
					s := spec[k]
					return s.In == group.in && strings.EqualFold(s.Name, dp.Name) && !matched[k]
				})
				if i >= 0 {
					matched[specOrder[i]] = true
					c.add(FieldCaseMismatch, field, dp.Name, spec[specOrder[i]].Name, "")
				} else {
					c.add(MissingField, field, describeDocs(dp.Type, dp.Nullable, dp.Required, false), "absent", "")
				}
				continue
			}
			matched[group.in+"\x00"+dp.Name] = true
			if group.in != "path" && dp.Required != sp.Required {
				c.add(RequiredMismatch, field, requiredWord(dp.Required), requiredWord(sp.Required), "")
			}
			if dp.Type != "" && sp.Schema != nil {
				dt, st := docsType(dp.Type, dp.Nullable), specType(sp.Schema.Value)
				if !typesMatch(dt, st) {
					c.add(TypeMismatch, field, dt.String(), st.String(), "")
				}
			}
		}
	}
	for _, k := range specOrder {
		if matched[k] {
			continue
		}
		s := spec[k]
		c.add(ExtraField, s.In+"."+s.Name, "absent", describeSpec(s.Schema, s.Required), "")
	}
}

// apiKeyHeaders returns the lower-cased header names of the apiKey security
// schemes in force on op.
func (c *pageComparison) apiKeyHeaders(op *openapi3.Operation) map[string]bool {
	out := map[string]bool{}
	reqs := c.doc.Security
	if op.Security != nil {
		reqs = *op.Security
	}
	if c.doc.Components == nil {
		return out
	}
	for _, req := range reqs {
		for name := range req {
			ref := c.doc.Components.SecuritySchemes[name]
			if ref == nil || ref.Value == nil {
				continue
			}
			if s := ref.Value; s.Type == "apiKey" && s.In == "header" {
				out[strings.ToLower(s.Name)] = true
			}
		}
	}
	return out
}

// --- request body ---

func (c *pageComparison) compareBody(so specOperation) {
	body := c.page.Body
	hasDocs := body != nil && (len(body.Fields) > 0 || body.Example != nil)
	var rb *openapi3.RequestBody
	if so.op.RequestBody != nil {
		rb = so.op.RequestBody.Value
	}
	switch {
	case !hasDocs && rb == nil:
		return
	case hasDocs && rb == nil:
		c.add(MissingField, "body", fmt.Sprintf("%s body, %d fields", cmp.Or(body.ContentType, "a"), countListed(body.Fields)), "absent", "")
		return
	case !hasDocs:
		c.add(ExtraField, "body", "absent", strings.Join(slices.Sorted(maps.Keys(rb.Content)), ", ")+" body", "")
		return
	}
	ct := cmp.Or(body.ContentType, "application/json")
	mt := rb.Content.Get(ct)
	if mt == nil {
		c.add(TypeMismatch, "body", ct, strings.Join(slices.Sorted(maps.Keys(rb.Content)), ", "), "request body content type")
		return
	}
	var schema *openapi3.Schema
	if mt.Schema != nil {
		schema = mt.Schema.Value
	}
	c.compareTree("body", body.Fields, schema, nil)
	if body.Example != nil {
		c.checkExample("body.example", body.Example, schema, openapi3.VisitAsRequest())
	}
}

func countListed(fs []apidog.Field) int {
	n := 0
	for _, f := range fs {
		if !f.FromExample {
			n++
		}
	}
	return n
}

// --- responses ---

func (c *pageComparison) compareResponses(so specOperation) {
	p := c.page
	responses := so.op.Responses
	lookup := func(status int) *openapi3.Response {
		if responses == nil {
			return nil
		}
		for _, k := range []string{strconv.Itoa(status), fmt.Sprintf("%dXX", status/100), "default"} {
			if r := responses.Value(k); r != nil && r.Value != nil {
				return r.Value
			}
		}
		return nil
	}
	var seen []int
	for _, r := range p.Responses {
		if slices.Contains(seen, r.Status) {
			continue
		}
		seen = append(seen, r.Status)
		if lookup(r.Status) == nil {
			var descs []string
			for _, r2 := range p.Responses {
				if r2.Status == r.Status {
					descs = append(descs, r2.Description)
				}
			}
			c.add(MissingStatus, "response."+strconv.Itoa(r.Status), strings.Join(descs, " / "), "absent", "")
		}
	}

	compared := false
	for _, r := range p.Responses {
		sr := lookup(r.Status)
		if sr == nil {
			continue
		}
		var schema *openapi3.Schema
		mt := sr.Content.Get(cmp.Or(r.ContentType, "application/json"))
		if mt != nil && mt.Schema != nil {
			schema = mt.Schema.Value
		}
		if !compared && r.Status/100 == 2 && len(r.Fields) > 0 {
			compared = true
			c.compareTree("response", r.Fields, schema, map[string]bool{"status": true})
		}
		if r.Example != nil {
			c.checkExample(fmt.Sprintf("response.%d.example", r.Status), r.Example, schema, openapi3.VisitAsResponse())
		}
	}
}

// --- examples ---

func (c *pageComparison) checkExample(field string, ex *apidog.Example, schema *openapi3.Schema, opt openapi3.SchemaValidationOption) {
	docs := "example"
	if ex.Cleaned != "" {
		docs = "example (cleaned of // comments and trailing commas)"
	}
	if !ex.Valid {
		c.add(InvalidExample, field, "example is not JSON", "-", ex.Err)
		return
	}
	if schema == nil {
		c.add(InvalidExample, field, docs, "no JSON schema to validate against", "")
		return
	}
	if err := schema.VisitJSON(ex.Value, openapi3.MultiErrors(), opt); err != nil {
		c.add(InvalidExample, field, docs, "rejects it", validationMessage(err))
	}
}

// validationMessage condenses a VisitJSON error to "pointer: reason" items.
func validationMessage(err error) string {
	var parts []string
	var walk func(error)
	walk = func(err error) {
		var me openapi3.MultiError
		var se *openapi3.SchemaError
		switch {
		case errors.As(err, &me):
			for _, e := range me {
				walk(e)
			}
		case errors.As(err, &se):
			parts = append(parts, "/"+strings.Join(se.JSONPointer(), "/")+": "+se.Reason)
		default:
			first, _, _ := strings.Cut(err.Error(), "\n")
			parts = append(parts, first)
		}
	}
	walk(err)
	slices.Sort(parts)
	return strings.Join(slices.Compact(parts), "; ")
}
