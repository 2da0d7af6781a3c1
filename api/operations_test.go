package api

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/gofive-go/gofive/spec"
)

// TestEveryOperationHasAMethod fails when an operation of the spec has no generated method
// (run make generate), or when a method outlives its operation.
func TestEveryOperationHasAMethod(t *testing.T) {
	doc := spec.MustLoad()
	c, err := New(WithStaticToken("static"), WithSubscriptionKey("key"))
	if err != nil {
		t.Fatal(err)
	}
	// The service fields of Client: declared by hand (so go doc lists them), set by the
	// generated initServices.
	cv := reflect.ValueOf(c).Elem()
	var svcFields []int
	for i := range cv.NumField() {
		if f := cv.Type().Field(i); f.IsExported() && strings.HasSuffix(f.Type.String(), "Service") {
			svcFields = append(svcFields, i)
		}
	}
	if len(svcFields) != 12 {
		t.Errorf("Client has %d service fields, want 12", len(svcFields))
	}
	var specIDs []string
	for path, item := range doc.Paths.Map() {
		for verb, op := range item.Operations() {
			specIDs = append(specIDs, op.OperationID)
			name := strings.ToUpper(op.OperationID[:1]) + op.OperationID[1:]
			var found []string
			for _, i := range svcFields {
				svc := cv.Field(i)
				if svc.IsNil() {
					t.Fatalf("service %s is not initialised", cv.Type().Field(i).Name)
				}
				if svc.MethodByName(name).IsValid() {
					found = append(found, cv.Type().Field(i).Name+"."+name)
				}
			}
			if len(found) != 1 {
				t.Errorf("%s %s (%s): want exactly one method %s, found %v", verb, path, op.OperationID, name, found)
			}
		}
	}
	slices.Sort(specIDs)
	if !slices.Equal(specIDs, operationIDs) {
		t.Errorf("operationIDs in operations.gen.go = %v, spec has %v: run make generate", operationIDs, specIDs)
	}
	if len(specIDs) != 39 {
		t.Errorf("spec has %d operations, want 39", len(specIDs))
	}
}
