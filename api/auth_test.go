package api

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/oauth2"
)

func TestTokenRequestAndDataHeaders(t *testing.T) {
	t.Parallel()
	f := newFakeAPI(t)
	var gotHeader http.Header
	var gotBody string
	f.handle("POST /v3/customers", func(w http.ResponseWriter, r *http.Request) {
		gotHeader = r.Header.Clone()
		b, _ := io.ReadAll(r.Body)
		gotBody = string(b)
		writeJSON(w, 200, successBody)
	})
	c := newTestClient(t, f, WithUserAgent("myapp/2.0"))
	req := newRequest(t, c, "POST", "/v3/customers", strings.NewReader(`{"customerName":"Acme"}`))
	if _, err := callJSON[customer](c, t.Context(), "createCustomer", req); err != nil {
		t.Fatal(err)
	}
	// The secret went form-encoded in the body; the server decoded it intact.
	form, err := url.ParseQuery(f.tokenBody(0))
	if err != nil {
		t.Fatal(err)
	}
	want := url.Values{"grant_type": {"client_credentials"}, "client_id": {testClientID}, "client_secret": {testSecret}}
	if diff := cmp.Diff(want, form); diff != "" {
		t.Errorf("token form (-want +got):\n%s", diff)
	}
	if raw := f.tokenBody(0); !strings.Contains(raw, "client_secret="+url.QueryEscape(testSecret)) || strings.Contains(raw, testSecret) {
		t.Errorf("token body %q: secret not form-encoded", raw)
	}
	wantHeaders := map[string]string{
		"Authorization":       "Bearer " + tokenPrefix + "1=",
		subscriptionKeyHeader: testSubKey,
		"User-Agent":          "gofive-go/0.1.0 myapp/2.0",
		"Content-Type":        "application/json",
	}
	for k, v := range wantHeaders {
		if got := gotHeader.Get(k); got != v {
			t.Errorf("data request %s = %q, want %q", k, got, v)
		}
	}
	if gotBody != `{"customerName":"Acme"}` {
		t.Errorf("body = %q", gotBody)
	}
}

func TestTokenIsCached(t *testing.T) {
	t.Parallel()
	f := newFakeAPI(t)
	f.handle("GET /v3/customers/C1", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, successBody) })
	c := newTestClient(t, f)
	for range 5 {
		if err := callNoData(c, t.Context(), "getCustomer", newRequest(t, c, "GET", "/v3/customers/C1", nil)); err != nil {
			t.Fatal(err)
		}
	}
	if n := f.tokenRequests.Load(); n != 1 {
		t.Errorf("token requests = %d, want 1", n)
	}
}

// TestTokenRefreshMargin runs on the synctest clock: each pause is exact, so the cases sit
// right at either side of the refresh point.
func TestTokenRefreshMargin(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		expiresIn  int64
		margin     time.Duration
		pause      time.Duration // between the 2nd and 3rd call
		wantTokens int32
	}{
		{"long-lived token is reused", 3600, 0, 0, 1},
		{"default margin reuses a 1h token", 3600, DefaultRefreshMargin, 0, 1},
		// A margin longer than a tenth of the lifetime is clamped to it (issue
		// 12): see TestShortLivedTokenFetchedOncePerLifetime.
		{"reused until the margin", 3600, DefaultRefreshMargin, time.Hour - DefaultRefreshMargin - time.Second, 1},
		{"refreshed once inside the margin", 3600, DefaultRefreshMargin, time.Hour - DefaultRefreshMargin + time.Second, 2},
		{"token is used until expiry with margin 0", 3600, 0, time.Hour - time.Second, 1},
		{"expired token is replaced", 1, 0, 1100 * time.Millisecond, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				f := newMemFakeAPI(t)
				f.expiresIn.Store(tt.expiresIn)
				f.handle("GET /v3/customers/C1", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, successBody) })
				c := newTestClient(t, f, WithTokenRefreshMargin(tt.margin))
				for i := range 3 {
					if i == 2 {
						time.Sleep(tt.pause)
					}
					if err := callNoData(c, t.Context(), "getCustomer", newRequest(t, c, "GET", "/v3/customers/C1", nil)); err != nil {
						t.Fatal(err)
					}
				}
				if n := f.tokenRequests.Load(); n != tt.wantTokens {
					t.Errorf("token requests = %d, want %d", n, tt.wantTokens)
				}
			})
		})
	}
}

func TestConcurrentCallsFetchOneToken(t *testing.T) {
	t.Parallel()
	synctest.Test(t, testConcurrentCallsFetchOneToken)
}

func testConcurrentCallsFetchOneToken(t *testing.T) {
	f := newMemFakeAPI(t)
	// A slow token endpoint widens the window in which callers pile up.
	f.mu.Lock()
	f.tokenErr = func(http.ResponseWriter) bool { time.Sleep(100 * time.Millisecond); return false }
	f.mu.Unlock()
	f.handle("GET /v3/customers/C1", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, successBody) })
	c := newTestClient(t, f)

	const n = 1000
	var wg sync.WaitGroup
	var failed atomic.Int32
	start := make(chan struct{})
	for range n {
		wg.Go(func() {
			<-start
			got, err := callJSON[customer](c, t.Context(), "getCustomer", newRequest(t, c, "GET", "/v3/customers/C1", nil))
			if err != nil || got.CustomerCode != "C000349" {
				failed.Add(1)
				t.Errorf("call: %v", err)
			}
		})
	}
	close(start)
	wg.Wait()
	if got := f.tokenRequests.Load(); got != 1 {
		t.Errorf("token requests = %d, want exactly 1 for %d concurrent calls", got, n)
	}
	if got := f.dataRequests.Load(); got != n {
		t.Errorf("data requests = %d, want %d", got, n)
	}
}

func TestUnauthorizedRefreshesTokenAndRetriesOnce(t *testing.T) {
	t.Parallel()

	t.Run("revoked token is replaced", func(t *testing.T) {
		t.Parallel()
		f := newFakeAPI(t)
		var bodies []string
		var mu sync.Mutex
		f.handle("POST /v1/case", func(w http.ResponseWriter, r *http.Request) {
			b, _ := io.ReadAll(r.Body)
			mu.Lock()
			bodies = append(bodies, string(b))
			mu.Unlock()
			writeJSON(w, 200, successBody)
		})
		c := newTestClient(t, f)
		if err := callNoData(c, t.Context(), "addCase", newRequest(t, c, "POST", "/v1/case", strings.NewReader(`{"n":1}`))); err != nil {
			t.Fatal(err)
		}
		f.revokeAll()
		// POST is not retried by the retry layer, but a 401 replay is safe:
		// the request was rejected before it did anything.
		if err := callNoData(c, t.Context(), "addCase", newRequest(t, c, "POST", "/v1/case", strings.NewReader(`{"n":2}`))); err != nil {
			t.Fatalf("call after revocation: %v", err)
		}
		if got := f.tokenRequests.Load(); got != 2 {
			t.Errorf("token requests = %d, want 2", got)
		}
		if got := f.dataRequests.Load(); got != 3 {
			t.Errorf("data requests = %d, want 3 (ok, 401, replay)", got)
		}
		if diff := cmp.Diff([]string{`{"n":1}`, `{"n":2}`}, bodies); diff != "" {
			t.Errorf("bodies seen by the handler (-want +got):\n%s", diff)
		}
	})

	t.Run("persistent 401 is replayed exactly once", func(t *testing.T) {
		t.Parallel()
		f := newFakeAPI(t)
		var hits atomic.Int32
		f.mux.HandleFunc("GET /v3/customers/C1", func(w http.ResponseWriter, r *http.Request) {
			hits.Add(1)
			writeJSON(w, 401, `{"statusCode":401,"message":"User authentication required V2."}`)
		})
		c := newTestClient(t, f)
		err := callNoData(c, t.Context(), "getCustomer", newRequest(t, c, "GET", "/v3/customers/C1", nil))
		var apiErr *APIError
		if !errors.As(err, &apiErr) || !errors.Is(err, ErrUnauthorized) {
			t.Fatalf("err = %v, want *APIError matching ErrUnauthorized", err)
		}
		if apiErr.Code != "401" || apiErr.Description != "User authentication required V2." || apiErr.OperationID != "getCustomer" {
			t.Errorf("APIError = %+v", apiErr)
		}
		if hits.Load() != 2 || f.tokenRequests.Load() != 2 {
			t.Errorf("data requests = %d, token requests = %d; want 2 and 2", hits.Load(), f.tokenRequests.Load())
		}
	})

	t.Run("static token is not replayed", func(t *testing.T) {
		t.Parallel()
		f := newFakeAPI(t)
		f.handle("GET /v3/customers/C1", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, successBody) })
		c, err := New(WithStaticToken("expired"), WithSubscriptionKey(testSubKey), WithBaseURL(f.srv.URL), WithRetryPolicy(fastRetry))
		if err != nil {
			t.Fatal(err)
		}
		err = callNoData(c, t.Context(), "getCustomer", newRequest(t, c, "GET", "/v3/customers/C1", nil))
		if !errors.Is(err, ErrUnauthorized) {
			t.Fatalf("err = %v", err)
		}
		if f.dataRequests.Load() != 1 || f.tokenRequests.Load() != 0 {
			t.Errorf("data=%d token=%d, want 1 and 0", f.dataRequests.Load(), f.tokenRequests.Load())
		}
	})

	t.Run("caller token source is asked again", func(t *testing.T) {
		t.Parallel()
		f := newFakeAPI(t)
		f.handle("GET /v3/customers/C1", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, successBody) })
		// The caller's source first hands out a stale token, then a good one.
		good := tokenPrefix + "good="
		f.mu.Lock()
		f.valid[good] = true
		f.mu.Unlock()
		var calls atomic.Int32
		src := tokenSourceFunc(func() (*oauth2.Token, error) {
			if calls.Add(1) == 1 {
				return &oauth2.Token{AccessToken: "stale"}, nil
			}
			return &oauth2.Token{AccessToken: good}, nil
		})
		c, err := New(WithTokenSource(src), WithSubscriptionKey(testSubKey), WithBaseURL(f.srv.URL))
		if err != nil {
			t.Fatal(err)
		}
		if err := callNoData(c, t.Context(), "getCustomer", newRequest(t, c, "GET", "/v3/customers/C1", nil)); err != nil {
			t.Fatal(err)
		}
		if calls.Load() != 2 || f.dataRequests.Load() != 2 {
			t.Errorf("source calls=%d data requests=%d, want 2 and 2", calls.Load(), f.dataRequests.Load())
		}
	})
}

func TestTokenEndpointErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		respond     func(w http.ResponseWriter, r *http.Request) // nil: the fake's normal token endpoint
		secret      string                                       // client secret to configure
		wantStatus  int                                          // of TokenError.APIError; 0 when no response
		wantCode    string
		wantDesc    string
		wantIs      error
		wantTokens  int32 // token requests made
		wantInError string
		wantNotIs   error
	}{
		{
			name: "wrong secret", secret: "wrong+secret/==",
			wantStatus: 401, wantCode: "invalid_client", wantDesc: "Client authentication failed.",
			wantIs: ErrUnauthorized, wantTokens: 1, wantInError: "fetching token: POST /authorization/connect/token: HTTP 401 Unauthorized code invalid_client",
		},
		{
			name: "invalid request", respond: func(w http.ResponseWriter, r *http.Request) {
				writeJSON(w, 400, `{"error":"unsupported_grant_type","error_description":"grant not allowed"}`)
			},
			wantStatus: 400, wantCode: "unsupported_grant_type", wantDesc: "grant not allowed", wantIs: ErrBadRequest, wantTokens: 1,
		},
		{
			name: "gateway html error is retried", respond: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/html")
				w.WriteHeader(502)
				io.WriteString(w, "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>")
			},
			wantStatus: 502, wantDesc: "502 Bad Gateway", wantIs: ErrServerError, wantTokens: 4, wantInError: "giving up after 4 attempts",
		},
		// Some servers send an OAuth error with HTTP 200 (RFC 6749 §5.2 says
		// 400): classed by its error code, not as a business error.
		{
			name: "OAuth invalid_client with HTTP 200", respond: func(w http.ResponseWriter, r *http.Request) {
				writeJSON(w, 200, `{"error":"invalid_client","error_description":"Client authentication failed."}`)
			},
			wantStatus: 200, wantCode: "invalid_client", wantDesc: "Client authentication failed.", wantIs: ErrUnauthorized, wantNotIs: ErrBusiness,
			wantTokens: 1, wantInError: "fetching token: POST /authorization/connect/token: HTTP 200 OK code invalid_client: Client authentication failed.",
		},
		{
			name: "OAuth invalid_grant with HTTP 200", respond: func(w http.ResponseWriter, r *http.Request) {
				writeJSON(w, 200, `{"error":"invalid_grant"}`)
			},
			wantStatus: 200, wantCode: "invalid_grant", wantIs: ErrUnauthorized, wantNotIs: ErrBusiness, wantTokens: 1,
		},
		{
			name: "OAuth unauthorized_client with HTTP 200 as a form", respond: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/x-www-form-urlencoded")
				io.WriteString(w, "error=unauthorized_client&error_description=not+allowed")
			},
			wantStatus: 200, wantCode: "unauthorized_client", wantDesc: "not allowed", wantIs: ErrUnauthorized, wantNotIs: ErrBusiness, wantTokens: 1,
		},
		{
			name: "OAuth invalid_scope with HTTP 200", respond: func(w http.ResponseWriter, r *http.Request) {
				writeJSON(w, 200, `{"error":"invalid_scope","error_description":"unknown scope"}`)
			},
			wantStatus: 200, wantCode: "invalid_scope", wantDesc: "unknown scope", wantIs: ErrBadRequest, wantNotIs: ErrBusiness, wantTokens: 1,
		},
		{
			name: "malformed token json", respond: func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, `{"access_token":`) },
			wantTokens: 1, wantInError: "cannot parse json",
		},
		{
			name: "no access token", respond: func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, `{"token_type":"Bearer"}`) },
			wantTokens: 1, wantInError: "missing access_token",
		},
		{
			name: "redirect is not followed", respond: func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, "http://127.0.0.1:1/steal", http.StatusTemporaryRedirect)
			},
			wantStatus: 307, wantTokens: 1,
		},
		{
			name: "server echoes the form", respond: func(w http.ResponseWriter, r *http.Request) {
				b, _ := io.ReadAll(r.Body)
				w.WriteHeader(400)
				fmt.Fprintf(w, "bad form: %s (secret %s)", b, testSecret)
			},
			wantStatus: 400, wantIs: ErrBadRequest, wantTokens: 1, wantInError: "client_secret=" + redacted,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFakeAPI(t)
			f.handle("GET /v3/customers/C1", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, successBody) })
			if tt.respond != nil {
				f.mu.Lock()
				f.tokenErr = func(w http.ResponseWriter) bool { return true }
				f.mu.Unlock()
				f.mux = http.NewServeMux()
				f.mux.HandleFunc("POST /authorization/connect/token", func(w http.ResponseWriter, r *http.Request) {
					f.tokenRequests.Add(1)
					tt.respond(w, r)
				})
				f.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { f.dataRequests.Add(1) })
				f.srv.Config.Handler = f.mux
			}
			secret := testSecret
			if tt.secret != "" {
				secret = tt.secret
			}
			c, err := New(WithCredentials(testClientID, secret), WithSubscriptionKey(testSubKey), WithBaseURL(f.srv.URL), WithRetryPolicy(fastRetry))
			if err != nil {
				t.Fatal(err)
			}
			err = callNoData(c, t.Context(), "getCustomer", newRequest(t, c, "GET", "/v3/customers/C1", nil))
			var te *TokenError
			if !errors.As(err, &te) {
				t.Fatalf("err = %v (%T), want a *TokenError", err, err)
			}
			if tt.wantStatus != 0 {
				if te.APIError == nil || te.APIError.HTTPStatus != tt.wantStatus || te.APIError.Code != tt.wantCode ||
					(tt.wantDesc != "" && te.APIError.Description != tt.wantDesc) {
					t.Errorf("TokenError.APIError = %+v", te.APIError)
				}
			} else if te.APIError != nil || te.Err == nil {
				t.Errorf("TokenError = %+v, want Err and no APIError", te)
			}
			if tt.wantIs != nil && !errors.Is(err, tt.wantIs) {
				t.Errorf("errors.Is(err, %v) = false", tt.wantIs)
			}
			if tt.wantNotIs != nil && errors.Is(err, tt.wantNotIs) {
				t.Errorf("errors.Is(err, %v) = true", tt.wantNotIs)
			}
			if got := f.tokenRequests.Load(); got != tt.wantTokens {
				t.Errorf("token requests = %d, want %d", got, tt.wantTokens)
			}
			if got := f.dataRequests.Load(); got != 0 {
				t.Errorf("data requests = %d, want 0", got)
			}
			msg := err.Error()
			if !strings.Contains(msg, tt.wantInError) || !strings.HasPrefix(msg, "gofive: GET /v3/customers/C1 (getCustomer): ") {
				t.Errorf("error = %q, want it to contain %q", msg, tt.wantInError)
			}
			assertNoSecrets(t, "error", msg, secret)
			if te.APIError != nil {
				assertNoSecrets(t, "body", string(te.APIError.Body), secret)
			}
		})
	}
}

func TestTokenEndpointUnreachable(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := "http://" + ln.Addr().String() + "/connect/token"
	ln.Close()
	f := newFakeAPI(t)
	c := newTestClient(t, f, WithTokenURL(dead))
	err = callNoData(c, t.Context(), "getCustomer", newRequest(t, c, "GET", "/v3/customers/C1", nil))
	var te *TokenError
	if !errors.As(err, &te) || te.APIError != nil || !te.network {
		t.Fatalf("err = %v, want a network *TokenError", err)
	}
	var opErr *net.OpError
	if !errors.As(err, &opErr) {
		t.Errorf("errors.As(*net.OpError) = false for %v", err)
	}
	// Retried like any connection error, each attempt re-authenticating.
	if !strings.Contains(err.Error(), "giving up after 4 attempts") {
		t.Errorf("err = %v", err)
	}
}

func TestTokenWaitRespectsContext(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		f := newMemFakeAPI(t)
		release := make(chan struct{})
		f.mu.Lock()
		f.tokenErr = func(http.ResponseWriter) bool { <-release; return false }
		f.mu.Unlock()
		f.handle("GET /v3/customers/C1", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, successBody) })
		c := newTestClient(t, f)

		ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
		defer cancel()
		start := time.Now()
		err := callNoData(c, ctx, "getCustomer", newRequest(t, c, "GET", "/v3/customers/C1", nil))
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("err = %v, want DeadlineExceeded", err)
		}
		// On the bubble's clock the call returns exactly at the caller's deadline.
		if d := time.Since(start); d != 50*time.Millisecond {
			t.Errorf("returned after %v, want 50ms; the caller should not wait for the token request", d)
		}
		close(release)
		// The detached fetch completes and is cached for the next caller.
		if err := callNoData(c, t.Context(), "getCustomer", newRequest(t, c, "GET", "/v3/customers/C1", nil)); err != nil {
			t.Fatal(err)
		}
		if n := f.tokenRequests.Load(); n != 1 {
			t.Errorf("token requests = %d, want 1", n)
		}
	})
}

func TestTokenFailureIsShared(t *testing.T) {
	t.Parallel()
	synctest.Test(t, testTokenFailureIsShared)
}

func testTokenFailureIsShared(t *testing.T) {
	f := newMemFakeAPI(t)
	f.mu.Lock()
	f.tokenErr = func(w http.ResponseWriter) bool {
		time.Sleep(50 * time.Millisecond) // callers pile up while the fetch runs
		writeJSON(w, 503, `{}`)
		return true
	}
	f.mu.Unlock()
	f.handle("GET /v3/customers/C1", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, successBody) })
	const attempts = 3
	c := newTestClient(t, f, WithRetryPolicy(RetryPolicy{MaxAttempts: attempts, MinBackoff: time.Millisecond, MaxBackoff: 2 * time.Millisecond}))

	const n = 100
	var wg sync.WaitGroup
	start := make(chan struct{})
	for range n {
		wg.Go(func() {
			<-start
			err := callNoData(c, t.Context(), "getCustomer", newRequest(t, c, "GET", "/v3/customers/C1", nil))
			var te *TokenError
			if !errors.As(err, &te) || !errors.Is(err, ErrServerError) {
				t.Errorf("err = %v, want a *TokenError matching ErrServerError", err)
			}
		})
	}
	close(start)
	wg.Wait()
	// One fetch shared by all callers per round of retries, not one each.
	if got := f.tokenRequests.Load(); got < 1 || got > attempts {
		t.Errorf("token requests = %d for %d concurrent callers, want 1..%d", got, n, attempts)
	}
	if got := f.dataRequests.Load(); got != 0 {
		t.Errorf("data requests = %d", got)
	}

	// Within tokenFailureMemo, a new caller gets the failure without a request.
	before := f.tokenRequests.Load()
	_, _, err := c.tokens.token(t.Context())
	if !errors.Is(err, ErrServerError) || f.tokenRequests.Load() != before {
		t.Errorf("err = %v, token requests %d -> %d; want the remembered failure", err, before, f.tokenRequests.Load())
	}
}

// TestAbandonedTokenWaitsShareOneFetch: callers that give up waiting for a token leave no
// goroutine behind, and share the one fetch still in flight.
func TestAbandonedTokenWaitsShareOneFetch(t *testing.T) { // not parallel: counts goroutines
	synctest.Test(t, func(t *testing.T) {
		f := newMemFakeAPI(t)
		release := make(chan struct{})
		t.Cleanup(func() { close(release) }) // runs before the server closes
		f.mu.Lock()
		f.tokenErr = func(http.ResponseWriter) bool { <-release; return false }
		f.mu.Unlock()
		f.handle("GET /v3/customers/C1", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, successBody) })
		c := newTestClient(t, f)

		synctest.Wait()
		before := runtime.NumGoroutine()
		var wg sync.WaitGroup
		for range 20 {
			wg.Go(func() {
				ctx, cancel := context.WithTimeout(t.Context(), 30*time.Millisecond)
				defer cancel()
				err := callNoData(c, ctx, "getCustomer", newRequest(t, c, "GET", "/v3/customers/C1", nil))
				if !errors.Is(err, context.DeadlineExceeded) {
					t.Errorf("err = %v, want DeadlineExceeded", err)
				}
			})
		}
		wg.Wait()
		time.Sleep(tokenFetchTimeout - time.Second) // long after every caller gave up, before the fetch's own timeout
		synctest.Wait()
		if got := f.tokenRequests.Load(); got != 1 {
			t.Errorf("token requests = %d, want the 1 fetch still in flight", got)
		}
		// The fetch (and its connection) is all that is left: no goroutine per
		// abandoned caller.
		if delta := runtime.NumGoroutine() - before; delta > 8 {
			t.Errorf("%d more goroutines after 20 abandoned token waits", delta)
		}

		// When the token endpoint answers, the one fetch serves later callers.
		release <- struct{}{}
		if err := callNoData(c, t.Context(), "getCustomer", newRequest(t, c, "GET", "/v3/customers/C1", nil)); err != nil {
			t.Fatal(err)
		}
		if got := f.tokenRequests.Load(); got != 1 {
			t.Errorf("token requests = %d, want 1", got)
		}
	})
}

func TestRecentTokensAreRedacted(t *testing.T) {
	t.Parallel()
	const first, second = "eyJhbGciOiJSUzI1NiJ9.caller+Token/One=", "eyJhbGciOiJSUzI1NiJ9.caller+Token/Two="
	esc := strings.NewReplacer("+", `\u002B`, "/", `\/`)
	// The server echoes every token it has been sent, raw (no "Bearer "
	// before it) and JSON-escaped.
	newEcho := func() http.HandlerFunc {
		var mu sync.Mutex
		var seen []string
		return func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			seen = append(seen, strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer "))
			var raw, escaped []string
			for _, tok := range seen {
				raw, escaped = append(raw, tok), append(escaped, `"`+esc.Replace(tok)+`"`)
			}
			mu.Unlock()
			writeJSON(w, 403, `{"status":{"code":"4001","description":"tokens `+strings.Join(raw, " ")+` have no access"},"data":[`+strings.Join(escaped, ",")+`]}`)
		}
	}
	var calls atomic.Int32
	rotating := tokenSourceFunc(func() (*oauth2.Token, error) {
		if calls.Add(1) == 1 {
			return &oauth2.Token{AccessToken: first}, nil
		}
		return &oauth2.Token{AccessToken: second}, nil
	})
	tests := []struct {
		name string
		src  oauth2.TokenSource
	}{
		{"caller source, rotating", rotating},
		{"caller reuse source", oauth2.ReuseTokenSource(nil, oauth2.StaticTokenSource(&oauth2.Token{AccessToken: first}))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(newEcho())
			t.Cleanup(srv.Close)
			c, err := New(WithTokenSource(tt.src), WithSubscriptionKey(testSubKey), WithBaseURL(srv.URL), WithRetryPolicy(fastRetry))
			if err != nil {
				t.Fatal(err)
			}
			for i := range 3 {
				err := callNoData(c, t.Context(), "getCustomer", newRequest(t, c, "GET", "/v3/customers/C1", nil))
				var apiErr *APIError
				if !errors.As(err, &apiErr) {
					t.Fatalf("err = %v", err)
				}
				for _, s := range append([]string{err.Error(), string(apiErr.Body)}, apiErr.Errors...) {
					for _, part := range []string{"One=", "Two=", `Token\/`, "caller+Token"} {
						if strings.Contains(s, part) {
							t.Errorf("call %d: token (%q) in %s", i+1, part, s)
						}
					}
				}
			}
		})
	}

	// Tokens the client fetched itself, the current one and the one before.
	f := newFakeAPI(t)
	var hits atomic.Int32
	f.handle("GET /v3/customers/C1", func(w http.ResponseWriter, r *http.Request) {
		if hits.Add(1) == 1 {
			f.revokeAll()
			writeJSON(w, 401, `{"statusCode":401,"message":"User authentication required V2."}`)
			return
		}
		writeJSON(w, 400, `{"message":"tokens `+tokenPrefix+`1= and `+tokenPrefix+`2=","errors":["`+strings.ReplaceAll(tokenPrefix, "/", `\/`)+`1="]}`)
	})
	c := newTestClient(t, f)
	err := callNoData(c, t.Context(), "getCustomer", newRequest(t, c, "GET", "/v3/customers/C1", nil))
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.HTTPStatus != 400 || f.tokenRequests.Load() != 2 {
		t.Fatalf("err = %v after %d token requests", err, f.tokenRequests.Load())
	}
	assertNoSecrets(t, "error", err.Error())
	assertNoSecrets(t, "body", string(apiErr.Body))
	if strings.Contains(string(apiErr.Body), `tok+en\/`) {
		t.Errorf("escaped token in body: %s", apiErr.Body)
	}
}

func TestCallerTokenSourceError(t *testing.T) {
	t.Parallel()
	f := newFakeAPI(t)
	boom := errors.New("vault unavailable")
	c, err := New(WithTokenSource(tokenSourceFunc(func() (*oauth2.Token, error) { return nil, boom })),
		WithSubscriptionKey(testSubKey), WithBaseURL(f.srv.URL), WithRetryPolicy(fastRetry))
	if err != nil {
		t.Fatal(err)
	}
	err = callNoData(c, t.Context(), "getCustomer", newRequest(t, c, "GET", "/v3/customers/C1", nil))
	var te *TokenError
	if !errors.As(err, &te) || !errors.Is(err, boom) {
		t.Fatalf("err = %v, want a *TokenError wrapping the source's error", err)
	}
	if strings.Contains(err.Error(), "giving up") {
		t.Errorf("a caller source error should not be retried: %v", err)
	}

	c, err = New(WithTokenSource(tokenSourceFunc(func() (*oauth2.Token, error) { return &oauth2.Token{}, nil })),
		WithSubscriptionKey(testSubKey), WithBaseURL(f.srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	err = callNoData(c, t.Context(), "getCustomer", newRequest(t, c, "GET", "/v3/customers/C1", nil))
	if !errors.As(err, &te) || !strings.Contains(err.Error(), "empty token") {
		t.Errorf("empty token: %v", err)
	}
}

func TestCredentialsStayOnTheAPIHost(t *testing.T) {
	t.Parallel()
	var leaked atomic.Value
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "" || r.Header.Get(subscriptionKeyHeader) != "" {
			leaked.Store(r.Header.Clone())
		}
		writeJSON(w, 200, successBody)
	}))
	t.Cleanup(other.Close)
	f := newFakeAPI(t)
	f.handle("GET /v1/files/1", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+"/download/1", http.StatusFound)
	})
	c := newTestClient(t, f)

	// A redirect off the API host is followed by HTTPClient() without credentials.
	req, _ := http.NewRequestWithContext(t.Context(), "GET", c.BaseURL()+"v1/files/1", nil)
	resp, err := c.HTTPClient().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Request.URL.Host != strings.TrimPrefix(other.URL, "http://") {
		t.Errorf("redirect: status %d, final URL %v", resp.StatusCode, resp.Request.URL)
	}
	if h := leaked.Load(); h != nil {
		t.Errorf("credentials sent to another host: %v", h)
	}

	// A request built for another host is refused outright, and not retried.
	req, _ = http.NewRequestWithContext(t.Context(), "GET", other.URL+"/v3/customers", nil)
	_, err = c.HTTPClient().Do(req)
	if !errors.Is(err, errForeignHost) {
		t.Errorf("foreign host: err = %v", err)
	}
	if h := leaked.Load(); h != nil {
		t.Errorf("credentials sent to another host: %v", h)
	}
	if f.tokenRequests.Load() != 1 {
		t.Errorf("token requests = %d", f.tokenRequests.Load())
	}

	// The call path does not follow redirects at all: a 3xx is an error.
	err = callNoData(c, t.Context(), "getFile", newRequest(t, c, "GET", "/v1/files/1", nil))
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.HTTPStatus != http.StatusFound {
		t.Errorf("call to a redirecting path: %v", err)
	}
}

func TestOriginOf(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"https://API.gofive.co.th/v1":     "https://api.gofive.co.th",
		"https://api.gofive.co.th:443/v1": "https://api.gofive.co.th",
		"http://127.0.0.1:80/":            "http://127.0.0.1",
		"http://127.0.0.1:8080/":          "http://127.0.0.1:8080",
		"http://[::1]:9000/x":             "http://[::1]:9000",
		"HTTPS://h":                       "https://h",
	}
	for in, want := range tests {
		u, _ := url.Parse(in)
		if got := originOf(u); got != want {
			t.Errorf("originOf(%q) = %q, want %q", in, got, want)
		}
	}
	if originOf(nil) != "" {
		t.Error("originOf(nil)")
	}
}

// assertNoSecrets fails if s contains any test secret, raw or encoded.
func assertNoSecrets(t *testing.T, what, s string, extra ...string) {
	t.Helper()
	for _, secret := range append([]string{testSecret, testSubKey}, extra...) {
		for _, form := range []string{secret, url.QueryEscape(secret), url.PathEscape(secret)} {
			if strings.Contains(s, form) {
				t.Errorf("%s contains a secret (%q): %s", what, form, s)
			}
		}
	}
	if bytes.Contains([]byte(s), []byte("Bearer "+tokenPrefix)) || strings.Contains(s, tokenPrefix) {
		t.Errorf("%s contains a bearer token: %s", what, s)
	}
}
