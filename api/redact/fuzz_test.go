package redact

import (
	"bytes"
	"net/url"
	"sort"
	"strings"
	"testing"
)

// maxFuzzSecret is the largest secret the fuzz targets build: x/oauth2
// accepts a token response of up to 1 MiB.
const maxFuzzSecret = 1 << 20

// fuzzSecret stretches seed to n bytes (at most 1 MiB), so the fuzzer
// reaches large secrets without mutating megabytes.
func fuzzSecret(seed string, n uint32) string {
	if seed == "" {
		return ""
	}
	n %= maxFuzzSecret + 1
	if int(n) <= len(seed) {
		return seed
	}
	return strings.Repeat(seed, int(n)/len(seed)+1)[:n]
}

// FuzzRedact echoes a random secret (up to 1 MiB) in one of the encodings a
// server may use and checks that nothing of it survives and nothing panics.
func FuzzRedact(f *testing.F) {
	f.Add("AbCdEf0123+GhIjKl4567/MnOpQrStUv==", uint32(0), uint8(0))
	f.Add(`!"#$%&'()*+,-./:;<=>?@[\]^_`+"`{|}~", uint32(300_000), uint8(3))
	f.Add("ključ-🔑", uint32(100), uint8(7))
	f.Fuzz(func(t *testing.T, seed string, n uint32, which uint8) {
		secret := fuzzSecret(seed, n)
		if secret == "" {
			return
		}
		names := make([]string, 0, len(encoders))
		for name := range encoders {
			names = append(names, name)
		}
		sort.Strings(names)
		name := names[int(which)%len(names)]
		enc, ok := encoders[name](secret)
		if !ok {
			return
		}
		in := "x: " + enc + " y"
		out := New(secret).String(in)
		if out == "x: "+Placeholder+" y" {
			return
		}
		if strings.Contains(out, secret) || strings.Contains(out, enc) {
			t.Fatalf("%s form of a %d-byte secret survived: %.200q", name, len(secret), out)
		}
	})
}

// FuzzWriter checks that a Writer, fed in random pieces, writes exactly
// what String returns for the whole input: holding back and cutting never
// lets a secret through nor changes the result. And neither panics.
func FuzzWriter(f *testing.F) {
	f.Add("s3cret+key", "pre s3cret%2Bkey post\nBearer abc\\u002Bdef\n s3cret\\u002bkey", uint8(3))
	f.Add("line\nbreak", "a line\nbreak b", uint8(1))
	f.Add("", "Authorization: bearer tok\n", uint8(2))
	f.Fuzz(func(t *testing.T, secret, input string, piece uint8) {
		r := New(secret)
		want := r.String(input)
		var out bytes.Buffer
		w := NewWriter(&out, func() *Redactor { return r })
		size := int(piece)%17 + 1
		for s := input; len(s) > 0; {
			k := min(size, len(s))
			if _, err := w.Write([]byte(s[:k])); err != nil {
				t.Fatal(err)
			}
			s = s[k:]
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		if out.String() != want {
			t.Fatalf("Writer wrote %q, String gives %q", out.String(), want)
		}
		if secret != "" && strings.Contains(input, url.QueryEscape(secret)) && strings.Contains(want, url.QueryEscape(secret)) &&
			!strings.Contains(Placeholder, secret) && len(secret) > 2*len(Placeholder) {
			t.Fatalf("query-escaped secret survived: %q", want)
		}
	})
}
