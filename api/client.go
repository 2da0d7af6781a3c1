package api

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"
)

// Client calls the Gofive API. It is safe for concurrent use; create one
// per set of credentials and share it (it caches the bearer token and pools
// connections).
//
// Each service groups the operations of one docs navigation group; its
// methods are generated from the spec (operations.gen.go).
type Client struct {
	Auth          *AuthService          // the OAuth2 token endpoint
	Cases         *CasesService         // service tickets
	Contracts     *ContractsService     // contracts and service agreements
	Conversations *ConversationsService // conversations
	Customers     *CustomersService     // customers, their events and satisfaction
	Deals         *DealsService         // deals
	Employees     *EmployeesService     // employees
	Expenses      *ExpensesService      // expenses
	Products      *ProductsService      // products, units, stock, serial numbers and tickets
	Quotations    *QuotationsService    // quotations, and their conversion to sales orders
	SalesOrders   *SalesOrdersService   // sales orders and their payments
	Settings      *SettingsService      // settings (the header template)

	baseURL  *url.URL // always ends in "/"
	baseStr  string   // baseURL.String(), built once: every generated call asks for it
	tokenURL *url.URL
	retry    *retryTransport // the chain: retry(auth(log(base)))
	base     http.RoundTripper
	hc       *http.Client
	timeout  time.Duration
	maxBody  int64
	maxPages int // WithMaxPages; 0 means DefaultMaxPages
	logger   *slog.Logger
	redact   *redactor
	tokens   *tokenManager
}

// New returns a Client configured by opts. It needs a subscription key
// ([WithSubscriptionKey]) and a way to authenticate: [WithCredentials],
// [WithStaticToken] or [WithTokenSource].
func New(opts ...Option) (*Client, error) {
	var cfg config
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(&cfg); err != nil {
			return nil, err
		}
	}
	return newClient(&cfg)
}

// NewFromEnv is [New] with configuration read from the environment:
// GOFIVE_CLIENT_ID, GOFIVE_CLIENT_SECRET, GOFIVE_SUBSCRIPTION_KEY and
// GOFIVE_BASE_URL. Options given explicitly win over the environment.
func NewFromEnv(opts ...Option) (*Client, error) {
	cfg := config{fromEnv: true}
	cfg.clientID = os.Getenv(EnvClientID)
	cfg.clientSecret = os.Getenv(EnvClientSecret)
	cfg.credsFromEnv = true
	if k := os.Getenv(EnvSubscriptionKey); k != "" {
		cfg.subscriptionKey = k
	}
	if u := os.Getenv(EnvBaseURL); u != "" {
		if _, err := parseBaseURL(u); err != nil {
			return nil, fmt.Errorf("gofive: %s: %v", EnvBaseURL, err)
		}
		cfg.baseURL = u
	}
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(&cfg); err != nil {
			return nil, err
		}
	}
	// An explicit token option replaces credentials from the environment.
	if cfg.credsFromEnv && (cfg.staticToken != "" || cfg.tokenSource != nil) {
		cfg.clientID, cfg.clientSecret = "", ""
	}
	return newClient(&cfg)
}

func newClient(cfg *config) (*Client, error) {
	if err := cfg.checkComplete(); err != nil {
		return nil, err
	}
	if cfg.baseURL == "" {
		cfg.baseURL = DefaultBaseURL
	}
	base, err := parseBaseURL(cfg.baseURL)
	if err != nil {
		return nil, fmt.Errorf("gofive: base URL: %v", err)
	}
	if !strings.HasSuffix(base.Path, "/") {
		base.Path += "/"
		if base.RawPath != "" {
			base.RawPath += "/"
		}
	}
	tokenRef := cfg.tokenURL
	if tokenRef == "" {
		tokenRef = DefaultTokenPath
	}
	ref, err := url.Parse(tokenRef)
	if err != nil {
		return nil, fmt.Errorf("gofive: token URL: %v", unwrapURLError(err))
	}
	tokenURL := base.ResolveReference(ref)

	if !cfg.refreshMarginSet {
		cfg.refreshMargin = DefaultRefreshMargin
	}
	if cfg.maxResponseBytes == 0 {
		cfg.maxResponseBytes = DefaultMaxResponseBytes
	}
	if cfg.timeout == 0 && cfg.httpClient != nil {
		cfg.timeout = cfg.httpClient.Timeout // WithHTTPClient's Timeout, unless WithTimeout says otherwise
	}

	c := &Client{
		baseURL:  base,
		baseStr:  base.String(),
		tokenURL: tokenURL,
		timeout:  cfg.timeout,
		maxBody:  cfg.maxResponseBytes,
		maxPages: cfg.maxPages,
		logger:   cfg.logger,
		redact:   newRedactor(cfg.clientSecret, cfg.subscriptionKey, cfg.staticToken),
	}

	if cfg.httpClient != nil && cfg.httpClient.Transport != nil {
		c.base = cfg.httpClient.Transport
	} else {
		c.base = newBaseTransport()
	}
	var attempt http.RoundTripper = c.base
	if c.logger != nil {
		attempt = &logTransport{base: attempt, logger: c.logger, redact: c.redact}
	}
	ua := userAgent
	if cfg.userAgent != "" {
		ua += " " + cfg.userAgent
	}

	switch {
	case cfg.staticToken != "":
		c.tokens = newStaticTokens(cfg.staticToken)
	case cfg.tokenSource != nil:
		c.tokens = newCallerTokens(cfg.tokenSource)
	default:
		tokenClient := &http.Client{
			Transport: &subscriptionKeyTransport{base: attempt, key: cfg.subscriptionKey, userAgent: ua, origin: originOf(tokenURL)},
			// The token request carries the client secret: never follow a redirect with it.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
			Timeout:       tokenFetchTimeout,
		}
		c.tokens = newManagedTokens(cfg.clientID, cfg.clientSecret, tokenURL, tokenClient, cfg.refreshMargin, c.redact)
	}

	c.redact.tokens = c.tokens.known
	c.tokens.redact = c.redact

	auth := &authTransport{
		base:      attempt,
		tokens:    c.tokens,
		key:       cfg.subscriptionKey,
		userAgent: ua,
		origin:    originOf(base),
		scheme:    base.Scheme,
		host:      base.Host,
		keyValue:  []string{cfg.subscriptionKey},
		uaValue:   []string{ua},
	}
	c.retry = newRetryTransport(auth, cfg.retry.withDefaults())
	c.hc = &http.Client{Transport: &redactTransport{base: c.retry, redact: c.redact}, Timeout: cfg.timeout}
	if cfg.httpClient != nil {
		c.hc.Jar, c.hc.CheckRedirect = cfg.httpClient.Jar, cfg.httpClient.CheckRedirect
	}
	c.initServices()
	return c, nil
}

// checkComplete names every missing setting (never a value), in the words
// the caller used: options for New, variables for NewFromEnv.
func (cfg *config) checkComplete() error {
	if cfg.staticToken != "" && cfg.tokenSource != nil {
		return errors.New("gofive: WithStaticToken and WithTokenSource are mutually exclusive")
	}
	tokenOption := cfg.staticToken != "" || cfg.tokenSource != nil
	if tokenOption && cfg.clientID != "" && !cfg.credsFromEnv {
		return errors.New("gofive: WithCredentials cannot be combined with WithStaticToken or WithTokenSource")
	}
	var missing []string
	if !tokenOption {
		switch {
		case !cfg.fromEnv && cfg.clientID == "":
			missing = append(missing, "client credentials (use WithCredentials, WithStaticToken or WithTokenSource)")
		case cfg.fromEnv:
			if cfg.clientID == "" {
				missing = append(missing, EnvClientID)
			}
			if cfg.clientSecret == "" {
				missing = append(missing, EnvClientSecret)
			}
		}
	}
	if cfg.subscriptionKey == "" {
		if cfg.fromEnv {
			missing = append(missing, EnvSubscriptionKey)
		} else {
			missing = append(missing, "subscription key (use WithSubscriptionKey)")
		}
	}
	if len(missing) == 0 {
		return nil
	}
	if cfg.fromEnv {
		return fmt.Errorf("gofive: missing configuration: %s is not set (or pass the matching option: WithCredentials, WithSubscriptionKey)",
			strings.Join(missing, ", "))
	}
	return fmt.Errorf("gofive: missing configuration: %s", strings.Join(missing, "; "))
}

// newBaseTransport is http.DefaultTransport tuned for many concurrent calls
// to one host: the default keeps only 2 idle connections per host.
func newBaseTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = 512
	t.MaxIdleConnsPerHost = 256
	t.IdleConnTimeout = 90 * time.Second
	return t
}

// BaseURL returns the API base URL, always ending in "/", ready to pass to
// the generated gen.NewXxxRequest functions.
func (c *Client) BaseURL() string { return c.baseStr }

// HTTPClient returns an *http.Client that authenticates and retries like the
// Client's own calls, for the generated client:
//
//	gen.NewClientWithResponses(c.BaseURL(), gen.WithHTTPClient(c.HTTPClient()))
//
// It adds credentials only to requests for the base URL's host. Responses
// are not unwrapped: see [DecodeResponse].
func (c *Client) HTTPClient() *http.Client { return c.hc }

// CloseIdleConnections closes idle pooled connections of the base transport.
func (c *Client) CloseIdleConnections() {
	if ci, ok := c.base.(interface{ CloseIdleConnections() }); ok {
		ci.CloseIdleConnections()
	}
}
