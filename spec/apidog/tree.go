package apidog

import (
	"encoding/json"
	"math"
	"slices"
	"strings"
)

// frame is an open container while fields are being nested.
type frame struct {
	path string // docs path of the container; "" for the root
	// array: children are written "path[].child".
	array bool
	// keys are the members the example shows for this container's
	// children (merged over array elements); nil when the example says
	// nothing about it.
	keys map[string]any
	// exPath is the container's path in the example, arrays transparent.
	exPath string
	// remaining counts the children still expected from "{N}"; -1 unknown.
	remaining int
}

// buildTree nests the listed fields and appends the keys that only the
// example shows.
//
// Neither rendering indents the field list, so each field is placed under
// the deepest open container whose example object has the field's key
// (exactly, else ignoring case); with no such container, under the deepest
// container still expecting children — except that a response's top-level
// "status" and "data" (the envelope) always go to the root.
func buildTree(raw []rawField, ex *Example, response bool) []Field {
	b := &treeBuilder{covered: map[string]bool{}, info: map[string]pathInfo{"": {}}}
	root := frame{remaining: -1}
	if ex != nil && ex.Valid {
		root.keys = members(ex.Value)
	}
	stack := []frame{root}
	for _, rf := range raw {
		k, key := matchFrame(stack, rf.name)
		if k < 0 {
			k = len(stack) - 1
			for k > 0 && stack[k].remaining == 0 {
				k--
			}
			if response && (rf.name == "status" || rf.name == "data") {
				k = 0
			}
		}
		stack = stack[:k+1]
		parent := &stack[k]
		if parent.remaining > 0 {
			parent.remaining--
		}
		f := Field{
			Path:        FieldPath(parent.path, parent.array, rf.name),
			Name:        rf.name,
			Type:        rf.typ.name,
			Nullable:    rf.typ.nullable,
			Format:      rf.typ.format,
			TypeText:    rf.typeText,
			Children:    rf.typ.children,
			Required:    rf.required,
			Description: strings.Join(rf.desc, "\n"),
			Example:     rf.example,
		}
		exKey := rf.name
		if key != "" && key != rf.name {
			f.ExampleName, exKey = key, key
		}
		exPath := JoinKey(parent.exPath, exKey)
		b.covered[exPath] = true
		isArray := strings.HasPrefix(f.Type, "array")
		b.info[exPath] = pathInfo{path: f.Path, array: isArray}
		b.fields = append(b.fields, f)
		if isContainer(f.Type) {
			child := frame{path: f.Path, array: isArray, exPath: exPath, remaining: f.Children}
			if v, ok := parent.keys[exKey]; ok {
				child.keys = members(v)
			}
			stack = append(stack, child)
		}
	}
	if ex != nil && ex.Valid {
		b.walk(ex.Value, "")
	}
	return b.fields
}

type pathInfo struct {
	path  string
	array bool
}

type treeBuilder struct {
	fields  []Field
	covered map[string]bool     // example paths of the listed fields
	info    map[string]pathInfo // example path -> docs path
}

// walk adds a field for every example key that no listed field covers.
func (b *treeBuilder) walk(v any, exPath string) {
	m := members(v)
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if k == "" {
			continue // legal JSON, but no field
		}
		child := JoinKey(exPath, k)
		if !b.covered[child] {
			b.covered[child] = true
			parent := b.info[exPath]
			typ := jsonType(m[k])
			f := Field{
				Path:        FieldPath(parent.path, parent.array, k),
				Name:        k,
				Type:        typ,
				Nullable:    m[k] == nil,
				Children:    -1,
				FromExample: true,
			}
			b.info[child] = pathInfo{path: f.Path, array: strings.HasPrefix(typ, "array")}
			b.fields = append(b.fields, f)
		}
		b.walk(m[k], child)
	}
}

func matchFrame(stack []frame, name string) (int, string) {
	for k := len(stack) - 1; k >= 0; k-- {
		if _, ok := stack[k].keys[name]; ok {
			return k, name
		}
	}
	for k := len(stack) - 1; k >= 0; k-- {
		for key := range stack[k].keys {
			if strings.EqualFold(key, name) {
				return k, key
			}
		}
	}
	return -1, ""
}

func isContainer(typ string) bool {
	for _, alt := range strings.Split(typ, "|") {
		if alt == "object" || alt == "array" || alt == "array[object]" {
			return true
		}
	}
	return false
}

// FieldPath is the path of field name under parent, as Field.Path spells it:
// "addresses[].locationName" below an array, "data.customerCode" below an object.
func FieldPath(parent string, array bool, name string) string {
	switch {
	case parent == "":
		return name
	case array:
		return parent + "[]." + name
	default:
		return parent + "." + name
	}
}

// JoinKey joins JSON keys with dots, as example paths are written.
func JoinKey(parent, key string) string {
	if parent == "" {
		return key
	}
	return parent + "." + key
}

// members returns the members of an example object, or of the objects in
// an example array (merged, first non-null value wins); nil when v holds
// no object.
func members(v any) map[string]any {
	switch v := v.(type) {
	case map[string]any:
		return v
	case []any:
		var out map[string]any
		for _, e := range v {
			for k, x := range members(e) {
				if out == nil {
					out = map[string]any{}
				}
				if old, ok := out[k]; !ok || old == nil {
					out[k] = x
				}
			}
		}
		return out
	}
	return nil
}

// jsonType names the JSON type of an example value like a docs type.
func jsonType(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case float64:
		if v == math.Trunc(v) && !math.IsInf(v, 0) {
			return "integer"
		}
		return "number"
	case map[string]any:
		return "object"
	case []any:
		for _, e := range v {
			if e != nil {
				return "array[" + jsonType(e) + "]"
			}
		}
		return "array"
	}
	return "any"
}

// newExample decodes an example, cleaning it of "//" comments and trailing
// commas when it is not valid JSON as printed.
func newExample(raw string) *Example {
	ex := &Example{Raw: raw}
	var v any
	err := json.Unmarshal([]byte(raw), &v)
	if err == nil {
		ex.Valid, ex.Value = true, v
		return ex
	}
	if cleaned, comments := cleanJSON(raw); cleaned != raw {
		ex.Cleaned, ex.Comments = cleaned, comments
		if err = json.Unmarshal([]byte(cleaned), &v); err == nil {
			ex.Valid, ex.Value = true, v
			return ex
		}
	}
	ex.Err = err.Error()
	return ex
}

// cleanJSON removes "//" and "/* */" comments outside strings, then commas
// that directly precede "}" or "]".
func cleanJSON(s string) (string, []string) {
	var comments []string
	var out strings.Builder
	inStr, esc := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if inStr {
			out.WriteByte(c)
			switch {
			case esc:
				esc = false
			case c == '\\':
				esc = true
			case c == '"' || c == '\n':
				inStr = false
			}
			continue
		}
		switch {
		case c == '"':
			inStr = true
			out.WriteByte(c)
		case c == '/' && i+1 < len(s) && s[i+1] == '/':
			end := strings.IndexByte(s[i:], '\n')
			if end < 0 {
				end = len(s) - i
			}
			comments = append(comments, strings.TrimSpace(s[i+2:i+end]))
			i += end - 1
		case c == '/' && i+1 < len(s) && s[i+1] == '*':
			end := strings.Index(s[i+2:], "*/")
			if end < 0 {
				comments = append(comments, strings.TrimSpace(s[i+2:]))
				i = len(s)
				break
			}
			comments = append(comments, strings.TrimSpace(s[i+2:i+2+end]))
			i += end + 3
		default:
			out.WriteByte(c)
		}
	}
	return dropTrailingCommas(out.String()), comments
}

func dropTrailingCommas(s string) string {
	var out strings.Builder
	inStr, esc := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if inStr {
			switch {
			case esc:
				esc = false
			case c == '\\':
				esc = true
			case c == '"' || c == '\n':
				inStr = false
			}
			out.WriteByte(c)
			continue
		}
		if c == '"' {
			inStr = true
		}
		if c == ',' {
			j := i + 1
			for j < len(s) && (s[j] == ' ' || s[j] == '\t' || s[j] == '\n' || s[j] == '\r') {
				j++
			}
			if j < len(s) && (s[j] == '}' || s[j] == ']') {
				continue
			}
		}
		out.WriteByte(c)
	}
	return out.String()
}
