package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/gofive-go/gofive/api"
	"github.com/gofive-go/gofive/api/gofivetest"
)

// syncBuffer is a bytes.Buffer safe for a writer and a reader in different goroutines; a
// reader can wait for what it expects without polling.
type syncBuffer struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	changed chan struct{} // closed (and replaced) by every write
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	n, err := b.buf.Write(p)
	if b.changed != nil {
		close(b.changed)
		b.changed = nil
	}
	return n, err
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// waitFor blocks until the content matches re and returns the submatches. A value on
// exited (the writer's exit code) ends the wait with a failure; a writer that neither
// writes nor exits is caught by go test's -timeout.
func (b *syncBuffer) waitFor(t *testing.T, what string, re *regexp.Regexp, exited <-chan int) []string {
	t.Helper()
	for {
		b.mu.Lock()
		m := re.FindStringSubmatch(b.buf.String())
		if m == nil && b.changed == nil {
			b.changed = make(chan struct{})
		}
		changed := b.changed
		b.mu.Unlock()
		if m != nil {
			return m
		}
		select {
		case <-changed:
		case code := <-exited:
			t.Fatalf("exited (%d) before printing %s:\n%s", code, what, b.String())
		}
	}
}

// TestFake runs `gofive fake`, loads the settings it prints as a shell would, calls it
// with them, and stops it.
func TestFake(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var stdout, stderr syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"fake", "--addr", "127.0.0.1:0"}, strings.NewReader(""), &stdout, &stderr)
	}()

	stdout.waitFor(t, "the settings", regexp.MustCompile(`^(.*\n){4}`), done)
	env := map[string]string{}
	var names []string
	sc := bufio.NewScanner(strings.NewReader(stdout.String()))
	for sc.Scan() {
		name, value, ok := strings.Cut(sc.Text(), "=")
		if !ok || strings.ContainsAny(value, " '\"$`") {
			t.Errorf("not a line a shell can load: %q", sc.Text())
		}
		env[name] = value
		names = append(names, name)
	}
	if want := []string{api.EnvBaseURL, api.EnvClientID, api.EnvClientSecret, api.EnvSubscriptionKey}; strings.Join(names, " ") != strings.Join(want, " ") {
		t.Errorf("printed %v, want %v", names, want)
	}
	if !strings.HasPrefix(env[api.EnvBaseURL], "http://127.0.0.1:") || env[api.EnvClientSecret] != gofivetest.DefaultClientSecret {
		t.Errorf("settings %v", env)
	}

	setEnv(t, env)
	r := runCLI(t, runOpt{}, "call", "getProductByCode", "productCode=PD002")
	if r.code != exitOK || !strings.Contains(r.stdout, `"productName": "Venio Headphone"`) || strings.Contains(r.stderr, "built-in") {
		t.Errorf("call through the running fake: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}

	// The running fake's request log: shown, then cleared.
	r = runCLI(t, runOpt{}, "fake", "--show-log")
	var log []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &log); r.code != exitOK || err != nil {
		t.Fatalf("--show-log: exit %d, %v\n%s%s", r.code, err, r.stdout, r.stderr)
	}
	if n := len(log); n == 0 || log[n-1]["operationId"] != "getProductByCode" {
		t.Errorf("--show-log: %s", r.stdout)
	}
	if r = runCLI(t, runOpt{}, "fake", "--clear-log"); r.code != exitOK {
		t.Errorf("--clear-log: exit %d %s", r.code, r.stderr)
	}
	r = runCLI(t, runOpt{}, "fake", "--show-log")
	if strings.TrimSpace(r.stdout) != "[]" {
		t.Errorf("--show-log after --clear-log: %q %s", r.stdout, r.stderr)
	}

	cancel()
	if code := <-done; code != exitOK { // one that does not stop is caught by go test's -timeout
		t.Errorf("exit %d after interrupt", code)
	}
	if !strings.Contains(stderr.String(), "stopped") {
		t.Errorf("stderr: %s", stderr.String())
	}
}

// TestFakeAddressInUse: a port that is taken is an error, not a hang.
func TestFakeAddressInUse(t *testing.T) {
	srv := gofivetest.NewServer(t)
	addr := strings.TrimPrefix(srv.URL, "http://")
	r := runCLI(t, runOpt{allowSecret: true}, "fake", "--addr", addr)
	if r.code != exitAPI || !strings.Contains(r.stderr, "address already in use") || r.stdout != "" {
		t.Errorf("exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
}
