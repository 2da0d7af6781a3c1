package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// fixture is a spec, a pages directory and an allowlist in a temp dir.
type fixture struct {
	dir, spec, pages, allow string
}

// setup writes the inline spec and seed pages 000 and 001.
func setup(t *testing.T) fixture {
	t.Helper()
	dir := t.TempDir()
	fx := fixture{
		dir:   dir,
		spec:  filepath.Join(dir, "openapi.yaml"),
		pages: filepath.Join(dir, "scraped"),
		allow: filepath.Join(dir, "drift-allow.yaml"),
	}
	writeFile(t, fx.spec, inlineSpec)
	for _, name := range []string{seed000, seed001} {
		writeFile(t, filepath.Join(fx.pages, name), readSeed(t, name))
	}
	writeFile(t, filepath.Join(fx.pages, "README.md"), "not a page; ignored\n")
	return fx
}

func writeFile(t *testing.T, name, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func runDrift(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

// The report for pages 000 and 001 against inlineSpec.
var inlineReport = `000_78dc5d62e66649d3.txt: POST /v1/customerEvent: extra-field body.source: docs absent; spec string, optional
000_78dc5d62e66649d3.txt: POST /v1/customerEvent: required-mismatch body.description: docs optional; spec required
000_78dc5d62e66649d3.txt: POST /v1/customerEvent: type-mismatch body.eventDate: docs string; spec string (x-go-type wire.Time)
000_78dc5d62e66649d3.txt: POST /v1/customerEvent: type-mismatch body.eventType: docs integer; spec number
001_985363de5c4a6260.txt: GET /v1/customerEvent/event-types: extra-field query.lang: docs absent; spec string, optional
001_985363de5c4a6260.txt: GET /v1/customerEvent/event-types: missing-field header.Ocp-Apim-Subscription-Key: docs string, required; spec absent
001_985363de5c4a6260.txt: GET /v1/customerEvent/event-types: required-mismatch response.data.eventTypeName: docs required; spec optional
001_985363de5c4a6260.txt: GET /v1/customerEvent/event-types: type-mismatch response.data: docs object; spec array[object]
001_985363de5c4a6260.txt: GET /v1/customerEvent/event-types: type-mismatch response.data.eventTypeId: docs integer; spec oneOf(string, integer) (x-go-type wire.ID)
001_985363de5c4a6260.txt: GET /v1/customerEvent/event-types: type-mismatch response.data.eventTypeName: docs string; spec string|null
`

func TestRunTextReport(t *testing.T) {
	fx := setup(t)
	code, stdout, stderr := runDrift(t, "-spec", fx.spec, "-pages", fx.pages, "-allow", filepath.Join(fx.dir, "none.yaml"), "-all")
	if code != exitDrift {
		t.Errorf("exit = %d, want %d; stderr: %s", code, exitDrift, stderr)
	}
	if diff := cmp.Diff(inlineReport, stdout); diff != "" {
		t.Errorf("report (-want +got):\n%s", diff)
	}
	if want := "drift: 10 finding(s) in 2 page(s) (2 text, 0 Markdown); 0 allowlisted difference(s)\n"; stderr != want {
		t.Errorf("stderr = %q, want %q", stderr, want)
	}
}

func TestRunJSONReport(t *testing.T) {
	fx := setup(t)
	writeFile(t, fx.allow, `
- page: 000_78dc5d62e66649d3.txt
  method: POST
  path: /v1/customerEvent
  kind: type-mismatch
  field: body.eventDate
  reason: Dates are strings with a tolerant Go type.
- page: 000_78dc5d62e66649d3.txt
  method: POST
  path: /v1/customerEvent
  kind: missing-field
  field: body.eventCode
  reason: An entry that matches nothing.
`)
	code, stdout, stderr := runDrift(t, "-spec", fx.spec, "-pages", fx.pages, "-allow", fx.allow, "-json")
	if code != exitDrift {
		t.Errorf("exit = %d, want %d; stderr: %s", code, exitDrift, stderr)
	}
	if stderr != "" {
		t.Errorf("stderr = %q, want nothing in -json mode", stderr)
	}
	var got report
	dec := json.NewDecoder(strings.NewReader(stdout))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&got); err != nil {
		t.Fatalf("decoding %s: %v", stdout, err)
	}
	if got.Pages != 2 || got.Allowed != 1 || len(got.Findings) != 10 {
		t.Errorf("pages %d, allowed %d, %d findings; want 2, 1, 10", got.Pages, got.Allowed, len(got.Findings))
	}
	wantFirst := Finding{
		Page: seed000, Method: "POST", Path: "/v1/customerEvent", Kind: ExtraField,
		Field: "body.source", Docs: "absent", Spec: "string, optional",
	}
	if diff := cmp.Diff(wantFirst, got.Findings[0]); diff != "" {
		t.Errorf("first finding (-want +got):\n%s", diff)
	}
	wantStale := Finding{
		Page: seed000, Method: "POST", Path: "/v1/customerEvent", Kind: StaleAllow, Field: "body.eventCode",
		Detail: "entry for missing-field matches no finding (allowlist line 8); its reason was: An entry that matches nothing.",
	}
	if diff := cmp.Diff(wantStale, got.Findings[2]); diff != "" {
		t.Errorf("stale finding (-want +got):\n%s", diff)
	}
	// The raw JSON uses the documented keys.
	for _, key := range []string{`"findings": [`, `"page": "000_78dc5d62e66649d3.txt"`, `"kind": "stale-allow"`, `"field": "body.source"`, `"docs": "absent"`, `"spec": "string, optional"`} {
		if !strings.Contains(stdout, key) {
			t.Errorf("JSON lacks %s", key)
		}
	}
}

func TestRunClean(t *testing.T) {
	fx := setup(t)
	// Allowlist every finding of the text report.
	var allow strings.Builder
	for _, f := range Diff(loadSpecText(t, inlineSpec), seedPages(t, nil)) {
		if f.Page != seed000 && f.Page != seed001 {
			continue
		}
		allow.WriteString("- {page: " + f.Page + ", method: " + f.Method + ", path: '" + f.Path + "', kind: " + string(f.Kind) + ", field: '" + f.Field + "', reason: deliberate}\n")
	}
	writeFile(t, fx.allow, allow.String())
	code, stdout, stderr := runDrift(t, "-spec", fx.spec, "-pages", fx.pages, "-allow", fx.allow)
	if code != exitClean || stdout != "" {
		t.Errorf("exit = %d, stdout %q; want 0 and nothing; stderr: %s", code, stdout, stderr)
	}
	if want := "drift: 0 finding(s) in 2 page(s) (2 text, 0 Markdown); 10 allowlisted difference(s)\n"; stderr != want {
		t.Errorf("stderr = %q, want %q", stderr, want)
	}
	code, stdout, _ = runDrift(t, "-spec", fx.spec, "-pages", fx.pages, "-allow", fx.allow, "-json")
	if code != exitClean || !strings.Contains(stdout, `"findings": []`) {
		t.Errorf("-json: exit %d, output %s", code, stdout)
	}
}

func TestRunErrors(t *testing.T) {
	fx := setup(t)
	invalidSpec := filepath.Join(fx.dir, "invalid.yaml")
	writeFile(t, invalidSpec, "openapi: 3.0.3\ninfo: {title: x, version: '0'}\npaths:\n  /x:\n    get:\n      responses:\n        '200': {description: ok, content: {application/json: {schema: {type: wrong}}}}\n")
	notYAML := filepath.Join(fx.dir, "not.yaml")
	writeFile(t, notYAML, "{{{")
	emptyPages := filepath.Join(fx.dir, "empty")
	if err := os.Mkdir(emptyPages, 0o755); err != nil {
		t.Fatal(err)
	}
	badPages := filepath.Join(fx.dir, "bad")
	writeFile(t, filepath.Join(badPages, "x.txt"), "meeting notes\n")
	noReason := filepath.Join(fx.dir, "no-reason.yaml")
	writeFile(t, noReason, "- {method: POST, path: /v1/customerEvent, kind: extra-field, field: body.source}\n")

	tests := map[string]struct {
		args []string
		want string // in stderr
	}{
		"unknown flag":       {[]string{"-bogus"}, "flag provided but not defined"},
		"extra argument":     {[]string{"-spec", fx.spec, "extra"}, "unexpected arguments: extra"},
		"missing spec":       {[]string{"-spec", filepath.Join(fx.dir, "nope.yaml"), "-pages", fx.pages}, "loading spec"},
		"spec not YAML":      {[]string{"-spec", notYAML, "-pages", fx.pages}, "loading spec"},
		"invalid spec":       {[]string{"-spec", invalidSpec, "-pages", fx.pages}, "is invalid"},
		"missing pages":      {[]string{"-spec", fx.spec, "-pages", filepath.Join(fx.dir, "nope")}, "pages:"},
		"no pages":           {[]string{"-spec", fx.spec, "-pages", emptyPages}, "no *.txt or *.md pages"},
		"not an Apidog page": {[]string{"-spec", fx.spec, "-pages", badPages}, "x.txt: apidog: not an Apidog documentation page"},
		"missing allowlist":  {[]string{"-spec", fx.spec, "-pages", fx.pages, "-allow", filepath.Join(fx.dir, "nope.yaml")}, "allowlist:"},
		"allow w/o reason":   {[]string{"-spec", fx.spec, "-pages", fx.pages, "-allow", noReason}, "entry 1 lacks reason"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			code, stdout, stderr := runDrift(t, tt.args...)
			if code != exitError {
				t.Errorf("exit = %d, want %d", code, exitError)
			}
			if stdout != "" {
				t.Errorf("stdout = %q, want nothing", stdout)
			}
			if !strings.Contains(stderr, tt.want) {
				t.Errorf("stderr = %q, want it to contain %q", stderr, tt.want)
			}
		})
	}
}

func TestRunDefaultAllowlistMayBeAbsent(t *testing.T) {
	fx := setup(t)
	t.Chdir(fx.dir) // no spec/drift-allow.yaml here
	code, _, stderr := runDrift(t, "-spec", fx.spec, "-pages", fx.pages)
	if code != exitDrift {
		t.Errorf("exit = %d, want %d; stderr: %s", code, exitDrift, stderr)
	}
}

func TestRunHelp(t *testing.T) {
	code, _, stderr := runDrift(t, "-h")
	if code != exitClean || !strings.Contains(stderr, "usage: go run ./scripts/drift") || !strings.Contains(stderr, "-allow file") {
		t.Errorf("exit %d, usage %q", code, stderr)
	}
}

// TestCommittedPages runs the tool on the repository's spec, pages and
// allowlist: the committed pages show no drift, and every allowlist entry
// still matches a finding.
func TestCommittedPages(t *testing.T) {
	const root = "../.."
	spec := filepath.Join(root, "spec", "openapi.yaml")
	if _, err := os.Stat(spec); err != nil {
		t.Fatalf("spec/openapi.yaml: %v", err)
	}
	code, stdout, stderr := runDrift(t,
		"-spec", spec,
		"-pages", filepath.Join(root, "spec", "scraped"),
		"-allow", filepath.Join(root, "spec", "drift-allow.yaml"),
		"-json")
	switch code {
	case exitClean:
		return
	case exitError:
		t.Fatalf("drift could not run on the repository: %s", stderr)
	}
	var r report
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		t.Fatal(err)
	}
	var stale, drift []string
	for _, f := range r.Findings {
		if f.Kind == StaleAllow {
			stale = append(stale, f.String())
		} else {
			drift = append(drift, f.String())
		}
	}
	if len(stale) > 0 {
		t.Errorf("spec/drift-allow.yaml has entries that match no finding:\n%s", strings.Join(stale, "\n"))
	}
	if len(drift) > 0 {
		t.Errorf("spec/openapi.yaml drifts from spec/scraped (%d finding(s)):\n%s", len(drift), strings.Join(drift, "\n"))
	}
}
