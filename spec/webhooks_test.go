package spec

import (
	"encoding/json"
	"sort"
	"strings"
	"testing"
	"unicode"

	"github.com/getkin/kin-openapi/openapi3"
)

// OpenAPI 3.0 has no webhooks section, so the webhook payloads are listed under the top-level
// extension x-gofive-webhooks, which the loader keeps as plain data: its $refs are not
// resolved and its examples are not validated by Load. These tests do both.

type webhookPayload struct {
	name     string
	entry    map[string]any
	schema   *openapi3.SchemaRef
	examples map[string]any // example name → value
}

// webhookPayloads reads x-gofive-webhooks.payloads, resolving each schema $ref.
func webhookPayloads(t *testing.T, doc *openapi3.T) []webhookPayload {
	t.Helper()
	ext, ok := doc.Extensions["x-gofive-webhooks"].(map[string]any)
	if !ok {
		t.Fatalf("x-gofive-webhooks missing or not an object: %T", doc.Extensions["x-gofive-webhooks"])
	}
	payloads, ok := ext["payloads"].(map[string]any)
	if !ok || len(payloads) == 0 {
		t.Fatal("x-gofive-webhooks.payloads missing or empty")
	}
	var out []webhookPayload
	for name, v := range payloads {
		entry, ok := v.(map[string]any)
		if !ok {
			t.Errorf("payload %s: not an object", name)
			continue
		}
		p := webhookPayload{name: name, entry: entry, examples: map[string]any{}}
		schema, _ := entry["schema"].(map[string]any)
		ref, _ := schema["$ref"].(string)
		const prefix = "#/components/schemas/"
		if !strings.HasPrefix(ref, prefix) {
			t.Errorf("payload %s: schema must be a $ref to %s…, is %v", name, prefix, entry["schema"])
			continue
		}
		p.schema = doc.Components.Schemas[strings.TrimPrefix(ref, prefix)]
		if p.schema == nil || p.schema.Value == nil {
			t.Errorf("payload %s: %s does not exist", name, ref)
			continue
		}
		examples, _ := entry["examples"].(map[string]any)
		for exName, ex := range examples {
			m, _ := ex.(map[string]any)
			if _, has := m["value"]; !has {
				t.Errorf("payload %s example %s: no value", name, exName)
				continue
			}
			p.examples[exName] = m["value"]
		}
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
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
		if len(p.examples) == 0 {
			t.Errorf("payload %s: no example", p.name)
		}
		for exName, v := range p.examples {
			n++
			if err := p.schema.Value.VisitJSON(asDecoded(t, v), openapi3.MultiErrors()); err != nil {
				t.Errorf("payload %s example %s does not validate against its schema: %v", p.name, exName, err)
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
	ext := doc.Extensions["x-gofive-webhooks"].(map[string]any)
	desc, _ := ext["description"].(string)
	for _, must := range []string{"doc-340950", "CODE", "signature"} {
		if !strings.Contains(desc, must) {
			t.Errorf("x-gofive-webhooks.description must mention %q", must)
		}
	}
	names := map[string]bool{}
	for _, p := range webhookPayloads(t, doc) {
		names[p.name] = true
		if s, _ := p.entry["description"].(string); strings.TrimSpace(s) == "" {
			t.Errorf("payload %s: no description", p.name)
		}
		if src, _ := p.entry["x-gofive-sources"].([]any); len(src) == 0 {
			t.Errorf("payload %s: x-gofive-sources must list at least one source", p.name)
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
		if src, _ := s.Extensions["x-gofive-sources"].([]any); len(src) == 0 {
			t.Errorf("%s: no x-gofive-sources", where)
		}
		if s.Extensions["x-gofive-partial"] != true {
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
		walk(p.name, p.schema)
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
