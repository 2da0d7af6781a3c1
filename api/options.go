package api

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/oauth2"
)

// Defaults used when the matching option is not given.
const (
	DefaultBaseURL          = "https://api.gofive.co.th"
	DefaultTokenPath        = "authorization/connect/token" // resolved against the base URL
	DefaultRefreshMargin    = 60 * time.Second
	DefaultMaxResponseBytes = 32 << 20
)

// Environment variables read by [NewFromEnv].
const (
	EnvClientID        = "GOFIVE_CLIENT_ID"
	EnvClientSecret    = "GOFIVE_CLIENT_SECRET"
	EnvSubscriptionKey = "GOFIVE_SUBSCRIPTION_KEY"
	EnvBaseURL         = "GOFIVE_BASE_URL"
)

// An Option configures a [Client]. Options validate their arguments, and
// [New] returns the first error. Error messages never contain secret values.
type Option func(*config) error

type config struct {
	clientID, clientSecret string
	credsFromEnv           bool
	subscriptionKey        string
	fromEnv                bool

	baseURL  string
	tokenURL string

	httpClient       *http.Client
	retry            RetryPolicy
	logger           *slog.Logger
	userAgent        string
	timeout          time.Duration
	staticToken      string
	tokenSource      oauth2.TokenSource
	refreshMargin    time.Duration
	refreshMarginSet bool
	maxResponseBytes int64

	maxPages int // WithMaxPages; 0 means DefaultMaxPages
}

func optionError(option, format string, args ...any) error {
	return fmt.Errorf("gofive: %s: %s", option, fmt.Sprintf(format, args...))
}

// WithCredentials sets the OAuth2 client ID and secret issued at partner
// onboarding. The client fetches, caches and refreshes bearer tokens with them.
func WithCredentials(clientID, clientSecret string) Option {
	return func(c *config) error {
		if strings.TrimSpace(clientID) == "" {
			return optionError("WithCredentials", "client ID is empty")
		}
		if strings.TrimSpace(clientSecret) == "" {
			return optionError("WithCredentials", "client secret is empty")
		}
		c.clientID, c.clientSecret, c.credsFromEnv = clientID, clientSecret, false
		return nil
	}
}

// WithSubscriptionKey sets the Azure API Management subscription key, sent
// as Ocp-Apim-Subscription-Key on every call, the token call included.
func WithSubscriptionKey(key string) Option {
	return func(c *config) error {
		if strings.TrimSpace(key) == "" {
			return optionError("WithSubscriptionKey", "key is empty")
		}
		c.subscriptionKey = key
		return nil
	}
}

// WithBaseURL sets the API's base URL. If not set, [DefaultBaseURL]. A path
// (e.g. a gateway prefix) is kept: operation paths are resolved under it.
func WithBaseURL(u string) Option {
	return func(c *config) error {
		if _, err := parseBaseURL(u); err != nil {
			return optionError("WithBaseURL", "%v", err)
		}
		c.baseURL = u
		return nil
	}
}

// WithTokenURL sets the OAuth2 token endpoint. A relative URL is resolved
// against the base URL. If not set, [DefaultTokenPath] under the base URL.
func WithTokenURL(u string) Option {
	return func(c *config) error {
		if strings.TrimSpace(u) == "" {
			return optionError("WithTokenURL", "URL is empty")
		}
		if strings.Contains(u, "@") { // before parsing: see parseBaseURL
			return optionError("WithTokenURL", "credentials in the URL are not allowed")
		}
		ref, err := url.Parse(u)
		if err != nil {
			return optionError("WithTokenURL", "invalid URL: %v", unwrapURLError(err))
		}
		if ref.IsAbs() {
			if _, err := parseBaseURL(u); err != nil {
				return optionError("WithTokenURL", "%v", err)
			}
		}
		c.tokenURL = u
		return nil
	}
}

// WithHTTPClient takes from hc, for proxies, custom TLS or instrumentation:
//   - Transport, as the bottom of the client's transport chain (auth and
//     retries are layered over it); nil means the tuned default;
//   - Timeout, as if given to [WithTimeout] (which wins when both are set):
//     it bounds each whole call, retries included;
//   - Jar and CheckRedirect, for [Client.HTTPClient] only. The Client's own
//     methods follow no redirect (the API answers none) and keep no cookies.
//
// hc itself is not used or changed.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *config) error {
		if hc == nil {
			return optionError("WithHTTPClient", "client is nil")
		}
		c.httpClient = hc
		return nil
	}
}

// WithRetryPolicy replaces the retry policy. Zero fields take their
// defaults (see [DefaultRetryPolicy]); MaxAttempts 1 disables retries.
func WithRetryPolicy(p RetryPolicy) Option {
	return func(c *config) error {
		if err := p.validate(); err != nil {
			return optionError("WithRetryPolicy", "%v", err)
		}
		c.retry = p
		return nil
	}
}

// WithLogger logs one record per HTTP attempt (method, URL path, status,
// duration, attempt, operation) to l: at slog.LevelDebug, or at
// slog.LevelWarn for a failed attempt (an error or a status of 400 or more),
// a retry and the replay after a 401. A logger at the default Info level
// thus shows only the calls that did not go smoothly. Off by default.
// Headers, tokens and secrets are never logged.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error {
		if l == nil {
			return optionError("WithLogger", "logger is nil")
		}
		c.logger = l
		return nil
	}
}

// WithUserAgent appends s to the User-Agent "gofive-go/<Version>".
func WithUserAgent(s string) Option {
	return func(c *config) error {
		s = strings.TrimSpace(s)
		if s == "" {
			return optionError("WithUserAgent", "user agent is empty")
		}
		if strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
			return optionError("WithUserAgent", "user agent contains control characters")
		}
		c.userAgent = s
		return nil
	}
}

// WithTimeout bounds each whole call, all retries and backoff waits
// included (and, for [Client.HTTPClient], reading the body). A context
// deadline that is earlier still applies. Not set: no limit but the context's.
func WithTimeout(d time.Duration) Option {
	return func(c *config) error {
		if d <= 0 {
			return optionError("WithTimeout", "timeout must be positive, got %v", d)
		}
		c.timeout = d
		return nil
	}
}

// WithStaticToken uses tok as the bearer token instead of fetching one with
// client credentials. The token is never refreshed: once it expires, calls
// fail with [ErrUnauthorized].
func WithStaticToken(tok string) Option {
	return func(c *config) error {
		if strings.TrimSpace(tok) == "" {
			return optionError("WithStaticToken", "token is empty")
		}
		c.staticToken = tok
		return nil
	}
}

// WithTokenSource takes bearer tokens from ts, for callers that manage
// tokens themselves. ts should cache (see oauth2.ReuseTokenSource): it is
// asked for a token on every attempt, and once more after a 401.
func WithTokenSource(ts oauth2.TokenSource) Option {
	return func(c *config) error {
		if ts == nil {
			return optionError("WithTokenSource", "token source is nil")
		}
		c.tokenSource = ts
		return nil
	}
}

// WithTokenRefreshMargin sets how long before expiry a cached token is
// replaced. If not set, [DefaultRefreshMargin]. 0 means at expiry.
func WithTokenRefreshMargin(d time.Duration) Option {
	return func(c *config) error {
		if d < 0 {
			return optionError("WithTokenRefreshMargin", "margin must not be negative, got %v", d)
		}
		c.refreshMargin, c.refreshMarginSet = d, true
		return nil
	}
}

// WithMaxResponseBytes caps the size of a response body the client reads.
// A larger successful response fails with [ErrResponseTooLarge] rather than
// being truncated. If not set, [DefaultMaxResponseBytes] (32 MiB).
func WithMaxResponseBytes(n int64) Option {
	return func(c *config) error {
		if n <= 0 {
			return optionError("WithMaxResponseBytes", "limit must be positive, got %d", n)
		}
		c.maxResponseBytes = n
		return nil
	}
}

// WithMaxPages bounds the pages one XxxAll iterator fetches (default [DefaultMaxPages]).
// An iterator that reaches the bound with a full last page ends with [ErrTooManyPages].
func WithMaxPages(n int) Option {
	return func(c *config) error {
		if n <= 0 {
			return optionError("WithMaxPages", "limit must be positive, got %d", n)
		}
		c.maxPages = n
		return nil
	}
}

// parseBaseURL checks u is an absolute http(s) URL without credentials,
// query or fragment. Errors do not echo u (it could hold a password).
func parseBaseURL(u string) (*url.URL, error) {
	if strings.TrimSpace(u) == "" {
		return nil, errors.New("URL is empty")
	}
	if strings.Contains(u, "@") {
		// User info is refused before parsing: url.Parse's errors (a bad escape, a port)
		// and a misread scheme ("user:password@host") would quote parts of the password.
		// An API base URL has no other use for "@".
		return nil, errors.New("credentials in the URL are not allowed")
	}
	p, err := url.Parse(u)
	if err != nil {
		return nil, fmt.Errorf("invalid URL: %v", unwrapURLError(err))
	}
	switch {
	case p.Scheme != "http" && p.Scheme != "https":
		return nil, fmt.Errorf("scheme must be http or https, got %q", p.Scheme)
	case p.Host == "":
		return nil, errors.New("URL has no host")
	case p.RawQuery != "" || p.Fragment != "":
		return nil, errors.New("URL must not have a query or fragment")
	}
	return p, nil
}

func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}
