// Package e2e_test drives the api wrapper against the spec-driven fake (api/gofivetest) with
// the spec's validating transport on, strict: every request the wrapper sends and every
// response it receives is checked against spec/openapi.yaml.
package e2e_test

import (
	"encoding/json"
	"net/http"
	"testing"
	"testing/synctest"
	"time"

	"github.com/gofive-go/gofive/api"
	"github.com/gofive-go/gofive/api/gofivetest"
	"github.com/gofive-go/gofive/api/gofivetest/memnet"
	"github.com/gofive-go/gofive/api/wire"
	"github.com/gofive-go/gofive/spec"
)

type env struct {
	srv *gofivetest.Server
	c   *api.Client
	vt  *spec.ValidatingTransport
	// net reaches srv without validation, for extra clients: api.WithHTTPClient(e.net).
	net *http.Client
}

// fastRetries keeps the documented retry behaviour but with millisecond waits.
var fastRetries = api.RetryPolicy{MaxAttempts: 4, MinBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond, MaxRetryAfter: 20 * time.Millisecond}

// setup starts a fake and a wrapper client whose base transport validates all traffic
// against the strict spec, reporting every problem on t. They talk over an in-memory
// network, so a test can run in a synctest bubble (see timed).
func setup(t *testing.T, srvOpts []gofivetest.Option, opts ...api.Option) *env {
	t.Helper()
	ln := memnet.Listen()
	srv := gofivetest.NewServer(t, append([]gofivetest.Option{gofivetest.WithListener(ln)}, srvOpts...)...)
	tr := &http.Transport{DialContext: ln.DialContext}
	t.Cleanup(tr.CloseIdleConnections)
	vt := spec.NewValidatingTransport(tr, spec.Strict(), spec.Collect(), spec.ReportTo(t))
	all := append([]api.Option{
		api.WithBaseURL(srv.URL),
		api.WithCredentials(srv.ClientID, srv.ClientSecret),
		api.WithSubscriptionKey(srv.SubscriptionKey),
		api.WithHTTPClient(&http.Client{Transport: vt}),
	}, opts...)
	c, err := api.New(all...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := vt.Err(); err != nil {
			t.Errorf("spec violations in this test's traffic:\n%v", err)
		}
	})
	return &env{srv: srv, c: c, vt: vt, net: &http.Client{Transport: tr}}
}

// timed runs f in a synctest bubble: waits (backoff, Retry-After, latency, deadlines, token
// lifetimes) take no real time and are exact on the bubble's clock, which starts at
// 2000-01-01 00:00 UTC.
func timed(t *testing.T, f func(t *testing.T)) {
	t.Helper()
	synctest.Test(t, f)
}

var fixed = time.Date(2026, 6, 5, 10, 30, 0, 0, wire.Bangkok())

func fixedClock() time.Time { return fixed }

func ptr[T any](v T) *T { return &v }

func when(t *testing.T, s string) wire.Time {
	t.Helper()
	v, err := wire.ParseTime(s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// decode unmarshals the raw data the wrapper returns for operations whose response the spec
// does not describe (the fake's minimal envelope).
func decode[T any](t *testing.T, raw json.RawMessage) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatalf("decoding %s: %v", raw, err)
	}
	return v
}

func must[T any](t *testing.T) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}
