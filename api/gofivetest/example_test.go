package gofivetest_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net/http"
	"time"

	"github.com/gofive-go/gofive/api"
	"github.com/gofive-go/gofive/api/gofivetest"
	"github.com/gofive-go/gofive/gen"
	"github.com/gofive-go/gofive/spec"
)

// Test your code against the spec: point the client at a fake Gofive API, validate all of its
// traffic against the spec, and inject faults. In a test, use gofivetest.NewServer(t) (it
// closes itself) and srv.Client(t) (it reports spec violations with t.Errorf).
func Example() {
	srv, err := gofivetest.Start(gofivetest.WithClock(func() time.Time {
		return time.Date(2026, 6, 5, 10, 0, 0, 0, time.UTC)
	}))
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()

	// Every request the client sends and every response it gets is checked against the spec;
	// Strict makes undocumented fields count as problems.
	validating := spec.NewValidatingTransport(nil, spec.Strict())

	client, err := api.New(
		api.WithBaseURL(srv.URL),
		api.WithCredentials(srv.ClientID, srv.ClientSecret),
		api.WithSubscriptionKey(srv.SubscriptionKey),
		api.WithHTTPClient(&http.Client{Transport: validating}),
	)
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	// Create a customer, then read it back. (The fake answers the create call with
	// {"customerCode": …}: the real response body was never documented.)
	raw, err := client.Customers.CreateOrUpdateCustomer(ctx, gen.CustomerRequest{
		CustomerName:  "Lanna Tea Co.",
		CustomerState: 3, // customer
	})
	if err != nil {
		log.Fatal(err)
	}
	var created struct {
		CustomerCode string `json:"customerCode"`
	}
	if err := json.Unmarshal(raw, &created); err != nil {
		log.Fatal(err)
	}
	customer, err := client.Customers.GetCustomerByCode(ctx, created.CustomerCode)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(customer.CustomerCode, customer.CustomerName)

	// The next read fails once with 503: the client retries it.
	srv.FailOperation("getCustomerByCode", 1, gofivetest.ServiceUnavailable(0))
	if _, err := client.Customers.GetCustomerByCode(ctx, created.CustomerCode); err != nil {
		log.Fatal(err)
	}
	fmt.Println("reads sent:", srv.Count("getCustomerByCode"))

	// An unknown customer is a typed error.
	_, err = client.Customers.GetCustomerByCode(ctx, "C999999")
	fmt.Println("not found:", errors.Is(err, api.ErrNotFound))

	// Nothing the client sent or received departed from the spec.
	fmt.Println("spec problems:", len(validating.Problems()))
	// Output:
	// C000004 Lanna Tea Co.
	// reads sent: 3
	// not found: true
	// spec problems: 0
}
