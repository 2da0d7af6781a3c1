package main

import (
	"io"
	"strings"
	"sync/atomic"

	"github.com/gofive-go/gofive/api"
	"github.com/gofive-go/gofive/api/redact"
)

// output is the one choke point for what the command prints: stdout and
// stderr are both redact.Writers, so a credential a server echoes (in an
// error, a --raw body, a log line, a validation message) is removed
// whatever code path printed it. Until a session opens it knows the
// credentials given by flags or the environment; then the session's
// client's, which include the access tokens it fetched.
//
// `gofive token --show-token` still prints its token: that token comes
// from a token call of its own, not from the client's token cache.
type output struct {
	static *redact.Redactor
	client atomic.Pointer[api.Client]

	stdout, stderr *guardedWriter
}

// guardedWriter is a redacting writer that sessions can find: opening a
// session with it as stderr registers the session's client (useClient).
type guardedWriter struct {
	*redact.Writer
	out  *output
	dest io.Writer // what it writes to (a terminal?)
}

func newOutput(args []string, stdout, stderr io.Writer) *output {
	o := &output{static: redact.New(credentialsIn(args)...)}
	o.stdout = &guardedWriter{Writer: redact.NewWriter(stdout, o.redactor), out: o, dest: stdout}
	o.stderr = &guardedWriter{Writer: redact.NewWriter(stderr, o.redactor), out: o, dest: stderr}
	return o
}

func (o *output) redactor() *redact.Redactor {
	if c := o.client.Load(); c != nil {
		return c.Redactor()
	}
	return o.static
}

// flush writes what the writers hold back (the end of a line that might
// still have been a secret's beginning).
func (o *output) flush() {
	_ = o.stdout.Flush()
	_ = o.stderr.Flush()
}

// useClient makes w's output, if w is a command's redacting stderr, remove
// c's credentials from now on.
func useClient(w io.Writer, c *api.Client) {
	if g, ok := w.(*guardedWriter); ok && c != nil {
		g.out.client.Store(c)
	}
}

// secretFlags name the flags whose value is a credential.
var secretFlags = []string{"client-secret", "subscription-key"}

// credentialsIn returns the credentials given in args (as -flag value,
// --flag value or --flag=value) or in the environment.
func credentialsIn(args []string) []string {
	out := []string{strings.TrimSpace(getenv(api.EnvClientSecret)), strings.TrimSpace(getenv(api.EnvSubscriptionKey))}
	for i, a := range args {
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !strings.HasPrefix(a, "-") {
			continue
		}
		for _, f := range secretFlags {
			if name != f {
				continue
			}
			if hasValue {
				out = append(out, value)
			} else if i+1 < len(args) {
				out = append(out, args[i+1])
			}
		}
	}
	return out
}
