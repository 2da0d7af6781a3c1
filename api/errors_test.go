package api

import (
	"encoding/json"
	"errors"
	"net/http"
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
			if diff := cmp.Diff(&want, got, cmpopts.EquateEmpty()); diff != "" {
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
	if len(e.Body) != maxErrorBody || len(e.Description) > maxDescription+len("…") {
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
	if got := r.string(`{"Authorization":["Bearer eyJ.a-b_c+d/e=="],"x":"bearer  tok"}`); got != `{"Authorization":["Bearer [REDACTED]"],"x":"bearer  [REDACTED]"}` {
		t.Errorf("bearer: %s", got)
	}
	if got := r.string(r.string("Bearer abc")); got != "Bearer [REDACTED]" {
		t.Errorf("redacting twice: %q", got)
	}
	r.tokens = func() []string { return []string{"live+token/="} }
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
