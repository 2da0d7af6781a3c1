package main

import "github.com/gofive-go/gofive/spec"

// docsRequiredOptions are the validator options of the probe's second pass: the docs' own
// required markers (x-gofive-docs-required), re-applied by spec.DocsRequired.
func docsRequiredOptions() []spec.ValidatorOption {
	return []spec.ValidatorOption{spec.DocsRequired()}
}
