package api

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// syncBuffer is a bytes.Buffer safe for the concurrent writes of a logger.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

type logRecord struct {
	Level     string  `json:"level"`
	Msg       string  `json:"msg"`
	Method    string  `json:"method"`
	Path      string  `json:"path"`
	Operation string  `json:"operation"`
	Attempt   int     `json:"attempt"`
	Status    int     `json:"status"`
	Duration  float64 `json:"duration"`
	Reauth    bool    `json:"reauth"`
	RequestID string  `json:"request_id"`
	Error     string  `json:"error"`
}

func records(t *testing.T, s string) []logRecord {
	t.Helper()
	var out []logRecord
	sc := bufio.NewScanner(strings.NewReader(s))
	for sc.Scan() {
		var r logRecord
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("log line %q: %v", sc.Text(), err)
		}
		r.Duration = 0 // not comparable
		out = append(out, r)
	}
	return out
}

func TestLogOneRecordPerAttempt(t *testing.T) {
	t.Parallel()
	f := newFakeAPI(t)
	var hits atomic.Int32
	f.handle("GET /v3/customers/C1", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Request-Id", "rid-"+string(rune('0'+hits.Add(1))))
		if hits.Load() == 1 {
			writeJSON(w, 503, `{"statusCode":503,"message":"busy"}`)
			return
		}
		writeJSON(w, 200, successBody)
	})
	var buf syncBuffer
	c := newTestClient(t, f, WithLogger(slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	if err := callNoData(c, t.Context(), "getCustomer", newRequest(t, c, "GET", "/v3/customers/C1?customerCode=C1", nil)); err != nil {
		t.Fatal(err)
	}
	f.revokeAll()
	if err := callNoData(c, t.Context(), "getCustomer", newRequest(t, c, "GET", "/v3/customers/C1", nil)); err != nil {
		t.Fatal(err)
	}
	const msg = "gofive: http attempt"
	want := []logRecord{
		{Level: "DEBUG", Msg: msg, Method: "POST", Path: "/authorization/connect/token", Operation: "token", Attempt: 1, Status: 200},
		{Level: "WARN", Msg: msg, Method: "GET", Path: "/v3/customers/C1", Operation: "getCustomer", Attempt: 1, Status: 503, RequestID: "rid-1"},
		{Level: "WARN", Msg: msg, Method: "GET", Path: "/v3/customers/C1", Operation: "getCustomer", Attempt: 2, Status: 200, RequestID: "rid-2"},
		// Revoked token: 401, a new token, and the replay.
		{Level: "WARN", Msg: msg, Method: "GET", Path: "/v3/customers/C1", Operation: "getCustomer", Attempt: 1, Status: 401},
		{Level: "DEBUG", Msg: msg, Method: "POST", Path: "/authorization/connect/token", Operation: "token", Attempt: 1, Status: 200},
		{Level: "WARN", Msg: msg, Method: "GET", Path: "/v3/customers/C1", Operation: "getCustomer", Attempt: 1, Status: 200, Reauth: true, RequestID: "rid-3"},
		// A call that goes smoothly: one DEBUG record.
		{Level: "DEBUG", Msg: msg, Method: "GET", Path: "/v3/customers/C1", Operation: "getCustomer", Attempt: 1, Status: 200, RequestID: "rid-4"},
	}
	if err := callNoData(c, t.Context(), "getCustomer", newRequest(t, c, "GET", "/v3/customers/C1", nil)); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, records(t, buf.String())); diff != "" {
		t.Errorf("log records (-want +got):\n%s\n%s", diff, buf.String())
	}
	if strings.Contains(buf.String(), "customerCode=C1") {
		t.Error("the query string was logged")
	}
}

// TestSecretsNeverLeak runs calls covering token fetches, retries, 401
// replays, API errors, token failures and connection errors, with a logger
// on, and checks no secret or token appears in any log line or error.
func TestSecretsNeverLeak(t *testing.T) {
	t.Parallel()
	const wrongSecret = "wr0ng+secret/with=="
	f := newFakeAPI(t)
	var hits atomic.Int32
	f.handle("/v3/customers/", func(w http.ResponseWriter, r *http.Request) {
		switch hits.Add(1) {
		case 1, 2:
			writeJSON(w, 503, `<html><title>busy</title></html>`)
		default:
			writeJSON(w, 200, successBody)
		}
	})
	f.handle("/v1/echo", func(w http.ResponseWriter, r *http.Request) {
		// A misbehaving server that echoes the request headers in an error.
		b, _ := json.Marshal(r.Header)
		writeJSON(w, 400, `{"status":{"code":"4001","description":"`+strings.ReplaceAll(string(b), `"`, `'`)+`"},"data":`+string(b)+`}`)
	})
	f.handle("GET /v1/business", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, `{"status":{"code":"4002","description":"bad"},"data":["x"]}`)
	})
	f.mux.HandleFunc("GET /v1/always401", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 401, `{"statusCode":401,"message":"auth `+r.Header.Get("Authorization")+` `+r.Header.Get(subscriptionKeyHeader)+`"}`)
	})

	var buf syncBuffer
	logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c := newTestClient(t, f, WithLogger(logger))
	var errs []error
	record := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	record(callNoData(c, t.Context(), "getCustomer", newRequest(t, c, "GET", "/v3/customers/C1", nil)))
	record(callNoData(c, t.Context(), "echo", newRequest(t, c, "GET", "/v1/echo", nil)))
	record(callNoData(c, t.Context(), "business", newRequest(t, c, "GET", "/v1/business", nil)))
	record(callNoData(c, t.Context(), "always401", newRequest(t, c, "GET", "/v1/always401", nil)))
	record(c.Do(t.Context(), "POST", "/v1/echo", map[string]string{"x": "y"}, nil))

	bad, err := New(WithCredentials(testClientID, wrongSecret), WithSubscriptionKey(testSubKey), WithBaseURL(f.srv.URL), WithLogger(logger), WithRetryPolicy(fastRetry))
	if err != nil {
		t.Fatal(err)
	}
	record(callNoData(bad, t.Context(), "getCustomer", newRequest(t, bad, "GET", "/v3/customers/C1", nil)))

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := "http://" + ln.Addr().String()
	ln.Close()
	down, err := New(WithCredentials(testClientID, testSecret), WithSubscriptionKey(testSubKey), WithBaseURL(dead), WithLogger(logger), WithRetryPolicy(fastRetry))
	if err != nil {
		t.Fatal(err)
	}
	record(callNoData(down, t.Context(), "getCustomer", newRequest(t, down, "GET", "/v3/customers/C1", nil)))
	static, err := New(WithStaticToken(tokenPrefix+"static="), WithSubscriptionKey(testSubKey), WithBaseURL(dead), WithLogger(logger), WithRetryPolicy(fastRetry))
	if err != nil {
		t.Fatal(err)
	}
	record(callNoData(static, t.Context(), "getCustomer", newRequest(t, static, "GET", "/v3/customers/C1", nil)))

	if len(errs) != 7 {
		t.Errorf("got %d errors, want 7: %v", len(errs), errs)
	}
	for _, err := range errs {
		assertNoSecrets(t, "error", err.Error(), wrongSecret)
		var apiErr *APIError
		if errors.As(err, &apiErr) {
			assertNoSecrets(t, "APIError.Body", string(apiErr.Body), wrongSecret)
			assertNoSecrets(t, "APIError.Errors", strings.Join(apiErr.Errors, " "), wrongSecret)
		}
	}
	logs := buf.String()
	assertNoSecrets(t, "log", logs, wrongSecret)
	if strings.Count(logs, "gofive: http attempt") < 10 {
		t.Errorf("expected a record per attempt, got:\n%s", logs)
	}
	for _, header := range []string{"Authorization", subscriptionKeyHeader, "client_secret"} {
		if strings.Contains(logs, header) {
			t.Errorf("log mentions %s:\n%s", header, logs)
		}
	}
	// The echoed error was scrubbed, not dropped.
	if !strings.Contains(errs[0].Error(), "'Bearer "+redacted+"'") || !strings.Contains(errs[0].Error(), "'"+redacted+"'") {
		t.Errorf("echo error = %v", errs[0])
	}
}

func TestNoLoggerByDefault(t *testing.T) {
	t.Parallel()
	f := newFakeAPI(t)
	f.handle("GET /v1/x", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, successBody) })
	c := newTestClient(t, f)
	if _, ok := c.base.(*logTransport); ok || c.logger != nil {
		t.Error("a log layer exists without WithLogger")
	}
	auth := c.retry.next.(*authTransport)
	if _, ok := auth.base.(*logTransport); ok {
		t.Error("auth layer logs without WithLogger")
	}
	_ = io.Discard
}
