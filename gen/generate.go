// Package gen is the typed client generated from spec/openapi.yaml by oapi-codegen v2
// (models + Client + ClientWithResponses). Do not edit *.gen.go by hand: change the spec and
// run `make generate`. The handwritten package api wraps this one with authentication,
// retries and envelope unwrapping; plug its transport in with
// gen.WithHTTPClient(apiClient.HTTPClient()) to use gen directly.
package gen

// The second step writes api/operations.gen.go from the spec and this package's output; it
// lives here rather than in package api so that `go generate ./...` always runs it after
// oapi-codegen.
//go:generate go run github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen -config config.yaml ../spec/openapi.yaml
//go:generate go -C ../scripts run ./genapi -spec ../spec/openapi.yaml -gen ../gen -out ../api/operations.gen.go
