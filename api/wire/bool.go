package wire

import (
	"bytes"
	"fmt"
	"strings"
)

// Bool is a boolean the API sometimes sends quoted ("true", "False"). It
// decodes true/false and those strings (any case); other values, such as the
// docs' "<boolean>" placeholder, are errors. It marshals as a JSON boolean.
type Bool bool

// Bool returns b as a bool.
func (b Bool) Bool() bool { return bool(b) }

// MarshalJSON writes a JSON boolean.
func (b Bool) MarshalJSON() ([]byte, error) {
	if b {
		return []byte("true"), nil
	}
	return []byte("false"), nil
}

// UnmarshalJSON accepts true, false, "true", "false" (any case) and null
// (which, as for a plain bool, leaves b unchanged).
func (b *Bool) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	s := string(data)
	switch {
	case s == "null":
		return nil
	case s == "true":
		*b = true
		return nil
	case s == "false":
		*b = false
		return nil
	case len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"':
		switch inner := s[1 : len(s)-1]; {
		case strings.EqualFold(inner, "true"):
			*b = true
			return nil
		case strings.EqualFold(inner, "false"):
			*b = false
			return nil
		}
		return fmt.Errorf("wire: cannot unmarshal string %s into Bool: want true or false", truncate(s, 40))
	}
	return fmt.Errorf("wire: cannot unmarshal %s into Bool: want true or false", jsonKind(data))
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
