package api

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/gofive-go/gofive/spec"
)

// serviceValues returns the Client's services (the exported or embedded fields whose type
// is a pointer to a *Service struct), wherever the Client keeps them.
func serviceValues(c *Client) []reflect.Value {
	var out []reflect.Value
	var walk func(v reflect.Value, depth int)
	walk = func(v reflect.Value, depth int) {
		if depth > 2 {
			return
		}
		for i := range v.NumField() {
			f, ft := v.Field(i), v.Type().Field(i)
			switch {
			case ft.Type.Kind() == reflect.Pointer && strings.HasSuffix(ft.Type.Elem().Name(), "Service"):
				out = append(out, f)
			case ft.Anonymous && ft.Type.Kind() == reflect.Struct:
				walk(f, depth+1)
			}
		}
	}
	walk(reflect.ValueOf(c).Elem(), 0)
	return out
}

// methodFor finds the typed method of operationID on c's services.
func methodFor(t *testing.T, c *Client, operationID string) reflect.Value {
	t.Helper()
	name := strings.ToUpper(operationID[:1]) + operationID[1:]
	for _, svc := range serviceValues(c) {
		if m := svc.MethodByName(name); m.IsValid() {
			return m
		}
	}
	t.Fatalf("%s: no method %s on the Client's services", operationID, name)
	return reflect.Value{}
}

// TestNeverNilNil calls every typed method of the spec's operation list against a loopback
// server whose success envelope has no data, or null data: a method returns data or an
// error (ErrNoData for operations that document data), never a nil value with a nil error.
// The list comes from the spec, so a new operation cannot skip this test.
func TestNeverNilNil(t *testing.T) {
	bodies := []string{
		`{"status":{"code":"1000"}}`,
		`{"status":{"code":"1000","description":"Success"},"data":null}`,
		`{"status":{"code":1000},"data":null,"statusCode":1000,"httpStatusCode":200}`,
	}
	var body atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(body.Load().(string)))
	}))
	t.Cleanup(srv.Close)
	c, err := New(WithStaticToken("static"), WithSubscriptionKey("key"), WithBaseURL(srv.URL),
		WithRetryPolicy(RetryPolicy{MaxAttempts: 1}))
	if err != nil {
		t.Fatal(err)
	}
	errType := reflect.TypeFor[error]()
	calls := 0
	for path, item := range spec.MustLoad().Paths.Map() {
		for verb, op := range item.Operations() {
			m := methodFor(t, c, op.OperationID)
			mt := m.Type()
			args := []reflect.Value{reflect.ValueOf(context.Background())}
			for i := 1; i < mt.NumIn(); i++ {
				args = append(args, reflect.Zero(mt.In(i)))
			}
			for _, b := range bodies {
				body.Store(b)
				out := m.Call(args)
				calls++
				errV := out[len(out)-1]
				if errV.Type() != errType {
					t.Fatalf("%s: last result is %v, not error", op.OperationID, errV.Type())
				}
				if len(out) == 1 {
					continue // documents no data: success is a nil error
				}
				v, err := out[0], errV.Interface()
				if err == nil && isNilValue(v) {
					t.Errorf("%s %s (%s) with %s: returned a nil %v and a nil error", verb, path, op.OperationID, b, v.Type())
				}
				if err != nil && !errors.Is(err.(error), ErrNoData) {
					t.Errorf("%s %s (%s) with %s: error %v, want nil or ErrNoData", verb, path, op.OperationID, b, err)
				}
				if v.Type() == reflect.TypeFor[json.RawMessage]() && err == nil && string(v.Bytes()) != "null" {
					t.Errorf("%s (%s): raw data %s, want JSON null", op.OperationID, b, v.Bytes())
				}
			}
		}
	}
	if calls < 3*30 {
		t.Fatalf("only %d calls: the operation walk is broken", calls)
	}
}

func isNilValue(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Map, reflect.Interface:
		return v.IsNil()
	}
	return false
}

func TestRawField(t *testing.T) {
	tests := []struct {
		name, raw, key string
		want           string // RawString; "" with ok false when wantOK is false
		wantOK         bool
	}{
		{"top level string", `{"customerCode":"C000004"}`, "customerCode", "C000004", true},
		{"top level number", `{"salesOrderId":281940}`, "salesOrderId", "281940", true},
		{"big number keeps its digits", `{"id":12345678901234567890}`, "id", "12345678901234567890", true},
		{"nested data.data", `{"data":{"feedbackId":67941},"statusCode":1000}`, "feedbackId", "67941", true},
		{"nested value list", `{"value":[{"quotationNo":"Q1"},{"quotationNo":"Q2"}]}`, "quotationNo", "Q1", true},
		{"nearest level wins", `{"a":{"b":{"no":"deep"}},"z":{"no":"near"}}`, "no", "near", true},
		{"same level: key order", `{"b":{"no":"second"},"a":{"no":"first"}}`, "no", "first", true},
		{"absent", `{"customerName":"x"}`, "customerCode", "", false},
		{"null value", `{"customerCode":null}`, "customerCode", "", false},
		{"object value", `{"customerCode":{"x":1}}`, "customerCode", "", false},
		{"JSON null", `null`, "customerCode", "", false},
		{"not JSON", `{"customerCode":`, "customerCode", "", false},
		{"too deep", `{"a":{"b":{"c":{"d":{"e":{"no":"x"}}}}}}`, "no", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := RawString(json.RawMessage(tt.raw), tt.key)
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("RawString(%s, %q) = %q, %v; want %q, %v", tt.raw, tt.key, got, ok, tt.want, tt.wantOK)
			}
		})
	}
	if v, ok := RawField(json.RawMessage(`{"x":{"customerCode":"C1"}}`), "x"); !ok || string(v) != `{"customerCode":"C1"}` {
		t.Errorf("RawField = %s, %v", v, ok)
	}
	// The search is bounded: a wide answer is not walked past rawMaxValues.
	wide := "[" + strings.Repeat(`{"a":1},`, rawMaxValues) + `{"no":"x"}]`
	if _, ok := RawField(json.RawMessage(wide), "no"); ok {
		t.Error("RawField walked past its bound")
	}
}

// TestGetSalesOrderPicksByNumber: one SalesOrder type from both documented forms of data.
func TestGetSalesOrderPicksByNumber(t *testing.T) {
	var body atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(body.Load().(string)))
	}))
	t.Cleanup(srv.Close)
	c, err := New(WithStaticToken("static"), WithSubscriptionKey("key"), WithBaseURL(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	// Synthetic bodies in the two documented forms (one object, a list).
	tests := []struct {
		name, body, want string
		wantErr          error
	}{
		{"object", `{"status":{"code":"1000"},"data":{"salesOrderNo":"SO2","grandTotal":10.5}}`, "SO2", nil},
		{"list", `{"status":{"code":"1000"},"data":[{"salesOrderNo":"SO1"},{"salesOrderNo":"SO2","grandTotal":10.5}]}`, "SO2", nil},
		{"list without it", `{"status":{"code":"1000"},"data":[{"salesOrderNo":"SO1"}]}`, "", ErrNotFound},
		{"object of another order", `{"status":{"code":"1000"},"data":{"salesOrderNo":"SO1"}}`, "", ErrNotFound},
		{"empty list", `{"status":{"code":"1000"},"data":[]}`, "", ErrNotFound},
		{"no data", `{"status":{"code":"1000"}}`, "", ErrNoData},
	}
	for _, tt := range tests {
		body.Store(tt.body)
		so, err := c.SalesOrders.GetSalesOrder(t.Context(), "SO2")
		if !errors.Is(err, tt.wantErr) || (err == nil) != (so != nil) {
			t.Errorf("%s: GetSalesOrder = %+v, %v; want error %v", tt.name, so, err, tt.wantErr)
			continue
		}
		if err == nil && (so.SalesOrderNo != tt.want || so.GrandTotal != 10.5) {
			t.Errorf("%s: got order %q (grand total %v), want %q", tt.name, so.SalesOrderNo, so.GrandTotal, tt.want)
		}
	}
}
