package vrrptest

import (
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/gokeepalived/gokeepalived/pkg/vrrp"
	"github.com/gokeepalived/gokeepalived/test/netlab"
)

// hostileConf is the seed pair's instance plus a unicast one (VRID 52)
// that checks its peers' source addresses, and log_unknown_vrids so that
// an advert for nobody is logged too.
func hostileConf(state string, prio int, self, peer int) string {
	c := seedConf(state, prio, "")
	c = strings.Replace(c, "   vrrp_skip_check_adv_addr\n", "   vrrp_skip_check_adv_addr\n   log_unknown_vrids\n", 1)
	return c + fmt.Sprintf(`
vrrp_instance VI_2 {
    state %s
    interface eth0
    virtual_router_id 52
    priority %d
    advert_int 1
    authentication {
        auth_type PASS
        auth_pass 2222
    }
    unicast_src_ip %s
    unicast_peer {
        %s
    }
    check_unicast_src
    virtual_ipaddress {
        192.168.0.249/24 dev eth0
    }
}
`, state, prio, netlab.RouterAddr(self), netlab.RouterAddr(peer))
}

// hostileCase is one packet from the injector and the line each target
// must log for it. The lines are keepalived 2.2.7's, observed with the
// same injector against it (TestHostile/keepalived).
type hostileCase struct {
	name string
	pkt  func(j *injector) []byte
	// want is the line each router of targets (0-based) logs: both for a
	// multicast packet, one for a unicast one.
	want    string
	targets []int
}

// advertVI2 is VI_2's advert (VRID 52, password "2222", its VIP).
func advertVI2(prio uint8) vrrp.Packet {
	p := advert2(prio)
	p.VRID = 52
	p.Addrs = []netip.Addr{netipAddr("192.168.0.249")}
	copy(p.AuthData[:], "2222")
	return p
}

func netipAddr(s string) netip.Addr { return netip.MustParseAddr(s) }

func hostileCases() []hostileCase {
	const client = netlab.ClientAddr
	g4 := vrrp.Group4.String()
	both := []int{0, 1}
	return []hostileCase{
		{"wrong TTL", func(j *injector) []byte {
			// RFC 3768 §7.1: a multicast advert with a TTL other than 255
			// may come from off the link.
			return j.ipv4(advert2(200), client, g4, 64)
		}, "(VI_1) invalid TTL/HL. Received 64 and expect 255", both},
		{"bad checksum", func(j *injector) []byte {
			return flipChecksum4(j.ipv4(advert2(200), client, g4, 255))
		}, "(VI_1) Invalid VRRPv2 checksum", both},
		{"wrong password, higher priority", func(j *injector) []byte {
			p := advert2(254)
			copy(p.AuthData[:], "guessed!")
			return j.ipv4(p, client, g4, 255)
		}, "(VI_1) received an invalid passwd!", both},
		{"no auth, higher priority", func(j *injector) []byte {
			// The password check cannot even start: the Auth Type is
			// not the instance's.
			p := advert2(254)
			p.AuthType, p.AuthData = vrrp.AuthNone, [8]byte{}
			return j.ipv4(p, client, g4, 255)
		}, "(VI_1) received a 0 auth, expecting 1!", both},
		{"wrong password, priority 0", func(j *injector) []byte {
			// Accepted, it would make the backup take over at once.
			p := advert2(0)
			copy(p.AuthData[:], "guessed!")
			return j.ipv4(p, client, g4, 255)
		}, "(VI_1) received an invalid passwd!", both},
		{"wrong version", func(j *injector) []byte {
			p := advert2(200)
			p.Version, p.AuthType, p.AuthData, p.AdvertInterval = vrrp.Version3, vrrp.AuthNone, [8]byte{}, 100
			return j.ipv4(p, client, g4, 255)
		}, "(VI_1) wrong version. Received 3 and expect 2", both},
		{"truncated addresses", func(j *injector) []byte {
			// The Count IP Addrs says 1, the address and the password are
			// cut off.
			return truncate4(j.ipv4(advert2(200), client, g4, 255), vrrp.IPv4HeaderLen+vrrp.HeaderLen)
		}, "(VI_1) vrrp packet too short, length 28 and expect 40", both},
		{"truncated header", func(j *injector) []byte {
			return truncate4(j.ipv4(advert2(200), client, g4, 255), vrrp.IPv4HeaderLen+6)
		}, "IPv4 VRRP packet too short - 26 bytes", both},
		{"unknown VRID", func(j *injector) []byte {
			p := advert2(200)
			p.VRID = 99
			return j.ipv4(p, client, g4, 255)
		}, "Unknown VRID(99) received on interface(eth0). ignoring...", both},
		{"foreign unicast source to the master", func(j *injector) []byte {
			return j.ipv4(advertVI2(254), "192.168.0.99", netlab.RouterAddr(0), 255)
		}, "(VI_2) unicast source address 192.168.0.99 not a unicast peer", []int{0}},
		{"foreign unicast source to the backup", func(j *injector) []byte {
			return j.ipv4(advertVI2(0), "192.168.0.99", netlab.RouterAddr(1), 255)
		}, "(VI_2) unicast source address 192.168.0.99 not a unicast peer", []int{1}},
		{"forged peer source, wrong VIP", func(j *injector) []byte {
			// From the backup's own peer address, the address check is
			// what is left (the backup follows that master, but
			// skip_check_adv_addr spares only adverts from its master).
			p := advertVI2(254)
			p.Addrs[0] = netipAddr("192.168.0.250")
			return j.ipv4(p, netlab.RouterAddr(1), netlab.RouterAddr(0), 255)
		}, "(VI_2) ip address associated with VRID 52 not present in MASTER advert: 192.168.0.249", []int{0}},
	}
}

// TestHostile: a host on the LAN sends broken and forged adverts to a
// running master and backup. Each packet is refused and logged with
// keepalived's line, nobody changes state, the VIPs stay where they are
// and both daemons keep running. The same injector against Debian's
// keepalived 2.2.7 (subtest "keepalived") is where the expected lines
// come from, and keeps them honest.
//
// Our daemon counts each drop per reason (internal/transport Counters)
// but exposes no counters yet: the log lines are the evidence.
func TestHostile(t *testing.T) {
	bothKinds(t, testHostile)
}

func testHostile(t *testing.T, k netlab.Kind) {
	l := newLab(t, 2)
	m := l.Start(k, binary, 0, l.WriteConf("r1.conf", hostileConf("MASTER", 100, 0, 1)))
	m.MustLine("(VI_1) Entering MASTER STATE", time.Time{}, startupTimeout)
	m.MustLine("(VI_2) Entering MASTER STATE", time.Time{}, startupTimeout)
	b := l.Start(k, binary, 1, l.WriteConf("r2.conf", hostileConf("BACKUP", 80, 1, 0)))
	b.MustLine("(VI_1) Entering BACKUP STATE", time.Time{}, startupTimeout)
	b.MustLine("(VI_2) Entering BACKUP STATE", time.Time{}, startupTimeout)
	time.Sleep(500 * time.Millisecond) // the backup hears a first advert of each
	routers := []*netlab.Daemon{m, b}
	j := newInjector(t, l)
	// The unicast forgeries must not wait for the client's ARP (the
	// kernel holds the first packet to an unresolved neighbour): a TCP
	// connection attempt (refused) resolves each router first.
	for i := range routers {
		l.Dial(netlab.RouterAddr(i)+":9", time.Second)
	}

	start := time.Now()
	for _, tc := range hostileCases() {
		sent := time.Now()
		j.send4(tc.pkt(j))
		for _, i := range tc.targets {
			if _, ok := routers[i].WaitLine(tc.want, sent, 2*time.Second); !ok {
				t.Errorf("%s: r%d did not log %q", tc.name, i+1, tc.want)
			}
		}
	}
	// Over three advert intervals since the first packet: an accepted
	// forgery would have had its effect by now.
	if rest := 3*advertInt + 200*time.Millisecond - time.Since(start); rest > 0 {
		time.Sleep(rest)
	}
	for i, d := range routers {
		if d.Exited() {
			t.Errorf("r%d exited", i+1)
		}
	}
	for _, s := range []string{"Entering MASTER STATE", "Entering BACKUP STATE", "Entering FAULT STATE"} {
		for i, d := range routers {
			if n := d.CountSince(s, start); n != 0 {
				t.Errorf("r%d logged %q %d times after the injection", i+1, s, n)
			}
		}
	}
	checkHolder(t, l, 0)
	if hs := l.Holders("192.168.0.249"); len(hs) != 1 || hs[0] != 0 {
		t.Errorf("VI_2's VIP held by %v, want r1 only", hs)
	}
	if t.Failed() {
		for i, d := range routers {
			t.Logf("r%d:\n%s", i+1, d.LogText())
		}
	}
}

// TestHostileIPv6: the injector against a VRRPv3 IPv6 pair (adverts
// every 100 ms): forged adverts from the client's link-local address
// are refused with keepalived's lines and change nothing.
func TestHostileIPv6(t *testing.T) {
	bothKinds(t, testHostileIPv6)
}

func testHostileIPv6(t *testing.T, k netlab.Kind) {
	const vip6 = "fd00::248"
	conf := func(state string, prio int) string {
		c := v3Conf(state, prio, "0.1", vip6+"/64 dev eth0")
		return strings.Replace(c, "   vrrp_version 3\n", "   vrrp_version 3\n   log_unknown_vrids\n", 1)
	}
	l := newLab(t, 2)
	m := l.Start(k, binary, 0, l.WriteConf("r1.conf", conf("MASTER", 100)))
	m.MustLine("(VI_1) Entering MASTER STATE", time.Time{}, startupTimeout)
	b := l.Start(k, binary, 1, l.WriteConf("r2.conf", conf("BACKUP", 80)))
	b.MustLine("(VI_1) Entering BACKUP STATE (init)", time.Time{}, startupTimeout)
	time.Sleep(300 * time.Millisecond)
	routers := []*netlab.Daemon{m, b}
	j := newInjector(t, l)
	if !j.ll.IsValid() {
		t.Fatal("the client's br0 has no link-local address to send from")
	}
	advert := func(prio uint8, addr string) vrrp.Packet {
		return vrrp.Packet{Version: vrrp.Version3, Type: vrrp.TypeAdvertisement, VRID: 51, Priority: prio,
			AdvertInterval: 10, Addrs: []netip.Addr{netipAddr(addr)}}
	}
	g6 := vrrp.Group6
	cases := []struct {
		name string
		hops int
		msg  func() []byte
		// want is the line each router logs; "" when keepalived logs
		// nothing (ref) or we do not (ours).
		ours, ref string
	}{
		{"hop limit 64", 64, func() []byte { return j.ipv6(advert(254, vip6), g6) },
			"(VI_1) invalid TTL/HL. Received 64 and expect 255", "(VI_1) invalid TTL/HL. Received 64 and expect 255"},
		{"unknown VRID", 255, func() []byte { p := advert(254, vip6); p.VRID = 99; return j.ipv6(p, g6) },
			"Unknown VRID(99) received on interface(eth0). ignoring...", "Unknown VRID(99) received on interface(eth0). ignoring..."},
		{"higher priority, another VIP", 255, func() []byte { return j.ipv6(advert(254, "fd00::249"), g6) },
			"(VI_1) ip address associated with VRID 51 not present in MASTER advert: fd00::248",
			"(VI_1) ip address associated with VRID 51 not present in MASTER advert: fd00::248"},
		// keepalived has the kernel verify IPv6 checksums (IPV6_CHECKSUM),
		// which drops a bad one silently; we check it ourselves to count
		// and log it.
		{"bad checksum", 255, func() []byte { b := j.ipv6(advert(0, vip6), g6); b[7] ^= 0x01; return b },
			"(VI_1) Invalid VRRPv3 checksum", ""},
	}
	start := time.Now()
	for _, tc := range cases {
		sent := time.Now()
		j.send6(tc.msg(), g6, tc.hops)
		want := tc.ours
		if k == netlab.Reference {
			want = tc.ref
		}
		if want == "" {
			continue
		}
		for i, d := range routers {
			if _, ok := d.WaitLine(want, sent, 2*time.Second); !ok {
				t.Errorf("%s: r%d did not log %q", tc.name, i+1, want)
			}
		}
	}
	time.Sleep(time.Second) // ten advert intervals
	for i, d := range routers {
		if k == netlab.Reference && d.CountSince("checksum", start) != 0 {
			t.Errorf("r%d: keepalived logged a checksum error; the silent kernel drop this test records is gone", i+1)
		}
		if d.Exited() {
			t.Errorf("r%d exited", i+1)
		}
		for _, s := range []string{"Entering MASTER STATE", "Entering BACKUP STATE", "Entering FAULT STATE"} {
			if n := d.CountSince(s, start); n != 0 {
				t.Errorf("r%d logged %q %d times after the injection", i+1, s, n)
			}
		}
	}
	if hs := l.Holders(vip6); len(hs) != 1 || hs[0] != 0 {
		t.Errorf("%s held by %v, want r1 only", vip6, hs)
	}
	if t.Failed() {
		for i, d := range routers {
			t.Logf("r%d:\n%s", i+1, d.LogText())
		}
	}
}
