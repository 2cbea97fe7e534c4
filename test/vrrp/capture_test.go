package vrrptest

import (
	"bufio"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"
)

// capture is tcpdump on the client's bridge: what the segment carried.
type capture struct {
	mu    sync.Mutex
	lines []string
}

// capture starts tcpdump on br0 in the client namespace with filter, or
// returns nil (with a log line) when tcpdump is not installed.
func (l *lab) capture(filter string) *capture {
	l.t.Helper()
	if _, err := exec.LookPath("tcpdump"); err != nil {
		l.t.Log("tcpdump not installed: wire checks skipped")
		return nil
	}
	cmd := exec.Command("ip", "netns", "exec", l.c, "tcpdump", "-i", "br0", "-nn", "-l", "-e", filter)
	out, err := cmd.StdoutPipe()
	if err != nil {
		l.t.Fatal(err)
	}
	errp, err := cmd.StderrPipe()
	if err != nil {
		l.t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		l.t.Fatal(err)
	}
	l.t.Cleanup(func() {
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
	c := &capture{}
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
		l.t.Fatal("tcpdump did not start")
	}
	return c
}

// count returns how many captured lines contain every one of subs.
func (c *capture) count(subs ...string) int {
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

func (c *capture) text() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return strings.Join(c.lines, "\n")
}

// wireChecks counts on the wire what TestElection expects: the master's
// five gratuitous ARPs (requests, broadcast, sender = target = VIP) and
// its adverts with the password, none from the backup.
func wireChecks(t *testing.T, c *capture) {
	t.Helper()
	if c == nil {
		return
	}
	time.Sleep(100 * time.Millisecond) // tcpdump's last lines
	if n := c.count("> ff:ff:ff:ff:ff:ff, ethertype ARP", "Request who-has 192.168.0.248 (ff:ff:ff:ff:ff:ff) tell 192.168.0.248"); n != 5 {
		t.Errorf("%d gratuitous ARPs on the wire, want 5:\n%s", n, c.text())
	}
	if n := c.count("192.168.0.162 > 224.0.0.18", "vrid 51, prio 100", "authtype simple", "intvl 1s"); n < 3 {
		t.Errorf("%d adverts from the master on the wire:\n%s", n, c.text())
	}
	if n := c.count("192.168.0.163 > 224.0.0.18"); n != 0 {
		t.Errorf("%d adverts from the backup", n)
	}
}
