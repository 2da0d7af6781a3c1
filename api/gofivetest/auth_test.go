package gofivetest_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gofive-go/gofive/api/gofivetest"
)

// post sends a raw request with the given headers through a plain client.
func send(t *testing.T, srv *gofivetest.Server, method, path, contentType, body string, header map[string]string) (int, http.Header, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, srv.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header, string(b)
}

const formCT = "application/x-www-form-urlencoded"

func TestTokenEndpoint(t *testing.T) {
	srv := gofivetest.NewServer(t, gofivetest.WithCredentials("id-1", "s3cret-value"), gofivetest.WithSubscriptionKey("key-1"),
		gofivetest.WithTokenLifetime(90*time.Second))
	key := map[string]string{"Ocp-Apim-Subscription-Key": "key-1"}
	tests := []struct {
		name     string
		ct, body string
		header   map[string]string
		status   int
		contains string
	}{
		{"ok", formCT, form("grant_type", "client_credentials", "client_id", "id-1", "client_secret", "s3cret-value"), key, 200, `"expires_in":90`},
		{"wrong secret", formCT, form("grant_type", "client_credentials", "client_id", "id-1", "client_secret", "nope"), key, 401, `"error":"invalid_client"`},
		{"wrong id", formCT, form("grant_type", "client_credentials", "client_id", "id-2", "client_secret", "s3cret-value"), key, 401, `"error":"invalid_client"`},
		{"no secret", formCT, form("grant_type", "client_credentials", "client_id", "id-1"), key, 401, `"error":"invalid_client"`},
		{"other grant", formCT, form("grant_type", "password", "client_id", "id-1", "client_secret", "s3cret-value"), key, 400, `"error":"unsupported_grant_type"`},
		{"no grant", formCT, form("client_id", "id-1", "client_secret", "s3cret-value"), key, 400, `"error":"invalid_request"`},
		{"JSON body", "application/json", `{"grant_type":"client_credentials","client_id":"id-1","client_secret":"s3cret-value"}`, key, 400, `"error":"invalid_request"`},
		{"basic auth only", formCT, form("grant_type", "client_credentials"), map[string]string{"Ocp-Apim-Subscription-Key": "key-1", "Authorization": "Basic aWQtMTpzM2NyZXQtdmFsdWU="}, 401, `"error":"invalid_client"`},
		{"no subscription key", formCT, form("grant_type", "client_credentials", "client_id", "id-1", "client_secret", "s3cret-value"), nil, 401, `Access denied due to missing subscription key`},
		{"wrong subscription key", formCT, form("grant_type", "client_credentials", "client_id", "id-1", "client_secret", "s3cret-value"), map[string]string{"Ocp-Apim-Subscription-Key": "key-2"}, 401, `Access denied due to invalid subscription key`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, h, body := send(t, srv, "POST", "/authorization/connect/token", tt.ct, tt.body, tt.header)
			if status != tt.status || !strings.Contains(body, tt.contains) {
				t.Fatalf("got %d %s, want %d containing %s", status, body, tt.status, tt.contains)
			}
			if !strings.HasPrefix(h.Get("Content-Type"), "application/json") {
				t.Errorf("Content-Type %q", h.Get("Content-Type"))
			}
			if strings.Contains(body, "s3cret-value") || strings.Contains(body, "key-1") {
				t.Errorf("a secret is echoed: %s", body)
			}
		})
	}
	for _, r := range srv.Requests() {
		if r.Body != nil {
			t.Errorf("the token request body was logged: %q", r.Body)
		}
	}
}

func getToken(t *testing.T, srv *gofivetest.Server) string {
	t.Helper()
	status, _, body := send(t, srv, "POST", "/authorization/connect/token", formCT,
		form("grant_type", "client_credentials", "client_id", srv.ClientID, "client_secret", srv.ClientSecret),
		map[string]string{"Ocp-Apim-Subscription-Key": srv.SubscriptionKey})
	if status != 200 {
		t.Fatalf("token: %d %s", status, body)
	}
	var tok struct {
		AccessToken string `json:"access_token"`
		TokenType   string `json:"token_type"`
		ExpiresIn   int    `json:"expires_in"`
	}
	if err := json.Unmarshal([]byte(body), &tok); err != nil || tok.TokenType != "Bearer" || tok.ExpiresIn != 3600 && tok.ExpiresIn != 2 {
		t.Fatalf("token response %s", body)
	}
	return tok.AccessToken
}

func TestDataCallsNeedTokenAndKey(t *testing.T) {
	var mu sync.Mutex
	now := time.Date(2026, 6, 5, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	srv := gofivetest.NewServer(t, gofivetest.WithClock(clock))
	tok := getToken(t, srv)
	call := func(hdr map[string]string) (int, string) {
		status, _, body := send(t, srv, "GET", "/v1/customerEvent/event-types", "", "", hdr)
		return status, body
	}
	both := map[string]string{"Authorization": "Bearer " + tok, "Ocp-Apim-Subscription-Key": srv.SubscriptionKey}
	if status, body := call(both); status != 200 {
		t.Fatalf("with credentials: %d %s", status, body)
	}
	const missingKey = `{"statusCode":401,"message":"Access denied due to missing subscription key. Make sure to include subscription key when making requests to an API."}`
	tests := []struct {
		name string
		hdr  map[string]string
		want string
	}{
		{"no key", map[string]string{"Authorization": "Bearer " + tok}, missingKey},
		{"wrong key", map[string]string{"Authorization": "Bearer " + tok, "Ocp-Apim-Subscription-Key": "x"}, `"message":"Access denied due to invalid subscription key.`},
		{"no token", map[string]string{"Ocp-Apim-Subscription-Key": srv.SubscriptionKey}, `"statusCode":401`},
		{"wrong token", map[string]string{"Authorization": "Bearer nope", "Ocp-Apim-Subscription-Key": srv.SubscriptionKey}, `"statusCode":401`},
		{"wrong scheme", map[string]string{"Authorization": "Basic " + tok, "Ocp-Apim-Subscription-Key": srv.SubscriptionKey}, `"statusCode":401`},
	}
	for _, tt := range tests {
		status, body := call(tt.hdr)
		if status != 401 || !strings.Contains(body, tt.want) {
			t.Errorf("%s: %d %s", tt.name, status, body)
		}
		if strings.Contains(body, tok) || strings.Contains(body, srv.SubscriptionKey) {
			t.Errorf("%s: a credential is echoed", tt.name)
		}
	}
	// Tokens expire after their lifetime…
	advance(time.Hour - time.Second)
	if status, _ := call(both); status != 200 {
		t.Errorf("token expired early: %d", status)
	}
	advance(time.Second)
	if status, _ := call(both); status != 401 {
		t.Errorf("expired token accepted: %d", status)
	}
	// …or when the test says so.
	tok = getToken(t, srv)
	both["Authorization"] = "Bearer " + tok
	if status, _ := call(both); status != 200 {
		t.Fatalf("fresh token: %d", status)
	}
	srv.ExpireTokens()
	if status, _ := call(both); status != 401 {
		t.Errorf("token valid after ExpireTokens: %d", status)
	}
	// A lifetime shorter than a second is still expires_in 1.
	srv.SetTokenLifetime(500 * time.Millisecond)
	_, _, body := send(t, srv, "POST", "/authorization/connect/token", formCT,
		form("grant_type", "client_credentials", "client_id", srv.ClientID, "client_secret", srv.ClientSecret),
		map[string]string{"Ocp-Apim-Subscription-Key": srv.SubscriptionKey})
	if !strings.Contains(body, `"expires_in":1`) {
		t.Errorf("short lifetime: %s", body)
	}
	// The log records only whether credentials were present.
	for _, r := range srv.Requests() {
		if strings.Contains(fmt.Sprintf("%+v", r), tok) || strings.Contains(fmt.Sprintf("%+v", r), srv.ClientSecret) {
			t.Errorf("log entry holds a credential: %+v", r)
		}
	}
}

func TestCredentialsDoNotPrint(t *testing.T) {
	srv := gofivetest.NewServer(t, gofivetest.WithCredentials("visible-id", "hidden-secret"), gofivetest.WithSubscriptionKey("hidden-key"))
	for _, s := range []string{fmt.Sprint(srv), fmt.Sprintf("%+v", srv), fmt.Sprintf("%v", srv.Credentials), fmt.Sprintf("%+v", srv.Credentials), fmt.Sprintf("%#v", srv.Credentials)} {
		if strings.Contains(s, "hidden") {
			t.Errorf("printed a secret: %s", s)
		}
	}
	if !strings.Contains(fmt.Sprintf("%v", srv.Credentials), "visible-id") {
		t.Error("the client id should print")
	}
}
