package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
)

// describeOperation prints what `gofive call OPERATION -h` shows: the operation, its
// parameters and body fields with their types, and the documented body example.
func describeOperation(w io.Writer, o *operation) {
	fmt.Fprintf(w, "usage: gofive call %s", o.ID)
	for _, p := range o.params() {
		if p.Value != nil && p.Value.Required {
			fmt.Fprintf(w, " %s=…", p.Value.Name)
		}
	}
	if mt, _ := o.jsonBody(); mt != nil {
		fmt.Fprint(w, " [field=value …] [--body FILE|-]")
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "\n%s %s — %s (%s; completeness: %s)\n", o.Method, o.Path, o.Summary, o.Tag, o.Completeness)
	if o.Paging != nil {
		fmt.Fprintf(w, "Pages with %s (size) and %s (offset): --all fetches every page.\n", o.Paging.Size, o.Paging.Offset)
	}

	if params := o.params(); len(params) > 0 {
		fmt.Fprintln(w, "\nParameters:")
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		for _, p := range params {
			pv := p.Value
			if pv == nil {
				continue
			}
			req := ""
			if pv.Required {
				req = "required"
			}
			ex := strings.TrimPrefix(exampleHint(pv), ", ")
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\n", pv.Name, pv.In, typeName(schemaOf(pv.Schema)), req, ex)
		}
		tw.Flush()
	}

	mt, required := o.jsonBody()
	if mt == nil {
		if o.op.RequestBody == nil {
			fmt.Fprintln(w, "\nNo request body.")
		}
		return
	}
	s := schemaOf(mt.Schema)
	what := "optional"
	if required {
		what = "required"
	}
	fmt.Fprintf(w, "\nBody (JSON, %s): %s\n", what, typeName(s))
	props := properties(s)
	if len(props) > 0 {
		req := map[string]bool{}
		for _, r := range s.Required {
			req[r] = true
		}
		names := make([]string, 0, len(props))
		for n := range props {
			names = append(names, n)
		}
		slices.SortFunc(names, func(a, b string) int {
			// Required fields first, then by name.
			if req[a] != req[b] {
				if req[a] {
					return -1
				}
				return 1
			}
			return strings.Compare(a, b)
		})
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		for _, n := range names {
			r := ""
			if req[n] {
				r = "required"
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", n, typeName(props[n]), r, firstSentence(props[n].Description))
		}
		tw.Flush()
	}
	if isOpen(s, props) && s != nil && !s.Type.Is("array") {
		fmt.Fprintln(w, "  (the spec's field list is incomplete: other fields are passed through)")
	}
	if ex := o.bodyExample(); ex != nil {
		if b, err := json.Marshal(ex); err == nil {
			var buf bytes.Buffer
			if json.Indent(&buf, b, "  ", "  ") == nil {
				fmt.Fprintf(w, "\nDocumented example body:\n  %s\n", buf.String())
			}
		}
	}
}

// firstSentence shortens a description for a table cell.
func firstSentence(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	for from := 0; ; {
		i := strings.Index(s[from:], ". ")
		if i < 0 {
			break
		}
		end := from + i + 1
		if !strings.HasSuffix(s[:end], "e.g.") && !strings.HasSuffix(s[:end], "i.e.") {
			s = s[:end]
			break
		}
		from = end
	}
	const maxLen = 80
	if r := []rune(s); len(r) > maxLen {
		s = string(r[:maxLen-1]) + "…"
	}
	return s
}
