package main

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/gofive-go/gofive/api/redact"
	"github.com/gofive-go/gofive/spec/proposal"
	"github.com/gofive-go/gofive/spec/xgofive"
)

// writeProposals writes a spec fragment (package spec/proposal) for each successful answer whose
// documented schema the spec marks x-gofive-unrecovered or x-gofive-partial. The fragment's
// response schema is the observed skeleton: types and string forms, no example values. red
// removes the client's credentials: a member name it would change is not written.
func writeProposals(dir string, idx *specIndex, rep *probeReport, at time.Time, red *redact.Redactor) ([]string, error) {
	hide := func(name string) bool { return red.String(name) != name }
	var names []string
	for _, r := range rep.Operations {
		if r.shape == nil || (r.Outcome != outcomeOK && r.Outcome != outcomeDeviates) {
			continue
		}
		o := idx.byID[r.OperationID]
		if o == nil {
			continue
		}
		resp := o.op.Responses.Status(r.HTTPStatus)
		if resp == nil || resp.Value == nil {
			continue
		}
		mt := resp.Value.Content.Get("application/json")
		if mt == nil || mt.Schema == nil || !incomplete(mt.Schema.Value, map[*openapi3.Schema]bool{}, 0) {
			continue
		}
		op := openapi3.NewOperation()
		op.Summary = o.op.Summary
		op.Tags = o.op.Tags
		desc := "Observed by gofive probe: the type skeleton of one live answer (types and string forms only; no values). Review before merging: one account's answer may omit optional fields."
		op.Responses = openapi3.NewResponses()
		op.Responses.Delete("default")
		op.Responses.Set(strconv.Itoa(r.HTTPStatus), &openapi3.ResponseRef{Value: &openapi3.Response{
			Description: &desc,
			Content:     openapi3.NewContentWithJSONSchemaRef(r.shape.schema(hide)),
		}})
		if o.Method == http.MethodPost && o.ReadOnly {
			op.Extensions = map[string]any{xgofive.KeyReadOnly: true}
		}
		f := proposal.Fragment{
			OperationID:  o.ID,
			Method:       o.Method,
			Path:         o.Path,
			Source:       proposal.Observed,
			Date:         probeDate(at),
			Completeness: proposal.Partial,
			Operation:    op,
		}
		name, err := proposal.Write(dir, f)
		if err != nil {
			return names, fmt.Errorf("%s: %w", o.ID, err)
		}
		names = append(names, name)
	}
	return names, nil
}

// incomplete reports whether a schema or one below it is marked x-gofive-unrecovered or
// x-gofive-partial.
func incomplete(s *openapi3.Schema, seen map[*openapi3.Schema]bool, depth int) bool {
	if s == nil || seen[s] || depth > maxWalkDepth {
		return false
	}
	seen[s] = true
	if xgofive.Incomplete(s) {
		return true
	}
	var refs []*openapi3.SchemaRef
	for _, p := range s.Properties {
		refs = append(refs, p)
	}
	refs = append(refs, s.Items)
	refs = append(refs, s.OneOf...)
	refs = append(refs, s.AnyOf...)
	refs = append(refs, s.AllOf...)
	for _, r := range refs {
		if r != nil && incomplete(r.Value, seen, depth+1) {
			return true
		}
	}
	return false
}
