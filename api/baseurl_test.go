package api

import (
	"strings"
	"testing"
)

// TestURLErrorsDoNotEchoUserinfo: whatever the shape of a URL with user info, the option's
// error quotes no part of the user name or password (url.Parse's errors and a misread
// scheme did: `got "alice"`, `invalid URL escape "%zz"`, `invalid port ":hun"`).
func TestURLErrorsDoNotEchoUserinfo(t *testing.T) {
	for _, u := range []string{
		"https://alice:hunter2@example.invalid",
		"alice:hunter2@example.invalid",
		"https://alice:hunter2%zz@example.invalid",
		"https://alice:hun/ter2@example.invalid",
		"https://alice:hunter2@exa mple.invalid",
	} {
		for name, opt := range map[string]Option{"WithBaseURL": WithBaseURL(u), "WithTokenURL": WithTokenURL(u)} {
			_, err := New(WithCredentials("id", "secret"), WithSubscriptionKey("key"), opt)
			if err == nil {
				t.Errorf("%s(%q): no error", name, u)
				continue
			}
			for _, part := range []string{"alice", "hunter2", "hun", "ter2", "%zz"} {
				if strings.Contains(err.Error(), part) {
					t.Errorf("%s(%q): error %q shows %q", name, u, err, part)
				}
			}
		}
	}
}
