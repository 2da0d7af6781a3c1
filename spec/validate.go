package spec

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/gofive-go/gofive/api/redact"
)

// A Validator checks HTTP requests and responses against the embedded spec with kin-openapi's
// openapi3filter. It is meant for tests (see [NewValidatingTransport]); it is safe for
// concurrent use.
//
// Routing is on the path alone, so any host (a loopback test server, the production gateway)
// matches; a literal segment wins over a template ("GET /v2/salesorder/headerTemplate" is
// getHeaderTemplate, not getSalesOrder) and segments match case-sensitively, as documented
// ("/v1/Expenses" and "/v1/expenses/…" are different paths).
type Validator struct {
	cfg    config
	doc    *openapi3.T
	router *router
}

// A ValidatorOption configures a [Validator] or a [ValidatingTransport].
type ValidatorOption func(*config)

type config struct {
	strict        bool
	docsRequired  bool
	collect       bool
	skipSecurity  bool
	prefix        string
	reporters     []func(*ValidationError)
	skipRequests  bool
	skipResponses bool
	redactor      *redact.Redactor // see WithRedactor
}

// Strict closes the spec's objects: a copy of the spec is validated in which every object
// schema with properties has additionalProperties: false, so undocumented fields are
// reported. Objects whose property list is known to be incomplete (x-gofive-unrecovered,
// x-gofive-partial) stay open, as do objects combined with others in an allOf, where closing
// one member would reject the others' properties. In strict mode undocumented query
// parameters are reported too.
func Strict() ValidatorOption { return func(c *config) { c.strict = true } }

// FailFast makes validation stop at the first problem and makes a [ValidatingTransport]
// return it as an error: an invalid request is not sent, an invalid response is dropped.
// This is the default.
func FailFast() ValidatorOption { return func(c *config) { c.collect = false } }

// Collect makes validation report every problem of a request or response instead of the
// first one, and makes a [ValidatingTransport] pass traffic through unchanged; read the
// problems with [ValidatingTransport.Problems] or [ValidatingTransport.Err], or have them
// reported with [ReportTo] or [OnProblem].
func Collect() ValidatorOption { return func(c *config) { c.collect = true } }

// OnProblem calls f for every problem found (in either mode), e.g. to log it. f may be called
// from several goroutines at once.
func OnProblem(f func(*ValidationError)) ValidatorOption {
	return func(c *config) {
		if f != nil {
			c.reporters = append(c.reporters, f)
		}
	}
}

// TB is the part of testing.TB that [ReportTo] uses.
type TB interface {
	Helper()
	Errorf(format string, args ...any)
}

// ReportTo reports every problem found as a test error on t (t.Errorf). Combined with
// [Collect], a test sees every spec violation of its traffic while the code under test runs
// unchanged.
func ReportTo(t TB) ValidatorOption {
	return OnProblem(func(e *ValidationError) {
		t.Helper()
		t.Errorf("%v", e)
	})
}

// SkipSecurityCheck stops the check that each request carries the credentials its
// operation's security requirement names (a "Bearer" Authorization header and the
// Ocp-Apim-Subscription-Key header; their values are never checked nor reported). Use it
// when validating traffic below the layer that adds credentials, or on a server that does
// its own authentication.
func SkipSecurityCheck() ValidatorOption { return func(c *config) { c.skipSecurity = true } }

// WithPathPrefix strips prefix (e.g. "/venio/api/gateway") from request paths before they are
// matched against the spec's paths, for gateways that mount the API below a base path.
func WithPathPrefix(prefix string) ValidatorOption {
	return func(c *config) { c.prefix = strings.TrimSuffix(prefix, "/") }
}

// OnlyResponses makes a [ValidatingTransport] validate responses only.
func OnlyResponses() ValidatorOption { return func(c *config) { c.skipRequests = true } }

// OnlyRequests makes a [ValidatingTransport] validate requests only.
func OnlyRequests() ValidatorOption { return func(c *config) { c.skipResponses = true } }

// NewValidator returns a Validator for the embedded spec.
func NewValidator(opts ...ValidatorOption) (*Validator, error) {
	var cfg config
	for _, o := range opts {
		o(&cfg)
	}
	doc, rt, err := loadShared(mode{strict: cfg.strict, docsRequired: cfg.docsRequired})
	if err != nil {
		return nil, err
	}
	return &Validator{cfg: cfg, doc: doc, router: rt}, nil
}

// The spec describes the gateway's HTML error pages (5xx) as text/html strings; kin-openapi
// decodes no text/html by default. Registering is process-wide and harmless: only bodies of
// that content type are affected, and only to be read as text.
func init() {
	if openapi3filter.RegisteredBodyDecoder("text/html") == nil {
		openapi3filter.RegisterBodyDecoder("text/html", openapi3filter.FileBodyDecoder)
	}
}

// mode selects one of the process-wide parsed copies of the spec.
type mode struct{ strict, docsRequired bool }

// The parsed spec is shared by every Validator of the process with the same mode: validation
// only reads it. Each mode has its own copy, so Strict or DocsRequired never leak into the
// default validator.
var loaded = map[mode]func() (*docAndRouter, error){}

func init() {
	for _, m := range []mode{{}, {strict: true}, {docsRequired: true}, {strict: true, docsRequired: true}} {
		loaded[m] = sync.OnceValues(func() (*docAndRouter, error) { return load(m) })
	}
}

type docAndRouter struct {
	doc    *openapi3.T
	router *router
}

func loadShared(m mode) (*openapi3.T, *router, error) {
	d, err := loaded[m]()
	if err != nil {
		return nil, nil, err
	}
	return d.doc, d.router, nil
}

func load(m mode) (*docAndRouter, error) {
	doc, err := Load()
	if err != nil {
		return nil, err
	}
	if m.docsRequired {
		applyDocsRequired(doc)
	}
	if m.strict {
		closeObjects(doc)
	}
	return &docAndRouter{doc: doc, router: newRouter(doc)}, nil
}

// Route is the spec operation a request resolved to.
type Route struct {
	OperationID string
	Method      string
	// Path is the spec's path template, e.g. "/v3/customers/{customerCode}".
	Path string
	// PathParams holds the path parameters' values, unescaped.
	PathParams map[string]string

	route *routers.Route
}

// Route finds the operation of req. The error is a *[ValidationError] when no operation of
// the spec has req's method and path.
func (v *Validator) Route(req *http.Request) (*Route, error) {
	path := req.URL.EscapedPath()
	if v.cfg.prefix != "" {
		path = strings.TrimPrefix(path, v.cfg.prefix)
	}
	r, params, err := v.router.find(req.Method, path)
	if err != nil {
		return nil, &ValidationError{
			Direction: DirectionRequest,
			Method:    req.Method,
			Path:      req.URL.Path,
			Expected:  "an operation of the spec",
			Got:       err.Error(),
		}
	}
	return &Route{
		OperationID: r.op.OperationID,
		Method:      r.method,
		Path:        r.template,
		PathParams:  params,
		route: &routers.Route{
			Spec: v.doc, Path: r.template, PathItem: r.item, Method: r.method, Operation: r.op,
		},
	}, nil
}

// ValidateRequest checks req, whose body is body (req.Body is not read), against the spec.
// It returns the operation (nil when none matched) and nil or a [ValidationErrors].
func (v *Validator) ValidateRequest(ctx context.Context, req *http.Request, body []byte) (*Route, error) {
	rt, err := v.Route(req)
	if err != nil {
		return nil, v.report(ValidationErrors{err.(*ValidationError)})
	}
	in := v.requestInput(rt, req, body)
	var problems ValidationErrors
	if err := openapi3filter.ValidateRequest(ctx, in); err != nil {
		problems = v.convert(rt, DirectionRequest, 0, err)
	}
	if v.cfg.strict && (v.cfg.collect || len(problems) == 0) {
		problems = append(problems, v.undeclaredQuery(rt, req)...)
	}
	if !v.cfg.collect && len(problems) > 1 {
		problems = problems[:1]
	}
	return rt, v.report(problems)
}

// ValidateResponse checks a response (status, header, body) to req against the spec.
// It returns nil or a [ValidationErrors].
func (v *Validator) ValidateResponse(ctx context.Context, req *http.Request, status int, header http.Header, body []byte) error {
	rt, err := v.Route(req)
	if err != nil {
		e := err.(*ValidationError)
		e.Direction, e.Status = DirectionResponse, status
		return v.report(ValidationErrors{e})
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: v.requestInput(rt, req, nil),
		Status:                 status,
		Header:                 header,
		Options:                v.options(),
	}
	in.SetBodyBytes(body)
	if err := openapi3filter.ValidateResponse(ctx, in); err != nil {
		problems := v.convert(rt, DirectionResponse, status, err)
		if !v.cfg.collect && len(problems) > 1 {
			problems = problems[:1]
		}
		return v.report(problems)
	}
	return nil
}

func (v *Validator) options() *openapi3filter.Options {
	o := &openapi3filter.Options{
		MultiError:                        v.cfg.collect,
		SkipSettingDefaults:               true,
		RejectWhenRequestBodyNotSpecified: true,
		AuthenticationFunc:                checkCredentials,
	}
	if v.cfg.skipSecurity {
		o.AuthenticationFunc = openapi3filter.NoopAuthenticationFunc
	}
	// kin-openapi's own messages embed the schema and the offending value; ours do not
	// (values may be secrets), so keep its text short.
	o.WithCustomSchemaErrorFunc(func(err *openapi3.SchemaError) string { return err.Reason })
	return o
}

func (v *Validator) requestInput(rt *Route, req *http.Request, body []byte) *openapi3filter.RequestValidationInput {
	// kin-openapi reads (and may rewrite) the request; give it a private copy.
	r := req.Clone(req.Context())
	r.Body, r.GetBody = nil, nil
	r.ContentLength = int64(len(body))
	if len(body) > 0 {
		r.Body = io.NopCloser(bytes.NewReader(body))
		r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	} else {
		r.Body = http.NoBody
	}
	return &openapi3filter.RequestValidationInput{
		Request:    r,
		PathParams: rt.PathParams,
		Route:      rt.route,
		Options:    v.options(),
	}
}

// undeclaredQuery reports query parameters the operation does not declare (strict mode).
func (v *Validator) undeclaredQuery(rt *Route, req *http.Request) ValidationErrors {
	var out ValidationErrors
	for name := range req.URL.Query() {
		if rt.route.Operation.Parameters.GetByInAndName(openapi3.ParameterInQuery, name) != nil ||
			rt.route.PathItem.Parameters.GetByInAndName(openapi3.ParameterInQuery, name) != nil {
			continue
		}
		out = append(out, &ValidationError{
			Direction: DirectionRequest, OperationID: rt.OperationID, Method: rt.Method, Path: rt.Path,
			Field:    "query." + name,
			Expected: "only documented query parameters (strict)",
			Got:      fmt.Sprintf("undocumented parameter %q", name),
		})
	}
	sortProblems(out)
	return out
}

func (v *Validator) report(problems ValidationErrors) error {
	if len(problems) == 0 {
		return nil
	}
	v.redact(problems)
	for _, p := range problems {
		for _, f := range v.cfg.reporters {
			f(p)
		}
	}
	return problems
}

// credentialError is what checkCredentials returns; it names the header, never its value.
type credentialError struct {
	header   string
	expected string
	got      string
}

func (e *credentialError) Error() string {
	return fmt.Sprintf("header %s: expected %s, got %s", e.header, e.expected, e.got)
}

// checkCredentials checks that the credentials a security scheme names are present.
func checkCredentials(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	s := in.SecurityScheme
	h := in.RequestValidationInput.Request.Header
	switch {
	case s.Type == "http" && strings.EqualFold(s.Scheme, "bearer"):
		v := h.Get("Authorization")
		switch {
		case v == "":
			return &credentialError{"Authorization", "a Bearer token", "missing"}
		case len(v) < 7 || !strings.EqualFold(v[:7], "Bearer ") || strings.TrimSpace(v[7:]) == "":
			return &credentialError{"Authorization", "a Bearer token", "another scheme or an empty token"}
		}
	case s.Type == "apiKey" && s.In == "header":
		if strings.TrimSpace(h.Get(s.Name)) == "" {
			return &credentialError{http.CanonicalHeaderKey(s.Name), "the " + in.SecuritySchemeName + " header", "missing"}
		}
	}
	return nil
}
