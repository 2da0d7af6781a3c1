package redact

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// punctuation builds an n-byte token of the kind in the report: all
// punctuation, so every byte is escaped by some encoder.
func punctuation(n int) string {
	const set = "!#$%&'()*+,-./:;<=>?@[]^_`{|}~"
	rng := rand.New(rand.NewPCG(7, uint64(n)))
	b := make([]byte, n)
	for i := range b {
		b[i] = set[rng.IntN(len(set))]
	}
	return string(b)
}

// BenchmarkNew is the per-token cost: building the automaton.
func BenchmarkNew(b *testing.B) {
	for _, n := range []int{100_000, 1 << 20} {
		tok := punctuation(n)
		b.Run(size(n), func(b *testing.B) {
			b.SetBytes(int64(n))
			for b.Loop() {
				New("client-secret", "subscription-key", tok)
			}
		})
	}
}

// BenchmarkString is the cost of redacting an error body that echoes the
// token, JSON-escaped, once the Redactor exists.
func BenchmarkString(b *testing.B) {
	for _, n := range []int{100_000, 1 << 20} {
		tok := punctuation(n)
		r := New("client-secret", "subscription-key", tok)
		enc := jsonEscape(tok, func(c rune) bool { return c == '+' || c == '<' || c == '&' }, true, nil)
		in := `{"error":"invalid_token","error_description":"Bearer ` + enc + `"}`
		b.Run(size(n), func(b *testing.B) {
			b.SetBytes(int64(len(in)))
			for b.Loop() {
				if out := r.String(in); strings.Contains(out, tok[:64]) {
					b.Fatal("leak")
				}
			}
		})
	}
}

// BenchmarkStringNoMatch is the common case: a small error body, no secret.
func BenchmarkStringNoMatch(b *testing.B) {
	r := New("client-secret", "subscription-key", punctuation(2000))
	in := `{"status":{"code":"4001","description":"Customer not found"},"data":null}`
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		r.String(in)
	}
}

func size(n int) string {
	if n >= 1<<20 {
		return "1MiB"
	}
	return "100k"
}
