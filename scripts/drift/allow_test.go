package main

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestParseAllow(t *testing.T) {
	got, err := ParseAllow([]byte(`
# Deliberate differences.
- page: 000_78dc5d62e66649d3.txt
  method: POST
  path: /v1/customerEvent
  kind: type-mismatch
  field: body.eventDate
  reason: Dates are wire.Time.
- method: get
  path: /v1/case
  kind: missing-operation
  reason: >
    Not converted yet.
`))
	if err != nil {
		t.Fatal(err)
	}
	want := []AllowEntry{
		{Page: seed000, Method: "POST", Path: "/v1/customerEvent", Kind: TypeMismatch, Field: "body.eventDate", Reason: "Dates are wire.Time.", line: 3},
		{Method: "get", Path: "/v1/case", Kind: MissingOperation, Reason: "Not converted yet.\n", line: 9},
	}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(AllowEntry{})); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}

	for _, empty := range []string{"", "# nothing allowed\n", "[]\n", "~\n"} {
		if got, err := ParseAllow([]byte(empty)); err != nil || len(got) != 0 {
			t.Errorf("ParseAllow(%q) = %v, %v; want no entries", empty, got, err)
		}
	}
}

func TestParseAllowErrors(t *testing.T) {
	tests := map[string]struct {
		yaml string
		want []string // substrings of the error
	}{
		"not a list": {
			yaml: "allow:\n  - kind: missing-field\n",
			want: []string{"line 1: the allowlist must be a YAML sequence"},
		},
		"no reason": {
			yaml: "- method: POST\n  path: /v1/case\n  kind: missing-operation\n",
			want: []string{"line 1: entry 1 lacks reason"},
		},
		"blank reason and no path": {
			yaml: "- method: POST\n  path: /v1/case\n  kind: missing-operation\n  reason: ok\n- method: GET\n  kind: extra-field\n  reason: '  '\n",
			want: []string{"line 5: entry 2 lacks path, reason"},
		},
		"misspelt key": {
			yaml: "- method: POST\n  path: /v1/case\n  kind: missing-operation\n  reson: typo\n  reason: ok\n",
			want: []string{`line 4: unknown key "reson"`},
		},
		"unknown kind": {
			yaml: "- method: POST\n  path: /v1/case\n  kind: wrong-type\n  reason: ok\n",
			want: []string{`line 1: kind "wrong-type" cannot be allowlisted`, "missing-field"},
		},
		"stale-allow kind": {
			yaml: "- method: POST\n  path: /v1/case\n  kind: stale-allow\n  reason: ok\n",
			want: []string{`kind "stale-allow" cannot be allowlisted`},
		},
		"entry not a mapping": {
			yaml: "- just a string\n",
			want: []string{"line 1: entry 1 is not a mapping"},
		},
		"bad yaml": {
			yaml: "- method: [\n",
			want: []string{"yaml"},
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := ParseAllow([]byte(tt.yaml))
			if err == nil {
				t.Fatalf("ParseAllow = %v, want an error", got)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}

func TestApplyAllow(t *testing.T) {
	a := Finding{Page: seed000, Method: "POST", Path: "/v1/customerEvent", Kind: TypeMismatch, Field: "body.eventDate", Docs: "string", Spec: "string (x-go-type wire.Time)"}
	b := Finding{Page: seed001, Method: "GET", Path: "/v1/customerEvent/event-types", Kind: TypeMismatch, Field: "response.data", Docs: "object", Spec: "array[object]"}
	c := Finding{Page: seed001, Method: "GET", Path: "/v1/customerEvent/event-types", Kind: RequiredMismatch, Field: "response.data", Docs: "required", Spec: "optional"}
	allow := []AllowEntry{
		{Page: seed000, Method: "post", Path: "/v1/customerEvent", Kind: TypeMismatch, Field: "body.eventDate", Reason: "wire.Time"},
		// No page: any page documenting the operation.
		{Method: "GET", Path: "/v1/customerEvent/event-types", Kind: TypeMismatch, Field: "response.data", Reason: "array"},
		// Matches nothing (the field is wrong).
		{Page: seed001, Method: "GET", Path: "/v1/customerEvent/event-types", Kind: RequiredMismatch, Field: "response.data.eventTypeId", Reason: "gone", line: 12},
	}
	got := ApplyAllow([]Finding{a, b, c}, allow)
	want := []Finding{
		c,
		{
			Page: seed001, Method: "GET", Path: "/v1/customerEvent/event-types", Kind: StaleAllow, Field: "response.data.eventTypeId",
			Detail: "entry for required-mismatch matches no finding (allowlist line 12); its reason was: gone",
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if got := ApplyAllow(nil, nil); got == nil || len(got) != 0 {
		t.Errorf("ApplyAllow(nil, nil) = %#v, want an empty slice", got)
	}
}

// TestCompareAllowlist runs the allowlist over real findings: a spec built
// from the seeds, with the seeds' own contradictions allowlisted, is clean;
// entries that match nothing are reported.
func TestCompareAllowlist(t *testing.T) {
	seeds := seedPages(t, nil)
	doc := specFromPages(t, seeds)
	var allow []AllowEntry
	for _, f := range Diff(doc, seeds) {
		allow = append(allow, AllowEntry{Page: f.Page, Method: f.Method, Path: f.Path, Kind: f.Kind, Field: f.Field, Reason: "the page contradicts itself"})
	}
	if len(allow) == 0 {
		t.Fatal("no findings to allowlist")
	}
	if got := Compare(doc, seeds, allow); len(got) != 0 {
		t.Errorf("Compare with everything allowlisted = %v", got)
	}

	stale := AllowEntry{Page: seed003, Method: "POST", Path: "/v1/case", Kind: MissingField, Field: "body.caseNo", Reason: "the docs once listed caseNo"}
	renamed := allow[0]
	renamed.Page = "999_renamed.txt"
	got := Compare(doc, seeds, append(allow[1:], stale, renamed))
	want := []Finding{
		{Page: seed001, Method: allow[0].Method, Path: allow[0].Path, Kind: allow[0].Kind, Field: allow[0].Field},
		{Page: seed003, Method: "POST", Path: "/v1/case", Kind: StaleAllow, Field: "body.caseNo"},
		{Page: "999_renamed.txt", Method: allow[0].Method, Path: allow[0].Path, Kind: StaleAllow, Field: allow[0].Field},
	}
	if diff := cmp.Diff(want, got, cmpopts.IgnoreFields(Finding{}, "Docs", "Spec", "Detail")); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
