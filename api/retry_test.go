package api

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/gofive-go/gofive/spec"
)

// scripted serves the i-th response of script on the i-th request (the last
// one repeats) and records each request body.
type scripted struct {
	mu     sync.Mutex
	script []func(w http.ResponseWriter)
	bodies []string
	hits   atomic.Int32
}

func status(code int, headers ...string) func(w http.ResponseWriter) {
	return func(w http.ResponseWriter) {
		for i := 0; i+1 < len(headers); i += 2 {
			w.Header().Set(headers[i], headers[i+1])
		}
		if code == 200 {
			writeJSON(w, 200, successBody)
			return
		}
		writeJSON(w, code, fmt.Sprintf(`{"status":{"code":"%d","description":"status %d"},"data":null}`, code, code))
	}
}

func (s *scripted) serve(w http.ResponseWriter, r *http.Request) {
	n := int(s.hits.Add(1))
	b, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	s.bodies = append(s.bodies, string(b))
	respond := s.script[min(n, len(s.script))-1]
	s.mu.Unlock()
	respond(w)
}

func newScripted(t *testing.T, pattern string, opts []Option, script ...func(http.ResponseWriter)) (*Client, *scripted) {
	t.Helper()
	f := newFakeAPI(t)
	s := &scripted{script: script}
	f.handle(pattern, s.serve)
	return newTestClient(t, f, opts...), s
}

func TestRetryStatusClasses(t *testing.T) {
	t.Parallel()
	tests := []struct {
		status       int
		wantAttempts int32
		wantIs       error
	}{
		{200, 1, nil},
		{400, 1, ErrBadRequest},
		{403, 1, ErrForbidden},
		{404, 1, ErrNotFound},
		{408, 3, nil},
		{409, 1, nil},
		{422, 1, nil},
		{429, 3, ErrRateLimited},
		{500, 3, ErrServerError},
		{501, 1, ErrServerError},
		{502, 3, ErrServerError},
		{503, 3, ErrServerError},
		{504, 3, ErrServerError},
		{599, 3, ErrServerError},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.status), func(t *testing.T) {
			t.Parallel()
			c, s := newScripted(t, "GET /v3/customers/C1",
				[]Option{WithRetryPolicy(RetryPolicy{MaxAttempts: 3, MinBackoff: time.Millisecond, MaxBackoff: 2 * time.Millisecond})},
				status(tt.status))
			err := callNoData(c, t.Context(), "getCustomer", newRequest(t, c, "GET", "/v3/customers/C1", nil))
			if got := s.hits.Load(); got != tt.wantAttempts {
				t.Errorf("attempts = %d, want %d", got, tt.wantAttempts)
			}
			if tt.status == 200 {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			var apiErr *APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("err = %v, want *APIError", err)
			}
			if apiErr.HTTPStatus != tt.status || apiErr.Attempts != int(tt.wantAttempts) || apiErr.Code != fmt.Sprint(tt.status) {
				t.Errorf("APIError = %+v", apiErr)
			}
			if tt.wantIs != nil && !errors.Is(err, tt.wantIs) {
				t.Errorf("errors.Is(%v) = false", tt.wantIs)
			}
			if tt.wantAttempts > 1 && !strings.HasSuffix(err.Error(), fmt.Sprintf("after %d attempts", tt.wantAttempts)) {
				t.Errorf("Error() = %q", err)
			}
		})
	}
}

func TestRetryThenSuccess(t *testing.T) {
	t.Parallel()
	c, s := newScripted(t, "GET /v3/customers/C1", nil, status(503), status(429), status(502), status(200))
	got, err := callJSON[customer](c, t.Context(), "getCustomer", newRequest(t, c, "GET", "/v3/customers/C1", nil))
	if err != nil {
		t.Fatal(err)
	}
	if got.CustomerCode != "C000349" || s.hits.Load() != 4 {
		t.Errorf("got %+v after %d attempts", got, s.hits.Load())
	}
}

func TestRetryMethods(t *testing.T) {
	t.Parallel()
	retryPOST := RetryPolicy{RetryPOST: true, MaxAttempts: 3, MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond}
	plain := RetryPolicy{MaxAttempts: 3, MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond}
	tests := []struct {
		name         string
		method       string
		policy       RetryPolicy
		ctx          func(context.Context) context.Context
		wantAttempts int32
	}{
		{"GET", "GET", plain, nil, 3},
		{"PUT not retried", "PUT", plain, nil, 1},
		{"DELETE not retried", "DELETE", plain, nil, 1},
		{"PUT with ContextWithRetry", "PUT", plain, ContextWithRetry, 3},
		{"POST not retried", "POST", plain, nil, 1},
		{"PATCH not retried", "PATCH", plain, nil, 1},
		{"POST with RetryPOST", "POST", retryPOST, nil, 3},
		{"POST with ContextWithRetry", "POST", plain, ContextWithRetry, 3},
		{"PATCH with ContextWithRetry", "PATCH", plain, ContextWithRetry, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, s := newScripted(t, "/v1/deals", []Option{WithRetryPolicy(tt.policy)}, status(503))
			ctx := t.Context()
			if tt.ctx != nil {
				ctx = tt.ctx(ctx)
			}
			// No operation (as with Do): the verb rule applies.
			err := callNoData(c, ctx, "", newRequest(t, c, tt.method, "/v1/deals", strings.NewReader(`{"dealNo":"D241200044"}`)))
			if !errors.Is(err, ErrServerError) {
				t.Fatalf("err = %v", err)
			}
			if got := s.hits.Load(); got != tt.wantAttempts {
				t.Errorf("attempts = %d, want %d", got, tt.wantAttempts)
			}
			for i, b := range s.bodies {
				if b != `{"dealNo":"D241200044"}` {
					t.Errorf("attempt %d body = %q (not rewound)", i+1, b)
				}
			}
		})
	}
}

// onceReader is an io.Reader with no way to rewind (no GetBody is set for it).
type onceReader struct{ r io.Reader }

func (o *onceReader) Read(p []byte) (int, error) { return o.r.Read(p) }

func TestRetryRewindsBody(t *testing.T) {
	t.Parallel()
	c, s := newScripted(t, "POST /v1/quotation/enquiry", nil, status(503), status(500), status(200))
	body := `{"take":50,"skip":0}`
	var out customer
	if err := c.Do(ContextWithRetry(t.Context()), "POST", "/v1/quotation/enquiry", &onceReader{strings.NewReader(body)}, &out); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{body, body, body}, s.bodies); diff != "" {
		t.Errorf("bodies per attempt (-want +got):\n%s", diff)
	}
}

// newTimedClient is a client with a static token over handlerTransport, for synctest bubbles.
func newTimedClient(t *testing.T, h http.HandlerFunc, opts ...Option) *Client {
	t.Helper()
	all := append([]Option{WithStaticToken("static"), WithSubscriptionKey(testSubKey), WithBaseURL("http://gofive.test"),
		WithHTTPClient(&http.Client{Transport: handlerTransport{h}})}, opts...)
	c, err := New(all...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// script answers the i-th request with the i-th function (the last one repeats).
func script(hits *atomic.Int32, steps ...func(w http.ResponseWriter)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		n := int(hits.Add(1))
		steps[min(n, len(steps))-1](w)
	}
}

func TestRetryAfterHonoured(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name          string
		retryAfter    func() string
		maxRetryAfter time.Duration
		wantWait      time.Duration
	}{
		{"seconds", func() string { return "1" }, 0, time.Second},
		{"http date", func() string { return time.Now().Add(2 * time.Second).UTC().Format(http.TimeFormat) }, 0, 2 * time.Second},
		{"capped", func() string { return "120" }, 150 * time.Millisecond, 150 * time.Millisecond},
		{"date in the past", func() string { return "Fri, 31 Dec 1999 23:59:59 GMT" }, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				var hits atomic.Int32
				c := newTimedClient(t, script(&hits, func(w http.ResponseWriter) {
					w.Header().Set("Retry-After", tt.retryAfter())
					writeJSON(w, 429, `{"statusCode":429,"message":"Rate limit is exceeded. Try again in 1 seconds."}`)
				}, status(200)), WithRetryPolicy(RetryPolicy{MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond, MaxRetryAfter: tt.maxRetryAfter}))
				start := time.Now()
				if err := callNoData(c, t.Context(), "getCustomerByCode", newRequest(t, c, "GET", "/v3/customers/C1", nil)); err != nil {
					t.Fatal(err)
				}
				if d := time.Since(start); d != tt.wantWait || hits.Load() != 2 {
					t.Errorf("retried after %v (%d attempts), want after %v", d, hits.Load(), tt.wantWait)
				}
			})
		})
	}
}

func TestRateLimitedGiveUpCarriesRetryAfter(t *testing.T) {
	t.Parallel()
	c, s := newScripted(t, "GET /v3/customers/C1",
		[]Option{WithRetryPolicy(RetryPolicy{MaxAttempts: 2, MaxRetryAfter: time.Millisecond})},
		func(w http.ResponseWriter) {
			w.Header().Set("Retry-After", "7")
			w.Header().Set("Apim-Request-Id", "req-429")
			writeJSON(w, 429, `{"statusCode":429,"message":"Rate limit is exceeded. Try again in 7 seconds."}`)
		})
	err := callNoData(c, t.Context(), "getCustomer", newRequest(t, c, "GET", "/v3/customers/C1", nil))
	var apiErr *APIError
	if !errors.As(err, &apiErr) || !errors.Is(err, ErrRateLimited) {
		t.Fatalf("err = %v", err)
	}
	want := &APIError{
		HTTPStatus: 429, Code: "429", Description: "Rate limit is exceeded. Try again in 7 seconds.",
		RequestID: "req-429", Method: "GET", Path: "/v3/customers/C1", OperationID: "getCustomer",
		RetryAfter: 7 * time.Second, Attempts: 2,
		Body: []byte(`{"statusCode":429,"message":"Rate limit is exceeded. Try again in 7 seconds."}`),
	}
	if diff := cmp.Diff(want, apiErr, cmpopts.IgnoreUnexported(APIError{})); diff != "" {
		t.Errorf("APIError (-want +got):\n%s", diff)
	}
	if s.hits.Load() != 2 {
		t.Errorf("attempts = %d", s.hits.Load())
	}
	if got := err.Error(); got != "gofive: GET /v3/customers/C1 (getCustomer): HTTP 429 Too Many Requests code 429: Rate limit is exceeded. Try again in 7 seconds. (request id req-429) after 2 attempts" {
		t.Errorf("Error() = %q", got)
	}
}

func TestNoRetryPastDeadline(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		var hits atomic.Int32
		c := newTimedClient(t, script(&hits, status(429, "Retry-After", "10"), status(200)))
		ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second)
		defer cancel()
		start := time.Now()
		err := callNoData(c, ctx, "getCustomerByCode", newRequest(t, c, "GET", "/v3/customers/C1", nil))
		// Waiting 10s cannot fit in 2s: the 429 is returned at once.
		if !errors.Is(err, ErrRateLimited) {
			t.Fatalf("err = %v", err)
		}
		if d := time.Since(start); d != 0 || hits.Load() != 1 {
			t.Errorf("returned after %v with %d attempts; want at once after a single attempt", d, hits.Load())
		}
	})
}

func TestContextCancelledDuringBackoff(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		slow := RetryPolicy{Backoff: func(_, _ time.Duration, _ int, _ *http.Response) time.Duration { return 10 * time.Second }}
		var hits atomic.Int32
		c := newTimedClient(t, script(&hits, status(503)), WithRetryPolicy(slow))
		ctx, cancel := context.WithCancel(t.Context())
		time.AfterFunc(100*time.Millisecond, cancel)
		start := time.Now()
		err := callNoData(c, ctx, "getCustomerByCode", newRequest(t, c, "GET", "/v3/customers/C1", nil))
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
		if d := time.Since(start); d != 100*time.Millisecond {
			t.Errorf("returned after %v, want when the context was cancelled (100ms)", d)
		}
		if hits.Load() != 1 {
			t.Errorf("attempts = %d, want 1 (no retry after the context ended)", hits.Load())
		}
		if want := "gofive: GET /v3/customers/C1 (getCustomerByCode): context canceled while waiting to retry after 1 attempt(s) (last HTTP 503)"; err.Error() != want {
			t.Errorf("Error() = %q\nwant %q", err, want)
		}
	})
}

func TestWithTimeoutCoversRetries(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		every100ms := RetryPolicy{MaxAttempts: 100, Backoff: func(_, _ time.Duration, _ int, _ *http.Response) time.Duration { return 100 * time.Millisecond }}
		var hits atomic.Int32
		c := newTimedClient(t, script(&hits, status(503)), WithRetryPolicy(every100ms), WithTimeout(350*time.Millisecond))
		start := time.Now()
		err := callNoData(c, t.Context(), "getCustomerByCode", newRequest(t, c, "GET", "/v3/customers/C1", nil))
		// Attempts at 0, 100, 200 and 300ms; a fifth could not start before the 350ms
		// deadline, so the last 503 is returned at once.
		var apiErr *APIError
		if !errors.As(err, &apiErr) || apiErr.HTTPStatus != 503 || apiErr.Attempts != 4 {
			t.Fatalf("err = %v, want the 4th attempt's 503", err)
		}
		if d := time.Since(start); d != 300*time.Millisecond || hits.Load() != 4 {
			t.Errorf("took %v with %d attempts; want 4 attempts in 300ms", d, hits.Load())
		}
	})
}

func TestGiveUpWrapsConnectionError(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	ln.Close()
	c, err := New(WithStaticToken("static"), WithSubscriptionKey(testSubKey), WithBaseURL(base), WithRetryPolicy(fastRetry))
	if err != nil {
		t.Fatal(err)
	}
	req := newRequest(t, c, "GET", "/v3/customers/C1?customerCode=C1", nil)
	err = callNoData(c, t.Context(), "getCustomer", req)
	if !errors.Is(err, syscall.ECONNREFUSED) {
		t.Errorf("errors.Is(ECONNREFUSED) = false: %v", err)
	}
	var opErr *net.OpError
	if !errors.As(err, &opErr) {
		t.Errorf("errors.As(*net.OpError) = false: %v", err)
	}
	msg := err.Error()
	if !strings.HasPrefix(msg, "gofive: GET /v3/customers/C1 (getCustomer): giving up after 4 attempts: ") || strings.Contains(msg, "customerCode") {
		t.Errorf("Error() = %q", msg)
	}

	// A POST that could not connect never reached the server: sending it
	// again is safe, so it is retried too.
	err = callNoData(c, t.Context(), "createOrUpdateCustomer", newRequest(t, c, "POST", "/v3/customers", strings.NewReader("{}")))
	if !errors.Is(err, syscall.ECONNREFUSED) || !strings.Contains(err.Error(), "giving up after 4 attempts") {
		t.Errorf("POST: %v", err)
	}
}

// refused fails every request as a refused connection does.
type refused struct{ n atomic.Int32 }

func (r *refused) RoundTrip(req *http.Request) (*http.Response, error) {
	r.n.Add(1)
	return nil, &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}
}

func TestConnectionErrorWaitIsTheCheckedOne(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		// A jittery policy: the first wait is short, every later one is far
		// past the deadline. Each wait must be drawn once, by the check against
		// the deadline, and then waited as drawn.
		var calls atomic.Int32
		p := RetryPolicy{MaxAttempts: 4, Backoff: func(_, _ time.Duration, _ int, _ *http.Response) time.Duration {
			if calls.Add(1) == 1 {
				return 10 * time.Millisecond
			}
			return time.Hour
		}}
		conn := &refused{}
		c, err := New(WithStaticToken("static"), WithSubscriptionKey(testSubKey), WithBaseURL("http://gofive.test"),
			WithHTTPClient(&http.Client{Transport: conn}), WithRetryPolicy(p))
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second)
		defer cancel()
		start := time.Now()
		err = callNoData(c, ctx, "getCustomerByCode", newRequest(t, c, "GET", "/v3/customers/C1", nil))
		// The second attempt fails too, the next wait (1h) cannot fit in the
		// deadline: give up at once with the connection error, rather than
		// sleep until the deadline and report only that.
		if !errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("err = %v, want the connection error", err)
		}
		if d := time.Since(start); d != 10*time.Millisecond || conn.n.Load() != 2 {
			t.Errorf("gave up after %v and %d attempts, want after the first 10ms wait and 2 attempts", d, conn.n.Load())
		}
		if !strings.Contains(err.Error(), "giving up after 2 attempts") {
			t.Errorf("Error() = %q", err)
		}
		if got := calls.Load(); got != 2 {
			t.Errorf("Backoff called %d times, want 2 (once per retry decision)", got)
		}
	})
}

func TestRetryDroppedConnections(t *testing.T) {
	t.Parallel()
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hits.Add(1) <= 2 {
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				conn.Close()
			}
			return
		}
		writeJSON(w, 200, successBody)
	}))
	t.Cleanup(srv.Close)
	c, err := New(WithStaticToken("static"), WithSubscriptionKey(testSubKey), WithBaseURL(srv.URL), WithRetryPolicy(fastRetry))
	if err != nil {
		t.Fatal(err)
	}
	if err := callNoData(c, t.Context(), "getCustomer", newRequest(t, c, "GET", "/v3/customers/C1", nil)); err != nil {
		t.Fatalf("call = %v, want success after dropped connections", err)
	}
}

func TestCustomRetryPolicy(t *testing.T) {
	t.Parallel()
	var backoffCalls []int
	var mu sync.Mutex
	p := RetryPolicy{
		MaxAttempts: 4,
		MinBackoff:  3 * time.Millisecond,
		MaxBackoff:  7 * time.Millisecond,
		CheckRetry: func(ctx context.Context, resp *http.Response, err error) (bool, error) {
			return resp != nil && resp.StatusCode == http.StatusConflict, nil
		},
		Backoff: func(min, max time.Duration, attempt int, resp *http.Response) time.Duration {
			mu.Lock()
			defer mu.Unlock()
			if min != 3*time.Millisecond || max != 7*time.Millisecond || resp == nil {
				t.Errorf("Backoff(%v, %v, %d, %v)", min, max, attempt, resp)
			}
			backoffCalls = append(backoffCalls, attempt)
			return time.Millisecond
		},
	}
	c, s := newScripted(t, "GET /v3/customers/C1", []Option{WithRetryPolicy(p)}, status(409), status(409), status(503))
	err := callNoData(c, t.Context(), "getCustomer", newRequest(t, c, "GET", "/v3/customers/C1", nil))
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.HTTPStatus != 503 || s.hits.Load() != 3 {
		t.Fatalf("err = %v after %d attempts; want the 503 (not retried by this policy) on attempt 3", err, s.hits.Load())
	}
	if diff := cmp.Diff([]int{0, 1}, backoffCalls); diff != "" {
		t.Errorf("backoff attempts (-want +got):\n%s", diff)
	}

	// A CheckRetry error stops retrying with that error.
	stop := errors.New("stop here")
	p.CheckRetry = func(context.Context, *http.Response, error) (bool, error) { return false, stop }
	c, _ = newScripted(t, "GET /v3/customers/C1", []Option{WithRetryPolicy(p)}, status(503))
	if err := callNoData(c, t.Context(), "getCustomer", newRequest(t, c, "GET", "/v3/customers/C1", nil)); !errors.Is(err, stop) {
		t.Errorf("err = %v, want the CheckRetry error", err)
	}
}

func TestDefaultCheckRetry(t *testing.T) {
	t.Parallel()
	cancelled, cancel := context.WithCancel(t.Context())
	cancel()
	urlErr := func(err error) error { return &url.Error{Op: "Get", URL: "https://api.gofive.co.th/x", Err: err} }
	resp := func(code int) *http.Response { return &http.Response{StatusCode: code, Header: http.Header{}} }
	tests := []struct {
		name    string
		ctx     context.Context
		resp    *http.Response
		err     error
		want    bool
		wantErr error
	}{
		{"context cancelled", cancelled, resp(503), nil, false, context.Canceled},
		{"connection refused", t.Context(), nil, urlErr(syscall.ECONNREFUSED), true, nil},
		{"unknown authority", t.Context(), nil, urlErr(&tls.CertificateVerificationError{Err: x509.UnknownAuthorityError{}}), false, nil},
		{"redirect loop", t.Context(), nil, urlErr(errors.New("stopped after 10 redirects")), false, nil},
		{"token rejected", t.Context(), nil, urlErr(&TokenError{APIError: &APIError{HTTPStatus: 401}}), false, nil},
		{"token server down", t.Context(), nil, urlErr(&TokenError{APIError: &APIError{HTTPStatus: 503}}), true, nil},
		{"token rate limited", t.Context(), nil, &TokenError{APIError: &APIError{HTTPStatus: 429}}, true, nil},
		{"token network", t.Context(), nil, &TokenError{Err: syscall.ECONNRESET, network: true}, true, nil},
		{"token bad json", t.Context(), nil, &TokenError{Err: errors.New("oauth2: cannot parse json")}, false, nil},
		{"foreign host", t.Context(), nil, urlErr(fmt.Errorf("%w (x)", errForeignHost)), false, nil},
		{"200", t.Context(), resp(200), nil, false, nil},
		{"401", t.Context(), resp(401), nil, false, nil},
		{"408", t.Context(), resp(408), nil, true, nil},
		{"429", t.Context(), resp(429), nil, true, nil},
		{"500", t.Context(), resp(500), nil, true, nil},
		{"501", t.Context(), resp(501), nil, false, nil},
		{"503", t.Context(), resp(503), nil, true, nil},
	}
	for _, tt := range tests {
		got, err := DefaultCheckRetry(tt.ctx, tt.resp, tt.err)
		if got != tt.want || !errors.Is(err, tt.wantErr) || (tt.wantErr == nil && err != nil) {
			t.Errorf("%s: DefaultCheckRetry = %v, %v; want %v, %v", tt.name, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestDefaultBackoff(t *testing.T) {
	t.Parallel()
	withHeader := func(v string) *http.Response {
		return &http.Response{StatusCode: 429, Header: http.Header{"Retry-After": {v}}}
	}
	min, max := 200*time.Millisecond, 5*time.Second
	tests := []struct {
		name     string
		attempt  int
		resp     *http.Response
		low, upp time.Duration
	}{
		{"first retry", 0, nil, 200 * time.Millisecond, 200 * time.Millisecond},
		{"second retry", 1, nil, 200 * time.Millisecond, 400 * time.Millisecond},
		{"third retry", 2, nil, 400 * time.Millisecond, 800 * time.Millisecond},
		{"capped at max", 10, nil, 2500 * time.Millisecond, 5 * time.Second},
		{"huge attempt", 200, nil, 2500 * time.Millisecond, 5 * time.Second},
		{"503 without header", 1, &http.Response{StatusCode: 503, Header: http.Header{}}, 200 * time.Millisecond, 400 * time.Millisecond},
		{"retry-after seconds", 0, withHeader("3"), 3 * time.Second, 3 * time.Second},
		{"retry-after zero", 3, withHeader("0"), 0, 0},
		{"retry-after date", 0, withHeader(time.Now().Add(4 * time.Second).UTC().Format(http.TimeFormat)), 2 * time.Second, 4 * time.Second},
		{"retry-after past date", 0, withHeader("Fri, 31 Dec 1999 23:59:59 GMT"), 0, 0},
		{"retry-after garbage", 0, withHeader("soon"), 200 * time.Millisecond, 200 * time.Millisecond},
		{"retry-after negative", 0, withHeader("-5"), 200 * time.Millisecond, 200 * time.Millisecond},
	}
	for _, tt := range tests {
		for range 20 { // jitter
			if got := DefaultBackoff(min, max, tt.attempt, tt.resp); got < tt.low || got > tt.upp {
				t.Errorf("%s: DefaultBackoff = %v, want in [%v, %v]", tt.name, got, tt.low, tt.upp)
				break
			}
		}
	}
	if got := DefaultBackoff(time.Second, time.Millisecond, 0, nil); got != time.Second {
		t.Errorf("max < min: %v", got)
	}
	// The transport caps every wait, Retry-After included.
	rt := newRetryTransport(http.DefaultTransport, RetryPolicy{MaxRetryAfter: 2 * time.Second}.withDefaults())
	if got := rt.wait(0, withHeader("3600")); got != 2*time.Second {
		t.Errorf("capped wait = %v", got)
	}
	rt = newRetryTransport(http.DefaultTransport, RetryPolicy{Backoff: func(time.Duration, time.Duration, int, *http.Response) time.Duration { return -time.Second }}.withDefaults())
	if got := rt.wait(0, nil); got != 0 {
		t.Errorf("negative backoff = %v", got)
	}
}

func TestParseRetryAfterCap(t *testing.T) {
	t.Parallel()
	if d, ok := parseRetryAfter("99999999999"); !ok || d != 24*time.Hour {
		t.Errorf("huge Retry-After = %v, %v", d, ok)
	}
}

// TestRetryBodyNotCopied: a body that can be rewound (GetBody, as http.NewRequest sets for bytes
// and strings) is replayed from GetBody, not copied; one that cannot is read exactly once.
func TestRetryBodyNotCopied(t *testing.T) {
	t.Parallel()
	c, s := newScripted(t, "POST /v1/quotation/enquiry", nil, status(503), status(503), status(200))
	req := newRequest(t, c, "POST", "/v1/quotation/enquiry", strings.NewReader(`{"take":50}`))
	var rewinds atomic.Int32
	getBody := req.GetBody
	req.GetBody = func() (io.ReadCloser, error) { rewinds.Add(1); return getBody() }
	if err := callNoData(c, t.Context(), "quotationEnquiry", req); err != nil {
		t.Fatal(err)
	}
	if s.hits.Load() != 3 || rewinds.Load() != 2 {
		t.Errorf("%d attempts, %d rewinds; want 3 attempts replayed with 2 rewinds", s.hits.Load(), rewinds.Load())
	}

	c, s = newScripted(t, "POST /v1/quotation/enquiry", nil, status(503), status(200))
	body := &countingReader{r: strings.NewReader(`{"take":50}`)}
	if err := c.Do(ContextWithRetry(t.Context()), "POST", "/v1/quotation/enquiry", body, nil); err != nil {
		t.Fatal(err)
	}
	if body.eofs != 1 {
		t.Errorf("body read to EOF %d times, want once", body.eofs)
	}
	if diff := cmp.Diff([]string{`{"take":50}`, `{"take":50}`}, s.bodies); diff != "" {
		t.Errorf("bodies (-want +got):\n%s", diff)
	}
}

type countingReader struct {
	r    io.Reader
	eofs int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if err == io.EOF {
		c.eofs++
	}
	return n, err
}

// TestEveryOperationHasARetryClass: the generated classes cover the spec's operations.
func TestEveryOperationHasARetryClass(t *testing.T) {
	t.Parallel()
	for _, id := range operationIDs {
		if _, ok := operationIdempotent[id]; !ok {
			t.Errorf("%s has no retry class", id)
		}
	}
	if len(operationIdempotent) != len(operationIDs) {
		t.Errorf("%d retry classes for %d operations", len(operationIdempotent), len(operationIDs))
	}
	if operationIdempotent["updateProductStock"] || !operationIdempotent["getCustomerByCode"] || !operationIdempotent["quotationEnquiry"] {
		t.Error("updateProductStock must not be idempotent, reads must be")
	}
}

// TestHTTPClientFollowsTaggedOperation: a request sent through HTTPClient (package gen, the CLI)
// tagged WithOperation is retried as its operation's class says; untagged, by its verb, and a
// PUT is not repeated.
func TestHTTPClientFollowsTaggedOperation(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name      string
		operation string
		want      int32
	}{
		{"untagged PUT (package gen's updateProductStock): not repeated", "", 1},
		{"updateProductStock: not idempotent", "updateProductStock", 1},
		{"getCustomerByCode: a read", "getCustomerByCode", 3},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, s := newScripted(t, "/v1/products/stock", []Option{WithRetryPolicy(RetryPolicy{MaxAttempts: 3, MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond})}, status(503))
			req, err := http.NewRequestWithContext(WithOperation(t.Context(), tt.operation), "PUT", c.BaseURL()+"v1/products/stock", strings.NewReader(`[{"productCode":"A001","qty":20}]`))
			if err != nil {
				t.Fatal(err)
			}
			resp, err := c.HTTPClient().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != 503 || s.hits.Load() != tt.want {
				t.Errorf("status %d after %d attempts, want 503 after %d", resp.StatusCode, s.hits.Load(), tt.want)
			}
		})
	}
}

// TestVerbRuleAgreesWithSpec: a request without an operation (Do, an untagged HTTPClient
// request from package gen) is repeated by its verb only where every spec operation with that
// verb is idempotent; an untagged updateProductStock (PUT) was sent three times.
func TestVerbRuleAgreesWithSpec(t *testing.T) {
	t.Parallel()
	doc := spec.MustLoad()
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			if idempotentMethod(method) && !operationIdempotent[op.OperationID] {
				t.Errorf("%s %s (%s) is not idempotent, but a request without an operation would repeat it by its verb", method, path, op.OperationID)
			}
		}
	}
}

// TestWithOperationContextReusedAcrossRequests: requests that share one WithOperation context
// are separate calls. They shared one call state, so each looked like a retry of the one before:
// every request past the first bypassed the remembered token failure and asked the token
// endpoint again.
func TestWithOperationContextReusedAcrossRequests(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newMemFakeAPI(t)
		f.mu.Lock()
		f.tokenErr = func(w http.ResponseWriter) bool { writeJSON(w, 500, `{"error":"server_error"}`); return true }
		f.mu.Unlock()
		c := newTestClient(t, f, WithRetryPolicy(RetryPolicy{MaxAttempts: 1}))
		ctx := WithOperation(t.Context(), "getCustomerByCode")
		for range 3 {
			req, err := http.NewRequestWithContext(ctx, "GET", c.BaseURL()+"v3/customers/C1", nil)
			if err != nil {
				t.Fatal(err)
			}
			var te *TokenError
			if _, err := c.HTTPClient().Do(req); !errors.As(err, &te) {
				t.Fatalf("err = %v, want a *TokenError", err)
			}
		}
		if got := f.tokenRequests.Load(); got != 1 {
			t.Errorf("token requests = %d, want 1 (the failure is remembered for new calls)", got)
		}
	})
}

// TestLongUnrewindableBodySentOnce: a caller's body that cannot be rewound and is longer than
// the copy the retry layer keeps (maxRewindBody) is streamed whole, once, and not retried:
// nothing is buffered without bound, and nothing half-sent is repeated.
func TestLongUnrewindableBodySentOnce(t *testing.T) {
	t.Parallel()
	c, s := newScripted(t, "POST /v1/quotation/enquiry", nil, status(503), status(200))
	n := int64(maxRewindBody + 1024)
	body := io.LimitReader(repeatByte('x'), n) // no GetBody: Do cannot rewind it
	err := c.Do(ContextWithRetry(t.Context()), "POST", "/v1/quotation/enquiry", body, nil)
	if !errors.Is(err, ErrServerError) {
		t.Errorf("err = %v, want the 503 (not retried)", err)
	}
	if got := s.hits.Load(); got != 1 {
		t.Errorf("%d attempts, want 1", got)
	}
	if len(s.bodies) != 1 || int64(len(s.bodies[0])) != n {
		t.Errorf("server got %d bodies, want one of %d bytes", len(s.bodies), n)
	}
}

type repeatByte byte

func (b repeatByte) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(b)
	}
	return len(p), nil
}
