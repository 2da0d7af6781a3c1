//go:build integration

package api_test

import (
	"net/http"
	"os"
	"testing"
	"time"

	"github.com/gofive-go/gofive/api"
	"github.com/gofive-go/gofive/spec"
)

// TestLiveSmoke makes a few read-only calls against the real API, with every response
// checked against the spec. It is built only with -tags integration and needs the GOFIVE_*
// credentials (CI compiles it, never runs it):
//
//	GOFIVE_CLIENT_ID=… GOFIVE_CLIENT_SECRET=… GOFIVE_SUBSCRIPTION_KEY=… \
//	  go test -tags integration -run Live -v ./api
//
// GOFIVE_TEST_CUSTOMER_CODE adds a Get a Customer By CustomerCode call. Fields the live API
// returns that the spec does not document are logged (strict validation), not failures:
// they are drift to record in the spec, not a broken client.
func TestLiveSmoke(t *testing.T) {
	for _, v := range []string{api.EnvClientID, api.EnvClientSecret, api.EnvSubscriptionKey} {
		if os.Getenv(v) == "" {
			t.Fatalf("%s is not set: the live smoke test needs real credentials (see the test's doc)", v)
		}
	}
	loose := spec.NewValidatingTransport(http.DefaultTransport.(*http.Transport).Clone(), spec.Collect())
	strict := spec.NewValidatingTransport(loose, spec.Collect(), spec.Strict(), spec.OnlyResponses())
	c, err := api.NewFromEnv(api.WithHTTPClient(&http.Client{Transport: strict}), api.WithTimeout(30*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()

	types, err := c.Customers.GetCustomerEventTypes(ctx)
	if err != nil {
		t.Fatalf("GetCustomerEventTypes: %v", err)
	}
	t.Logf("customer event types: %d", len(types))

	if _, err := c.Settings.GetHeaderTemplate(ctx); err != nil {
		t.Errorf("GetHeaderTemplate: %v", err)
	}
	if code := os.Getenv("GOFIVE_TEST_CUSTOMER_CODE"); code != "" {
		cust, err := c.Customers.GetCustomerByCode(ctx, code)
		if err != nil {
			t.Errorf("GetCustomerByCode(%s): %v", code, err)
		} else {
			t.Logf("customer %s: %s", cust.CustomerCode, cust.CustomerName)
		}
	}

	for _, p := range loose.Problems() {
		t.Errorf("the live API disagrees with the spec: %v", p)
	}
	for _, p := range strict.Problems() {
		t.Logf("undocumented in the spec (drift to record): %v", p)
	}
}
