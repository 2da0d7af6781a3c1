//go:build tools

// Package tools pins the maintenance tools this module runs with `go run`: oasdiff, for
// make breaking (its library also drives make drift's structural comparison). It lives here,
// not in the SDK's tools.go, so oasdiff's dependency tree (cobra, viper, …) stays out of the
// SDK's go.mod.
package tools

import (
	_ "github.com/oasdiff/oasdiff"
)
