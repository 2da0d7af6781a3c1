package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/gofive-go/gofive/api"
	"github.com/gofive-go/gofive/api/gofivetest"
)

// Hooks the tests replace (before any test runs) to make output deterministic.
var (
	// getenv reads the GOFIVE_* variables.
	getenv = os.Getenv
	// fakeOptions configures the built-in fake server.
	fakeOptions []gofivetest.Option
	// now is the CLI's clock (token expiry).
	now = time.Now
	// displayZone is the zone times are printed in.
	displayZone = time.Local
)

// connFlags are the connection settings shared by call, token and demo.
type connFlags struct {
	clientID, clientSecret, subscriptionKey, baseURL string
	timeout                                          time.Duration
	verbose                                          bool
}

func (c *connFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&c.clientID, "client-id", "", "OAuth2 client id (default $"+api.EnvClientID+")")
	fs.StringVar(&c.clientSecret, "client-secret", "", "client secret (default $"+api.EnvClientSecret+"; prefer the variable: flags show up in the process list and shell history)")
	fs.StringVar(&c.subscriptionKey, "subscription-key", "", "Ocp-Apim-Subscription-Key (default $"+api.EnvSubscriptionKey+"; prefer the variable)")
	fs.StringVar(&c.baseURL, "base-url", "", "API base URL (default $"+api.EnvBaseURL+", else "+api.DefaultBaseURL+")")
	fs.DurationVar(&c.timeout, "timeout", 0, "bound each call, retries included (e.g. 30s; default none)")
	fs.BoolVar(&c.verbose, "v", false, "log each HTTP attempt on stderr (never headers or secrets)")
}

// A session is a configured client, possibly talking to an in-process fake server.
type session struct {
	client *api.Client
	// clientID and clientSecret are kept for `gofive token`, which calls the token
	// endpoint itself; they are never printed.
	clientID, clientSecret string
	baseURL                string
	fake                   *gofivetest.Server // nil against a real server
}

func (s *session) Close() {
	if s.fake != nil {
		s.fake.Close()
	}
}

// settings resolves the flags against the environment.
func (c *connFlags) settings() (clientID, secret, key, base string) {
	pick := func(flagValue, env string) string {
		if flagValue != "" {
			return flagValue
		}
		return strings.TrimSpace(getenv(env))
	}
	return pick(c.clientID, api.EnvClientID), pick(c.clientSecret, api.EnvClientSecret),
		pick(c.subscriptionKey, api.EnvSubscriptionKey), pick(c.baseURL, api.EnvBaseURL)
}

// configured reports whether any credential or base URL is set: then the real (or the
// named) server is used, never the built-in fake.
func (c *connFlags) configured() bool {
	id, secret, key, base := c.settings()
	return id != "" || secret != "" || key != "" || base != ""
}

// credentials resolves the flags against the environment: all three credentials (the base
// URL defaults to the API's), or none and no base URL, in which case a fake server is started
// in-process and its credentials are returned with it (the caller closes it). orNone completes
// the usage error for incomplete credentials: "…, or none to <orNone>".
func (c *connFlags) credentials(orNone string) (id, secret, key, base string, fake *gofivetest.Server, err error) {
	id, secret, key, base = c.settings()
	if id == "" && secret == "" && key == "" && base == "" {
		srv, err := gofivetest.Start(fakeOptions...)
		if err != nil {
			return "", "", "", "", nil, fmt.Errorf("starting the built-in fake server: %w", err)
		}
		return srv.ClientID, srv.ClientSecret, srv.SubscriptionKey, srv.URL, srv, nil
	}
	var missing []string
	if id == "" {
		missing = append(missing, api.EnvClientID+" (or --client-id)")
	}
	if secret == "" {
		missing = append(missing, api.EnvClientSecret+" (or --client-secret)")
	}
	if key == "" {
		missing = append(missing, api.EnvSubscriptionKey+" (or --subscription-key)")
	}
	if len(missing) > 0 {
		return "", "", "", "", nil, usagef("incomplete credentials: %s not set (set all of them, or none to %s)", strings.Join(missing, ", "), orNone)
	}
	if base == "" {
		base = api.DefaultBaseURL
	}
	return id, secret, key, base, nil, nil
}

// open returns a session: against the configured API, or, with nothing configured, against
// a fake server started in-process (said on stderr).
func (c *connFlags) open(ctx context.Context, cmd string, stderr io.Writer) (*session, error) {
	_, _, _, base := c.settings() // checked before a fake server is started for nothing
	if c.timeout < 0 {
		return nil, usagef("--timeout must not be negative, got %v", c.timeout)
	}
	if err := checkBaseURL(base); err != nil {
		return nil, err
	}
	s := &session{}
	id, secret, key, base, fake, err := c.credentials("use the built-in fake server")
	if err != nil {
		return nil, err
	}
	if fake != nil {
		fmt.Fprintf(stderr, "gofive %s: no GOFIVE_* credentials set: using the built-in fake server at %s (test data, in memory)\n", cmd, fake.URL)
		s.fake = fake
	}
	opts := []api.Option{
		api.WithBaseURL(base),
		api.WithCredentials(id, secret),
		api.WithSubscriptionKey(key),
		api.WithUserAgent("gofive-cli"),
	}
	if c.timeout > 0 {
		opts = append(opts, api.WithTimeout(c.timeout))
	}
	if c.verbose {
		// -v shows every attempt: WithLogger logs the smooth ones at DEBUG.
		opts = append(opts, api.WithLogger(slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	}
	if rt, ok := ctx.Value(transportKey{}).(http.RoundTripper); ok {
		opts = append(opts, api.WithHTTPClient(&http.Client{Transport: rt}))
	}
	client, err := api.New(opts...)
	if err != nil {
		s.Close()
		return nil, usageError{strings.TrimPrefix(err.Error(), "gofive: ")}
	}
	s.client, s.clientID, s.clientSecret, s.baseURL = client, id, secret, client.BaseURL()
	useClient(stderr, client) // output.go: the command's output now removes this client's credentials
	return s, nil
}

// checkBaseURL refuses a base URL with user info before the SDK sees it, with messages that
// quote no part of the URL: a password may be anywhere in it, and url.Parse's errors and a
// misparsed scheme ("user:password@host") would echo pieces of it. An "@" anywhere is
// refused: a base URL is a host and perhaps a gateway prefix, never an address.
func checkBaseURL(u string) error {
	if u == "" {
		return nil
	}
	if strings.Contains(u, "@") {
		return usagef("the base URL must not contain user info (user:password@): pass credentials with --client-id, --client-secret and --subscription-key")
	}
	p, err := url.Parse(u)
	switch {
	case err != nil:
		return usagef("the base URL is not a valid URL")
	case p.Scheme != "http" && p.Scheme != "https":
		return usagef("the base URL must start with https:// (or http://)")
	}
	return nil
}

// isLoopbackURL reports whether u's host is this machine (a local fake, say).
func isLoopbackURL(u string) bool {
	p, err := url.Parse(u)
	if err != nil {
		return false
	}
	host := p.Hostname()
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

type transportKey struct{}

// withTransport makes the sessions (and the probe, under its guard) run under ctx reach the
// API through rt. Tests use it to
// reach a fake on an in-memory network from a testing/synctest bubble, whose clock stands
// still while a goroutine waits on a real socket.
func withTransport(ctx context.Context, rt http.RoundTripper) context.Context {
	return context.WithValue(ctx, transportKey{}, rt)
}
