package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/gofive-go/gofive/spec/xgofive"
)

// A request is what `gofive call` sends: path and query parameters and the JSON body,
// built from name=value arguments and --body.
type request struct {
	op    *operation
	path  map[string]string
	query url.Values
	// body is the decoded JSON body (json.Number for numbers); nil with hasBody false
	// means no body at all.
	body    any
	hasBody bool
}

// buildRequest applies the name=value arguments to the operation, on top of body (the
// decoded --body, or nil).
//
// A name is a path, query or header parameter of the operation if it has one of that name,
// else a top-level field of the JSON body ("body.NAME" forces the body). Values are coerced
// to the type the spec gives: integer, number, boolean, string; arrays and objects are
// JSON (or, for arrays of scalars, comma-separated). "name:=JSON" takes the value as JSON
// as it is (e.g. status:=null).
func buildRequest(o *operation, pairs []string, body any, hasBody bool) (*request, error) {
	r := &request{op: o, path: map[string]string{}, query: url.Values{}, body: body, hasBody: hasBody}
	bodySchema := o.bodySchema()
	for _, pair := range pairs {
		name, value, ok := strings.Cut(pair, "=")
		if !ok || name == "" || name == ":" {
			return nil, usagef("argument %q is not name=value", pair)
		}
		raw := strings.HasSuffix(name, ":")
		name = strings.TrimSuffix(name, ":")
		forceBody := strings.HasPrefix(name, "body.")
		if forceBody {
			name = strings.TrimPrefix(name, "body.")
		}
		if p := o.param(name); p != nil && !forceBody {
			var sch *openapi3.Schema
			if p.Schema != nil {
				sch = p.Schema.Value
			}
			v := value
			if raw {
				var x any
				if err := json.Unmarshal([]byte(value), &x); err != nil {
					return nil, usagef("%s: %s is not JSON: %v", name, value, err)
				}
				if s, isString := x.(string); isString {
					v = s
				} else {
					v = strings.TrimSpace(value)
				}
			}
			if _, err := coerce(sch, v); err != nil {
				return nil, usagef("%s parameter %s: %v", p.In, name, err)
			}
			switch p.In {
			case openapi3.ParameterInPath:
				r.path[name] = v
			case openapi3.ParameterInQuery:
				r.query.Add(name, v)
			default:
				return nil, usagef("%s is a %s parameter, which gofive call cannot set", name, p.In)
			}
			continue
		}
		if bodySchema == nil {
			return nil, usagef("unknown parameter %q: %s %s", name, o.ID, o.describeParams())
		}
		if bodySchema.Type.Is("array") {
			return nil, usagef("unknown parameter %q: the body of %s is a JSON array; give it with --body FILE (or - for stdin)", name, o.ID)
		}
		props := properties(bodySchema)
		prop := props[name]
		if prop == nil && !forceBody && !isOpen(bodySchema, props) {
			return nil, usagef("unknown parameter %q: %s %s (write body.%s=… to send an undocumented body field anyway)", name, o.ID, o.describeParams(), name)
		}
		var v any
		if raw {
			dec := json.NewDecoder(strings.NewReader(value))
			dec.UseNumber()
			if err := dec.Decode(&v); err != nil {
				return nil, usagef("%s: %s is not JSON: %v", name, value, err)
			}
		} else {
			var err error
			if v, err = coerce(prop, value); err != nil {
				return nil, usagef("body field %s: %v", name, err)
			}
		}
		if !r.hasBody || r.body == nil {
			r.body, r.hasBody = map[string]any{}, true
		}
		m, isObject := r.body.(map[string]any)
		if !isObject {
			return nil, usagef("%s: the --body is not a JSON object, so name=value cannot add fields to it", name)
		}
		m[name] = v
	}
	for _, p := range o.params() {
		pv := p.Value
		if pv == nil || !pv.Required {
			continue
		}
		missing := false
		switch pv.In {
		case openapi3.ParameterInPath:
			missing = r.path[pv.Name] == ""
		case openapi3.ParameterInQuery:
			missing = len(r.query[pv.Name]) == 0
		}
		if missing {
			return nil, usagef("missing required %s parameter %s (%s%s): add %s=…", pv.In, pv.Name, typeName(schemaOf(pv.Schema)), exampleHint(pv), pv.Name)
		}
	}
	return r, nil
}

// describeParams lists what the operation takes, for error messages.
func (o *operation) describeParams() string {
	var names []string
	for _, p := range o.params() {
		if p.Value != nil {
			names = append(names, p.Value.Name)
		}
	}
	var fields []string
	if s := o.bodySchema(); s != nil {
		for name := range properties(s) {
			fields = append(fields, name)
		}
		slices.Sort(fields)
	}
	switch {
	case len(names) == 0 && len(fields) == 0 && o.bodySchema() == nil:
		return "takes no parameters"
	case len(fields) == 0 && o.bodySchema() != nil && len(names) == 0:
		return "takes a body (--body); its fields were not recovered"
	}
	var parts []string
	if len(names) > 0 {
		parts = append(parts, "parameters: "+strings.Join(names, ", "))
	}
	if len(fields) > 0 {
		parts = append(parts, "body fields: "+strings.Join(fields, ", "))
	}
	return "takes " + strings.Join(parts, "; ")
}

func schemaOf(ref *openapi3.SchemaRef) *openapi3.Schema {
	if ref == nil {
		return nil
	}
	return ref.Value
}

// properties returns an object schema's properties, allOf members' included.
func properties(s *openapi3.Schema) map[string]*openapi3.Schema {
	out := map[string]*openapi3.Schema{}
	var walk func(s *openapi3.Schema)
	walk = func(s *openapi3.Schema) {
		if s == nil {
			return
		}
		for name, ref := range s.Properties {
			if ref != nil && ref.Value != nil {
				out[name] = ref.Value
			}
		}
		for _, m := range s.AllOf {
			walk(schemaOf(m))
		}
	}
	walk(s)
	return out
}

// isOpen reports whether an object schema admits fields the spec does not name, as far as
// the CLI should let a bare name through: when none are documented, or the spec says the
// list is incomplete.
func isOpen(s *openapi3.Schema, props map[string]*openapi3.Schema) bool {
	if len(props) == 0 {
		return true
	}
	if xgofive.Incomplete(s) {
		return true
	}
	return s.AdditionalProperties.Schema != nil || (s.AdditionalProperties.Has != nil && *s.AdditionalProperties.Has)
}

// The JSON grammar's numbers (strconv accepts more: "+1", ".5", "Inf", "0x10").
var (
	jsonInteger = regexp.MustCompile(`^-?(0|[1-9][0-9]*)$`)
	jsonNumber  = regexp.MustCompile(`^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?$`)
)

// coerce converts a command-line value to the JSON value the schema types it as.
func coerce(s *openapi3.Schema, value string) (any, error) {
	if s == nil {
		return jsonOrString(value), nil
	}
	if alts := append(append(openapi3.SchemaRefs{}, s.OneOf...), s.AnyOf...); len(alts) > 0 && s.Type.IsEmpty() {
		var firstErr error
		for _, alt := range alts {
			v, err := coerce(schemaOf(alt), value)
			if err == nil {
				return v, nil
			}
			if firstErr == nil {
				firstErr = err
			}
		}
		return nil, firstErr
	}
	if s.Type.IsEmpty() {
		for _, m := range s.AllOf {
			if ms := schemaOf(m); ms != nil && !ms.Type.IsEmpty() {
				return coerce(ms, value)
			}
		}
		return jsonOrString(value), nil
	}
	if value == "null" && s.Nullable && !s.Type.Includes("string") {
		return nil, nil
	}
	switch {
	case s.Type.Includes("string"):
		return value, nil
	case s.Type.Includes("integer"):
		if _, err := strconv.ParseInt(value, 10, 64); err != nil || !jsonInteger.MatchString(value) {
			return nil, fmt.Errorf("expected an integer, got %q", value)
		}
		return json.Number(value), nil
	case s.Type.Includes("number"):
		if !jsonNumber.MatchString(value) {
			return nil, fmt.Errorf("expected a number, got %q", value)
		}
		return json.Number(value), nil
	case s.Type.Includes("boolean"):
		b, err := strconv.ParseBool(value)
		if err != nil {
			return nil, fmt.Errorf("expected true or false, got %q", value)
		}
		return b, nil
	case s.Type.Includes("array"):
		if v, ok := decodeJSON(value); ok {
			if _, isArray := v.([]any); isArray {
				return v, nil
			}
		}
		// Comma-separated scalars: status=1,0 is [1,0].
		items := schemaOf(s.Items)
		if items != nil && !items.Type.Includes("array") && !items.Type.Includes("object") {
			out := []any{}
			if value != "" {
				for _, part := range strings.Split(value, ",") {
					v, err := coerce(items, strings.TrimSpace(part))
					if err != nil {
						return nil, fmt.Errorf("expected a JSON array or comma-separated values: %v", err)
					}
					out = append(out, v)
				}
			}
			return out, nil
		}
		return nil, fmt.Errorf("expected a JSON array, got %q", value)
	case s.Type.Includes("object"):
		if v, ok := decodeJSON(value); ok {
			if _, isObject := v.(map[string]any); isObject {
				return v, nil
			}
		}
		return nil, fmt.Errorf("expected a JSON object, got %q", value)
	}
	return jsonOrString(value), nil
}

func decodeJSON(value string) (any, bool) {
	dec := json.NewDecoder(strings.NewReader(value))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil || dec.More() {
		return nil, false
	}
	return v, true
}

// jsonOrString is the value for an untyped field: JSON if it parses, else the string.
func jsonOrString(value string) any {
	if v, ok := decodeJSON(value); ok {
		return v
	}
	return value
}

// typeName describes a schema's type for help and error text.
func typeName(s *openapi3.Schema) string {
	if s == nil {
		return "any"
	}
	if s.Type.IsEmpty() {
		var alts []string
		for _, a := range append(append(openapi3.SchemaRefs{}, s.OneOf...), s.AnyOf...) {
			if t := typeName(schemaOf(a)); !slices.Contains(alts, t) {
				alts = append(alts, t)
			}
		}
		for _, m := range s.AllOf {
			if t := typeName(schemaOf(m)); t != "any" {
				return t
			}
		}
		if len(alts) > 0 && len(alts) < 4 {
			return strings.Join(alts, "|")
		}
		return "any"
	}
	t := strings.Join(s.Type.Slice(), "|")
	if t == "array" {
		if it := schemaOf(s.Items); it != nil {
			t = "array of " + typeName(it)
		}
	}
	return t
}

func exampleHint(p *openapi3.Parameter) string {
	ex := p.Example
	if ex == nil && p.Schema != nil && p.Schema.Value != nil {
		ex = p.Schema.Value.Example
	}
	if ex == nil {
		return ""
	}
	return fmt.Sprintf(", e.g. %v", ex)
}

// decodeBody parses a --body document, keeping numbers exact.
func decodeBody(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, jsonError(data, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("more than one JSON value")
	}
	return v, nil
}

// jsonError adds the line and column to a JSON syntax error.
func jsonError(data []byte, err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		line, col := 1, 1
		for _, b := range data[:min(int(se.Offset), len(data))] {
			if b == '\n' {
				line, col = line+1, 1
			} else {
				col++
			}
		}
		return fmt.Errorf("line %d, column %d: %v", line, col, err)
	}
	if errors.Is(err, io.EOF) {
		return fmt.Errorf("empty document")
	}
	return err
}

// encodeBody encodes the body without HTML escaping (the API is not a web page).
func encodeBody(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}

// urlPath fills the operation's path template with the (escaped) path parameters.
func (r *request) urlPath() string {
	segs := strings.Split(r.op.Path, "/")
	for i, s := range segs {
		if strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}") {
			segs[i] = url.PathEscape(r.path[s[1:len(s)-1]])
		}
	}
	p := strings.Join(segs, "/")
	if q := r.query.Encode(); q != "" {
		p += "?" + q
	}
	return p
}
