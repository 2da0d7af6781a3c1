package gofivetest

import (
	"sort"
	"testing"

	"github.com/gofive-go/gofive/spec"
)

// TestEveryOperationHasAHandler holds the handler table and the spec together.
func TestEveryOperationHasAHandler(t *testing.T) {
	inSpec := map[string]bool{}
	for _, item := range spec.MustLoad().Paths.Map() {
		for _, op := range item.Operations() {
			inSpec[op.OperationID] = true
			if op.OperationID == "getAccessToken" {
				continue
			}
			if handlers[op.OperationID] == nil {
				t.Errorf("no handler for %s", op.OperationID)
			}
		}
	}
	var extra []string
	for id := range handlers {
		if !inSpec[id] {
			extra = append(extra, id)
		}
	}
	sort.Strings(extra)
	if len(extra) > 0 {
		t.Errorf("handlers for operations not in the spec: %v", extra)
	}
	if len(inSpec) != len(handlers)+1 {
		t.Errorf("%d operations in the spec, %d handlers (+ token)", len(inSpec), len(handlers))
	}
}
