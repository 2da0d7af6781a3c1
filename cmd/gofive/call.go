package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"

	"github.com/gofive-go/gofive/api"
	"github.com/gofive-go/gofive/api/redact"
	"github.com/gofive-go/gofive/spec"
)

const callUsage = `usage: gofive call OPERATION [name=value ...] [--body FILE|-] [--raw] [--all]

Calls one operation of the spec (gofive ops lists them) and prints the response's
data as indented JSON.

Arguments name=value fill the operation's path and query parameters, or else top-level
fields of the JSON body. Values are converted to the type the spec gives the field:
integer, number, boolean, string; arrays and objects are JSON (arrays of numbers or
strings may also be comma-separated: status=1,0). name:=JSON takes the value as JSON
(note:=null); body.name=value sets the body field even where a parameter has that name.
--body reads a whole JSON body from FILE (- for stdin); name=value fields are added to it.

The request is checked against the spec before anything is sent, and sent through the
SDK's client: token, subscription key, retries.

  gofive call getCustomerByCode customerCode=C000001
  gofive call addCustomerEvent customerCode=C000001 eventName=Visit eventType=1 eventDate=2026-06-05T10:00:00
  gofive call quotationEnquiry take=20 --all
  gofive call updateProductStock --body stock.json

gofive call OPERATION -h describes the operation's parameters and body.
`

// callFlags are gofive call's own flags.
type callFlags struct {
	conn     connFlags
	bodyFile string
	raw      bool
	all      bool
	pageSize int
	maxPages int
}

// runCall is `gofive call`.
func runCall(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	var opName string
	idx, idxErr := loadIndex()
	fs := newFlagSet("gofive call", stderr, nil)
	fs.Usage = func() {
		if idxErr == nil && opName != "" {
			if o := idx.byID[opName]; o != nil {
				describeOperation(fs.Output(), o)
				fmt.Fprintln(fs.Output(), "\nFlags: see gofive call -h.")
				return
			}
		}
		fmt.Fprint(fs.Output(), callUsage)
		fmt.Fprintln(fs.Output(), "\nFlags:")
		fs.PrintDefaults()
	}
	var f callFlags
	f.conn.register(fs)
	fs.StringVar(&f.bodyFile, "body", "", "read the JSON body from `FILE` (- for stdin)")
	fs.BoolVar(&f.raw, "raw", false, "print the whole response body (the envelope), not just its data")
	fs.BoolVar(&f.all, "all", false, "page through an enquiry operation and print all items as one JSON array")
	fs.IntVar(&f.pageSize, "page-size", 0, "page size for --all (default: the size field's value if given, else 50)")
	fs.IntVar(&f.maxPages, "max-pages", 1000, "stop --all after this many pages (and after a page that repeats an earlier one)")
	pos, err := parseArgs(fs, args, func(a string) {
		if opName == "" {
			opName = a
		}
	})
	if err != nil {
		return flagExit(err)
	}
	if idxErr != nil {
		fmt.Fprintf(stderr, "gofive call: %v\n", idxErr)
		return exitAPI
	}
	if len(pos) == 0 {
		fmt.Fprint(stderr, "gofive call: missing the operation\n\n"+callUsage)
		return exitUsage
	}
	o, err := idx.lookup(pos[0])
	if err == nil && o.ID == tokenOperationID {
		err = usagef("%s is the token endpoint: use `gofive token` (--show-token prints the token)", o.ID)
	}
	if err != nil {
		fmt.Fprintf(stderr, "gofive call: %v\n", err)
		return exitUsage
	}
	err = callOperation(ctx, o, pos[1:], &f, stdin, stdout, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "gofive call: %s\n", describe(o.ID, err))
	}
	return exitCode(err)
}

func callOperation(ctx context.Context, o *operation, pairs []string, f *callFlags, stdin io.Reader, stdout, stderr io.Writer) error {
	var (
		body    any
		hasBody bool
	)
	if f.bodyFile != "" {
		mt, _ := o.jsonBody()
		if mt == nil {
			return usagef("--body: %s takes no JSON body", o.ID)
		}
		data, err := readBodyFile(f.bodyFile, stdin)
		if err != nil {
			return usagef("--body: %v", err)
		}
		if body, err = decodeBody(data); err != nil {
			return usagef("--body %s: malformed JSON: %v", f.bodyFile, err)
		}
		hasBody = true
	}
	req, err := buildRequest(o, pairs, body, hasBody)
	if err != nil {
		return err
	}
	if f.all {
		switch {
		case o.Paging == nil:
			idx, _ := loadIndex()
			return usagef("--all: %s does not page (those that do: %s)", o.ID, strings.Join(idx.pagingOps(), ", "))
		case f.raw:
			return usagef("--all prints the items of every page; it cannot be combined with --raw")
		}
	}
	_, secret, key, _ := f.conn.settings()
	v, err := spec.NewValidator(spec.SkipSecurityCheck(), spec.Collect(), spec.WithRedactor(redact.New(secret, key)))
	if err != nil {
		return err
	}
	c := &caller{req: req, validator: v}
	// Check the request (the first page's, for --all) before starting anything.
	if f.all {
		if err := c.setPage(f.pageSize, -1); err != nil {
			return err
		}
	}
	if _, err := c.check(ctx); err != nil {
		return err
	}

	s, err := f.conn.open(ctx, "call", stderr)
	if err != nil {
		return err
	}
	defer s.Close()
	c.session = s
	if o.ReadOnly || o.Paging != nil {
		// Enquiries are POSTs that only read: safe to retry.
		ctx = api.ContextWithRetry(ctx)
	}
	if f.all {
		return c.all(ctx, f, stdout, stderr)
	}
	resp, respBody, err := c.send(ctx)
	if err != nil {
		return err
	}
	if f.raw {
		writeJSON(stdout, respBody)
		_, err := unwrap(s.client, resp, respBody)
		return err
	}
	data, err := unwrap(s.client, resp, respBody)
	if err != nil {
		return err
	}
	writeJSON(stdout, data)
	return nil
}

// readBodyFile reads --body: FILE, or stdin for "-", at most maxBodyBytes of either (a
// larger one is an error, not a body cut short into malformed JSON).
func readBodyFile(name string, stdin io.Reader) ([]byte, error) {
	r := stdin
	if name == "-" {
		if stdin == nil {
			return nil, errors.New("no standard input")
		}
	} else {
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	}
	return readAtMost(r, maxBodyBytes, name)
}

// readAtMost reads r to its end, failing once it has more than limit bytes.
func readAtMost(r io.Reader, limit int64, what string) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%s is larger than %d bytes", what, limit)
	}
	return b, nil
}

// A caller sends one operation's request, page after page for --all.
type caller struct {
	req       *request
	validator *spec.Validator
	session   *session
}

// encoded returns the request's body bytes, or nil for no body.
func (c *caller) encoded() ([]byte, error) {
	if !c.req.hasBody {
		return nil, nil
	}
	return encodeBody(c.req.body)
}

// check validates the request against the spec; nothing is sent.
func (c *caller) check(ctx context.Context) ([]byte, error) {
	body, err := c.encoded()
	if err != nil {
		return nil, err
	}
	// The validator routes on the path alone; the host does not matter.
	hr, err := http.NewRequestWithContext(ctx, c.req.op.Method, "http://validation.invalid"+c.req.urlPath(), bytes.NewReader(body))
	if err != nil {
		return nil, usagef("%v", err)
	}
	if body != nil {
		hr.Header.Set("Content-Type", "application/json")
	}
	rt, err := c.validator.ValidateRequest(ctx, hr, body)
	var problems spec.ValidationErrors
	if errors.As(err, &problems) {
		return nil, validationError(problems)
	}
	if err != nil {
		return nil, err
	}
	if rt != nil && rt.OperationID != c.req.op.ID {
		return nil, usagef("with these path parameters the path %s is operation %s, not %s", c.req.urlPath(), rt.OperationID, c.req.op.ID)
	}
	return body, nil
}

func validationError(problems spec.ValidationErrors) error {
	var b strings.Builder
	fmt.Fprintf(&b, "the request does not match the spec (nothing was sent):")
	for _, p := range problems {
		b.WriteString("\n  ")
		if p.Field != "" {
			b.WriteString(p.Field + ": ")
		}
		b.WriteString("expected " + p.Expected + ", got " + p.Got)
	}
	return usageError{b.String()}
}

// Bounds on what the CLI reads (variables so that tests can lower them).
var (
	maxBodyBytes     int64 = 64 << 20 // a --body, from a file or stdin
	maxResponseBytes int64 = 64 << 20 // a response
)

// send validates and sends the request and reads the response.
func (c *caller) send(ctx context.Context) (*http.Response, []byte, error) {
	body, err := c.check(ctx)
	if err != nil {
		return nil, nil, err
	}
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	u := strings.TrimSuffix(c.session.baseURL, "/") + c.req.urlPath()
	// Tagged with its operation, the request is retried as the spec's x-gofive-idempotent says.
	hr, err := http.NewRequestWithContext(api.WithOperation(ctx, c.req.op.ID), c.req.op.Method, u, rd)
	if err != nil {
		return nil, nil, err
	}
	hr.Header.Set("Accept", "application/json")
	if body != nil {
		hr.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.session.client.HTTPClient().Do(hr)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	respBody, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes+1))
	if err != nil {
		return nil, nil, fmt.Errorf("reading the response: %w", err)
	}
	if int64(len(respBody)) > maxResponseBytes {
		return nil, nil, fmt.Errorf("%w: response larger than %d bytes", api.ErrResponseTooLarge, maxResponseBytes)
	}
	return resp, respBody, nil
}

// unwrap checks the response the way the SDK does (HTTP status, then the envelope's
// business code) and returns what to print: the envelope's data, or the whole body for
// the documented variants that have no data member.
// The client's redactor removes its credentials from the error (api.DecodeResponse,
// without a client, knows none).
func unwrap(c *api.Client, resp *http.Response, body []byte) (json.RawMessage, error) {
	trimmed := bytes.TrimSpace(body)
	if resp.StatusCode >= 200 && resp.StatusCode < 300 && len(trimmed) == 0 {
		return nil, nil
	}
	if _, err := api.DecodeResponseWith[json.RawMessage](c, resp, body); err != nil {
		return nil, err
	}
	var top map[string]json.RawMessage
	if json.Unmarshal(trimmed, &top) == nil {
		if data, ok := top["data"]; ok {
			return data, nil
		}
	}
	return trimmed, nil
}

// writeJSON prints a JSON value indented by two spaces (anything else as it is).
func writeJSON(w io.Writer, data []byte) {
	data = bytes.TrimSpace(data)
	if len(data) == 0 {
		return
	}
	var buf bytes.Buffer
	if err := json.Indent(&buf, data, "", "  "); err != nil {
		buf.Reset()
		buf.Write(data)
	}
	buf.WriteByte('\n')
	_, _ = w.Write(buf.Bytes())
}
