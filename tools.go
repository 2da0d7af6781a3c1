//go:build tools

// Package tools pins the code generators and maintenance tools this module runs with
// `go run`, so their versions live in go.mod and nothing needs a global install:
// oapi-codegen (make generate). oasdiff (make breaking, make drift) is pinned in the separate
// tools module scripts/go.mod, so its dependency tree stays out of the SDK's go.mod.
package tools

import (
	_ "github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen"
)
