package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gofive-go/gofive/api"
)

// stubAPI is a loopback API that issues any token and answers data calls with answer
// (synthetic test data, not from the docs).
func stubAPI(t *testing.T, answer http.HandlerFunc) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("POST /authorization/connect/token", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"access_token":"stub-token","expires_in":3600,"token_type":"Bearer"}`)
	})
	mux.HandleFunc("/", answer)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func stubFlags(srv *httptest.Server) []string {
	return []string{"--base-url", srv.URL, "--client-id", "stub-id", "--client-secret", "stub-secret", "--subscription-key", "stub-key"}
}

// TestCallAllStopsWhenServerIgnoresSkip: --all goes through api.Pages, so a server that
// sends the first page again ends the command after two pages with a clear error.
func TestCallAllStopsWhenServerIgnoresSkip(t *testing.T) {
	var calls atomic.Int32
	srv := stubAPI(t, func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		items := make([]string, 5)
		for i := range items {
			items[i] = fmt.Sprintf(`{"staffCode":"E%d"}`, i)
		}
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"status":{"code":"1000","description":"Success"},"data":{"value":[`+strings.Join(items, ",")+`]}}`)
	})
	r := runCLI(t, runOpt{}, append([]string{"call", "employeesEnquiry", "--all", "--page-size", "5", "--max-pages", "50"}, stubFlags(srv)...)...)
	if r.code != exitAPI || !strings.Contains(r.stderr, "paging stalled") {
		t.Errorf("exit %d, stderr %q", r.code, r.stderr)
	}
	if n := calls.Load(); n != 2 {
		t.Errorf("%d requests, want 2", n)
	}
	var items []json.RawMessage
	if r.stdout != "" && json.Unmarshal([]byte(r.stdout), &items) == nil {
		t.Errorf("printed %d items after a stalled page", len(items))
	}
}

// TestWebhookPrinterEscapesC1: C1 control characters (U+0080–U+009F: CSI U+009B starts a
// terminal escape sequence) in a delivery are printed as JSON \u escapes, so a payload
// cannot drive the terminal; the printed JSON still means the same.
func TestWebhookPrinterEscapesC1(t *testing.T) {
	raw := "{\"Topic\":\"T\u009b31m\",\"Event\":\"E\u0085\",\"Data\":{\"Note\":\"a\u009b2Jb\u0080\u009f\u00a0\x7f\"}}"
	var out strings.Builder
	p := &webhookPrinter{w: &out, now: func() time.Time { return time.Unix(0, 0).UTC() }}
	ev := &api.WebhookEvent{Kind: api.WebhookUnknown, Topic: "T\u009b31m", Event: "E\u0085", Raw: json.RawMessage(raw)}
	if err := p.print(t.Context(), ev); err != nil {
		t.Fatal(err)
	}
	s := out.String()
	if i := strings.IndexFunc(s, func(r rune) bool { return r >= 0x80 && r <= 0x9f || r == 0x7f }); i >= 0 {
		t.Errorf("output has a control character at %d: %q", i, s)
	}
	_, block, _ := strings.Cut(s, "\n")
	var got, want any
	if err := json.Unmarshal([]byte(block), &got); err != nil {
		t.Fatalf("printed block is not JSON: %v\n%s", err, block)
	}
	json.Unmarshal([]byte(raw), &want)
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("printed %v, want %v", got, want)
	}
}

// withLimits lowers the CLI's read limits for one test (tests do not run in parallel).
func withLimits(t *testing.T, body, response int64) {
	t.Helper()
	oldBody, oldResp := maxBodyBytes, maxResponseBytes
	maxBodyBytes, maxResponseBytes = body, response
	t.Cleanup(func() { maxBodyBytes, maxResponseBytes = oldBody, oldResp })
}

// TestCallBodyLimit: --body FILE has the limit of --body - (stdin), and a body over it is
// reported as too large, not cut into malformed JSON.
func TestCallBodyLimit(t *testing.T) {
	withLimits(t, 1<<10, 64<<20)
	big := `{"eventName":"` + strings.Repeat("x", 2<<10) + `"}`
	file := t.TempDir() + "/big.json"
	if err := os.WriteFile(file, []byte(big), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, body, stdin string
	}{{"file", file, ""}, {"stdin", "-", big}, {"/dev/zero", "/dev/zero", ""}} {
		t.Run(strings.TrimPrefix(c.name, "/"), func(t *testing.T) {
			if c.body == "/dev/zero" {
				if _, err := os.Stat("/dev/zero"); err != nil {
					t.Skip("no /dev/zero")
				}
			}
			r := runCLI(t, runOpt{stdin: c.stdin}, "call", "addCustomerEvent", "--body", c.body)
			if r.code != exitUsage || !strings.Contains(r.stderr, "larger than 1024 bytes") {
				t.Errorf("exit %d, stderr %q; want exit 2 saying the body is too large", r.code, r.stderr)
			}
		})
	}
}

// TestCallResponseTooLarge: a response over the limit is reported as too large, not as a
// JSON syntax error.
func TestCallResponseTooLarge(t *testing.T) {
	withLimits(t, 64<<20, 1<<10)
	srv := stubAPI(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"status":{"code":"1000","description":"Success"},"data":{"customerCode":"`+strings.Repeat("x", 4<<10)+`"}}`)
	})
	r := runCLI(t, runOpt{}, append([]string{"call", "getCustomerByCode", "customerCode=C1"}, stubFlags(srv)...)...)
	if r.code == exitOK || !strings.Contains(r.stderr, "response larger than 1024 bytes") || strings.Contains(r.stderr, "JSON") {
		t.Errorf("exit %d, stderr %q; want a failure saying the response is too large", r.code, r.stderr)
	}
}

// TestNegativeTimeout: a negative --timeout is a usage error, not "no timeout".
func TestNegativeTimeout(t *testing.T) {
	srv := stubAPI(t, func(w http.ResponseWriter, r *http.Request) {
		t.Error("a request was sent")
	})
	for _, cmd := range [][]string{{"call", "getCustomerByCode", "customerCode=C1"}, {"token"}} {
		r := runCLI(t, runOpt{}, append(append(cmd, "--timeout", "-5s"), stubFlags(srv)...)...)
		if r.code != exitUsage || !strings.Contains(r.stderr, "timeout") {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 about the timeout", cmd, r.code, r.stderr)
		}
	}
}

// TestBaseURLUserinfoNeverEchoed: whatever the shape of a base URL with user info, no part
// of the user name or password reaches the output.
func TestBaseURLUserinfoNeverEchoed(t *testing.T) {
	for _, u := range []string{
		"https://alice:hunter2@example.invalid",
		"alice:hunter2@example.invalid",
		"https://alice:hunter2%zz@example.invalid",
		"https://alice:hun/ter2@example.invalid",
		"https://alice:hunter2@exa mple.invalid",
		"ftp://alice:hunter2@example.invalid",
		"https://alice@example.invalid",
	} {
		for _, env := range []bool{false, true} {
			args := []string{"call", "getCustomerByCode", "customerCode=C1", "--client-id", "id", "--client-secret", "s", "--subscription-key", "k"}
			if env {
				setEnv(t, map[string]string{api.EnvBaseURL: u})
			} else {
				setEnv(t, nil)
				args = append(args, "--base-url", u)
			}
			r := runCLI(t, runOpt{}, args...)
			out := r.stdout + r.stderr
			for _, part := range []string{"alice", "hunter2", "hun", "ter2", "%zz"} {
				if strings.Contains(out, part) {
					t.Errorf("%q (env %v): output shows %q: %s", u, env, part, out)
				}
			}
			if r.code != exitUsage {
				t.Errorf("%q (env %v): exit %d, want 2", u, env, r.code)
			}
		}
	}
}
