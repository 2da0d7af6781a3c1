package gofivetest

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// TestStartSetsTimeouts: a server started outside a test bounds every phase of a
// connection, so that a client trickling its request cannot hold it forever.
func TestStartSetsTimeouts(t *testing.T) {
	s, err := Start()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	c := s.httpSrv.Config
	for name, d := range map[string]int64{
		"ReadHeaderTimeout": int64(c.ReadHeaderTimeout), "ReadTimeout": int64(c.ReadTimeout),
		"WriteTimeout": int64(c.WriteTimeout), "IdleTimeout": int64(c.IdleTimeout),
	} {
		if d <= 0 {
			t.Errorf("%s not set", name)
		}
	}
}

// FuzzPage: page never panics and returns exactly the items from skip, at most take of
// them, whatever the (client-chosen) skip and take. Seeds in testdata/fuzz/FuzzPage.
func FuzzPage(f *testing.F) {
	f.Add(int64(1), int64(math.MaxInt64), uint8(25))
	f.Add(int64(0), int64(20), uint8(25))
	f.Add(int64(math.MaxInt64), int64(math.MaxInt64), uint8(3))
	f.Add(int64(-1), int64(-1), uint8(0))
	f.Add(int64(math.MinInt64), int64(math.MaxInt64), uint8(10))
	f.Fuzz(func(t *testing.T, skip, take int64, n uint8) {
		items := make([]int, n)
		for i := range items {
			items[i] = i
		}
		got := page(items, int(skip), int(take))
		from := max(skip, 0)
		want := 0
		if take > 0 && from < int64(n) {
			want = int(min(int64(n)-from, take))
		}
		if len(got) != want {
			t.Fatalf("page(%d items, skip %d, take %d): %d items, want %d", n, skip, take, len(got), want)
		}
		for i, v := range got {
			if v != int(from)+i {
				t.Fatalf("item %d is %d, want %d", i, v, int(from)+i)
			}
		}
	})
}

// FuzzPagingParameters sends the paging enquiries with any skip and take through the whole
// server (authentication, validation, handler): the answer is never a 5xx or a panic, and
// a page holds at most take items. Seeds in testdata/fuzz/FuzzPagingParameters.
func FuzzPagingParameters(f *testing.F) {
	f.Add(int64(1), int64(math.MaxInt64), uint8(0))
	f.Add(int64(1), int64(math.MaxInt64), uint8(1))
	f.Add(int64(1), int64(math.MaxInt64), uint8(2))
	f.Add(int64(math.MaxInt64), int64(math.MaxInt64), uint8(0))
	f.Add(int64(-1), int64(0), uint8(1))
	s, err := newServer(nil)
	if err != nil {
		f.Fatal(err)
	}
	const tok = "fuzz-token"
	s.tokens[tok] = time.Now().Add(24 * time.Hour)
	ops := []struct{ path, body string }{
		{"/v1/Employees/Enquiry", `{"skip":%d,"pageLength":%d}`},
		{"/v1/quotation/enquiry", `{"skip":%d,"take":%d}`},
		{"/v1/products/getProduct", `{"productType":1301,"status":[1,0],"skip":%d,"take":%d}`},
	}
	f.Fuzz(func(t *testing.T, skip, take int64, op uint8) {
		o := ops[int(op)%len(ops)]
		r := httptest.NewRequest(http.MethodPost, o.path, strings.NewReader(fmt.Sprintf(o.body, skip, take)))
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set("Authorization", "Bearer "+tok)
		r.Header.Set(subscriptionHeader, s.SubscriptionKey)
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		if w.Code >= 500 {
			t.Fatalf("%s skip %d take %d: %d %s", o.path, skip, take, w.Code, w.Body)
		}
		if w.Code != http.StatusOK {
			return
		}
		var env struct {
			Data json.RawMessage `json:"data"`
		}
		if err := json.Unmarshal(w.Body.Bytes(), &env); err != nil {
			t.Fatal(err)
		}
		var items []json.RawMessage
		var wrapped struct{ Value []json.RawMessage }
		if json.Unmarshal(env.Data, &items) != nil {
			if err := json.Unmarshal(env.Data, &wrapped); err != nil {
				t.Fatalf("data %s", env.Data)
			}
			items = wrapped.Value
		}
		if int64(len(items)) > max(take, 0) && !(take <= 0 && o.path == "/v1/Employees/Enquiry") {
			t.Fatalf("%s skip %d take %d: %d items", o.path, skip, take, len(items))
		}
	})
}
