package memnet

import (
	"errors"
	"io"
	"net"
	"net/http"
	"testing"
	"testing/synctest"
	"time"
)

// TestServeInABubble: a server on the in-memory network lets the bubble's clock advance while
// the client waits for it (on a loopback socket the bubble would never go idle).
func TestServeInABubble(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		url, tr := Serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			time.Sleep(time.Hour)
			io.WriteString(w, "late")
		}))
		start := time.Now()
		res, err := (&http.Client{Transport: tr}).Get(url + "/x")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if string(body) != "late" || time.Since(start) != time.Hour {
			t.Errorf("got %q after %v, want \"late\" after 1h", body, time.Since(start))
		}
	})
}

func TestClosedListener(t *testing.T) {
	l := Listen()
	l.Close()
	l.Close() // twice is fine
	if _, err := l.Accept(); !errors.Is(err, net.ErrClosed) {
		t.Errorf("Accept after Close: %v", err)
	}
	if _, err := l.DialContext(t.Context(), "tcp", "x:80"); err == nil {
		t.Error("dial after Close succeeded")
	}
	if got := l.Addr().String(); got != Host+":80" {
		t.Errorf("Addr = %s", got)
	}
}
