// Package spec holds the OpenAPI 3.0 description of the Gofive / Venio CRM API that the rest
// of this module is generated from, embedded so that programs and tests can use it without
// files on disk.
//
// Load returns the parsed, validated document. The coverage manifest (Coverage) accounts for
// every operation of the docs' navigation: in the spec, or not with the reason.
//
// # Validation
//
// For tests, [NewValidatingTransport] is an http.RoundTripper that checks every request and
// response against the spec with kin-openapi's openapi3filter: fail-fast (an invalid request
// is not sent, an invalid response becomes an error) or [Collect] (every problem recorded,
// traffic unchanged), optionally [Strict] (undocumented fields are problems). Each problem is
// a [ValidationError] naming the operation, the field's JSON path, what the spec expects and
// what was sent. Validation buffers whole bodies and costs about 0.1 ms per call on top of
// the call itself (BenchmarkValidatingTransport): use it in tests, not in production.
//
//	hc := &http.Client{Transport: spec.NewValidatingTransport(nil, spec.Strict(), spec.Collect(), spec.ReportTo(t))}
//
// The spec's response policy (in its info.description) requires only what a response means
// nothing without (the envelope's status and status.code, the token's access_token); the
// docs' other "required" markers are kept in x-gofive-docs-required and enforced only with
// [DocsRequired], for those who want the docs held to their word.
//
// This package imports kin-openapi; package api and package gen do not, so an SDK user's
// import graph stays small unless they validate against the spec in their tests.
package spec

import (
	"context"
	_ "embed"
	"fmt"

	"github.com/getkin/kin-openapi/openapi3"
)

// YAML is spec/openapi.yaml as committed.
//
//go:embed openapi.yaml
var YAML []byte

// Load parses the embedded spec and validates it (examples included). Each call returns a new
// document, so callers may change it (servers, strictness) without affecting others.
func Load() (*openapi3.T, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(YAML)
	if err != nil {
		return nil, fmt.Errorf("spec: parse openapi.yaml: %w", err)
	}
	if err := doc.Validate(context.Background(), openapi3.EnableExamplesValidation()); err != nil {
		return nil, fmt.Errorf("spec: openapi.yaml is invalid: %w", err)
	}
	return doc, nil
}

// MustLoad is Load for package-level variables and tests; it panics on error.
func MustLoad() *openapi3.T {
	doc, err := Load()
	if err != nil {
		panic(err)
	}
	return doc
}
