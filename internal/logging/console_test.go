//go:build !windows && !plan9

package logging

import (
	"strings"
	"sync"
	"testing"
	"time"
)

// TestConsoleQueueNeverWaits: while the console write is stuck, put keeps
// returning; lines beyond the queue are lost and counted, and the next
// line written says how many.
func TestConsoleQueueNeverWaits(t *testing.T) {
	release := make(chan struct{})
	var mu sync.Mutex
	var got []string
	first := make(chan struct{})
	written := make(chan struct{}, 100)
	q := newConsoleQueue("cons", "K[1]: ", 2, func(path string, b []byte) {
		if path != "cons" {
			t.Errorf("path %q", path)
		}
		mu.Lock()
		got = append(got, string(b))
		n := len(got)
		mu.Unlock()
		written <- struct{}{}
		if n == 1 {
			close(first)
			<-release // a console that takes long over this line
		}
	})
	q.put([]byte("a\r\n"))
	<-first
	// The writer holds "a"; two lines fit the queue, three are lost.
	for _, l := range []string{"b", "c", "d", "e", "f"} {
		q.put([]byte(l + "\r\n"))
	}
	close(release)
	for range 3 { // a, b, c written: the queue is empty again
		<-written
	}
	q.put([]byte("g\r\n"))
	q.close(10 * time.Second)
	q.put([]byte("after close\r\n")) // ignored, no panic
	mu.Lock()
	defer mu.Unlock()
	want := "a\r\n|b\r\n|c\r\n|K[1]: 3 log lines lost: the console is too slow\r\n|g\r\n"
	if s := strings.Join(got, "|"); s != want {
		t.Errorf("console got %q, want %q", s, want)
	}
}
