package apidog

// The machine-readable form of an Apidog site: /llms.txt (llmstxt.org format) lists every
// page's Markdown twin; an endpoint page's twin carries a complete OpenAPI 3.0.1 document of
// its one operation in a ```yaml block under "## OpenAPI Specification". See
// shared/research/apidog-pages.md for the layout and its quirks.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"gopkg.in/yaml.v3"
)

// ErrMalformed marks a Markdown twin whose OpenAPI block cannot be read: unterminated, not
// YAML, or not an OpenAPI document even after the lenient clean-up.
var ErrMalformed = errors.New("malformed OpenAPI block")

// LLMS is a parsed llms.txt: "# <site>", an optional "> summary", "## <section>" headings
// and "- [title](url): notes" links.
type LLMS struct {
	Title   string
	Summary string
	Links   []Link
}

// Link is one page of llms.txt.
type Link struct {
	Section string // the "## " heading above it ("" before the first)
	Title   string
	URL     string // as written: absolute or relative to the site
	Notes   string
}

var reLink = regexp.MustCompile(`^[-*+]\s+\[([^\]]*)\]\(\s*<?([^()<>\s]+)>?(?:\s+"[^"]*")?\s*\)\s*(?::\s*(.*))?$`)

// ParseLLMS reads an llms.txt. It is lenient (any line that is not a heading, summary or link
// is prose and skipped) but a file with neither a "# " title nor any link is not llms.txt —
// an HTML error page served with status 200, say — and is an error.
func ParseLLMS(b []byte) (*LLMS, error) {
	l := &LLMS{}
	section := ""
	for _, raw := range strings.Split(string(b), "\n") {
		line := strings.TrimSpace(strings.TrimSuffix(raw, "\r"))
		switch {
		case strings.HasPrefix(line, "# ") && l.Title == "":
			l.Title = strings.TrimSpace(line[2:])
		case strings.HasPrefix(line, "## "):
			section = strings.TrimSpace(line[3:])
		case strings.HasPrefix(line, ">") && l.Summary == "" && len(l.Links) == 0:
			l.Summary = strings.TrimSpace(strings.TrimPrefix(line, ">"))
		default:
			if m := reLink.FindStringSubmatch(line); m != nil {
				l.Links = append(l.Links, Link{Section: section, Title: strings.TrimSpace(m[1]), URL: m[2], Notes: strings.TrimSpace(m[3])})
			}
		}
	}
	if l.Title == "" && len(l.Links) == 0 {
		return nil, errors.New("not an llms.txt: no '# ' title and no '- [title](url)' link")
	}
	return l, nil
}

// MarkdownPage is a page's Markdown twin.
type MarkdownPage struct {
	Title string // the first "# " heading
	// OpenAPI is the text of the OpenAPI block; nil on a page without one (an introduction,
	// the Webhook Payload page), which is a documentation page, not an error.
	OpenAPI []byte
	// OpenAPILine is the 1-based line the block's content starts on.
	OpenAPILine int
}

// HasOpenAPI reports whether the page carries an operation's OpenAPI document.
func (p *MarkdownPage) HasOpenAPI() bool { return p.OpenAPI != nil }

// ParseMarkdown splits a Markdown twin into its title and OpenAPI block. The block is the first
// fenced code block after a "## OpenAPI Specification" heading or, failing that, the first
// fenced yaml/json block whose text starts with "openapi:" or {"openapi". An unterminated
// block is [ErrMalformed].
func ParseMarkdown(b []byte) (*MarkdownPage, error) {
	lines := strings.Split(string(b), "\n")
	p := &MarkdownPage{}
	afterHeading := false
	for i := 0; i < len(lines); i++ {
		line := strings.TrimSuffix(lines[i], "\r")
		trimmed := strings.TrimSpace(line)
		if p.Title == "" && strings.HasPrefix(trimmed, "# ") {
			p.Title = strings.TrimSpace(trimmed[2:])
			continue
		}
		if strings.HasPrefix(trimmed, "#") && strings.EqualFold(strings.TrimSpace(strings.TrimLeft(trimmed, "#")), "OpenAPI Specification") {
			afterHeading = true
			continue
		}
		fence, info, ok := openFence(trimmed)
		if !ok {
			continue
		}
		end := -1
		for j := i + 1; j < len(lines); j++ {
			t := strings.TrimSpace(strings.TrimSuffix(lines[j], "\r"))
			if strings.HasPrefix(t, fence) && strings.Trim(t, string(fence[0])) == "" {
				end = j
				break
			}
		}
		body := lines[i+1:]
		if end >= 0 {
			body = lines[i+1 : end]
		}
		text := strings.Join(body, "\n")
		head := strings.TrimSpace(text)
		isSpec := afterHeading || ((info == "" || info == "yaml" || info == "yml" || info == "json") &&
			(strings.HasPrefix(head, "openapi:") || strings.HasPrefix(head, `{"openapi"`) || strings.HasPrefix(head, "swagger:")))
		if isSpec {
			if end < 0 {
				return nil, fmt.Errorf("%w: the code block opened on line %d is not closed", ErrMalformed, i+1)
			}
			p.OpenAPI = []byte(text + "\n")
			p.OpenAPILine = i + 2
			return p, nil
		}
		if end < 0 {
			break // an unterminated non-spec block runs to the end of the page
		}
		i = end
	}
	return p, nil
}

// openFence reports whether line opens a fenced code block: its fence (``` or ~~~, 3 or more)
// and info string.
func openFence(line string) (fence, info string, ok bool) {
	for _, c := range []string{"`", "~"} {
		n := 0
		for n < len(line) && line[n] == c[0] {
			n++
		}
		if n >= 3 {
			info = strings.ToLower(strings.TrimSpace(line[n:]))
			if c == "`" && strings.Contains(info, "`") {
				return "", "", false
			}
			if f := strings.Fields(info); len(f) > 0 {
				info = f[0]
			}
			return line[:n], info, true
		}
	}
	return "", "", false
}

// Operation is one operation of a page's OpenAPI document.
type Operation struct {
	Method string // upper case
	Path   string
	Op     *openapi3.Operation
}

// Operations lists doc's operations, sorted by path and method.
func Operations(doc *openapi3.T) []Operation {
	var out []Operation
	if doc == nil || doc.Paths == nil {
		return nil
	}
	for path, item := range doc.Paths.Map() {
		if item == nil {
			continue
		}
		for method, op := range item.Operations() {
			out = append(out, Operation{Method: strings.ToUpper(method), Path: path, Op: op})
		}
	}
	slices.SortFunc(out, func(a, b Operation) int {
		if c := strings.Compare(a.Path, b.Path); c != 0 {
			return c
		}
		return strings.Compare(a.Method, b.Method)
	})
	return out
}

// maxNormaliseDepth bounds the clean-up walk; the YAML of a real page is a few dozen levels deep.
const maxNormaliseDepth = 256

// LoadOpenAPI reads the OpenAPI block of a page leniently: Apidog's flavour is normalised to
// OpenAPI 3.0 first, then kin-openapi loads it (internal $refs resolved, nothing fetched).
// Normalised: 3.1-isms under a 3.0.1 header (type lists and 'null', schema examples arrays,
// const), security schemes written `type: bearer`, and examples given as a JSON string
// (possibly with \r\n) instead of a value. x-apidog-* extensions are kept as extensions.
// `required` on every property is accepted as written (what it means is drift's business).
// The document is not validated: the docs are evidence to compare, not a spec to enforce.
func LoadOpenAPI(b []byte) (*openapi3.T, error) {
	var root any
	if err := yaml.Unmarshal(b, &root); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	root, err := stringKeys(root, 0)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	m, ok := root.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%w: the block is not a YAML mapping", ErrMalformed)
	}
	if _, ok := m["openapi"]; !ok {
		return nil, fmt.Errorf("%w: no openapi version key", ErrMalformed)
	}
	if _, ok := m["paths"].(map[string]any); !ok {
		return nil, fmt.Errorf("%w: no paths mapping", ErrMalformed)
	}
	m["openapi"] = "3.0.3" // kin-openapi reads 3.1 differently; the content is 3.0 after clean-up
	if err := normalise(m, "", 0); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	normaliseSecuritySchemes(m)
	j, err := json.Marshal(m)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	loader := openapi3.NewLoader()
	loader.IsExternalRefsAllowed = false
	doc, err := loader.LoadFromData(j)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	return doc, nil
}

// stringKeys turns mappings with non-string keys (an unquoted `200:` status) into
// map[string]any, so the tree can be marshalled as JSON.
func stringKeys(v any, depth int) (any, error) {
	if depth > maxNormaliseDepth {
		return nil, errors.New("nested too deeply")
	}
	var err error
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if x[k], err = stringKeys(e, depth+1); err != nil {
				return nil, err
			}
		}
	case map[any]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			if m[fmt.Sprint(k)], err = stringKeys(e, depth+1); err != nil {
				return nil, err
			}
		}
		return m, nil
	case []any:
		for i, e := range x {
			if x[i], err = stringKeys(e, depth+1); err != nil {
				return nil, err
			}
		}
	}
	return v, nil
}

// normalise rewrites Apidog's 3.1-isms in place. parentKey is the key v hangs under.
func normalise(v any, parentKey string, depth int) error {
	if depth > maxNormaliseDepth {
		return errors.New("nested too deeply")
	}
	switch x := v.(type) {
	case map[string]any:
		if !strings.HasPrefix(parentKey, "x-") {
			normaliseNode(x, parentKey)
		}
		for k, child := range x {
			if strings.HasPrefix(k, "x-") {
				continue // extensions are opaque
			}
			if err := normalise(child, k, depth+1); err != nil {
				return err
			}
		}
	case []any:
		for _, child := range x {
			if err := normalise(child, parentKey, depth+1); err != nil {
				return err
			}
		}
	}
	return nil
}

// mapKeys under which a mapping's values are named things, not schema keywords.
var namedMaps = map[string]bool{
	"properties": true, "paths": true, "responses": true, "schemas": true, "headers": true,
	"content": true, "examples": true, "securitySchemes": true, "parameters": true, "requestBodies": true,
}

func normaliseNode(x map[string]any, parentKey string) {
	if namedMaps[parentKey] {
		return // the keys are names; each value is normalised on its own
	}
	// type: [string, 'null'] / type: 'null'
	switch t := x["type"].(type) {
	case []any:
		var types []string
		nullable := false
		for _, e := range t {
			if s, ok := e.(string); ok {
				if s == "null" {
					nullable = true
				} else if !slices.Contains(types, s) {
					types = append(types, s)
				}
			}
		}
		switch len(types) {
		case 0:
			delete(x, "type")
		case 1:
			x["type"] = types[0]
		default:
			delete(x, "type")
			var alts []any
			for _, s := range types {
				alts = append(alts, map[string]any{"type": s})
			}
			x["oneOf"] = alts
		}
		if nullable {
			x["nullable"] = true
		}
	case string:
		if t == "null" {
			delete(x, "type")
			x["nullable"] = true
		}
	}
	// schema examples: [...] (3.1) — 3.0 has only example, and examples maps elsewhere
	if ex, ok := x["examples"].([]any); ok {
		if _, has := x["example"]; !has && len(ex) > 0 {
			x["example"] = ex[0]
		}
		delete(x, "examples")
	}
	if c, ok := x["const"]; ok {
		if _, has := x["enum"]; !has {
			x["enum"] = []any{c}
		}
		delete(x, "const")
	}
	for _, k := range []string{"exclusiveMinimum", "exclusiveMaximum"} {
		if n, ok := x[k].(int); ok {
			x[strings.ToLower(k[9:10])+k[10:]] = n // minimum / maximum
			x[k] = true
		} else if f, ok := x[k].(float64); ok {
			x[strings.ToLower(k[9:10])+k[10:]] = f
			x[k] = true
		}
	}
	// a media type's example given as a JSON string
	if _, isMedia := x["schema"]; isMedia {
		if s, ok := x["example"].(string); ok {
			if v, ok := jsonString(s); ok {
				x["example"] = v
			}
		}
		if exs, ok := x["examples"].(map[string]any); ok {
			for _, e := range exs {
				if em, ok := e.(map[string]any); ok {
					if s, ok := em["value"].(string); ok {
						if v, ok := jsonString(s); ok {
							em["value"] = v
						}
					}
				}
			}
		}
	}
}

// jsonString decodes s when it is a JSON object or array (Apidog writes some examples as a
// string with \r\n line ends).
func jsonString(s string) (any, bool) {
	t := strings.TrimSpace(s)
	if !strings.HasPrefix(t, "{") && !strings.HasPrefix(t, "[") {
		return nil, false
	}
	var v any
	dec := json.NewDecoder(bytes.NewReader([]byte(t)))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil || dec.More() {
		return nil, false
	}
	return jsonNumbers(v), true
}

// jsonNumbers turns json.Number into int or float64, as yaml.v3 would have.
func jsonNumbers(v any) any {
	switch x := v.(type) {
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return int(i)
		}
		f, _ := x.Float64()
		return f
	case map[string]any:
		for k, e := range x {
			x[k] = jsonNumbers(e)
		}
	case []any:
		for i, e := range x {
			x[i] = jsonNumbers(e)
		}
	}
	return v
}

// normaliseSecuritySchemes rewrites `type: bearer` (and basic) to the 3.0 form and drops a
// scheme of an unknown type, which kin-openapi would reject and drift does not compare.
func normaliseSecuritySchemes(m map[string]any) {
	comps, _ := m["components"].(map[string]any)
	schemes, _ := comps["securitySchemes"].(map[string]any)
	for name, s := range schemes {
		sm, ok := s.(map[string]any)
		if !ok {
			delete(schemes, name)
			continue
		}
		switch t, _ := sm["type"].(string); strings.ToLower(t) {
		case "apikey", "http", "oauth2", "openidconnect":
		case "bearer", "basic":
			sm["scheme"] = strings.ToLower(t)
			sm["type"] = "http"
		default:
			delete(schemes, name)
		}
	}
}
