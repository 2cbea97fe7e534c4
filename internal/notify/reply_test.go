package notify

import (
	"bytes"
	"testing"
)

func TestParseReply(t *testing.T) {
	for _, c := range []struct {
		in       string
		code, n  int
		complete bool
	}{
		{"220 ready\r\n", 220, 11, true},
		{"220 ready\r\n250 ok\r\n", 220, 11, true},
		{"220-hello\r\n220-there\r\n220 ready\r\n", 220, 33, true},
		{"220-hello\r\n220 re", 0, 0, false},
		{"220 ready\n", 0, 0, false}, // keepalived wants CRLF
		{"250\r\n", 250, 5, true},
		{"25\r\n", 0, 4, true},
		{"2x0 odd\r\n", 0, 9, true},
		{"", 0, 0, false},
	} {
		code, n, ok := parseReply([]byte(c.in))
		if code != c.code || n != c.n || ok != c.complete {
			t.Errorf("%q: %d %d %v, want %d %d %v", c.in, code, n, ok, c.code, c.n, c.complete)
		}
	}
}

// FuzzParseReply: whatever a server sends, a complete reply is a prefix
// ending with CRLF, its code is 0..999, and parsing that prefix alone
// gives the same reply.
func FuzzParseReply(f *testing.F) {
	for _, s := range []string{"220 ready\r\n", "250-a\r\n250 b\r\n", "354\r\n", "\r\n", "-\r\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		code, n, ok := parseReply(b)
		if !ok {
			if code != 0 || n != 0 {
				t.Fatalf("incomplete with code %d n %d", code, n)
			}
			return
		}
		if n < 2 || n > len(b) || !bytes.HasSuffix(b[:n], []byte("\r\n")) {
			t.Fatalf("reply of %d bytes in %q", n, b)
		}
		if code < 0 || code > 999 {
			t.Fatalf("code %d", code)
		}
		if c2, n2, ok2 := parseReply(b[:n]); c2 != code || n2 != n || !ok2 {
			t.Fatalf("prefix parses as %d %d %v, whole as %d %d", c2, n2, ok2, code, n)
		}
	})
}
