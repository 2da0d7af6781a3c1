package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
)

// DefaultPageSize is the page size the XxxAll iterators ask for when given pageSize <= 0.
// The docs name no maximum; 50 is what public client code uses for Employees Enquiry.
const DefaultPageSize = 50

// pages drives an offset/limit enquiry: it fetches size items at offset, yields them, and
// moves on until a page comes back shorter than size (the docs document no total count and
// no cursor, CONVENTIONS §6). An error is yielded once and ends the sequence.
func pages[T any](ctx context.Context, start, size int, fetch func(ctx context.Context, offset, size int) ([]T, error)) iter.Seq2[T, error] {
	if size <= 0 {
		size = DefaultPageSize
	}
	return func(yield func(T, error) bool) {
		var zero T
		for offset := start; ; {
			if err := ctx.Err(); err != nil {
				yield(zero, err)
				return
			}
			items, err := fetch(ctx, offset, size)
			if err != nil {
				yield(zero, fmt.Errorf("page at offset %d: %w", offset, err))
				return
			}
			for _, it := range items {
				if !yield(it, nil) {
					return
				}
			}
			if len(items) < size {
				return
			}
			offset += len(items)
		}
	}
}

// errUnknownListShape is returned by the iterators of enquiry operations whose response body
// was not recovered from the docs, when the data is neither of the list shapes this API uses
// elsewhere. Unexported: callers have nothing to do with it but report it, and a sentinel
// would be a promise to keep before v1.
var errUnknownListShape = errors.New("gofive: response data is not a list in any documented shape")

// listItems finds the items in the data of an enquiry whose response was not recovered. It
// accepts the two list shapes the API documents for other operations: a JSON array
// (`data: [...]`) and the ASP.NET ObjectResult form (`data: {"value": [...]}`). null or an
// absent data is an empty page.
func listItems(data json.RawMessage) ([]json.RawMessage, error) {
	data = bytes.TrimSpace(data)
	if len(data) == 0 || bytes.Equal(data, []byte("null")) {
		return nil, nil
	}
	var items []json.RawMessage
	switch data[0] {
	case '[':
		if err := json.Unmarshal(data, &items); err != nil {
			return nil, fmt.Errorf("%w: %v", errUnknownListShape, err)
		}
		return items, nil
	case '{':
		var wrapped struct {
			Value *[]json.RawMessage `json:"value"`
		}
		if err := json.Unmarshal(data, &wrapped); err == nil && wrapped.Value != nil {
			return *wrapped.Value, nil
		}
	}
	return nil, errUnknownListShape
}
