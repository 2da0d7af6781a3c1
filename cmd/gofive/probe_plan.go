package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/gofive-go/gofive/spec"
	"github.com/gofive-go/gofive/spec/xgofive"
)

// An idPool holds identifiers found in the probe's answers, by lower-cased field name, to fill
// the parameters of later requests. It lives in memory only; nothing in it is ever printed.
type idPool map[string][]any

// maxPoolValues bounds the values kept per field name.
const maxPoolValues = 3

// learn records the scalar fields of a JSON answer, as the checker decoded it (with
// UseNumber): strings that are not empty, integers.
func (p idPool) learn(doc any) {
	var walk func(v any, depth int)
	walk = func(v any, depth int) {
		if depth > maxWalkDepth {
			return
		}
		switch x := v.(type) {
		case map[string]any:
			for _, k := range sortedKeys(x) {
				switch m := x[k].(type) {
				case string:
					if strings.TrimSpace(m) != "" && len(m) <= 200 {
						p.add(k, m)
					}
				case json.Number:
					if _, err := m.Int64(); err == nil {
						p.add(k, m)
					}
				default:
					walk(m, depth+1)
				}
			}
		case []any:
			for _, e := range x {
				walk(e, depth+1)
			}
		}
	}
	walk(doc, 0)
}

func (p idPool) add(name string, v any) {
	k := strings.ToLower(name)
	if len(p[k]) < maxPoolValues && !slices.Contains(p[k], v) {
		p[k] = append(p[k], v)
	}
}

// candidates are the field names that may carry a parameter's value: its own name and, for a
// generic name (id, no) after a collection segment, the segment's singular with the name
// appended: {id} after /v1/expenses is expenseId, {no} after /v1/contract is contractNo.
func candidates(o *operation, param string) []string {
	names := []string{param}
	if strings.ToLower(param) != param {
		return names // a specific name (quotationNo, customerCode) is looked up as it is
	}
	segs := strings.Split(strings.Trim(o.Path, "/"), "/")
	for i, s := range segs {
		if s != "{"+param+"}" || i == 0 {
			continue
		}
		prev := segs[i-1]
		if strings.HasPrefix(prev, "{") {
			continue
		}
		prev = strings.TrimSuffix(prev, "s")
		n := prev + strings.ToUpper(param[:1]) + param[1:]
		if !strings.EqualFold(n, param) {
			names = append(names, n)
		}
	}
	return names
}

// value returns a value of the pool fit for a parameter of schema s.
func (p idPool) value(names []string, s *openapi3.Schema) (string, bool) {
	for _, n := range names {
		for _, v := range p[strings.ToLower(n)] {
			switch x := v.(type) {
			case string:
				if s != nil && s.Type.Is("integer") && !intStringRE.MatchString(x) {
					continue
				}
				return x, true
			case json.Number:
				return string(x), true
			}
		}
	}
	return "", false
}

// build makes the request of operation o: its URL path (with query) and body. wait is set when
// an identifier is not known yet (a later round may find it); fail when the request cannot be
// built at all. Both texts name fields of the spec only.
func (p *prober) build(ctx context.Context, o *operation) (urlPath string, body []byte, wait, fail string) {
	path := o.Path
	query := url.Values{}
	for _, ref := range o.params() {
		prm := ref.Value
		if prm == nil || (prm.In != openapi3.ParameterInPath && !(prm.In == openapi3.ParameterInQuery && prm.Required)) {
			continue
		}
		var schema *openapi3.Schema
		if prm.Schema != nil {
			schema = prm.Schema.Value
		}
		names := candidates(o, prm.Name)
		v, ok := p.pool.value(names, schema)
		if !ok {
			return "", nil, "no " + quoteNames(names) + " found in the answers probed before it", ""
		}
		switch prm.In {
		case openapi3.ParameterInPath:
			path = strings.ReplaceAll(path, "{"+prm.Name+"}", url.PathEscape(v))
		default:
			query.Set(prm.Name, v)
		}
	}
	if len(query) > 0 {
		path += "?" + query.Encode()
	}
	mt, required := o.jsonBody()
	if mt != nil && (required || o.Method == http.MethodPost) {
		b, err := p.body(o)
		if err != nil {
			return "", nil, "", err.Error()
		}
		body = b
	}
	// Check the request against the spec before anything is sent.
	hr, err := http.NewRequestWithContext(ctx, o.Method, "http://probe.invalid"+path, bytes.NewReader(body))
	if err != nil {
		return "", nil, "", "the request could not be built"
	}
	if body != nil {
		hr.Header.Set("Content-Type", "application/json")
	}
	if _, err := p.reqs.ValidateRequest(ctx, hr, body); err != nil {
		var ps spec.ValidationErrors
		var fields []string
		if errors.As(err, &ps) {
			for _, e := range ps {
				fields = append(fields, normalPath(e.Field))
			}
		}
		return "", nil, "", "could not build a request the spec accepts (" + strings.Join(fields, ", ") + ")"
	}
	return path, body, "", ""
}

func quoteNames(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = "`" + n + "`"
	}
	return strings.Join(q, " or ")
}

// body builds the smallest body the spec accepts for a read-only POST: the required fields,
// with the paging fields (x-gofive-paging) set to a small first page. Values come from the
// spec: x-gofive-values, enum, the documented example, the schema's example.
func (p *prober) body(o *operation) ([]byte, error) {
	s := o.bodySchema()
	if s == nil || (s.Type != nil && !s.Type.Is("object")) {
		return []byte("{}"), nil
	}
	out := map[string]any{}
	names := slices.Clone(s.Required)
	if pg := o.Paging; pg != nil {
		names = append(names, pg.Size, pg.Offset)
	}
	for _, name := range names {
		if _, done := out[name]; done {
			continue
		}
		if pg := o.Paging; pg != nil && name == pg.Size {
			out[name] = probePageSize
			continue
		} else if pg != nil && name == pg.Offset {
			out[name] = 0
			continue
		}
		var fs *openapi3.Schema
		if ref := s.Properties[name]; ref != nil {
			fs = ref.Value
		}
		v, ok := specValue(fs)
		if !ok {
			v, ok = exampleValue(o, name)
		}
		if !ok && fs != nil && fs.Example != nil {
			v, ok = fs.Example, true
		}
		if !ok {
			return nil, fmt.Errorf("the required body field `%s` has no value in the spec (x-gofive-values, enum or example)", name)
		}
		out[name] = v
	}
	return json.Marshal(out)
}

// specValue picks a value the spec documents for a field: every documented value for an array
// of coded items, else the first documented code or enum member.
func specValue(s *openapi3.Schema) (any, bool) {
	if s == nil {
		return nil, false
	}
	if s.Type.Is("array") && s.Items != nil && s.Items.Value != nil {
		if vals := codes(s.Items.Value); len(vals) > 0 {
			return vals, true
		}
		return nil, false
	}
	if vals := codes(s); len(vals) > 0 {
		return vals[0], true
	}
	return nil, false
}

// codes lists a schema's documented values (x-gofive-values keys, else enum), converted to
// its type.
func codes(s *openapi3.Schema) []any {
	var out []any
	if m := xgofive.Values(s); m != nil {
		keys := sortedKeys(m)
		slices.SortStableFunc(keys, func(a, b string) int {
			x, ex := strconv.Atoi(a)
			y, ey := strconv.Atoi(b)
			if ex == nil && ey == nil {
				return x - y
			}
			return strings.Compare(a, b)
		})
		for _, k := range keys {
			if s.Type.Is("integer") || s.Type.Is("number") {
				n, err := strconv.Atoi(k)
				if err != nil {
					continue
				}
				out = append(out, n)
				continue
			}
			out = append(out, k)
		}
		return out
	}
	return slices.Clone(s.Enum)
}

// exampleValue returns the first value the operation's documented request examples (in name
// order) give a top-level field, skipping placeholders and zero values (a docs example with
// take 0 would ask for nothing).
func exampleValue(o *operation, name string) (any, bool) {
	mt, _ := o.jsonBody()
	if mt == nil {
		return nil, false
	}
	var vals []any
	if m, ok := mt.Example.(map[string]any); ok {
		vals = append(vals, m[name])
	}
	for _, n := range sortedKeys(mt.Examples) {
		if ex := mt.Examples[n]; ex != nil && ex.Value != nil {
			if m, ok := ex.Value.Value.(map[string]any); ok {
				vals = append(vals, m[name])
			}
		}
	}
	for _, v := range vals {
		switch x := v.(type) {
		case nil:
			continue
		case string:
			if x == "" || hasPlaceholder(x) {
				continue
			}
		case float64:
			if x == 0 {
				continue
			}
		case int:
			if x == 0 {
				continue
			}
		case []any:
			if len(x) == 0 || hasPlaceholder(x) {
				continue
			}
		}
		return v, true
	}
	return nil, false
}
