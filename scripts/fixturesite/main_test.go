package main

import (
	"strings"
	"testing"
)

func TestServeLoopbackOnly(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", ":0", "192.0.2.1:0"} {
		if err := serve("../../spec/openapi.yaml", addr, true, false); err == nil || !strings.Contains(err.Error(), "loopback") {
			t.Errorf("serve(%q) = %v, want a loopback-only error", addr, err)
		}
	}
}
