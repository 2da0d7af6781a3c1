package spec

import (
	"encoding/json"
	"sort"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
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

func TestCloseObjectsReport(t *testing.T) {
	doc := MustLoad()
	rep := closeObjects(doc)
	keys := make([]string, 0, len(rep.open))
	for k := range rep.open {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		t.Logf("open: %s (%s)", k, rep.open[k])
	}
	t.Logf("closed %d object schemas", rep.closed)
}
