//go:build tools

// Package tools pins the code generators and maintenance tools this module runs with
// `go run`, so their versions live in go.mod and `go generate` needs no global install.
package tools

import (
	_ "github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen"
)
