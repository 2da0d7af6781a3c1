package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
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
