package wire_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/gofive-go/gofive/api/wire"
)

func TestCodeUnmarshal(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in          string
		wantString  string
		wantInt     int
		wantIntOK   bool
		wantSuccess bool
		wantNumber  bool
	}{
		{`"1000"`, "1000", 1000, true, true, false},
		{`1000`, "1000", 1000, true, true, true},
		{`"4001"`, "4001", 4001, true, false, false},
		{`4002`, "4002", 4002, true, false, true},
		{`" 1000 "`, " 1000 ", 1000, true, true, false},
		{`"E_TIMEOUT"`, "E_TIMEOUT", 0, false, false, false},
		{`""`, "", 0, false, false, false},
		{`1000.0`, "1000.0", 0, false, false, true},
		{`-1`, "-1", -1, true, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			var c wire.Code
			if err := json.Unmarshal([]byte(tt.in), &c); err != nil {
				t.Fatal(err)
			}
			n, ok := c.Int()
			if c.String() != tt.wantString || n != tt.wantInt || ok != tt.wantIntOK ||
				c.IsSuccess() != tt.wantSuccess || c.IsNumber() != tt.wantNumber || c.IsZero() {
				t.Errorf("got String=%q Int=%d,%v IsSuccess=%v IsNumber=%v IsZero=%v",
					c.String(), n, ok, c.IsSuccess(), c.IsNumber(), c.IsZero())
			}
			out, err := json.Marshal(c)
			if err != nil {
				t.Fatal(err)
			}
			if string(out) != tt.in {
				t.Errorf("Marshal = %s, want %s (form kept)", out, tt.in)
			}
		})
	}
}

func TestCodeErrorsAndNull(t *testing.T) {
	t.Parallel()
	for _, in := range []string{`true`, `{"code":1000}`, `[1000]`, `'1000'`, ``, `"x`, `1e`} {
		var c wire.Code
		err := c.UnmarshalJSON([]byte(in))
		if err == nil || !strings.HasPrefix(err.Error(), "wire: ") {
			t.Errorf("UnmarshalJSON(%s) = %v, want a wire error", in, err)
		}
	}
	c := wire.NewCode("1000")
	if err := json.Unmarshal([]byte(`null`), &c); err != nil {
		t.Fatal(err)
	}
	if !c.IsZero() || c.IsSuccess() {
		t.Errorf("null: IsZero=%v IsSuccess=%v", c.IsZero(), c.IsSuccess())
	}
	out, _ := json.Marshal(c)
	if string(out) != "null" {
		t.Errorf("Marshal(null) = %s", out)
	}
}

func TestCodeConstructorsAndEqual(t *testing.T) {
	t.Parallel()
	if got, _ := json.Marshal(wire.NewCode(wire.CodeSuccess)); string(got) != `"1000"` {
		t.Errorf("NewCode marshals %s", got)
	}
	if got, _ := json.Marshal(wire.NumberCode(4001)); string(got) != `4001` {
		t.Errorf("NumberCode marshals %s", got)
	}
	if !wire.NewCode("1000").Equal(wire.NumberCode(1000)) {
		t.Error(`"1000" and 1000 should be Equal`)
	}
	if !cmp.Equal(wire.NewCode("4001"), wire.NumberCode(4001)) {
		t.Error("cmp.Equal should use Code.Equal")
	}
	if wire.NewCode("1000").Equal(wire.Code{}) || wire.NewCode("a").Equal(wire.NewCode("b")) {
		t.Error("unexpected Equal")
	}
	if !wire.NewCode("x").Equal(wire.NewCode("x")) || wire.NewCode(wire.CodeOneError).IsSuccess() ||
		wire.NewCode(wire.CodeManyErrors).IsSuccess() {
		t.Error("unexpected result")
	}
	bad := wire.Code{}
	if err := bad.UnmarshalJSON([]byte("1000")); err != nil {
		t.Fatal(err)
	}
	if _, err := json.Marshal(bad); err != nil {
		t.Errorf("Marshal: %v", err)
	}
}

func TestID(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in        string
		str       string
		i64       int64
		i64Err    bool
		f64       float64
		isNumber  bool
		marshaled string
	}{
		{`67941`, "67941", 67941, false, 67941, true, `67941`},
		{`"67941"`, "67941", 67941, false, 67941, false, `"67941"`},
		{`2140016585`, "2140016585", 2140016585, false, 2140016585, true, `2140016585`},
		{`9007199254740993`, "9007199254740993", 9007199254740993, false, 9007199254740992, true, `9007199254740993`},
		{`"13.7563"`, "13.7563", 0, true, 13.7563, false, `"13.7563"`},
		{`100.5012`, "100.5012", 0, true, 100.5012, true, `100.5012`},
		{`"C000349"`, "C000349", 0, true, 0, false, `"C000349"`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			var id wire.ID
			if err := json.Unmarshal([]byte(tt.in), &id); err != nil {
				t.Fatal(err)
			}
			if id.String() != tt.str || id.IsNumber() != tt.isNumber || id.IsZero() {
				t.Errorf("String=%q IsNumber=%v IsZero=%v", id.String(), id.IsNumber(), id.IsZero())
			}
			n, err := id.Int64()
			if (err != nil) != tt.i64Err || (err == nil && n != tt.i64) {
				t.Errorf("Int64 = %d, %v", n, err)
			}
			f, err := id.Float64()
			if tt.f64 != 0 && (err != nil || f != tt.f64) {
				t.Errorf("Float64 = %v, %v", f, err)
			}
			if tt.f64 == 0 && err == nil {
				t.Errorf("Float64 = %v, want error", f)
			}
			out, err := json.Marshal(id)
			if err != nil || string(out) != tt.marshaled {
				t.Errorf("Marshal = %s, %v; want %s", out, err, tt.marshaled)
			}
			text, _ := id.MarshalText()
			if string(text) != tt.str {
				t.Errorf("MarshalText = %q", text)
			}
		})
	}
}

func TestIDConstructorsNullErrors(t *testing.T) {
	t.Parallel()
	cases := map[string]wire.ID{
		`"abc"`:         wire.StringID("abc"),
		`42`:            wire.IntID(42),
		`-7`:            wire.IntID(-7),
		`13.7563`:       wire.FloatID(13.7563),
		`100`:           wire.FloatID(100),
		`null`:          {},
		`"` + "1" + `"`: wire.StringID("1"),
	}
	for want, id := range cases {
		out, err := json.Marshal(id)
		if err != nil || string(out) != want {
			t.Errorf("Marshal = %s, %v; want %s", out, err, want)
		}
	}
	if wire.StringID("1").Equal(wire.IntID(1)) {
		t.Error(`StringID("1") should not Equal IntID(1): the JSON forms differ`)
	}
	if !cmp.Equal(wire.IntID(5), wire.IntID(5)) {
		t.Error("cmp.Equal(IntID(5), IntID(5)) = false")
	}
	id := wire.IntID(1)
	if err := json.Unmarshal([]byte(`null`), &id); err != nil || !id.IsZero() {
		t.Errorf("null: %v %v", err, id.IsZero())
	}
	for _, in := range []string{`true`, `{}`, `[1]`, ``, `"x`} {
		var id wire.ID
		if err := id.UnmarshalJSON([]byte(in)); err == nil || !strings.HasPrefix(err.Error(), "wire: ") {
			t.Errorf("UnmarshalJSON(%s) = %v, want error", in, err)
		}
	}
	if _, err := json.Marshal(wire.FloatID(nan())); err == nil {
		t.Error("Marshal(FloatID(NaN)) = nil error")
	}
}

func nan() float64 {
	zero := 0.0
	return zero / zero
}

func TestBool(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    bool
		wantErr string
	}{
		{`true`, true, ""},
		{`false`, false, ""},
		{`"true"`, true, ""},
		{`"false"`, false, ""},
		{`"True"`, true, ""},
		{`"False"`, false, ""},
		{`"TRUE"`, true, ""},
		{`"<boolean>"`, false, `"<boolean>"`},
		{`"yes"`, false, `"yes"`},
		{`1`, false, "JSON number"},
		{`{}`, false, "JSON object"},
		{`"` + strings.Repeat("x", 100) + `"`, false, "…"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			var b wire.Bool
			err := json.Unmarshal([]byte(tt.in), &b)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Unmarshal(%s) = %v, want error mentioning %q", tt.in, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if b.Bool() != tt.want {
				t.Errorf("got %v, want %v", b, tt.want)
			}
			out, _ := json.Marshal(b)
			if want := map[bool]string{true: "true", false: "false"}[tt.want]; string(out) != want {
				t.Errorf("Marshal = %s, want %s", out, want)
			}
		})
	}
	b := wire.Bool(true)
	if err := json.Unmarshal([]byte(`null`), &b); err != nil || !b.Bool() {
		t.Errorf("null should leave the value unchanged: %v %v", b, err)
	}
}
