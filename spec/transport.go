package spec

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"sync"
)

// A ValidatingTransport is an http.RoundTripper that checks every request it sends and every
// response it receives against the embedded spec. It is for tests: it buffers whole bodies
// and validates each call (see BenchmarkValidatingTransport for the cost).
//
// In the default fail-fast mode an invalid request is not sent and an invalid response is
// dropped: RoundTrip returns a [ValidationErrors] holding the first problem (http.Client
// wraps it in a *url.Error; errors.As finds it). With [Collect] traffic is never changed; the
// problems are kept for [ValidatingTransport.Problems] and given to [ReportTo] / [OnProblem].
//
// Put it where the wire is: below the layer that adds credentials, e.g. as the transport of
// the *http.Client handed to the SDK, so that it sees the requests exactly as sent. Response
// bodies that fail to arrive whole (a reset connection, a truncated body) are passed on
// unvalidated with their error: that is the caller's failure to handle, not a spec violation.
type ValidatingTransport struct {
	base http.RoundTripper
	v    *Validator

	mu       sync.Mutex
	problems ValidationErrors
}

// NewValidatingTransport returns a ValidatingTransport sending through base
// (http.DefaultTransport when nil). It panics if the embedded spec does not load, which its
// own tests rule out; use [NewValidator] and [Validator.Transport] to get an error instead.
func NewValidatingTransport(base http.RoundTripper, opts ...ValidatorOption) *ValidatingTransport {
	v, err := NewValidator(opts...)
	if err != nil {
		panic(err)
	}
	return v.Transport(base)
}

// Transport returns a ValidatingTransport that validates with v and sends through base
// (http.DefaultTransport when nil).
func (v *Validator) Transport(base http.RoundTripper) *ValidatingTransport {
	if base == nil {
		base = http.DefaultTransport
	}
	return &ValidatingTransport{base: base, v: v}
}

// RoundTrip implements http.RoundTripper.
func (t *ValidatingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	body, err := drain(req.Body)
	if err != nil {
		return nil, err
	}
	out := req.Clone(req.Context())
	if req.Body == nil || req.Body == http.NoBody {
		out.Body = req.Body
	} else {
		out.Body = io.NopCloser(bytes.NewReader(body))
		out.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
		out.ContentLength = int64(len(body))
	}

	if !t.v.cfg.skipRequests {
		if _, err := t.v.ValidateRequest(req.Context(), req, body); err != nil {
			t.record(err)
			if !t.v.cfg.collect {
				return nil, err
			}
		}
	}

	resp, err := t.base.RoundTrip(out)
	if err != nil || t.v.cfg.skipResponses || req.Method == http.MethodHead {
		return resp, err
	}
	rb, rerr := io.ReadAll(resp.Body)
	resp.Body.Close()
	if rerr != nil {
		resp.Body = &failingBody{r: bytes.NewReader(rb), err: rerr}
		return resp, nil
	}
	resp.Body = io.NopCloser(bytes.NewReader(rb))
	if err := t.v.ValidateResponse(req.Context(), req, resp.StatusCode, resp.Header, rb); err != nil {
		t.record(err)
		if !t.v.cfg.collect {
			return nil, err
		}
	}
	return resp, nil
}

func (t *ValidatingTransport) record(err error) {
	var es ValidationErrors
	if !errors.As(err, &es) {
		return
	}
	t.mu.Lock()
	t.problems = append(t.problems, es...)
	t.mu.Unlock()
}

// Problems returns every problem found so far, in the order found.
func (t *ValidatingTransport) Problems() ValidationErrors {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append(ValidationErrors(nil), t.problems...)
}

// Err returns the problems found so far as an error, or nil when there were none.
func (t *ValidatingTransport) Err() error {
	if p := t.Problems(); len(p) > 0 {
		return p
	}
	return nil
}

// Reset forgets the problems found so far.
func (t *ValidatingTransport) Reset() {
	t.mu.Lock()
	t.problems = nil
	t.mu.Unlock()
}

// CloseIdleConnections closes the base transport's idle connections.
func (t *ValidatingTransport) CloseIdleConnections() {
	if c, ok := t.base.(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
}

func drain(rc io.ReadCloser) ([]byte, error) {
	if rc == nil || rc == http.NoBody {
		return nil, nil
	}
	defer rc.Close()
	return io.ReadAll(rc)
}

// failingBody replays what was read of a response body, then its read error.
type failingBody struct {
	r   *bytes.Reader
	err error
}

func (b *failingBody) Read(p []byte) (int, error) {
	if b.r.Len() > 0 {
		return b.r.Read(p)
	}
	return 0, b.err
}

func (b *failingBody) Close() error { return nil }
