package gofivetest_test

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gofive-go/gofive/api/gofivetest"
	"github.com/gofive-go/gofive/gen"
)

func TestConcurrentUse(t *testing.T) {
	e := setup(t)
	const n = 40
	var wg sync.WaitGroup
	codes := make([]string, n)
	orders := make([]string, n)
	for i := range n {
		wg.Go(func() {
			res, err := e.c.CreateOrUpdateCustomerWithResponse(t.Context(), gen.CustomerRequest{
				CustomerName: fmt.Sprintf("Concurrent %d", i), CustomerState: 3})
			if err != nil || res.StatusCode() != 200 {
				t.Errorf("customer %d: %v %s", i, err, res.Body)
				return
			}
			codes[i] = data[map[string]string](t, res.Body)["customerCode"]
			so, err := e.c.CreateOrUpdateSalesOrderWithResponse(t.Context(), gen.SalesOrderRequest{
				SalesOrderSubject: "x", CustomerCode: codes[i], SalesOrderDate: fixedWire(), VatCalculation: true,
				SalesOrderDetails: []gen.SalesOrderRequestLine{{ProductCode: "PD001"}}})
			if err != nil || so.StatusCode() != 200 {
				t.Errorf("order %d: %v %s", i, err, so.Body)
				return
			}
			orders[i] = data[map[string]any](t, so.Body)["salesOrderNo"].(string)
			if _, err := e.c.GetSalesOrderWithResponse(t.Context(), orders[i]); err != nil {
				t.Error(err)
			}
			e.srv.Requests() // the log is read while written
		})
	}
	wg.Wait()
	seen := map[string]bool{}
	for _, id := range append(codes, orders...) {
		if id == "" || seen[id] {
			t.Errorf("missing or duplicate identifier %q", id)
		}
		seen[id] = true
	}
	if got := len(e.srv.SalesOrderNos()); got != n {
		t.Errorf("%d sales orders", got)
	}
}

func TestDeterministicSeed(t *testing.T) {
	a := gofivetest.NewServer(t, gofivetest.WithSeed(7))
	b := gofivetest.NewServer(t, gofivetest.WithSeed(7))
	c := gofivetest.NewServer(t, gofivetest.WithSeed(8))
	dump := func(s *gofivetest.Server) string {
		var sb strings.Builder
		for _, e := range s.Employees() {
			fmt.Fprintf(&sb, "%s %s %s\n", e.UserID, e.StaffCode, e.Fullname)
		}
		for _, code := range s.CustomerCodes() {
			cu, _ := s.Customer(code)
			fmt.Fprintf(&sb, "%s %s %s\n", code, cu.CustomerID, cu.CustomerName)
		}
		for _, code := range s.ProductCodes() {
			p, _ := s.Product(code)
			fmt.Fprintf(&sb, "%s %s %v %d\n", code, p.Item.ProductName, p.Item.Prices, p.Qty)
		}
		return sb.String()
	}
	if dump(a) != dump(b) {
		t.Error("the same seed gave different data")
	}
	if dump(a) == dump(c) {
		t.Error("different seeds gave the same data")
	}
}

// TestIdentifierFormats checks the documented number forms.
func TestIdentifierFormats(t *testing.T) {
	e := setup(t, gofivetest.WithClock(func() time.Time { return time.Date(2025, 2, 3, 4, 5, 6, 0, time.UTC) }))
	ctx := t.Context()
	cust, _ := e.c.CreateOrUpdateCustomerWithResponse(ctx, gen.CustomerRequest{CustomerName: "Format Co", CustomerState: 3})
	so, _ := e.c.CreateOrUpdateSalesOrderWithResponse(ctx, gen.SalesOrderRequest{SalesOrderSubject: "s", CustomerCode: "C000001", SalesOrderDate: fixedWire()})
	q, _ := e.c.CreateOrUpdateQuotationWithResponse(ctx, gen.QuotationRequest{QuotationSubject: "q", QuotationDate: fixedWire(),
		QuotationValidUntil: fixedWire(), QuotationStatus: 1, CustomerCode: "C000001", StaffCode: "00001",
		QuotationDetails: []gen.QuotationRequestLine{{ProductCode: "PD001", Qty: 1}}})
	k, _ := e.c.CreateOrUpdateContractWithResponse(ctx, gen.ContractRequest{ContractName: "k", ContractType: "MA",
		CustomerCode: "C000001", DateStart: fixedWire(), DateEnd: fixedWire(), Owner: "00001"})
	d, _ := e.c.CreateDealWithResponse(ctx, gen.DealCreateRequest{CustomerCodes: []string{"C000001"}, DealName: "d",
		ExpectedCloseDate: fixedWire(), AssignTo: "00001"})
	_, _ = e.c.AddCaseWithResponse(ctx, gen.CaseAddRequest{CaseType: 2, Subject: "c", DateCase: fixedWire(), DateDue: fixedWire(), AssignedToUserID: "u"})
	checks := []struct{ got, pattern string }{
		{data[map[string]string](t, cust.Body)["customerCode"], `^C\d{6}$`},          // C000349
		{data[map[string]any](t, so.Body)["salesOrderNo"].(string), `^SO2502\d{5}$`}, // SO260600039
		{data[map[string]string](t, q.Body)["quotationNo"], `^Q0225\d{7}$`},          // Q01230000002
		{data[map[string]string](t, k.Body)["contractNo"], `^CONT2502\d{5}$`},        // CONT250600006
		{data[map[string]any](t, d.Body)["dealNo"].(string), `^D2502\d{5}$`},         // D241200044
		{e.srv.Cases()[0].CaseNo, `^T2502\d{5}$`},                                    // T250200010
	}
	for _, c := range checks {
		if !regexp.MustCompile(c.pattern).MatchString(c.got) {
			t.Errorf("%q does not match %s", c.got, c.pattern)
		}
	}
}

func TestStart(t *testing.T) {
	srv, err := gofivetest.Start(gofivetest.WithSubscriptionKey("k"))
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	if !strings.HasPrefix(srv.URL, "http://127.0.0.1:") {
		t.Errorf("URL %s is not loopback", srv.URL)
	}
	res, err := http.Get(srv.URL + "/v1/customerEvent/event-types")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 401 {
		t.Errorf("status %d", res.StatusCode)
	}
	srv.Close()
	if _, err := http.Get(srv.URL + "/"); err == nil {
		t.Error("server still answering after Close")
	}
}

func TestServerClientValidates(t *testing.T) {
	srv := gofivetest.NewServer(t)
	var rec recorder
	hc := srv.Client(&rec)
	tok := getToken(t, srv)
	req, _ := http.NewRequestWithContext(t.Context(), "POST", srv.URL+"/v1/customerEvent", strings.NewReader(`{"eventName":"x","eventType":1,"eventDate":"2024-02-01T10:00:00","customerCode":"C1","extra":1}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Ocp-Apim-Subscription-Key", srv.SubscriptionKey)
	res, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if len(rec.msgs) != 1 || !strings.Contains(rec.msgs[0], `undocumented property "extra"`) {
		t.Errorf("reported %v", rec.msgs)
	}
}

type recorder struct {
	mu   sync.Mutex
	msgs []string
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.mu.Lock()
	r.msgs = append(r.msgs, fmt.Sprintf(format, args...))
	r.mu.Unlock()
}
