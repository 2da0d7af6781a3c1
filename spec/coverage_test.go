package spec

import (
	"strings"
	"testing"

	"github.com/gofive-go/gofive/spec/apidog"
)

type navItem struct{ tag, name string }

// seed004Navigation reads the docs navigation tree printed at the top of seed page 004 with
// the scraped-page parser that make drift uses: depth 0 are groups, depth 1 operations.
func seed004Navigation(t *testing.T) []navItem {
	t.Helper()
	page, err := apidog.ParseFile("scraped/004_ef875ea9f9c8ba7a.txt")
	if err != nil {
		t.Fatal(err)
	}
	var items []navItem
	group := ""
	for _, n := range page.Nav {
		switch n.Depth {
		case 0:
			group = n.Title
		case 1:
			items = append(items, navItem{group, n.Title})
		}
	}
	return items
}

func TestCoverageMatchesSeedNavigation(t *testing.T) {
	nav := seed004Navigation(t)
	if len(nav) != 61 {
		t.Fatalf("seed 004 navigation has %d operations, want 61", len(nav))
	}
	entries, err := Coverage()
	if err != nil {
		t.Fatal(err)
	}
	inManifest := map[navItem]int{}
	extras := 0
	for _, e := range entries {
		switch e.Nav {
		case "seed-004":
			inManifest[navItem{e.Tag, e.Name}]++
		case "extra":
			extras++
		default:
			t.Errorf("%q: nav must be seed-004 or extra, is %q", e.Name, e.Nav)
		}
	}
	for _, it := range nav {
		if inManifest[it] != 1 {
			t.Errorf("navigation item %s / %q appears %d times in coverage.yaml, want 1", it.tag, it.name, inManifest[it])
		}
		delete(inManifest, it)
	}
	for it := range inManifest {
		t.Errorf("coverage.yaml lists %s / %q, which is not in seed 004's navigation", it.tag, it.name)
	}
	if extras != 17 {
		t.Errorf("coverage.yaml has %d extra (newer-menu) operations, want 17", extras)
	}
}

// TestCoverageAndSpecAgree holds the manifest and the spec together both ways: every entry
// that names an operation matches it by method and path, every spec operation is named by
// an entry, and an entry without an operation says why.
func TestCoverageAndSpecAgree(t *testing.T) {
	doc := MustLoad()
	entries, err := Coverage()
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]op{}
	pairs := map[string]bool{}
	for _, o := range operations(doc) {
		byID[o.op.OperationID] = o
		pairs[o.method+" "+o.path] = true
	}
	named := map[string]bool{}
	for _, e := range entries {
		switch e.Completeness {
		case "full", "partial", "name-only":
		default:
			t.Errorf("%q: completeness %q", e.Name, e.Completeness)
		}
		if e.OperationID == "" {
			if strings.TrimSpace(e.Reason) == "" {
				t.Errorf("%q is not in the spec and gives no reason", e.Name)
			}
			continue
		}
		named[e.OperationID] = true
		o, ok := byID[e.OperationID]
		if !ok {
			t.Errorf("%q names operationId %s, which the spec lacks", e.Name, e.OperationID)
			continue
		}
		if !strings.EqualFold(o.method, e.Method) || o.path != e.Path {
			t.Errorf("%q: manifest says %s %s, spec has %s %s", e.Name, e.Method, e.Path, o.method, o.path)
		}
	}
	for id, o := range byID {
		if !named[id] {
			t.Errorf("%v is in the spec but no coverage entry names it (no source?)", o)
		}
	}
	if len(pairs) != 39 {
		t.Errorf("spec has %d method+path pairs, want the 39 known ones", len(pairs))
	}
}
