package spec

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/gofive-go/gofive/api/redact"
)

// Direction says whether a problem is in a request or in a response.
type Direction string

// The two directions of a [ValidationError].
const (
	DirectionRequest  Direction = "request"
	DirectionResponse Direction = "response"
)

// A ValidationError is one way a request or a response departs from the spec.
//
// Messages never contain the value of a credential (Authorization, the subscription key, a
// client secret or an access token): such values are described by their type only.
type ValidationError struct {
	Direction Direction
	// OperationID is the spec operation; empty when the request matched none.
	OperationID string
	// Method and Path of the operation (Path is the spec's template when an operation
	// matched, the request path otherwise).
	Method string
	Path   string
	// Status is the response's HTTP status (0 for requests).
	Status int
	// Field locates the problem: a JSON path into the body ("$.data.salesorderDetails[0].qty"),
	// or "path.<name>", "query.<name>", "header.<Name>"; empty for the message as a whole.
	Field string
	// Expected is what the spec requires there, Got what was sent.
	Expected string
	Got      string
}

func (e *ValidationError) Error() string {
	var b strings.Builder
	b.WriteString("spec: ")
	if e.OperationID != "" {
		b.WriteString(e.OperationID)
	} else {
		b.WriteString(e.Method + " " + e.Path)
	}
	b.WriteString(" " + string(e.Direction))
	if e.Status != 0 {
		b.WriteString(" " + strconv.Itoa(e.Status))
	}
	b.WriteString(": ")
	if e.Field != "" {
		b.WriteString(e.Field + ": ")
	}
	b.WriteString("expected " + e.Expected + ", got " + e.Got)
	return b.String()
}

// ValidationErrors lists the problems of one request or response (or of a whole test, from
// [ValidatingTransport.Err]). errors.As finds each *[ValidationError] in it.
type ValidationErrors []*ValidationError

func (es ValidationErrors) Error() string {
	switch len(es) {
	case 0:
		return "spec: no problems"
	case 1:
		return es[0].Error()
	}
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return fmt.Sprintf("spec: %d problems:\n%s", len(es), strings.Join(lines, "\n"))
}

// Unwrap returns the problems, for errors.Is and errors.As.
func (es ValidationErrors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// WithRedactor removes the credentials r knows (e.g. an api.Client's, from
// Client.Redactor) from every problem's text, as a server or a caller may
// put one in any field. The validator knows no credential itself: without
// this option it describes a value in a credential header or a field named
// like one by its type only, but cannot recognise a secret elsewhere.
func WithRedactor(r *redact.Redactor) ValidatorOption {
	return func(c *config) { c.redactor = r }
}

// redact is the one place every problem's text passes before it leaves the
// validator (returned or reported).
func (v *Validator) redact(problems ValidationErrors) {
	r := v.cfg.redactor
	if r == nil {
		return
	}
	for _, p := range problems {
		p.Path, p.Field = r.String(p.Path), r.String(p.Field)
		p.Expected, p.Got = r.String(p.Expected), r.String(p.Got)
	}
}

// convert turns kin-openapi's errors into ValidationErrors.
func (v *Validator) convert(rt *Route, dir Direction, status int, err error) ValidationErrors {
	base := ValidationError{Direction: dir, OperationID: rt.OperationID, Method: rt.Method, Path: rt.Path, Status: status}
	var out ValidationErrors
	add := func(field, expected, got string) {
		e := base
		e.Field, e.Expected, e.Got = field, expected, got
		out = append(out, &e)
	}
	var walk func(err error)
	walk = func(err error) {
		var (
			me     openapi3.MultiError
			reqErr *openapi3filter.RequestError
			resErr *openapi3filter.ResponseError
			secErr *openapi3filter.SecurityRequirementsError
			credE  *credentialError
		)
		switch {
		case errors.As(err, &secErr):
			for _, e := range secErr.Errors {
				walk(e)
			}
			if len(secErr.Errors) == 0 {
				add("header.Authorization", "credentials", "none")
			}
		case errors.As(err, &credE):
			add("header."+credE.header, credE.expected, credE.got)
		case errors.As(err, &reqErr):
			convertRequestError(reqErr, add)
		case errors.As(err, &resErr):
			convertResponseError(resErr, add)
		case asMulti(err, &me):
			for _, e := range me {
				walk(e)
			}
		default:
			add("", "a valid message", err.Error())
		}
	}
	walk(err)
	sortProblems(out)
	return out
}

// asMulti is errors.As for a MultiError at the top of err only (MultiError's own As method
// would otherwise hand out its first element).
func asMulti(err error, me *openapi3.MultiError) bool {
	m, ok := err.(openapi3.MultiError)
	if ok {
		*me = m
	}
	return ok
}

type addFunc func(field, expected, got string)

func convertRequestError(e *openapi3filter.RequestError, add addFunc) {
	switch {
	case e.Parameter != nil:
		p := e.Parameter
		field := p.In + "." + p.Name
		secret := sensitive(p.Name)
		var (
			se *openapi3.SchemaError
			pe *openapi3filter.ParseError
		)
		switch {
		case errors.Is(e.Err, openapi3filter.ErrInvalidRequired):
			add(field, "a value (required)", "missing")
		case errors.Is(e.Err, openapi3filter.ErrInvalidEmptyValue):
			add(field, "a non-empty value", "empty")
		case errors.As(e.Err, &pe):
			add(field, schemaSummary(p.Schema), describeParse(pe, secret))
		case errors.As(e.Err, &se):
			schemaErrors(field, e.Err, add, secret)
		default:
			add(field, schemaSummary(p.Schema), reasonOf(e.Reason, e.Err))
		}
	case e.RequestBody != nil:
		switch {
		case errors.Is(e.Err, openapi3filter.ErrInvalidRequired):
			add("$", "a request body (required)", "none")
		case strings.HasPrefix(e.Reason, "header Content-Type has unexpected value"):
			add("header.Content-Type", "one of "+contentTypes(e.RequestBody.Content), quoteGot(e.Input.Request.Header.Get("Content-Type")))
		case e.Reason == "failed to decode request body":
			add("$", "a body of type "+contentTypes(e.RequestBody.Content), "undecodable body: "+firstLine(e.Err))
		case e.Err != nil:
			schemaErrors("$", e.Err, add, false)
		default:
			add("$", "a valid body", e.Reason)
		}
	default:
		switch {
		case strings.Contains(e.Error(), "request body not allowed"):
			add("$", "no request body (the operation declares none)", fmt.Sprintf("a body of %d bytes", e.Input.Request.ContentLength))
		default:
			add("", "a valid request", reasonOf(e.Reason, e.Err))
		}
	}
}

func convertResponseError(e *openapi3filter.ResponseError, add addFunc) {
	switch {
	case strings.HasPrefix(e.Reason, "response header Content-Type has unexpected value"):
		ct := e.Input.Header.Get("Content-Type")
		expected := "application/json"
		if rt := e.Input.RequestValidationInput.Route; rt != nil {
			if r := rt.Operation.Responses.Status(e.Input.Status); r != nil && r.Value != nil {
				expected = contentTypes(r.Value.Content)
			}
		}
		add("header.Content-Type", expected, quoteGot(ct))
	case e.Reason == "failed to decode response body":
		add("$", "a JSON body", "undecodable body: "+firstLine(e.Err))
	case e.Err != nil:
		schemaErrors("$", e.Err, add, false)
	default:
		add("", "a valid response", e.Reason)
	}
}

// schemaErrors adds one problem per schema error in err, rooted at root ("$" for a body).
func schemaErrors(root string, err error, add addFunc, secret bool) {
	var me openapi3.MultiError
	if asMulti(err, &me) {
		for _, e := range me {
			schemaErrors(root, e, add, secret)
		}
		return
	}
	var se *openapi3.SchemaError
	if !errors.As(err, &se) {
		add(root, "a valid value", firstLine(err))
		return
	}
	ptr := se.JSONPointer()
	field := jsonPath(root, ptr)
	secret = secret || slices.ContainsFunc(ptr, sensitive)
	switch se.SchemaField {
	case "required":
		add(field, "a value (required)", "missing")
	case "properties":
		name := unsupportedProperty(se.Reason)
		add(jsonPath(root, append(ptr, name)), "only documented properties (strict)", fmt.Sprintf("undocumented property %q", name))
	case "oneOf", "anyOf":
		// When exactly one alternative has the value's JSON kind, its errors say more than
		// "matches none of oneOf".
		if branch := kindBranch(se); branch != nil {
			schemaErrors(root, branch, add, secret)
			return
		}
		if errors.Is(se.Origin, openapi3.ErrOneOfConflict) {
			add(field, "exactly one of "+alternatives(se.Schema), "a value matching several")
			return
		}
		add(field, "one of "+alternatives(se.Schema), describe(se.Value, secret))
	case "allOf":
		var sub openapi3.MultiError
		if se.Origin != nil && errors.As(se.Origin, &sub) {
			schemaErrors(root, sub, add, secret)
			return
		}
		add(field, "all of "+alternatives(se.Schema), describe(se.Value, secret))
	case "nullable":
		add(field, "a non-null "+typeName(se.Schema), "null")
	case "type":
		add(field, typeName(se.Schema), describe(se.Value, secret))
	case "enum":
		add(field, "one of "+enumList(se.Schema.Enum), describe(se.Value, secret))
	case "format":
		add(field, "format "+se.Schema.Format, describe(se.Value, secret))
	case "pattern":
		add(field, "pattern "+se.Schema.Pattern, describe(se.Value, secret))
	default:
		add(field, se.SchemaField+" ("+se.Reason+")", describe(se.Value, secret))
	}
}

// kindBranch returns the errors of the single oneOf/anyOf alternative whose type accepts the
// value's JSON kind, or nil.
func kindBranch(se *openapi3.SchemaError) error {
	var branches openapi3.MultiError
	if se.Origin == nil || !errors.As(se.Origin, &branches) || len(branches) != len(se.Schema.OneOf) {
		return nil
	}
	kind := jsonKind(se.Value)
	match := -1
	for i, alt := range se.Schema.OneOf {
		if alt.Value == nil || !acceptsKind(alt.Value, kind) {
			continue
		}
		if match >= 0 {
			return nil
		}
		match = i
	}
	if match < 0 {
		return nil
	}
	return branches[match]
}

func acceptsKind(s *openapi3.Schema, kind string) bool {
	if s.Type == nil || len(s.Type.Slice()) == 0 {
		return len(s.Properties) > 0 && kind == "object"
	}
	for _, t := range s.Type.Slice() {
		if t == kind || (t == "number" && kind == "integer") {
			return true
		}
	}
	return false
}

var unsupportedRE = regexp.MustCompile(`property "(.*)" is unsupported`)

func unsupportedProperty(reason string) string {
	if m := unsupportedRE.FindStringSubmatch(reason); m != nil {
		return m[1]
	}
	return "?"
}

// jsonPath renders a JSON pointer as a JSON path below root.
func jsonPath(root string, ptr []string) string {
	var b strings.Builder
	b.WriteString(root)
	for _, k := range ptr {
		switch {
		case isIndex(k):
			b.WriteString("[" + k + "]")
		case isIdent(k):
			b.WriteString("." + k)
		default:
			b.WriteString("[" + strconv.Quote(k) + "]")
		}
	}
	return b.String()
}

func isIndex(k string) bool {
	if k == "" {
		return false
	}
	for _, c := range k {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func isIdent(k string) bool {
	if k == "" {
		return false
	}
	for i, c := range k {
		if c == '_' || c == '$' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (i > 0 && c >= '0' && c <= '9') {
			continue
		}
		return false
	}
	return true
}

// sensitive reports whether a field or header name carries a credential.
func sensitive(name string) bool {
	n := strings.ToLower(name)
	for _, s := range []string{"secret", "token", "password", "authorization", "subscription", "apikey", "api_key", "api-key"} {
		if strings.Contains(n, s) {
			return true
		}
	}
	return false
}

// describe names a JSON value for a message: its kind and, for short scalars that are not
// secret, the value.
func describe(v any, secret bool) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case bool:
		if secret {
			return "a boolean (redacted)"
		}
		return "boolean " + strconv.FormatBool(v)
	case float64, json.Number, int, int64:
		if secret {
			return "a number (redacted)"
		}
		return fmt.Sprintf("number %v", v)
	case string:
		if secret {
			return "a string (redacted)"
		}
		return "string " + quoteShort(v)
	case []any:
		return fmt.Sprintf("array of %d items", len(v))
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		if len(keys) > 8 {
			keys = append(keys[:8], "…")
		}
		return "object {" + strings.Join(keys, ", ") + "}"
	default:
		return fmt.Sprintf("%T", v)
	}
}

func describeParse(pe *openapi3filter.ParseError, secret bool) string {
	if pe.Value != nil {
		return describe(pe.Value, secret)
	}
	return pe.Reason
}

func quoteShort(s string) string {
	const max = 40
	if r := []rune(s); len(r) > max {
		s = string(r[:max]) + "…"
	}
	return strconv.Quote(s)
}

func quoteGot(s string) string {
	if s == "" {
		return "none"
	}
	return quoteShort(s)
}

func jsonKind(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case float64:
		if v == float64(int64(v)) {
			return "integer"
		}
		return "number"
	case json.Number:
		if _, err := v.Int64(); err == nil {
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
	return ""
}

// typeName describes a schema's type: "string", "integer (int64)", "object Customer" …
func typeName(s *openapi3.Schema) string {
	if s == nil {
		return "a value"
	}
	var t string
	if s.Type != nil && len(s.Type.Slice()) > 0 {
		t = "type " + strings.Join(s.Type.Slice(), "|")
	} else if len(s.OneOf)+len(s.AnyOf) > 0 {
		t = "one of " + alternatives(s)
	} else {
		t = "any value"
	}
	if s.Format != "" {
		t += " (" + s.Format + ")"
	}
	if s.Nullable {
		t += " or null"
	}
	return t
}

func schemaSummary(ref *openapi3.SchemaRef) string {
	if ref == nil {
		return "a value"
	}
	return typeName(ref.Value)
}

// alternatives lists the members of a oneOf/anyOf/allOf by component name or type.
func alternatives(s *openapi3.Schema) string {
	refs := s.OneOf
	switch {
	case len(s.AnyOf) > 0:
		refs = s.AnyOf
	case len(s.AllOf) > 0 && len(s.OneOf) == 0:
		refs = s.AllOf
	}
	names := make([]string, 0, len(refs))
	for _, r := range refs {
		switch {
		case r.Ref != "":
			names = append(names, r.Ref[strings.LastIndex(r.Ref, "/")+1:])
		case r.Value != nil && r.Value.Type != nil && len(r.Value.Type.Slice()) > 0:
			n := strings.Join(r.Value.Type.Slice(), "|")
			if r.Value.Type.Is("array") && r.Value.Items != nil && r.Value.Items.Ref != "" {
				n = "array of " + r.Value.Items.Ref[strings.LastIndex(r.Value.Items.Ref, "/")+1:]
			}
			names = append(names, n)
		default:
			names = append(names, "schema")
		}
	}
	return "[" + strings.Join(names, ", ") + "]"
}

func enumList(vals []any) string {
	parts := make([]string, len(vals))
	for i, v := range vals {
		b, _ := json.Marshal(v)
		parts[i] = string(b)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

func contentTypes(c openapi3.Content) string {
	keys := make([]string, 0, len(c))
	for k := range c {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return strings.Join(keys, ", ")
}

func reasonOf(reason string, err error) string {
	if err != nil {
		return firstLine(err)
	}
	return reason
}

func firstLine(err error) string {
	if err == nil {
		return ""
	}
	s := err.Error()
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return s
}

func sortProblems(es ValidationErrors) {
	sort.SliceStable(es, func(i, j int) bool { return es[i].Field < es[j].Field })
}
