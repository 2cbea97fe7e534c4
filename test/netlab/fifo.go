package netlab

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Lines collects text lines as a reader gets them, with the time each was
// read.
type Lines struct {
	mu    sync.Mutex
	cond  *sync.Cond
	lines []Line
	done  bool
}

func newLines() *Lines {
	ls := &Lines{}
	ls.cond = sync.NewCond(&ls.mu)
	return ls
}

func (ls *Lines) add(text string) {
	ls.mu.Lock()
	ls.lines = append(ls.lines, Line{At: time.Now(), Text: text})
	ls.cond.Broadcast()
	ls.mu.Unlock()
}

func (ls *Lines) close() {
	ls.mu.Lock()
	ls.done = true
	ls.cond.Broadcast()
	ls.mu.Unlock()
}

// All returns the lines read so far.
func (ls *Lines) All() []Line {
	ls.mu.Lock()
	defer ls.mu.Unlock()
	return append([]Line(nil), ls.lines...)
}

// Texts returns the text of the lines read so far.
func (ls *Lines) Texts() []string {
	var ts []string
	for _, l := range ls.All() {
		ts = append(ts, l.Text)
	}
	return ts
}

// Wait waits until at least n lines have been read, and returns the text
// of every line read (fewer than n when the timeout came first).
func (ls *Lines) Wait(n int, timeout time.Duration) []string {
	timer := time.AfterFunc(timeout, func() {
		ls.mu.Lock()
		ls.cond.Broadcast()
		ls.mu.Unlock()
	})
	defer timer.Stop()
	deadline := time.Now().Add(timeout)
	ls.mu.Lock()
	for len(ls.lines) < n && !ls.done && time.Now().Before(deadline) {
		ls.cond.Wait()
	}
	ls.mu.Unlock()
	return ls.Texts()
}

// FIFO makes a named pipe in the lab's directory (a daemon's notify_fifo)
// and reads it line by line until the test ends. The lab holds the pipe
// open for reading and writing, so a writer never blocks or gets SIGPIPE
// for want of a reader, and the reader never sees end-of-file between
// writers (keepalived opens its FIFO once, at start).
func (l *Lab) FIFO(name string) (string, *Lines) {
	l.T.Helper()
	p := filepath.Join(l.Dir, name)
	if err := syscall.Mkfifo(p, 0o600); err != nil {
		l.T.Fatalf("mkfifo %s: %v", p, err)
	}
	f, err := os.OpenFile(p, os.O_RDWR, 0)
	if err != nil {
		l.T.Fatalf("open %s: %v", p, err)
	}
	ls := newLines()
	read := make(chan struct{})
	l.T.Cleanup(func() {
		f.Close() // the pipe is in the poller: Close ends a pending Read
		<-read
	})
	go func() {
		defer close(read)
		defer ls.close()
		r := bufio.NewReader(f)
		for {
			line, err := r.ReadString('\n')
			if line != "" {
				ls.add(strings.TrimSuffix(line, "\n"))
			}
			if err != nil {
				return
			}
		}
	}()
	return p, ls
}
