package e2e_test

import (
	"context"
	"testing"

	"github.com/gofive-go/gofive/api"
	"github.com/gofive-go/gofive/api/gofivetest"
	"github.com/gofive-go/gofive/gen"
)

// syncCustomer stands in for the user's code in the README's example.
func syncCustomer(ctx context.Context, c *api.Client, code string) error {
	_, err := c.Customers.GetCustomerByCode(ctx, code)
	return err
}

// TestReadmeExample is the README's "Testing your code against the spec" example, verbatim
// but for syncCustomer, so that the documented snippet keeps working.
func TestReadmeExample(t *testing.T) {
	srv := gofivetest.NewServer(t) // closed when the test ends

	client, err := api.New(
		api.WithBaseURL(srv.URL),
		api.WithCredentials(srv.ClientID, srv.ClientSecret),
		api.WithSubscriptionKey(srv.SubscriptionKey),
		// Validates all traffic against the strict spec; violations fail the test.
		api.WithHTTPClient(srv.Client(t)),
	)
	if err != nil {
		t.Fatal(err)
	}

	// Seed state directly, or through the API.
	code, err := srv.PutCustomer(gen.CustomerRequest{CustomerName: "Lanna Tea Co.", CustomerState: 3})
	if err != nil {
		t.Fatal(err)
	}

	// Fail the next read once with 503 and the one after with a reset connection.
	srv.FailOperation("getCustomerByCode", 1, gofivetest.ServiceUnavailable(0))
	srv.FailOperation("getCustomerByCode", 1, gofivetest.ConnectionReset())

	if err := syncCustomer(t.Context(), client, code); err != nil { // your code
		t.Fatal(err)
	}
	if n := srv.Count("getCustomerByCode"); n != 3 {
		t.Errorf("customer read %d times, want 3 (two retries)", n)
	}
}
