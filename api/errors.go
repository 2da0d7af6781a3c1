package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gofive-go/gofive/api/wire"
)

// Sentinels matched by errors.Is against an [*APIError].
var (
	ErrBadRequest   = errors.New("gofive: bad request")    // HTTP 400
	ErrUnauthorized = errors.New("gofive: unauthorized")   // HTTP 401
	ErrForbidden    = errors.New("gofive: forbidden")      // HTTP 403
	ErrNotFound     = errors.New("gofive: not found")      // HTTP 404
	ErrRateLimited  = errors.New("gofive: rate limited")   // HTTP 429
	ErrServerError  = errors.New("gofive: server error")   // HTTP 5xx
	ErrBusiness     = errors.New("gofive: business error") // HTTP 2xx with a business code other than 1000
)

// ErrResponseTooLarge is returned (wrapped) when a successful response body
// exceeds the limit set by [WithMaxResponseBytes].
var ErrResponseTooLarge = errors.New("gofive: response body too large")

// Error bodies are redacted before they are cut, so a secret that straddles
// the cut is removed whole rather than leaving its first bytes behind.
const (
	// keptErrorBody bounds the raw body kept in errors.
	keptErrorBody = 64 << 10
	// errorBodySlack is read past keptErrorBody so that a secret (in any
	// encoding) crossing the cut is still seen whole by the redactor.
	errorBodySlack = 16 << 10
	// maxErrorBody is how much of an error body is read and redacted.
	maxErrorBody = keptErrorBody + errorBodySlack
)

// APIError is a response the API did not mark as a success: a non-2xx HTTP
// status, or a 2xx whose business code is not 1000 ([ErrBusiness]).
//
// errors.Is matches the sentinel for the status (ErrNotFound, ErrRateLimited,
// …); errors.As gives the details.
type APIError struct {
	HTTPStatus  int           // HTTP status code
	Code        string        // business code (status.code), gateway statusCode or OAuth error
	Description string        // status.description or the body's message, title or HTML title
	Errors      []string      // validation details, when the body lists them
	RequestID   string        // from the response headers (or a ProblemDetails traceId)
	Method      string        // request method
	Path        string        // request URL path (no query)
	OperationID string        // the API operation, when known
	RetryAfter  time.Duration // the Retry-After header, if any (uncapped)
	Attempts    int           // HTTP attempts made, retries included
	Body        []byte        // the raw body, at most 64 KiB, secrets removed

	kind   error     // the sentinel, when not the HTTP status's (an OAuth error in a 2xx token response)
	redact *redactor // the Client's, applied again to the message
}

// Error returns one line: what was called, the status, code and message,
// with credentials removed (the fields are redacted already; the message
// is redacted as a whole again, in case a field was set by hand).
func (e *APIError) Error() string {
	// A nil redact (an APIError built outside the package) removes bearer values only.
	return e.redact.string(e.message())
}

func (e *APIError) message() string {
	var b strings.Builder
	b.WriteString("gofive: ")
	b.WriteString(e.Method)
	b.WriteByte(' ')
	b.WriteString(e.Path)
	if e.OperationID != "" {
		fmt.Fprintf(&b, " (%s)", e.OperationID)
	}
	if e.Unwrap() == ErrBusiness {
		b.WriteString(": business error")
	} else {
		fmt.Fprintf(&b, ": HTTP %d", e.HTTPStatus)
		if t := http.StatusText(e.HTTPStatus); t != "" {
			b.WriteString(" " + t)
		}
	}
	if e.Code != "" {
		b.WriteString(" code " + e.Code)
	}
	if e.Description != "" {
		b.WriteString(": " + e.Description)
	}
	if len(e.Errors) > 0 {
		const show = 5
		list := e.Errors
		if len(list) > show {
			list = list[:show]
		}
		b.WriteString(" [" + strings.Join(list, "; "))
		if len(e.Errors) > show {
			fmt.Fprintf(&b, "; and %d more", len(e.Errors)-show)
		}
		b.WriteString("]")
	}
	if e.RequestID != "" {
		b.WriteString(" (request id " + e.RequestID + ")")
	}
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " after %d attempts", e.Attempts)
	}
	return oneLine(b.String())
}

// Unwrap returns the sentinel for the error's status, or nil.
func (e *APIError) Unwrap() error {
	if e.kind != nil {
		return e.kind
	}
	switch s := e.HTTPStatus; {
	case isSuccessStatus(s):
		return ErrBusiness
	case s == http.StatusBadRequest:
		return ErrBadRequest
	case s == http.StatusUnauthorized:
		return ErrUnauthorized
	case s == http.StatusForbidden:
		return ErrForbidden
	case s == http.StatusNotFound:
		return ErrNotFound
	case s == http.StatusTooManyRequests:
		return ErrRateLimited
	case s >= 500:
		return ErrServerError
	}
	return nil
}

// DecodeError reports a successful HTTP response whose body could not be
// decoded into the expected type. Err is the underlying JSON error.
type DecodeError struct {
	HTTPStatus  int
	Method      string
	Path        string
	OperationID string
	Body        []byte // the raw body, at most 64 KiB, secrets removed
	Err         error

	redact *redactor
}

func (e *DecodeError) Error() string {
	op := ""
	if e.OperationID != "" {
		op = " (" + e.OperationID + ")"
	}
	return e.redact.string(oneLine(fmt.Sprintf("gofive: %s %s%s: decoding HTTP %d response body: %v", e.Method, e.Path, op, e.HTTPStatus, e.Err)))
}

func (e *DecodeError) Unwrap() error { return e.Err }

// callInfo describes a call for errors and logs.
type callInfo struct {
	operationID string
	method      string
	path        string
	status      int
	header      http.Header
	attempts    int
	redact      *redactor
}

func infoFromResponse(operationID string, resp *http.Response, r *redactor) callInfo {
	info := callInfo{operationID: operationID, redact: r}
	if resp == nil {
		return info
	}
	info.status, info.header = resp.StatusCode, resp.Header
	if req := resp.Request; req != nil {
		info.method = req.Method
		if req.URL != nil {
			info.path = req.URL.Path
		}
		if info.operationID == "" {
			info.operationID = OperationID(req.Context())
		}
		if st := stateFrom(req.Context()); st != nil {
			info.attempts = int(st.attempts.Load())
		}
	}
	return info
}

func isSuccessStatus(s int) bool { return s >= 200 && s <= 299 }

// newAPIError maps a response the API did not mark as a success to an
// *APIError, whatever the body: Gofive envelope, APIM gateway JSON, OAuth
// error, ASP.NET ProblemDetails, HTML page, plain text or nothing.
func newAPIError(info callInfo, body []byte) *APIError {
	body = redactBody(info.redact, body)
	e := &APIError{
		HTTPStatus:  info.status,
		Method:      info.method,
		Path:        info.path,
		OperationID: info.operationID,
		Attempts:    info.attempts,
		Body:        body,
		redact:      info.redact,
	}
	var contentType string
	if info.header != nil {
		e.RequestID = requestID(info.header)
		e.RetryAfter, _ = parseRetryAfter(info.header.Get("Retry-After"))
		contentType = info.header.Get("Content-Type")
	}
	d := describeBody(contentType, body)
	// Decoding undoes escapes (\u002B, &#43;, …) the body redaction may not
	// know, so the decoded fields are redacted again.
	r := info.redact
	e.Code, e.Description = r.string(d.code), r.string(d.description)
	if len(d.errors) > 0 {
		e.Errors = make([]string, len(d.errors))
		for i, msg := range d.errors {
			e.Errors[i] = r.string(msg)
		}
	}
	if e.RequestID == "" {
		e.RequestID = d.traceID
	}
	e.RequestID = r.string(e.RequestID)
	return e
}

// businessError builds the error for a 2xx response whose business code is
// not 1000; code is that code.
func businessError(info callInfo, code wire.Code, description string, body []byte) *APIError {
	e := newAPIError(info, body)
	e.Code = info.redact.string(code.String())
	if description != "" {
		e.Description = info.redact.string(oneLine(description))
	}
	return e
}

// redactBody returns a redacted copy of at most keptErrorBody bytes of body.
// It redacts first and cuts after, so a secret crossing the cut goes whole.
// A body of maxErrorBody bytes or more may itself have been cut by its
// reader, inside a secret: the secret's beginning is redacted too
// (redact.Redactor.Truncated), and the last errorBodySlack bytes dropped.
func redactBody(r *redactor, body []byte) []byte {
	if len(body) == 0 {
		return nil
	}
	cut := len(body) >= maxErrorBody
	body = bytes.Clone(body[:min(len(body), maxErrorBody)])
	var b []byte
	if cut {
		b = r.current().Truncated(body)
		b = b[:max(len(b)-errorBodySlack, 0)]
	} else {
		b = r.bytes(body)
	}
	return b[:min(len(b), keptErrorBody)]
}

// Header names gateways and ASP.NET use for a request or correlation id.
var requestIDHeaders = [...]string{"X-Request-Id", "Request-Id", "X-Ms-Request-Id", "Apim-Request-Id", "X-Correlation-Id"}

func requestID(h http.Header) string {
	for _, k := range requestIDHeaders {
		if v := strings.TrimSpace(h.Get(k)); v != "" {
			return truncate(oneLine(v), 128)
		}
	}
	return ""
}

// parseRetryAfter reads a Retry-After value in seconds or as an HTTP date.
func parseRetryAfter(v string) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		if secs > int64(24*time.Hour/time.Second) {
			secs = int64(24 * time.Hour / time.Second)
		}
		return time.Duration(secs) * time.Second, true
	}
	if at, err := http.ParseTime(v); err == nil {
		return max(time.Until(at), 0), true
	}
	return 0, false
}

type bodyDescription struct {
	code, description, traceID string
	errors                     []string
}

// errorProbe has every field the known error shapes use. encoding/json
// matches keys case-insensitively, so "Message" and "message" both land.
type errorProbe struct {
	Status           json.RawMessage `json:"status"`
	StatusCode       json.RawMessage `json:"statusCode"`
	Code             json.RawMessage `json:"code"`
	Message          json.RawMessage `json:"message"`
	Description      json.RawMessage `json:"description"`
	Error            json.RawMessage `json:"error"`
	ErrorDescription json.RawMessage `json:"error_description"`
	Title            json.RawMessage `json:"title"`
	Detail           json.RawMessage `json:"detail"`
	Errors           json.RawMessage `json:"errors"`
	Data             json.RawMessage `json:"data"`
	TraceID          json.RawMessage `json:"traceId"`
}

const maxDescription = 300

func describeBody(contentType string, body []byte) bodyDescription {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return bodyDescription{}
	}
	if trimmed[0] == '{' {
		var p errorProbe
		if json.Unmarshal(trimmed, &p) == nil {
			return describeJSON(p, trimmed)
		}
	}
	if strings.Contains(strings.ToLower(contentType), "html") || trimmed[0] == '<' {
		return bodyDescription{description: htmlText(trimmed)}
	}
	return bodyDescription{description: truncate(oneLine(string(trimmed)), maxDescription)}
}

func describeJSON(p errorProbe, body []byte) bodyDescription {
	var d bodyDescription
	// Gofive envelope: {"status":{"code":"4001","description":"…"},"data":…}
	var st struct {
		Code        wire.Code `json:"code"`
		Description string    `json:"description"`
	}
	if len(p.Status) > 0 && p.Status[0] == '{' && json.Unmarshal(p.Status, &st) == nil {
		d.code, d.description = st.Code.String(), st.Description
	}
	// APIM gateway and top-level variants: {"statusCode":401,"message":"…"}
	if d.code == "" {
		d.code = scalarString(p.StatusCode)
	}
	// OAuth: {"error":"invalid_client","error_description":"…"}; or {"error":{"code","message"}}.
	if s := scalarString(p.Error); s != "" {
		if d.code == "" {
			d.code = s
		} else if d.description == "" {
			d.description = s
		}
	} else if len(p.Error) > 0 && p.Error[0] == '{' {
		var inner errorProbe
		if json.Unmarshal(p.Error, &inner) == nil {
			if d.code == "" {
				d.code = scalarString(inner.Code)
			}
			if d.description == "" {
				d.description = firstString(inner.Message, inner.Description)
			}
		}
	}
	if d.code == "" {
		d.code = scalarString(p.Code)
	}
	if d.description == "" {
		d.description = scalarString(p.ErrorDescription)
	}
	// ASP.NET ProblemDetails: {"title","status","detail","errors":{field:[msg]},"traceId"}
	if d.description == "" {
		title, detail := scalarString(p.Title), scalarString(p.Detail)
		switch {
		case title != "" && detail != "":
			d.description = title + " " + detail
		default:
			d.description = title + detail
		}
	}
	if d.description == "" {
		d.description = firstString(p.Message, p.Description)
	}
	d.errors = errorList(p.Errors)
	if len(d.errors) == 0 {
		// An envelope's data is a payload, not a field map: only a message
		// or a list of messages counts as error detail.
		d.errors = messages(p.Data)
	}
	d.traceID = scalarString(p.TraceID)
	if d.code == "" && d.description == "" && len(d.errors) == 0 {
		// Unknown JSON: show the start of it.
		d.description = truncate(oneLine(string(body)), maxDescription)
	}
	d.description = truncate(oneLine(d.description), maxDescription)
	return d
}

// scalarString returns a JSON string's value or a number's literal.
func scalarString(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return ""
	}
	var s string
	if raw[0] == '"' {
		if json.Unmarshal(raw, &s) == nil {
			return strings.TrimSpace(s)
		}
		return ""
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		return n.String()
	}
	return ""
}

func firstString(raws ...json.RawMessage) string {
	for _, r := range raws {
		if s := scalarString(r); s != "" {
			return s
		}
	}
	return ""
}

// errorList reads validation details from the shapes seen in the wild:
// {"field":["msg"]} (ProblemDetails), ["msg"], [{"field","message"}], "msg".
func errorList(raw json.RawMessage) []string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return nil
	}
	var out []string
	switch raw[0] {
	case '{':
		var m map[string]json.RawMessage
		if json.Unmarshal(raw, &m) != nil {
			return nil
		}
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			for _, msg := range messages(m[k]) {
				if k == "" {
					out = append(out, msg)
				} else {
					out = append(out, k+": "+msg)
				}
			}
		}
	case '[', '"':
		out = messages(raw)
	}
	const maxErrors = 100
	if len(out) > maxErrors {
		out = out[:maxErrors]
	}
	return out
}

// messages reads "msg", ["msg", …] or [{"field":…,"message":…}, …].
func messages(raw json.RawMessage) []string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return nil
	}
	if raw[0] == '"' {
		if s := scalarString(raw); s != "" {
			return []string{truncate(oneLine(s), maxDescription)}
		}
		return nil
	}
	var items []json.RawMessage
	if raw[0] != '[' || json.Unmarshal(raw, &items) != nil {
		return nil
	}
	var out []string
	for _, it := range items {
		it = bytes.TrimSpace(it)
		if len(it) == 0 {
			continue
		}
		switch it[0] {
		case '"':
			if s := scalarString(it); s != "" {
				out = append(out, truncate(oneLine(s), maxDescription))
			}
		case '{':
			var obj struct {
				Field        json.RawMessage `json:"field"`
				PropertyName json.RawMessage `json:"propertyName"`
				Message      json.RawMessage `json:"message"`
				ErrorMessage json.RawMessage `json:"errorMessage"`
				Description  json.RawMessage `json:"description"`
			}
			if json.Unmarshal(it, &obj) != nil {
				continue
			}
			msg := firstString(obj.Message, obj.ErrorMessage, obj.Description)
			if msg == "" {
				continue
			}
			if field := firstString(obj.Field, obj.PropertyName); field != "" {
				msg = field + ": " + msg
			}
			out = append(out, truncate(oneLine(msg), maxDescription))
		}
	}
	return out
}

var (
	htmlTitle   = regexp.MustCompile(`(?is)<title[^>]*>(.*?)</title>`)
	htmlNoise   = regexp.MustCompile(`(?is)<(script|style|head)[^>]*>.*?</(script|style|head)>`)
	htmlTag     = regexp.MustCompile(`(?s)<[^>]*>`)
	whitespaces = regexp.MustCompile(`\s+`)
)

// htmlText returns an HTML page's <title>, or else its first text.
func htmlText(body []byte) string {
	if m := htmlTitle.FindSubmatch(body); m != nil {
		if t := oneLine(html.UnescapeString(string(m[1]))); t != "" {
			return truncate(t, maxDescription)
		}
	}
	text := htmlNoise.ReplaceAll(body, []byte(" "))
	text = htmlTag.ReplaceAll(text, []byte(" "))
	return truncate(oneLine(html.UnescapeString(string(text))), maxDescription)
}

// bare is err's message without the package prefix, for nesting in another gofive error.
func bare(err error) string { return strings.TrimPrefix(err.Error(), "gofive: ") }

// oneLine collapses all whitespace (newlines included) to single spaces.
func oneLine(s string) string {
	return strings.TrimSpace(whitespaces.ReplaceAllString(s, " "))
}

// truncate cuts s to at most n bytes on a rune boundary, marking the cut.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
