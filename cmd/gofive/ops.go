package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

const opsUsage = `usage: gofive ops [--tag TAG]

Lists every operation of the embedded spec: tag, operation id, method, path,
completeness (full: request and response shapes known; partial: some not recovered)
and summary. --tag keeps one tag (case-insensitive), e.g. --tag Quotation.
`

// runOps is `gofive ops`.
func runOps(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("gofive ops", stderr, func(w io.Writer) { fmt.Fprint(w, opsUsage) })
	tag := fs.String("tag", "", "only the operations of this tag")
	pos, err := parseArgs(fs, args, nil)
	if err != nil {
		return flagExit(err)
	}
	if len(pos) > 0 {
		fmt.Fprintf(stderr, "gofive ops: unexpected argument %q\n", pos[0])
		return exitUsage
	}
	idx, err := loadIndex()
	if err != nil {
		fmt.Fprintf(stderr, "gofive ops: %v\n", err)
		return exitAPI
	}
	var rows []*operation
	tags := map[string]bool{}
	for _, o := range idx.ops {
		tags[o.Tag] = true
		if *tag == "" || strings.EqualFold(o.Tag, *tag) {
			rows = append(rows, o)
		}
	}
	if len(rows) == 0 {
		var names []string
		for _, o := range idx.ops {
			if tags[o.Tag] {
				names = append(names, o.Tag)
				delete(tags, o.Tag)
			}
		}
		fmt.Fprintf(stderr, "gofive ops: no operation has tag %q; tags: %s\n", *tag, strings.Join(names, ", "))
		return exitUsage
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "TAG\tOPERATION\tMETHOD\tPATH\tCOMPLETENESS\tSUMMARY")
	for _, o := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", o.Tag, o.ID, o.Method, o.Path, o.Completeness, o.Summary)
	}
	if err := tw.Flush(); err != nil {
		return exitAPI
	}
	return exitOK
}
