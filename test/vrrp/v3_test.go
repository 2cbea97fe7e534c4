package vrrptest

import (
	"encoding/json"
	"fmt"
	"syscall"
	"testing"
	"time"

	"github.com/gokeepalived/gokeepalived/test/netlab"
)

// v3Conf is a VRRPv3 instance (vrrp_version 3, no authentication: RFC
// 5798 §9 removed it) with the interval in seconds as keepalived writes
// it ("0.05") and the virtual_ipaddress lines given.
func v3Conf(state string, prio int, interval, vips string) string {
	return fmt.Sprintf(`global_defs {
   router_id LVS_DEVEL
   vrrp_version 3
   vrrp_garp_interval 0
   vrrp_gna_interval 0
}

vrrp_instance VI_1 {
    state %s
    interface eth0
    virtual_router_id 51
    priority %d
    advert_int %s
    virtual_ipaddress {
        %s
    }
}
`, state, prio, interval, vips)
}

// down returns RFC 5798 §6.1's Master_Down_Interval of a backup of
// priority prio for the interval: 3 × interval + Skew_Time, with
// Skew_Time = (256 − prio) × interval / 256.
func down(prio int, interval time.Duration) time.Duration {
	return 3*interval + skew(prio, interval)
}

func skew(prio int, interval time.Duration) time.Duration {
	return time.Duration(256-prio) * interval / 256
}

// waitCapture waits up to two seconds for c to count n lines with every
// one of subs (tcpdump prints a little after the fact) and returns the
// count.
func waitCapture(c *netlab.Capture, n int, subs ...string) int {
	deadline := time.Now().Add(2 * time.Second)
	for {
		got := c.Count(subs...)
		if got >= n || time.Now().After(deadline) {
			return got
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// linkMAC returns the MAC address of dev in namespace ns.
func linkMAC(t *testing.T, ns, dev string) string {
	t.Helper()
	var links []struct {
		Address string `json:"address"`
	}
	out := run(t, "ip", "-n", ns, "-j", "link", "show", "dev", dev)
	if err := json.Unmarshal([]byte(out), &links); err != nil || len(links) != 1 {
		t.Fatalf("ip -j link show %s in %s: %v\n%s", dev, ns, err, out)
	}
	return links[0].Address
}

// linkLocal returns router ns's link-local address on eth0: the source
// of its IPv6 adverts (RFC 5798 §5.1.2.1).
func (l *lab) linkLocal(ns string) string {
	l.t.Helper()
	for _, a := range l.addrs(ns) {
		if a.Dev == "eth0" && a.Scope == "link" {
			return a.Local
		}
	}
	l.t.Fatalf("%s: no link-local address on eth0: %+v", ns, l.addrs(ns))
	return ""
}

// dialUntil dials addr from the client until want answers or the
// timeout passes, and returns the last answer.
func (l *lab) dialUntil(addr, want string, timeout time.Duration) string {
	deadline := time.Now().Add(timeout)
	got := ""
	for time.Now().Before(deadline) {
		if got = l.Dial(addr, 300*time.Millisecond); got == want {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	return got
}

// TestV3FastCrashFailover: VRRPv3 over IPv4 with adverts every 50 ms
// (RFC 5798 §5.2.7 counts in centiseconds). The master is killed and its
// cable cut; the backup is master one Master_Down_Interval (3 × 50 ms +
// its skew) after the last advert it heard, and the client's TCP
// connections to the VIP reach it without the client doing anything.
func TestV3FastCrashFailover(t *testing.T) {
	const interval = 50 * time.Millisecond
	bDown := down(80, interval) // 184.375ms
	l := newLab(t, 2)
	wire := l.Capture("ip proto 112")
	vipLine := vip + "/24 dev eth0 label eth0:0"
	m := l.start(0, l.WriteConf("r1.conf", v3Conf("MASTER", 100, "0.05", vipLine)))
	m.MustLine("(VI_1) Entering MASTER STATE", time.Time{}, startupTimeout)
	b := l.start(1, l.WriteConf("r2.conf", v3Conf("BACKUP", 80, "0.05", vipLine)))
	b.MustLine("(VI_1) Entering BACKUP STATE (init)", time.Time{}, startupTimeout)
	l.Server(0, 8080)
	l.Server(1, 8080)
	if got := l.dialUntil(vip+":8080", "r1", 2*time.Second); got != "r1" {
		t.Fatalf("client reached %q through the VIP, want r1", got)
	}
	// Several Master_Down_Intervals: a backup deaf to the 50 ms adverts
	// would have taken over.
	time.Sleep(5 * bDown)
	checkHolder(t, l, 0)
	if n := b.Count("Entering MASTER STATE"); n != 0 {
		t.Fatalf("backup became master %d times beside a live master:\n%s", n, b.LogText())
	}
	if wire != nil {
		if n := wire.Count("192.168.0.162 > 224.0.0.18", "VRRPv3, Advertisement, vrid 51, prio 100, intvl 5cs"); n < 10 {
			t.Errorf("%d VRRPv3 adverts at 5cs from the master on the wire:\n%s", n, wire.Text())
		}
		if n := wire.Count("192.168.0.163 > 224.0.0.18"); n != 0 {
			t.Errorf("%d adverts from the backup", n)
		}
	}

	stop, done := make(chan struct{}), make(chan *netlab.Probe)
	go func() { done <- l.RunProbe(vip+":8080", interval, stop) }()
	time.Sleep(300 * time.Millisecond)
	killed := time.Now()
	m.Crash()
	l.Cut(0)
	took := b.MustLine("(VI_1) Entering MASTER STATE", killed, 3*time.Second)
	gap := took.Sub(killed)
	t.Logf("backup master %v after SIGKILL (Master_Down_Interval %v)", gap.Round(time.Millisecond), bDown)
	// The last advert left at most one interval before the kill.
	if gap > bDown+tolerance || gap < bDown-interval-tolerance {
		t.Errorf("takeover after %v, want within (%v, %v]", gap, bDown-interval, bDown+tolerance)
	}
	time.Sleep(time.Second)
	close(stop)
	p := <-done
	cgap, ok := p.Gap(killed, "r1", "r2")
	if !ok {
		t.Fatalf("the client never reached r2 through the VIP: %+v", p.Samples)
	}
	t.Logf("client-seen outage %v", cgap.Round(time.Millisecond))
	// The gratuitous ARPs move the client at once; a dial in flight
	// costs one probe period more.
	if cgap > bDown+tolerance+2*interval {
		t.Errorf("client-seen outage %v, want at most %v", cgap, bDown+tolerance+2*interval)
	}
	if _, ok := l.vip(l.Routers[1], vip); !ok {
		t.Errorf("backup has no VIP after taking over: %+v", l.addrs(l.Routers[1]))
	}
}

// TestV3IPv6: VRRPv3 over IPv6 (RFC 5798 §5.1.2): adverts from the
// link-local address to ff02::12 with hop limit 255, the VIP announced
// with unsolicited Neighbor Advertisements carrying the Override flag
// (RFC 4861 §7.2.6: without it a client's cache keeps the old master's
// MAC), then a crash failover, the old master's return (preemption) and
// a SIGTERM handover, with the client's TCP following the VIP.
func TestV3IPv6(t *testing.T) {
	const (
		vip6     = "fd00::248"
		interval = 100 * time.Millisecond
	)
	bDown, bSkew := down(80, interval), skew(80, interval)
	l := newLab(t, 2)
	wire := l.Capture("ip6 proto 112")
	// Neighbor Advertisements (ICMPv6 type 136, RFC 4861 §4.4) to all
	// nodes: the unsolicited ones. Byte 4 of the ICMPv6 message holds the
	// R, S and O flags; 0x20 is Override.
	const na = "icmp6 and ip6[40] == 136 and ip6 dst ff02::1"
	nas := l.Capture(na)
	naOverride := l.Capture(na + " and ip6[44] & 0x20 != 0")
	conf := func(state string, prio int) string {
		return v3Conf(state, prio, "0.1", vip6+"/64 dev eth0")
	}
	mac := []string{linkMAC(t, l.Routers[0], "eth0"), linkMAC(t, l.Routers[1], "eth0")}
	ll := []string{l.linkLocal(l.Routers[0]), l.linkLocal(l.Routers[1])}
	naLine := func(i int) []string {
		return []string{mac[i] + " > 33:33:00:00:00:01", vip6 + " > ff02::1: ICMP6, neighbor advertisement, tgt is " + vip6}
	}
	holder := func(want int) {
		t.Helper()
		if hs := l.Holders(vip6); len(hs) != 1 || hs[0] != want {
			t.Errorf("%s held by routers %v, want r%d only", vip6, hs, want+1)
		}
	}
	l.Server(0, 8080)
	l.Server(1, 8080)
	addr := "[" + vip6 + "]:8080"

	// Election.
	m := l.start(0, l.WriteConf("r1.conf", conf("MASTER", 100)))
	m.MustLine("(VI_1) Entering MASTER STATE", time.Time{}, startupTimeout)
	b := l.start(1, l.WriteConf("r2.conf", conf("BACKUP", 80)))
	b.MustLine("(VI_1) Entering BACKUP STATE (init)", time.Time{}, startupTimeout)
	time.Sleep(3 * bDown)
	holder(0)
	if b.Count("Entering MASTER STATE") != 0 {
		t.Fatalf("backup became master beside a live master:\n%s", b.LogText())
	}
	if got := l.dialUntil(addr, "r1", 2*time.Second); got != "r1" {
		t.Fatalf("client reached %q through %s, want r1", got, vip6)
	}
	if n := m.Count("Sending unsolicited Neighbour Advert on eth0 for " + vip6); n != 5 {
		t.Errorf("master logged %d unsolicited NAs, want 5 (garp_master_repeat)", n)
	}
	if wire != nil {
		if n := wire.Count(mac[0]+" > 33:33:00:00:00:12", ll[0]+" > ff02::12: VRRPv3, Advertisement, vrid 51, prio 100, intvl 10cs"); n < 5 {
			t.Errorf("%d adverts from %s to ff02::12 on the wire:\n%s", n, ll[0], wire.Text())
		}
		if n := wire.Count(ll[1] + " > ff02::12"); n != 0 {
			t.Errorf("%d adverts from the backup", n)
		}
		if n := waitCapture(nas, 5, naLine(0)...); n != 5 {
			t.Errorf("%d unsolicited NAs for %s from r1 on the wire, want 5:\n%s", n, vip6, nas.Text())
		}
	}

	// Crash failover.
	killed := time.Now()
	m.Crash()
	l.Cut(0)
	took := b.MustLine("(VI_1) Entering MASTER STATE", killed, 3*time.Second)
	gap := took.Sub(killed)
	t.Logf("IPv6: backup master %v after SIGKILL (Master_Down_Interval %v)", gap.Round(time.Millisecond), bDown)
	if gap > bDown+tolerance || gap < bDown-interval-tolerance {
		t.Errorf("takeover after %v, want within (%v, %v]", gap, bDown-interval, bDown+tolerance)
	}
	if _, ok := l.vip(l.Routers[1], vip6); !ok {
		t.Errorf("r2 has no %s after taking over: %+v", vip6, l.addrs(l.Routers[1]))
	}
	if nas != nil {
		if n := waitCapture(nas, 5, naLine(1)...); n < 5 {
			t.Errorf("%d unsolicited NAs from r2 after its takeover, want 5:\n%s", n, nas.Text())
		}
	}
	// The client's neighbour entry named r1's MAC: only an NA with the
	// Override flag replaces it.
	if got := l.dialUntil(addr, "r2", 3*time.Second); got != "r2" {
		t.Errorf("client reached %q through %s after the failover, want r2", got, vip6)
	}

	// The master returns and preempts (the killed one's VIP is cleaned
	// up at start).
	l.Mend(0)
	restart := time.Now()
	m2 := l.start(0, l.WriteConf("r1.conf", conf("MASTER", 100)))
	m2.MustLine("(VI_1) Entering MASTER STATE", restart, startupTimeout)
	b.MustLine("(VI_1) Entering BACKUP STATE", restart, 2*time.Second)
	time.Sleep(3 * interval)
	holder(0)
	if got := l.dialUntil(addr, "r1", 3*time.Second); got != "r1" {
		t.Errorf("client reached %q through %s after the master came back, want r1", got, vip6)
	}

	// SIGTERM handover: priority 0, the backup takes over after its
	// Skew_Time (RFC 5798 §6.4.2).
	termAt := time.Now()
	m2.Signal(syscall.SIGTERM)
	took = b.MustLine("(VI_1) Entering MASTER STATE", termAt, 2*time.Second)
	gap = took.Sub(termAt)
	t.Logf("IPv6: backup master %v after SIGTERM (Skew_Time %v)", gap.Round(time.Millisecond), bSkew)
	if gap > bSkew+tolerance {
		t.Errorf("takeover after %v, want about the skew %v", gap, bSkew)
	}
	if code := m2.Wait(5 * time.Second); code != 0 {
		t.Errorf("master exit %d, want 0", code)
	}
	if b.CountSince("(VI_1) Backup received priority 0 advertisement", termAt) == 0 {
		t.Error("backup log lacks the priority 0 line")
	}
	holder(1)
	if wire != nil {
		if n := waitCapture(wire, 1, ll[0]+" > ff02::12", "vrid 51, prio 0,"); n == 0 {
			t.Errorf("no priority 0 advert from %s on the wire", ll[0])
		}
	}
	if got := l.dialUntil(addr, "r2", 3*time.Second); got != "r2" {
		t.Errorf("client reached %q through %s after the handover, want r2", got, vip6)
	}

	// Every unsolicited NA sent carried the Override flag.
	if nas != nil {
		time.Sleep(100 * time.Millisecond)
		all, o := nas.Count(vip6+" > ff02::1"), naOverride.Count(vip6+" > ff02::1")
		t.Logf("%d unsolicited NAs for %s, %d with Override", all, vip6, o)
		if all < 20 || o != all {
			t.Errorf("%d unsolicited NAs, %d with the Override flag; want at least 20 (4 takeovers × 5), all with it", all, o)
		}
	}
}
