package main

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/gofive-go/gofive/spec/apidog"
)

// maxDepth bounds schema recursion (self-referencing schemas).
const maxDepth = 16

// specField is a property found by walking a spec schema.
type specField struct {
	path     string // like apidog.Field.Path: "data[].addresses[].locationName"
	key      string // path without "[]": "data.addresses.locationName"
	parent   string // key of the parent field, "" at the top
	name     string
	schema   *openapi3.Schema // allOf merged
	required bool
}

// fieldKey drops the array markers from a field path, so that "data.x"
// (documented as an object) and "data[].x" (an array in the spec) meet.
func fieldKey(path string) string { return strings.ReplaceAll(path, "[]", "") }

func parentKey(key string) string {
	if i := strings.LastIndexByte(key, '.'); i >= 0 {
		return key[:i]
	}
	return ""
}

func topName(path string) string {
	if i := strings.IndexAny(path, ".["); i >= 0 {
		return path[:i]
	}
	return path
}

// specFields lists the properties under root, depth first in name order,
// looking through arrays (items), allOf (merged) and oneOf/anyOf (the
// union of the alternatives' properties). Top-level names in skip are left
// out with everything under them.
func specFields(root *openapi3.Schema, skip map[string]bool) []specField {
	var out []specField
	var walk func(s *openapi3.Schema, path, key string, depth int)
	walk = func(s *openapi3.Schema, path, key string, depth int) {
		if s == nil || depth > maxDepth {
			return
		}
		props, required, array := objectMembers(s)
		for _, name := range slices.Sorted(maps.Keys(props)) {
			if depth == 0 && skip[name] {
				continue
			}
			child := flatten(props[name])
			f := specField{
				path:     apidog.FieldPath(path, array, name),
				key:      apidog.JoinKey(key, name),
				parent:   key,
				name:     name,
				schema:   child,
				required: required[name],
			}
			out = append(out, f)
			walk(child, f.path, f.key, depth+1)
		}
	}
	walk(flatten(root), "", "", 0)
	return out
}

// objectMembers returns the properties that children of s are looked up
// in: its own, its array items', or its oneOf/anyOf alternatives'.
func objectMembers(s *openapi3.Schema) (props map[string]*openapi3.Schema, required map[string]bool, array bool) {
	props, required = map[string]*openapi3.Schema{}, map[string]bool{}
	for i := 0; i < 4 && isArray(s); i++ {
		array = true
		if s.Items == nil {
			return props, required, array
		}
		s = flatten(s.Items.Value)
	}
	var collect func(s *openapi3.Schema, depth int)
	collect = func(s *openapi3.Schema, depth int) {
		if s == nil || depth > 4 {
			return
		}
		for name, ref := range s.Properties {
			if _, ok := props[name]; !ok && ref != nil && ref.Value != nil {
				props[name] = ref.Value
			}
		}
		for _, name := range s.Required {
			required[name] = true
		}
		// A response schema keeps the docs' markers in x-gofive-docs-required (the spec's
		// response policy requires almost nothing); the docs are compared with those.
		if list, ok := s.Extensions[DocsRequiredExt].([]any); ok {
			for _, v := range list {
				if name, ok := v.(string); ok {
					required[name] = true
				}
			}
		}
		for _, alt := range slices.Concat(s.OneOf, s.AnyOf, s.AllOf) {
			if alt != nil {
				collect(flatten(alt.Value), depth+1)
			}
		}
	}
	collect(s, 0)
	return props, required, array
}

func isArray(s *openapi3.Schema) bool {
	if s == nil {
		return false
	}
	if s.Type != nil && s.Type.Includes(openapi3.TypeArray) {
		return true
	}
	return (s.Type == nil || len(*s.Type) == 0) && s.Items != nil && len(s.Properties) == 0
}

// flatten merges allOf into one schema (properties, required, type, items,
// oneOf/anyOf and extensions); the outer schema's own keywords win.
func flatten(s *openapi3.Schema) *openapi3.Schema { return flattenDepth(s, 0) }

func flattenDepth(s *openapi3.Schema, depth int) *openapi3.Schema {
	if s == nil || len(s.AllOf) == 0 || depth > maxDepth {
		return s
	}
	m := &openapi3.Schema{
		Extensions:  maps.Clone(s.Extensions),
		OneOf:       slices.Clone(s.OneOf),
		AnyOf:       slices.Clone(s.AnyOf),
		Type:        s.Type,
		Format:      s.Format,
		Description: s.Description,
		Nullable:    s.Nullable,
		Items:       s.Items,
		Required:    slices.Clone(s.Required),
		Properties:  maps.Clone(s.Properties),
	}
	if m.Properties == nil {
		m.Properties = openapi3.Schemas{}
	}
	if m.Extensions == nil {
		m.Extensions = map[string]any{}
	}
	for _, ref := range s.AllOf {
		if ref == nil || ref.Value == nil {
			continue
		}
		sub := flattenDepth(ref.Value, depth+1)
		if (m.Type == nil || len(*m.Type) == 0) && sub.Type != nil {
			m.Type = sub.Type
		}
		if m.Items == nil {
			m.Items = sub.Items
		}
		for k, v := range sub.Properties {
			if _, ok := m.Properties[k]; !ok {
				m.Properties[k] = v
			}
		}
		for _, r := range sub.Required {
			if !slices.Contains(m.Required, r) {
				m.Required = append(m.Required, r)
			}
		}
		m.OneOf = append(m.OneOf, sub.OneOf...)
		m.AnyOf = append(m.AnyOf, sub.AnyOf...)
		for k, v := range sub.Extensions {
			if _, ok := m.Extensions[k]; !ok {
				m.Extensions[k] = v
			}
		}
	}
	return m
}

// typeDesc is a type on either side, comparable across the two.
type typeDesc struct {
	alts       []string // "string", "array[object]", …; never "null"
	nullable   bool
	combinator string // "oneOf" or "anyOf" (spec side)
	goType     string // x-go-type (spec side)
}

func (t typeDesc) String() string {
	s := strings.Join(t.alts, "|")
	if t.combinator != "" {
		s = t.combinator + "(" + strings.Join(t.alts, ", ") + ")"
	}
	if t.nullable {
		s += "|null"
	}
	if t.goType != "" {
		s += " (x-go-type " + t.goType + ")"
	}
	return s
}

func docsType(typ string, nullable bool) typeDesc {
	t := typeDesc{nullable: nullable}
	for _, alt := range strings.Split(typ, "|") {
		if alt != "" && alt != "null" {
			t.alts = append(t.alts, alt)
		}
	}
	if len(t.alts) == 0 {
		t.alts = []string{"null"}
	}
	return t
}

func specType(s *openapi3.Schema) typeDesc { return specTypeDepth(s, 0) }

func specTypeDepth(s *openapi3.Schema, depth int) typeDesc {
	if s == nil || depth > maxDepth {
		return typeDesc{alts: []string{"any"}}
	}
	s = flatten(s)
	t := typeDesc{nullable: s.Nullable}
	if v, ok := s.Extensions["x-go-type"].(string); ok {
		t.goType = v
	}
	addAlt := func(a string) {
		if !slices.Contains(t.alts, a) {
			t.alts = append(t.alts, a)
		}
	}
	alts, comb := s.OneOf, "oneOf"
	if len(alts) == 0 {
		alts, comb = s.AnyOf, "anyOf"
	}
	switch {
	case len(alts) > 0:
		t.combinator = comb
		for _, a := range alts {
			if a == nil {
				continue
			}
			at := specTypeDepth(a.Value, depth+1)
			t.nullable = t.nullable || at.nullable
			for _, x := range at.alts {
				addAlt(x)
			}
		}
	case s.Type != nil && len(*s.Type) > 0:
		for _, typ := range s.Type.Slice() {
			switch typ {
			case openapi3.TypeNull:
				t.nullable = true
			case openapi3.TypeArray:
				a, goType := arrayName(s.Items, depth)
				addAlt(a)
				if t.goType == "" && goType != "" {
					t.goType = "items " + goType
				}
			default:
				addAlt(typ)
			}
		}
	case len(s.Properties) > 0:
		addAlt("object")
	case s.Items != nil:
		a, _ := arrayName(s.Items, depth)
		addAlt(a)
	default:
		addAlt("any")
	}
	if len(t.alts) == 0 {
		t.alts = []string{"null"}
	}
	return t
}

func arrayName(items *openapi3.SchemaRef, depth int) (name, goType string) {
	if items == nil || items.Value == nil {
		return "array", ""
	}
	it := specTypeDepth(items.Value, depth+1)
	if len(it.alts) == 1 && it.alts[0] == "any" {
		return "array", it.goType
	}
	return "array[" + strings.Join(it.alts, "|") + "]", it.goType
}

// typesMatch: same alternatives (docs "array" and "any" match any array and
// anything), same nullability, and no x-go-type on the spec side.
func typesMatch(docs, spec typeDesc) bool {
	if spec.goType != "" || docs.nullable != spec.nullable {
		return false
	}
	if slices.Contains(docs.alts, "any") {
		return true
	}
	altMatch := func(d, s string) bool {
		return d == s || (d == "array" && strings.HasPrefix(s, "array"))
	}
	for _, d := range docs.alts {
		if !slices.ContainsFunc(spec.alts, func(s string) bool { return altMatch(d, s) }) {
			return false
		}
	}
	for _, s := range spec.alts {
		if !slices.ContainsFunc(docs.alts, func(d string) bool { return altMatch(d, s) }) {
			return false
		}
	}
	return true
}

func requiredWord(required bool) string {
	if required {
		return "required"
	}
	return "optional"
}

func describeDocs(typ string, nullable, required, fromExample bool) string {
	t := typ
	if typ == "" {
		t = "untyped"
	} else {
		t = docsType(typ, nullable).String()
	}
	if fromExample {
		return t + " (in the example only)"
	}
	return t + ", " + requiredWord(required)
}

func describeSpec(ref *openapi3.SchemaRef, required bool) string {
	var s *openapi3.Schema
	if ref != nil {
		s = ref.Value
	}
	return specType(s).String() + ", " + requiredWord(required)
}

// compareTree compares the page's fields with the properties of root;
// top-level names in skip are left out on both sides. Field names in
// findings are prefix + "." + the field path.
func (c *pageComparison) compareTree(prefix string, docs []apidog.Field, root *openapi3.Schema, skip map[string]bool) {
	spec := specFields(root, skip)
	byKey := make(map[string]*specField, len(spec))
	for i := range spec {
		byKey[spec[i].key] = &spec[i]
	}
	aliasKey := func(f apidog.Field) string {
		if f.ExampleName == "" {
			return ""
		}
		return apidog.JoinKey(parentKey(fieldKey(f.Path)), f.ExampleName)
	}
	// listed: the page's own spellings; documented adds the example's
	// spelling of a listed field ("DateFrom" for "dateFrom"), which the
	// spec may model too without it counting as extra.
	listed, documented := map[string]bool{}, map[string]bool{}
	for _, f := range docs {
		if !skip[topName(f.Path)] {
			listed[fieldKey(f.Path)] = true
			documented[fieldKey(f.Path)] = true
			if a := aliasKey(f); a != "" {
				documented[a] = true
			}
		}
	}

	// A container whose properties the page neither lists nor shows in
	// its example ("contacts array [object {10}]") is compared by count.
	hasChild := map[string]bool{}
	for _, f := range docs {
		hasChild[parentKey(fieldKey(f.Path))] = true
	}
	collapsed := map[string]bool{}
	specChildren := map[string][]string{}
	for _, s := range spec {
		specChildren[s.parent] = append(specChildren[s.parent], s.name)
	}

	matched, missing := map[string]bool{}, map[string]bool{}
	for _, f := range docs {
		if skip[topName(f.Path)] {
			continue
		}
		key, field := fieldKey(f.Path), prefix+"."+f.Path
		if missing[parentKey(key)] {
			missing[key] = true // reported with its parent
			continue
		}
		sf := byKey[key]
		if sf == nil {
			if i := slices.IndexFunc(spec, func(s specField) bool {
				return !matched[s.key] && !listed[s.key] && strings.EqualFold(s.key, key)
			}); i >= 0 {
				matched[spec[i].key] = true
				c.add(FieldCaseMismatch, field, f.Path, spec[i].path, "")
				continue
			}
			missing[key] = true
			where := "absent"
			if i := slices.IndexFunc(spec, func(s specField) bool { return s.name == f.Name }); i >= 0 {
				where = "absent (has " + prefix + "." + spec[i].path + ")"
			}
			c.add(MissingField, field, describeDocs(f.Type, f.Nullable, f.Required, f.FromExample), where, "")
			continue
		}
		matched[sf.key] = true
		if f.FromExample {
			continue // the example itself is validated
		}
		if f.Required != sf.required {
			c.add(RequiredMismatch, field, requiredWord(f.Required), requiredWord(sf.required), "")
		}
		dt, st := docsType(f.Type, f.Nullable), specType(sf.schema)
		if !typesMatch(dt, st) {
			c.add(TypeMismatch, field, dt.String(), st.String(), "")
		}
		if f.Children >= 0 && !hasChild[key] {
			collapsed[sf.key] = true
			if names := specChildren[sf.key]; len(names) != f.Children {
				have := fmt.Sprintf("%s with %d properties", st, len(names))
				if len(names) > 0 {
					have += " (" + strings.Join(names, ", ") + ")"
				}
				c.add(TypeMismatch, field, fmt.Sprintf("%s with %d properties (names not shown)", dt, f.Children), have, "")
			}
		}
	}

	extra := map[string]bool{}
	for _, s := range spec {
		if matched[s.key] || documented[s.key] {
			continue
		}
		extra[s.key] = true
		if extra[s.parent] {
			continue // reported with its parent
		}
		if collapsed[s.parent] {
			continue // counted with its parent
		}
		c.add(ExtraField, prefix+"."+s.path, "absent", specType(s.schema).String()+", "+requiredWord(s.required), "")
	}
}
