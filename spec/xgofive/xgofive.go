// Package xgofive reads the spec's own OpenAPI extensions, the x-gofive-* keys of
// spec/openapi.yaml (the spec's info.description says what each means). It is the one parser
// of them: scripts/genapi, cmd/gofive, package spec and the spec's tests all read the
// extensions through it, so a key's name and shape are decided here once.
//
// Accessors of flags and lists are lenient (a missing or mistyped value reads as absent);
// tests in package spec check that every value the spec carries has the expected shape.
// [PagingOf] and [WebhooksOf] return an error for a malformed value, since their readers
// generate code or fail the build from it.
package xgofive

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// The extension keys.
const (
	KeyCompleteness = "x-gofive-completeness"  // operation: "full" or "partial"
	KeyDeveloping   = "x-gofive-developing"    // operation: the docs mark it "Developing"
	KeyReadOnly     = "x-gofive-read-only"     // operation: a POST that only reads, safe to retry
	KeyPaging       = "x-gofive-paging"        // operation: {size, offset, items}
	KeySources      = "x-gofive-sources"       // anywhere: where each fact came from
	KeyNotes        = "x-gofive-notes"         // anywhere: what the conversion decided, and why
	KeyUnrecovered  = "x-gofive-unrecovered"   // schema: the shape was not recovered (open)
	KeyPartial      = "x-gofive-partial"       // schema: some properties are not known (open)
	KeyValues       = "x-gofive-values"        // schema: the meaning of each documented value
	KeyWebhooks     = "x-gofive-webhooks"      // document: the webhook payloads
	KeyDocsRequired = "x-gofive-docs-required" // response schema: the docs' own "required" markers
	KeyNoData       = "x-gofive-no-data"       // schema: a data member only there for business errors
	KeyPickBy       = "x-gofive-pick-by"       // operation: one item out of an object-or-list answer

	KeyIdempotent       = "x-gofive-idempotent"        // operation: sending it twice has the effect of sending it once
	KeyIdempotentReason = "x-gofive-idempotent-reason" // operation: the documented fact x-gofive-idempotent rests on
)

// Completeness values.
const (
	Full    = "full"
	Partial = "partial"
)

// Completeness is the operation's x-gofive-completeness, "" when absent.
func Completeness(op *openapi3.Operation) string {
	s, _ := op.Extensions[KeyCompleteness].(string)
	return s
}

// Developing reports x-gofive-developing: the docs mark the operation "Developing".
func Developing(op *openapi3.Operation) bool { return flag(op.Extensions, KeyDeveloping) }

// ReadOnly reports x-gofive-read-only: a POST that only reads (an enquiry), safe to repeat.
func ReadOnly(op *openapi3.Operation) bool { return flag(op.Extensions, KeyReadOnly) }

// Unrecovered reports x-gofive-unrecovered: the schema's shape was not recovered.
func Unrecovered(s *openapi3.Schema) bool { return flag(s.Extensions, KeyUnrecovered) }

// PartialSchema reports x-gofive-partial: some of the schema's properties are not known.
func PartialSchema(s *openapi3.Schema) bool { return flag(s.Extensions, KeyPartial) }

// Incomplete reports whether the schema's property list is known to be incomplete
// (unrecovered or partial): such objects stay open to properties the spec does not name.
func Incomplete(s *openapi3.Schema) bool { return Unrecovered(s) || PartialSchema(s) }

// DocsRequired is a response schema's x-gofive-docs-required list: the properties the docs
// mark required, which the spec does not enforce (see the response policy); nil when absent.
func DocsRequired(s *openapi3.Schema) []string { return stringList(s.Extensions[KeyDocsRequired]) }

// NoData reports x-gofive-no-data: the schema is a data member present only so that a
// business error's "data": null validates; the operation documents no data.
func NoData(s *openapi3.Schema) bool { return flag(s.Extensions, KeyNoData) }

// Idempotent returns the operation's x-gofive-idempotent and its reason;
// ok is false when the flag is absent or not a boolean.
func Idempotent(op *openapi3.Operation) (idempotent bool, reason string, ok bool) {
	idempotent, ok = op.Extensions[KeyIdempotent].(bool)
	reason, _ = op.Extensions[KeyIdempotentReason].(string)
	return idempotent, reason, ok
}

// PickBy is an operation's x-gofive-pick-by: the path parameter that selects one item of an
// object-or-list answer; "" when absent.
func PickBy(op *openapi3.Operation) string {
	by, _ := op.Extensions[KeyPickBy].(string)
	return by
}

// Sources is the x-gofive-sources list of an operation's, a schema's or a webhook entry's
// extensions; nil when absent.
func Sources(ext map[string]any) []string { return stringList(ext[KeySources]) }

// Notes is the x-gofive-notes list; nil when absent.
func Notes(ext map[string]any) []string { return stringList(ext[KeyNotes]) }

// Values is the schema's x-gofive-values: each documented value (as written in the spec, e.g.
// "1601") and what it means; nil when absent.
func Values(s *openapi3.Schema) map[string]string {
	m, ok := s.Extensions[KeyValues].(map[string]any)
	if !ok {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = fmt.Sprint(v)
	}
	return out
}

// Paging is x-gofive-paging: the request body fields that carry the page size and the
// offset, and a JSON pointer to the items in the response ("/data" or "/data/<field>"),
// empty when the response was not recovered.
type Paging struct {
	Size, Offset, Items string
}

// PagingOf returns the operation's x-gofive-paging, nil when absent, or an error when it is
// not an object with string size and offset (and optional string items).
func PagingOf(op *openapi3.Operation) (*Paging, error) {
	v, ok := op.Extensions[KeyPaging]
	if !ok {
		return nil, nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%s: want an object {size, offset, items}, got %T", KeyPaging, v)
	}
	p := &Paging{}
	for key, dst := range map[string]*string{"size": &p.Size, "offset": &p.Offset, "items": &p.Items} {
		raw, present := m[key]
		if !present {
			continue
		}
		s, ok := raw.(string)
		if !ok {
			return nil, fmt.Errorf("%s.%s: want a string, got %T", KeyPaging, key, raw)
		}
		*dst = s
	}
	for key := range m {
		if key != "size" && key != "offset" && key != "items" {
			return nil, fmt.Errorf("%s: unknown key %q", KeyPaging, key)
		}
	}
	if p.Size == "" || p.Offset == "" {
		return nil, fmt.Errorf("%s: size and offset are required", KeyPaging)
	}
	if p.Items != "" && p.Items != "/data" && !strings.HasPrefix(p.Items, "/data/") {
		return nil, fmt.Errorf("%s.items %q: want a JSON pointer into data", KeyPaging, p.Items)
	}
	return p, nil
}

// Webhooks is the document's x-gofive-webhooks: the webhook payloads, which OpenAPI 3.0
// has no section for.
type Webhooks struct {
	Description  string
	Completeness string
	Sources      []string
	Payloads     []WebhookPayload // sorted by name
}

// A WebhookPayload is one entry of x-gofive-webhooks.payloads.
type WebhookPayload struct {
	Name         string
	Summary      string
	Description  string
	Topic, Event string // the Topic and Event values that identify it, when known
	Sources      []string
	// Schema is the payload's schema, resolved from its $ref; SchemaName is the component.
	Schema     *openapi3.SchemaRef
	SchemaName string
	Examples   map[string]any // example name → value
}

// WebhooksOf reads doc's x-gofive-webhooks. A missing extension or payload list, a payload
// that is not an object, a schema that is not a $ref to an existing component, or an
// example without a value is an error.
func WebhooksOf(doc *openapi3.T) (*Webhooks, error) {
	ext, ok := doc.Extensions[KeyWebhooks].(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%s missing or not an object: %T", KeyWebhooks, doc.Extensions[KeyWebhooks])
	}
	w := &Webhooks{Sources: Sources(ext)}
	w.Description, _ = ext["description"].(string)
	w.Completeness, _ = ext[KeyCompleteness].(string)
	payloads, ok := ext["payloads"].(map[string]any)
	if !ok || len(payloads) == 0 {
		return nil, fmt.Errorf("%s.payloads missing or empty", KeyWebhooks)
	}
	var errs []error
	for name, v := range payloads {
		entry, ok := v.(map[string]any)
		if !ok {
			errs = append(errs, fmt.Errorf("payload %s: not an object", name))
			continue
		}
		p := WebhookPayload{Name: name, Sources: Sources(entry), Examples: map[string]any{}}
		p.Summary, _ = entry["summary"].(string)
		p.Description, _ = entry["description"].(string)
		p.Topic, _ = entry["topic"].(string)
		p.Event, _ = entry["event"].(string)
		schema, _ := entry["schema"].(map[string]any)
		ref, _ := schema["$ref"].(string)
		const prefix = "#/components/schemas/"
		p.SchemaName = strings.TrimPrefix(ref, prefix)
		if !strings.HasPrefix(ref, prefix) {
			errs = append(errs, fmt.Errorf("payload %s: schema must be a $ref to %s…, is %v", name, prefix, entry["schema"]))
			continue
		}
		if doc.Components != nil {
			p.Schema = doc.Components.Schemas[p.SchemaName]
		}
		if p.Schema == nil || p.Schema.Value == nil {
			errs = append(errs, fmt.Errorf("payload %s: %s does not exist", name, ref))
			continue
		}
		examples, _ := entry["examples"].(map[string]any)
		for exName, ex := range examples {
			m, _ := ex.(map[string]any)
			value, has := m["value"]
			if !has {
				errs = append(errs, fmt.Errorf("payload %s example %s: no value", name, exName))
				continue
			}
			p.Examples[exName] = value
		}
		w.Payloads = append(w.Payloads, p)
	}
	sort.Slice(w.Payloads, func(i, j int) bool { return w.Payloads[i].Name < w.Payloads[j].Name })
	return w, errors.Join(errs...)
}

func flag(ext map[string]any, key string) bool {
	b, _ := ext[key].(bool)
	return b
}

func stringList(v any) []string {
	list, ok := v.([]any)
	if !ok {
		return nil
	}
	out := make([]string, 0, len(list))
	for _, item := range list {
		if s, ok := item.(string); ok {
			out = append(out, s)
		}
	}
	return out
}
