package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/gofive-go/gofive/api/gofivetest"
	"github.com/gofive-go/gofive/api/wire"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden with the current output")

// fixed is the clock of every test: the fake's document numbers and dates, and token
// expiry, do not depend on the day the tests run.
var fixed = time.Date(2026, 6, 5, 10, 30, 0, 0, wire.Bangkok())

func fixedClock() time.Time { return fixed }

func TestMain(m *testing.M) {
	flag.Parse()
	// No test may read a developer's GOFIVE_* variables: that would send traffic to the
	// real API. Tests that need credentials pass flags, or replace getenv themselves.
	getenv = func(string) string { return "" }
	fakeOptions = []gofivetest.Option{gofivetest.WithClock(fixedClock)}
	now = fixedClock
	displayZone = wire.Bangkok()
	os.Exit(m.Run())
}

// result is one in-process run of the command.
type result struct {
	code           int
	stdout, stderr string
}

// secrets are the values no output may contain (unless a test says otherwise).
var secrets = []string{gofivetest.DefaultClientSecret, gofivetest.DefaultSubscriptionKey}

// tokenPattern matches the fake's access tokens.
var tokenPattern = regexp.MustCompile(`gofivetest-token-[0-9a-z-]+`)

type runOpt struct {
	stdin       string
	allowSecret bool // gofive fake prints the fake's credentials; --show-token the token
	ctx         context.Context
}

// runCLI runs the command in-process and checks that no secret leaked into its output.
func runCLI(t *testing.T, opt runOpt, args ...string) result {
	t.Helper()
	ctx := opt.ctx
	if ctx == nil {
		ctx = t.Context()
	}
	var stdout, stderr bytes.Buffer
	code := run(ctx, args, strings.NewReader(opt.stdin), &stdout, &stderr)
	r := result{code: code, stdout: stdout.String(), stderr: stderr.String()}
	if !opt.allowSecret {
		for _, out := range []string{r.stdout, r.stderr} {
			for _, s := range secrets {
				if strings.Contains(out, s) {
					t.Errorf("gofive %s: output contains a secret (%q):\n%s", strings.Join(args, " "), s, out)
				}
			}
			if m := tokenPattern.FindString(out); m != "" {
				t.Errorf("gofive %s: output contains an access token:\n%s", strings.Join(args, " "), out)
			}
		}
	}
	return r
}

// fakeFlags returns the credential flags for srv (tests pass flags rather than setting
// the environment).
func fakeFlags(srv *gofivetest.Server) []string {
	return []string{"--base-url", srv.URL, "--client-id", srv.ClientID,
		"--client-secret", srv.ClientSecret, "--subscription-key", srv.SubscriptionKey}
}

// loopbackURL replaces the fake's random port, so that goldens are stable.
var loopbackURL = regexp.MustCompile(`http://127\.0\.0\.1:\d+`)

func normalize(s string) string { return loopbackURL.ReplaceAllString(s, "http://127.0.0.1:PORT") }

// golden compares r with testdata/name.golden (rewritten with -update).
func golden(t *testing.T, name string, r result) {
	t.Helper()
	got := fmt.Sprintf("exit %d\n--- stdout\n%s--- stderr\n%s", r.code, normalize(r.stdout), normalize(r.stderr))
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./cmd/gofive -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s mismatch (-want +got; go test ./cmd/gofive -update rewrites it):\n%s", path, diff)
	}
}
