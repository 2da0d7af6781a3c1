package api

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

const (
	subscriptionKeyHeader = "Ocp-Apim-Subscription-Key"
	// tokenFetchTimeout bounds a token request, which runs detached from any
	// one caller's context because many callers share its result.
	tokenFetchTimeout = 30 * time.Second
	// tokenOperationID names token requests in logs.
	tokenOperationID = "token"
)

// errForeignHost stops credentials from going to a host the client was not
// configured for (e.g. a generated client built with another server URL).
var errForeignHost = errors.New("gofive: refusing to send credentials to a host other than the base URL's")

// TokenError reports a failure to obtain a bearer token. When the token
// endpoint answered, APIError holds its response (OAuth "error" and
// "error_description" as Code and Description) and errors.Is matches its
// status sentinel, e.g. [ErrUnauthorized] for bad credentials; otherwise
// Err is the cause. It never contains the client secret.
type TokenError struct {
	APIError *APIError
	Err      error
	network  bool      // no response: the request itself failed
	redact   *redactor // the Client's; the message is redacted as a whole
}

func (e *TokenError) Error() string {
	var msg string
	if e.APIError != nil {
		msg = "gofive: fetching token: " + bare(e.APIError)
	} else {
		msg = "gofive: fetching token: " + e.Err.Error()
	}
	return e.redact.string(msg)
}

func (e *TokenError) Unwrap() error {
	if e.APIError != nil {
		return e.APIError
	}
	return e.Err
}

// retryable: network failures and the statuses DefaultCheckRetry retries.
// A rejected request (400, 401) would fail again.
func (e *TokenError) retryable() bool {
	if e.APIError != nil {
		s := e.APIError.HTTPStatus
		return s == http.StatusRequestTimeout || s == http.StatusTooManyRequests || (s >= 500 && s != http.StatusNotImplemented)
	}
	return e.network
}

func tokenError(err error, r *redactor) error {
	var te *TokenError
	if errors.As(err, &te) {
		return err
	}
	var re *oauth2.RetrieveError
	if errors.As(err, &re) && re.Response != nil {
		info := callInfo{method: http.MethodPost, status: re.Response.StatusCode, header: re.Response.Header, redact: r}
		if req := re.Response.Request; req != nil && req.URL != nil {
			info.method, info.path = req.Method, req.URL.Path
		}
		ae := newAPIError(info, re.Body)
		if re.ErrorCode != "" {
			if ae.Code == "" { // a form-encoded OAuth error, which x/oauth2 parsed
				// Redacted before it is cut: a secret crossing the cut goes whole.
				ae.Code = truncate(oneLine(r.string(re.ErrorCode)), maxDescription)
				ae.Description = truncate(oneLine(r.string(re.ErrorDescription)), maxDescription)
			}
			if isSuccessStatus(ae.HTTPStatus) {
				// An OAuth error sent with a 2xx status: classed by its error
				// code (RFC 6749 §5.2), not as a business error.
				ae.kind = oauthErrorKind(re.ErrorCode)
			}
		}
		return &TokenError{APIError: ae, redact: r}
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		return &TokenError{Err: ue.Err, network: true, redact: r}
	}
	return &TokenError{Err: err, redact: r}
}

// oauthErrorKind maps an OAuth token error code to a sentinel: the
// credentials were rejected ([ErrUnauthorized]) or the request was
// ([ErrBadRequest]).
func oauthErrorKind(code string) error {
	switch code {
	case "invalid_client", "unauthorized_client", "invalid_grant":
		return ErrUnauthorized
	}
	return ErrBadRequest
}

// tokenManager hands out bearer tokens. For client credentials it keeps an
// oauth2.ReuseTokenSourceWithExpiry (refreshed a margin before expiry) and
// replaces it to drop a token the API rejected.
//
// However many callers need a token at once, a holder runs one fetch at a
// time and they all share its result, error included. A caller whose context
// ends stops waiting; the fetch goes on (bounded by the token client's
// timeout, or the caller's source) and its token is cached for the others.
// A failed fetch is remembered for tokenFailureMemo, so that a burst of
// callers gets one error rather than one request each; only a caller that
// already saw that failure (a retry of the same call) starts a new fetch.
type tokenManager struct {
	redact *redactor // the Client's, for errors of a caller's source; set once by newClient
	cur    atomic.Pointer[tokenHolder]
	renew  func() oauth2.TokenSource // nil when the caller supplies tokens
	direct bool                      // static token: no need to guard against blocking
	recent atomic.Pointer[recentTokens]
}

// tokenFailureMemo is how long a failed token fetch answers new callers.
const tokenFailureMemo = time.Second

// recentTokens are the last two tokens handed out, for the redactor.
type recentTokens struct{ last, prev *secret }

type tokenHolder struct {
	src   oauth2.TokenSource
	cache bool // the source is ours, so last may be reused while Valid
	last  atomic.Pointer[oauth2.Token]

	mu     sync.Mutex
	flight *tokenFetch // in progress, nil if none
	failed *tokenFetch // the latest fetch, if it failed
}

// tokenFetch is one call of a holder's source, shared by its waiters.
type tokenFetch struct {
	done chan struct{} // closed when tok or err is set
	tok  *oauth2.Token
	err  error
	at   time.Time               // when it finished; guarded by tokenHolder.mu
	seen map[*callState]struct{} // calls that got err; guarded by tokenHolder.mu
}

func newStaticTokens(tok string) *tokenManager {
	m := &tokenManager{direct: true}
	m.cur.Store(&tokenHolder{src: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: tok, TokenType: "Bearer"})})
	m.remember(tok)
	return m
}

func newCallerTokens(ts oauth2.TokenSource) *tokenManager {
	m := &tokenManager{}
	m.cur.Store(&tokenHolder{src: ts})
	return m
}

func newManagedTokens(clientID, clientSecret string, tokenURL *url.URL, hc *http.Client, margin time.Duration, r *redactor) *tokenManager {
	cc := &clientcredentials.Config{
		ClientID:     clientID,
		ClientSecret: clientSecret,
		TokenURL:     tokenURL.String(),
		// In the form body, form-encoded: secrets with + / = survive intact
		// (Basic auth would need the secret URL-escaped first).
		AuthStyle: oauth2.AuthStyleInParams,
	}
	fetch := tokenSourceFunc(func() (*oauth2.Token, error) {
		ctx := context.WithValue(context.Background(), oauth2.HTTPClient, hc)
		ctx = WithOperation(ctx, tokenOperationID)
		tok, err := cc.Token(ctx) // always a fresh request; caching is the reuse source's job
		if err != nil {
			return nil, tokenError(err, r)
		}
		if err := checkToken(tok); err != nil {
			return nil, err // not cached by the reuse source: the next call asks again
		}
		clampMargin(tok, margin, time.Now())
		return tok, nil
	})
	if margin == 0 {
		margin = time.Nanosecond // oauth2 reads 0 as its own 10s default
	}
	m := &tokenManager{renew: func() oauth2.TokenSource {
		return oauth2.ReuseTokenSourceWithExpiry(nil, fetch, margin)
	}}
	m.cur.Store(&tokenHolder{src: m.renew(), cache: true})
	return m
}

// clampMargin makes the reuse source renew tok a tenth of its lifetime
// before it expires when that is less than margin. A fixed margin longer
// than the lifetime (a 30 s token against the 60 s default) would make
// every call fetch a token; a tenth keeps a token in use for 90% of its
// life, so a short-lived token is fetched about once per lifetime, while
// still leaving room, in proportion, for latency and clock skew. The
// reuse source applies one margin to every token, so the token's Expiry
// is moved instead: renewal falls due at Expiry − margin = the real
// expiry − lifetime/10. The moved Expiry never leaves the package.
func clampMargin(tok *oauth2.Token, margin time.Duration, now time.Time) {
	if tok == nil || tok.Expiry.IsZero() {
		return
	}
	life := tok.Expiry.Sub(now)
	if life <= 0 {
		return
	}
	if m := life / 10; m < margin {
		tok.Expiry = tok.Expiry.Add(margin - m)
	}
}

type tokenSourceFunc func() (*oauth2.Token, error)

func (f tokenSourceFunc) Token() (*oauth2.Token, error) { return f() }

// token returns a valid token and the holder it came from. It returns early
// when ctx ends; a fetch in flight still completes and is cached for others.
func (m *tokenManager) token(ctx context.Context) (*oauth2.Token, *tokenHolder, error) {
	h := m.cur.Load()
	if h.cache {
		if t := h.last.Load(); t.Valid() {
			return t, h, nil
		}
	}
	if m.direct {
		t, err := h.src.Token()
		if err == nil {
			err = checkToken(t)
		}
		if err != nil {
			return nil, h, err
		}
		return t, h, nil
	}
	st := stateFrom(ctx)
	f := m.join(h, st)
	select {
	case <-f.done:
		if f.err != nil {
			if st != nil {
				h.mu.Lock()
				f.seen[st] = struct{}{}
				h.mu.Unlock()
			}
			return nil, h, f.err
		}
		return f.tok, h, nil
	case <-ctx.Done():
		return nil, h, ctx.Err()
	}
}

// join returns the fetch to wait for: the one in flight, the remembered
// failure if st has not seen it yet, or a new one.
func (m *tokenManager) join(h *tokenHolder, st *callState) *tokenFetch {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.flight != nil {
		return h.flight
	}
	if f := h.failed; f != nil && time.Since(f.at) < tokenFailureMemo {
		if _, seen := f.seen[st]; !seen {
			return f
		}
	}
	f := &tokenFetch{done: make(chan struct{})}
	h.flight = f
	go m.fetch(h, f)
	return f
}

// errTokenPanic is the cause of the TokenError every waiter gets when the
// token source panics.
var errTokenPanic = errors.New("the token source panicked")

// sourceToken calls h's source; a panic becomes an error. The panic value
// is not shown: it may hold a credential.
func sourceToken(h *tokenHolder) (t *oauth2.Token, err error) {
	defer func() {
		if v := recover(); v != nil {
			t, err = nil, fmt.Errorf("%w (a value of type %T, not shown)", errTokenPanic, v)
		}
	}()
	return h.src.Token()
}

// checkToken rejects a token that would send "Authorization: Bearer" with
// nothing after it.
func checkToken(t *oauth2.Token) error {
	if t == nil || strings.TrimSpace(t.AccessToken) == "" {
		return &TokenError{Err: errors.New("the token source returned an empty token (blank access_token)")}
	}
	return nil
}

func (m *tokenManager) fetch(h *tokenHolder, f *tokenFetch) {
	// Runs in its own goroutine: nothing here may panic, or the process
	// dies. The source is guarded by sourceToken; the rest is ours.
	t, err := sourceToken(h)
	var te *TokenError
	switch {
	case err != nil:
		t = nil
		if !h.cache || !errors.As(err, &te) {
			err = tokenError(err, m.redact)
		}
	case checkToken(t) != nil:
		t, err = nil, checkToken(t)
	default:
		m.remember(t.AccessToken)
		if h.cache {
			h.last.Store(t)
		}
	}
	h.mu.Lock()
	f.tok, f.err, f.at = t, err, time.Now()
	h.flight = nil
	h.failed = nil
	if err != nil {
		f.seen = make(map[*callState]struct{})
		h.failed = f
	}
	h.mu.Unlock()
	close(f.done)
}

// remember records tok as the latest token handed out (whatever its
// source), keeping the one before it, so errors can scrub either.
func (m *tokenManager) remember(tok string) {
	for {
		old := m.recent.Load()
		if old != nil && old.last.raw == tok {
			return
		}
		n := &recentTokens{last: newSecret(tok)}
		if old != nil {
			n.prev = old.last
		}
		if m.recent.CompareAndSwap(old, n) {
			return
		}
	}
}

// known returns the recent tokens, so errors can scrub them if a server echoes one.
func (m *tokenManager) known() []*secret {
	r := m.recent.Load()
	switch {
	case r == nil:
		return nil
	case r.prev == nil:
		return []*secret{r.last}
	}
	return []*secret{r.last, r.prev}
}

// invalidate drops h's cached token, unless another caller already did.
func (m *tokenManager) invalidate(h *tokenHolder) {
	if m.renew != nil {
		m.cur.CompareAndSwap(h, &tokenHolder{src: m.renew(), cache: true})
	}
}

// authTransport adds the bearer token, subscription key and User-Agent to
// requests for the API's origin, and replays a request once, with a new
// token, after a 401.
type authTransport struct {
	base      http.RoundTripper
	tokens    *tokenManager
	key       string
	userAgent string
	origin    string
	// scheme and host of the base URL as written, for the allocation-free fast path.
	scheme, host string

	// Header values built once (at construction) and shared by every request
	// (nothing below this transport writes to a request's header values): the
	// credentials and User-Agent cost no allocations per call.
	keyValue, uaValue []string
	bearer            atomic.Pointer[authValue] // for the latest token
}

// authValue is the Authorization header value for one access token.
type authValue struct {
	token  string
	values []string
}

// authorization returns the header value for tok, built once per token.
func (t *authTransport) authorization(tok *oauth2.Token) []string {
	if b := t.bearer.Load(); b != nil && b.token == tok.AccessToken {
		return b.values
	}
	b := &authValue{token: tok.AccessToken, values: []string{tok.Type() + " " + tok.AccessToken}}
	t.bearer.Store(b)
	return b.values
}

func (t *authTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if !sameOrigin(req.URL, t.origin, t.scheme, t.host) {
		if req.Response != nil {
			// A redirect off the API host: follow it, without credentials.
			r := req.Clone(req.Context())
			r.Header.Del("Authorization")
			r.Header.Del(subscriptionKeyHeader)
			r.Header.Set("User-Agent", t.userAgent)
			return t.base.RoundTrip(r)
		}
		closeRequestBody(req)
		return nil, fmt.Errorf("%w (request host %s)", errForeignHost, req.URL.Host)
	}
	ctx := req.Context()
	if isWithoutBearer(ctx) {
		return t.send(req, nil, nil)
	}
	tok, h, err := t.tokens.token(ctx)
	if err != nil {
		closeRequestBody(req)
		return nil, err
	}
	resp, err := t.send(req, nil, tok)
	if err != nil || resp.StatusCode != http.StatusUnauthorized {
		return resp, err
	}

	hasBody := req.Body != nil && req.Body != http.NoBody
	if hasBody && req.GetBody == nil {
		return resp, nil // cannot replay
	}
	t.tokens.invalidate(h)
	fresh, _, err := t.tokens.token(ctx)
	if err != nil {
		drainAndClose(resp)
		return nil, err
	}
	if fresh.AccessToken == tok.AccessToken {
		return resp, nil // nothing new to try (static or caller-managed token)
	}
	var body io.ReadCloser
	if hasBody {
		if body, err = req.GetBody(); err != nil {
			return resp, nil
		}
	}
	drainAndClose(resp)
	return t.send(req.WithContext(context.WithValue(ctx, reauthKey{}, true)), body, fresh)
}

// send clones req (a RoundTripper must not modify its request), adds the
// credentials (no bearer when tok is nil) and sends it. The response's Request is set back to req so
// the headers with secrets go no further up the chain.
func (t *authTransport) send(req *http.Request, body io.ReadCloser, tok *oauth2.Token) (*http.Response, error) {
	r := withHeaderCopy(req)
	if body != nil {
		r.Body = body
	}
	if tok != nil {
		r.Header["Authorization"] = t.authorization(tok)
	}
	r.Header[subscriptionKeyHeader] = t.keyValue
	r.Header["User-Agent"] = t.uaValue
	resp, err := t.base.RoundTrip(r)
	if resp != nil {
		resp.Request = req
	}
	return resp, err
}

// subscriptionKeyTransport adds the subscription key and User-Agent to the
// token request, which x/oauth2 builds itself.
type subscriptionKeyTransport struct {
	base      http.RoundTripper
	key       string
	userAgent string
	origin    string
}

func (t *subscriptionKeyTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if originOf(req.URL) != t.origin {
		closeRequestBody(req)
		return nil, fmt.Errorf("%w (request host %s)", errForeignHost, req.URL.Host)
	}
	r := withHeaderCopy(req)
	r.Header.Set(subscriptionKeyHeader, t.key)
	r.Header.Set("User-Agent", t.userAgent)
	resp, err := t.base.RoundTrip(r)
	if resp != nil {
		resp.Request = req
	}
	return resp, err
}

// withHeaderCopy is a shallow copy of req with its own Header, which is all a
// RoundTripper that adds headers must not share (the same copy x/oauth2's
// Transport makes); Request.Clone would also deep-copy the URL on every call.
func withHeaderCopy(req *http.Request) *http.Request {
	r := new(http.Request)
	*r = *req
	r.Header = req.Header.Clone()
	if r.Header == nil {
		r.Header = make(http.Header)
	}
	return r
}

// sameOrigin reports whether u has the given origin, without
// building the string in the common case (an exact scheme and host match).
func sameOrigin(u *url.URL, origin, scheme, host string) bool {
	if u != nil && u.Scheme == scheme && u.Host == host {
		return true
	}
	return originOf(u) == origin
}

// originOf returns scheme://host[:port] with the host lower-cased and a
// default port dropped.
func originOf(u *url.URL) string {
	if u == nil {
		return ""
	}
	scheme := strings.ToLower(u.Scheme)
	host, port := strings.ToLower(u.Hostname()), u.Port()
	if (scheme == "https" && port == "443") || (scheme == "http" && port == "80") {
		port = ""
	}
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if port != "" {
		host += ":" + port
	}
	return scheme + "://" + host
}

func closeRequestBody(req *http.Request) {
	if req.Body != nil {
		req.Body.Close()
	}
}

// drainAndClose reads a little of a discarded body so the connection can be reused.
func drainAndClose(resp *http.Response) {
	_, _ = io.CopyN(io.Discard, resp.Body, 4<<10)
	resp.Body.Close()
}
