package apidog

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// seedDir holds copies of the five pages the spec was first converted from
// (spec/scraped may move on; these stay put).
const seedDir = "../scraped" // the seed pages the spec was converted from

const (
	seed000 = "000_78dc5d62e66649d3.txt" // compact: Add Customer Event
	seed001 = "001_985363de5c4a6260.txt" // compact: Get Customer Event Types
	seed002 = "002_a9ab26707a64f4f6.txt" // compact: Get Customer Events by Customer Code
	seed003 = "003_433fbe0c5960b443.txt" // compact: Add Case
	seed004 = "004_ef875ea9f9c8ba7a.txt" // indented, Thai: Get a Customer By CustomerCode
)

func readSeed(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(seedDir, name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func parseString(t *testing.T, s string) *Page {
	t.Helper()
	p, err := Parse(strings.NewReader(s))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return p
}

func parseSeed(t *testing.T, name string) *Page {
	t.Helper()
	p, err := ParseFile(filepath.Join(seedDir, name))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// fieldLines summarises fields as "path type required|optional", with
// "|null" for nullable, "{n}" for a printed child count and "(example)"
// for keys only the example shows.
func fieldLines(fs []Field) []string {
	var out []string
	for _, f := range fs {
		s := f.Path + " " + f.Type
		if f.Nullable {
			s += "|null"
		}
		if f.Children >= 0 {
			s += fmt.Sprintf("{%d}", f.Children)
		}
		if f.FromExample {
			s += " (example)"
		} else if f.Required {
			s += " required"
		} else {
			s += " optional"
		}
		if f.ExampleName != "" {
			s += " as " + f.ExampleName
		}
		out = append(out, s)
	}
	return out
}

func paramLines(ps []Param) []string {
	var out []string
	for _, p := range ps {
		s := p.Name + " " + p.Type
		if p.Required {
			s += " required"
		} else {
			s += " optional"
		}
		if p.Example != "" {
			s += " e.g. " + p.Example
		}
		out = append(out, s)
	}
	return out
}

type docStatus struct {
	Status int
	Desc   string
}

func statusLines(p *Page) []docStatus {
	var out []docStatus
	for _, r := range p.Responses {
		out = append(out, docStatus{r.Status, r.Description})
	}
	return out
}

var envelopeStatus = []string{
	"status object required",
	"status.code string required",
	"status.description string required",
}

var compactHeaders = []string{
	"Content-Type string required e.g. application/json",
	"Ocp-Apim-Subscription-Key string required e.g. <Your Subscriptin-key>",
}

var standardStatuses = []docStatus{{200, "Success"}, {400, "Bad Request"}, {401, "Unauthorized"}, {401, "User authentication required V2."}}

func TestParseSeeds(t *testing.T) {
	tests := []struct {
		file         string
		title        string
		method, path string
		modified     string
		nav          int
		query        []string
		pathParams   []string
		headers      []string
		body         []string // nil: no body
		response     []string // fields of the 200 response
		statuses     []docStatus
	}{
		{
			file: seed000, title: "Add Customer Event", method: "POST", path: "/v1/customerEvent",
			modified: "2025-03-03 06:31:41", nav: 27, headers: compactHeaders,
			body: []string{
				"eventName string required",
				"eventType integer required",
				"eventDate string required",
				"description string optional",
				"customerCode string required",
			},
			response: envelopeStatus,
			statuses: standardStatuses,
		},
		{
			file: seed001, title: "Get Customer Event Types", method: "GET", path: "/v1/customerEvent/event-types",
			modified: "2025-03-03 06:31:52", nav: 27, headers: compactHeaders,
			response: append(envelopeStatus[:3:3],
				"data object required",
				"data.eventTypeId integer required",
				"data.eventTypeName string required",
			),
			statuses: []docStatus{{200, "Success"}, {401, "Unauthorized"}, {401, "User authentication required V2."}},
		},
		{
			file: seed002, title: "Get Customer Events by Customer Code", method: "GET", path: "/v1/customerEvent/filter",
			nav: 27, headers: compactHeaders,
			query: []string{"customerCode string required e.g. C000055", "eventTypeIds integer optional e.g. 1"},
			body: []string{
				"dateFrom string optional as DateFrom",
				"dateTo string optional as DateTo",
			},
			response: append(envelopeStatus[:3:3],
				"data object required",
				"data.eventId integer required",
				"data.eventName string required",
				"data.eventDate string required",
				"data.eventType integer required",
				"data.description string required",
				"data.customerId integer (example)",
			),
			statuses: standardStatuses,
		},
		{
			file: seed003, title: "Add Case", method: "POST", path: "/v1/case",
			modified: "2025-03-03 06:31:11", nav: 27, headers: compactHeaders,
			body: []string{
				"caseType integer required",
				"subject string required",
				"customerCode string optional",
				"categoryId integer required",
				"dateCase string required",
				"dateDue string required",
				"activityNos array[string] optional",
				"dealNos array[string] optional",
				"note string optional",
				"assignedToUserId string required",
			},
			// The field list puts feedbackId under data; the example
			// nests it one level deeper.
			response: append(envelopeStatus[:3:3],
				"data object required",
				"data.feedbackId string required",
				"data.data object (example)",
				"data.data.feedbackId integer (example)",
				"data.httpStatusCode integer (example)",
				"data.statusCode integer (example)",
			),
			statuses: standardStatuses,
		},
		{
			file: seed004, title: "Get a Customer By CustomerCode", method: "GET", path: "/v3/customers/{customerCode}",
			nav:        75,
			pathParams: []string{"customerCode string required"},
			headers: []string{
				"Ocp-Apim-Subscription-Key string required e.g. <Your Subscription-Key>",
				"Content-Type string required e.g. application/json",
			},
			response: append(envelopeStatus[:3:3],
				"data object required",
				"data.customerId string required",
				"data.customerName string required",
				"data.customerCode string required",
				"data.customerState integer required",
				"data.customerType integer optional",
				"data.customerStatus integer required",
				"data.customerPicture string required",
				"data.customer2ndName string optional",
				"data.customerAliases array[string] required",
				"data.customerTaxNo string optional",
				"data.branchCode string optional",
				"data.customerPhone string optional",
				"data.customerMobile string optional",
				"data.customerEmail string optional",
				"data.customerSocialAccount object|null optional",
				"data.customerTags array[string] optional",
				"data.addresses array[object]{5} required",
				"data.sourceName string optional",
				"data.customerGroupName string optional",
				"data.interestsName array[string] required",
				"data.classificationName string optional",
				"data.contacts array[object]{10} required",
				"data.customFields array[object]{2} required",
				"data.customerNote string optional",
				"data.owners array[string] optional",
				"data.primaryOwner string optional",
				"data.leadStatus integer required",
				"data.customerIncome string|null optional",
				"data.creditLimit string|null optional",
				// Only the example shows these: the field list collapses
				// addresses and contacts, and the example calls the
				// contact array "contact".
				"data.addresses[].latitude string (example)",
				"data.addresses[].locationAddress string (example)",
				"data.addresses[].locationName string (example)",
				"data.addresses[].locationType integer (example)",
				"data.addresses[].longitude string (example)",
				"data.contact array[object] (example)",
				"data.contact[].contactBirthdate string (example)",
				"data.contact[].contactEmail string (example)",
				"data.contact[].contactMobile string (example)",
				"data.contact[].contactName string (example)",
				"data.contact[].contactNote string (example)",
				"data.contact[].contactPhone string (example)",
				"data.contact[].contactPicture string (example)",
				"data.contact[].contactPosition string (example)",
				"data.contact[].contactSocialAccount object (example)",
				"data.contact[].contactSocialAccount.facebook string (example)",
				"data.contact[].contactStatus boolean (example)",
				"data.customerSocialAccount.facebook string (example)",
			),
			statuses: []docStatus{{200, "Success"}, {401, "Unauthorized"}, {403, "Forbidden"}, {400, "Bad Request"}, {401, "User authentication required V2."}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			p := parseSeed(t, tt.file)
			if p.Source != filepath.Join(seedDir, tt.file) {
				t.Errorf("Source = %q", p.Source)
			}
			if p.Title != tt.title || p.Method != tt.method || p.Path != tt.path {
				t.Errorf("operation = %q %s %s, want %q %s %s", p.Title, p.Method, p.Path, tt.title, tt.method, tt.path)
			}
			if p.URL != BaseURL+tt.path || p.Host != "api.gofive.co.th" {
				t.Errorf("URL = %q, host %q", p.URL, p.Host)
			}
			if p.ModifiedAtText != tt.modified {
				t.Errorf("ModifiedAtText = %q, want %q", p.ModifiedAtText, tt.modified)
			}
			if len(p.Nav) != tt.nav {
				t.Errorf("len(Nav) = %d, want %d", len(p.Nav), tt.nav)
			}
			if !strings.HasPrefix(p.Authorization, "Provide your bearer token in the Authorization header") {
				t.Errorf("Authorization = %q", p.Authorization)
			}
			if !strings.HasPrefix(p.Sample, "curl --location --request "+tt.method+" 'https://api.gofive.co.th/") {
				t.Errorf("Sample = %q", p.Sample)
			}
			for _, c := range []struct {
				name      string
				got, want []string
			}{
				{"path params", paramLines(p.PathParams), tt.pathParams},
				{"query params", paramLines(p.QueryParams), tt.query},
				{"header params", paramLines(p.HeaderParams), tt.headers},
				{"200 response fields", fieldLines(p.Response(200).Fields), tt.response},
			} {
				if diff := cmp.Diff(c.want, c.got); diff != "" {
					t.Errorf("%s (-want +got):\n%s", c.name, diff)
				}
			}
			if tt.body == nil {
				if p.Body != nil {
					t.Errorf("Body = %+v, want none", p.Body)
				}
			} else {
				if p.Body == nil {
					t.Fatal("no body")
				}
				if p.Body.ContentType != "application/json" {
					t.Errorf("body content type %q", p.Body.ContentType)
				}
				if diff := cmp.Diff(tt.body, fieldLines(p.Body.Fields)); diff != "" {
					t.Errorf("body fields (-want +got):\n%s", diff)
				}
				if ex := p.Body.Example; ex == nil || !ex.Valid || ex.Cleaned != "" {
					t.Errorf("body example = %+v, want valid JSON as printed", ex)
				}
			}
			if diff := cmp.Diff(tt.statuses, statusLines(p)); diff != "" {
				t.Errorf("statuses (-want +got):\n%s", diff)
			}
			ok := p.Response(200)
			if ok.ContentType != "application/json" || ok.Example == nil || !ok.Example.Valid {
				t.Errorf("200 response: content type %q, example %+v", ok.ContentType, ok.Example)
			}
			for _, r := range p.Responses[1:] {
				if r.Example != nil || len(r.Fields) > 0 {
					t.Errorf("%d response has a body: %+v", r.Status, r)
				}
			}
		})
	}
}

func TestParseCompactDetails(t *testing.T) {
	p := parseSeed(t, seed000)
	want := map[string]any{
		"eventName": "Meeting with Client", "eventType": 1.0, "eventDate": "2024-02-01T10:00:00",
		"description": "Discuss project requirements", "customerCode": "C000349",
	}
	if diff := cmp.Diff(want, p.Body.Example.Value); diff != "" {
		t.Errorf("body example (-want +got):\n%s", diff)
	}
	if !strings.Contains(p.Body.Example.Raw, `"eventName": "Meeting with Client",`) {
		t.Errorf("raw example = %q", p.Body.Example.Raw)
	}
	if got, want := p.ModifiedAt, time.Date(2025, 3, 3, 6, 31, 41, 0, time.UTC); !got.Equal(want) {
		t.Errorf("ModifiedAt = %v, want %v", got, want)
	}
	code := p.Response(200).Fields[1]
	if !strings.HasPrefix(code.Description, "สถานะของ Business Code ถ้า\nSuccess = 1000\nError 1 ตัว = 4001") {
		t.Errorf("status.code description = %q", code.Description)
	}
	if got := p.Nav[9]; got != (NavItem{Title: "Create Or Update Products"}) {
		t.Errorf("Nav[9] = %+v", got)
	}
	if got := p.Statuses(); !cmp.Equal(got, []int{200, 400, 401, 401}) {
		t.Errorf("Statuses() = %v", got)
	}
	if p.Response(500) != nil {
		t.Error("Response(500) != nil")
	}

	caseType := parseSeed(t, seed003).Body.Fields[0]
	if caseType.Description != "(1 = Request for Action\n2 = For Your Information)" {
		t.Errorf("caseType description = %q", caseType.Description)
	}

	events := parseSeed(t, seed002)
	if data := events.Response(200).Example.Value.(map[string]any)["data"].([]any); len(data) != 2 {
		t.Errorf("002 response example data has %d items, want 2", len(data))
	}
	if !strings.Contains(events.Sample, "filter?customerCode=C000055&eventTypeIds=1") {
		t.Errorf("002 sample = %q", events.Sample)
	}
}

func TestParseIndentedDetails(t *testing.T) {
	p := parseSeed(t, seed004)
	if p.Group != "Customer" {
		t.Errorf("Group = %q", p.Group)
	}
	if p.Description != "ดึงข้อมูล customer โดยใช้ customercode" {
		t.Errorf("Description = %q", p.Description)
	}
	if p.Previous != "Create or Update customer" || p.Next != "Customers Enquiry" {
		t.Errorf("Previous/Next = %q/%q", p.Previous, p.Next)
	}
	if !p.ModifiedAt.IsZero() || p.ModifiedAtText != "" {
		t.Errorf("ModifiedAt = %v %q, want none", p.ModifiedAt, p.ModifiedAtText)
	}
	if got := p.PathParams[0].Description; got != "รหัส customerCode" {
		t.Errorf("path param description = %q", got)
	}
	if got := p.HeaderParams[0].Description; got != "รหัส subscription key ลูกค้า" {
		t.Errorf("header param description = %q", got)
	}
	for _, want := range []NavItem{
		{Title: "Introduction", Depth: 0},
		{Title: "Get a Activity", Depth: 1, Method: "GET"},
		{Title: "Authorization", Depth: 1, Method: "POST"},
		{Title: "Delete Customer Event", Depth: 1, Method: "DELETE"},
		{Title: "Employees Enquiry", Depth: 1},
		{Title: "Get HeaderTemplate", Depth: 1},
		{Title: "Setting", Depth: 0},
	} {
		found := false
		for _, n := range p.Nav {
			found = found || n == want
		}
		if !found {
			t.Errorf("Nav lacks %+v", want)
		}
	}
	fields := map[string]Field{}
	for _, f := range p.Response(200).Fields {
		fields[f.Path] = f
	}
	if got := fields["data.customerIncome"]; got.TypeText != "string | null" || got.Description != "รายได้\n*ทำการสร้างให้ใหม่เมื่อข้อมูลไม่ตรงกัน" {
		t.Errorf("customerIncome = %+v", got)
	}
	if got := fields["data.customerState"].Description; got != "สถานะของลูกค้า Required : 1 = Lead , 2 = Prospect , 3 = Customer" {
		t.Errorf("customerState description = %q", got)
	}
	if got := fields["data.addresses"].TypeText; got != "array [object {5}]" {
		t.Errorf("addresses type text = %q", got)
	}
}

func TestParseType(t *testing.T) {
	tests := []struct {
		in       string
		want     string
		nullable bool
		children int
		format   string
	}{
		{"string", "string", false, -1, ""},
		{"integer", "integer", false, -1, ""},
		{"array[string]", "array[string]", false, -1, ""},
		{"array [object {5}]", "array[object]", false, 5, ""},
		{"array\u00a0[object {10}]\u00a0", "array[object]", false, 10, ""},
		{"object  | null", "object", true, -1, ""},
		{"object {3}", "object", false, 3, ""},
		{"string <date-time>", "string", false, -1, "date-time"},
		{"integer <int64> | null", "integer", true, -1, "int64"},
		{"string | integer", "string|integer", false, -1, ""},
		{"array", "array", false, -1, ""},
		{"null", "null", true, -1, ""},
	}
	for _, tt := range tests {
		got, ok := parseType(tt.in)
		if !ok || got.name != tt.want || got.nullable != tt.nullable || got.children != tt.children || got.format != tt.format {
			t.Errorf("parseType(%q) = %+v, %v; want %s nullable=%v children=%d format=%q", tt.in, got, ok, tt.want, tt.nullable, tt.children, tt.format)
		}
	}
	for _, bad := range []string{"", "required", "Meeting with Client", "strings", "array[", "object {x}"} {
		if got, ok := parseType(bad); ok {
			t.Errorf("parseType(%q) = %+v, want not a type", bad, got)
		}
	}
}

func TestParseNotApidog(t *testing.T) {
	for name, in := range map[string]string{
		"empty":      "",
		"blank":      " \n\t\n",
		"prose":      "Hello world.\nThis is not documentation.\n",
		"json":       `{"openapi": "3.0.3", "paths": {}}`,
		"html":       "<!doctype html><html><body><h1>Add Customer Event</h1></body></html>",
		"markdown":   "# Notes\n\n- one\n- two\n",
		"method w/o": "Add Customer Event\nPOST\n/v1/customerEvent\n",
		"binary":     "\x00\x01\x02\xff\xfe",
	} {
		t.Run(name, func(t *testing.T) {
			p, err := Parse(strings.NewReader(in))
			if !errors.Is(err, ErrNotApidog) {
				t.Fatalf("Parse = %+v, %v; want ErrNotApidog", p, err)
			}
			if p != nil {
				t.Errorf("page = %+v, want nil", p)
			}
			if !strings.HasPrefix(err.Error(), "apidog: not an Apidog documentation page: ") {
				t.Errorf("error %q does not say what is wrong", err)
			}
		})
	}
	if _, err := ParseFile(filepath.Join(t.TempDir(), "missing.txt")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("ParseFile(missing) error = %v", err)
	}
	name := filepath.Join(t.TempDir(), "notes.txt")
	if err := os.WriteFile(name, []byte("just notes\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ParseFile(name); err == nil || !strings.Contains(err.Error(), name) {
		t.Errorf("ParseFile(non-Apidog) error = %v, want one naming the file", err)
	}
}

func TestParseNavigationOnlyPage(t *testing.T) {
	p := parseString(t, "- Introduction\n- Customer\n- Add Customer Event\nIntroduction\nWelcome.\nModified at 2025-03-03 06:31:41\n")
	if p.HasOperation() {
		t.Errorf("HasOperation() = true for %+v", p)
	}
	if len(p.Nav) != 3 || p.ModifiedAtText != "2025-03-03 06:31:41" {
		t.Errorf("page = %+v", p)
	}
}

func TestParseExampleWithComments(t *testing.T) {
	page := strings.Replace(readSeed(t, seed000),
		"\"eventType\": 1,\n",
		"\"eventType\": 1, // 1 = Paid, see \"Get Customer Event Types\"\n", 1)
	page = strings.Replace(page,
		"\"customerCode\": \"C000349\"\n}",
		"\"customerCode\": \"C000349\", /* the customer's code */\n}", 1)
	ex := parseString(t, page).Body.Example
	if !ex.Valid || ex.Err != "" {
		t.Fatalf("example = %+v, want valid after cleaning", ex)
	}
	if !strings.Contains(ex.Raw, "// 1 = Paid") || strings.Contains(ex.Cleaned, "//") || strings.Contains(ex.Cleaned, "/*") {
		t.Errorf("Raw = %q\nCleaned = %q", ex.Raw, ex.Cleaned)
	}
	if diff := cmp.Diff([]string{`1 = Paid, see "Get Customer Event Types"`, "the customer's code"}, ex.Comments); diff != "" {
		t.Errorf("comments (-want +got):\n%s", diff)
	}
	if got := ex.Value.(map[string]any)["eventType"]; got != 1.0 {
		t.Errorf("eventType = %v", got)
	}

	// "//" inside strings is not a comment.
	ex = newExample(`{"url": "https://api.gofive.co.th/v1"}`)
	if !ex.Valid || ex.Cleaned != "" {
		t.Errorf("URL example = %+v", ex)
	}
}

func TestParseExampleNotJSON(t *testing.T) {
	page := strings.Replace(readSeed(t, seed000), "\"eventType\": 1,\n", "\"eventType\": <number>,\n", 1)
	p := parseString(t, page)
	ex := p.Body.Example
	if ex.Valid || ex.Err == "" || ex.Value != nil {
		t.Errorf("example = %+v, want invalid with an error", ex)
	}
	// The fields are still read.
	if len(p.Body.Fields) != 5 {
		t.Errorf("body fields = %v", fieldLines(p.Body.Fields))
	}
}

func TestParseTruncatedExample(t *testing.T) {
	// An example cut off before its closing brace ends at the next status.
	page := strings.Replace(readSeed(t, seed001), "]\n}\n\U0001F7E0401Unauthorized", "\U0001F7E0401Unauthorized", 1)
	p := parseString(t, page)
	if ex := p.Response(200).Example; ex == nil || ex.Valid {
		t.Errorf("example = %+v, want a truncated, invalid example", ex)
	}
	if got := statusLines(p); len(got) != 3 {
		t.Errorf("statuses = %v", got)
	}
}

func TestNestingWithoutExample(t *testing.T) {
	// No example: the envelope's "data" still goes to the top, and a
	// printed child count closes a container.
	page := strings.Join([]string{
		"Get Things", "GET", "https://api.gofive.co.th/v1/things",
		"Responses", "\U0001F7E2200Success", "application/json", "Body",
		"status", "object", "required",
		"code", "string", "required",
		"description", "string", "required",
		"data", "object", "required",
		"owner", "object {1}", "required",
		"name", "string", "required",
		"total", "number", "optional",
		"\U0001F7E0401Unauthorized",
	}, "\n")
	p := parseString(t, page)
	want := []string{
		"status object required",
		"status.code string required",
		"status.description string required",
		"data object required",
		"data.owner object{1} required",
		"data.owner.name string required",
		"data.total number optional",
	}
	if diff := cmp.Diff(want, fieldLines(p.Response(200).Fields)); diff != "" {
		t.Errorf("fields (-want +got):\n%s", diff)
	}
	if p.Response(200).Example != nil {
		t.Errorf("example = %+v, want none", p.Response(200).Example)
	}
}

func TestParseCRLFAndBOM(t *testing.T) {
	page := "\ufeff" + strings.ReplaceAll(readSeed(t, seed000), "\n", "\r\n")
	p := parseString(t, page)
	if p.Title != "Add Customer Event" || len(p.Body.Fields) != 5 || !p.Body.Example.Valid {
		t.Errorf("page = %q, %d fields, example %+v", p.Title, len(p.Body.Fields), p.Body.Example)
	}
}
