package apidog

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
)

// ErrNotApidog is returned (wrapped) for input that is not an Apidog page.
var ErrNotApidog = errors.New("not an Apidog documentation page")

// maxPageSize bounds what Parse reads; real pages are a few kilobytes.
const maxPageSize = 8 << 20

// ParseFile parses the page in the named file and records the name in
// [Page.Source].
func ParseFile(name string) (*Page, error) {
	b, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	p, err := Parse(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	p.Source = name
	return p, nil
}

// Parse reads one scraped Apidog page. It fails with an error wrapping
// [ErrNotApidog] when the text has neither an operation header (a title, an
// HTTP method line and an http(s) URL line in a row) nor Apidog's navigation
// and page furniture.
func Parse(r io.Reader) (*Page, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxPageSize+1))
	if err != nil {
		return nil, fmt.Errorf("apidog: reading page: %w", err)
	}
	if len(b) > maxPageSize {
		return nil, fmt.Errorf("apidog: page larger than %d bytes", maxPageSize)
	}
	lines := splitLines(b)
	if len(lines) == 0 {
		return nil, fmt.Errorf("apidog: %w: empty input", ErrNotApidog)
	}

	p := &Page{}
	op := findOperation(lines)
	navEnd := len(lines)
	if op >= 0 {
		navEnd = op
		if op >= 1 {
			p.Title = lines[op-1].text
			navEnd = op - 1
		}
		if op >= 2 {
			if m := reBreadcrumb.FindStringSubmatch(lines[op-2].text); m != nil {
				p.Group = m[1]
				navEnd = op - 2
			}
		}
	}
	p.Nav = parseNav(lines[:navEnd])

	body := lines
	if op >= 0 {
		body = lines[op+2:]
	}
	footer := findFooter(body)
	p.parseFooter(body[footer:])
	body = body[:footer]

	if op < 0 {
		if len(p.Nav) == 0 || (p.ModifiedAtText == "" && p.Previous == "" && p.Next == "" && !hasLine(lines, "Built with")) {
			return nil, fmt.Errorf("apidog: %w: no operation header (title, HTTP method and URL lines) and no Apidog navigation and footer", ErrNotApidog)
		}
		return p, nil
	}

	p.Method = lines[op].text
	p.URL = lines[op+1].text
	p.Host, p.Path = splitURL(p.URL)

	req, resp := index(body, "Request"), index(body, "Responses")
	descEnd := len(body)
	if req >= 0 {
		descEnd = req
	} else if resp >= 0 {
		descEnd = resp
	}
	p.Description = joinText(body[:descEnd], "\n")
	if req >= 0 {
		end := len(body)
		if resp > req {
			end = resp
		}
		p.parseRequest(body[req+1 : end])
	}
	if resp >= 0 {
		p.parseResponses(body[resp+1:])
	}
	return p, nil
}

// line is one non-blank input line.
type line struct {
	raw  string // right-trimmed
	text string // trimmed
}

func splitLines(b []byte) []line {
	s := strings.TrimPrefix(string(b), "\ufeff")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	var out []line
	for _, l := range strings.Split(s, "\n") {
		raw := strings.TrimRightFunc(l, unicode.IsSpace)
		text := strings.TrimSpace(raw)
		if text == "" {
			continue
		}
		out = append(out, line{raw: raw, text: text})
	}
	return out
}

var (
	methods = map[string]bool{
		"GET": true, "POST": true, "PUT": true, "PATCH": true, "DELETE": true,
		"HEAD": true, "OPTIONS": true, "TRACE": true,
	}
	reBreadcrumb = regexp.MustCompile(`^\d+\.\s+(\S.*)$`)
	reModified   = regexp.MustCompile(`^Modified at\s+(\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(?::\d{2})?)`)
	// A status line is "🟢200Success": an emoji, the code, the description.
	// Without the emoji the description must follow the code directly
	// ("200Success"), which no prose or JSON line does.
	reStatusEmoji = regexp.MustCompile(`^[\p{So}\p{Sk}\x{FE0F}\x{200D}]+\s*([1-5]\d\d)\s*(.*)$`)
	reStatusBare  = regexp.MustCompile(`^([1-5]\d\d)(\p{Lu}.*)$`)
	reMediaType   = regexp.MustCompile(`^[\w.+-]+/[\w.+*-]+(?:\s*;.*)?$`)
)

func isURL(s string) bool {
	return strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "http://")
}

// findOperation returns the index of the method line of the operation
// header (method followed by URL), or -1.
func findOperation(lines []line) int {
	for i := 0; i+1 < len(lines); i++ {
		if methods[lines[i].text] && isURL(lines[i+1].text) {
			return i
		}
	}
	return -1
}

func index(lines []line, text string) int {
	for i, l := range lines {
		if l.text == text {
			return i
		}
	}
	return -1
}

func hasLine(lines []line, text string) bool { return index(lines, text) >= 0 }

func joinText(lines []line, sep string) string {
	parts := make([]string, len(lines))
	for i, l := range lines {
		parts[i] = l.text
	}
	return strings.Join(parts, sep)
}

func joinRaw(lines []line) string {
	parts := make([]string, len(lines))
	for i, l := range lines {
		parts[i] = l.raw
	}
	return strings.Join(parts, "\n")
}

// splitURL returns the host and the path (no query or fragment) of u.
func splitURL(u string) (host, path string) {
	rest := u
	if i := strings.Index(rest, "://"); i >= 0 {
		rest = rest[i+3:]
	}
	slash := strings.IndexAny(rest, "/?#")
	if slash < 0 {
		return rest, "/"
	}
	host, path = rest[:slash], rest[slash:]
	if i := strings.IndexAny(path, "?#"); i >= 0 {
		path = path[:i]
	}
	if path == "" {
		path = "/"
	}
	return host, path
}

// parseNav reads "- Item" (compact) or "• Item" (indented) entries; a bare
// HTTP method under an entry is that entry's method.
func parseNav(lines []line) []NavItem {
	var items []NavItem
	var indents []int
	for _, l := range lines {
		if methods[l.text] && len(items) > 0 && items[len(items)-1].Method == "" {
			items[len(items)-1].Method = l.text
			continue
		}
		title, ok := navTitle(l.text)
		if !ok {
			continue
		}
		items = append(items, NavItem{Title: title})
		indents = append(indents, len(l.raw)-len(strings.TrimLeftFunc(l.raw, unicode.IsSpace)))
	}
	if len(indents) == 0 {
		return nil
	}
	base := slices.Min(indents)
	for i := range items {
		items[i].Depth = (indents[i] - base) / 2
	}
	return items
}

func navTitle(s string) (string, bool) {
	for _, bullet := range []string{"- ", "• ", "* "} {
		if t, ok := strings.CutPrefix(s, bullet); ok {
			t = strings.TrimSpace(t)
			return t, t != ""
		}
	}
	return "", false
}

// findFooter returns the index where the page footer starts ("Modified
// at", "Previous", "Built with"), or len(lines).
func findFooter(lines []line) int {
	for i, l := range lines {
		if reModified.MatchString(l.text) || l.text == "Previous" || l.text == "Built with" {
			return i
		}
	}
	return len(lines)
}

func (p *Page) parseFooter(lines []line) {
	for i, l := range lines {
		switch {
		case reModified.MatchString(l.text):
			m := reModified.FindStringSubmatch(l.text)
			p.ModifiedAtText = m[1]
			for _, layout := range []string{"2006-01-02 15:04:05", "2006-01-02T15:04:05", "2006-01-02 15:04", "2006-01-02T15:04"} {
				if t, err := time.Parse(layout, m[1]); err == nil {
					p.ModifiedAt = t
					break
				}
			}
		case l.text == "Previous" && i+1 < len(lines):
			p.Previous = lines[i+1].text
		case l.text == "Next" && i+1 < len(lines):
			p.Next = lines[i+1].text
		}
	}
}

type segment struct {
	kind  string // auth, path, query, header, cookie, body, samples
	extra string // body content type
	lines []line
}

func (p *Page) parseRequest(lines []line) {
	var segs []segment
	for _, l := range lines {
		kind, extra := requestHeading(l.text, len(segs) == 0)
		if kind != "" {
			segs = append(segs, segment{kind: kind, extra: extra})
			continue
		}
		if len(segs) > 0 {
			segs[len(segs)-1].lines = append(segs[len(segs)-1].lines, l)
		}
	}
	for _, s := range segs {
		switch s.kind {
		case "auth":
			p.Authorization = joinText(s.lines, " ")
		case "path", "query", "header", "cookie":
			fields, _, _ := parseFields(s.lines)
			params := make([]Param, 0, len(fields))
			for _, f := range fields {
				params = append(params, Param{
					Name: f.name, Type: f.typ.name, Nullable: f.typ.nullable, Required: f.required,
					Description: strings.Join(f.desc, "\n"), Example: f.example,
				})
			}
			switch s.kind {
			case "path":
				p.PathParams = append(p.PathParams, params...)
			case "query":
				p.QueryParams = append(p.QueryParams, params...)
			case "header":
				p.HeaderParams = append(p.HeaderParams, params...)
			case "cookie":
				p.CookieParams = append(p.CookieParams, params...)
			}
		case "body":
			fields, ex, _ := parseFields(s.lines)
			p.Body = &Body{ContentType: s.extra, Fields: buildTree(fields, ex, false), Example: ex}
		case "samples":
			for i, l := range s.lines {
				if strings.HasPrefix(l.text, "curl ") {
					p.Sample = joinRaw(s.lines[i:])
					break
				}
			}
		}
	}
}

func requestHeading(text string, first bool) (kind, extra string) {
	switch text {
	case "Path Params":
		return "path", ""
	case "Query Params":
		return "query", ""
	case "Header Params":
		return "header", ""
	case "Cookie Params":
		return "cookie", ""
	case "Request samples":
		return "samples", ""
	case "Authorization":
		// The Authorization block's text repeats the word; only the
		// first line of the request section is its heading.
		if first {
			return "auth", ""
		}
	}
	if rest, ok := strings.CutPrefix(text, "Body Params"); ok && (rest == "" || rest[0] == ' ') {
		return "body", strings.TrimSpace(rest)
	}
	return "", ""
}

func statusLine(text string) (code int, desc string, ok bool) {
	m := reStatusEmoji.FindStringSubmatch(text)
	if m == nil {
		m = reStatusBare.FindStringSubmatch(text)
	}
	if m == nil {
		return 0, "", false
	}
	code = int(m[1][0]-'0')*100 + int(m[1][1]-'0')*10 + int(m[1][2]-'0')
	return code, strings.TrimSpace(m[2]), true
}

func (p *Page) parseResponses(lines []line) {
	type block struct {
		status int
		desc   string
		lines  []line
	}
	var blocks []block
	for i := 0; i < len(lines); {
		l := lines[i]
		if l.text == "Example" && i+1 < len(lines) && startsJSON(lines[i+1].text) {
			end := jsonEnd(lines, i+1)
			if len(blocks) > 0 {
				blocks[len(blocks)-1].lines = append(blocks[len(blocks)-1].lines, lines[i:end]...)
			}
			i = end
			continue
		}
		if code, desc, ok := statusLine(l.text); ok {
			blocks = append(blocks, block{status: code, desc: desc})
		} else if len(blocks) > 0 {
			blocks[len(blocks)-1].lines = append(blocks[len(blocks)-1].lines, l)
		}
		i++
	}
	for _, b := range blocks {
		fields, ex, pre := parseFields(b.lines)
		r := Response{Status: b.status, Description: b.desc, Example: ex}
		for _, l := range pre {
			if reMediaType.MatchString(l.text) {
				r.ContentType = l.text
				break
			}
		}
		r.Fields = buildTree(fields, ex, true)
		p.Responses = append(p.Responses, r)
	}
}

// rawField is a field as listed, before nesting is worked out.
type rawField struct {
	name     string
	typ      docType
	typeText string
	required bool
	desc     []string
	example  string
}

func fieldStart(lines []line, i int) (rawField, bool) {
	if i+2 >= len(lines) {
		return rawField{}, false
	}
	req := lines[i+2].text
	if req != "required" && req != "optional" {
		return rawField{}, false
	}
	t, ok := parseType(lines[i+1].text)
	if !ok {
		return rawField{}, false
	}
	return rawField{name: lines[i].text, typ: t, typeText: strings.Join(strings.Fields(lines[i+1].text), " "), required: req == "required"}, true
}

// parseFields reads a list of "name / type / required|optional" triples
// with their description and "Example:" lines, and a block-level example
// ("Example" followed by JSON). Lines before the first field are returned
// as pre.
func parseFields(lines []line) (fields []rawField, ex *Example, pre []line) {
	var cur *rawField
	for i := 0; i < len(lines); {
		t := lines[i].text
		if f, ok := fieldStart(lines, i); ok {
			fields = append(fields, f)
			cur = &fields[len(fields)-1]
			i += 3
			continue
		}
		next := ""
		if i+1 < len(lines) {
			next = lines[i+1].text
		}
		if (t == "Example" || (t == "Example:" && cur == nil)) && startsJSON(next) {
			end := jsonEnd(lines, i+1)
			if ex == nil {
				ex = newExample(joinRaw(lines[i+1 : end]))
			}
			cur = nil
			i = end
			continue
		}
		if cur != nil && t == "Example:" && i+1 < len(lines) {
			if _, isField := fieldStart(lines, i+1); !isField {
				cur.example = next
				i += 2
				continue
			}
		}
		if cur != nil && strings.HasPrefix(t, "Example:") {
			cur.example = strings.TrimSpace(strings.TrimPrefix(t, "Example:"))
			i++
			continue
		}
		if cur != nil {
			cur.desc = append(cur.desc, t)
		} else {
			pre = append(pre, lines[i])
		}
		i++
	}
	return fields, ex, pre
}

// docType is a parsed type line.
type docType struct {
	name     string // normalised, see Field.Type
	nullable bool
	format   string
	children int // -1 when not printed
}

var reTypeAlt = regexp.MustCompile(`^(string|integer|number|boolean|object|array|null|any)` +
	`(?:\s*\[\s*([a-z]+)\s*(?:\{\s*(\d+)\s*\})?\s*\])?` + // array [object {5}], array[string]
	`(?:\s*\{\s*(\d+)\s*\})?` + // object {3}
	`(?:\s*<\s*([^<>]*?)\s*>)?$`) // string <date-time>

func parseType(s string) (docType, bool) {
	t := docType{children: -1}
	var names []string
	// The indented rendering separates type words with no-break spaces.
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return ' '
		}
		return r
	}, s)
	for _, alt := range strings.Split(s, "|") {
		m := reTypeAlt.FindStringSubmatch(strings.TrimSpace(alt))
		if m == nil {
			return docType{}, false
		}
		base, inner := m[1], m[2]
		for _, c := range []string{m[3], m[4]} {
			if c != "" && t.children < 0 {
				n := 0
				for _, d := range c {
					if n < 1<<20 {
						n = n*10 + int(d-'0')
					}
				}
				t.children = n
			}
		}
		if m[5] != "" {
			t.format = m[5]
		}
		switch {
		case base == "null":
			t.nullable = true
			continue
		case base == "array" && inner != "":
			base = "array[" + inner + "]"
		}
		names = append(names, base)
	}
	if len(names) == 0 {
		names = []string{"null"}
	}
	t.name = strings.Join(names, "|")
	return t, true
}

func startsJSON(s string) bool { return strings.HasPrefix(s, "{") || strings.HasPrefix(s, "[") }

// jsonEnd returns the index just past the JSON value starting at
// lines[start]: where its brackets balance, or before the first line that
// cannot belong to it (a status line or the page footer) if they never do.
func jsonEnd(lines []line, start int) int {
	depth := 0
	for i := start; i < len(lines); i++ {
		t := lines[i].text
		if i > start && depth > 0 && isBoundary(t) {
			return i
		}
		inStr, esc := false, false
	scan:
		for j := 0; j < len(t); j++ {
			c := t[j]
			switch {
			case inStr && esc:
				esc = false
			case inStr && c == '\\':
				esc = true
			case inStr && c == '"':
				inStr = false
			case inStr:
			case c == '"':
				inStr = true
			case c == '{' || c == '[':
				depth++
			case c == '}' || c == ']':
				depth--
			case c == '/' && j+1 < len(t) && t[j+1] == '/':
				break scan
			}
		}
		if depth <= 0 {
			return i + 1
		}
	}
	return len(lines)
}

func isBoundary(t string) bool {
	if _, _, ok := statusLine(t); ok {
		return true
	}
	switch t {
	case "Request samples", "Responses", "Previous", "Built with":
		return true
	}
	return reModified.MatchString(t)
}
