package api

import (
	"log/slog"
	"net/http"
	"sync/atomic"

	"github.com/gofive-go/gofive/api/redact"
)

// redactor is a Client's redaction: its fixed credentials (client secret,
// subscription key, static token) plus the bearer tokens it handed out
// recently. The engine is package redact; this keeps one redact.Redactor
// for the current set of tokens and builds a new one (once, in time linear
// in the secrets' length) when they change.
//
// Every string that leaves the package passes through it: APIError,
// DecodeError, TokenError and transport errors (in Error() and in the
// exported fields), and log attributes.
type redactor struct {
	static []string
	tokens func() []*secret // the bearer tokens recently handed out; set once by newClient
	cur    atomic.Pointer[builtRedactor]
}

// builtRedactor is the engine for one set of tokens.
type builtRedactor struct {
	tokens []*secret
	r      *redact.Redactor
}

// secret is one access token handed out (compared by identity: the token
// manager makes one per token).
type secret struct{ raw string }

func newSecret(s string) *secret { return &secret{raw: s} }

func newRedactor(secrets ...string) *redactor {
	r := &redactor{}
	for _, s := range secrets {
		if s != "" {
			r.static = append(r.static, s)
		}
	}
	return r
}

// current returns the engine for the credentials known now. A nil
// redactor (no Client, so no secret known) gives a nil *redact.Redactor,
// which removes echoed bearer values only; every method of redactor is
// thus safe on nil.
func (r *redactor) current() *redact.Redactor {
	if r == nil {
		return nil
	}
	var toks []*secret
	if r.tokens != nil {
		toks = r.tokens()
	}
	if b := r.cur.Load(); b != nil && sameSecrets(b.tokens, toks) {
		return b.r
	}
	all := append([]string(nil), r.static...)
	for _, t := range toks {
		all = append(all, t.raw)
	}
	b := &builtRedactor{tokens: toks, r: redact.New(all...)}
	r.cur.Store(b)
	return b.r
}

func sameSecrets(a, b []*secret) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func (r *redactor) string(s string) string {
	if s == "" {
		return s
	}
	return r.current().String(s)
}

func (r *redactor) bytes(b []byte) []byte {
	if len(b) == 0 {
		return b
	}
	return r.current().Bytes(b)
}

// err returns err with a redact.Placeholder message; errors.Is and errors.As still
// see err and its chain.
func (r *redactor) err(err error) error { return r.current().Error(err) }

// Redactor returns the engine that removes c's credentials (client secret,
// subscription key and the bearer tokens c handed out recently) from text,
// for output that does not pass through c's own errors and logs: e.g. a
// [redact.Writer] around a program's output, or
// spec.WithRedactor(c.Redactor()) for validation messages. Call it again
// after a token renewal to include the new token.
func (c *Client) Redactor() *redact.Redactor { return c.redact.current() }

// redactTransport redacts the errors of the transport under it, for
// callers of [Client.HTTPClient] (net/http quotes server bytes into errors:
// a malformed status line, header or Content-Length).
type redactTransport struct {
	base   http.RoundTripper
	redact *redactor
}

func (t *redactTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(req)
	if err != nil {
		return resp, t.redact.err(err)
	}
	return resp, nil
}

// redactAttrs redacts every string value among attrs (groups included);
// other kinds hold no text a server sent. r is the engine of the moment
// (redactor.current), looked up once per record rather than once per value.
func redactAttrs(r *redact.Redactor, attrs []slog.Attr) []slog.Attr {
	for i, a := range attrs {
		switch v := a.Value.Resolve(); v.Kind() {
		case slog.KindString:
			attrs[i].Value = slog.StringValue(r.String(v.String()))
		case slog.KindGroup:
			attrs[i].Value = slog.GroupValue(redactAttrs(r, append([]slog.Attr(nil), v.Group()...))...)
		case slog.KindAny:
			if e, ok := v.Any().(error); ok {
				attrs[i].Value = slog.StringValue(r.String(e.Error()))
			} else {
				attrs[i].Value = slog.StringValue(r.String(v.String()))
			}
		}
	}
	return attrs
}

// redacted replaces each secret.
const redacted = redact.Placeholder
