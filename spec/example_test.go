package spec_test

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"

	"github.com/gofive-go/gofive/spec"
)

// A server whose answer departs from the spec: customerName is a number and a field is
// undocumented. The validating transport turns that into an error naming the operation, the
// field, and what was expected.
func ExampleNewValidatingTransport() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"status":{"code":"1000","description":"Success"},"data":{
			"customerId":"1","customerName":7,"customerCode":"C000349","customerState":3,"customerStatus":0,
			"customerPicture":"","customerAliases":[],"addresses":[],"interestsName":[],"customFields":[],
			"leadStatus":3,"favouriteColour":"green"}}`)
	}))
	defer srv.Close()

	hc := &http.Client{Transport: spec.NewValidatingTransport(nil, spec.Strict(), spec.Collect())}
	req, _ := http.NewRequest("GET", srv.URL+"/v3/customers/C000349", nil)
	req.Header.Set("Authorization", "Bearer example-token")
	req.Header.Set("Ocp-Apim-Subscription-Key", "example-key")
	resp, err := hc.Do(req)
	if err != nil {
		fmt.Println(err)
		return
	}
	resp.Body.Close()

	for _, p := range hc.Transport.(*spec.ValidatingTransport).Problems() {
		fmt.Println(p)
	}

	// In the default fail-fast mode the same answer is an error.
	hc.Transport = spec.NewValidatingTransport(nil)
	_, err = hc.Do(req)
	var ve *spec.ValidationError
	fmt.Println(errors.As(err, &ve), ve.Field)
	// Output:
	// spec: getCustomerByCode response 200: $.data.customerName: expected type string, got number 7
	// spec: getCustomerByCode response 200: $.data.favouriteColour: expected only documented properties (strict), got undocumented property "favouriteColour"
	// true $.data.customerName
}
