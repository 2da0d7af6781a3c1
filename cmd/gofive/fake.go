package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/gofive-go/gofive/api"
	"github.com/gofive-go/gofive/api/gofivetest"
)

// defaultFakeAddr is where `gofive fake` listens unless told otherwise: loopback only, and
// the port OpenAPI mock servers (Prism) conventionally use.
const defaultFakeAddr = "127.0.0.1:4010"

const fakeUsage = `usage: gofive fake [--addr 127.0.0.1:PORT] [--seed N] [--strict] [--log-size N]
       gofive fake --show-log | --clear-log

Runs the fake Gofive API (package api/gofivetest) until interrupted: the spec's 39
operations over an in-memory store with deterministic seed data, the real gateway's
authentication, and every request validated against the spec.

It prints its settings as lines a shell can load, for example:

  gofive fake > fake.env &
  set -a; . ./fake.env; set +a
  gofive call getCustomerByCode customerCode=C000001

The credentials are the fake's fixed test values, not secrets.

The fake keeps a log of the last --log-size requests (no credentials; bodies only of
authenticated requests to an operation). With the settings loaded, --show-log prints the
running fake's log as JSON and --clear-log empties it (both use GOFIVE_BASE_URL and
GOFIVE_SUBSCRIPTION_KEY; the endpoint is ` + gofivetest.AdminRequestsPath + `).
`

// runFake is `gofive fake`.
func runFake(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("gofive fake", stderr, func(w io.Writer) { fmt.Fprint(w, fakeUsage) })
	addr := fs.String("addr", defaultFakeAddr, "listen on `host:port` (port 0: any free port)")
	seed := fs.Uint64("seed", 1, "seed of the generated data (customers, products, employees)")
	strict := fs.Bool("strict", false, "reject requests with fields the spec does not document")
	logSize := fs.Int("log-size", gofivetest.DefaultRequestLogSize, "keep the last `N` requests in the request log")
	showLog := fs.Bool("show-log", false, "print the request log of the fake running at $"+api.EnvBaseURL+" and exit")
	clearLog := fs.Bool("clear-log", false, "empty the request log of the fake running at $"+api.EnvBaseURL+" and exit")
	pos, err := parseArgs(fs, args, nil)
	if err != nil {
		return flagExit(err)
	}
	if len(pos) > 0 {
		fmt.Fprintf(stderr, "gofive fake: unexpected argument %q\n", pos[0])
		return exitUsage
	}
	if *showLog || *clearLog {
		if err := fakeLog(ctx, *clearLog, stdout); err != nil {
			fmt.Fprintf(stderr, "gofive fake: %v\n", err)
			return exitCode(err)
		}
		return exitOK
	}
	if *logSize <= 0 {
		fmt.Fprintf(stderr, "gofive fake: --log-size must be positive, got %d\n", *logSize)
		return exitUsage
	}
	opts := append([]gofivetest.Option{gofivetest.WithAddr(*addr), gofivetest.WithSeed(*seed),
		gofivetest.WithRequestLogSize(*logSize), gofivetest.WithAdminEndpoint()}, fakeOptions...)
	if *strict {
		opts = append(opts, gofivetest.WithStrictRequests())
	}
	srv, err := gofivetest.Start(opts...)
	if err != nil {
		fmt.Fprintf(stderr, "gofive fake: %v\n", err)
		return exitAPI
	}
	defer srv.Close()
	fmt.Fprintf(stdout, "%s=%s\n%s=%s\n%s=%s\n%s=%s\n",
		api.EnvBaseURL, srv.URL,
		api.EnvClientID, srv.ClientID,
		api.EnvClientSecret, srv.ClientSecret,
		api.EnvSubscriptionKey, srv.SubscriptionKey)
	if host, _, err := net.SplitHostPort(*addr); err == nil && !isLoopbackURL("http://"+net.JoinHostPort(host, "0")) {
		fmt.Fprintln(stderr, "gofive fake: warning: listening beyond this machine; the fake's credentials are public test values")
	}
	fmt.Fprintf(stderr, "gofive fake: serving the fake Gofive API at %s (test data, in memory); stop with Ctrl-C\n", srv.URL)
	<-ctx.Done()
	fmt.Fprintln(stderr, "gofive fake: stopped")
	return exitOK
}

// fakeLog shows (or, with clear, empties) the request log of the fake running at
// $GOFIVE_BASE_URL, through its admin endpoint.
func fakeLog(ctx context.Context, clear bool, stdout io.Writer) error {
	base, key := strings.TrimSpace(getenv(api.EnvBaseURL)), strings.TrimSpace(getenv(api.EnvSubscriptionKey))
	if base == "" || key == "" {
		return usagef("--show-log and --clear-log need %s and %s: load the settings gofive fake printed", api.EnvBaseURL, api.EnvSubscriptionKey)
	}
	if err := checkBaseURL(base); err != nil {
		return err
	}
	method := http.MethodGet
	if clear {
		method = http.MethodDelete
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, strings.TrimSuffix(base, "/")+gofivetest.AdminRequestsPath, nil)
	if err != nil {
		return usagef("the base URL is not a valid URL")
	}
	req.Header.Set("Ocp-Apim-Subscription-Key", key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := readAtMost(resp.Body, maxResponseBytes, "the log")
	if err != nil {
		return err
	}
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("%s %s: HTTP %d (is a gofive fake running there?)", method, gofivetest.AdminRequestsPath, resp.StatusCode)
	}
	if !clear {
		writeJSON(stdout, body)
	}
	return nil
}
