package main

import (
	"bufio"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"

	"github.com/gokeepalived/gokeepalived/test/cmd/internal/cmdutil"
	"github.com/gokeepalived/gokeepalived/test/netlab"
)

// watch is tcpdump on the client's bridge in immediate mode (netlab's
// Capture leaves libpcap's buffering on, which delivers lines up to a
// buffer timeout late: too late to act right after an advert), with
// kernel timestamps.
type watch struct {
	mu    sync.Mutex
	times []time.Time
	seen  chan struct{} // one send per packet, dropped when nobody waits
}

func startWatch(p *cmdutil.Program, l *netlab.Lab, filter string) *watch {
	cmd := exec.Command("ip", "netns", "exec", l.Client, "tcpdump", "-i", "br0", "-nn", "-l", "--immediate-mode", "-tt", filter)
	out, err := cmd.StdoutPipe()
	if err != nil {
		p.Fatalf("%v", err)
	}
	errp, err := cmd.StderrPipe()
	if err != nil {
		p.Fatalf("%v", err)
	}
	if err := cmd.Start(); err != nil {
		p.Fatalf("tcpdump: %v (scripts/test-deps.sh installs it)", err)
	}
	p.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	ready := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(errp)
		var once sync.Once
		for sc.Scan() {
			if strings.Contains(sc.Text(), "listening on") {
				once.Do(func() { close(ready) })
			}
		}
		once.Do(func() { close(ready) })
	}()
	w := &watch{seen: make(chan struct{})}
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			t, ok := epochTime(sc.Text())
			if !ok {
				continue
			}
			w.mu.Lock()
			w.times = append(w.times, t)
			w.mu.Unlock()
			select {
			case w.seen <- struct{}{}:
			default:
			}
		}
	}()
	select {
	case <-ready:
	case <-time.After(5 * time.Second):
		p.Fatalf("tcpdump did not start")
	}
	return w
}

// next waits for the next packet, up to timeout.
func (w *watch) next(timeout time.Duration) bool {
	select {
	case <-w.seen:
		return true
	case <-time.After(timeout):
		return false
	}
}

// lastBefore is the time of the last packet seen before t.
func (w *watch) lastBefore(t time.Time) (time.Time, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	var last time.Time
	for _, x := range w.times {
		if x.Before(t) && x.After(last) {
			last = x
		}
	}
	return last, !last.IsZero()
}

// pcapSeq numbers VRRPBENCH_PCAP's files.
var pcapSeq int

// dump writes everything on the client's bridge to file until the lab
// closes (VRRPBENCH_PCAP, for reading a failover packet by packet).
func dump(p *cmdutil.Program, l *netlab.Lab, file string) {
	cmd := exec.Command("ip", "netns", "exec", l.Client, "tcpdump", "-i", "br0", "-nn", "-U", "--immediate-mode", "-w", file)
	if err := cmd.Start(); err != nil {
		p.Fatalf("tcpdump: %v", err)
	}
	p.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		cmd.Wait()
	})
	time.Sleep(200 * time.Millisecond) // libpcap's start-up
}
