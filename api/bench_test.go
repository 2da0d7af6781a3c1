package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"sync/atomic"
	"testing"

	"github.com/gofive-go/gofive/api"
	"github.com/gofive-go/gofive/gen"
	"github.com/gofive-go/gofive/spec"
)

// The benchmarks compare three ways to make the same call (Get a Customer By CustomerCode,
// answered with the docs' example body on one loopback server): a hand-written net/http +
// encoding/json client that decodes once (the baseline), the bare generated
// gen.ClientWithResponses, and the wrapper. `make bench` runs them; README has the figures.

const benchKey, benchToken = "bench-subscription-key", "bench-token"

// benchServer serves the documented Get Customer By Code response and a token endpoint.
func benchServer(b *testing.B) (*httptest.Server, *atomic.Int64) {
	b.Helper()
	doc := spec.MustLoad()
	ex := doc.Paths.Find("/v3/customers/{customerCode}").Get.Responses.Status(200).Value.
		Content.Get("application/json").Examples["docs"].Value.Value
	body, err := json.Marshal(ex)
	if err != nil {
		b.Fatal(err)
	}
	var calls atomic.Int64
	mux := http.NewServeMux()
	mux.HandleFunc("POST /authorization/connect/token", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"access_token":%q,"token_type":"Bearer","expires_in":3600}`, benchToken)
	})
	mux.HandleFunc("GET /v3/customers/{code}", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+benchToken || r.Header.Get("Ocp-Apim-Subscription-Key") != benchKey {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		calls.Add(1)
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
	})
	srv := httptest.NewServer(mux)
	b.Cleanup(srv.Close)
	return srv, &calls
}

// rawCall is what a careful user writes by hand: one request, one decode into the same
// generated model, business code checked.
func rawCall(ctx context.Context, hc *http.Client, base string) (*gen.Customer, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/v3/customers/C000349", nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+benchToken)
	req.Header.Set("Ocp-Apim-Subscription-Key", benchKey)
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var env struct {
		Status struct {
			Code json.RawMessage `json:"code"`
		} `json:"status"`
		Data *gen.Customer `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&env); err != nil {
		return nil, err
	}
	if resp.StatusCode != 200 || (string(env.Status.Code) != `"1000"` && string(env.Status.Code) != "1000") {
		return nil, fmt.Errorf("status %d code %s", resp.StatusCode, env.Status.Code)
	}
	return env.Data, nil
}

func newBenchWrapper(b *testing.B, url string) *api.Client {
	b.Helper()
	c, err := api.New(api.WithBaseURL(url), api.WithCredentials("bench-id", "bench-secret"), api.WithSubscriptionKey(benchKey))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(c.CloseIdleConnections)
	return c
}

func newBenchGenerated(b *testing.B, url string) *gen.ClientWithResponses {
	b.Helper()
	g, err := gen.NewClientWithResponses(url, gen.WithRequestEditorFn(func(ctx context.Context, req *http.Request) error {
		req.Header.Set("Authorization", "Bearer "+benchToken)
		req.Header.Set("Ocp-Apim-Subscription-Key", benchKey)
		return nil
	}))
	if err != nil {
		b.Fatal(err)
	}
	return g
}

func BenchmarkCall(b *testing.B) {
	srv, _ := benchServer(b)
	ctx := context.Background()
	b.Run("raw", func(b *testing.B) {
		hc := &http.Client{}
		b.ReportAllocs()
		for b.Loop() {
			if c, err := rawCall(ctx, hc, srv.URL); err != nil || c.CustomerCode != "string" {
				b.Fatal(c, err)
			}
		}
	})
	b.Run("generated", func(b *testing.B) {
		g := newBenchGenerated(b, srv.URL)
		b.ReportAllocs()
		for b.Loop() {
			r, err := g.GetCustomerByCodeWithResponse(ctx, "C000349")
			if err != nil || r.JSON200 == nil || r.JSON200.Data.CustomerCode != "string" {
				b.Fatal(err)
			}
		}
	})
	b.Run("wrapper", func(b *testing.B) {
		c := newBenchWrapper(b, srv.URL)
		b.ReportAllocs()
		for b.Loop() {
			if cust, err := c.Customers.GetCustomerByCode(ctx, "C000349"); err != nil || cust.CustomerCode != "string" {
				b.Fatal(cust, err)
			}
		}
	})
}

// BenchmarkParallel runs the call from 64 goroutines against one host: the raw client uses
// Go's default transport (2 idle connections per host), the wrapper its tuned one.
func BenchmarkParallel(b *testing.B) {
	srv, _ := benchServer(b)
	ctx := context.Background()
	parallel := func(b *testing.B, call func() error) {
		// RunParallel starts parallelism × GOMAXPROCS goroutines.
		b.SetParallelism(max(1, 64/runtime.GOMAXPROCS(0)))
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if err := call(); err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	b.Run("raw", func(b *testing.B) {
		hc := &http.Client{}
		parallel(b, func() error { _, err := rawCall(ctx, hc, srv.URL); return err })
	})
	b.Run("wrapper", func(b *testing.B) {
		c := newBenchWrapper(b, srv.URL)
		parallel(b, func() error { _, err := c.Customers.GetCustomerByCode(ctx, "C000349"); return err })
	})
}
