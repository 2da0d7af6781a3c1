package gofivetest

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// A Fault is what the server does instead of (or on top of) serving a request normally. Build
// one with the constructors ([Status], [TooManyRequests], [Latency], [ConnectionReset], …) and
// inject it with [Server.FailNext] or [Server.FailOperation].
//
// By default a fault replaces the request's handling, so the operation has no side effect
// (nothing is created). With [Fault.AfterHandling] the operation runs first and its answer is
// then lost or replaced: the case where a client must not blindly retry a POST.
type Fault struct {
	// Delay is waited first (the request's context is respected).
	Delay time.Duration
	// Status, Header and Body make up the answer; Status 0 means no answer of the fault's
	// own (a pure delay, a reset or a truncation).
	Status int
	Header http.Header
	Body   []byte
	// Reset closes the connection with a TCP reset instead of answering.
	Reset bool
	// Truncate sends the operation's real answer with its full Content-Length but only half
	// of its body, then closes the connection (the operation runs: it has side effects).
	Truncate bool
	// AfterHandler runs the operation before the fault is applied.
	AfterHandler bool

	name string
}

// AfterHandling returns f applied after the operation has run (its side effects happen).
func (f Fault) AfterHandling() Fault { f.AfterHandler = true; return f }

// WithDelay returns f preceded by a delay d.
func (f Fault) WithDelay(d time.Duration) Fault { f.Delay = d; return f }

// String describes the fault for the request log.
func (f Fault) String() string {
	var parts []string
	if f.name != "" {
		parts = append(parts, f.name)
	} else if f.Status != 0 {
		parts = append(parts, "status "+strconv.Itoa(f.Status))
	}
	if f.Delay > 0 && f.name != "latency" {
		parts = append(parts, "after "+f.Delay.String())
	}
	if f.AfterHandler {
		parts = append(parts, "after handling")
	}
	if len(parts) == 0 {
		return "fault"
	}
	return strings.Join(parts, ", ")
}

// answers reports whether the fault replaces the answer (rather than only delaying it).
func (f *Fault) answers() bool { return f.Status != 0 || f.Reset }

// Status answers code with an empty body (e.g. 500, 502, 503).
func Status(code int) Fault {
	return Fault{Status: code, name: fmt.Sprintf("status %d", code)}
}

// TooManyRequests answers 429 with a Retry-After of retryAfter (whole seconds, at least 0)
// and the gateway's rate-limit body {"statusCode":429,"message":"Rate limit is exceeded. …"}.
func TooManyRequests(retryAfter time.Duration) Fault {
	secs := int((retryAfter + time.Second - 1) / time.Second)
	if secs < 0 {
		secs = 0
	}
	body := fmt.Sprintf(`{"statusCode":429,"message":"Rate limit is exceeded. Try again in %d seconds."}`, secs)
	return Fault{
		Status: http.StatusTooManyRequests,
		Header: http.Header{"Retry-After": {strconv.Itoa(secs)}, "Content-Type": {"application/json"}},
		Body:   []byte(body),
		name:   "429 Retry-After " + strconv.Itoa(secs),
	}
}

// ServiceUnavailable answers 503 with a Retry-After of retryAfter (whole seconds) and an
// empty body.
func ServiceUnavailable(retryAfter time.Duration) Fault {
	secs := int((retryAfter + time.Second - 1) / time.Second)
	return Fault{
		Status: http.StatusServiceUnavailable,
		Header: http.Header{"Retry-After": {strconv.Itoa(secs)}},
		name:   "503 Retry-After " + strconv.Itoa(secs),
	}
}

// GatewayError answers status with the gateway's own JSON body, which is not the Gofive
// envelope: {"statusCode":status,"message":message}.
func GatewayError(status int, message string) Fault {
	b := jsonResponse(status, gatewayBody(status, message)).body
	return Fault{
		Status: status,
		Header: http.Header{"Content-Type": {"application/json"}},
		Body:   b,
		name:   fmt.Sprintf("gateway JSON %d", status),
	}
}

// HTMLError answers status with an HTML error page, as a proxy or load balancer in front of
// the API does.
func HTMLError(status int) Fault {
	text := fmt.Sprintf("%d %s", status, http.StatusText(status))
	page := "<!DOCTYPE html>\n<html><head><title>" + text + "</title></head>\n<body><h1>" + text +
		"</h1><p>The server encountered a temporary error and could not complete your request.</p></body></html>\n"
	return Fault{
		Status: status,
		Header: http.Header{"Content-Type": {"text/html; charset=utf-8"}},
		Body:   []byte(page),
		name:   fmt.Sprintf("HTML page %d", status),
	}
}

// Latency delays the request by d, then serves it normally.
func Latency(d time.Duration) Fault { return Fault{Delay: d, name: "latency " + d.String()} }

// ConnectionReset closes the connection with a TCP reset instead of answering.
func ConnectionReset() Fault { return Fault{Reset: true, name: "connection reset"} }

// TruncatedBody serves the request, then sends only half of the response body (with the
// full Content-Length) and closes the connection.
func TruncatedBody() Fault { return Fault{Truncate: true, AfterHandler: true, name: "truncated body"} }

// faultRule is one injected fault and how many more requests it applies to.
type faultRule struct {
	op        string // "" = any operation
	remaining int    // < 0 = until cleared
	fault     Fault
}

// FailNext applies f to the next n requests of any operation (the token endpoint included);
// n <= 0 means every request until [Server.ClearFaults].
func (s *Server) FailNext(n int, f Fault) { s.addFault("", n, f) }

// FailOperation applies f to the next n requests of the operation operationID (e.g.
// "getCustomerByCode"); n <= 0 means every one until [Server.ClearFaults]. Faults for an
// operation take precedence over [Server.FailNext]'s.
func (s *Server) FailOperation(operationID string, n int, f Fault) { s.addFault(operationID, n, f) }

// ClearFaults removes every injected fault.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	s.faults = nil
	s.mu.Unlock()
}

func (s *Server) addFault(op string, n int, f Fault) {
	if n <= 0 {
		n = -1
	}
	s.mu.Lock()
	s.faults = append(s.faults, &faultRule{op: op, remaining: n, fault: f})
	s.mu.Unlock()
}

// takeFault returns the fault for a request of op, if any, and uses it up.
func (s *Server) takeFault(op string) *Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	pick := -1
	for i, r := range s.faults {
		if r.op != "" && r.op == op {
			pick = i
			break
		}
		if r.op == "" && pick < 0 {
			pick = i
		}
	}
	if pick < 0 {
		return nil
	}
	r := s.faults[pick]
	f := r.fault
	if r.remaining > 0 {
		r.remaining--
		if r.remaining == 0 {
			s.faults = append(s.faults[:pick], s.faults[pick+1:]...)
		}
	}
	return &f
}

// status is the HTTP status the fault answers with; res is the operation's answer when it
// ran. 0 means the connection is cut before a status line.
func (f *Fault) status(res *response) int {
	switch {
	case f.Reset:
		return 0
	case f.Status != 0:
		return f.Status
	case res != nil:
		return res.status
	}
	return 0
}

// serve applies the fault; res is the operation's answer when it ran.
func (f *Fault) serve(w http.ResponseWriter, res *response) {
	switch {
	case f.Reset:
		reset(w)
	case f.Truncate && res != nil:
		truncate(w, res)
	case f.Status != 0:
		for k, v := range f.Header {
			w.Header()[k] = v
		}
		body := f.Body
		if body == nil && f.Status >= 400 {
			// No body given: the gateway's own JSON error, the shape the spec documents.
			body = gatewayJSON(f.Status, http.StatusText(f.Status))
			if w.Header().Get("Content-Type") == "" {
				w.Header().Set("Content-Type", "application/json")
			}
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(f.Status)
		_, _ = w.Write(body)
	case res != nil:
		res.write(w)
	}
}

// reset hijacks the connection and closes it with a TCP RST (SO_LINGER 0).
func reset(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		return
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = conn.Close()
}

// truncate writes res's status line and headers, with its full Content-Length, and half of
// its body, then closes the connection.
func truncate(w http.ResponseWriter, res *response) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, buf, err := hj.Hijack()
	if err != nil {
		return
	}
	defer conn.Close()
	ct := res.contentType
	if ct == "" {
		ct = "application/json"
	}
	fmt.Fprintf(buf, "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %d\r\nConnection: close\r\n\r\n",
		res.status, http.StatusText(res.status), ct, len(res.body))
	_, _ = buf.Write(res.body[:len(res.body)/2])
	_ = buf.Flush()
}

// gatewayJSON is the gateway's {statusCode, message} error body, encoded.
func gatewayJSON(status int, message string) []byte {
	b, _ := json.Marshal(gatewayBody(status, message))
	return b
}
