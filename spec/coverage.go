package spec

import (
	_ "embed"
	"fmt"

	"gopkg.in/yaml.v3"
)

//go:embed coverage.yaml
var coverageYAML []byte

// CoverageEntry is one operation of the docs' navigation and whether the spec has it.
type CoverageEntry struct {
	// Name is the operation's label in the docs navigation, verbatim.
	Name string `yaml:"name"`
	// Tag is the navigation group.
	Tag string `yaml:"tag"`
	// Nav is "seed-004" for the navigation of seed page 004 and "extra" for items seen only in
	// newer copies of the menu.
	Nav string `yaml:"nav"`
	// Method and Path, where known (empty otherwise).
	Method string `yaml:"method"`
	Path   string `yaml:"path"`
	// OperationID is the spec operation that implements it; empty when it is not in the spec.
	OperationID string `yaml:"operationId"`
	// Completeness as the facts classify it: full, partial or name-only.
	Completeness string `yaml:"completeness"`
	// Reason the operation is not in the spec, and what is known about it.
	Reason string `yaml:"reason"`
	Known  string `yaml:"known"`
}

// Coverage returns the coverage manifest (spec/coverage.yaml).
func Coverage() ([]CoverageEntry, error) {
	var entries []CoverageEntry
	if err := yaml.Unmarshal(coverageYAML, &entries); err != nil {
		return nil, fmt.Errorf("spec: parse coverage.yaml: %w", err)
	}
	return entries, nil
}
