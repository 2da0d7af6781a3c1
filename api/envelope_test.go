package api

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/gofive-go/gofive/api/wire"
)

var okInfo = callInfo{operationID: "op", method: "GET", path: "/v1/x", status: 200}

func TestDecodeEnvelopeVariants(t *testing.T) {
	t.Parallel()
	type feedback struct {
		Data struct {
			FeedbackID wire.ID `json:"feedbackId"`
		} `json:"data"`
		StatusCode     wire.Code `json:"statusCode"`
		HTTPStatusCode int       `json:"httpStatusCode"`
	}
	t.Run("standard", func(t *testing.T) {
		t.Parallel()
		got, err := decodeEnvelope[customer](okInfo, []byte(successBody))
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(customer{CustomerCode: "C000349", CustomerName: "Acme"}, got); diff != "" {
			t.Error(diff)
		}
	})
	t.Run("numeric success code", func(t *testing.T) {
		t.Parallel()
		got, err := decodeEnvelope[customer](okInfo, []byte(`{"status":{"code":1000,"description":"Success"},"data":{"customerCode":"C1"}}`))
		if err != nil || got.CustomerCode != "C1" {
			t.Fatalf("%+v %v", got, err)
		}
	})
	t.Run("nested data.data (Add Case)", func(t *testing.T) {
		t.Parallel()
		body := `{"status":{"code":"1000","description":"Success"},"data":{"data":{"feedbackId":67941},"statusCode":1000,"httpStatusCode":200}}`
		got, err := decodeEnvelope[feedback](okInfo, []byte(body))
		if err != nil {
			t.Fatal(err)
		}
		if id, _ := got.Data.FeedbackID.Int64(); id != 67941 || !got.StatusCode.IsSuccess() || got.HTTPStatusCode != 200 {
			t.Errorf("got %+v", got)
		}
	})
	t.Run("data.value without status", func(t *testing.T) {
		t.Parallel()
		got, err := decodeEnvelope[struct {
			Value []customer `json:"value"`
		}](okInfo, []byte(`{"data":{"value":[{"customerCode":"C1"},{"customerCode":"C2"}]}}`))
		if err != nil || len(got.Value) != 2 || got.Value[1].CustomerCode != "C2" {
			t.Fatalf("%+v %v", got, err)
		}
	})
	t.Run("top-level statusCode (product stock)", func(t *testing.T) {
		t.Parallel()
		type stock struct {
			ProductCode string `json:"productCode"`
			Qty         int    `json:"qty"`
			IsSuccess   bool   `json:"isSuccess"`
		}
		got, err := decodeEnvelope[[]stock](okInfo, []byte(`{"data":[{"productCode":"A001","qty":30,"isSuccess":true}],"statusCode":1000,"httpStatusCode":200}`))
		if err != nil || len(got) != 1 || got[0].Qty != 30 {
			t.Fatalf("%+v %v", got, err)
		}
	})
	t.Run("data true (SO payment)", func(t *testing.T) {
		t.Parallel()
		got, err := decodeEnvelope[bool](okInfo, []byte(`{"status":{"code":"1000","description":"Success"},"data":true}`))
		if err != nil || !got {
			t.Fatalf("%v %v", got, err)
		}
	})
	t.Run("array where the schema says object", func(t *testing.T) {
		t.Parallel()
		got, err := decodeEnvelope[json.RawMessage](okInfo, []byte(`{"status":{"code":"1000"},"data":[{"eventTypeId":1}]}`))
		if err != nil || string(got) != `[{"eventTypeId":1}]` {
			t.Fatalf("%s %v", got, err)
		}
	})
	t.Run("null status is a status-less success", func(t *testing.T) {
		t.Parallel()
		got, err := decodeEnvelope[customer](okInfo, []byte(`{"status":null,"data":{"customerCode":"C1"}}`))
		if err != nil || got.CustomerCode != "C1" {
			t.Fatalf("%+v %v", got, err)
		}
	})
	t.Run("null body is a status-less success", func(t *testing.T) {
		t.Parallel()
		if _, err := decodeEnvelope[customer](okInfo, []byte(`null`)); err != nil {
			t.Fatal(err)
		}
	})
}

func TestDecodeEnvelopeErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		body       string
		wantCode   string
		wantDesc   string
		wantErrors []string
		wantDecode string // substring of a DecodeError; "" means a business error
	}{
		{name: "string 4001", body: `{"status":{"code":"4001","description":"Customer not found"},"data":null}`, wantCode: "4001", wantDesc: "Customer not found"},
		{name: "numeric 4002 with messages", body: `{"status":{"code":4002,"description":"Invalid"},"data":["a is required","b is too long"]}`,
			wantCode: "4002", wantDesc: "Invalid", wantErrors: []string{"a is required", "b is too long"}},
		{name: "error data does not fit T", body: `{"status":{"code":"4001","description":"Bad"},"data":"customerCode is invalid"}`,
			wantCode: "4001", wantDesc: "Bad", wantErrors: []string{"customerCode is invalid"}},
		{name: "top-level statusCode 4001", body: `{"statusCode":4001,"httpStatusCode":400,"data":null}`, wantCode: "4001"},
		{name: "top-level statusCode with status description", body: `{"status":{"code":"1000","description":"partial"},"statusCode":"4002"}`, wantCode: "4002", wantDesc: "partial"},
		// A status object must carry a code: without one (or with null) the
		// call did not report success.
		{name: "status with null code", body: `{"status":{"code":null,"description":"Customer not found"},"data":null}`, wantDesc: "Customer not found"},
		{name: "status without code", body: `{"status":{"description":"ok"},"data":{}}`, wantDesc: "ok"},
		{name: "empty status object", body: `{"status":{},"data":{"customerCode":"C1"}}`, wantDesc: `{"status":{},"data":{"customerCode":"C1"}}`}, // nothing better to show
		{name: "status without code, top-level success", body: `{"status":{"description":"odd"},"statusCode":1000}`, wantDesc: "odd"},
		{name: "null code and data that does not fit T", body: `{"status":{"code":null,"description":"Bad"},"data":"customerCode is invalid"}`,
			wantDesc: "Bad", wantErrors: []string{"customerCode is invalid"}},
		{name: "empty string code", body: `{"status":{"code":"","description":"blank"}}`, wantDesc: "blank"},
		{name: "mismatch on success is a decode error", body: `{"status":{"code":"1000"},"data":{"customerCode":123}}`, wantDecode: "cannot unmarshal number"},
		{name: "malformed JSON", body: `{"status":{"code":"1000"},"data":`, wantDecode: "unexpected end of JSON input"},
		{name: "not JSON", body: `<html>OK</html>`, wantDecode: "invalid character '<'"},
		{name: "empty body", body: ``, wantDecode: "empty body, want a JSON envelope"},
		{name: "top-level array", body: `[1,2]`, wantDecode: "cannot unmarshal array"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := decodeEnvelope[customer](okInfo, []byte(tt.body))
			if tt.wantDecode != "" {
				var de *DecodeError
				if !errors.As(err, &de) || !strings.Contains(err.Error(), tt.wantDecode) {
					t.Fatalf("err = %v, want a DecodeError containing %q", err, tt.wantDecode)
				}
				if string(de.Body) != tt.body && !(tt.body == "" && de.Body == nil) {
					t.Errorf("Body = %q", de.Body)
				}
				if errors.Unwrap(de) == nil {
					t.Error("DecodeError does not wrap the JSON error")
				}
				return
			}
			var apiErr *APIError
			if !errors.As(err, &apiErr) || !errors.Is(err, ErrBusiness) {
				t.Fatalf("err = %v, want a business *APIError", err)
			}
			if apiErr.Code != tt.wantCode || apiErr.Description != tt.wantDesc || !cmp.Equal(apiErr.Errors, tt.wantErrors) ||
				apiErr.HTTPStatus != 200 || apiErr.OperationID != "op" || string(apiErr.Body) != tt.body {
				t.Errorf("APIError = %+v", apiErr)
			}
			wantPrefix := "gofive: GET /v1/x (op): business error"
			if tt.wantCode != "" {
				wantPrefix += " code " + tt.wantCode
			}
			if !strings.HasPrefix(err.Error(), wantPrefix) {
				t.Errorf("Error() = %q, want prefix %q", err, wantPrefix)
			}
			// The no-data path (callNoData, callRaw) applies the same rule.
			if err := checkBodyStatus(okInfo, []byte(tt.body)); !errors.As(err, &apiErr) || apiErr.Code != tt.wantCode {
				t.Errorf("checkBodyStatus: %v", err)
			}
		})
	}
}

func TestNullStatusCodeThroughClient(t *testing.T) {
	t.Parallel()
	f := newFakeAPI(t)
	f.handle("GET /v3/customers/{code}", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, `{"status":{"code":null,"description":"Customer not found"},"data":null}`)
	})
	c := newTestClient(t, f)
	var out customer
	err := c.Do(t.Context(), "GET", "/v3/customers/C1", nil, &out)
	var apiErr *APIError
	if !errors.As(err, &apiErr) || !errors.Is(err, ErrBusiness) || apiErr.Code != "" || apiErr.Description != "Customer not found" {
		t.Fatalf("err = %v, want a business *APIError with no code", err)
	}
	if err := c.Do(t.Context(), "GET", "/v3/customers/C1", nil, nil); !errors.Is(err, ErrBusiness) {
		t.Errorf("no-data call: err = %v", err)
	}
}

func TestDecodeResponse(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/ok":
			writeJSON(w, 200, successBody)
		case "/business":
			writeJSON(w, 200, `{"status":{"code":"4001","description":"Duplicate"},"data":null}`)
		default:
			w.Header().Set("X-Request-Id", "r-1")
			writeJSON(w, 404, `{"status":{"code":"4001","description":"Not found"}}`)
		}
	}))
	t.Cleanup(srv.Close)
	get := func(path string) (*http.Response, []byte) {
		req, _ := http.NewRequestWithContext(WithOperation(t.Context(), "genOp"), "GET", srv.URL+path+"?q=1", nil)
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return resp, b
	}
	resp, body := get("/ok")
	got, err := DecodeResponse[customer](resp, body)
	if err != nil || got.CustomerCode != "C000349" {
		t.Fatalf("DecodeResponse ok: %+v %v", got, err)
	}
	resp, body = get("/business")
	if _, err := DecodeResponse[customer](resp, body); !errors.Is(err, ErrBusiness) {
		t.Errorf("business: %v", err)
	}
	resp, body = get("/missing")
	_, err = DecodeResponse[customer](resp, body)
	var apiErr *APIError
	if !errors.As(err, &apiErr) || !errors.Is(err, ErrNotFound) {
		t.Fatalf("404: %v", err)
	}
	if apiErr.Path != "/missing" || apiErr.Method != "GET" || apiErr.RequestID != "r-1" || apiErr.OperationID != "genOp" {
		t.Errorf("APIError = %+v", apiErr)
	}
	if _, err := DecodeResponse[customer](nil, nil); err == nil {
		t.Error("DecodeResponse(nil) = nil error")
	}
}

func TestDecodeResponseRedacts(t *testing.T) {
	t.Parallel()
	f := newFakeAPI(t)
	c := newTestClient(t, f)
	warmToken(t, c)
	tok := tokenPrefix + "1="
	// A server echoing the request's credentials, some JSON-escaped.
	echo := `{"message":"invalid header Authorization: Bearer abc.def.ghi",` +
		`"errors":["key ` + strings.ReplaceAll(testSubKey, "/", `\/`) + `","secret ` + strings.ReplaceAll(testSecret, "+", `\u002B`) + `","token ` + tok + `"]}`
	resp := func(status int) *http.Response {
		return &http.Response{StatusCode: status, Header: http.Header{}, Request: httptest.NewRequest("GET", "/v1/x", nil)}
	}
	business := `{"status":{"code":"4001","description":"no access for Bearer abc.def.ghi, key ` + testSubKey + `"}}`
	tests := []struct {
		name   string
		unwrap func(*http.Response, []byte) (json.RawMessage, error)
		client bool // the Client's secrets are removed too
	}{
		{"DecodeResponse", DecodeResponse[json.RawMessage], false},
		{"DecodeResponseWith", func(r *http.Response, b []byte) (json.RawMessage, error) {
			return DecodeResponseWith[json.RawMessage](c, r, b)
		}, true},
		{"DecodeResponseWith nil Client", func(r *http.Response, b []byte) (json.RawMessage, error) {
			return DecodeResponseWith[json.RawMessage](nil, r, b)
		}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			for _, in := range []struct {
				status int
				body   string
			}{{401, echo}, {200, business}} {
				_, err := tt.unwrap(resp(in.status), []byte(in.body))
				var apiErr *APIError
				if !errors.As(err, &apiErr) {
					t.Fatalf("err = %v, want *APIError", err)
				}
				msg := err.Error() + " " + string(apiErr.Body)
				if strings.Contains(msg, "abc.def.ghi") || !strings.Contains(msg, "Bearer [REDACTED]") {
					t.Errorf("bearer token not redacted: %s", msg)
				}
				if tt.client {
					assertNoSecrets(t, "error", msg)
					if strings.Contains(msg, `\u002B`) || strings.Contains(msg, `\/`) {
						t.Errorf("escaped secret kept: %s", msg)
					}
				} else if !strings.Contains(msg, testSubKey) {
					t.Errorf("without a Client nothing but bearer tokens is known: %s", msg)
				}
			}
			got, err := tt.unwrap(resp(200), []byte(successBody))
			if err != nil || !strings.Contains(string(got), "C000349") {
				t.Errorf("success: %s %v", got, err)
			}
			if _, err := tt.unwrap(nil, nil); err == nil {
				t.Error("nil response: no error")
			}
		})
	}
}

// FuzzDecodeEnvelope checks that no body makes decoding or error mapping
// panic, that errors are one bounded line, and that success implies a
// business code of 1000 (or no status object).
func FuzzDecodeEnvelope(f *testing.F) {
	for _, s := range []string{
		successBody,
		`{"status":{"code":1000},"data":{"customerCode":"C1"}}`,
		`{"status":{"code":"4001","description":"x"},"data":["a"]}`,
		`{"status":{"code":"1000"},"data":{"data":{"feedbackId":67941},"statusCode":1000,"httpStatusCode":200}}`,
		`{"data":{"value":[{"customerCode":"C1"}]}}`,
		`{"data":[{"productCode":"A001"}],"statusCode":1000,"httpStatusCode":200}`,
		`{"statusCode":4001,"httpStatusCode":400}`,
		`{"statusCode":401,"message":"Access denied"}`,
		`{"error":"invalid_client","error_description":"bad"}`,
		`{"title":"x","status":400,"errors":{"a":["b"]}}`,
		`<html><title>502</title></html>`,
		``, `null`, `[]`, `"x"`, `{"status":null}`, `{"status":5}`, `{"data":true}`,
		`{"status":{"code":null,"description":"x"}}`, `{"status":{}}`,
	} {
		f.Add([]byte(s), 200)
		f.Add([]byte(s), 400)
	}
	f.Fuzz(func(t *testing.T, body []byte, status int) {
		info := callInfo{operationID: "op", method: "GET", path: "/x", status: status, header: http.Header{}}
		check := func(err error) {
			if err == nil {
				return
			}
			msg := err.Error()
			if strings.ContainsAny(msg, "\n\r") || !utf8.ValidString(msg) && utf8.Valid(body) {
				t.Fatalf("bad error message %q", msg)
			}
			var apiErr *APIError
			if errors.As(err, &apiErr) && len(apiErr.Body) > keptErrorBody {
				t.Fatalf("unbounded body: %d", len(apiErr.Body))
			}
			var de *DecodeError
			if errors.As(err, &de) && len(de.Body) > keptErrorBody {
				t.Fatalf("unbounded body: %d", len(de.Body))
			}
		}
		_, err := decodeEnvelope[customer](info, body)
		check(err)
		raw, err := decodeEnvelope[json.RawMessage](info, body)
		check(err)
		if err == nil {
			var st statusOnly
			if json.Unmarshal(body, &st) == nil {
				if st.Status != nil && !st.Status.Code.IsSuccess() {
					t.Fatalf("success with status code %q", st.Status.Code)
				}
				if st.StatusCode != nil && !st.StatusCode.IsZero() && !st.StatusCode.IsSuccess() {
					t.Fatalf("success with statusCode %q", st.StatusCode)
				}
			}
			_ = raw
		}
		check(newAPIError(info, body))
		check(checkBodyStatus(info, body))
	})
}
