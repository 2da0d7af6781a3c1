package redact

import (
	"bytes"
	"io"
	"sync"
)

// minWindow is the least a Writer buffers before it redacts and writes a
// line-less stretch of output.
const minWindow = 1 << 20

// A Writer redacts everything written to it before passing it on. It holds
// back what could be the start of a secret: it writes whole lines as they
// complete, at \n or \r (when no secret contains one, no match can cross
// it),
// and of a long line all but an overlap larger than any encoded secret.
// Call Flush when done. The buffer is bounded by twice the window,
// max(1 MiB, 2 × overlap), where the overlap is 20 times the longest
// secret.
//
// It is safe for concurrent use.
type Writer struct {
	w   io.Writer
	src func() *Redactor

	mu  sync.Mutex
	buf []byte
}

// NewWriter returns a Writer to w redacting with the Redactor src returns
// at each write (nil src, or a nil Redactor, removes bearer credentials
// only). src lets the secrets change, e.g. as access tokens are renewed.
func NewWriter(w io.Writer, src func() *Redactor) *Writer {
	return &Writer{w: w, src: src}
}

func (w *Writer) redactor() *Redactor {
	if w.src == nil {
		return nil
	}
	return w.src()
}

// Write buffers p and writes out what can no longer be part of a secret.
// It reports len(p) unless the underlying writer fails.
func (w *Writer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	r := w.redactor()
	// A large p goes in window-sized pieces, so the buffer stays bounded.
	step := r.window()
	for done := 0; done < len(p); {
		k := min(len(p)-done, step)
		if err := w.write(r, p[done:done+k]); err != nil {
			return done, err
		}
		done += k
	}
	return len(p), nil
}

func (w *Writer) write(r *Redactor, p []byte) error {
	w.buf = append(w.buf, p...)
	cut := 0
	if r == nil || !r.newline {
		// A line end (or a carriage return, which progress output uses)
		// is in no secret, so no match crosses it. What was held back
		// before p has none (it was cut at the last), so only p is searched:
		// a Write costs O(len(p)) until a cut.
		if i := max(bytes.LastIndexByte(p, '\n'), bytes.LastIndexByte(p, '\r')); i >= 0 {
			cut = len(w.buf) - len(p) + i + 1
		}
	}
	if len(w.buf) > r.window() {
		cut = max(cut, len(w.buf)-r.overlap())
	}
	if cut == 0 {
		return nil
	}
	return w.emit(r, cut)
}

// window is how much a Writer buffers at most before it writes a line-less
// stretch: it is also the size of the pieces a large Write is split into.
func (r *Redactor) window() int { return max(minWindow, 2*r.overlap()) }

// Flush redacts and writes everything buffered.
func (w *Writer) Flush() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.buf) == 0 {
		return nil
	}
	return w.emit(w.redactor(), len(w.buf))
}

// emit redacts the buffer and writes its first cut bytes (fewer if a
// secret crosses the cut: then up to where it starts).
func (w *Writer) emit(r *Redactor, cut int) (err error) {
	var out []byte
	func() {
		defer func() {
			if recover() != nil {
				// Fail closed: nothing of the buffer goes out.
				out, cut = []byte(Placeholder), len(w.buf)
			}
		}()
		if r != nil && r.closed {
			panic("redactor failed to build") // fail closed, below
		}
		diff := r.cover(w.buf)
		if diff == nil {
			out = w.buf[:cut]
			return
		}
		if cut < len(w.buf) {
			// Move the cut back to the start of a redacted run that crosses it.
			depth, runStart := int32(0), -1
			for i := 0; i <= cut; i++ {
				if depth == 0 {
					runStart = i
				}
				depth += diff[i]
			}
			if depth > 0 && runStart < cut {
				cut = runStart
			}
		}
		out = apply(w.buf, diff, cut)
	}()
	if len(out) > 0 {
		_, err = w.w.Write(out)
	}
	n := copy(w.buf, w.buf[cut:])
	w.buf = w.buf[:n]
	return err
}
