package trackingtest

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gokeepalived/gokeepalived/test/netlab"
)

// proc is one process as /proc shows it.
type proc struct {
	pid, ppid int
	comm      string
	state     byte
	start     uint64 // clock ticks after boot: with pid (whose space is 32768 here and wraps in a busy make test) the process's identity
}

type procID struct {
	pid   int
	start uint64
}

func (p proc) id() procID { return procID{p.pid, p.start} }

// procs lists every process of the host (one PID namespace for all the
// lab's routers).
func procs() []proc {
	ents, _ := os.ReadDir("/proc")
	var ps []proc
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		s := string(b)
		open, close := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
		if open < 0 || close < open || close+4 > len(s) {
			continue
		}
		f := strings.Fields(s[close+2:])
		if len(f) < 20 {
			continue
		}
		ppid, _ := strconv.Atoi(f[1])
		start, _ := strconv.ParseUint(f[19], 10, 64)
		ps = append(ps, proc{pid: pid, ppid: ppid, comm: s[open+1 : close], state: f[0][0], start: start})
	}
	return ps
}

// vrrpChild reads the daemon's VRRP child's pid file.
func vrrpChild(t *testing.T, d *netlab.Daemon) int {
	t.Helper()
	b, err := os.ReadFile(d.VRRPPid)
	if err != nil {
		t.Fatalf("VRRP pid file: %v", err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		t.Fatalf("VRRP pid file %q: %v", b, err)
	}
	return pid
}

// hangConf: vrrp_script hang runs every 3 s with a timeout of 2 s and
// weight -10.
func hangConf(hang string, prio int, state string) string {
	return globalDefs("") + fmt.Sprintf(`
vrrp_script hang {
    script "%s"
    interval 3
    timeout 2
    weight -10
}

`, hang) + instance("VI_1", state, 0, 51, prio, vip, `    track_script {
        hang
    }
`)
}

// TestScriptTimeout: a vrrp_script that hangs (a shell running a long
// sleep, as a child, not exec'd) with timeout 2. keepalived 2.2.7
// (observed): each run is killed, the shell and its sleep together (the
// script runs in a process group of its own), 2 s after it started; the
// run counts as a failure ("VRRP_Script(hang) timed_out", logged once,
// priority 100 → 90), the next run starts at the next interval, and the
// instance goes on advertising: the backup, 80, never takes over. No
// zombie is left under the VRRP process and nothing survives the run.
func TestScriptTimeout(t *testing.T) {
	netlab.BothKinds(t, func(t *testing.T, k netlab.Kind) {
		l := newLab(t, k, 2)
		sleeper := procName()
		l.tracked(sleeper) // the copy of sleep; never started by the test
		// The lab's cleanup SIGKILLs the daemons: a run under way then
		// loses its shell to the death signal, but the sleep the shell
		// started lives on, re-parented (keepalived's runs too). Registered
		// before the daemons start, this runs after they are killed.
		t.Cleanup(func() {
			time.Sleep(100 * time.Millisecond)
			for _, p := range procs() {
				if p.comm == sleeper {
					syscall.Kill(p.pid, syscall.SIGKILL)
				}
			}
		})
		hang := l.script("hang.sh", fmt.Sprintf("%s 1000\necho not reached\n", l.path(sleeper)))
		m := l.start(0, l.WriteConf("r1.conf", hangConf(hang, 100, "MASTER")))
		start := m.MustLine("(VI_1) Entering BACKUP STATE (init)", time.Time{}, startupTimeout)
		b := l.start(1, l.WriteConf("r2.conf", globalDefs("")+instance("VI_1", "BACKUP", 0, 51, 80, vip, "")))
		b.MustLine("(VI_1) Entering BACKUP STATE (init)", time.Time{}, startupTimeout)
		child := vrrpChild(t, m)
		daemons := m.Pids()

		// Watch the script's processes: the sleep copy by its name, the
		// shell as the sleep's parent.
		type life struct {
			first, last time.Time
			comm        string
		}
		lives := map[procID]*life{}
		zombies := map[int]int{} // pid → consecutive samples seen as a zombie under the VRRP child
		var worst int
		deadline := time.Now().Add(10 * time.Second)
		for time.Now().Before(deadline) {
			now := time.Now()
			ps := procs()
			shells := map[int]bool{}
			for _, p := range ps {
				// A sleep whose shell was killed first is re-parented for a
				// moment to a subreaper (keepalived 2.2.7's main process
				// was seen as one): a daemon's process is no shell of a run.
				if p.comm == sleeper && p.state != 'Z' && !slices.Contains(daemons, p.ppid) {
					shells[p.ppid] = true
				}
			}
			seen := map[int]bool{}
			for _, p := range ps {
				if (p.comm == sleeper || shells[p.pid]) && p.state != 'Z' {
					lf := lives[p.id()]
					if lf == nil {
						lf = &life{first: now, comm: p.comm}
						lives[p.id()] = lf
					}
					lf.last = now
				}
				if p.ppid == child && p.state == 'Z' {
					seen[p.pid] = true
					zombies[p.pid]++
					worst = max(worst, zombies[p.pid])
				}
			}
			for pid := range zombies {
				if !seen[pid] {
					delete(zombies, pid)
				}
			}
			time.Sleep(100 * time.Millisecond)
		}

		m.MustLine("VRRP_Script(hang) timed_out", start, 4*time.Second)
		m.MustLine("(VI_1) Changing effective priority from 100 to 90", start, 4*time.Second)
		if n := m.Count("VRRP_Script(hang) timed_out"); n != 1 {
			t.Errorf("%d timed_out lines, want 1 (the change of state only)", n)
		}
		if n := m.Count("Entering MASTER STATE"); n != 1 {
			t.Errorf("r1 entered MASTER %d times, want once:\n%s", n, m.LogText())
		}
		if n := b.Count("Entering MASTER STATE"); n != 0 {
			t.Errorf("the backup took over: the master stopped advertising while its script hung:\n%s", b.LogText())
		}
		l.mustHold(vip, 0, time.Second)

		runs, sleeps := 0, 0
		for pid, lf := range lives {
			if lf.comm == sleeper {
				sleeps++
			} else {
				runs++
			}
			// The last run may still be under way.
			if lf.last.Before(deadline.Add(-500*time.Millisecond)) && lf.last.Sub(lf.first) > 2*time.Second+600*time.Millisecond {
				t.Errorf("%s (pid %d) lived %v, want killed at the 2 s timeout", lf.comm, pid.pid, lf.last.Sub(lf.first))
			}
		}
		t.Logf("%d runs of the script (%d sleeps) in 10 s", runs, sleeps)
		if runs < 3 || sleeps != runs {
			t.Errorf("%d shells and %d sleeps seen, want one each per 3 s interval", runs, sleeps)
		}
		if worst > 2 {
			t.Errorf("a zombie stayed under the VRRP process for %d samples (100 ms each)", worst)
		}
		// Nothing of a finished run survives (reparented to init, say).
		time.Sleep(2500 * time.Millisecond) // the current run reaches its timeout
		for _, p := range procs() {
			if lf := lives[p.id()]; lf != nil && p.state != 'Z' && time.Since(lf.first) > 2*time.Second+600*time.Millisecond {
				t.Errorf("%s (pid %d, parent %d) still runs %v after it started", p.comm, p.pid, p.ppid, time.Since(lf.first))
			}
		}
	})
}

// secureConf: enable_script_security with script_user root, a safe
// script (chk) and an unsafe one (chkw, world-writable) both tracked,
// the unsafe one also as notify_master.
func secureConf(chk, chkw string) string {
	return globalDefs("   enable_script_security\n   script_user root\n") + fmt.Sprintf(`
vrrp_script chk {
    script "%s"
    interval 1
    weight -20
}

vrrp_script chkw {
    script "%s"
    interval 1
    weight -20
}

`, chk, chkw) + instance("VI_1", "MASTER", 0, 51, 100, vip, fmt.Sprintf(`    track_script {
        chkw
        chk
    }
    notify_master "%s master"
`, chkw))
}

// TestScriptSecurity: with enable_script_security, a script file anyone
// may write is refused at start and never run, wherever it is used.
// keepalived 2.2.7 (observed): "Unsafe permissions found for script
// 'PATH' - disabling." for the vrrp_script and again for the
// notify_master, "Disabling track script chkw due to insecure"; the
// instance runs as if chkw were not tracked (no weight applied, no
// FAULT) and becomes master at priority 100 with the safe script
// succeeding.
func TestScriptSecurity(t *testing.T) {
	netlab.BothKinds(t, func(t *testing.T, k netlab.Kind) {
		l := newLab(t, k, 1)
		ran := l.path("unsafe-ran")
		chk := l.script("chk.sh", "exit 0\n")
		chkw := l.script("chkw.sh", fmt.Sprintf("echo \"$@\" >> %s\nexit 1\n", ran))
		if err := os.Chmod(chkw, 0o777); err != nil {
			t.Fatal(err)
		}
		d := l.start(0, l.WriteConf("r1.conf", secureConf(chk, chkw)))
		unsafe := fmt.Sprintf("Unsafe permissions found for script '%s' - disabling.", chkw)
		d.MustLine(unsafe, time.Time{}, startupTimeout)
		d.MustLine("Disabling track script chkw due to insecure", time.Time{}, time.Second)
		wantLine(t, d, "VRRP_Script(chk) succeeded", time.Time{}, startupTimeout)
		d.MustLine("(VI_1) Entering MASTER STATE", time.Time{}, startupTimeout)
		time.Sleep(2 * time.Second) // two more intervals of the scripts
		if n := d.Count(unsafe); n != 2 {
			t.Errorf("%d lines %q, want 2 (vrrp_script and notify_master)", n, unsafe)
		}
		for _, bad := range []string{"Changing effective priority", "FAULT", "VRRP_Script(chkw)", "SECURITY VIOLATION"} {
			if n := d.Count(bad); n != 0 {
				t.Errorf("%d lines with %q:\n%s", n, bad, d.LogText())
			}
		}
		if b, err := os.ReadFile(ran); err == nil {
			t.Errorf("the unsafe script ran: %q", b)
		}
		l.mustHold(vip, 0, time.Second)
	})
}
