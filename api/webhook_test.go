package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"gopkg.in/yaml.v3"

	"github.com/gofive-go/gofive/api"
	"github.com/gofive-go/gofive/api/gofivetest"
	"github.com/gofive-go/gofive/api/wire"
	"github.com/gofive-go/gofive/gen"
)

// Secrets contain + / = & so that encoding mistakes show.
const (
	hookSecret  = "hook+s3cret/Va1ue==&x"
	hookSecret2 = "rotated+secret/2=="
)

// hookRecorder collects what the callbacks receive.
type hookRecorder struct {
	mu     sync.Mutex
	orders []*api.SalesOrderEvent
	chats  []*api.ChatMessageEvent
	all    []*api.WebhookEvent
}

func (r *hookRecorder) counts() (orders, chats, all int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.orders), len(r.chats), len(r.all)
}

// newHook serves a WebhookHandler built from opts whose callbacks record into the returned
// hookRecorder. The URL is the server's root.
func newHook(t *testing.T, opts ...api.WebhookOption) (*api.WebhookHandler, *hookRecorder, string) {
	t.Helper()
	h, err := api.NewWebhookHandler(opts...)
	if err != nil {
		t.Fatal(err)
	}
	rec := &hookRecorder{}
	h.OnSalesOrder(func(_ context.Context, e *api.SalesOrderEvent) error {
		rec.mu.Lock()
		defer rec.mu.Unlock()
		rec.orders = append(rec.orders, e)
		return nil
	})
	h.OnChatMessage(func(_ context.Context, e *api.ChatMessageEvent) error {
		rec.mu.Lock()
		defer rec.mu.Unlock()
		rec.chats = append(rec.chats, e)
		return nil
	})
	h.OnEvent(func(_ context.Context, e *api.WebhookEvent) error {
		rec.mu.Lock()
		defer rec.mu.Unlock()
		rec.all = append(rec.all, e)
		return nil
	})
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return h, rec, srv.URL + "/venio/hook"
}

func deliverHook(t *testing.T, target string, payload any, opts ...gofivetest.DeliveryOption) (int, string) {
	t.Helper()
	resp, err := gofivetest.DeliverWebhook(t.Context(), target, payload, opts...)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func hookJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestWebhookDeliversDocumentedPayloads(t *testing.T) {
	so := gofivetest.SalesOrderWebhook("SO260600039")
	chat := gofivetest.ChatMessageWebhook("room-7", api.ChatPlatformLINE, "สวัสดี, is SO260600039 ready?", "Malee")
	tests := []struct {
		name      string
		payload   any
		wantOrder *api.SalesOrderEvent
		wantChat  *api.ChatMessageEvent
	}{
		{
			name:    "sales order",
			payload: so,
			wantOrder: &api.SalesOrderEvent{
				WebhookEvent: api.WebhookEvent{Kind: api.WebhookSalesOrder, Data: json.RawMessage(`{"SaleOrderNo":"SO260600039"}`)},
				SaleOrderNo:  "SO260600039",
				Payload:      so,
			},
		},
		{
			name:    "chat message",
			payload: chat,
			wantChat: &api.ChatMessageEvent{
				WebhookEvent: api.WebhookEvent{Kind: api.WebhookChatMessage, Topic: "Chat", Event: "Message",
					Data: hookJSON(t, chat.Data)},
				RoomID: "room-7", Platform: 1, Content: "สวัสดี, is SO260600039 ready?", SenderName: "Malee",
				Payload: chat,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, rec, hookURL := newHook(t, api.WithWebhookSecret(hookSecret))
			body := hookJSON(t, tt.payload)
			status, resp := deliverHook(t, hookURL+"?secret="+url.QueryEscape(hookSecret), body)
			if status != http.StatusOK || strings.TrimSpace(resp) != `{"ok":true}` {
				t.Fatalf("status %d %s, want 200 {\"ok\":true}", status, resp)
			}
			var want *api.WebhookEvent
			switch {
			case tt.wantOrder != nil:
				tt.wantOrder.Raw = body
				want = &tt.wantOrder.WebhookEvent
				if len(rec.orders) != 1 || len(rec.chats) != 0 {
					t.Fatalf("OnSalesOrder called %d times, OnChatMessage %d; want 1, 0", len(rec.orders), len(rec.chats))
				}
				if d := cmp.Diff(tt.wantOrder, rec.orders[0], cmpopts.EquateEmpty()); d != "" {
					t.Errorf("SalesOrderEvent (-want +got):\n%s", d)
				}
			default:
				tt.wantChat.Raw = body
				want = &tt.wantChat.WebhookEvent
				if len(rec.chats) != 1 || len(rec.orders) != 0 {
					t.Fatalf("OnChatMessage called %d times, OnSalesOrder %d; want 1, 0", len(rec.chats), len(rec.orders))
				}
				if d := cmp.Diff(tt.wantChat, rec.chats[0], cmpopts.EquateEmpty()); d != "" {
					t.Errorf("ChatMessageEvent (-want +got):\n%s", d)
				}
			}
			if len(rec.all) != 1 {
				t.Fatalf("catch-all called %d times, want 1", len(rec.all))
			}
			if d := cmp.Diff(want, rec.all[0], cmpopts.EquateEmpty()); d != "" {
				t.Errorf("catch-all event (-want +got):\n%s", d)
			}
		})
	}
}

// TestWebhookSpecExamples delivers every example under x-gofive-webhooks in the spec and
// checks the kind it decodes to.
func TestWebhookSpecExamples(t *testing.T) {
	raw, err := os.ReadFile("../spec/openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Webhooks struct {
			Payloads map[string]struct {
				Examples map[string]struct {
					Value any `yaml:"value"`
				} `yaml:"examples"`
			} `yaml:"payloads"`
		} `yaml:"x-gofive-webhooks"`
	}
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	wantKind := map[string]api.WebhookKind{"chatMessage": api.WebhookChatMessage, "salesOrder": api.WebhookSalesOrder}
	n := 0
	for name, p := range doc.Webhooks.Payloads {
		for exName, ex := range p.Examples {
			n++
			_, rec, hookURL := newHook(t)
			if status, body := deliverHook(t, hookURL, ex.Value); status != http.StatusOK {
				t.Errorf("%s/%s: status %d %s", name, exName, status, body)
				continue
			}
			if _, _, all := rec.counts(); all != 1 {
				t.Errorf("%s/%s: catch-all called %d times", name, exName, all)
				continue
			}
			if want, ok := wantKind[name]; ok && rec.all[0].Kind != want {
				t.Errorf("%s/%s: kind %s, want %s", name, exName, rec.all[0].Kind, want)
			}
			if rec.all[0].Kind == api.WebhookUnknown {
				t.Errorf("%s/%s: a documented example decoded as unknown", name, exName)
			}
		}
	}
	if n < 3 {
		t.Errorf("found %d examples in spec/openapi.yaml x-gofive-webhooks, want at least 3", n)
	}
}

func TestWebhookUnknownKeepsEverything(t *testing.T) {
	tests := []struct {
		name, body string
		wantKind   api.WebhookKind
		topic      string
		event      string
		data       string
	}{
		{"unknown topic", `{"Topic":"Deal","Event":"Won","Data":{"DealNo":"D241200044","Nested":{"a":[1,2.50,null]}},"Extra":true}`,
			api.WebhookUnknown, "Deal", "Won", `{"DealNo":"D241200044","Nested":{"a":[1,2.50,null]}}`},
		{"chat topic, other event", `{"Topic":"Chat","Event":"Read","Data":{"ChatMessage":{"RoomId":"r"}}}`,
			api.WebhookUnknown, "Chat", "Read", `{"ChatMessage":{"RoomId":"r"}}`},
		{"no keys at all", `{}`, api.WebhookUnknown, "", "", ""},
		{"null topic and event", `{"Topic":null,"Event":null,"Data":null}`, api.WebhookUnknown, "", "", "null"},
		{"data not an object", `{"Topic":"X","Data":[1,"two"]}`, api.WebhookUnknown, "X", "", `[1,"two"]`},
		{"SaleOrderNo not a string", `{"Data":{"SaleOrderNo":260600039}}`, api.WebhookUnknown, "", "", `{"SaleOrderNo":260600039}`},
		{"empty SaleOrderNo", `{"Data":{"SaleOrderNo":""}}`, api.WebhookUnknown, "", "", `{"SaleOrderNo":""}`},
		{"chat with a Platform that is text", `{"Topic":"Chat","Event":"Message","Data":{"ChatMessage":{"Platform":"LINE"}}}`,
			api.WebhookUnknown, "Chat", "Message", `{"ChatMessage":{"Platform":"LINE"}}`},
		{"whitespace kept in Raw", " \n{\"Topic\" : \"T\"}\n", api.WebhookUnknown, "T", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs bytes.Buffer
			_, rec, hookURL := newHook(t, api.WithWebhookLogger(slog.New(slog.NewTextHandler(&logs, nil))))
			if status, body := deliverHook(t, hookURL, tt.body); status != http.StatusOK {
				t.Fatalf("status %d %s, want 200", status, body)
			}
			orders, chats, all := rec.counts()
			if orders+chats != 0 || all != 1 {
				t.Fatalf("typed callbacks %d, catch-all %d; want 0, 1", orders+chats, all)
			}
			want := &api.WebhookEvent{Kind: tt.wantKind, Topic: tt.topic, Event: tt.event,
				Data: json.RawMessage(tt.data), Raw: json.RawMessage(tt.body)}
			if d := cmp.Diff(want, rec.all[0], cmpopts.EquateEmpty()); d != "" {
				t.Errorf("event (-want +got):\n%s", d)
			}
		})
	}
}

// TestWebhookTypedKeepsUnknownKeys: keys the typed models do not know survive in their
// AdditionalProperties, and re-encoding the payload gives back the same JSON.
func TestWebhookTypedKeepsUnknownKeys(t *testing.T) {
	tests := []struct{ name, body string }{
		{"sales order", `{"Topic":"SaleOrder","Event":"Approved","Data":{"SaleOrderNo":"SOZ-260400032","Status":2,"Lines":[{"qty":1}]},"Id":"e-1","At":"2026-06-05T00:00:00+0700"}`},
		{"chat", `{"Topic":"Chat","Event":"Message","Data":{"ChatMessage":{"RoomId":"r","Platform":2,"Content":"hi","User":{"OriginalName":"Anan","UserId":"U1"},"Sticker":{"id":5}},"Channel":"fb"},"Id":9}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev, err := api.ParseWebhook([]byte(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			var payload any
			switch e := ev.(type) {
			case *api.SalesOrderEvent:
				payload = e.Payload
				if _, ok := e.Payload.Get("Id"); !ok {
					t.Error("top-level Id not kept in AdditionalProperties")
				}
				if _, ok := e.Payload.Data.Get("Status"); !ok {
					t.Error("Data.Status not kept")
				}
			case *api.ChatMessageEvent:
				payload = e.Payload
				if _, ok := e.Payload.Data.ChatMessage.Get("Sticker"); !ok {
					t.Error("ChatMessage.Sticker not kept")
				}
				if _, ok := e.Payload.Data.ChatMessage.User.Get("UserId"); !ok {
					t.Error("User.UserID not kept")
				}
			default:
				t.Fatalf("decoded as %T", ev)
			}
			var got, want any
			if err := json.Unmarshal(hookJSON(t, payload), &got); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal([]byte(tt.body), &want); err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("re-encoded payload differs from the delivery (-delivered +re-encoded):\n%s", d)
			}
		})
	}
}

func TestWebhookRejects(t *testing.T) {
	valid := `{"Data":{"SaleOrderNo":"SO260600039"}}`
	big := `{"Data":{"SaleOrderNo":"SO1","Pad":"` + strings.Repeat("x", 200) + `"}}`
	hdr := gofivetest.WithDeliveryHeader
	tests := []struct {
		name     string
		opts     []api.WebhookOption
		query    string
		body     any
		delivery []gofivetest.DeliveryOption
		want     int
		wantMsg  string // substring of the error message
	}{
		{name: "GET", body: "", delivery: []gofivetest.DeliveryOption{gofivetest.WithDeliveryMethod(http.MethodGet)}, want: 405, wantMsg: "method GET not allowed"},
		{name: "PUT", body: valid, delivery: []gofivetest.DeliveryOption{gofivetest.WithDeliveryMethod(http.MethodPut)}, want: 405},
		{name: "HEAD", body: "", delivery: []gofivetest.DeliveryOption{gofivetest.WithDeliveryMethod(http.MethodHead)}, want: 405},
		{name: "no content type", body: valid, delivery: []gofivetest.DeliveryOption{hdr("Content-Type", "")}, want: 415, wantMsg: "Content-Type missing"},
		{name: "text/plain", body: valid, delivery: []gofivetest.DeliveryOption{hdr("Content-Type", "text/plain")}, want: 415, wantMsg: "application/json"},
		{name: "form", body: "Data=1", delivery: []gofivetest.DeliveryOption{hdr("Content-Type", "application/x-www-form-urlencoded")}, want: 415},
		{name: "bad media type", body: valid, delivery: []gofivetest.DeliveryOption{hdr("Content-Type", "application/json; charset")}, want: 415},
		{name: "latin1", body: valid, delivery: []gofivetest.DeliveryOption{hdr("Content-Type", "application/json; charset=iso-8859-1")}, want: 415, wantMsg: "utf-8"},
		{name: "gzip", body: valid, delivery: []gofivetest.DeliveryOption{hdr("Content-Encoding", "gzip")}, want: 415, wantMsg: "gzip"},
		{name: "empty body", body: "", want: 400, wantMsg: "empty body"},
		{name: "blank body", body: " \n\t", want: 400, wantMsg: "empty body"},
		{name: "truncated JSON", body: `{"Topic":"Chat",`, want: 400, wantMsg: "not valid JSON"},
		{name: "not JSON", body: `Topic=Chat`, want: 400, wantMsg: "not valid JSON"},
		{name: "two objects", body: `{} {}`, want: 400, wantMsg: "not valid JSON"},
		{name: "array", body: `[{"Topic":"Chat"}]`, want: 400, wantMsg: "JSON object"},
		{name: "string", body: `"Chat"`, want: 400, wantMsg: "JSON object"},
		{name: "null", body: `null`, want: 400, wantMsg: "JSON object"},
		{name: "Topic a number", body: `{"Topic":1,"Event":"Message"}`, want: 400, wantMsg: "Topic must be a string"},
		{name: "Event an object", body: `{"Topic":"Chat","Event":{}}`, want: 400, wantMsg: "Event must be a string"},
		{name: "too large (Content-Length)", opts: []api.WebhookOption{api.WithWebhookMaxBytes(64)}, body: big, want: 413, wantMsg: "larger than 64 bytes"},
		{name: "default limit", body: `{"Pad":"` + strings.Repeat("x", api.DefaultWebhookMaxBytes) + `"}`, want: 413, wantMsg: "larger than 1048576 bytes"},
		{name: "secret missing", opts: []api.WebhookOption{api.WithWebhookSecret(hookSecret)}, body: valid, want: 401, wantMsg: "secret missing"},
		{name: "secret empty", opts: []api.WebhookOption{api.WithWebhookSecret(hookSecret)}, query: "?secret=", body: valid, want: 401, wantMsg: "secret missing"},
		{name: "secret wrong in query", opts: []api.WebhookOption{api.WithWebhookSecret(hookSecret)}, query: "?secret=guess", body: valid, want: 401, wantMsg: "secret wrong"},
		{name: "secret unescaped in query", opts: []api.WebhookOption{api.WithWebhookSecret(hookSecret)}, query: "?secret=" + hookSecret, body: valid, want: 401, wantMsg: "secret wrong"},
		{name: "secret prefix", opts: []api.WebhookOption{api.WithWebhookSecret(hookSecret)}, query: "?secret=" + url.QueryEscape(hookSecret[:5]), body: valid, want: 401},
		{name: "secret wrong in header", opts: []api.WebhookOption{api.WithWebhookSecret(hookSecret)}, body: valid, delivery: []gofivetest.DeliveryOption{hdr(api.WebhookSecretHeader, "guess")}, want: 401},
		{name: "header wins over query", opts: []api.WebhookOption{api.WithWebhookSecret(hookSecret)}, query: "?secret=" + url.QueryEscape(hookSecret),
			body: valid, delivery: []gofivetest.DeliveryOption{hdr(api.WebhookSecretHeader, "guess")}, want: 401},
		{name: "secret checked before the body", opts: []api.WebhookOption{api.WithWebhookSecret(hookSecret)}, body: `not json`, want: 401},
		{name: "method checked first", opts: []api.WebhookOption{api.WithWebhookSecret(hookSecret)}, body: valid, delivery: []gofivetest.DeliveryOption{gofivetest.WithDeliveryMethod(http.MethodDelete)}, want: 405},

		{name: "accepted: secret in query", opts: []api.WebhookOption{api.WithWebhookSecret(hookSecret)}, query: "?secret=" + url.QueryEscape(hookSecret), body: valid, want: 200},
		{name: "accepted: secret in header", opts: []api.WebhookOption{api.WithWebhookSecret(hookSecret)}, body: valid, delivery: []gofivetest.DeliveryOption{hdr(api.WebhookSecretHeader, hookSecret)}, want: 200},
		{name: "accepted: rotated secret", opts: []api.WebhookOption{api.WithWebhookSecret(hookSecret), api.WithWebhookSecret(hookSecret2)}, query: "?secret=" + url.QueryEscape(hookSecret2), body: valid, want: 200},
		{name: "accepted: charset utf-8", body: valid, delivery: []gofivetest.DeliveryOption{hdr("Content-Type", "application/json; charset=UTF-8")}, want: 200},
		{name: "accepted: +json type", body: valid, delivery: []gofivetest.DeliveryOption{hdr("Content-Type", "application/vnd.venio+json")}, want: 200},
		{name: "accepted: at the limit", opts: []api.WebhookOption{api.WithWebhookMaxBytes(int64(len(valid)))}, body: valid, want: 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, rec, hookURL := newHook(t, tt.opts...)
			resp, err := gofivetest.DeliverWebhook(t.Context(), hookURL+tt.query, tt.body, tt.delivery...)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tt.want {
				t.Fatalf("status %d %s, want %d", resp.StatusCode, body, tt.want)
			}
			orders, chats, all := rec.counts()
			if tt.want != http.StatusOK {
				if orders+chats+all != 0 {
					t.Errorf("a rejected delivery reached the callbacks")
				}
				if tt.want == http.StatusMethodNotAllowed && resp.Header.Get("Allow") != http.MethodPost {
					t.Errorf("Allow = %q, want POST", resp.Header.Get("Allow"))
				}
				if tt.want == http.StatusUnauthorized && resp.Header.Get("WWW-Authenticate") == "" {
					t.Error("401 without WWW-Authenticate")
				}
				if resp.Request.Method == http.MethodHead {
					return
				}
				var got struct {
					OK    *bool  `json:"ok"`
					Error string `json:"error"`
				}
				if err := json.Unmarshal(body, &got); err != nil || got.OK == nil || *got.OK {
					t.Fatalf("body %s, want {\"ok\":false,\"error\":…}", body)
				}
				if !strings.Contains(got.Error, tt.wantMsg) {
					t.Errorf("error %q does not say %q", got.Error, tt.wantMsg)
				}
				for _, s := range []string{hookSecret, url.QueryEscape(hookSecret), "guess"} {
					if strings.Contains(string(body), s) {
						t.Errorf("response echoes a secret: %s", body)
					}
				}
				return
			}
			if orders != 1 || all != 1 {
				t.Errorf("OnSalesOrder %d, catch-all %d; want 1, 1", orders, all)
			}
		})
	}
}

// TestWebhookTooLargeChunked covers a body without Content-Length.
func TestWebhookTooLargeChunked(t *testing.T) {
	_, rec, hookURL := newHook(t, api.WithWebhookMaxBytes(100))
	body := io.MultiReader(strings.NewReader(`{"Pad":"`), strings.NewReader(strings.Repeat("x", 500)), strings.NewReader(`"}`))
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, hookURL, io.NopCloser(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("status %d, want 413", resp.StatusCode)
	}
	if _, _, all := rec.counts(); all != 0 {
		t.Error("an oversized delivery reached the callbacks")
	}
}

func TestWebhookCallbackErrors(t *testing.T) {
	boom := errors.New("database down: password=hunter2")
	so := gofivetest.SalesOrderWebhook("SO1")
	tests := []struct {
		name          string
		payload       any
		onSalesOrder  func(context.Context, *api.SalesOrderEvent) error
		onEvent       func(context.Context, *api.WebhookEvent) error
		want          int
		wantCatchAlls int
	}{
		{name: "typed callback fails", payload: so,
			onSalesOrder: func(context.Context, *api.SalesOrderEvent) error { return boom }, want: 500, wantCatchAlls: 0},
		{name: "catch-all fails", payload: so,
			onEvent: func(context.Context, *api.WebhookEvent) error { return boom }, want: 500, wantCatchAlls: 1},
		{name: "catch-all fails on unknown", payload: `{"Topic":"New"}`,
			onEvent: func(context.Context, *api.WebhookEvent) error { return boom }, want: 500, wantCatchAlls: 1},
		{name: "typed callback panics", payload: so,
			onSalesOrder: func(context.Context, *api.SalesOrderEvent) error { panic("nil map") }, want: 500},
		{name: "no callbacks: acknowledged", payload: so, want: 200},
		{name: "typed only, unknown kind: acknowledged", payload: `{"Topic":"New"}`,
			onSalesOrder: func(context.Context, *api.SalesOrderEvent) error { return boom }, want: 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs bytes.Buffer
			h, err := api.NewWebhookHandler(api.WithWebhookLogger(slog.New(slog.NewJSONHandler(&logs, nil))))
			if err != nil {
				t.Fatal(err)
			}
			catchAlls := 0
			if tt.onSalesOrder != nil {
				h.OnSalesOrder(tt.onSalesOrder)
			}
			h.OnEvent(func(ctx context.Context, e *api.WebhookEvent) error {
				catchAlls++
				if tt.onEvent != nil {
					return tt.onEvent(ctx, e)
				}
				return nil
			})
			srv := httptest.NewServer(h)
			defer srv.Close()
			status, body := deliverHook(t, srv.URL, tt.payload)
			if status != tt.want {
				t.Fatalf("status %d %s, want %d", status, body, tt.want)
			}
			if tt.want == 500 {
				if want := `{"ok":false,"error":"webhook callback failed"}`; strings.TrimSpace(body) != want {
					t.Errorf("body %s, want %s (the callback's error is not sent back)", body, want)
				}
				if !strings.Contains(logs.String(), "webhook callback failed") {
					t.Errorf("failure not logged: %s", logs.String())
				}
				if tt.wantCatchAlls >= 0 && catchAlls != tt.wantCatchAlls {
					t.Errorf("catch-all called %d times, want %d", catchAlls, tt.wantCatchAlls)
				}
			}
		})
	}
}

// TestWebhookSecretNeverLogged delivers right and wrong secrets through a debug logger.
func TestWebhookSecretNeverLogged(t *testing.T) {
	var logs bytes.Buffer
	_, _, hookURL := newHook(t, api.WithWebhookSecret(hookSecret),
		api.WithWebhookLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	valid := `{"Data":{"SaleOrderNo":"SO1"}}`
	var bodies []string
	for _, q := range []string{"?secret=" + url.QueryEscape(hookSecret), "?secret=" + url.QueryEscape(hookSecret+"x"), "?secret=" + hookSecret, ""} {
		for _, opts := range [][]gofivetest.DeliveryOption{nil, {gofivetest.WithDeliveryHeader(api.WebhookSecretHeader, hookSecret)}} {
			_, body := deliverHook(t, hookURL+q, valid, opts...)
			bodies = append(bodies, body)
			_, body = deliverHook(t, hookURL+q, `{broken`, opts...)
			bodies = append(bodies, body)
		}
	}
	out := logs.String() + strings.Join(bodies, "\n")
	if !strings.Contains(logs.String(), "webhook rejected") || !strings.Contains(logs.String(), "webhook received") {
		t.Fatalf("expected both accepted and rejected deliveries in the log:\n%s", logs.String())
	}
	for _, s := range []string{hookSecret, url.QueryEscape(hookSecret), "s3cret", "secret="} {
		if strings.Contains(out, s) {
			t.Errorf("log or response contains %q:\n%s", s, out)
		}
	}
}

func TestNewWebhookHandlerOptions(t *testing.T) {
	tests := []struct {
		name    string
		opt     api.WebhookOption
		wantErr string
	}{
		{"empty secret", api.WithWebhookSecret(""), "secret is empty"},
		{"blank secret", api.WithWebhookSecret("  "), "secret is empty"},
		{"zero max bytes", api.WithWebhookMaxBytes(0), "not positive"},
		{"negative max bytes", api.WithWebhookMaxBytes(-1), "not positive"},
		{"nil option", nil, ""},
		{"nil logger", api.WithWebhookLogger(nil), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := api.NewWebhookHandler(tt.opt)
			if tt.wantErr == "" {
				if err != nil || h == nil {
					t.Fatalf("got %v, %v; want a handler", h, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("error %v, want one saying %q", err, tt.wantErr)
			}
		})
	}
}

// TestSalesOrderEventFetch: a sales order created on the fake Gofive is notified by the fake
// and fetched back from the callback through the client.
func TestSalesOrderEventFetch(t *testing.T) {
	fake := gofivetest.NewServer(t)
	c, err := api.New(
		api.WithBaseURL(fake.URL),
		api.WithCredentials(fake.ClientID, fake.ClientSecret),
		api.WithSubscriptionKey(fake.SubscriptionKey),
	)
	if err != nil {
		t.Fatal(err)
	}
	date, err := wire.ParseTime("2026-06-05")
	if err != nil {
		t.Fatal(err)
	}
	qty := 2.0
	if _, err := c.SalesOrders.CreateOrUpdateSalesOrder(t.Context(), gen.SalesOrderRequest{
		SalesOrderSubject: "Webhook test",
		CustomerCode:      fake.CustomerCodes()[0],
		SalesOrderDate:    date,
		VatCalculation:    true,
		SalesOrderDetails: []gen.SalesOrderRequestLine{{ProductCode: "PD002", Qty: &qty}},
	}); err != nil {
		t.Fatal(err)
	}
	nos := fake.SalesOrderNos()
	if len(nos) != 1 {
		t.Fatalf("fake has orders %v, want one", nos)
	}
	no := nos[0]
	want, _ := fake.SalesOrder(no)

	h, err := api.NewWebhookHandler(api.WithWebhookSecret(hookSecret))
	if err != nil {
		t.Fatal(err)
	}
	var got *gen.SalesOrder
	h.OnSalesOrder(func(ctx context.Context, e *api.SalesOrderEvent) error {
		so, err := e.Fetch(ctx, c)
		got = so
		return err
	})
	srv := httptest.NewServer(h)
	defer srv.Close()
	resp, err := fake.DeliverSalesOrderWebhook(t.Context(), srv.URL+"/sales-order?secret="+url.QueryEscape(hookSecret), no)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("status %d %s", resp.StatusCode, b)
	}
	if got == nil {
		t.Fatal("callback did not fetch the order")
	}
	if d := cmp.Diff(want, *got, cmpopts.EquateEmpty()); d != "" {
		t.Errorf("fetched order (-fake +fetched):\n%s", d)
	}

	if _, err := fake.DeliverSalesOrderWebhook(t.Context(), srv.URL, "SO-NOPE"); err == nil {
		t.Error("DeliverSalesOrderWebhook for an order the fake does not have: no error")
	}

	t.Run("unknown order", func(t *testing.T) {
		e := &api.SalesOrderEvent{SaleOrderNo: "SO999999999"}
		if _, err := e.Fetch(t.Context(), c); !errors.Is(err, api.ErrNotFound) {
			t.Errorf("error %v, want ErrNotFound", err)
		}
	})
	t.Run("numbers that are not path segments", func(t *testing.T) {
		before := len(fake.Requests())
		for _, no := range []string{"", " ", ".", "..", "../../v1/products", `SO1\x`, "SO1?x=1", "SO1#x", "SO%2F1", "SO1\n"} {
			e := &api.SalesOrderEvent{SaleOrderNo: no}
			if _, err := e.Fetch(t.Context(), c); !errors.Is(err, api.ErrMalformedWebhook) {
				t.Errorf("Fetch(%q): error %v, want ErrMalformedWebhook", no, err)
			}
		}
		if after := len(fake.Requests()); after != before {
			t.Errorf("refused numbers still sent %d requests", after-before)
		}
	})
}

// FuzzWebhookDecode checks ParseWebhook's promises on any body: it never panics; it fails
// only with ErrMalformedWebhook; an accepted body is kept byte for byte, its kind follows
// the documented rules, and a typed payload re-encodes to the same JSON (nothing dropped).
// The seed corpus is in testdata/fuzz/FuzzWebhookDecode.
func FuzzWebhookDecode(f *testing.F) {
	f.Add([]byte(`{"Topic":"Chat","Event":"Message","Data":{"ChatMessage":{"RoomId":"<room-id>","Platform":1,"Content":"<text>","User":{"OriginalName":"<name>"}}}}`))
	f.Add([]byte(`{"Data":{"SaleOrderNo":"SO260600039"}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		ev, err := api.ParseWebhook(body)
		if err != nil {
			if !errors.Is(err, api.ErrMalformedWebhook) || ev != nil {
				t.Fatalf("ParseWebhook error %v (ev %v): want only ErrMalformedWebhook", err, ev)
			}
			return
		}
		var top map[string]json.RawMessage
		if err := json.Unmarshal(body, &top); err != nil {
			t.Fatalf("accepted a body that is not a JSON object: %v", err)
		}
		var base *api.WebhookEvent
		var payload any
		switch e := ev.(type) {
		case *api.SalesOrderEvent:
			base, payload = &e.WebhookEvent, e.Payload
			if e.Kind != api.WebhookSalesOrder || e.SaleOrderNo == "" || e.SaleOrderNo != e.Payload.Data.SaleOrderNo {
				t.Fatalf("bad sales-order event: kind %s, SaleOrderNo %q", e.Kind, e.SaleOrderNo)
			}
		case *api.ChatMessageEvent:
			base, payload = &e.WebhookEvent, e.Payload
			if e.Kind != api.WebhookChatMessage || e.Topic != "Chat" || e.Event != "Message" {
				t.Fatalf("bad chat event: kind %s, %q/%q", e.Kind, e.Topic, e.Event)
			}
		case *api.WebhookEvent:
			base = e
			if e.Kind != api.WebhookUnknown {
				t.Fatalf("raw event of kind %s", e.Kind)
			}
		default:
			t.Fatalf("ParseWebhook returned %T", ev)
		}
		if !bytes.Equal(base.Raw, body) {
			t.Fatal("Raw is not the body as received")
		}
		if !bytes.Equal(base.Data, top["Data"]) {
			t.Fatalf("Data %q, want %q", base.Data, top["Data"])
		}
		for key, got := range map[string]string{"Topic": base.Topic, "Event": base.Event} {
			var want string
			if raw, ok := top[key]; ok {
				json.Unmarshal(raw, &want) // null leaves ""
			}
			if got != want {
				t.Fatalf("%s %q, want %q", key, got, want)
			}
		}
		if payload == nil {
			return
		}
		b, err := json.Marshal(payload)
		if err != nil {
			t.Fatalf("re-encoding the typed payload: %v", err)
		}
		var got, want any
		if err := json.Unmarshal(b, &got); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(body, &want); err != nil {
			t.Fatal(err)
		}
		// A typed field that is null comes back absent: the same "no value" to a Go reader.
		if d := cmp.Diff(dropJSONNulls(want), dropJSONNulls(got)); d != "" {
			t.Fatalf("typed payload lost or changed something (-body +re-encoded):\n%s", d)
		}
	})
}

// dropJSONNulls removes the object members whose value is null, recursively.
func dropJSONNulls(v any) any {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			if x == nil {
				delete(v, k)
				continue
			}
			v[k] = dropJSONNulls(x)
		}
	case []any:
		for i := range v {
			v[i] = dropJSONNulls(v[i])
		}
	}
	return v
}

func ExampleWebhookHandler() {
	// The secret goes in the URL you register in Venio (Venio signs nothing):
	// https://crm-sync.example.com/venio/hook?secret=…
	h, err := api.NewWebhookHandler(api.WithWebhookSecret("long-random-string"))
	if err != nil {
		log.Fatal(err)
	}
	h.OnSalesOrder(func(ctx context.Context, e *api.SalesOrderEvent) error {
		fmt.Println("sales order", e.SaleOrderNo)
		// Fetch the order rather than trusting the payload:
		// so, err := e.Fetch(ctx, client)
		return nil
	})
	h.OnChatMessage(func(ctx context.Context, e *api.ChatMessageEvent) error {
		fmt.Printf("chat in %s from %s: %s (LINE: %t)\n", e.RoomID, e.SenderName, e.Content, e.Platform == api.ChatPlatformLINE)
		return nil
	})
	h.OnEvent(func(ctx context.Context, e *api.WebhookEvent) error {
		fmt.Printf("every event: %s %s\n", e.Kind, e.Raw)
		return nil
	})
	// In a service: http.Handle("/venio/hook", h), served over HTTPS.
	srv := httptest.NewServer(h)
	defer srv.Close()

	unknown, _ := gofivetest.Webhook("Deal", "Won", map[string]string{"DealNo": "D241200044"})
	for _, payload := range []any{
		gofivetest.SalesOrderWebhook("SO260600039"),
		gofivetest.ChatMessageWebhook("room-7", api.ChatPlatformLINE, "Is my order ready?", "Malee"),
		unknown,
	} {
		resp, err := gofivetest.DeliverWebhook(context.Background(), srv.URL+"/venio/hook?secret=long-random-string", payload)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(resp.Status)
	}
	// Output:
	// sales order SO260600039
	// every event: salesOrder {"Data":{"SaleOrderNo":"SO260600039"}}
	// 200 OK
	// chat in room-7 from Malee: Is my order ready? (LINE: true)
	// every event: chatMessage {"Data":{"ChatMessage":{"Content":"Is my order ready?","Platform":1,"RoomId":"room-7","User":{"OriginalName":"Malee"}}},"Event":"Message","Topic":"Chat"}
	// 200 OK
	// every event: unknown {"Data":{"DealNo":"D241200044"},"Event":"Won","Topic":"Deal"}
	// 200 OK
}

// TestDeliverWebhookLoopbackOnly: the test helper refuses, before sending anything, URLs that
// are not on this machine, and its errors do not show the URL's secret.
func TestDeliverWebhookLoopbackOnly(t *testing.T) {
	payload := gofivetest.SalesOrderWebhook("SO1")
	for _, target := range []string{
		"https://example.com/hook?secret=" + url.QueryEscape(hookSecret),
		"http://10.0.0.1/hook",
		"http://[2001:db8::1]/hook",
		"http://127.0.0.1.example.com/hook",
		"ftp://127.0.0.1/hook",
		"/relative",
		"http://%zz/",
	} {
		if _, err := gofivetest.DeliverWebhook(t.Context(), target, payload); err == nil {
			t.Errorf("%s: delivered", target)
		} else if strings.Contains(err.Error(), hookSecret) || strings.Contains(err.Error(), url.QueryEscape(hookSecret)) {
			t.Errorf("%s: error shows the secret: %v", target, err)
		}
	}
	// Loopback forms are accepted (nothing listens on port 1: a connection error, not a refusal).
	for _, target := range []string{"http://localhost:1/", "http://127.0.0.2:1/", "http://[::1]:1/"} {
		_, err := gofivetest.DeliverWebhook(t.Context(), target+"?secret="+url.QueryEscape(hookSecret), payload)
		if err == nil || strings.Contains(err.Error(), "not a loopback") {
			t.Errorf("%s: %v, want a connection error", target, err)
		}
		if err != nil && strings.Contains(err.Error(), url.QueryEscape(hookSecret)) {
			t.Errorf("%s: error shows the secret: %v", target, err)
		}
	}
}
