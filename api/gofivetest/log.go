package gofivetest

import (
	"bytes"
	"net/url"
	"strings"
	"time"
)

// A Request is one entry of the server's request log, for assertions. It never holds a
// credential: the token endpoint's body (which carries the client secret) is not kept, the
// body of a request is kept only once it was authenticated and matched an operation, of
// the Authorization and subscription-key headers only their presence is kept, and the
// server's own credentials are masked wherever else they appear (the query string, a body).
type Request struct {
	// Seq numbers the requests from 1, in the order they were answered (an entry is logged
	// just before its answer is written). It keeps counting when old entries are dropped or
	// the log is reset.
	Seq  int
	Time time.Time
	// Method, Path and Query (the raw query string, credentials masked) as received.
	Method string
	Path   string
	Query  string
	// OperationID is the spec operation the request matched; empty when none.
	OperationID string
	// Body is the request body of an authenticated request to an operation, at most
	// [MaxLoggedBodyBytes] of it (BodyTruncated then says so); nil otherwise (the token
	// endpoint, a request that was not authenticated or matched no operation).
	Body          []byte
	BodyTruncated bool
	// HasToken and HasSubscriptionKey tell whether the credentials headers were present.
	HasToken           bool
	HasSubscriptionKey bool
	// Status is the HTTP status answered; 0 when the connection was cut before a status line.
	Status int
	// Fault describes the injected fault applied to the request; empty when none.
	Fault string
	// Problems lists the spec violations a 400 answer reported.
	Problems []string
}

// DefaultRequestLogSize is how many requests the log keeps unless [WithRequestLogSize]
// says otherwise.
const DefaultRequestLogSize = 1000

// MaxLoggedBodyBytes bounds the body kept in one log entry, so that the log's memory is
// bounded by its size times this.
const MaxLoggedBodyBytes = 64 << 10

// requestLog is a ring of the last size entries.
type requestLog struct {
	entries []Request
	oldest  int // index of the oldest entry once the ring is full
	seq     int
	size    int
}

func (l *requestLog) add(e Request) {
	l.seq++
	e.Seq = l.seq
	if len(l.entries) < l.size {
		l.entries = append(l.entries, e)
		return
	}
	l.entries[l.oldest] = e
	l.oldest = (l.oldest + 1) % l.size
}

// all returns the entries oldest first, in a new slice.
func (l *requestLog) all() []Request {
	out := make([]Request, 0, len(l.entries))
	out = append(out, l.entries[l.oldest:]...)
	return append(out, l.entries[:l.oldest]...)
}

func (l *requestLog) reset() { l.entries, l.oldest = nil, 0 }

func (s *Server) record(e Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.log.add(e)
}

// Requests returns the request log, oldest first.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.log.all()
}

// RequestsFor returns the logged requests of one operation, oldest first.
func (s *Server) RequestsFor(operationID string) []Request {
	var out []Request
	for _, e := range s.Requests() {
		if e.OperationID == operationID {
			out = append(out, e)
		}
	}
	return out
}

// Count returns how many requests of operationID the log holds.
func (s *Server) Count(operationID string) int { return len(s.RequestsFor(operationID)) }

// ResetRequests empties the request log.
func (s *Server) ResetRequests() {
	s.mu.Lock()
	s.log.reset()
	s.mu.Unlock()
}

// credentialParams are query parameters that carry credentials by name (APIM accepts the
// subscription key as subscription-key; OAuth clients put tokens and secrets in forms).
var credentialParams = []string{"subscription-key", "ocp-apim-subscription-key", "client_secret", "access_token", "token", "secret", "password"}

// maskedQuery returns the raw query with the values of credential parameters, and the
// server's own credentials and the request's token anywhere, masked.
func (s *Server) maskedQuery(raw, token string) string {
	if raw == "" {
		return ""
	}
	q, err := url.ParseQuery(raw)
	if err == nil {
		changed := false
		for k := range q {
			for _, name := range credentialParams {
				if strings.EqualFold(k, name) {
					q[k] = []string{"[REDACTED]"}
					changed = true
				}
			}
		}
		if changed {
			raw = q.Encode()
		}
	}
	return string(s.mask([]byte(raw), token))
}

// mask replaces the server's credentials and the request's bearer token, raw or escaped,
// in b. The credentials are fixed at construction, so no lock is needed.
func (s *Server) mask(b []byte, token string) []byte {
	for _, sec := range []string{s.ClientSecret, s.SubscriptionKey, token} {
		if sec == "" {
			continue
		}
		for _, form := range []string{sec, url.QueryEscape(sec), url.PathEscape(sec)} {
			if bytes.Contains(b, []byte(form)) {
				b = bytes.ReplaceAll(b, []byte(form), []byte("[REDACTED]"))
			}
		}
	}
	return b
}
