package main

import (
	"context"
	"fmt"
	"io"
	"net"

	"github.com/gofive-go/gofive/api"
	"github.com/gofive-go/gofive/api/gofivetest"
)

// defaultFakeAddr is where `gofive fake` listens unless told otherwise: loopback only, and
// the port OpenAPI mock servers (Prism) conventionally use.
const defaultFakeAddr = "127.0.0.1:4010"

const fakeUsage = `usage: gofive fake [--addr 127.0.0.1:PORT] [--seed N] [--strict]

Runs the fake Gofive API (package api/gofivetest) until interrupted: the spec's 39
operations over an in-memory store with deterministic seed data, the real gateway's
authentication, and every request validated against the spec.

It prints its settings as lines a shell can load, for example:

  gofive fake > fake.env &
  set -a; . ./fake.env; set +a
  gofive call getCustomerByCode customerCode=C000001

The credentials are the fake's fixed test values, not secrets.
`

// runFake is `gofive fake`.
func runFake(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("gofive fake", stderr, func(w io.Writer) { fmt.Fprint(w, fakeUsage) })
	addr := fs.String("addr", defaultFakeAddr, "listen on `host:port` (port 0: any free port)")
	seed := fs.Uint64("seed", 1, "seed of the generated data (customers, products, employees)")
	strict := fs.Bool("strict", false, "reject requests with fields the spec does not document")
	pos, err := parseArgs(fs, args, nil)
	if err != nil {
		return flagExit(err)
	}
	if len(pos) > 0 {
		fmt.Fprintf(stderr, "gofive fake: unexpected argument %q\n", pos[0])
		return exitUsage
	}
	opts := append([]gofivetest.Option{gofivetest.WithAddr(*addr), gofivetest.WithSeed(*seed)}, fakeOptions...)
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
