package vrrptest

import (
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestReload: SIGHUP on the master of the seed pair, four times. The
// same configuration changes nothing (the VIP is in every 5 ms sample
// and never deleted, even for a moment); a second VIP appears within a
// second while the first never flaps; a broken file is refused with its
// line number and changes nothing; a configuration without the instance
// removes its VIP with a priority 0 advert, and the backup takes over.
func TestReload(t *testing.T) {
	l := newLab(t, 2)
	m, b := pair(t, l, "")
	mon := l.MonitorAddrs(0)
	time.Sleep(500 * time.Millisecond)

	hup := func(text string) time.Time {
		t.Helper()
		if text != "" {
			l.WriteConf("r1.conf", text)
		}
		at := time.Now()
		m.Signal(syscall.SIGHUP)
		return at
	}
	sample := func(f func()) (int, int) {
		stop := make(chan struct{})
		res := make(chan [2]int)
		go func() {
			n, miss := l.SampleAddr(0, vip, 5*time.Millisecond, stop)
			res <- [2]int{n, miss}
		}()
		f()
		close(stop)
		r := <-res
		return r[0], r[1]
	}

	// 1. The same configuration.
	n, miss := sample(func() {
		at := hup("")
		m.MustLine("Reload complete", at, 5*time.Second)
		time.Sleep(1500 * time.Millisecond)
	})
	t.Logf("same configuration: VIP missing in %d of %d samples", miss, n)
	if miss != 0 || mon.Deleted(vip) != 0 {
		t.Errorf("VIP flapped on a reload of the same configuration: %d/%d samples missing\n%s", miss, n, mon.Text())
	}
	if m.Count("Entering") != 2 { // BACKUP (init), MASTER
		t.Errorf("state changed on reload:\n%s", m.LogText())
	}

	// 2. A second VIP.
	second := "192.168.0.249"
	withTwo := strings.Replace(seedConf("MASTER", 100, ""), "label eth0:0\n", "label eth0:0\n        "+second+"/24 dev eth0\n", 1)
	var added time.Duration
	n, miss = sample(func() {
		at := hup(withTwo)
		m.MustLine("Reload complete", at, 5*time.Second)
		deadline := time.Now().Add(2 * time.Second)
		for time.Now().Before(deadline) {
			if _, ok := l.Has(l.Routers[0], second); ok {
				added = time.Since(at)
				break
			}
			time.Sleep(5 * time.Millisecond)
		}
		time.Sleep(500 * time.Millisecond)
	})
	if added == 0 || added > time.Second {
		t.Errorf("second VIP not there within 1 s (%v): %+v", added, l.Addrs(l.Routers[0]))
	}
	t.Logf("second VIP after %v; first missing in %d of %d samples", added.Round(time.Millisecond), miss, n)
	if miss != 0 || mon.Deleted(vip) != 0 {
		t.Errorf("first VIP flapped while adding a second: %d/%d\n%s", miss, n, mon.Text())
	}

	// 3. A broken file: refused, nothing changes.
	at := hup(withTwo + "vrrp_instance VI_9 {\n    interface\n")
	m.MustLine("Reload refused, the running configuration is unchanged", at, 5*time.Second)
	if !strings.Contains(m.LogText(), "r1.conf: Line ") {
		t.Errorf("no line number in the refusal:\n%s", m.LogText())
	}
	time.Sleep(300 * time.Millisecond)
	for _, ip := range []string{vip, second} {
		if _, ok := l.Has(l.Routers[0], ip); !ok {
			t.Errorf("%s gone after a refused reload", ip)
		}
	}
	if mon.Deleted(vip) != 0 || mon.Deleted(second) != 0 || m.Exited() {
		t.Errorf("a refused reload changed something:\n%s", mon.Text())
	}

	// 4. The instance removed: priority 0, VIPs gone, the backup takes
	// over within its skew.
	at = hup("global_defs {\n   router_id LVS_DEVEL\n}\n")
	m.MustLine("(VI_1) sent 0 priority", at, 5*time.Second)
	took := b.MustLine("(VI_1) Entering MASTER STATE", at, backupDown+2*time.Second)
	if gap := took.Sub(at); gap > backupSkew+tolerance {
		t.Errorf("backup took over %v after the instance was removed, want about the skew %v", gap, backupSkew)
	}
	time.Sleep(300 * time.Millisecond)
	checkHolder(t, l, 1)
	if _, ok := l.Has(l.Routers[0], second); ok {
		t.Errorf("removed instance's second VIP still on r1")
	}
	if got := b.Count("(VI_1) Backup received priority 0 advertisement"); got == 0 {
		t.Errorf("the backup saw no priority 0:\n%s", b.LogText())
	}
}
