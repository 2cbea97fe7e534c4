package interop

import (
	"bufio"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gokeepalived/gokeepalived/test/netlab"
)

// watch collects what a long-running command (tcpdump, ip monitor)
// prints, one entry per record: continuation lines (indented) are joined
// to the line before.
type watch struct {
	mu      sync.Mutex
	records []string
}

// startWatch runs args until the test ends. ready, when not empty, is
// what the command prints on stderr once it listens; without it the
// command is given a moment to subscribe.
func startWatch(t *testing.T, ready string, args ...string) *watch {
	t.Helper()
	cmd := exec.Command(args[0], args[1:]...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	errp, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	listening := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(errp)
		once := sync.Once{}
		for sc.Scan() {
			if ready != "" && strings.Contains(sc.Text(), ready) {
				once.Do(func() { close(listening) })
			}
		}
		once.Do(func() { close(listening) })
	}()
	w := &watch{}
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			line := sc.Text()
			w.mu.Lock()
			if n := len(w.records); n > 0 && (strings.HasPrefix(line, " ") || strings.HasPrefix(line, "\t")) {
				w.records[n-1] += " " + strings.TrimSpace(line)
			} else {
				w.records = append(w.records, line)
			}
			w.mu.Unlock()
		}
	}()
	if ready == "" {
		time.Sleep(200 * time.Millisecond)
		return w
	}
	select {
	case <-listening:
	case <-time.After(5 * time.Second):
		t.Fatalf("%s did not start", args[0])
	}
	return w
}

// startCapture is tcpdump -vv on the client's bridge, or nil without
// tcpdump: netlab's Capture, without -v, hides what interop depends on
// (IP TOS and TTL / hop limit, the address list, the password, tcpdump's
// VRRPv2 checksum verdict).
func startCapture(t *testing.T, l *netlab.Lab, filter string) *watch {
	t.Helper()
	if _, err := exec.LookPath("tcpdump"); err != nil {
		t.Logf("tcpdump not installed: wire checks skipped")
		return nil
	}
	return startWatch(t, "listening on", "ip", "netns", "exec", l.Client, "tcpdump", "-i", "br0", "-nn", "-l", "-e", "-vv", filter)
}

// addrEvents is `ip monitor address` in router namespace ns: the order
// in which the kernel saw addresses come and go, whatever the test's own
// timing.
func addrEvents(t *testing.T, ns string) *watch {
	t.Helper()
	return startWatch(t, "", "ip", "-n", ns, "monitor", "address")
}

func (w *watch) lines() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]string(nil), w.records...)
}

func (w *watch) text() string { return strings.Join(w.lines(), "\n") }
