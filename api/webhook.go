package api

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"strings"
	"sync"
	"unicode"

	"github.com/gofive-go/gofive/gen"
)

// Defaults and names of the webhook handler.
const (
	// DefaultWebhookMaxBytes bounds a delivery's body unless [WithWebhookMaxBytes] says otherwise.
	DefaultWebhookMaxBytes = 1 << 20

	// WebhookSecretHeader and WebhookSecretParam carry the shared secret of
	// [WithWebhookSecret]: the header, or else the query parameter of the URL registered in
	// Venio (https://example.com/venio/hook?secret=…). This is this SDK's convention, not
	// Venio's: Venio is not known to send any secret or signature of its own.
	WebhookSecretHeader = "X-Gofive-Webhook-Secret"
	WebhookSecretParam  = "secret"
)

// ErrMalformedWebhook is wrapped by the errors of [ParseWebhook] (the body is not one JSON
// object, or its Topic or Event is not a string) and of [SalesOrderEvent.Fetch] when the
// notification names no possible order or the answer does not name the order. A callback
// returning it gets the delivery answered 400, not 500.
var ErrMalformedWebhook = errors.New("gofive: malformed webhook payload")

// A WebhookKind says which typed event a delivery was decoded into. The known kinds are
// named as their payloads under x-gofive-webhooks in spec/openapi.yaml.
type WebhookKind string

const (
	// WebhookUnknown is any payload not recognised below: delivered as a [*WebhookEvent].
	WebhookUnknown WebhookKind = "unknown"
	// WebhookChatMessage is Topic "Chat" with Event "Message" (seen in public code):
	// delivered as a [*ChatMessageEvent].
	WebhookChatMessage WebhookKind = "chatMessage"
	// WebhookSalesOrder is a payload whose Data holds a non-empty string SaleOrderNo:
	// delivered as a [*SalesOrderEvent]. The Topic and Event of sales-order notifications
	// were never seen, so this rule is INFERRED from the key public code reads.
	WebhookSalesOrder WebhookKind = "salesOrder"
)

// ChatPlatformLINE is the [gen.WebhookChatMessage] Platform value public consumer code
// treats as LINE (it treats every other value as Facebook Messenger). The full list of
// values was not recovered.
const ChatPlatformLINE = 1

// A WebhookEvent is one delivery, whatever its kind. Nothing is dropped: Raw is the body
// exactly as received, so keys this SDK does not know are still there.
type WebhookEvent struct {
	Kind  WebhookKind
	Topic string // "" when absent or null
	Event string // "" when absent or null
	// Data is the payload's Data member undecoded; nil when absent.
	Data json.RawMessage
	// Raw is the whole body, byte for byte.
	Raw json.RawMessage
}

// A SalesOrderEvent is a notification about a sales order. It names the order; fetch the
// order itself with [SalesOrderEvent.Fetch] rather than trusting the payload.
type SalesOrderEvent struct {
	WebhookEvent
	// SaleOrderNo is Data.SaleOrderNo (sic: "SaleOrder"), e.g. SO260600039.
	SaleOrderNo string
	// Payload is the typed payload; keys it does not model are in its AdditionalProperties.
	Payload gen.WebhookSalesOrderPayload
}

// A ChatMessageEvent is a chat message received in Venio (Topic "Chat", Event "Message").
type ChatMessageEvent struct {
	WebhookEvent
	// The keys public code reads from Data.ChatMessage; zero values when absent (Payload
	// tells absent from empty).
	RoomID     string  // RoomId: the chat room, where a reply goes
	Platform   float64 // Platform: ChatPlatformLINE, or another platform (Facebook Messenger in public code)
	Content    string  // Content: the message text
	SenderName string  // User.OriginalName: the sender's display name
	// Payload is the typed payload; keys it does not model are in the AdditionalProperties
	// of its parts.
	Payload gen.WebhookChatMessagePayload
}

// ParseWebhook decodes a webhook body into a *[SalesOrderEvent], a *[ChatMessageEvent] or,
// for any other payload, a *[WebhookEvent]. An unknown topic or event is not an error. A
// payload that looks like a known kind but whose values do not fit its typed model (say a
// number where text was expected), or that has more than [MaxTypedWebhookMembers] object
// members in all, is returned as a *WebhookEvent too, so that nothing is lost. The error,
// wrapping [ErrMalformedWebhook], is for bodies that are not one JSON object or whose Topic
// or Event is not a string.
//
// [WebhookHandler] uses it; call it yourself when the body reaches you some other way.
func ParseWebhook(body []byte) (any, error) {
	ev, _, err := parseWebhook(body, false)
	return ev, err
}

// MaxTypedWebhookMembers bounds the object members (at every depth) of a payload decoded
// into a typed event. The typed models keep unknown keys in maps, which cost tens of bytes
// per member, so a body of many small members would cost many times its size; such a body
// is delivered as a raw *[WebhookEvent] instead. The notifications seen in public code
// have a handful of members.
const MaxTypedWebhookMembers = 500

// parseWebhook is ParseWebhook that also reports why a look-alike of a known kind was
// delivered raw (typedErr). owned says body is the caller's to keep (the handler's own
// buffer): then Raw and Data share its memory instead of copying it.
//
// The envelope (Topic, Event, Data, Data.SaleOrderNo) is found by scanning the body, not by
// decoding it into maps, so that the cost of an untyped delivery is one pass over it.
func parseWebhook(body []byte, owned bool) (ev any, typedErr error, err error) {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return nil, nil, fmt.Errorf("%w: empty body", ErrMalformedWebhook)
	}
	if !json.Valid(trimmed) {
		// Unmarshal reports the syntax error before decoding anything.
		var v json.RawMessage
		return nil, nil, fmt.Errorf("%w: body is not valid JSON: %v", ErrMalformedWebhook, json.Unmarshal(trimmed, &v))
	}
	if trimmed[0] != '{' {
		return nil, nil, fmt.Errorf("%w: body must be a JSON object", ErrMalformedWebhook)
	}
	raw := body
	if !owned {
		raw = bytes.Clone(body)
	}
	trimmed = bytes.TrimSpace(raw)
	var topic, event, data []byte
	jsonMembers(trimmed, func(key, val []byte) {
		switch jsonKey(key) {
		case "Topic":
			topic = val
		case "Event":
			event = val
		case "Data":
			data = val
		}
	})
	base := WebhookEvent{Kind: WebhookUnknown, Data: json.RawMessage(data), Raw: raw}
	if base.Topic, err = webhookString(topic, "Topic"); err != nil {
		return nil, nil, err
	}
	if base.Event, err = webhookString(event, "Event"); err != nil {
		return nil, nil, err
	}
	saleOrderNo, hasNoKey := webhookDataMember(data, "SaleOrderNo")
	isChat := base.Topic == "Chat" && base.Event == "Message"
	no, noErr := webhookString(saleOrderNo, "Data.SaleOrderNo")
	isSalesOrder := !isChat && hasNoKey && noErr == nil && no != ""
	if (isChat || isSalesOrder) && countJSONMembers(trimmed) > MaxTypedWebhookMembers {
		return &base, fmt.Errorf("more than %d object members: not decoded into its typed model", MaxTypedWebhookMembers), nil
	}

	switch {
	case isChat:
		var p gen.WebhookChatMessagePayload
		if err := json.Unmarshal(trimmed, &p); err != nil {
			return &base, fmt.Errorf("chat message does not fit its model: %w", err), nil
		}
		e := &ChatMessageEvent{WebhookEvent: base, Payload: p}
		e.Kind = WebhookChatMessage
		if p.Data != nil && p.Data.ChatMessage != nil {
			m := p.Data.ChatMessage
			e.RoomID, e.Platform, e.Content = webhookDeref(m.RoomID), webhookDeref(m.Platform), webhookDeref(m.Content)
			if m.User != nil {
				e.SenderName = webhookDeref(m.User.OriginalName)
			}
		}
		return e, nil, nil
	case isSalesOrder:
		var p gen.WebhookSalesOrderPayload
		if err := json.Unmarshal(trimmed, &p); err != nil {
			return &base, fmt.Errorf("sales-order notification does not fit its model: %w", err), nil
		}
		e := &SalesOrderEvent{WebhookEvent: base, SaleOrderNo: p.Data.SaleOrderNo, Payload: p}
		e.Kind = WebhookSalesOrder
		return e, nil, nil
	case hasNoKey:
		return &base, errors.New("Data.SaleOrderNo is not a non-empty string"), nil
	}
	return &base, nil, nil
}

func webhookDeref[T any](p *T) T {
	if p == nil {
		var zero T
		return zero
	}
	return *p
}

// webhookString decodes a member's raw value as a string; absent (nil) and null are "".
func webhookString(raw []byte, key string) (string, error) {
	if raw == nil || string(raw) == "null" {
		return "", nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", fmt.Errorf("%w: %s must be a string", ErrMalformedWebhook, key)
	}
	return s, nil
}

// webhookDataMember returns data[key] when data is a JSON object that has key (the last
// one, as encoding/json decodes duplicates).
func webhookDataMember(data []byte, key string) (val []byte, ok bool) {
	if len(data) == 0 || data[0] != '{' {
		return nil, false
	}
	jsonMembers(data, func(k, v []byte) {
		if jsonKey(k) == key {
			val, ok = v, true
		}
	})
	return val, ok
}

// jsonMembers calls fn with the raw key (quotes included) and raw value of each member of
// obj, a valid JSON object (checked by the caller), in order. The slices share obj's memory.
func jsonMembers(obj []byte, fn func(key, val []byte)) {
	i := jsonSkipSpace(obj, 1) // past '{'
	for i < len(obj) && obj[i] != '}' {
		kEnd := jsonSkipValue(obj, i)
		key := obj[i:kEnd]
		i = jsonSkipSpace(obj, kEnd)
		i = jsonSkipSpace(obj, i+1) // past ':'
		vEnd := jsonSkipValue(obj, i)
		fn(key, obj[i:vEnd])
		i = jsonSkipSpace(obj, vEnd)
		if i < len(obj) && obj[i] == ',' {
			i = jsonSkipSpace(obj, i+1)
		}
	}
}

// jsonKey returns a raw key (a JSON string) as Go text; only a key with escapes or
// non-ASCII bytes is decoded (as encoding/json would: escapes, invalid UTF-8 replaced).
func jsonKey(raw []byte) string {
	inner := raw[1 : len(raw)-1]
	if !bytes.ContainsFunc(inner, func(r rune) bool { return r == '\\' || r >= 0x80 }) {
		return string(inner)
	}
	var s string
	_ = json.Unmarshal(raw, &s)
	return s
}

func jsonSkipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// jsonSkipValue returns the end of the valid JSON value starting at b[i].
func jsonSkipValue(b []byte, i int) int {
	depth := 0
	for ; i < len(b); i++ {
		switch b[i] {
		case '"':
			i = jsonStringEnd(b, i) - 1
			if depth == 0 {
				return i + 1
			}
		case '{', '[':
			depth++
		case '}', ']':
			if depth == 0 { // the end of the object holding a literal
				return i
			}
			depth--
			if depth == 0 {
				return i + 1
			}
		case ',', ' ', '\t', '\n', '\r', ':':
			if depth == 0 {
				return i
			}
		}
	}
	return i
}

// jsonStringEnd returns the index after the closing quote of the string starting at b[i].
func jsonStringEnd(b []byte, i int) int {
	for i++; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return i
}

// countJSONMembers counts the object members of a valid JSON document at every depth: the
// colons outside strings.
func countJSONMembers(b []byte) int {
	n := 0
	for i := 0; i < len(b); i++ {
		switch b[i] {
		case '"':
			i = jsonStringEnd(b, i) - 1
		case ':':
			n++
		}
	}
	return n
}

// Fetch gets the sales order the notification names, through c (authenticated, retried),
// with Get a SalesOrder By SalesOrderNo ([SalesOrdersService.GetSalesOrder], which returns
// the order with that number whether the API answers with one object or a list). A number
// that cannot be a path segment (it contains / \ ? # % or control characters, or is . or ..)
// is refused without a request, with [ErrMalformedWebhook]: the payload is not authenticated
// by Venio. An answer that does not name the order, or has no data, is [ErrNotFound]: Fetch
// never hands back some other order.
func (e *SalesOrderEvent) Fetch(ctx context.Context, c *Client) (*gen.SalesOrder, error) {
	no := e.SaleOrderNo
	if err := checkSaleOrderNo(no); err != nil {
		return nil, err
	}
	so, err := c.SalesOrders.GetSalesOrder(ctx, no)
	if errors.Is(err, ErrNoData) {
		return nil, fmt.Errorf("gofive: sales order %s: %w (%w)", no, ErrNotFound, err)
	}
	return so, err
}

func checkSaleOrderNo(no string) error {
	bad := strings.TrimSpace(no) == "" || no == "." || no == ".." ||
		strings.ContainsAny(no, `/\?#%`) ||
		strings.ContainsFunc(no, unicode.IsControl)
	if bad {
		return fmt.Errorf("%w: SaleOrderNo %q is not a sales-order number", ErrMalformedWebhook, no)
	}
	return nil
}

// A WebhookOption configures a [WebhookHandler]. Options validate their arguments and
// [NewWebhookHandler] returns the first error; errors never contain a secret.
type WebhookOption func(*webhookConfig) error

type webhookConfig struct {
	secrets        [][sha256.Size]byte
	maxBytes       int64
	logger         *slog.Logger
	maxConcurrent  int
	anyContentType bool
}

// WithWebhookSecret makes the handler accept only deliveries that carry secret, in the
// [WebhookSecretHeader] header or else in the [WebhookSecretParam] query parameter of the
// URL you register in Venio. Venio signs nothing, so this shared secret in the URL is the
// only proof a delivery can carry; it is this SDK's convention, not Venio's. Call it more
// than once to accept several secrets while rotating. The comparison takes constant time,
// and the secret is never logged or echoed. Use HTTPS: the URL, secret included, is what
// keeps the endpoint private (and may appear in proxies' access logs).
func WithWebhookSecret(secret string) WebhookOption {
	return func(c *webhookConfig) error {
		if strings.TrimSpace(secret) == "" {
			return errors.New("gofive: WithWebhookSecret: secret is empty")
		}
		c.secrets = append(c.secrets, sha256.Sum256([]byte(secret)))
		return nil
	}
}

// WithWebhookMaxBytes bounds the body of a delivery (default [DefaultWebhookMaxBytes]);
// a larger one is answered 413.
func WithWebhookMaxBytes(n int64) WebhookOption {
	return func(c *webhookConfig) error {
		if n <= 0 {
			return fmt.Errorf("gofive: WithWebhookMaxBytes: %d is not positive", n)
		}
		c.maxBytes = n
		return nil
	}
}

// WithWebhookMaxConcurrent bounds the deliveries read, decoded and handed to callbacks at
// once (default [DefaultWebhookMaxConcurrent]). A delivery beyond the bound is answered 503
// with Retry-After before its body is read, so that memory stays within about n times a
// small multiple of the body limit.
func WithWebhookMaxConcurrent(n int) WebhookOption {
	return func(c *webhookConfig) error {
		if n <= 0 {
			return fmt.Errorf("gofive: WithWebhookMaxConcurrent: %d is not positive", n)
		}
		c.maxConcurrent = n
		return nil
	}
}

// WithWebhookAnyContentType accepts a delivery whose Content-Type is missing or is not
// JSON, as long as the body is one JSON object. The Content-Type Venio sends was never
// observed; use this if its deliveries are refused with 415. A compressed body
// (Content-Encoding) is still refused. By default the handler is strict.
func WithWebhookAnyContentType() WebhookOption {
	return func(c *webhookConfig) error {
		c.anyContentType = true
		return nil
	}
}

// WithWebhookLogger logs one record per delivery: kind, topic, event, size, status and,
// for a rejected one, why. Never the body, headers, query string or secret. Off by default.
func WithWebhookLogger(l *slog.Logger) WebhookOption {
	return func(c *webhookConfig) error {
		c.logger = l
		return nil
	}
}

// A WebhookHandler is an [http.Handler] receiving the webhook notifications Venio POSTs to
// a URL you register in the Venio app.
//
// What is known about them comes from public consumer code, not from the docs: the page
// describing them (https://developer.gofive.co.th/doc-340950) was recovered without its
// body. Payloads have PascalCase keys Topic, Event and Data; a chat message is Topic
// "Chat", Event "Message" with Data.ChatMessage.{RoomId, Platform, Content,
// User.OriginalName}; a sales-order notification carries Data.SaleOrderNo. Nothing else
// is assumed and nothing is dropped: every event keeps its body byte for byte.
//
// Venio is not known to sign deliveries, so a payload proves nothing by itself. Use HTTPS,
// protect the URL with a shared secret of your own ([WithWebhookSecret]) and fetch the
// object a notification names through the authenticated API ([SalesOrderEvent.Fetch])
// rather than trusting the payload.
//
// The handler accepts a POST of one JSON object (Content-Type application/json) of at most
// the configured size, decodes it with [ParseWebhook] and calls the callbacks registered
// with OnSalesOrder, OnChatMessage and OnEvent. It answers:
//
//   - 200 {"ok":true} when the callbacks succeeded (or none applied: the delivery is acknowledged);
//   - 400 when the body is not one JSON object or its Topic or Event is not a string;
//   - 401 when a secret is configured and the delivery's is missing or wrong;
//   - 405 (with Allow: POST) for other methods;
//   - 413 when the body is larger than the limit;
//   - 400 too when a callback returns an error wrapping [ErrMalformedWebhook] (as
//     [SalesOrderEvent.Fetch] does for a number that cannot be an order): redelivery cannot help;
//   - 415 when the body is not declared as JSON (or is compressed, or not UTF-8); see
//     [WithWebhookAnyContentType];
//   - 500 when a callback returns another error or panics (the error is logged, not sent back);
//   - 503 with Retry-After when more than [WithWebhookMaxConcurrent] deliveries are being
//     handled; the body is not read.
//
// A delivery costs a small multiple of its size in memory (see [MaxTypedWebhookMembers]),
// and at most [WithWebhookMaxConcurrent] are held at once.
//
// Error responses are {"ok":false,"error":"…"}. Venio's retry behaviour is not
// documented; the public consumers answer quickly, so keep callbacks short and hand long
// work to a queue. Callbacks run on the request's goroutine under its context.
// Register callbacks before serving; registering later is safe but races with deliveries.
type WebhookHandler struct {
	cfg   webhookConfig
	slots chan struct{} // one per delivery being read, decoded or handled

	mu           sync.RWMutex
	onSalesOrder func(context.Context, *SalesOrderEvent) error
	onChat       func(context.Context, *ChatMessageEvent) error
	onEvent      func(context.Context, *WebhookEvent) error
}

// NewWebhookHandler returns a handler configured by opts.
func NewWebhookHandler(opts ...WebhookOption) (*WebhookHandler, error) {
	cfg := webhookConfig{maxBytes: DefaultWebhookMaxBytes, maxConcurrent: DefaultWebhookMaxConcurrent}
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(&cfg); err != nil {
			return nil, err
		}
	}
	return &WebhookHandler{cfg: cfg, slots: make(chan struct{}, cfg.maxConcurrent)}, nil
}

// OnSalesOrder sets the callback for sales-order notifications ([WebhookSalesOrder]),
// replacing any earlier one.
func (h *WebhookHandler) OnSalesOrder(fn func(context.Context, *SalesOrderEvent) error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.onSalesOrder = fn
}

// OnChatMessage sets the callback for chat messages ([WebhookChatMessage]), replacing any
// earlier one.
func (h *WebhookHandler) OnChatMessage(fn func(context.Context, *ChatMessageEvent) error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.onChat = fn
}

// OnEvent sets the catch-all callback, replacing any earlier one. It receives every
// delivery, unknown topics included, after the kind's own callback (if any) succeeded:
// the place to log or archive everything. For a typed event it gets the embedded
// *WebhookEvent.
func (h *WebhookHandler) OnEvent(fn func(context.Context, *WebhookEvent) error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.onEvent = fn
}

// ServeHTTP implements [http.Handler].
func (h *WebhookHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		h.reject(w, r, http.StatusMethodNotAllowed, "method "+r.Method+" not allowed: deliveries are POST")
		return
	}
	if len(h.cfg.secrets) > 0 {
		if msg := h.checkSecret(r); msg != "" {
			// Not an HTTP authentication scheme, but a 401 must name one.
			w.Header().Set("WWW-Authenticate", `GofiveWebhookSecret realm="gofive webhook"`)
			h.reject(w, r, http.StatusUnauthorized, msg)
			return
		}
	}
	if msg := checkWebhookContentType(r.Header, h.cfg.anyContentType); msg != "" {
		h.reject(w, r, http.StatusUnsupportedMediaType, msg)
		return
	}
	limit := h.cfg.maxBytes
	if r.ContentLength > limit {
		h.reject(w, r, http.StatusRequestEntityTooLarge, fmt.Sprintf("body larger than %d bytes", limit))
		return
	}
	select {
	case h.slots <- struct{}{}:
		defer func() { <-h.slots }()
	default:
		// Venio's retry behaviour is unknown; Retry-After is the standard way to ask again.
		w.Header().Set("Retry-After", webhookRetryAfter)
		h.reject(w, r, http.StatusServiceUnavailable, fmt.Sprintf("more than %d deliveries at once: try again later", cap(h.slots)))
		return
	}
	if r.Body == nil { // only when ServeHTTP is called directly
		r.Body = http.NoBody
	}
	body, err := readWebhookBody(http.MaxBytesReader(w, r.Body, limit), r.ContentLength)
	if err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			h.reject(w, r, http.StatusRequestEntityTooLarge, fmt.Sprintf("body larger than %d bytes", limit))
			return
		}
		h.reject(w, r, http.StatusBadRequest, "reading body: "+err.Error())
		return
	}
	ev, typedErr, err := parseWebhook(body, true)
	if err != nil {
		h.reject(w, r, http.StatusBadRequest, strings.TrimPrefix(err.Error(), "gofive: "))
		return
	}
	base := webhookBase(ev)
	attrs := []slog.Attr{
		slog.String("path", r.URL.Path),
		slog.String("kind", string(base.Kind)),
		slog.String("topic", base.Topic),
		slog.String("event", base.Event),
		slog.Int("bytes", len(body)),
	}
	if typedErr != nil {
		h.log(r.Context(), slog.LevelWarn, "gofive: webhook delivered raw", append(attrs, slog.String("reason", typedErr.Error()))...)
	}
	if err := h.dispatch(r.Context(), ev); err != nil {
		h.log(r.Context(), slog.LevelError, "gofive: webhook callback failed", append(attrs, slog.String("error", err.Error()))...)
		if errors.Is(err, ErrMalformedWebhook) {
			// The delivery itself is wrong (say an order number that cannot exist):
			// delivering it again cannot help.
			writeWebhookJSON(w, http.StatusBadRequest, "webhook payload rejected by the callback")
			return
		}
		writeWebhookJSON(w, http.StatusInternalServerError, "webhook callback failed")
		return
	}
	h.log(r.Context(), slog.LevelInfo, "gofive: webhook received", append(attrs, slog.Int("status", http.StatusOK))...)
	writeWebhookJSON(w, http.StatusOK, "")
}

func webhookBase(ev any) *WebhookEvent {
	switch e := ev.(type) {
	case *SalesOrderEvent:
		return &e.WebhookEvent
	case *ChatMessageEvent:
		return &e.WebhookEvent
	default:
		return ev.(*WebhookEvent)
	}
}

// dispatch runs the kind's callback, then the catch-all; a panic is an error.
func (h *WebhookHandler) dispatch(ctx context.Context, ev any) (err error) {
	h.mu.RLock()
	onSO, onChat, onEvent := h.onSalesOrder, h.onChat, h.onEvent
	h.mu.RUnlock()
	defer func() {
		if p := recover(); p != nil {
			if p == http.ErrAbortHandler {
				panic(p)
			}
			err = fmt.Errorf("callback panicked: %v", p)
		}
	}()
	switch e := ev.(type) {
	case *SalesOrderEvent:
		if onSO != nil {
			if err := onSO(ctx, e); err != nil {
				return err
			}
		}
	case *ChatMessageEvent:
		if onChat != nil {
			if err := onChat(ctx, e); err != nil {
				return err
			}
		}
	}
	if onEvent != nil {
		return onEvent(ctx, webhookBase(ev))
	}
	return nil
}

// checkSecret returns why the delivery's secret is not accepted, or "". The header wins
// over the query parameter. Both sides are hashed first so that neither the comparison's
// time nor its length check says anything about the secret.
func (h *WebhookHandler) checkSecret(r *http.Request) string {
	got, ok := r.Header[http.CanonicalHeaderKey(WebhookSecretHeader)]
	if !ok {
		got, ok = r.URL.Query()[WebhookSecretParam]
	}
	if !ok || len(got) == 0 || got[0] == "" {
		return "webhook secret missing (header " + WebhookSecretHeader + " or query parameter " + WebhookSecretParam + ")"
	}
	sum := sha256.Sum256([]byte(got[0]))
	match := 0
	for i := range h.cfg.secrets {
		match |= subtle.ConstantTimeCompare(sum[:], h.cfg.secrets[i][:])
	}
	if match != 1 {
		return "webhook secret wrong"
	}
	return ""
}

// readWebhookBody reads a body into one buffer sized from its declared length (bounded by
// the MaxBytesReader around r), so that a delivery costs its size once, not the doublings
// of io.ReadAll.
func readWebhookBody(r io.Reader, declared int64) ([]byte, error) {
	var buf bytes.Buffer
	if declared > 0 {
		buf.Grow(int(declared) + bytes.MinRead) // ReadFrom wants MinRead spare bytes
	}
	_, err := buf.ReadFrom(r)
	return buf.Bytes(), err
}

// checkWebhookContentType returns why the body is not acceptable JSON, or "". With any,
// only the encoding is checked.
func checkWebhookContentType(hdr http.Header, any bool) string {
	if ce := hdr.Get("Content-Encoding"); ce != "" && !strings.EqualFold(ce, "identity") {
		return "Content-Encoding " + ce + " not supported"
	}
	if any {
		return ""
	}
	ct := hdr.Get("Content-Type")
	if ct == "" {
		return "Content-Type missing: want application/json"
	}
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil || !(mt == "application/json" || strings.HasPrefix(mt, "application/") && strings.HasSuffix(mt, "+json")) {
		return "Content-Type must be application/json"
	}
	if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") && !strings.EqualFold(cs, "utf8") {
		return "charset must be utf-8"
	}
	return ""
}

func (h *WebhookHandler) reject(w http.ResponseWriter, r *http.Request, status int, msg string) {
	h.log(r.Context(), slog.LevelWarn, "gofive: webhook rejected",
		slog.String("method", r.Method), slog.String("path", r.URL.Path),
		slog.Int("status", status), slog.String("reason", msg))
	writeWebhookJSON(w, status, msg)
}

func (h *WebhookHandler) log(ctx context.Context, level slog.Level, msg string, attrs ...slog.Attr) {
	if h.cfg.logger != nil {
		h.cfg.logger.LogAttrs(ctx, level, msg, attrs...)
	}
}

func writeWebhookJSON(w http.ResponseWriter, status int, errMsg string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	if errMsg == "" {
		io.WriteString(w, `{"ok":true}`+"\n")
		return
	}
	b, _ := json.Marshal(struct {
		OK    bool   `json:"ok"`
		Error string `json:"error"`
	}{false, errMsg})
	w.Write(append(b, '\n'))
}

// DefaultWebhookMaxConcurrent bounds the deliveries handled at once unless
// [WithWebhookMaxConcurrent] says otherwise.
const DefaultWebhookMaxConcurrent = 32

// webhookRetryAfter is the Retry-After, in seconds, of a 503 for too many deliveries.
const webhookRetryAfter = "5"
