package main

import (
	"context"
	"fmt"
	"sync/atomic"

	"github.com/gofive-go/gofive/api/gofivetest"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestProbeProposeNoCredentialKeys: a server that echoes the credentials as member names
// (identifier-like credentials, no run of three digits, so safeKey lets them through) must not
// get them into --propose fragments, which README says to attach to a public issue. The
// fragments are files: they do not pass the CLI's redacting stdout writer. Synthetic fixture.
func TestProbeProposeNoCredentialKeys(t *testing.T) {
	const (
		secret = "ReviewPlantedSecretQwzz"
		key    = "ReviewPlantedSubKeyLmpp"
		token  = "ReviewPlantedTokenVbnn"
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, io.LimitReader(r.Body, 1<<20))
		w.Header().Set("Content-Type", "application/json")
		if strings.HasSuffix(r.URL.Path, "/connect/token") {
			io.WriteString(w, `{"access_token":"`+token+`","token_type":"Bearer","expires_in":3600}`)
			return
		}
		io.WriteString(w, `{"status":{"code":"1000","description":"Success"},"data":[{"`+secret+`":1,"`+key+`":2,"`+token+`":3}]}`)
	}))
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	r := runCLI(t, runOpt{}, "probe", "--propose", dir, "--base-url", srv.URL, "--client-id", "review-id",
		"--client-secret", secret, "--subscription-key", key, "--rate", "1000")
	files, _ := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if len(files) == 0 {
		t.Fatalf("no fragment written (exit %d)\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range []string{secret, key, token} {
			if strings.Contains(string(b), s) {
				t.Errorf("%s contains the credential %q", filepath.Base(f), s)
			}
		}
	}
	for _, s := range []string{secret, key, token} {
		if strings.Contains(r.stdout+r.stderr, s) {
			t.Errorf("output contains the credential %q:\n%s", s, r.stdout+r.stderr)
		}
	}
}

// TestWebhookListenRedactsItsSecret: `gofive webhook listen` prints every payload; one that
// carries the shared secret (say, the registered URL with its ?secret=) must not put it on the
// terminal, whether the secret came from --secret or from the environment. Synthetic payload.
func TestWebhookListenRedactsItsSecret(t *testing.T) {
	for _, fromEnv := range []bool{false, true} {
		const secret = "ReviewHookSecretQwzzPlant"
		args := []string{"webhook", "listen", "--addr", "127.0.0.1:0"}
		if fromEnv {
			t.Setenv(EnvWebhookSecret, secret)
		} else {
			args = append(args, "--secret", secret)
		}
		ctx, cancel := context.WithCancel(t.Context())
		stdout, stderr := &syncBuffer{}, &syncBuffer{}
		done := make(chan int, 1)
		go func() { done <- run(ctx, args, strings.NewReader(""), stdout, stderr) }()
		u := stderr.waitFor(t, "the listening line", webhookListeningRE, nil)[1]
		payload := `{"Topic":"Deal","Event":"Won","Data":{"CallbackUrl":"https://example.test/hook?secret=` + secret + `"}}`
		resp, err := gofivetest.DeliverWebhook(t.Context(), u+"/?secret="+secret, payload)
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("status %d", resp.StatusCode)
		}
		cancel()
		<-done
		if !strings.Contains(stdout.String(), "CallbackUrl") {
			t.Fatalf("delivery not printed: %s", stdout.String())
		}
		if out := stdout.String() + stderr.String(); strings.Contains(out, secret) {
			t.Errorf("fromEnv=%v: output contains the webhook secret:\n%s", fromEnv, out)
		}
	}
}

// TestCallAllTotalBounded: --all collects every page before printing, so the pages together
// have the response limit too. A server sending full pages of distinct, large items (never a
// repeat, never a short page) made it hold --max-pages × the response limit (1000 × 64 MiB).
// Synthetic answers.
func TestCallAllTotalBounded(t *testing.T) {
	withLimits(t, 64<<20, 4<<10)
	var calls atomic.Int32
	srv := stubAPI(t, func(w http.ResponseWriter, r *http.Request) {
		n := calls.Add(1)
		items := make([]string, 5)
		for i := range items {
			items[i] = fmt.Sprintf(`{"staffCode":"E%d-%d","fullname":"%s"}`, n, i, strings.Repeat("x", 300))
		}
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"status":{"code":"1000","description":"Success"},"data":{"value":[`+strings.Join(items, ",")+`]}}`)
	})
	r := runCLI(t, runOpt{}, append([]string{"call", "employeesEnquiry", "--all", "--page-size", "5", "--max-pages", "1000"}, stubFlags(srv)...)...)
	if r.code == exitOK || !strings.Contains(r.stderr, "larger than 4096 bytes") {
		t.Errorf("exit %d, stderr %q; want a failure saying the pages are too large", r.code, r.stderr)
	}
	if n := calls.Load(); n > 10 {
		t.Errorf("%d pages read, want it to stop once the total passes the limit", n)
	}
}
