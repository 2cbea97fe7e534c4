package netlab

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/vishvananda/netns"
)

// serveEnv asks a program built with the lab (a test binary, the demo)
// to serve TCP instead: "ADDR NAME" listens on ADDR and answers every
// connection with NAME. Such programs call MaybeServe first thing.
const serveEnv = "GV_NETLAB_SERVE"

// MaybeServe serves and never returns when the process was started by
// Server; otherwise it returns at once.
func MaybeServe() {
	spec := os.Getenv(serveEnv)
	if spec == "" {
		return
	}
	addr, name, _ := strings.Cut(spec, " ")
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println("listening")
	for {
		c, err := ln.Accept()
		if err != nil {
			os.Exit(1)
		}
		c.Write([]byte(name))
		c.Close()
	}
}

// Server runs a TCP server on port (all addresses, both families) in
// router i's namespace answering "r<i+1>": the running program itself,
// which must call MaybeServe at start.
func (l *Lab) Server(i int, port int) {
	l.T.Helper()
	self, err := os.Executable()
	if err != nil {
		l.T.Fatalf("%v", err)
	}
	cmd := exec.Command("ip", "netns", "exec", l.Routers[i], self)
	cmd.Env = append(os.Environ(), fmt.Sprintf("%s=:%d r%d", serveEnv, port, i+1))
	out, err := cmd.StdoutPipe()
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
	line, _ := bufio.NewReader(out).ReadString('\n')
	if strings.TrimSpace(line) != "listening" {
		l.T.Fatalf("server in %s: %q", l.Routers[i], line)
	}
}

// Dial connects from the client namespace to addr ("host:port") and
// returns what the server said ("" when none answered within timeout).
func (l *Lab) Dial(addr string, timeout time.Duration) string {
	type result struct {
		s   string
		err error
	}
	ch := make(chan result, 1)
	go func() {
		// A socket belongs to the namespace of the thread that made it:
		// this thread moves into the client's and is thrown away
		// afterwards (never unlocked).
		runtime.LockOSThread()
		ns, err := netns.GetFromName(l.Client)
		if err != nil {
			ch <- result{err: err}
			return
		}
		defer ns.Close()
		if err := netns.Set(ns); err != nil {
			ch <- result{err: err}
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		var dl net.Dialer
		c, err := dl.DialContext(ctx, "tcp", addr)
		if err != nil {
			ch <- result{err: err}
			return
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(timeout))
		b, err := io.ReadAll(c)
		ch <- result{s: string(b), err: err}
	}()
	r := <-ch
	if r.err != nil {
		return ""
	}
	return r.s
}

// Probe dials addr every period until stop is closed and records who
// answered: the client-seen view of a failover.
type Probe struct {
	Samples []Sample
}

// Sample is one dial: when it started and who answered ("" = nobody).
type Sample struct {
	At  time.Time
	Who string
}

// RunProbe dials addr every period (each dial bounded by period) from
// the client namespace until stop is closed. It runs on a thread of its
// own that stays in the client's namespace.
func (l *Lab) RunProbe(addr string, period time.Duration, stop <-chan struct{}) *Probe {
	return l.RunProbeTimeout(addr, period, period, stop)
}

// RunProbeTimeout is RunProbe with each dial bounded by timeout instead
// of the period: a slow answer on a loaded machine is not a lost one.
func (l *Lab) RunProbeTimeout(addr string, period, timeout time.Duration, stop <-chan struct{}) *Probe {
	done := make(chan *Probe)
	go func() {
		runtime.LockOSThread() // never unlocked: the thread dies with the goroutine
		p := &Probe{}
		ns, err := netns.GetFromName(l.Client)
		if err == nil {
			err = netns.Set(ns)
			ns.Close()
		}
		if err != nil {
			done <- p
			return
		}
		t := time.NewTicker(period)
		defer t.Stop()
		for {
			at := time.Now()
			who := ""
			if c, err := net.DialTimeout("tcp", addr, timeout); err == nil {
				c.SetDeadline(time.Now().Add(timeout))
				b, _ := io.ReadAll(c)
				c.Close()
				who = string(b)
			}
			p.Samples = append(p.Samples, Sample{At: at, Who: who})
			select {
			case <-stop:
				done <- p
				return
			case <-t.C:
			}
		}
	}()
	return <-done
}

// RunProbes is n probes of period each, started period/n apart and
// merged: a dial every period/n whose timeout may outlast that spacing.
// One probe alone dials again only when its last dial ends, so while the
// address goes unanswered its resolution is the timeout, not the period.
func (l *Lab) RunProbes(addr string, n int, period, timeout time.Duration, stop <-chan struct{}) *Probe {
	got := make(chan *Probe, n)
	for i := range n {
		go func() {
			time.Sleep(time.Duration(i) * period / time.Duration(n))
			got <- l.RunProbeTimeout(addr, period, timeout, stop)
		}()
	}
	all := &Probe{}
	for range n {
		all.Samples = append(all.Samples, (<-got).Samples...)
	}
	slices.SortStableFunc(all.Samples, func(a, b Sample) int { return a.At.Compare(b.At) })
	return all
}

// Gap is the client-seen outage after from: the time from the last
// answer by before (at or after from) to the first answer by after.
// ok is false when after never answered.
func (p *Probe) Gap(from time.Time, before, after string) (gap time.Duration, ok bool) {
	last := from
	for _, s := range p.Samples {
		if s.At.Before(from) {
			continue
		}
		if s.Who == before {
			last = s.At
			continue
		}
		if s.Who == after {
			return s.At.Sub(last), true
		}
	}
	return 0, false
}
