package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// Synthetic credentials for an echoing server.
const (
	echoSecret = "cli+Secret/Value=="
	echoKey    = "cli+Key/0123=="
	echoToken  = "cli+Token/ABCDEF=="
)

// echoServer is a token endpoint and an API that echoes the credentials it
// was sent, in several encodings, with status.
func echoServer(t *testing.T, status int) *httptest.Server {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /authorization/connect/token", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"access_token":%q,"token_type":"Bearer","expires_in":3600}`, echoToken)
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		key, auth := r.Header.Get("Ocp-Apim-Subscription-Key"), r.Header.Get("Authorization")
		esc := strings.NewReplacer("+", `\u002B`, "/", `\/`)
		desc := "key " + esc.Replace(key) + " with " + esc.Replace(auth) + " and " + url.QueryEscape(echoSecret) +
			" or " + htmlRefs(key) + " " + jsonAll(strings.TrimPrefix(auth, "Bearer ")) + " " + url.PathEscape(echoSecret)
		body, _ := json.Marshal(map[string]any{"key": key, "auth": auth, "token": strings.TrimPrefix(auth, "Bearer ")})
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Request-Id", key)
		w.WriteHeader(status)
		fmt.Fprintf(w, `{"status":{"code":"4001","description":"%s"},"data":%s}`, desc, body)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// htmlRefs writes every character of s as an HTML reference, jsonAll as a
// JSON \uXXXX escape (lower case) escaped again: JSON text in a JSON string.
func htmlRefs(s string) string {
	var b strings.Builder
	for _, c := range s {
		fmt.Fprintf(&b, "&#x%X;", c)
	}
	return b.String()
}

func jsonAll(s string) string {
	var b strings.Builder
	for _, c := range s {
		fmt.Fprintf(&b, `\\u%04x`, c)
	}
	return b.String()
}

func echoFlags(srv *httptest.Server) []string {
	return []string{"--base-url", srv.URL, "--client-id", "cli-id", "--client-secret", echoSecret, "--subscription-key", echoKey}
}

// assertNoEchoedCredential fails if out holds a credential in any form.
func assertNoEchoedCredential(t *testing.T, what, out string) {
	t.Helper()
	for _, s := range []string{echoSecret, echoKey, echoToken} {
		for _, form := range []string{s, url.QueryEscape(s), strings.ReplaceAll(s, "+", `\u002B`), strings.ReplaceAll(s, "/", `\/`), s[:8], htmlRefs(s)[:24], jsonAll(s)[:24]} {
			if strings.Contains(out, form) {
				t.Errorf("%s holds a credential (%q):\n%s", what, form, out)
				return
			}
		}
	}
}

// Why, The subscription key in the CLI: gofive call printed the key an
// echoing server sent back (api.Unwrap knows no credential), and --raw
// printed the key and the token.
func TestCallRedactsEchoedCredentials(t *testing.T) {
	tests := []struct {
		name     string
		status   int
		args     []string
		wantCode int
	}{
		{"error", 400, []string{"call", "getCustomerEventTypes"}, exitAPI},
		{"business error", 200, []string{"call", "getCustomerEventTypes"}, exitAPI},
		{"error raw", 400, []string{"call", "getCustomerEventTypes", "--raw"}, exitAPI},
		{"business error raw", 200, []string{"call", "getCustomerEventTypes", "--raw"}, exitAPI},
		{"verbose log", 400, []string{"call", "getCustomerEventTypes", "-v"}, exitAPI},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := echoServer(t, tt.status)
			r := runCLI(t, runOpt{}, append(tt.args, echoFlags(srv)...)...)
			if r.code != tt.wantCode {
				t.Errorf("exit %d, want %d; stderr:\n%s", r.code, tt.wantCode, r.stderr)
			}
			if strings.Contains(tt.name, "raw") && !strings.Contains(r.stdout, `"key": "[REDACTED]"`) {
				t.Errorf("--raw did not print the body, redacted:\n%s", r.stdout)
			}
			assertNoEchoedCredential(t, "stdout", r.stdout)
			assertNoEchoedCredential(t, "stderr", r.stderr)
		})
	}
}

// Why, The validator: messages quote values, credentials included, and so
// do the CLI's own argument errors.
func TestCallRedactsCredentialsInValidationMessages(t *testing.T) {
	srv := echoServer(t, 200)
	for _, args := range [][]string{
		{"call", "addCustomerEvent", "--body", "-"},          // the spec's validator
		{"call", "addCustomerEvent", "eventType=" + echoKey}, // the CLI's own parsing
	} {
		r := runCLI(t, runOpt{stdin: `{"eventName":"x","eventType":"` + echoKey + `","eventDate":"2026-06-05T10:00:00","customerCode":"` + echoSecret + `"}`},
			append(args, echoFlags(srv)...)...)
		if r.code != exitUsage {
			t.Errorf("%v: exit %d, want %d; stderr:\n%s", args, r.code, exitUsage, r.stderr)
		}
		if !strings.Contains(r.stderr, "[REDACTED]") {
			t.Errorf("%v: nothing redacted in:\n%s", args, r.stderr)
		}
		assertNoEchoedCredential(t, "stderr", r.stderr)
	}
}
