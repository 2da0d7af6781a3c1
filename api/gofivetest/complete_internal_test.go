package gofivetest

import (
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/google/go-cmp/cmp"
)

// TestCompleteFillsDocsRequired: a property the docs mark required and the answer lacks is
// added with its type's zero value, nested objects and list items included; present values
// and properties the docs do not mark are left alone. (Synthetic schema, not an API fact.)
func TestCompleteFillsDocsRequired(t *testing.T) {
	item := &openapi3.Schema{
		Type: &openapi3.Types{openapi3.TypeObject},
		Properties: openapi3.Schemas{
			"qty":  {Value: &openapi3.Schema{Type: &openapi3.Types{openapi3.TypeNumber}}},
			"note": {Value: &openapi3.Schema{Type: &openapi3.Types{openapi3.TypeString}}},
		},
		Extensions: map[string]any{"x-gofive-docs-required": []any{"qty"}},
	}
	s := &openapi3.Schema{
		Type: &openapi3.Types{openapi3.TypeObject},
		Properties: openapi3.Schemas{
			"name":   {Value: &openapi3.Schema{Type: &openapi3.Types{openapi3.TypeString}}},
			"active": {Value: &openapi3.Schema{Type: &openapi3.Types{openapi3.TypeBoolean}}},
			"tags":   {Value: &openapi3.Schema{Type: &openapi3.Types{openapi3.TypeArray}}},
			"items":  {Value: &openapi3.Schema{Type: &openapi3.Types{openapi3.TypeArray}, Items: &openapi3.SchemaRef{Value: item}}},
			"extra":  {Value: &openapi3.Schema{Type: &openapi3.Types{openapi3.TypeString}}},
		},
		Extensions: map[string]any{"x-gofive-docs-required": []any{"name", "active", "tags", "items"}},
	}
	got := complete(s, map[string]any{"name": "kept", "items": []any{map[string]any{}}}, 0)
	want := map[string]any{
		"name": "kept", "active": false, "tags": []any{},
		"items": []any{map[string]any{"qty": 0}},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("complete (-want +got):\n%s", d)
	}
}
