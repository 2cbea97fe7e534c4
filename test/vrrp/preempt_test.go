package vrrptest

import (
	"fmt"
	"syscall"
	"testing"
	"time"

	"github.com/gokeepalived/gokeepalived/test/netlab"
)

// preProbe dials the VIP from the client every period until the returned
// stop function is called, which gives the samples: the client-seen view
// of a move of the VIP.
func preProbe(l *lab, addr string, period time.Duration) (stop func() *netlab.Probe) {
	done := make(chan struct{})
	res := make(chan *netlab.Probe, 1)
	go func() { res <- l.RunProbe(addr, period, done) }()
	return func() *netlab.Probe {
		close(done)
		return <-res
	}
}

// TestPreemptAfterRestart: seed 001 §3's pair, the master stopped cleanly
// (SIGTERM, the way `systemctl stop` does it) and started again. With
// preemption on (the default), the returning priority 100 discards the
// backup's priority 80 adverts (RFC 3768 §6.4.2: a lower priority is
// ignored when Preempt_Mode is true) and takes the VIP back when its own
// Master_Down_Timer, started at its start-up, runs out; the old master
// steps down on its first advert. The client never loses the VIP for more
// than a few probe periods.
func TestPreemptAfterRestart(t *testing.T) {
	l := newLab(t, 2)
	m, b := pair(t, l, "")
	l.Server(0, 8080)
	l.Server(1, 8080)
	time.Sleep(1500 * time.Millisecond) // a few adverts heard

	termAt := time.Now()
	m.Signal(syscall.SIGTERM)
	took := b.MustLine("(VI_1) Entering MASTER STATE", termAt, backupDown+2*time.Second)
	if gap := took.Sub(termAt); gap > backupSkew+tolerance {
		t.Errorf("backup took over %v after SIGTERM, want about its skew %v", gap, backupSkew)
	}
	if code := m.Wait(5 * time.Second); code != 0 {
		t.Errorf("master exit %d, want 0", code)
	}
	checkHolder(t, l, 1)

	stop := preProbe(l, vip+":8080", 100*time.Millisecond)
	restart := time.Now()
	m2 := l.start(0, l.WriteConf("r1.conf", seedConf("MASTER", 100, "")))
	initAt := m2.MustLine("(VI_1) Entering BACKUP STATE (init)", restart, startupTimeout)
	m2.MustLine("(VI_1) received lower priority (80) advert from 192.168.0.163 - discarding", restart, startupTimeout)
	back := m2.MustLine("(VI_1) Entering MASTER STATE", restart, masterDown+startupTimeout)
	// The discarded adverts leave the timer alone: it runs out one
	// Master_Down_Interval (3 × 1 s + (256-100)/256 s) after the start.
	wait := back.Sub(initAt)
	t.Logf("returning master preempted %v after entering BACKUP (Master_Down_Interval %v)", wait.Round(time.Millisecond), masterDown)
	if wait < masterDown-tolerance || wait > masterDown+tolerance {
		t.Errorf("preempted %v after start-up, want %v ± %v", wait, masterDown, tolerance)
	}
	// The old master's lines may be read a moment before the new one's
	// (it sends its first advert, then logs): bound them by the start.
	b.MustLine("(VI_1) Master received advert from 192.168.0.162 with higher priority 100, ours 80", initAt, time.Second)
	b.MustLine("(VI_1) Entering BACKUP STATE", initAt, time.Second)
	b.MustLine("(VI_1) removing VIPs.", initAt, time.Second)
	// A clean stop removed the VIP and the ledger entry: nothing is left
	// for the new start to clean up.
	if n := m2.Count("left by a previous run"); n != 0 {
		t.Errorf("the restarted master found %d leftovers of a clean stop:\n%s", n, m2.LogText())
	}
	time.Sleep(500 * time.Millisecond)
	checkHolder(t, l, 0)
	// The client reaches the new holder: GARPs moved its neighbour entry.
	deadline := time.Now().Add(3 * time.Second)
	for time.Now().Before(deadline) && l.Dial(vip+":8080", 300*time.Millisecond) != "r1" {
	}
	p := stop()
	gap, ok := p.Gap(restart, "r2", "r1")
	if !ok {
		t.Fatalf("the client never reached r1 through the VIP after the restart: %d samples", len(p.Samples))
	}
	t.Logf("client-seen switch r2 → r1: last r2 answer to first r1 answer %v", gap.Round(time.Millisecond))
	// Both hold the VIP for an instant; a sample or two may be lost to
	// the switch of the neighbour entry, not a whole interval.
	if gap > time.Second {
		t.Errorf("client lost the VIP for %v while the master returned", gap)
	}
}

// preDelay is the preempt_delay of TestPreemptDelay. Seed 001 §7.1 uses
// 10 s; a shorter, fractional value keeps the test short, still dwarfs
// the Master_Down_Interval's jitter, and checks the microseconds of the
// log line.
const (
	preDelay     = 4500 * time.Millisecond
	preDelayText = "4.500000"
)

// preDelayConf is seed 001 §7.1 (state BACKUP everywhere, unicast between
// the two nodes, preempt_delay on the higher priority), on the lab's
// addresses and without its virtual_server (LVS is not VRRP's business).
func preDelayConf(self, peer, prio int, extra string) string {
	return fmt.Sprintf(`! Configuration File for keepalived
global_defs {
   router_id LVS_DEVEL
   vrrp_skip_check_adv_addr
   vrrp_garp_interval 0
   vrrp_gna_interval 0
}

vrrp_instance VI_1 {
    state BACKUP      #
    interface eth0
    virtual_router_id 239
    priority %d
%s    advert_int 1
    unicast_src_ip %s
    unicast_peer {
      %s
    }
    authentication {
        auth_type PASS
        auth_pass 1111
    }
    virtual_ipaddress {
		192.168.0.248/24 dev eth0 label eth0:0
    }
}
`, prio, extra, netlab.RouterAddr(self), netlab.RouterAddr(peer))
}

// TestPreemptDelay: seed 001 §7. The priority 80 runs as master; the
// priority 100 with preempt_delay starts. keepalived 2.2.7 (run beside
// this test in a lab, same log lines): the first lower priority advert
// starts the delay ("start preempt delay (10.000000)" in the seed's log);
// until it has run, the lower master's adverts are accepted and reset the
// Master_Down_Timer as if it were higher; afterwards they are discarded
// and the timer runs out. So the takeover comes preempt_delay plus one
// Master_Down_Interval after the delay started, less up to one advert
// interval (the last accepted advert came at most that long before the
// delay ended).
func TestPreemptDelay(t *testing.T) {
	l := newLab(t, 2)
	b := l.start(1, l.WriteConf("r2.conf", preDelayConf(1, 0, 80, "")))
	b.MustLine("(VI_1) Entering MASTER STATE", time.Time{}, backupDown+startupTimeout)

	m := l.start(0, l.WriteConf("r1.conf", preDelayConf(0, 1, 100, "\tpreempt_delay 4.5 #\n")))
	m.MustLine("(VI_1) Entering BACKUP STATE (init)", time.Time{}, startupTimeout)
	started := m.MustLine("(VI_1) start preempt delay ("+preDelayText+")", time.Time{}, 2*advertInt+tolerance)

	// Past the plain Master_Down_Interval, short of the delay: a node
	// without preempt_delay would have taken over by now.
	time.Sleep(time.Until(started.Add(preDelay - tolerance)))
	if n := m.Count("Entering MASTER STATE"); n != 0 {
		t.Fatalf("took over within the preempt delay:\n%s", m.LogText())
	}
	if n := m.Count("discarding"); n != 0 {
		t.Errorf("discarded the lower priority's adverts within the preempt delay:\n%s", m.LogText())
	}
	checkHolder(t, l, 1)

	// The delay over, the adverts are discarded, as without it.
	first := m.MustLine("(VI_1) received lower priority (80) advert from 192.168.0.163 - discarding", started, preDelay+advertInt+tolerance)
	if d := first.Sub(started); d < preDelay-tolerance {
		t.Errorf("first advert discarded %v after the delay started, want at least %v", d, preDelay)
	}
	back := m.MustLine("(VI_1) Entering MASTER STATE", started, preDelay+masterDown+tolerance+time.Second)
	took := back.Sub(started)
	lo, hi := preDelay+masterDown-advertInt-tolerance, preDelay+masterDown+tolerance
	t.Logf("preempted %v after the delay started (preempt_delay %v + Master_Down_Interval %v, less up to %v)",
		took.Round(time.Millisecond), preDelay, masterDown, advertInt)
	if took < lo || took > hi {
		t.Errorf("preempted %v after the delay started, want within [%v, %v]", took, lo, hi)
	}
	if n := m.Count("stop preempt delay"); n != 0 {
		t.Errorf("the delay was stopped, but no higher priority was heard:\n%s", m.LogText())
	}
	b.MustLine("(VI_1) Master received advert from 192.168.0.162 with higher priority 100, ours 80", started, time.Second)
	b.MustLine("(VI_1) Entering BACKUP STATE", started, time.Second)
	time.Sleep(500 * time.Millisecond)
	checkHolder(t, l, 0)
}
