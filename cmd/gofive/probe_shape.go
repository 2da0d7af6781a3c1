package main

import (
	"encoding/json"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/gofive-go/gofive/api/wire"
)

// The probe describes response values by their JSON type and, for strings, by a detected form
// (a date layout, a GUID, a number in a string, the empty string). It never keeps or prints a
// value: everything below works on types, forms and field names only.

// A shape is the type skeleton of a JSON value; the shapes of an array's items are merged.
type shape struct {
	kinds  map[string]bool   // JSON kinds seen: object, array, string, integer, number, boolean, null
	forms  map[string]bool   // string forms seen
	fields map[string]*shape // object members, by (safe) name
	items  *shape            // array items (nil: no item seen)
}

func newShape() *shape { return &shape{kinds: map[string]bool{}, forms: map[string]bool{}} }

// shapeOf returns the skeleton of a decoded JSON value (decoded with UseNumber).
func shapeOf(v any) *shape {
	s := newShape()
	s.add(v)
	return s
}

func (s *shape) add(v any) {
	k := kindOf(v)
	s.kinds[k] = true
	switch x := v.(type) {
	case string:
		s.forms[stringForm(x)] = true
	case map[string]any:
		if s.fields == nil {
			s.fields = map[string]*shape{}
		}
		for name, m := range x {
			key := safeKey(name)
			f := s.fields[key]
			if f == nil {
				f = newShape()
				s.fields[key] = f
			}
			f.add(m)
		}
	case []any:
		for _, e := range x {
			if s.items == nil {
				s.items = newShape()
			}
			s.items.add(e)
		}
	}
}

// kindOf names a JSON value's kind; numbers without a fraction are "integer".
func kindOf(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case json.Number:
		if _, err := strconv.ParseInt(string(x), 10, 64); err == nil {
			return "integer"
		}
		if f, err := x.Float64(); err == nil && f == float64(int64(f)) && !strings.ContainsAny(string(x), ".eE") {
			return "integer"
		}
		return "number"
	case float64:
		if x == float64(int64(x)) {
			return "integer"
		}
		return "number"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return "unknown"
}

var (
	guidRE       = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
	intStringRE  = regexp.MustCompile(`^[-+]?[0-9]+$`)
	decStringRE  = regexp.MustCompile(`^[-+]?[0-9]*\.[0-9]+$`)
	slashDateRE  = regexp.MustCompile(`^[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}( [0-9]{1,2}:[0-9]{2}(:[0-9]{2})?)?$`)
	isoSlashRE   = regexp.MustCompile(`^[0-9]{4}/[0-9]{1,2}/[0-9]{1,2}`)
	msDateRE     = regexp.MustCompile(`^/Date\([0-9+-]+\)/$`)
	looseDateRE  = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]`)
	keyRE        = regexp.MustCompile(`^[A-Za-z_$][A-Za-z0-9_$]{0,63}$`)
	digitsRunRE  = regexp.MustCompile(`[0-9]{3,}`)
	businessCdRE = regexp.MustCompile(`^[0-9]{1,6}$`)
)

// stringForm detects what a string holds, without keeping it.
func stringForm(s string) string {
	switch {
	case s == "":
		return "empty string"
	case strings.TrimSpace(s) == "":
		return "blank string"
	case guidRE.MatchString(s):
		return "GUID"
	case s == "true" || s == "false":
		return "boolean in string"
	case intStringRE.MatchString(s):
		return "integer in string"
	case decStringRE.MatchString(s):
		return "decimal in string"
	}
	if layout, ok := dateLayout(s); ok {
		return "date " + layout
	}
	if layout := undocumentedDateLayout(s); layout != "" {
		return "date in an undocumented layout (" + layout + ")"
	}
	return "text"
}

// dateLayout returns the layout of a date in one of the forms package wire documents.
func dateLayout(s string) (string, bool) {
	t, err := wire.ParseTime(s)
	if err != nil {
		return "", false
	}
	return t.Layout(), true
}

// undocumentedDateLayout recognises common date forms that package wire does not accept and
// names their layout ("" when s does not look like a date).
func undocumentedDateLayout(s string) string {
	switch {
	case slashDateRE.MatchString(s):
		date, clock, _ := strings.Cut(s, " ")
		parts := strings.Split(date, "/")
		l := "DD/MM/YYYY or MM/DD/YYYY"
		if n, _ := strconv.Atoi(parts[0]); n > 12 {
			l = "DD/MM/YYYY"
		} else if n, _ := strconv.Atoi(parts[1]); n > 12 {
			l = "MM/DD/YYYY"
		}
		if clock != "" {
			l += " hh:mm"
			if strings.Count(clock, ":") == 2 {
				l += ":ss"
			}
		}
		return l
	case isoSlashRE.MatchString(s):
		return "YYYY/MM/DD…"
	case msDateRE.MatchString(s):
		return "/Date(milliseconds)/"
	case looseDateRE.MatchString(s):
		return "YYYY-MM-DD with an unrecognised time part"
	}
	return ""
}

// safeKey returns a member name fit to print: field names pass, while names that look like
// data (record codes, GUIDs, text: anything that is not an identifier, or that holds a run of
// three digits) are replaced by a placeholder, since an object may be used as a map keyed by
// record identifiers.
func safeKey(name string) string {
	if keyRE.MatchString(name) && !digitsRunRE.MatchString(name) {
		return name
	}
	return "<key>"
}

// render writes the skeleton as indented text.
func (s *shape) render(b *strings.Builder, indent string) {
	kinds := s.kindList()
	var parts []string
	for _, k := range kinds {
		switch k {
		case "object":
			if len(s.fields) == 0 {
				parts = append(parts, "{}")
				continue
			}
			var o strings.Builder
			o.WriteString("{\n")
			for _, name := range sortedKeys(s.fields) {
				o.WriteString(indent + "  " + name + ": ")
				s.fields[name].render(&o, indent+"  ")
				o.WriteString("\n")
			}
			o.WriteString(indent + "}")
			parts = append(parts, o.String())
		case "array":
			if s.items == nil {
				parts = append(parts, "[] (empty)")
				continue
			}
			var o strings.Builder
			o.WriteString("[")
			s.items.render(&o, indent)
			o.WriteString("]")
			parts = append(parts, o.String())
		case "string":
			parts = append(parts, "string ("+strings.Join(sortedSet(s.forms), " | ")+")")
		default:
			parts = append(parts, k)
		}
	}
	b.WriteString(strings.Join(parts, " | "))
}

// kindList lists the kinds seen, objects and arrays last.
func (s *shape) kindList() []string {
	order := map[string]int{"null": 0, "boolean": 1, "integer": 2, "number": 3, "string": 4, "array": 5, "object": 6, "unknown": 7}
	ks := sortedSet(s.kinds)
	sort.SliceStable(ks, func(i, j int) bool { return order[ks[i]] < order[ks[j]] })
	return ks
}

// tree returns the skeleton as a JSON-friendly value, for --json.
func (s *shape) tree() any {
	kinds := s.kindList()
	var alts []any
	for _, k := range kinds {
		switch k {
		case "object":
			props := map[string]any{}
			for name, f := range s.fields {
				props[name] = f.tree()
			}
			alts = append(alts, map[string]any{"type": "object", "properties": props})
		case "array":
			m := map[string]any{"type": "array"}
			if s.items != nil {
				m["items"] = s.items.tree()
			}
			alts = append(alts, m)
		case "string":
			alts = append(alts, map[string]any{"type": "string", "forms": sortedSet(s.forms)})
		default:
			alts = append(alts, map[string]any{"type": k})
		}
	}
	if len(alts) == 1 {
		return alts[0]
	}
	return map[string]any{"oneOf": alts}
}

// schema returns the skeleton as an OpenAPI schema for a proposal: types only, no example
// values. A detected string form is kept in x-gofive-observed-form.
func (s *shape) schema() *openapi3.SchemaRef {
	kinds := s.kindList()
	nullable := slices.Contains(kinds, "null")
	var alts []*openapi3.SchemaRef
	for _, k := range kinds {
		var sc *openapi3.Schema
		switch k {
		case "null":
			continue
		case "object":
			sc = openapi3.NewObjectSchema()
			for _, name := range sortedKeys(s.fields) {
				if name == "<key>" {
					sc.AdditionalProperties = openapi3.AdditionalProperties{Schema: s.fields[name].schema()}
					continue
				}
				sc.WithPropertyRef(name, s.fields[name].schema())
			}
		case "array":
			sc = openapi3.NewArraySchema()
			if s.items != nil {
				sc.Items = s.items.schema()
			} else {
				sc.Items = openapi3.NewSchemaRef("", &openapi3.Schema{})
			}
		case "string":
			sc = openapi3.NewStringSchema()
			sc.Extensions = map[string]any{"x-gofive-observed-form": strings.Join(sortedSet(s.forms), " | ")}
		case "integer":
			sc = openapi3.NewIntegerSchema()
		case "number":
			sc = openapi3.NewFloat64Schema()
			sc.Format = ""
		case "boolean":
			sc = openapi3.NewBoolSchema()
		default:
			sc = &openapi3.Schema{}
		}
		alts = append(alts, openapi3.NewSchemaRef("", sc))
	}
	switch len(alts) {
	case 0:
		sc := &openapi3.Schema{Nullable: true}
		sc.Extensions = map[string]any{"x-gofive-observed-form": "null only"}
		return openapi3.NewSchemaRef("", sc)
	case 1:
		alts[0].Value.Nullable = nullable
		return alts[0]
	}
	sc := &openapi3.Schema{OneOf: alts, Nullable: nullable}
	return openapi3.NewSchemaRef("", sc)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func sortedSet(m map[string]bool) []string { return sortedKeys(m) }

// describeObserved names what a value is, for a deviation: its kind, and a string's form.
func describeObserved(v any) string {
	k := kindOf(v)
	switch k {
	case "string":
		return "string (" + stringForm(v.(string)) + ")"
	case "array":
		if len(v.([]any)) == 0 {
			return "an empty array"
		}
		return "an array"
	case "object":
		return "an object"
	}
	return k
}
