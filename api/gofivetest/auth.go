package gofivetest

import (
	"crypto/subtle"
	"fmt"
	"math"
	"mime"
	"net/http"
	"net/url"
	"strings"
)

const subscriptionHeader = "Ocp-Apim-Subscription-Key"

// The gateway's 401 messages (Azure API Management's wording).
const (
	msgMissingKey   = "Access denied due to missing subscription key. Make sure to include subscription key when making requests to an API."
	msgInvalidKey   = "Access denied due to invalid subscription key. Make sure to provide a valid key for an active subscription."
	msgInvalidToken = "Unauthorized. Access token is missing or invalid."
)

func equal(a, b string) bool { return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1 }

// checkKey answers the gateway's 401 when the subscription key is missing or wrong.
func (s *Server) checkKey(r *http.Request) (response, bool) {
	key := r.Header.Get(subscriptionHeader)
	switch {
	case key == "":
		return jsonResponse(http.StatusUnauthorized, gatewayBody(http.StatusUnauthorized, msgMissingKey)), false
	case !equal(key, s.SubscriptionKey):
		return jsonResponse(http.StatusUnauthorized, gatewayBody(http.StatusUnauthorized, msgInvalidKey)), false
	}
	return response{}, true
}

// authenticate checks a data call's subscription key, then its bearer token.
func (s *Server) authenticate(r *http.Request) (response, bool) {
	if res, ok := s.checkKey(r); !ok {
		return res, false
	}
	h := r.Header.Get("Authorization")
	tok, found := strings.CutPrefix(h, "Bearer ")
	if !found {
		tok, found = strings.CutPrefix(h, "bearer ")
	}
	if found {
		s.mu.Lock()
		exp, known := s.tokens[tok]
		s.mu.Unlock()
		if known && s.cfg.clock().Before(exp) {
			return response{}, true
		}
	}
	res := jsonResponse(http.StatusUnauthorized, gatewayBody(http.StatusUnauthorized, msgInvalidToken))
	res.header = http.Header{"Www-Authenticate": {`Bearer error="invalid_token"`}}
	return res, false
}

// oauthError is the OAuth 2.0 error body of the token endpoint (RFC 6749 §5.2).
func oauthError(status int, code, description string) response {
	return jsonResponse(status, map[string]string{"error": code, "error_description": description})
}

// token serves POST /authorization/connect/token: the subscription key, then the form, then
// the client credentials (form fields only, as documented; HTTP Basic is not accepted).
func (s *Server) token(r *http.Request, body []byte) response {
	if res, ok := s.checkKey(r); !ok {
		return res
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/x-www-form-urlencoded" {
		return oauthError(http.StatusBadRequest, "invalid_request", "the body must be application/x-www-form-urlencoded")
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return oauthError(http.StatusBadRequest, "invalid_request", "the form body does not parse")
	}
	switch gt := form.Get("grant_type"); {
	case gt == "":
		return oauthError(http.StatusBadRequest, "invalid_request", "grant_type is missing")
	case gt != "client_credentials":
		return oauthError(http.StatusBadRequest, "unsupported_grant_type", "only client_credentials is supported")
	}
	id, secret := form.Get("client_id"), form.Get("client_secret")
	if id == "" || secret == "" {
		return oauthError(http.StatusUnauthorized, "invalid_client", "client_id and client_secret are required in the form body")
	}
	if !equal(id, s.ClientID) || !equal(secret, s.ClientSecret) {
		return oauthError(http.StatusUnauthorized, "invalid_client", "client authentication failed")
	}
	s.mu.Lock()
	s.tokenN++
	tok := fmt.Sprintf("gofivetest-token-%d-%016x", s.tokenN, s.store.rand.Uint64())
	now := s.cfg.clock()
	lifetime := s.lifetime
	s.tokens[tok] = now.Add(lifetime)
	s.mu.Unlock()
	return jsonResponse(http.StatusOK, map[string]any{
		"access_token": tok,
		"token_type":   "Bearer",
		"expires_in":   int(math.Ceil(lifetime.Seconds())),
	})
}
