package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRegenerateIsReproducible runs the generator on the committed spec and gen output and
// requires the committed api/operations.gen.go byte for byte (make check-generate does the
// same for the whole tree; this names the generator when it is the one that drifted).
func TestRegenerateIsReproducible(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "operations.gen.go")
	doc, err := os.ReadFile("../../api/doc.go")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "doc.go"), doc, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := run("../../spec/openapi.yaml", "../../gen", out); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"retryclass.gen.go", "doc.go"} {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(filepath.Join("../../api", name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("api/%s is not what genapi produces from the committed spec: run make generate", name)
		}
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("../../api/operations.gen.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("api/operations.gen.go is not what genapi produces from the committed spec: run make generate")
	}
	for _, s := range []string{"func (s *CustomersService) GetCustomerByCode(", "func (s *EmployeesService) EmployeesEnquiryAll(", "callJSONNested("} {
		if !strings.Contains(string(got), s) {
			t.Errorf("generated file lacks %q", s)
		}
	}
}

func TestZeroValue(t *testing.T) {
	for _, tt := range []struct {
		m    method
		want string
	}{
		{method{ReturnType: "*gen.Customer", ReturnAddr: true}, "nil"},
		{method{ReturnType: "[]gen.CustomerEvent"}, "nil"},
		{method{ReturnType: "json.RawMessage"}, "nil"},
		{method{ReturnType: "bool"}, "false"},
		{method{ReturnType: "string"}, `""`},
		{method{ReturnType: "int64"}, "*new(int64)"},
	} {
		if got := zeroValue(&tt.m); got != tt.want {
			t.Errorf("zeroValue(%s) = %s, want %s", tt.m.ReturnType, got, tt.want)
		}
	}
}

// TestFlagDefaults: run from gen/ (where go generate runs it) with no flags, genapi reads the
// spec and gen's output and would write api/operations.gen.go.
func TestFlagDefaults(t *testing.T) {
	genDir, err := filepath.Abs("../../gen")
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(genDir)
	o := flags(flag.NewFlagSet("genapi", flag.ContinueOnError))
	if abs, _ := filepath.Abs(o.out); abs != filepath.Join(filepath.Dir(genDir), "api", "operations.gen.go") {
		t.Errorf("-out defaults to %s", abs)
	}
	out := filepath.Join(t.TempDir(), "operations.gen.go")
	// The retry-class table is rewritten inside doc.go next to the output.
	doc, err := os.ReadFile("../api/doc.go")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(filepath.Dir(out), "doc.go"), doc, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := run(o.spec, o.gen, out); err != nil {
		t.Fatalf("with the default -spec %s and -gen %s: %v", o.spec, o.gen, err)
	}
}
