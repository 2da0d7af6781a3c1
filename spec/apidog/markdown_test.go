package apidog

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

func TestParseLLMS(t *testing.T) {
	// Synthetic llms.txt in the llmstxt.org layout.
	l, err := ParseLLMS([]byte("# Site\r\n\n> A summary.\n\nProse.\n\n## Customer\n- [Get a Customer](https://docs.example.test/api-1.md): the notes\n* [Intro](/doc-2.md)\n- not a link\n## Case\n- [Add Case](<https://docs.example.test/api-3.md> \"t\")\n"))
	if err != nil {
		t.Fatal(err)
	}
	if l.Title != "Site" || l.Summary != "A summary." || len(l.Links) != 3 {
		t.Fatalf("ParseLLMS = %+v", l)
	}
	want := []Link{
		{Section: "Customer", Title: "Get a Customer", URL: "https://docs.example.test/api-1.md", Notes: "the notes"},
		{Section: "Customer", Title: "Intro", URL: "/doc-2.md"},
		{Section: "Case", Title: "Add Case", URL: "https://docs.example.test/api-3.md"},
	}
	for i, w := range want {
		if l.Links[i] != w {
			t.Errorf("link %d = %+v, want %+v", i, l.Links[i], w)
		}
	}
	if _, err := ParseLLMS([]byte("<html><body>Not found</body></html>")); err == nil {
		t.Error("an HTML page was read as llms.txt")
	}
}

func TestMarkdownQuirks(t *testing.T) {
	b, err := os.ReadFile("testdata/markdown/quirks.md")
	if err != nil {
		t.Fatal(err)
	}
	p, err := ParseMarkdown(b)
	if err != nil {
		t.Fatal(err)
	}
	if p.Title != "Get a Thing" || !p.HasOpenAPI() || !strings.HasPrefix(string(p.OpenAPI), "openapi: 3.0.1") {
		t.Fatalf("ParseMarkdown = %q, block %q", p.Title, p.OpenAPI)
	}
	doc, err := LoadOpenAPI(p.OpenAPI)
	if err != nil {
		t.Fatal(err)
	}
	ops := Operations(doc)
	if len(ops) != 1 || ops[0].Method != "GET" || ops[0].Path != "/v1/things/{code}" {
		t.Fatalf("operations = %+v", ops)
	}
	op := ops[0].Op
	if op.Extensions["x-apidog-folder"] != "Things" {
		t.Errorf("x-apidog-folder lost: %v", op.Extensions)
	}
	if s := doc.Components.SecuritySchemes["bearer"]; s == nil || s.Value.Type != "http" || s.Value.Scheme != "bearer" {
		t.Errorf("type: bearer not normalised: %+v", s)
	}
	if _, ok := doc.Components.SecuritySchemes["weird"]; ok {
		t.Error("a scheme of unknown type was kept")
	}
	mt := op.Responses.Status(200).Value.Content.Get("application/json")
	data := mt.Schema.Value.Properties["data"].Value
	name := data.Properties["name"].Value
	if !name.Type.Is("string") || !name.Nullable || name.Example != "Thing" {
		t.Errorf("name = type %v nullable %v example %v; want string, nullable, Thing", name.Type, name.Nullable, name.Example)
	}
	kind := data.Properties["kind"].Value
	if len(kind.Enum) != 1 || fmt.Sprint(kind.Enum[0]) != "1" {
		t.Errorf("const not turned into enum: %v", kind.Enum)
	}
	amount := data.Properties["amount"].Value
	if amount.Min == nil || *amount.Min != 0 || !amount.ExclusiveMin.IsTrue() {
		t.Errorf("exclusiveMinimum 0 not normalised: min %v exclusive %v", amount.Min, amount.ExclusiveMin)
	}
	ex, ok := mt.Example.(map[string]any)
	if !ok || ex["data"].(map[string]any)["amount"] != 2.5 {
		t.Fatalf("string example not decoded: %#v", mt.Example)
	}
	if err := mt.Schema.Value.VisitJSON(ex, openapi3.VisitAsResponse()); err != nil {
		t.Errorf("the page's own example does not fit its own schema after clean-up: %v", err)
	}
	if got := data.Required; len(got) != 3 {
		t.Errorf("required on every property must be kept as written, got %v", got)
	}
}

func TestMarkdownWithoutOpenAPI(t *testing.T) {
	p, err := ParseMarkdown([]byte("# Webhook Payload\n\nProse.\n\n```json\n{\"event\": 1}\n```\n"))
	if err != nil || p.HasOpenAPI() || p.Title != "Webhook Payload" {
		t.Fatalf("ParseMarkdown = %+v, %v; want a documentation page", p, err)
	}
}

func TestMarkdownMalformed(t *testing.T) {
	for name, page := range map[string]string{
		"unterminated": "# T\n\n## OpenAPI Specification\n\n```yaml\nopenapi: 3.0.1\npaths: {}\n",
		"bad yaml":     "# T\n\n## OpenAPI Specification\n\n```yaml\nopenapi: 3.0.1\npaths:\n  /x: [\n```\n",
		"no paths":     "# T\n\n## OpenAPI Specification\n\n```yaml\nopenapi: 3.0.1\n```\n",
		"bad ref":      "# T\n\n## OpenAPI Specification\n\n```yaml\nopenapi: 3.0.1\ninfo: {title: t, version: '1'}\npaths:\n  /x:\n    get:\n      responses:\n        '200': {description: '', content: {application/json: {schema: {$ref: '#/components/schemas/Nope'}}}}\n```\n",
	} {
		t.Run(name, func(t *testing.T) {
			p, err := ParseMarkdown([]byte(page))
			if err == nil {
				_, err = LoadOpenAPI(p.OpenAPI)
			}
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("err = %v, want ErrMalformed", err)
			}
		})
	}
}
