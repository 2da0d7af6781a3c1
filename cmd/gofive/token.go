package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/gofive-go/gofive/api"
	"github.com/gofive-go/gofive/gen"
)

const tokenUsage = `usage: gofive token [--show-token] [credentials flags]

Fetches an access token from the token endpoint (POST /authorization/connect/token,
OAuth2 client credentials) and prints its type and expiry. The token itself is printed
only with --show-token: then it is the only thing on stdout (the expiry goes to
stderr), so that TOKEN=$(gofive token --show-token) works.
`

// runToken is `gofive token`.
func runToken(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("gofive token", stderr, func(w io.Writer) { fmt.Fprint(w, tokenUsage) })
	var conn connFlags
	conn.register(fs)
	show := fs.Bool("show-token", false, "print the access token itself on stdout (it grants access to the account: keep it out of logs)")
	pos, err := parseArgs(fs, args, nil)
	if err != nil {
		return flagExit(err)
	}
	if len(pos) > 0 {
		fmt.Fprintf(stderr, "gofive token: unexpected argument %q\n", pos[0])
		return exitUsage
	}
	s, err := conn.open(ctx, "token", stderr)
	if err != nil {
		fmt.Fprintf(stderr, "gofive token: %v\n", err)
		return exitCode(err)
	}
	defer s.Close()
	tok, err := fetchToken(ctx, s)
	if err != nil {
		fmt.Fprintf(stderr, "gofive token: %s\n", describe("getAccessToken", err))
		return exitCode(err)
	}
	line := tokenSummary(tok)
	if *show {
		fmt.Fprintln(stderr, line)
		fmt.Fprintln(stdout, tok.AccessToken)
		return exitOK
	}
	fmt.Fprintln(stdout, line)
	return exitOK
}

// fetchToken asks the token endpoint for a token with the session's credentials, through
// the SDK's generated method (the client's own token cache is not exposed).
func fetchToken(ctx context.Context, s *session) (*gen.TokenResponse, error) {
	tok, err := s.client.Auth.GetAccessToken(ctx, gen.TokenRequest{
		ClientID:     s.clientID,
		ClientSecret: s.clientSecret,
		GrantType:    "client_credentials",
	})
	var ae *api.APIError
	if errors.As(err, &ae) {
		// Whatever the status, the token endpoint refused: an authentication failure.
		return nil, &api.TokenError{APIError: ae}
	}
	return tok, err
}

// tokenSummary describes a token without showing it.
func tokenSummary(tok *gen.TokenResponse) string {
	typ := tok.TokenType
	if typ == "" {
		typ = "bearer"
	}
	life := time.Duration(tok.ExpiresIn) * time.Second
	at := now().Add(life).In(displayZone).Format("2006-01-02 15:04:05 MST")
	s := fmt.Sprintf("%s token, expires in %s (at %s)", typ, life, at)
	if tok.Scope != "" {
		s += ", scope " + tok.Scope
	}
	return s
}
