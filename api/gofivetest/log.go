package gofivetest

import "time"

// A Request is one entry of the server's request log, for assertions. It never holds a
// credential: the token endpoint's body (which carries the client secret) is not kept, and
// of the Authorization and subscription-key headers only their presence is.
type Request struct {
	// Seq numbers the requests from 1, in the order they were answered (an entry is logged
	// just before its answer is written).
	Seq  int
	Time time.Time
	// Method, Path and Query (the raw query string) as received.
	Method string
	Path   string
	Query  string
	// OperationID is the spec operation the request matched; empty when none.
	OperationID string
	// Body is the request body (nil for the token endpoint).
	Body []byte
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

func (s *Server) record(e Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e.Seq = len(s.log) + 1
	s.log = append(s.log, e)
}

// Requests returns the request log, oldest first.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.log...)
}

// RequestsFor returns the logged requests of one operation, oldest first.
func (s *Server) RequestsFor(operationID string) []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Request
	for _, e := range s.log {
		if e.OperationID == operationID {
			out = append(out, e)
		}
	}
	return out
}

// Count returns how many requests of operationID the server has received.
func (s *Server) Count(operationID string) int { return len(s.RequestsFor(operationID)) }

// ResetRequests empties the request log.
func (s *Server) ResetRequests() {
	s.mu.Lock()
	s.log = nil
	s.mu.Unlock()
}
