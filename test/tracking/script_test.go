package trackingtest

import (
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/gokeepalived/gokeepalived/test/netlab"
)

// maintConf is seed 000's chk_mantaince_down: a vrrp_script that fails
// while a maintenance file exists, weight -20, tracked by the seed pair.
// keepalived runs the script line as argv without a shell, so the test
// of the file is a script of its own.
func maintConf(chk, state string, prio int) string {
	return globalDefs("") + fmt.Sprintf(`
vrrp_script chk {
    script "%s"
    interval 1
    weight -20
}

`, chk) + instance("VI_1", state, 0, 51, prio, vip, `    track_script {
        chk
    }
`)
}

// TestMaintenanceFile: seed 000 §chk_mantaince_down. Master 100 and backup
// 90 both track a script that fails while a file exists. Creating the
// file on the master drops it to 80 (keepalived 2.2.7: "Script `chk` now
// returning 1", "VRRP_Script(chk) failed (exited with status 1)",
// "(VI_1) Changing effective priority from 100 to 80"); the backup, 90,
// ignores the lower adverts, takes over when its Master_Down_Timer runs
// out and the old master steps down on its first advert. Removing the
// file restores 100 and the master preempts back.
func TestMaintenanceFile(t *testing.T) {
	netlab.BothKinds(t, func(t *testing.T, k netlab.Kind) {
		l := newLab(t, k, 2)
		// Each router has its own maintenance file (the lab's routers
		// share one directory).
		maint := l.path("maint-r1")
		chk1 := l.script("chk-r1.sh", fmt.Sprintf("[ -e %s ] && exit 1 || exit 0\n", maint))
		chk2 := l.script("chk-r2.sh", fmt.Sprintf("[ -e %s ] && exit 1 || exit 0\n", l.path("maint-r2")))
		m := l.start(0, l.WriteConf("r1.conf", maintConf(chk1, "MASTER", 100)))
		wantLine(t, m, "VRRP_Script(chk) succeeded", time.Time{}, startupTimeout)
		m.MustLine("(VI_1) Entering MASTER STATE", time.Time{}, startupTimeout)
		b := l.start(1, l.WriteConf("r2.conf", maintConf(chk2, "BACKUP", 90)))
		b.MustLine("(VI_1) Entering BACKUP STATE (init)", time.Time{}, startupTimeout)
		wantLine(t, b, "VRRP_Script(chk) succeeded", time.Time{}, startupTimeout)
		l.mustHold(vip, 0, time.Second)

		down := time.Now()
		if err := os.WriteFile(maint, nil, 0o644); err != nil {
			t.Fatal(err)
		}
		m.MustLine("Script `chk` now returning 1", down, 3*time.Second)
		m.MustLine("VRRP_Script(chk) failed (exited with status 1)", down, time.Second)
		m.MustLine("(VI_1) Changing effective priority from 100 to 80", down, time.Second)
		b.MustLine("(VI_1) Entering MASTER STATE", down, takeover)
		m.MustLine("(VI_1) Master received advert from 192.168.0.163 with higher priority 90, ours 80", down, takeover)
		m.MustLine("(VI_1) Entering BACKUP STATE", down, takeover)
		l.mustHold(vip, 1, 2*time.Second)

		up := time.Now()
		if err := os.Remove(maint); err != nil {
			t.Fatal(err)
		}
		m.MustLine("Script `chk` now returning 0", up, 3*time.Second)
		m.MustLine("VRRP_Script(chk) succeeded", up, time.Second)
		m.MustLine("(VI_1) Changing effective priority from 80 to 100", up, time.Second)
		m.MustLine("(VI_1) received lower priority (90) advert from 192.168.0.163 - discarding", up, 3*time.Second)
		m.MustLine("(VI_1) Entering MASTER STATE", up, takeover)
		b.MustLine("(VI_1) Master received advert from 192.168.0.162 with higher priority 100, ours 90", up, takeover)
		b.MustLine("(VI_1) Entering BACKUP STATE", up, takeover)
		l.mustHold(vip, 0, 2*time.Second)
		// The backup's own script never failed.
		if n := b.Count("VRRP_Script(chk) failed"); n != 0 {
			t.Errorf("r2's script failed %d times:\n%s", n, b.LogText())
		}
	})
}

// weightZeroConf: a vrrp_script tracked with weight 0 (keepalived's
// default: a failure is a FAULT) and a notify script.
func weightZeroConf(chk, notify string, vrid int, vip string) string {
	return globalDefs("") + fmt.Sprintf(`
vrrp_script chk {
    script "%s"
    interval 1
}

`, chk) + instance("VI_1", "MASTER", 0, vrid, 100, vip, fmt.Sprintf(`    track_script {
        chk
    }
    notify %s
`, notify))
}

// TestScriptStartup: which state an instance tracking a weight 0
// script starts in, and what it logs and notifies. keepalived 2.2.7
// (observed) waits for the script's first result: a success gives
// "VRRP_Script(chk) succeeded" and "(VI_1) Entering BACKUP STATE" — not
// the "(init)" form — then MASTER as usual; a failure gives the script's
// lines, no state line at all, and the FAULT notification; once the
// script succeeds the instance leaves FAULT for BACKUP, then MASTER.
func TestScriptStartup(t *testing.T) {
	netlab.BothKinds(t, func(t *testing.T, k netlab.Kind) {
		l := newLab(t, k, 2)
		var ds [2]*netlab.Daemon
		var outs [2]string
		broken := l.path("broken-r2")
		if err := os.WriteFile(broken, nil, 0o644); err != nil {
			t.Fatal(err)
		}
		for i := range 2 {
			r := fmt.Sprintf("r%d", i+1)
			outs[i] = l.path(r + "-notify.out")
			chk := l.script(r+"-chk.sh", fmt.Sprintf("[ -e %s ] && exit 1 || exit 0\n", l.path("broken-"+r)))
			// Two independent routers: other VRIDs, other VIPs.
			conf := weightZeroConf(chk, l.recorder(r+"-notify.sh", outs[i]), 51+i, fmt.Sprintf("192.168.0.%d", 248+i))
			ds[i] = l.start(i, l.WriteConf(r+".conf", conf))
		}
		ok, bad := ds[0], ds[1]

		ok.MustLine("VRRP_Script(chk) succeeded", time.Time{}, startupTimeout)
		ok.MustLine("(VI_1) Entering BACKUP STATE", time.Time{}, time.Second)
		ok.MustLine("(VI_1) Entering MASTER STATE", time.Time{}, takeover)
		if n := ok.Count("(VI_1) Entering BACKUP STATE (init)"); n != 0 {
			t.Errorf("r1 logged the (init) form although its script decided its start:\n%s", ok.LogText())
		}
		checkCalls(t, outs[0], "INSTANCE VI_1 BACKUP 100", "INSTANCE VI_1 MASTER 100")

		bad.MustLine("Script `chk` now returning 1", time.Time{}, startupTimeout)
		bad.MustLine("VRRP_Script(chk) failed (exited with status 1)", time.Time{}, time.Second)
		checkCalls(t, outs[1], "INSTANCE VI_1 FAULT 100")
		time.Sleep(takeover - 3*time.Second) // r1 is master by now; r2 stays in FAULT
		if n := bad.Count("Entering"); n != 0 {
			t.Errorf("r2 logged a state although its script failed from the start:\n%s", bad.LogText())
		}
		if h := l.Holders("192.168.0.249"); len(h) != 0 {
			t.Errorf("r2's VIP held by %v while in FAULT", h)
		}

		fixed := time.Now()
		if err := os.Remove(broken); err != nil {
			t.Fatal(err)
		}
		bad.MustLine("VRRP_Script(chk) succeeded", fixed, 3*time.Second)
		bad.MustLine("(VI_1) Entering BACKUP STATE", fixed, time.Second)
		bad.MustLine("(VI_1) Entering MASTER STATE", fixed, takeover)
		checkCalls(t, outs[1], "INSTANCE VI_1 FAULT 100", "INSTANCE VI_1 BACKUP 100", "INSTANCE VI_1 MASTER 100")
		l.mustHold("192.168.0.249", 1, time.Second)
	})
}
