package trackingtest

import (
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/gokeepalived/gokeepalived/test/netlab"
)

// prioConf: VI_1 tracking file with weight -20 (a value of 1 takes 20
// off), with a notify script and a notify_fifo; priority notifications
// come from global (the global_defs keyword) or from the instance's own
// keyword.
func prioConf(file, fifo, notify, state string, prio int, global bool) string {
	g, inst := "", ""
	if global {
		g = "   vrrp_notify_priority_changes\n"
	} else {
		inst = "    notify_priority_changes\n"
	}
	return globalDefs(fmt.Sprintf("   notify_fifo %s\n%s", fifo, g)) + fmt.Sprintf(`
track_file tf {
    file %s
    weight -20
}

`, file) + instance("VI_1", state, 0, 51, prio, vip, fmt.Sprintf(`    track_file {
        tf
    }
    notify %s
%s`, notify, inst))
}

// TestPriorityFIFO: notify_priority_changes. Master 100 (global
// vrrp_notify_priority_changes) and backup 90 (the instance keyword)
// each track a file of weight -20. Every change of an instance's
// effective priority writes INSTANCE "VI_1" MASTER_PRIORITY p to its
// notify_fifo while it is master and BACKUP_PRIORITY p otherwise, before
// the state line of any transition it causes; the notify scripts are
// not called for it (keepalived 2.2.7, observed). The sequence: the
// backup drops to 70; the master drops to 80 (still above 70); the
// backup returns to 90 and takes over (80 < 90); the master returns to
// 100 and preempts.
func TestPriorityFIFO(t *testing.T) {
	netlab.BothKinds(t, func(t *testing.T, k netlab.Kind) {
		l := newLab(t, k, 2)
		var ds [2]*netlab.Daemon
		var files, outs [2]string
		var fifos [2]*netlab.Lines
		for i, st := range []string{"MASTER", "BACKUP"} {
			r := fmt.Sprintf("r%d", i+1)
			files[i], outs[i] = l.path(r+".tf"), l.path(r+"-notify.out")
			setValue(t, files[i], 0)
			var fifo string
			fifo, fifos[i] = l.FIFO(r + ".fifo")
			conf := prioConf(files[i], fifo, l.recorder(r+"-notify.sh", outs[i]), st, 100-10*i, i == 0)
			ds[i] = l.start(i, l.WriteConf(r+".conf", conf))
			if i == 0 {
				ds[0].MustLine("(VI_1) Entering MASTER STATE", time.Time{}, startupTimeout)
			}
		}
		ds[1].MustLine("(VI_1) Entering BACKUP STATE (init)", time.Time{}, startupTimeout)
		want := [2][]string{
			{`INSTANCE "VI_1" BACKUP 100`, `INSTANCE "VI_1" MASTER 100`},
			{`INSTANCE "VI_1" BACKUP 90`},
		}
		// step sets router i's file to v, waits for its priority line
		// and for the FIFO lines the step adds (adds[j] to router j).
		step := func(i, v, from, to int, wait time.Duration, adds [2][]string) {
			t.Helper()
			at := time.Now()
			setValue(t, files[i], v)
			ds[i].MustLine(fmt.Sprintf("(VI_1) Changing effective priority from %d to %d", from, to), at, 2*time.Second)
			for j := range 2 {
				want[j] = append(want[j], adds[j]...)
				got := fifos[j].Wait(len(want[j]), wait)
				if d := equalLines(got, want[j]); d != "" {
					t.Fatalf("r%d: notify_fifo after r%d's file became %d: %s", j+1, i+1, v, d)
				}
			}
		}
		step(1, 1, 90, 70, time.Second, [2][]string{nil, {`INSTANCE "VI_1" BACKUP_PRIORITY 70`}})
		step(0, 1, 100, 80, time.Second, [2][]string{{`INSTANCE "VI_1" MASTER_PRIORITY 80`}, nil})
		l.mustHold(vip, 0, time.Second) // 80 still beats 70
		step(1, 0, 70, 90, takeover, [2][]string{
			{`INSTANCE "VI_1" BACKUP 80`},
			{`INSTANCE "VI_1" BACKUP_PRIORITY 90`, `INSTANCE "VI_1" MASTER 90`}})
		l.mustHold(vip, 1, time.Second)
		step(0, 0, 80, 100, takeover, [2][]string{
			{`INSTANCE "VI_1" BACKUP_PRIORITY 100`, `INSTANCE "VI_1" MASTER 100`},
			{`INSTANCE "VI_1" BACKUP 90`}})
		l.mustHold(vip, 0, 2*time.Second)
		time.Sleep(300 * time.Millisecond) // nothing more comes
		for j := range 2 {
			if d := equalLines(fifos[j].Texts(), want[j]); d != "" {
				t.Errorf("r%d: notify_fifo: %s", j+1, d)
			}
		}
		// The notify scripts hear of state changes only.
		checkCalls(t, outs[0], "INSTANCE VI_1 BACKUP 100", "INSTANCE VI_1 MASTER 100", "INSTANCE VI_1 BACKUP 80", "INSTANCE VI_1 MASTER 100")
		checkCalls(t, outs[1], "INSTANCE VI_1 BACKUP 90", "INSTANCE VI_1 MASTER 90", "INSTANCE VI_1 BACKUP 90")
	})
}

// setValue writes v into a tracked file.
func setValue(t *testing.T, p string, v int) {
	t.Helper()
	if err := os.WriteFile(p, []byte(fmt.Sprintf("%d\n", v)), 0o644); err != nil {
		t.Fatal(err)
	}
}
