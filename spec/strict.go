package spec

import (
	"sort"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/gofive-go/gofive/spec/xgofive"
)

// LoadStrict is [Load] with the spec's objects closed as [Strict] describes: every object
// schema with properties gets additionalProperties: false, except objects marked
// x-gofive-unrecovered or x-gofive-partial (their property lists are known to be incomplete)
// and objects combined with others in an allOf. Each call returns a new document.
func LoadStrict() (*openapi3.T, error) {
	doc, err := Load()
	if err != nil {
		return nil, err
	}
	closeObjects(doc)
	return doc, nil
}

// strictReport says what closeObjects did, for tests and for the curious.
type strictReport struct {
	closed int
	// open lists the object schemas with properties left open, with the reason.
	open map[string]string
}

// closeObjects sets additionalProperties: false on doc's object schemas in place (doc is the
// caller's own copy: Load returns a new document each time).
//
// Left open:
//   - objects marked x-gofive-unrecovered or x-gofive-partial; their descendants are closed
//     as usual (a partial SalesOrder still has fully known line items);
//   - objects that declare additionalProperties themselves;
//   - members of an allOf with more than one member or whose owner has properties of its own,
//     and such owners: OpenAPI 3.0's additionalProperties sees only the properties of its own
//     schema, so closing one part of an allOf would reject the other parts' properties.
//
// Members of oneOf/anyOf are closed: that only narrows each alternative, and for this spec's
// alternatives (object vs array, string vs integer) it cannot make a value ambiguous.
func closeObjects(doc *openapi3.T) strictReport {
	rep := strictReport{open: map[string]string{}}
	names := map[*openapi3.Schema]string{}
	for name, ref := range doc.Components.Schemas {
		if ref.Value != nil {
			names[ref.Value] = "#/components/schemas/" + name
		}
	}
	shared := map[*openapi3.Schema]bool{}
	var all []*openapi3.Schema
	eachSchema(doc, func(s *openapi3.Schema) {
		all = append(all, s)
		if len(s.AllOf) > 1 || (len(s.AllOf) > 0 && len(s.Properties) > 0) {
			shared[s] = true
			for _, m := range s.AllOf {
				if m.Value != nil {
					shared[m.Value] = true
				}
			}
		}
	})
	no := false
	for _, s := range all {
		if len(s.Properties) == 0 {
			continue
		}
		name := names[s]
		if name == "" {
			name = "inline object {" + firstProps(s) + "}"
		}
		switch {
		case xgofive.Incomplete(s):
			rep.open[name] = "marked x-gofive-unrecovered or x-gofive-partial"
		case s.AdditionalProperties.Has != nil || s.AdditionalProperties.Schema != nil:
			rep.open[name] = "declares additionalProperties itself"
		case shared[s]:
			rep.open[name] = "part of an allOf with other parts"
		default:
			s.AdditionalProperties = openapi3.AdditionalProperties{Has: &no}
			rep.closed++
		}
	}
	return rep
}

func firstProps(s *openapi3.Schema) string {
	keys := make([]string, 0, len(s.Properties))
	for k := range s.Properties {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if len(keys) > 3 {
		keys = append(keys[:3], "…")
	}
	out := ""
	for i, k := range keys {
		if i > 0 {
			out += ", "
		}
		out += k
	}
	return out
}
