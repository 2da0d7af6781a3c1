package e2e_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/gofive-go/gofive/api"
	"github.com/gofive-go/gofive/api/gofivetest"
	"github.com/gofive-go/gofive/gen"
)

// Each injected fault gives the wrapper's documented behaviour: transient failures of
// idempotent calls are retried to success; what is not retried, or keeps failing, is a typed
// error; a POST is not repeated, so its side effect happens at most once.

const seeded = 3 // customers the fake seeds

func getCustomer(e *env) func(context.Context) error {
	return func(ctx context.Context) error {
		_, err := e.c.Customers.GetCustomerByCode(ctx, "C000001")
		return err
	}
}

func createCustomer(e *env) func(context.Context) error {
	return func(ctx context.Context) error {
		_, err := e.c.Customers.CreateOrUpdateCustomer(ctx, gen.CustomerRequest{CustomerName: "Fault Co", CustomerState: 3})
		return err
	}
}

func TestFaultsAreRetriedToSuccess(t *testing.T) {
	tests := []struct {
		name     string
		op       string
		call     func(*env) func(context.Context) error
		fault    gofivetest.Fault
		n        int // faulted attempts
		requests int // attempts the server sees
	}{
		{"GET 500 twice", "getCustomerByCode", getCustomer, gofivetest.Status(500), 2, 3},
		{"GET 503 Retry-After", "getCustomerByCode", getCustomer, gofivetest.ServiceUnavailable(time.Second), 1, 2},
		{"GET 429 Retry-After", "getCustomerByCode", getCustomer, gofivetest.TooManyRequests(time.Second), 1, 2},
		{"GET HTML 502", "getCustomerByCode", getCustomer, gofivetest.HTMLError(502), 1, 2},
		{"GET gateway JSON 500", "getCustomerByCode", getCustomer, gofivetest.GatewayError(500, "Internal server error"), 1, 2},
		{"GET connection reset", "getCustomerByCode", getCustomer, gofivetest.ConnectionReset(), 1, 2},
		{"GET latency", "getCustomerByCode", getCustomer, gofivetest.Latency(30 * time.Millisecond), 1, 1},
		{"enquiry POST 503 (read-only, retried)", "quotationEnquiry", func(e *env) func(context.Context) error {
			return func(ctx context.Context) error {
				_, err := e.c.Quotations.QuotationEnquiry(ctx, gen.QuotationEnquiryRequest{Take: 5})
				return err
			}
		}, gofivetest.Status(503), 1, 2},
		{"POST 429 with ContextWithRetry", "createOrUpdateCustomer", func(e *env) func(context.Context) error {
			return func(ctx context.Context) error { return createCustomer(e)(api.ContextWithRetry(ctx)) }
		}, gofivetest.TooManyRequests(time.Second), 1, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			timed(t, func(t *testing.T) {
				e := setup(t, nil) // the default retry policy: its waits take no real time here
				e.srv.FailOperation(tt.op, tt.n, tt.fault)
				if err := tt.call(e)(t.Context()); err != nil {
					t.Fatalf("err = %v", err)
				}
				if got := e.srv.Count(tt.op); got != tt.requests {
					t.Errorf("%d attempts, want %d", got, tt.requests)
				}
				if tt.op == "createOrUpdateCustomer" && len(e.srv.CustomerCodes()) != seeded+1 {
					t.Errorf("%d customers created, want 1", len(e.srv.CustomerCodes())-seeded)
				}
			})
		})
	}
}

// TestRetryAfterHonoured: with the default policy the wrapper waits for the server's
// Retry-After before retrying: on the bubble's clock, exactly that long.
func TestRetryAfterHonoured(t *testing.T) {
	for _, fault := range []gofivetest.Fault{gofivetest.TooManyRequests(3 * time.Second), gofivetest.ServiceUnavailable(3 * time.Second)} {
		t.Run(fault.String(), func(t *testing.T) {
			timed(t, func(t *testing.T) {
				e := setup(t, nil)
				getCustomer(e)(t.Context()) // fetch the token first
				e.srv.FailOperation("getCustomerByCode", 1, fault)
				start := time.Now()
				if err := getCustomer(e)(t.Context()); err != nil {
					t.Fatal(err)
				}
				if d := time.Since(start); d != 3*time.Second {
					t.Errorf("retried after %v, want the 3s Retry-After", d)
				}
			})
		})
	}
}

func TestFaultsGiveTypedErrors(t *testing.T) {
	tests := []struct {
		name     string
		op       string
		call     func(*env) func(context.Context) error
		fault    gofivetest.Fault
		n        int
		sentinel error
		check    func(t *testing.T, apiErr *api.APIError)
		requests int
		created  int // customers created (POST side effects)
	}{
		{name: "GET 503 keeps failing", op: "getCustomerByCode", call: getCustomer, fault: gofivetest.Status(503), n: 0,
			sentinel: api.ErrServerError, requests: 4,
			check: func(t *testing.T, e *api.APIError) {
				if e.HTTPStatus != 503 || e.Attempts != 4 || e.OperationID != "getCustomerByCode" {
					t.Errorf("%+v", e)
				}
			}},
		{name: "GET 429 keeps failing", op: "getCustomerByCode", call: getCustomer, fault: gofivetest.TooManyRequests(2 * time.Second), n: 0,
			sentinel: api.ErrRateLimited, requests: 4,
			check: func(t *testing.T, e *api.APIError) {
				if e.RetryAfter != 2*time.Second || e.Code != "429" || !strings.Contains(e.Description, "Rate limit is exceeded") {
					t.Errorf("%+v", e)
				}
			}},
		{name: "GET 501 is not retried", op: "getCustomerByCode", call: getCustomer, fault: gofivetest.Status(501), n: 0,
			sentinel: api.ErrServerError, requests: 1},
		{name: "GET HTML page keeps failing", op: "getCustomerByCode", call: getCustomer, fault: gofivetest.HTMLError(502), n: 0,
			sentinel: api.ErrServerError, requests: 4,
			check: func(t *testing.T, e *api.APIError) {
				if !strings.Contains(e.Description, "502 Bad Gateway") {
					t.Errorf("description %q", e.Description)
				}
			}},
		{name: "GET gateway JSON keeps failing", op: "getCustomerByCode", call: getCustomer, fault: gofivetest.GatewayError(500, "Internal server error"), n: 0,
			sentinel: api.ErrServerError, requests: 4,
			check: func(t *testing.T, e *api.APIError) {
				if e.Code != "500" || e.Description != "Internal server error" {
					t.Errorf("%+v", e)
				}
			}},
		{name: "POST 503 is not retried", op: "createOrUpdateCustomer", call: createCustomer, fault: gofivetest.Status(503), n: 1,
			sentinel: api.ErrServerError, requests: 1, created: 0},
		{name: "POST 429 is not retried", op: "createOrUpdateCustomer", call: createCustomer, fault: gofivetest.TooManyRequests(time.Second), n: 1,
			sentinel: api.ErrRateLimited, requests: 1, created: 0},
		{name: "POST 500 after the side effect is not retried", op: "createOrUpdateCustomer", call: createCustomer, fault: gofivetest.Status(500).AfterHandling(), n: 1,
			sentinel: api.ErrServerError, requests: 1, created: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			timed(t, func(t *testing.T) {
				e := setup(t, nil) // the default retry policy, on the bubble's clock
				e.srv.FailOperation(tt.op, tt.n, tt.fault)
				err := tt.call(e)(t.Context())
				var apiErr *api.APIError
				if !errors.Is(err, tt.sentinel) || !errors.As(err, &apiErr) {
					t.Fatalf("err = %v, want %v", err, tt.sentinel)
				}
				if tt.check != nil {
					tt.check(t, apiErr)
				}
				if got := e.srv.Count(tt.op); got != tt.requests {
					t.Errorf("%d attempts, want %d", got, tt.requests)
				}
				if got := len(e.srv.CustomerCodes()) - seeded; got != tt.created {
					t.Errorf("%d customers created, want %d", got, tt.created)
				}
			})
		})
	}
}

// TestLostPOSTAnswersAreNotRepeated: when a POST's answer is lost after the server acted (a
// reset connection, a truncated body), the wrapper reports the failure and does not send the
// POST again — the customer exists exactly once.
func TestLostPOSTAnswersAreNotRepeated(t *testing.T) {
	tests := []struct {
		name  string
		fault gofivetest.Fault
		is    func(error) bool
	}{
		{"connection reset after handling", gofivetest.ConnectionReset().AfterHandling(), func(err error) bool {
			return strings.Contains(err.Error(), "connection reset") || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
		}},
		{"truncated body", gofivetest.TruncatedBody(), func(err error) bool { return errors.Is(err, io.ErrUnexpectedEOF) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := setup(t, nil, api.WithRetryPolicy(fastRetries))
			e.srv.FailOperation("createOrUpdateCustomer", 1, tt.fault)
			err := createCustomer(e)(t.Context())
			if err == nil || !tt.is(err) {
				t.Fatalf("err = %v", err)
			}
			if got := e.srv.Count("createOrUpdateCustomer"); got != 1 {
				t.Errorf("the POST was sent %d times", got)
			}
			if got := len(e.srv.CustomerCodes()) - seeded; got != 1 {
				t.Errorf("%d customers created, want exactly 1", got)
			}
		})
	}
	// A POST reset before the server acted is not retried either: nothing is created.
	e := setup(t, nil, api.WithRetryPolicy(fastRetries))
	e.srv.FailOperation("createOrUpdateCustomer", 1, gofivetest.ConnectionReset())
	if err := createCustomer(e)(t.Context()); err == nil {
		t.Fatal("no error")
	}
	if e.srv.Count("createOrUpdateCustomer") != 1 || len(e.srv.CustomerCodes()) != seeded {
		t.Errorf("attempts %d, customers %d", e.srv.Count("createOrUpdateCustomer"), len(e.srv.CustomerCodes()))
	}
}

// TestTruncatedGET: a GET whose body was cut short (io.ErrUnexpectedEOF while reading) is
// read again: a read is safe to repeat.
func TestTruncatedGET(t *testing.T) {
	e := setup(t, nil, api.WithRetryPolicy(fastRetries))
	e.srv.FailOperation("getCustomerByCode", 1, gofivetest.TruncatedBody())
	c, err := e.c.Customers.GetCustomerByCode(t.Context(), "C000001")
	if err != nil {
		t.Fatalf("err = %v, want success on the second attempt", err)
	}
	if c.CustomerCode != "C000001" {
		t.Errorf("customer %q", c.CustomerCode)
	}
	if got := e.srv.Count("getCustomerByCode"); got != 2 {
		t.Errorf("%d attempts, want 2", got)
	}
}

// TestNonIdempotentWritesAreNotRepeated: a write the spec does not mark x-gofive-idempotent
// is not sent again once the server may have acted, whatever its verb: Update Product Stock
// (a PUT whose qty may be added to the stock) answered with a 503 after the stock was updated
// is sent exactly once. The caller's ContextWithRetry opts back in.
func TestNonIdempotentWritesAreNotRepeated(t *testing.T) {
	stock := func(e *env) func(context.Context) error {
		return func(ctx context.Context) error {
			_, err := e.c.Products.UpdateProductStock(ctx, gen.ProductStockUpdateRequest{{ProductCode: "A001", Qty: 20}})
			return err
		}
	}
	editEvent := func(e *env) func(context.Context) error {
		return func(ctx context.Context) error {
			_, err := e.c.Customers.EditCustomerEvent(ctx, 1, gen.CustomerEventUpdateRequest{EventName: "Retried"})
			return err
		}
	}
	reject := func(e *env) func(context.Context) error {
		return func(ctx context.Context) error {
			_, err := e.c.SalesOrders.RejectSalesOrders(ctx, gen.SalesOrderRejectRequest{SalesOrderIds: []int64{}, Reason: "x"})
			return err
		}
	}
	tests := []struct {
		name     string
		op       string
		call     func(*env) func(context.Context) error
		fault    gofivetest.Fault
		optIn    bool
		requests int
	}{
		{"PUT stock 503 after the update", "updateProductStock", stock, gofivetest.Status(503).AfterHandling(), false, 1},
		{"PUT stock 429", "updateProductStock", stock, gofivetest.TooManyRequests(time.Second), false, 1},
		{"PUT stock reset after the update", "updateProductStock", stock, gofivetest.ConnectionReset().AfterHandling(), false, 1},
		{"PUT stock truncated answer", "updateProductStock", stock, gofivetest.TruncatedBody(), false, 1},
		{"PUT stock 503 with ContextWithRetry", "updateProductStock", stock, gofivetest.Status(503).AfterHandling(), true, 2},
		{"PUT edit event 503", "editCustomerEvent", editEvent, gofivetest.Status(503), false, 1},
		{"DELETE reject 500", "rejectSalesOrders", reject, gofivetest.Status(500), false, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := setup(t, nil, api.WithRetryPolicy(fastRetries))
			if tt.op == "editCustomerEvent" {
				if err := e.c.Customers.AddCustomerEvent(t.Context(), gen.CustomerEventRequest{EventName: "e", EventType: 1,
					EventDate: when(t, "2026-06-05T10:00:00"), CustomerCode: "C000001"}); err != nil {
					t.Fatal(err)
				}
			}
			e.srv.FailOperation(tt.op, 1, tt.fault)
			ctx := t.Context()
			if tt.optIn {
				ctx = api.ContextWithRetry(ctx)
			}
			err := tt.call(e)(ctx)
			if tt.optIn != (err == nil) {
				t.Fatalf("err = %v", err)
			}
			if got := e.srv.Count(tt.op); got != tt.requests {
				t.Errorf("sent %d times, want %d", got, tt.requests)
			}
		})
	}
}

func TestTimeout(t *testing.T) {
	timed(t, func(t *testing.T) {
		e := setup(t, nil, api.WithTimeout(150*time.Millisecond))
		getCustomer(e)(t.Context()) // fetch the token first
		e.srv.FailOperation("getCustomerByCode", 1, gofivetest.Latency(5*time.Second))
		start := time.Now()
		err := getCustomer(e)(t.Context())
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("err = %v", err)
		}
		if d := time.Since(start); d != 150*time.Millisecond {
			t.Errorf("returned after %v, want WithTimeout's 150ms", d)
		}
		// The caller's own deadline works the same way, and a POST that timed out is not resent.
		e.srv.FailOperation("createOrUpdateCustomer", 1, gofivetest.Latency(5*time.Second))
		ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
		defer cancel()
		if err := createCustomer(e)(ctx); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("POST err = %v", err)
		}
		// Well past the moment the delayed request would have been handled (5s), and past
		// any retry the policy could make: the POST was sent once and created nothing.
		time.Sleep(time.Minute)
		synctest.Wait()
		if n := e.srv.Count("createOrUpdateCustomer"); n != 1 {
			t.Errorf("a timed-out POST was sent %d times", n)
		}
		if n := len(e.srv.CustomerCodes()) - seeded; n != 0 {
			t.Errorf("%d customers created by a timed-out POST", n)
		}
	})
}

func TestTokenRefresh(t *testing.T) {
	t.Run("expired tokens are refreshed once on 401", func(t *testing.T) {
		timed(t, func(t *testing.T) {
			e := setup(t, nil)
			if err := getCustomer(e)(t.Context()); err != nil {
				t.Fatal(err)
			}
			e.srv.ExpireTokens()
			if err := getCustomer(e)(t.Context()); err != nil {
				t.Fatal(err)
			}
			if n := e.srv.Count("getAccessToken"); n != 2 {
				t.Errorf("%d token requests, want 2", n)
			}
			var unauthorized int
			for _, r := range e.srv.RequestsFor("getCustomerByCode") {
				if r.Status == 401 {
					unauthorized++
				}
			}
			if unauthorized != 1 {
				t.Errorf("%d 401 answers, want 1", unauthorized)
			}
		})
	})
	t.Run("short-lived tokens are renewed before use", func(t *testing.T) {
		timed(t, func(t *testing.T) {
			e := setup(t, []gofivetest.Option{gofivetest.WithTokenLifetime(2 * time.Second)}, api.WithTokenRefreshMargin(time.Second))
			for range 3 {
				if err := getCustomer(e)(t.Context()); err != nil {
					t.Fatal(err)
				}
			}
			time.Sleep(900 * time.Millisecond) // not yet inside the refresh margin
			if err := getCustomer(e)(t.Context()); err != nil {
				t.Fatal(err)
			}
			if n := e.srv.Count("getAccessToken"); n != 1 {
				t.Errorf("%d token requests before the margin, want 1", n)
			}
			// Inside the refresh margin, before expiry: the 1 s margin is
			// clamped to a tenth of the 2 s lifetime (issue 12), so renewal
			// falls due at 1.8 s.
			time.Sleep(time.Second)
			if err := getCustomer(e)(t.Context()); err != nil {
				t.Fatal(err)
			}
			if n := e.srv.Count("getAccessToken"); n != 2 {
				t.Errorf("%d token requests, want 2", n)
			}
			for _, r := range e.srv.Requests() {
				if r.Status == 401 {
					t.Errorf("a request was refused: %+v", r)
				}
			}
		})
	})
	t.Run("token endpoint failures", func(t *testing.T) {
		timed(t, func(t *testing.T) {
			e := setup(t, nil)
			e.srv.FailOperation("getAccessToken", 1, gofivetest.Status(503))
			if err := getCustomer(e)(t.Context()); err != nil {
				t.Fatalf("a transient token failure was not retried: %v", err)
			}
			bad, err := api.New(api.WithBaseURL(e.srv.URL), api.WithHTTPClient(e.net), api.WithCredentials(e.srv.ClientID, "wrong-secret"),
				api.WithSubscriptionKey(e.srv.SubscriptionKey))
			if err != nil {
				t.Fatal(err)
			}
			_, err = bad.Customers.GetCustomerByCode(t.Context(), "C000001")
			var te *api.TokenError
			if !errors.As(err, &te) || !errors.Is(err, api.ErrUnauthorized) {
				t.Fatalf("err = %v", err)
			}
			if strings.Contains(err.Error(), "wrong-secret") || strings.Contains(err.Error(), e.srv.SubscriptionKey) {
				t.Errorf("the error shows a secret: %v", err)
			}
		})
	})
}

// TestNoSecretsInErrors: a server that echoes the credentials in its error body (a
// misconfigured gateway or a debugging proxy) does not get them into the caller's error:
// not its text, not any field, not the raw Body read as text.
func TestNoSecretsInErrors(t *testing.T) {
	e := setup(t, nil, api.WithRetryPolicy(fastRetries))
	echo := "upstream saw key " + e.srv.SubscriptionKey + " and secret " + e.srv.ClientSecret
	e.srv.FailOperation("getCustomerByCode", 0, gofivetest.GatewayError(500, echo))
	err := getCustomer(e)(t.Context())
	var apiErr *api.APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("err = %v, want an *api.APIError", err)
	}
	// The echo reached the error (so the checks below look at something).
	if !strings.Contains(apiErr.Description, "upstream saw key") || !strings.Contains(string(apiErr.Body), "upstream saw key") {
		t.Fatalf("the server's message is not in the error: %+v", apiErr)
	}
	texts := map[string]string{
		"Error()":     err.Error(),
		"%+v":         fmt.Sprintf("%+v", err),
		"%#v":         fmt.Sprintf("%#v", apiErr),
		"Code":        apiErr.Code,
		"Description": apiErr.Description,
		"Errors":      strings.Join(apiErr.Errors, "\n"),
		"RequestID":   apiErr.RequestID,
		"Path":        apiErr.Path,
		"Body":        string(apiErr.Body),
	}
	for name, s := range texts {
		for _, secret := range []string{e.srv.ClientSecret, e.srv.SubscriptionKey} {
			if strings.Contains(s, secret) {
				t.Errorf("%s shows a secret: %s", name, s)
			}
		}
	}
}
