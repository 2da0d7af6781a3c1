package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/gofive-go/gofive/api"
)

// EnvWebhookSecret is read by `gofive webhook listen` when --secret is not given, so the
// secret need not appear in the process list.
const EnvWebhookSecret = "GOFIVE_WEBHOOK_SECRET"

const webhookListenUsage = `usage: gofive webhook listen [--addr host:port] [--secret s] [--max-bytes n]

Receives Venio webhook deliveries and prints each one on stdout: a line with the time,
kind, topic and event, then the payload as indented JSON, exactly as received. For
debugging an integration; stops on interrupt.

The secret (default $` + EnvWebhookSecret + `) must then come with every delivery, in the
` + api.WebhookSecretHeader + ` header or the ?` + api.WebhookSecretParam + `= query parameter of the URL registered in
Venio: a convention of this SDK, since Venio signs nothing.

`

// runWebhookListen is `gofive webhook listen`: it serves an api.WebhookHandler whose
// catch-all prints every event, until ctx is cancelled. It returns the exit code: 0 after
// a clean stop (or -h), 1 when it cannot listen or serve, 2 for bad arguments.
func runWebhookListen(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("gofive webhook listen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), webhookListenUsage)
		fs.PrintDefaults()
	}
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	secret := fs.String("secret", "", "shared secret deliveries must carry (default $"+EnvWebhookSecret+"; none if both are empty)")
	maxBytes := fs.Int64("max-bytes", api.DefaultWebhookMaxBytes, "largest accepted body, in bytes")
	anyCT := fs.Bool("any-content-type", false, "accept deliveries without a JSON Content-Type (Venio's is not observed)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "gofive webhook listen: unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return 2
	}
	if *secret == "" {
		*secret = os.Getenv(EnvWebhookSecret)
	}

	opts := []api.WebhookOption{api.WithWebhookMaxBytes(*maxBytes)}
	if *secret != "" {
		opts = append(opts, api.WithWebhookSecret(*secret))
	}
	if *anyCT {
		opts = append(opts, api.WithWebhookAnyContentType())
	}
	h, err := api.NewWebhookHandler(opts...)
	if err != nil {
		fmt.Fprintf(stderr, "gofive webhook listen: %v\n", err)
		return 2
	}
	p := &webhookPrinter{w: stdout, now: time.Now}
	h.OnEvent(p.print)

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(stderr, "gofive webhook listen: %v\n", err)
		return 1
	}
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		BaseContext:       func(net.Listener) context.Context { return ctx },
	}
	auth := "no secret"
	if *secret != "" {
		auth = "secret required"
	}
	fmt.Fprintf(stderr, "gofive webhook listen: listening on http://%s (POST JSON, %s, at most %d bytes)\n", ln.Addr(), auth, *maxBytes)
	if tcp, ok := ln.Addr().(*net.TCPAddr); ok && !tcp.IP.IsLoopback() && *secret == "" {
		fmt.Fprintln(stderr, "gofive webhook listen: warning: reachable beyond this machine without a secret")
	}

	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()
	select {
	case err := <-serveErr:
		fmt.Fprintf(stderr, "gofive webhook listen: %v\n", err)
		return 1
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		srv.Close()
	}
	<-serveErr
	fmt.Fprintln(stderr, "gofive webhook listen: stopped")
	return 0
}

// webhookPrinter writes one block per event; deliveries may arrive concurrently.
type webhookPrinter struct {
	mu  sync.Mutex
	w   io.Writer
	now func() time.Time
}

func (p *webhookPrinter) print(_ context.Context, ev *api.WebhookEvent) error {
	var body bytes.Buffer
	if err := json.Indent(&body, bytes.TrimSpace(ev.Raw), "", "  "); err != nil {
		return err // cannot happen: the handler accepted only valid JSON
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	_, err := fmt.Fprintf(p.w, "%s %s topic=%q event=%q\n%s\n",
		p.now().Format(time.RFC3339Nano), ev.Kind, ev.Topic, ev.Event, escapeControls(body.Bytes()))
	return err
}

// escapeControls rewrites DEL and the C1 control characters (U+0080–U+009F; U+009B starts
// a terminal escape sequence like ESC [ does) of indented JSON as \u escapes, and invalid
// UTF-8 as \ufffd, so that a delivery cannot drive the terminal. JSON allows all of them
// unescaped, and they can only be inside strings, where the escapes mean the same. C0
// controls are already escaped: JSON strings cannot hold them raw.
func escapeControls(b []byte) []byte {
	var out []byte
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		bad := r == 0x7f || r >= 0x80 && r <= 0x9f || r == utf8.RuneError && n == 1
		if bad && out == nil {
			out = append(make([]byte, 0, len(b)+16), b[:i]...)
		}
		switch {
		case bad && r == utf8.RuneError:
			out = append(out, `\ufffd`...)
		case bad:
			out = fmt.Appendf(out, `\u%04x`, r)
		case out != nil:
			out = append(out, b[i:i+n]...)
		}
		i += n
	}
	if out == nil {
		return b
	}
	return out
}
