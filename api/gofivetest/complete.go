package gofivetest

import (
	"encoding/json"
	"net/http"
	"strconv"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/gofive-go/gofive/spec"
	"github.com/gofive-go/gofive/spec/xgofive"
)

// The fake answers the way the docs show a record: every property the docs mark required
// (x-gofive-docs-required, see the spec's response policy) is present, with its type's zero
// value when the fake has nothing stored for it. The generated types leave zero values out
// (omitzero), so without this step a record created with only its required request fields would
// come back thinner than any documented example, and `gofive probe` (which also checks the
// docs' markers) would report the fake itself as deviating.

// responseDoc is the spec the fake completes its answers from; it is only read.
var responseDoc = sync.OnceValues(spec.Load)

// completeDepth bounds the walk; the spec's response schemas nest far less deeply.
const completeDepth = 32

// completeResponse fills in the docs-required properties of a successful JSON answer of op.
// Anything it cannot place (an unknown schema, a body that is not JSON) is left as it is.
func completeResponse(route *spec.Route, res response) response {
	doc, err := responseDoc()
	if err != nil || res.status != http.StatusOK || len(res.body) == 0 || route == nil {
		return res
	}
	item := doc.Paths.Find(route.Path)
	if item == nil {
		return res
	}
	op := item.GetOperation(route.Method)
	if op == nil || op.Responses == nil {
		return res
	}
	r := op.Responses.Value(strconv.Itoa(res.status))
	if r == nil || r.Value == nil {
		return res
	}
	mt := r.Value.Content.Get("application/json")
	if mt == nil || mt.Schema == nil || mt.Schema.Value == nil {
		return res
	}
	var v any
	if err := json.Unmarshal(res.body, &v); err != nil {
		return res
	}
	v = complete(mt.Schema.Value, v, 0)
	b, err := json.Marshal(v)
	if err != nil {
		return res
	}
	res.body = b
	return res
}

// complete adds the docs-required properties missing from v (as decoded by encoding/json).
func complete(s *openapi3.Schema, v any, depth int) any {
	if s == nil || depth > completeDepth {
		return v
	}
	switch v := v.(type) {
	case map[string]any:
		o := objectSchema(s)
		for _, name := range xgofive.DocsRequired(o) {
			if _, ok := v[name]; ok {
				continue
			}
			if p := o.Properties[name]; p != nil && p.Value != nil {
				v[name] = zeroOf(p.Value, depth+1)
			}
		}
		for name, sub := range v {
			if p := o.Properties[name]; p != nil && p.Value != nil {
				v[name] = complete(p.Value, sub, depth+1)
			}
		}
		return v
	case []any:
		if s.Items != nil {
			for i := range v {
				v[i] = complete(s.Items.Value, v[i], depth+1)
			}
		}
		return v
	}
	return v
}

// objectSchema is s, or the single allOf member a nullable wrapper points at.
func objectSchema(s *openapi3.Schema) *openapi3.Schema {
	if len(s.Properties) == 0 && len(s.AllOf) == 1 && s.AllOf[0].Value != nil {
		return s.AllOf[0].Value
	}
	return s
}

// zeroOf is the zero value of s's type as JSON: "", 0, false, [], or an object holding its own
// docs-required properties; null where the type is not one of those.
func zeroOf(s *openapi3.Schema, depth int) any {
	s = objectSchema(s)
	if s.Type == nil {
		if len(s.OneOf) > 0 && s.OneOf[0].Value != nil {
			return zeroOf(s.OneOf[0].Value, depth)
		}
		return nil
	}
	switch {
	case s.Type.Is(openapi3.TypeString):
		return ""
	case s.Type.Is(openapi3.TypeInteger), s.Type.Is(openapi3.TypeNumber):
		return 0
	case s.Type.Is(openapi3.TypeBoolean):
		return false
	case s.Type.Is(openapi3.TypeArray):
		return []any{}
	case s.Type.Is(openapi3.TypeObject):
		return complete(s, map[string]any{}, depth)
	}
	return nil
}
