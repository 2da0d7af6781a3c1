package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestErrorMappingBodyKinds(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		status      int
		contentType string
		headers     http.Header
		body        string
		want        APIError // Method, Path, OperationID, HTTPStatus and Body are filled in below
		wantIs      error
		wantMessage string
	}{
		{
			name: "gofive envelope one error", status: 400, contentType: "application/json",
			body:   `{"status":{"code":"4001","description":"Customer code is required"},"data":null}`,
			want:   APIError{Code: "4001", Description: "Customer code is required"},
			wantIs: ErrBadRequest, wantMessage: "gofive: POST /v3/customers (createCustomer): HTTP 400 Bad Request code 4001: Customer code is required",
		},
		{
			name: "gofive envelope numeric code and message list", status: 400,
			body:        `{"status":{"code":4002,"description":"Validation failed"},"data":["customerName is required","customerType is invalid"]}`,
			want:        APIError{Code: "4002", Description: "Validation failed", Errors: []string{"customerName is required", "customerType is invalid"}},
			wantMessage: "gofive: POST /v3/customers (createCustomer): HTTP 400 Bad Request code 4002: Validation failed [customerName is required; customerType is invalid]",
			wantIs:      ErrBadRequest,
		},
		{
			name: "gofive envelope with field objects", status: 422,
			body: `{"status":{"code":"4002","description":"Invalid"},"data":[{"field":"qty","message":"must be positive"},{"propertyName":"price","errorMessage":"required"},{"x":1},"plain"]}`,
			want: APIError{Code: "4002", Description: "Invalid", Errors: []string{"qty: must be positive", "price: required", "plain"}},
		},
		{
			name: "gofive envelope with object data is not an error list", status: 404,
			body:   `{"status":{"code":"4001","description":"Not found"},"data":{"customerCode":"C1"}}`,
			want:   APIError{Code: "4001", Description: "Not found"},
			wantIs: ErrNotFound,
		},
		{
			name: "APIM invalid subscription key", status: 401, contentType: "application/json",
			body:   `{ "statusCode": 401, "message": "Access denied due to invalid subscription key. Make sure to provide a valid key for an active subscription." }`,
			want:   APIError{Code: "401", Description: "Access denied due to invalid subscription key. Make sure to provide a valid key for an active subscription."},
			wantIs: ErrUnauthorized,
		},
		{
			name: "APIM rate limit with Retry-After", status: 429, headers: http.Header{"Retry-After": {"12"}},
			body:   `{"statusCode":429,"message":"Rate limit is exceeded. Try again in 12 seconds."}`,
			want:   APIError{Code: "429", Description: "Rate limit is exceeded. Try again in 12 seconds.", RetryAfter: 12 * time.Second},
			wantIs: ErrRateLimited,
		},
		{
			name: "OAuth error", status: 400,
			body:   `{"error":"invalid_client","error_description":"Client authentication failed."}`,
			want:   APIError{Code: "invalid_client", Description: "Client authentication failed."},
			wantIs: ErrBadRequest,
		},
		{
			name: "OAuth error without description", status: 401,
			body: `{"error":"invalid_token"}`,
			want: APIError{Code: "invalid_token"},
		},
		{
			name: "nested error object", status: 403,
			body:   `{"error":{"code":"Forbidden","message":"Caller is not allowed"}}`,
			want:   APIError{Code: "Forbidden", Description: "Caller is not allowed"},
			wantIs: ErrForbidden,
		},
		{
			name: "ProblemDetails validation", status: 400, contentType: "application/problem+json",
			body: `{"type":"https://tools.ietf.org/html/rfc7231#section-6.5.1","title":"One or more validation errors occurred.","status":400,` +
				`"traceId":"00-abc-def-00","errors":{"SerialNumber":["The SerialNumber field is required."],"$.qty":["Bad number.","Too big."]}}`,
			want: APIError{Description: "One or more validation errors occurred.", RequestID: "00-abc-def-00",
				Errors: []string{"$.qty: Bad number.", "$.qty: Too big.", "SerialNumber: The SerialNumber field is required."}},
			wantIs: ErrBadRequest,
		},
		{
			name: "ProblemDetails title and detail", status: 500,
			body:   `{"title":"An error occurred.","status":500,"detail":"Object reference not set to an instance of an object."}`,
			want:   APIError{Description: "An error occurred. Object reference not set to an instance of an object."},
			wantIs: ErrServerError,
		},
		{
			name: "ASP.NET Message", status: 500,
			body: `{"Message":"An error has occurred."}`,
			want: APIError{Description: "An error has occurred."},
		},
		{
			name: "errors array of strings", status: 400,
			body: `{"message":"Bad input","errors":["a","b"]}`,
			want: APIError{Description: "Bad input", Errors: []string{"a", "b"}},
		},
		{
			name: "unknown JSON", status: 502,
			body: `{"foo":{"bar":1}}`,
			want: APIError{Description: `{"foo":{"bar":1}}`},
		},
		{
			name: "HTML error page with title", status: 503, contentType: "text/html",
			body:   "<!DOCTYPE html>\n<html><head><title>\n  503 Service Unavailable &amp; more\n</title></head><body><h1>Down</h1></body></html>",
			want:   APIError{Description: "503 Service Unavailable & more"},
			wantIs: ErrServerError,
		},
		{
			name: "HTML without title", status: 404,
			body: "<html><head><style>h1{x:y}</style></head><body>\n<h1>Resource not found</h1><p>The page <b>x</b> is gone.</p><script>var a=1;</script></body></html>",
			want: APIError{Description: "Resource not found The page x is gone."},
		},
		{
			name: "IIS HTML with content type only", status: 500, contentType: "text/html; charset=utf-8",
			body: "Server Error in '/' Application.",
			want: APIError{Description: "Server Error in '/' Application."},
		},
		{
			name: "plain text", status: 500, contentType: "text/plain",
			body: "upstream connect error\nor disconnect/reset before headers",
			want: APIError{Description: "upstream connect error or disconnect/reset before headers"},
		},
		{
			name: "empty body", status: 404,
			want:        APIError{},
			wantIs:      ErrNotFound,
			wantMessage: "gofive: POST /v3/customers (createCustomer): HTTP 404 Not Found",
		},
		{
			name: "whitespace body and request id header", status: 405, headers: http.Header{"X-Ms-Request-Id": {"ms-1"}},
			body:        " \n ",
			want:        APIError{RequestID: "ms-1"},
			wantMessage: "gofive: POST /v3/customers (createCustomer): HTTP 405 Method Not Allowed (request id ms-1)",
		},
		{
			name: "malformed JSON on an error", status: 500,
			body: `{"status":{"code":"4001"`,
			want: APIError{Description: `{"status":{"code":"4001"`},
		},
		{
			name: "long description is truncated", status: 400,
			body: `{"message":"` + strings.Repeat("é", 400) + `"}`,
			want: APIError{Description: strings.Repeat("é", 150) + "…"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := http.Header{}
			for k, v := range tt.headers {
				h[k] = v
			}
			if tt.contentType != "" {
				h.Set("Content-Type", tt.contentType)
			}
			info := callInfo{operationID: "createCustomer", method: "POST", path: "/v3/customers", status: tt.status, header: h}
			got := newAPIError(info, []byte(tt.body))
			want := tt.want
			want.HTTPStatus, want.Method, want.Path, want.OperationID = tt.status, "POST", "/v3/customers", "createCustomer"
			if tt.body != "" {
				want.Body = []byte(tt.body)
			}
			if diff := cmp.Diff(&want, got, cmpopts.EquateEmpty(), cmpopts.IgnoreUnexported(APIError{})); diff != "" {
				t.Errorf("APIError (-want +got):\n%s", diff)
			}
			if tt.wantIs != nil && !errors.Is(got, tt.wantIs) {
				t.Errorf("errors.Is(%v) = false", tt.wantIs)
			}
			msg := got.Error()
			if tt.wantMessage != "" && msg != tt.wantMessage {
				t.Errorf("Error() = %q\nwant      %q", msg, tt.wantMessage)
			}
			if strings.ContainsAny(msg, "\n\r") {
				t.Errorf("Error() is not one line: %q", msg)
			}
		})
	}
}

func TestAPIErrorSentinels(t *testing.T) {
	t.Parallel()
	all := []error{ErrBadRequest, ErrUnauthorized, ErrForbidden, ErrNotFound, ErrRateLimited, ErrServerError, ErrBusiness}
	tests := map[int]error{
		200: ErrBusiness, 201: ErrBusiness, 400: ErrBadRequest, 401: ErrUnauthorized, 403: ErrForbidden,
		404: ErrNotFound, 429: ErrRateLimited, 500: ErrServerError, 503: ErrServerError, 409: nil, 302: nil,
	}
	for status, want := range tests {
		err := error(&APIError{HTTPStatus: status})
		for _, s := range all {
			if got := errors.Is(err, s); got != (s == want) {
				t.Errorf("HTTP %d: errors.Is(%v) = %v", status, s, got)
			}
		}
	}
}

func TestRequestIDHeaders(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"x-request-id", "request-id", "x-ms-request-id", "apim-request-id", "x-correlation-id"} {
		h := http.Header{}
		h.Set(name, " id-"+name+" ")
		if got := requestID(h); got != "id-"+name {
			t.Errorf("%s: requestID = %q", name, got)
		}
	}
	h := http.Header{}
	h.Set("X-Correlation-Id", "second")
	h.Set("X-Request-Id", "first")
	if got := requestID(h); got != "first" {
		t.Errorf("priority: %q", got)
	}
	h.Set("X-Request-Id", strings.Repeat("x", 300)+"\nInjected: 1")
	if got := requestID(h); len(got) > 140 || strings.Contains(got, "\n") {
		t.Errorf("unbounded request id: %q", got)
	}
}

func TestAPIErrorBodyIsBounded(t *testing.T) {
	t.Parallel()
	body := strings.Repeat("x", 200<<10)
	e := newAPIError(callInfo{status: 500}, []byte(body))
	if len(e.Body) != keptErrorBody || len(e.Description) > maxDescription+len("…") {
		t.Errorf("len(Body) = %d, len(Description) = %d", len(e.Body), len(e.Description))
	}
	if len(e.Error()) > 1000 {
		t.Errorf("Error() is %d bytes", len(e.Error()))
	}
	many := make([]string, 200)
	for i := range many {
		many[i] = "e"
	}
	b, _ := json.Marshal(map[string]any{"errors": many})
	e = newAPIError(callInfo{status: 400}, b)
	if len(e.Errors) != 100 || !strings.Contains(e.Error(), "; and 95 more]") {
		t.Errorf("Errors: %d, Error() = %q", len(e.Errors), e.Error())
	}
}

func TestRedactor(t *testing.T) {
	t.Parallel()
	r := newRedactor("a+b/c=", "", "plain")
	in := `raw a+b/c= query a%2Bb%2Fc%3D path a+b%2Fc= json plain`
	got := r.string(in)
	if want := "raw [REDACTED] query [REDACTED] path [REDACTED] json [REDACTED]"; got != want {
		t.Errorf("string() = %q, want %q", got, want)
	}
	if got := string(r.bytes([]byte(in))); got != "raw [REDACTED] query [REDACTED] path [REDACTED] json [REDACTED]" {
		t.Errorf("bytes() = %q", got)
	}
	var nilR *redactor
	if nilR.string("x") != "x" || string(nilR.bytes([]byte("x"))) != "x" {
		t.Error("nil redactor changed input")
	}
	// Echoed bearer tokens go too, whoever issued them.
	if got := r.string(`{"Authorization":["Bearer eyJ.a-b_c+d/e=="],"x":"bearer  tok1"}`); got != `{"Authorization":["Bearer [REDACTED]"],"x":"bearer  [REDACTED]"}` {
		t.Errorf("bearer: %s", got)
	}
	if got := string(r.bytes([]byte("x BEARER abc+"))); got != "x BEARER [REDACTED]" {
		t.Errorf("upper case: %q", got)
	}
	if got := r.string(r.string("Bearer abc/")); got != "Bearer [REDACTED]" {
		t.Errorf("redacting twice: %q", got)
	}
	r.tokens = func() []*secret { return []*secret{newSecret("live+token/=")} }
	if got := r.string("token live+token/= or live%2Btoken%2F%3D"); got != "token [REDACTED] or [REDACTED]" {
		t.Errorf("current token: %q", got)
	}
	// JSON escaping of a secret with a quote or backslash is caught too.
	r = newRedactor(`q"u\o`)
	if got := r.string(`{"echo":"q\"u\\o"}`); strings.Contains(got, `q\"u`) {
		t.Errorf("JSON-escaped secret kept: %s", got)
	}
}

func TestTruncate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"short", 10, "short"},
		{"abcdef", 3, "abc…"},
		{"ไทย", 4, "ไ…"},
		{"ไทย", 9, "ไทย"},
	}
	for _, tt := range tests {
		if got := truncate(tt.in, tt.n); got != tt.want {
			t.Errorf("truncate(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
	}
}

func TestDecodeErrorMessage(t *testing.T) {
	t.Parallel()
	var target struct{ N int }
	jerr := json.Unmarshal([]byte(`{"N":"x"}`), &target)
	e := newDecodeError(callInfo{operationID: "getX", method: "GET", path: "/v1/x", status: 200}, []byte(`{"N":"x"}`), jerr)
	if !strings.HasPrefix(e.Error(), "gofive: GET /v1/x (getX): decoding HTTP 200 response body: json: cannot unmarshal") {
		t.Errorf("Error() = %q", e.Error())
	}
	var typeErr *json.UnmarshalTypeError
	if !errors.As(e, &typeErr) {
		t.Error("errors.As(*json.UnmarshalTypeError) = false")
	}
	e = newDecodeError(callInfo{method: "GET", path: "/v1/x", status: 200}, nil, errors.New("boom"))
	if e.Error() != "gofive: GET /v1/x: decoding HTTP 200 response body: boom" {
		t.Errorf("Error() = %q", e.Error())
	}
}

// escapeJSON writes s as a JSON encoder with the given habits would:
// upper-case \uXXXX (System.Text.Json), lower-case (encoding/json,
// Newtonsoft), for the bytes in escape, and "/" as "\/" (PHP) when slash.
func escapeJSON(s, escape string, upper, slash bool) string {
	var b strings.Builder
	for _, c := range s {
		switch {
		case c == '/' && slash:
			b.WriteString(`\/`)
		case strings.ContainsRune(escape, c) && upper:
			fmt.Fprintf(&b, `\u%04X`, c)
		case strings.ContainsRune(escape, c):
			fmt.Fprintf(&b, `\u%04x`, c)
		default:
			b.WriteRune(c)
		}
	}
	return b.String()
}

func TestRedactorEncodedForms(t *testing.T) {
	t.Parallel()
	const stj = `+&<>'"` // what System.Text.Json's default encoder escapes (ASCII)
	tests := []struct {
		name, secret, echo string
	}{
		{"raw", testSecret, testSecret},
		{"query escaped", testSecret, url.QueryEscape(testSecret)},
		{"path escaped", testSecret, url.PathEscape(testSecret)},
		{"lower-case percent", testSecret, "s3cr%2bt%2fVa1ue%3d%3D%26more"},
		{"System.Text.Json", testSecret, escapeJSON(testSecret, stj, true, false)},
		{"System.Text.Json, lower-case hex", testSecret, escapeJSON(testSecret, stj, false, false)},
		{"every symbol escaped", testSecret, escapeJSON(testSecret, "+/=&", true, false)},
		{"escaped slash", testSubKey, escapeJSON(testSubKey, "", false, true)},
		{"escaped slash and plus", testSubKey, escapeJSON(testSubKey, "+", true, true)},
		{"HTML references", testSecret, "s3cr&#43;t&#x2F;Va1ue&#61;=&amp;more"},
		{"quote and backslash", `q"u\o`, `q\"u\\o`},
		{"control character", "tab\there", `tab\there`},
		{"form-encoded space", "pass phrase", "pass+phrase"},
		{"non-ASCII escaped", "รหัส+1", `\u0E23\u0e2b\u0E31\u0E2A\u002B1`},
		{"astral rune escaped", "k😀y", `k\ud83d\ude00y`},
		{"astral rune percent-encoded", "k😀y", url.QueryEscape("k😀y")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := newRedactor(tt.secret)
			in := `{"echo":"` + tt.echo + `","n":1}`
			want := `{"echo":"[REDACTED]","n":1}`
			if got := r.string(in); got != want {
				t.Errorf("string(%s) = %s", in, got)
			}
			if got := string(r.bytes([]byte(in))); got != want {
				t.Errorf("bytes(%s) = %s", in, got)
			}
			// Tokens are matched the same way.
			r = &redactor{tokens: func() []*secret { return []*secret{newSecret(tt.secret)} }}
			if got := r.string(in); got != want {
				t.Errorf("token: string(%s) = %s", in, got)
			}
		})
	}
	// Near misses are left alone.
	r := newRedactor(testSecret)
	for _, s := range []string{"s3cr-t/Va1ue==&more", `s3cr\u002Ct/Va1ue==&more`, "s3cr%2Ct/Va1ue==&more", "s3cr+t/Va1ue==&mor"} {
		if got := r.string(s); got != s {
			t.Errorf("string(%q) = %q, want it unchanged", s, got)
		}
	}
	// A secret that is not valid UTF-8 still goes, in its literal forms.
	r = newRedactor("bad\xffkey")
	if got := r.string("x bad\xffkey y " + url.QueryEscape("bad\xffkey")); got != "x [REDACTED] y [REDACTED]" {
		t.Errorf("invalid UTF-8 secret: %q", got)
	}
}

func TestAPIErrorRedactsEscapedSecrets(t *testing.T) {
	t.Parallel()
	stj := escapeJSON(testSecret, `+&<>'"`, true, false) // s3cr\u002Bt/Va1ue==\u0026more
	php := escapeJSON(testSubKey, "", false, true)       // sub+Key\/0123==
	tests := []struct {
		name string
		body string
	}{
		{"ProblemDetails errors", `{"title":"bad","errors":{"client_secret":["` + stj + `"],"key":["bad key ` + php + `"]},"extra":"` + stj + `"}`},
		{"envelope description and data", `{"status":{"code":"4001","description":"secret ` + stj + `"},"data":["key ` + php + `"]}`},
		{"code and trace id", `{"error":"` + stj + `","error_description":"` + php + `","traceId":"` + stj + `"}`},
		{"error list objects", `{"message":"m","errors":[{"field":"` + php + `","message":"` + stj + `"}]}`},
		{"HTML entities", `<html><body>secret s3cr&#43;t/Va1ue==&amp;more key sub&#x2b;Key/0123==</body></html>`},
	}
	r := newRedactor(testSecret, testSubKey)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			info := callInfo{method: "POST", path: "/v1/deals", status: 400, header: http.Header{}, redact: r}
			e := newAPIError(info, []byte(tt.body))
			fields := append([]string{e.Error(), string(e.Body), e.Code, e.Description, e.RequestID}, e.Errors...)
			for _, s := range fields {
				assertNoSecrets(t, "APIError", s)
				if strings.Contains(s, stj) || strings.Contains(s, php) || strings.Contains(s, "s3cr&#43;t") {
					t.Errorf("escaped secret kept: %s", s)
				}
			}
			if !strings.Contains(e.Error(), redacted) {
				t.Errorf("Error() = %q, want the secret replaced", e.Error())
			}
			// The body is still the JSON it was, with the secrets replaced.
			if strings.HasPrefix(tt.body, "{") && !json.Valid(e.Body) {
				t.Errorf("redacted body is not JSON: %s", e.Body)
			}
		})
	}

	// Through a Client: the secret comes back escaped in a validation error.
	f := newFakeAPI(t)
	f.handle("POST /v1/deals", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 400, `{"title":"One or more validation errors occurred.","errors":{"key":["bad key `+php+`"],"secret":["`+stj+`"]}}`)
	})
	c := newTestClient(t, f)
	err := c.Do(t.Context(), "POST", "/v1/deals", map[string]int{"n": 1}, nil)
	var ae *APIError
	if !errors.As(err, &ae) || len(ae.Errors) != 2 {
		t.Fatalf("err = %v", err)
	}
	assertNoSecrets(t, "error", err.Error())
	assertNoSecrets(t, "body", string(ae.Body))
	if strings.Contains(string(ae.Body), stj) || strings.Contains(string(ae.Body), php) {
		t.Errorf("escaped secret kept in Body: %s", ae.Body)
	}
}

// onlyPadding reports whether b is made of 'x' and [REDACTED] alone (the
// last one possibly cut short).
func onlyPadding(b []byte) bool {
	s := string(b)
	for i := len(redacted) - 1; i > 0; i-- {
		if strings.HasSuffix(s, redacted[:i]) {
			s = s[:len(s)-i]
			break
		}
	}
	return strings.Trim(strings.ReplaceAll(s, redacted, ""), "x") == ""
}

func TestAPIErrorBodyRedactedBeforeCut(t *testing.T) {
	t.Parallel()
	r := newRedactor(testSecret, testSubKey)
	pad := func(n int) string { return strings.Repeat("x", n) }
	escaped := escapeJSON(testSubKey, "+", true, true)
	tests := []struct {
		name string
		body string
	}{
		{"secret across the kept bound", pad(keptErrorBody-8) + testSubKey + pad(100)},
		{"escaped secret across the kept bound", pad(keptErrorBody-5) + escaped + pad(100)},
		{"secret just inside the kept bound", pad(keptErrorBody-len(testSubKey)) + testSubKey + pad(100)},
		{"secret across the read bound", pad(maxErrorBody-8) + testSubKey + pad(100)},
		{"secret cut off by the reader", pad(maxErrorBody-8) + testSubKey[:8]},
		// Redaction shortens the body: the partial secret the reader left
		// at the end moves down, and must not reach the kept part.
		{"read-bound cut after many secrets", strings.Repeat(testSecret, 2000) + pad(maxErrorBody-2000*len(testSecret)-8) + testSubKey[:8]},
		{"short body", pad(100) + testSubKey},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newAPIError(callInfo{status: 400, redact: r}, []byte(tt.body))
			if len(e.Body) > keptErrorBody || len(e.Body) == 0 {
				t.Errorf("len(Body) = %d", len(e.Body))
			}
			if !onlyPadding(e.Body) {
				tail := e.Body[max(len(e.Body)-40, 0):]
				t.Errorf("Body keeps part of a secret: …%q", tail)
			}
			d := newDecodeError(callInfo{status: 200, redact: r}, []byte(tt.body), errors.New("x"))
			if len(d.Body) > keptErrorBody || !onlyPadding(d.Body) {
				t.Errorf("DecodeError.Body (%d bytes) keeps part of a secret: …%q", len(d.Body), d.Body[max(len(d.Body)-40, 0):])
			}
		})
	}

	// Through a Client, which reads at most maxErrorBody of an error.
	f := newFakeAPI(t)
	f.handle("GET /v3/customers/{code}", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 400, pad(keptErrorBody-8)+testSubKey+pad(maxErrorBody))
	})
	c := newTestClient(t, f)
	err := c.Do(t.Context(), "GET", "/v3/customers/C1", nil, nil)
	var ae *APIError
	if !errors.As(err, &ae) {
		t.Fatalf("err = %v", err)
	}
	if len(ae.Body) > keptErrorBody || len(ae.Body) < keptErrorBody-100 {
		t.Errorf("len(Body) = %d", len(ae.Body))
	}
	if !onlyPadding(ae.Body) || !strings.HasSuffix(string(ae.Body), "x[RED") {
		t.Errorf("Body tail %q", ae.Body[len(ae.Body)-30:])
	}
}
