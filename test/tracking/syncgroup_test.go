package trackingtest

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gokeepalived/gokeepalived/test/netlab"
)

// VIPs of the sync group test: VI_PRI's on segment 0 (eth0), VI_PUB's on
// segment 1 (eth1).
const (
	vipPri = "192.168.0.248"
	vipPub = "192.168.1.248"
)

// syncConf is seed 002's sync group VI_GROUP_xxx: two instances on two
// links (bond0 and bond1 there, eth0 and eth1 here), state BACKUP and
// nopreempt on both nodes, one group notify script; its maint-xxx script
// and virtual servers are left out. Every instance also has a notify
// script (its own output file) and the daemon a notify_fifo.
func syncConf(groupNotify, instNotify, fifo string, prio int) string {
	inst := fmt.Sprintf("    nopreempt\n    notify %s\n", instNotify)
	return globalDefs(fmt.Sprintf("   notify_fifo %s\n", fifo)) + fmt.Sprintf(`
vrrp_sync_group G {
    group {
        VI_PRI
        VI_PUB
    }
    notify %s
}

`, groupNotify) + instance("VI_PRI", "BACKUP", 0, 138, prio, vipPri, inst) +
		instance("VI_PUB", "BACKUP", 1, 101, prio, vipPub, inst)
}

// byName splits notify lines ("GROUP G MASTER 0", `INSTANCE "VI_1" ...`)
// by their second field: calls for different instances of one
// transition run side by side, in no promised order, but those for one
// name are seconds apart here.
func byName(lines []string) map[string][]string {
	m := map[string][]string{}
	for _, l := range lines {
		f := strings.Fields(l)
		if len(f) < 2 {
			m[""] = append(m[""], l)
			continue
		}
		name := strings.Trim(f[1], `"`)
		m[name] = append(m[name], l)
	}
	return m
}

// sortRuns sorts each run of consecutive notify_fifo INSTANCE lines
// with the same state: the members of a sync group move in one step,
// and which of them goes first depends on whose timer fired or whose
// link went down, not on the configuration.
func sortRuns(lines []string) []string {
	out := slices.Clone(lines)
	state := func(l string) string {
		f := strings.Fields(l)
		if len(f) < 3 || f[0] != "INSTANCE" {
			return ""
		}
		return f[2]
	}
	for i := 0; i < len(out); {
		j := i + 1
		for st := state(out[i]); st != "" && j < len(out) && state(out[j]) == st; j++ {
		}
		slices.Sort(out[i:j])
		i = j
	}
	return out
}

// TestSyncGroup: seed 002's two instances in one sync group with a group
// notify script, on a pair of nodes with equal priority (100) and
// nopreempt. The first node up becomes master of both; cutting one of
// its two cables takes the whole group to FAULT there, and both VIPs
// move together to the other node; mending it brings the group back as
// BACKUP (nopreempt: the VIPs stay where they are).
//
// keepalived 2.2.7 (observed): the group notify script is called with
// "GROUP G STATE 0" (the 4th argument, priority, is 0 for a group),
// each instance's with "INSTANCE NAME STATE 100"; notify_fifo writes
// the group's line at start-up before its members' and afterwards after
// them. On the other node, VI_PRI hears r1's priority 0 advert and its
// timer runs out, but it waits for VI_PUB (a group goes master only
// when every member may): both become master when VI_PUB's
// Master_Down_Timer ends, 3 adverts plus skew after r1's last VI_PUB
// advert.
func TestSyncGroup(t *testing.T) {
	netlab.BothKinds(t, func(t *testing.T, k netlab.Kind) {
		l := newLab(t, k, 2)
		l.AddSegment(1)
		var ds [2]*netlab.Daemon
		var fifos [2]*netlab.Lines
		var gout, iout [2]string
		for i := range 2 {
			r := fmt.Sprintf("r%d", i+1)
			gout[i], iout[i] = l.path(r+"-group.out"), l.path(r+"-inst.out")
			var fifo string
			fifo, fifos[i] = l.FIFO(r + ".fifo")
			conf := syncConf(l.recorder(r+"-group.sh", gout[i]), l.recorder(r+"-inst.sh", iout[i]), fifo, 100)
			ds[i] = l.start(i, l.WriteConf(r+".conf", conf))
			if i == 0 {
				ds[0].MustLine("(VI_PRI) Entering MASTER STATE", time.Time{}, startupTimeout)
				ds[0].MustLine("(VI_PUB) Entering MASTER STATE", time.Time{}, time.Second)
				ds[0].MustLine("VRRP_Group(G) Syncing instances to MASTER state", time.Time{}, time.Second)
			}
		}
		m, b := ds[0], ds[1]
		b.MustLine("(VI_PRI) Entering BACKUP STATE (init)", time.Time{}, startupTimeout)
		b.MustLine("(VI_PUB) Entering BACKUP STATE (init)", time.Time{}, startupTimeout)
		time.Sleep(takeover) // r2 hears r1 and stays backup
		l.mustHold(vipPri, 0, time.Second)
		l.mustHold(vipPub, 0, time.Second)

		// keepalived logs a used interface's link changes (not a -D
		// line).
		netlinkLine := func(line string, since time.Time) {
			if _, ok := m.WaitLine(line, since, 2*time.Second); !ok {
				t.Errorf("%s: no %q", m.Name, line)
			}
		}
		cut := time.Now()
		l.CutSegment(1, 0)
		netlinkLine("Netlink reports eth1 down", cut)
		m.MustLine("(VI_PUB) Entering FAULT STATE", cut, time.Second)
		m.MustLine("VRRP_Group(G) Syncing instances to FAULT state", cut, time.Second)
		m.MustLine("(VI_PRI) Entering FAULT STATE", cut, time.Second)
		b.MustLine("(VI_PRI) Backup received priority 0 advertisement", cut, 2*time.Second)
		pri := b.MustLine("(VI_PRI) Entering MASTER STATE", cut, takeover)
		pub := b.MustLine("(VI_PUB) Entering MASTER STATE", cut, takeover)
		b.MustLine("VRRP_Group(G) Syncing instances to MASTER state", cut, time.Second)
		if d := pri.Sub(pub).Abs(); d > 200*time.Millisecond {
			t.Errorf("r2's VI_PRI and VI_PUB became master %v apart, want together", d)
		}
		// VI_PRI could go at once (priority 0 heard) but waits for
		// VI_PUB, which heard nothing: 3 adverts and its skew.
		if d := pri.Sub(cut); d < 3*advertInt {
			t.Errorf("r2's group became master %v after the cut: VI_PRI did not wait for VI_PUB", d)
		}
		l.mustHold(vipPri, 1, 2*time.Second)
		l.mustHold(vipPub, 1, 2*time.Second)

		mend := time.Now()
		l.MendSegment(1, 0)
		netlinkLine("Netlink reports eth1 up", mend)
		m.MustLine("(VI_PUB) Entering BACKUP STATE", mend, time.Second)
		m.MustLine("VRRP_Group(G) Syncing instances to BACKUP state", mend, time.Second)
		m.MustLine("(VI_PRI) Entering BACKUP STATE", mend, time.Second)
		time.Sleep(takeover) // nopreempt: r1 stays backup
		l.mustHold(vipPri, 1, time.Second)
		l.mustHold(vipPub, 1, time.Second)
		if n := m.CountSince("Entering MASTER STATE", mend); n != 0 {
			t.Errorf("r1 (nopreempt) took over again:\n%s", m.LogText())
		}

		checkCalls(t, gout[0], "GROUP G BACKUP 0", "GROUP G MASTER 0", "GROUP G FAULT 0", "GROUP G BACKUP 0")
		checkCalls(t, gout[1], "GROUP G BACKUP 0", "GROUP G MASTER 0")
		want := map[int][]string{0: {"BACKUP", "MASTER", "FAULT", "BACKUP"}, 1: {"BACKUP", "MASTER"}}
		for i := range 2 {
			calls := byName(readLines(iout[i]))
			for _, name := range []string{"VI_PRI", "VI_PUB"} {
				var w []string
				for _, st := range want[i] {
					w = append(w, fmt.Sprintf("INSTANCE %s %s 100", name, st))
				}
				if d := equalLines(calls[name], w); d != "" {
					t.Errorf("r%d: notify calls for %s: %s", i+1, name, d)
				}
			}
			if len(calls) != 2 {
				t.Errorf("r%d: notify calls for other names: %q", i+1, readLines(iout[i]))
			}
			var fw []string
			for j, st := range want[i] {
				if j == 0 {
					fw = append(fw, fmt.Sprintf(`GROUP "G" %s 0`, st))
				}
				fw = append(fw, fmt.Sprintf(`INSTANCE "VI_PRI" %s 100`, st), fmt.Sprintf(`INSTANCE "VI_PUB" %s 100`, st))
				if j > 0 {
					fw = append(fw, fmt.Sprintf(`GROUP "G" %s 0`, st))
				}
			}
			if d := equalLines(sortRuns(fifos[i].Wait(len(fw), time.Second)), fw); d != "" {
				t.Errorf("r%d: notify_fifo (members' runs sorted): %s", i+1, d)
			}
		}
	})
}
