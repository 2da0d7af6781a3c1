package redact

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"math/rand/v2"
	"net/url"
	"os"
	"strings"
	"testing"
	"unicode/utf8"
)

// Synthetic credentials, chosen for the characters encoders change.
var testSecrets = []string{
	"AbCdEf0123+GhIjKl4567/MnOpQrStUv==",                 // base64 with + / =
	`pass word&<>"'\%25;#x2B`,                            // every escape's own characters
	"ključ-秘密-🔑-key",                                     // multi-byte, one above the BMP
	strings.Repeat("!#$%&'()*+,-./:;<=>?@[]^_`{|}~", 10), // 300 bytes of punctuation
}

// encodings are the forms a server may echo a secret in.
func encodings(s string) map[string]string {
	m := make(map[string]string)
	for name, enc := range encoders {
		if e, ok := enc(s); ok {
			m[name] = e
		}
	}
	return m
}

// encoders write a secret in one echo form; ok is false if the form cannot
// hold it (JSON and HTML of invalid UTF-8).
var encoders = map[string]func(s string) (string, bool){
	"raw":   func(s string) (string, bool) { return s, true },
	"query": func(s string) (string, bool) { return url.QueryEscape(s), true },
	"path":  func(s string) (string, bool) { return url.PathEscape(s), true },
	"json-upper": utf8Only(func(s string) string {
		return jsonEscape(s, func(rune) bool { return true }, true, nil)
	}),
	"json-lower": utf8Only(func(s string) string {
		return jsonEscape(s, func(rune) bool { return true }, false, nil)
	}),
	"json-subset": utf8Only(func(s string) string {
		rng := rand.New(rand.NewPCG(1, uint64(len(s))))
		return jsonEscape(s, func(rune) bool { return rng.IntN(2) == 0 }, false, rng)
	}),
	"json-punct": utf8Only(func(s string) string { // System.Text.Json style
		return jsonEscape(s, func(c rune) bool { return c < 0x80 && !isAlnum(c) }, true, nil)
	}),
	"json-stdlib": utf8Only(func(s string) string {
		b, _ := json.Marshal(s)
		return string(b[1 : len(b)-1])
	}),
	"html-decimal":  utf8Only(func(s string) string { return htmlRefs(s, "&#%d;") }),
	"html-hex":      utf8Only(func(s string) string { return htmlRefs(s, "&#x%X;") }),
	"html-hex-nosc": utf8Only(func(s string) string { return htmlRefs(s, "&#x%x") }),
	"html-std":      func(s string) (string, bool) { return html.EscapeString(s), true },
	"html-named": func(s string) (string, bool) {
		return strings.NewReplacer("+", "&plus;", "/", "&sol;", "=", "&equals;", "&", "&amp;", "<", "&lt;", "%", "&percnt;").Replace(s), true
	},
	"form-in-json": func(s string) (string, bool) {
		return jsonEscape(url.QueryEscape(s), func(c rune) bool { return c == '%' || c == '+' }, true, nil), true
	},
	"query-in-html": func(s string) (string, bool) { return html.EscapeString(url.QueryEscape(s)), true },
	"json-twice": utf8Only(func(s string) string { // JSON text inside a JSON string
		return strings.ReplaceAll(jsonEscape(s, func(rune) bool { return true }, false, nil), `\`, `\\`)
	}),
	"query-twice": func(s string) (string, bool) { return url.QueryEscape(url.QueryEscape(s)), true },
	"json-in-html": utf8Only(func(s string) string {
		return html.EscapeString(jsonEscape(s, func(c rune) bool { return c == '+' || c == '"' }, true, nil))
	}),
}

func utf8Only(f func(string) string) func(string) (string, bool) {
	return func(s string) (string, bool) {
		if !utf8.ValidString(s) {
			return "", false
		}
		return f(s), true
	}
}

func isAlnum(c rune) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// jsonEscape writes s as a JSON string body with the runes pick chooses as
// \uXXXX escapes (mixed case when rng is set).
func jsonEscape(s string, pick func(rune) bool, upper bool, rng *rand.Rand) string {
	var b strings.Builder
	for _, c := range s {
		if !pick(c) && c != '"' && c != '\\' && c >= 0x20 {
			b.WriteRune(c)
			continue
		}
		var units []rune
		if c > 0xFFFF {
			c -= 0x10000
			units = []rune{0xD800 + c>>10, 0xDC00 + c&0x3FF}
		} else {
			units = []rune{c}
		}
		for _, u := range units {
			h := fmt.Sprintf("%04x", u)
			if upper || (rng != nil && rng.IntN(2) == 0) {
				h = strings.ToUpper(h)
			}
			b.WriteString(`\u` + h)
		}
	}
	return b.String()
}

func htmlRefs(s, format string) string {
	var b strings.Builder
	for _, c := range s {
		fmt.Fprintf(&b, format, c)
	}
	return b.String()
}

func TestEveryEncoding(t *testing.T) {
	r := New(testSecrets...)
	for _, secret := range testSecrets {
		for name, enc := range encodings(secret) {
			for _, frame := range []struct{ before, after string }{
				{`{"echo":"`, `"}`},
				{"client_secret=", "&grant_type=client_credentials"},
				{"<p>", "</p>"},
				{"", ""},
			} {
				in := frame.before + enc + frame.after
				want := frame.before + Placeholder + frame.after
				if got := r.String(in); got != want {
					t.Errorf("%s of %.20q in %q…:\n got %.200q\nwant %.200q", name, secret, frame.before, got, want)
				}
			}
		}
	}
}

func TestBearerWithoutKnownToken(t *testing.T) {
	tests := map[string]string{
		`Authorization: Bearer abc.def-ghi`:                               `Authorization: Bearer [REDACTED]`,
		`{"auth":"bearer AbCd+GhIj/Kl=="}`:                                `{"auth":"bearer [REDACTED]"}`,
		`{"auth":"Bearer AbCdEf0123\u002BGhIjKl4567/MnOpQrStUv==","x":1}`: `{"auth":"Bearer [REDACTED]","x":1}`,
		`BEARER	tok1; next`:                                               `BEARER	[REDACTED]; next`,
		`Bearer [REDACTED]`:                                               `Bearer [REDACTED]`,
		`a bearer, not a token`:                                           `a bearer, not a token`,
	}
	for in, want := range tests {
		for _, r := range []*Redactor{nil, New(), New("unrelated-secret")} {
			if got := r.String(in); got != want {
				t.Errorf("String(%q) = %q, want %q", in, got, want)
			}
		}
	}
}

// The report: a JSON-escaped + left part of the token behind.
func TestPartialTokenJSONEscaped(t *testing.T) {
	tok := "AbCdEf0123+GhIjKl4567/MnOpQrStUv=="
	in := `{"message":"bad header Authorization: Bearer AbCdEf0123\u002BGhIjKl4567\/MnOpQrStUv=="}`
	got := New(tok).String(in)
	if strings.Contains(got, "GhIjKl4567") || strings.Contains(got, "AbCdEf0123") {
		t.Fatalf("token left behind: %s", got)
	}
}

func TestNothingToRedact(t *testing.T) {
	r := New(testSecrets...)
	for _, in := range []string{"", "plain text", `{"a":"\u0041&amp;%41"}`, strings.Repeat("é&#;%\\u", 1000)} {
		if got := r.String(in); got != in {
			t.Errorf("String(%.40q) changed it to %.40q", in, got)
		}
	}
	b := []byte("nothing here")
	if got := r.Bytes(b); &got[0] != &b[0] {
		t.Error("Bytes copied an input it did not change")
	}
}

func TestAdjacentAndOverlapping(t *testing.T) {
	r := New("abcd", "cdef", "bc")
	for in, want := range map[string]string{
		"xabcdefx": "x[REDACTED]x",
		"abcdabcd": "[REDACTED]",
		"xbcx":     "x[REDACTED]x",
		"abc":      "a[REDACTED]",
	} {
		if got := r.String(in); got != want {
			t.Errorf("String(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestErrorWrapperKeepsChain(t *testing.T) {
	inner := fmt.Errorf("dial: server said %q: %w", "s3cret-key", os.ErrDeadlineExceeded)
	err := New("s3cret-key").Error(inner)
	if strings.Contains(err.Error(), "s3cret") {
		t.Fatalf("Error() = %q", err)
	}
	if !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatal("errors.Is lost the cause")
	}
	if New("x").Error(nil) != nil {
		t.Fatal("Error(nil) != nil")
	}
	if s := fmt.Sprintf("%v %+v", New("s3cret-key"), New("s3cret-key")); strings.Contains(s, "s3cret") {
		t.Fatalf("a Redactor printed its secret: %s", s)
	}
}

// A panic inside the engine fails closed.
func TestPanicFailsClosed(t *testing.T) {
	r := &Redactor{ac: &automaton{}, longest: 3} // no states: indexing panics
	if got := r.String("the secret is here"); got != Placeholder {
		t.Fatalf("String = %q, want %q", got, Placeholder)
	}
	if got := string(r.Bytes([]byte("the secret is here"))); got != Placeholder {
		t.Fatalf("Bytes = %q, want %q", got, Placeholder)
	}
	var out bytes.Buffer
	w := NewWriter(&out, func() *Redactor { return r })
	fmt.Fprint(w, "the secret is here\n")
	if out.String() != Placeholder {
		t.Fatalf("Writer wrote %q, want %q", out.String(), Placeholder)
	}
	// A Redactor that failed to build redacts everything.
	closed := &Redactor{closed: true, newline: true}
	if got := closed.String("anything"); got != Placeholder {
		t.Fatalf("closed String = %q", got)
	}
	if got := string(closed.Truncated([]byte("anything"))); got != Placeholder {
		t.Fatalf("closed Truncated = %q", got)
	}
}

func TestWriterHoldsBackSplitSecrets(t *testing.T) {
	secret := "AbCdEf0123+GhIjKl4567/MnOpQrStUv=="
	r := New(secret)
	for name, enc := range encodings(secret) {
		in := "line one\nthe key is " + enc + " ok\n" + "tail " + enc
		// Write one byte at a time: every split point is tried.
		var out bytes.Buffer
		w := NewWriter(&out, func() *Redactor { return r })
		for i := range len(in) {
			if _, err := w.Write([]byte{in[i]}); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		want := "line one\nthe key is [REDACTED] ok\ntail [REDACTED]"
		if out.String() != want {
			t.Errorf("%s: wrote %q, want %q", name, out.String(), want)
		}
	}
}

func TestWriterLongLine(t *testing.T) {
	secret := strings.Repeat("k", 1000) + "+/="
	r := New(secret)
	enc := jsonEscape(secret, func(rune) bool { return true }, true, nil)
	// A line longer than the window, with secrets straddling window ends.
	var in strings.Builder
	for in.Len() < 4*minWindow {
		in.WriteString(strings.Repeat("x", 777) + enc)
	}
	var out bytes.Buffer
	w := NewWriter(&out, func() *Redactor { return r })
	s := in.String()
	for len(s) > 0 {
		n := min(len(s), 4096+len(s)%3)
		w.Write([]byte(s[:n]))
		s = s[n:]
	}
	w.Flush()
	if want := strings.ReplaceAll(in.String(), enc, Placeholder); out.String() != want {
		t.Fatalf("output differs: %d bytes, want %d; leak: %v", out.Len(), len(want), strings.Contains(out.String(), `\u006B\u006B`))
	}
}

func TestLargeInputInWindows(t *testing.T) {
	secret := "AbCdEf0123+GhIjKl4567/MnOpQrStUv=="
	in := strings.Repeat("y", MaxInput-10) + url.QueryEscape(secret) + strings.Repeat("z", 100)
	got := New(secret).String(in)
	if want := strings.Repeat("y", MaxInput-10) + Placeholder + strings.Repeat("z", 100); got != want {
		t.Fatalf("large input not redacted right (len %d, want %d)", len(got), len(want))
	}
}

// Linearity, checked by counting: the automaton makes fewer failure steps
// than it reads bytes, on the inputs that make naive matchers quadratic.
func TestSearchIsLinear(t *testing.T) {
	for _, n := range []int{100_000, 1 << 20} {
		secret := strings.Repeat("a", n-1) + "b"
		a := build([][]byte{[]byte(secret), []byte("aab"), []byte("ab")})
		text := []byte(strings.Repeat("a", 2*n) + "b" + strings.Repeat("ab", n))
		steps, _ := a.search(text, func(int, int) {})
		if steps > len(text) {
			t.Errorf("n=%d: %d failure steps for %d bytes", n, steps, len(text))
		}
	}
}

func TestValidUTF8Output(t *testing.T) {
	r := New("秘密")
	got := r.String("前秘密後")
	if !utf8.ValidString(got) || got != "前[REDACTED]後" {
		t.Fatalf("got %q", got)
	}
}

// A body read up to a limit can end inside a secret: Truncated redacts the
// part that is there, whatever the encoding and wherever the cut.
func TestTruncatedEndsInsideSecret(t *testing.T) {
	secret := "AbCdEfGh+IjKlMnOp/QrStUvWx=" + strings.Repeat("yZ0+/", 20)
	r := New(secret)
	for name, enc := range encodings(secret) {
		in := `{"message":"echo ` + enc
		for cut := len(in) - len(enc) + 1; cut < len(in); cut++ {
			got := string(r.Truncated([]byte(in[:cut])))
			if !strings.HasPrefix(got, `{"message":"echo `) || strings.Contains(got, "AbCd") || strings.Contains(got, `\u0041`) || strings.Contains(got, "&#65") {
				t.Errorf("%s cut at %d: %q", name, cut, got)
				break
			}
		}
	}
	// Without a cut, a secret's beginning is just text.
	if got := r.String("AbCdEfGh"); got != "AbCdEfGh" {
		t.Errorf("String redacted a mere prefix: %q", got)
	}
}
