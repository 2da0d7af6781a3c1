package api

import (
	"context"
	"log/slog"
	"net/http"
	"time"
)

// logTransport writes one record per HTTP attempt. It sits under the auth
// layer, so it sees credentials in headers; it logs no header but the
// response's request id, and the URL path without the query.
type logTransport struct {
	base   http.RoundTripper
	logger *slog.Logger
	redact *redactor // every attribute value passes through it
}

func (t *logTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	start := time.Now()
	resp, err := t.base.RoundTrip(req)
	ctx := req.Context()
	attrs := make([]slog.Attr, 0, 9)
	attrs = append(attrs,
		slog.String("method", req.Method),
		slog.String("path", req.URL.Path),
		slog.String("operation", OperationID(ctx)),
		slog.Int("attempt", attemptOf(ctx)),
		slog.Duration("duration", time.Since(start)),
	)
	if isReauth(ctx) {
		attrs = append(attrs, slog.Bool("reauth", true))
	}
	// Each attempt at DEBUG; a failed attempt, a retry and a replay after a 401 at WARN, so
	// that a WARN logger shows only the calls that did not go smoothly.
	level := slog.LevelDebug
	if attemptOf(ctx) > 1 || isReauth(ctx) {
		level = slog.LevelWarn
	}
	if err != nil {
		level = slog.LevelWarn
		attrs = append(attrs, slog.String("error", err.Error()))
	} else {
		attrs = append(attrs, slog.Int("status", resp.StatusCode))
		if id := requestID(resp.Header); id != "" {
			attrs = append(attrs, slog.String("request_id", id))
		}
		if resp.StatusCode >= 400 {
			level = slog.LevelWarn
		}
	}
	t.logger.LogAttrs(ctx, level, "gofive: http attempt", redactAttrs(t.redact.current(), attrs)...)
	return resp, err
}

// attemptOf is the 1-based attempt number; token requests count as 1.
func attemptOf(ctx context.Context) int {
	if st := stateFrom(ctx); st != nil {
		if n := int(st.attempts.Load()); n > 0 {
			return n
		}
	}
	return 1
}
