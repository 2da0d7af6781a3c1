package api

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// CheckRetryFunc decides whether to retry after an attempt that returned
// resp or err. Returning a non-nil error stops retrying with that error.
// Same contract as go-retryablehttp's CheckRetry.
type CheckRetryFunc func(ctx context.Context, resp *http.Response, err error) (bool, error)

// BackoffFunc returns how long to wait before retry number attempt
// (0 for the first retry). resp is nil after a connection error.
// Same contract as go-retryablehttp's Backoff.
type BackoffFunc func(min, max time.Duration, attempt int, resp *http.Response) time.Duration

// RetryPolicy says which failed attempts are retried and how long to wait.
// Zero fields take the defaults of [DefaultRetryPolicy].
//
// Whatever CheckRetry says, a call is never retried once its context is
// done or when the next wait would pass the context's deadline. An operation
// the spec does not mark idempotent (x-gofive-idempotent; without an
// operation, any verb but GET, HEAD, OPTIONS and TRACE) is sent again only
// when the failed attempt never reached the server (no connection, no
// token), unless RetryPOST or [ContextWithRetry] says it is safe to repeat.
type RetryPolicy struct {
	MaxAttempts   int           // attempts in all, the first included; 1 disables retries (default 4)
	MinBackoff    time.Duration // first backoff (default 200ms)
	MaxBackoff    time.Duration // backoff ceiling (default 5s)
	MaxRetryAfter time.Duration // cap on any wait, a server's Retry-After included (default 30s)
	RetryPOST     bool          // retry calls that are not idempotent too (see above)
	CheckRetry    CheckRetryFunc
	Backoff       BackoffFunc
}

// DefaultRetryPolicy returns the policy used when none is given: 4
// attempts, jittered exponential backoff from 200ms to 5s, Retry-After
// honoured up to 30s, [DefaultCheckRetry] and [DefaultBackoff].
func DefaultRetryPolicy() RetryPolicy {
	return RetryPolicy{
		MaxAttempts:   4,
		MinBackoff:    200 * time.Millisecond,
		MaxBackoff:    5 * time.Second,
		MaxRetryAfter: 30 * time.Second,
		CheckRetry:    DefaultCheckRetry,
		Backoff:       DefaultBackoff,
	}
}

func (p RetryPolicy) validate() error {
	switch {
	case p.MaxAttempts < 0:
		return fmt.Errorf("MaxAttempts must not be negative, got %d", p.MaxAttempts)
	case p.MinBackoff < 0 || p.MaxBackoff < 0 || p.MaxRetryAfter < 0:
		return errors.New("durations must not be negative")
	case p.MaxBackoff > 0 && p.MinBackoff > p.MaxBackoff:
		return fmt.Errorf("MinBackoff %v exceeds MaxBackoff %v", p.MinBackoff, p.MaxBackoff)
	}
	return nil
}

func (p RetryPolicy) withDefaults() RetryPolicy {
	d := DefaultRetryPolicy()
	if p.MaxAttempts == 0 {
		p.MaxAttempts = d.MaxAttempts
	}
	if p.MinBackoff == 0 {
		p.MinBackoff = d.MinBackoff
		if p.MaxBackoff > 0 {
			p.MinBackoff = min(p.MinBackoff, p.MaxBackoff)
		}
	}
	if p.MaxBackoff == 0 {
		p.MaxBackoff = max(d.MaxBackoff, p.MinBackoff)
	}
	if p.MaxRetryAfter == 0 {
		p.MaxRetryAfter = d.MaxRetryAfter
	}
	if p.CheckRetry == nil {
		p.CheckRetry = d.CheckRetry
	}
	if p.Backoff == nil {
		p.Backoff = d.Backoff
	}
	return p
}

// DefaultCheckRetry retries connection errors and HTTP 408, 429 and 5xx
// except 501, but not errors retrying cannot fix: a cancelled context, TLS
// or redirect errors, a token request the server rejected.
func DefaultCheckRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	if err != nil {
		var te *TokenError
		switch {
		case errors.As(err, &te):
			return te.retryable(), nil
		case errors.Is(err, errForeignHost):
			return false, nil
		}
		// go-retryablehttp's classification of transport errors.
		return retryablehttp.DefaultRetryPolicy(ctx, nil, err)
	}
	switch s := resp.StatusCode; {
	case s == http.StatusRequestTimeout, s == http.StatusTooManyRequests:
		return true, nil
	case s >= 500 && s != http.StatusNotImplemented:
		return true, nil
	}
	return false, nil
}

// DefaultBackoff waits for the server's Retry-After (seconds or HTTP date)
// when the response has one, otherwise min·2^attempt capped at max, with
// "equal jitter" (a random point in the upper half) and never below min.
func DefaultBackoff(min, max time.Duration, attempt int, resp *http.Response) time.Duration {
	if resp != nil {
		if d, ok := parseRetryAfter(resp.Header.Get("Retry-After")); ok {
			return d
		}
	}
	if max < min {
		max = min
	}
	d := max
	if attempt < 62 && min > 0 {
		if exp := min << attempt; exp > 0 && exp < max {
			d = exp
		}
	}
	half := d / 2
	d = half + rand.N(d-half+1)
	if d < min {
		d = min
	}
	return d
}

type retryPOSTKey struct{}

// ContextWithRetry returns a context under which a call is retried like an
// idempotent one even if it is not: a POST, PUT, PATCH or DELETE without an
// operation, or an operation the spec does not mark x-gofive-idempotent. Use it only for calls that are
// safe to repeat.
func ContextWithRetry(ctx context.Context) context.Context {
	return context.WithValue(ctx, retryPOSTKey{}, true)
}

// idempotentMethod is the rule for requests without a spec operation (Do,
// HTTPClient): the safe verbs only (RFC 9110 §9.2.1). RFC 9110 calls PUT and
// DELETE idempotent too, but this API's are not: every PUT and DELETE the spec
// documents is x-gofive-idempotent false (Update Product Stock may add its
// quantity twice), and an untagged request from package gen must not be
// repeated where its operation would not be (TestVerbRuleAgreesWithSpec).
func idempotentMethod(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace:
		return true
	}
	return false
}

// retryTransport retries failed attempts: a short loop, not go-retryablehttp's
// Client. Used as designed, that Client is one per transport with CheckRetry
// and Backoff hooks; but the hooks see neither the request nor the call, so
// the retry class of each operation, the wait chosen (and checked against
// the deadline) for a connection error and the attempt count would all have
// to travel in context values, and it cannot retry a response whose body is
// cut short, because the body is read after it returns. The loop below is
// what remains of it, and smaller than the adapter was. go-retryablehttp's
// DefaultRetryPolicy still classifies transport errors (DefaultCheckRetry),
// and the public CheckRetry/Backoff hooks keep its signatures.
//
// No backoff library either: cenkalti/backoff/v5 was the candidate, but its
// ExponentialBackOff is stateful (one per call), jitters ±50% around the
// interval where DefaultBackoff keeps "equal jitter" and a floor of
// MinBackoff, and its Retry understands Retry-After only as whole seconds
// and does not check the wait against the deadline; adapting it would take
// more code than the 20 lines of DefaultBackoff and the wait below.
type retryTransport struct {
	next   http.RoundTripper // the auth layer
	policy RetryPolicy
}

func newRetryTransport(next http.RoundTripper, p RetryPolicy) *retryTransport {
	return &retryTransport{next: next, policy: p}
}

// RoundTrip serves [Client.HTTPClient]: the request is retried like a call
// of its operation (OperationID in its context) or, without one, by verb.
func (t *retryTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	// A fresh state per request: one WithOperation context may tag many requests, and each is
	// a call of its own (its attempt count, the token failures it has seen).
	st := &callState{operationID: OperationID(req.Context())}
	req = req.WithContext(context.WithValue(req.Context(), callStateKey{}, st))
	resp, _, err := t.do(req, st, nil)
	return resp, err
}

// mayRepeat reports whether a request that may have reached the server can
// be sent again: the caller opted in, the spec marks the operation
// idempotent (operationIdempotent, generated from x-gofive-idempotent), or,
// for a request with no operation, its verb is idempotent.
func (t *retryTransport) mayRepeat(ctx context.Context, operationID, method string) bool {
	if t.policy.RetryPOST || ctx.Value(retryPOSTKey{}) != nil {
		return true
	}
	if idem, ok := operationIdempotent[operationID]; ok {
		return idem
	}
	return idempotentMethod(method)
}

// notSent reports whether a failed attempt certainly did not reach the
// server: no connection could be made, or no token could be had.
func notSent(err error) bool {
	var te *TokenError
	if errors.As(err, &te) {
		return true
	}
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}

// do sends req until it succeeds, fails in a way not worth retrying, or the
// attempts, the context or its deadline run out. read, if not nil, reads the
// final response's body (and closes it) inside the loop, so that a body cut
// short is retried like a connection error when the request may be
// repeated; do then returns the body it read.
//
// A final response is returned as is, whatever its status, for the caller
// to map; a failure is a *retryError with the attempt count.
func (t *retryTransport) do(req *http.Request, st *callState, read func(*http.Response) ([]byte, error)) (*http.Response, []byte, error) {
	ctx := req.Context()
	req, err := rewindable(req)
	if err != nil {
		return nil, nil, err
	}
	repeat := t.mayRepeat(ctx, st.operationID, req.Method)
	// A body too long to keep a copy of can be sent only once.
	oneShot := req.Body != nil && req.Body != http.NoBody && req.GetBody == nil
	lastStatus := 0
	for attempt := 1; ; attempt++ {
		st.attempts.Store(int32(attempt))
		r := req
		if attempt > 1 && req.GetBody != nil {
			body, err := req.GetBody()
			if err != nil {
				return nil, nil, &retryError{attempts: attempt - 1, lastStatus: lastStatus, err: fmt.Errorf("rewinding request body: %w", err)}
			}
			r = new(http.Request)
			*r = *req
			r.Body = body
		}
		resp, err := t.next.RoundTrip(r)
		var body []byte
		if err == nil {
			lastStatus = resp.StatusCode
		} else {
			// As http.Client would wrap it: DefaultCheckRetry (go-retryablehttp's
			// policy) classifies TLS, scheme and redirect errors only in a *url.Error.
			// The path only: a query may hold customer data.
			err = &url.Error{Op: urlErrorOp(req.Method), URL: req.URL.Path, Err: err}
		}

		if ctx.Err() != nil {
			// Never retried once the context is done, and a response that
			// arrived with it is not trusted to be read.
			if resp != nil {
				resp.Body.Close()
			}
			return nil, nil, &retryError{attempts: attempt, lastStatus: lastStatus, err: ctx.Err()}
		}
		retry, stop := t.check(ctx, repeat, resp, err)
		retry = retry && !oneShot
		var wait time.Duration
		if retry && stop == nil {
			wait, retry = t.nextWait(ctx, attempt, resp)
		}
		if !retry && stop == nil && err == nil && read != nil {
			// The final response: read it here, so a body cut short can be retried.
			if body, err = read(resp); err != nil && repeat {
				resp = nil
				if retry, stop = t.check(ctx, repeat, nil, err); retry && stop == nil {
					wait, retry = t.nextWait(ctx, attempt, nil)
				}
			}
		}
		if stop != nil {
			if resp != nil && err == nil {
				resp.Body.Close()
			}
			return nil, nil, &retryError{attempts: attempt, lastStatus: lastStatus, err: unwrapURLError(stop)}
		}
		if !retry {
			if err != nil {
				return nil, nil, &retryError{attempts: attempt, lastStatus: lastStatus, err: unwrapURLError(err)}
			}
			return resp, body, nil
		}
		if resp != nil {
			drainAndClose(resp)
		}
		if err := sleep(ctx, wait); err != nil {
			return nil, nil, &retryError{attempts: attempt, lastStatus: lastStatus, interrupted: true, err: err}
		}
	}
}

// urlErrorOp is the Op http.Client gives a *url.Error ("Get", "Post", …).
func urlErrorOp(method string) string {
	if method == "" {
		return "Get"
	}
	return method[:1] + strings.ToLower(method[1:])
}

// check asks the policy whether an attempt's outcome is worth retrying. A
// request that may not be repeated is retried only when it was not sent.
func (t *retryTransport) check(ctx context.Context, repeat bool, resp *http.Response, err error) (retry bool, stop error) {
	if !repeat && (err == nil || !notSent(err)) {
		return false, nil
	}
	return t.policy.CheckRetry(ctx, resp, err)
}

// nextWait returns the wait before the attempt after attempt, and false if
// there is none: the attempts are used up, or the wait would pass the
// deadline. The wait is drawn once and checked against the deadline: what
// is checked is what is waited.
func (t *retryTransport) nextWait(ctx context.Context, attempt int, resp *http.Response) (time.Duration, bool) {
	if attempt >= t.policy.MaxAttempts {
		return 0, false
	}
	wait := t.wait(attempt-1, resp)
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) < wait {
		return 0, false // the next attempt could not start before the deadline
	}
	return wait, true
}

// sleep waits d or until ctx is done, whichever comes first.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}

// maxRewindBody bounds the copy rewindable keeps of a request body that
// cannot be rewound. The API documents no request size limit; a larger body
// is still sent whole, once, and never retried.
const maxRewindBody = 32 << 20

// rewindable returns req with a body that can be sent again. A body built
// from bytes or a string already has GetBody (http.NewRequest sets it: the
// generated methods' case) and is not copied; any other body of at most
// maxRewindBody bytes is read once into memory. A longer one is streamed as
// it is, without GetBody: the caller sends it once.
func rewindable(req *http.Request) (*http.Request, error) {
	if req.Body == nil || req.Body == http.NoBody || req.GetBody != nil {
		return req, nil
	}
	buf, err := io.ReadAll(io.LimitReader(req.Body, maxRewindBody+1))
	if err != nil {
		req.Body.Close()
		return nil, fmt.Errorf("gofive: reading request body: %w", err)
	}
	r := new(http.Request)
	*r = *req
	if len(buf) > maxRewindBody {
		r.Body = struct {
			io.Reader
			io.Closer
		}{io.MultiReader(bytes.NewReader(buf), req.Body), req.Body}
		return r, nil
	}
	req.Body.Close()
	r.Body = io.NopCloser(bytes.NewReader(buf))
	r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(buf)), nil }
	r.ContentLength = int64(len(buf))
	return r, nil
}

func (t *retryTransport) wait(attempt int, resp *http.Response) time.Duration {
	d := t.policy.Backoff(t.policy.MinBackoff, t.policy.MaxBackoff, max(attempt, 0), resp)
	return min(max(d, 0), t.policy.MaxRetryAfter)
}

// retryError wraps the last cause of a failed call with the attempt count.
type retryError struct {
	attempts    int
	lastStatus  int
	interrupted bool // the context ended while waiting to retry
	err         error
}

func (e *retryError) Error() string {
	last := ""
	if e.lastStatus != 0 {
		last = fmt.Sprintf(" (last HTTP %d)", e.lastStatus)
	}
	switch {
	case e.interrupted:
		return fmt.Sprintf("%s while waiting to retry after %d attempt(s)%s", bare(e.err), e.attempts, last)
	case e.attempts > 1:
		return fmt.Sprintf("giving up after %d attempts%s: %s", e.attempts, last, bare(e.err))
	default:
		return e.err.Error()
	}
}

func (e *retryError) Unwrap() error { return e.err }
