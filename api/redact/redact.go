// Package redact removes known secrets (client secrets, subscription keys,
// bearer tokens) from text that leaves a program: error messages, log
// attributes, command output.
//
// A server may echo a credential back in any of the forms it was sent or
// stored in: raw, percent- or form-encoded, JSON-escaped (any subset of its
// characters as \uXXXX, in either case, or as \/ \" \\), as HTML character
// references (&#43; &#x2B; &plus; &amp; …), or after "Bearer ". Enumerating
// the escaped forms is exponential (each character may or may not be
// escaped), so a Redactor does the reverse: it decodes the text, keeping for
// every decoded byte the span of input it came from, and looks for the raw
// secrets in the decoded text.
//
// # Cost
//
// Nothing is compiled from a secret: [New] builds one Aho–Corasick automaton
// over the raw secrets, in time and memory linear in their total length. A
// call then makes a fixed number of passes over its input (the input as it
// is, and decoded as JSON, percent-encoding, form-encoding, HTML, and the
// pairs of those a server plausibly nests, e.g. a form body quoted in JSON).
// Each pass decodes in one left-to-right scan, each escape of bounded length,
// and runs the automaton once, which is linear in the pass's length
// (amortised over failure links); every match is recorded as one interval
// (the longest pattern ending at that byte), so the output is linear too.
// The total is O(passes × len(input) + total secret length).
//
// # Failure
//
// A Redactor never panics to its caller: should anything go wrong, it
// returns [Placeholder] alone rather than the input (fail closed).
package redact

import (
	"bytes"
	"fmt"
	"html"
	"strings"
	"unicode/utf8"
)

// Placeholder replaces each redacted run of text.
const Placeholder = "[REDACTED]"

// MaxInput is the largest input String and Bytes redact in one piece; a
// larger one is redacted in windows, as a [Writer] does. Redacting n bytes
// in one piece takes up to about 50n bytes of memory (a decoded copy with
// source offsets per pass), when every byte is part of an escape.
const MaxInput = 1 << 20

// expansion bounds how many input bytes one secret byte can take once
// encoded as the decoders below read it, nested two deep: a percent-encoded
// byte with each character JSON-escaped, \u0025\u0032\u0042, is 18. It
// sizes the overlap a Writer keeps between windows.
const expansion = 20

// A Redactor removes a fixed set of secrets, and the value of any
// "Bearer …" credential, from text. It is immutable and safe for concurrent
// use. The zero value and nil redact bearer credentials only.
type Redactor struct {
	ac      *automaton // nil without secrets
	longest int        // length of the longest secret
	newline bool       // a secret contains \n or \r
	closed  bool       // building failed: every text is redacted whole
}

// New returns a Redactor for secrets. Empty strings are ignored. Should
// building fail, the Redactor fails closed: it redacts every text whole.
func New(secrets ...string) (red *Redactor) {
	defer func() {
		if recover() != nil {
			red = &Redactor{closed: true, newline: true}
		}
	}()
	r := &Redactor{}
	var pats [][]byte
	for _, s := range secrets {
		if s == "" {
			continue
		}
		pats = append(pats, []byte(s))
		r.longest = max(r.longest, len(s))
		if strings.ContainsAny(s, "\r\n") {
			r.newline = true
		}
	}
	if len(pats) > 0 {
		r.ac = build(pats)
	}
	return r
}

// String returns s with every secret replaced by [Placeholder].
func (r *Redactor) String(s string) (out string) {
	if s == "" {
		return s
	}
	defer func() {
		if recover() != nil {
			out = Placeholder
		}
	}()
	b := r.redact([]byte(s))
	return string(b)
}

// Bytes returns b with every secret replaced by [Placeholder]. It returns b
// itself when there is nothing to remove, a new slice otherwise.
func (r *Redactor) Bytes(b []byte) (out []byte) {
	if len(b) == 0 {
		return b
	}
	defer func() {
		if recover() != nil {
			out = []byte(Placeholder)
		}
	}()
	return r.redact(b)
}

// Truncated is Bytes for b that is the start of a longer text (a body read
// up to a limit): a secret that begins in b and runs past its end is
// redacted too, from where it begins (in any encoding, an escape cut in
// half included).
func (r *Redactor) Truncated(b []byte) (out []byte) {
	if len(b) == 0 {
		return b
	}
	defer func() {
		if recover() != nil {
			out = []byte(Placeholder)
		}
	}()
	if r != nil && r.closed {
		return []byte(Placeholder)
	}
	if len(b) > MaxInput {
		b = b[:MaxInput]
	}
	cov := r.coverCut(b, true)
	if cov == nil {
		return b
	}
	return apply(b, cov, len(b))
}

func (r *Redactor) redact(b []byte) []byte {
	if r != nil && r.closed {
		return []byte(Placeholder)
	}
	if len(b) > MaxInput {
		var buf bytes.Buffer
		w := NewWriter(&buf, func() *Redactor { return r })
		if _, err := w.Write(b); err != nil {
			panic(err) // cannot happen: a bytes.Buffer does not fail
		}
		if err := w.Flush(); err != nil {
			panic(err)
		}
		return buf.Bytes()
	}
	cov := r.cover(b)
	if cov == nil {
		return b
	}
	return apply(b, cov, len(b))
}

// overlap is how many trailing bytes a Writer keeps back, unwritten, so
// that a secret cut by a window boundary is seen whole in the next window.
func (r *Redactor) overlap() int {
	if r == nil {
		return maxBearerSpan
	}
	return max(expansion*r.longest, maxBearerSpan)
}

// cover returns, for each input byte, a count > 0 if it is to be redacted
// (as a difference array: cover[i] is the change at i), or nil if no byte is.
func (r *Redactor) cover(in []byte) []int32 { return r.coverCut(in, false) }

// coverCut is cover; with cut, in is the start of a longer text, and a
// secret begun at its end is covered too.
func (r *Redactor) coverCut(in []byte, cut bool) []int32 {
	var diff []int32
	mark := func(s, e int32) {
		if s >= e {
			return
		}
		if diff == nil {
			diff = make([]int32, len(in)+1)
		}
		diff[s]++
		diff[e]--
	}
	id := view{b: in}
	r.scan(id, mark, cut, len(in))
	// Each decoded view is made once and reused by the chains built on it.
	var firsts [numDecoders]*view
	for d := range numDecoders {
		if v, ok := decoders[d](id, cut); ok {
			firsts[d] = &v
			r.scan(v, mark, cut, len(in))
		}
	}
	for _, ch := range chains {
		if first := firsts[ch[0]]; first != nil {
			if v, ok := decoders[ch[1]](*first, cut); ok {
				r.scan(v, mark, cut, len(in))
			}
		}
	}
	return diff
}

// scan marks every secret and bearer credential found in v; with cut,
// also a secret's beginning at the end of v, through the input's end n
// (a decoder stops a cut view before an incomplete escape).
func (r *Redactor) scan(v view, mark func(s, e int32), cut bool, n int) {
	if r != nil && r.ac != nil {
		_, tail := r.ac.search(v.b, func(end, n int) {
			mark(v.start(end-n+1), v.end(end))
		})
		if cut && tail > 0 {
			mark(v.start(len(v.b)-tail), int32(n))
		}
	}
	bearerSpans(v.b, func(s, e int) { mark(v.start(s), v.end(e-1)) })
	if cut && len(v.b) > 0 {
		// A view cut short of the input's end (before an incomplete escape)
		// may hide the start of a bearer value there: cover the rest.
		if last := v.end(len(v.b) - 1); int(last) < n {
			mark(last, int32(n))
		}
	}
}

// apply writes in[:n] with every covered run replaced by one Placeholder.
func apply(in []byte, diff []int32, n int) []byte {
	out := make([]byte, 0, n)
	depth := int32(0)
	for i := 0; i < n; i++ {
		was := depth > 0
		depth += diff[i]
		switch {
		case depth > 0 && !was:
			out = append(out, Placeholder...)
		case depth <= 0:
			out = append(out, in[i])
		}
	}
	return out
}

// redactedError is an error whose message is redacted; errors.Is and
// errors.As see the original through Unwrap.
type redactedError struct {
	r   *Redactor
	err error
}

func (e *redactedError) Error() string { return e.r.String(e.err.Error()) }
func (e *redactedError) Unwrap() error { return e.err }

// Error returns err with its message redacted by r; errors.Is and errors.As
// still reach err and the errors it wraps. A nil err stays nil.
func (r *Redactor) Error(err error) error {
	if err == nil {
		return nil
	}
	return &redactedError{r: r, err: err}
}

// Format makes %v of a *Redactor show no secret.
func (r *Redactor) Format(f fmt.State, _ rune) { fmt.Fprint(f, "redact.Redactor") }

// ---- the bearer rule ----

// maxBearerSpan bounds the value taken after "Bearer ": longer is cut there
// (and the rest, if a known token, is still found by the automaton).
const maxBearerSpan = 64 << 10

// bearerSpans calls f(start, end) for each value after "bearer" (any case)
// and at least one space or tab: the run of bytes up to the next space,
// quote, comma, semicolon, angle bracket, ampersand or line end, if it
// looks like a credential (credentialLike). Runs are disjoint
// (each ends at whitespace, and a run starts only after whitespace
// following "bearer"), so the scan is linear.
func bearerSpans(b []byte, f func(s, e int)) {
	const word = "bearer"
	for i := 0; i+len(word) < len(b); i++ {
		if b[i]|0x20 != 'b' || !equalFoldASCII(b[i:i+len(word)], word) {
			continue
		}
		j := i + len(word)
		if b[j] != ' ' && b[j] != '\t' {
			continue
		}
		for j < len(b) && (b[j] == ' ' || b[j] == '\t') {
			j++
		}
		k := j
		for k < len(b) && k-j < maxBearerSpan && !bearerStop(b[k]) {
			k++
		}
		if credentialLike(b[j:k]) {
			f(j, k)
		}
	}
}

// credentialLike tells a bearer value from prose ("a Bearer token, …"):
// 16 bytes or more, or anything but ASCII letters. A known token is found
// by the automaton whatever its shape; this rule is for unknown ones.
func credentialLike(v []byte) bool {
	if len(v) == 0 || bytes.HasPrefix(v, []byte(Placeholder)) {
		return false
	}
	if len(v) >= 16 {
		return true
	}
	for _, c := range v {
		if !('a' <= c|0x20 && c|0x20 <= 'z') {
			return true
		}
	}
	return false
}

func bearerStop(c byte) bool {
	switch c {
	case ' ', '\t', '\r', '\n', '"', '\'', ',', ';', '<', '>', '&':
		return true
	}
	return false
}

func equalFoldASCII(b []byte, lower string) bool {
	for i := range len(lower) {
		if b[i]|0x20 != lower[i] {
			return false
		}
	}
	return true
}

// ---- decoded views ----

// A view is text decoded from the input, with each byte's source span:
// bytes [start(i), end(i)) of the input. Without maps it is the input.
type view struct {
	b      []byte
	lo, hi []int32 // nil for the input itself
}

func (v view) start(i int) int32 {
	if v.lo == nil {
		return int32(i)
	}
	return v.lo[i]
}

func (v view) end(i int) int32 {
	if v.hi == nil {
		return int32(i + 1)
	}
	return v.hi[i]
}

// decoder writes v decoded; ok is false if v has nothing to decode. With
// cut (v is the start of a longer text), it stops before an escape that
// v's end may have cut in half.
type decoder func(v view, cut bool) (view, bool)

const (
	decJSON = iota
	decPercent
	decForm
	decHTML
	numDecoders
)

var decoders = [numDecoders]decoder{decJSON: decodeJSON, decPercent: decodePercent, decForm: decodeForm, decHTML: decodeHTML}

// chains are the nestings decoded: a form or URL quoted in JSON or HTML,
// JSON in HTML or a form, HTML in JSON, JSON text inside a JSON string
// ("\\u002B"), and a URL encoded twice ("%252B").
var chains = [...][2]int{
	{decJSON, decPercent}, {decJSON, decForm}, {decJSON, decHTML}, {decJSON, decJSON},
	{decHTML, decPercent}, {decHTML, decForm}, {decHTML, decJSON},
	{decPercent, decJSON}, {decForm, decJSON}, {decPercent, decPercent}, {decPercent, decForm},
}

// builder accumulates a decoded view.
type builder struct {
	src view
	out view
}

func newBuilder(src view) *builder {
	n := len(src.b)
	return &builder{src: src, out: view{b: make([]byte, 0, n), lo: make([]int32, 0, n), hi: make([]int32, 0, n)}}
}

// emit appends decoded bytes that came from src bytes [i, j).
func (d *builder) emit(i, j int, bs ...byte) {
	s, e := d.src.start(i), d.src.end(j-1)
	for _, c := range bs {
		d.out.b = append(d.out.b, c)
		d.out.lo = append(d.out.lo, s)
		d.out.hi = append(d.out.hi, e)
	}
}

func (d *builder) emitRune(i, j int, r rune) {
	var buf [utf8.UTFMax]byte
	n := utf8.EncodeRune(buf[:], r)
	d.emit(i, j, buf[:n]...)
}

func unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

func hex4(b []byte) (rune, bool) {
	if len(b) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range b[:4] {
		x, ok := unhex(c)
		if !ok {
			return 0, false
		}
		r = r<<4 | rune(x)
	}
	return r, true
}

// decodeJSON undoes JSON string escapes: \uXXXX (either case; surrogate
// pairs joined), \" \\ \/ \b \f \n \r \t.
func decodeJSON(v view, cut bool) (view, bool) {
	b := v.b
	if bytes.IndexByte(b, '\\') < 0 {
		return view{}, false
	}
	d := newBuilder(v)
	for i := 0; i < len(b); {
		if cut && b[i] == '\\' && len(b)-i < 12 {
			break // maybe an escape (or surrogate pair) cut short
		}
		if b[i] != '\\' || i+1 >= len(b) {
			d.emit(i, i+1, b[i])
			i++
			continue
		}
		switch c := b[i+1]; c {
		case '"', '\\', '/':
			d.emit(i, i+2, c)
			i += 2
		case 'b', 'f', 'n', 'r', 't':
			d.emit(i, i+2, shortEscape(c))
			i += 2
		case 'u':
			r, ok := hex4(b[i+2:])
			if !ok {
				d.emit(i, i+1, b[i])
				i++
				continue
			}
			j := i + 6
			if 0xD800 <= r && r < 0xDC00 && j+1 < len(b) && b[j] == '\\' && b[j+1] == 'u' {
				if r2, ok := hex4(b[j+2:]); ok && 0xDC00 <= r2 && r2 < 0xE000 {
					r = 0x10000 + (r-0xD800)<<10 + (r2 - 0xDC00)
					j += 6
				}
			}
			d.emitRune(i, j, r)
			i = j
		default:
			d.emit(i, i+1, b[i])
			i++
		}
	}
	return d.out, true
}

func shortEscape(c byte) byte {
	switch c {
	case 'b':
		return '\b'
	case 'f':
		return '\f'
	case 'n':
		return '\n'
	case 'r':
		return '\r'
	}
	return '\t'
}

func decodePercent(v view, cut bool) (view, bool) { return decodeURL(v, false, cut) }
func decodeForm(v view, cut bool) (view, bool)    { return decodeURL(v, true, cut) }

// decodeURL undoes %XX escapes (either case) and, in a form, + for space.
func decodeURL(v view, form, cut bool) (view, bool) {
	b := v.b
	if bytes.IndexByte(b, '%') < 0 && (!form || bytes.IndexByte(b, '+') < 0) {
		return view{}, false
	}
	d := newBuilder(v)
	for i := 0; i < len(b); {
		if cut && b[i] == '%' && len(b)-i < 3 {
			break
		}
		switch {
		case b[i] == '%' && i+2 < len(b):
			hi, ok1 := unhex(b[i+1])
			lo, ok2 := unhex(b[i+2])
			if ok1 && ok2 {
				d.emit(i, i+3, hi<<4|lo)
				i += 3
				continue
			}
		case form && b[i] == '+':
			d.emit(i, i+1, ' ')
			i++
			continue
		}
		d.emit(i, i+1, b[i])
		i++
	}
	return d.out, true
}

// maxEntity bounds the length of an HTML character reference decoded:
// the longest named one is 33 bytes, &#x10FFFF; is 10.
const maxEntity = 33

// decodeHTML undoes HTML character references: numeric (&#43; &#x2B;, the
// semicolon optional, at most 7 digits) and named with a semicolon (&plus;).
func decodeHTML(v view, cut bool) (view, bool) {
	b := v.b
	if bytes.IndexByte(b, '&') < 0 {
		return view{}, false
	}
	d := newBuilder(v)
	for i := 0; i < len(b); {
		if cut && b[i] == '&' && len(b)-i <= maxEntity {
			break
		}
		if b[i] == '&' {
			if j, r, ok := htmlRef(b[i:]); ok {
				d.emitString(i, i+j, r)
				i += j
				continue
			}
		}
		d.emit(i, i+1, b[i])
		i++
	}
	return d.out, true
}

func (d *builder) emitString(i, j int, s string) { d.emit(i, j, []byte(s)...) }

// htmlRef decodes the character reference at the start of b ("&…"): its
// length and text.
func htmlRef(b []byte) (int, string, bool) {
	if len(b) < 3 {
		return 0, "", false
	}
	if b[1] == '#' {
		i, base := 2, rune(10)
		if b[2] == 'x' || b[2] == 'X' {
			i, base = 3, 16
		}
		start := i
		var r rune
		for i < len(b) && i-start < 7 {
			x, ok := unhex(b[i])
			if !ok || (base == 10 && x > 9) {
				break
			}
			r = r*base + rune(x)
			i++
		}
		if i == start {
			return 0, "", false
		}
		if i < len(b) && b[i] == ';' {
			i++
		}
		if r > utf8.MaxRune {
			r = utf8.RuneError
		}
		return i, string(r), true
	}
	end := bytes.IndexByte(b[1:min(len(b), maxEntity)], ';')
	if end <= 0 {
		return 0, "", false
	}
	ref := string(b[:end+2])
	for _, c := range ref[1 : len(ref)-1] {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			return 0, "", false
		}
	}
	if s := html.UnescapeString(ref); s != ref {
		return len(ref), s, true
	}
	return 0, "", false
}
