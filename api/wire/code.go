package wire

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// Business codes of the response envelope's status.code.
const (
	CodeSuccess    = "1000" // the call succeeded
	CodeOneError   = "4001" // exactly one error
	CodeManyErrors = "4002" // more than one error
)

// Code is a business code. The docs type status.code as a string ("1000")
// but some responses and public client code use a number (1000); both
// decode, and a Code marshals back in the form it arrived in.
//
// The zero value is an absent code (JSON null).
type Code struct {
	s      string
	number bool
	set    bool
}

// NewCode returns a Code that marshals as the JSON string s.
func NewCode(s string) Code { return Code{s: s, set: true} }

// NumberCode returns a Code that marshals as the JSON number n.
func NumberCode(n int) Code { return Code{s: strconv.Itoa(n), number: true, set: true} }

// String returns the code's text ("" when absent).
func (c Code) String() string { return c.s }

// Int returns the code as an int; ok is false when it is not an integer.
func (c Code) Int() (n int, ok bool) {
	n, err := strconv.Atoi(strings.TrimSpace(c.s))
	return n, err == nil
}

// IsSuccess reports whether the code is 1000 (as a string or a number).
func (c Code) IsSuccess() bool {
	n, ok := c.Int()
	return ok && n == 1000
}

// IsZero reports whether the code is absent.
func (c Code) IsZero() bool { return !c.set }

// IsNumber reports whether the code arrived (or was built) as a JSON number.
func (c Code) IsNumber() bool { return c.number }

// Equal reports whether c and d carry the same code, whatever their JSON form.
func (c Code) Equal(d Code) bool {
	if c.set != d.set {
		return false
	}
	if a, ok := c.Int(); ok {
		b, ok := d.Int()
		return ok && a == b
	}
	return c.s == d.s
}

// MarshalJSON writes the code in the form it arrived in; null when absent.
func (c Code) MarshalJSON() ([]byte, error) {
	switch {
	case !c.set:
		return []byte("null"), nil
	case c.number:
		if !json.Valid([]byte(c.s)) {
			return nil, fmt.Errorf("wire: Code %q is not a JSON number", c.s)
		}
		return []byte(c.s), nil
	default:
		return json.Marshal(c.s)
	}
}

// UnmarshalJSON accepts a JSON string, a JSON number or null.
func (c *Code) UnmarshalJSON(data []byte) error {
	s, number, null, err := stringOrNumber("Code", data)
	if err != nil {
		return err
	}
	if null {
		*c = Code{}
		return nil
	}
	*c = Code{s: s, number: number, set: true}
	return nil
}

// stringOrNumber decodes a JSON string (unquoted) or number (literal text).
func stringOrNumber(typeName string, data []byte) (s string, number, null bool, err error) {
	data = bytes.TrimSpace(data)
	switch {
	case string(data) == "null":
		return "", false, true, nil
	case len(data) > 0 && data[0] == '"':
		if err := json.Unmarshal(data, &s); err != nil {
			return "", false, false, fmt.Errorf("wire: cannot unmarshal into %s: %w", typeName, err)
		}
		return s, false, false, nil
	case len(data) > 0 && (data[0] == '-' || (data[0] >= '0' && data[0] <= '9')):
		var n json.Number
		if err := json.Unmarshal(data, &n); err != nil {
			return "", false, false, fmt.Errorf("wire: cannot unmarshal into %s: %w", typeName, err)
		}
		return string(data), true, false, nil
	default:
		return "", false, false, fmt.Errorf("wire: cannot unmarshal %s into %s: want a string or a number", jsonKind(data), typeName)
	}
}
