package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/gofive-go/gofive/api/gofivetest"
)

// everyOpFirst and everyOpLast order the calls of TestEveryOperationThroughCall: what
// creates comes before what reads it back, and what consumes (convert, reject) comes last.
// Every other operation runs in between, in `gofive ops` order.
var (
	everyOpFirst = []string{
		"createOrUpdateCustomer", "createOrUpdateProducts", "createOrUpdateContract", "createDeal",
		"createExpense", "addCase", "addCustomerEvent", "createOrUpdateQuotation",
		"createOrUpdateSalesOrder", "getCustomerEvents", "getContractByNo",
	}
	everyOpLast = []string{"convertQuotationToSalesOrder", "updateSalesOrderPayment", "rejectSalesOrders"}
)

// everyOpArgs are name=value arguments added on top of the documented examples: the
// identifiers of what earlier calls created ({name} is a value captured from an earlier
// output), and values for bodies the docs give no example of.
var everyOpArgs = map[string][]string{
	"addCustomerEvent":                       {"customerCode={customerCode}"},
	"getCustomerEvents":                      {"customerCode={customerCode}", "DateFrom=2024-01-01T00:00:00", "DateTo=2024-12-31T23:59:59"},
	"getCustomerByCode":                      {"customerCode={customerCode}"},
	"editCustomerEvent":                      {"eventId={eventId}", "customerCode={customerCode}"},
	"createCustomerSatisfaction":             {"SourceName=NPS [Venio]", "SourceType=2", "Point=9", "CustomerCode={customerCode}", "DateCreated=2026-06-05 10:00:00"},
	"addCase":                                {"customerCode={customerCode}"},                      // the fake refuses a case for a customer it does not have
	"editCase":                               {"caseNo=T260600001", "customerCode={customerCode}"}, // Add Case answers only a feedbackId; numbers are T+yymm+sequence
	"getContractByNo":                        {"no={contractNo}"},
	"createOrUpdateContractServiceAgreement": {"contractNo={contractNo}", "contractServiceId={contractServiceId}"},
	"createDeal":                             {"customerCodes={customerCode}"},
	"updateDeal":                             {"id={dealsId}"},
	"createExpense":                          {`ExpenseDetails:=[{"expenseTypeId":1004,"amount":150.5}]`},
	"updateExpense":                          {"id={expenseId}", "subject=Client lunch", `ExpenseDetails:=[{"expenseTypeId":1004,"amount":180}]`},
	"getExpense":                             {"id={expenseId}"},
	"getProductTicket":                       {"id={ticketId}"},
	"getQuotation":                           {"quotationNo={quotationNo}"},
	"convertQuotationToSalesOrder":           {"quotationNo={quotationNo}", "body.quotationNo={quotationNo}"},
	"getSalesOrder":                          {"salesOrderNo={salesOrderNo}"},
	"updateSalesOrderPayment":                {"salesOrderNo={salesOrderNo}"},
	"rejectSalesOrders":                      {"salesOrderIds={salesOrderId}"},
}

// captured are the keys whose first value in any output is remembered for later calls.
var captured = []string{"customerCode", "eventId", "contractNo", "contractServiceId", "dealsId",
	"expenseId", "ticketId", "quotationNo", "salesOrderNo", "salesOrderId"}

// TestEveryOperationThroughCall calls every operation of the spec through `gofive call`
// against one fake server, with arguments built from the spec's documented examples
// (request body example, path and query parameter examples) plus the identifiers of what
// the earlier calls created, and expects exit 0 each time. The token operation is
// `gofive token`.
func TestEveryOperationThroughCall(t *testing.T) {
	idx, err := loadIndex()
	if err != nil {
		t.Fatal(err)
	}
	srv := gofivetest.NewServer(t, gofivetest.WithClock(fixedClock))
	vars := map[string]string{}
	called := map[string]bool{}

	var order []*operation
	for _, id := range everyOpFirst {
		order = append(order, idx.byID[id])
	}
	for _, o := range idx.ops {
		if !slices.Contains(everyOpFirst, o.ID) && !slices.Contains(everyOpLast, o.ID) {
			order = append(order, o)
		}
	}
	for _, id := range everyOpLast {
		order = append(order, idx.byID[id])
	}

	dir := t.TempDir()
	for _, o := range order {
		if o == nil {
			t.Fatal("everyOpFirst/everyOpLast name an operation the spec does not have")
		}
		var args []string
		if o.ID == tokenOperationID {
			args = append([]string{"token"}, fakeFlags(srv)...)
		} else {
			args = append([]string{"call", o.ID}, fakeFlags(srv)...)
			args = append(args, exampleArgs(t, o, vars, dir)...)
		}
		r := runCLI(t, runOpt{}, args...)
		called[o.ID] = true
		if r.code != exitOK {
			t.Errorf("gofive %s\nexit %d\nstderr: %s\nstdout: %s", strings.Join(redactArgs(args), " "), r.code, r.stderr, r.stdout)
			continue
		}
		var out any
		if strings.TrimSpace(r.stdout) != "" && o.ID != tokenOperationID {
			if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
				t.Errorf("%s: stdout is not JSON: %v\n%s", o.ID, err, r.stdout)
			}
		}
		capture(out, vars)
	}
	for _, o := range idx.ops {
		if !called[o.ID] {
			t.Errorf("%s was not called", o.ID)
		}
	}
	if len(called) != 39 {
		t.Errorf("called %d operations, want the spec's 39", len(called))
	}
	// Every call reached its operation on the server (nothing was turned away by routing).
	for _, o := range idx.ops {
		if o.ID != tokenOperationID && srv.Count(o.ID) == 0 {
			t.Errorf("the fake server received no %s request", o.ID)
		}
	}
}

// exampleArgs builds the arguments of one call: the documented examples of the path and
// query parameters and of the body (written to a file for --body), or a body made from
// the schema where the docs have no example, then everyOpArgs.
func exampleArgs(t *testing.T, o *operation, vars map[string]string, dir string) []string {
	t.Helper()
	extra := map[string]bool{}
	var args []string
	for _, a := range everyOpArgs[o.ID] {
		name, value, _ := strings.Cut(a, "=")
		for k, v := range vars {
			value = strings.ReplaceAll(value, "{"+k+"}", v)
		}
		if strings.Contains(value, "{") && !strings.HasSuffix(name, ":") {
			t.Fatalf("%s: %s: no value captured yet for %s", o.ID, name, value)
		}
		extra[strings.TrimSuffix(name, ":")] = true
		args = append(args, name+"="+value)
	}
	for _, p := range o.params() {
		pv := p.Value
		if extra[pv.Name] || !pv.Required {
			continue
		}
		ex := pv.Example
		if ex == nil && pv.Schema != nil && pv.Schema.Value != nil {
			ex = pv.Schema.Value.Example
		}
		if ex == nil {
			t.Fatalf("%s: required parameter %s has no example: add it to everyOpArgs", o.ID, pv.Name)
		}
		args = append(args, pv.Name+"="+scalarText(ex))
	}
	if mt, _ := o.jsonBody(); mt != nil {
		body := o.bodyExample()
		if body == nil {
			body = synthesize(schemaOf(mt.Schema), 0)
		}
		data, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		file := filepath.Join(dir, o.ID+".json")
		if err := os.WriteFile(file, data, 0o644); err != nil {
			t.Fatal(err)
		}
		args = append(args, "--body", file)
	}
	return args
}

func scalarText(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return jsonText(v)
}

func jsonText(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// synthesize makes a minimal value for a schema with no documented example: the required
// properties of objects, a property's own example where it has one.
func synthesize(s *openapi3.Schema, depth int) any {
	if s == nil || depth > 5 {
		return nil
	}
	if s.Example != nil {
		return s.Example
	}
	if alts := append(append(openapi3.SchemaRefs{}, s.OneOf...), s.AnyOf...); len(alts) > 0 && s.Type.IsEmpty() {
		return synthesize(schemaOf(alts[0]), depth+1)
	}
	switch {
	case s.Type.Includes("object") || len(properties(s)) > 0:
		out := map[string]any{}
		props := properties(s)
		for _, name := range s.Required {
			out[name] = synthesize(props[name], depth+1)
		}
		return out
	case s.Type.Includes("array"):
		return []any{synthesize(schemaOf(s.Items), depth+1)}
	case s.Type.Includes("integer"), s.Type.Includes("number"):
		return 1
	case s.Type.Includes("boolean"):
		return true
	case s.Type.Includes("string"):
		return "example"
	}
	return nil
}

// capture remembers the first value of each captured key found anywhere in v.
func capture(v any, vars map[string]string) {
	switch x := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			if slices.Contains(captured, k) && vars[k] == "" {
				if s := scalarText(x[k]); s != "" && s != "null" {
					vars[k] = s
				}
			}
			capture(x[k], vars)
		}
	case []any:
		for _, e := range x {
			capture(e, vars)
		}
	}
}

// redactArgs hides the credential flags' values in failure messages.
func redactArgs(args []string) []string {
	out := slices.Clone(args)
	for i := 0; i+1 < len(out); i++ {
		if out[i] == "--client-secret" || out[i] == "--subscription-key" {
			out[i+1] = "<redacted>"
		}
	}
	return out
}
