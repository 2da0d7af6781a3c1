//go:build tools

// Package tools pins the code generators and maintenance tools this module runs with
// `go run`, so their versions live in go.mod and nothing needs a global install:
// oapi-codegen (make generate) and oasdiff (make breaking).
package tools

import (
	_ "github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen"
	_ "github.com/oasdiff/oasdiff"
)
