package spec

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/gofive-go/gofive/spec/xgofive"
)

// enveloped reports whether o's 200 answer is a Gofive envelope (it has a status member).
func enveloped(o op) bool {
	r := o.op.Responses.Status(200)
	if r == nil || r.Value.Content.Get("application/json") == nil {
		return false
	}
	return r.Value.Content.Get("application/json").Schema.Value.Properties["status"] != nil
}

func jsonHeader() http.Header { return http.Header{"Content-Type": {"application/json"}} }

// TestResponsePolicy holds the spec to its response policy: in a response schema, only the
// envelope's status, status.code, the token's access_token and the OAuth error's error are
// required; the docs' other markers live in x-gofive-docs-required.
func TestResponsePolicy(t *testing.T) {
	doc := MustLoad()
	allowed := map[string]bool{"status": true, "code": true, "access_token": true, "error": true}
	visited := map[*openapi3.Schema]bool{}
	docsMarked := 0
	check := func(where string, s *openapi3.Schema) {
		for _, name := range s.Required {
			if !allowed[name] {
				t.Errorf("%s: response property %q is required; move it to %s (response policy)", where, name, DocsRequiredExtension)
			}
		}
		if len(xgofive.DocsRequired(s)) > 0 {
			docsMarked++
		}
	}
	for _, o := range operations(doc) {
		for code, r := range o.op.Responses.Map() {
			for ct, mt := range r.Value.Content {
				walkSchemas(o.String()+" "+code+" "+ct, mt.Schema, visited, check)
			}
		}
	}
	if docsMarked < 20 {
		t.Errorf("only %d response schemas carry %s; the docs' markers were lost", docsMarked, DocsRequiredExtension)
	}
}

// TestMustPassShapes: the answers every client meets validate against every operation,
// strictly: business errors at HTTP 200 (data null or absent, code a string or a number),
// the gateway's JSON errors, the token endpoint's OAuth errors and minimal success bodies.
func TestMustPassShapes(t *testing.T) {
	v, err := NewValidator(Strict(), Collect())
	if err != nil {
		t.Fatal(err)
	}
	type shape struct {
		name   string
		status int
		header http.Header
		body   string
	}
	gateway := []shape{
		{"gateway 401", 401, jsonHeader(), `{"statusCode":401,"message":"Access denied due to invalid subscription key."}`},
		{"gateway 403", 403, jsonHeader(), `{"statusCode":403,"message":"Forbidden"}`},
		{"gateway 404", 404, jsonHeader(), `{"statusCode":404,"message":"Resource not found"}`},
		{"gateway 429", 429, http.Header{"Content-Type": {"application/json"}, "Retry-After": {"5"}}, `{"statusCode":429,"message":"Rate limit is exceeded. Try again in 5 seconds."}`},
		{"gateway 500", 500, jsonHeader(), `{"statusCode":500,"message":"Internal server error"}`},
		{"gateway 503", 503, jsonHeader(), `{"statusCode":503,"message":"Service unavailable"}`},
	}
	business := []shape{
		{"business error, data null, code string", 200, jsonHeader(), `{"status":{"code":"4001","description":"Customer not found"},"data":null}`},
		{"business error, data absent, code number", 200, jsonHeader(), `{"status":{"code":4002,"description":"Several errors"}}`},
		{"business error, no description", 200, jsonHeader(), `{"status":{"code":"4001"}}`},
		{"minimal success, data absent", 200, jsonHeader(), `{"status":{"code":"1000"}}`},
		{"minimal success, data null", 200, jsonHeader(), `{"status":{"code":1000},"data":null}`},
	}
	oauth := []shape{
		{"oauth 400", 400, jsonHeader(), `{"error":"unsupported_grant_type"}`},
		{"oauth 400 full", 400, jsonHeader(), `{"error":"invalid_request","error_description":"grant_type is missing","error_uri":"https://example.invalid/e"}`},
		{"oauth 401", 401, jsonHeader(), `{"error":"invalid_client","error_description":"Client authentication failed."}`},
		{"minimal token", 200, jsonHeader(), `{"access_token":"tok"}`},
	}
	counts := map[string]int{}
	for _, o := range operations(MustLoad()) {
		req := exampleRequest(t, o)
		shapes := slices.Clone(gateway)
		switch {
		case o.op.OperationID == "getAccessToken":
			shapes = append(shapes, oauth...)
			counts["oauth"]++
		case enveloped(o):
			shapes = append(shapes, business...)
			counts["business"]++
		default:
			t.Errorf("%v: neither the token endpoint nor an envelope", o)
		}
		counts["gateway"]++
		for _, s := range shapes {
			if err := v.ValidateResponse(context.Background(), req, s.status, s.header, []byte(s.body)); err != nil {
				t.Errorf("%v: %s: %v", o, s.name, err)
			}
		}
	}
	t.Logf("operations per error shape: %v", counts)
	if counts["business"] < 30 || counts["oauth"] != 1 {
		t.Errorf("counts %v: the operation walk is broken", counts)
	}
}

// TestWronglyTypedStillFails: the policy loosens required, not types.
func TestWronglyTypedStillFails(t *testing.T) {
	v, err := NewValidator()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, method, path string
		status             int
		body, field        string
	}{
		{"code a boolean", "GET", "/v3/customers/C1", 200, `{"status":{"code":true}}`, "status.code"},
		{"status absent", "GET", "/v3/customers/C1", 200, `{"data":null}`, "status"},
		{"status without code", "GET", "/v3/customers/C1", 200, `{"status":{"description":"x"}}`, "code"},
		{"customer name a number", "GET", "/v3/customers/C1", 200, `{"status":{"code":"1000"},"data":{"customerName":5}}`, "customerName"},
		{"quotation data a string", "GET", "/v1/quotation/Q1", 200, `{"status":{"code":"4001"},"data":"oops"}`, "data"},
		{"gateway statusCode a string", "GET", "/v3/customers/C1", 429, `{"statusCode":"429","message":"slow down"}`, "statusCode"},
		{"oauth error a number", "POST", "/authorization/connect/token", 400, `{"error":5}`, "error"},
		{"oauth error absent", "POST", "/authorization/connect/token", 400, `{"error_description":"x"}`, "error"},
		{"token without access_token", "POST", "/authorization/connect/token", 200, `{"token_type":"Bearer"}`, "access_token"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := newReq(t, tt.method, tt.path, "")
			err := v.ValidateResponse(context.Background(), req, tt.status, jsonHeader(), []byte(tt.body))
			if err == nil {
				t.Fatalf("%s validated; want a problem at %s", tt.body, tt.field)
			}
			if !strings.Contains(err.Error(), tt.field) {
				t.Errorf("problem %v does not name %s", err, tt.field)
			}
		})
	}
}

// TestDocsRequired: the opt-in mode enforces the docs' markers, on its own copy of the spec.
func TestDocsRequired(t *testing.T) {
	minimal := []byte(`{"status":{"code":"1000"},"data":{"customerName":"ACME"}}`)
	req := newReq(t, "GET", "/v3/customers/C1", "")
	def, err := NewValidator()
	if err != nil {
		t.Fatal(err)
	}
	docs, err := NewValidator(DocsRequired(), Collect())
	if err != nil {
		t.Fatal(err)
	}
	if err := def.ValidateResponse(context.Background(), req, 200, jsonHeader(), minimal); err != nil {
		t.Fatalf("default validator rejects a minimal customer: %v", err)
	}
	err = docs.ValidateResponse(context.Background(), req, 200, jsonHeader(), minimal)
	problems := problemsOf(t, err)
	var fields []string
	for _, p := range problems {
		fields = append(fields, p.Field+" "+p.Expected)
	}
	for _, want := range []string{"customerCode", "customerId", "leadStatus"} {
		if !strings.Contains(strings.Join(fields, "\n"), want) {
			t.Errorf("DocsRequired problems %q do not name the missing %s", fields, want)
		}
	}
	// The status description is a docs marker too; data null stays valid (a business error).
	if err := docs.ValidateResponse(context.Background(), req, 200, jsonHeader(), []byte(`{"status":{"code":"4001"},"data":null}`)); err == nil ||
		!strings.Contains(err.Error(), "description") {
		t.Errorf("DocsRequired: status without description: got %v, want a problem naming description", err)
	}
	// Creating the DocsRequired validator left the default one as it was.
	if err := def.ValidateResponse(context.Background(), req, 200, jsonHeader(), minimal); err != nil {
		t.Errorf("default validator changed after DocsRequired: %v", err)
	}
	// With Strict too.
	both, err := NewValidator(DocsRequired(), Strict())
	if err != nil {
		t.Fatal(err)
	}
	if err := both.ValidateResponse(context.Background(), req, 200, jsonHeader(), minimal); err == nil {
		t.Error("DocsRequired+Strict accepts a customer without the docs' required fields")
	}
}
