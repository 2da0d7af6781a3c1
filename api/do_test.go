package api

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// echo replies with an envelope whose data describes the request.
func echo(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	data := map[string]any{
		"method":      r.Method,
		"path":        r.URL.Path,
		"query":       r.URL.RawQuery,
		"body":        string(b),
		"contentType": r.Header.Get("Content-Type"),
	}
	out, _ := json.Marshal(map[string]any{"status": map[string]string{"code": "1000", "description": "Success"}, "data": data})
	writeJSON(w, 200, string(out))
}

type echoed struct {
	Method      string `json:"method"`
	Path        string `json:"path"`
	Query       string `json:"query"`
	Body        string `json:"body"`
	ContentType string `json:"contentType"`
}

func TestDo(t *testing.T) {
	t.Parallel()
	f := newFakeAPI(t)
	f.handle("/", echo)
	c := newTestClient(t, f)
	tests := []struct {
		name   string
		method string
		path   string
		body   any
		want   echoed
	}{
		{"nil body", "GET", "/v3/customers/C000349", nil, echoed{Method: "GET", Path: "/v3/customers/C000349"}},
		{"no leading slash and a query", "GET", "v1/quotation/QT1?take=10&skip=0", nil, echoed{Method: "GET", Path: "/v1/quotation/QT1", Query: "take=10&skip=0"}},
		{"bytes", "POST", "/v1/case", []byte(`{"a":1}`), echoed{Method: "POST", Path: "/v1/case", Body: `{"a":1}`, ContentType: "application/json"}},
		{"reader", "PUT", "/v2/salesorder/SO1/payment", strings.NewReader(`[1]`), echoed{Method: "PUT", Path: "/v2/salesorder/SO1/payment", Body: `[1]`, ContentType: "application/json"}},
		{"value", "DELETE", "/v1/salesorders/reject", map[string]any{"salesOrderIds": []int{1, 2}}, echoed{Method: "DELETE", Path: "/v1/salesorders/reject", Body: `{"salesOrderIds":[1,2]}`, ContentType: "application/json"}},
		{"GET with a JSON body", "GET", "/v1/customerEvent/C1", json.RawMessage(`{"DateFrom":"2024-02-01T10:00:00"}`), echoed{Method: "GET", Path: "/v1/customerEvent/C1", Body: `{"DateFrom":"2024-02-01T10:00:00"}`, ContentType: "application/json"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var got echoed
			if err := c.Do(t.Context(), tt.method, tt.path, tt.body, &got); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("request seen by the server (-want +got):\n%s", diff)
			}
		})
	}
	// out == nil checks the status only.
	if err := c.Do(t.Context(), "POST", "/v1/case", []byte(`{}`), nil); err != nil {
		t.Errorf("Do(out=nil) = %v", err)
	}
}

func TestDoErrors(t *testing.T) {
	t.Parallel()
	f := newFakeAPI(t)
	f.handle("GET /v1/business", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, `{"status":{"code":"4001","description":"Quotation is closed"},"data":null}`)
	})
	f.handle("GET /v1/missing", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 404, `{"status":{"code":"4001","description":"Not found"}}`)
	})
	f.handle("GET /v1/wrongtype", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, `{"status":{"code":"1000"},"data":[1]}`)
	})
	c := newTestClient(t, f)
	var out customer
	if err := c.Do(t.Context(), "GET", "/v1/business", nil, &out); !errors.Is(err, ErrBusiness) || !strings.Contains(err.Error(), "Quotation is closed") {
		t.Errorf("business: %v", err)
	}
	if err := c.Do(t.Context(), "GET", "/v1/business", nil, nil); !errors.Is(err, ErrBusiness) {
		t.Errorf("business, out=nil: %v", err)
	}
	if err := c.Do(t.Context(), "GET", "/v1/missing", nil, &out); !errors.Is(err, ErrNotFound) {
		t.Errorf("404: %v", err)
	}
	var de *DecodeError
	if err := c.Do(t.Context(), "GET", "/v1/wrongtype", nil, &out); !errors.As(err, &de) {
		t.Errorf("wrong type: %v", err)
	}
	for _, tt := range []struct {
		name       string
		method     string
		path, want string
		body, out  any
	}{
		{"non-pointer out", "GET", "/v1/x", "out must be a non-nil pointer, got api.customer", nil, customer{}},
		{"nil pointer out", "GET", "/v1/x", "out must be a non-nil pointer", nil, (*customer)(nil)},
		{"absolute URL", "GET", "https://evil.example/v1/x", "path must be relative", nil, nil},
		{"scheme-relative URL", "GET", "//evil.example/v1/x", "path must be relative", nil, nil},
		{"bad path", "GET", "/v1/%zz", "invalid path", nil, nil},
		{"unencodable body", "POST", "/v1/x", "encoding body", func() {}, nil},
		{"bad method", "GE T", "/v1/x", "invalid method", nil, nil},
	} {
		err := c.Do(t.Context(), tt.method, tt.path, tt.body, tt.out)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want %q", tt.name, err, tt.want)
		}
	}
	if f.dataRequests.Load() != 4 {
		t.Errorf("data requests = %d, want 4 (argument errors send nothing)", f.dataRequests.Load())
	}
}

func TestCallReturnsBodyAndResponse(t *testing.T) {
	t.Parallel()
	f := newFakeAPI(t)
	f.handle("GET /v1/ok", func(w http.ResponseWriter, r *http.Request) {
		if OperationID(r.Context()) != "" {
			t.Error("operation id leaked into the server context")
		}
		writeJSON(w, 200, successBody)
	})
	f.handle("GET /v1/bad", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 400, `{"status":{"code":"4001"}}`) })
	c := newTestClient(t, f)

	body, resp, err := c.call(t.Context(), "getOK", newRequest(t, c, "GET", "/v1/ok", nil))
	if err != nil || resp.StatusCode != 200 || string(body) != successBody {
		t.Fatalf("call = %q, %v, %v", body, resp, err)
	}
	// The body was read once, into body; resp.Body is an empty, closed-safe reader.
	if rest, err := io.ReadAll(resp.Body); err != nil || len(rest) != 0 {
		t.Errorf("resp.Body after call = %q, %v; want empty", rest, err)
	}
	if resp.Request.Header.Get("Authorization") != "" || resp.Request.Header.Get(subscriptionKeyHeader) != "" {
		t.Error("resp.Request carries credentials")
	}
	if OperationID(resp.Request.Context()) != "getOK" {
		t.Errorf("operation id in request context = %q", OperationID(resp.Request.Context()))
	}

	body, resp, err = c.call(t.Context(), "getBad", newRequest(t, c, "GET", "/v1/bad", nil))
	var apiErr *APIError
	if !errors.As(err, &apiErr) || resp == nil || resp.StatusCode != 400 || string(body) != `{"status":{"code":"4001"}}` {
		t.Fatalf("call(400) = %q, %v, %v", body, resp, err)
	}
	if apiErr.OperationID != "getBad" || apiErr.Attempts != 1 {
		t.Errorf("APIError = %+v", apiErr)
	}
}

func TestCallRawAndNoData(t *testing.T) {
	t.Parallel()
	f := newFakeAPI(t)
	f.handle("PUT /v1/products/stock", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, `{"data":[{"productCode":"A001","qty":30,"isSuccess":true}],"statusCode":1000,"httpStatusCode":200}`)
	})
	f.handle("DELETE /v1/salesorders/reject", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, `{"statusCode":4002,"httpStatusCode":400,"data":["SO1 is closed","SO2 is closed"]}`)
	})
	f.handle("PUT /v2/salesorder/SO1/payment", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, `{"status":{"code":"1000","description":"Success"},"data":true}`)
	})
	f.handle("POST /v1/empty", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(204) })
	f.handle("POST /v1/text", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "OK") })
	f.handle("POST /v1/array", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, `[true]`) })
	c := newTestClient(t, f)

	type stock struct {
		Data []struct {
			ProductCode string `json:"productCode"`
			Qty         int    `json:"qty"`
		} `json:"data"`
		StatusCode     int `json:"statusCode"`
		HTTPStatusCode int `json:"httpStatusCode"`
	}
	got, err := callRaw[stock](c, t.Context(), "updateProductStock", newRequest(t, c, "PUT", "/v1/products/stock", strings.NewReader(`[{"productCode":"A001","qty":20}]`)))
	if err != nil || len(got.Data) != 1 || got.Data[0].Qty != 30 || got.StatusCode != 1000 {
		t.Fatalf("callRaw = %+v, %v", got, err)
	}
	_, err = callRaw[stock](c, t.Context(), "rejectSalesOrders", newRequest(t, c, "DELETE", "/v1/salesorders/reject", strings.NewReader(`{"salesOrderIds":[1]}`)))
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Code != "4002" || !cmp.Equal(apiErr.Errors, []string{"SO1 is closed", "SO2 is closed"}) {
		t.Errorf("callRaw business error = %v", err)
	}
	if _, err := callRaw[stock](c, t.Context(), "x", newRequest(t, c, "POST", "/v1/text", nil)); !errors.As(err, new(*DecodeError)) {
		t.Errorf("callRaw on text = %v", err)
	}
	if _, err := callRaw[stock](c, t.Context(), "x", newRequest(t, c, "POST", "/v1/array", nil)); !errors.As(err, new(*DecodeError)) {
		t.Errorf("callRaw array into struct = %v", err)
	}
	if _, err := callRaw[stock](c, t.Context(), "x", newRequest(t, c, "GET", "/v1/none", nil)); !errors.Is(err, ErrNotFound) {
		t.Errorf("callRaw 404 = %v", err)
	}

	tests := []struct {
		method, path string
		wantErr      bool
	}{
		{"PUT", "/v2/salesorder/SO1/payment", false},
		{"POST", "/v1/empty", false},
		{"POST", "/v1/array", false},
		{"POST", "/v1/text", true},
		{"DELETE", "/v1/salesorders/reject", true},
	}
	for _, tt := range tests {
		err := callNoData(c, t.Context(), "op", newRequest(t, c, tt.method, tt.path, nil))
		if (err != nil) != tt.wantErr {
			t.Errorf("callNoData(%s %s) = %v", tt.method, tt.path, err)
		}
	}
}

func TestMaxResponseBytes(t *testing.T) {
	t.Parallel()
	f := newFakeAPI(t)
	big := `{"status":{"code":"1000"},"data":"` + strings.Repeat("x", 2000) + `"}`
	f.handle("GET /v1/big", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, big) })
	f.handle("GET /v1/bigerror", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 500, big) })
	c := newTestClient(t, f, WithMaxResponseBytes(1000), WithRetryPolicy(RetryPolicy{MaxAttempts: 1}))
	_, err := callJSON[string](c, t.Context(), "getBig", newRequest(t, c, "GET", "/v1/big", nil))
	if !errors.Is(err, ErrResponseTooLarge) {
		t.Fatalf("err = %v, want ErrResponseTooLarge", err)
	}
	if want := "gofive: GET /v1/big (getBig): response body too large: more than 1000 bytes (see WithMaxResponseBytes)"; err.Error() != want {
		t.Errorf("Error() = %q", err)
	}
	// An error response over the limit is still mapped: error bodies are read to their own
	// bound (64 KiB kept), so the redactor sees them whole.
	_, err = callJSON[string](c, t.Context(), "getBig", newRequest(t, c, "GET", "/v1/bigerror", nil))
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.HTTPStatus != 500 || string(apiErr.Body) != big {
		t.Errorf("err = %v", err)
	}
	// Under the limit is fine.
	c = newTestClient(t, f, WithMaxResponseBytes(int64(len(big))))
	if _, err := callJSON[string](c, t.Context(), "getBig", newRequest(t, c, "GET", "/v1/big", nil)); err != nil {
		t.Errorf("at the limit: %v", err)
	}
}

func TestHTTPClientForGeneratedCode(t *testing.T) {
	t.Parallel()
	f := newFakeAPI(t)
	var calls int
	f.handle("GET /v3/customers/C1", func(w http.ResponseWriter, r *http.Request) {
		calls++
		if calls == 1 {
			writeJSON(w, 503, `{"statusCode":503,"message":"busy"}`)
			return
		}
		writeJSON(w, 200, successBody)
	})
	c := newTestClient(t, f)
	// What oapi-codegen's client does: build a request, Do it, read the body.
	req, _ := http.NewRequestWithContext(t.Context(), "GET", c.BaseURL()+"v3/customers/C1", nil)
	resp, err := c.HTTPClient().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	got, err := DecodeResponse[customer](resp, body)
	if err != nil || got.CustomerCode != "C000349" || calls != 2 {
		t.Errorf("DecodeResponse = %+v, %v after %d calls", got, err, calls)
	}
}

func TestWithoutBearerForTheTokenOperation(t *testing.T) {
	t.Parallel()
	f := newFakeAPI(t)
	c := newTestClient(t, f)
	// What the generated Auth.GetAccessToken does: a raw call without a bearer token.
	form := "grant_type=client_credentials&client_id=" + url.QueryEscape(testClientID) + "&client_secret=" + url.QueryEscape(testSecret)
	req := newRequest(t, c, "POST", "/authorization/connect/token", strings.NewReader(form))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	type token struct {
		AccessToken string `json:"access_token"`
		ExpiresIn   int    `json:"expires_in"`
	}
	got, err := callRaw[token](c, withoutBearer(t.Context()), "getAccessToken", req)
	if err != nil {
		t.Fatal(err)
	}
	if got.AccessToken != tokenPrefix+"1=" || got.ExpiresIn != 3600 {
		t.Errorf("token = %+v", got)
	}
	// Only the explicit token call happened: the client did not fetch one for itself.
	if n := f.tokenRequests.Load(); n != 1 {
		t.Errorf("token requests = %d, want 1", n)
	}
}

func TestRequestError(t *testing.T) {
	t.Parallel()
	cause := errors.New("invalid path parameter")
	err := requestError("getCustomerByCode", cause)
	if !errors.Is(err, cause) || err.Error() != "gofive: getCustomerByCode: building request: invalid path parameter" {
		t.Errorf("requestError = %v", err)
	}
}

func TestBaseURLWithPathPrefix(t *testing.T) {
	t.Parallel()
	f := newFakeAPI(t)
	f.handle("/venio/api/gateway/", echo)
	c := newTestClient(t, f, WithBaseURL(f.srv.URL+"/venio/api/gateway"), WithTokenURL("/authorization/connect/token"))
	var got echoed
	if err := c.Do(t.Context(), "GET", "/v3/customers/C1", nil, &got); err != nil {
		t.Fatal(err)
	}
	if got.Path != "/venio/api/gateway/v3/customers/C1" {
		t.Errorf("path = %q", got.Path)
	}
	// Generated request builders resolve "./v3/..." against BaseURL(), which keeps the prefix.
	req := newRequest(t, c, "POST", "v1/case", strings.NewReader(`{}`))
	got, err := callJSON[echoed](c, t.Context(), "addCase", req)
	if err != nil || got.Path != "/venio/api/gateway/v1/case" || got.ContentType != "application/json" {
		t.Errorf("callJSON = %+v, %v", got, err)
	}
}

func TestOperationID(t *testing.T) {
	t.Parallel()
	if OperationID(t.Context()) != "" {
		t.Error("empty context has an operation")
	}
	if got := OperationID(WithOperation(t.Context(), "getQuotation")); got != "getQuotation" {
		t.Errorf("OperationID = %q", got)
	}
	if WithOperation(t.Context(), "") != t.Context() {
		t.Error("empty operation id should not wrap the context")
	}
}

func TestReadBounded(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name        string
		body        string
		size, limit int64
		want        string
		tooLarge    bool
		wantErr     error
	}{
		{"declared, exact", "hello", 5, 10, "hello", false, nil},
		{"declared, empty", "", 0, 10, "", false, nil},
		{"declared, body shorter than declared", "hel", 5, 10, "hel", false, io.ErrUnexpectedEOF},
		{"declared, body longer than declared", "hello world", 5, 100, "hello world", false, nil},
		{"declared, longer than declared and over the limit", "hello world", 5, 8, "hello wo", true, nil},
		{"declared over the limit", "hello world", 11, 8, "hello wo", true, nil},
		{"unknown length", "hello", -1, 10, "hello", false, nil},
		{"unknown length over the limit", "hello world", -1, 5, "hello", true, nil},
		{"unknown length at the limit", "hello", -1, 5, "hello", false, nil},
	} {
		got, tooLarge, err := readBounded(strings.NewReader(tt.body), tt.size, tt.limit)
		if string(got) != tt.want || tooLarge != tt.tooLarge || !errors.Is(err, tt.wantErr) {
			t.Errorf("%s: readBounded = %q, %v, %v; want %q, %v, %v", tt.name, got, tooLarge, err, tt.want, tt.tooLarge, tt.wantErr)
		}
	}
}
