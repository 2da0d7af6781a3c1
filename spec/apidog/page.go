// Package apidog parses the API documentation pages of an Apidog site
// (https://developer.gofive.co.th) in both forms the project reads:
//
//   - the machine-readable form make scrape fetches: /llms.txt ([ParseLLMS]) and each page's
//     Markdown twin ([ParseMarkdown]), whose endpoint pages carry a one-operation OpenAPI
//     document read leniently by [LoadOpenAPI] (Apidog's 3.1-isms, `type: bearer`, string
//     examples);
//   - the rendered plain text ([Parse], [ParseFile]), the form the gofive OpenAPI spec was first
//     hand-converted from (spec/scraped/*.txt).
//
// It lives in the SDK module (not in the scripts tools module) because the spec package's tests
// read the seed pages with it; it depends only on kin-openapi and yaml.v3, which package spec
// already uses. The rest of this comment is about the rendered text.
//
// Two renderings of the same page layout are understood:
//
//   - compact: a flat "- Item" navigation list, then one line per token
//     (title, method, URL, "Header Params", name, type, required, …);
//   - indented: a "• Item" navigation tree with each operation's method on
//     the line below it, a breadcrumb ("1. Customer"), trailing spaces after
//     types, descriptions under fields (often in Thai), "Previous/Next"
//     footer.
//
// Neither rendering indents the field lists, so the nesting of body and
// response fields is recovered from the order of the fields (a field follows
// its parent), the parent's type (object, array [object {N}]) and, above
// all, the page's own example, which shows which keys live in which object.
// Keys that only the example shows are reported as fields too, marked
// [Field.FromExample].
package apidog

import "time"

// BaseURL is the API host that [Page.Path] is relative to.
const BaseURL = "https://api.gofive.co.th"

// Page is what one scraped documentation page says.
type Page struct {
	// Source is where the page was read from (set by ParseFile), for
	// reports; empty after Parse.
	Source string `json:"source,omitempty"`

	// Nav is the site navigation printed at the top of the page, in order.
	Nav []NavItem `json:"nav,omitempty"`
	// Group is the breadcrumb above the title ("Customer"), when printed.
	Group string `json:"group,omitempty"`

	// Title is the operation name ("Add Customer Event"). Title, Method and
	// URL are empty on a page without an operation (navigation only).
	Title  string `json:"title,omitempty"`
	Method string `json:"method,omitempty"`
	URL    string `json:"url,omitempty"`
	// Path is URL without the scheme, host and query string
	// ("/v3/customers/{customerCode}"); Host is the URL's host.
	Path string `json:"path,omitempty"`
	Host string `json:"host,omitempty"`
	// Description is the text between the URL and the request section.
	Description string `json:"description,omitempty"`

	// Authorization is the text of the request's Authorization block.
	Authorization string `json:"authorization,omitempty"`

	PathParams   []Param `json:"pathParams,omitempty"`
	QueryParams  []Param `json:"queryParams,omitempty"`
	HeaderParams []Param `json:"headerParams,omitempty"`
	CookieParams []Param `json:"cookieParams,omitempty"`

	// Body is the request body, nil when the page documents none.
	Body *Body `json:"body,omitempty"`

	// Sample is the first request sample (the curl command), verbatim.
	Sample string `json:"sample,omitempty"`

	// Responses are the documented responses in page order; a status may
	// appear twice (two 401 variants).
	Responses []Response `json:"responses,omitempty"`

	// ModifiedAt is the "Modified at" stamp (no zone is printed; it is
	// read as UTC); ModifiedAtText is the text as printed. Both are zero
	// when the page has no stamp.
	ModifiedAt     time.Time `json:"modifiedAt,omitzero"`
	ModifiedAtText string    `json:"modifiedAtText,omitempty"`

	// Previous and Next are the footer's neighbouring page titles.
	Previous string `json:"previous,omitempty"`
	Next     string `json:"next,omitempty"`
}

// HasOperation reports whether the page documents an operation.
func (p *Page) HasOperation() bool { return p.Method != "" }

// Statuses lists the documented response statuses in page order, duplicates
// included.
func (p *Page) Statuses() []int {
	out := make([]int, 0, len(p.Responses))
	for _, r := range p.Responses {
		out = append(out, r.Status)
	}
	return out
}

// Response returns the first documented response with the given status.
func (p *Page) Response(status int) *Response {
	for i := range p.Responses {
		if p.Responses[i].Status == status {
			return &p.Responses[i]
		}
	}
	return nil
}

// NavItem is one entry of the navigation.
type NavItem struct {
	Title string `json:"title"`
	// Depth is 0 for top-level entries. The compact rendering prints a flat
	// list, so every entry there has depth 0.
	Depth int `json:"depth"`
	// Method is the HTTP method printed under an operation entry, if any.
	Method string `json:"method,omitempty"`
}

// Param is a path, query, header or cookie parameter.
type Param struct {
	Name string `json:"name"`
	// Type is the normalised type; see [Field.Type].
	Type        string `json:"type"`
	Nullable    bool   `json:"nullable,omitempty"`
	Required    bool   `json:"required"`
	Description string `json:"description,omitempty"`
	Example     string `json:"example,omitempty"`
}

// Body is a request body.
type Body struct {
	ContentType string   `json:"contentType"`
	Fields      []Field  `json:"fields,omitempty"`
	Example     *Example `json:"example,omitempty"`
}

// Response is one documented response.
type Response struct {
	Status int `json:"status"`
	// Description is the text after the status ("Success",
	// "User authentication required V2.").
	Description string   `json:"description"`
	ContentType string   `json:"contentType,omitempty"`
	Fields      []Field  `json:"fields,omitempty"`
	Example     *Example `json:"example,omitempty"`
}

// Field is a body or response field.
type Field struct {
	// Path locates the field: parent names joined by ".", with "[]" after
	// an array parent ("data.addresses[].locationName").
	Path string `json:"path"`
	Name string `json:"name"`
	// Type is the documented type, normalised: "string", "integer",
	// "number", "boolean", "object", "array", "array[string]",
	// "array[object]", or alternatives joined by "|" ("string|integer").
	// "null" alternatives are dropped and recorded in Nullable. Fields
	// known only from the example get the example value's JSON type.
	Type     string `json:"type"`
	Nullable bool   `json:"nullable,omitempty"`
	// Format is an Apidog "<format>" annotation, if printed.
	Format string `json:"format,omitempty"`
	// TypeText is the type line as printed, runs of spaces collapsed
	// ("array [object {5}]").
	TypeText string `json:"typeText,omitempty"`
	// Children is the child count Apidog prints for objects ("{5}"), or -1.
	Children    int    `json:"children"`
	Required    bool   `json:"required"`
	Description string `json:"description,omitempty"`
	// Example is a field-level "Example:" value, if printed.
	Example string `json:"example,omitempty"`

	// FromExample marks a key that the field list does not document but
	// the page's example shows; Type is then inferred and Required is
	// false (unknown).
	FromExample bool `json:"fromExample,omitempty"`
	// ExampleName is the key the example uses for a documented field when
	// it differs from Name in case only ("DateFrom" for "dateFrom").
	ExampleName string `json:"exampleName,omitempty"`
}

// Example is a request or response example.
type Example struct {
	// Raw is the example as printed.
	Raw string `json:"raw"`
	// Valid reports whether Raw, or Cleaned when set, is valid JSON; Value
	// is then the decoded value (map[string]any, []any, float64, string,
	// bool or nil).
	Valid bool `json:"valid"`
	Value any  `json:"value,omitempty"`
	// Cleaned is set when Raw is not valid JSON: Raw without its "//"
	// comments and trailing commas. Comments lists the removed comments.
	Cleaned  string   `json:"cleaned,omitempty"`
	Comments []string `json:"comments,omitempty"`
	// Err says why neither Raw nor Cleaned is valid JSON.
	Err string `json:"err,omitempty"`
}
