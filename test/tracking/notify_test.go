package trackingtest

import (
	"fmt"
	"syscall"
	"testing"
	"time"

	"github.com/gokeepalived/gokeepalived/test/netlab"
)

// notifyConf is the seed notes' instance with seed 000's notify lines:
// one script, called with "master", "backup" or "fault".
func notifyConf(notify, state string, prio int) string {
	return globalDefs("") + instance("VI_1", state, 0, 51, prio, vip, fmt.Sprintf(`    notify_master "%[1]s master"
    notify_backup "%[1]s backup"
    notify_fault "%[1]s fault"
`, notify))
}

// TestNotifyScripts: seed 001 §8's notify.sh (notify_master, notify_backup,
// notify_fault with the state as argument), reduced to appending its
// arguments to a file. Across start-up, a failover by cutting the
// master's cable and the recovery (preemption), each router's script is
// called exactly with keepalived 2.2.7's sequence: a start in BACKUP
// (init) calls "backup" first, the cable cut "fault", its return
// "backup" then "master" as the node preempts.
func TestNotifyScripts(t *testing.T) {
	netlab.BothKinds(t, func(t *testing.T, k netlab.Kind) {
		l := newLab(t, k, 2)
		out1, out2 := l.path("notify-r1.out"), l.path("notify-r2.out")
		n1, n2 := l.recorder("notify-r1.sh", out1), l.recorder("notify-r2.sh", out2)
		m := l.start(0, l.WriteConf("r1.conf", notifyConf(n1, "MASTER", 100)))
		m.MustLine("(VI_1) Entering MASTER STATE", time.Time{}, startupTimeout)
		b := l.start(1, l.WriteConf("r2.conf", notifyConf(n2, "BACKUP", 90)))
		b.MustLine("(VI_1) Entering BACKUP STATE (init)", time.Time{}, startupTimeout)
		checkCalls(t, out1, "backup", "master")
		checkCalls(t, out2, "backup")

		cut := time.Now()
		l.Cut(0)
		m.MustLine("(VI_1) Entering FAULT STATE", cut, 3*time.Second)
		b.MustLine("(VI_1) Entering MASTER STATE", cut, takeover)
		checkCalls(t, out1, "backup", "master", "fault")
		checkCalls(t, out2, "backup", "master")

		mend := time.Now()
		l.Mend(0)
		m.MustLine("(VI_1) Entering MASTER STATE", mend, takeover)
		b.MustLine("(VI_1) Entering BACKUP STATE", mend, takeover)
		checkCalls(t, out1, "backup", "master", "fault", "backup", "master")
		checkCalls(t, out2, "backup", "master", "backup")
		l.mustHold(vip, 0, 2*time.Second)
	})
}

// checkCalls waits for the script's output file p to hold the calls
// want, one per line, and fails on anything else (a missing call, an
// extra one, another order). A short grace period catches calls that
// would come after the expected ones.
func checkCalls(t *testing.T, p string, want ...string) {
	t.Helper()
	got := waitLines(p, len(want), 3*time.Second)
	if len(got) == len(want) {
		time.Sleep(200 * time.Millisecond)
		got = readLines(p)
	}
	if d := equalLines(got, want); d != "" {
		t.Errorf("calls of %s: %s", p, d)
	}
}

// TestNotifyStop: notify_stop runs when the daemon is stopped with
// SIGTERM (systemctl stop), and so does the generic notify script, with
// INSTANCE name STOP priority, and notify_fifo's line. The stop script
// runs to its end (it is not killed with the daemon) while the VRRP
// process that started it is still alive.
func TestNotifyStop(t *testing.T) {
	netlab.BothKinds(t, func(t *testing.T, k netlab.Kind) {
		l := newLab(t, k, 1)
		out := l.path("stop.out")
		fifo, lines := l.FIFO("notify.fifo")
		// The stop script says whether its parent, the process that
		// ran it, was alive when it started and records that it ran to
		// the end after a pause.
		stop := l.script("stop.sh", fmt.Sprintf(`parent=$PPID
alive=no; kill -0 $parent 2>/dev/null && alive=yes
echo "$@ parent-alive=$alive" >> %[1]s
sleep 0.5
echo "$1 done" >> %[1]s
`, out))
		notify := l.recorder("notify.sh", out)
		conf := globalDefs(fmt.Sprintf("   notify_fifo %s\n", fifo)) +
			instance("VI_1", "MASTER", 0, 51, 100, vip, fmt.Sprintf(`    notify_stop "%s stop"
    notify %s
`, stop, notify))
		d := l.start(0, l.WriteConf("r1.conf", conf))
		d.MustLine("(VI_1) Entering MASTER STATE", time.Time{}, startupTimeout)
		time.Sleep(500 * time.Millisecond)
		before := readLines(out)
		if d := equalLines(before, []string{"INSTANCE VI_1 BACKUP 100", "INSTANCE VI_1 MASTER 100"}); d != "" {
			t.Errorf("notify calls before the stop: %s", d)
		}

		termAt := time.Now()
		d.Signal(syscall.SIGTERM)
		if code := d.Wait(10 * time.Second); code != 0 {
			t.Errorf("exit %d, want 0", code)
		}
		t.Logf("stopped in %v", time.Since(termAt).Round(time.Millisecond))
		got := waitLines(out, len(before)+3, 3*time.Second)
		// The generic notify script and notify_stop run side by side:
		// their lines may come in either order.
		after := got[min(len(before), len(got)):]
		want := []string{"INSTANCE VI_1 STOP 100", "stop done", "stop parent-alive=yes"} // sorted
		if d := equalLines(sorted(after), want); d != "" {
			t.Errorf("calls after SIGTERM: %s", d)
		}
		if i, j := indexOf(after, "stop parent-alive=yes"), indexOf(after, "stop done"); i > j {
			t.Errorf("notify_stop's lines out of order: %q", after)
		}
		if d := equalLines(lines.Wait(3, time.Second), []string{
			`INSTANCE "VI_1" BACKUP 100`,
			`INSTANCE "VI_1" MASTER 100`,
			`INSTANCE "VI_1" STOP 100`,
		}); d != "" {
			t.Errorf("notify_fifo: %s", d)
		}
	})
}
