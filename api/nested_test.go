package api

import (
	"errors"
	"net/http"
	"testing"

	"github.com/gofive-go/gofive/gen"
)

// TestGeneratedMethodsEnvelopeEdges covers what the generated methods add on top of the
// envelope decoder: the inner business code of Add Case's nested variant, and nil (not an
// empty record) for absent or null data.
func TestGeneratedMethodsEnvelopeEdges(t *testing.T) {
	t.Parallel()
	f := newFakeAPI(t)
	var caseBody, customerBody string
	f.handle("POST /v1/case", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, caseBody) })
	f.handle("GET /v3/customers/{code}", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, customerBody) })
	c := newTestClient(t, f)

	for _, tt := range []struct {
		name, body string
		wantErr    error
		wantID     string
	}{
		{"inner success", `{"status":{"code":"1000","description":"Success"},"data":{"data":{"feedbackId":67941},"statusCode":1000,"httpStatusCode":200}}`, nil, "67941"},
		{"inner code absent", `{"status":{"code":"1000","description":"Success"},"data":{"data":{"feedbackId":1}}}`, nil, "1"},
		{"inner failure under an outer success", `{"status":{"code":"1000","description":"Success"},"data":{"data":{"feedbackId":0},"statusCode":4001,"httpStatusCode":400}}`, ErrBusiness, ""},
	} {
		caseBody = tt.body
		res, err := c.Cases.AddCase(t.Context(), gen.AddCaseJSONRequestBody{})
		if !errors.Is(err, tt.wantErr) {
			t.Errorf("%s: err = %v, want %v", tt.name, err, tt.wantErr)
			continue
		}
		if tt.wantErr != nil {
			var apiErr *APIError
			if res != nil || !errors.As(err, &apiErr) || apiErr.Code != "4001" || apiErr.OperationID != "addCase" {
				t.Errorf("%s: got %+v, %+v", tt.name, res, apiErr)
			}
			continue
		}
		if res == nil || res.Data.FeedbackID.String() != tt.wantID {
			t.Errorf("%s: result %+v, want feedbackId %s", tt.name, res, tt.wantID)
		}
	}

	for _, body := range []string{
		`{"status":{"code":"1000","description":"Success"},"data":null}`,
		`{"status":{"code":"1000","description":"Success"}}`,
	} {
		customerBody = body
		cust, err := c.Customers.GetCustomerByCode(t.Context(), "C000349")
		if !errors.Is(err, ErrNoData) || cust != nil {
			t.Errorf("%s: GetCustomerByCode = %+v, %v; want nil, ErrNoData", body, cust, err)
		}
	}
}
