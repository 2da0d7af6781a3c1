package main

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"

	"golang.org/x/time/rate"

	"github.com/gofive-go/gofive/spec"
)

// Errors of the probe's guard transport. Their texts hold no URL, so no identifier taken from a
// response (a path parameter) can reach the report through them.
var (
	// errNotReadOnly: the request is neither the token endpoint, nor a GET, nor a POST the spec
	// marks x-gofive-read-only. It was not sent.
	errNotReadOnly = errors.New("refused: not a read-only operation of the spec (nothing was sent)")
	// errOtherHost: the request is for another host than the base URL's (a redirect, say).
	errOtherHost = errors.New("refused: not the configured API host (nothing was sent)")
	// errRequestCap: the probe's request cap is reached.
	errRequestCap = errors.New("request cap reached")
)

// tokenCapture is a response the guard kept a copy of (the token endpoint's, which the SDK reads
// itself).
type tokenCapture struct {
	status int
	header http.Header
	body   []byte
}

// A probeGuard is the bottom of the probe client's transport chain: every HTTP attempt the SDK
// makes (token fetches and retries included) passes through it. It sends a request only if the
// spec itself marks it as reading: the token endpoint, a GET, or a POST marked
// x-gofive-read-only; the decision is made from the routed spec operation, never from a list
// kept by hand. It also enforces the request cap and the rate limit, and keeps a copy of the
// token endpoint's answer so the probe can check its shape.
type probeGuard struct {
	base      http.RoundTripper
	validator *spec.Validator // routes requests to spec operations
	allowed   map[string]bool // operation id -> may be sent (built from the spec's markers)
	host      string
	limiter   *rate.Limiter
	max       int

	mu        sync.Mutex
	sent      int // requests sent, token requests included
	tokenSent int // token requests sent
	refused   int
	token     *tokenCapture
}

// maxCaptured bounds the copy of the token endpoint's answer.
const maxCaptured = 1 << 20

func (g *probeGuard) RoundTrip(req *http.Request) (*http.Response, error) {
	// A RoundTripper that returns an error without sending must still close the body.
	fail := func(err error) (*http.Response, error) {
		if req.Body != nil {
			req.Body.Close()
		}
		return nil, err
	}
	if !strings.EqualFold(req.URL.Host, g.host) {
		g.refuse()
		return fail(errOtherHost)
	}
	rt, err := g.validator.Route(req)
	if err != nil || !g.allowed[rt.OperationID] {
		g.refuse()
		return fail(errNotReadOnly)
	}
	g.mu.Lock()
	if g.sent >= g.max {
		g.mu.Unlock()
		return fail(errRequestCap)
	}
	g.sent++
	if rt.OperationID == tokenOperationID {
		g.tokenSent++
	}
	g.mu.Unlock()
	if err := g.limiter.Wait(req.Context()); err != nil {
		return fail(err)
	}
	resp, err := g.base.RoundTrip(req)
	if err != nil || rt.OperationID != tokenOperationID {
		return resp, err
	}
	data, rerr := io.ReadAll(io.LimitReader(resp.Body, maxCaptured))
	resp.Body.Close()
	if rerr != nil {
		return nil, rerr
	}
	g.mu.Lock()
	g.token = &tokenCapture{status: resp.StatusCode, header: resp.Header.Clone(), body: data}
	g.mu.Unlock()
	resp.Body = io.NopCloser(bytes.NewReader(data))
	resp.ContentLength = int64(len(data))
	return resp, nil
}

func (g *probeGuard) refuse() {
	g.mu.Lock()
	g.refused++
	g.mu.Unlock()
}

// counts returns how many requests were sent and refused.
func (g *probeGuard) counts() (sent, refused int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.sent, g.refused
}

// operationRequests returns how many requests other than token requests were sent.
func (g *probeGuard) operationRequests() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.sent - g.tokenSent
}

// tokenAnswer returns the last answer of the token endpoint, or nil.
func (g *probeGuard) tokenAnswer() *tokenCapture {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.token
}

// readOnlyOperations returns the ids of the operations the probe may send, read from the
// spec's own markers: the token endpoint, every GET, and every POST marked x-gofive-read-only.
func readOnlyOperations(idx *specIndex) map[string]bool {
	allowed := map[string]bool{}
	for _, o := range idx.ops {
		if mayProbe(o) {
			allowed[o.ID] = true
		}
	}
	return allowed
}

// mayProbe reports whether the probe may send operation o.
func mayProbe(o *operation) bool {
	switch {
	case o.ID == tokenOperationID:
		return true
	case o.Method == http.MethodGet:
		return true
	case o.Method == http.MethodPost && o.ReadOnly:
		return true
	}
	return false
}
