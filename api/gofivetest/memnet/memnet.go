// Package memnet is an in-memory network for HTTP tests, chiefly those run in a
// testing/synctest bubble. Connections are net.Pipe pairs: a goroutine waiting on one is
// durably blocked, so the bubble's fake clock can advance, whereas a goroutine waiting on a
// loopback socket is not (see the testing/synctest documentation), and a test whose server
// listens on one would never see time move.
//
// Inside a bubble, serve the fake on a Listener (ln := memnet.Listen(); then
// gofivetest.NewServer(t, gofivetest.WithListener(ln))) and give the client a transport that
// dials it (api.WithHTTPClient(&http.Client{Transport: &http.Transport{DialContext:
// ln.DialContext}})): your own tests of token expiry, retries and deadlines then run on the
// bubble's clock, exactly and without waiting.
package memnet

import (
	"context"
	"errors"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"
)

// Host is the host of every URL [Serve] returns: a reserved name that no resolver answers,
// so a request that escapes the in-memory transport fails instead of reaching a real server.
const Host = "memnet.invalid"

// A Listener accepts the connections its DialContext makes. Create it inside the bubble
// whose goroutines use it: its channels belong to the bubble that made them.
type Listener struct {
	conns     chan net.Conn
	done      chan struct{}
	closeOnce sync.Once
}

// Listen returns a new Listener.
func Listen() *Listener {
	return &Listener{conns: make(chan net.Conn), done: make(chan struct{})}
}

// Accept waits for the next DialContext.
func (l *Listener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.done:
		return nil, net.ErrClosed
	}
}

// Close stops Accept and makes later dials fail; open connections are not touched.
func (l *Listener) Close() error {
	l.closeOnce.Do(func() { close(l.done) })
	return nil
}

// Addr is Host:80.
func (l *Listener) Addr() net.Addr { return addr{} }

type addr struct{}

func (addr) Network() string { return "memnet" }
func (addr) String() string  { return Host + ":80" }

// DialContext connects to the listener, whatever the address.
func (l *Listener) DialContext(ctx context.Context, _, _ string) (net.Conn, error) {
	client, server := net.Pipe()
	select {
	case l.conns <- server:
		return client, nil
	case <-l.done:
		return nil, errors.New("memnet: listener closed")
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Serve serves h on a new Listener until the test ends, and returns the server's base URL
// (http://memnet.invalid, no trailing slash) and a transport that dials it. Call it from
// the goroutine of a synctest bubble (or of an ordinary test: the pipes work there too).
func Serve(t testing.TB, h http.Handler) (string, *http.Transport) {
	t.Helper()
	l := Listen()
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	served := make(chan struct{})
	go func() {
		defer close(served)
		_ = srv.Serve(l)
	}()
	tr := &http.Transport{DialContext: l.DialContext, MaxIdleConnsPerHost: 64, ForceAttemptHTTP2: false}
	t.Cleanup(func() {
		// Close cancels the contexts of requests still being served, so handlers that
		// respect them (the fakes' delays do) return and the bubble can end.
		_ = srv.Close()
		tr.CloseIdleConnections()
		<-served
	})
	return "http://" + Host, tr
}
