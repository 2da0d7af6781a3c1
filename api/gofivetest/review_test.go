package gofivetest_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// TestRequestLogMasksCredentialParamsInAnyQuery: a credential sent by name in the query
// (another account's key, say, from a misconfigured client) is masked even when the query
// does not parse (a semicolon: url.ParseQuery fails, and the raw query was kept as sent).
func TestRequestLogMasksCredentialParamsInAnyQuery(t *testing.T) {
	e := setup(t)
	const foreign = "ForeignSubscriptionKeyPlant77"
	for _, q := range []string{
		"subscription-key=" + foreign,
		"subscription-key=" + foreign + ";x=1",
		"x=1;y=2&subscription-key=" + foreign,
		"client_secret=" + foreign + "&x=%zz",
	} {
		e.srv.ResetRequests()
		req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, e.srv.URL+"/v1/customerEvent/event-types?"+q, nil)
		if err != nil {
			t.Fatal(err)
		}
		_ = e.auth(nil, req)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if dump := fmt.Sprintf("%+v", e.srv.Requests()); strings.Contains(dump, foreign) {
			t.Errorf("query %q: the log holds the credential: %s", q, dump)
		}
	}
}

// TestAmountsThatOverflowAreRejected: amounts the spec accepts (any JSON number) but whose
// product or sum overflows float64 to ±Inf/NaN are refused with 4001 and store nothing. They
// were stored, and every later read of the record (and every enquiry listing it) panicked in
// json.Marshal ("unsupported value: +Inf"): one request knocked the fake's reads over.
// Synthetic bodies.
func TestAmountsThatOverflowAreRejected(t *testing.T) {
	huge := "1e308"
	for _, c := range []struct {
		name, method, path, body string
		read                     []string // method, path of reads that must keep working
	}{
		{"quotation", "POST", "/v2/quotation",
			`{"quotationSubject":"Offer","quotationDate":"2026-06-05","quotationValidUntil":"2026-07-05","quotationStatus":2,"customerCode":"C000001","staffCode":"00004","vatCalculation":true,"quotationDetails":[{"productCode":"PD002","qty":` + huge + `,"price":` + huge + `}]}`,
			[]string{"POST", "/v1/quotation/enquiry", `{"take":100,"skip":0}`}},
		{"sales order", "POST", "/v2/salesorder",
			`{"salesOrderSubject":"Order","customerCode":"C000002","salesOrderDate":"2026-06-05","vatCalculation":false,"salesOrderDetails":[{"productCode":"PD001","qty":9223372036854775807,"price":` + huge + `}]}`,
			nil},
		{"expense", "POST", "/v1/Expenses",
			`{"subject":"Trip","ExpenseDetails":[{"expenseTypeId":1002,"amount":` + huge + `},{"expenseTypeId":1002,"amount":` + huge + `}]}`,
			[]string{"POST", "/v1/expenses/enquiry", `{"expenseTypeId":1002}`}},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := setup(t)
			status, body := e.raw(c.method, c.path, c.body)
			if status != http.StatusBadRequest || !strings.Contains(string(body), "4001") {
				t.Errorf("status %d %s; want 400 with 4001", status, body)
			}
			if c.read != nil {
				if status, body := e.raw(c.read[0], c.read[1], c.read[2]); status != http.StatusOK {
					t.Errorf("read after it: status %d %s", status, body)
				}
			}
		})
	}
}
