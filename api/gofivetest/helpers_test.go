package gofivetest_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/gofive-go/gofive/api/gofivetest"
	"github.com/gofive-go/gofive/gen"
	"github.com/gofive-go/gofive/spec"
)

// env is a fake server with a generated client whose transport validates every request and
// response against the strict spec, reporting problems on t.
type env struct {
	t   *testing.T
	srv *gofivetest.Server
	vt  *spec.ValidatingTransport
	hc  *http.Client
	c   *gen.ClientWithResponses
	tok string
}

func setup(t *testing.T, opts ...gofivetest.Option) *env {
	t.Helper()
	srv := gofivetest.NewServer(t, opts...)
	vt := spec.NewValidatingTransport(nil, spec.Strict(), spec.Collect(), spec.ReportTo(t))
	e := &env{t: t, srv: srv, vt: vt, hc: &http.Client{Transport: vt}}
	e.tok = e.token()
	c, err := gen.NewClientWithResponses(srv.URL, gen.WithHTTPClient(e.hc), gen.WithRequestEditorFn(e.auth))
	if err != nil {
		t.Fatal(err)
	}
	e.c = c
	return e
}

func (e *env) auth(_ context.Context, req *http.Request) error {
	req.Header.Set("Authorization", "Bearer "+e.tok)
	req.Header.Set("Ocp-Apim-Subscription-Key", e.srv.SubscriptionKey)
	return nil
}

// token fetches an access token with the server's credentials.
func (e *env) token() string {
	e.t.Helper()
	c, err := gen.NewClientWithResponses(e.srv.URL, gen.WithHTTPClient(e.hc), gen.WithRequestEditorFn(
		func(_ context.Context, req *http.Request) error {
			req.Header.Set("Ocp-Apim-Subscription-Key", e.srv.SubscriptionKey)
			return nil
		}))
	if err != nil {
		e.t.Fatal(err)
	}
	res, err := c.GetAccessTokenWithFormdataBodyWithResponse(e.t.Context(), gen.TokenRequest{
		GrantType: "client_credentials", ClientID: e.srv.ClientID, ClientSecret: e.srv.ClientSecret,
	})
	if err != nil {
		e.t.Fatal(err)
	}
	if res.JSON200 == nil {
		e.t.Fatalf("token: %d %s", res.StatusCode(), res.Body)
	}
	return res.JSON200.AccessToken
}

// raw sends a request with the client's credentials and returns the status and body.
func (e *env) raw(method, path, body string) (int, []byte) {
	e.t.Helper()
	var rd io.Reader = http.NoBody
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(e.t.Context(), method, e.srv.URL+path, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	_ = e.auth(nil, req)
	res, err := e.hc.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, b
}

// data decodes the envelope's data of an undocumented (minimal-envelope) response.
func data[T any](t *testing.T, body []byte) T {
	t.Helper()
	var env struct {
		Status struct {
			Code        json.RawMessage `json:"code"`
			Description string          `json:"description"`
		} `json:"status"`
		Data T `json:"data"`
	}
	if err := json.Unmarshal(body, &env); err != nil {
		t.Fatalf("decoding %s: %v", body, err)
	}
	if string(env.Status.Code) != `"1000"` {
		t.Fatalf("status %s %q, want 1000: %s", env.Status.Code, env.Status.Description, body)
	}
	return env.Data
}

func ptr[T any](v T) *T { return &v }

// form encodes a token request.
func form(kv ...string) string {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return v.Encode()
}
