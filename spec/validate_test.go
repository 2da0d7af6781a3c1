package spec

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/gofive-go/gofive/api/redact"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

func TestRoute(t *testing.T) {
	v, err := NewValidator()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		method, path string
		want         string // operationId; "" = no operation
		params       map[string]string
	}{
		{"GET", "/v2/salesorder/headerTemplate", "getHeaderTemplate", nil},
		{"GET", "/v2/salesorder/SO260600039", "getSalesOrder", map[string]string{"salesOrderNo": "SO260600039"}},
		{"GET", "/v2/salesorder/SOZ-260400032", "getSalesOrder", map[string]string{"salesOrderNo": "SOZ-260400032"}},
		{"PUT", "/v2/salesorder/SO24090001/payment", "updateSalesOrderPayment", map[string]string{"salesOrderNo": "SO24090001"}},
		{"POST", "/v1/Expenses", "createExpense", nil},
		{"PUT", "/v1/Expenses/42", "updateExpense", map[string]string{"id": "42"}},
		{"POST", "/v1/expenses/enquiry", "expenseEnquiry", nil},
		{"GET", "/v1/expenses/42", "getExpense", map[string]string{"id": "42"}},
		{"GET", "/v1/expenses/enquiry", "getExpense", map[string]string{"id": "enquiry"}}, // routes; the parameter then fails validation
		{"POST", "/v1/expenses", "", nil},                                                 // case matters: create is /v1/Expenses
		{"GET", "/v1/Expenses/42", "", nil},                                               // …and get is /v1/expenses/{id}
		{"POST", "/V1/quotation/enquiry", "", nil},                                        // no case folding
		{"GET", "/v3/customers/", "", nil},                                                // an empty path parameter matches nothing
		{"GET", "/v3/customers/C%2F1", "getCustomerByCode", map[string]string{"customerCode": "C/1"}},
		{"DELETE", "/v1/salesorders/reject", "rejectSalesOrders", nil},
		{"POST", "/v1/salesorders/reject", "", nil}, // method not allowed
		{"GET", "/tickets/280", "getProductTicket", map[string]string{"id": "280"}},
		{"POST", "/authorization/connect/token", "getAccessToken", nil},
		{"GET", "/v3/Products/serials/status", "getSerialStatus", nil},
		{"POST", "/v3/products/serials/verification", "verifySerialNumber", nil},
		{"POST", "/v1/quotation/Q01230000002/convert-to-salesorder", "convertQuotationToSalesOrder", map[string]string{"quotationNo": "Q01230000002"}},
	}
	for _, tt := range tests {
		req, _ := http.NewRequest(tt.method, "http://127.0.0.1:1"+tt.path, nil)
		rt, err := v.Route(req)
		if tt.want == "" {
			if err == nil {
				t.Errorf("%s %s: routed to %s, want no operation", tt.method, tt.path, rt.OperationID)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s %s: %v", tt.method, tt.path, err)
			continue
		}
		if rt.OperationID != tt.want {
			t.Errorf("%s %s: routed to %s, want %s", tt.method, tt.path, rt.OperationID, tt.want)
		}
		if fmt.Sprint(rt.PathParams) != fmt.Sprint(tt.params) && !(len(rt.PathParams) == 0 && len(tt.params) == 0) {
			t.Errorf("%s %s: params %v, want %v", tt.method, tt.path, rt.PathParams, tt.params)
		}
	}
}

func TestRouteEveryOperation(t *testing.T) {
	v, _ := NewValidator()
	for _, o := range operations(MustLoad()) {
		req := exampleRequest(t, o)
		rt, err := v.Route(req)
		if err != nil || rt.OperationID != o.op.OperationID {
			t.Errorf("%v: routed to %v, %v", o, rt, err)
		}
	}
}

func TestWithPathPrefix(t *testing.T) {
	v, _ := NewValidator(WithPathPrefix("/venio/api/gateway/"))
	req, _ := http.NewRequest("GET", "http://h/venio/api/gateway/v3/customers/daisy", nil)
	rt, err := v.Route(req)
	if err != nil || rt.OperationID != "getCustomerByCode" {
		t.Fatalf("got %v, %v", rt, err)
	}
}

// exampleRequest builds a request for o from its documented examples: parameter examples (or
// a plausible value) and the first request-body example.
func exampleRequest(t testing.TB, o op) *http.Request {
	t.Helper()
	path := o.path
	q := url.Values{}
	for _, p := range o.op.Parameters {
		val := "C000349"
		if p.Value.Example != nil {
			val = fmt.Sprint(p.Value.Example)
		} else if s := p.Value.Schema.Value; s.Type.Is("integer") {
			val = "42"
		}
		switch p.Value.In {
		case "path":
			path = strings.ReplaceAll(path, "{"+p.Value.Name+"}", url.PathEscape(val))
		case "query":
			if p.Value.Required {
				q.Set(p.Value.Name, val)
			}
		}
	}
	var body []byte
	ct := ""
	if rb := o.op.RequestBody; rb != nil {
		for c, mt := range rb.Value.Content {
			ct = c
			names := make([]string, 0, len(mt.Examples))
			for n := range mt.Examples {
				names = append(names, n)
			}
			sort.Strings(names)
			if len(names) == 0 {
				continue
			}
			val := mt.Examples[names[0]].Value.Value
			if c == "application/x-www-form-urlencoded" {
				f := url.Values{}
				for k, v := range val.(map[string]any) {
					f.Set(k, fmt.Sprint(v))
				}
				body = []byte(f.Encode())
			} else {
				body, _ = json.Marshal(val)
			}
		}
	}
	u := "http://127.0.0.1:1" + path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	req, err := http.NewRequest(o.method, u, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body == nil {
		req.Body = http.NoBody
		req.ContentLength = 0
	}
	if ct != "" && body != nil {
		req.Header.Set("Content-Type", ct)
	}
	req.Header.Set("Authorization", "Bearer tok-SECRET-123")
	req.Header.Set("Ocp-Apim-Subscription-Key", "key-SECRET-456")
	return req
}

func bodyOf(t testing.TB, req *http.Request) []byte {
	t.Helper()
	if req.Body == nil || req.Body == http.NoBody {
		return nil
	}
	var buf bytes.Buffer
	_, _ = buf.ReadFrom(req.Body)
	req.Body.Close()
	return buf.Bytes()
}

// TestDocumentedExamplesValidate sends every operation's documented request example and
// every documented response example through the validator, strict and not.
func TestDocumentedExamplesValidate(t *testing.T) {
	for _, strict := range []bool{false, true} {
		opts := []ValidatorOption{Collect()}
		if strict {
			opts = append(opts, Strict())
		}
		v, err := NewValidator(opts...)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range operations(MustLoad()) {
			req := exampleRequest(t, o)
			body := bodyOf(t, req)
			if o.op.RequestBody != nil && body == nil {
				continue // no documented request example
			}
			if _, err := v.ValidateRequest(t.Context(), req, body); err != nil {
				t.Errorf("strict=%v %v: documented request example: %v", strict, o, err)
			}
			for code, r := range o.op.Responses.Map() {
				for ct, mt := range r.Value.Content {
					for name, ex := range mt.Examples {
						b, _ := json.Marshal(ex.Value.Value)
						var status int
						fmt.Sscan(code, &status)
						h := http.Header{"Content-Type": {ct}}
						if err := v.ValidateResponse(t.Context(), req, status, h, b); err != nil {
							t.Errorf("strict=%v %v %s example %s: %v", strict, o, code, name, err)
						}
					}
				}
			}
		}
	}
}

func newReq(t testing.TB, method, path, body string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, "http://127.0.0.1:1"+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Authorization", "Bearer tok-SECRET-123")
	req.Header.Set("Ocp-Apim-Subscription-Key", "key-SECRET-456")
	return req
}

func problemsOf(t testing.TB, err error) ValidationErrors {
	t.Helper()
	if err == nil {
		return nil
	}
	var es ValidationErrors
	if !errors.As(err, &es) {
		t.Fatalf("error %T is not ValidationErrors: %v", err, err)
	}
	return es
}

func TestValidateRequestProblems(t *testing.T) {
	type want struct{ field, expected, got string }
	tests := []struct {
		name         string
		opts         []ValidatorOption
		method, path string
		body         string
		header       map[string]string
		wantOp       string
		want         []want
	}{
		{
			name: "missing required and wrong type", opts: []ValidatorOption{Collect()},
			method: "POST", path: "/v1/customerEvent",
			body:   `{"eventName": 5, "eventType": 1, "customerCode": "C000349"}`,
			wantOp: "addCustomerEvent",
			want: []want{
				{"$.eventDate", "a value (required)", "missing"},
				{"$.eventName", "type string", "number 5"},
			},
		},
		{
			name: "fail fast stops at the first", method: "POST", path: "/v1/customerEvent",
			body:   `{"eventName": 5, "eventType": 1, "customerCode": "C000349"}`,
			wantOp: "addCustomerEvent",
			want:   []want{{"$.eventName", "type string", "number 5"}},
		},
		{
			name: "undocumented field passes without Strict", opts: []ValidatorOption{Collect()},
			method: "POST", path: "/v1/customerEvent",
			body: `{"eventName": "x", "eventType": 1, "eventDate": "2024-02-01T10:00:00", "customerCode": "C1", "colour": "red"}`,
		},
		{
			name: "undocumented field fails with Strict", opts: []ValidatorOption{Collect(), Strict()},
			method: "POST", path: "/v1/customerEvent",
			body:   `{"eventName": "x", "eventType": 1, "eventDate": "2024-02-01T10:00:00", "customerCode": "C1", "colour": "red"}`,
			wantOp: "addCustomerEvent",
			want:   []want{{"$.colour", "only documented properties (strict)", `undocumented property "colour"`}},
		},
		{
			name: "nested path and array index", opts: []ValidatorOption{Collect(), Strict()},
			method: "POST", path: "/v2/salesorder",
			body:   `{"salesOrderSubject":"s","customerCode":"C1","salesOrderDate":"2023-05-01","vatCalculation":true,"salesOrderDetails":[{"productCode":"P1"},{"productCode":"P2","qty":"two","colour":1}]}`,
			wantOp: "createOrUpdateSalesOrder",
			want: []want{
				{"$.salesOrderDetails[1].colour", "only documented properties (strict)", `undocumented property "colour"`},
				{"$.salesOrderDetails[1].qty", "type integer (int64) or null", `string "two"`},
			},
		},
		{
			name: "partial object stays open in strict mode", opts: []ValidatorOption{Collect(), Strict()},
			method: "POST", path: "/v1/Expenses",
			body: `{"ExpenseDetails":[{"expenseTypeId":1001,"amount":10,"night":1}],"subject":"trip"}`,
		},
		{
			name: "top-level array body", opts: []ValidatorOption{Collect()},
			method: "PUT", path: "/v1/products/stock",
			body:   `[{"productCode":"A001","qty":20},{"productCode":"A002"}]`,
			wantOp: "updateProductStock",
			want:   []want{{"$[1].qty", "a value (required)", "missing"}},
		},
		{
			name: "oneOf names the fitting alternative", opts: []ValidatorOption{Collect()},
			method: "PUT", path: "/v1/Expenses/7",
			body:   `{"subject":"s","ExpenseDetails":[{"expenseTypeId":"fuel","amount":1}]}`,
			wantOp: "updateExpense",
			want:   []want{{"$.ExpenseDetails[0].expenseTypeId", "type integer (int64)", `string "fuel"`}},
		},
		{
			name: "path parameter type", opts: []ValidatorOption{Collect()},
			method: "GET", path: "/v1/expenses/abc",
			wantOp: "getExpense",
			want:   []want{{"path.id", "type integer (int64)", `string "abc"`}},
		},
		{
			name: "required query parameter", opts: []ValidatorOption{Collect()},
			method: "GET", path: "/v1/customerEvent/filter",
			wantOp: "getCustomerEvents",
			want:   []want{{"query.customerCode", "a value (required)", "missing"}},
		},
		{
			name: "undocumented query parameter in strict mode", opts: []ValidatorOption{Collect(), Strict()},
			method: "GET", path: "/v1/customerEvent/filter?customerCode=C1&page=2",
			wantOp: "getCustomerEvents",
			want:   []want{{"query.page", "only documented query parameters (strict)", `undocumented parameter "page"`}},
		},
		{
			name: "missing credentials", opts: []ValidatorOption{Collect()},
			method: "GET", path: "/v3/customers/C000349",
			header: map[string]string{"Authorization": "", "Ocp-Apim-Subscription-Key": ""},
			wantOp: "getCustomerByCode",
			want: []want{
				{"header.Authorization", "a Bearer token", "missing"},
			},
		},
		{
			name: "wrong auth scheme", opts: []ValidatorOption{Collect()},
			method: "GET", path: "/v3/customers/C000349",
			header: map[string]string{"Authorization": "Basic dXNlcjpwYXNz"},
			wantOp: "getCustomerByCode",
			want:   []want{{"header.Authorization", "a Bearer token", "another scheme or an empty token"}},
		},
		{
			name: "missing subscription key", opts: []ValidatorOption{Collect()},
			method: "GET", path: "/v3/customers/C000349",
			header: map[string]string{"Ocp-Apim-Subscription-Key": ""},
			wantOp: "getCustomerByCode",
			want:   []want{{"header.Ocp-Apim-Subscription-Key", "the subscriptionKey header", "missing"}},
		},
		{
			name: "credentials not checked when skipped", opts: []ValidatorOption{SkipSecurityCheck()},
			method: "GET", path: "/v3/customers/C000349",
			header: map[string]string{"Authorization": "", "Ocp-Apim-Subscription-Key": ""},
		},
		{
			name: "wrong content type", method: "POST", path: "/v1/customerEvent",
			body:   `{}`,
			header: map[string]string{"Content-Type": "text/plain"},
			wantOp: "addCustomerEvent",
			want:   []want{{"header.Content-Type", "one of application/json", `"text/plain"`}},
		},
		{
			name: "body where none is declared", method: "GET", path: "/v3/customers/C1",
			body:   `{"x":1}`,
			wantOp: "getCustomerByCode",
			want:   []want{{"$", "no request body (the operation declares none)", "a body of 7 bytes"}},
		},
		{
			name: "missing required body", method: "POST", path: "/v1/case",
			wantOp: "addCase",
			want:   []want{{"$", "a request body (required)", "none"}},
		},
		{
			name: "invalid JSON", method: "POST", path: "/v1/case", body: `{"subject":`,
			wantOp: "addCase",
		},
		{
			name: "unknown path", method: "GET", path: "/v9/nothing",
			want: []want{{"", "an operation of the spec", "no path of the spec matches GET /v9/nothing"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := NewValidator(tt.opts...)
			if err != nil {
				t.Fatal(err)
			}
			req := newReq(t, tt.method, tt.path, tt.body)
			for k, val := range tt.header {
				if val == "" {
					req.Header.Del(k)
				} else {
					req.Header.Set(k, val)
				}
			}
			rt, err := v.ValidateRequest(t.Context(), req, []byte(tt.body))
			if tt.wantOp != "" && (rt == nil || rt.OperationID != tt.wantOp) {
				t.Errorf("route = %v, want %s", rt, tt.wantOp)
			}
			got := problemsOf(t, err)
			if tt.name == "invalid JSON" {
				if len(got) != 1 || got[0].Field != "$" || !strings.HasPrefix(got[0].Got, "undecodable body") {
					t.Errorf("got %v", got)
				}
				return
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %d problems, want %d:\n%v", len(got), len(tt.want), err)
			}
			for i, w := range tt.want {
				g := got[i]
				if g.Field != w.field || g.Expected != w.expected || g.Got != w.got {
					t.Errorf("problem %d = {%q, %q, %q}, want {%q, %q, %q}", i, g.Field, g.Expected, g.Got, w.field, w.expected, w.got)
				}
				if g.Direction != DirectionRequest || g.OperationID != tt.wantOp || g.Method != tt.method {
					t.Errorf("problem %d: %+v", i, g)
				}
				msg := g.Error()
				if tt.wantOp != "" && !strings.Contains(msg, tt.wantOp+" request: ") {
					t.Errorf("message %q does not name the operation", msg)
				}
				if strings.Contains(msg, "SECRET") {
					t.Errorf("message leaks a secret: %s", msg)
				}
			}
		})
	}
}

func TestValidateResponseProblems(t *testing.T) {
	type want struct{ field, expected, got string }
	tests := []struct {
		name   string
		opts   []ValidatorOption
		method string
		path   string
		status int
		ct     string
		body   string
		want   []want
	}{
		{
			name: "valid customer", method: "GET", path: "/v3/customers/C1", status: 200,
			body: `{"status":{"code":"1000","description":"Success"},"data":{"customerId":1,"customerName":"A","customerCode":"C1","customerState":3,"customerStatus":0,"customerPicture":"","customerAliases":[],"addresses":[],"interestsName":[],"customFields":[],"leadStatus":3}}`,
		},
		{
			name: "wrong types, collected", opts: []ValidatorOption{Collect()}, method: "GET", path: "/v3/customers/C1", status: 200,
			body: `{"status":{"code":1000,"description":"Success"},"data":{"customerId":1,"customerName":7,"customerCode":"C1","customerState":"3","customerStatus":0,"customerPicture":"","customerAliases":null,"addresses":[],"interestsName":[],"customFields":[],"leadStatus":3}}`,
			want: []want{
				{"$.data.customerAliases", "a non-null type array", "null"},
				{"$.data.customerName", "type string", "number 7"},
				{"$.data.customerState", "type integer", `string "3"`},
			},
		},
		{
			name: "strict: undocumented field", opts: []ValidatorOption{Strict()}, method: "GET", path: "/v1/customerEvent/event-types", status: 200,
			body: `{"status":{"code":"1000","description":"Success"},"data":[{"eventTypeId":1,"eventTypeName":"Paid","colour":"red"}]}`,
			want: []want{{"$.data[0].colour", "only documented properties (strict)", `undocumented property "colour"`}},
		},
		{
			name: "strict: partial SalesOrder stays open but its lines are closed", opts: []ValidatorOption{Strict(), Collect()},
			method: "GET", path: "/v2/salesorder/SO1", status: 200,
			body: `{"status":{"code":"1000","description":"Success"},"data":{"salesOrderNo":"SO1","somethingNew":1,"salesorderDetails":[{"productCode":"P","qty":"2"}]}}`,
			want: []want{{"$.data.salesorderDetails[0].qty", "type number", `string "2"`}},
		},
		{
			name: "html where JSON is documented", method: "GET", path: "/v3/customers/C1", status: 200, ct: "text/html",
			body: `<html>oops</html>`,
			want: []want{{"header.Content-Type", "application/json", `"text/html"`}},
		},
		{
			name: "undocumented status is not validated", method: "GET", path: "/v3/customers/C1", status: 418, ct: "text/html",
			body: `<html>I'm a teapot</html>`,
		},
		{
			name: "an HTML 5xx page from the gateway is accepted", method: "GET", path: "/v3/customers/C1", status: 503, ct: "text/html",
			body: `<html>Service Unavailable</html>`,
		},
		{
			name: "documented status without a body schema", method: "GET", path: "/v3/customers/C1", status: 401,
			body: `{"statusCode":401,"message":"Access denied due to missing subscription key."}`,
		},
		{
			name: "token secrets are redacted", opts: []ValidatorOption{Strict(), Collect()}, method: "POST", path: "/authorization/connect/token", status: 200,
			body: `{"access_token":12345,"token_type":"Bearer","expires_in":3600,"refresh_token":"tok-SECRET-789"}`,
			want: []want{
				{"$.access_token", "type string", "a number (redacted)"},
				{"$.refresh_token", "only documented properties (strict)", `undocumented property "refresh_token"`},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := NewValidator(tt.opts...)
			if err != nil {
				t.Fatal(err)
			}
			req := newReq(t, tt.method, tt.path, "")
			ct := tt.ct
			if ct == "" {
				ct = "application/json"
			}
			err = v.ValidateResponse(t.Context(), req, tt.status, http.Header{"Content-Type": {ct}}, []byte(tt.body))
			got := problemsOf(t, err)
			if len(got) != len(tt.want) {
				t.Fatalf("got %d problems, want %d:\n%v", len(got), len(tt.want), err)
			}
			for i, w := range tt.want {
				g := got[i]
				if g.Field != w.field || g.Expected != w.expected || g.Got != w.got {
					t.Errorf("problem %d = {%q, %q, %q}, want {%q, %q, %q}", i, g.Field, g.Expected, g.Got, w.field, w.expected, w.got)
				}
				if g.Direction != DirectionResponse || g.Status != tt.status {
					t.Errorf("problem %d: %+v", i, g)
				}
				if strings.Contains(g.Error(), "SECRET") || strings.Contains(g.Error(), "12345") {
					t.Errorf("message leaks a secret: %s", g.Error())
				}
			}
		})
	}
}

func TestValidationErrorMessage(t *testing.T) {
	e := &ValidationError{
		Direction: DirectionResponse, OperationID: "getCustomerByCode", Method: "GET",
		Path: "/v3/customers/{customerCode}", Status: 200,
		Field: "$.data.customerName", Expected: "type string", Got: "number 7",
	}
	want := "spec: getCustomerByCode response 200: $.data.customerName: expected type string, got number 7"
	if e.Error() != want {
		t.Errorf("got %q\nwant %q", e.Error(), want)
	}
	es := ValidationErrors{e, e}
	var target *ValidationError
	if !errors.As(error(es), &target) || target != e {
		t.Error("errors.As does not find the ValidationError")
	}
	if !strings.HasPrefix(es.Error(), "spec: 2 problems:\n") {
		t.Errorf("got %q", es.Error())
	}
}

// TestReportTo checks that problems reach the test reporter.
func TestReportTo(t *testing.T) {
	var rec recorder
	v, _ := NewValidator(Collect(), ReportTo(&rec))
	req := newReq(t, "POST", "/v1/customerEvent", `{}`)
	_, err := v.ValidateRequest(context.Background(), req, []byte(`{}`))
	if n := len(problemsOf(t, err)); n != 4 || len(rec.msgs) != 4 {
		t.Fatalf("%d problems, %d reported: %v", n, len(rec.msgs), rec.msgs)
	}
}

type recorder struct{ msgs []string }

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.msgs = append(r.msgs, fmt.Sprintf(format, args...))
}

// TestStrictLeavesMarkedObjectsOpen checks the marked schemas and their children directly.
func TestStrictLeavesMarkedObjectsOpen(t *testing.T) {
	doc, err := LoadStrict()
	if err != nil {
		t.Fatal(err)
	}
	s := doc.Components.Schemas
	isClosed := func(sc *openapi3.Schema) bool {
		return sc.AdditionalProperties.Has != nil && !*sc.AdditionalProperties.Has
	}
	for _, name := range []string{"SalesOrder", "Quotation", "Deal", "ProductDetail", "Expense", "UnrecoveredEnvelope", "ExpenseCreateRequest"} {
		if isClosed(s[name].Value) {
			t.Errorf("%s is marked and must stay open", name)
		}
	}
	for _, name := range []string{"SalesOrderLine", "Customer", "CustomerEvent", "Status", "TokenResponse", "ExpenseDetail", "CustomerSocialAccount"} {
		if !isClosed(s[name].Value) {
			t.Errorf("%s must be closed", name)
		}
	}
	if isClosed(MustLoad().Components.Schemas["Customer"].Value) {
		t.Error("Load must not return a closed document")
	}
}

// Messages quote values; a credential the validator cannot know by the
// field's name is removed by the redactor it is given (issue 12).
func TestWithRedactorRemovesCredentials(t *testing.T) {
	const key = "sub+Key/0123==" // synthetic
	body := `{"eventName": "x", "eventType": "` + key + `", "eventDate": "2024-02-01T10:00:00", "customerCode": "` + key + `"}`
	for _, tt := range []struct {
		name   string
		opts   []ValidatorOption
		redact bool
	}{
		{"without", []ValidatorOption{Collect()}, false},
		{"with", []ValidatorOption{Collect(), WithRedactor(redact.New(key))}, true},
	} {
		var reported []string
		v, err := NewValidator(append(tt.opts, OnProblem(func(e *ValidationError) { reported = append(reported, e.Error()) }))...)
		if err != nil {
			t.Fatal(err)
		}
		_, err = v.ValidateRequest(t.Context(), newReq(t, "POST", "/v1/customerEvent", body), []byte(body))
		if err == nil {
			t.Fatalf("%s: no problem reported", tt.name)
		}
		texts := append([]string{err.Error()}, reported...)
		for _, s := range texts {
			if got := strings.Contains(s, key); got == tt.redact {
				t.Errorf("%s WithRedactor: key in message = %v: %s", tt.name, got, s)
			}
		}
		if tt.redact && !strings.Contains(err.Error(), `"[REDACTED]"`) {
			t.Errorf("no [REDACTED] in %s", err)
		}
	}
}
