package xgofive_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/gofive-go/gofive/spec"
	"github.com/gofive-go/gofive/spec/xgofive"
)

// The operations and schemas below are synthetic: they exercise the parser, not the API.

func op(ext map[string]any) *openapi3.Operation {
	return &openapi3.Operation{Extensions: ext}
}

func TestOperationAccessors(t *testing.T) {
	o := op(map[string]any{
		"x-gofive-completeness": "partial", "x-gofive-developing": true, "x-gofive-read-only": true,
		"x-gofive-sources": []any{"SEEN a", "CODE b"}, "x-gofive-notes": []any{"n1"},
	})
	if xgofive.Completeness(o) != xgofive.Partial || !xgofive.Developing(o) || !xgofive.ReadOnly(o) {
		t.Errorf("completeness %q developing %v read-only %v", xgofive.Completeness(o), xgofive.Developing(o), xgofive.ReadOnly(o))
	}
	if got := xgofive.Sources(o.Extensions); !reflect.DeepEqual(got, []string{"SEEN a", "CODE b"}) {
		t.Errorf("Sources = %q", got)
	}
	if got := xgofive.Notes(o.Extensions); !reflect.DeepEqual(got, []string{"n1"}) {
		t.Errorf("Notes = %q", got)
	}
	// Absent or mistyped values read as absent.
	bad := op(map[string]any{"x-gofive-completeness": 1, "x-gofive-read-only": "true", "x-gofive-sources": "SEEN"})
	if xgofive.Completeness(bad) != "" || xgofive.ReadOnly(bad) || xgofive.Developing(bad) || xgofive.Sources(bad.Extensions) != nil {
		t.Error("mistyped values were read")
	}
}

func TestSchemaAccessors(t *testing.T) {
	s := &openapi3.Schema{Extensions: map[string]any{"x-gofive-partial": true, "x-gofive-values": map[string]any{"1": "Open", "2": "Closed"}}}
	if !xgofive.PartialSchema(s) || xgofive.Unrecovered(s) || !xgofive.Incomplete(s) {
		t.Errorf("partial %v unrecovered %v incomplete %v", xgofive.PartialSchema(s), xgofive.Unrecovered(s), xgofive.Incomplete(s))
	}
	if got := xgofive.Values(s); !reflect.DeepEqual(got, map[string]string{"1": "Open", "2": "Closed"}) {
		t.Errorf("Values = %v", got)
	}
	u := &openapi3.Schema{Extensions: map[string]any{"x-gofive-unrecovered": true}}
	if !xgofive.Unrecovered(u) || !xgofive.Incomplete(u) || xgofive.Incomplete(&openapi3.Schema{}) {
		t.Error("unrecovered schema misread")
	}
}

func TestPagingOf(t *testing.T) {
	tests := []struct {
		ext     any
		want    *xgofive.Paging
		wantErr string
	}{
		{nil, nil, ""},
		{map[string]any{"size": "take", "offset": "skip", "items": "/data/value"}, &xgofive.Paging{Size: "take", Offset: "skip", Items: "/data/value"}, ""},
		{map[string]any{"size": "take", "offset": "skip"}, &xgofive.Paging{Size: "take", Offset: "skip"}, ""},
		{map[string]any{"size": "take"}, nil, "size and offset are required"},
		{map[string]any{"size": "take", "offset": 1}, nil, "offset: want a string"},
		{map[string]any{"size": "take", "offset": "skip", "item": "/data"}, nil, `unknown key "item"`},
		{map[string]any{"size": "take", "offset": "skip", "items": "/value"}, nil, "want a JSON pointer into data"},
		{"take/skip", nil, "want an object"},
	}
	for _, tt := range tests {
		ext := map[string]any{}
		if tt.ext != nil {
			ext["x-gofive-paging"] = tt.ext
		}
		got, err := xgofive.PagingOf(op(ext))
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("%v: err = %v, want %q", tt.ext, err, tt.wantErr)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%v: got %+v, %v; want %+v", tt.ext, got, err, tt.want)
		}
	}
}

func TestWebhooksOfRejects(t *testing.T) {
	doc := &openapi3.T{Components: &openapi3.Components{Schemas: openapi3.Schemas{
		"P": {Value: openapi3.NewObjectSchema()},
	}}}
	for _, tt := range []struct {
		ext     any
		wantErr string
	}{
		{nil, "missing"},
		{map[string]any{"payloads": map[string]any{}}, "payloads missing or empty"},
		{map[string]any{"payloads": map[string]any{"a": "x"}}, "payload a: not an object"},
		{map[string]any{"payloads": map[string]any{"a": map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/Q"}}}}, "does not exist"},
		{map[string]any{"payloads": map[string]any{"a": map[string]any{"schema": map[string]any{"type": "object"}}}}, "must be a $ref"},
		{map[string]any{"payloads": map[string]any{"a": map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/P"},
			"examples": map[string]any{"e": map[string]any{"summary": "no value"}}}}}, "example e: no value"},
	} {
		doc.Extensions = map[string]any{}
		if tt.ext != nil {
			doc.Extensions["x-gofive-webhooks"] = tt.ext
		}
		if _, err := xgofive.WebhooksOf(doc); err == nil || !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("%v: err = %v, want %q", tt.ext, err, tt.wantErr)
		}
	}
}

// TestTheSpec reads every extension of the real spec through the package: the values have
// the shapes the accessors expect (a mistyped value would read as absent, silently).
func TestTheSpec(t *testing.T) {
	doc := spec.MustLoad()
	var ops, readOnly, paged, values int
	for path, item := range doc.Paths.Map() {
		for verb, o := range item.Operations() {
			ops++
			if c := xgofive.Completeness(o); c != xgofive.Full && c != xgofive.Partial {
				t.Errorf("%s %s: completeness %q", verb, path, c)
			}
			if v, ok := o.Extensions[xgofive.KeyReadOnly]; ok {
				if v != true || verb != "POST" {
					t.Errorf("%s %s: x-gofive-read-only is %v; only POSTs carry it, as true", verb, path, v)
				}
				readOnly++
			}
			if v, ok := o.Extensions[xgofive.KeyNotes].([]any); ok && len(xgofive.Notes(o.Extensions)) != len(v) {
				t.Errorf("%s %s: a note is not a string", verb, path)
			}
			p, err := xgofive.PagingOf(o)
			if err != nil {
				t.Errorf("%s %s: %v", verb, path, err)
			}
			if p != nil {
				paged++
			}
		}
	}
	for name, ref := range doc.Components.Schemas {
		for pname, prop := range ref.Value.Properties {
			if raw, ok := prop.Value.Extensions[xgofive.KeyValues]; ok {
				values++
				m, _ := raw.(map[string]any)
				if len(m) == 0 || len(xgofive.Values(prop.Value)) != len(m) {
					t.Errorf("%s.%s: x-gofive-values is not a non-empty map: %v", name, pname, raw)
				}
			}
		}
	}
	if w, err := xgofive.WebhooksOf(doc); err != nil || len(w.Payloads) < 3 {
		t.Errorf("webhooks: %v, %+v", err, w)
	}
	if ops != 39 || readOnly == 0 || paged == 0 || values == 0 {
		t.Errorf("%d operations, %d read-only, %d paged, %d x-gofive-values on component properties", ops, readOnly, paged, values)
	}
}
