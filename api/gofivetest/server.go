package gofivetest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gofive-go/gofive/spec"
)

// Default credentials of a Server. They are test values: never a real client's.
const (
	DefaultClientID        = "gofivetest-client"
	DefaultClientSecret    = "gofivetest-secret"
	DefaultSubscriptionKey = "gofivetest-subscription-key"
	// DefaultTokenLifetime is the expires_in of issued tokens, as in the docs' example.
	DefaultTokenLifetime = time.Hour
)

// Credentials are what a client needs to call a Server. Printing them (%v, %+v, %#v) shows
// the client id only.
type Credentials struct {
	ClientID        string
	ClientSecret    string
	SubscriptionKey string
}

// String shows the client id only.
func (c Credentials) String() string {
	return fmt.Sprintf("gofivetest.Credentials{ClientID: %q, ClientSecret: <redacted>, SubscriptionKey: <redacted>}", c.ClientID)
}

// GoString is String, so %#v does not print the secrets either.
func (c Credentials) GoString() string { return c.String() }

// A Server is a fake Gofive API on a loopback address. See the package documentation.
type Server struct {
	// URL is the base URL to give the client, e.g. http://127.0.0.1:54321 (no trailing slash).
	URL string
	// Credentials are the accepted client id, client secret and subscription key.
	Credentials

	cfg       config
	validator *spec.Validator
	httpSrv   *httptest.Server

	mu       sync.Mutex // guards everything below, and the store
	tokens   map[string]time.Time
	tokenN   int
	lifetime time.Duration
	faults   []*faultRule
	log      requestLog
	store    *store
}

// String identifies the server without its credentials.
func (s *Server) String() string { return "gofivetest.Server(" + s.URL + ")" }

// An Option configures a Server.
type Option func(*config)

type config struct {
	creds    Credentials
	lifetime time.Duration
	seed     uint64
	clock    func() time.Time
	strict   bool
	addr     string
	listener net.Listener
	logSize  int
	admin    bool
}

// WithCredentials sets the client id and secret the token endpoint accepts.
func WithCredentials(clientID, clientSecret string) Option {
	return func(c *config) { c.creds.ClientID, c.creds.ClientSecret = clientID, clientSecret }
}

// WithSubscriptionKey sets the accepted Ocp-Apim-Subscription-Key.
func WithSubscriptionKey(key string) Option {
	return func(c *config) { c.creds.SubscriptionKey = key }
}

// WithTokenLifetime sets how long issued tokens live (expires_in, rounded up to whole
// seconds; the server itself rejects a token once d has passed). Short lifetimes exercise a
// client's token refresh; see also [Server.ExpireTokens].
func WithTokenLifetime(d time.Duration) Option { return func(c *config) { c.lifetime = d } }

// WithSeed sets the seed of the generated data (the seeded customers, products and
// employees, and numeric id bases): the same seed gives the same data. The default is 1.
func WithSeed(seed uint64) Option { return func(c *config) { c.seed = seed } }

// WithClock sets the server's clock (token expiry, creation dates, and the year and month in
// new document numbers such as SO260600039). It is called from several goroutines. The
// default is time.Now.
func WithClock(now func() time.Time) Option { return func(c *config) { c.clock = now } }

// WithStrictRequests makes request validation strict: undocumented fields in a request are
// rejected with 400 (the real API is believed to ignore them). See [spec.Strict].
func WithStrictRequests() Option { return func(c *config) { c.strict = true } }

// WithAddr sets the address [Start] listens on (default "127.0.0.1:0", a free loopback port).
// [NewServer] always uses a free loopback port.
func WithAddr(addr string) Option { return func(c *config) { c.addr = addr } }

// WithListener makes [NewServer] and [Start] serve on ln instead of a loopback port: for
// example an in-memory listener (connections from net.Pipe) for tests run in a
// testing/synctest bubble, where a goroutine waiting on a real socket keeps the fake clock
// from advancing. The client must dial ln itself; URL is "http://" + ln.Addr().String().
func WithListener(ln net.Listener) Option { return func(c *config) { c.listener = ln } }

// WithRequestLogSize sets how many requests the log keeps (default [DefaultRequestLogSize]);
// older entries are dropped first. n <= 0 keeps the default.
func WithRequestLogSize(n int) Option { return func(c *config) { c.logSize = n } }

func newServer(opts []Option) (*Server, error) {
	cfg := config{
		creds:    Credentials{DefaultClientID, DefaultClientSecret, DefaultSubscriptionKey},
		lifetime: DefaultTokenLifetime,
		seed:     1,
		clock:    time.Now,
		addr:     "127.0.0.1:0",
	}
	for _, o := range opts {
		o(&cfg)
	}
	vopts := []spec.ValidatorOption{spec.Collect(), spec.SkipSecurityCheck()}
	if cfg.strict {
		vopts = append(vopts, spec.Strict())
	}
	v, err := spec.NewValidator(vopts...)
	if err != nil {
		return nil, err
	}
	s := &Server{
		Credentials: cfg.creds,
		cfg:         cfg,
		validator:   v,
		tokens:      map[string]time.Time{},
		lifetime:    cfg.lifetime,
		log:         requestLog{size: cfg.logSize},
	}
	if s.log.size <= 0 {
		s.log.size = DefaultRequestLogSize
	}
	s.store = newStore(cfg.seed, cfg.clock)
	return s, nil
}

// NewServer starts a fake Gofive API on a free loopback port for the test t and closes it
// when the test ends.
func NewServer(t testing.TB, opts ...Option) *Server {
	t.Helper()
	s, err := newServer(opts)
	if err != nil {
		t.Fatalf("gofivetest: %v", err)
	}
	if s.cfg.listener != nil {
		s.httpSrv = &httptest.Server{Listener: s.cfg.listener, Config: &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}}
		s.httpSrv.Start()
	} else {
		s.httpSrv = httptest.NewServer(s)
	}
	s.URL = s.httpSrv.URL
	t.Cleanup(s.Close)
	return s
}

// Start starts a fake Gofive API outside a test (e.g. for a command-line demo), listening on
// [WithAddr]'s address (a free loopback port by default). Call Close to stop it.
func Start(opts ...Option) (*Server, error) {
	s, err := newServer(opts)
	if err != nil {
		return nil, err
	}
	ln := s.cfg.listener
	if ln == nil {
		ln, err = net.Listen("tcp", s.cfg.addr)
		if err != nil {
			return nil, fmt.Errorf("gofivetest: %w", err)
		}
	}
	s.httpSrv = &httptest.Server{Listener: ln, Config: &http.Server{
		Handler: s,
		// Bounds for a long-running fake: a client that trickles its request or never
		// reads the answer cannot hold a connection (the API takes no uploads; maxBody).
		ReadHeaderTimeout: startReadHeaderTimeout,
		ReadTimeout:       startReadTimeout,
		WriteTimeout:      startWriteTimeout,
		IdleTimeout:       startIdleTimeout,
	}}
	s.httpSrv.Start()
	s.URL = s.httpSrv.URL
	return s, nil
}

// Close stops the server, closing open connections.
func (s *Server) Close() {
	if s.httpSrv != nil {
		s.httpSrv.CloseClientConnections()
		s.httpSrv.Close()
	}
}

// Client returns an *http.Client whose transport validates every request and response
// against the spec (strict: undocumented fields are problems) and reports problems on t.
// It sends no credentials by itself.
func (s *Server) Client(t spec.TB) *http.Client {
	var base http.RoundTripper = http.DefaultTransport
	if s.httpSrv != nil {
		base = s.httpSrv.Client().Transport
	}
	return &http.Client{Transport: spec.NewValidatingTransport(base, spec.Strict(), spec.Collect(), spec.ReportTo(t))}
}

// ExpireTokens makes every token issued so far invalid: the next data call with one gets a
// 401, as after a real token's expiry.
func (s *Server) ExpireTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.tokens)
}

// SetTokenLifetime changes the lifetime of tokens issued from now on.
func (s *Server) SetTokenLifetime(d time.Duration) {
	s.mu.Lock()
	s.lifetime = d
	s.mu.Unlock()
}

// The http.Server timeouts of [Start]. WriteTimeout leaves room for injected delays.
const (
	startReadHeaderTimeout = 10 * time.Second
	startReadTimeout       = 30 * time.Second
	startWriteTimeout      = 2 * time.Minute
	startIdleTimeout       = 2 * time.Minute
)

// maxBody bounds request bodies; the API takes no uploads.
const maxBody = 10 << 20

// ServeHTTP serves one request: injected faults first, then the gateway's authentication,
// then validation against the spec, then the operation.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if s.cfg.admin && r.URL.Path == AdminRequestsPath {
		s.serveAdmin(w, r)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil {
		return // the client went away
	}
	if len(body) > maxBody {
		writeJSON(w, http.StatusRequestEntityTooLarge, gatewayBody(http.StatusRequestEntityTooLarge, "Request entity too large."), nil)
		return
	}
	token, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	entry := Request{
		Time:               s.cfg.clock(),
		Method:             r.Method,
		Path:               r.URL.Path,
		Query:              s.maskedQuery(r.URL.RawQuery, token),
		HasToken:           r.Header.Get("Authorization") != "",
		HasSubscriptionKey: r.Header.Get(subscriptionHeader) != "",
	}
	route, routeErr := s.validator.Route(r)
	if route != nil {
		entry.OperationID = route.OperationID
	}
	// A body is kept only for an authenticated request to an operation: a stray or
	// unauthenticated one (a misrouted token request carries the client secret) costs the
	// log nothing.
	if route != nil && entry.OperationID != "getAccessToken" {
		if _, authed := s.authenticate(r); authed {
			kept := body
			if len(kept) > MaxLoggedBodyBytes {
				kept, entry.BodyTruncated = kept[:MaxLoggedBodyBytes], true
			}
			entry.Body = s.mask(bytes.Clone(kept), token)
		}
	}

	// The log entry is recorded before the answer is written, so that a client that has its
	// answer (or its error) finds the request in the log.
	fault := s.takeFault(entry.OperationID)
	if fault != nil {
		entry.Fault = fault.String()
		if fault.Delay > 0 {
			select {
			case <-time.After(fault.Delay):
			case <-r.Context().Done():
				s.record(entry) // Status 0: the client gave up first
				return
			}
		}
		if !fault.AfterHandler && fault.answers() {
			entry.Status = fault.status(nil)
			s.record(entry)
			fault.serve(w, nil)
			return
		}
	}

	var res response
	switch {
	case routeErr != nil:
		res = jsonResponse(http.StatusNotFound, gatewayBody(http.StatusNotFound, "Resource not found"))
	default:
		res = s.handle(r, route, body)
	}
	entry.Problems = res.problems
	if fault != nil && (fault.AfterHandler || fault.Truncate) {
		entry.Status = fault.status(&res)
		s.record(entry)
		fault.serve(w, &res)
		return
	}
	entry.Status = res.status
	s.record(entry)
	res.write(w)
}

// handle authenticates, validates and runs one operation.
func (s *Server) handle(r *http.Request, route *spec.Route, body []byte) response {
	if route.OperationID == "getAccessToken" {
		return s.token(r, body)
	}
	if res, ok := s.authenticate(r); !ok {
		return res
	}
	if _, err := s.validator.ValidateRequest(r.Context(), r, body); err != nil {
		var problems spec.ValidationErrors
		errors.As(err, &problems)
		return validationFailure(problems)
	}
	h := handlers[route.OperationID]
	if h == nil {
		return envelopeError(http.StatusNotImplemented, "4001", "gofivetest does not serve "+route.OperationID)
	}
	c := &call{r: r, route: route, body: body, now: s.cfg.clock()}
	s.mu.Lock()
	defer s.mu.Unlock()
	return completeResponse(route, h(s.store, c))
}

// A call is one decoded request for a handler.
type call struct {
	r     *http.Request
	route *spec.Route
	body  []byte
	now   time.Time
}

func (c *call) param(name string) string { return c.route.PathParams[name] }

// decode unmarshals the request body into v; validation has already checked its shape.
func (c *call) decode(v any) error {
	if len(bytes.TrimSpace(c.body)) == 0 {
		return nil
	}
	return json.Unmarshal(c.body, v)
}

// A response is what a handler answers.
type response struct {
	status      int
	header      http.Header
	body        []byte
	contentType string
	problems    []string
}

func (r *response) write(w http.ResponseWriter) {
	for k, v := range r.header {
		w.Header()[k] = v
	}
	if r.contentType != "" {
		w.Header().Set("Content-Type", r.contentType)
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(r.body)))
	w.WriteHeader(r.status)
	_, _ = w.Write(r.body)
}

func jsonResponse(status int, v any) response {
	b, err := json.Marshal(v)
	if err != nil {
		b, _ = json.Marshal(envelope(status, "5000", "gofivetest: "+err.Error(), nil))
		status = http.StatusInternalServerError
	}
	return response{status: status, body: b, contentType: "application/json; charset=utf-8"}
}

func writeJSON(w http.ResponseWriter, status int, v any, header http.Header) {
	res := jsonResponse(status, v)
	res.header = header
	res.write(w)
}

// statusBody is the standard envelope's status.
type statusBody struct {
	Code        string `json:"code"`
	Description string `json:"description"`
}

// envelope builds {"status":{code,description},"data":data}; data is left out when nil.
func envelope(_ int, code, description string, data any) map[string]any {
	m := map[string]any{"status": statusBody{code, description}}
	if data != nil {
		m["data"] = data
	}
	return m
}

func success(data any) map[string]any { return envelope(200, "1000", "Success", data) }

func ok(data any) response { return jsonResponse(http.StatusOK, success(data)) }

// envelopeError answers status with the standard envelope carrying a business error code.
func envelopeError(status int, code, description string) response {
	return jsonResponse(status, envelope(status, code, description, nil))
}

func badRequest(format string, args ...any) response {
	return envelopeError(http.StatusBadRequest, "4001", fmt.Sprintf(format, args...))
}

// notFound answers 404 with the gateway's {statusCode, message} body: the spec documents
// that shape (GatewayError) for 404; how the real API says "no such record" is not documented.
func notFound(format string, args ...any) response {
	return jsonResponse(http.StatusNotFound, gatewayBody(http.StatusNotFound, fmt.Sprintf(format, args...)))
}

// validationFailure answers a request that does not match the spec: 400 with business code
// 4001 (one problem) or 4002 (several) and the problems as a list of messages in data.
func validationFailure(problems spec.ValidationErrors) response {
	msgs := make([]string, len(problems))
	for i, p := range problems {
		msgs[i] = problemText(p)
	}
	code, desc := "4001", msgs[0]
	if len(msgs) > 1 {
		code, desc = "4002", fmt.Sprintf("%d problems in the request", len(msgs))
	}
	res := jsonResponse(http.StatusBadRequest, envelope(400, code, desc, msgs))
	res.problems = msgs
	return res
}

func problemText(p *spec.ValidationError) string {
	s := "expected " + p.Expected + ", got " + p.Got
	if p.Field != "" {
		s = p.Field + ": " + s
	}
	return s
}

// gatewayError is Azure API Management's own error body (not the Gofive envelope):
// {"statusCode":401,"message":"…"}.
type gatewayError struct {
	StatusCode int    `json:"statusCode"`
	Message    string `json:"message"`
}

func gatewayBody(status int, message string) gatewayError { return gatewayError{status, message} }

// rng returns a generator for the seed, stable across Go versions (PCG).
func rng(seed uint64, stream uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, stream^0x9e3779b97f4a7c15))
}
