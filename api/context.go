package api

import (
	"context"
	"sync/atomic"
)

// OperationID returns the API operation a request belongs to (its OpenAPI
// operationId), as set by the Client's per-operation methods; "" if none.
// Custom transports given to [WithHTTPClient] can read it from req.Context().
func OperationID(ctx context.Context) string {
	if st := stateFrom(ctx); st != nil {
		return st.operationID
	}
	return ""
}

// WithOperation tags ctx with a spec operation (its operationId, e.g.
// "updateProductStock") for a request sent through [Client.HTTPClient], such
// as one from package gen: it is then retried as that operation's retry class
// says (see # Retries in the package docs) instead of by its HTTP verb, and
// logged with its name.
//
// The package uses it too for requests that do not go through call (the
// token fetch).
func WithOperation(ctx context.Context, operationID string) context.Context {
	if operationID == "" {
		return ctx
	}
	return context.WithValue(ctx, callStateKey{}, &callState{operationID: operationID})
}

type callStateKey struct{}

// callState is what one call tells the layers below the retry loop (the
// token manager, the log layer), which see only the request.
type callState struct {
	operationID string       // the spec operation, "" for Do and HTTPClient requests
	attempts    atomic.Int32 // attempts started so far
}

func stateFrom(ctx context.Context) *callState {
	st, _ := ctx.Value(callStateKey{}).(*callState)
	return st
}

type reauthKey struct{}

// isReauth reports whether a request is the replay after a 401.
func isReauth(ctx context.Context) bool { return ctx.Value(reauthKey{}) != nil }

type noBearerKey struct{}

// withoutBearer marks a call that must not carry a bearer token: the token
// endpoint itself. The subscription key is still sent.
func withoutBearer(ctx context.Context) context.Context {
	return context.WithValue(ctx, noBearerKey{}, true)
}

func isWithoutBearer(ctx context.Context) bool { return ctx.Value(noBearerKey{}) != nil }
