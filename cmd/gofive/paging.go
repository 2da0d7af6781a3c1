package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/gofive-go/gofive/api"

	"github.com/gofive-go/gofive/spec/xgofive"
)

// setPage sets the paging fields of the body (x-gofive-paging): size items from offset.
// size <= 0 keeps the size given in the body (or api.DefaultPageSize); offset < 0 keeps
// the offset given (or 0). It returns nothing but records both in the body.
func (c *caller) setPage(size, offset int) error {
	pg := c.req.op.Paging
	if !c.req.hasBody || c.req.body == nil {
		c.req.body, c.req.hasBody = map[string]any{}, true
	}
	m, ok := c.req.body.(map[string]any)
	if !ok {
		return usagef("--all: the body is not a JSON object")
	}
	if size <= 0 {
		size = intField(m[pg.Size])
		if size <= 0 {
			size = api.DefaultPageSize
		}
	}
	if offset < 0 {
		offset = max(intField(m[pg.Offset]), 0)
	}
	m[pg.Size] = json.Number(strconv.Itoa(size))
	m[pg.Offset] = json.Number(strconv.Itoa(offset))
	return nil
}

// page returns the size and offset currently in the body.
func (c *caller) page() (size, offset int) {
	m := c.req.body.(map[string]any)
	return intField(m[c.req.op.Paging.Size]), intField(m[c.req.op.Paging.Offset])
}

func intField(v any) int {
	switch n := v.(type) {
	case json.Number:
		i, err := n.Int64()
		if err == nil {
			return int(i)
		}
	case float64:
		return int(n)
	}
	return 0
}

// all pages through the operation with api.Pages, the SDK's own paging (the same bounds:
// a page repeating an earlier one ends with api.ErrPagingStalled; --max-pages full pages
// stop with a note that there may be more), and prints every item as one JSON array.
func (c *caller) all(ctx context.Context, f *callFlags, stdout, stderr io.Writer) error {
	progress := isTerminal(stderr)
	var items []json.RawMessage
	size, start := c.page()
	n := 0
	fetch := func(ctx context.Context, offset, size int) ([]json.RawMessage, error) {
		n++
		if err := c.setPage(size, offset); err != nil {
			return nil, err
		}
		resp, body, err := c.send(ctx)
		if err != nil {
			return nil, &pageError{n, offset, err}
		}
		if _, err := unwrap(c.session.client, resp, body); err != nil {
			return nil, &pageError{n, offset, err}
		}
		got, err := pageItems(c.req.op.Paging, body)
		if err != nil {
			return nil, &pageError{n, offset, err}
		}
		return got, nil
	}
	var err error
	for it, e := range api.Pages(ctx, api.PageOptions{Start: start, Size: size, MaxPages: f.maxPages}, fetch) {
		if e != nil {
			err = e
			break
		}
		items = append(items, it)
		if progress {
			fmt.Fprintf(stderr, "\rgofive call: %s: page %d, %d items", c.req.op.ID, n, len(items))
		}
	}
	if progress {
		fmt.Fprintln(stderr)
	}
	switch {
	case errors.Is(err, api.ErrTooManyPages):
		fmt.Fprintf(stderr, "gofive call: stopped after %d pages (--max-pages); there may be more\n", n)
	case err != nil:
		return err
	}
	var buf bytes.Buffer
	buf.WriteByte('[')
	for i, it := range items {
		if i > 0 {
			buf.WriteByte(',')
		}
		buf.Write(it)
	}
	buf.WriteByte(']')
	writeJSON(stdout, buf.Bytes())
	return nil
}

// pageItems finds the items of one page: at the spec's items pointer, or else in data when
// it is an array, or in data.value (the two list shapes the API documents elsewhere).
func pageItems(pg *xgofive.Paging, body []byte) ([]json.RawMessage, error) {
	var at json.RawMessage
	if pg.Items != "" {
		v, err := jsonPointer(body, pg.Items)
		if err != nil {
			return nil, fmt.Errorf("items at %s: %w", pg.Items, err)
		}
		at = v
	} else {
		var top struct {
			Data json.RawMessage `json:"data"`
		}
		if err := json.Unmarshal(body, &top); err != nil {
			return nil, fmt.Errorf("response is not a JSON object: %w", err)
		}
		at = bytes.TrimSpace(top.Data)
		if len(at) > 0 && at[0] == '{' {
			var wrapped struct {
				Value json.RawMessage `json:"value"`
			}
			if err := json.Unmarshal(at, &wrapped); err != nil || wrapped.Value == nil {
				return nil, errors.New("response data is an object without a value list")
			}
			at = wrapped.Value
		}
	}
	at = bytes.TrimSpace(at)
	if len(at) == 0 || bytes.Equal(at, []byte("null")) {
		return nil, nil
	}
	var items []json.RawMessage
	if err := json.Unmarshal(at, &items); err != nil {
		return nil, errors.New("response items are not a JSON array")
	}
	return items, nil
}

// jsonPointer resolves an RFC 6901 pointer ("/data/value") in a JSON document. A missing
// member is null.
func jsonPointer(doc []byte, ptr string) (json.RawMessage, error) {
	cur := json.RawMessage(doc)
	if ptr == "" {
		return cur, nil
	}
	if !strings.HasPrefix(ptr, "/") {
		return nil, fmt.Errorf("invalid JSON pointer %q", ptr)
	}
	for _, tok := range strings.Split(ptr[1:], "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		t := bytes.TrimSpace(cur)
		switch {
		case len(t) > 0 && t[0] == '{':
			var m map[string]json.RawMessage
			if err := json.Unmarshal(t, &m); err != nil {
				return nil, err
			}
			v, ok := m[tok]
			if !ok {
				return nil, nil
			}
			cur = v
		case len(t) > 0 && t[0] == '[':
			var a []json.RawMessage
			if err := json.Unmarshal(t, &a); err != nil {
				return nil, err
			}
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(a) {
				return nil, nil
			}
			cur = a[i]
		default:
			return nil, nil
		}
	}
	return cur, nil
}

// isTerminal reports whether w is a terminal (a character device), for progress output.
func isTerminal(w io.Writer) bool {
	if g, ok := w.(*guardedWriter); ok {
		w = g.dest // the redacting writer of output.go
	}
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// pageError is the failure of one page of --all.
type pageError struct {
	page, offset int
	err          error
}

func (e *pageError) Error() string {
	return fmt.Sprintf("page %d (offset %d): %v", e.page, e.offset, e.err)
}

func (e *pageError) Unwrap() error { return e.err }
