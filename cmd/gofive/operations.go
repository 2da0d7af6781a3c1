package main

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/gofive-go/gofive/spec"
	"github.com/gofive-go/gofive/spec/xgofive"
)

// tokenOperationID is the token endpoint's operation: `gofive token`, not `gofive call`.
const tokenOperationID = "getAccessToken"

// An operation is one operation of the embedded spec, with what the CLI needs of it.
type operation struct {
	ID           string
	Tag          string
	Method       string
	Path         string
	Summary      string
	Completeness string
	// ReadOnly is x-gofive-read-only: a POST that only reads (an enquiry), safe to retry.
	ReadOnly bool
	Paging   *xgofive.Paging

	op   *openapi3.Operation
	item *openapi3.PathItem
}

// specIndex is the spec, parsed once per process.
type specIndex struct {
	doc  *openapi3.T
	ops  []*operation // sorted by tag, then operation id
	byID map[string]*operation
}

var loadIndex = sync.OnceValues(func() (*specIndex, error) {
	doc, err := spec.Load()
	if err != nil {
		return nil, err
	}
	idx := &specIndex{doc: doc, byID: map[string]*operation{}}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			o := &operation{
				ID: op.OperationID, Method: method, Path: path, Summary: op.Summary,
				op: op, item: item,
			}
			if len(op.Tags) > 0 {
				o.Tag = op.Tags[0]
			}
			o.Completeness = xgofive.Completeness(op)
			o.ReadOnly = xgofive.ReadOnly(op)
			pg, err := xgofive.PagingOf(op)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", op.OperationID, err)
			}
			o.Paging = pg
			idx.ops = append(idx.ops, o)
			idx.byID[o.ID] = o
		}
	}
	slices.SortFunc(idx.ops, func(a, b *operation) int {
		return cmp.Or(cmp.Compare(a.Tag, b.Tag), cmp.Compare(a.ID, b.ID))
	})
	return idx, nil
})

// lookup finds an operation by id; the error suggests the closest ids.
func (idx *specIndex) lookup(id string) (*operation, error) {
	if o := idx.byID[id]; o != nil {
		return o, nil
	}
	var near []string
	for _, o := range idx.ops {
		if strings.EqualFold(o.ID, id) || levenshtein(strings.ToLower(o.ID), strings.ToLower(id)) <= 3 {
			near = append(near, o.ID)
		}
	}
	msg := fmt.Sprintf("unknown operation %q", id)
	if len(near) > 0 {
		msg += fmt.Sprintf(" (did you mean %s?)", strings.Join(near, ", "))
	}
	return nil, usageError{msg + "; `gofive ops` lists them all"}
}

// pagingOps names the operations that --all can page through.
func (idx *specIndex) pagingOps() []string {
	var ids []string
	for _, o := range idx.ops {
		if o.Paging != nil {
			ids = append(ids, o.ID)
		}
	}
	slices.Sort(ids)
	return ids
}

// params returns the operation's parameters, those of its path item included.
func (o *operation) params() openapi3.Parameters {
	var out openapi3.Parameters
	out = append(out, o.op.Parameters...)
	for _, p := range o.item.Parameters {
		if o.op.Parameters.GetByInAndName(p.Value.In, p.Value.Name) == nil {
			out = append(out, p)
		}
	}
	return out
}

// param returns the parameter named name in path, query or header, or nil.
func (o *operation) param(name string) *openapi3.Parameter {
	for _, p := range o.params() {
		if p.Value != nil && p.Value.Name == name && p.Value.In != openapi3.ParameterInCookie {
			return p.Value
		}
	}
	return nil
}

// jsonBody returns the JSON request body's media type, or nil when the operation takes none.
func (o *operation) jsonBody() (*openapi3.MediaType, bool) {
	if o.op.RequestBody == nil || o.op.RequestBody.Value == nil {
		return nil, false
	}
	rb := o.op.RequestBody.Value
	mt := rb.Content.Get("application/json")
	return mt, rb.Required
}

// bodySchema returns the JSON body's schema, or nil.
func (o *operation) bodySchema() *openapi3.Schema {
	mt, _ := o.jsonBody()
	if mt == nil || mt.Schema == nil {
		return nil
	}
	return mt.Schema.Value
}

// bodyExample returns the first documented example of the JSON body (by example name), or nil.
func (o *operation) bodyExample() any {
	mt, _ := o.jsonBody()
	if mt == nil {
		return nil
	}
	if mt.Example != nil {
		return mt.Example
	}
	names := make([]string, 0, len(mt.Examples))
	for n := range mt.Examples {
		names = append(names, n)
	}
	slices.Sort(names)
	// Prefer an example with real values to one of placeholders ("<string>").
	var first any
	for _, n := range names {
		if ex := mt.Examples[n]; ex != nil && ex.Value != nil {
			if !hasPlaceholder(ex.Value.Value) {
				return ex.Value.Value
			}
			if first == nil {
				first = ex.Value.Value
			}
		}
	}
	return first
}

// hasPlaceholder reports whether an example holds a docs placeholder such as "<string>".
func hasPlaceholder(v any) bool {
	switch x := v.(type) {
	case string:
		return strings.HasPrefix(x, "<") && strings.HasSuffix(x, ">")
	case map[string]any:
		for _, e := range x {
			if hasPlaceholder(e) {
				return true
			}
		}
	case []any:
		for _, e := range x {
			if hasPlaceholder(e) {
				return true
			}
		}
	}
	return false
}

func levenshtein(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
