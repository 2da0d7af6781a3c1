package spec

import (
	"slices"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/gofive-go/gofive/spec/xgofive"
)

// DocsRequiredExtension names the extension that keeps the docs' own "required" markers of a
// response schema: the property names the Gofive docs mark required, which the spec does not
// enforce (see the response policy in the spec's info.description).
const DocsRequiredExtension = xgofive.KeyDocsRequired

// DocsRequired holds the Gofive docs to their word: a copy of the spec is validated in which
// every schema's x-gofive-docs-required markers are required again, so a response that lacks
// a property the docs mark required is a problem. The default validator does not do this,
// because those markers are weak evidence (Apidog marks every property of a schema built
// from a sample required, and the docs' own examples omit "required" properties); use it to
// find out where the API and its docs disagree, not to reject production traffic. It
// combines with [Strict]. Validators without it are unaffected: each mode has its own copy.
func DocsRequired() ValidatorOption { return func(c *config) { c.docsRequired = true } }

// applyDocsRequired adds each schema's x-gofive-docs-required names to its required list,
// for every schema reachable from the components and the operations.
func applyDocsRequired(doc *openapi3.T) {
	eachSchema(doc, func(s *openapi3.Schema) {
		for _, name := range xgofive.DocsRequired(s) {
			if !slices.Contains(s.Required, name) {
				s.Required = append(s.Required, name)
			}
		}
	})
}
