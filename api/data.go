package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"slices"
)

// ErrNoData is returned (wrapped; test with errors.Is) by a typed method when the API reports
// success but the envelope's data is null or absent although the operation documents data.
// A typed method never returns a nil value with a nil error: it returns data or an error.
var ErrNoData = errors.New("gofive: success response without data")

// nullData is what a method whose response was not recovered returns when the success
// envelope has no data: JSON null, never a nil json.RawMessage.
var nullData = json.RawMessage("null")

// callData is callJSON for an operation that documents data: a success whose data is null or
// absent is ErrNoData. T is a pointer, slice or map, so nil means null or absent (an empty
// JSON array decodes to a non-nil empty slice).
func callData[T any](c *Client, ctx context.Context, operationID string, req *http.Request) (T, error) {
	data, _, _, err := callDataInfo[T](c, ctx, operationID, req)
	return data, err
}

// callDataInfo is callData that also hands back the call's info and body, for callers that
// check the data further (callJSONNested).
func callDataInfo[T any](c *Client, ctx context.Context, operationID string, req *http.Request) (T, callInfo, []byte, error) {
	data, info, body, err := callEnvelope[T](c, ctx, operationID, req)
	if err == nil && isNil(data) {
		err = &callError{info: info, err: ErrNoData}
	}
	if err != nil {
		var zero T
		return zero, info, body, err
	}
	return data, info, body, nil
}

// callRawData is callJSON for an operation whose response was not recovered: data undecoded,
// JSON null when the envelope has none.
func callRawData(c *Client, ctx context.Context, operationID string, req *http.Request) (json.RawMessage, error) {
	data, err := callJSON[json.RawMessage](c, ctx, operationID, req)
	if err != nil {
		return nil, err
	}
	if data == nil {
		return nullData, nil
	}
	return data, nil
}

// isNil reports whether v is a nil pointer, slice, map or interface.
func isNil[T any](v T) bool {
	rv := reflect.ValueOf(&v).Elem()
	switch rv.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Map, reflect.Interface:
		return rv.IsNil()
	}
	return false
}

// pickOne returns the item whose key is want, for an operation whose data is one object or a
// list of them (Get a SalesOrder By SalesOrderNo): one type comes back either way. No such
// item is ErrNotFound.
func pickOne[T any](operationID string, items []T, want string, key func(*T) string) (*T, error) {
	for i := range items {
		if key(&items[i]) == want {
			return &items[i], nil
		}
	}
	return nil, fmt.Errorf("gofive: %s: %q is not in the response (%d item(s)): %w", operationID, want, len(items), ErrNotFound)
}

// Bounds of RawField's search: how deep it looks and how many values it visits.
const (
	rawMaxDepth  = 4
	rawMaxValues = 10000
)

// RawField finds key in an undecoded answer: the json.RawMessage that a method returns when
// the operation's response shape was not recovered from the docs (its doc comment says so),
// e.g. the identifier a create call returned:
//
//	raw, err := c.Customers.CreateOrUpdateCustomer(ctx, req)
//	code, ok := api.RawString(raw, "customerCode")
//
// The search looks at the object's own members first, then level by level into nested
// objects and arrays (the API nests results as data.data or data.value), up to 4 levels; at
// each level members are visited in key order, so the result does not depend on map order.
// It returns the raw JSON value and true, or nil and false when raw is not JSON or has no
// such key. Once an operation's response shape is recovered its method returns a typed value
// instead (a breaking change, announced in CHANGELOG.md).
func RawField(raw json.RawMessage, key string) (json.RawMessage, bool) {
	level := []json.RawMessage{raw}
	visited := 0
	for depth := 0; depth <= rawMaxDepth && len(level) > 0; depth++ {
		var next []json.RawMessage
		for _, v := range level {
			if visited++; visited > rawMaxValues {
				return nil, false
			}
			v = bytes.TrimSpace(v)
			if len(v) == 0 {
				continue
			}
			switch v[0] {
			case '{':
				var m map[string]json.RawMessage
				if json.Unmarshal(v, &m) != nil {
					continue
				}
				if found, ok := m[key]; ok {
					return found, true
				}
				keys := make([]string, 0, len(m))
				for k := range m {
					keys = append(keys, k)
				}
				slices.Sort(keys)
				for _, k := range keys {
					next = append(next, m[k])
				}
			case '[':
				var list []json.RawMessage
				if json.Unmarshal(v, &list) == nil {
					next = append(next, list...)
				}
			}
		}
		level = next
	}
	return nil, false
}

// RawString is [RawField] for a value read as text: a JSON string as it is, a number as its
// JSON text (identifiers come as strings in some answers and as numbers in others). It
// returns "" and false when the key is absent or its value is neither (null, an object, …).
func RawString(raw json.RawMessage, key string) (string, bool) {
	v, ok := RawField(raw, key)
	if v = bytes.TrimSpace(v); !ok || len(v) == 0 || (v[0] != '"' && v[0] != '-' && (v[0] < '0' || v[0] > '9')) {
		return "", false
	}
	var s string
	if json.Unmarshal(v, &s) == nil {
		return s, true
	}
	var n json.Number // keeps the number's text as sent
	if json.Unmarshal(v, &n) == nil {
		return n.String(), true
	}
	return "", false
}
