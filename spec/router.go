package spec

import (
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// router maps a method and an escaped path to an operation. kin-openapi's routers match the
// spec's servers (hosts); ours matches paths only, so a loopback test server routes like the
// production gateway.
type router struct {
	routes []*route
}

type route struct {
	method   string
	template string
	segs     []segment
	item     *openapi3.PathItem
	op       *openapi3.Operation
}

type segment struct {
	literal string
	param   string // non-empty for a {param} segment
}

var (
	errNoPath   = errors.New("no path of the spec matches")
	errNoMethod = errors.New("the path has no such method")
)

func newRouter(doc *openapi3.T) *router {
	r := &router{}
	for tmpl, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			rt := &route{method: method, template: tmpl, item: item, op: op}
			for _, s := range strings.Split(strings.TrimPrefix(tmpl, "/"), "/") {
				if strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}") {
					rt.segs = append(rt.segs, segment{param: s[1 : len(s)-1]})
				} else {
					rt.segs = append(rt.segs, segment{literal: s})
				}
			}
			r.routes = append(r.routes, rt)
		}
	}
	// Literal segments win over parameters, left to right; ties are broken by template so
	// that the order never depends on map iteration.
	sort.Slice(r.routes, func(i, j int) bool {
		a, b := r.routes[i], r.routes[j]
		for k := 0; k < len(a.segs) && k < len(b.segs); k++ {
			al, bl := a.segs[k].param == "", b.segs[k].param == ""
			if al != bl {
				return al
			}
		}
		if a.template != b.template {
			return a.template < b.template
		}
		return a.method < b.method
	})
	return r
}

// find returns the operation for method and the escaped path, with the unescaped path
// parameters.
func (r *router) find(method, escapedPath string) (*route, map[string]string, error) {
	if !strings.HasPrefix(escapedPath, "/") {
		return nil, nil, fmt.Errorf("%w %s %q", errNoPath, method, escapedPath)
	}
	parts := strings.Split(escapedPath[1:], "/")
	pathMatched := false
	for _, rt := range r.routes {
		params, ok := rt.match(parts)
		if !ok {
			continue
		}
		pathMatched = true
		if rt.method == method {
			return rt, params, nil
		}
	}
	if pathMatched {
		return nil, nil, fmt.Errorf("%w: %s %s", errNoMethod, method, escapedPath)
	}
	return nil, nil, fmt.Errorf("%w %s %s", errNoPath, method, escapedPath)
}

func (rt *route) match(parts []string) (map[string]string, bool) {
	if len(parts) != len(rt.segs) {
		return nil, false
	}
	var params map[string]string
	for i, s := range rt.segs {
		if s.param == "" {
			if parts[i] != s.literal {
				return nil, false
			}
			continue
		}
		v, err := url.PathUnescape(parts[i])
		if err != nil || v == "" {
			return nil, false
		}
		if params == nil {
			params = map[string]string{}
		}
		params[s.param] = v
	}
	return params, true
}
