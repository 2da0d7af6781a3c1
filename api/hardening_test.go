package api

// Tests for issue 12 (items 1 and 2): each reproduces a report of the
// adversarial pass. Tokens and keys here are synthetic.

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"golang.org/x/oauth2"
)

// punctuationToken is an n-byte access token of ASCII punctuation, the
// shape that made the old redactor compile a huge regular expression.
func punctuationToken(n int) string {
	const set = "!#$%&'()*+,-./:;<=>?@[]^_`{|}~"
	rng := rand.New(rand.NewPCG(12, uint64(n)))
	b := make([]byte, n)
	for i := range b {
		b[i] = set[rng.IntN(len(set))]
	}
	return string(b)
}

// noChunk fails if s holds any 16-byte piece of secret.
func noChunk(t *testing.T, what, s, secret string) {
	t.Helper()
	const piece = 16
	for i := 0; i+piece <= len(secret); i += piece {
		if strings.Contains(s, secret[i:i+piece]) {
			t.Errorf("%s holds part of a secret (bytes %d–%d)", what, i, i+piece)
			return
		}
	}
}

// apiErrorTexts is every string an *APIError gives out.
func apiErrorTexts(err error) map[string]string {
	m := map[string]string{"Error()": err.Error()}
	var ae *APIError
	if errors.As(err, &ae) {
		m["Code"], m["Description"], m["RequestID"], m["Body"] = ae.Code, ae.Description, ae.RequestID, string(ae.Body)
		m["Errors"] = strings.Join(ae.Errors, "\n")
	}
	return m
}

// Why, Crash: a 300k-character punctuation token echoed in an error made
// the redactor compile a regular expression from it and panic, with the
// token in the panic message.
func TestCrashLongPunctuationTokenEchoed(t *testing.T) {
	t.Parallel()
	tok := punctuationToken(300_000)
	mux := http.NewServeMux()
	mux.HandleFunc("POST /authorization/connect/token", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, mustJSON(t, map[string]any{"access_token": tok, "token_type": "Bearer", "expires_in": 3600}))
	})
	mux.HandleFunc("GET /v3/customers/C1", func(w http.ResponseWriter, r *http.Request) {
		// Echo the header, JSON-escaped the way encoding/json does (\u003c, \u0026 …).
		writeJSON(w, 400, mustJSON(t, map[string]any{"message": "bad header " + r.Header.Get("Authorization")}))
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	c, err := New(WithCredentials(testClientID, testSecret), WithSubscriptionKey(testSubKey), WithBaseURL(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	err = callNoData(c, t.Context(), "getCustomer", newRequest(t, c, "GET", "/v3/customers/C1", nil))
	var ae *APIError
	if !errors.As(err, &ae) || ae.HTTPStatus != 400 {
		t.Fatalf("err = %.300v, want an *APIError with HTTP 400", err)
	}
	for what, s := range apiErrorTexts(err) {
		noChunk(t, what, s, tok)
	}
}

// Why, Crash: when the redaction ran in the background token goroutine
// (a refresh failing with an error that echoes the previous token), the
// panic killed the process.
func TestCrashInTokenGoroutine(t *testing.T) {
	t.Parallel()
	tok := punctuationToken(300_000)
	var tokenCalls, dataCalls atomic.Int32
	mux := http.NewServeMux()
	mux.HandleFunc("POST /authorization/connect/token", func(w http.ResponseWriter, r *http.Request) {
		if tokenCalls.Add(1) == 1 {
			writeJSON(w, 200, mustJSON(t, map[string]any{"access_token": tok, "token_type": "Bearer", "expires_in": 3600}))
			return
		}
		writeJSON(w, 400, mustJSON(t, map[string]any{"error": "invalid_grant", "error_description": "token " + tok + " revoked"}))
	})
	mux.HandleFunc("GET /v3/customers/C1", func(w http.ResponseWriter, r *http.Request) {
		dataCalls.Add(1)
		writeJSON(w, 401, `{"statusCode":401,"message":"User authentication required V2."}`)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	c, err := New(WithCredentials(testClientID, testSecret), WithSubscriptionKey(testSubKey), WithBaseURL(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	err = callNoData(c, t.Context(), "getCustomer", newRequest(t, c, "GET", "/v3/customers/C1", nil))
	var te *TokenError
	if !errors.As(err, &te) || tokenCalls.Load() != 2 {
		t.Fatalf("err = %.300v after %d token calls, want a *TokenError from the refresh", err, tokenCalls.Load())
	}
	for what, s := range apiErrorTexts(err) {
		noChunk(t, what, s, tok)
	}
}

// Why, Partial tokens: a token JSON-escaped by the server (+ as \u002B,
// System.Text.Json's default) was only partly redacted.
func TestPartialTokenJSONEscaped(t *testing.T) {
	t.Parallel()
	const tok = "AbCdEf0123+GhIjKl4567/MnOpQrStUv=="
	escapes := map[string]*strings.Replacer{
		"System.Text.Json": strings.NewReplacer("+", `\u002B`),
		"lower case":       strings.NewReplacer("+", `\u002b`, "/", `\/`),
		"every character":  strings.NewReplacer("A", `\u0041`, "+", `\u002B`, "/", `\u002F`, "=", `\u003D`, "M", `\u004d`),
	}
	for name, esc := range escapes {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				writeJSON(w, 401, `{"message":"rejected Authorization: `+esc.Replace(r.Header.Get("Authorization"))+`","errors":["`+esc.Replace(tok)+`"]}`)
			}))
			t.Cleanup(srv.Close)
			c, err := New(WithStaticToken(tok), WithSubscriptionKey(testSubKey), WithBaseURL(srv.URL))
			if err != nil {
				t.Fatal(err)
			}
			err = callNoData(c, t.Context(), "getCustomer", newRequest(t, c, "GET", "/v3/customers/C1", nil))
			for what, s := range apiErrorTexts(err) {
				for _, part := range []string{"AbCdEf0123", "GhIjKl4567", "MnOpQrStUv"} {
					if strings.Contains(s, part) {
						t.Errorf("%s holds part of the token: %s", what, s)
					}
				}
			}
		})
	}
}

// rawServer answers every connection with respond(subscription key sent).
func rawServer(t *testing.T, respond func(key string) string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				req, err := http.ReadRequest(bufio.NewReader(conn))
				if err != nil {
					return
				}
				conn.Write([]byte(respond(req.Header.Get(subscriptionKeyHeader))))
			}()
		}
	}()
	return "http://" + ln.Addr().String()
}

// Why, Transport errors: net/http quotes server bytes (a malformed status
// line, header or Content-Length) into its errors, which reached Error()
// and the logs unredacted.
func TestTransportErrorsRedacted(t *testing.T) {
	t.Parallel()
	responses := map[string]func(key string) string{
		"status line":    func(key string) string { return "HTTP/1.1 " + key + "\r\n\r\n" },
		"content length": func(key string) string { return "HTTP/1.1 200 OK\r\nContent-Length: " + key + "\r\n\r\n" },
		"header":         func(key string) string { return "HTTP/1.1 200 OK\r\n" + key + "\r\n\r\n" },
	}
	for name, respond := range responses {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			base := rawServer(t, respond)
			var logs syncBuffer
			c, err := New(WithStaticToken("static-token-value"), WithSubscriptionKey(testSubKey), WithBaseURL(base),
				WithRetryPolicy(RetryPolicy{MaxAttempts: 2, MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond}),
				WithLogger(slog.New(slog.NewJSONHandler(&logs, nil))))
			if err != nil {
				t.Fatal(err)
			}
			err = callNoData(c, t.Context(), "getCustomer", newRequest(t, c, "GET", "/v3/customers/C1", nil))
			if err == nil {
				t.Fatal("no error")
			}
			assertNoSecrets(t, "Error()", err.Error())
			assertNoSecrets(t, "log", logs.String())
			if !strings.Contains(logs.String(), "gofive: http attempt") {
				t.Errorf("nothing logged: %s", logs.String())
			}
			// The generated client's path: http.Client wraps the error in a *url.Error.
			req, _ := http.NewRequestWithContext(t.Context(), "GET", c.BaseURL()+"v3/customers/C1", nil)
			_, err = c.HTTPClient().Do(req)
			var ue *url.Error
			if !errors.As(err, &ue) {
				t.Fatalf("HTTPClient error %v is not a *url.Error", err)
			}
			assertNoSecrets(t, "HTTPClient error", err.Error())
		})
	}
}

// Redacting a transport error keeps errors.Is and errors.As working.
func TestTransportErrorRedactionKeepsChain(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		hang := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
		c, err := New(WithStaticToken("static-token-value"), WithSubscriptionKey(testSubKey), WithBaseURL("http://gofive.test"),
			WithHTTPClient(&http.Client{Transport: cancelOnDone{handlerTransport{hang}}}), WithTimeout(time.Second))
		if err != nil {
			t.Fatal(err)
		}
		err = callNoData(c, t.Context(), "getCustomer", newRequest(t, c, "GET", "/v3/customers/C1", nil))
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("err = %v, want context.DeadlineExceeded in the chain", err)
		}
	})
	// A transport error quoting a credential: redacted, and still a *net.OpError to errors.As.
	failing := roundTripFunc(func(*http.Request) (*http.Response, error) {
		return nil, &net.OpError{Op: "read", Net: "tcp", Err: errors.New("peer sent " + testSubKey)}
	})
	c, err := New(WithStaticToken("static-token-value"), WithSubscriptionKey(testSubKey), WithBaseURL("http://gofive.test"),
		WithHTTPClient(&http.Client{Transport: failing}), WithRetryPolicy(RetryPolicy{MaxAttempts: 1}))
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequestWithContext(t.Context(), "GET", c.BaseURL()+"v3/customers/C1", nil)
	_, err1 := c.HTTPClient().Do(req)
	err2 := callNoData(c, t.Context(), "getCustomer", newRequest(t, c, "GET", "/v3/customers/C1", nil))
	for _, err := range []error{err1, err2} {
		var oe *net.OpError
		if !errors.As(err, &oe) {
			t.Errorf("err = %v, want a *net.OpError in the chain", err)
		}
		assertNoSecrets(t, "Error()", err.Error())
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// cancelOnDone returns the context's error once the handler gives up, as
// a network transport does.
type cancelOnDone struct{ base http.RoundTripper }

func (t cancelOnDone) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(req)
	if err == nil && req.Context().Err() != nil {
		resp.Body.Close()
		return nil, req.Context().Err()
	}
	return resp, err
}

// Why, The request-id log attribute was logged unredacted.
func TestRequestIDLogAttributeRedacted(t *testing.T) {
	t.Parallel()
	f := newFakeAPI(t)
	f.handle("GET /v3/customers/C1", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Request-Id", "req-"+r.Header.Get(subscriptionKeyHeader))
		writeJSON(w, 404, `{"status":{"code":"4004","description":"not found"}}`)
	})
	var logs syncBuffer
	c := newTestClient(t, f, WithLogger(slog.New(slog.NewJSONHandler(&logs, nil))))
	err := callNoData(c, t.Context(), "getCustomer", newRequest(t, c, "GET", "/v3/customers/C1", nil))
	if !errors.Is(err, ErrNotFound) {
		t.Fatalf("err = %v", err)
	}
	if !strings.Contains(logs.String(), `"request_id":"req-[REDACTED]"`) {
		t.Errorf("request id not logged redacted: %s", logs.String())
	}
	assertNoSecrets(t, "log", logs.String())
	for what, s := range apiErrorTexts(err) {
		assertNoSecrets(t, what, s)
	}
}

// Why, Token errors: a form-encoded OAuth error was cut to 300 characters
// before redaction, so the start of a secret crossing the cut survived.
func TestFormEncodedTokenErrorRedactedBeforeCut(t *testing.T) {
	t.Parallel()
	f := newFakeAPI(t)
	f.tokenErr = func(w http.ResponseWriter) bool {
		desc := strings.Repeat("x", 290) + " " + testSecret + " was rejected"
		w.Header().Set("Content-Type", "application/x-www-form-urlencoded")
		w.WriteHeader(400)
		fmt.Fprintf(w, "error=invalid_client&error_description=%s", url.QueryEscape(desc))
		return true
	}
	c := newTestClient(t, f)
	err := callNoData(c, t.Context(), "getCustomer", newRequest(t, c, "GET", "/v3/customers/C1", nil))
	var te *TokenError
	if !errors.As(err, &te) {
		t.Fatalf("err = %v, want a *TokenError", err)
	}
	texts := apiErrorTexts(err)
	texts["TokenError.Error()"] = te.Error()
	for what, s := range texts {
		for n := 6; n <= len(testSecret); n++ {
			if strings.Contains(s, testSecret[:n]) || strings.Contains(s, url.QueryEscape(testSecret[:n])) {
				t.Errorf("%s holds the first %d bytes of the secret: %q", what, n, s)
				break
			}
		}
	}
}

// Token manager: a panic in the token goroutine becomes an error for every
// waiter; the process survives, and the message shows no secret.
func TestTokenSourcePanicBecomesError(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := memFakeAPI(t)
		var calls atomic.Int32
		src := tokenSourceFunc(func() (*oauth2.Token, error) {
			calls.Add(1)
			time.Sleep(time.Second) // (fake time) the waiters gather on this fetch
			panic("vault client broke with secret " + testSecret)
		})
		c, err := New(WithTokenSource(src), WithSubscriptionKey(testSubKey), WithBaseURL("http://gofive.test"),
			WithHTTPClient(&http.Client{Transport: handlerTransport{f.mux}}), WithRetryPolicy(RetryPolicy{MaxAttempts: 1}))
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		errs := make([]error, 8)
		for i := range errs {
			wg.Go(func() {
				errs[i] = callNoData(c, t.Context(), "getCustomer", newRequest(t, c, "GET", "/v3/customers/C1", nil))
			})
		}
		wg.Wait()
		if n := calls.Load(); n != 1 {
			t.Errorf("the source was called %d times, want 1 (one fetch shared by every waiter)", n)
		}
		checkPanicErrors(t, errs)
	})
}

func checkPanicErrors(t *testing.T, errs []error) {
	for i, err := range errs {
		var te *TokenError
		if !errors.As(err, &te) {
			t.Errorf("caller %d: err = %v, want a *TokenError", i, err)
			continue
		}
		assertNoSecrets(t, "error", err.Error())
		if !strings.Contains(err.Error(), "panic") {
			t.Errorf("caller %d: %v does not say the source panicked", i, err)
		}
	}
}

// Token manager: a blank or whitespace access_token is a *TokenError, and
// no request goes out with "Authorization: Bearer" and no token.
func TestBlankAccessTokenIsTokenError(t *testing.T) {
	t.Parallel()
	for _, blank := range []string{" ", "\t \n"} {
		var dataCalls atomic.Int32
		mux := http.NewServeMux()
		mux.HandleFunc("POST /authorization/connect/token", func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, 200, mustJSON(t, map[string]any{"access_token": blank, "token_type": "Bearer", "expires_in": 3600}))
		})
		mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
			dataCalls.Add(1)
			writeJSON(w, 401, `{"statusCode":401,"message":"User authentication required V2."}`)
		})
		srv := httptest.NewServer(mux)
		t.Cleanup(srv.Close)
		c, err := New(WithCredentials(testClientID, testSecret), WithSubscriptionKey(testSubKey), WithBaseURL(srv.URL), WithRetryPolicy(fastRetry))
		if err != nil {
			t.Fatal(err)
		}
		err = callNoData(c, t.Context(), "getCustomer", newRequest(t, c, "GET", "/v3/customers/C1", nil))
		var te *TokenError
		if !errors.As(err, &te) || dataCalls.Load() != 0 {
			t.Errorf("access_token %q: err = %v after %d data calls, want a *TokenError and none", blank, err, dataCalls.Load())
		}
		// A caller's source too.
		c, err = New(WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: blank})), WithSubscriptionKey(testSubKey), WithBaseURL(srv.URL))
		if err != nil {
			t.Fatal(err)
		}
		err = callNoData(c, t.Context(), "getCustomer", newRequest(t, c, "GET", "/v3/customers/C1", nil))
		if !errors.As(err, &te) || dataCalls.Load() != 0 {
			t.Errorf("caller source %q: err = %v after %d data calls, want a *TokenError and none", blank, err, dataCalls.Load())
		}
	}
}

// handlerTransport serves requests in memory, so that tests inside a
// synctest bubble have no network I/O (which would stop the fake clock).
type handlerTransport struct{ h http.Handler }

func (t handlerTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	rec := httptest.NewRecorder()
	t.h.ServeHTTP(rec, req)
	resp := rec.Result()
	resp.Request = req
	return resp, nil
}

// memFakeAPI is newFakeAPI without a listener, for synctest.
func memFakeAPI(t *testing.T) *fakeAPI {
	f := &fakeAPI{t: t, mux: http.NewServeMux(), valid: map[string]bool{}}
	f.expiresIn.Store(3600)
	f.mux.HandleFunc("POST /authorization/connect/token", f.token)
	return f
}

// Why, Wrong behaviour: a token lifetime shorter than the refresh margin
// caused one token request per call. The margin is clamped to a tenth of
// the lifetime, so a token is fetched about once per lifetime.
func TestShortLivedTokenFetchedOncePerLifetime(t *testing.T) {
	tests := []struct {
		name       string
		expiresIn  int64
		margin     time.Duration
		callEvery  time.Duration
		calls      int
		wantTokens int32
	}{
		// 100 calls over 100 s with 10 s tokens: each valid until a tenth
		// (1 s) before expiry, 9 s, so one is fetched at 0, 10, 20 … 90 s.
		{"10s token, default 60s margin", 10, DefaultRefreshMargin, time.Second, 100, 10},
		// Renewed 6 min before expiry: fetched at 0, 55, 110, 165 min.
		{"1h token, 1h margin", 3600, time.Hour, time.Minute, 180, 4},
		// The default margin is below a tenth of an hour: unchanged, 0, 60, 120 min.
		{"1h token, default margin", 3600, DefaultRefreshMargin, time.Minute, 180, 3},
		{"no margin", 10, 0, time.Second, 100, 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				f := memFakeAPI(t)
				f.expiresIn.Store(tt.expiresIn)
				f.handle("GET /v3/customers/C1", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, successBody) })
				c, err := New(WithCredentials(testClientID, testSecret), WithSubscriptionKey(testSubKey),
					WithBaseURL("http://gofive.test"), WithHTTPClient(&http.Client{Transport: handlerTransport{f.mux}}),
					WithTokenRefreshMargin(tt.margin))
				if err != nil {
					t.Fatal(err)
				}
				for range tt.calls {
					if err := callNoData(c, t.Context(), "getCustomer", newRequest(t, c, "GET", "/v3/customers/C1", nil)); err != nil {
						t.Fatal(err)
					}
					time.Sleep(tt.callEvery)
				}
				if n := f.tokenRequests.Load(); n != tt.wantTokens {
					t.Errorf("token requests = %d, want %d", n, tt.wantTokens)
				}
			})
		})
	}
}

// echoForms are the encodings a server may echo a credential in (the
// engine's own tests cover more; these go through every exit of the SDK).
var echoForms = map[string]func(string) string{
	"raw":   func(s string) string { return s },
	"query": url.QueryEscape,
	"path":  url.PathEscape,
	"json-all-upper": func(s string) string {
		var b strings.Builder
		for _, c := range s {
			fmt.Fprintf(&b, `\u%04X`, c)
		}
		return b.String()
	},
	"json-some-lower": strings.NewReplacer("+", `\u002b`, "/", `\/`, "=", `\u003d`, "&", `\u0026`).Replace,
	"html-decimal": func(s string) string {
		var b strings.Builder
		for _, c := range s {
			fmt.Fprintf(&b, "&#%d;", c)
		}
		return b.String()
	},
	"html-named": strings.NewReplacer("+", "&plus;", "/", "&sol;", "=", "&equals;", "&", "&amp;").Replace,
	"html-hex":   strings.NewReplacer("+", "&#x2B;", "/", "&#X2f;", "=", "&#x3D", "&", "&#x26;").Replace,
}

// TestEchoServers: every credential, in every encoding, echoed through
// every exit of the SDK (APIError and its fields, HTML error pages, token
// errors, transport errors, log attributes), comes out redacted.
func TestEchoServers(t *testing.T) {
	t.Parallel()
	type exit struct {
		name string
		// serve answers a data call (or, with token set, the token call)
		// echoing text; nil keeps the fake's normal behaviour.
		data, token func(w http.ResponseWriter, text string)
		raw         bool // data is answered with malformed HTTP
	}
	exits := []exit{
		{name: "json error", data: func(w http.ResponseWriter, text string) {
			w.Header().Set("X-Request-Id", text)
			writeJSON(w, 400, `{"status":{"code":"4001","description":"`+text+`"},"errors":{"field":["`+text+`"]},"data":"`+text+`"}`)
		}},
		{name: "business error", data: func(w http.ResponseWriter, text string) {
			writeJSON(w, 200, `{"status":{"code":"`+text+`","description":"no `+text+`"},"data":null}`)
		}},
		{name: "html page", data: func(w http.ResponseWriter, text string) {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(502)
			fmt.Fprintf(w, "<html><head><title>%s</title></head><body>%s</body></html>", text, text)
		}},
		{name: "undecodable success", data: func(w http.ResponseWriter, text string) {
			writeJSON(w, 200, `{"status":{"code":"1000"},"data":{"customerCode":`+text+`}}`)
		}},
		{name: "token error", token: func(w http.ResponseWriter, text string) {
			writeJSON(w, 400, `{"error":"invalid_client","error_description":"`+text+`"}`)
		}},
		{name: "token error form-encoded", token: func(w http.ResponseWriter, text string) {
			w.Header().Set("Content-Type", "application/x-www-form-urlencoded")
			w.WriteHeader(401)
			fmt.Fprint(w, "error=invalid_client&error_description="+url.QueryEscape(text))
		}},
		{name: "transport error", raw: true},
	}
	creds := map[string]func(r *http.Request) string{
		"client secret":    func(*http.Request) string { return testSecret },
		"subscription key": func(r *http.Request) string { return r.Header.Get(subscriptionKeyHeader) },
		"bearer header":    func(r *http.Request) string { return r.Header.Get("Authorization") },
	}
	for _, ex := range exits {
		for credName, cred := range creds {
			for formName, form := range echoForms {
				name := ex.name + "/" + credName + "/" + formName
				t.Run(name, func(t *testing.T) {
					t.Parallel()
					f := newFakeAPI(t)
					var lastToken atomic.Value
					lastToken.Store("")
					if ex.token != nil {
						if credName == "bearer header" {
							t.Skip("no bearer token on the token call")
						}
						f.tokenErr = func(w http.ResponseWriter) bool { ex.token(w, form(testSecret)+" "+form(testSubKey)); return true }
					}
					if ex.data != nil {
						f.handle("GET /v3/customers/C1", func(w http.ResponseWriter, r *http.Request) {
							lastToken.Store(r.Header.Get("Authorization"))
							ex.data(w, form(cred(r)))
						})
					}
					var logs syncBuffer
					opts := []Option{WithLogger(slog.New(slog.NewJSONHandler(&logs, nil))), WithRetryPolicy(RetryPolicy{MaxAttempts: 1})}
					var c *Client
					if ex.raw {
						base := rawServer(t, func(key string) string { return "HTTP/1.1 200 OK\r\nContent-Length: " + form(key) + "\r\n\r\n" })
						var err error
						c, err = New(WithStaticToken("tok+en/static="), WithSubscriptionKey(testSubKey), WithBaseURL(base), opts[0], opts[1])
						if err != nil {
							t.Fatal(err)
						}
					} else {
						c = newTestClient(t, f, opts...)
					}
					_, err := callJSON[customer](c, t.Context(), "getCustomer", newRequest(t, c, "GET", "/v3/customers/C1", nil))
					if err == nil {
						t.Fatal("no error")
					}
					texts := apiErrorTexts(err)
					var te *TokenError
					if errors.As(err, &te) {
						texts["TokenError.Error()"] = te.Error()
					}
					var de *DecodeError
					if errors.As(err, &de) {
						texts["DecodeError.Body"] = string(de.Body)
					}
					texts["log"] = logs.String()
					tok := strings.TrimPrefix(lastToken.Load().(string), "Bearer ")
					for what, s := range texts {
						assertNoSecrets(t, what, s)
						for _, secret := range []string{testSecret, testSubKey, tok, "tok+en/static="} {
							if secret != "" && strings.Contains(s, form(secret)) {
								t.Errorf("%s holds a %s-encoded credential: %s", what, formName, s)
							}
						}
					}
				})
			}
		}
	}
}
