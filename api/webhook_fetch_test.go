package api

import (
	"errors"
	"net/http"
	"testing"
)

// TestSalesOrderEventFetchAnswers: Fetch returns the order only when the answer names it;
// an answer that does not (an object without the number, another order, no data) is ErrNotFound.
// The answers are synthetic (test data, not from the docs).
func TestSalesOrderEventFetchAnswers(t *testing.T) {
	tests := []struct {
		name, data string
		want       error // nil: the order is returned
	}{
		{"object naming the order", `{"salesOrderNo":"SO1","salesOrderSubject":"x"}`, nil},
		{"object without the number", `{"salesOrderSubject":"x"}`, ErrNotFound},
		{"object naming another order", `{"salesOrderNo":"SO2"}`, ErrNotFound},
		{"list with the order", `[{"salesOrderNo":"SO2"},{"salesOrderNo":"SO1"}]`, nil},
		{"list without the order", `[{"salesOrderNo":"SO2"}]`, ErrNotFound},
		{"null", `null`, ErrNotFound},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeAPI(t)
			f.handle("GET /v2/salesorder/SO1", func(w http.ResponseWriter, r *http.Request) {
				writeJSON(w, 200, `{"status":{"code":"1000","description":"Success"},"data":`+tc.data+`}`)
			})
			c := newTestClient(t, f)
			so, err := (&SalesOrderEvent{SaleOrderNo: "SO1"}).Fetch(t.Context(), c)
			switch {
			case tc.want == nil && (err != nil || so == nil || so.SalesOrderNo != "SO1"):
				t.Errorf("got %+v, %v; want order SO1", so, err)
			case tc.want != nil && (!errors.Is(err, tc.want) || so != nil):
				t.Errorf("got %+v, %v; want %v", so, err, tc.want)
			}
		})
	}
}
