package spec

import (
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/gofive-go/gofive/spec/apidog"
)

// TestScrapedExamplesValidate checks every example printed on the scraped doc pages
// (spec/scraped) against the schema of the spec operation with the page's method and path:
// the request example against the request body, the 200 example against the 200 response.
// (make drift compares the rest of each page: fields, types, required flags.)
func TestScrapedExamplesValidate(t *testing.T) {
	doc := MustLoad()
	files, err := filepath.Glob("scraped/*.txt")
	if err != nil || len(files) != 5 {
		t.Fatalf("want the 5 seed pages in spec/scraped, got %d (%v)", len(files), err)
	}
	checked := 0
	for _, f := range files {
		page, err := apidog.ParseFile(f)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if !page.HasOperation() {
			continue
		}
		item := doc.Paths.Find(page.Path)
		if item == nil || item.GetOperation(page.Method) == nil {
			t.Errorf("%s: %s %s is not in the spec", f, page.Method, page.Path)
			continue
		}
		o := item.GetOperation(page.Method)
		validate := func(what string, ex *apidog.Example, mt *openapi3.MediaType) {
			if ex == nil {
				return
			}
			if !ex.Valid {
				t.Errorf("%s %s example is not JSON even after cleaning: %s", f, what, ex.Err)
				return
			}
			if mt == nil {
				t.Errorf("%s: the page has a %s example but the spec has no JSON schema for it", f, what)
				return
			}
			checked++
			if err := mt.Schema.Value.VisitJSON(ex.Value, openapi3.MultiErrors()); err != nil {
				t.Errorf("%s %s example does not validate against %s: %v", f, what, o.OperationID, err)
			}
		}
		if page.Body != nil {
			var mt *openapi3.MediaType
			if o.RequestBody != nil {
				mt = o.RequestBody.Value.Content.Get("application/json")
			}
			validate("request", page.Body.Example, mt)
		}
		if r := page.Response(http.StatusOK); r != nil {
			var mt *openapi3.MediaType
			if resp := o.Responses.Status(http.StatusOK); resp != nil {
				mt = resp.Value.Content.Get("application/json")
			}
			validate("200 "+strings.TrimSpace(r.Description), r.Example, mt)
		}
	}
	t.Logf("%d scraped examples validated", checked)
	if checked < 5 {
		t.Errorf("only %d scraped examples found; the parser or the pages changed", checked)
	}
}
