package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/gofive-go/gofive/api"
)

// Exit codes. They are part of the command's interface: scripts branch on them.
const (
	exitOK      = 0 // success
	exitAPI     = 1 // the API answered with an error (HTTP status and business code shown), or another failure
	exitUsage   = 2 // bad command line, or a request the spec rejects (nothing was sent)
	exitAuth    = 3 // the token endpoint refused or failed, or the API answered 401/403
	exitNetwork = 4 // no answer: connection refused, timeout, DNS failure
)

const usage = `gofive is a command-line client for the Gofive / Venio CRM API, driven by the
OpenAPI spec embedded in it. Without GOFIVE_* credentials it talks to a built-in
fake server, so every command works on a fresh machine.

Usage:
  gofive ops [--tag TAG]                       list the API's operations
  gofive call OPERATION [name=value ...]       call one operation (see gofive call -h)
  gofive token [--show-token]                  fetch an access token, print its expiry
  gofive demo [--yes-write-to-real-api]        a short tour: customer, event, case, quotation, sales order
  gofive probe [--json] [--propose DIR]        check the API against the spec, read-only (see gofive probe -h)
  gofive fake [--addr 127.0.0.1:4010]          run the fake Gofive server until interrupted
  gofive webhook listen [--addr host:port]     print incoming Venio webhook deliveries
  gofive version                               print the SDK version

Credentials (call, token, demo, probe) come from flags or the environment:
  --client-id        GOFIVE_CLIENT_ID
  --client-secret    GOFIVE_CLIENT_SECRET      (prefer the variable: flags show in ps)
  --subscription-key GOFIVE_SUBSCRIPTION_KEY   (prefer the variable)
  --base-url         GOFIVE_BASE_URL           (default https://api.gofive.co.th)
With none of them set, the built-in fake server is started in-process.

Exit codes:
  0 success
  1 API or business error (the message shows the HTTP status and business code)
  2 usage or validation error (nothing was sent)
  3 authentication error (token endpoint failure, HTTP 401 or 403)
  4 network error (connection refused, timeout, DNS)
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run is the whole command: it parses args, runs the subcommand and returns the exit code.
// Tests call it in-process. Everything it prints passes through the redaction of output.go.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	out := newOutput(args, stdout, stderr)
	defer out.flush()
	return runCommand(ctx, args, stdin, out.stdout, out.stderr)
}

func runCommand(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "ops":
		return runOps(rest, stdout, stderr)
	case "call":
		return runCall(ctx, rest, stdin, stdout, stderr)
	case "token":
		return runToken(ctx, rest, stdout, stderr)
	case "demo":
		return runDemo(ctx, rest, stdout, stderr)
	case "probe":
		return runProbe(ctx, rest, stdout, stderr)
	case "fake":
		return runFake(ctx, rest, stdout, stderr)
	case "webhook":
		if len(rest) == 0 || rest[0] != "listen" {
			fmt.Fprintln(stderr, "usage: gofive webhook listen [--addr host:port] [--secret s] [--max-bytes n]")
			return exitUsage
		}
		return runWebhookListen(ctx, rest[1:], stdout, stderr)
	case "version", "--version", "-version":
		fmt.Fprintf(stdout, "gofive %s\n", api.Version)
		return exitOK
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	fmt.Fprintf(stderr, "gofive: unknown command %q; run gofive help for the list\n", cmd)
	return exitUsage
}
