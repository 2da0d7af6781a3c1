package api

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
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
// done or when the next wait would pass the context's deadline, and a POST
// (or PATCH) is retried only with RetryPOST or [ContextWithRetry].
type RetryPolicy struct {
	MaxAttempts   int           // attempts in all, the first included; 1 disables retries (default 4)
	MinBackoff    time.Duration // first backoff (default 200ms)
	MaxBackoff    time.Duration // backoff ceiling (default 5s)
	MaxRetryAfter time.Duration // cap on any wait, a server's Retry-After included (default 30s)
	RetryPOST     bool          // retry non-idempotent POST and PATCH requests too
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

// ContextWithRetry returns a context under which a POST or PATCH is retried
// like an idempotent request. Use it for calls that are safe to repeat,
// such as the API's POST enquiry (search) operations.
func ContextWithRetry(ctx context.Context) context.Context {
	return context.WithValue(ctx, retryPOSTKey{}, true)
}

func idempotent(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace, http.MethodPut, http.MethodDelete:
		return true
	}
	return false
}

// retryTransport is go-retryablehttp's Client used as a RoundTripper (the
// same shape as retryablehttp.RoundTripper), plus what it cannot do alone:
//   - its CheckRetry sees no request, so the per-request POST rule and the
//     attempt count travel in the context (callState);
//   - its Backoff sees no request either, and no response after a connection
//     error, so a Client is made per call with Backoff bound to the call's
//     state, returning the wait CheckRetry chose;
//   - its give-up error is a string with the full URL and no response, so
//     ErrorHandler hands back the last response (the caller maps it to an
//     *APIError) or wraps the last cause;
//   - it rewinds bodies only from its own buffer, so the body is buffered
//     here and GetBody set, letting the auth layer replay it after a 401.
type retryTransport struct {
	policy RetryPolicy
	client *retryablehttp.Client // the settings of every call's Client (see clientFor)
}

func newRetryTransport(next http.RoundTripper, p RetryPolicy) *retryTransport {
	t := &retryTransport{policy: p}
	t.client = &retryablehttp.Client{
		// go-retryablehttp calls CloseIdleConnections on every give-up; next
		// (the auth layer) does not implement it, so one failing call does not
		// close the pooled connections of all the others.
		HTTPClient: &http.Client{
			Transport: next,
			// Redirects are for the caller's http.Client to follow, not each attempt.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
		Logger:       nil, // its logger prints URLs; attempts are logged by logTransport
		RetryWaitMin: p.MinBackoff,
		RetryWaitMax: p.MaxBackoff,
		RetryMax:     p.MaxAttempts - 1,
		CheckRetry:   t.checkRetry,
		Backoff: func(_, _ time.Duration, attempt int, resp *http.Response) time.Duration {
			return t.wait(attempt, resp)
		},
		ErrorHandler: t.giveUp,
		RequestLogHook: func(_ retryablehttp.Logger, req *http.Request, retry int) {
			if st := stateFrom(req.Context()); st != nil {
				st.attempts.Store(int32(retry + 1))
			}
		},
	}
	return t
}

// clientFor returns the Client for one call: t.client's settings, with a
// Backoff bound to the call's state. go-retryablehttp's Backoff sees neither
// the request nor, after a connection error, a response; bound to st it
// waits exactly what checkRetry chose and checked against the deadline.
func (t *retryTransport) clientFor(st *callState) *retryablehttp.Client {
	c := t.client
	return &retryablehttp.Client{
		HTTPClient:   c.HTTPClient,
		Logger:       c.Logger,
		RetryWaitMin: c.RetryWaitMin,
		RetryWaitMax: c.RetryWaitMax,
		RetryMax:     c.RetryMax,
		CheckRetry:   c.CheckRetry,
		Backoff: func(time.Duration, time.Duration, int, *http.Response) time.Duration {
			return time.Duration(st.nextWait.Load())
		},
		ErrorHandler: c.ErrorHandler,
		RequestLogHook: func(_ retryablehttp.Logger, _ *http.Request, retry int) {
			st.attempts.Store(int32(retry + 1))
		},
	}
}

func (t *retryTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	st := stateFrom(ctx)
	if st == nil {
		st = &callState{}
		ctx = context.WithValue(ctx, callStateKey{}, st)
	}
	st.attempts.Store(0)
	st.retryable = idempotent(req.Method) || t.policy.RetryPOST || ctx.Value(retryPOSTKey{}) != nil

	r := req.WithContext(ctx) // shallow copy: retryablehttp replaces Body on it
	if req.Body != nil && req.Body != http.NoBody {
		buf, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, fmt.Errorf("gofive: reading request body: %w", err)
		}
		r.Body = io.NopCloser(bytes.NewReader(buf))
		r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(buf)), nil }
		r.ContentLength = int64(len(buf))
	}
	rreq, err := retryablehttp.FromRequest(r)
	if err != nil {
		return nil, err
	}
	resp, err := t.clientFor(st).Do(rreq)
	if err != nil {
		var re *retryError
		if errors.As(err, &re) {
			if re.lastStatus == 0 {
				re.lastStatus = int(st.lastStatus.Load()) // an earlier attempt's response
			}
		} else {
			re = &retryError{attempts: int(st.attempts.Load()), lastStatus: int(st.lastStatus.Load()), err: err}
			// go-retryablehttp returns the bare context error when the
			// context ends during a backoff wait: say what was being retried.
			re.interrupted = ctx.Err() != nil && errors.Is(err, ctx.Err())
			err = re
		}
		return nil, err
	}
	return resp, nil
}

func (t *retryTransport) checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	st := stateFrom(ctx)
	if resp != nil && st != nil {
		st.lastStatus.Store(int32(resp.StatusCode))
	}
	if st != nil && !st.retryable {
		return false, nil
	}
	retry, cerr := t.policy.CheckRetry(ctx, resp, err)
	if !retry || cerr != nil {
		return retry, cerr
	}
	if st == nil {
		return true, nil
	}
	// The wait is chosen here, once, for a response or a connection error
	// alike, and the call's Backoff returns it: what is checked against the
	// deadline is what is waited. Giving up here keeps the last response or
	// connection error as the cause.
	wait := t.wait(int(st.attempts.Load())-1, resp)
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) < wait {
		return false, nil // the next attempt could not start before the deadline
	}
	st.nextWait.Store(int64(wait))
	return true, nil
}

func (t *retryTransport) wait(attempt int, resp *http.Response) time.Duration {
	d := t.policy.Backoff(t.policy.MinBackoff, t.policy.MaxBackoff, max(attempt, 0), resp)
	return min(max(d, 0), t.policy.MaxRetryAfter)
}

// giveUp runs when retrying stops on a failure. A response is handed back
// as-is so the caller maps it (an *APIError with RetryAfter for a 429);
// otherwise the last cause is wrapped.
func (t *retryTransport) giveUp(resp *http.Response, err error, attempts int) (*http.Response, error) {
	if resp != nil {
		if err == nil {
			return resp, nil
		}
		resp.Body.Close()
	}
	status := 0
	if resp != nil {
		status = resp.StatusCode
	}
	return nil, &retryError{attempts: attempts, lastStatus: status, err: unwrapURLError(err)}
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
