package gofivetest_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"testing"
	"testing/synctest"
	"time"

	"github.com/gofive-go/gofive/api/gofivetest"
	"github.com/gofive-go/gofive/api/gofivetest/memnet"
)

// authed sends a request with valid credentials through a plain client (faults produce
// answers outside the spec on purpose) and returns the response, its body and any error.
func authed(t *testing.T, srv *gofivetest.Server, tok, method, path, body string) (*http.Response, string, error) {
	t.Helper()
	var rd io.Reader = http.NoBody
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, _ := http.NewRequestWithContext(t.Context(), method, srv.URL+path, rd)
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Ocp-Apim-Subscription-Key", srv.SubscriptionKey)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	// A fresh transport per call: a reset or truncated connection must not be reused.
	c := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	res, err := c.Do(req)
	if err != nil {
		return nil, "", err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return res, string(b), err
}

const newCustomer = `{"customerName":"Fault Test Co","customerState":3}`

func TestFaults(t *testing.T) {
	tests := []struct {
		name       string
		fault      gofivetest.Fault
		wantStatus int    // 0: a transport error is expected
		wantErr    error  // with wantStatus 0
		header     string // "Name: value" expected
		body       string // substring expected
		sideEffect bool   // the customer was created
	}{
		{name: "429 with Retry-After", fault: gofivetest.TooManyRequests(2 * time.Second), wantStatus: 429,
			header: "Retry-After: 2", body: `{"statusCode":429,"message":"Rate limit is exceeded. Try again in 2 seconds."}`},
		{name: "500", fault: gofivetest.Status(500), wantStatus: 500},
		{name: "503 with Retry-After", fault: gofivetest.ServiceUnavailable(time.Second), wantStatus: 503, header: "Retry-After: 1"},
		{name: "HTML error page", fault: gofivetest.HTMLError(502), wantStatus: 502, header: "Content-Type: text/html; charset=utf-8", body: "<title>502 Bad Gateway</title>"},
		{name: "gateway JSON", fault: gofivetest.GatewayError(500, "Internal server error"), wantStatus: 500,
			header: "Content-Type: application/json", body: `{"statusCode":500,"message":"Internal server error"}`},
		{name: "connection reset", fault: gofivetest.ConnectionReset(), wantErr: syscall.ECONNRESET},
		{name: "connection reset after handling", fault: gofivetest.ConnectionReset().AfterHandling(), wantErr: syscall.ECONNRESET, sideEffect: true},
		{name: "500 after handling", fault: gofivetest.Status(500).AfterHandling(), wantStatus: 500, sideEffect: true},
		{name: "truncated body", fault: gofivetest.TruncatedBody(), wantStatus: 200, wantErr: io.ErrUnexpectedEOF, sideEffect: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := gofivetest.NewServer(t)
			tok := getToken(t, srv)
			srv.FailOperation("createOrUpdateCustomer", 1, tt.fault)
			res, body, err := authed(t, srv, tok, "POST", "/v3/customers", newCustomer)
			switch {
			case tt.wantErr != nil:
				if !errors.Is(err, tt.wantErr) && !(tt.wantErr == syscall.ECONNRESET && errors.Is(err, io.EOF)) {
					t.Fatalf("err = %v, want %v", err, tt.wantErr)
				}
			case err != nil:
				t.Fatal(err)
			}
			if tt.wantStatus != 0 && (res == nil || res.StatusCode != tt.wantStatus) {
				t.Fatalf("response %v, want status %d", res, tt.wantStatus)
			}
			if tt.header != "" {
				k, v, _ := strings.Cut(tt.header, ": ")
				if res.Header.Get(k) != v {
					t.Errorf("%s = %q, want %q", k, res.Header.Get(k), v)
				}
			}
			if tt.body != "" && !strings.Contains(body, tt.body) {
				t.Errorf("body %q, want it to contain %q", body, tt.body)
			}
			created := len(srv.CustomerCodes()) > 3 // 3 seeded
			if created != tt.sideEffect {
				t.Errorf("customer created = %v, want %v", created, tt.sideEffect)
			}
			log := srv.RequestsFor("createOrUpdateCustomer")
			if len(log) != 1 || log[0].Fault == "" || log[0].Status != tt.wantStatus {
				t.Errorf("log %+v", log)
			}
			// The fault was used up: the next request is served normally.
			res, body, err = authed(t, srv, tok, "POST", "/v3/customers", `{"customerName":"Second Co","customerState":3}`)
			if err != nil || res.StatusCode != 200 {
				t.Fatalf("after the fault: %v %v %s", err, res, body)
			}
		})
	}
}

func TestFaultTargeting(t *testing.T) {
	srv := gofivetest.NewServer(t)
	tok := getToken(t, srv)
	get := func(path string) int {
		res, _, err := authed(t, srv, tok, "GET", path, "")
		if err != nil {
			t.Fatal(err)
		}
		return res.StatusCode
	}
	// FailOperation hits only its operation, n times.
	srv.FailOperation("getCustomerByCode", 2, gofivetest.Status(503))
	if s := get("/v1/customerEvent/event-types"); s != 200 {
		t.Errorf("other operation: %d", s)
	}
	for i := range 2 {
		if s := get("/v3/customers/C000001"); s != 503 {
			t.Errorf("attempt %d: %d", i, s)
		}
	}
	if s := get("/v3/customers/C000001"); s != 200 {
		t.Errorf("after two faults: %d", s)
	}
	// FailNext hits any request, the token endpoint included.
	srv.FailNext(1, gofivetest.Status(500))
	if s := get("/v1/customerEvent/event-types"); s != 500 {
		t.Errorf("FailNext: %d", s)
	}
	// n <= 0: until cleared; operation faults come first.
	srv.FailNext(0, gofivetest.Status(502))
	srv.FailOperation("getCustomerByCode", 1, gofivetest.Status(504))
	if s := get("/v3/customers/C000001"); s != 504 {
		t.Errorf("operation fault first: %d", s)
	}
	for range 3 {
		if s := get("/v3/customers/C000001"); s != 502 {
			t.Errorf("standing fault: %d", s)
		}
	}
	srv.ClearFaults()
	if s := get("/v3/customers/C000001"); s != 200 {
		t.Errorf("after ClearFaults: %d", s)
	}
	var faulted int
	for _, r := range srv.Requests() {
		if r.Fault != "" {
			faulted++
		}
	}
	if faulted != 7 {
		t.Errorf("%d faulted requests logged, want 7", faulted)
	}
}

// inMemory starts a server on an in-memory network, for tests in a synctest bubble (a
// loopback socket would keep the bubble's clock still), and returns it with a client that
// dials it and a valid token.
func inMemory(t *testing.T) (*gofivetest.Server, *http.Client, string) {
	t.Helper()
	ln := memnet.Listen()
	srv := gofivetest.NewServer(t, gofivetest.WithListener(ln))
	tr := &http.Transport{DialContext: ln.DialContext}
	t.Cleanup(tr.CloseIdleConnections)
	hc := &http.Client{Transport: tr}
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {srv.ClientID}, "client_secret": {srv.ClientSecret}}
	req, _ := http.NewRequestWithContext(t.Context(), "POST", srv.URL+"/authorization/connect/token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Ocp-Apim-Subscription-Key", srv.SubscriptionKey)
	res, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(res.Body).Decode(&tok); err != nil || tok.AccessToken == "" {
		t.Fatalf("token: %d %v", res.StatusCode, err)
	}
	return srv, hc, tok.AccessToken
}

func createRequest(ctx context.Context, srv *gofivetest.Server, tok string) *http.Request {
	req, _ := http.NewRequestWithContext(ctx, "POST", srv.URL+"/v3/customers", strings.NewReader(newCustomer))
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Ocp-Apim-Subscription-Key", srv.SubscriptionKey)
	req.Header.Set("Content-Type", "application/json")
	return req
}

// TestLatency: an injected latency delays the answer by exactly its duration (on the
// bubble's clock), then the request is served normally, once.
func TestLatency(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, hc, tok := inMemory(t)
		srv.FailOperation("createOrUpdateCustomer", 1, gofivetest.Latency(50*time.Millisecond))
		start := time.Now()
		res, err := hc.Do(createRequest(t.Context(), srv, tok))
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if d := time.Since(start); d != 50*time.Millisecond {
			t.Errorf("answered after %v, want 50ms", d)
		}
		if res.StatusCode != 200 || !strings.Contains(string(body), `"customerCode"`) {
			t.Errorf("%d %s", res.StatusCode, body)
		}
		if len(srv.CustomerCodes()) != 4 { // 3 seeded
			t.Errorf("%d customers, want the 3 seeded and 1 created", len(srv.CustomerCodes()))
		}
		if log := srv.RequestsFor("createOrUpdateCustomer"); len(log) != 1 || log[0].Fault == "" || log[0].Status != 200 {
			t.Errorf("log %+v", log)
		}
	})
}

// TestLatencyRespectsContext: a client giving up during an injected delay gets its
// deadline error at its deadline, and the operation does not run, even after the delay.
func TestLatencyRespectsContext(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, hc, tok := inMemory(t)
		srv.FailOperation("createOrUpdateCustomer", 1, gofivetest.Latency(5*time.Second))
		ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
		defer cancel()
		start := time.Now()
		_, err := hc.Do(createRequest(ctx, srv, tok))
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("err = %v", err)
		}
		if d := time.Since(start); d != 50*time.Millisecond {
			t.Errorf("gave up after %v, want 50ms", d)
		}
		// The handler notices the cancellation and logs the request without running it;
		// past the 5s delay, nothing has run late either.
		time.Sleep(10 * time.Second)
		synctest.Wait()
		if log := srv.RequestsFor("createOrUpdateCustomer"); len(log) != 1 || log[0].Status != 0 {
			t.Errorf("log %+v, want the one abandoned request", log)
		}
		if len(srv.CustomerCodes()) != 3 {
			t.Error("the delayed operation ran")
		}
	})
}
