package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"strings"
)

// call sends an already-built request through the chain (retry, auth) under
// ctx, tagged with operationID, and reads the body (bounded). A non-2xx
// response returns the mapped *APIError along with body and resp. resp.Body
// is consumed and closed: body is all there is.
//
// req must be a request this package built (a generated method or Do): it is
// adopted, not cloned, which saves a deep copy on every call.
func (c *Client) call(ctx context.Context, operationID string, req *http.Request) (body []byte, resp *http.Response, err error) {
	st := &callState{operationID: operationID}
	ctx = context.WithValue(ctx, callStateKey{}, st)
	if c.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.timeout)
		defer cancel()
	}
	req = req.WithContext(ctx)
	if req.Body != nil && req.Body != http.NoBody && req.Header.Get("Content-Type") == "" {
		req.Header.Set("Content-Type", "application/json")
	}
	info := callInfo{operationID: operationID, method: req.Method, path: req.URL.Path, redact: c.redact}

	// The body is read inside the retry loop, so that one cut short is retried
	// when the call may be repeated.
	var tooLarge bool
	read := func(resp *http.Response) ([]byte, error) {
		limit := c.maxBody
		if !isSuccessStatus(resp.StatusCode) {
			// An error body is read to maxErrorBody whatever WithMaxResponseBytes says: that
			// is the kept size plus a margin, so a secret echoed across the cut is still seen
			// whole by the redactor before the body is trimmed.
			limit = maxErrorBody
		}
		body, tl, err := readBounded(resp.Body, resp.ContentLength, limit)
		resp.Body.Close()
		resp.Body = http.NoBody
		tooLarge = tl
		if err != nil {
			return nil, fmt.Errorf("reading response body: %w", err)
		}
		return body, nil
	}
	resp, body, err = c.retry.do(req, st, read)
	if err != nil {
		return nil, nil, &callError{info: info, err: err}
	}
	info.status, info.header, info.attempts = resp.StatusCode, resp.Header, int(st.attempts.Load())
	switch {
	case !isSuccessStatus(resp.StatusCode):
		return body, resp, newAPIError(info, body)
	case tooLarge:
		return nil, resp, &callError{info: info, err: fmt.Errorf("%w: more than %d bytes (see WithMaxResponseBytes)", ErrResponseTooLarge, c.maxBody)}
	}
	return body, resp, nil
}

// readBounded reads at most limit bytes; tooLarge reports there was more.
// A declared length (size >= 0) sizes the buffer once instead of growing it.
func readBounded(r io.Reader, size, limit int64) (body []byte, tooLarge bool, err error) {
	if size >= 0 && size <= limit {
		body = make([]byte, size+1) // +1 notices a body longer than declared
		n, err := io.ReadFull(r, body)
		switch {
		case err == io.ErrUnexpectedEOF && int64(n) < size:
			return body[:n], false, err
		case err == io.ErrUnexpectedEOF || err == io.EOF:
			return body[:n], false, nil
		case err != nil:
			return body[:n], false, err
		}
		// The body is longer than its Content-Length: read the rest up to the limit.
		rest, err := io.ReadAll(io.LimitReader(r, limit+1-int64(n)))
		body = append(body, rest...)
		if int64(len(body)) > limit {
			return body[:limit], true, err
		}
		return body, false, err
	}
	body, err = io.ReadAll(io.LimitReader(r, limit+1))
	if int64(len(body)) > limit {
		return body[:limit], true, err
	}
	return body, false, err
}

// callJSON is call plus decodeEnvelope: the envelope's data as T.
func callJSON[T any](c *Client, ctx context.Context, operationID string, req *http.Request) (T, error) {
	data, _, _, err := callEnvelope[T](c, ctx, operationID, req)
	return data, err
}

// callEnvelope is callJSON that also hands back the call's info and body, for callers that
// check the data further (callDataInfo).
func callEnvelope[T any](c *Client, ctx context.Context, operationID string, req *http.Request) (T, callInfo, []byte, error) {
	body, resp, err := c.call(ctx, operationID, req)
	if err != nil {
		var zero T
		return zero, callInfo{}, nil, err
	}
	info := infoFromResponse(operationID, resp, c.redact)
	data, err := decodeEnvelope[T](info, body)
	return data, info, body, err
}

// callNoData is call plus the business-status check, for operations whose
// data the caller does not need. An empty or non-object body is a success.
func callNoData(c *Client, ctx context.Context, operationID string, req *http.Request) error {
	body, resp, err := c.call(ctx, operationID, req)
	if err != nil {
		return err
	}
	return checkBodyStatus(infoFromResponse(operationID, resp, c.redact), body)
}

func checkBodyStatus(info callInfo, body []byte) error {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return nil
	}
	if !json.Valid(trimmed) {
		var v any
		return newDecodeError(info, body, json.Unmarshal(trimmed, &v))
	}
	if trimmed[0] != '{' {
		return nil
	}
	var st statusOnly
	if err := json.Unmarshal(trimmed, &st); err != nil {
		return newDecodeError(info, body, err)
	}
	return checkStatus(info, st.Status, st.StatusCode, body)
}

// callRaw decodes the whole body into T, for responses that are not the
// standard envelope (the token endpoint, top-level data/statusCode
// variants), then checks a top-level status or statusCode if present.
func callRaw[T any](c *Client, ctx context.Context, operationID string, req *http.Request) (T, error) {
	var zero T
	body, resp, err := c.call(ctx, operationID, req)
	if err != nil {
		return zero, err
	}
	info := infoFromResponse(operationID, resp, c.redact)
	if err := checkBodyStatus(info, body); err != nil {
		return zero, err
	}
	var out T
	if err := json.Unmarshal(body, &out); err != nil {
		return zero, newDecodeError(info, body, err)
	}
	return out, nil
}

// Do calls any API path with the Client's authentication, retries, envelope
// handling and errors: an escape hatch for operations the generated methods
// do not cover. path is relative to the base URL and may carry a query.
//
// body may be nil, []byte (sent as is), an io.Reader (read once and
// buffered for retries) or any other value (encoded as JSON); a body is
// sent with Content-Type: application/json. out, if not nil, must be a
// pointer; it receives the envelope's data.
func (c *Client) Do(ctx context.Context, method, path string, body, out any) error {
	if out != nil {
		if v := reflect.ValueOf(out); v.Kind() != reflect.Pointer || v.IsNil() {
			return fmt.Errorf("gofive: Do: out must be a non-nil pointer, got %T", out)
		}
	}
	u, err := c.resolve(path)
	if err != nil {
		return err
	}
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		r = bytes.NewReader(b)
	case io.Reader:
		r = b
	default:
		data, err := json.Marshal(b)
		if err != nil {
			return fmt.Errorf("gofive: Do: encoding body: %w", err)
		}
		r = bytes.NewReader(data)
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), r)
	if err != nil {
		return fmt.Errorf("gofive: Do: %w", err)
	}
	if r != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if out == nil {
		return callNoData(c, ctx, "", req)
	}
	respBody, resp, err := c.call(ctx, "", req)
	if err != nil {
		return err
	}
	env := envelope[any]{Data: out} // json decodes into the pointer held in Data
	return decodeEnvelopeInto(infoFromResponse("", resp, c.redact), respBody, &env)
}

// resolve resolves path against the base URL, keeping the base's own path.
func (c *Client) resolve(path string) (*url.URL, error) {
	ref, err := url.Parse(path)
	if err != nil {
		return nil, fmt.Errorf("gofive: Do: invalid path: %v", unwrapURLError(err))
	}
	if ref.Scheme != "" || ref.Host != "" || ref.User != nil {
		return nil, errors.New("gofive: Do: path must be relative to the base URL")
	}
	// Relative to the base path: "/v1/x" under "https://gw/venio/" is "https://gw/venio/v1/x".
	ref.Path = strings.TrimLeft(ref.Path, "/")
	ref.RawPath = strings.TrimLeft(ref.RawPath, "/")
	return c.baseURL.ResolveReference(ref), nil
}

// callError adds the call (method, path, operation) to an error that has no
// response to map: a transport, token or context error.
type callError struct {
	info callInfo
	err  error
}

func (e *callError) Error() string {
	op := ""
	if e.info.operationID != "" {
		op = " (" + e.info.operationID + ")"
	}
	// Transport errors quote what the server sent (a malformed status line,
	// header or Content-Length): redacted like every message that leaves.
	return e.info.redact.string(fmt.Sprintf("gofive: %s %s%s: %s", e.info.method, e.info.path, op, bare(e.err)))
}

func (e *callError) Unwrap() error { return e.err }

// requestError reports that the request for operationID could not be built
// (the generated methods call it when gen.NewXxxRequest fails).
func requestError(operationID string, err error) error {
	return fmt.Errorf("gofive: %s: building request: %w", operationID, err)
}
