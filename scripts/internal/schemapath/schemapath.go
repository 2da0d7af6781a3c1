// Package schemapath compares schemas by the JSON paths of their fields. make drift and make
// propose both use it to tell whether a docs page documents a shape the spec marks as a gap.
package schemapath

import "github.com/getkin/kin-openapi/openapi3"

// DocumentsMore reports whether page has a field (a JSON path such as ".data[].name") that
// spec has not. Nothing nested deeper than maxDepth is walked: loaded schemas may be cyclic.
func DocumentsMore(spec, page *openapi3.Schema, maxDepth int) bool {
	have, want := map[string]bool{}, map[string]bool{}
	fieldPaths(spec, "", have, 0, maxDepth)
	fieldPaths(page, "", want, 0, maxDepth)
	for p := range want {
		if !have[p] {
			return true
		}
	}
	return false
}

func fieldPaths(s *openapi3.Schema, prefix string, out map[string]bool, depth, maxDepth int) {
	if s == nil || depth > maxDepth {
		return
	}
	for name, p := range s.Properties {
		out[prefix+"."+name] = true
		fieldPaths(schemaOf(p), prefix+"."+name, out, depth+1, maxDepth)
	}
	fieldPaths(schemaOf(s.Items), prefix+"[]", out, depth+1, maxDepth)
	for _, l := range []openapi3.SchemaRefs{s.AllOf, s.OneOf, s.AnyOf} {
		for _, x := range l {
			fieldPaths(schemaOf(x), prefix, out, depth+1, maxDepth)
		}
	}
}

func schemaOf(s *openapi3.SchemaRef) *openapi3.Schema {
	if s == nil {
		return nil
	}
	return s.Value
}
