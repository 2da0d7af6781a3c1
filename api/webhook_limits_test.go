package api_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/gofive-go/gofive/api"
)

// bigWebhook builds a synthetic delivery of about n bytes (test data, not from the docs)
// in the shapes that cost the decoder most: many small keys, which become map entries, in
// Data of a sales-order notification, of a chat message, and at the top of an unknown one.
func bigWebhook(shape string, n int) []byte {
	var b bytes.Buffer
	switch shape {
	case "salesOrder":
		b.WriteString(`{"Topic":"SalesOrder","Event":"Created","Data":{"SaleOrderNo":"SO1"`)
	case "chat":
		b.WriteString(`{"Topic":"Chat","Event":"Message","Data":{"ChatMessage":{"RoomId":"r","Content":"hi"}`)
	case "unknown":
		b.WriteString(`{"Topic":"Deal","Event":"Won","Data":{"DealNo":"D1"}`)
	case "string":
		b.WriteString(`{"Topic":"Deal","Event":"Won","Data":{"Note":"` + strings.Repeat("x", n-64) + `"}`)
	case "salesOrderBigValue":
		b.WriteString(`{"Data":{"SaleOrderNo":"SO1","Note":"` + strings.Repeat("x", n-64) + `"`)
	case "salesOrderAtCap":
		// As many members as are still decoded into the typed model, each value large.
		b.WriteString(`{"Data":{"SaleOrderNo":"SO1"`)
		per := n / api.MaxTypedWebhookMembers
		for i := 0; i < api.MaxTypedWebhookMembers-3; i++ {
			fmt.Fprintf(&b, `,"k%d":"%s"`, i, strings.Repeat("x", per-16))
		}
		fmt.Fprintf(&b, `,"pad":"%s"`, strings.Repeat("x", n-b.Len()-12))
	}
	for i := 0; b.Len() < n-20; i++ {
		fmt.Fprintf(&b, `,"k%d":0`, i)
	}
	if shape == "salesOrder" || shape == "chat" || strings.HasPrefix(shape, "salesOrder") {
		b.WriteString("}")
	}
	b.WriteString("}")
	return b.Bytes()
}

func hookRequest(body []byte) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "/hook", bytes.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	return r
}

// TestWebhookMemoryPerDelivery: the heap a delivery allocates, garbage included, stays
// within a small multiple of its size, whatever its shape. Before the bound, a 1 MiB
// sales-order delivery of many small keys allocated 63 times its size.
func TestWebhookMemoryPerDelivery(t *testing.T) {
	const size = api.DefaultWebhookMaxBytes - 64
	const factor = 5
	for _, shape := range []string{"salesOrder", "chat", "unknown", "string", "salesOrderBigValue", "salesOrderAtCap"} {
		t.Run(shape, func(t *testing.T) {
			body := bigWebhook(shape, size)
			h, err := api.NewWebhookHandler()
			if err != nil {
				t.Fatal(err)
			}
			var kind api.WebhookKind
			h.OnEvent(func(_ context.Context, e *api.WebhookEvent) error { kind = e.Kind; return nil })
			wantKind := api.WebhookUnknown // too many members for the typed model, or unknown
			if strings.HasPrefix(shape, "salesOrder") && shape != "salesOrder" {
				wantKind = api.WebhookSalesOrder
			}
			req, w := hookRequest(body), httptest.NewRecorder()
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			h.ServeHTTP(w, req)
			runtime.ReadMemStats(&after)
			if w.Code != http.StatusOK {
				t.Fatalf("status %d: %s", w.Code, w.Body)
			}
			if kind != wantKind {
				t.Errorf("delivered as %s, want %s", kind, wantKind)
			}
			alloc := after.TotalAlloc - before.TotalAlloc
			t.Logf("%s (%s): %d bytes delivered, %d allocated (%.1fx)", shape, kind, len(body), alloc, float64(alloc)/float64(len(body)))
			if alloc > factor*uint64(len(body)) && !raceEnabled {
				t.Errorf("a %d-byte delivery allocated %d bytes (%.1fx), want at most %dx", len(body), alloc, float64(alloc)/float64(len(body)), factor)
			}
		})
	}
}

// BenchmarkWebhook100Concurrent1MiB delivers 100 sales-order notifications of 1 MiB (many
// small keys) at once and reports the bytes allocated per delivery and the peak heap seen
// by the callbacks: the figure issue 12 measured at 1.34 GB. "default" has the default
// WithWebhookMaxConcurrent (most deliveries are turned away with 503); "all100" lets all
// 100 in.
func BenchmarkWebhook100Concurrent1MiB(b *testing.B) {
	for _, bc := range []struct {
		name string
		opts []api.WebhookOption
	}{{"default", nil}, {"all100", []api.WebhookOption{api.WithWebhookMaxConcurrent(100)}}} {
		b.Run(bc.name, func(b *testing.B) {
			body := bigWebhook("salesOrder", api.DefaultWebhookMaxBytes-64)
			h, err := api.NewWebhookHandler(bc.opts...)
			if err != nil {
				b.Fatal(err)
			}
			var mu sync.Mutex
			var peak uint64
			h.OnEvent(func(context.Context, *api.WebhookEvent) error {
				var ms runtime.MemStats
				runtime.ReadMemStats(&ms)
				mu.Lock()
				peak = max(peak, ms.HeapAlloc)
				mu.Unlock()
				return nil
			})
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			codes := map[int]int{}
			for b.Loop() {
				var wg sync.WaitGroup
				res := make([]int, 100)
				for i := range 100 {
					wg.Go(func() {
						w := httptest.NewRecorder()
						h.ServeHTTP(w, hookRequest(body))
						res[i] = w.Code
					})
				}
				wg.Wait()
				for _, c := range res {
					codes[c]++
				}
			}
			runtime.ReadMemStats(&after)
			b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(b.N*100)/(1<<20), "MiB-alloc/delivery")
			b.ReportMetric(float64(peak)/(1<<20), "MiB-peak-heap")
			b.Logf("status codes: %v", codes)
		})
	}
}

// TestWebhookConcurrencyLimit: beyond WithWebhookMaxConcurrent deliveries decoded at once,
// the handler answers 503 with Retry-After before reading the body; a slot freed is
// reused.
func TestWebhookConcurrencyLimit(t *testing.T) {
	h, err := api.NewWebhookHandler(api.WithWebhookMaxConcurrent(2))
	if err != nil {
		t.Fatal(err)
	}
	started, release := make(chan struct{}), make(chan struct{})
	var calls atomic.Int32
	h.OnEvent(func(context.Context, *api.WebhookEvent) error {
		if calls.Add(1) <= 2 { // the first two hold their slots until released
			started <- struct{}{}
			<-release
		}
		return nil
	})
	body := []byte(`{"Topic":"Deal","Event":"Won"}`)
	var wg sync.WaitGroup
	codes := make([]int, 2)
	for i := range 2 {
		wg.Go(func() {
			w := httptest.NewRecorder()
			h.ServeHTTP(w, hookRequest(body))
			codes[i] = w.Code
		})
	}
	<-started
	<-started
	w := httptest.NewRecorder()
	h.ServeHTTP(w, hookRequest(body))
	if w.Code != http.StatusServiceUnavailable || w.Header().Get("Retry-After") == "" {
		t.Errorf("third delivery: status %d, Retry-After %q; want 503 with Retry-After", w.Code, w.Header().Get("Retry-After"))
	}
	close(release)
	wg.Wait()
	if codes[0] != http.StatusOK || codes[1] != http.StatusOK {
		t.Errorf("first two deliveries: %v", codes)
	}
	w = httptest.NewRecorder()
	h.ServeHTTP(w, hookRequest(body))
	if w.Code != http.StatusOK {
		t.Errorf("after the slots were freed: status %d", w.Code)
	}
	for _, n := range []int{0, -1} {
		if _, err := api.NewWebhookHandler(api.WithWebhookMaxConcurrent(n)); err == nil {
			t.Errorf("WithWebhookMaxConcurrent(%d): no error", n)
		}
	}
}

// TestWebhookAnyContentType: strict by default; WithWebhookAnyContentType accepts a
// delivery without a Content-Type or with another one (Venio's is not observed), and still
// refuses a compressed body.
func TestWebhookAnyContentType(t *testing.T) {
	body := []byte(`{"Topic":"Deal","Event":"Won"}`)
	strict, err := api.NewWebhookHandler()
	if err != nil {
		t.Fatal(err)
	}
	lenient, err := api.NewWebhookHandler(api.WithWebhookAnyContentType())
	if err != nil {
		t.Fatal(err)
	}
	for _, ct := range []string{"", "text/plain", "application/x-www-form-urlencoded", "application/json; charset=latin1"} {
		for _, c := range []struct {
			name string
			h    *api.WebhookHandler
			want int
		}{{"strict", strict, http.StatusUnsupportedMediaType}, {"lenient", lenient, http.StatusOK}} {
			r := hookRequest(body)
			if ct == "" {
				r.Header.Del("Content-Type")
			} else {
				r.Header.Set("Content-Type", ct)
			}
			w := httptest.NewRecorder()
			c.h.ServeHTTP(w, r)
			if w.Code != c.want {
				t.Errorf("%s, Content-Type %q: status %d, want %d", c.name, ct, w.Code, c.want)
			}
		}
	}
	r := hookRequest(body)
	r.Header.Set("Content-Encoding", "gzip")
	w := httptest.NewRecorder()
	lenient.ServeHTTP(w, r)
	if w.Code != http.StatusUnsupportedMediaType {
		t.Errorf("lenient, gzip: status %d, want 415", w.Code)
	}
}

// TestWebhookCallbackMalformed: a callback error wrapping ErrMalformedWebhook (Fetch of a
// number that cannot be an order) is the delivery's fault: 400, not a 500 that invites
// redelivery.
func TestWebhookCallbackMalformed(t *testing.T) {
	h, err := api.NewWebhookHandler()
	if err != nil {
		t.Fatal(err)
	}
	h.OnSalesOrder(func(ctx context.Context, e *api.SalesOrderEvent) error {
		_, err := e.Fetch(ctx, nil) // refused before any request: no client needed
		return err
	})
	w := httptest.NewRecorder()
	h.ServeHTTP(w, hookRequest([]byte(`{"Data":{"SaleOrderNo":"../v1/products"}}`)))
	if w.Code != http.StatusBadRequest {
		t.Errorf("status %d, want 400: %s", w.Code, w.Body)
	}
}
