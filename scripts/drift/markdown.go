package main

// The Markdown/OpenAPI pages (Apidog's machine-readable twins, saved by make scrape) are
// compared with the spec structurally by oasdiff: the page's one-operation document against a
// one-operation document holding the spec's operation under the page's path. oasdiff finds the
// differences (parameters, request body, responses, properties, types, required lists); this
// file maps each back to a finding naming the page, method, path and the field's JSON path,
// and judges types with the same rules as the rendered-text comparison.

import (
	"cmp"
	"fmt"
	"iter"
	"maps"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/oasdiff/oasdiff/diff"

	"github.com/gofive-go/gofive/scripts/internal/manifest"
	"github.com/gofive-go/gofive/scripts/internal/schemapath"
	"github.com/gofive-go/gofive/spec"
	"github.com/gofive-go/gofive/spec/apidog"
)

// DocsRequiredExt lists, on a response schema, the properties the docs mark required. The spec
// keeps a response's `required` for what the API really guarantees and records the docs'
// (weak: Apidog marks every property of a sample-built schema required) markers here; drift
// compares the docs with this list when it is present, else with `required`. Request schemas
// are always compared with `required`.
const DocsRequiredExt = "x-gofive-docs-required"

// MDPage is a scraped Markdown twin.
type MDPage struct {
	Name  string // file name in the pages directory
	URL   string // from the manifest, when known
	Title string
	Doc   *openapi3.T // nil on a documentation page or a malformed one
	Err   error       // an ErrMalformed from apidog
	Gone  bool        // the manifest records the page as gone (404/410)
}

// LoadMarkdownPages reads every *.md page of dir.
func LoadMarkdownPages(dir string, m *manifest.Manifest) ([]*MDPage, error) {
	names, err := filepath.Glob(filepath.Join(dir, "*.md"))
	if err != nil {
		return nil, err
	}
	byFile := map[string]manifest.Entry{}
	for _, e := range m.Pages {
		if e.File != "" {
			byFile[e.File] = e
		}
	}
	var pages []*MDPage
	for _, name := range names {
		base := filepath.Base(name)
		if strings.EqualFold(base, "README.md") {
			continue // a note about the directory, not a page
		}
		b, err := os.ReadFile(name)
		if err != nil {
			return nil, err
		}
		p := &MDPage{Name: base}
		if e, ok := byFile[base]; ok {
			p.URL, p.Title, p.Gone = e.URL, e.Title, e.Status == manifest.StatusGone
		}
		md, err := apidog.ParseMarkdown(b)
		if err != nil {
			p.Err = err
		} else {
			p.Title = cmp.Or(md.Title, p.Title)
			if md.HasOpenAPI() {
				p.Doc, p.Err = apidog.LoadOpenAPI(md.OpenAPI)
			}
		}
		pages = append(pages, p)
	}
	return pages, nil
}

// Markdown holds what the Markdown comparison needs besides the pages.
type Markdown struct {
	Spec *openapi3.T // validated, as loaded
	// DocsView is a second load of the spec whose response schemas have `required` replaced
	// by DocsRequiredExt where present (see ApplyDocsRequired).
	DocsView *openapi3.T
	Coverage []spec.CoverageEntry
	Manifest *manifest.Manifest
}

// DiffMarkdown reports every difference between the Markdown pages and the spec, plus the
// spec operations whose page disappeared.
func DiffMarkdown(md Markdown, pages []*MDPage) []Finding {
	idx := indexOperations(md.Spec)
	view := indexOperations(md.DocsView)
	var out []Finding
	for _, p := range pages {
		switch {
		case p.Err != nil:
			out = append(out, Finding{Page: p.Name, Kind: MalformedPage, Detail: p.Err.Error()})
		case p.Doc == nil || p.Gone:
			// a documentation page; or a page that is gone, reported below as removed
		default:
			for _, op := range apidog.Operations(p.Doc) {
				out = append(out, compareMarkdownOperation(md, idx, view, p, op)...)
			}
		}
	}
	out = append(out, removedOperations(md, pages)...)
	sortFindings(out)
	return out
}

// ApplyDocsRequired sets, on every schema of doc reachable from a response, `required` to
// its DocsRequiredExt list where it has one. doc must be a load of its own: schemas are
// changed in place.
func ApplyDocsRequired(doc *openapi3.T) {
	seen := map[*openapi3.Schema]bool{}
	var visit func(s *openapi3.SchemaRef, depth int)
	visit = func(s *openapi3.SchemaRef, depth int) {
		if s == nil || s.Value == nil || seen[s.Value] || depth > maxDepth {
			return
		}
		v := s.Value
		seen[v] = true
		if list, ok := stringList(v.Extensions[DocsRequiredExt]); ok {
			v.Required = list
		}
		for _, p := range v.Properties {
			visit(p, depth+1)
		}
		visit(v.Items, depth+1)
		for _, l := range [][]*openapi3.SchemaRef{v.AllOf, v.OneOf, v.AnyOf} {
			for _, x := range l {
				visit(x, depth+1)
			}
		}
	}
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			if op.Responses == nil {
				continue
			}
			for _, r := range op.Responses.Map() {
				if r == nil || r.Value == nil {
					continue
				}
				for _, mt := range r.Value.Content {
					visit(mt.Schema, 0)
				}
			}
		}
	}
}

func stringList(v any) ([]string, bool) {
	switch x := v.(type) {
	case []string:
		return x, true
	case []any:
		out := make([]string, 0, len(x))
		for _, e := range x {
			s, ok := e.(string)
			if !ok {
				return nil, false
			}
			out = append(out, s)
		}
		return out, true
	}
	return nil, false
}

type mdComparison struct {
	page     *MDPage
	method   string
	path     string
	findings []Finding
}

func (c *mdComparison) add(kind Kind, field, docs, spec, detail string) {
	c.findings = append(c.findings, Finding{
		Page: c.page.Name, Method: c.method, Path: c.path,
		Kind: kind, Field: field, Docs: docs, Spec: spec, Detail: detail,
	})
}

func compareMarkdownOperation(md Markdown, idx, view operationIndex, p *MDPage, pop apidog.Operation) []Finding {
	c := &mdComparison{page: p, method: pop.Method, path: pop.Path}
	so, ok := idx.exact[pop.Method+" "+normPath(pop.Path)]
	if !ok {
		cands := idx.fold[pop.Method+" "+strings.ToLower(normPath(pop.Path))]
		if len(cands) == 0 {
			title := cmp.Or(pop.Op.Summary, p.Title)
			c.add(MissingOperation, "", title, "absent", coverageNote(md.Coverage, title, pop.Method))
			return c.findings
		}
		so = cands[0]
		c.add(PathCaseMismatch, "", pop.Path, so.path, "")
	}
	vso := view.exact[pop.Method+" "+normPath(so.path)]
	specOp := *so.op // the request side as the spec has it …
	if vso.op != nil {
		specOp.Responses = vso.op.Responses // … the response side with the docs' required markers
	}
	docsOp := *pop.Op
	docsOp.Parameters = withoutTransportHeaders(md.Spec, pop.Op.Parameters)
	specOp.Parameters = withoutTransportHeaders(md.Spec, append(slices.Clone(so.item.Parameters), so.op.Parameters...))

	base := singleOperation(pop.Path, pop.Method, &specOp)
	rev := singleOperation(pop.Path, pop.Method, &docsOp)
	d, err := diff.Get(diffConfig(), base, rev)
	if err != nil {
		c.add(MalformedPage, "", "", "", "oasdiff: "+err.Error())
		return c.findings
	}
	if d.PathsDiff != nil {
		for _, pd := range d.PathsDiff.Modified {
			if pd.OperationsDiff == nil {
				continue
			}
			for m, md := range pd.OperationsDiff.Modified {
				if strings.EqualFold(m, pop.Method) {
					c.operation(md, &specOp, &docsOp)
				}
			}
		}
	}
	c.examples(so.op, pop.Op)
	return c.findings
}

// coverageNote matches a page's title with the name-only entries of spec/coverage.yaml.
func coverageNote(entries []spec.CoverageEntry, title, method string) string {
	for _, e := range entries {
		if strings.EqualFold(strings.TrimSpace(e.Name), strings.TrimSpace(title)) {
			if e.Completeness == "name-only" || e.OperationID == "" {
				note := fmt.Sprintf("coverage.yaml lists %q (%s) as %s", e.Name, e.Tag, e.Completeness)
				if e.Method != "" && !strings.EqualFold(e.Method, method) {
					note += fmt.Sprintf(" with method %s, not %s", e.Method, method)
				}
				return note + "; make propose writes a fragment"
			}
			return fmt.Sprintf("coverage.yaml names %q as operation %s, under another method or path", e.Name, e.OperationID)
		}
	}
	return "not in coverage.yaml either; make propose writes a fragment"
}

// withoutTransportHeaders drops the header parameters Apidog lists on every page that the
// spec expresses otherwise: Content-Type and Accept (the media types), Authorization (the
// bearer scheme) and the API-key headers of the spec's security schemes.
func withoutTransportHeaders(doc *openapi3.T, params openapi3.Parameters) openapi3.Parameters {
	skip := map[string]bool{"content-type": true, "accept": true, "authorization": true}
	if doc.Components != nil {
		for _, s := range doc.Components.SecuritySchemes {
			if s != nil && s.Value != nil && s.Value.Type == "apiKey" && s.Value.In == "header" {
				skip[strings.ToLower(s.Value.Name)] = true
			}
		}
	}
	var out openapi3.Parameters
	for _, p := range params {
		if p == nil || p.Value == nil || (p.Value.In == "header" && skip[strings.ToLower(p.Value.Name)]) {
			continue
		}
		out = append(out, p)
	}
	return out
}

// diffConfig leaves out what is prose or vendor-specific: examples are checked against the
// schemas instead (examples), descriptions, titles and summaries are not drift.
func diffConfig() *diff.Config {
	return diff.NewConfig(diff.WithExcludeElements([]string{
		diff.ExcludeExamplesOption, diff.ExcludeDescriptionOption, diff.ExcludeTitleOption,
		diff.ExcludeSummaryOption, diff.ExcludeExtensionsOption,
	}))
}

func singleOperation(path, method string, op *openapi3.Operation) *openapi3.T {
	item := &openapi3.PathItem{}
	item.SetOperation(method, op)
	return &openapi3.T{
		OpenAPI: "3.0.3",
		Info:    &openapi3.Info{Title: "drift", Version: "0"},
		Paths:   openapi3.NewPaths(openapi3.WithPath(path, item)),
	}
}

// method maps one operation's oasdiff report to findings.
func (c *mdComparison) operation(d *diff.MethodDiff, specOp, docsOp *openapi3.Operation) {
	if pd := d.ParametersDiff; pd != nil {
		for _, loc := range []string{"path", "query", "header", "cookie"} {
			added, deleted := slices.Clone(pd.Added[loc]), slices.Clone(pd.Deleted[loc])
			c.renamed(loc, &added, &deleted)
			for _, n := range added {
				p := docsOp.Parameters.GetByInAndName(loc, n)
				c.add(MissingField, loc+"."+n, paramDesc(p), "absent", "")
			}
			for _, n := range deleted {
				p := specOp.Parameters.GetByInAndName(loc, n)
				c.add(ExtraField, loc+"."+n, "absent", paramDesc(p), "")
			}
			for n, pdiff := range pd.Modified[loc] {
				if pdiff == nil {
					continue
				}
				field := loc + "." + n
				if pdiff.RequiredDiff != nil {
					c.add(RequiredMismatch, field, requiredWord(pdiff.RequiredDiff.To == true), requiredWord(pdiff.RequiredDiff.From == true), "")
				}
				var bs, rs *openapi3.Schema
				if pdiff.Base != nil && pdiff.Base.Schema != nil {
					bs = pdiff.Base.Schema.Value
				}
				if pdiff.Revision != nil && pdiff.Revision.Schema != nil {
					rs = pdiff.Revision.Schema.Value
				}
				c.schema(field, pdiff.SchemaDiff, bs, rs)
			}
		}
	}
	if rb := d.RequestBodyDiff; rb != nil {
		switch {
		case rb.Added:
			c.add(MissingField, "body", "request body", "absent", "")
		case rb.Deleted:
			c.add(ExtraField, "body", "absent", "request body", "")
		default:
			if rb.RequiredDiff != nil {
				c.add(RequiredMismatch, "body", requiredWord(rb.RequiredDiff.To == true), requiredWord(rb.RequiredDiff.From == true), "")
			}
			c.content("body", rb.ContentDiff, bodyContent(specOp), bodyContent(docsOp))
		}
	}
	if rd := d.ResponsesDiff; rd != nil {
		for _, status := range rd.Added {
			c.add(MissingStatus, "response."+status, "documented", "absent", "")
		}
		// Statuses the spec has and the page does not are not drift: the spec adds error
		// responses the docs leave out.
		for status, r := range rd.Modified {
			if r == nil {
				continue
			}
			var bc, rc openapi3.Content
			if r.Base != nil {
				bc = r.Base.Content
			}
			if r.Revision != nil {
				rc = r.Revision.Content
			}
			c.content(responseField(status), r.ContentDiff, bc, rc)
		}
	}
}

func responseField(status string) string {
	if strings.HasPrefix(status, "2") {
		return "response"
	}
	return "response." + status
}

func bodyContent(op *openapi3.Operation) openapi3.Content {
	if op.RequestBody == nil || op.RequestBody.Value == nil {
		return nil
	}
	return op.RequestBody.Value.Content
}

func (c *mdComparison) content(field string, d *diff.ContentDiff, base, rev openapi3.Content) {
	if d == nil {
		return
	}
	for _, mt := range d.MediaTypeAdded {
		if len(d.MediaTypeDeleted) > 0 {
			c.add(TypeMismatch, field, mt, strings.Join(d.MediaTypeDeleted, ", "), "content type")
		} else {
			c.add(MissingField, field, "content "+mt, "absent", "")
		}
	}
	if len(d.MediaTypeAdded) == 0 {
		for _, mt := range d.MediaTypeDeleted {
			c.add(ExtraField, field, "absent", "content "+mt, "")
		}
	}
	for name, mtd := range d.MediaTypeModified {
		if mtd == nil {
			continue
		}
		var bs, rs *openapi3.Schema
		if m := base.Get(name); m != nil && m.Schema != nil {
			bs = m.Schema.Value
		}
		if m := rev.Get(name); m != nil && m.Schema != nil {
			rs = m.Schema.Value
		}
		c.schema(field, mtd.SchemaDiff, bs, rs)
	}
}

// schema maps a schema's diff at field (base: the spec's schema, rev: the page's).
func (c *mdComparison) schema(field string, d *diff.SchemaDiff, base, rev *openapi3.Schema) {
	if d == nil {
		return
	}
	switch {
	case d.SchemaAdded:
		c.add(MissingField, field, "schema "+specType(rev).String(), "absent", "")
		return
	case d.SchemaDeleted:
		c.add(ExtraField, field, "absent", "schema "+specType(base).String(), "")
		return
	case base == nil || rev == nil:
		return
	}
	if m := marker(base); m != "" && schemapath.DocumentsMore(base, rev, maxDepth) {
		c.add(NewlyDocumented, field, "documented: "+summarise(rev), m, "make propose writes the documented shape")
		return
	}
	if d.TypeDiff != nil || d.NullableDiff != nil || d.OneOfDiff != nil || d.AnyOfDiff != nil || d.ListOfTypesDiff != nil {
		st, dt := specType(base), specType(rev)
		plain := st
		plain.goType = ""
		plain.combinator = ""
		if !typesMatch(dt, plain) {
			c.add(TypeMismatch, field, dt.String(), st.String(), "")
		}
	}
	if pd := d.PropertiesDiff; pd != nil {
		added, deleted := slices.Clone(pd.Added), slices.Clone(pd.Deleted)
		c.renamed(field, &added, &deleted)
		slices.Sort(added)
		slices.Sort(deleted)
		for _, n := range added {
			c.add(MissingField, field+"."+n, describeSchema(rev.Properties[n], slices.Contains(rev.Required, n)), "absent", "")
		}
		for _, n := range deleted {
			c.add(ExtraField, field+"."+n, "absent", describeSchema(base.Properties[n], slices.Contains(base.Required, n)), "")
		}
		for _, n := range slices.Sorted(mapsKeys(pd.Modified)) {
			c.schema(field+"."+n, pd.Modified[n], schemaOf(base.Properties[n]), schemaOf(rev.Properties[n]))
		}
	}
	if rd := d.RequiredDiff; rd != nil {
		for _, n := range rd.Added {
			if base.Properties[n] != nil && rev.Properties[n] != nil {
				c.add(RequiredMismatch, field+"."+n, "required", "optional", "")
			}
		}
		for _, n := range rd.Deleted {
			if base.Properties[n] != nil && rev.Properties[n] != nil {
				c.add(RequiredMismatch, field+"."+n, "optional", "required", "")
			}
		}
	}
	if d.ItemsDiff != nil {
		c.schema(field+"[]", d.ItemsDiff, schemaOf(base.Items), schemaOf(rev.Items))
	}
	// allOf members describe the same object: their differences are at the same field.
	if ad := d.AllOfDiff; ad != nil {
		for _, m := range ad.Modified {
			if m == nil || m.Base.Index >= len(base.AllOf) || m.Revision.Index >= len(rev.AllOf) {
				continue
			}
			c.schema(field, m.Diff, schemaOf(base.AllOf[m.Base.Index]), schemaOf(rev.AllOf[m.Revision.Index]))
		}
		// oasdiff does not pair a $ref member with an inline one (the docs inline every
		// schema): it reports one deleted and one added. Pair them by position and diff the pair.
		for i := 0; i < len(ad.Deleted) && i < len(ad.Added); i++ {
			bi, ri := ad.Deleted[i].Index, ad.Added[i].Index
			if bi >= len(base.AllOf) || ri >= len(rev.AllOf) {
				continue
			}
			bs, rs := schemaOf(base.AllOf[bi]), schemaOf(rev.AllOf[ri])
			c.schema(field, subschemaDiff(bs, rs), bs, rs)
		}
	}
}

// subschemaDiff is oasdiff's diff of two schemas, got by comparing two one-response documents.
func subschemaDiff(base, rev *openapi3.Schema) *diff.SchemaDiff {
	if base == nil || rev == nil {
		return nil
	}
	doc := func(s *openapi3.Schema) *openapi3.T {
		op := openapi3.NewOperation()
		op.AddResponse(200, openapi3.NewResponse().WithDescription("").WithJSONSchema(s))
		return singleOperation("/", "GET", op)
	}
	d, err := diff.Get(diffConfig(), doc(base), doc(rev))
	if err != nil || d == nil || d.PathsDiff == nil {
		return nil
	}
	for _, pd := range d.PathsDiff.Modified {
		if pd == nil || pd.OperationsDiff == nil {
			continue
		}
		for _, md := range pd.OperationsDiff.Modified {
			if md == nil || md.ResponsesDiff == nil {
				continue
			}
			if r := md.ResponsesDiff.Modified["200"]; r != nil && r.ContentDiff != nil {
				if mt := r.ContentDiff.MediaTypeModified["application/json"]; mt != nil {
					return mt.SchemaDiff
				}
			}
		}
	}
	return nil
}

// marker is the spec's x-gofive-unrecovered / x-gofive-partial mark on s, if any.
func marker(s *openapi3.Schema) string {
	for _, k := range []string{"x-gofive-unrecovered", "x-gofive-partial"} {
		if v, ok := s.Extensions[k]; ok && v != false {
			return k
		}
	}
	return ""
}

func summarise(s *openapi3.Schema) string {
	t := specType(s).String()
	if len(s.Properties) > 0 {
		names := slices.Sorted(mapsKeys(s.Properties))
		if len(names) > 6 {
			names = append(names[:6], "…")
		}
		t += " {" + strings.Join(names, ", ") + "}"
	}
	return t
}

// renamed pairs an added and a deleted name (a parameter under its location, a property
// under its field) that differ in letter case only.
func (c *mdComparison) renamed(prefix string, added, deleted *[]string) {
	for i := 0; i < len(*added); i++ {
		a := (*added)[i]
		if j := slices.IndexFunc(*deleted, func(d string) bool { return strings.EqualFold(a, d) }); j >= 0 {
			c.add(FieldCaseMismatch, prefix+"."+a, a, (*deleted)[j], "")
			*added = slices.Delete(*added, i, i+1)
			*deleted = slices.Delete(*deleted, j, j+1)
			i--
		}
	}
}

func paramDesc(p *openapi3.Parameter) string {
	if p == nil {
		return "-"
	}
	return describeSchema(p.Schema, p.Required)
}

func describeSchema(s *openapi3.SchemaRef, required bool) string {
	if s == nil || s.Value == nil {
		return requiredWord(required)
	}
	return specType(s.Value).String() + ", " + requiredWord(required)
}

func schemaOf(s *openapi3.SchemaRef) *openapi3.Schema {
	if s == nil {
		return nil
	}
	return s.Value
}

func mapsKeys[V any](m map[string]V) iter.Seq[string] { return maps.Keys(m) }

// examples checks the page's request and response examples against the spec's schemas.
func (c *mdComparison) examples(specOp, docsOp *openapi3.Operation) {
	check := func(field string, ex any, mt *openapi3.MediaType, opt openapi3.SchemaValidationOption) {
		if mt == nil || mt.Schema == nil || mt.Schema.Value == nil {
			c.add(InvalidExample, field, "example", "no JSON schema to validate against", "")
			return
		}
		if err := mt.Schema.Value.VisitJSON(ex, openapi3.MultiErrors(), opt); err != nil {
			c.add(InvalidExample, field, "example", "rejects it", validationMessage(err))
		}
	}
	if docsOp.RequestBody != nil && docsOp.RequestBody.Value != nil {
		for ct, mt := range docsOp.RequestBody.Value.Content {
			for _, ex := range mediaExamples(mt) {
				check("body.example", ex, bodyContent(specOp).Get(ct), openapi3.VisitAsRequest())
			}
		}
	}
	if docsOp.Responses == nil {
		return
	}
	for status, r := range docsOp.Responses.Map() {
		if r == nil || r.Value == nil {
			continue
		}
		var sr *openapi3.Response
		if specOp.Responses != nil {
			if x := specOp.Responses.Value(status); x != nil {
				sr = x.Value
			}
		}
		if sr == nil {
			continue // reported as missing-status
		}
		for ct, mt := range r.Value.Content {
			for _, ex := range mediaExamples(mt) {
				check("response."+status+".example", ex, sr.Content.Get(ct), openapi3.VisitAsResponse())
			}
		}
	}
}

// mediaExamples are a media type's example values; a JSON-looking string that did not decode
// stays a string and is validated as such.
func mediaExamples(mt *openapi3.MediaType) []any {
	if mt == nil {
		return nil
	}
	var out []any
	if mt.Example != nil {
		out = append(out, mt.Example)
	}
	for _, k := range slices.Sorted(mapsKeys(mt.Examples)) {
		if e := mt.Examples[k]; e != nil && e.Value != nil && e.Value.Value != nil {
			out = append(out, e.Value.Value)
		}
	}
	return out
}

// removedOperations reports the spec operations whose docs page disappeared. It needs a
// manifest: without one (the committed rendered-text pages) nothing can be said.
func removedOperations(md Markdown, pages []*MDPage) []Finding {
	m := md.Manifest
	if m == nil || m.Source == "" {
		return nil
	}
	byPath := map[string]manifest.Entry{}
	for _, e := range m.Pages {
		if u, err := url.Parse(e.URL); err == nil {
			byPath[strings.TrimSuffix(u.Path, ".md")] = e
		}
	}
	var out []Finding
	for _, so := range specOperations(md.Spec) {
		if so.op.ExternalDocs == nil {
			continue
		}
		u, err := url.Parse(so.op.ExternalDocs.URL)
		if err != nil || !strings.HasPrefix(strings.TrimPrefix(u.Path, "/"), "api-") {
			continue // only endpoint pages name one operation
		}
		key := strings.TrimSuffix(u.Path, ".md")
		e, listed := byPath[key]
		page := cmp.Or(e.File, filepath.Base(key)+".md")
		switch {
		case !listed && m.Source == manifest.SourceLLMS:
			out = append(out, Finding{Page: page, Method: so.method, Path: so.path, Kind: RemovedOperation,
				Docs: "absent", Spec: so.op.OperationID, Detail: "llms.txt no longer lists " + so.op.ExternalDocs.URL})
		case listed && e.Status == manifest.StatusGone:
			out = append(out, Finding{Page: page, Method: so.method, Path: so.path, Kind: RemovedOperation,
				Docs: "gone", Spec: so.op.OperationID, Detail: e.URL + " answered 404/410"})
		}
	}
	return out
}

type methodPath struct {
	method, path string
	op           *openapi3.Operation
}

func specOperations(doc *openapi3.T) []methodPath {
	var out []methodPath
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			out = append(out, methodPath{strings.ToUpper(method), path, op})
		}
	}
	slices.SortFunc(out, func(a, b methodPath) int {
		return cmp.Or(strings.Compare(a.path, b.path), strings.Compare(a.method, b.method))
	})
	return out
}
