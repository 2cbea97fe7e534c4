package trackingtest

import (
	"fmt"
	"testing"
	"time"

	"github.com/gokeepalived/gokeepalived/test/netlab"
)

// trackedSeg is the segment of the link the track_interface tests watch:
// eth2, on which no instance runs.
const trackedSeg = 2

// groupIfaceConf: seed 002's two instances (VI_PRI on eth0, VI_PUB on
// eth1) in sync group G, which tracks eth2 (no weight: its loss is a
// FAULT of the whole group). The group and every instance have a notify
// script.
func groupIfaceConf(groupNotify, instNotify, state string, prio int) string {
	inst := fmt.Sprintf("    notify %s\n", instNotify)
	return globalDefs("") + fmt.Sprintf(`
vrrp_sync_group G {
    group {
        VI_PRI
        VI_PUB
    }
    track_interface {
        eth%d
    }
    notify %s
}

`, trackedSeg, groupNotify) + instance("VI_PRI", state, 0, 138, prio, vipPri, inst) +
		instance("VI_PUB", state, 1, 101, prio, vipPub, inst)
}

// TestTrackInterfaceGroup: a sync group's track_interface on a third
// link that no member runs on (keepalived.conf(5): the group's tracking
// updates every member). Master 100 (state MASTER) and backup 90;
// cutting the master's eth2 takes its whole group to FAULT, it sends
// priority 0 and the backup takes both VIPs at once; mending it brings
// the group back to BACKUP and, preempting, to MASTER.
//
// keepalived 2.2.7 (observed): "Netlink reports eth2 down" (the tracked
// link is one the daemon uses), then the first member's "Entering FAULT
// STATE", "VRRP_Group(G) Syncing instances to FAULT state" and the
// other's; the notify scripts are called exactly as for a member's own
// link (TestSyncGroup), with the instances' base priority. At start the
// state MASTER members wait a full Master_Down_Interval (3 adverts and
// skew, not one advert): a group that starts as BACKUP makes its members
// want BACKUP.
func TestTrackInterfaceGroup(t *testing.T) {
	netlab.BothKinds(t, func(t *testing.T, k netlab.Kind) {
		l := newLab(t, k, 2)
		l.AddSegment(1)
		l.AddSegment(trackedSeg)
		var ds [2]*netlab.Daemon
		var gout, iout [2]string
		for i, st := range []string{"MASTER", "BACKUP"} {
			r := fmt.Sprintf("r%d", i+1)
			gout[i], iout[i] = l.path(r+"-group.out"), l.path(r+"-inst.out")
			conf := groupIfaceConf(l.recorder(r+"-group.sh", gout[i]), l.recorder(r+"-inst.sh", iout[i]), st, 100-10*i)
			ds[i] = l.start(i, l.WriteConf(r+".conf", conf))
			if i == 0 {
				// r2 starts once r1 is master: their first timers
				// (3.61 s and 3.65 s) are too close to race.
				init := ds[0].MustLine("(VI_PRI) Entering BACKUP STATE (init)", time.Time{}, startupTimeout)
				at := ds[0].MustLine("VRRP_Group(G) Syncing instances to MASTER state", time.Time{}, startupTimeout)
				if d := at.Sub(init); d < 3*advertInt {
					t.Errorf("r1's group (state MASTER, priority 100) became master %v after start, want a full Master_Down_Interval (3.61 s)", d)
				}
			}
		}
		m, b := ds[0], ds[1]
		b.MustLine("(VI_PRI) Entering BACKUP STATE (init)", time.Time{}, startupTimeout)
		b.MustLine("(VI_PUB) Entering BACKUP STATE (init)", time.Time{}, startupTimeout)
		time.Sleep(time.Second) // r2 hears r1
		l.mustHold(vipPri, 0, time.Second)
		l.mustHold(vipPub, 0, time.Second)

		cut := time.Now()
		l.CutSegment(trackedSeg, 0)
		wantLine(t, m, "Netlink reports eth2 down", cut, 2*time.Second)
		m.MustLine("VRRP_Group(G) Syncing instances to FAULT state", cut, 2*time.Second)
		m.MustLine("(VI_PRI) Entering FAULT STATE", cut, time.Second)
		m.MustLine("(VI_PUB) Entering FAULT STATE", cut, time.Second)
		wantLine(t, m, "sent 0 priority", cut, time.Second)
		b.MustLine("Backup received priority 0 advertisement", cut, 2*time.Second)
		b.MustLine("VRRP_Group(G) Syncing instances to MASTER state", cut, takeover)
		l.mustHold(vipPri, 1, 2*time.Second)
		l.mustHold(vipPub, 1, 2*time.Second)

		mend := time.Now()
		l.MendSegment(trackedSeg, 0)
		wantLine(t, m, "Netlink reports eth2 up", mend, 2*time.Second)
		m.MustLine("VRRP_Group(G) Syncing instances to BACKUP state", mend, 2*time.Second)
		m.MustLine("(VI_PRI) Entering BACKUP STATE", mend, time.Second)
		m.MustLine("(VI_PUB) Entering BACKUP STATE", mend, time.Second)
		// r1 (100) hears r2's 90 and preempts when its timer runs out.
		m.MustLine("VRRP_Group(G) Syncing instances to MASTER state", mend, takeover)
		b.MustLine("VRRP_Group(G) Syncing instances to BACKUP state", mend, takeover)
		l.mustHold(vipPri, 0, 2*time.Second)
		l.mustHold(vipPub, 0, 2*time.Second)

		checkCalls(t, gout[0], "GROUP G BACKUP 0", "GROUP G MASTER 0", "GROUP G FAULT 0", "GROUP G BACKUP 0", "GROUP G MASTER 0")
		checkCalls(t, gout[1], "GROUP G BACKUP 0", "GROUP G MASTER 0", "GROUP G BACKUP 0")
		states := [2][]string{{"BACKUP", "MASTER", "FAULT", "BACKUP", "MASTER"}, {"BACKUP", "MASTER", "BACKUP"}}
		checkInstanceCalls(t, iout, []string{"VI_PRI", "VI_PUB"}, states, [2][]int{{100, 100, 100, 100, 100}, {90, 90, 90}})
	})
}

// checkInstanceCalls checks each router's instance notify calls: for
// each name, "INSTANCE name STATE prio" with states[i] and prios[i], in
// that order (the calls for different instances of one transition run
// side by side, in no promised order).
func checkInstanceCalls(t *testing.T, outs [2]string, names []string, states [2][]string, prios [2][]int) {
	t.Helper()
	for i := range outs {
		n := len(states[i]) * len(names)
		calls := byName(waitLines(outs[i], n, 3*time.Second))
		for _, name := range names {
			var w []string
			for j, st := range states[i] {
				w = append(w, fmt.Sprintf("INSTANCE %s %s %d", name, st, prios[i][j]))
			}
			if d := equalLines(calls[name], w); d != "" {
				t.Errorf("r%d: notify calls for %s: %s", i+1, name, d)
			}
		}
		if len(calls) != len(names) {
			t.Errorf("r%d: notify calls for other names: %q", i+1, readLines(outs[i]))
		}
	}
}

// weightIfaceConf: two independent instances, VI_1 on eth0 and VI_2 on
// eth1, each tracking eth2 with weight -30, with a notify script.
func weightIfaceConf(notify, state string, prio int) string {
	inst := fmt.Sprintf(`    track_interface {
        eth%d weight -30
    }
    notify %s
`, trackedSeg, notify)
	return globalDefs("") + instance("VI_1", state, 0, 51, prio, vipPri, inst) +
		instance("VI_2", state, 1, 52, prio, vipPub, inst)
}

// TestTrackInterfaceWeight: track_interface with a weight at the
// instance level. Master 100 and backup 90 run VI_1 (eth0) and VI_2
// (eth1), both tracking eth2 with weight -30. Cutting the master's eth2
// lowers both instances to 70 at once (no FAULT); the backup ignores the
// lower adverts ("received lower priority (70) advert ... discarding"),
// takes over when its Master_Down_Timer runs out, and the old master
// steps down on its first advert. Mending eth2 restores 100 and the
// master preempts back. The notify scripts are called with the
// effective priority of the moment ("INSTANCE VI_1 BACKUP 70").
func TestTrackInterfaceWeight(t *testing.T) {
	netlab.BothKinds(t, func(t *testing.T, k netlab.Kind) {
		l := newLab(t, k, 2)
		l.AddSegment(1)
		l.AddSegment(trackedSeg)
		var ds [2]*netlab.Daemon
		var out [2]string
		for i, st := range []string{"MASTER", "BACKUP"} {
			r := fmt.Sprintf("r%d", i+1)
			out[i] = l.path(r + "-notify.out")
			ds[i] = l.start(i, l.WriteConf(r+".conf", weightIfaceConf(l.recorder(r+"-notify.sh", out[i]), st, 100-10*i)))
			if i == 0 {
				ds[0].MustLine("(VI_1) Entering MASTER STATE", time.Time{}, startupTimeout)
				ds[0].MustLine("(VI_2) Entering MASTER STATE", time.Time{}, startupTimeout)
			}
		}
		m, b := ds[0], ds[1]
		b.MustLine("(VI_1) Entering BACKUP STATE (init)", time.Time{}, startupTimeout)
		b.MustLine("(VI_2) Entering BACKUP STATE (init)", time.Time{}, startupTimeout)
		time.Sleep(time.Second)
		l.mustHold(vipPri, 0, time.Second)
		l.mustHold(vipPub, 0, time.Second)

		cut := time.Now()
		l.CutSegment(trackedSeg, 0)
		wantLine(t, m, "Netlink reports eth2 down", cut, 2*time.Second)
		for _, name := range []string{"VI_1", "VI_2"} {
			m.MustLine(fmt.Sprintf("(%s) Changing effective priority from 100 to 70", name), cut, 2*time.Second)
		}
		wantLine(t, b, "(VI_1) received lower priority (70) advert from 192.168.0.162 - discarding", cut, 3*time.Second)
		wantLine(t, b, "(VI_2) received lower priority (70) advert from 192.168.1.162 - discarding", cut, 3*time.Second)
		b.MustLine("(VI_1) Entering MASTER STATE", cut, takeover)
		b.MustLine("(VI_2) Entering MASTER STATE", cut, takeover)
		m.MustLine("(VI_1) Master received advert from 192.168.0.163 with higher priority 90, ours 70", cut, takeover)
		m.MustLine("(VI_2) Master received advert from 192.168.1.163 with higher priority 90, ours 70", cut, takeover)
		// Both VIPs leave r1 only when it entered BACKUP (at 70).
		l.mustHold(vipPri, 1, 2*time.Second)
		l.mustHold(vipPub, 1, 2*time.Second)
		if n := m.CountSince("Entering FAULT STATE", cut); n != 0 {
			t.Errorf("r1 entered FAULT although eth2 is tracked with a weight:\n%s", m.LogText())
		}

		mend := time.Now()
		l.MendSegment(trackedSeg, 0)
		wantLine(t, m, "Netlink reports eth2 up", mend, 2*time.Second)
		for _, name := range []string{"VI_1", "VI_2"} {
			m.MustLine(fmt.Sprintf("(%s) Changing effective priority from 70 to 100", name), mend, 2*time.Second)
		}
		wantLine(t, m, "(VI_1) received lower priority (90) advert from 192.168.0.163 - discarding", mend, 3*time.Second)
		m.MustLine("(VI_1) Entering MASTER STATE", mend, takeover)
		m.MustLine("(VI_2) Entering MASTER STATE", mend, takeover)
		b.MustLine("(VI_1) Master received advert from 192.168.0.162 with higher priority 100, ours 90", mend, takeover)
		b.MustLine("(VI_2) Master received advert from 192.168.1.162 with higher priority 100, ours 90", mend, takeover)
		l.mustHold(vipPri, 0, 2*time.Second)
		l.mustHold(vipPub, 0, 2*time.Second)

		states := [2][]string{{"BACKUP", "MASTER", "BACKUP", "MASTER"}, {"BACKUP", "MASTER", "BACKUP"}}
		checkInstanceCalls(t, out, []string{"VI_1", "VI_2"}, states, [2][]int{{100, 100, 70, 100}, {90, 90, 90}})
	})
}
