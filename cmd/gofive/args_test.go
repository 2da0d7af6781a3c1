package main

import (
	"io"
	"slices"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/gofive-go/gofive/spec/xgofive"
)

// TestCoerce: command-line values become the JSON type the schema gives the field.
func TestCoerce(t *testing.T) {
	intOrBool := &openapi3.Schema{OneOf: openapi3.SchemaRefs{
		openapi3.NewSchemaRef("", openapi3.NewIntegerSchema()),
		openapi3.NewSchemaRef("", openapi3.NewBoolSchema()),
	}}
	nullableInt := openapi3.NewIntegerSchema()
	nullableInt.Nullable = true
	tests := []struct {
		name   string
		schema *openapi3.Schema
		value  string
		want   string // JSON; "" means an error
	}{
		{"integer", openapi3.NewIntegerSchema(), "2140016585", "2140016585"},
		{"negative integer", openapi3.NewIntegerSchema(), "-3", "-3"},
		{"integer with sign", openapi3.NewIntegerSchema(), "+3", ""},
		{"integer with fraction", openapi3.NewIntegerSchema(), "1.5", ""},
		{"integer word", openapi3.NewIntegerSchema(), "one", ""},
		{"number", openapi3.NewFloat64Schema(), "12.50", "12.50"},
		{"number exponent", openapi3.NewFloat64Schema(), "1e3", "1e3"},
		{"number leading dot", openapi3.NewFloat64Schema(), ".5", ""},
		{"number NaN", openapi3.NewFloat64Schema(), "NaN", ""},
		{"boolean", openapi3.NewBoolSchema(), "true", "true"},
		{"boolean no", openapi3.NewBoolSchema(), "yes", ""},
		{"string stays a string", openapi3.NewStringSchema(), "00001", `"00001"`},
		{"string null", openapi3.NewStringSchema(), "null", `"null"`},
		{"nullable integer null", nullableInt, "null", "null"},
		{"array JSON", openapi3.NewArraySchema().WithItems(openapi3.NewStringSchema()), `["a","b"]`, `["a","b"]`},
		{"array comma-separated", openapi3.NewArraySchema().WithItems(openapi3.NewIntegerSchema()), "1,0", "[1,0]"},
		{"array comma-separated bad item", openapi3.NewArraySchema().WithItems(openapi3.NewIntegerSchema()), "1,x", ""},
		{"array of strings, one", openapi3.NewArraySchema().WithItems(openapi3.NewStringSchema()), "C000001", `["C000001"]`},
		{"array empty", openapi3.NewArraySchema().WithItems(openapi3.NewStringSchema()), "", `[]`},
		{"object", openapi3.NewObjectSchema(), `{"a":1}`, `{"a":1}`},
		{"object not JSON", openapi3.NewObjectSchema(), `a=1`, ""},
		{"oneOf first fits", intOrBool, "1", "1"},
		{"oneOf second fits", intOrBool, "true", "true"},
		{"oneOf none fits", intOrBool, "x", ""},
		{"untyped JSON", &openapi3.Schema{}, `{"x":[1]}`, `{"x":[1]}`},
		{"untyped text", &openapi3.Schema{}, `hello`, `"hello"`},
		{"no schema", nil, `12`, `12`},
	}
	for _, tt := range tests {
		v, err := coerce(tt.schema, tt.value)
		if tt.want == "" {
			if err == nil {
				t.Errorf("%s: %q gave %v, want an error", tt.name, tt.value, v)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %q: %v", tt.name, tt.value, err)
			continue
		}
		got, err := encodeBody(v)
		if err != nil || string(got) != tt.want {
			t.Errorf("%s: %q became %s (%v), want %s", tt.name, tt.value, got, err, tt.want)
		}
	}
}

// TestJSONPointer resolves the items pointers of x-gofive-paging.
func TestJSONPointer(t *testing.T) {
	doc := []byte(`{"data":{"value":[{"a":1},{"a":2}],"a/b":{"~":3}}}`)
	for ptr, want := range map[string]string{
		"":              string(doc),
		"/data/value":   `[{"a":1},{"a":2}]`,
		"/data/value/1": `{"a":2}`,
		"/data/a~1b/~0": `3`,
		"/data/missing": ``,
		"/data/value/9": ``,
	} {
		got, err := jsonPointer(doc, ptr)
		if err != nil || string(got) != want {
			t.Errorf("%q: %s (%v), want %s", ptr, got, err, want)
		}
	}
	if _, err := jsonPointer(doc, "data"); err == nil {
		t.Error("a pointer without a leading / was accepted")
	}
	items, err := pageItems(&xgofive.Paging{}, []byte(`{"data":{"value":[1,2,3]}}`))
	if err != nil || len(items) != 3 {
		t.Errorf("data.value: %v %v", items, err)
	}
	items, err = pageItems(&xgofive.Paging{}, []byte(`{"status":{"code":"1000"}}`))
	if err != nil || len(items) != 0 {
		t.Errorf("no data: %v %v", items, err)
	}
	if _, err = pageItems(&xgofive.Paging{}, []byte(`{"data":{"count":3}}`)); err == nil {
		t.Error("an object without value was taken for a list")
	}
}

// TestParseArgs: flags may follow positional arguments; "--" ends the flags.
func TestParseArgs(t *testing.T) {
	tests := []struct {
		args    []string
		wantPos []string
		wantRaw bool
	}{
		{[]string{"op", "a=1", "--raw", "b=2"}, []string{"op", "a=1", "b=2"}, true},
		{[]string{"--raw", "op"}, []string{"op"}, true},
		{[]string{"op", "--", "--raw", "c=-1"}, []string{"op", "--raw", "c=-1"}, false},
		{nil, nil, false},
	}
	for _, tt := range tests {
		fs := newFlagSet("test", io.Discard, nil)
		raw := fs.Bool("raw", false, "")
		pos, err := parseArgs(fs, tt.args, nil)
		if err != nil || !slices.Equal(pos, tt.wantPos) || *raw != tt.wantRaw {
			t.Errorf("%q: positional %q raw %v (%v), want %q raw %v", tt.args, pos, *raw, err, tt.wantPos, tt.wantRaw)
		}
	}
	fs := newFlagSet("test", io.Discard, nil)
	if _, err := parseArgs(fs, []string{"op", "--nope"}, nil); flagExit(err) != exitUsage {
		t.Errorf("unknown flag: %v", err)
	}
	fs = newFlagSet("test", io.Discard, nil)
	if _, err := parseArgs(fs, []string{"-h"}, nil); flagExit(err) != exitOK {
		t.Errorf("-h: %v", err)
	}
}
