package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"syscall"

	"github.com/gofive-go/gofive/api"
)

// usageError is a mistake on the command line or in the request: exit 2, nothing sent.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

// exitCode maps an error to the documented exit code.
func exitCode(err error) int {
	if err == nil {
		return exitOK
	}
	var ue usageError
	if errors.As(err, &ue) {
		return exitUsage
	}
	// The token endpoint answered with an error: an authentication failure, whatever
	// the status. Checked before the network errors because *url.Error, which wraps
	// every failed http.Client call, is itself a net.Error.
	var te *api.TokenError
	if errors.As(err, &te) && te.APIError != nil {
		return exitAuth
	}
	if isNetworkError(err) {
		return exitNetwork
	}
	if te != nil {
		return exitAuth
	}
	var ae *api.APIError
	if errors.As(err, &ae) && (ae.HTTPStatus == http.StatusUnauthorized || ae.HTTPStatus == http.StatusForbidden) {
		return exitAuth
	}
	return exitAPI
}

// isNetworkError reports a failure to get any answer: refused or reset connections,
// timeouts, DNS failures.
func isNetworkError(err error) bool {
	var (
		opErr  *net.OpError
		dnsErr *net.DNSError
		urlErr *url.Error
	)
	switch {
	case errors.As(err, &dnsErr), errors.As(err, &opErr):
		return true
	case errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET),
		errors.Is(err, context.DeadlineExceeded), errors.Is(err, os.ErrDeadlineExceeded),
		errors.Is(err, io.ErrUnexpectedEOF):
		return true
	case errors.As(err, &urlErr) && urlErr.Timeout():
		return true
	}
	return false
}

// describe renders an error for stderr: one line naming what failed and, for an API error,
// the HTTP status and the business code.
func describe(operationID string, err error) string {
	var (
		ae     *api.APIError
		te     *api.TokenError
		urlErr *url.Error
	)
	var pe *pageError
	if errors.As(err, &pe) {
		operationID = fmt.Sprintf("%s page %d (offset %d)", operationID, pe.page, pe.offset)
		err = pe.err
	}
	if errors.As(err, &urlErr) {
		err = urlErr.Err // its text repeats the whole URL
	}
	msg := strings.ReplaceAll(err.Error(), "gofive: ", "")
	switch {
	case errors.As(err, &te) && te.APIError != nil:
		return operationID + ": token request failed: " + apiErrorText(te.APIError)
	case isNetworkError(err):
		return operationID + ": no answer from the API: " + msg
	case te != nil:
		return operationID + ": token request failed: " + strings.ReplaceAll(te.Err.Error(), "gofive: ", "")
	case errors.As(err, &ae):
		return operationID + " failed: " + apiErrorText(ae)
	}
	return operationID + ": " + msg
}

func apiErrorText(e *api.APIError) string {
	var b strings.Builder
	fmt.Fprintf(&b, "HTTP %d", e.HTTPStatus)
	if t := http.StatusText(e.HTTPStatus); t != "" {
		b.WriteString(" " + t)
	}
	if e.Code != "" {
		if _, err := strconv.Atoi(e.Code); err == nil {
			b.WriteString(", business code " + e.Code)
		} else {
			b.WriteString(", error " + e.Code) // an OAuth error such as invalid_client
		}
	}
	if e.Description != "" {
		b.WriteString(": " + e.Description)
	}
	if len(e.Errors) > 0 && !(len(e.Errors) == 1 && e.Errors[0] == e.Description) {
		b.WriteString(" [" + strings.Join(e.Errors, "; ") + "]")
	}
	if e.RequestID != "" {
		b.WriteString(" (request id " + e.RequestID + ")")
	}
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " after %d attempts", e.Attempts)
	}
	return b.String()
}
