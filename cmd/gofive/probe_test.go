package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"golang.org/x/time/rate"

	"github.com/gofive-go/gofive/api/gofivetest"
	"github.com/gofive-go/gofive/api/gofivetest/memnet"
	"github.com/gofive-go/gofive/spec"
	"github.com/gofive-go/gofive/spec/proposal"
)

// Planted credentials of the deviating server: no output may contain them.
const (
	plantedClientID = "planted-client-id-Kx71"
	plantedSecret   = "planted-secret-Qw93zz"
	plantedKey      = "planted-subkey-Lm28pp"
	plantedToken    = "planted-token-Vb55nn"
)

// deviatingBodies are the deviating server's answers, by operation. They are SYNTHETIC test
// fixtures, not API facts: each plants distinctive values (strings and numbers that identify
// records) and one kind of deviation from the spec. The business codes (status.code) are the
// only values the report may show.
var deviatingBodies = map[string]string{
	"getAccessToken": `{"access_token":"` + plantedToken + `","token_type":"Bearer","expires_in":3600}`,
	// A list with identifiers the probe must find: a staff code, a quotation, its customer and
	// the sales order it was converted to.
	"employeesEnquiry": `{"data":{"value":[{"userId":"0b7c6a4e-1f2d-4c3b-9a8e-7d6c5b4a3f21","staffCode":"STAFF-PLANT-4412","fullname":"Plantedname Surnameplant"}]}}`,
	"quotationEnquiry": `{"status":{"code":"1000","description":"Planted success text"},"data":[{"quotationNo":"QPLANT77120","customerCode":"CPLANT55310","salesOrderNo":"SOPLANT99004","grandTotal":918273.64}]}`,
	// A field of the wrong type (customerId as a number in a string), a date in an undocumented
	// layout (quotationDate as DD/MM/YYYY).
	"getQuotation": `{"status":{"code":"1000","description":"Success"},"data":{"quotationNo":"QPLANT77120","customerCode":"CPLANT55310","customerId":"7364519","quotationDate":"31/12/2025","quotationSubject":"Planted subject Zephyrquote"}}`,
	// A business error at HTTP 200.
	"getCustomerByCode": `{"status":{"code":"4001","description":"Planted error description Xylo"},"data":null}`,
	// An undocumented field, a missing required field, a field of the wrong type.
	"getCustomerEventTypes": `{"status":{"code":"1000","description":"Success"},"data":[{"eventTypeId":5501,"eventTypeName":"Planted type Quokka","eventColour":"#PLANT01"},{"eventTypeId":"8802"}]}`,
	// A missing required member (status).
	"getCustomerEvents": `{"data":[]}`,
	// A list where the spec says object.
	"getProductByCode":    `{"status":{"code":"1000","description":"Success"},"data":[{"productCode":"PPLANT31337","productBarcode":"8850999123456"}]}`,
	"getProductsByFilter": `{"status":{"code":"1000","description":"Success"},"data":[{"productCode":"PPLANT31337","qty":48151623}]}`,
	// A business code that is not a number, and an object keyed by record codes: neither the
	// code nor the keys may be shown.
	"getSerialStatus": `{"status":{"code":"ERR-PLANT-CODE","description":"Planted"},"data":{"UNITPLANT4471":{"serial":"SERIALPLANT-0001"}}}`,
	"getSalesOrder":   `{"status":{"code":"1000","description":"Success"},"data":{"salesOrderNo":"SOPLANT99004","customerCode":"CPLANT55310","salesOrderId":60221409,"grandTotal":918273.64}}`,
}

// gatewayConflict is a gateway-shaped answer with a status no operation documents (synthetic).
const gatewayConflict = `{"statusCode":409,"message":"Planted conflict text Narwhal."}`

// gatewayBusy is the gateway's 429 answer (synthetic, in the shape issue 11 describes).
const gatewayBusy = `{"statusCode":429,"message":"Rate limit is exceeded. Planted retry text Wombat."}`

// readOnlyRoutes returns, straight from the spec's markers, the (method, path template) pairs a
// read-only client may send: the token endpoint, GETs, and POSTs marked x-gofive-read-only.
// It is the test's own reading of the spec, independent of the probe's.
func readOnlyRoutes(t *testing.T) map[string]bool {
	t.Helper()
	doc := spec.MustLoad()
	ok := map[string]bool{}
	for _, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			ro, _ := op.Extensions["x-gofive-read-only"].(bool)
			if method == http.MethodGet || (method == http.MethodPost && (ro || op.OperationID == "getAccessToken")) {
				ok[op.OperationID] = true
			}
		}
	}
	return ok
}

// deviatingServer answers the probe with deviatingBodies and fails the test on any request
// that is not read-only by the spec's markers.
type deviatingServer struct {
	*httptest.Server
	mu    sync.Mutex
	seen  []string // operation ids, in order
	sent  []string // every body the server sent, for the planted-value check
	onReq func(opID string)
}

func newDeviatingServer(t *testing.T) *deviatingServer {
	t.Helper()
	allowed := readOnlyRoutes(t)
	v, err := spec.NewValidator(spec.SkipSecurityCheck())
	if err != nil {
		t.Fatal(err)
	}
	d := &deviatingServer{}
	d.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, io.LimitReader(r.Body, 1<<20))
		rt, err := v.Route(r)
		if err != nil || !allowed[rt.OperationID] {
			t.Errorf("the probe sent a request that is not read-only: %s %s", r.Method, r.URL.Path)
			http.Error(w, "not read-only", http.StatusInternalServerError)
			return
		}
		id := rt.OperationID
		d.mu.Lock()
		d.seen = append(d.seen, id)
		on := d.onReq
		d.mu.Unlock()
		if on != nil {
			on(id)
		}
		if id != "getAccessToken" && r.Header.Get("Authorization") != "Bearer "+plantedToken {
			t.Errorf("%s sent without the bearer token", id)
		}
		w.Header().Set("Content-Type", "application/json")
		if id == "getHeaderTemplate" {
			// The gateway's rate limit, on every attempt; Retry-After 0 keeps the test fast.
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(http.StatusTooManyRequests)
			io.WriteString(w, gatewayBusy)
			d.record(gatewayBusy)
			return
		}
		if id == "getProductUnits" {
			// A status the operation does not document.
			w.WriteHeader(http.StatusConflict)
			io.WriteString(w, gatewayConflict)
			d.record(gatewayConflict)
			return
		}
		body, ok := deviatingBodies[id]
		if !ok {
			body = `{"status":{"code":"1000","description":"Success"},"data":[]}`
		}
		d.record(body)
		io.WriteString(w, body)
	}))
	t.Cleanup(d.Close)
	return d
}

func (d *deviatingServer) record(body string) {
	d.mu.Lock()
	d.sent = append(d.sent, body)
	d.mu.Unlock()
}

func (d *deviatingServer) flags() []string {
	return []string{"--base-url", d.URL, "--client-id", plantedClientID, "--client-secret", plantedSecret,
		"--subscription-key", plantedKey, "--rate", "1000"}
}

// plantedValues lists every value the server sent, except business codes: strings of four
// characters or more and numbers of four digits or more (shorter ones occur in any text).
func (d *deviatingServer) plantedValues(t *testing.T) []string {
	t.Helper()
	d.mu.Lock()
	defer d.mu.Unlock()
	vals := []string{plantedClientID, plantedSecret, plantedKey, plantedToken}
	var walk func(key string, v any)
	walk = func(key string, v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, m := range x {
				if strings.Contains(k, "PLANT") {
					vals = append(vals, k) // a record code used as a key
				}
				walk(k, m)
			}
		case []any:
			for _, e := range x {
				walk(key, e)
			}
		case string:
			if !(key == "code" && businessCdRE.MatchString(x)) && len(x) >= 4 {
				vals = append(vals, x)
			}
		case json.Number:
			if key != "code" && len(strings.Trim(string(x), "-.")) >= 4 {
				vals = append(vals, string(x))
				if i := strings.IndexByte(string(x), '.'); i > 0 {
					vals = append(vals, string(x)[:i]) // the integer part of a decimal
				}
			}
		}
	}
	for _, b := range d.sent {
		dec := json.NewDecoder(strings.NewReader(b))
		dec.UseNumber()
		var doc any
		if err := dec.Decode(&doc); err != nil {
			t.Fatalf("fixture is not JSON: %v", err)
		}
		walk("", doc)
	}
	return vals
}

// noPlanted fails when any planted value or secret appears in out.
func noPlanted(t *testing.T, what, out string, planted []string) {
	t.Helper()
	for _, p := range planted {
		if strings.Contains(out, p) {
			t.Errorf("%s contains the response value or secret %q", what, p)
		}
	}
}

// TestProbeDeviating runs the probe against a server that deviates from the spec in each of
// the ways the report must show: every deviation is reported by operation and JSON path, the
// exit status is 1, nothing but read-only requests is sent (the server fails the test
// otherwise), and no response value or secret appears in any output.
func TestProbeDeviating(t *testing.T) {
	srv := newDeviatingServer(t)
	r := runCLI(t, runOpt{}, append([]string{"probe"}, srv.flags()...)...)
	if r.code != exitAPI {
		t.Errorf("exit %d, want %d\n%s%s", r.code, exitAPI, r.stdout, r.stderr)
	}
	golden(t, "probe_deviating", r)

	rj := runCLI(t, runOpt{}, append([]string{"probe", "--json"}, srv.flags()...)...)
	if rj.code != exitAPI {
		t.Errorf("--json: exit %d, want %d", rj.code, exitAPI)
	}
	var rep probeReport
	if err := json.Unmarshal([]byte(rj.stdout), &rep); err != nil {
		t.Fatalf("--json output is not JSON: %v\n%s", err, rj.stdout)
	}
	byOp := map[string]*probeResult{}
	for _, o := range rep.Operations {
		byOp[o.OperationID] = o
	}
	want := []struct{ op, path, kind, observed string }{
		{"getQuotation", "$.data.customerId", kindMismatch, "string (integer in string)"},
		{"getQuotation", "$.data.quotationDate", kindDateLayout, "string (date in an undocumented layout (DD/MM/YYYY))"},
		{"getCustomerEventTypes", "$.data[*].eventColour", kindUndocumented, "present: string (text)"},
		{"getCustomerEventTypes", "$.data[*].eventTypeName", kindDocsRequired, "absent"},
		{"getCustomerEventTypes", "$.data[*].eventTypeId", kindMismatch, "string (integer in string)"},
		{"getCustomerEvents", "$.status", kindMissing, "absent"},
		{"getProductByCode", "$.data", kindMismatch, "an array"},
		{"getCustomerByCode", "$.status.code", kindBusiness, "business code 4001"},
		{"getProductUnits", "", kindStatus, "HTTP 409, which this operation does not document"},
	}
	for _, w := range want {
		o := byOp[w.op]
		if o == nil {
			t.Errorf("%s: not in the report", w.op)
			continue
		}
		i := slices.IndexFunc(o.Deviations, func(f finding) bool { return f.Path == w.path && f.Kind == w.kind })
		if i < 0 {
			t.Errorf("%s: no %s deviation at %q; got %+v", w.op, w.kind, w.path, o.Deviations)
			continue
		}
		if got := o.Deviations[i].Observed; got != w.observed {
			t.Errorf("%s %s: observed %q, want %q", w.op, w.path, got, w.observed)
		}
	}
	if o := byOp["getHeaderTemplate"]; o == nil || o.HTTPStatus != http.StatusTooManyRequests || o.Attempts != 4 ||
		o.Outcome != outcomeError || !strings.Contains(o.Note, "rate limit") {
		t.Errorf("getHeaderTemplate: want HTTP 429 (the gateway's rate limit) after the SDK's 4 attempts, got %+v", o)
	}
	if o := byOp["getCustomerByCode"]; o == nil || o.BusinessCode != "4001" || o.Outcome != outcomeError {
		t.Errorf("getCustomerByCode: want a business error 4001, got %+v", o)
	}
	// Identifiers found in the lists were used: the quotation, its customer, its sales order.
	for _, id := range []string{"getQuotation", "getCustomerByCode", "getCustomerEvents", "getSalesOrder", "getProductByCode"} {
		if o := byOp[id]; o == nil || o.HTTPStatus == 0 {
			t.Errorf("%s was not sent (identifier discovery): %+v", id, o)
		}
	}
	planted := srv.plantedValues(t)
	for _, res := range []result{r, rj} {
		noPlanted(t, "stdout", res.stdout, planted)
		noPlanted(t, "stderr", res.stderr, planted)
	}
}

// TestProbeFake probes the fake after `gofive demo` has filled it (a customer, an event, a
// quotation converted to a sales order): no deviation, exit 0.
func TestProbeFake(t *testing.T) {
	srv := gofivetest.NewServer(t, gofivetest.WithClock(fixedClock))
	if d := runCLI(t, runOpt{}, append([]string{"demo"}, fakeFlags(srv)...)...); d.code != exitOK {
		t.Fatalf("demo: exit %d\n%s%s", d.code, d.stdout, d.stderr)
	}
	r := runCLI(t, runOpt{}, append([]string{"probe", "--rate", "1000"}, fakeFlags(srv)...)...)
	if r.code != exitOK {
		t.Errorf("exit %d, want 0\n%s%s", r.code, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stdout, "0 deviating (0 deviations)") {
		t.Errorf("want 0 deviations:\n%s", r.stdout)
	}
	golden(t, "probe_fake", r)
}

// TestProbeBuiltInFake: without credentials the probe uses the built-in fake and says so.
func TestProbeBuiltInFake(t *testing.T) {
	r := runCLI(t, runOpt{}, "probe", "--rate", "1000")
	if r.code != exitOK || !strings.Contains(r.stderr, "built-in fake server") {
		t.Errorf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// TestProbeGuardRefusesWrites sends a request for every operation of the spec through the
// probe's guard: only the token endpoint, GETs and POSTs marked x-gofive-read-only reach the
// server; every other one is refused before it is sent.
func TestProbeGuardRefusesWrites(t *testing.T) {
	allowed := readOnlyRoutes(t)
	var mu sync.Mutex
	var arrived []string
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		arrived = append(arrived, r.Method+" "+r.URL.Path)
		mu.Unlock()
		io.WriteString(w, `{}`)
	}))
	defer ts.Close()
	idx, err := loadIndex()
	if err != nil {
		t.Fatal(err)
	}
	g := newTestGuard(t, http.DefaultTransport, strings.TrimPrefix(ts.URL, "http://"), rate.NewLimiter(rate.Inf, 1), 1000)
	hc := &http.Client{Transport: g}
	var sentOK, refused int
	for _, o := range idx.ops {
		path := strings.NewReplacer("{", "", "}", "").Replace(o.Path) // any value fills a template
		req, _ := http.NewRequest(o.Method, ts.URL+path, strings.NewReader(`{}`))
		resp, err := hc.Do(req)
		if allowed[o.ID] {
			if err != nil {
				t.Errorf("%s %s (read-only) refused: %v", o.Method, o.Path, err)
				continue
			}
			resp.Body.Close()
			sentOK++
			continue
		}
		if err == nil {
			resp.Body.Close()
			t.Errorf("%s %s (%s) was sent: it is not read-only", o.Method, o.Path, o.ID)
			continue
		}
		refused++
	}
	// Not an operation of the spec, and another host: refused too.
	for _, u := range []string{ts.URL + "/v9/unknown", "http://other.invalid/v1/quotation/Q1"} {
		req, _ := http.NewRequest(http.MethodGet, u, nil)
		if resp, err := hc.Do(req); err == nil {
			resp.Body.Close()
			t.Errorf("GET %s was sent", u)
		}
	}
	if len(arrived) != sentOK || sentOK != len(allowed) || refused != len(idx.ops)-len(allowed) {
		t.Errorf("sent %d (server saw %d), refused %d; the spec has %d read-only and %d other operations",
			sentOK, len(arrived), refused, len(allowed), len(idx.ops)-len(allowed))
	}
	if sentOK == 0 || refused == 0 {
		t.Fatal("the spec should have both read-only and writing operations")
	}
}

// TestProbeExitCodes covers the CLI's table: usage, plain http to another host, refused token,
// no answer, the request cap.
func TestProbeExitCodes(t *testing.T) {
	closed := httptest.NewServer(http.NotFoundHandler())
	closedURL := closed.URL
	closed.Close()
	tokenRefused := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		io.WriteString(w, `{"error":"invalid_client","error_description":"Planted OAuth text Ibex"}`)
	}))
	defer tokenRefused.Close()
	creds := []string{"--client-id", plantedClientID, "--client-secret", plantedSecret, "--subscription-key", plantedKey, "--rate", "1000"}
	cases := []struct {
		name string
		args []string
		code int
		text string
	}{
		{"bad flag", []string{"probe", "--nope"}, exitUsage, "flag provided but not defined"},
		{"argument", []string{"probe", "extra"}, exitUsage, "unexpected argument"},
		{"zero cap", []string{"probe", "--max-requests", "0"}, exitUsage, "--max-requests"},
		{"incomplete credentials", []string{"probe", "--client-id", "x"}, exitUsage, "incomplete credentials"},
		{"plain http to another host", append([]string{"probe", "--base-url", "http://api.example.com"}, creds...), exitUsage, "https"},
		{"token refused", append([]string{"probe", "--base-url", tokenRefused.URL}, creds...), exitAuth, "token request failed: HTTP 401, error invalid_client"},
		{"no answer", append([]string{"probe", "--base-url", closedURL}, creds...), exitNetwork, "no answer: connection refused"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			check := func(t *testing.T, r result) {
				if r.code != c.code {
					t.Errorf("exit %d, want %d\n%s%s", r.code, c.code, r.stdout, r.stderr)
				}
				if !strings.Contains(r.stdout+r.stderr, c.text) {
					t.Errorf("output lacks %q:\n%s%s", c.text, r.stdout, r.stderr)
				}
				noPlanted(t, "output", r.stdout+r.stderr, []string{plantedSecret, plantedKey, "Planted OAuth text Ibex"})
			}
			if !slices.Contains(c.args, closedURL) {
				check(t, runCLI(t, runOpt{}, c.args...))
				return
			}
			// The closed port: its dials are refused in a bubble, where the SDK's retry
			// backoff runs on the fake clock and takes no real time.
			synctest.Test(t, func(t *testing.T) {
				check(t, runCLI(t, runOpt{ctx: withTransport(t.Context(), refusingTransport())}, c.args...))
			})
		})
	}
	// The cap, at the default --rate (2 requests a second, a burst of 1): the guard lets the
	// token request and two operations through, at exactly 0, 0.5 and 1 s on the bubble's
	// clock, and sends nothing after.
	t.Run("request cap", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			ln := memnet.Listen()
			srv := gofivetest.NewServer(t, gofivetest.WithListener(ln), gofivetest.WithClock(fixedClock))
			tr := &http.Transport{DialContext: ln.DialContext}
			t.Cleanup(tr.CloseIdleConnections)
			var mu sync.Mutex
			var sentAt []time.Duration // when each request left the guard, since start
			start := time.Now()
			rec := roundTripFunc(func(r *http.Request) (*http.Response, error) {
				mu.Lock()
				sentAt = append(sentAt, time.Since(start))
				mu.Unlock()
				return tr.RoundTrip(r)
			})
			// Any loopback base URL passes the probe's https-or-loopback rule; the
			// transport dials the in-memory listener whatever the address.
			r := runCLI(t, runOpt{ctx: withTransport(t.Context(), rec)}, "probe", "--max-requests", "3",
				"--base-url", "http://127.0.0.1:1", "--client-id", srv.ClientID,
				"--client-secret", srv.ClientSecret, "--subscription-key", srv.SubscriptionKey)
			if !strings.Contains(r.stdout, "request cap (--max-requests) was reached") {
				t.Errorf("no operation skipped for the cap:\n%s%s", r.stdout, r.stderr)
			}
			if n := len(srv.Requests()); n != 3 {
				t.Errorf("the server saw %d requests, want 3 (the cap)", n)
			}
			mu.Lock()
			defer mu.Unlock()
			if want := []time.Duration{0, 500 * time.Millisecond, time.Second}; !slices.Equal(sentAt, want) {
				t.Errorf("requests sent at %v, want %v (2/s, burst 1)", sentAt, want)
			}
			// The guard's refusal is final: the SDK does not retry it with a backoff.
			if d := time.Since(start); d != time.Second {
				t.Errorf("the probe ended %v in, want 1s (the third request; a refused one is not retried)", d)
			}
		})
	})
}

// TestProbeInterrupted: a Ctrl-C (the context's cancellation) mid-run stops the probe, which
// still prints what it saw, and exits 130.
func TestProbeInterrupted(t *testing.T) {
	srv := newDeviatingServer(t)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var n int
	srv.onReq = func(string) {
		n++
		if n == 3 { // the token, then two operations
			cancel()
		}
	}
	r := runCLI(t, runOpt{ctx: ctx}, append([]string{"probe"}, srv.flags()...)...)
	if r.code != exitInterrupted {
		t.Errorf("exit %d, want %d\n%s%s", r.code, exitInterrupted, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stdout, "Interrupted: this report is partial.") || !strings.Contains(r.stdout, "interrupted") {
		t.Errorf("no partial report:\n%s", r.stdout)
	}
	if !strings.Contains(r.stdout, "ok: HTTP 200") {
		t.Errorf("the answers before the interrupt are not reported:\n%s", r.stdout)
	}
	noPlanted(t, "stdout", r.stdout, srv.plantedValues(t))
}

// TestProbePropose: --propose writes fragments for answers the spec marks unrecovered or
// partial, built from the observed skeleton, marked as observed with the date; they hold no
// response value.
func TestProbePropose(t *testing.T) {
	srv := newDeviatingServer(t)
	dir := t.TempDir()
	r := runCLI(t, runOpt{}, append([]string{"probe", "--propose", dir}, srv.flags()...)...)
	if r.code != exitAPI {
		t.Errorf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.yaml"))
	var names []string
	for _, f := range files {
		names = append(names, filepath.Base(f))
	}
	// quotationEnquiry (UnrecoveredEnvelope) and getSalesOrder (partial SalesOrder) answered
	// 200 with business code 1000; getQuotation deviates but answered, so it is proposed too.
	for _, want := range []string{"quotationEnquiry.yaml", "getSalesOrder.yaml", "employeesEnquiry.yaml"} {
		if !slices.Contains(names, want) {
			t.Errorf("no %s among %v", want, names)
		}
	}
	// Not proposed: a business error, a 429, an operation whose schema is complete.
	for _, not := range []string{"getCustomerByCode.yaml", "getHeaderTemplate.yaml", "getCustomerEventTypes.yaml"} {
		if slices.Contains(names, not) {
			t.Errorf("%s was proposed", not)
		}
	}
	planted := srv.plantedValues(t)
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		noPlanted(t, filepath.Base(f), string(b), planted)
		frag, err := proposal.Read(f)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if frag.Source != proposal.Observed || frag.Date != "2026-06-05" {
			t.Errorf("%s: source %q date %q, want observed 2026-06-05", f, frag.Source, frag.Date)
		}
	}
	b, _ := os.ReadFile(filepath.Join(dir, "quotationEnquiry.yaml"))
	for _, want := range []string{"x-gofive-sources:", "OBSERVED by gofive probe on 2026-06-05", "quotationNo:", "type: string", "grandTotal:", "type: number"} {
		if !bytes.Contains(b, []byte(want)) {
			t.Errorf("quotationEnquiry.yaml lacks %q:\n%s", want, b)
		}
	}
}

// TestStringForm: the forms the report shows for strings.
func TestStringForm(t *testing.T) {
	for in, want := range map[string]string{
		"":                                     "empty string",
		"  ":                                   "blank string",
		"b946c326-7e0d-4291-aac0-c20afbfc44f2": "GUID",
		"00001":                                "integer in string",
		"12.50":                                "decimal in string",
		"true":                                 "boolean in string",
		"2025-01-29T15:38:43+0700":             "date 2006-01-02T15:04:05-0700",
		"2021-09-17T10:42:31.981Z":             "date 2006-01-02T15:04:05.000Z07:00",
		"2023-08-04":                           "date 2006-01-02",
		"31/12/2025":                           "date in an undocumented layout (DD/MM/YYYY)",
		"12/31/2025 10:00":                     "date in an undocumented layout (MM/DD/YYYY hh:mm)",
		"/Date(1700000000000)/":                "date in an undocumented layout (/Date(milliseconds)/)",
		"Office Chair":                         "text",
	} {
		if got := stringForm(in); got != want {
			t.Errorf("stringForm(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{"staffCode": "staffCode", "C000001": "<key>", "a b": "<key>", "amount1": "amount1"} {
		if got := safeKey(in); got != want {
			t.Errorf("safeKey(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestProbeBodies: the enquiry bodies are built from the spec (required fields, paging) and
// pass its validation.
func TestProbeBodies(t *testing.T) {
	idx, err := loadIndex()
	if err != nil {
		t.Fatal(err)
	}
	p := &prober{idx: idx}
	for id, want := range map[string]string{
		"quotationEnquiry":             `{"skip":0,"take":5}`,
		"employeesEnquiry":             `{"pageLength":5,"skip":0}`,
		"getProductsWithTakeAndStatus": `{"status":[0,1],"take":5}`,
		"expenseEnquiry":               `{"expenseTypeId":1001}`,
		"conversationEnquiry":          `{}`,
	} {
		b, err := p.body(idx.byID[id])
		if err != nil {
			t.Errorf("%s: %v", id, err)
			continue
		}
		if string(b) != want {
			t.Errorf("%s: body %s, want %s", id, b, want)
		}
	}
	if got := fmt.Sprint(candidates(idx.byID["getExpense"], "id")); got != "[id expenseId]" {
		t.Errorf("candidates for getExpense id: %s", got)
	}
	if got := strconv.Quote(fmt.Sprint(candidates(idx.byID["getQuotation"], "quotationNo"))); got != `"[quotationNo]"` {
		t.Errorf("candidates for getQuotation quotationNo: %s", got)
	}
}

// TestFoldPath: validator paths are folded ([*] for indexes) and keys that look like data are
// hidden.
func TestFoldPath(t *testing.T) {
	for in, want := range map[string]string{
		"$.data[3].qty":                "$.data[*].qty",
		`$.data["C000123"].name`:       "$.data.<key>.name",
		`$.data["a b"][0]`:             "$.data.<key>[*]",
		"query.customerCode":           "query.customerCode",
		"path.C0001234":                "path.<key>",
		"":                             "$",
		"$.salesorderDetails[10][2].x": "$.salesorderDetails[*][*].x",
	} {
		if got := normalPath(in); got != want {
			t.Errorf("normalPath(%q) = %q, want %q", in, got, want)
		}
	}
}

// newTestGuard returns the probe's guard over base, routing with the spec and allowing what
// the probe's own reading of the markers allows (openProbe builds it the same way).
func newTestGuard(t *testing.T, base http.RoundTripper, host string, limiter *rate.Limiter, max int) *probeGuard {
	t.Helper()
	idx, err := loadIndex()
	if err != nil {
		t.Fatal(err)
	}
	router, err := spec.NewValidator(spec.SkipSecurityCheck())
	if err != nil {
		t.Fatal(err)
	}
	return &probeGuard{base: base, validator: router, allowed: readOnlyOperations(idx), host: host, limiter: limiter, max: max}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestProbeGuardRateLimit: the guard spaces requests at --rate (2 per second by default), on a
// fake clock.
func TestProbeGuardRateLimit(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var sent []time.Time
		base := roundTripFunc(func(r *http.Request) (*http.Response, error) {
			sent = append(sent, time.Now())
			return &http.Response{StatusCode: 200, Body: io.NopCloser(strings.NewReader("{}")), Header: http.Header{}}, nil
		})
		g := newTestGuard(t, base, "api.test", rate.NewLimiter(rate.Limit(defaultProbeRate), 1), 100)
		start := time.Now()
		for range 5 {
			req, _ := http.NewRequest(http.MethodGet, "https://api.test/v1/customerEvent/event-types", nil)
			resp, err := g.RoundTrip(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
		}
		if len(sent) != 5 {
			t.Fatalf("sent %d", len(sent))
		}
		if got := sent[4].Sub(start); got != 2*time.Second {
			t.Errorf("5 requests at 2/s took %v, want 2s", got)
		}
	})
}
