package gofivetest_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"

	"github.com/gofive-go/gofive/api/gofivetest"
	"github.com/gofive-go/gofive/spec"
)

type envelope struct {
	Status struct {
		Code        string `json:"code"`
		Description string `json:"description"`
	} `json:"status"`
	Data []string `json:"data"`
}

func TestInvalidRequestsGet400(t *testing.T) {
	e := setup(t)
	tests := []struct {
		name, method, path, body string
		code                     string
		problems                 []string
	}{
		{
			name: "one problem", method: "POST", path: "/v1/customerEvent",
			body: `{"eventName":"x","eventType":1,"customerCode":"C1"}`, code: "4001",
			problems: []string{"$.eventDate: expected a value (required), got missing"},
		},
		{
			name: "several problems", method: "POST", path: "/v1/customerEvent",
			body: `{"eventName":7,"eventType":"one","eventDate":"2024-02-01T10:00:00","customerCode":"C1"}`, code: "4002",
			problems: []string{
				"$.eventName: expected type string, got number 7",
				`$.eventType: expected type integer (int64), got string "one"`,
			},
		},
		{
			name: "path parameter", method: "GET", path: "/v1/expenses/abc", code: "4001",
			problems: []string{`path.id: expected type integer (int64), got string "abc"`},
		},
		{
			name: "required query parameter", method: "GET", path: "/v1/customerEvent/filter", code: "4001",
			problems: []string{"query.customerCode: expected a value (required), got missing"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Bypass the validating transport: these requests are wrong on purpose.
			req, _ := http.NewRequestWithContext(t.Context(), tt.method, e.srv.URL+tt.path, strings.NewReader(tt.body))
			req.Header.Set("Content-Type", "application/json")
			_ = e.auth(nil, req)
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			var env envelope
			if err := json.NewDecoder(res.Body).Decode(&env); err != nil {
				t.Fatal(err)
			}
			if res.StatusCode != 400 || env.Status.Code != tt.code || fmt.Sprint(env.Data) != fmt.Sprint(tt.problems) {
				t.Fatalf("got %d %+v\nwant 400 %s %v", res.StatusCode, env, tt.code, tt.problems)
			}
			if tt.code == "4001" && env.Status.Description != tt.problems[0] {
				t.Errorf("description %q", env.Status.Description)
			}
			log := e.srv.Requests()
			if last := log[len(log)-1]; fmt.Sprint(last.Problems) != fmt.Sprint(tt.problems) || last.Status != 400 {
				t.Errorf("log entry %+v", last)
			}
		})
	}
	// Unknown paths (a wrong case counts) get the gateway's 404.
	status, _, body := send(t, e.srv, "POST", "/v1/expenses", "application/json", `{}`, map[string]string{
		"Authorization": "Bearer " + e.tok, "Ocp-Apim-Subscription-Key": e.srv.SubscriptionKey})
	if status != 404 || !strings.Contains(body, `"statusCode":404`) {
		t.Errorf("wrong-case path: %d %s", status, body)
	}
}

func TestStrictRequests(t *testing.T) {
	body := `{"eventName":"x","eventType":1,"eventDate":"2024-02-01T10:00:00","customerCode":"C000001","colour":"red"}`
	for _, strict := range []bool{false, true} {
		var opts []gofivetest.Option
		if strict {
			opts = append(opts, gofivetest.WithStrictRequests())
		}
		srv := gofivetest.NewServer(t, opts...)
		tok := getToken(t, srv)
		status, _, resp := send(t, srv, "POST", "/v1/customerEvent", "application/json", body,
			map[string]string{"Authorization": "Bearer " + tok, "Ocp-Apim-Subscription-Key": srv.SubscriptionKey})
		want := 200
		if strict {
			want = 400
		}
		if status != want {
			t.Errorf("strict=%v: %d %s", strict, status, resp)
		}
	}
}

// TestDocumentedRequestExamples sends every documented request example to the fake: none is
// rejected by validation, and (through the strict validating transport) every answer
// matches the spec. Some are rejected by the fake's business rules, as the real API would
// (their values are placeholders); those are listed.
func TestDocumentedRequestExamples(t *testing.T) {
	e := setup(t)
	doc := spec.MustLoad()
	businessRejects := map[string]bool{
		"createOrUpdateProducts/docs":                 true, // variant "active": "<boolean>" is not a boolean; unit "<string>" does not exist
		"createOrUpdateContractServiceAgreement/docs": true, // contractNo "string" does not exist
		"convertQuotationToSalesOrder/docs":           true, // QuotationNo "<string>" differs from the path's number
		"convertQuotationToSalesOrder/vendorSample":   true, // quotation Q01230000002 does not exist
		"addCase/docs":                         true, // customer C000154 does not exist
		"addCustomerEvent/docs":                true, // customer C000349 does not exist
		"createOrUpdateQuotation/vendorSample": true, // customer "daisy" does not exist
	}
	n := 0
	var paths []string
	for p := range doc.Paths.Map() {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, path := range paths {
		for method, op := range doc.Paths.Value(path).Operations() {
			if op.RequestBody == nil || op.OperationID == "getAccessToken" {
				continue
			}
			mt := op.RequestBody.Value.Content.Get("application/json")
			for name, ex := range mt.Examples {
				n++
				id := op.OperationID + "/" + name
				u := path
				for _, p := range op.Parameters {
					val := fmt.Sprint(p.Value.Example)
					if p.Value.Example == nil {
						val = "C000349"
						if p.Value.Schema.Value.Type.Is("integer") {
							val = "1"
						}
					}
					switch p.Value.In {
					case "path":
						u = strings.ReplaceAll(u, "{"+p.Value.Name+"}", url.PathEscape(val))
					case "query":
						u += "?" + p.Value.Name + "=" + url.QueryEscape(val)
					}
				}
				b, _ := json.Marshal(ex.Value.Value)
				status, body := e.raw(method, u, string(bytes.TrimSpace(b)))
				log := e.srv.Requests()
				if p := log[len(log)-1].Problems; len(p) > 0 {
					t.Errorf("%s: rejected by validation: %v", id, p)
					continue
				}
				switch {
				case businessRejects[id] && status < 400:
					t.Errorf("%s: expected a business rejection, got %d %s", id, status, body)
				case !businessRejects[id] && status >= 300 && status != 404:
					t.Errorf("%s: %d %s", id, status, body)
				}
			}
		}
	}
	t.Logf("%d documented request examples sent", n)
	if err := e.vt.Err(); err != nil {
		t.Error(err)
	}
}
