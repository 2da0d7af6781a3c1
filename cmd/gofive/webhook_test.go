package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/gofive-go/gofive/api/gofivetest"
)

var webhookListeningRE = regexp.MustCompile(`listening on (http://\S+) `)

type webhookListener struct {
	url            string
	stdout, stderr *syncBuffer
	stop           func() int
}

// startWebhookListen runs `gofive webhook listen` with args on a free loopback port.
func startWebhookListen(t *testing.T, args ...string) *webhookListener {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	l := &webhookListener{stdout: &syncBuffer{}, stderr: &syncBuffer{}}
	code := make(chan int, 1)
	go func() {
		code <- runWebhookListen(ctx, append([]string{"--addr", "127.0.0.1:0"}, args...), l.stdout, l.stderr)
	}()
	l.url = l.stderr.waitFor(t, "the listening line", webhookListeningRE, nil)[1]
	var once sync.Once
	exit := -1
	l.stop = func() int {
		once.Do(func() {
			cancel()
			exit = <-code // a listener that does not stop is caught by go test's -timeout
		})
		return exit
	}
	t.Cleanup(func() { l.stop() })
	return l
}

func TestWebhookListenPrintsEvents(t *testing.T) {
	const secret = "listen+secret/=&1"
	l := startWebhookListen(t, "--secret", secret)
	if !strings.Contains(l.stderr.String(), "secret required") {
		t.Errorf("start-up line does not say a secret is required: %s", l.stderr.String())
	}
	target := l.url + "/sales-order?secret=" + url.QueryEscape(secret)

	payloads := []struct {
		payload      any
		kind, topic  string
		event        string
		wantIndented string
	}{
		{gofivetest.SalesOrderWebhook("SO260600039"), "salesOrder", "", "",
			"{\n  \"Data\": {\n    \"SaleOrderNo\": \"SO260600039\"\n  }\n}"},
		{gofivetest.ChatMessageWebhook("room-1", 1, "hello", "Anan"), "chatMessage", "Chat", "Message", ""},
		{`{"Topic":"Deal","Event":"Won","Data":{"DealNo":"D1"},"Extra":[1,null]}`, "unknown", "Deal", "Won",
			"{\n  \"Topic\": \"Deal\",\n  \"Event\": \"Won\",\n  \"Data\": {\n    \"DealNo\": \"D1\"\n  },\n  \"Extra\": [\n    1,\n    null\n  ]\n}"},
	}
	for _, p := range payloads {
		resp, err := gofivetest.DeliverWebhook(t.Context(), target, p.payload)
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("status %d for %v", resp.StatusCode, p.payload)
		}
	}
	// Rejected deliveries print nothing.
	for _, bad := range []string{l.url + "/?secret=wrong", l.url + "/"} {
		resp, err := gofivetest.DeliverWebhook(t.Context(), bad, gofivetest.SalesOrderWebhook("SO-X"))
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("%s: status %d, want 401", bad, resp.StatusCode)
		}
	}
	if code := l.stop(); code != 0 {
		t.Errorf("exit code %d after cancel, want 0", code)
	}
	if !strings.Contains(l.stderr.String(), "stopped") {
		t.Errorf("stderr does not say it stopped: %s", l.stderr.String())
	}

	out := l.stdout.String()
	if strings.Contains(out, "SO-X") || strings.Contains(out+l.stderr.String(), secret) {
		t.Errorf("output shows a rejected delivery or the secret:\n%s", out)
	}
	// Each event: a header line with an RFC 3339 timestamp, then the JSON block.
	header := regexp.MustCompile(`(?m)^(\S+) (\w+) topic="([^"]*)" event="([^"]*)"$`)
	idx := header.FindAllStringSubmatchIndex(out, -1)
	if len(idx) != len(payloads) {
		t.Fatalf("%d event headers, want %d:\n%s", len(idx), len(payloads), out)
	}
	for i, p := range payloads {
		m := idx[i]
		ts, kind, topic, event := out[m[2]:m[3]], out[m[4]:m[5]], out[m[6]:m[7]], out[m[8]:m[9]]
		if _, err := time.Parse(time.RFC3339Nano, ts); err != nil {
			t.Errorf("event %d: timestamp %q: %v", i, ts, err)
		}
		if kind != p.kind || topic != p.topic || event != p.event {
			t.Errorf("event %d: header %s %q %q, want %s %q %q", i, kind, topic, event, p.kind, p.topic, p.event)
		}
		end := len(out)
		if i+1 < len(idx) {
			end = idx[i+1][0]
		}
		block := strings.TrimSpace(out[m[1]:end])
		if p.wantIndented != "" && block != p.wantIndented {
			t.Errorf("event %d block:\n%s\nwant:\n%s", i, block, p.wantIndented)
		}
		var got, want any
		if err := json.Unmarshal([]byte(block), &got); err != nil {
			t.Fatalf("event %d block is not JSON: %v\n%s", i, err, block)
		}
		raw, _ := p.payload.(string)
		if raw == "" {
			b, _ := json.Marshal(p.payload)
			raw = string(b)
		}
		json.Unmarshal([]byte(raw), &want)
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("event %d printed (-delivered +printed):\n%s", i, d)
		}
	}
}

func TestWebhookListenSecretFromEnv(t *testing.T) {
	t.Setenv(EnvWebhookSecret, "from-env")
	l := startWebhookListen(t)
	for _, tt := range []struct {
		query string
		want  int
	}{{"", 401}, {"?secret=from-env", 200}} {
		resp, err := gofivetest.DeliverWebhook(t.Context(), l.url+"/"+tt.query, gofivetest.SalesOrderWebhook("SO1"))
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != tt.want {
			t.Errorf("query %q: status %d, want %d", tt.query, resp.StatusCode, tt.want)
		}
	}
}

func TestWebhookListenMaxBytes(t *testing.T) {
	l := startWebhookListen(t, "--max-bytes", "40")
	for _, tt := range []struct {
		body string
		want int
	}{{`{"Data":{"SaleOrderNo":"SO1"}}`, 200}, {`{"Data":{"SaleOrderNo":"SO1","Pad":"xxxxxxxxxxxxxxxx"}}`, 413}} {
		resp, err := gofivetest.DeliverWebhook(t.Context(), l.url, tt.body)
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != tt.want {
			t.Errorf("%d-byte body: status %d, want %d", len(tt.body), resp.StatusCode, tt.want)
		}
	}
	if !strings.Contains(l.stderr.String(), "no secret, at most 40 bytes") {
		t.Errorf("start-up line: %s", l.stderr.String())
	}
}

func TestWebhookListenArgs(t *testing.T) {
	// Occupy a port to provoke a listen error.
	busy := startWebhookListen(t)
	busyAddr := strings.TrimPrefix(busy.url, "http://")
	tests := []struct {
		name      string
		args      []string
		want      int
		wantInErr string
	}{
		{"help", []string{"-h"}, 0, "usage: gofive webhook listen"},
		{"unknown flag", []string{"--port", "1"}, 2, "flag provided but not defined"},
		{"extra argument", []string{"now"}, 2, `unexpected argument "now"`},
		{"zero max bytes", []string{"--max-bytes", "0"}, 2, "not positive"},
		{"max bytes not a number", []string{"--max-bytes", "1MiB"}, 2, "invalid value"},
		{"blank secret", []string{"--secret", " "}, 2, "secret is empty"},
		{"bad address", []string{"--addr", "127.0.0.1:99999"}, 1, "invalid port"},
		{"address in use", []string{"--addr", busyAddr}, 1, "address already in use"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr syncBuffer
			ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
			defer cancel()
			if got := runWebhookListen(ctx, tt.args, &stdout, &stderr); got != tt.want {
				t.Errorf("exit code %d, want %d; stderr:\n%s", got, tt.want, stderr.String())
			}
			if !strings.Contains(stderr.String(), tt.wantInErr) {
				t.Errorf("stderr does not contain %q:\n%s", tt.wantInErr, stderr.String())
			}
			if stdout.String() != "" {
				t.Errorf("stdout not empty: %s", stdout.String())
			}
		})
	}
}
