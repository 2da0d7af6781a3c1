package spec

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/gofive-go/gofive/spec/xgofive"
)

// OpenAPI 3.0 has no webhooks section, so the webhook payloads are listed under the top-level
// extension x-gofive-webhooks, which the loader keeps as plain data: its $refs are not
// resolved and its examples are not validated by Load. These tests do both.

// webhookPayloads reads x-gofive-webhooks.payloads through package xgofive, failing the test
// on any malformed entry.
func webhookPayloads(t *testing.T, doc *openapi3.T) []xgofive.WebhookPayload {
	t.Helper()
	w, err := xgofive.WebhooksOf(doc)
	if err != nil {
		t.Fatal(err)
	}
	return w.Payloads
}

// asDecoded round-trips v through JSON so it has the types a decoder of a delivery produces.
func asDecoded(t *testing.T, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestWebhookExamplesValidate(t *testing.T) {
	doc := MustLoad()
	n := 0
	for _, p := range webhookPayloads(t, doc) {
		if len(p.Examples) == 0 {
			t.Errorf("payload %s: no example", p.Name)
		}
		for exName, v := range p.Examples {
			n++
			if err := p.Schema.Value.VisitJSON(asDecoded(t, v), openapi3.MultiErrors()); err != nil {
				t.Errorf("payload %s example %s does not validate against its schema: %v", p.Name, exName, err)
			}
		}
	}
	if n < 3 {
		t.Errorf("only %d webhook examples; want one per documented payload", n)
	}
}

// TestWebhookEntries checks that each payload says what it is and where it comes from, and
// that the documented kinds are there.
func TestWebhookEntries(t *testing.T) {
	doc := MustLoad()
	w, err := xgofive.WebhooksOf(doc)
	if err != nil {
		t.Fatal(err)
	}
	for _, must := range []string{"doc-340950", "CODE", "signature"} {
		if !strings.Contains(w.Description, must) {
			t.Errorf("x-gofive-webhooks.description must mention %q", must)
		}
	}
	if w.Completeness != xgofive.Partial || len(w.Sources) == 0 {
		t.Errorf("x-gofive-webhooks: completeness %q, sources %v; want partial, with sources", w.Completeness, w.Sources)
	}
	names := map[string]bool{}
	for _, p := range w.Payloads {
		names[p.Name] = true
		if strings.TrimSpace(p.Description) == "" {
			t.Errorf("payload %s: no description", p.Name)
		}
		if len(p.Sources) == 0 {
			t.Errorf("payload %s: x-gofive-sources must list at least one source", p.Name)
		}
	}
	for _, want := range []string{"any", "chatMessage", "salesOrder"} {
		if !names[want] {
			t.Errorf("x-gofive-webhooks.payloads has no %s", want)
		}
	}
}

// TestWebhookSchemas walks the payload schemas: keys are PascalCase, every object keeps
// unknown keys (additionalProperties) and carries its sources.
func TestWebhookSchemas(t *testing.T) {
	doc := MustLoad()
	visited := map[*openapi3.Schema]bool{}
	objects := 0
	check := func(where string, s *openapi3.Schema) {
		if !s.Type.Is("object") || len(s.Properties) == 0 {
			return
		}
		objects++
		if s.AdditionalProperties.Schema == nil {
			t.Errorf("%s: webhook objects must keep unknown keys (additionalProperties)", where)
		}
		if len(xgofive.Sources(s.Extensions)) == 0 {
			t.Errorf("%s: no x-gofive-sources", where)
		}
		if !xgofive.PartialSchema(s) {
			t.Errorf("%s: not every key is known, mark it x-gofive-partial", where)
		}
		for name := range s.Properties {
			if r := []rune(name); !unicode.IsUpper(r[0]) {
				t.Errorf("%s.%s: webhook payload keys are PascalCase", where, name)
			}
		}
	}
	walk := func(where string, ref *openapi3.SchemaRef) { walkSchemas(where, ref, visited, check) }
	for _, p := range webhookPayloads(t, doc) {
		walk(p.Name, p.Schema)
	}
	if objects < 7 {
		t.Errorf("walked %d webhook object schemas; want at least 7", objects)
	}
}

// TestWebhookSchemasReject proves the example check can fail: payloads that break the
// schemas are rejected.
func TestWebhookSchemasReject(t *testing.T) {
	doc := MustLoad()
	schemas := doc.Components.Schemas
	tests := []struct {
		schema, payload string
	}{
		{"WebhookSalesOrderPayload", `{}`},
		{"WebhookSalesOrderPayload", `{"Data": {}}`},
		{"WebhookSalesOrderPayload", `{"Data": {"SaleOrderNo": 42}}`},
		{"WebhookChatMessagePayload", `{"Topic": "Chat"}`},
		{"WebhookChatMessagePayload", `{"Topic": "Chat", "Event": "Message", "Data": {"ChatMessage": {"Platform": "LINE"}}}`},
		{"WebhookPayload", `{"Topic": 1}`},
		{"WebhookPayload", `[]`},
	}
	for _, tt := range tests {
		var v any
		if err := json.Unmarshal([]byte(tt.payload), &v); err != nil {
			t.Fatal(err)
		}
		if err := schemas[tt.schema].Value.VisitJSON(v); err == nil {
			t.Errorf("%s accepted %s", tt.schema, tt.payload)
		}
	}
	// Unknown keys are accepted at every level.
	ok := `{"Topic": "Chat", "Event": "Message", "Extra": [1], "Data": {"More": true, "ChatMessage": {"New": null, "User": {"Id": "u"}}}}`
	var v any
	if err := json.Unmarshal([]byte(ok), &v); err != nil {
		t.Fatal(err)
	}
	if err := schemas["WebhookChatMessagePayload"].Value.VisitJSON(v); err != nil {
		t.Errorf("unknown keys rejected: %v", err)
	}
}
