package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/gofive-go/gofive/gen"
)

// employeesPage answers an Employees Enquiry with size synthetic employees (test data, not
// from the docs) numbered from first.
func employeesPage(first, size int) string {
	items := make([]map[string]string, size)
	for i := range items {
		items[i] = map[string]string{"staffCode": fmt.Sprintf("E%06d", first+i)}
	}
	b, _ := json.Marshal(map[string]any{"status": map[string]string{"code": "1000", "description": "Success"}, "data": map[string]any{"value": items}})
	return string(b)
}

func TestPagingStopsWhenServerIgnoresSkip(t *testing.T) {
	f := newFakeAPI(t)
	var calls atomic.Int32
	f.handle("POST /v1/Employees/Enquiry", func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		writeJSON(w, 200, employeesPage(0, 10)) // skip ignored: always the first page
	})
	c := newTestClient(t, f)
	var n int
	var last error
	for _, err := range c.Employees.EmployeesEnquiryAll(t.Context(), gen.EmployeeEnquiryRequest{}, 10) {
		if err != nil {
			last = err
			break
		}
		n++
		if n > 1000 {
			t.Fatal("iterator did not stop")
		}
	}
	if !errors.Is(last, ErrPagingStalled) {
		t.Fatalf("err = %v, want ErrPagingStalled", last)
	}
	if got := calls.Load(); got != 2 {
		t.Errorf("%d requests, want 2", got)
	}
	if n != 10 {
		t.Errorf("%d items yielded, want the 10 of the first page", n)
	}
}

func TestPagingStopsWhenServerCycles(t *testing.T) {
	f := newFakeAPI(t)
	var calls atomic.Int32
	f.handle("POST /v1/Employees/Enquiry", func(w http.ResponseWriter, r *http.Request) {
		n := calls.Add(1)
		writeJSON(w, 200, employeesPage(int(n%2)*10, 10)) // pages A, B, A, B, ...
	})
	c := newTestClient(t, f)
	var last error
	for _, err := range c.Employees.EmployeesEnquiryAll(t.Context(), gen.EmployeeEnquiryRequest{}, 10) {
		if err != nil {
			last = err
			break
		}
		if calls.Load() > 100 {
			t.Fatal("iterator did not stop")
		}
	}
	if !errors.Is(last, ErrPagingStalled) {
		t.Fatalf("err = %v, want ErrPagingStalled", last)
	}
	if got := calls.Load(); got != 3 {
		t.Errorf("%d requests, want 3", got)
	}
}

func TestPagingMaxPages(t *testing.T) {
	f := newFakeAPI(t)
	var calls atomic.Int32
	f.handle("POST /v1/Employees/Enquiry", func(w http.ResponseWriter, r *http.Request) {
		n := calls.Add(1)
		writeJSON(w, 200, employeesPage(int(n)*10, 10)) // never ends, never repeats
	})
	c := newTestClient(t, f, WithMaxPages(5))
	var n int
	var last error
	for _, err := range c.Employees.EmployeesEnquiryAll(t.Context(), gen.EmployeeEnquiryRequest{}, 10) {
		if err != nil {
			last = err
			break
		}
		n++
		if n > 1000 {
			t.Fatal("iterator did not stop")
		}
	}
	if !errors.Is(last, ErrTooManyPages) {
		t.Fatalf("err = %v, want ErrTooManyPages", last)
	}
	if got := calls.Load(); got != 5 || n != 50 {
		t.Errorf("%d requests, %d items; want 5 and 50", got, n)
	}
}

func TestPagingEndsOnShortPage(t *testing.T) {
	f := newFakeAPI(t)
	f.handle("POST /v1/Employees/Enquiry", func(w http.ResponseWriter, r *http.Request) {
		var body struct{ Skip, PageLength int }
		_ = json.NewDecoder(r.Body).Decode(&body)
		size := min(body.PageLength, max(25-body.Skip, 0))
		writeJSON(w, 200, employeesPage(body.Skip, size))
	})
	// Exactly MaxPages pages, the last one short: no error.
	c := newTestClient(t, f, WithMaxPages(3))
	var n int
	for _, err := range c.Employees.EmployeesEnquiryAll(t.Context(), gen.EmployeeEnquiryRequest{}, 10) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != 25 {
		t.Errorf("%d items, want 25", n)
	}
}

func TestWithMaxPagesValidates(t *testing.T) {
	for _, n := range []int{0, -1} {
		if _, err := New(WithStaticToken("t"), WithSubscriptionKey("k"), WithMaxPages(n)); err == nil {
			t.Errorf("WithMaxPages(%d): no error", n)
		}
	}
}
