package wire_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/gofive-go/gofive/api/wire"
)

// FuzzTimeUnmarshal checks that decoding never panics, that every decoded
// value marshals, and that marshal output decodes to an equal value and
// marshals identically (lossless round trip).
func FuzzTimeUnmarshal(f *testing.F) {
	for _, s := range []string{
		`"2021-09-17T10:42:31.981Z"`, `"2025-01-29T15:38:43+07:00"`, `"2025-01-29T15:38:43+0700"`,
		`"2025-02-05T17:35:53.693+0700"`, `"2024-02-01T10:00:00"`, `"2025-06-18 00:00:00"`,
		`"2023-08-04"`, `"string"`, `"YYYY-MM-DD"`, `null`, `1000`, `{}`, `""`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var v wire.Time
		if err := v.UnmarshalJSON(data); err != nil {
			return
		}
		out, err := json.Marshal(v)
		if err != nil {
			t.Fatalf("Marshal after Unmarshal(%q): %v", data, err)
		}
		var back wire.Time
		if err := json.Unmarshal(out, &back); err != nil {
			t.Fatalf("Unmarshal(Marshal(%q)) = %v (out %s)", data, err, out)
		}
		if !back.Equal(v) || back.Valid() != v.Valid() || back.Raw() != v.Raw() {
			t.Fatalf("round trip changed %q: %+v -> %s -> %+v", data, v, out, back)
		}
		again, err := json.Marshal(back)
		if err != nil || !bytes.Equal(again, out) {
			t.Fatalf("second Marshal differs: %s vs %s (%v)", out, again, err)
		}
		if v.Valid() {
			// The remembered layout must parse its own output back to the same instant.
			re, err := wire.ParseTime(v.Time().Format(v.Layout()))
			if err != nil {
				t.Fatalf("reformatted %q does not parse: %v", v.Time().Format(v.Layout()), err)
			}
			if !re.Time().Equal(v.Time()) {
				t.Fatalf("reformat changed instant: %v vs %v", v.Time(), re.Time())
			}
		} else if !v.Time().IsZero() {
			t.Fatalf("invalid Time has non-zero Time(): %v", v.Time())
		}
	})
}

// FuzzCodeUnmarshal checks Code decoding never panics and round-trips.
func FuzzCodeUnmarshal(f *testing.F) {
	for _, s := range []string{`"1000"`, `1000`, `"4001"`, `4002`, `null`, `true`, `1e3`, `-0`, `"x"`, `{}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var c wire.Code
		if err := c.UnmarshalJSON(data); err != nil {
			return
		}
		out, err := json.Marshal(c)
		if err != nil {
			t.Fatalf("Marshal after Unmarshal(%q): %v", data, err)
		}
		var back wire.Code
		if err := json.Unmarshal(out, &back); err != nil {
			t.Fatalf("Unmarshal(Marshal(%q)) = %v", data, err)
		}
		if back != c {
			t.Fatalf("round trip changed %q: %+v -> %s -> %+v", data, c, out, back)
		}
		if c.IsSuccess() {
			if n, ok := c.Int(); !ok || n != 1000 {
				t.Fatalf("IsSuccess but Int() = %d, %v", n, ok)
			}
		}
	})
}
