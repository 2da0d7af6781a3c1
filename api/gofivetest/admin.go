package gofivetest

import (
	"encoding/json"
	"net/http"
	"time"
	"unicode/utf8"
)

// AdminRequestsPath is the request log's endpoint on a server with [WithAdminEndpoint]:
// GET answers the log as a JSON array (oldest first), DELETE empties it. Both need the
// server's subscription key in Ocp-Apim-Subscription-Key (so that a web page the browser
// opens cannot read or clear the log: the custom header needs a CORS preflight the fake never
// grants). The path is not in the spec, and its requests are not logged.
const AdminRequestsPath = "/_gofivetest/requests"

// WithAdminEndpoint serves [AdminRequestsPath], for a fake running in another process
// (`gofive fake` turns it on; in a test, call [Server.Requests] instead).
func WithAdminEndpoint() Option { return func(c *config) { c.admin = true } }

// requestView is a Request as the admin endpoint shows it: a JSON body as JSON, any other
// body as text.
type requestView struct {
	Seq                int             `json:"seq"`
	Time               time.Time       `json:"time"`
	Method             string          `json:"method"`
	Path               string          `json:"path"`
	Query              string          `json:"query,omitempty"`
	OperationID        string          `json:"operationId,omitempty"`
	Body               json.RawMessage `json:"body,omitempty"`
	BodyText           string          `json:"bodyText,omitempty"`
	BodyTruncated      bool            `json:"bodyTruncated,omitempty"`
	HasToken           bool            `json:"hasToken"`
	HasSubscriptionKey bool            `json:"hasSubscriptionKey"`
	Status             int             `json:"status"`
	Fault              string          `json:"fault,omitempty"`
	Problems           []string        `json:"problems,omitempty"`
}

func (s *Server) serveAdmin(w http.ResponseWriter, r *http.Request) {
	if !equal(r.Header.Get(subscriptionHeader), s.SubscriptionKey) {
		writeJSON(w, http.StatusUnauthorized, gatewayBody(http.StatusUnauthorized, "Access denied due to missing subscription key."), nil)
		return
	}
	switch r.Method {
	case http.MethodGet:
		log := s.Requests()
		out := make([]requestView, len(log))
		for i, e := range log {
			v := requestView{Seq: e.Seq, Time: e.Time, Method: e.Method, Path: e.Path, Query: e.Query,
				OperationID: e.OperationID, BodyTruncated: e.BodyTruncated, HasToken: e.HasToken,
				HasSubscriptionKey: e.HasSubscriptionKey, Status: e.Status, Fault: e.Fault, Problems: e.Problems}
			switch {
			case len(e.Body) == 0:
			case !e.BodyTruncated && json.Valid(e.Body):
				v.Body = e.Body
			case utf8.Valid(e.Body):
				v.BodyText = string(e.Body)
			default:
				v.BodyText = string([]rune(string(e.Body))) // invalid bytes become U+FFFD
			}
			out[i] = v
		}
		writeJSON(w, http.StatusOK, out, nil)
	case http.MethodDelete:
		s.ResetRequests()
		w.WriteHeader(http.StatusNoContent)
	default:
		writeJSON(w, http.StatusMethodNotAllowed, gatewayBody(http.StatusMethodNotAllowed, "GET or DELETE"), http.Header{"Allow": {"GET, DELETE"}})
	}
}
