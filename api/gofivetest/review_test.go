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
