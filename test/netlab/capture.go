package netlab

import (
	"bufio"
	"os/exec"
	"strings"
	"sync"
	"time"
)

// Capture is tcpdump on the client's bridge: what the segment carried.
type Capture struct {
	mu    sync.Mutex
	lines []string
}

// Capture starts tcpdump on br0 in the client namespace with filter, or
// returns nil (with a log line) when tcpdump is not installed.
func (l *Lab) Capture(filter string) *Capture {
	l.T.Helper()
	if _, err := exec.LookPath("tcpdump"); err != nil {
		l.T.Logf("tcpdump not installed: wire checks skipped")
		return nil
	}
	cmd := exec.Command("ip", "netns", "exec", l.Client, "tcpdump", "-i", "br0", "-nn", "-l", "-e", filter)
	out, err := cmd.StdoutPipe()
	if err != nil {
		l.T.Fatalf("%v", err)
	}
	errp, err := cmd.StderrPipe()
	if err != nil {
		l.T.Fatalf("%v", err)
	}
	if err := cmd.Start(); err != nil {
		l.T.Fatalf("%v", err)
	}
	l.T.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	ready := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(errp)
		once := sync.Once{}
		for sc.Scan() {
			if strings.Contains(sc.Text(), "listening on") {
				once.Do(func() { close(ready) })
			}
		}
		once.Do(func() { close(ready) })
	}()
	c := &Capture{}
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			c.mu.Lock()
			c.lines = append(c.lines, sc.Text())
			c.mu.Unlock()
		}
	}()
	select {
	case <-ready:
	case <-time.After(5 * time.Second):
		l.T.Fatalf("tcpdump did not start")
	}
	return c
}

// Count returns how many captured lines contain every one of subs.
func (c *Capture) Count(subs ...string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
next:
	for _, l := range c.lines {
		for _, s := range subs {
			if !strings.Contains(l, s) {
				continue next
			}
		}
		n++
	}
	return n
}

func (c *Capture) Text() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return strings.Join(c.lines, "\n")
}
