package api

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/maphash"
	"iter"
	"math"
)

// DefaultPageSize is the page size the XxxAll iterators ask for when given pageSize <= 0.
// The docs name no maximum; 50 is what public client code uses for Employees Enquiry.
const DefaultPageSize = 50

// DefaultMaxPages bounds the pages one XxxAll iterator fetches unless [WithMaxPages] says
// otherwise: 10,000 pages of DefaultPageSize is half a million items, far more than one
// enquiry should need, and a bound on a server that never sends a short page.
const DefaultMaxPages = 10000

// ErrPagingStalled ends an iterator whose server answered a page with the same items as an
// earlier page (typically a server that ignores the offset and sends the first page again),
// or whose offset cannot advance. Without it the iterator would loop until its context ends.
var ErrPagingStalled = errors.New("gofive: paging stalled: a page repeated an earlier one")

// ErrTooManyPages ends an iterator that fetched its maximum number of pages ([WithMaxPages],
// [PageOptions].MaxPages) and the last one was full: there may be more items.
var ErrTooManyPages = errors.New("gofive: paging stopped at the maximum number of pages")

// PageOptions configures [Pages].
type PageOptions struct {
	// Start is the offset of the first page (negative means 0).
	Start int
	// Size is the number of items asked for per page; <= 0 means [DefaultPageSize].
	Size int
	// MaxPages bounds the number of pages fetched; <= 0 means [DefaultMaxPages].
	MaxPages int
}

// Pages drives an offset/limit enquiry: it fetches Size items at an offset, yields them,
// and moves on until a page comes back shorter than Size (the docs document no total count
// and no cursor, CONVENTIONS §6). It is what the generated XxxAll iterators and the CLI's
// --all use; call it yourself for an operation you send by hand.
//
// The sequence ends with one error: fetch's (wrapped, naming the offset), the context's,
// [ErrPagingStalled] when a page repeats an earlier one, or [ErrTooManyPages] when MaxPages
// full pages were fetched. Items already yielded stay valid.
func Pages[T any](ctx context.Context, opts PageOptions, fetch func(ctx context.Context, offset, size int) ([]T, error)) iter.Seq2[T, error] {
	size, maxPages := opts.Size, opts.MaxPages
	if size <= 0 {
		size = DefaultPageSize
	}
	if maxPages <= 0 {
		maxPages = DefaultMaxPages
	}
	return func(yield func(T, error) bool) {
		var zero T
		// One 64-bit hash per page fetched, so at most MaxPages of them: enough to see a
		// server that repeats or cycles through pages without keeping the pages.
		seed := maphash.MakeSeed()
		seen := make(map[uint64]struct{})
		offset := max(opts.Start, 0)
		for n := 1; ; n++ {
			if err := ctx.Err(); err != nil {
				yield(zero, err)
				return
			}
			items, err := fetch(ctx, offset, size)
			if err != nil {
				yield(zero, fmt.Errorf("page at offset %d: %w", offset, err))
				return
			}
			if len(items) > 0 {
				sum, err := pageHash(seed, items)
				if err != nil {
					yield(zero, fmt.Errorf("page at offset %d: %w", offset, err))
					return
				}
				if _, dup := seen[sum]; dup {
					yield(zero, fmt.Errorf("%w: page %d at offset %d has the items of an earlier page (does the server ignore the offset?)", ErrPagingStalled, n, offset))
					return
				}
				seen[sum] = struct{}{}
			}
			for _, it := range items {
				if !yield(it, nil) {
					return
				}
			}
			if len(items) < size {
				return
			}
			if n >= maxPages {
				yield(zero, fmt.Errorf("%w (%d); there may be more items after offset %d", ErrTooManyPages, maxPages, offset+len(items)))
				return
			}
			if offset > math.MaxInt-len(items) {
				yield(zero, fmt.Errorf("%w: the offset cannot advance past %d", ErrPagingStalled, offset))
				return
			}
			offset += len(items)
		}
	}
}

// pages is [Pages] with the client's maximum number of pages; the generated iterators call it.
func pages[T any](ctx context.Context, c *Client, start, size int, fetch func(ctx context.Context, offset, size int) ([]T, error)) iter.Seq2[T, error] {
	return Pages(ctx, PageOptions{Start: start, Size: size, MaxPages: c.maxPages}, fetch)
}

// pageHash fingerprints a page by its JSON encoding (raw JSON items as they are), so that
// pages are compared by content whatever their Go type.
func pageHash[T any](seed maphash.Seed, items []T) (uint64, error) {
	var h maphash.Hash
	h.SetSeed(seed)
	for _, it := range items {
		var b []byte
		switch v := any(it).(type) {
		case json.RawMessage:
			b = v
		default:
			var err error
			if b, err = json.Marshal(it); err != nil {
				return 0, err
			}
		}
		// Length-prefixed, so that item boundaries count.
		var n [8]byte
		binary.LittleEndian.PutUint64(n[:], uint64(len(b)))
		h.Write(n[:])
		h.Write(b)
	}
	return h.Sum64(), nil
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
