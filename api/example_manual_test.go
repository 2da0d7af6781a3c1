package api_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/gofive-go/gofive/api"
	"github.com/gofive-go/gofive/api/gofivetest"
	"github.com/gofive-go/gofive/gen"
)

// The examples below back the sections of the package manual (doc.go) against the fake
// Gofive server of package gofivetest.

// startFake starts the fake Gofive server and a client for it.
func startFake(opts ...api.Option) (*gofivetest.Server, *api.Client) {
	srv, err := gofivetest.Start()
	if err != nil {
		log.Fatal(err)
	}
	c, err := api.New(append([]api.Option{
		api.WithBaseURL(srv.URL),
		api.WithCredentials(srv.ClientID, srv.ClientSecret),
		api.WithSubscriptionKey(srv.SubscriptionKey),
	}, opts...)...)
	if err != nil {
		log.Fatal(err)
	}
	return srv, c
}

// Tokens come and go without the caller's help: a token that expired, or that the API
// rejects, is replaced and the call replayed once.
func Example_authentication() {
	srv, c := startFake(api.WithTokenRefreshMargin(time.Minute))
	defer srv.Close()
	ctx := context.Background()

	types, err := c.Customers.GetCustomerEventTypes(ctx)
	if err != nil {
		log.Fatal(err)
	}
	srv.ExpireTokens() // the server forgets every token it issued
	again, err := c.Customers.GetCustomerEventTypes(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(types), len(again), "token requests:", srv.Count("getAccessToken"))
	// Output: 6 6 token requests: 2
}

// Failed attempts are retried with backoff; the API's 503 here is answered twice before the
// call succeeds.
func ExampleWithRetryPolicy() {
	srv, c := startFake(api.WithRetryPolicy(api.RetryPolicy{
		MaxAttempts: 3,
		MinBackoff:  time.Millisecond,
		MaxBackoff:  10 * time.Millisecond,
	}))
	defer srv.Close()

	srv.FailOperation("getCustomerEventTypes", 2, gofivetest.ServiceUnavailable(0))
	types, err := c.Customers.GetCustomerEventTypes(context.Background())
	fmt.Println(len(types), err, "attempts:", srv.Count("getCustomerEventTypes"))
	// Output: 6 <nil> attempts: 3
}

// Enquiry iterators page through all results; here 25 employees, 10 per request.
func ExampleEmployeesService_EmployeesEnquiryAll() {
	srv, c := startFake()
	defer srv.Close()

	n := 0
	for _, err := range c.Employees.EmployeesEnquiryAll(context.Background(), gen.EmployeeEnquiryRequest{}, 10) {
		if err != nil {
			log.Fatal(err)
		}
		n++
	}
	fmt.Println(n, "employees in", srv.Count("employeesEnquiry"), "requests")
	// Output: 25 employees in 3 requests
}
