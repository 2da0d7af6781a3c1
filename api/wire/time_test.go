package wire_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/gofive-go/gofive/api/wire"
)

var ict = wire.Bangkok()

func TestTimeUnmarshalDocumentedForms(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		in         string
		want       time.Time
		wantLayout string
	}{
		{"rfc3339 Z millis", `"2021-09-17T10:42:31.981Z"`,
			time.Date(2021, 9, 17, 10, 42, 31, 981e6, time.UTC), "2006-01-02T15:04:05.000Z07:00"},
		{"rfc3339 Z", `"2021-09-17T10:42:31Z"`,
			time.Date(2021, 9, 17, 10, 42, 31, 0, time.UTC), wire.LayoutRFC3339},
		{"rfc3339 offset", `"2025-01-29T15:38:43+07:00"`,
			time.Date(2025, 1, 29, 15, 38, 43, 0, ict), wire.LayoutRFC3339},
		{"offset no colon", `"2025-01-29T15:38:43+0700"`,
			time.Date(2025, 1, 29, 15, 38, 43, 0, ict), wire.LayoutOffsetNoColon},
		{"offset no colon negative", `"2025-01-29T15:38:43-0500"`,
			time.Date(2025, 1, 29, 20, 38, 43, 0, time.UTC), wire.LayoutOffsetNoColon},
		{"millis offset no colon", `"2025-02-05T17:35:53.693+0700"`,
			time.Date(2025, 2, 5, 17, 35, 53, 693e6, ict), "2006-01-02T15:04:05.000-0700"},
		{"zone-less", `"2024-02-01T10:00:00"`,
			time.Date(2024, 2, 1, 10, 0, 0, 0, ict), wire.LayoutLocal},
		{"zone-less micros", `"2026-04-21T00:00:00.123456"`,
			time.Date(2026, 4, 21, 0, 0, 0, 123456e3, ict), "2006-01-02T15:04:05.000000"},
		{"zone-less 7 digits (.NET)", `"2026-04-21T08:09:10.1234567"`,
			time.Date(2026, 4, 21, 8, 9, 10, 123456700, ict), "2006-01-02T15:04:05.0000000"},
		{"space separated", `"2025-06-18 00:00:00"`,
			time.Date(2025, 6, 18, 0, 0, 0, 0, ict), wire.LayoutSpace},
		{"space separated fraction", `"2025-06-18 13:14:15.5"`,
			time.Date(2025, 6, 18, 13, 14, 15, 5e8, ict), "2006-01-02 15:04:05.0"},
		{"date only", `"2023-08-04"`,
			time.Date(2023, 8, 4, 0, 0, 0, 0, ict), wire.LayoutDate},
		{"comma fraction", `"2024-02-01T10:00:00,25"`,
			time.Date(2024, 2, 1, 10, 0, 0, 25e7, ict), "2006-01-02T15:04:05,00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var got wire.Time
			if err := json.Unmarshal([]byte(tt.in), &got); err != nil {
				t.Fatalf("Unmarshal(%s): %v", tt.in, err)
			}
			if !got.Valid() {
				t.Fatalf("Valid() = false for %s", tt.in)
			}
			if !got.Time().Equal(tt.want) {
				t.Errorf("Time() = %v, want %v", got.Time(), tt.want)
			}
			if got.Layout() != tt.wantLayout {
				t.Errorf("Layout() = %q, want %q", got.Layout(), tt.wantLayout)
			}
			if got.Raw() != strings.Trim(tt.in, `"`) {
				t.Errorf("Raw() = %q", got.Raw())
			}
			// Unchanged: the original text is written back byte for byte.
			out, err := json.Marshal(got)
			if err != nil {
				t.Fatal(err)
			}
			if string(out) != tt.in {
				t.Errorf("Marshal = %s, want %s", out, tt.in)
			}
			// Re-formatting in the remembered layout reproduces the text too.
			if f := got.Time().Format(got.Layout()); f != got.Raw() {
				t.Errorf("Format(Layout()) = %q, want %q", f, got.Raw())
			}
			// Changed (by a day, so date-only keeps it): formatted in the parsed layout.
			later := got.WithTime(got.Time().Add(24 * time.Hour))
			out, err = json.Marshal(later)
			if err != nil {
				t.Fatal(err)
			}
			if want := `"` + got.Time().Add(24*time.Hour).Format(tt.wantLayout) + `"`; string(out) != want {
				t.Errorf("Marshal(changed) = %s, want %s", out, want)
			}
			var back wire.Time
			if err := json.Unmarshal(out, &back); err != nil {
				t.Fatal(err)
			}
			if !back.Equal(later) {
				t.Errorf("round trip of changed value: got %v, want %v", back.Time(), later.Time())
			}
		})
	}
}

func TestTimeZoneLessIsBangkok(t *testing.T) {
	t.Parallel()
	var got wire.Time
	if err := json.Unmarshal([]byte(`"2024-02-01T10:00:00"`), &got); err != nil {
		t.Fatal(err)
	}
	name, off := got.Time().Zone()
	if name != "ICT" || off != 7*3600 {
		t.Errorf("zone = %s %d, want ICT 25200", name, off)
	}
	if got.Time().UTC().Hour() != 3 {
		t.Errorf("UTC hour = %d, want 3", got.Time().UTC().Hour())
	}
}

func TestTimePlaceholdersAreKept(t *testing.T) {
	t.Parallel()
	for _, in := range []string{
		`"string"`, `"YYYY-MM-DD"`, `"<yyyy-MM-ddTHH:mm:ss>"`, `"DateTimeString"`, `""`,
		`"2024-13-01"`, `"2024-02-30T10:00:00"`, `"  2024-02-01"`, `"2024-02-01T10:00"`,
		`"\u0e44\u0e17\u0e22"`, `"a\"quote"`,
	} {
		t.Run(in, func(t *testing.T) {
			t.Parallel()
			var got wire.Time
			if err := json.Unmarshal([]byte(in), &got); err != nil {
				t.Fatalf("Unmarshal(%s) = %v, want nil (placeholders are kept)", in, err)
			}
			var wantRaw string
			if err := json.Unmarshal([]byte(in), &wantRaw); err != nil {
				t.Fatal(err)
			}
			if got.Valid() || got.IsNull() || got.IsZero() {
				t.Errorf("Valid=%v IsNull=%v IsZero=%v, want false false false", got.Valid(), got.IsNull(), got.IsZero())
			}
			if !got.Time().IsZero() {
				t.Errorf("Time() = %v, want zero", got.Time())
			}
			if got.Raw() != wantRaw || got.String() != wantRaw {
				t.Errorf("Raw()=%q String()=%q, want %q", got.Raw(), got.String(), wantRaw)
			}
			if got.Layout() != "" {
				t.Errorf("Layout() = %q", got.Layout())
			}
			out, err := json.Marshal(got)
			if err != nil {
				t.Fatal(err)
			}
			var back wire.Time
			if err := json.Unmarshal(out, &back); err != nil {
				t.Fatal(err)
			}
			if !back.Equal(got) || back.Raw() != wantRaw {
				t.Errorf("round trip: %s -> %s -> %q", in, out, back.Raw())
			}
		})
	}
}

func TestTimeNull(t *testing.T) {
	t.Parallel()
	var s struct {
		A wire.Time `json:"a"`
		B wire.Time `json:"b,omitzero"`
	}
	s.A = wire.NewTime(time.Now(), "")
	if err := json.Unmarshal([]byte(`{"a":null}`), &s); err != nil {
		t.Fatal(err)
	}
	if !s.A.IsNull() || !s.A.IsZero() || s.A.Valid() || s.A.String() != "" {
		t.Errorf("null did not reset: %+v", s.A)
	}
	out, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != `{"a":null}` {
		t.Errorf("Marshal = %s", out)
	}
}

func TestTimeUnmarshalRejectsNonStrings(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		`1706760000`:            "JSON number",
		`-1`:                    "JSON number",
		`{"t":"2024-02-01"}`:    "JSON object",
		`["2024-02-01"]`:        "JSON array",
		`true`:                  "JSON boolean",
		``:                      "empty input",
		`'2024-02-01'`:          "invalid JSON",
		`"unterminated`:         "cannot unmarshal into Time",
		`"bad escape \x"`:       "cannot unmarshal into Time",
		`  1706760000  `:        "JSON number",
		`{"obj": "2024-02-01"}`: "want a date/time string",
	}
	for in, want := range tests {
		t.Run(in, func(t *testing.T) {
			t.Parallel()
			var got wire.Time
			err := got.UnmarshalJSON([]byte(in))
			if err == nil {
				t.Fatalf("UnmarshalJSON(%s) = nil, want error", in)
			}
			if !strings.Contains(err.Error(), want) || !strings.HasPrefix(err.Error(), "wire: ") {
				t.Errorf("error %q does not mention %q", err, want)
			}
		})
	}
	// Through encoding/json the field is named too.
	var s struct{ D wire.Time }
	err := json.Unmarshal([]byte(`{"D": 5}`), &s)
	if err == nil || !strings.Contains(err.Error(), "JSON number") {
		t.Errorf("json.Unmarshal = %v", err)
	}
}

func TestNewTime(t *testing.T) {
	t.Parallel()
	at := time.Date(2025, 1, 29, 15, 38, 43, 693e6, ict)
	tests := []struct {
		layout string
		want   string
	}{
		{"", `"2025-01-29T15:38:43+07:00"`},
		{wire.LayoutRFC3339, `"2025-01-29T15:38:43+07:00"`},
		{wire.LayoutOffsetNoColon, `"2025-01-29T15:38:43+0700"`},
		{"2006-01-02T15:04:05.000-0700", `"2025-01-29T15:38:43.693+0700"`},
		{wire.LayoutLocal, `"2025-01-29T15:38:43"`},
		{wire.LayoutSpace, `"2025-01-29 15:38:43"`},
		{wire.LayoutDate, `"2025-01-29"`},
	}
	for _, tt := range tests {
		v := wire.NewTime(at, tt.layout)
		out, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		if string(out) != tt.want {
			t.Errorf("NewTime(%q) marshals %s, want %s", tt.layout, out, tt.want)
		}
		if v.Raw() != "" || !v.Valid() || v.IsZero() {
			t.Errorf("NewTime(%q): Raw=%q Valid=%v IsZero=%v", tt.layout, v.Raw(), v.Valid(), v.IsZero())
		}
		text, _ := v.MarshalText()
		if `"`+string(text)+`"` != tt.want {
			t.Errorf("MarshalText = %s", text)
		}
	}
	if !wire.NewTime(time.Time{}, "").IsZero() {
		t.Error("NewTime(zero).IsZero() = false")
	}
}

func TestParseTime(t *testing.T) {
	t.Parallel()
	got, err := wire.ParseTime("2025-01-29T15:38:43+0700")
	if err != nil {
		t.Fatal(err)
	}
	if got.Layout() != wire.LayoutOffsetNoColon || got.String() != "2025-01-29T15:38:43+0700" {
		t.Errorf("ParseTime: layout %q string %q", got.Layout(), got.String())
	}
	for _, bad := range []string{"string", "YYYY-MM-DD", "", "2024/02/01", "1706760000"} {
		if _, err := wire.ParseTime(bad); err == nil || !strings.Contains(err.Error(), "not in a known layout") {
			t.Errorf("ParseTime(%q) = %v, want error", bad, err)
		}
	}
	utc, err := wire.ParseTimeIn("2024-02-01T10:00:00", time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2024, 2, 1, 10, 0, 0, 0, time.UTC); !utc.Time().Equal(want) {
		t.Errorf("ParseTimeIn(UTC) = %v, want %v", utc.Time(), want)
	}
	nilLoc, err := wire.ParseTimeIn("2024-02-01", nil)
	if err != nil || nilLoc.Time().Location() != wire.Bangkok() {
		t.Errorf("ParseTimeIn(nil loc) = %v, %v", nilLoc.Time(), err)
	}
}

func TestTimeEqual(t *testing.T) {
	t.Parallel()
	mustParse := func(s string) wire.Time {
		v, err := wire.ParseTime(s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	var placeholderA, placeholderB wire.Time
	_ = placeholderA.UnmarshalText([]byte("string"))
	_ = placeholderB.UnmarshalText([]byte("YYYY-MM-DD"))
	tests := []struct {
		name string
		a, b wire.Time
		want bool
	}{
		{"same instant different layouts", mustParse("2025-01-29T15:38:43+0700"), mustParse("2025-01-29T08:38:43Z"), true},
		{"different instants", mustParse("2025-01-29"), mustParse("2025-01-30"), false},
		{"null null", wire.Time{}, wire.Time{}, true},
		{"null vs valid", wire.Time{}, mustParse("2025-01-29"), false},
		{"same placeholder", placeholderA, placeholderA, true},
		{"different placeholders", placeholderA, placeholderB, false},
		{"placeholder vs null", placeholderA, wire.Time{}, false},
	}
	for _, tt := range tests {
		if got := tt.a.Equal(tt.b); got != tt.want {
			t.Errorf("%s: Equal = %v, want %v", tt.name, got, tt.want)
		}
		// go-cmp uses the Equal method.
		if got := cmp.Equal(tt.a, tt.b); got != tt.want {
			t.Errorf("%s: cmp.Equal = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestTimeText(t *testing.T) {
	t.Parallel()
	var v wire.Time
	if err := v.UnmarshalText([]byte("2023-08-04")); err != nil {
		t.Fatal(err)
	}
	if !v.Valid() || v.Layout() != wire.LayoutDate {
		t.Errorf("UnmarshalText: %+v", v)
	}
	text, err := v.MarshalText()
	if err != nil || string(text) != "2023-08-04" {
		t.Errorf("MarshalText = %q, %v", text, err)
	}
	null, _ := wire.Time{}.MarshalText()
	if len(null) != 0 {
		t.Errorf("null MarshalText = %q", null)
	}
}

func TestTimeInStruct(t *testing.T) {
	t.Parallel()
	// A payload mixing every documented form survives a decode/encode round trip.
	in := `{"a":"2025-01-29T15:38:43+0700","b":"2025-02-05T17:35:53.693+0700","c":"2024-02-01T10:00:00",` +
		`"d":"2021-09-17T10:42:31.981Z","e":"2025-06-18 00:00:00","f":"2023-08-04","g":"YYYY-MM-DD","h":null}`
	var m map[string]wire.Time
	if err := json.Unmarshal([]byte(in), &m); err != nil {
		t.Fatal(err)
	}
	out, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != in {
		t.Errorf("round trip:\n got %s\nwant %s", out, in)
	}
}

// TestZoneLessLayoutsWriteBangkokTime: a constructed time in another zone is written as the
// Bangkok wall clock in the forms without an offset, so it reads back as the same instant.
func TestZoneLessLayoutsWriteBangkokTime(t *testing.T) {
	utc := time.Date(2025, 1, 1, 20, 0, 0, 0, time.UTC) // 2025-01-02 03:00 in Bangkok
	for _, tt := range []struct {
		layout, want string
		sameInstant  bool
	}{
		{wire.LayoutLocal, "2025-01-02T03:00:00", true},
		{wire.LayoutSpace, "2025-01-02 03:00:00", true},
		{wire.LayoutDate, "2025-01-02", false}, // a date keeps only the Bangkok calendar day
		{wire.LayoutOffsetNoColon, "2025-01-01T20:00:00+0000", true},
		{wire.LayoutRFC3339, "2025-01-01T20:00:00Z", true},
	} {
		got := wire.NewTime(utc, tt.layout)
		if got.String() != tt.want {
			t.Errorf("%s: String() = %q, want %q", tt.layout, got.String(), tt.want)
		}
		back, err := wire.ParseTime(got.String())
		if err != nil {
			t.Fatalf("%s: %v", tt.layout, err)
		}
		if tt.sameInstant && !back.Time().Equal(utc) {
			t.Errorf("%s: %q reads back as %v, want %v", tt.layout, got.String(), back.Time(), utc)
		}
	}
}
