package api

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"golang.org/x/oauth2"
)

func TestNewOptionErrors(t *testing.T) {
	t.Parallel()
	creds := WithCredentials("id", "secret")
	key := WithSubscriptionKey("key")
	tests := []struct {
		name string
		opts []Option
		want string
	}{
		{"no options", nil, "missing configuration: client credentials (use WithCredentials, WithStaticToken or WithTokenSource); subscription key (use WithSubscriptionKey)"},
		{"no key", []Option{creds}, "subscription key (use WithSubscriptionKey)"},
		{"no credentials", []Option{key}, "client credentials"},
		{"empty client id", []Option{WithCredentials(" ", "x"), key}, "WithCredentials: client ID is empty"},
		{"empty secret", []Option{WithCredentials("x", ""), key}, "WithCredentials: client secret is empty"},
		{"empty key", []Option{creds, WithSubscriptionKey("")}, "WithSubscriptionKey: key is empty"},
		{"empty base", []Option{creds, key, WithBaseURL("")}, "WithBaseURL: URL is empty"},
		{"bad scheme", []Option{creds, key, WithBaseURL("ftp://x")}, `scheme must be http or https, got "ftp"`},
		{"relative base", []Option{creds, key, WithBaseURL("/v1")}, "scheme must be http or https"},
		{"no host", []Option{creds, key, WithBaseURL("https://")}, "URL has no host"},
		{"base with query", []Option{creds, key, WithBaseURL("https://h/?a=b")}, "must not have a query"},
		{"base with password", []Option{creds, key, WithBaseURL("https://u:pw@h")}, "credentials in the URL are not allowed"},
		{"unparsable base", []Option{creds, key, WithBaseURL("https://h/%zz")}, "invalid URL"},
		{"empty token url", []Option{creds, key, WithTokenURL(" ")}, "WithTokenURL: URL is empty"},
		{"token url password", []Option{creds, key, WithTokenURL("https://u:pw@h/t")}, "credentials in the URL"},
		{"token url bad scheme", []Option{creds, key, WithTokenURL("ftp://h/t")}, "scheme must be http or https"},
		{"token url unparsable", []Option{creds, key, WithTokenURL("%zz")}, "invalid URL"},
		{"nil http client", []Option{creds, key, WithHTTPClient(nil)}, "WithHTTPClient: client is nil"},
		{"negative attempts", []Option{creds, key, WithRetryPolicy(RetryPolicy{MaxAttempts: -1})}, "MaxAttempts must not be negative"},
		{"negative backoff", []Option{creds, key, WithRetryPolicy(RetryPolicy{MinBackoff: -1})}, "durations must not be negative"},
		{"min above max", []Option{creds, key, WithRetryPolicy(RetryPolicy{MinBackoff: 2 * time.Second, MaxBackoff: time.Second})}, "MinBackoff 2s exceeds MaxBackoff 1s"},
		{"nil logger", []Option{creds, key, WithLogger(nil)}, "WithLogger: logger is nil"},
		{"empty user agent", []Option{creds, key, WithUserAgent(" ")}, "WithUserAgent: user agent is empty"},
		{"user agent injection", []Option{creds, key, WithUserAgent("a\r\nX-Evil: 1")}, "control characters"},
		{"zero timeout", []Option{creds, key, WithTimeout(0)}, "WithTimeout: timeout must be positive"},
		{"empty static token", []Option{key, WithStaticToken("")}, "WithStaticToken: token is empty"},
		{"nil token source", []Option{key, WithTokenSource(nil)}, "WithTokenSource: token source is nil"},
		{"negative margin", []Option{creds, key, WithTokenRefreshMargin(-time.Second)}, "margin must not be negative"},
		{"zero max bytes", []Option{creds, key, WithMaxResponseBytes(0)}, "WithMaxResponseBytes: limit must be positive"},
		{"static and source", []Option{key, WithStaticToken("t"), WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "t"}))}, "mutually exclusive"},
		{"credentials and static", []Option{creds, key, WithStaticToken("t")}, "WithCredentials cannot be combined"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := New(tt.opts...)
			if err == nil {
				t.Fatalf("New() = %v, nil; want error containing %q", c, tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "gofive: ") {
				t.Errorf("error = %q\nwant it to contain %q", err, tt.want)
			}
			for _, secret := range []string{"secret", "pw"} {
				if strings.Contains(err.Error(), ":"+secret+"@") || strings.Contains(err.Error(), `"`+secret+`"`) {
					t.Errorf("error %q leaks a value", err)
				}
			}
		})
	}
}

func TestNewDefaults(t *testing.T) {
	t.Parallel()
	c, err := New(WithCredentials("id", "secret"), WithSubscriptionKey("key"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := c.BaseURL(); got != DefaultBaseURL+"/" {
		t.Errorf("BaseURL() = %q", got)
	}
	if got := c.tokenURL.String(); got != "https://api.gofive.co.th/authorization/connect/token" {
		t.Errorf("token URL = %q", got)
	}
	if c.maxBody != DefaultMaxResponseBytes || c.timeout != 0 || c.logger != nil {
		t.Errorf("maxBody=%d timeout=%v logger=%v", c.maxBody, c.timeout, c.logger)
	}
	bt, ok := c.base.(*http.Transport)
	if !ok || bt.MaxIdleConnsPerHost != 256 || bt == http.DefaultTransport {
		t.Errorf("base transport = %T %+v, want a tuned clone", c.base, bt)
	}
	rt := c.retry
	if p := rt.policy; p.MaxAttempts != 4 || p.MinBackoff != 200*time.Millisecond || p.MaxBackoff != 5*time.Second ||
		p.MaxRetryAfter != 30*time.Second || p.RetryPOST || p.CheckRetry == nil || p.Backoff == nil {
		t.Errorf("retry policy = %+v", p)
	}
	if rt, ok := c.HTTPClient().Transport.(*redactTransport); !ok || rt.base != c.retry {
		t.Error("HTTPClient() does not use the retry/auth chain")
	}
}

func TestURLResolution(t *testing.T) {
	t.Parallel()
	tests := []struct {
		base, token         string
		wantBase, wantToken string
	}{
		{"https://api.gofive.co.th", "", "https://api.gofive.co.th/", "https://api.gofive.co.th/authorization/connect/token"},
		{"https://gw.example/venio/api/gateway", "", "https://gw.example/venio/api/gateway/", "https://gw.example/venio/api/gateway/authorization/connect/token"},
		{"https://gw.example/dev/", "/authorization/Connect/Token", "https://gw.example/dev/", "https://gw.example/authorization/Connect/Token"},
		{"https://gw.example/dev/", "auth/token", "https://gw.example/dev/", "https://gw.example/dev/auth/token"},
		{"https://gw.example", "https://login.example/connect/token", "https://gw.example/", "https://login.example/connect/token"},
	}
	for _, tt := range tests {
		opts := []Option{WithCredentials("id", "s"), WithSubscriptionKey("k"), WithBaseURL(tt.base)}
		if tt.token != "" {
			opts = append(opts, WithTokenURL(tt.token))
		}
		c, err := New(opts...)
		if err != nil {
			t.Fatal(err)
		}
		if c.BaseURL() != tt.wantBase || c.tokenURL.String() != tt.wantToken {
			t.Errorf("New(%q, %q): base %q token %q; want %q %q", tt.base, tt.token, c.BaseURL(), c.tokenURL, tt.wantBase, tt.wantToken)
		}
	}
}

// Not parallel: t.Setenv.
func TestNewFromEnv(t *testing.T) {
	f := newFakeAPI(t)
	f.handle("GET /v3/customers/C1", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, successBody) })

	t.Setenv(EnvClientID, testClientID)
	t.Setenv(EnvClientSecret, testSecret)
	t.Setenv(EnvSubscriptionKey, testSubKey)
	t.Setenv(EnvBaseURL, f.srv.URL)
	c, err := NewFromEnv(WithRetryPolicy(fastRetry))
	if err != nil {
		t.Fatal(err)
	}
	if c.BaseURL() != f.srv.URL+"/" {
		t.Errorf("BaseURL() = %q", c.BaseURL())
	}
	got, err := callJSON[customer](c, t.Context(), "getCustomer", newRequest(t, c, "GET", "/v3/customers/C1", nil))
	if err != nil || got.CustomerCode != "C000349" {
		t.Fatalf("call = %+v, %v", got, err)
	}

	// Explicit options win over the environment.
	c, err = NewFromEnv(WithBaseURL("https://other.example"), WithSubscriptionKey("explicit"))
	if err != nil || c.BaseURL() != "https://other.example/" {
		t.Fatalf("explicit base: %v %v", c, err)
	}
	c, err = NewFromEnv(WithStaticToken("explicit-token"))
	if err != nil {
		t.Fatalf("explicit static token with env credentials: %v", err)
	}
	if !c.tokens.direct {
		t.Error("static token did not replace env credentials")
	}

	// Missing variables are named; values never appear.
	t.Setenv(EnvClientSecret, "")
	t.Setenv(EnvSubscriptionKey, "")
	_, err = NewFromEnv()
	if err == nil {
		t.Fatal("NewFromEnv with missing variables = nil error")
	}
	for _, want := range []string{EnvClientSecret, EnvSubscriptionKey} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %s", err, want)
		}
	}
	if strings.Contains(err.Error(), EnvClientID+",") || strings.Contains(err.Error(), testClientID) {
		t.Errorf("error %q names a variable that is set, or a value", err)
	}
	t.Setenv(EnvClientID, "")
	_, err = NewFromEnv(WithSubscriptionKey("k"))
	if err == nil || !strings.Contains(err.Error(), EnvClientID) || !strings.Contains(err.Error(), EnvClientSecret) {
		t.Errorf("error = %v, want both credential variables named", err)
	}

	t.Setenv(EnvBaseURL, "ftp://nope")
	if _, err := NewFromEnv(WithCredentials("a", "b"), WithSubscriptionKey("k")); err == nil || !strings.Contains(err.Error(), EnvBaseURL) {
		t.Errorf("bad %s: %v", EnvBaseURL, err)
	}
	t.Setenv(EnvBaseURL, "")
	if _, err := NewFromEnv(WithTimeout(-1)); err == nil || !strings.Contains(err.Error(), "WithTimeout") {
		t.Errorf("option error from NewFromEnv: %v", err)
	}
}

func TestOptionsApplied(t *testing.T) {
	t.Parallel()
	logger := slog.New(slog.DiscardHandler)
	hc := &http.Client{Transport: http.DefaultTransport}
	c, err := New(WithCredentials("id", "s"), WithSubscriptionKey("k"), WithLogger(logger), WithHTTPClient(hc),
		WithTimeout(time.Minute), WithMaxResponseBytes(10), WithTokenRefreshMargin(0), WithUserAgent("myapp/1.2"),
		WithRetryPolicy(RetryPolicy{MaxAttempts: 1, RetryPOST: true}))
	if err != nil {
		t.Fatal(err)
	}
	if c.base != http.DefaultTransport || c.logger != logger || c.timeout != time.Minute || c.maxBody != 10 || c.hc.Timeout != time.Minute {
		t.Errorf("options not applied: %+v", c)
	}
	p := c.retry.policy
	if p.MaxAttempts != 1 || !p.RetryPOST || p.MinBackoff != 200*time.Millisecond {
		t.Errorf("policy = %+v", p)
	}
	// A WithHTTPClient without a Transport gets the tuned default.
	c, err = New(WithCredentials("id", "s"), WithSubscriptionKey("k"), WithHTTPClient(&http.Client{}))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := c.base.(*http.Transport); !ok {
		t.Errorf("base = %T", c.base)
	}
}

func TestRetryPolicyWithDefaults(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   RetryPolicy
		want [3]time.Duration // min, max, maxRetryAfter
	}{
		{RetryPolicy{}, [3]time.Duration{200 * time.Millisecond, 5 * time.Second, 30 * time.Second}},
		{RetryPolicy{MaxBackoff: 50 * time.Millisecond}, [3]time.Duration{50 * time.Millisecond, 50 * time.Millisecond, 30 * time.Second}},
		{RetryPolicy{MinBackoff: 10 * time.Second}, [3]time.Duration{10 * time.Second, 10 * time.Second, 30 * time.Second}},
		{RetryPolicy{MaxRetryAfter: time.Second}, [3]time.Duration{200 * time.Millisecond, 5 * time.Second, time.Second}},
	}
	for _, tt := range tests {
		p := tt.in.withDefaults()
		if got := [3]time.Duration{p.MinBackoff, p.MaxBackoff, p.MaxRetryAfter}; got != tt.want {
			t.Errorf("withDefaults(%+v) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

// TestWithHTTPClientFields: WithHTTPClient's Timeout bounds the Client's own calls (unless
// WithTimeout is given), and its Jar and CheckRedirect reach Client.HTTPClient. On the
// synctest clock, the calls end exactly at their limit.
func TestWithHTTPClientFields(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name        string
		hcTimeout   time.Duration
		withTimeout time.Duration
		want        time.Duration
	}{
		{"hc.Timeout", 2 * time.Second, 0, 2 * time.Second},
		{"WithTimeout wins", 2 * time.Second, time.Second, time.Second},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				f := newMemFakeAPI(t)
				f.handle("GET /v1/slow", func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
				jar, err := cookiejar.New(nil)
				if err != nil {
					t.Fatal(err)
				}
				errRedirect := errors.New("no redirects here")
				hc := &http.Client{Transport: f.tr, Timeout: tt.hcTimeout, Jar: jar,
					CheckRedirect: func(*http.Request, []*http.Request) error { return errRedirect }}
				opts := []Option{WithHTTPClient(hc)}
				if tt.withTimeout > 0 {
					opts = append(opts, WithTimeout(tt.withTimeout))
				}
				c := newTestClient(t, f, opts...)
				warmToken(t, c)
				start := time.Now()
				err = callNoData(c, t.Context(), "slow", newRequest(t, c, "GET", "/v1/slow", nil))
				if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) != tt.want {
					t.Errorf("err = %v after %v, want a deadline error after %v", err, time.Since(start), tt.want)
				}
				got := c.HTTPClient()
				if got.Jar != jar || got.CheckRedirect == nil || got.CheckRedirect(nil, nil) != errRedirect || got.Timeout != tt.want {
					t.Errorf("HTTPClient() = %+v: want hc's Jar and CheckRedirect, Timeout %v", got, tt.want)
				}
			})
		})
	}
}
