package gofivetest_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"strings"
	"testing"

	"github.com/gofive-go/gofive/api/gofivetest"
)

// TestRequestLogBounded: the log keeps the last WithRequestLogSize entries; Seq keeps
// counting.
func TestRequestLogBounded(t *testing.T) {
	e := setup(t, gofivetest.WithRequestLogSize(5))
	for range 8 {
		e.raw(http.MethodGet, "/v1/customerEvent/event-types", "")
	}
	log := e.srv.Requests()
	if len(log) != 5 {
		t.Fatalf("%d entries, want 5", len(log))
	}
	if log[0].Seq != 5 || log[4].Seq != 9 { // 1 is the token request
		t.Errorf("Seq %d…%d, want 5…9", log[0].Seq, log[4].Seq)
	}
	e.srv.ResetRequests()
	if n := len(e.srv.Requests()); n != 0 {
		t.Errorf("%d entries after ResetRequests", n)
	}
}

// TestRequestLogKeepsNoStrayBodiesOrCredentials: a body is kept only for an authenticated
// request to an operation; no credential is kept, wherever it was sent.
func TestRequestLogKeepsNoStrayBodiesOrCredentials(t *testing.T) {
	e := setup(t)
	secretBody := "grant_type=client_credentials&client_secret=" + e.srv.ClientSecret
	big := strings.Repeat("x", 1<<20)
	send := func(method, path, body string, auth bool) {
		req, err := http.NewRequestWithContext(t.Context(), method, e.srv.URL+path, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		if auth {
			_ = e.auth(nil, req)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	e.srv.ResetRequests()
	send(http.MethodPost, "/authorization/connect/tokn", secretBody, false)                                 // misrouted
	send(http.MethodPost, "/v1/nowhere", big, true)                                                         // misrouted, authenticated
	send(http.MethodPost, "/v1/customerEvent", big, false)                                                  // routed, unauthenticated
	send(http.MethodGet, "/v1/customerEvent/event-types?subscription-key="+e.srv.SubscriptionKey, "", true) // key in the query
	send(http.MethodPost, "/v1/customerEvent", `{"eventName":"x"}`, true)                                   // routed, authenticated
	log := e.srv.Requests()
	if len(log) != 5 {
		t.Fatalf("%d entries, want 5", len(log))
	}
	for i, r := range log[:4] {
		if len(r.Body) != 0 {
			t.Errorf("entry %d (%s %s): body of %d bytes kept", i, r.Method, r.Path, len(r.Body))
		}
	}
	if string(log[4].Body) != `{"eventName":"x"}` {
		t.Errorf("authenticated request's body %q not kept", log[4].Body)
	}
	dump := fmt.Sprintf("%+v", log)
	for _, s := range []string{e.srv.ClientSecret, e.srv.SubscriptionKey, e.tok} {
		if strings.Contains(dump, s) {
			t.Errorf("the log holds a credential: %s", dump)
		}
	}
}

// TestPagingParametersOverflow: take or pageLength = MaxInt64 with skip = 1 is a page like
// any other (it panicked: skip+take overflowed).
func TestPagingParametersOverflow(t *testing.T) {
	e := setup(t)
	const max = "9223372036854775807"
	for _, c := range []struct{ path, body string }{
		{"/v1/Employees/Enquiry", `{"skip":1,"pageLength":` + max + `}`},
		{"/v1/quotation/enquiry", `{"skip":1,"take":` + max + `}`},
		{"/v1/products/getProduct", `{"productType":1301,"status":[1,0],"skip":1,"take":` + max + `}`},
	} {
		status, body := e.raw(http.MethodPost, c.path, c.body)
		if status != http.StatusOK {
			t.Errorf("%s %s: status %d %s", c.path, c.body, status, body)
		}
	}
}

// TestDocumentedRules: values the docs constrain are checked and answered with the business
// error 4001; values they leave open are accepted. The bodies are synthetic test data.
func TestDocumentedRules(t *testing.T) {
	e := setup(t)
	event := func(typ, code string) string {
		return `{"eventName":"Visit","eventType":` + typ + `,"eventDate":"2026-06-05T10:00:00","customerCode":"` + code + `"}`
	}
	caseBody := func(customer string) string {
		return `{"caseType":1,"subject":"Printer broken",` + customer + `"categoryId":2140016585,"dateCase":"2026-06-05T10:00:00.000+0700","dateDue":"2026-06-06T10:00:00.000+0700","assignedToUserId":"6d473b8f-a6b3-4536-b1e6-f4b7688414e2"}`
	}
	quotation := func(code string) string {
		return `{"quotationSubject":"Offer","quotationDate":"2026-06-05","quotationValidUntil":"2026-07-05","quotationStatus":2,"customerCode":"` + code + `","staffCode":"00004","vatCalculation":true,"quotationDetails":[{"productCode":"PD002","qty":2}]}`
	}
	tests := []struct {
		name, method, path, body string
		want                     string // business code
	}{
		{"event", "POST", "/v1/customerEvent", event("1", "C000001"), "1000"},
		{"event type not in Get Customer Event Types", "POST", "/v1/customerEvent", event("99", "C000001"), "4001"},
		{"event type 0", "POST", "/v1/customerEvent", event("0", "C000001"), "4001"},
		{"event for no customer", "POST", "/v1/customerEvent", event("1", "C999999"), "4001"},
		{"edit event to an unknown type", "PUT", "/v1/customerEvent/1", `{"eventType":42}`, "4001"},
		{"edit event to no customer", "PUT", "/v1/customerEvent/1", `{"customerCode":"C999999"}`, "4001"},
		{"customer state 3", "POST", "/v3/customers", `{"customerName":"Rule Co","customerState":3}`, "1000"},
		{"customer state 0", "POST", "/v3/customers", `{"customerName":"Rule Co 0","customerState":0}`, "4001"},
		{"customer state 4", "POST", "/v3/customers", `{"customerName":"Rule Co 4","customerState":4}`, "4001"},
		{"case without customer", "POST", "/v1/case", caseBody(""), "1000"},
		{"case for a customer", "POST", "/v1/case", caseBody(`"customerCode":"C000001",`), "1000"},
		{"case for no customer", "POST", "/v1/case", caseBody(`"customerCode":"C999999",`), "4001"},
		{"quotation", "POST", "/v2/quotation", quotation("C000001"), "1000"},
		{"quotation for no customer", "POST", "/v2/quotation", quotation("C999999"), "4001"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, body := e.raw(tc.method, tc.path, tc.body)
			if !strings.Contains(string(body), `"code":"`+tc.want+`"`) {
				t.Errorf("status %d %s, want business code %s", status, body, tc.want)
			}
		})
	}
}

// TestAdminEndpoint: with WithAdminEndpoint the log is readable and clearable over HTTP with
// the subscription key, and only then; its own requests are not logged.
func TestAdminEndpoint(t *testing.T) {
	for _, admin := range []bool{false, true} {
		var opts []gofivetest.Option
		if admin {
			opts = append(opts, gofivetest.WithAdminEndpoint())
		}
		e := setup(t, opts...)
		e.raw(http.MethodGet, "/v1/customerEvent/event-types", "")
		do := func(method string, key string) (int, string) {
			req, _ := http.NewRequestWithContext(t.Context(), method, e.srv.URL+gofivetest.AdminRequestsPath, nil)
			if key != "" {
				req.Header.Set("Ocp-Apim-Subscription-Key", key)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var b strings.Builder
			_, _ = io.Copy(&b, resp.Body)
			return resp.StatusCode, b.String()
		}
		before := len(e.srv.Requests())
		if status, _ := do(http.MethodGet, ""); status != http.StatusUnauthorized && admin || status == http.StatusOK && !admin {
			t.Errorf("admin %v, no key: status %d", admin, status)
		}
		status, body := do(http.MethodGet, e.srv.SubscriptionKey)
		if !admin {
			if status == http.StatusOK {
				t.Errorf("admin endpoint served without WithAdminEndpoint: %s", body)
			}
			continue
		}
		var log []map[string]any
		if err := json.Unmarshal([]byte(body), &log); status != http.StatusOK || err != nil || len(log) != before ||
			log[len(log)-1]["operationId"] != "getCustomerEventTypes" {
			t.Errorf("GET: %d %s", status, body)
		}
		if status, _ := do(http.MethodDelete, e.srv.SubscriptionKey); status != http.StatusNoContent || len(e.srv.Requests()) != 0 {
			t.Errorf("DELETE: %d, %d entries left", status, len(e.srv.Requests()))
		}
	}
}

// TestRequestLogMemory: stray large POSTs (no credentials, no operation) leave nothing
// behind; before, every body was kept (60 stray 9 MB POSTs grew `gofive fake` to 737 MB).
func TestRequestLogMemory(t *testing.T) {
	srv := gofivetest.NewServer(t)
	body := strings.Repeat("x", 1<<20)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for range 30 {
		resp, err := http.Post(srv.URL+"/v1/stray", "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	grown := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	t.Logf("heap grew by %d bytes after 30 stray 1 MiB POSTs", grown)
	if grown > 8<<20 {
		t.Errorf("heap grew by %d bytes after 30 stray 1 MiB POSTs: the bodies are kept", grown)
	}
	if n := len(srv.Requests()); n != 30 {
		t.Errorf("%d entries, want 30", n)
	}
}
