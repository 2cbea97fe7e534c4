package netlab

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Kind says whose keepalived a Daemon runs.
type Kind int

const (
	Ours      Kind = iota // our binary (Lab.Binary or the one BuildOurs made)
	Reference             // Debian's keepalived 2.2.7 at /usr/sbin/keepalived
)

func (k Kind) String() string {
	if k == Reference {
		return "keepalived"
	}
	return "gokeepalived"
}

// Daemon is one keepalived process tree in a router namespace, with its
// console lines.
type Daemon struct {
	T        TB
	Name     string
	Kind     Kind
	NS       string
	Cmd      *exec.Cmd
	PidFile  string // -p
	VRRPPid  string // -r
	CheckPid string // -c
	exited   chan struct{}
	exitCode int

	mu    sync.Mutex
	lines []Line
	cond  *sync.Cond
}

// Line is a console line and when the lab read it (both daemons write
// unbuffered, so this is within a millisecond of the event).
type Line struct {
	At   time.Time
	Text string
}

// Start runs a keepalived of kind k in router i's namespace with conf:
// `keepalived -n -l -D -f CONF -p -r -c` plus extra. binary is our
// keepalived (ignored for Reference).
func (l *Lab) Start(k Kind, binary string, i int, conf string, extra ...string) *Daemon {
	l.T.Helper()
	return l.StartEnv(nil, k, binary, i, conf, extra...)
}

// StartEnv is Start with env ("NAME=value") added to the environment the
// daemon inherits from the test, e.g. a TMPDIR of its own for the dump
// files.
func (l *Lab) StartEnv(env []string, k Kind, binary string, i int, conf string, extra ...string) *Daemon {
	l.T.Helper()
	ns := l.Routers[i]
	name := fmt.Sprintf("r%d", i+1)
	d := &Daemon{T: l.T, Name: name + "(" + k.String() + ")", Kind: k, NS: ns, exited: make(chan struct{}),
		PidFile:  filepath.Join(l.Dir, name+".pid"),
		VRRPPid:  filepath.Join(l.Dir, name+"-vrrp.pid"),
		CheckPid: filepath.Join(l.Dir, name+"-checkers.pid")}
	d.cond = sync.NewCond(&d.mu)
	if k == Reference {
		binary = ReferencePath
	}
	// -G: no syslog. This machine has no syslog daemon, and with -l
	// both implementations would then write every line to /dev/console
	// as well (LOG_CONS): a serial console in a VM, about a millisecond
	// of kernel time per line, taken from the daemons under test.
	args := append([]string{"netns", "exec", ns, binary, "-n", "-l", "-G", "-D", "-f", conf,
		"-p", d.PidFile, "-r", d.VRRPPid, "-c", d.CheckPid}, extra...)
	d.Cmd = exec.Command("ip", args...)
	if len(env) > 0 {
		d.Cmd.Env = append(os.Environ(), env...)
	}
	pr, pw, err := os.Pipe()
	if err != nil {
		l.T.Fatalf("%v", err)
	}
	d.Cmd.Stdout, d.Cmd.Stderr = pw, pw
	if err := d.Cmd.Start(); err != nil {
		l.T.Fatalf("start %s: %v", d.Name, err)
	}
	pw.Close()
	// ip netns exec execs the binary in its own process: this PID is the
	// daemon's (keepalived's parent for the reference).
	l.T.Cleanup(func() {
		d.Kill()
		if l.T.Failed() {
			l.T.Logf("log of %s:\n%s", d.Name, d.LogText())
		}
	})
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			d.mu.Lock()
			d.lines = append(d.lines, Line{At: time.Now(), Text: consoleText(sc.Text())})
			d.cond.Broadcast()
			d.mu.Unlock()
		}
		err := d.Cmd.Wait()
		var ee *exec.ExitError
		d.mu.Lock()
		if errors.As(err, &ee) {
			d.exitCode = ee.ExitCode()
		}
		close(d.exited)
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

// Pids returns the daemon's processes: its children (from their pid
// files, when there) first, then the one the lab started.
func (d *Daemon) Pids() []int {
	var pids []int
	for _, f := range []string{d.VRRPPid, d.CheckPid} {
		if b, err := os.ReadFile(f); err == nil {
			if p, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil && p > 1 && p != d.Cmd.Process.Pid {
				pids = append(pids, p)
			}
		}
	}
	return append(pids, d.Cmd.Process.Pid)
}

// Crash SIGKILLs every process of the daemon and waits for the one the
// lab started. The parent is stopped (SIGSTOP) first, so that it can
// neither respawn a child nor clean up after one; then the children die
// (a VRRP child that outlived its parent would go on advertising, or,
// told of its parent's death, resign cleanly), then the parent.
func (d *Daemon) Crash() {
	main := d.Cmd.Process.Pid
	syscall.Kill(main, syscall.SIGSTOP)
	for _, p := range d.Pids() {
		syscall.Kill(p, syscall.SIGKILL)
	}
	d.Wait(5 * time.Second)
}

// Kill ends the daemon if it still runs (the cleanup): SIGKILL to every
// process it has.
func (d *Daemon) Kill() {
	select {
	case <-d.exited:
		// The children may outlive a parent that died first.
		for _, p := range d.Pids()[:len(d.Pids())-1] {
			syscall.Kill(p, syscall.SIGKILL)
		}
	default:
		d.Crash()
	}
}

// Exited reports whether the started process has ended.
func (d *Daemon) Exited() bool {
	select {
	case <-d.exited:
		return true
	default:
		return false
	}
}

// WaitLine waits for a line containing sub read at or after since, and
// returns when it was read.
func (d *Daemon) WaitLine(sub string, since time.Time, timeout time.Duration) (time.Time, bool) {
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
			if !l.At.Before(since) && strings.Contains(l.Text, sub) {
				return l.At, true
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

// MustLine fails the owner unless a line containing sub shows within
// timeout.
func (d *Daemon) MustLine(sub string, since time.Time, timeout time.Duration) time.Time {
	d.T.Helper()
	at, ok := d.WaitLine(sub, since, timeout)
	if !ok {
		d.T.Fatalf("%s: no %q within %v\n%s", d.Name, sub, timeout, d.LogText())
	}
	return at
}

// Count returns how many lines contain sub.
func (d *Daemon) Count(sub string) int {
	d.mu.Lock()
	defer d.mu.Unlock()
	n := 0
	for _, l := range d.lines {
		if strings.Contains(l.Text, sub) {
			n++
		}
	}
	return n
}

// CountSince returns how many lines read at or after since contain sub.
func (d *Daemon) CountSince(sub string, since time.Time) int {
	d.mu.Lock()
	defer d.mu.Unlock()
	n := 0
	for _, l := range d.lines {
		if !l.At.Before(since) && strings.Contains(l.Text, sub) {
			n++
		}
	}
	return n
}

// LogText is every line, with the time it was read.
func (d *Daemon) LogText() string {
	d.mu.Lock()
	defer d.mu.Unlock()
	var b strings.Builder
	for _, l := range d.lines {
		fmt.Fprintf(&b, "  %s %s\n", l.At.Format("15:04:05.000"), l.Text)
	}
	return b.String()
}

// Signal sends s to the started process (keepalived's parent).
func (d *Daemon) Signal(s syscall.Signal) {
	d.T.Helper()
	if err := d.Cmd.Process.Signal(s); err != nil {
		d.T.Fatalf("%s: signal %v: %v", d.Name, s, err)
	}
}

// Wait waits for the started process to exit and returns its status.
func (d *Daemon) Wait(timeout time.Duration) int {
	d.T.Helper()
	select {
	case <-d.exited:
	case <-time.After(timeout):
		d.T.Fatalf("%s did not exit within %v", d.Name, timeout)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.exitCode
}
