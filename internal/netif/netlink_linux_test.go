package netif

import (
	"context"
	"encoding/json"
	"errors"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/netif/nstest"
)

// The namespace tests run the configuration keepalived ran in testdata
// through a Host in a namespace built like keepalived-lab.sh's, and check
// the result with "ip -j" as an operator would.

type nsLab struct {
	a, b string
	h    *Host
	log  *lineLog
	led  string
}

type lineLog struct {
	mu    sync.Mutex
	lines []Line
}

func (l *lineLog) add(ln Line) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, ln)
}

func (l *lineLog) texts() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for _, ln := range l.lines {
		out = append(out, ln.Text)
	}
	return out
}

func newNSLab(t *testing.T) *nsLab {
	t.Helper()
	l := &nsLab{a: nstest.NS(t, "nf"), b: nstest.NS(t, "nf"), log: &lineLog{}}
	nstest.Veth(t, l.a, "kv0", "02:00:00:00:77:01", l.b, "pv0", "02:00:00:00:77:02")
	nstest.IP(t, l.a, "addr", "add", "192.168.77.1/24", "dev", "kv0")
	nstest.IP(t, l.a, "addr", "add", "fd00:77::1/64", "dev", "kv0", "nodad")
	l.led = filepath.Join(t.TempDir(), "netif.json")
	l.h = l.open(t)
	return l
}

func (l *nsLab) open(t *testing.T) *Host {
	t.Helper()
	h, err := Open(Options{NetNS: l.a, Ledger: l.led, Log: l.log.add})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	return h
}

type ipAddr struct {
	Ifname   string `json:"ifname"`
	AddrInfo []struct {
		Family    string `json:"family"`
		Local     string `json:"local"`
		Address   string `json:"address"`
		Prefixlen int    `json:"prefixlen"`
		Broadcast string `json:"broadcast"`
		Scope     string `json:"scope"`
		Label     string `json:"label"`
		NoDAD     bool   `json:"nodad"`
		NoPrefix  bool   `json:"noprefixroute"`
		Preferred uint32 `json:"preferred_life_time"`
	} `json:"addr_info"`
}

// addrs renders the namespace's addresses as "dev local[/len] [peer P]
// [brd B] scope S [label L] [nodad] [deprecated] [noprefixroute]",
// leaving out the lab's own and the kernel's.
func (l *nsLab) addrs(t *testing.T) []string {
	t.Helper()
	var links []ipAddr
	if err := json.Unmarshal([]byte(nstest.IP(t, l.a, "-j", "addr")), &links); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, ln := range links {
		for _, a := range ln.AddrInfo {
			switch {
			case a.Local == "192.168.77.1", a.Local == "fd00:77::1", ln.Ifname == "lo",
				strings.HasPrefix(a.Local, "fe80:") && !strings.HasPrefix(ln.Ifname, "vrrp."):
				continue
			}
			s := ln.Ifname + " " + a.Local
			if a.Address != "" {
				s += " peer " + a.Address
			}
			s += "/" + strconv.Itoa(a.Prefixlen)
			if a.Broadcast != "" {
				s += " brd " + a.Broadcast
			}
			s += " " + a.Scope
			if a.Label != "" && a.Label != ln.Ifname {
				s += " label " + a.Label
			}
			if a.NoDAD {
				s += " nodad"
			}
			if a.Family == "inet6" && a.Preferred == 0 {
				s += " deprecated"
			}
			if a.NoPrefix {
				s += " noprefixroute"
			}
			out = append(out, s)
		}
	}
	slices.Sort(out)
	return out
}

// routes and rules list the keepalived-protocol (and unspec-protocol
// rule) entries, as ip prints them.
func (l *nsLab) routes(t *testing.T) []string {
	t.Helper()
	var out []string
	for _, fam := range []string{"-4", "-6"} {
		for _, ln := range strings.Split(nstest.IP(t, l.a, fam, "route", "show", "table", "all", "proto", "keepalived"), "\n") {
			if ln = strings.TrimSpace(ln); ln != "" {
				out = append(out, ln)
			}
		}
	}
	slices.Sort(out)
	return out
}

func (l *nsLab) rules(t *testing.T) []string {
	t.Helper()
	var out []string
	for _, fam := range []string{"-4", "-6"} {
		for _, ln := range strings.Split(nstest.IP(t, l.a, "-d", fam, "rule"), "\n") {
			if ln = strings.TrimSpace(ln); ln != "" && !strings.Contains(ln, "proto kernel") {
				out = append(out, ln)
			}
		}
	}
	return out
}

func equalLines(t *testing.T, what string, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s:\n got %q\nwant %q", what, got, want)
	}
}

// TestHostKeepalivedConfig applies keepalived-2.2.7-netlink.conf's static
// block and instance as keepalived does (at start, then becoming master),
// checks what ip(8) shows (as it showed under keepalived), removes it all
// and checks that nothing is left, not even the peer address keepalived
// leaves behind.
func TestHostKeepalivedConfig(t *testing.T) {
	l := newNSLab(t)
	cfg := parseLab(t, "testdata/keepalived-2.2.7-netlink.conf")
	static, inst := StaticSet(cfg), InstanceSet(cfg.Instances[0], "")

	// Start-up: what the configuration names is cleared (nothing there:
	// no error), the static block added.
	if err := l.h.Apply(PlanRemove(inst)); err != nil {
		t.Fatalf("start-up removal: %v", err)
	}
	if err := l.h.Apply(PlanAdd(static)); err != nil {
		t.Fatal(err)
	}
	// Master.
	if err := l.h.Apply(PlanAdd(inst)); err != nil {
		t.Fatal(err)
	}
	equalLines(t, "addresses", l.addrs(t), []string{
		"kv0 10.77.0.1 peer 10.77.0.2/32 global",
		"kv0 10.78.0.1/24 link label kv0:vip",
		"kv0 192.168.77.10/32 global",
		"kv0 192.168.77.11/24 brd 192.168.77.255 global",
		"kv0 192.168.77.12/24 brd 192.168.77.255 global",
		"kv0 192.168.77.13/24 brd 192.168.77.0 global",
		"kv0 192.168.77.14/24 global noprefixroute",
		"kv0 192.168.77.15/24 global",
		"kv0 192.168.78.1/24 global",
		"kv0 192.168.79.1/24 global",
		"kv0 fd00:77::10/64 global nodad",
		"kv0 fd00:77::11/128 global nodad deprecated",
		"kv0 fd00:77::12/64 global nodad deprecated",
		"kv0 fd00:77::13/64 global",
		"kv0 fd00:77::14/64 global nodad",
		"kv0 fd00:77::15/64 global nodad noprefixroute",
		"kv0 fd00:78::1 peer fd00:78::2/128 global nodad deprecated",
	})
	equalLines(t, "routes", l.routes(t), []string{
		"10.89.0.0/16 tos 0x10 dev kv0 scope link",
		"10.90.0.0/16 via 192.168.77.2 dev kv0 table 1000 mtu 1400",
		"10.91.0.0/16 via 192.168.77.2 dev kv0 src 192.168.77.10 metric 50",
		"10.93.0.0/16 via 192.168.77.2 dev kv0",
		"10.94.0.0/16 via 192.168.77.2 dev kv0",
		"10.95.0.0/16 via 192.168.77.2 dev kv0",
		"10.96.0.0/16 via 192.168.77.2 dev kv0",
		"10.98.0.0/16 dev kv0 table 100",
		"10.99.0.0/16 via 192.168.77.2 dev kv0",
		"blackhole 10.97.0.0/16",
		"fd00:97::/64 dev kv0 metric 2000 pref medium",
		"fd00:99::/64 via fd00:77::2 dev kv0 metric 1024 pref medium",
		"prohibit 10.92.0.0/16",
		"unreachable fd00:98::/64 dev lo metric 1024 pref medium",
	})
	equalLines(t, "rules", l.rules(t), []string{
		"200:\tfrom all to 10.5.0.0/16 lookup 100 proto keepalived",
		"301:\tfrom 192.168.78.1 lookup 100 proto unspec",
		"302:\tfrom all to 192.168.78.0/24 fwmark 0x5/0xff lookup 102 proto keepalived",
		"303:\tfrom all iif kv0 lookup 103 proto keepalived",
		"304:\tnot from 10.6.0.0/16 lookup 104 proto keepalived",
		"1000:\tfrom 192.168.79.1 lookup 101 proto keepalived",
		"16384:\tfrom 192.168.77.10 lookup 100 proto keepalived",
		"300:\tfrom fd00:77::10 lookup 100 proto keepalived",
	})
	// Applying again changes nothing and fails nothing (EEXIST).
	if err := l.h.Apply(PlanAdd(inst)); err != nil {
		t.Fatalf("second add: %v", err)
	}
	if n := len(l.h.Owned()); n != static.Len()+inst.Len() {
		t.Errorf("ledger holds %d entries, want %d", n, static.Len()+inst.Len())
	}
	// Backup then stop.
	if err := l.h.Apply(PlanRemove(inst)); err != nil {
		t.Fatal(err)
	}
	if err := l.h.Apply(PlanRemove(inst)); err != nil {
		t.Fatalf("second removal: %v", err)
	}
	if err := l.h.Release(); err != nil {
		t.Fatal(err)
	}
	equalLines(t, "addresses after stop", l.addrs(t), nil)
	equalLines(t, "routes after stop", l.routes(t), nil)
	equalLines(t, "rules after stop", l.rules(t), nil)
	if _, err := os.Stat(l.led); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("ledger left after a clean stop: %v", err)
	}
	for _, ln := range l.log.texts() {
		t.Errorf("unexpected log line %q", ln)
	}
}

// TestHostLeftovers kills a "daemon" (drops its Host without Release)
// after a reload that changed its configuration, and checks that the next
// start removes exactly what the dead one had added, and only that.
func TestHostLeftovers(t *testing.T) {
	l := newNSLab(t)
	cfg := parseLab(t, "testdata/keepalived-2.2.7-vmac.conf")
	sets := InstanceSet(cfg.Instances[0], "")
	if err := l.h.Apply(PlanAdd(sets)); err != nil {
		t.Fatal(err)
	}
	vm, _ := VMACFromConfig(cfg.Instances[1], &cfg.Global)
	if err := l.h.CreateVMAC(vm); err != nil {
		t.Fatal(err)
	}
	vset := InstanceSet(cfg.Instances[1], vm.Name)
	if err := l.h.Apply(PlanAdd(vset)); err != nil {
		t.Fatal(err)
	}
	// Somebody else's address and route, which must survive.
	nstest.IP(t, l.a, "addr", "add", "10.200.0.1/32", "dev", "kv0")
	nstest.IP(t, l.a, "route", "add", "10.201.0.0/16", "dev", "kv0", "proto", "keepalived")
	l.h.Close() // killed: no Release

	before := l.addrs(t)
	if len(before) != 6 || !slices.Contains(before, "vrrp.53 192.168.77.53/24 global") {
		t.Fatalf("before restart: %q", before)
	}
	l.log = &lineLog{}
	h := l.open(t)
	if err := h.Cleanup(); err != nil {
		t.Fatal(err)
	}
	equalLines(t, "addresses after the restart's cleanup", l.addrs(t), []string{"kv0 10.200.0.1/32 global"})
	equalLines(t, "routes after the restart's cleanup", l.routes(t), []string{"10.201.0.0/16 dev kv0 scope link"})
	if out := nstest.IP(t, l.a, "-br", "link"); strings.Contains(out, "vrrp.") {
		t.Errorf("VMAC left: %s", out)
	}
	got := l.log.texts()
	if len(got) != 8 || got[0] != "Removing addr 192.168.77.53/24 dev vrrp.53 left by a previous run" ||
		!slices.Contains(got, "Removing link VMAC vrrp.53 on kv0 left by a previous run") {
		t.Errorf("cleanup log %q", got)
	}
	if len(h.Owned()) != 0 {
		t.Errorf("ledger %q", h.Owned())
	}
}

func TestHostErrors(t *testing.T) {
	l := newNSLab(t)
	bad := Addr{Dev: "kv0", Prefix: netip.MustParsePrefix("10.5.0.1/24"), Scope: 253}
	clash := Addr{Dev: "kv0", Prefix: netip.MustParsePrefix("192.168.77.9/24"), Scope: 253} // scope differs from the primary's
	err := l.h.Apply([]Op{
		{Kind: OpAddAddr, Addr: Addr{Dev: "nosuch0", Prefix: netip.MustParsePrefix("10.0.0.1/32")}},
		{Kind: OpAddAddr, Addr: clash},
		{Kind: OpAddAddr, Addr: bad},
		{Kind: OpDelAddr, Addr: Addr{Dev: "nosuch0", Prefix: netip.MustParsePrefix("10.0.0.1/32")}},
	})
	if err == nil || !strings.Contains(err.Error(), "nosuch0") || !strings.Contains(err.Error(), "invalid argument") {
		t.Fatalf("err = %v", err)
	}
	lines := l.log.texts()
	if len(lines) != 1 || !strings.HasPrefix(lines[0], "Netlink: error: Invalid argument(22), type=RTM_NEWADDR(20), seq=") {
		t.Errorf("log %q", lines)
	}
	if got := l.h.Owned(); len(got) != 1 || got[0] != "addr 10.5.0.1/24 dev kv0 scope 253" {
		t.Errorf("owned %q", got)
	}
	if _, err := l.h.Index("nosuch0"); err == nil {
		t.Error("index of a missing interface")
	}
	if err := l.h.Release(); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(Options{NetNS: "/nonexistent/ns"}); err == nil {
		t.Error("bad namespace accepted")
	}
	os.WriteFile(l.led, []byte("{"), 0o600)
	if _, err := Open(Options{Ledger: l.led}); err == nil {
		t.Error("bad ledger accepted")
	}
}

// TestVMAC checks the VMACs keepalived made for keepalived-2.2.7-vmac.conf
// (ip link shows the same), their sysctls, the rp_filter adjustment and
// that everything goes back on removal.
func TestVMAC(t *testing.T) {
	l := newNSLab(t)
	nstest.Veth(t, l.a, "xa0", "", l.b, "xb0", "")
	nstest.SetSysctl(t, l.a, "net.ipv4.conf.all.rp_filter", "2")
	nstest.SetSysctl(t, l.a, "net.ipv4.conf.default.rp_filter", "1")
	nstest.SetSysctl(t, l.a, "net.ipv4.conf.kv0.rp_filter", "0")
	nstest.SetSysctl(t, l.a, "net.ipv4.conf.kv0.arp_ignore", "2")
	nstest.SetSysctl(t, l.a, "net.ipv4.conf.xa0.rp_filter", "1")
	cfg := parseLab(t, "testdata/keepalived-2.2.7-vmac.conf")
	v4, _ := VMACFromConfig(cfg.Instances[1], &cfg.Global)
	v6, _ := VMACFromConfig(cfg.Instances[2], &cfg.Global)
	if v4.Name != "vrrp.53" || v4.MAC.String() != "00:00:5e:00:01:35" || v6.Name != "vrrp.54" || v6.MAC.String() != "00:00:5e:00:02:36" || !v6.IPv6 {
		t.Fatalf("VMACs %+v %+v", v4, v6)
	}
	for _, v := range []VMAC{v4, v6} {
		if err := l.h.CreateVMAC(v); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range []string{"vrrp.53", "vrrp.54"} {
		out := nstest.IP(t, l.a, "-d", "link", "show", name)
		if !strings.Contains(out, name+"@kv0:") || !strings.Contains(out, "macvlan mode private") ||
			!strings.Contains(out, "addrgenmode none") || !strings.Contains(out, ",UP,") {
			t.Errorf("%s: %s", name, out)
		}
	}
	sysctls := func(pairs ...string) {
		t.Helper()
		for i := 0; i < len(pairs); i += 2 {
			if got := nstest.Sysctl(t, l.a, pairs[i]); got != pairs[i+1] {
				t.Errorf("%s = %s, want %s", pairs[i], got, pairs[i+1])
			}
		}
	}
	sysctls(
		"net/ipv4/conf/vrrp.53/arp_ignore", "1", "net/ipv4/conf/vrrp.53/accept_local", "1",
		"net/ipv4/conf/vrrp.53/rp_filter", "0", "net/ipv4/conf/vrrp.53/promote_secondaries", "1",
		"net/ipv6/conf/vrrp.53/disable_ipv6", "1", "net/ipv6/conf/vrrp.54/disable_ipv6", "0",
		"net.ipv4.conf.kv0.arp_ignore", "1", "net.ipv4.conf.kv0.arp_filter", "1",
		"net.ipv4.conf.all.rp_filter", "0", "net.ipv4.conf.default.rp_filter", "2",
		"net.ipv4.conf.kv0.rp_filter", "2", "net.ipv4.conf.xa0.rp_filter", "2",
	)
	if got := l.addrs(t); !slices.Equal(got, []string{"vrrp.54 fe80::ff:fe00:7701/64 link nodad deprecated"}) {
		t.Errorf("VMAC addresses %q", got)
	}
	// Taken over when it exists already.
	if err := l.h.CreateVMAC(v4); err != nil {
		t.Fatal(err)
	}
	// Deleting the IPv4 VMAC puts rp_filter back; the parent's ARP
	// settings stay while vrrp.54 lives on kv0.
	if err := l.h.DeleteVMAC(v4); err != nil {
		t.Fatal(err)
	}
	sysctls("net.ipv4.conf.all.rp_filter", "2", "net.ipv4.conf.default.rp_filter", "1",
		"net.ipv4.conf.kv0.rp_filter", "0", "net.ipv4.conf.kv0.arp_ignore", "1")
	if err := l.h.DeleteVMAC(v6); err != nil {
		t.Fatal(err)
	}
	sysctls("net.ipv4.conf.kv0.arp_ignore", "2", "net.ipv4.conf.kv0.arp_filter", "0")
	if out := nstest.IP(t, l.a, "-br", "link"); strings.Contains(out, "vrrp.") {
		t.Errorf("VMACs left: %s", out)
	}
	want := []string{
		"NOTICE: setting sysctl net.ipv4.conf.default.rp_filter from 1 to 2",
		"NOTICE: setting sysctl net.ipv4.conf.all.rp_filter from 2 to 0",
		"(VI_V4): Success creating VMAC interface vrrp.53",
		"(VI_V6): Success creating VMAC interface vrrp.54",
		"(VI_V4): Success creating VMAC interface vrrp.53",
		"NOTICE: resetting sysctl net.ipv4.conf.all.rp_filter to 2",
		"NOTICE: resetting sysctl net.ipv4.conf.default.rp_filter to 1",
		"(VI_V4) Success removing VMAC interface vrrp.53",
		"(VI_V6) Success removing VMAC interface vrrp.54",
	}
	var got []string
	for _, s := range l.log.texts() {
		if !strings.HasPrefix(s, "Restored sysctl") {
			got = append(got, s)
		}
	}
	equalLines(t, "log", got, want)
	if len(l.h.Owned()) != 0 {
		t.Errorf("ledger %q", l.h.Owned())
	}
	// A link of the VMAC's name that is not ours is refused and kept.
	nstest.IP(t, l.a, "link", "add", "vrrp.53", "link", "kv0", "type", "macvlan")
	if err := l.h.CreateVMAC(v4); err == nil {
		t.Error("foreign link taken over")
	}
	if err := l.h.DeleteVMAC(v4); err != nil {
		t.Fatal(err)
	}
	nstest.IP(t, l.a, "link", "show", "vrrp.53")
}

// TestWatch checks link and address events in a namespace.
func TestWatch(t *testing.T) {
	l := newNSLab(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ch, err := Watch(ctx, WatchOptions{NetNS: l.a, Existing: true})
	if err != nil {
		t.Fatal(err)
	}
	next := func(match func(Event) bool) Event {
		t.Helper()
		timeout := time.After(5 * time.Second)
		for {
			select {
			case e, ok := <-ch:
				if !ok {
					t.Fatal("watch closed")
				}
				t.Logf("event %v", e)
				if match(e) {
					return e
				}
			case <-timeout:
				t.Fatal("no event")
			}
		}
	}
	// The current state comes first, links and addresses in any order;
	// address events carry the interface's name even then.
	var up, addr bool
	next(func(e Event) bool {
		up = up || e.Kind == LinkUp && e.Name == "kv0"
		addr = addr || e.Kind == AddrAdded && e.Addr.String() == "192.168.77.1/24" && e.Name == "kv0"
		return up && addr
	})
	if err := l.h.Apply(PlanAdd(Set{Addrs: []Addr{{Dev: "kv0", Prefix: netip.MustParsePrefix("192.168.77.10/32")}}})); err != nil {
		t.Fatal(err)
	}
	e := next(func(e Event) bool { return e.Kind == AddrAdded && e.Addr.String() == "192.168.77.10/32" })
	if e.Name != "kv0" || e.Index == 0 {
		t.Errorf("event %v", e)
	}
	nstest.IP(t, l.a, "addr", "del", "192.168.77.10/32", "dev", "kv0") // someone else
	next(func(e Event) bool { return e.Kind == AddrRemoved && e.Addr.String() == "192.168.77.10/32" })
	nstest.IP(t, l.b, "link", "set", "pv0", "down") // carrier lost
	e = next(func(e Event) bool { return e.Name == "kv0" })
	if e.Kind != LinkDown {
		t.Errorf("carrier loss: %v", e)
	}
	nstest.IP(t, l.b, "link", "set", "pv0", "up")
	next(func(e Event) bool { return e.Kind == LinkUp && e.Name == "kv0" })
	nstest.IP(t, l.a, "link", "set", "kv0", "down")
	next(func(e Event) bool { return e.Kind == LinkDown && e.Name == "kv0" })
	nstest.IP(t, l.a, "link", "del", "kv0")
	e = next(func(e Event) bool { return e.Kind == LinkDeleted })
	if e.Name != "kv0" || e.String() == "" {
		t.Errorf("deleted: %v", e)
	}
	cancel()
	for range ch {
	}
	if _, err := Watch(context.Background(), WatchOptions{NetNS: "/nonexistent"}); err == nil {
		t.Error("bad namespace accepted")
	}
}

// TestVIPOnDeletedVMAC: removing the VIPs of a VMAC that is already gone
// succeeds and leaves nothing in the ledger.
func TestVIPOnDeletedVMAC(t *testing.T) {
	l := newNSLab(t)
	vm := VMAC{Instance: "VI_1", Name: "vrrp.9", Parent: "kv0", MAC: VMACAddr(9, false)}
	if err := l.h.CreateVMAC(vm); err != nil {
		t.Fatal(err)
	}
	set := Set{Addrs: []Addr{{Dev: "vrrp.9", Prefix: netip.MustParsePrefix("192.168.77.9/24")}}}
	if err := l.h.Apply(PlanAdd(set)); err != nil {
		t.Fatal(err)
	}
	if err := l.h.DeleteVMAC(vm); err != nil {
		t.Fatal(err)
	}
	if err := l.h.Apply(PlanRemove(set)); err != nil {
		t.Fatal(err)
	}
	if got := l.h.Owned(); len(got) != 0 {
		t.Errorf("ledger %q", got)
	}
}

// TestReloadKeepsOwnership: a reload that changes an address's label
// removes and re-adds it, and it stays ours.
func TestReloadKeepsOwnership(t *testing.T) {
	l := newNSLab(t)
	old := Set{Addrs: []Addr{{Dev: "kv0", Prefix: netip.MustParsePrefix("10.9.0.1/24")}, {Dev: "kv0", Prefix: netip.MustParsePrefix("10.9.0.2/32")}}}
	neu := Set{Addrs: []Addr{{Dev: "kv0", Prefix: netip.MustParsePrefix("10.9.0.1/24"), Label: "kv0:x"}, old.Addrs[1]}}
	if err := l.h.Apply(PlanAdd(old)); err != nil {
		t.Fatal(err)
	}
	ops := Plan(neu, old)
	if len(ops) != 2 {
		t.Fatalf("plan %v", ops)
	}
	if err := l.h.Apply(ops); err != nil {
		t.Fatal(err)
	}
	equalLines(t, "after reload", l.addrs(t), []string{"kv0 10.9.0.1/24 global label kv0:x", "kv0 10.9.0.2/32 global"})
	if got := l.h.Owned(); len(got) != 2 {
		t.Errorf("owned %q", got)
	}
	if err := l.h.Release(); err != nil {
		t.Fatal(err)
	}
	equalLines(t, "after release", l.addrs(t), nil)
}

// A respawned VRRP child adopts the addresses its predecessor left: the
// cleanup keeps them (and still removes the rest), Release removes them
// on the next clean stop.
func TestAdoptLeftovers(t *testing.T) {
	l := newNSLab(t)
	cfg := parseLab(t, "testdata/keepalived-2.2.7-vmac.conf")
	set := InstanceSet(cfg.Instances[0], "")
	addrs := Set{Addrs: set.Addrs}
	if err := l.h.Apply(PlanAdd(set)); err != nil {
		t.Fatal(err)
	}
	l.h.Close() // killed
	before := l.addrs(t)

	h := l.open(t)
	// A set with an address the previous run did not leave is not
	// adopted.
	other := Set{Addrs: append(slices.Clone(addrs.Addrs), Addr{Dev: "kv0", Prefix: netip.MustParsePrefix("10.9.9.9/32")})}
	if h.Adopt(other) || h.Adopt(Set{}) {
		t.Fatal("adopted a set that was not left configured")
	}
	if !h.Adopt(addrs) {
		t.Fatalf("did not adopt %v (ledger %q)", addrs.Addrs, h.Owned())
	}
	if err := h.Cleanup(); err != nil {
		t.Fatal(err)
	}
	got := l.addrs(t)
	for _, a := range addrs.Addrs {
		want := a.Dev + " " + a.Prefix.String()
		if !slices.ContainsFunc(got, func(s string) bool { return strings.HasPrefix(s, want) }) {
			t.Errorf("adopted %s removed by the cleanup: %q (before %q)", want, got, before)
		}
	}
	if err := h.Release(); err != nil {
		t.Fatal(err)
	}
	if after := l.addrs(t); len(after) != 0 {
		t.Errorf("left after Release: %q", after)
	}
}
