package vrrptest

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/vishvananda/netns"
)

// requireRoot skips without root, or fails under CI=true (CI runs as
// root: a skip there would hide the tests).
func requireRoot(t *testing.T) {
	t.Helper()
	why := ""
	if os.Geteuid() != 0 {
		why = "not root"
	} else if _, err := exec.LookPath("ip"); err != nil {
		why = "no ip command (iproute2)"
	}
	if why == "" {
		return
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("network test cannot run: %s (CI=true)", why)
	}
	t.Skipf("network test skipped: %s", why)
}

func run(t *testing.T, args ...string) string {
	t.Helper()
	out, err := exec.Command(args[0], args[1:]...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

var labSeq atomic.Int32

// lab is a segment: routers r1..rN, each with eth0 on the bridge br0 of
// namespace c, which is also the client (192.168.0.10/24).
type lab struct {
	t      *testing.T
	prefix string
	dir    string
	c      string
	r      []string // router namespaces
}

const clientAddr = "192.168.0.10"

// routerAddr is router i's (0-based) address: 192.168.0.162, .163, ...
func routerAddr(i int) string { return fmt.Sprintf("192.168.0.%d", 162+i) }

func newLab(t *testing.T, routers int) *lab {
	t.Helper()
	requireRoot(t)
	l := &lab{t: t, prefix: fmt.Sprintf("gv-%d-%d", os.Getpid(), labSeq.Add(1)), dir: t.TempDir()}
	l.c = l.prefix + "-c"
	for i := range routers {
		l.r = append(l.r, fmt.Sprintf("%s-r%d", l.prefix, i+1))
	}
	all := append([]string{l.c}, l.r...)
	t.Cleanup(func() {
		// The daemons' cleanups (registered later) have run: nothing of
		// ours runs in the namespaces any more.
		for _, ns := range all {
			exec.Command("ip", "netns", "del", ns).Run()
			// The ledger a killed daemon left for its namespace.
			os.Remove("/run/keepalived/netif@" + ns + ".json")
		}
	})
	for _, ns := range all {
		run(t, "ip", "netns", "add", ns)
		run(t, "ip", "-n", ns, "link", "set", "lo", "up")
	}
	run(t, "ip", "-n", l.c, "link", "add", "br0", "type", "bridge", "mcast_snooping", "0")
	run(t, "ip", "-n", l.c, "link", "set", "br0", "up")
	run(t, "ip", "-n", l.c, "addr", "add", clientAddr+"/24", "dev", "br0")
	for i, ns := range l.r {
		// Made inside the router's namespace, the peer moved straight
		// into c's: nothing is created on the host.
		port := fmt.Sprintf("p%d", i+1)
		run(t, "ip", "-n", ns, "link", "add", "eth0", "type", "veth", "peer", "name", port, "netns", l.c)
		run(t, "ip", "-n", l.c, "link", "set", port, "master", "br0")
		run(t, "ip", "-n", l.c, "link", "set", port, "up")
		run(t, "ip", "-n", ns, "addr", "add", routerAddr(i)+"/24", "dev", "eth0")
		run(t, "ip", "-n", ns, "link", "set", "eth0", "up")
	}
	return l
}

// port is the bridge port of router i: setting it down cuts the cable.
func (l *lab) port(i int) string { return fmt.Sprintf("p%d", i+1) }

// addr is one address as `ip -j addr` reports it.
type addr struct {
	Local     string `json:"local"`
	PrefixLen int    `json:"prefixlen"`
	Label     string `json:"label"`
}

// addrs lists the IPv4 addresses of eth0 in namespace ns.
func (l *lab) addrs(ns string) []addr {
	l.t.Helper()
	out := run(l.t, "ip", "-n", ns, "-j", "-4", "addr", "show", "dev", "eth0")
	var links []struct {
		AddrInfo []addr `json:"addr_info"`
	}
	if err := json.Unmarshal([]byte(out), &links); err != nil {
		l.t.Fatalf("ip -j addr: %v\n%s", err, out)
	}
	var as []addr
	for _, li := range links {
		as = append(as, li.AddrInfo...)
	}
	return as
}

// vip returns the VIP's entry on ns's eth0, if there.
func (l *lab) vip(ns, ip string) (addr, bool) {
	for _, a := range l.addrs(ns) {
		if a.Local == ip {
			return a, true
		}
	}
	return addr{}, false
}

// writeConf writes a configuration file into the test's directory.
func (l *lab) writeConf(name, text string) string {
	p := filepath.Join(l.dir, name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		l.t.Fatal(err)
	}
	return p
}

// daemon is one of our keepalived processes.
type daemon struct {
	t        *testing.T
	name     string
	ns       string
	cmd      *exec.Cmd
	pidFile  string
	vrrpPid  string
	exited   chan struct{}
	exitCode int

	mu    sync.Mutex
	lines []logLine
	cond  *sync.Cond
}

// logLine is a console line and when the test read it (the daemon writes
// unbuffered, so this is within a millisecond of the event).
type logLine struct {
	at   time.Time
	text string
}

// start runs our keepalived in router i's namespace with conf.
func (l *lab) start(i int, conf string, extra ...string) *daemon {
	l.t.Helper()
	ns := l.r[i]
	name := fmt.Sprintf("r%d", i+1)
	d := &daemon{t: l.t, name: name, ns: ns, exited: make(chan struct{}),
		pidFile: filepath.Join(l.dir, name+".pid"), vrrpPid: filepath.Join(l.dir, name+"-vrrp.pid")}
	d.cond = sync.NewCond(&d.mu)
	args := append([]string{"netns", "exec", ns, binary, "-n", "-l", "-D", "-f", conf, "-p", d.pidFile, "-r", d.vrrpPid}, extra...)
	d.cmd = exec.Command("ip", args...)
	stderr, err := d.cmd.StderrPipe()
	if err != nil {
		l.t.Fatal(err)
	}
	d.cmd.Stdout = io.Discard
	if err := d.cmd.Start(); err != nil {
		l.t.Fatal(err)
	}
	// ip netns exec execs the binary in its own process: this PID is the
	// daemon's.
	l.t.Cleanup(func() {
		select {
		case <-d.exited:
		default:
			d.cmd.Process.Signal(syscall.SIGKILL)
			<-d.exited
		}
		if l.t.Failed() {
			l.t.Logf("log of %s:\n%s", d.name, d.logText())
		}
	})
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			d.mu.Lock()
			d.lines = append(d.lines, logLine{at: time.Now(), text: consoleText(sc.Text())})
			d.cond.Broadcast()
			d.mu.Unlock()
		}
		err := d.cmd.Wait()
		var ee *exec.ExitError
		d.mu.Lock()
		if errors.As(err, &ee) {
			d.exitCode = ee.ExitCode()
		}
		d.mu.Unlock()
		close(d.exited)
		d.mu.Lock()
		d.cond.Broadcast()
		d.mu.Unlock()
	}()
	return d
}

// consoleText strips keepalived's console timestamp ("Sun Nov  2
// 06:19:57 2026: ").
func consoleText(s string) string {
	if len(s) > 26 && s[24:26] == ": " {
		if _, err := time.Parse(time.ANSIC, s[:24]); err == nil {
			return s[26:]
		}
	}
	return s
}

// waitLine waits for a line containing sub read at or after since, and
// returns when it was read.
func (d *daemon) waitLine(sub string, since time.Time, timeout time.Duration) (time.Time, bool) {
	deadline := time.Now().Add(timeout)
	timer := time.AfterFunc(timeout, func() {
		d.mu.Lock()
		d.cond.Broadcast()
		d.mu.Unlock()
	})
	defer timer.Stop()
	d.mu.Lock()
	defer d.mu.Unlock()
	for {
		for _, l := range d.lines {
			if !l.at.Before(since) && strings.Contains(l.text, sub) {
				return l.at, true
			}
		}
		if time.Now().After(deadline) {
			return time.Time{}, false
		}
		select {
		case <-d.exited:
			// Every line was read before exited closed: none will come.
			return time.Time{}, false
		default:
		}
		d.cond.Wait()
	}
}

// mustLine fails the test unless a line containing sub shows within
// timeout.
func (d *daemon) mustLine(sub string, since time.Time, timeout time.Duration) time.Time {
	d.t.Helper()
	at, ok := d.waitLine(sub, since, timeout)
	if !ok {
		d.t.Fatalf("%s: no %q within %v\n%s", d.name, sub, timeout, d.logText())
	}
	return at
}

// count returns how many lines contain sub.
func (d *daemon) count(sub string) int {
	d.mu.Lock()
	defer d.mu.Unlock()
	n := 0
	for _, l := range d.lines {
		if strings.Contains(l.text, sub) {
			n++
		}
	}
	return n
}

func (d *daemon) logText() string {
	d.mu.Lock()
	defer d.mu.Unlock()
	var b strings.Builder
	for _, l := range d.lines {
		fmt.Fprintf(&b, "  %s %s\n", l.at.Format("15:04:05.000"), l.text)
	}
	return b.String()
}

func (d *daemon) signal(s syscall.Signal) {
	d.t.Helper()
	if err := d.cmd.Process.Signal(s); err != nil {
		d.t.Fatalf("%s: signal %v: %v", d.name, s, err)
	}
}

// wait waits for the daemon to exit and returns its status.
func (d *daemon) wait(timeout time.Duration) int {
	d.t.Helper()
	select {
	case <-d.exited:
	case <-time.After(timeout):
		d.t.Fatalf("%s did not exit within %v", d.name, timeout)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.exitCode
}

// server runs a TCP server answering name on port in router i's
// namespace (the test binary itself, see TestMain).
func (l *lab) server(i int, port int) {
	l.t.Helper()
	self, err := os.Executable()
	if err != nil {
		l.t.Fatal(err)
	}
	cmd := exec.Command("ip", "netns", "exec", l.r[i], self)
	cmd.Env = append(os.Environ(), fmt.Sprintf("%s=0.0.0.0:%d r%d", helperEnv, port, i+1))
	out, err := cmd.StdoutPipe()
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
	line, _ := bufio.NewReader(out).ReadString('\n')
	if strings.TrimSpace(line) != "listening" {
		l.t.Fatalf("server in %s: %q", l.r[i], line)
	}
}

// dial connects from the client namespace to addr and returns what the
// server said ("" when no server answered within timeout).
func (l *lab) dial(addr string, timeout time.Duration) string {
	l.t.Helper()
	type result struct {
		s   string
		err error
	}
	ch := make(chan result, 1)
	go func() {
		// A socket belongs to the namespace of the thread that made it:
		// this thread moves into c's and is thrown away afterwards.
		runtime.LockOSThread()
		ns, err := netns.GetFromName(l.c)
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
