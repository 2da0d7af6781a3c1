package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"testing/synctest"
	"time"

	"github.com/gofive-go/gofive/api"
	"github.com/gofive-go/gofive/api/gofivetest"
	"github.com/gofive-go/gofive/api/gofivetest/memnet"
)

// TestGolden runs commands against the built-in fake server (nothing configured) or none,
// and compares exit code, stdout and stderr with testdata/NAME.golden.
func TestGolden(t *testing.T) {
	body := filepath.Join("testdata", "event.json")
	malformed := filepath.Join("testdata", "malformed.json")
	tests := []struct {
		name  string
		args  []string
		stdin string
	}{
		{"no_args", nil, ""},
		{"unknown_command", []string{"frobnicate"}, ""},
		{"help", []string{"help"}, ""},
		{"version", []string{"version"}, ""},
		{"ops", []string{"ops"}, ""},
		{"ops_tag", []string{"ops", "--tag", "quotation"}, ""},
		{"ops_unknown_tag", []string{"ops", "--tag", "Nope"}, ""},
		{"call_no_operation", []string{"call"}, ""},
		{"call_unknown_operation", []string{"call", "getCustomerByCod"}, ""},
		{"call_token_operation", []string{"call", "getAccessToken"}, ""},
		{"call_describe", []string{"call", "addCustomerEvent", "-h"}, ""},
		{"call_missing_path_param", []string{"call", "getCustomerByCode"}, ""},
		{"call_missing_query_param", []string{"call", "getCustomerEvents"}, ""},
		{"call_missing_body_fields", []string{"call", "addCustomerEvent", "customerCode=C000001", "eventType=1"}, ""},
		{"call_bad_integer", []string{"call", "addCustomerEvent", "eventType=one"}, ""},
		{"call_unknown_field", []string{"call", "addCustomerEvent", "eventTyp=1"}, ""},
		{"call_not_name_value", []string{"call", "getCustomerByCode", "C000001"}, ""},
		{"call_malformed_body_file", []string{"call", "addCustomerEvent", "--body", malformed}, ""},
		{"call_malformed_body_stdin", []string{"call", "addCustomerEvent", "--body", "-"}, `{"eventName": "Visit",`},
		{"call_body_on_get", []string{"call", "getCustomerEventTypes", "--body", body}, ""},
		{"call_all_not_paged", []string{"call", "getCustomerEventTypes", "--all"}, ""},
		{"call_get", []string{"call", "getCustomerByCode", "customerCode=C000001"}, ""},
		{"call_get_raw", []string{"call", "getCustomerEventTypes", "--raw"}, ""},
		{"call_body_file", []string{"call", "addCustomerEvent", "--body", body}, ""},
		{"call_body_stdin_and_fields", []string{"call", "addCustomerEvent", "--body", "-", "eventName=Demo", "customerCode=C000002"},
			`{"eventName":"Visit","eventType":1,"eventDate":"2026-06-05T10:00:00"}`},
		{"call_flags_after_args", []string{"call", "getProductByCode", "productCode=PD002", "--raw"}, ""},
		{"call_not_found", []string{"call", "getCustomerByCode", "customerCode=C999999"}, ""},
		{"call_not_found_raw", []string{"call", "getQuotation", "quotationNo=Q0000", "--raw"}, ""},
		{"call_api_rejects", []string{"call", "createOrUpdateCustomer", "customerName=Lanna Crafts 1", "customerState=3"}, ""},
		{"call_all", []string{"call", "employeesEnquiry", "--all", "--page-size", "10"}, ""},
		{"call_all_items_in_data", []string{"call", "getProductsByFilter", "productType=1301", "status=1,0", "take=5", "--all"}, ""},
		{"call_all_raw", []string{"call", "employeesEnquiry", "--all", "--raw"}, ""},
		{"call_array_body", []string{"call", "updateProductStock", "--body", "-"}, `[{"productCode":"PD001","qty":7}]`},
		{"call_array_body_field", []string{"call", "updateProductStock", "productCode=PD001"}, ""},
		{"token", []string{"token"}, ""},
		{"demo", []string{"demo"}, ""},
		{"demo_refuses_real_api", []string{"demo", "--client-id", "id", "--client-secret", "s3cret-value", "--subscription-key", "k3y-value"}, ""},
		{"incomplete_credentials", []string{"call", "getCustomerEventTypes", "--client-id", "id"}, ""},
		{"webhook_usage", []string{"webhook"}, ""},
		{"webhook_listen_bad_flag", []string{"webhook", "listen", "--bogus"}, ""},
		{"fake_bad_flag", []string{"fake", "--port", "1"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCLI(t, runOpt{stdin: tt.stdin}, tt.args...)
			golden(t, tt.name, r)
			for _, s := range []string{"s3cret-value", "k3y-value"} {
				if strings.Contains(r.stdout+r.stderr, s) {
					t.Errorf("output shows the secret %q", s)
				}
			}
		})
	}
}

// TestExitCodes covers each documented exit code, against servers that fail on purpose.
func TestExitCodes(t *testing.T) {
	srv := gofivetest.NewServer(t, gofivetest.WithClock(fixedClock))
	closed := closedLoopbackURL(t)
	withCreds := func(base string, args ...string) []string {
		return append(args, "--base-url", base, "--client-id", "id", "--client-secret", "secret-x", "--subscription-key", "key-x")
	}
	tests := []struct {
		name    string
		fault   func()
		args    []string
		want    int
		message string // in stderr
	}{
		{"ok", nil, append([]string{"call", "getCustomerEventTypes"}, fakeFlags(srv)...), exitOK, ""},
		{"usage", nil, []string{"call", "nope"}, exitUsage, "unknown operation"},
		{"validation", nil, append([]string{"call", "addCase", "caseType=1"}, fakeFlags(srv)...), exitUsage, "nothing was sent"},
		{"not found", nil, append([]string{"call", "getQuotation", "quotationNo=Q1"}, fakeFlags(srv)...), exitAPI, "HTTP 404 Not Found, business code 404: quotation Q1 not found"},
		{"server error", func() { srv.FailOperation("addCustomerEvent", 1, gofivetest.Status(http.StatusInternalServerError)) },
			append([]string{"call", "addCustomerEvent", "customerCode=C000001", "eventName=x", "eventType=1", "eventDate=2026-06-05T10:00:00"}, fakeFlags(srv)...),
			exitAPI, "HTTP 500 Internal Server Error"},
		{"business error on 200", func() {
			srv.FailOperation("getHeaderTemplate", 1, gofivetest.GatewayError(http.StatusOK, "not allowed today"))
		},
			append([]string{"call", "getHeaderTemplate"}, fakeFlags(srv)...), exitAPI, "HTTP 200 OK, business code 200: not allowed today"},
		{"forbidden", func() {
			srv.FailOperation("getHeaderTemplate", 1, gofivetest.GatewayError(http.StatusForbidden, "no permission"))
		},
			append([]string{"call", "getHeaderTemplate"}, fakeFlags(srv)...), exitAuth, "HTTP 403 Forbidden"},
		{"unauthorized", func() {
			srv.FailOperation("getHeaderTemplate", 2, gofivetest.GatewayError(http.StatusUnauthorized, "Access token is missing or invalid."))
		},
			append([]string{"call", "getHeaderTemplate"}, fakeFlags(srv)...), exitAuth, "HTTP 401 Unauthorized"},
		{"bad subscription key", nil, withCreds(srv.URL, "call", "getHeaderTemplate"), exitAuth, "token request failed: HTTP 401 Unauthorized, business code 401: Access denied due to invalid subscription key"},
		{"bad client secret", nil, append([]string{"call", "getHeaderTemplate"}, append(fakeFlags(srv), "--client-secret", "secret-x")...), exitAuth, "token request failed: HTTP 401 Unauthorized, error invalid_client"},
		{"bad client secret, token", nil, withCreds(srv.URL, "token"), exitAuth, "HTTP 401 Unauthorized"},
		{"token endpoint down", func() { srv.FailOperation("getAccessToken", 1, gofivetest.Status(http.StatusBadGateway)) },
			append([]string{"token"}, fakeFlags(srv)...), exitAuth, "HTTP 502 Bad Gateway"},
		{"connection refused", nil, withCreds(closed, "call", "getHeaderTemplate"), exitNetwork, "no answer from the API"},
		{"connection refused, POST", nil, withCreds(closed, "call", "addCustomerEvent", "customerCode=C1", "eventName=x", "eventType=1", "eventDate=2026-06-05T10:00:00"), exitNetwork, "connection refused"},
		{"connection refused, token", nil, withCreds(closed, "token"), exitNetwork, "connection refused"},
		{"connection refused, demo", nil, withCreds(closed, "demo"), exitNetwork, "connection refused"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv.ClearFaults()
			if tt.fault != nil {
				tt.fault()
			}
			check := func(t *testing.T, r result) {
				if r.code != tt.want {
					t.Errorf("exit %d, want %d\nstderr: %s", r.code, tt.want, r.stderr)
				}
				if !strings.Contains(r.stderr, tt.message) {
					t.Errorf("stderr does not say %q:\n%s", tt.message, r.stderr)
				}
				for _, s := range []string{"secret-x", "key-x"} {
					if strings.Contains(r.stdout+r.stderr, s) {
						t.Errorf("output shows the secret %q:\n%s%s", s, r.stdout, r.stderr)
					}
				}
			}
			if !slices.Contains(tt.args, closed) {
				check(t, runCLI(t, runOpt{}, tt.args...))
				return
			}
			// The closed port: its dials are refused in a bubble, where the SDK's retry
			// backoff runs on the fake clock and takes no real time.
			synctest.Test(t, func(t *testing.T) {
				check(t, runCLI(t, runOpt{ctx: withTransport(t.Context(), refusingTransport())}, tt.args...))
			})
		})
	}
}

// TestTimeoutExit: --timeout ends a call that gets no answer at exactly that time (on the
// synctest clock, so the test takes no real time), with the network exit code.
func TestTimeoutExit(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ln := memnet.Listen()
		srv := gofivetest.NewServer(t, gofivetest.WithListener(ln), gofivetest.WithClock(fixedClock))
		tr := &http.Transport{DialContext: ln.DialContext}
		t.Cleanup(tr.CloseIdleConnections)
		srv.FailOperation("getHeaderTemplate", 10, gofivetest.Latency(time.Minute))
		start := time.Now()
		r := runCLI(t, runOpt{ctx: withTransport(t.Context(), tr)},
			append([]string{"call", "getHeaderTemplate", "--timeout", "3s"}, fakeFlags(srv)...)...)
		if d := time.Since(start); d != 3*time.Second {
			t.Errorf("ended after %v, want the 3s --timeout", d)
		}
		if r.code != exitNetwork || !strings.Contains(r.stderr, "no answer from the API") {
			t.Errorf("exit %d, want %d\nstderr: %s", r.code, exitNetwork, r.stderr)
		}
	})
}

// refusingTransport fails every dial as the OS does when nothing listens on the port. Unlike
// a real dial to a closed port, it never leaves a synctest bubble's goroutines waiting on
// the kernel, so the bubble's clock moves through the SDK's retry backoff at once.
func refusingTransport() *http.Transport {
	return &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		return nil, &net.OpError{Op: "dial", Net: network, Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}
	}}
}

// closedLoopbackURL returns the URL of a loopback port nothing listens on.
func closedLoopbackURL(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return "http://" + addr
}

// TestEnvironmentCredentials: the GOFIVE_* variables configure the client; flags win.
func TestEnvironmentCredentials(t *testing.T) {
	srv := gofivetest.NewServer(t, gofivetest.WithClock(fixedClock))
	env := map[string]string{
		api.EnvBaseURL: srv.URL, api.EnvClientID: srv.ClientID,
		api.EnvClientSecret: srv.ClientSecret, api.EnvSubscriptionKey: srv.SubscriptionKey,
	}
	setEnv(t, env)

	r := runCLI(t, runOpt{}, "call", "getCustomerEventTypes")
	if r.code != exitOK || strings.Contains(r.stderr, "built-in fake") {
		t.Fatalf("exit %d, stderr %s", r.code, r.stderr)
	}
	if srv.Count("getCustomerEventTypes") != 1 {
		t.Errorf("the call did not reach the server named by %s", api.EnvBaseURL)
	}
	// A flag wins over its variable.
	r = runCLI(t, runOpt{}, "call", "getCustomerEventTypes", "--client-secret", "wrong-secret")
	if r.code != exitAuth {
		t.Errorf("--client-secret did not replace the variable: exit %d, %s", r.code, r.stderr)
	}
	// A local base URL (gofive fake's) needs no --yes-write-to-real-api.
	r = runCLI(t, runOpt{}, "demo")
	if r.code != exitOK || !strings.Contains(r.stdout, "done: 10 steps against the API at "+srv.URL) {
		t.Errorf("demo against a local server: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	// Credentials for a remote API: the demo refuses before sending anything.
	env[api.EnvBaseURL] = "https://api.gofive.co.th"
	setEnv(t, env)
	r = runCLI(t, runOpt{}, "demo")
	if r.code != exitUsage || !strings.Contains(r.stderr, "--yes-write-to-real-api") || r.stdout != "" {
		t.Errorf("demo with real credentials: exit %d, stdout %q, stderr %s", r.code, r.stdout, r.stderr)
	}
	// Only some variables set: a usage error naming the missing ones, nothing sent.
	setEnv(t, map[string]string{api.EnvClientID: "id"})
	r = runCLI(t, runOpt{}, "token")
	if r.code != exitUsage || !strings.Contains(r.stderr, "GOFIVE_CLIENT_SECRET (or --client-secret), GOFIVE_SUBSCRIPTION_KEY") {
		t.Errorf("incomplete credentials: exit %d, stderr %s", r.code, r.stderr)
	}
}

// setEnv makes getenv read env for the rest of the test (tests do not touch the process
// environment).
func setEnv(t *testing.T, env map[string]string) {
	old := getenv
	t.Cleanup(func() { getenv = old })
	m := make(map[string]string, len(env))
	for k, v := range env {
		m[k] = v
	}
	getenv = func(k string) string { return m[k] }
}

// TestOpsListsEveryOperation: one row per spec operation, each with its method and path.
func TestOpsListsEveryOperation(t *testing.T) {
	r := runCLI(t, runOpt{}, "ops")
	if r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	lines := strings.Split(strings.TrimRight(r.stdout, "\n"), "\n")
	if got := len(lines) - 1; got != 39 {
		t.Errorf("gofive ops lists %d operations, want 39", got)
	}
	idx, _ := loadIndex()
	for _, o := range idx.ops {
		found := false
		for _, l := range lines[1:] {
			f := strings.Fields(l)
			if slices.Contains(f, o.ID) && slices.Contains(f, o.Method) && slices.Contains(f, o.Path) && slices.Contains(f, o.Completeness) {
				found = true
			}
		}
		if !found {
			t.Errorf("no row for %s %s %s", o.ID, o.Method, o.Path)
		}
	}
	// Every tag filter gives a subset, and together they give everything.
	total := 0
	tags := map[string]bool{}
	for _, o := range idx.ops {
		tags[o.Tag] = true
	}
	for tag := range tags {
		r := runCLI(t, runOpt{}, "ops", "--tag", tag)
		if r.code != exitOK {
			t.Errorf("--tag %q: exit %d", tag, r.code)
		}
		total += strings.Count(r.stdout, "\n") - 1
	}
	if total != 39 {
		t.Errorf("the tags cover %d operations, want 39", total)
	}
}

// TestTokenShowToken: the token appears only with --show-token, alone on stdout.
func TestTokenShowToken(t *testing.T) {
	srv := gofivetest.NewServer(t, gofivetest.WithClock(fixedClock))
	r := runCLI(t, runOpt{allowSecret: true}, append([]string{"token", "--show-token"}, fakeFlags(srv)...)...)
	if r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	tok := strings.TrimSpace(r.stdout)
	if !tokenPattern.MatchString(tok) || strings.Contains(tok, "\n") {
		t.Errorf("stdout is not just the token: %q", r.stdout)
	}
	if !strings.Contains(r.stderr, "expires in 1h0m0s") || strings.Contains(r.stderr, tok) {
		t.Errorf("stderr: %q", r.stderr)
	}
	// The token works.
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/v1/products/units", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Ocp-Apim-Subscription-Key", srv.SubscriptionKey)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("the printed token was refused: %d", resp.StatusCode)
	}
}

// TestCallAllPages: --all follows skip/take until a short page and keeps every item once.
func TestCallAllPages(t *testing.T) {
	srv := gofivetest.NewServer(t, gofivetest.WithClock(fixedClock))
	r := runCLI(t, runOpt{}, append([]string{"call", "employeesEnquiry", "--all", "--page-size", "7"}, fakeFlags(srv)...)...)
	if r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var items []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &items); err != nil {
		t.Fatal(err)
	}
	seen := map[any]bool{}
	for _, it := range items {
		seen[it["staffCode"]] = true
	}
	if len(items) != 25 || len(seen) != 25 {
		t.Errorf("got %d items (%d distinct), want the fake's 25 employees", len(items), len(seen))
	}
	reqs := srv.RequestsFor("employeesEnquiry")
	if len(reqs) != 4 { // 7+7+7+4
		t.Errorf("%d requests, want 4", len(reqs))
	}
	for i, rq := range reqs {
		var b map[string]int
		_ = json.Unmarshal(rq.Body, &b)
		if b["skip"] != 7*i || b["pageLength"] != 7 {
			t.Errorf("request %d body %s", i, rq.Body)
		}
	}
	// A short first page: one request. An offset given is where paging starts.
	srv.ResetRequests()
	r = runCLI(t, runOpt{}, append([]string{"call", "employeesEnquiry", "--all", "skip=20", "pageLength=50"}, fakeFlags(srv)...)...)
	if err := json.Unmarshal([]byte(r.stdout), &items); err != nil || len(items) != 5 || srv.Count("employeesEnquiry") != 1 {
		t.Errorf("from skip=20: %d items, %d requests (%v)", len(items), srv.Count("employeesEnquiry"), err)
	}
	// --max-pages stops early and says so.
	r = runCLI(t, runOpt{}, append([]string{"call", "employeesEnquiry", "--all", "--page-size", "5", "--max-pages", "2"}, fakeFlags(srv)...)...)
	if err := json.Unmarshal([]byte(r.stdout), &items); err != nil || len(items) != 10 || !strings.Contains(r.stderr, "stopped after 2 pages") {
		t.Errorf("--max-pages 2: %d items, stderr %q", len(items), r.stderr)
	}
	// A failing page fails the command.
	srv.FailOperation("employeesEnquiry", 1, gofivetest.GatewayError(http.StatusForbidden, "no permission to view employees"))
	r = runCLI(t, runOpt{}, append([]string{"call", "employeesEnquiry", "--all"}, fakeFlags(srv)...)...)
	if r.code != exitAuth || !strings.Contains(r.stderr, "page 1 (offset 0)") || r.stdout != "" {
		t.Errorf("failing page: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
}

// TestCallSendsWhatTheSpecSays: parameters land where the spec puts them, coerced.
func TestCallSendsWhatTheSpecSays(t *testing.T) {
	srv := gofivetest.NewServer(t, gofivetest.WithClock(fixedClock))
	r := runCLI(t, runOpt{}, append([]string{"call", "getCustomerEvents", "customerCode=C000001", "eventTypeIds=2",
		"DateFrom=2026-01-01T00:00:00"}, fakeFlags(srv)...)...)
	if r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	// -v logs every attempt on stderr, never a credential (runCLI checks every output).
	r = runCLI(t, runOpt{}, append([]string{"call", "getCustomerEventTypes", "-v"}, fakeFlags(srv)...)...)
	if r.code != exitOK || !strings.Contains(r.stderr, "path=/authorization/connect/token") || !strings.Contains(r.stderr, "path=/v1/customerEvent/event-types") {
		t.Errorf("-v: exit %d, stderr %s", r.code, r.stderr)
	}
	rq := srv.RequestsFor("getCustomerEvents")[0]
	if rq.Method != http.MethodGet || rq.Query != "customerCode=C000001&eventTypeIds=2" || string(rq.Body) != `{"DateFrom":"2026-01-01T00:00:00"}` {
		t.Errorf("sent %s %s?%s body %s", rq.Method, rq.Path, rq.Query, rq.Body)
	}
	r = runCLI(t, runOpt{}, append([]string{"call", "createOrUpdateQuotation", "customerCode=C000001", "staffCode=00001",
		"quotationSubject=Chairs & desks", "quotationDate=2026-06-05", "quotationValidUntil=2026-07-05", "quotationStatus=1",
		"vatCalculation=true", `quotationDetails=[{"productCode":"PD001","qty":2.5}]`, "discountValue=10.5", "note:=null"}, fakeFlags(srv)...)...)
	if r.code != exitUsage || !strings.Contains(r.stderr, `unknown parameter "note"`) {
		t.Errorf("undocumented field: exit %d, %s", r.code, r.stderr)
	}
	r = runCLI(t, runOpt{}, append([]string{"call", "createOrUpdateQuotation", "customerCode=C000001", "staffCode=00001",
		"quotationSubject=Chairs & desks", "quotationDate=2026-06-05", "quotationValidUntil=2026-07-05", "quotationStatus=1",
		"vatCalculation=true", `quotationDetails=[{"productCode":"PD001","qty":2.5}]`, "discountValue=10.5", "remark:=null"}, fakeFlags(srv)...)...)
	if r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var sent map[string]any
	if err := json.Unmarshal(srv.RequestsFor("createOrUpdateQuotation")[0].Body, &sent); err != nil {
		t.Fatal(err)
	}
	if sent["quotationStatus"] != 1.0 || sent["vatCalculation"] != true || sent["discountValue"] != 10.5 ||
		sent["quotationSubject"] != "Chairs & desks" || sent["remark"] != nil {
		t.Errorf("sent %v", sent)
	}
	if _, ok := sent["remark"]; !ok {
		t.Errorf("remark:=null was not sent as null: %v", sent)
	}
}

// TestExitCodeOfErrors classifies errors that the servers above cannot produce (a DNS
// failure would need a resolver, and tests send nothing beyond loopback).
func TestExitCodeOfErrors(t *testing.T) {
	dns := &url.Error{Op: "Get", URL: "https://api.example/x", Err: &net.DNSError{Err: "no such host", Name: "api.example", IsNotFound: true}}
	tests := []struct {
		name string
		err  error
		want int
	}{
		{"nil", nil, exitOK},
		{"usage", usagef("bad"), exitUsage},
		{"dns", dns, exitNetwork},
		{"dns while fetching a token", &url.Error{Op: "Get", URL: "u", Err: &api.TokenError{Err: dns.Err}}, exitNetwork},
		{"deadline", fmt.Errorf("call: %w", context.DeadlineExceeded), exitNetwork},
		{"token refused", &api.TokenError{APIError: &api.APIError{HTTPStatus: 400, Code: "invalid_request"}}, exitAuth},
		{"token source failed", &api.TokenError{Err: errors.New("empty token")}, exitAuth},
		{"401", &api.APIError{HTTPStatus: 401}, exitAuth},
		{"403", &api.APIError{HTTPStatus: 403}, exitAuth},
		{"404", &api.APIError{HTTPStatus: 404, Code: "4001"}, exitAPI},
		{"business", &api.APIError{HTTPStatus: 200, Code: "4002"}, exitAPI},
		{"decode", &api.DecodeError{HTTPStatus: 200, Err: errors.New("bad json")}, exitAPI},
	}
	for _, tt := range tests {
		if got := exitCode(tt.err); got != tt.want {
			t.Errorf("%s: exit %d, want %d", tt.name, got, tt.want)
		}
	}
}

// TestCallDoesNotRepeatNonIdempotentWrites: `gofive call` tags its request with the operation, so
// Update Product Stock (x-gofive-idempotent: false) answered with a 503 after the stock was
// updated is sent once, while a read answered with a 503 is retried (after the SDK's backoff,
// on a synctest bubble's clock).
func TestCallDoesNotRepeatNonIdempotentWrites(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ln := memnet.Listen()
		srv := gofivetest.NewServer(t, gofivetest.WithListener(ln), gofivetest.WithClock(fixedClock))
		tr := &http.Transport{DialContext: ln.DialContext}
		t.Cleanup(tr.CloseIdleConnections)
		ctx := withTransport(t.Context(), tr)
		srv.FailOperation("updateProductStock", 1, gofivetest.Status(http.StatusServiceUnavailable).AfterHandling())
		r := runCLI(t, runOpt{ctx: ctx, stdin: `[{"productCode":"A001","qty":20}]`}, append([]string{"call", "updateProductStock", "--body", "-"}, fakeFlags(srv)...)...)
		if r.code != exitAPI || srv.Count("updateProductStock") != 1 {
			t.Errorf("exit %d after %d requests, want exit %d after 1\nstderr: %s", r.code, srv.Count("updateProductStock"), exitAPI, r.stderr)
		}
		srv.FailOperation("getCustomerEventTypes", 1, gofivetest.Status(http.StatusServiceUnavailable))
		r = runCLI(t, runOpt{ctx: ctx}, append([]string{"call", "getCustomerEventTypes"}, fakeFlags(srv)...)...)
		if r.code != exitOK || srv.Count("getCustomerEventTypes") != 2 {
			t.Errorf("exit %d after %d requests, want exit %d after 2\nstderr: %s", r.code, srv.Count("getCustomerEventTypes"), exitOK, r.stderr)
		}
	})
}
