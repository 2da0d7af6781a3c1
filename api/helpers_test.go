package api

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gofive-go/gofive/api/gofivetest/memnet"
)

// Secrets deliberately contain + / = & so that encoding mistakes show.
const (
	testClientID = "partner+client/id="
	testSecret   = "s3cr+t/Va1ue==&more"
	testSubKey   = "sub+Key/0123=="
	tokenPrefix  = "tok+en/"
)

// fakeAPI is a loopback Gofive: a token endpoint and data routes that check
// the bearer token and subscription key like the gateway does.
type fakeAPI struct {
	t   *testing.T
	srv *httptest.Server // nil when in memory
	mux *http.ServeMux
	url string            // base URL, no trailing slash
	tr  http.RoundTripper // the in-memory transport, nil on loopback

	expiresIn     atomic.Int64 // seconds; default 3600
	tokenRequests atomic.Int32
	dataRequests  atomic.Int32

	mu          sync.Mutex
	valid       map[string]bool
	tokenBodies []string
	tokenErr    func(w http.ResponseWriter) bool // when set and true, the token call fails
}

func newFakeAPI(t *testing.T) *fakeAPI {
	t.Helper()
	f := &fakeAPI{t: t, mux: http.NewServeMux(), valid: map[string]bool{}}
	f.expiresIn.Store(3600)
	f.mux.HandleFunc("POST /authorization/connect/token", f.token)
	f.srv = httptest.NewServer(f.mux)
	f.url = f.srv.URL
	t.Cleanup(f.srv.Close)
	return f
}

// newMemFakeAPI is newFakeAPI on an in-memory network, for tests in a synctest bubble (a
// loopback socket would keep the bubble's clock from advancing). newTestClient dials it.
func newMemFakeAPI(t *testing.T) *fakeAPI {
	t.Helper()
	f := &fakeAPI{t: t, mux: http.NewServeMux(), valid: map[string]bool{}}
	f.expiresIn.Store(3600)
	f.mux.HandleFunc("POST /authorization/connect/token", f.token)
	f.url, f.tr = memnet.Serve(t, f.mux)
	return f
}

// options are the options that reach f: its base URL, and its transport when in memory.
func (f *fakeAPI) options() []Option {
	opts := []Option{WithBaseURL(f.url)}
	if f.tr != nil {
		opts = append(opts, WithHTTPClient(&http.Client{Transport: f.tr}))
	}
	return opts
}

func (f *fakeAPI) token(w http.ResponseWriter, r *http.Request) {
	n := f.tokenRequests.Add(1)
	raw, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	f.tokenBodies = append(f.tokenBodies, string(raw))
	fail := f.tokenErr
	f.mu.Unlock()
	if r.Header.Get(subscriptionKeyHeader) != testSubKey {
		writeJSON(w, 401, `{"statusCode":401,"message":"Access denied due to missing subscription key."}`)
		return
	}
	if fail != nil && fail(w) {
		return
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/x-www-form-urlencoded" {
		writeJSON(w, 400, `{"error":"invalid_request","error_description":"bad content type"}`)
		return
	}
	if err := parseFormBody(r, raw); err != nil || r.Form.Get("grant_type") != "client_credentials" ||
		r.Form.Get("client_id") != testClientID || r.Form.Get("client_secret") != testSecret {
		writeJSON(w, 401, `{"error":"invalid_client","error_description":"Client authentication failed."}`)
		return
	}
	tok := fmt.Sprintf("%s%d=", tokenPrefix, n)
	f.mu.Lock()
	f.valid[tok] = true
	f.mu.Unlock()
	writeJSON(w, 200, fmt.Sprintf(`{"access_token":%q,"expires_in":%d,"token_type":"Bearer","scope":"Venio2.API"}`, tok, f.expiresIn.Load()))
}

func parseFormBody(r *http.Request, raw []byte) error {
	r.Body = io.NopCloser(strings.NewReader(string(raw)))
	return r.ParseForm()
}

// revokeAll makes every issued token invalid, as if the server rotated keys.
func (f *fakeAPI) revokeAll() {
	f.mu.Lock()
	defer f.mu.Unlock()
	for k := range f.valid {
		f.valid[k] = false
	}
}

// authorized checks the credentials like the gateway: missing or wrong
// subscription key or token gets the gateway's 401 body.
func (f *fakeAPI) authorized(w http.ResponseWriter, r *http.Request) bool {
	if r.Header.Get(subscriptionKeyHeader) != testSubKey {
		writeJSON(w, 401, `{"statusCode":401,"message":"Access denied due to invalid subscription key. Make sure to provide a valid key for an active subscription."}`)
		return false
	}
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	f.mu.Lock()
	valid := ok && f.valid[tok]
	f.mu.Unlock()
	if !valid {
		writeJSON(w, 401, `{"statusCode":401,"message":"User authentication required V2."}`)
		return false
	}
	if ua := r.Header.Get("User-Agent"); !strings.HasPrefix(ua, "gofive-go/"+Version) {
		f.t.Errorf("User-Agent = %q", ua)
	}
	return true
}

// handle registers an authenticated data route.
func (f *fakeAPI) handle(pattern string, h http.HandlerFunc) {
	f.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		f.dataRequests.Add(1)
		if !f.authorized(w, r) {
			return
		}
		h(w, r)
	})
}

func (f *fakeAPI) tokenBody(i int) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	if i >= len(f.tokenBodies) {
		return ""
	}
	return f.tokenBodies[i]
}

func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

const successBody = `{"status":{"code":"1000","description":"Success"},"data":{"customerCode":"C000349","customerName":"Acme"}}`

// fastRetry keeps retry tests quick.
var fastRetry = RetryPolicy{MinBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond}

// newTestClient returns a Client for f with client credentials and fast retries.
func newTestClient(t *testing.T, f *fakeAPI, opts ...Option) *Client {
	t.Helper()
	base := append([]Option{
		WithCredentials(testClientID, testSecret),
		WithSubscriptionKey(testSubKey),
		WithRetryPolicy(fastRetry),
	}, f.options()...)
	c, err := New(append(base, opts...)...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(c.CloseIdleConnections)
	return c
}

// newRequest builds a request the way generated code does.
func newRequest(t *testing.T, c *Client, method, path string, body io.Reader) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, c.BaseURL()+strings.TrimPrefix(path, "/"), body)
	if err != nil {
		t.Fatal(err)
	}
	return req
}

type customer struct {
	CustomerCode string `json:"customerCode"`
	CustomerName string `json:"customerName"`
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// warmToken fetches the token up front so timing assertions measure only
// the data calls.
func warmToken(t *testing.T, c *Client) {
	t.Helper()
	if _, _, err := c.tokens.token(t.Context()); err != nil {
		t.Fatalf("token: %v", err)
	}
}
