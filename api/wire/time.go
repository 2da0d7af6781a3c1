package wire

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Layouts of the date/time forms the Gofive API uses. A [Time] remembers the
// layout it was parsed with (including the number of fractional-second
// digits, e.g. "2006-01-02T15:04:05.000-0700") so it can be re-formatted the
// same way.
const (
	// LayoutRFC3339 is RFC 3339: 2021-09-17T10:42:31Z, 2021-09-17T10:42:31+07:00.
	LayoutRFC3339 = "2006-01-02T15:04:05Z07:00"
	// LayoutOffsetNoColon has a numeric offset without a colon: 2025-01-29T15:38:43+0700.
	LayoutOffsetNoColon = "2006-01-02T15:04:05-0700"
	// LayoutLocal has no offset: 2024-02-01T10:00:00 (interpreted in [Bangkok]).
	LayoutLocal = "2006-01-02T15:04:05"
	// LayoutSpace separates date and time with a space and has no offset: 2025-06-18 00:00:00.
	LayoutSpace = "2006-01-02 15:04:05"
	// LayoutDate is a calendar date: 2023-08-04 (midnight in [Bangkok]).
	LayoutDate = "2006-01-02"
)

// Bangkok returns the zone the API means when a date/time carries no offset:
// Indochina Time, UTC+7 all year. A fixed zone, so no tzdata is needed.
func Bangkok() *time.Location { return bangkok }

// bangkok is unexported so that no importer can reassign it.
var bangkok = time.FixedZone("ICT", 7*60*60)

type timeState uint8

const (
	timeNull    timeState = iota // JSON null or never set
	timeValid                    // parsed or constructed time
	timeInvalid                  // a string in no known layout, kept verbatim
)

// Time is a date/time that decodes every form the Gofive API uses and
// marshals back the text it was decoded from.
//
// A JSON string in no known layout (the API's docs put placeholders such as
// "string" or "YYYY-MM-DD" in date fields) is not an error: it is kept
// verbatim ([Time.Raw]), [Time.Valid] reports false and it marshals back
// unchanged. JSON null decodes to the zero Time, which marshals as null.
//
// The zero value is null. Compare Times with [Time.Equal], not ==.
type Time struct {
	t      time.Time
	raw    string // text as received; "" when constructed
	layout string // layout matched or given; "" when not valid
	state  timeState
}

// NewTime returns a Time holding t that marshals in layout (any Go time
// layout; "" means [LayoutRFC3339]). A layout without a zone offset
// ([LayoutLocal], [LayoutSpace], [LayoutDate]) writes t's instant as Bangkok
// wall-clock time, which is how the API reads such values.
func NewTime(t time.Time, layout string) Time {
	if layout == "" {
		layout = LayoutRFC3339
	}
	return Time{t: t, layout: layout, state: timeValid}
}

// ParseTime parses s in any known layout, interpreting zone-less forms in
// [Bangkok]. Unlike JSON decoding it rejects unknown forms, so use it for
// user input.
func ParseTime(s string) (Time, error) {
	return ParseTimeIn(s, bangkok)
}

// ParseTimeIn is [ParseTime] with zone-less forms interpreted in loc.
func ParseTimeIn(s string, loc *time.Location) (Time, error) {
	if loc == nil {
		loc = bangkok
	}
	if t, layout, ok := parse(s, loc); ok {
		return Time{t: t, raw: s, layout: layout, state: timeValid}, nil
	}
	return Time{}, fmt.Errorf("wire: parsing time %q: not in a known layout (e.g. %s, %s, %s)",
		s, LayoutRFC3339, LayoutOffsetNoColon, LayoutDate)
}

func parse(s string, loc *time.Location) (time.Time, string, bool) {
	// Pick the one layout the text can be by its shape, then parse once: trying
	// each layout in turn costs a *time.ParseError (3 allocations) per miss,
	// and every date field of every response goes through here.
	layout, ok := layoutOf(s)
	if !ok {
		return time.Time{}, "", false
	}
	t, err := time.ParseInLocation(layout, s, loc)
	if err != nil || (layout != LayoutDate && !canonicalClock(s)) {
		return time.Time{}, "", false
	}
	return t, withFraction(layout, s), true
}

// layoutOf tells which of the Layout constants s has the shape of: the date part,
// the separator, and what follows the seconds and their fraction.
func layoutOf(s string) (string, bool) {
	const dateLen, clockEnd = len("2006-01-02"), len("2006-01-02T15:04:05")
	if len(s) < dateLen || s[4] != '-' || s[7] != '-' {
		return "", false
	}
	if len(s) == dateLen {
		return LayoutDate, true
	}
	if len(s) < clockEnd {
		return "", false
	}
	if s[dateLen] == ' ' {
		return LayoutSpace, true
	}
	if s[dateLen] != 'T' {
		return "", false
	}
	zone := s[clockEnd:]
	if len(zone) > 0 && (zone[0] == '.' || zone[0] == ',') {
		i := 1
		for i < len(zone) && zone[i] >= '0' && zone[i] <= '9' {
			i++
		}
		zone = zone[i:]
	}
	switch {
	case zone == "":
		return LayoutLocal, true
	case zone == "Z" || (len(zone) == 6 && zone[3] == ':'):
		return LayoutRFC3339, true
	case len(zone) == 5 && (zone[0] == '+' || zone[0] == '-'):
		return LayoutOffsetNoColon, true
	}
	return "", false
}

// canonicalClock rejects a one-digit hour, which time.Parse accepts for "15"
// but no documented form uses (and which would shift the fraction offset).
func canonicalClock(s string) bool {
	return len(s) >= len("2006-01-02T15:04:05") && s[13] == ':' && s[16] == ':'
}

// withFraction adds the input's fractional-second digits to layout, so that
// formatting reproduces "10:42:31.980" rather than "10:42:31" or "10:42:31.98".
func withFraction(layout, s string) string {
	const secondsEnd = len("2006-01-02T15:04:05")
	if layout == LayoutDate || len(s) <= secondsEnd || (s[secondsEnd] != '.' && s[secondsEnd] != ',') {
		return layout
	}
	n := 0
	for i := secondsEnd + 1; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		n++
	}
	if n == 0 {
		return layout
	}
	n = min(n, 9)
	return strings.Replace(layout, "05", "05"+string(s[secondsEnd])+strings.Repeat("0", n), 1)
}

// Time returns the time, or the zero time when t is null or not valid.
func (t Time) Time() time.Time {
	if t.state != timeValid {
		return time.Time{}
	}
	return t.t
}

// Valid reports whether t holds a parsed or constructed time.
func (t Time) Valid() bool { return t.state == timeValid }

// IsNull reports whether t is JSON null (the zero value).
func (t Time) IsNull() bool { return t.state == timeNull }

// IsZero reports whether t is null or holds the zero time. A kept
// placeholder (even "") is not zero, so `omitzero` never drops received text.
func (t Time) IsZero() bool {
	return t.state == timeNull || (t.state == timeValid && t.t.IsZero())
}

// Raw returns the text t was decoded from ("" when constructed or null).
func (t Time) Raw() string { return t.raw }

// Layout returns the layout t formats with ("" when not valid).
func (t Time) Layout() string {
	if t.state != timeValid {
		return ""
	}
	return t.layout
}

// WithTime returns a Time holding u in t's layout (or [LayoutRFC3339] when t
// has none). The original text is dropped, since it no longer describes u.
func (t Time) WithTime(u time.Time) Time {
	return NewTime(u, t.Layout())
}

// String returns the text t marshals to, without JSON quotes; "" for null.
func (t Time) String() string {
	switch {
	case t.state == timeNull:
		return ""
	case t.raw != "" || t.state == timeInvalid:
		return t.raw
	case !strings.Contains(t.layout, "07"):
		// A form without an offset means Bangkok time to the API (the way it is
		// read back), so write the instant as Bangkok's wall clock, not t's zone's.
		return t.t.In(bangkok).Format(t.layout)
	default:
		return t.t.Format(t.layout)
	}
}

// Equal reports whether t and u are the same instant (when both are valid),
// the same kept text (when both are invalid), or both null.
func (t Time) Equal(u Time) bool {
	if t.state != u.state {
		return false
	}
	switch t.state {
	case timeValid:
		return t.t.Equal(u.t)
	case timeInvalid:
		return t.raw == u.raw
	default:
		return true
	}
}

// MarshalJSON writes the original text when t was decoded, t formatted in its
// layout when constructed, and null when t is null.
func (t Time) MarshalJSON() ([]byte, error) {
	if t.state == timeNull {
		return []byte("null"), nil
	}
	return json.Marshal(t.String())
}

// UnmarshalJSON accepts a JSON string in any form (see [Time]) or null.
// Other JSON values are errors.
func (t *Time) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	if string(data) == "null" {
		*t = Time{}
		return nil
	}
	if len(data) == 0 || data[0] != '"' {
		return fmt.Errorf("wire: cannot unmarshal %s into Time: want a date/time string", jsonKind(data))
	}
	var s string
	if err := json.Unmarshal(data, &s); err != nil {
		return fmt.Errorf("wire: cannot unmarshal into Time: %w", err)
	}
	t.setText(s)
	return nil
}

// MarshalText is like MarshalJSON without quotes; a null Time is "".
func (t Time) MarshalText() ([]byte, error) {
	return []byte(t.String()), nil
}

// UnmarshalText is as tolerant as UnmarshalJSON: unknown forms are kept.
func (t *Time) UnmarshalText(text []byte) error {
	t.setText(string(text))
	return nil
}

func (t *Time) setText(s string) {
	if tt, layout, ok := parse(s, bangkok); ok {
		*t = Time{t: tt, raw: s, layout: layout, state: timeValid}
		return
	}
	*t = Time{raw: s, state: timeInvalid}
}

// jsonKind names the kind of a JSON value for error messages.
func jsonKind(data []byte) string {
	if len(data) == 0 {
		return "empty input"
	}
	switch c := data[0]; {
	case c == '{':
		return "JSON object"
	case c == '[':
		return "JSON array"
	case c == 't' || c == 'f':
		return "JSON boolean"
	case c == '-' || (c >= '0' && c <= '9'):
		return "JSON number"
	case c == '"':
		return "JSON string"
	default:
		return "invalid JSON"
	}
}
