package vrrptest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gokeepalived/gokeepalived/test/netlab"
)

// The process as an operator starts and inspects it, beside Debian's
// keepalived 2.2.7 doing the same: the start-up and stop lines, a
// detached daemon (no -n), and keepalived_check.data.

// consoleLines are the console lines of the daemon, in order.
func consoleLines(d *netlab.Daemon) []string {
	var out []string
	for _, l := range strings.Split(strings.TrimSuffix(d.LogText(), "\n"), "\n") {
		// LogText: "  15:04:05.000 text"
		if len(l) > 15 {
			out = append(out, l[15:])
		}
	}
	return out
}

// kernelLineRE is keepalived's kernel line: uname's three fields and the
// kernel it was built for.
var kernelLineRE = regexp.MustCompile(`^Running on (\S+) (\S+) (.+) \(built for Linux \d+\.\d+\.\d+\)$`)

// TestStartStopLines: the lines of a start and a SIGTERM, in keepalived
// 2.2.7's order and wording: version, kernel ("built for"), command
// line, configuration file, child started, "Startup complete", and at the
// end "Stopping" ... "Stopped Keepalived v2.2.7 (".
func TestStartStopLines(t *testing.T) {
	var uname syscall.Utsname
	if err := syscall.Uname(&uname); err != nil {
		t.Fatal(err)
	}
	release := utsString(uname.Release[:])
	bothKinds(t, func(t *testing.T, k netlab.Kind) {
		l := newLab(t, 1)
		conf := l.WriteConf("r1.conf", logConf(31))
		d := l.Start(k, binary, 0, conf)
		d.MustLine("Startup complete", time.Time{}, startupTimeout)
		d.Signal(syscall.SIGTERM)
		if code := d.Wait(10 * time.Second); code != 0 {
			t.Errorf("exit %d", code)
		}
		lines := consoleLines(d)
		if len(lines) < 3 {
			t.Fatalf("log:\n%s", d.LogText())
		}
		if !strings.HasPrefix(lines[0], "Starting Keepalived v2.2.7 (") {
			t.Errorf("first line %q", lines[0])
		}
		m := kernelLineRE.FindStringSubmatch(lines[1])
		if m == nil || m[1] != "Linux" || m[2] != release {
			t.Errorf("kernel line %q (running %s)", lines[1], release)
		}
		if !strings.HasPrefix(lines[2], "Command line: '") || !strings.Contains(lines[2], "'-n' '-l' '-G' '-D' '-f'") {
			t.Errorf("command line %q", lines[2])
		}
		if miss := inOrder(lines, []string{
			"Opening file '" + conf + "'.", "Configuration file " + conf,
			"Starting VRRP child process, pid=", "Startup complete",
			"Stopping", "Stopped - used ", "CPU usage (self/children) user: ", "Stopped Keepalived v2.2.7 (",
		}); miss != "" {
			t.Errorf("no %q in order:\n%s", miss, d.LogText())
		}
		if last := lines[len(lines)-1]; !strings.HasPrefix(last, "Stopped Keepalived v2.2.7 (") {
			t.Errorf("last line %q", last)
		}
	})
}

func utsString(b []int8) string {
	var s []byte
	for _, c := range b {
		if c == 0 {
			break
		}
		s = append(s, byte(c))
	}
	return string(s)
}

// procFacts are what /proc says of a process: working directory, umask,
// standard descriptors, whether it leads its session.
func procFacts(pid int) string {
	cwd, _ := os.Readlink(fmt.Sprintf("/proc/%d/cwd", pid))
	umask := "?"
	if st, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid)); err == nil {
		for _, l := range strings.Split(string(st), "\n") {
			if v, ok := strings.CutPrefix(l, "Umask:"); ok {
				umask = strings.TrimSpace(v)
			}
		}
	}
	var fds []string
	for fd := 0; fd < 3; fd++ {
		l, _ := os.Readlink(fmt.Sprintf("/proc/%d/fd/%d", pid, fd))
		fds = append(fds, l)
	}
	leader := false
	if st, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid)); err == nil {
		s := string(st)
		if i := strings.LastIndexByte(s, ')'); i > 0 {
			// state ppid pgrp session ...
			f := strings.Fields(s[i+1:])
			leader = len(f) > 3 && f[3] == strconv.Itoa(pid)
		}
	}
	return fmt.Sprintf("cwd=%s umask=%s fds=%s session-leader=%v", cwd, umask, strings.Join(fds, ","), leader)
}

// readPid waits for a pid file naming a live process.
func readPid(t *testing.T, path string) int {
	t.Helper()
	deadline := time.Now().Add(startupTimeout)
	for {
		b, err := os.ReadFile(path)
		if err == nil {
			if pid, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil && alive(pid) {
				return pid
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("pid file %s: %q %v", path, b, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestDetached: without -n the command returns at once and the daemon
// runs on detached — keepalived 2.2.7's parent and VRRP child have / as
// working directory, umask 0177, /dev/null as standard input, output and
// error, and the parent leads its own session. A relative -f still names
// the file in the directory the command was given in: the instance runs
// and takes its VIP.
func TestDetached(t *testing.T) {
	bothKinds(t, func(t *testing.T, k netlab.Kind) {
		l := newLab(t, 1)
		dir := t.TempDir()
		os.Chmod(dir, 0o755)
		if err := os.WriteFile(filepath.Join(dir, "k.conf"), []byte(logConf(33)), 0o644); err != nil {
			t.Fatal(err)
		}
		bin := binary
		if k == netlab.Reference {
			bin = netlab.ReferencePath
		}
		pids := []string{filepath.Join(dir, "k.pid"), filepath.Join(dir, "v.pid"), filepath.Join(dir, "c.pid")}
		cmd := exec.Command("ip", "netns", "exec", l.Routers[0], bin, "-f", "k.conf", "-p", pids[0], "-r", pids[1], "-c", pids[2])
		cmd.Dir = dir
		started := time.Now()
		out, err := cmd.CombinedOutput()
		if err != nil || len(out) != 0 {
			t.Fatalf("start: %v %q", err, out)
		}
		if took := time.Since(started); took > 3*time.Second {
			t.Errorf("the command took %v to return", took)
		}
		parent := readPid(t, pids[0])
		t.Cleanup(func() {
			syscall.Kill(parent, syscall.SIGTERM)
			for i := 0; i < 100 && alive(parent); i++ {
				time.Sleep(50 * time.Millisecond)
			}
			if alive(parent) {
				syscall.Kill(parent, syscall.SIGKILL)
			}
		})
		child := readPid(t, pids[1])
		want := "cwd=/ umask=0177 fds=/dev/null,/dev/null,/dev/null session-leader="
		if got := procFacts(parent); got != want+"true" {
			t.Errorf("parent %d: %s, want %strue", parent, got, want)
		}
		if got := procFacts(child); got != want+"false" {
			t.Errorf("VRRP child %d: %s, want %sfalse", child, got, want)
		}
		// The configuration was read: the instance becomes master.
		vip := fmt.Sprintf("192.168.0.%d", 200+33)
		deadline := time.Now().Add(masterDown + 3*time.Second)
		for len(l.Holders(vip)) == 0 && time.Now().Before(deadline) {
			time.Sleep(100 * time.Millisecond)
		}
		if len(l.Holders(vip)) == 0 {
			t.Errorf("the detached daemon did not take %s", vip)
		}
		syscall.Kill(parent, syscall.SIGTERM)
		for i := 0; i < 200 && alive(parent); i++ {
			time.Sleep(50 * time.Millisecond)
		}
		if alive(parent) || alive(child) {
			t.Errorf("still running after SIGTERM: parent %v child %v", alive(parent), alive(child))
		}
	})
}

// TestCheckData: SIGUSR1 at the parent of a daemon run with --all makes
// its checker child write keepalived_check.data. keepalived 2.2.7's
// checker cannot run a virtual server here (no ip_vs), so the file holds
// the global definitions; ours must be keepalived's, up to keepalived's
// build lines (its nftables and libnftnl versions, which ours does not
// print anywhere yet).
func TestCheckData(t *testing.T) {
	if err := netlab.CheckReference(); err != nil {
		t.Skipf("no reference keepalived: %v", err)
	}
	conf := "global_defs {\n   router_id CHECKDATA\n   smtp_alert_checker off\n   checker_priority -3\n   max_auto_priority -1\n   script_user root\n}\n"
	l := newLab(t, 2)
	var texts [2]string
	var modes [2]os.FileMode
	for i, k := range []netlab.Kind{netlab.Ours, netlab.Reference} {
		tmp := t.TempDir()
		os.Chmod(tmp, 0o755)
		d := l.StartEnv([]string{"TMPDIR=" + tmp}, k, binary, i, l.WriteConf(fmt.Sprintf("r%d.conf", i+1), conf), "--all")
		d.MustLine("Startup complete", time.Time{}, startupTimeout)
		d.Signal(syscall.SIGUSR1)
		d.MustLine("Printing checker data for process(", time.Time{}, 3*time.Second)
		texts[i] = waitFile(t, filepath.Join(tmp, "keepalived_check.data"))
		if st, err := os.Stat(filepath.Join(tmp, "keepalived_check.data")); err == nil {
			modes[i] = st.Mode().Perm()
		}
	}
	if modes[0] != 0o600 || modes[1] != 0o600 {
		t.Errorf("file modes %v (ours) and %v (keepalived's), want 0600", modes[0], modes[1])
	}
	var keep []string
	for _, line := range strings.Split(texts[1], "\n") {
		if line != " nftables without counters" && !strings.HasPrefix(line, " libnftnl version") {
			keep = append(keep, line)
		}
	}
	if want := strings.Join(keep, "\n"); texts[0] != want {
		t.Errorf("keepalived_check.data differs from keepalived's:\nours:\n%s\nkeepalived's:\n%s", texts[0], want)
	}
	for _, s := range []string{" Router ID = CHECKDATA\n", " Default smtp_alert_checker = off\n", " Checker process priority = -3\n", " Max auto priority = Disabled\n"} {
		if !strings.Contains(texts[1], s) {
			t.Errorf("keepalived's file lacks %q: the test no longer checks it", s)
		}
	}
}
