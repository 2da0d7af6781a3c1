package main

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/gofive-go/gofive/spec/apidog"
)

// The pages contradict themselves: a spec that copies their field lists
// rejects their own examples, and cannot name the properties of the
// collapsed containers. These are the differences the real spec resolves
// (and allowlists).
var seedSelfContradictions = []string{
	"001_985363de5c4a6260.txt invalid-example response.200.example: example | rejects it — /data: value must be an object",
	"002_a9ab26707a64f4f6.txt invalid-example response.200.example: example | rejects it — /data: value must be an object",
	`003_433fbe0c5960b443.txt invalid-example response.200.example: example | rejects it — /data/feedbackId: property "feedbackId" is missing`,
	`004_ef875ea9f9c8ba7a.txt invalid-example response.200.example: example | rejects it — /data/contacts: property "contacts" is missing; /data/customFields/0: Value is not nullable`,
	"004_ef875ea9f9c8ba7a.txt type-mismatch response.data.contacts: array[object] with 10 properties (names not shown) | array[object] with 0 properties",
	"004_ef875ea9f9c8ba7a.txt type-mismatch response.data.customFields: array[object] with 2 properties (names not shown) | array[object] with 0 properties",
}

func withPage(fs []Finding) []string {
	var out []string
	for _, f := range fs {
		s := f.Page + " " + string(f.Kind) + " " + f.Field + ": " + f.Docs + " | " + f.Spec
		if f.Detail != "" {
			s += " — " + f.Detail
		}
		out = append(out, s)
	}
	return out
}

func TestDiffSeedsAgainstSpecFromSeeds(t *testing.T) {
	pages := seedPages(t, nil)
	got := Diff(specFromPages(t, pages), pages)
	if diff := cmp.Diff(seedSelfContradictions, withPage(got)); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
}

// TestDiffMutations edits the seed pages as the docs might change and
// checks that exactly the change is reported, with its field, against a
// spec built from the unedited pages.
func TestDiffMutations(t *testing.T) {
	tests := []struct {
		name   string
		page   string // seed edited, or a new page's file name
		from   string // for a new page: the seed it is made from
		mutate func(t *testing.T, s string) string
		want   []string // short() of the new findings
		detail string   // substring of the (single) new finding's detail
	}{
		{
			name: "body field added", page: seed000,
			mutate: func(t *testing.T, s string) string {
				return edit(t, s, "customerCode\nstring\nrequired\nExample\n", "customerCode\nstring\nrequired\npriority\ninteger\noptional\nExample\n", 1)
			},
			want: []string{"missing-field body.priority: integer, optional | absent"},
		},
		{
			name: "body field removed", page: seed003,
			mutate: func(t *testing.T, s string) string {
				s = edit(t, s, "note\nstring\noptional\n", "", 1)
				return edit(t, s, "\"note\": \"description\",\n", "", 2) // example and curl sample
			},
			want: []string{"extra-field body.note: absent | string, optional"},
		},
		{
			name: "body required flag flipped", page: seed000,
			mutate: func(t *testing.T, s string) string {
				return edit(t, s, "description\nstring\noptional\n", "description\nstring\nrequired\n", 1)
			},
			want: []string{"required-mismatch body.description: required | optional"},
		},
		{
			name: "body field renamed in case only", page: seed000,
			mutate: func(t *testing.T, s string) string {
				return edit(t, s, "eventName\nstring\nrequired\n", "EventName\nstring\nrequired\n", 1)
			},
			want: []string{"field-case-mismatch body.EventName: EventName | eventName"},
		},
		{
			name: "response field type changed", page: seed001,
			mutate: func(t *testing.T, s string) string {
				return edit(t, s, "eventTypeId\ninteger\n", "eventTypeId\nstring\n", 1)
			},
			want: []string{"type-mismatch response.data.eventTypeId: string | integer"},
		},
		{
			name: "response field added on the indented Thai page", page: seed004,
			mutate: func(t *testing.T, s string) string {
				return edit(t, s, "Example\n{\n  \"status\"", "customerRank\ninteger\u00a0\noptional\nอันดับลูกค้า\nExample\n{\n  \"status\"", 1)
			},
			want: []string{"missing-field response.data.customerRank: integer, optional | absent"},
		},
		{
			name: "collapsed container grows", page: seed004,
			mutate: func(t *testing.T, s string) string {
				return edit(t, s, "[object {10}]", "[object {11}]", 1)
			},
			want: []string{"type-mismatch response.data.contacts: array[object] with 11 properties (names not shown) | array[object] with 0 properties"},
		},
		{
			name: "nested example value changes type", page: seed004,
			mutate: func(t *testing.T, s string) string {
				return edit(t, s, `"locationType": 1,`, `"locationType": "home",`, 1)
			},
			want:   []string{"invalid-example response.200.example: example | rejects it"},
			detail: "/data/addresses/0/locationType: value must be an integer",
		},
		{
			name: "request example no longer validates", page: seed000,
			mutate: func(t *testing.T, s string) string {
				return edit(t, s, `"eventType": 1,`, `"eventType": "one",`, 2)
			},
			want:   []string{"invalid-example body.example: example | rejects it"},
			detail: "/eventType: value must be an integer",
		},
		{
			name: "query parameter type changed", page: seed002,
			mutate: func(t *testing.T, s string) string {
				return edit(t, s, "eventTypeIds\ninteger\n", "eventTypeIds\narray[integer]\n", 1)
			},
			want: []string{"type-mismatch query.eventTypeIds: array[integer] | integer"},
		},
		{
			name: "query parameter made required", page: seed002,
			mutate: func(t *testing.T, s string) string {
				return edit(t, s, "eventTypeIds\ninteger\noptional\n", "eventTypeIds\ninteger\nrequired\n", 1)
			},
			want: []string{"required-mismatch query.eventTypeIds: required | optional"},
		},
		{
			name: "query parameter removed", page: seed002,
			mutate: func(t *testing.T, s string) string {
				return edit(t, s, "customerCode\nstring\nrequired\nExample:\nC000055\n", "", 1)
			},
			want: []string{"extra-field query.customerCode: absent | string, required"},
		},
		{
			name: "header parameter added", page: seed000,
			mutate: func(t *testing.T, s string) string {
				return edit(t, s, "Header Params\n", "Header Params\nX-Request-Id\nstring\noptional\nExample:\nabc\n", 1)
			},
			want: []string{"missing-field header.X-Request-Id: string, optional | absent"},
		},
		{
			name: "status added", page: seed001,
			mutate: func(t *testing.T, s string) string {
				return edit(t, s, "\U0001F7E0401Unauthorized\n", "\U0001F7E0401Unauthorized\n\U0001F7E0403Forbidden\n", 1)
			},
			want: []string{"missing-status response.403: Forbidden | absent"},
		},
		{
			name: "path changes case", page: seed002,
			mutate: func(t *testing.T, s string) string {
				return edit(t, s, "https://api.gofive.co.th/v1/customerEvent/filter\n", "https://api.gofive.co.th/v1/customerevent/filter\n", 1)
			},
			want: []string{"path-case-mismatch : /v1/customerevent/filter | /v1/customerEvent/filter"},
		},
		{
			name: "new endpoint page", page: "005_new_endpoint.txt", from: seed001,
			mutate: func(t *testing.T, s string) string {
				s = edit(t, s, "Get Customer Event Types\n", "Get Customer Event Sources\n", 1)
				return edit(t, s, "/v1/customerEvent/event-types", "/v1/customerEvent/event-sources", 2)
			},
			want: []string{"missing-operation : Get Customer Event Sources | absent"},
		},
	}
	seeds := seedPages(t, nil)
	spec := specFromPages(t, seeds)
	base := Diff(spec, seeds)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			from := tt.from
			if from == "" {
				from = tt.page
			}
			pages := seedPages(t, map[string]string{tt.page: tt.mutate(t, readSeed(t, from))})
			got := newFindings(Diff(spec, pages), base)
			if diff := cmp.Diff(tt.want, short(got)); diff != "" {
				t.Fatalf("new findings (-want +got):\n%s\nall: %v", diff, got)
			}
			for _, f := range got {
				if f.Page != tt.page {
					t.Errorf("finding names page %q, want %q", f.Page, tt.page)
				}
			}
			if tt.detail != "" && !strings.Contains(got[0].Detail, tt.detail) {
				t.Errorf("detail = %q, want it to contain %q", got[0].Detail, tt.detail)
			}
		})
	}
}

// newFindings returns the findings of got not in base, ignoring method and
// path (which a mutation may change).
func newFindings(got, base []Finding) []Finding {
	key := func(f Finding) Finding { f.Method, f.Path = "", ""; return f }
	seen := map[Finding]int{}
	for _, f := range base {
		seen[key(f)]++
	}
	var out []Finding
	for _, f := range got {
		if seen[key(f)] > 0 {
			seen[key(f)]--
			continue
		}
		out = append(out, f)
	}
	return out
}

// inlineSpec models pages 000 and 001 with the kinds of deliberate
// differences the real spec makes, and lacks page 003's operation.
const inlineSpec = `
openapi: 3.0.3
info: {title: inline, version: "0"}
security:
  - bearerAuth: []
    subscriptionKey: []
paths:
  /v1/customerEvent/:                 # trailing slash: still the same operation
    post:
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/CustomerEventRequest'}
      responses:
        '200':
          description: Success.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/StatusEnvelope'}
        '4XX': {description: Client errors.}
  /v1/customerEvent/event-types:
    get:
      security:
        - bearerAuth: []              # no subscription key on this one
      parameters:
        - {name: lang, in: query, schema: {type: string}}
      responses:
        '200':
          description: Success.
          content:
            application/json:
              schema:
                type: object
                required: [status, data]
                properties:
                  status: {$ref: '#/components/schemas/Status'}
                  data:
                    type: array
                    items: {$ref: '#/components/schemas/CustomerEventType'}
        '401': {description: Unauthorized.}
components:
  securitySchemes:
    bearerAuth: {type: http, scheme: bearer}
    subscriptionKey: {type: apiKey, in: header, name: Ocp-Apim-Subscription-Key}
  schemas:
    Status:
      type: object
      required: [code, description]
      properties:
        code: {oneOf: [{type: string}, {type: integer}]}
        description: {type: string}
    StatusEnvelope:
      type: object
      required: [status]
      properties:
        status: {$ref: '#/components/schemas/Status'}
    EventBase:
      type: object
      required: [eventName, eventType]
      properties:
        eventName: {type: string}
        eventType: {type: number}
    CustomerEventRequest:
      allOf:
        - $ref: '#/components/schemas/EventBase'
        - type: object
          required: [eventDate, customerCode, description]
          properties:
            eventDate: {type: string, x-go-type: wire.Time}
            description: {type: string}
            customerCode: {type: string}
            source: {type: string}
    CustomerEventType:
      type: object
      x-gofive-docs-required: [eventTypeId]   # the response policy: docs' markers compared from here
      properties:
        eventTypeId:
          oneOf: [{type: string}, {type: integer}]
          x-go-type: wire.ID
        eventTypeName: {type: string, nullable: true}
`

func TestDiffInlineSpec(t *testing.T) {
	doc := loadSpecText(t, inlineSpec)
	var pages []*apidog.Page
	for _, name := range []string{seed000, seed001, seed003} {
		pages = append(pages, parsePage(t, name, readSeed(t, name)))
	}
	want := []string{
		// 000: allOf merged, $refs followed, "/v1/customerEvent/" matched.
		"extra-field body.source: absent | string, optional",
		"required-mismatch body.description: optional | required",
		"type-mismatch body.eventDate: string | string (x-go-type wire.Time)",
		"type-mismatch body.eventType: integer | number",
		// 400 and both 401s are covered by 4XX.
		// 001
		"extra-field query.lang: absent | string, optional",
		"missing-field header.Ocp-Apim-Subscription-Key: string, required | absent",
		"required-mismatch response.data.eventTypeName: required | optional",
		"type-mismatch response.data: object | array[object]",
		"type-mismatch response.data.eventTypeId: integer | oneOf(string, integer) (x-go-type wire.ID)",
		"type-mismatch response.data.eventTypeName: string | string|null",
		// 003
		"missing-operation : Add Case | absent",
	}
	got := Diff(doc, pages)
	if diff := cmp.Diff(want, short(got)); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
	for _, f := range got {
		if f.Page == seed000 && (f.Method != "POST" || f.Path != "/v1/customerEvent") {
			t.Errorf("finding %v: want the page's method and path", f)
		}
	}
}

func TestDiffMissingOperation(t *testing.T) {
	// The spec built from the pages, less one operation.
	seeds := seedPages(t, nil)
	doc := specFromPages(t, seeds)
	doc.Paths.Delete("/v3/customers/{customerCode}")
	got := newFindings(Diff(doc, seeds), Diff(specFromPages(t, seeds), seeds))
	var want []Finding
	want = append(want, Finding{
		Page: seed004, Method: "GET", Path: "/v3/customers/{customerCode}",
		Kind: MissingOperation, Docs: "Get a Customer By CustomerCode", Spec: "absent",
	})
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestDiffSkipsPagesWithoutOperation(t *testing.T) {
	nav := parsePage(t, "intro.txt", "- Introduction\n- Customer\nIntroduction\nWelcome.\nBuilt with\n")
	if got := Diff(loadSpecText(t, inlineSpec), []*apidog.Page{nav}); len(got) != 0 {
		t.Errorf("findings for a page without operation: %v", got)
	}
}

func TestNormPath(t *testing.T) {
	for in, want := range map[string]string{
		"/v3/customers/{customerCode}":  "/v3/customers/{}",
		"/v3/customers/{code}/":         "/v3/customers/{}",
		"/v1/quotation/{no}/convert-to": "/v1/quotation/{}/convert-to",
		"/":                             "/",
		"":                              "/",
		"/v1/case//":                    "/v1/case",
	} {
		if got := normPath(in); got != want {
			t.Errorf("normPath(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTypesMatch(t *testing.T) {
	doc := loadSpecText(t, inlineSpec)
	schemas := doc.Components.Schemas
	eventType := schemas["CustomerEventType"].Value
	tests := []struct {
		docs     typeDesc
		spec     typeDesc
		match    bool
		specText string
	}{
		{docsType("integer", false), specType(eventType.Properties["eventTypeId"].Value), false, "oneOf(string, integer) (x-go-type wire.ID)"},
		{docsType("string|integer", false), specType(schemas["Status"].Value.Properties["code"].Value), true, "oneOf(string, integer)"},
		{docsType("string", true), specType(eventType.Properties["eventTypeName"].Value), true, "string|null"},
		{docsType("object", false), specType(eventType), true, "object"},
		{docsType("array", false), typeDesc{alts: []string{"array[string]"}}, true, "array[string]"},
		{docsType("array[string]", false), typeDesc{alts: []string{"array"}}, false, "array"},
		{docsType("integer", false), specType(nil), false, "any"},
	}
	for _, tt := range tests {
		if got := typesMatch(tt.docs, tt.spec); got != tt.match {
			t.Errorf("typesMatch(%v, %v) = %v, want %v", tt.docs, tt.spec, got, tt.match)
		}
		if got := tt.spec.String(); got != tt.specText {
			t.Errorf("spec type = %q, want %q", got, tt.specText)
		}
	}
}

// A finding's line carries no control character from the page (its path, field or detail), so
// a hostile page cannot drive the terminal the report is printed on.
func TestFindingStringEscapesControlCharacters(t *testing.T) {
	f := Finding{Page: "api-1.md", Method: "GET", Path: "/v1/x\x1b]0;pwned\x07", Kind: MissingField,
		Field: "body.a\x1b[2Jb\u009b", Docs: "string\r", Spec: "absent", Detail: "see\x1b[31m"}
	s := f.String()
	if i := strings.IndexFunc(s, func(r rune) bool { return r < 0x20 || (r >= 0x7f && r < 0xa0) }); i >= 0 {
		t.Errorf("control character at %d: %q", i, s)
	}
	if !strings.Contains(s, "/v1/x?]0;pwned?") || !strings.Contains(s, "body.a?[2Jb?") {
		t.Errorf("the names are not kept: %q", s)
	}
}
