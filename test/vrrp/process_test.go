package vrrptest

import (
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gokeepalived/gokeepalived/test/netlab"
	"golang.org/x/sys/unix"
)

// The process model as an operator meets it: a VRRP child that dies is
// respawned and carries on without a failover; a parent that dies takes
// its children with it; a stop leaves nothing of ours behind.

// childPid reads the daemon's VRRP child's pid file.
func childPid(t *testing.T, d *netlab.Daemon) int {
	t.Helper()
	b, err := os.ReadFile(d.VRRPPid)
	if err != nil {
		t.Fatalf("VRRP pid file: %v", err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || pid == d.Cmd.Process.Pid {
		t.Fatalf("VRRP pid file %q", b)
	}
	return pid
}

// alive reports whether pid runs (a zombie does not).
func alive(pid int) bool {
	st, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	s := string(st)
	i := strings.LastIndexByte(s, ')')
	return i < 0 || i+2 >= len(s) || s[i+2] != 'Z'
}

// owners samples, every period until stop, which routers hold ip, and
// returns the samples where none or more than one did.
func owners(l *lab, ip string, period time.Duration, stop <-chan struct{}) (samples int, none, two []time.Time) {
	for {
		at := time.Now()
		if h := l.Holders(ip); len(h) == 0 {
			none = append(none, at)
		} else if len(h) > 1 {
			two = append(two, at)
		}
		samples++
		select {
		case <-stop:
			return
		case <-time.After(period):
		}
	}
}

// TestVRRPChildKilled: kill -9 of the master's VRRP child. The parent
// respawns it; the new child finds the VIP still configured, resumes as
// master at once, and the backup never takes over: one owner all along.
func TestVRRPChildKilled(t *testing.T) {
	l := newLab(t, 2)
	m, b := pair(t, l, "")
	time.Sleep(1500 * time.Millisecond)
	old := childPid(t, m)
	checkCPUs(t, m.Cmd.Process.Pid, old)

	stop := make(chan struct{})
	res := make(chan [3]int)
	var twoAt []time.Time
	go func() {
		n, none, two := owners(l, vip, 20*time.Millisecond, stop)
		twoAt = two
		res <- [3]int{n, len(none), len(two)}
	}()
	killed := time.Now()
	if err := syscall.Kill(old, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	m.MustLine(fmt.Sprintf("VRRP child process(%d) died: Respawning", old), killed, 5*time.Second)
	m.MustLine("Starting VRRP child process, pid=", killed, 5*time.Second)
	resumed := m.MustLine("(VI_1) addresses still configured by the previous VRRP process: resuming as MASTER", killed, 5*time.Second)
	t.Logf("resumed as master %v after the kill", resumed.Sub(killed).Round(time.Millisecond))
	checkCPUs(t, m.Cmd.Process.Pid, childPid(t, m))
	// Longer than the backup's Master_Down_Interval.
	time.Sleep(backupDown + 500*time.Millisecond)
	close(stop)
	r := <-res
	t.Logf("%d samples: %d with no owner, %d with two", r[0], r[1], r[2])
	if r[2] > 0 {
		t.Errorf("two owners at %v", twoAt)
	}
	if r[1] > 0 {
		t.Errorf("the VIP had no owner in %d samples", r[1])
	}
	if b.CountSince("Entering MASTER STATE", killed) != 0 {
		t.Errorf("the backup took over:\n%s", b.LogText())
	}
	checkHolder(t, l, 0)
	if nw := childPid(t, m); nw == old || !alive(nw) {
		t.Errorf("no new VRRP child: %d (old %d)", nw, old)
	}
	if alive(old) {
		t.Errorf("the killed child %d still runs", old)
	}
	// The respawned child is an ordinary master: SIGTERM hands over.
	termAt := time.Now()
	m.Signal(syscall.SIGTERM)
	b.MustLine("(VI_1) Entering MASTER STATE", termAt, backupDown+2*time.Second)
	if code := m.Wait(10 * time.Second); code != 0 {
		t.Errorf("exit %d", code)
	}
}

// TestParentKilled: kill -9 of the parent. Its VRRP child is told by the
// kernel (PR_SET_PDEATHSIG) and stops as on SIGTERM: priority 0, VIP
// removed, the backup takes over within its skew; no process is left.
// The next start finds nothing in its way.
func TestParentKilled(t *testing.T) {
	l := newLab(t, 2)
	m, b := pair(t, l, "")
	time.Sleep(1500 * time.Millisecond)
	kid := childPid(t, m)
	killed := time.Now()
	m.Signal(syscall.SIGKILL)
	m.Wait(5 * time.Second)
	took := b.MustLine("(VI_1) Entering MASTER STATE", killed, backupDown+2*time.Second)
	t.Logf("backup master %v after the parent's SIGKILL", took.Sub(killed).Round(time.Millisecond))
	if gap := took.Sub(killed); gap > backupSkew+tolerance {
		t.Errorf("take-over after %v: the orphaned child did not resign (priority 0)", gap)
	}
	deadline := time.Now().Add(5 * time.Second)
	for alive(kid) && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if alive(kid) {
		t.Fatalf("VRRP child %d outlived its parent", kid)
	}
	time.Sleep(200 * time.Millisecond)
	checkHolder(t, l, 1)
	if b.Count("(VI_1) Backup received priority 0 advertisement") == 0 {
		t.Errorf("no priority 0 from the orphaned child:\n%s", b.LogText())
	}

	// Restart: no "already running", back to master by preemption.
	restart := time.Now()
	m2 := l.start(0, l.WriteConf("r1.conf", seedConf("MASTER", 100, "")))
	m2.MustLine("(VI_1) Entering MASTER STATE", restart, masterDown+3*time.Second)
	if m2.Count("daemon is already running") != 0 {
		t.Errorf("the dead daemon's pid files blocked the start")
	}
}

// TestStopLeavesNothing: SIGTERM on a master with a VMAC, virtual routes
// and rules, and static addresses, routes and rules: within
// child_wait_time everything of ours is gone — addresses, routes, rules,
// the macvlan, the pid files — and the daemon exits 0.
func TestStopLeavesNothing(t *testing.T) {
	l := newLab(t, 1)
	ns := l.Routers[0]
	snapshot := func() string {
		var b strings.Builder
		for _, args := range [][]string{
			{"-o", "addr"}, {"route", "show", "table", "all"}, {"-6", "route", "show", "table", "all"},
			{"rule"}, {"-6", "rule"}, {"-o", "link"},
		} {
			out := run(t, append([]string{"ip", "-n", ns}, args...)...)
			for _, line := range strings.Split(out, "\n") {
				// Kernel-made entries come and go with the link-local
				// addresses and neighbour state: compare what a
				// configuration can add.
				if strings.Contains(line, "fe80::") || strings.Contains(line, "ff00::/8") || strings.Contains(line, "link-netns") {
					continue
				}
				b.WriteString(line + "\n")
			}
		}
		return b.String()
	}
	before := snapshot()
	conf := `global_defs {
   router_id R1
   child_wait_time 3
}
static_ipaddress {
    10.66.0.1/32 dev eth0
}
static_routes {
    10.67.0.0/16 via 192.168.0.1 dev eth0
}
static_rules {
    from 10.66.0.1 table 166
}
vrrp_instance VI_1 {
    state MASTER
    interface eth0
    use_vmac
    virtual_router_id 51
    priority 255
    advert_int 1
    virtual_ipaddress {
        192.168.0.248/24
    }
    virtual_routes {
        10.68.0.0/16 via 192.168.0.1 dev eth0
    }
    virtual_rules {
        from 192.168.0.248 table 168
    }
}
`
	d := l.start(0, l.WriteConf("r1.conf", conf))
	d.MustLine("(VI_1) Entering MASTER STATE", time.Time{}, startupTimeout)
	time.Sleep(500 * time.Millisecond)
	during := snapshot()
	for _, want := range []string{"10.66.0.1/32", "10.67.0.0/16", "lookup 166", "192.168.0.248/24", "10.68.0.0/16", "lookup 168", "vrrp.51"} {
		if !strings.Contains(during, want) {
			t.Errorf("%s not configured while running:\n%s", want, during)
		}
	}
	stopAt := time.Now()
	d.Signal(syscall.SIGTERM)
	if code := d.Wait(3*time.Second + 2*time.Second); code != 0 {
		t.Errorf("exit %d", code)
	}
	t.Logf("stopped in %v", time.Since(stopAt).Round(time.Millisecond))
	if after := snapshot(); after != before {
		t.Errorf("left after the stop:\n--- before\n%s--- after\n%s", before, after)
	}
	for _, p := range []string{d.PidFile, d.VRRPPid, d.CheckPid} {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("pid file %s left", p)
		}
	}
}

// TestVRRPChildHung: a VRRP child that stops answering on its pipe
// (SIGSTOP: alive, but silent) is killed by the parent's watchdog and
// respawned; the cluster converges back to the configured master.
func TestVRRPChildHung(t *testing.T) {
	l := newLab(t, 2)
	m, b := pair(t, l, "")
	old := childPid(t, m)
	hungAt := time.Now()
	if err := syscall.Kill(old, syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	m.MustLine(fmt.Sprintf("VRRP child process(%d) has not answered for", old), hungAt, 20*time.Second)
	m.MustLine(fmt.Sprintf("VRRP child process(%d) died: Respawning", old), hungAt, 5*time.Second)
	m.MustLine("Starting VRRP child process, pid=", hungAt, 5*time.Second)
	// Meanwhile the backup took over (the frozen master sent nothing);
	// the new child resumes or preempts, and the backup yields.
	b.MustLine("(VI_1) Entering MASTER STATE", hungAt, 20*time.Second)
	back := time.Now()
	b.MustLine("(VI_1) Entering BACKUP STATE", hungAt, masterDown+5*time.Second)
	time.Sleep(500 * time.Millisecond)
	checkHolder(t, l, 0)
	t.Logf("hang detected and recovered in %v", back.Sub(hungAt).Round(100*time.Millisecond))
	if alive(old) {
		t.Errorf("the hung child %d still runs", old)
	}
}

// TestCheckerChildRelay: with --all the checker child runs beside the
// VRRP child (its own pid file), receives the VRRP child's state changes
// relayed by the parent (for ha_suspend), and stops with the daemon.
func TestCheckerChildRelay(t *testing.T) {
	l := newLab(t, 1)
	d := l.start(0, l.WriteConf("r1.conf", seedConf("MASTER", 255, "")), "--all")
	d.MustLine("Starting Healthcheck child process, pid=", time.Time{}, startupTimeout)
	d.MustLine("VRRP instance VI_1 is MASTER (for ha_suspend)", time.Time{}, startupTimeout)
	b, err := os.ReadFile(d.CheckPid)
	if err != nil {
		t.Fatalf("checkers pid file: %v", err)
	}
	checker, _ := strconv.Atoi(strings.TrimSpace(string(b)))
	if !alive(checker) || checker == d.Cmd.Process.Pid {
		t.Fatalf("checker pid %d", checker)
	}
	d.Signal(syscall.SIGTERM)
	if code := d.Wait(10 * time.Second); code != 0 {
		t.Errorf("exit %d", code)
	}
	if alive(checker) {
		t.Errorf("checker child %d outlived the daemon", checker)
	}
	if _, err := os.Stat(d.CheckPid); err == nil {
		t.Errorf("checkers pid file left")
	}
}

// TestDaemonize: without -n the command returns at once and the daemon
// runs detached, in a session of its own, until SIGTERM.
func TestDaemonize(t *testing.T) {
	l := newLab(t, 1)
	conf := l.WriteConf("r1.conf", seedConf("MASTER", 255, ""))
	pidFile, vrrpPid := l.Dir+"/r1.pid", l.Dir+"/r1-vrrp.pid"
	cmd := exec.Command("ip", "netns", "exec", l.Routers[0], binary, "-G", "-f", conf, "-p", pidFile, "-r", vrrpPid, "-c", l.Dir+"/r1-checkers.pid")
	start := time.Now()
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("start: %v\n%s", err, out)
	}
	t.Logf("command returned after %v", time.Since(start).Round(time.Millisecond))
	var pid int
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if b, err := os.ReadFile(vrrpPid); err == nil && len(b) > 0 {
			b, _ = os.ReadFile(pidFile)
			pid, _ = strconv.Atoi(strings.TrimSpace(string(b)))
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if pid == 0 || !alive(pid) {
		t.Fatalf("no daemon running (pid file %s)", pidFile)
	}
	t.Cleanup(func() { syscall.Kill(pid, syscall.SIGKILL) })
	if sid, err := unix.Getsid(pid); err != nil || sid != pid {
		t.Errorf("daemon %d: session %d (%v), want a session of its own", pid, sid, err)
	}
	deadline = time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if _, ok := l.vip(l.Routers[0], vip); ok {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if _, ok := l.vip(l.Routers[0], vip); !ok {
		t.Errorf("the detached daemon does not hold the VIP")
	}
	syscall.Kill(pid, syscall.SIGTERM)
	deadline = time.Now().Add(10 * time.Second)
	for alive(pid) && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if alive(pid) {
		t.Fatalf("daemon %d still runs after SIGTERM", pid)
	}
	if _, ok := l.vip(l.Routers[0], vip); ok {
		t.Errorf("VIP left after the stop")
	}
}

// TestDontRespawn: with -R a dead VRRP child is not respawned: the
// daemon stops ("died: Exiting").
func TestDontRespawn(t *testing.T) {
	l := newLab(t, 1)
	d := l.start(0, l.WriteConf("r1.conf", seedConf("MASTER", 255, "")), "-R")
	d.MustLine("(VI_1) Entering MASTER STATE", time.Time{}, startupTimeout)
	kid := childPid(t, d)
	syscall.Kill(kid, syscall.SIGKILL)
	d.MustLine(fmt.Sprintf("VRRP child process(%d) died: Exiting", kid), time.Time{}, 5*time.Second)
	d.Wait(10 * time.Second)
	if d.Count("Starting VRRP child process") != 1 {
		t.Errorf("respawned despite -R:\n%s", d.LogText())
	}
	// Nobody owns the VIP any more: the parent removed it.
	if _, ok := l.vip(l.Routers[0], vip); ok {
		t.Errorf("VIP left by the dead child")
	}
}

// cpusAllowed is a process's Cpus_allowed_list.
func cpusAllowed(t *testing.T, pid int) string {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "Cpus_allowed_list:"); ok {
			return strings.TrimSpace(v)
		}
	}
	t.Fatalf("no Cpus_allowed_list for %d", pid)
	return ""
}

// checkCPUs: the parent keeps to one CPU (its signals then wake threads
// on one CPU only); its VRRP child has every CPU the daemon was given.
func checkCPUs(t *testing.T, parent, child int) {
	t.Helper()
	own := cpusAllowed(t, os.Getpid())
	if own == "0" || !strings.ContainsAny(own, ",-") {
		return // one CPU: nothing to pin
	}
	if p := cpusAllowed(t, parent); strings.ContainsAny(p, ",-") {
		t.Errorf("parent on CPUs %s, want one", p)
	}
	if c := cpusAllowed(t, child); c != own {
		t.Errorf("VRRP child on CPUs %s, want %s", c, own)
	}
}
