package main

import (
	"cmp"
	"encoding/json"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"unicode"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/gofive-go/gofive/spec"
	"github.com/gofive-go/gofive/spec/proposal"
)

// wireImport is where the SDK's tolerant wire types live (x-go-type-import).
var wireImport = map[string]any{"path": "github.com/gofive-go/gofive/api/wire"}

// converter turns one page operation into a proposal in the spec's conventions.
type converter struct {
	spec     *openapi3.T
	coverage []spec.CoverageEntry
	pageURL  string // the docs page URL (without .md)
	date     string
	notes    []string
	schemas  map[string]*openapi3.SchemaRef
	// claimed holds the operationIds derived from titles earlier in the run (lower case), so
	// that two new operations with one title do not write one file; nil: none.
	claimed map[string]bool
}

// Convert builds the fragment for page operation op (method, path) titled title. existing is
// the spec's operation with the same method and path, or nil for a new operation.
func (c *converter) Convert(method, path, title string, op *openapi3.Operation, existing *openapi3.Operation) (proposal.Fragment, error) {
	c.schemas = map[string]*openapi3.SchemaRef{}
	out, err := copyOperation(op)
	if err != nil {
		return proposal.Fragment{}, err
	}
	id := c.operationID(title, method, path, existing)
	pascal := strings.ToUpper(id[:1]) + id[1:]
	localRefs := c.dropLocalRefs(out)

	out.OperationID = id
	out.Summary = cmp.Or(strings.TrimSpace(out.Summary), title)
	if strings.TrimSpace(out.Description) == "" {
		out.Description = "Proposed from the docs page " + c.pageURL + "; describe the operation before merging."
	}
	out.Tags = []string{c.tag(op, title)}
	out.ExternalDocs = &openapi3.ExternalDocs{URL: c.pageURL}
	out.Security = nil // the spec's top-level security (bearer token + subscription key) applies
	out.Deprecated = false
	out.Extensions = map[string]any{}
	out.Parameters = c.parameters(out.Parameters)
	c.notes = append(c.notes,
		"Proposed by make propose from "+c.pageURL+" (its Markdown twin's OpenAPI block). Review every type and name before merging.",
		"Response `required` markers are the docs' (Apidog marks every property of a sample-built schema required); they are kept in x-gofive-docs-required, not in required.")

	complete := true
	if out.RequestBody != nil && out.RequestBody.Value != nil {
		for ct, mt := range out.RequestBody.Value.Content {
			if mt.Schema == nil || mt.Schema.Value == nil {
				complete = false
				continue
			}
			c.convertSchema(mt.Schema.Value, false, 0)
			mt.Schema = c.component(pascal+"Request", mt.Schema)
			moveExample(mt)
			_ = ct
		}
		out.RequestBody.Value.Required = true
	} else if method == "POST" || method == "PUT" || method == "PATCH" {
		complete = false
	}
	responses := openapi3.NewResponses()
	ok2xx := false
	if out.Responses != nil {
		for _, status := range slices.Sorted(maps.Keys(out.Responses.Map())) {
			r := out.Responses.Value(status)
			if r == nil || r.Value == nil {
				continue
			}
			if !strings.HasPrefix(status, "2") {
				continue // errors: the shared business-error responses below
			}
			for _, mt := range r.Value.Content {
				if mt.Schema == nil || mt.Schema.Value == nil {
					continue
				}
				ok2xx = true
				mt.Schema = c.envelope(pascal, mt.Schema)
				moveExample(mt)
			}
			r.Value.Headers = nil
			r.Value.Extensions = nil
			if r.Value.Description == nil || *r.Value.Description == "" {
				d := "Success (the docs' response schema)."
				r.Value.Description = &d
			}
			responses.Set(status, r)
		}
	}
	if !ok2xx || localRefs {
		complete = false
	}
	// The business-error shape: the spec's shared error responses, whatever the page shows.
	for _, e := range []struct{ status, name string }{{"400", "BadRequest"}, {"401", "Unauthorized"}} {
		if c.spec.Components != nil && c.spec.Components.Responses[e.name] != nil {
			responses.Set(e.status, &openapi3.ResponseRef{Ref: "#/components/responses/" + e.name})
		}
	}
	responses.Delete("default")
	out.Responses = responses
	out.Extensions["x-gofive-notes"] = c.notes
	completeness := proposal.Partial
	if complete {
		completeness = proposal.Full
	}
	return proposal.Fragment{
		OperationID: id, Method: method, Path: path,
		Source: c.pageURL, Date: c.date, Completeness: completeness,
		Operation: out, Schemas: c.schemas,
	}, nil
}

// dropLocalRefs replaces every $ref of the page's own document (its components, which the
// JSON copy does not carry) with a placeholder and a note, and reports whether there was one.
// Kept, such a reference would dangle in the fragment or, worse, bind on paste to the spec's
// component of the same name (a page's "Customer" or "Status" is not ours).
func (c *converter) dropLocalRefs(op *openapi3.Operation) bool {
	found := false
	note := func(ref string) {
		found = true
		c.notes = append(c.notes, fmt.Sprintf("The page refers to its own %s, which is not carried over: copy its definition from the page.", ref))
	}
	var walk func(sr *openapi3.SchemaRef, depth int) *openapi3.SchemaRef
	walk = func(sr *openapi3.SchemaRef, depth int) *openapi3.SchemaRef {
		if sr == nil || depth > 64 {
			return sr
		}
		if sr.Ref != "" {
			note(sr.Ref)
			return &openapi3.SchemaRef{Value: &openapi3.Schema{Description: "The docs page's " + sr.Ref + " (not carried over)."}}
		}
		v := sr.Value
		if v == nil {
			return sr
		}
		for name, p := range v.Properties {
			v.Properties[name] = walk(p, depth+1)
		}
		v.Items = walk(v.Items, depth+1)
		v.Not = walk(v.Not, depth+1)
		v.AdditionalProperties.Schema = walk(v.AdditionalProperties.Schema, depth+1)
		for _, l := range []openapi3.SchemaRefs{v.AllOf, v.OneOf, v.AnyOf} {
			for i := range l {
				l[i] = walk(l[i], depth+1)
			}
		}
		return sr
	}
	content := func(ct openapi3.Content) {
		for _, mt := range ct {
			if mt != nil {
				mt.Schema = walk(mt.Schema, 0)
			}
		}
	}
	params := op.Parameters[:0]
	for _, p := range op.Parameters {
		if p == nil {
			continue
		}
		if p.Ref != "" || p.Value == nil {
			note(cmp.Or(p.Ref, "parameter"))
			continue
		}
		p.Value.Schema = walk(p.Value.Schema, 0)
		content(p.Value.Content)
		params = append(params, p)
	}
	op.Parameters = params
	if rb := op.RequestBody; rb != nil {
		if rb.Ref != "" || rb.Value == nil {
			note(cmp.Or(rb.Ref, "request body"))
			op.RequestBody = nil
		} else {
			content(rb.Value.Content)
		}
	}
	if op.Responses != nil {
		for status, r := range op.Responses.Map() {
			if r == nil {
				continue
			}
			if !strings.HasPrefix(status, "2") {
				continue // error responses become the spec's shared ones (Convert)
			}
			if r.Ref != "" || r.Value == nil {
				note(cmp.Or(r.Ref, "response "+status))
				op.Responses.Delete(status)
				continue
			}
			content(r.Value.Content)
		}
	}
	return found
}

func copyOperation(op *openapi3.Operation) (*openapi3.Operation, error) {
	b, err := json.Marshal(op)
	if err != nil {
		return nil, err
	}
	out := openapi3.NewOperation()
	if err := json.Unmarshal(b, out); err != nil {
		return nil, err
	}
	return out, nil
}

var reWords = regexp.MustCompile(`[A-Za-z0-9]+`)

// operationID: the spec's for a known operation; coverage.yaml's when it names one; else
// lowerCamel from the page title ("Get a Activity By Id" -> getActivityById), made unique.
func (c *converter) operationID(title, method, path string, existing *openapi3.Operation) string {
	if existing != nil && existing.OperationID != "" {
		return existing.OperationID
	}
	for _, e := range c.coverage {
		if strings.EqualFold(e.Name, title) && e.OperationID != "" {
			return e.OperationID
		}
	}
	var b strings.Builder
	for _, w := range reWords.FindAllString(title, -1) {
		lw := strings.ToLower(w)
		if lw == "a" || lw == "an" || lw == "the" {
			continue
		}
		if b.Len() == 0 {
			b.WriteString(lw)
		} else {
			b.WriteString(strings.ToUpper(w[:1]) + w[1:])
		}
	}
	id := b.String()
	if id == "" || !unicode.IsLetter(rune(id[0])) {
		id = strings.ToLower(method) + "Operation" + id
	}
	taken := map[string]bool{}
	for _, item := range c.spec.Paths.Map() {
		for _, op := range item.Operations() {
			taken[strings.ToLower(op.OperationID)] = true
		}
	}
	base := id
	for n := 2; taken[strings.ToLower(id)] || c.claimed[strings.ToLower(id)]; n++ {
		id = fmt.Sprintf("%s%d", base, n)
	}
	if c.claimed != nil {
		c.claimed[strings.ToLower(id)] = true
	}
	return id
}

// tag: the page's navigation group if the spec declares it, else coverage.yaml's tag.
func (c *converter) tag(op *openapi3.Operation, title string) string {
	declared := map[string]bool{}
	for _, t := range c.spec.Tags {
		declared[t.Name] = true
	}
	cands := slices.Clone(op.Tags)
	if f, ok := op.Extensions["x-apidog-folder"].(string); ok {
		cands = append(cands, f)
	}
	for _, e := range c.coverage {
		if strings.EqualFold(e.Name, title) {
			cands = append(cands, e.Tag)
		}
	}
	for _, t := range cands {
		if declared[t] {
			return t
		}
	}
	if len(cands) > 0 {
		c.notes = append(c.notes, fmt.Sprintf("Tag %q is not among the spec's tags: declare it or pick another.", cands[0]))
		return cands[0]
	}
	c.notes = append(c.notes, "The page names no navigation group: pick a tag.")
	return "Untagged"
}

// parameters drops the transport headers the spec expresses as security schemes and media
// types, and converts each schema.
func (c *converter) parameters(ps openapi3.Parameters) openapi3.Parameters {
	skip := map[string]bool{"content-type": true, "accept": true, "authorization": true}
	if c.spec.Components != nil {
		for _, s := range c.spec.Components.SecuritySchemes {
			if s != nil && s.Value != nil && s.Value.Type == "apiKey" && s.Value.In == "header" {
				skip[strings.ToLower(s.Value.Name)] = true
			}
		}
	}
	var out openapi3.Parameters
	for _, p := range ps {
		if p == nil || p.Value == nil || (p.Value.In == "header" && skip[strings.ToLower(p.Value.Name)]) {
			continue
		}
		p.Value.Extensions = nil
		if p.Value.Schema != nil && p.Value.Schema.Value != nil {
			c.convertSchema(p.Value.Schema.Value, false, 0)
		}
		out = append(out, p)
	}
	return out
}

// envelope rewrites a success schema: the standard envelope {status, data} becomes the spec's
// Status reference plus a data component; anything else becomes one component.
func (c *converter) envelope(pascal string, s *openapi3.SchemaRef) *openapi3.SchemaRef {
	v := s.Value
	status, data := v.Properties["status"], v.Properties["data"]
	c.convertSchema(v, true, 0)
	if status == nil || c.spec.Components == nil || c.spec.Components.Schemas["Status"] == nil {
		return c.component(pascal+"Response", s)
	}
	v.Properties["status"] = openapi3.NewSchemaRef("#/components/schemas/Status", nil)
	if data != nil && data.Value != nil && (len(data.Value.Properties) > 0 || data.Value.Items != nil) {
		name := pascal + "Data"
		if data.Value.Items != nil && data.Value.Items.Value != nil && len(data.Value.Items.Value.Properties) > 0 {
			data.Value.Items = c.component(pascal+"Item", data.Value.Items)
		} else {
			v.Properties["data"] = c.component(name, data)
		}
	}
	return c.component(pascal+"Envelope", s)
}

// component stores s under a free name and returns a reference to it.
func (c *converter) component(name string, s *openapi3.SchemaRef) *openapi3.SchemaRef {
	base := name
	for n := 2; c.spec.Components != nil && c.spec.Components.Schemas[name] != nil || c.schemas[name] != nil; n++ {
		name = fmt.Sprintf("%s%d", base, n)
	}
	if s.Value.Description == "" {
		s.Value.Description = "Proposed from " + c.pageURL + "."
	}
	c.schemas[name] = &openapi3.SchemaRef{Value: s.Value}
	return openapi3.NewSchemaRef("#/components/schemas/"+name, nil)
}

var (
	reDateName  = regexp.MustCompile(`(?i)^date|date$|datetime$|time$|^[a-z]+At$`)
	reDateValue = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}|$)`)
)

// looksLikeDate: a string property named like a date (dateCase, eventDate, createdAt) or
// whose example is one.
func looksLikeDate(name string, s *openapi3.Schema) bool {
	if s.Format == "date-time" || s.Format == "date" || reDateName.MatchString(name) {
		return true
	}
	ex, ok := s.Example.(string)
	return ok && reDateValue.MatchString(ex)
}

// convertSchema applies the spec's conventions in place: Apidog's extensions dropped; dates
// as type string + wire.Time (never format date-time, which rejects the API's real forms);
// ids and codes whose documented type and example disagree as wire.ID / wire.Code; response
// required markers moved to x-gofive-docs-required.
func (c *converter) convertSchema(s *openapi3.Schema, response bool, depth int) {
	if s == nil || depth > 64 {
		return
	}
	s.Extensions = nil
	if response && len(s.Required) > 0 {
		s.Extensions = map[string]any{"x-gofive-docs-required": s.Required}
		s.Required = nil
	}
	for _, name := range slices.Sorted(maps.Keys(s.Properties)) {
		p := s.Properties[name]
		if p == nil || p.Value == nil {
			continue
		}
		v := p.Value
		isString := v.Type != nil && v.Type.Is("string")
		switch {
		case isString && looksLikeDate(name, v):
			v.Format = ""
			c.convertSchema(v, response, depth+1)
			v.Extensions = map[string]any{"x-go-type": "wire.Time", "x-go-type-import": wireImport}
			continue
		case (strings.EqualFold(name, "id") || strings.HasSuffix(name, "Id") || strings.EqualFold(name, "code")) && exampleDisagrees(v):
			goType := "wire.ID"
			if strings.EqualFold(name, "code") {
				goType = "wire.Code"
			}
			nullable := v.Nullable
			*v = openapi3.Schema{
				Description: v.Description,
				OneOf:       openapi3.SchemaRefs{openapi3.NewStringSchema().NewRef(), openapi3.NewIntegerSchema().NewRef()},
				Nullable:    nullable,
				Extensions:  map[string]any{"x-go-type": goType, "x-go-type-import": wireImport},
			}
			c.notes = append(c.notes, fmt.Sprintf("`%s`: the documented type and the example disagree; both are accepted (%s).", name, goType))
			continue
		}
		c.convertSchema(v, response, depth+1)
	}
	if s.Items != nil {
		c.convertSchema(s.Items.Value, response, depth+1)
	}
	for _, l := range []openapi3.SchemaRefs{s.AllOf, s.OneOf, s.AnyOf} {
		for _, x := range l {
			if x != nil {
				c.convertSchema(x.Value, response, depth+1)
			}
		}
	}
}

// exampleDisagrees: a string schema with a numeric example or the reverse.
func exampleDisagrees(s *openapi3.Schema) bool {
	if s.Type == nil || s.Example == nil {
		return false
	}
	_, isString := s.Example.(string)
	switch {
	case s.Type.Is("string"):
		return !isString
	case s.Type.Is("integer"), s.Type.Is("number"):
		return isString
	}
	return false
}

// moveExample writes a media type's example the spec's way: examples.docs with a summary.
func moveExample(mt *openapi3.MediaType) {
	if mt.Example == nil {
		return
	}
	mt.Examples = openapi3.Examples{"docs": &openapi3.ExampleRef{Value: &openapi3.Example{
		Summary: "Example from the docs page", Value: mt.Example,
	}}}
	mt.Example = nil
}
