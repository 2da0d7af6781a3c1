package spec

import (
	"encoding/json"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// TestEveryExampleValidates checks each request and response example against its media
// type's schema one by one (Load already validates them in bulk; this names the failing one
// and counts them).
func TestEveryExampleValidates(t *testing.T) {
	doc := MustLoad()
	n := 0
	check := func(where string, mt *openapi3.MediaType) {
		for name, ex := range mt.Examples {
			n++
			// Round-trip through JSON so the value has the types a decoder would produce.
			b, err := json.Marshal(ex.Value.Value)
			if err != nil {
				t.Errorf("%s example %s: %v", where, name, err)
				continue
			}
			var v any
			if err := json.Unmarshal(b, &v); err != nil {
				t.Errorf("%s example %s: %v", where, name, err)
				continue
			}
			if err := mt.Schema.Value.VisitJSON(v, openapi3.MultiErrors()); err != nil {
				t.Errorf("%s example %s does not validate: %v", where, name, err)
			}
		}
		if mt.Example != nil {
			t.Errorf("%s: use the named examples map, not example", where)
		}
	}
	for _, m := range mediaTypes(doc) {
		check(m.where, m.mt)
	}
	t.Logf("%d examples validated", n)
	if n < 30 {
		t.Errorf("only %d examples in the spec; documented examples are missing", n)
	}
}
