package wire

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// ID is a value the docs type inconsistently as a string or a number (ids
// such as feedbackId or customerId, latitude/longitude). It keeps the literal
// text and marshals back in the form it arrived in: a number stays a number,
// a string stays a string. Large ids keep all their digits.
//
// The zero value is absent (JSON null).
type ID struct {
	s      string
	number bool
	set    bool
}

// StringID returns an ID that marshals as the JSON string s.
func StringID(s string) ID { return ID{s: s, set: true} }

// IntID returns an ID that marshals as the JSON number n.
func IntID(n int64) ID { return ID{s: strconv.FormatInt(n, 10), number: true, set: true} }

// FloatID returns an ID that marshals as the JSON number f (e.g. a latitude).
func FloatID(f float64) ID {
	return ID{s: strconv.FormatFloat(f, 'f', -1, 64), number: true, set: true}
}

// String returns the literal text ("" when absent).
func (id ID) String() string { return id.s }

// Int64 parses the value as an integer, whether it arrived as a string or a number.
func (id ID) Int64() (int64, error) {
	n, err := strconv.ParseInt(strings.TrimSpace(id.s), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("wire: ID %q is not an integer", id.s)
	}
	return n, nil
}

// Float64 parses the value as a float, whether it arrived as a string or a number.
func (id ID) Float64() (float64, error) {
	f, err := strconv.ParseFloat(strings.TrimSpace(id.s), 64)
	if err != nil {
		return 0, fmt.Errorf("wire: ID %q is not a number", id.s)
	}
	return f, nil
}

// IsZero reports whether the ID is absent.
func (id ID) IsZero() bool { return !id.set }

// IsNumber reports whether the ID arrived (or was built) as a JSON number.
func (id ID) IsNumber() bool { return id.number }

// Equal reports whether id and other have the same text and JSON form.
func (id ID) Equal(other ID) bool { return id == other }

// MarshalJSON writes the ID in the form it arrived in; null when absent.
func (id ID) MarshalJSON() ([]byte, error) {
	switch {
	case !id.set:
		return []byte("null"), nil
	case id.number:
		if !json.Valid([]byte(id.s)) {
			return nil, fmt.Errorf("wire: ID %q is not a JSON number", id.s)
		}
		return []byte(id.s), nil
	default:
		return json.Marshal(id.s)
	}
}

// UnmarshalJSON accepts a JSON string, a JSON number or null.
func (id *ID) UnmarshalJSON(data []byte) error {
	s, number, null, err := stringOrNumber("ID", data)
	if err != nil {
		return err
	}
	if null {
		*id = ID{}
		return nil
	}
	*id = ID{s: s, number: number, set: true}
	return nil
}

// MarshalText returns the literal text, so an ID works as a path or query parameter.
func (id ID) MarshalText() ([]byte, error) { return []byte(id.s), nil }
