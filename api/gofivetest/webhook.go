package gofivetest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"

	"github.com/gofive-go/gofive/gen"
)

// Webhook deliveries for tests: payload builders for the kinds known from public consumer
// code, and a client that POSTs them to a handler the way Venio does (JSON, no signature).
// The payloads carry only keys seen in that code; values are the caller's.

// SalesOrderWebhook is a sales-order notification for order no: {"Data":{"SaleOrderNo":no}}.
// It has no Topic or Event because their values for sales orders were never seen.
func SalesOrderWebhook(no string) gen.WebhookSalesOrderPayload {
	return gen.WebhookSalesOrderPayload{Data: gen.WebhookSalesOrderData{SaleOrderNo: no}}
}

// ChatMessageWebhook is a chat message (Topic "Chat", Event "Message") in room roomID on
// platform (1 is LINE, as public code reads it), with text content from sender.
func ChatMessageWebhook(roomID string, platform float64, content, sender string) gen.WebhookChatMessagePayload {
	return gen.WebhookChatMessagePayload{
		Topic: "Chat",
		Event: "Message",
		Data: &gen.WebhookChatMessageData{ChatMessage: &gen.WebhookChatMessage{
			RoomID:   &roomID,
			Platform: &platform,
			Content:  &content,
			User:     &gen.WebhookChatUser{OriginalName: &sender},
		}},
	}
}

// Webhook is a payload of any topic and event, with data (any JSON-encodable value, nil for
// none) as its Data: for testing what a handler does with topics it does not know.
func Webhook(topic, event string, data any) (gen.WebhookPayload, error) {
	p := gen.WebhookPayload{Topic: &topic, Event: &event}
	if data != nil {
		b, err := json.Marshal(data)
		if err != nil {
			return gen.WebhookPayload{}, fmt.Errorf("gofivetest: webhook data: %w", err)
		}
		p.Data = b
	}
	return p, nil
}

// A DeliveryOption changes how [DeliverWebhook] sends a payload.
type DeliveryOption func(*delivery)

type delivery struct {
	header http.Header
	client *http.Client
	method string
}

// WithDeliveryHeader sets a request header, e.g. api.WebhookSecretHeader or a different
// Content-Type; an empty value removes it (WithDeliveryHeader("Content-Type", "") sends none).
func WithDeliveryHeader(key, value string) DeliveryOption {
	return func(d *delivery) {
		if value == "" {
			d.header.Del(key)
			return
		}
		d.header.Set(key, value)
	}
}

// WithDeliveryClient sends with client instead of a plain loopback client (e.g. an
// httptest.Server's TLS client).
func WithDeliveryClient(client *http.Client) DeliveryOption {
	return func(d *delivery) { d.client = client }
}

// WithDeliveryMethod sends with method instead of POST, to test a handler's refusal.
func WithDeliveryMethod(method string) DeliveryOption {
	return func(d *delivery) { d.method = method }
}

// DeliverWebhook POSTs payload to url as Venio delivers a webhook: a JSON body with
// Content-Type application/json and no signature. payload is encoded as JSON, except
// []byte, json.RawMessage and string, which are sent as they are (to test malformed
// bodies). A shared secret goes in url (?secret=…) or in a header ([WithDeliveryHeader]).
//
// It returns the handler's response with its body read and replaced by an in-memory
// copy, so closing it is optional. Being a test helper, it delivers only to loopback
// addresses (localhost, 127.0.0.0/8, ::1) and follows no redirects.
func DeliverWebhook(ctx context.Context, url string, payload any, opts ...DeliveryOption) (*http.Response, error) {
	d := delivery{header: http.Header{"Content-Type": {"application/json"}}, method: http.MethodPost}
	for _, opt := range opts {
		opt(&d)
	}
	if err := checkLoopback(url); err != nil {
		return nil, err
	}
	var body []byte
	switch p := payload.(type) {
	case []byte:
		body = p
	case json.RawMessage:
		body = p
	case string:
		body = []byte(p)
	default:
		b, err := json.Marshal(payload)
		if err != nil {
			return nil, fmt.Errorf("gofivetest: encoding webhook payload: %w", err)
		}
		body = b
	}
	req, err := http.NewRequestWithContext(ctx, d.method, url, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("gofivetest: %w", err)
	}
	req.Header = d.header
	client := d.client
	if client == nil {
		client = &http.Client{}
	}
	noRedirect := *client
	noRedirect.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := noRedirect.Do(req)
	if err != nil {
		return nil, fmt.Errorf("gofivetest: delivering webhook: %w", redactURL(err))
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("gofivetest: reading webhook response: %w", err)
	}
	resp.Body = io.NopCloser(bytes.NewReader(b))
	return resp, nil
}

// DeliverSalesOrderWebhook delivers [SalesOrderWebhook] for the stored sales order no to
// url, as Venio would after a change to it; the handler can then fetch the order from s.
// It fails if s has no such order.
func (s *Server) DeliverSalesOrderWebhook(ctx context.Context, url, no string, opts ...DeliveryOption) (*http.Response, error) {
	if _, ok := s.SalesOrder(no); !ok {
		return nil, fmt.Errorf("gofivetest: no sales order %q to notify", no)
	}
	return DeliverWebhook(ctx, url, SalesOrderWebhook(no), opts...)
}

// checkLoopback refuses URLs whose host is not a loopback address.
func checkLoopback(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("gofivetest: webhook URL: %w", redactURL(err))
	}
	host := u.Hostname()
	if u.Scheme != "http" && u.Scheme != "https" || host == "" {
		return errors.New("gofivetest: webhook URL must be http(s)://host…")
	}
	if strings.EqualFold(host, "localhost") {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("gofivetest: webhook URL host %q is not a loopback address; gofivetest delivers only to local test servers", host)
}

// redactURL drops the URL (which may carry ?secret=) from a *url.Error.
func redactURL(err error) error {
	if ue, ok := errors.AsType[*url.Error](err); ok {
		return fmt.Errorf("%s: %w", ue.Op, ue.Err)
	}
	return err
}
