package vrrptest

import (
	"fmt"
	"github.com/gokeepalived/gokeepalived/test/netlab"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"
)

const vip = "192.168.0.248"

// seedConf is seed 001 §3's configuration (one VIP with its label, auth
// PASS, advert_int 1), with what the lab cannot have left out:
// vrrp_strict (iptables rules, a later issue) and the mail settings.
func seedConf(state string, prio int, extra string) string {
	return fmt.Sprintf(`! Configuration File for keepalived
global_defs {
   router_id LVS_DEVEL
   vrrp_skip_check_adv_addr
   vrrp_garp_interval 0
   vrrp_gna_interval 0
}

vrrp_instance VI_1 {
    state %s
    interface eth0
    virtual_router_id 51
    priority %d
    advert_int 1
    authentication {
        auth_type PASS
        auth_pass 1111
    }
    virtual_ipaddress {
        192.168.0.248/24 dev eth0 label eth0:0
    }
%s}
`, state, prio, extra)
}

// Protocol numbers of the seed pair (priorities 100 and 80, advert_int
// 1, VRRPv2): the backup's Skew_Time is (256-80)/256 s and its
// Master_Down_Interval 3 adverts plus that.
const (
	advertInt      = time.Second
	backupSkew     = time.Duration(256-80) * time.Second / 256 // 687.5ms
	backupDown     = 3*advertInt + backupSkew                  // 3.6875s
	masterDown     = 3*advertInt + time.Duration(256-100)*time.Second/256
	tolerance      = 400 * time.Millisecond // scheduling, process start-up, a loaded CI box
	settle         = backupDown + time.Second
	startupTimeout = 10 * time.Second
)

// pair starts the seed pair: r1 MASTER 100 first, r2 BACKUP 80 once r1
// is master (the order of the seed notes' §3.4 is the other one; this one
// makes the test's timing independent of process start-up).
func pair(t *testing.T, l *lab, extra string) (*netlab.Daemon, *netlab.Daemon) {
	t.Helper()
	m := l.start(0, l.WriteConf("r1.conf", seedConf("MASTER", 100, extra)))
	m.MustLine("(VI_1) Entering MASTER STATE", time.Time{}, startupTimeout)
	b := l.start(1, l.WriteConf("r2.conf", seedConf("BACKUP", 80, extra)))
	b.MustLine("(VI_1) Entering BACKUP STATE (init)", time.Time{}, startupTimeout)
	return m, b
}

// checkHolder asserts that exactly router holder (0-based) of the lab
// has the VIP, with its label.
func checkHolder(t *testing.T, l *lab, holder int) {
	t.Helper()
	for i, ns := range l.Routers {
		a, ok := l.vip(ns, vip)
		switch {
		case i == holder && !ok:
			t.Errorf("r%d (holder) has no %s: %+v", i+1, vip, l.addrs(ns))
		case i == holder && (a.Label != "eth0:0" || a.PrefixLen != 24):
			t.Errorf("r%d: VIP %+v, want %s/24 label eth0:0", i+1, a, vip)
		case i != holder && ok:
			t.Errorf("r%d is not the master but has %s", i+1, vip)
		}
	}
}

// TestElection: seed 001 §3. The MASTER 100 holds the VIP with its label,
// the BACKUP 80 stays backup, and the master announced the VIP with
// gratuitous ARPs.
func TestElection(t *testing.T) {
	l := newLab(t, 2)
	wire := l.Capture("arp or ip proto 112")
	m, b := pair(t, l, "")
	// Longer than the backup's Master_Down_Interval: had it not heard
	// the master it would have taken over by now.
	time.Sleep(settle)
	checkHolder(t, l, 0)
	if b.Count("Entering MASTER STATE") != 0 {
		t.Errorf("backup became master:\n%s", b.LogText())
	}
	for _, want := range []string{
		"(VI_1) Entering BACKUP STATE (init)",
		"(VI_1) Receive advertisement timeout",
		"(VI_1) setting VIPs.",
		"(VI_1) Sending/queueing gratuitous ARPs on eth0 for 192.168.0.248",
		"Sending gratuitous ARP on eth0 for 192.168.0.248",
	} {
		if m.Count(want) == 0 {
			t.Errorf("master log lacks %q", want)
		}
	}
	// garp_master_repeat defaults to 5; garp_master_delay (5 s) sends
	// five more if the test, slowed down, ran that long since the
	// transition.
	bursts := 1
	if at, ok := m.WaitLine("(VI_1) Entering MASTER STATE", time.Time{}, 0); ok && time.Since(at) > 4800*time.Millisecond {
		bursts = 2
	}
	if n := m.Count("Sending gratuitous ARP on eth0 for 192.168.0.248"); n != 5 && n != 5*bursts {
		t.Errorf("%d gratuitous ARPs logged, want 5 (or %d)", n, 5*bursts)
	}
	wireChecks(t, wire, bursts)
	if !strings.Contains(m.LogText(), "Starting Keepalived v2.2.7") {
		t.Error("no start-up line")
	}
	// The main pid file names the parent, the VRRP one its child (no
	// checker child: nothing to check).
	parentPid := fmt.Sprint(m.Cmd.Process.Pid)
	if b, err := os.ReadFile(m.PidFile); err != nil || strings.TrimSpace(string(b)) != parentPid {
		t.Errorf("pid file %s: %q %v, want %s", m.PidFile, b, err, parentPid)
	}
	b2, err := os.ReadFile(m.VRRPPid)
	child := strings.TrimSpace(string(b2))
	if err != nil || child == parentPid || child == "" {
		t.Errorf("VRRP pid file %s: %q %v, want the child's pid", m.VRRPPid, b2, err)
	} else if st, err := os.ReadFile("/proc/" + child + "/status"); err != nil || !strings.Contains(string(st), "PPid:\t"+parentPid+"\n") {
		t.Errorf("VRRP child %s is not the parent's child: %v\n%s", child, err, st)
	}
	if m.Count("Starting VRRP child process, pid="+child) != 1 {
		t.Errorf("no start line for the VRRP child %s", child)
	}
	if _, err := os.Stat(m.CheckPid); err == nil {
		t.Errorf("checkers pid file without virtual servers")
	}
}

// TestCrashFailover: the master is killed (SIGKILL, no priority 0) and its
// cable cut; the backup owns the VIP one Master_Down_Interval after the
// last advert it heard, and the client's connections to the VIP reach
// it.
func TestCrashFailover(t *testing.T) {
	l := newLab(t, 2)
	m, b := pair(t, l, "")
	l.Server(0, 8080)
	l.Server(1, 8080)
	if got := l.Dial(vip+":8080", 2*time.Second); got != "r1" {
		t.Fatalf("client reached %q through the VIP, want r1", got)
	}

	killed := time.Now()
	m.Crash()
	run(t, "ip", "-n", l.Client, "link", "set", l.Port(0), "down")
	took := b.MustLine("(VI_1) Entering MASTER STATE", killed, backupDown+3*time.Second)
	gap := took.Sub(killed)
	t.Logf("backup master %v after SIGKILL (bound %v = 3×%v + skew %v)", gap.Round(time.Millisecond), backupDown, advertInt, backupSkew)
	// The last advert came at most one interval before the kill.
	if gap > backupDown+tolerance || gap < backupDown-advertInt-tolerance {
		t.Errorf("takeover after %v, want within (%v, %v]", gap, backupDown-advertInt, backupDown+tolerance)
	}
	if _, ok := l.vip(l.Routers[1], vip); !ok {
		t.Errorf("backup has no VIP after taking over: %+v", l.addrs(l.Routers[1]))
	}
	// The gratuitous ARPs moved the client's neighbour entry.
	deadline := time.Now().Add(3 * time.Second)
	var got string
	for time.Now().Before(deadline) {
		if got = l.Dial(vip+":8080", 500*time.Millisecond); got == "r2" {
			break
		}
	}
	if got != "r2" {
		t.Errorf("client reached %q through the VIP after the failover, want r2", got)
	}

	// The master returns: the killed daemon's VIP is still on its eth0
	// and goes at start (the ledger names it); then, with preemption
	// (the default), it takes the VIP back from the lower priority.
	run(t, "ip", "-n", l.Client, "link", "set", l.Port(0), "up")
	if _, ok := l.vip(l.Routers[0], vip); !ok {
		t.Fatal("the killed master's VIP is not there to clean up: the test lost its point")
	}
	restart := time.Now()
	m2 := l.start(0, l.WriteConf("r1.conf", seedConf("MASTER", 100, "")))
	m2.MustLine("Removing addr 192.168.0.248/24 dev eth0 label eth0:0 left by a previous run", restart, startupTimeout)
	m2.MustLine("(VI_1) received lower priority (80) advert from 192.168.0.163 - discarding", restart, startupTimeout)
	back := m2.MustLine("(VI_1) Entering MASTER STATE", restart, masterDown+3*time.Second)
	t.Logf("returning master preempted %v after its start (its Master_Down_Interval %v)", back.Sub(restart).Round(time.Millisecond), masterDown)
	b.MustLine("(VI_1) Master received advert from 192.168.0.162 with higher priority 100, ours 80", restart, time.Second)
	b.MustLine("(VI_1) Entering BACKUP STATE", restart, time.Second)
	time.Sleep(300 * time.Millisecond)
	checkHolder(t, l, 0)
	deadline = time.Now().Add(3 * time.Second)
	for time.Now().Before(deadline) {
		if got = l.Dial(vip+":8080", 500*time.Millisecond); got == "r1" {
			break
		}
	}
	if got != "r1" {
		t.Errorf("client reached %q through the VIP after the master came back, want r1", got)
	}
}

// TestTermHandover: SIGTERM makes the master send priority 0 and remove
// its VIP; the backup takes over after its Skew_Time only.
func TestTermHandover(t *testing.T) {
	l := newLab(t, 2)
	m, b := pair(t, l, "")
	time.Sleep(1500 * time.Millisecond) // a few adverts heard
	termAt := time.Now()
	m.Signal(syscall.SIGTERM)
	took := b.MustLine("(VI_1) Entering MASTER STATE", termAt, backupDown+2*time.Second)
	gap := took.Sub(termAt)
	t.Logf("backup master %v after SIGTERM (Skew_Time %v)", gap.Round(time.Millisecond), backupSkew)
	if gap > backupSkew+tolerance {
		t.Errorf("takeover after %v, want about the skew %v", gap, backupSkew)
	}
	if code := m.Wait(5 * time.Second); code != 0 {
		t.Errorf("master exit %d, want 0", code)
	}
	for _, want := range []string{"Stopping", "(VI_1) sent 0 priority", "(VI_1) removing VIPs.", "Stopped Keepalived v2.2.7"} {
		if m.Count(want) == 0 {
			t.Errorf("master log lacks %q", want)
		}
	}
	if b.Count("(VI_1) Backup received priority 0 advertisement") == 0 {
		t.Errorf("backup log lacks the priority 0 line")
	}
	checkHolder(t, l, 1)
	for _, p := range []string{m.PidFile, m.VRRPPid} {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("pid file %s left after a clean stop", p)
		}
	}
}

// TestUnicast: seed 001 §4 / seed 004: unicast adverts with auth PASS
// between two nodes.
func TestUnicast(t *testing.T) {
	l := newLab(t, 2)
	uni := func(self, peer int) string {
		return fmt.Sprintf("    unicast_src_ip %s\n    unicast_peer {\n        %s\n    }\n", netlab.RouterAddr(self), netlab.RouterAddr(peer))
	}
	m := l.start(0, l.WriteConf("r1.conf", seedConf("MASTER", 100, uni(0, 1))))
	b := l.start(1, l.WriteConf("r2.conf", seedConf("BACKUP", 80, uni(1, 0))))
	m.MustLine("(VI_1) Entering MASTER STATE", time.Time{}, startupTimeout)
	time.Sleep(settle)
	checkHolder(t, l, 0)
	if b.Count("Entering MASTER STATE") != 0 {
		t.Errorf("backup became master:\n%s", b.LogText())
	}
	// And the handover works over unicast too.
	termAt := time.Now()
	m.Signal(syscall.SIGTERM)
	took := b.MustLine("(VI_1) Entering MASTER STATE", termAt, backupDown+2*time.Second)
	t.Logf("unicast: backup master %v after SIGTERM", took.Sub(termAt).Round(time.Millisecond))
	if took.Sub(termAt) > backupSkew+tolerance {
		t.Errorf("unicast takeover after %v", took.Sub(termAt))
	}
	m.Wait(5 * time.Second)
	checkHolder(t, l, 1)
}

// TestUnicastWrongPassword: a peer with another password is refused and
// counted: both sides become master (each logs the refusal).
func TestUnicastWrongPassword(t *testing.T) {
	l := newLab(t, 2)
	uni := func(self, peer int) string {
		return fmt.Sprintf("    unicast_src_ip %s\n    unicast_peer {\n        %s\n    }\n", netlab.RouterAddr(self), netlab.RouterAddr(peer))
	}
	m := l.start(0, l.WriteConf("r1.conf", seedConf("MASTER", 100, uni(0, 1))))
	m.MustLine("(VI_1) Entering MASTER STATE", time.Time{}, startupTimeout)
	b := l.start(1, l.WriteConf("r2.conf", strings.Replace(seedConf("BACKUP", 80, uni(1, 0)), "auth_pass 1111", "auth_pass 2222", 1)))
	b.MustLine("(VI_1) received an invalid passwd!", time.Time{}, startupTimeout)
	b.MustLine("(VI_1) Entering MASTER STATE", time.Time{}, backupDown+2*time.Second)
}

// TestNoPreempt: seed 001 §6. Both start as BACKUP with nopreempt; the
// lower priority, started first, becomes master, and the higher one,
// started later, leaves it there.
func TestNoPreempt(t *testing.T) {
	l := newLab(t, 2)
	b := l.start(1, l.WriteConf("r2.conf", seedConf("BACKUP", 80, "    nopreempt\n")))
	b.MustLine("(VI_1) Entering MASTER STATE", time.Time{}, backupDown+startupTimeout)
	m := l.start(0, l.WriteConf("r1.conf", seedConf("BACKUP", 100, "    nopreempt\n")))
	m.MustLine("(VI_1) Entering BACKUP STATE (init)", time.Time{}, startupTimeout)
	time.Sleep(masterDown + time.Second)
	if m.Count("Entering MASTER STATE") != 0 {
		t.Errorf("the higher priority preempted despite nopreempt:\n%s", m.LogText())
	}
	checkHolder(t, l, 1)
}

// TestMissingConfiguration: a missing main file is logged and the daemon
// stops with 6, as keepalived 2.2.7 does (with or without -e).
func TestMissingConfiguration(t *testing.T) {
	l := newLab(t, 1)
	d := l.Start(netlab.Ours, binary, 0, l.Dir+"/missing.conf")
	if code := d.Wait(startupTimeout); code != 6 {
		t.Errorf("exit %d, want 6", code)
	}
	d.MustLine("Config files missing '"+l.Dir+"/missing.conf'.", time.Time{}, time.Second)
	d.MustLine("Stopped Keepalived v2.2.7", time.Time{}, time.Second)
	if d.Count("Starting VRRP child") != 0 {
		t.Errorf("a child started:\n%s", d.LogText())
	}
}
