package spec

import (
	"bufio"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

const customerJSON = `{"status":{"code":"1000","description":"Success"},"data":{"customerId":"1","customerName":"A","customerCode":"C000349","customerState":3,"customerStatus":0,"customerPicture":"","customerAliases":[],"addresses":[],"interestsName":[],"customFields":[],"leadStatus":3}}`

// server answers every request with status and body, counting hits.
func server(t testing.TB, status int, body string) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	return srv, &hits
}

func do(t testing.TB, c *http.Client, method, url, body string) (*http.Response, []byte, error) {
	t.Helper()
	req, _ := http.NewRequestWithContext(t.Context(), method, url, strings.NewReader(body))
	if body == "" {
		req.Body = http.NoBody
	} else {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Authorization", "Bearer tok-SECRET-123")
	req.Header.Set("Ocp-Apim-Subscription-Key", "key-SECRET-456")
	resp, err := c.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp, b, err
}

func TestTransportPassesValidTraffic(t *testing.T) {
	srv, hits := server(t, 200, customerJSON)
	tr := NewValidatingTransport(nil, Strict())
	c := &http.Client{Transport: tr}
	resp, b, err := do(t, c, "GET", srv.URL+"/v3/customers/C000349", "")
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 || string(b) != customerJSON || hits.Load() != 1 {
		t.Fatalf("status %d, body %s, hits %d", resp.StatusCode, b, hits.Load())
	}
	if tr.Err() != nil {
		t.Fatal(tr.Err())
	}
}

func TestTransportFailFastRequestNotSent(t *testing.T) {
	srv, hits := server(t, 200, `{"status":{"code":"1000","description":"Success"}}`)
	c := &http.Client{Transport: NewValidatingTransport(nil)}
	_, _, err := do(t, c, "POST", srv.URL+"/v1/customerEvent", `{"eventName":"x"}`)
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("err = %v, want a *ValidationError", err)
	}
	if ve.OperationID != "addCustomerEvent" || ve.Direction != DirectionRequest {
		t.Errorf("got %+v", ve)
	}
	if hits.Load() != 0 {
		t.Error("an invalid request was sent")
	}
}

func TestTransportFailFastResponse(t *testing.T) {
	srv, _ := server(t, 200, `{"status":{"code":"1000","description":"Success"},"data":{"customerName":5}}`)
	c := &http.Client{Transport: NewValidatingTransport(nil)}
	_, _, err := do(t, c, "GET", srv.URL+"/v3/customers/C000349", "")
	var ve *ValidationError
	if !errors.As(err, &ve) || ve.Direction != DirectionResponse || ve.Status != 200 {
		t.Fatalf("err = %v", err)
	}
}

func TestTransportCollect(t *testing.T) {
	srv, hits := server(t, 200, `{"status":{"code":"1000","description":"Success"},"data":{"customerName":5}}`)
	var rec recorder
	tr := NewValidatingTransport(nil, Collect(), ReportTo(&rec))
	c := &http.Client{Transport: tr}
	_, b, err := do(t, c, "POST", srv.URL+"/v1/customerEvent", `{"eventName":1}`)
	if err != nil {
		t.Fatalf("collect mode changed the traffic: %v", err)
	}
	if hits.Load() != 1 || !strings.Contains(string(b), "customerName") {
		t.Fatalf("hits %d, body %s", hits.Load(), b)
	}
	if _, _, err := do(t, c, "GET", srv.URL+"/v3/customers/C000349", ""); err != nil {
		t.Fatal(err)
	}
	p := tr.Problems()
	if len(p) < 5 || len(rec.msgs) != len(p) {
		t.Fatalf("%d problems, %d reported:\n%v", len(p), len(rec.msgs), p)
	}
	var req, res int
	for _, e := range p {
		switch e.Direction {
		case DirectionRequest:
			req++
		case DirectionResponse:
			res++
		}
	}
	if req == 0 || res == 0 {
		t.Errorf("request problems %d, response problems %d", req, res)
	}
	for _, m := range rec.msgs {
		if strings.Contains(m, "SECRET") {
			t.Errorf("leak: %s", m)
		}
	}
	tr.Reset()
	if tr.Err() != nil {
		t.Error("Reset kept problems")
	}
}

// TestTransportTruncatedBody: a body cut short is passed on with its read error, not
// reported as a spec problem.
func TestTransportTruncatedBody(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				_, _ = http.ReadRequest(bufio.NewReader(conn))
				_, _ = io.WriteString(conn, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"status\":")
			}()
		}
	}()
	tr := NewValidatingTransport(nil)
	c := &http.Client{Transport: tr}
	_, _, err = do(t, c, "GET", "http://"+ln.Addr().String()+"/v3/customers/C1", "")
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("err = %v, want unexpected EOF", err)
	}
	if tr.Err() != nil {
		t.Errorf("a transport failure was reported as a spec problem: %v", tr.Err())
	}
}

func TestTransportRequestBodyIntact(t *testing.T) {
	var got string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got = string(b)
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"status":{"code":"1000","description":"Success"}}`)
	}))
	defer srv.Close()
	body := `{"eventName":"x","eventType":1,"eventDate":"2024-02-01T10:00:00","customerCode":"C1"}`
	c := &http.Client{Transport: NewValidatingTransport(nil, Strict())}
	if _, _, err := do(t, c, "POST", srv.URL+"/v1/customerEvent", body); err != nil {
		t.Fatal(err)
	}
	if got != body {
		t.Errorf("server got %q", got)
	}
}

// BenchmarkValidatingTransport states the validator's cost: one loopback call of
// getCustomerByCode (the documented example response) through a plain transport, the
// validating transport, and the strict validating transport.
func BenchmarkValidatingTransport(b *testing.B) {
	doc := MustLoad()
	ex := doc.Paths.Find("/v3/customers/{customerCode}").Get.Responses.Status(200).Value.Content.Get("application/json").Examples["docs"].Value.Value
	body, _ := jsonMarshal(ex)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	}))
	defer srv.Close()
	base := srv.Client().Transport
	for _, bc := range []struct {
		name string
		rt   http.RoundTripper
	}{
		{"plain", base},
		{"validating", NewValidatingTransport(base)},
		{"validating-strict", NewValidatingTransport(base, Strict())},
	} {
		b.Run(bc.name, func(b *testing.B) {
			c := &http.Client{Transport: bc.rt}
			req, _ := http.NewRequest("GET", srv.URL+"/v3/customers/C000349", nil)
			req.Header.Set("Authorization", "Bearer t")
			req.Header.Set("Ocp-Apim-Subscription-Key", "k")
			b.ReportAllocs()
			for b.Loop() {
				resp, err := c.Do(req)
				if err != nil {
					b.Fatal(err)
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		})
	}
}

func jsonMarshal(v any) ([]byte, error) { return json.Marshal(v) }

func TestTransportOnlyResponsesOrRequests(t *testing.T) {
	srv, hits := server(t, 200, `{"status":{"code":"1000","description":"Success"},"data":{"customerName":5}}`)
	c := &http.Client{Transport: NewValidatingTransport(nil, OnlyResponses())}
	if _, _, err := do(t, c, "POST", srv.URL+"/v1/customerEvent", `{"eventName":1}`); err != nil {
		t.Fatalf("OnlyResponses checked the request: %v", err)
	}
	if hits.Load() != 1 {
		t.Fatal("not sent")
	}
	c = &http.Client{Transport: NewValidatingTransport(nil, OnlyRequests())}
	if _, _, err := do(t, c, "GET", srv.URL+"/v3/customers/C1", ""); err != nil {
		t.Fatalf("OnlyRequests checked the response: %v", err)
	}
}
