package spec

import (
	"encoding/json"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/gofive-go/gofive/spec/xgofive"
)

// TestStrictExamples: every documented example, request and response, validates against the
// strict copy of its schema — the docs are the contract, so closing the objects must not
// reject any of them.
func TestStrictExamples(t *testing.T) {
	doc, err := LoadStrict()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	check := func(where string, mt *openapi3.MediaType) {
		names := make([]string, 0, len(mt.Examples))
		for name := range mt.Examples {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			n++
			b, err := json.Marshal(mt.Examples[name].Value.Value)
			if err != nil {
				t.Fatal(err)
			}
			var v any
			if err := json.Unmarshal(b, &v); err != nil {
				t.Fatal(err)
			}
			if err := mt.Schema.Value.VisitJSON(v, openapi3.MultiErrors()); err != nil {
				var problems ValidationErrors
				schemaErrors("$", err, func(field, expected, got string) {
					problems = append(problems, &ValidationError{Field: field, Expected: expected, Got: got})
				}, false)
				t.Errorf("%s example %q fails strict validation:\n%v", where, name, problems)
			}
		}
	}
	for _, m := range mediaTypes(doc) {
		check(m.where, m.mt)
	}
	t.Logf("%d examples pass strict validation", n)
}

// TestCloseObjectsReport: every component object schema is closed by LoadStrict unless the
// spec says its property list is incomplete, it declares additionalProperties itself, or it
// takes part in an allOf — and the report names each open one with its reason.
func TestCloseObjectsReport(t *testing.T) {
	fresh := MustLoad()
	doc := MustLoad()
	rep := closeObjects(doc)
	inAllOf := map[string]bool{} // components that own an allOf or are a $ref member of one
	for name, ref := range fresh.Components.Schemas {
		walkSchemas(name, ref, map[*openapi3.Schema]bool{}, func(_ string, s *openapi3.Schema) {
			if len(s.AllOf) == 0 {
				return
			}
			inAllOf[name] = true
			for _, m := range s.AllOf {
				inAllOf[strings.TrimPrefix(m.Ref, "#/components/schemas/")] = true
			}
		})
	}
	var checked, marked int
	for name, ref := range doc.Components.Schemas {
		s, orig := ref.Value, fresh.Components.Schemas[name].Value
		if len(s.Properties) == 0 || inAllOf[name] {
			continue
		}
		checked++
		key := "#/components/schemas/" + name
		closed := s.AdditionalProperties.Has != nil && !*s.AdditionalProperties.Has
		switch {
		case orig.Extensions[xgofive.KeyUnrecovered] == true || orig.Extensions[xgofive.KeyPartial] == true:
			marked++
			if closed || rep.open[key] != "marked x-gofive-unrecovered or x-gofive-partial" {
				t.Errorf("%s is marked incomplete: want it open and reported, closed=%v, report %q", name, closed, rep.open[key])
			}
		case orig.AdditionalProperties.Has != nil || orig.AdditionalProperties.Schema != nil:
			if rep.open[key] != "declares additionalProperties itself" {
				t.Errorf("%s declares additionalProperties: report %q", name, rep.open[key])
			}
		default:
			if !closed {
				t.Errorf("%s is fully known but left open (%q)", name, rep.open[key])
			}
			if _, ok := rep.open[key]; ok {
				t.Errorf("%s is closed but reported open", name)
			}
		}
	}
	if checked < 20 || marked == 0 || rep.closed < checked-len(rep.open) {
		t.Errorf("checked %d component objects (%d marked), report: %d closed, %d open", checked, marked, rep.closed, len(rep.open))
	}
}
