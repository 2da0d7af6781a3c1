package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/time/rate"

	"github.com/gofive-go/gofive/api"
	"github.com/gofive-go/gofive/api/gofivetest"
	"github.com/gofive-go/gofive/spec"
)

const probeUsage = `usage: gofive probe [--json] [--propose DIR] [--max-requests N] [--rate R] [credentials flags]

Checks the API answering your credentials against the spec, read-only, and prints a
report you can paste into a public issue.

It sends only the token request, GET operations, and POST operations the spec marks
x-gofive-read-only (the enquiries); anything else is refused in code before it is sent.
It finds identifiers in the list answers (an employee, a quotation and its customer, a
product, a sales order a quotation was converted to, …) and uses them for the GETs; an
operation it cannot reach is reported as skipped, with the reason. It is bounded (a
request cap, a rate limit, the SDK's retries) and stops cleanly on Ctrl-C, printing
what it saw so far.

Each answer is validated against the spec twice: strictly (undocumented fields count)
and with the docs' own required markers. The report gives, per operation, the HTTP
status, the business code, each deviation by JSON path (what the spec says and what
was observed: a JSON type, or for strings a form such as a date layout, a GUID, a
number in a string or the empty string), undocumented fields, documented fields that
are absent, and the answer's type skeleton. It never shows a value from a response
(no string, no number) nor a credential.

--propose DIR writes, for answers the spec marks unrecovered or partial, a spec
fragment built from the observed skeleton (types only), marked x-gofive-sources:
observed with the date, for a maintainer to review (see spec/proposal).

Without GOFIVE_* credentials it probes the built-in fake server. A base URL must be
https, unless it is this machine (loopback).

Exit codes: 0 nothing deviates; 1 deviations or error answers; 2 usage; 3 the token
request or every answer was refused (401/403); 4 no answer from the API;
130 interrupted (the partial report is printed).
`

// Defaults of the probe's bounds.
const (
	defaultProbeRequests = 60 // HTTP attempts in all, token and retries included
	defaultProbeRate     = 2  // requests per second
	probePageSize        = 5  // page size of the enquiries: enough to find identifiers
	maxProbeResponse     = 8 << 20
	exitInterrupted      = 130
)

// probeFlags are gofive probe's flags.
type probeFlags struct {
	conn        connFlags
	jsonOut     bool
	proposeDir  string
	maxRequests int
	rate        float64
}

// probeClientOptions are added to the probe client's options (tests shorten retry waits).
var probeClientOptions []api.Option

// runProbe is `gofive probe`.
func runProbe(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("gofive probe", stderr, func(w io.Writer) { fmt.Fprint(w, probeUsage) })
	var f probeFlags
	// The connection flags of call and token, except -v: its log lines carry URL paths, which
	// hold identifiers taken from responses.
	fs.StringVar(&f.conn.clientID, "client-id", "", "OAuth2 client id (default $"+api.EnvClientID+")")
	fs.StringVar(&f.conn.clientSecret, "client-secret", "", "client secret (default $"+api.EnvClientSecret+"; prefer the variable: flags show up in the process list and shell history)")
	fs.StringVar(&f.conn.subscriptionKey, "subscription-key", "", "Ocp-Apim-Subscription-Key (default $"+api.EnvSubscriptionKey+"; prefer the variable)")
	fs.StringVar(&f.conn.baseURL, "base-url", "", "API base URL (default $"+api.EnvBaseURL+", else "+api.DefaultBaseURL+")")
	fs.DurationVar(&f.conn.timeout, "timeout", 0, "bound each call, retries included (e.g. 30s; default none)")
	fs.BoolVar(&f.jsonOut, "json", false, "print the report as JSON")
	fs.StringVar(&f.proposeDir, "propose", "", "write spec fragments for unrecovered or partial answers to `DIR`")
	fs.IntVar(&f.maxRequests, "max-requests", defaultProbeRequests, "send at most `N` HTTP requests (token and retries included)")
	fs.Float64Var(&f.rate, "rate", defaultProbeRate, "send at most `R` requests per second")
	pos, err := parseArgs(fs, args, nil)
	if err != nil {
		return flagExit(err)
	}
	switch {
	case len(pos) > 0:
		fmt.Fprintf(stderr, "gofive probe: unexpected argument %q\n", pos[0])
		return exitUsage
	case f.maxRequests < 1:
		fmt.Fprintln(stderr, "gofive probe: --max-requests must be at least 1")
		return exitUsage
	case !(f.rate > 0) || f.rate > 1000:
		fmt.Fprintln(stderr, "gofive probe: --rate must be above 0 and at most 1000")
		return exitUsage
	}
	idx, err := loadIndex()
	if err != nil {
		fmt.Fprintf(stderr, "gofive probe: %v\n", err)
		return exitAPI
	}
	p, err := openProbe(ctx, &f, idx, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "gofive probe: %v\n", err)
		return exitCode(err)
	}
	defer p.close()
	rep := p.run(ctx)
	if f.proposeDir != "" {
		names, err := writeProposals(f.proposeDir, idx, rep, now(), p.client.Redactor())
		for _, n := range names {
			fmt.Fprintf(stderr, "gofive probe: wrote %s\n", n)
		}
		if err != nil {
			fmt.Fprintf(stderr, "gofive probe: --propose: %v\n", err)
			rep.exit = max(rep.exit, exitAPI)
		}
	}
	if f.jsonOut {
		err = rep.writeJSON(stdout)
	} else {
		err = rep.writeText(stdout)
	}
	if err != nil {
		fmt.Fprintf(stderr, "gofive probe: writing the report: %v\n", err)
		return exitAPI
	}
	return rep.exit
}

// A prober runs one probe.
type prober struct {
	idx     *specIndex
	client  *api.Client
	guard   *probeGuard
	check   *checker
	reqs    *spec.Validator // checks the requests the probe builds
	baseURL string
	target  string // "the built-in fake server" or "the configured API"
	fake    *gofivetest.Server
	pool    idPool
}

func (p *prober) close() {
	if p.fake != nil {
		p.fake.Close()
	}
}

// probeRetryPolicy is the SDK's default policy, except that the guard's refusals are final:
// nothing was sent, and a retry could only meet the same refusal after a backoff.
func probeRetryPolicy() api.RetryPolicy {
	p := api.DefaultRetryPolicy()
	p.CheckRetry = func(ctx context.Context, resp *http.Response, err error) (bool, error) {
		if errors.Is(err, errNotReadOnly) || errors.Is(err, errOtherHost) || errors.Is(err, errRequestCap) {
			return false, nil
		}
		return api.DefaultCheckRetry(ctx, resp, err)
	}
	return p
}

// openProbe resolves the credentials like `gofive call` and builds a client whose bottom
// transport is the read-only guard.
func openProbe(ctx context.Context, f *probeFlags, idx *specIndex, stderr io.Writer) (_ *prober, err error) {
	p := &prober{idx: idx, target: "the configured API", pool: idPool{}}
	defer func() {
		if err != nil {
			p.close() // the fake server, if one was started
		}
	}()
	id, secret, key, base, fake, err := f.conn.credentials("probe the built-in fake server")
	if err != nil {
		return nil, err
	}
	if fake != nil {
		fmt.Fprintln(stderr, "gofive probe: no GOFIVE_* credentials set: probing the built-in fake server (test data, in memory)")
		p.fake, p.target = fake, "the built-in fake server"
	}
	u, err := url.Parse(base)
	if err != nil || u.Host == "" {
		return nil, usagef("base URL: not an absolute URL")
	}
	if u.Scheme != "https" && !(u.Scheme == "http" && isLoopbackURL(base)) {
		return nil, usagef("base URL: the probe sends credentials only over https, or plain http to this machine (loopback); got a %s URL for another host", u.Scheme)
	}
	router, err := spec.NewValidator(spec.SkipSecurityCheck(), spec.WithPathPrefix(strings.TrimSuffix(u.EscapedPath(), "/")))
	if err != nil {
		return nil, err
	}
	var next http.RoundTripper = http.DefaultTransport.(*http.Transport).Clone()
	if rt, ok := ctx.Value(transportKey{}).(http.RoundTripper); ok {
		next = rt // withTransport (tests): the guard wraps it, so it stays the bottom policy layer
	}
	p.guard = &probeGuard{
		base:      next,
		validator: router,
		allowed:   readOnlyOperations(idx),
		host:      u.Host,
		limiter:   rate.NewLimiter(rate.Limit(f.rate), 1),
		max:       f.maxRequests,
	}
	opts := []api.Option{
		api.WithBaseURL(base),
		api.WithCredentials(id, secret),
		api.WithSubscriptionKey(key),
		api.WithUserAgent("gofive-cli probe"),
		api.WithHTTPClient(&http.Client{Transport: p.guard}),
		api.WithRetryPolicy(probeRetryPolicy()),
	}
	if f.conn.timeout > 0 {
		opts = append(opts, api.WithTimeout(f.conn.timeout))
	}
	opts = append(opts, probeClientOptions...)
	client, err := api.New(opts...)
	if err != nil {
		return nil, usageError{strings.TrimPrefix(err.Error(), "gofive: ")}
	}
	p.client, p.baseURL = client, strings.TrimSuffix(client.BaseURL(), "/")
	useClient(stderr, client) // output.go: the report and errors now remove the tokens this client fetches
	if p.check, err = newChecker(); err != nil {
		return nil, err
	}
	if p.reqs, err = spec.NewValidator(spec.SkipSecurityCheck(), spec.Collect()); err != nil {
		return nil, err
	}
	return p, nil
}

// Outcomes of an operation.
const (
	outcomeOK       = "ok"
	outcomeDeviates = "deviates"
	outcomeError    = "error"   // an HTTP error status or a business error
	outcomeFailed   = "failed"  // no answer
	outcomeSkipped  = "skipped" // not sent: no identifier, no valid request, cap, interrupt
)

// A probeResult is what the probe found for one operation.
type probeResult struct {
	OperationID  string    `json:"operation_id"`
	Method       string    `json:"method"`
	Path         string    `json:"path"`
	Completeness string    `json:"completeness,omitempty"`
	Outcome      string    `json:"outcome"`
	Reason       string    `json:"reason,omitempty"`
	HTTPStatus   int       `json:"http_status,omitempty"`
	BusinessCode string    `json:"business_code,omitempty"`
	Attempts     int       `json:"attempts,omitempty"`
	Note         string    `json:"note,omitempty"`
	Deviations   []finding `json:"deviations"`
	Undocumented []string  `json:"undocumented_fields"`
	Absent       []string  `json:"documented_fields_absent"`
	Shape        any       `json:"shape,omitempty"`

	shape *shape
	err   error // the transport or token error, for the exit code
}

// run probes every operation it may, in rounds: each round sends the operations whose
// identifiers are known, and their answers may supply the identifiers of the next round.
func (p *prober) run(ctx context.Context) *probeReport {
	rep := &probeReport{Target: p.target, SpecVersion: p.idx.doc.Info.Version}
	results := map[string]*probeResult{}
	var todo []*operation
	for _, o := range p.idx.ops {
		switch {
		case o.ID == tokenOperationID:
		case !mayProbe(o):
			rep.NotProbed = append(rep.NotProbed, notProbed{OperationID: o.ID, Method: o.Method, Path: o.Path, Reason: o.Method + " without x-gofive-read-only: may write"})
		default:
			todo = append(todo, o)
		}
	}
	waiting := map[string]string{} // operation -> why it cannot be built yet
	var abort string               // why nothing more is sent
	answered := false
	for progress := true; progress; {
		progress = false
		for _, o := range todo {
			if results[o.ID] != nil {
				continue
			}
			r := &probeResult{OperationID: o.ID, Method: o.Method, Path: o.Path, Completeness: o.Completeness}
			if ctx.Err() != nil {
				abort = "interrupted before it was sent"
			}
			if abort != "" {
				r.Outcome, r.Reason = outcomeSkipped, abort
				results[o.ID] = r
				continue
			}
			urlPath, body, wait, fail := p.build(ctx, o)
			if wait != "" {
				waiting[o.ID] = wait
				continue
			}
			progress = true
			results[o.ID] = r
			if fail != "" {
				r.Outcome, r.Reason = outcomeSkipped, fail
				continue
			}
			p.send(ctx, o, urlPath, body, r)
			var te *api.TokenError
			switch {
			case r.HTTPStatus != 0:
				answered = true
			case errors.As(r.err, &te):
				abort = "not sent: the token request failed"
				rep.fatal = r.err
			case errors.Is(r.err, errRequestCap):
				abort = "not sent: the request cap (--max-requests) was reached"
			case !answered && r.err != nil && isNetworkError(r.err):
				abort = "not sent: the API did not answer the first request"
				rep.fatal = r.err
			}
		}
	}
	for _, o := range todo {
		if results[o.ID] == nil {
			results[o.ID] = &probeResult{OperationID: o.ID, Method: o.Method, Path: o.Path, Completeness: o.Completeness,
				Outcome: outcomeSkipped, Reason: waiting[o.ID]}
		}
	}
	// The token endpoint's answer, as the SDK received it.
	tokOp := p.idx.byID[tokenOperationID]
	tok := &probeResult{OperationID: tokOp.ID, Method: tokOp.Method, Path: tokOp.Path, Completeness: tokOp.Completeness}
	if c := p.guard.tokenAnswer(); c != nil {
		p.check.check(ctx, tokOp, tok.Path, c.status, c.header, c.body, tok)
		tok.Outcome = outcomeOf(tok)
	} else {
		tok.Outcome, tok.Reason = outcomeSkipped, "no token request was made"
	}
	rep.Operations = append(rep.Operations, tok)
	for _, o := range todo {
		rep.Operations = append(rep.Operations, results[o.ID])
	}
	for _, r := range rep.Operations {
		if r.shape != nil {
			r.Shape = r.shape.tree()
		}
	}
	rep.RequestsSent, rep.RequestsRefused = p.guard.counts()
	rep.Interrupted = ctx.Err() != nil
	rep.summarise()
	return rep
}

// send sends one operation's request and checks the answer.
func (p *prober) send(ctx context.Context, o *operation, urlPath string, body []byte, r *probeResult) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	hr, err := http.NewRequestWithContext(ctx, o.Method, p.baseURL+urlPath, rd)
	if err != nil {
		r.Outcome, r.Reason = outcomeSkipped, "the request could not be built"
		return
	}
	hr.Header.Set("Accept", "application/json")
	if body != nil {
		hr.Header.Set("Content-Type", "application/json")
	}
	if o.Method == http.MethodPost {
		// A read-only POST is safe to retry (the spec says it only reads).
		hr = hr.WithContext(api.ContextWithRetry(ctx))
	}
	before := p.guard.operationRequests()
	resp, err := p.client.HTTPClient().Do(hr)
	r.Attempts = p.guard.operationRequests() - before
	if err != nil {
		r.err = err
		r.Outcome, r.Reason = failure(ctx, err)
		return
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxProbeResponse+1))
	switch {
	case err != nil:
		r.err = err
		r.Outcome, r.Reason = outcomeFailed, "the answer was cut off while it was read"
		return
	case len(data) > maxProbeResponse:
		r.HTTPStatus = resp.StatusCode
		r.Outcome, r.Reason = outcomeFailed, fmt.Sprintf("the answer is larger than %d MiB; not checked", maxProbeResponse>>20)
		return
	}
	doc := p.check.check(ctx, o, urlPath, resp.StatusCode, resp.Header, data, r)
	r.Outcome = outcomeOf(r)
	if resp.StatusCode == http.StatusTooManyRequests {
		r.Note = "the gateway's rate limit: the SDK retried"
		if resp.Header.Get("Retry-After") != "" {
			r.Note += ", honouring Retry-After"
		}
		r.Note += "; probe again later, or with a lower --rate"
	}
	if r.Outcome == outcomeOK || r.Outcome == outcomeDeviates {
		p.pool.learn(doc)
	}
}

// outcomeOf classifies a checked answer.
func outcomeOf(r *probeResult) string {
	switch {
	case r.HTTPStatus >= 300:
		return outcomeError
	case r.BusinessCode != "" && r.BusinessCode != "1000":
		return outcomeError
	case len(r.Deviations) > 0:
		return outcomeDeviates
	}
	return outcomeOK
}

// failure describes an error without an answer. It never uses the error's own text, which may
// hold the request URL and so an identifier taken from a response.
func failure(ctx context.Context, err error) (outcome, reason string) {
	var te *api.TokenError
	switch {
	case errors.Is(err, errNotReadOnly), errors.Is(err, errOtherHost):
		return outcomeSkipped, "refused by the read-only guard (nothing was sent)"
	case errors.Is(err, errRequestCap):
		return outcomeSkipped, "not sent: the request cap (--max-requests) was reached"
	case ctx.Err() != nil:
		return outcomeSkipped, "interrupted"
	case errors.As(err, &te) && te.APIError != nil:
		return outcomeFailed, "the token request failed: HTTP " + fmt.Sprint(te.APIError.HTTPStatus) + oauthCode(te.APIError.Code)
	case errors.Is(err, context.DeadlineExceeded):
		return outcomeFailed, "no answer: timed out (--timeout)"
	case isNetworkError(err):
		return outcomeFailed, "no answer: " + networkKind(err)
	case te != nil:
		return outcomeFailed, "the token request failed (an unreadable answer)"
	}
	return outcomeFailed, "no answer: transport error"
}

// oauthCode names an RFC 6749 error code; any other text is not shown.
func oauthCode(code string) string {
	switch code {
	case "invalid_request", "invalid_client", "invalid_grant", "unauthorized_client", "unsupported_grant_type", "invalid_scope":
		return ", error " + code
	}
	return ""
}

func networkKind(err error) string {
	s := err.Error()
	switch {
	case strings.Contains(s, "connection refused"):
		return "connection refused"
	case strings.Contains(s, "connection reset"):
		return "connection reset"
	case strings.Contains(s, "no such host"):
		return "host not found (DNS)"
	case strings.Contains(s, "timeout"), strings.Contains(s, "deadline"):
		return "timed out"
	case strings.Contains(s, "EOF"):
		return "connection closed early"
	}
	return "network error"
}

// probeExit is the exit code of a finished probe.
func probeExit(rep *probeReport) int {
	if rep.Interrupted {
		return exitInterrupted
	}
	if rep.fatal != nil {
		return exitCode(rep.fatal) // the CLI's table: 3 for the token, 4 for no answer
	}
	var answered, refused int
	for _, r := range rep.Operations {
		if r.HTTPStatus != 0 && r.OperationID != tokenOperationID {
			answered++
			if r.HTTPStatus == http.StatusUnauthorized || r.HTTPStatus == http.StatusForbidden {
				refused++
			}
		}
	}
	switch {
	case answered > 0 && refused == answered:
		return exitAuth
	case rep.Summary.Deviations > 0 || rep.Summary.Errors > 0 || rep.Summary.Failed > 0:
		return exitAPI
	}
	return exitOK
}

// probeDate is the date written into proposals.
func probeDate(t time.Time) string { return t.UTC().Format("2006-01-02") }
