package config

import (
	"strings"
	"testing"
)

func TestNetGolden(t *testing.T) { runGolden(t, "testdata/net/cases.txt") }

// The track_group cases need the track_group block, which another part of
// the package registers; they run once it exists.
func TestNetGoldenTrackGroup(t *testing.T) {
	if _, ok := top().Entries["track_group"]; !ok && !*updateKA {
		t.Skip("top-level track_group is not registered yet")
	}
	runGolden(t, "testdata/net/cases_track_group.txt")
}

func lineNode(s string) *Node {
	n := &Node{Pos: Pos{File: "k.conf", Line: 7}, Raw: s}
	for _, w := range strings.Fields(s) {
		n.Tokens = append(n.Tokens, Token{Text: w})
	}
	return n
}

func newCtx() *Ctx {
	c := &Ctx{Opts: Options{Host: testHost(), FS: MapFS{}}}
	c.Cfg = NewConfig()
	return c
}

func msgsOf(ds Diagnostics) string {
	var m []string
	for _, d := range ds {
		m = append(m, d.Msg)
	}
	return strings.Join(m, " | ")
}

func TestParseAddressLine(t *testing.T) {
	tests := []struct {
		line   string
		static bool
		want   string // sp() of selected fields, "nil" when dropped
		msgs   string
	}{
		{"10.0.0.1", false, "10.0.0.1/32    0  false", ""},
		{"10.0.0.1/24 brd + dev eth1 scope link label eth1:1", false, "10.0.0.1/24  + eth1 253 eth1:1 false", ""},
		{"10.0.0.1/24 broadcast 10.0.0.255", false, "10.0.0.1/24 10.0.0.255   0  false", ""},
		{"10.0.0.1 use_vmac no_track", false, "10.0.0.1/32    0  true", ""},
		{"10.0.0.1 use_vmac", true, "10.0.0.1/32    0  false", "Unknown configuration entry 'use_vmac' for ip address - ignoring"},
		{"10.0.0.1 track_group G", false, "10.0.0.1/32    0  false", "Unknown configuration entry 'track_group' for ip address - ignoring | Unknown configuration entry 'G' for ip address - ignoring"},
		{"10.0.0.1 peer", false, "nil", "No peer parameter specified for 10.0.0.1"},
		{"fe80::1/64 dev eth0", false, "fe80::1/64   eth0 0  false", ""},
		{"fe80::1 brd +", false, "nil", "VRRP is trying to assign a broadcast brd to the IPv6 address fe80::1 !!?? WTF... skipping VIP..."},
		{"10.0.0.1/24 peer 10.0.0.2", false, "10.0.0.1/32    0  false", "Cannot specify address prefix when specifying peer address - ignoring"},
		{"1.2.3.4/33", false, "1.2.3.4/32    0  false", "number '33' outside range [0, 32] | Invalid address prefix len 33 for address 1.2.3.4/33 - using 32"},
		{"bad", false, "nil", "VRRP parsed invalid IP bad. skipping IP..."},
	}
	for _, tc := range tests {
		c := newCtx()
		n := lineNode(tc.line)
		var a *IPAddress
		if tc.static {
			a = ParseStaticAddressLine(c, n)
		} else {
			a = ParseAddressLine(c, n)
		}
		got := "nil"
		if a != nil {
			b := ""
			if a.Broadcast.IsValid() {
				b = a.Broadcast.String()
			}
			got = sp(a.Prefix, b, a.BroadcastMode, a.Dev, a.Scope, a.Label, a.UseVMAC)
			if a.Pos.Line != 7 || a.Text != strings.Fields(tc.line)[0] {
				t.Errorf("%q: pos %v text %q", tc.line, a.Pos, a.Text)
			}
		}
		if got != tc.want || msgsOf(c.Diags) != tc.msgs {
			t.Errorf("%q:\n got  %q / %q\n want %q / %q", tc.line, got, msgsOf(c.Diags), tc.want, tc.msgs)
		}
	}
	// Flags and lifetimes.
	c := newCtx()
	a := ParseStaticAddressLine(c, lineNode("10.0.0.1 dev eth0 home -nodad mngtmpaddr noprefixroute autojoin preferred_lft forever track_group G peer 10.0.0.2"))
	if a == nil || !a.Home || !a.NoDAD || !a.MngTmpAddr || !a.NoPrefixRoute || !a.AutoJoin || *a.PreferredLft != LifetimeForever || a.TrackGroup != "G" || a.Peer.String() != "10.0.0.2" || len(c.Diags) != 0 {
		t.Errorf("flags: %+v %v", a, c.Diags)
	}
}

func TestParseRouteLine(t *testing.T) {
	tests := []struct {
		line string
		want string
		msgs string
	}{
		{"10.1.0.0/16 via 10.0.0.254 dev eth0", "10.1.0.0/16 10.0.0.254 eth0 254 unicast 18 false false prepend", ""},
		{"default via 10.0.0.254 dev eth0 table 100 metric 5 append", "0.0.0.0/0 10.0.0.254 eth0 100 unicast 18 false false append", ""},
		{"default6 dev eth0", "::/0 invalid IP eth0 254 unicast 18 true false prepend", ""},
		{"blackhole 10.9.0.0/16", "10.9.0.0/16 invalid IP  254 blackhole 18 false true prepend", "Warning - cannot track route 10.9.0.0/16 with no interface specified, not tracking"},
		{"2001:db8::/32 via fe80::1 dev eth1 table main", "2001:db8::/32 fe80::1 eth1 254 unicast 18 true false prepend", ""},
		{"10.1.0.0/16 dev eth0 protocol bird no_track", "10.1.0.0/16 invalid IP eth0 254 unicast 12 false true prepend", ""},
		{"10.1.0.0/16 dev eth0 protocol bird", "10.1.0.0/16 invalid IP eth0 254 unicast 18 false false prepend", "Route cannot be tracked if protocol is not RTPROT_KEEPALIVED(18), resetting protocol"},
		{"10.1.0.0/16 dev eth0 track_group G", "nil", "VRRP parsed invalid IP track_group. skipping IP... | unknown route keyword track_group"},
		{"10.1.0.0/16 dev eth0 metric", "nil", "*** Configuration line starting `10.1.0.0/16` is missing a parameter after keyword `metric` at word position 5"},
	}
	for _, tc := range tests {
		c := newCtx()
		r := ParseRouteLine(c, lineNode(tc.line))
		got := "nil"
		if r != nil {
			got = sp(r.Dst, r.Via, r.Dev, r.Table, r.Type, r.Protocol, r.IPv6, r.NoTrack, r.Mode)
		}
		if got != tc.want || msgsOf(c.Diags) != tc.msgs {
			t.Errorf("%q:\n got  %q / %q\n want %q / %q", tc.line, got, msgsOf(c.Diags), tc.want, tc.msgs)
		}
	}
	// Metrics, nexthops, encap.
	c := newCtx()
	r := ParseRouteLine(c, lineNode("10.2.0.0/16 dev eth0 src 10.0.0.1 mtu lock 1400 rtt 10ms rttvar 2s rto_min 200ms tos AF11 scope link realms 1/2 onlink nexthop via 10.0.0.1 dev eth0 weight 2 nexthop via 10.0.0.2 encap mpls 100/200"))
	if r == nil || len(c.Diags) != 0 {
		t.Fatalf("route: %v", c.Diags)
	}
	m := r.Metrics
	if got := sp(r.Src, *m.MTU, m.Locked, *m.RTT, *m.RTTVar, *m.RTOMin, *r.TOS, *r.Scope, r.Realms, r.OnLink, len(r.Nexthops)); got != "10.0.0.1 1400 [mtu] 80 8000 200 40 253 65538 true 2" {
		t.Errorf("route fields: %s", got)
	}
	if nh := r.Nexthops; sp(nh[0].Via, nh[0].Dev, nh[0].Weight, nh[1].Via, nh[1].Encap.Type, nh[1].Encap.Labels) != "10.0.0.1 eth0 2 10.0.0.2 mpls [100 200]" {
		t.Errorf("nexthops: %+v", nh)
	}
	c = newCtx()
	r = ParseStaticRouteLine(c, lineNode("10.3.0.0/16 dev eth0 track_group G encap ip id 5 dst 1.2.3.4 ttl 9"))
	if r == nil || r.TrackGroup != "G" || r.Encap == nil || *r.Encap.ID != 5 || r.Encap.Dst.String() != "1.2.3.4" || *r.Encap.TTL != 9 || len(c.Diags) != 0 {
		t.Errorf("static route: %+v %v", r, c.Diags)
	}
}

func TestParseRuleLine(t *testing.T) {
	tests := []struct {
		line string
		want string
		msgs string
	}{
		{"from 10.0.0.0/8 table 100 priority 10", "10.0.0.0/8 invalid Prefix table 100 10 false false 18", ""},
		{"to 10.0.0.0/8 lookup main pref 5", "nil", "Unknown rule option pref"},
		{"from all to 2001:db8::/32 goto 50 preference 20", ":: 2001:db8::/32 goto 0 20 false true 18", ""},
		{"from 10.0.0.0/8 priority 1 blackhole", "10.0.0.0/8 invalid Prefix blackhole 0 1 false false 18", ""},
		{"from 10.0.0.0/8 priority 1 type 6", "10.0.0.0/8 invalid Prefix blackhole 0 1 false false 18", ""},
		{"from 10.0.0.0/8 table 1", "10.0.0.0/8 invalid Prefix table 1 16384 true false 18", "Rule has no preference specified - setting to 16384. This is probably not what you want."},
		{"from 10.0.0.0/8 priority 1 l3mdev", "10.0.0.0/8 invalid Prefix table 0 1 false false 18", ""},
		{"from 10.0.0.0/8 table 1 priority 2 protocol 4 no_track", "10.0.0.0/8 invalid Prefix table 1 2 false false 4", ""},
	}
	for _, tc := range tests {
		c := newCtx()
		r := ParseRuleLine(c, lineNode(tc.line))
		got := "nil"
		if r != nil {
			from := r.From.String()
			if r.FromAll {
				from = r.From.Addr().String()
			}
			got = sp(from, r.To, r.Action, r.Table, r.Priority, r.PriorityAuto, r.IPv6, r.Protocol)
		}
		if got != tc.want || msgsOf(c.Diags) != tc.msgs {
			t.Errorf("%q:\n got  %q / %q\n want %q / %q", tc.line, got, msgsOf(c.Diags), tc.want, tc.msgs)
		}
	}
	c := newCtx()
	r := ParseStaticRuleLine(c, lineNode("not from 1.2.3.0/24 iif eth0 oif eth1 tos 22 fwmark 0x10/0xff realms 30/20 table 100 priority 39 uidrange 1000-1999 ipproto udp sport 10-20 dport 30-40 suppress_prefixlength 8 tunnel-id 7 track_group G"))
	if r == nil || len(c.Diags) != 0 {
		t.Fatalf("rule: %v", c.Diags)
	}
	if got := sp(r.Not, r.IIF, r.OIF, *r.TOS, *r.Fwmark, *r.Fwmask, r.Realms, *r.UIDRange, *r.IPProto, *r.SPort, *r.DPort, *r.SuppressPrefixLen, *r.TunnelID, r.TrackGroup); got != "true eth0 eth1 22 16 255 1966100 [1000 1999] 17 [10 20] [30 40] 8 7 G" {
		t.Errorf("rule fields: %s", got)
	}
	// Automatic preferences count down per family, across lines.
	c = newCtx()
	var prios []uint32
	for _, l := range []string{"from 1.0.0.0/8 table 1", "from 2001::/16 table 1", "to 2.0.0.0/8 table 1", "from 3.0.0.0/8 table 1 priority 7"} {
		prios = append(prios, ParseRuleLine(c, lineNode(l)).Priority)
	}
	if sp(prios) != "[16384 16384 16383 7]" {
		t.Errorf("auto priorities %v", prios)
	}
}

// TestStaticInterfaceChecks runs the static blocks through the checks with
// a host that lacks some interfaces.
func TestStaticInterfaceChecks(t *testing.T) {
	src := `static_ipaddress {
 10.0.0.1/24 dev eth0
 10.0.0.2/24 dev eth9
 10.0.0.3/24
}
static_routes {
 10.1.0.0/16 dev eth9
 10.2.0.0/16 dev eth0 nexthop via 10.0.0.9 dev eth9 nexthop via 10.0.0.8 dev eth1
 10.3.0.0/16 dev eth0 vrf red
}
static_rules {
 from 10.0.0.0/8 iif eth9 table 1 priority 1
 from 10.0.0.0/8 iif eth1 table 1 priority 2
}
`
	cfg, ds := Parse("k.conf", []byte(src), Options{Host: testHost()})
	want := []string{
		"(Line 3) WARNING - interface eth9 for ip address 10.0.0.2/24 doesn't exist",
		"(Line 7) WARNING - interface eth9 for VROUTE nexthop doesn't exist",
		"(Line 8) WARNING - interface eth9 for VROUTE nexthop doesn't exist",
		"(Line 9) VRF red not found for route",
		"(Line 12) WARNING - interface eth9 for rule doesn't exist",
	}
	if got := ourMessages(ds); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(cfg.StaticAddresses) != 2 || len(cfg.StaticRoutes) != 1 || len(cfg.StaticRoutes[0].Nexthops) != 1 || len(cfg.StaticRules) != 1 {
		t.Errorf("kept %d addresses, %d routes, %d rules", len(cfg.StaticAddresses), len(cfg.StaticRoutes), len(cfg.StaticRules))
	}
	// Without the default interface an address without dev cannot run.
	h := testHost()
	h.Interfaces = []string{"eth1"}
	_, ds = Parse("k.conf", []byte("static_ipaddress {\n 10.0.0.3/24\n}\n"), Options{Host: h})
	if msgsOf(ds) != "Static address 10.0.0.3/24 requires either an interface or default interface must exist" || ds.ExitCode() != ExitConfig {
		t.Errorf("default interface: %v (exit %d)", ds, ds.ExitCode())
	}
}

// TestRTNamesFromHostFiles checks that /etc/iproute2 names are read
// through the configuration's file system.
func TestRTNamesFromHostFiles(t *testing.T) {
	fs := MapFS{
		"/etc/iproute2/rt_tables":          []byte("# comment\n100 vpn\n"),
		"/etc/iproute2/rt_tables.d/x.conf": []byte("0x65 blue\n"),
		"/etc/iproute2/rt_realms":          []byte("7 pqa\n"),
	}
	src := "static_routes {\n 10.0.0.0/8 dev eth0 table vpn realms pqa/cosmos\n 10.1.0.0/16 dev eth0 table blue\n}\n"
	cfg, ds := Parse("k.conf", []byte(src), Options{Host: testHost(), FS: fs})
	if len(ds) != 0 || len(cfg.StaticRoutes) != 2 {
		t.Fatalf("diagnostics %v", ds)
	}
	if r := cfg.StaticRoutes; r[0].Table != 100 || r[0].Realms != 7<<16 || r[1].Table != 101 {
		t.Errorf("tables %d %d realms %#x", r[0].Table, r[1].Table, r[0].Realms)
	}
}
