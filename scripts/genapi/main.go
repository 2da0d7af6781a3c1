// Command genapi writes api/operations.gen.go: one typed, envelope-decoding method per spec
// operation, grouped into a service per tag (go-github style), the initServices function that
// sets Client's service fields (declared by hand in api/client.go), plus paging iterators for
// the enquiry operations whose spec declares x-gofive-paging. The spec's x-gofive-*
// extensions are read through package spec/xgofive.
// Next to it, it writes retryclass.gen.go and the retry-class table in doc.go, from
// x-gofive-idempotent (retryclass.go).
//
// It reads two inputs: the spec (which operation, which tag, which envelope) and the Go code
// oapi-codegen generated into gen/ (the exact request constructors and data types), so the
// methods always match what gen exposes. It runs from gen/generate.go's second //go:generate
// line (`go generate ./gen`, or make generate), right after oapi-codegen; its flag defaults
// are the paths as seen from gen/.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"text/template"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/gofive-go/gofive/spec/xgofive"
)

type options struct{ spec, gen, out string }

// flags registers genapi's flags on fs; the defaults are the paths as seen from gen/.
func flags(fs *flag.FlagSet) *options {
	o := &options{}
	fs.StringVar(&o.spec, "spec", "../spec/openapi.yaml", "OpenAPI document")
	fs.StringVar(&o.gen, "gen", ".", "directory of the oapi-codegen output (package gen)")
	fs.StringVar(&o.out, "out", "../api/operations.gen.go", "file to write")
	return o
}

func main() {
	o := flags(flag.CommandLine)
	flag.Parse()
	if err := run(o.spec, o.gen, o.out); err != nil {
		fmt.Fprintln(os.Stderr, "genapi:", err)
		os.Exit(1)
	}
}

func run(specPath, genDir, out string) error {
	doc, err := openapi3.NewLoader().LoadFromFile(specPath)
	if err != nil {
		return err
	}
	pkg, err := loadGen(genDir)
	if err != nil {
		return err
	}
	model, err := build(doc, pkg)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := fileTmpl.Execute(&buf, model); err != nil {
		return err
	}
	src, err := format.Source(buf.Bytes())
	if err != nil {
		return fmt.Errorf("format: %w\n%s", err, buf.Bytes())
	}
	if err := os.WriteFile(out, src, 0o644); err != nil {
		return err
	}
	return writeRetryClasses(doc, filepath.Dir(out))
}

// genPkg is what genapi needs from the generated package: its type declarations, functions
// and the import path of each package it refers to.
type genPkg struct {
	types   map[string]ast.Expr
	funcs   map[string]*ast.FuncDecl
	imports map[string]string // package name -> import path
}

func loadGen(dir string) (*genPkg, error) {
	// The generated files plus gen's handwritten types that the spec names with x-go-type
	// (e.g. SalesOrders).
	all, err := filepath.Glob(filepath.Join(dir, "*.go"))
	var files []string
	hasGen := false
	for _, f := range all {
		if !strings.HasSuffix(f, "_test.go") {
			files = append(files, f)
			hasGen = hasGen || strings.HasSuffix(f, ".gen.go")
		}
	}
	if err != nil || !hasGen {
		return nil, fmt.Errorf("no *.gen.go in %s (run go generate ./gen first)", dir)
	}
	p := &genPkg{types: map[string]ast.Expr{}, funcs: map[string]*ast.FuncDecl{}, imports: map[string]string{}}
	fset := token.NewFileSet()
	for _, f := range files {
		file, err := parser.ParseFile(fset, f, nil, parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		for _, imp := range file.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			name := filepath.Base(path)
			if imp.Name != nil {
				name = imp.Name.Name
			}
			p.imports[name] = path
		}
		for _, d := range file.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Recv == nil {
					p.funcs[d.Name.Name] = d
				}
			case *ast.GenDecl:
				for _, s := range d.Specs {
					if ts, ok := s.(*ast.TypeSpec); ok {
						p.types[ts.Name.Name] = ts.Type
					}
				}
			}
		}
	}
	return p, nil
}

// goExpr prints a type expression of package gen as seen from package api: gen's own
// exported names get the gen. qualifier, other packages' selectors are kept and recorded.
func (p *genPkg) goExpr(e ast.Expr, imports map[string]string) string {
	switch e := e.(type) {
	case *ast.Ident:
		if ast.IsExported(e.Name) {
			imports["gen"] = "github.com/gofive-go/gofive/gen"
			return "gen." + e.Name
		}
		return e.Name
	case *ast.StarExpr:
		return "*" + p.goExpr(e.X, imports)
	case *ast.ArrayType:
		return "[]" + p.goExpr(e.Elt, imports)
	case *ast.MapType:
		return "map[" + p.goExpr(e.Key, imports) + "]" + p.goExpr(e.Value, imports)
	case *ast.SelectorExpr:
		pkgName := e.X.(*ast.Ident).Name
		imports[pkgName] = p.imports[pkgName]
		return pkgName + "." + e.Sel.Name
	case *ast.InterfaceType:
		return "any"
	case *ast.StructType:
		// An inline object of the spec (e.g. data: {value: [...]}); printed with qualified
		// field types so the literal type is identical to gen's.
		var b strings.Builder
		b.WriteString("struct {\n")
		for _, f := range e.Fields.List {
			for _, n := range f.Names {
				b.WriteString(n.Name + " " + p.goExpr(f.Type, imports))
				if f.Tag != nil {
					b.WriteString(" " + f.Tag.Value)
				}
				b.WriteString("\n")
			}
		}
		b.WriteString("}")
		return b.String()
	}
	var b bytes.Buffer
	format.Node(&b, token.NewFileSet(), e)
	return b.String()
}

// field finds the field of struct type typeName whose JSON name is jsonName.
func (p *genPkg) field(typeName, jsonName string) (*ast.Field, bool) {
	return p.fieldOf(p.types[typeName], jsonName)
}

// fieldOf is field for a type expression: a named gen type or an inline struct.
func (p *genPkg) fieldOf(typ ast.Expr, jsonName string) (*ast.Field, bool) {
	if id, ok := typ.(*ast.Ident); ok {
		typ = p.types[id.Name]
	}
	st, ok := typ.(*ast.StructType)
	if !ok {
		return nil, false
	}
	for _, f := range st.Fields.List {
		if f.Tag == nil {
			continue
		}
		tag, _ := strconv.Unquote(f.Tag.Value)
		if name, _, _ := strings.Cut(reflectTag(tag, "json"), ","); name == jsonName {
			return f, true
		}
	}
	return nil, false
}

func reflectTag(tag, key string) string {
	for _, part := range strings.Fields(tag) {
		if k, v, ok := strings.Cut(part, ":"); ok && k == key {
			s, _ := strconv.Unquote(v)
			return s
		}
	}
	return ""
}

type fileModel struct {
	Imports  []string
	Services []*service
	OpIDs    []string
}

type service struct {
	Tag, Name, Field, Doc string
	Methods               []*method
}

type param struct{ Name, Type string }

type method struct {
	Name, OperationID, Method, Path, Summary, Docs, Completeness string
	Developing                                                   bool
	Params                                                       []param
	NewRequest                                                   string
	Kind                                                         string // json, nodata, raw
	DataType                                                     string // T of callJSON[T] / callRaw[T]
	ReturnType                                                   string
	ReturnAddr                                                   bool
	NoAuth                                                       bool
	ReadOnly                                                     bool   // a POST that only reads (x-gofive-read-only): retried like a GET
	InnerStatus                                                  string // Go field of a business code inside data (nested variant)
	Deref                                                        bool   // a basic type (bool): decoded through a pointer so that null is told apart
	Pick                                                         *pick  // x-gofive-pick-by: one item out of an object-or-list
	Paging                                                       *paging
	dataAST                                                      ast.Expr
}

// pick selects one item of an object-or-list data by a path parameter (x-gofive-pick-by).
type pick struct{ Param, List, Elem, Field string }

type paging struct {
	BodyType, SizeField, OffsetField, ItemType, ItemsExpr string
	SizePtr, OffsetPtr                                    bool
	SizeGoType, OffsetGoType                              string
	ItemsCall                                             bool // ItemsExpr returns ([]T, error)
}

// serviceNames maps the docs' navigation groups to Go service names.
var serviceNames = map[string]string{
	"Authentication API": "Auth",
	"Customer":           "Customers",
	"Case":               "Cases",
	"Contract":           "Contracts",
	"Conversation":       "Conversations",
	"Deal":               "Deals",
	"Employee":           "Employees",
	"Expense":            "Expenses",
	"Product":            "Products",
	"Quotation":          "Quotations",
	"SalesOrder":         "SalesOrders",
	"Setting":            "Settings",
	"Activity":           "Activities",
	"Task":               "Tasks",
}

func exported(id string) string { return strings.ToUpper(id[:1]) + id[1:] }

func build(doc *openapi3.T, p *genPkg) (*fileModel, error) {
	imports := map[string]string{"context": "context"}
	services := map[string]*service{}
	m := &fileModel{}
	for path, item := range doc.Paths.Map() {
		for verb, op := range item.Operations() {
			if len(op.Tags) != 1 {
				return nil, fmt.Errorf("%s %s: want exactly one tag", verb, path)
			}
			svcName, ok := serviceNames[op.Tags[0]]
			if !ok {
				return nil, fmt.Errorf("%s %s: no service name for tag %q (add it to serviceNames)", verb, path, op.Tags[0])
			}
			svc := services[svcName]
			if svc == nil {
				svc = &service{Tag: op.Tags[0], Name: svcName + "Service", Field: svcName}
				for _, t := range doc.Tags {
					if t.Name == op.Tags[0] {
						svc.Doc = firstSentence(t.Description)
					}
				}
				services[svcName] = svc
			}
			mt, err := methodFor(doc, p, verb, path, op, imports)
			if err != nil {
				return nil, fmt.Errorf("%s %s (%s): %w", verb, path, op.OperationID, err)
			}
			svc.Methods = append(svc.Methods, mt)
			m.OpIDs = append(m.OpIDs, op.OperationID)
		}
	}
	for _, s := range services {
		sort.Slice(s.Methods, func(i, j int) bool { return s.Methods[i].Name < s.Methods[j].Name })
		m.Services = append(m.Services, s)
	}
	sort.Slice(m.Services, func(i, j int) bool { return m.Services[i].Name < m.Services[j].Name })
	sort.Strings(m.OpIDs)
	for _, path := range imports {
		m.Imports = append(m.Imports, path)
	}
	sort.Strings(m.Imports)
	return m, nil
}

// zeroValue is the Go expression of the zero value a method returns with an error.
func zeroValue(m *method) string {
	t := m.ReturnType
	switch {
	case m.ReturnAddr, strings.HasPrefix(t, "[]"), strings.HasPrefix(t, "map["), t == "json.RawMessage", t == "any":
		return "nil"
	case t == "bool":
		return "false"
	case t == "string":
		return `""`
	}
	return "*new(" + t + ")"
}

func firstSentence(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if i := strings.Index(s, ". "); i >= 0 {
		return s[:i+1]
	}
	return s
}

func methodFor(doc *openapi3.T, p *genPkg, verb, path string, op *openapi3.Operation, imports map[string]string) (*method, error) {
	name := exported(op.OperationID)
	mt := &method{
		Name: name, OperationID: op.OperationID, Method: verb, Path: path,
		Summary:      strings.TrimSpace(op.Summary),
		Completeness: xgofive.Completeness(op),
		Developing:   xgofive.Developing(op),
		ReadOnly:     verb == "POST" && xgofive.ReadOnly(op),
	}
	if op.ExternalDocs != nil {
		mt.Docs = op.ExternalDocs.URL
	}
	if op.Security != nil {
		mt.NoAuth = true
		for _, req := range *op.Security {
			if _, ok := req["bearerAuth"]; ok {
				mt.NoAuth = false
			}
		}
	}
	// The request constructor: JSON body, form body, or none.
	for _, candidate := range []string{"New" + name + "Request", "New" + name + "RequestWithFormdataBody"} {
		if fn, ok := p.funcs[candidate]; ok {
			if candidate == "New"+name+"Request" && op.RequestBody != nil && op.RequestBody.Value.Content.Get("application/json") == nil {
				continue
			}
			mt.NewRequest = "gen." + candidate
			for i, f := range fn.Type.Params.List {
				if i == 0 {
					continue // server string
				}
				for _, n := range f.Names {
					mt.Params = append(mt.Params, param{Name: n.Name, Type: p.goExpr(f.Type, imports)})
				}
			}
			break
		}
	}
	if mt.NewRequest == "" {
		return nil, fmt.Errorf("gen has no request constructor for %s", name)
	}
	ok := op.Responses.Status(200)
	if ok == nil || ok.Value.Content.Get("application/json") == nil {
		return nil, fmt.Errorf("no 200 application/json response")
	}
	ref := ok.Value.Content.Get("application/json").Schema
	if ref.Ref == "" {
		return nil, fmt.Errorf("200 schema must be a $ref to a component")
	}
	schemaName := strings.TrimPrefix(ref.Ref, "#/components/schemas/")
	s := ref.Value
	// A data member marked x-gofive-no-data is there only so that a business error's
	// "data": null validates; the operation documents no data.
	props := map[string]*openapi3.SchemaRef{}
	for k, v := range s.Properties {
		if v.Value == nil || !xgofive.NoData(v.Value) {
			props[k] = v
		}
	}
	switch {
	case props["data"] != nil:
		if isUnrecovered(s.Properties["data"].Value) {
			imports["json"] = "encoding/json"
			mt.Kind, mt.DataType, mt.ReturnType = "json", "json.RawMessage", "json.RawMessage"
			break
		}
		f, found := p.field(schemaName, "data")
		if !found {
			return nil, fmt.Errorf("gen type %s has no data field", schemaName)
		}
		mt.Kind = "json"
		typ := f.Type
		if star, isPtr := typ.(*ast.StarExpr); isPtr {
			typ = star.X
		}
		mt.DataType, mt.dataAST = p.goExpr(typ, imports), typ
		mt.ReturnType, mt.ReturnAddr = returnShape(p, typ, mt.DataType)
		if !mt.ReturnAddr && !isListOrMap(p, typ) {
			mt.Deref = true
		}
		if by := xgofive.PickBy(op); by != "" {
			pk, err := pickFor(p, typ, by, mt, imports)
			if err != nil {
				return nil, err
			}
			mt.Pick, mt.ReturnType, mt.ReturnAddr, mt.Deref = pk, "*"+pk.Elem, true, false
		}
		if mt.ReturnAddr {
			// Decode into a pointer: absent or null data comes back as nil, not as a
			// zero struct that looks like a real record.
			mt.DataType = mt.ReturnType
		}
		// The nested variant: data carries a business code of its own.
		if f, found := p.fieldOf(typ, "statusCode"); found && mt.ReturnAddr {
			mt.InnerStatus = f.Names[0].Name
		}
	case props["status"] != nil && len(props) == 1:
		mt.Kind = "nodata"
	default:
		mt.Kind = "raw"
		mt.DataType = "gen." + schemaName
		imports["gen"] = "github.com/gofive-go/gofive/gen"
		mt.ReturnType, mt.ReturnAddr = "*"+mt.DataType, true
	}
	pg, err := xgofive.PagingOf(op)
	if err != nil {
		return nil, err
	}
	if pg != nil {
		pgm, err := pagingFor(p, pg, mt, imports)
		if err != nil {
			return nil, err
		}
		mt.Paging = pgm
	}
	return mt, nil
}

// isUnrecovered reports whether a data schema is marked x-gofive-unrecovered, itself or as
// the one member of an allOf (the nullable wrapper of an envelope's data).
func isUnrecovered(s *openapi3.Schema) bool {
	if xgofive.Unrecovered(s) {
		return true
	}
	return len(s.AllOf) == 1 && s.AllOf[0].Value != nil && xgofive.Unrecovered(s.AllOf[0].Value)
}

// isListOrMap reports whether typ is a slice, a map or an interface, directly or as a named
// gen type: nil then means null or absent data.
func isListOrMap(p *genPkg, typ ast.Expr) bool {
	if id, ok := typ.(*ast.Ident); ok {
		if under, ok := p.types[id.Name]; ok {
			typ = under
		}
	}
	switch typ.(type) {
	case *ast.ArrayType, *ast.MapType, *ast.InterfaceType:
		return true
	}
	return false
}

// pickFor wires x-gofive-pick-by: the data is a list type (one object decodes as a list of
// one) and the method returns the item whose JSON field by equals the path parameter by.
func pickFor(p *genPkg, typ ast.Expr, by string, mt *method, imports map[string]string) (*pick, error) {
	list := typ
	if id, ok := typ.(*ast.Ident); ok {
		list = p.types[id.Name]
	}
	arr, ok := list.(*ast.ArrayType)
	if !ok {
		return nil, fmt.Errorf("x-gofive-pick-by: data type %s is not a list", mt.DataType)
	}
	f, found := p.fieldOf(arr.Elt, by)
	if !found {
		return nil, fmt.Errorf("x-gofive-pick-by: %s has no field %q", p.goExpr(arr.Elt, imports), by)
	}
	if !slices.ContainsFunc(mt.Params, func(pr param) bool { return pr.Name == by && pr.Type == "string" }) {
		return nil, fmt.Errorf("x-gofive-pick-by: no string parameter %q", by)
	}
	return &pick{Param: by, List: mt.DataType, Elem: p.goExpr(arr.Elt, imports), Field: f.Names[0].Name}, nil
}

// returnShape decides how a decoded value is returned: slices, maps and basic types by
// value, structs and other named types by pointer (nil when the response had no data).
func returnShape(p *genPkg, typ ast.Expr, goType string) (string, bool) {
	switch t := typ.(type) {
	case *ast.ArrayType, *ast.MapType, *ast.InterfaceType:
		return goType, false
	case *ast.Ident:
		switch t.Name {
		case "bool", "string", "int", "int64", "int32", "float64", "float32":
			return goType, false
		}
		if under, ok := p.types[t.Name]; ok {
			switch under.(type) {
			case *ast.ArrayType, *ast.MapType:
				return goType, false
			}
		}
	}
	return "*" + goType, true
}

// pagingFor wires an enquiry operation to the generic pager: which request fields carry the
// page size and offset, and where the items are in the decoded data.
func pagingFor(p *genPkg, pg *xgofive.Paging, mt *method, imports map[string]string) (*paging, error) {
	sizeJSON, offsetJSON, itemsPtr := pg.Size, pg.Offset, pg.Items
	var body *param
	for i := range mt.Params {
		if mt.Params[i].Name == "body" {
			body = &mt.Params[i]
		}
	}
	if body == nil {
		return nil, fmt.Errorf("x-gofive-paging on an operation without a JSON body")
	}
	bodyType := strings.TrimPrefix(body.Type, "gen.")
	if alias, ok := p.types[bodyType].(*ast.Ident); ok {
		bodyType = alias.Name
	}
	pgm := &paging{BodyType: body.Type}
	sf, ok1 := p.field(bodyType, sizeJSON)
	of, ok2 := p.field(bodyType, offsetJSON)
	if !ok1 || !ok2 {
		return nil, fmt.Errorf("paging fields %s/%s not found in %s", sizeJSON, offsetJSON, bodyType)
	}
	pgm.SizeField, pgm.OffsetField = sf.Names[0].Name, of.Names[0].Name
	sizeType, offsetType := sf.Type, of.Type
	if s, ok := sizeType.(*ast.StarExpr); ok {
		pgm.SizePtr, sizeType = true, s.X
	}
	if s, ok := offsetType.(*ast.StarExpr); ok {
		pgm.OffsetPtr, offsetType = true, s.X
	}
	pgm.SizeGoType, pgm.OffsetGoType = p.goExpr(sizeType, imports), p.goExpr(offsetType, imports)
	imports["iter"] = "iter"
	imports["errors"] = "errors"
	if itemsPtr == "" {
		// The response was not recovered: the iterator looks for the list shapes the API uses
		// elsewhere (listItems) and yields raw items.
		if mt.DataType != "json.RawMessage" {
			return nil, fmt.Errorf("x-gofive-paging without items on a typed response")
		}
		pgm.ItemType, pgm.ItemsExpr, pgm.ItemsCall = "json.RawMessage", "listItems(data)", true
		return pgm, nil
	}
	// items: a JSON pointer from the response root, "/data" or "/data/<field>".
	parts := strings.Split(strings.TrimPrefix(itemsPtr, "/"), "/")
	if parts[0] != "data" || mt.Kind != "json" {
		return nil, fmt.Errorf("x-gofive-paging items %q must point into data", itemsPtr)
	}
	expr := "data"
	typ := mt.dataAST
	for _, part := range parts[1:] {
		f, found := p.fieldOf(typ, part)
		if !found {
			return nil, fmt.Errorf("items %q: %s has no field %q", itemsPtr, mt.DataType, part)
		}
		expr += "." + f.Names[0].Name
		typ = f.Type
		if s, ok := typ.(*ast.StarExpr); ok {
			return nil, fmt.Errorf("items %q: pointer field %s not supported", itemsPtr, p.goExpr(s, imports))
		}
	}
	if id, ok := typ.(*ast.Ident); ok {
		typ = p.types[id.Name]
	}
	arr, _ := typ.(*ast.ArrayType)
	if arr == nil {
		return nil, fmt.Errorf("items %q is not an array", itemsPtr)
	}
	pgm.ItemType = p.goExpr(arr.Elt, imports)
	pgm.ItemsExpr = expr
	return pgm, nil
}

var fileTmpl = template.Must(template.New("file").Funcs(template.FuncMap{
	"zero": zeroValue,
}).Parse(`// Code generated by scripts/genapi from spec/openapi.yaml and gen/; DO NOT EDIT.

package api

import (
{{- range .Imports}}
	"{{.}}"
{{- end}}
)

// operationIDs lists every spec operation that has a method here (tests compare it with the spec).
var operationIDs = []string{
{{- range .OpIDs}}
	"{{.}}",
{{- end}}
}

// initServices points each service field of Client (declared by hand in client.go, so that
// go doc lists them) at c. A new spec tag needs its field there.
func (c *Client) initServices() {
{{- range .Services}}
	c.{{.Field}} = &{{.Name}}{client: c}
{{- end}}
}
{{range $s := .Services}}
// {{$s.Name}} calls the {{$s.Tag}} operations.{{if $s.Doc}} {{$s.Doc}}{{end}}
type {{$s.Name}} struct{ client *Client }
{{range $m := $s.Methods}}
// {{$m.Name}} calls {{$m.OperationID}}: {{$m.Method}} {{$m.Path}} ("{{$m.Summary}}").
// Completeness in the spec: {{$m.Completeness}}.{{if $m.Developing}} The docs mark it "Developing".{{end}}{{if $m.ReadOnly}} A read-only POST, retried like a GET.{{end}}
{{- if eq $m.Kind "nodata"}} The API documents no data in the response: success is a nil error.{{end}}
{{- if eq $m.DataType "json.RawMessage"}} The response data was not recovered from the docs, so it is returned undecoded
// (JSON null when the answer has none); read it with RawField or RawString.
{{- else if eq $m.Kind "json"}}
// A success whose data is null or absent is an error wrapping ErrNoData.{{end}}
{{- if $m.Pick}} The data is one object or a list of them
// (both are documented); the one whose {{$m.Pick.Field}} is {{$m.Pick.Param}} is returned, else an error wrapping ErrNotFound.{{end}}
{{- if $m.Docs}}
//
// Docs: {{$m.Docs}}
{{- end}}
func (s *{{$s.Name}}) {{$m.Name}}(ctx context.Context{{range $m.Params}}, {{.Name}} {{.Type}}{{end}}) {{if eq $m.Kind "nodata"}}error{{else}}({{$m.ReturnType}}, error){{end}} {
	req, err := {{$m.NewRequest}}(s.client.BaseURL(){{range $m.Params}}, {{.Name}}{{end}})
	if err != nil {
		{{if eq $m.Kind "nodata"}}return {{else}}return {{zero $m}}, {{end}}requestError("{{$m.OperationID}}", err)
	}
	{{- if $m.NoAuth}}
	ctx = withoutBearer(ctx)
	{{- end}}
	{{- if $m.ReadOnly}}
	ctx = ContextWithRetry(ctx) // an enquiry: a POST that only reads, safe to retry
	{{- end}}
	{{- if eq $m.Kind "nodata"}}
	return callNoData(s.client, ctx, "{{$m.OperationID}}", req)
	{{- else if eq $m.Kind "raw"}}
	data, err := callRaw[{{$m.DataType}}](s.client, ctx, "{{$m.OperationID}}", req)
	if err != nil {
		return nil, err
	}
	return &data, nil
	{{- else if $m.Pick}}
	list, err := callData[{{$m.Pick.List}}](s.client, ctx, "{{$m.OperationID}}", req)
	if err != nil {
		return nil, err
	}
	return pickOne("{{$m.OperationID}}", list, {{$m.Pick.Param}}, func(v *{{$m.Pick.Elem}}) string { return v.{{$m.Pick.Field}} })
	{{- else if $m.InnerStatus}}
	return callJSONNested(s.client, ctx, "{{$m.OperationID}}", req, func(d {{$m.DataType}}) *int {
		if d == nil || d.{{$m.InnerStatus}} == 0 {
			return nil // absent (0 is no business code)
		}
		return &d.{{$m.InnerStatus}}
	})
	{{- else if eq $m.DataType "json.RawMessage"}}
	return callRawData(s.client, ctx, "{{$m.OperationID}}", req)
	{{- else if $m.Deref}}
	data, err := callData[*{{$m.DataType}}](s.client, ctx, "{{$m.OperationID}}", req)
	if err != nil {
		return {{zero $m}}, err
	}
	return *data, nil
	{{- else}}
	return callData[{{$m.DataType}}](s.client, ctx, "{{$m.OperationID}}", req)
	{{- end}}
}
{{with $m.Paging}}
// {{$m.Name}}All pages through {{$m.OperationID}}, pageSize items per request ({{.SizeField}}),
// advancing {{.OffsetField}} until a page comes back short. It yields each item, or one error
// and stops (ErrPagingStalled when a page repeats an earlier one, ErrTooManyPages after the
// client's WithMaxPages). pageSize <= 0 means DefaultPageSize. The body's own {{.SizeField}}/{{.OffsetField}} are
// overwritten; the offset starts at body.{{.OffsetField}} when set.
{{- if .ItemsCall}}
//
// The response of this operation was not recovered from the docs, so items are yielded as raw
// JSON, found in data as a JSON array or as {"value": [...]} (the list shapes the API uses
// elsewhere); any other shape ends the sequence with an error.
{{- end}}
func (s *{{$s.Name}}) {{$m.Name}}All(ctx context.Context{{range $m.Params}}, {{.Name}} {{.Type}}{{end}}, pageSize int) iter.Seq2[{{.ItemType}}, error] {
	start := 0
	{{- if .OffsetPtr}}
	if body.{{.OffsetField}} != nil {
		start = int(*body.{{.OffsetField}})
	}
	{{- else}}
	start = int(body.{{.OffsetField}})
	{{- end}}
	return pages(ctx, s.client, start, pageSize, func(ctx context.Context, offset, size int) ([]{{.ItemType}}, error) {
		{{- if .SizePtr}}
		sz := {{.SizeGoType}}(size)
		body.{{.SizeField}} = &sz
		{{- else}}
		body.{{.SizeField}} = {{.SizeGoType}}(size)
		{{- end}}
		{{- if .OffsetPtr}}
		off := {{.OffsetGoType}}(offset)
		body.{{.OffsetField}} = &off
		{{- else}}
		body.{{.OffsetField}} = {{.OffsetGoType}}(offset)
		{{- end}}
		data, err := s.{{$m.Name}}(ctx{{range $m.Params}}, {{.Name}}{{end}})
		if errors.Is(err, ErrNoData) {
			return nil, nil // a page without data ends the list
		}
		if err != nil {
			return nil, err
		}
		return {{.ItemsExpr}}{{if not .ItemsCall}}, nil{{end}}
	})
}
{{end}}
{{- end}}
{{- end}}
`))
