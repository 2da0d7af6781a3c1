package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// A probeReport is the whole result of a probe. Nothing in it comes from a response value:
// statuses, business codes, field names, JSON types and string forms only.
type probeReport struct {
	Target          string         `json:"target"`
	SpecVersion     string         `json:"spec_version"`
	Interrupted     bool           `json:"interrupted"`
	RequestsSent    int            `json:"requests_sent"`
	RequestsRefused int            `json:"requests_refused"`
	Operations      []*probeResult `json:"operations"`
	NotProbed       []notProbed    `json:"not_probed"`
	Summary         probeSummary   `json:"summary"`

	exit  int
	fatal error // what stopped the probe early (token refused, no answer), for the exit code
}

// notProbed is an operation the probe never sends (it may write).
type notProbed struct {
	OperationID string `json:"operation_id"`
	Method      string `json:"method"`
	Path        string `json:"path"`
	Reason      string `json:"reason"`
}

type probeSummary struct {
	OK         int `json:"ok"`
	Deviating  int `json:"deviating"`
	Deviations int `json:"deviations"`
	Errors     int `json:"errors"`
	Failed     int `json:"failed"`
	Skipped    int `json:"skipped"`
}

func (rep *probeReport) summarise() {
	var s probeSummary
	for _, r := range rep.Operations {
		if r.Deviations == nil {
			r.Deviations = []finding{}
		}
		if r.Undocumented == nil {
			r.Undocumented = []string{}
		}
		if r.Absent == nil {
			r.Absent = []string{}
		}
		switch r.Outcome {
		case outcomeOK:
			s.OK++
		case outcomeDeviates:
			s.Deviating++
		case outcomeError:
			s.Errors++
		case outcomeFailed:
			s.Failed++
		case outcomeSkipped:
			s.Skipped++
		}
		s.Deviations += len(r.Deviations)
	}
	if rep.NotProbed == nil {
		rep.NotProbed = []notProbed{}
	}
	rep.Summary = s
	rep.exit = probeExit(rep)
}

func (rep *probeReport) writeJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(rep)
}

func (rep *probeReport) writeText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "gofive probe: %s, spec %s\n", rep.Target, rep.SpecVersion)
	b.WriteString("No value from any response and no credential appears below: only statuses, business codes,\nfield names, JSON types and string forms.\n")
	for _, r := range rep.Operations {
		b.WriteString("\n")
		fmt.Fprintf(&b, "%s  %s %s", r.OperationID, r.Method, r.Path)
		if r.Completeness != "" {
			fmt.Fprintf(&b, "  (spec: %s)", r.Completeness)
		}
		b.WriteString("\n")
		switch r.Outcome {
		case outcomeSkipped, outcomeFailed:
			fmt.Fprintf(&b, "  %s: %s\n", r.Outcome, r.Reason)
			if r.HTTPStatus == 0 {
				continue
			}
		}
		fmt.Fprintf(&b, "  %s: HTTP %d", r.Outcome, r.HTTPStatus)
		if r.BusinessCode != "" {
			fmt.Fprintf(&b, ", business code %s", r.BusinessCode)
		}
		if r.Attempts > 1 {
			fmt.Fprintf(&b, ", after %d attempts", r.Attempts)
		}
		b.WriteString("\n")
		if r.Note != "" {
			fmt.Fprintf(&b, "  note: %s\n", r.Note)
		}
		if len(r.Deviations) > 0 {
			b.WriteString("  deviations:\n")
			for _, d := range r.Deviations {
				path := d.Path
				if path == "" {
					path = "(status)"
				}
				fmt.Fprintf(&b, "    %s [%s]: spec says %s; observed %s", path, d.Kind, d.Expected, d.Observed)
				if d.Occurrences > 1 {
					fmt.Fprintf(&b, " (%d times)", d.Occurrences)
				}
				b.WriteString("\n")
			}
		}
		if len(r.Undocumented) > 0 {
			fmt.Fprintf(&b, "  undocumented fields: %s\n", strings.Join(r.Undocumented, ", "))
		}
		if len(r.Absent) > 0 {
			fmt.Fprintf(&b, "  documented fields absent: %s\n", strings.Join(r.Absent, ", "))
		}
		if r.shape != nil {
			b.WriteString("  shape: ")
			r.shape.render(&b, "  ")
			b.WriteString("\n")
		}
	}
	if len(rep.NotProbed) > 0 {
		b.WriteString("\nNot probed (the spec does not mark them read-only):\n")
		for _, n := range rep.NotProbed {
			fmt.Fprintf(&b, "  %s  %s %s\n", n.OperationID, n.Method, n.Path)
		}
	}
	s := rep.Summary
	fmt.Fprintf(&b, "\nSummary: %d ok, %d deviating (%d deviations), %d error answers, %d failed, %d skipped; %d requests sent, %d refused by the read-only guard.\n",
		s.OK, s.Deviating, s.Deviations, s.Errors, s.Failed, s.Skipped, rep.RequestsSent, rep.RequestsRefused)
	if rep.Interrupted {
		b.WriteString("Interrupted: this report is partial.\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}
