package netlab

import (
	"bufio"
	"os/exec"
	"strings"
	"sync"
	"time"

	"github.com/vishvananda/netlink"
	"github.com/vishvananda/netns"
)

// Monitor is `ip monitor address` in a router's namespace: every address
// the kernel added or deleted there, however briefly.
type Monitor struct {
	mu    sync.Mutex
	lines []string
}

// MonitorAddrs starts watching router i's addresses.
func (l *Lab) MonitorAddrs(i int) *Monitor {
	l.T.Helper()
	cmd := exec.Command("ip", "-n", l.Routers[i], "monitor", "address")
	out, err := cmd.StdoutPipe()
	if err != nil {
		l.T.Fatalf("%v", err)
	}
	if err := cmd.Start(); err != nil {
		l.T.Fatalf("ip monitor: %v", err)
	}
	l.T.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	m := &Monitor{}
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			m.mu.Lock()
			m.lines = append(m.lines, sc.Text())
			m.mu.Unlock()
		}
	}()
	time.Sleep(100 * time.Millisecond) // subscribed before the caller acts
	return m
}

// Deleted counts deletions of ip ("Deleted ... inet IP/...").
func (m *Monitor) Deleted(ip string) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := 0
	for _, l := range m.lines {
		if strings.HasPrefix(l, "Deleted ") && strings.Contains(l, " "+ip+"/") {
			n++
		}
	}
	return n
}

// Text is everything seen.
func (m *Monitor) Text() string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return strings.Join(m.lines, "\n")
}

// SampleAddr checks every period, until stop is closed, whether router
// i holds ip, and returns how many samples were taken and in how many it
// was missing. It reads the addresses over netlink from inside the
// namespace (no process per sample).
func (l *Lab) SampleAddr(i int, ip string, period time.Duration, stop <-chan struct{}) (samples, missing int) {
	ns, err := netns.GetFromName(l.Routers[i])
	if err != nil {
		l.T.Fatalf("%v", err)
	}
	defer ns.Close()
	h, err := netlink.NewHandleAt(ns)
	if err != nil {
		l.T.Fatalf("%v", err)
	}
	defer h.Close()
	t := time.NewTicker(period)
	defer t.Stop()
	for {
		as, err := h.AddrList(nil, netlink.FAMILY_ALL)
		samples++
		found := false
		for _, a := range as {
			if err == nil && a.IP.String() == ip {
				found = true
				break
			}
		}
		if !found {
			missing++
		}
		select {
		case <-stop:
			return samples, missing
		case <-t.C:
		}
	}
}
