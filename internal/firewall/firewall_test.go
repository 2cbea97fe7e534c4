package firewall

import (
	"errors"
	"fmt"
	"net/netip"
	"reflect"
	"strings"
	"testing"

	"github.com/gokeepalived/gokeepalived/internal/netif"
	"github.com/gokeepalived/gokeepalived/pkg/config"
)

func mustAddr(s string) netip.Addr { return netip.MustParseAddr(s) }

// fakeBackend records the kernel operations as text.
type fakeBackend struct {
	tables  map[Family]bool // present before the run
	ops     []string
	failOn  string // an op prefix that fails
	indexes map[string]int
}

func (b *fakeBackend) do(op string) error {
	b.ops = append(b.ops, op)
	if b.failOn != "" && strings.HasPrefix(op, b.failOn) {
		return errors.New("refused")
	}
	return nil
}

func (b *fakeBackend) tableExists(f Family) (bool, error) { return b.tables[f], nil }
func (b *fakeBackend) deleteTable(f Family) error {
	delete(b.tables, f)
	return b.do("delete " + f.String())
}
func (b *fakeBackend) setupBase(f Family) error { return b.do("base " + f.String()) }
func (b *fakeBackend) setupVIPs(f Family) error { return b.do("vips " + f.String()) }
func (b *fakeBackend) setupVMAC(f Family) error { return b.do("vmac-rules " + f.String()) }
func (b *fakeBackend) vmac(add bool, f Family, index, parent int) error {
	return b.do(fmt.Sprintf("vmac add=%v %s %d>%d", add, f, index, parent))
}
func (b *fakeBackend) setupLinkLocal(byName bool) error {
	return b.do(fmt.Sprintf("setup link-local byName=%v", byName))
}
func (b *fakeBackend) elements(add bool, els []elem) error {
	verb := "del"
	if add {
		verb = "add"
	}
	var s []string
	for _, e := range els {
		s = append(s, e.String())
	}
	return b.do(verb + " " + strings.Join(s, ","))
}
func (b *fakeBackend) ifindex(name string) (int, error) {
	if i, ok := b.indexes[name]; ok {
		return i, nil
	}
	return 0, errors.New("no such interface")
}
func (b *fakeBackend) close() error { return b.do("close") }

// String shows an element as "ip vips 10.0.0.1" or "ip6 vips_link_local
// fe80::1%eth0" (by index: "%#2").
func (e elem) String() string {
	var a [16]byte
	switch {
	case e.fam == IPv4:
		copy(a[:4], e.key)
		return fmt.Sprintf("%s %s %s", e.fam, e.set, netip.AddrFrom4([4]byte(a[:4])))
	default:
		copy(a[:], e.key[:16])
		s := fmt.Sprintf("%s %s %s", e.fam, e.set, netip.AddrFrom16(a))
		switch e.set {
		case setLinkLocalN:
			s += "%" + strings.TrimRight(e.key[16:], "\x00")
		case setLinkLocal:
			s += fmt.Sprintf("%%#%d", e.key[16]) // little-endian hosts in CI
		}
		return s
	}
}

func TestFirewall(t *testing.T) {
	v4 := func(s string) VIP { return VIP{Addr: mustAddr(s), Dev: "eth0"} }
	type step struct {
		inst string
		vips []VIP // nil: Remove
		ops  []string
	}
	for _, tc := range []struct {
		name   string
		tables map[Family]bool
		fail   string
		steps  []step
		close  []string
		log    []string
	}{{
		name: "lazy set-up, shared sets, tables kept while backup",
		steps: []step{
			// The start-up clean-up before anything was set.
			{"VI_1", nil, nil},
			{"VI_1", []VIP{v4("10.0.0.1"), v4("10.0.0.2")}, []string{"base ip", "vips ip", "add ip vips 10.0.0.1,ip vips 10.0.0.2"}},
			{"VI_2", []VIP{v4("10.0.0.3")}, []string{"add ip vips 10.0.0.3"}},
			{"VI_1", nil, []string{"del ip vips 10.0.0.1,ip vips 10.0.0.2"}},
			{"VI_1", []VIP{v4("10.0.0.1")}, []string{"add ip vips 10.0.0.1"}},
		},
		close: []string{"delete ip", "close"},
	}, {
		name: "an address two instances share stays until both leave",
		steps: []step{
			{"VI_1", []VIP{v4("10.0.0.1")}, []string{"base ip", "vips ip", "add ip vips 10.0.0.1"}},
			{"VI_2", []VIP{v4("10.0.0.1"), v4("10.0.0.2")}, []string{"add ip vips 10.0.0.2"}},
			{"VI_1", nil, nil},
			{"VI_2", nil, []string{"del ip vips 10.0.0.1,ip vips 10.0.0.2"}},
		},
		close: []string{"delete ip", "close"},
	}, {
		name: "a reload changes the addresses of a master: only the difference",
		steps: []step{
			{"VI_1", []VIP{v4("10.0.0.1"), v4("10.0.0.2")}, []string{"base ip", "vips ip", "add ip vips 10.0.0.1,ip vips 10.0.0.2"}},
			{"VI_1", []VIP{v4("10.0.0.2"), v4("10.0.0.3")}, []string{"del ip vips 10.0.0.1", "add ip vips 10.0.0.3"}},
			{"VI_1", []VIP{v4("10.0.0.2"), v4("10.0.0.3")}, nil},
		},
		close: []string{"delete ip", "close"},
	}, {
		name: "IPv6: global and link-local by index and by name",
		steps: []step{
			{"VI_6", []VIP{
				{Addr: mustAddr("fe80::100"), Dev: "eth0", ByName: true},
				{Addr: mustAddr("fd00::100"), Dev: "eth0"},
				{Addr: mustAddr("fe80::200"), Dev: "eth1"},
			}, []string{"base ip6", "vips ip6", "setup link-local byName=true", "setup link-local byName=false",
				"add ip6 vips_link_local_name fe80::100%eth0,ip6 vips fd00::100,ip6 vips_link_local fe80::200%#3"}},
			{"VI_1", []VIP{v4("10.0.0.1")}, []string{"base ip", "vips ip", "add ip vips 10.0.0.1"}},
		},
		close: []string{"delete ip", "delete ip6", "close"},
	}, {
		name:   "left-overs of both families go before the first rule, with keepalived's lines",
		tables: map[Family]bool{IPv4: true, IPv6: true},
		steps: []step{
			{"VI_1", nil, nil},
			{"VI_1", []VIP{v4("10.0.0.1")}, []string{"delete ip", "delete ip6", "base ip", "vips ip", "add ip vips 10.0.0.1"}},
		},
		close: []string{"delete ip", "close"},
		log:   []string{"Deleting old ip keepalived table", "Deleting old ip6 keepalived table"},
	}, {
		name: "a refused set-up is tried again on the next master",
		fail: "base ip",
		steps: []step{
			{"VI_1", []VIP{v4("10.0.0.1")}, []string{"base ip"}},
			{"VI_1", nil, nil},
			{"VI_1", []VIP{v4("10.0.0.1")}, []string{"base ip"}},
		},
		close: []string{"close"},
		log: []string{"nftables: cannot set up table ip keepalived: refused",
			"nftables: cannot set up table ip keepalived: refused"},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			be := &fakeBackend{tables: tc.tables, failOn: tc.fail, indexes: map[string]int{"eth0": 2, "eth1": 3}}
			var log []string
			fw := newWith(Options{Table: "keepalived", Log: func(l Line) { log = append(log, l.Text) }}, be, nil)
			for i, s := range tc.steps {
				be.ops = nil
				var err error
				if s.vips == nil {
					err = fw.Remove(s.inst)
				} else {
					err = fw.Set(s.inst, s.vips)
				}
				if (err != nil) != (tc.fail != "" && len(s.ops) > 0) {
					t.Errorf("step %d: error %v", i, err)
				}
				if !reflect.DeepEqual(be.ops, s.ops) {
					t.Errorf("step %d (%s): ops\n%q, want\n%q", i, s.inst, be.ops, s.ops)
				}
			}
			be.ops = nil
			if err := fw.Close(); err != nil {
				t.Error(err)
			}
			if !reflect.DeepEqual(be.ops, tc.close) {
				t.Errorf("close: ops %q, want %q", be.ops, tc.close)
			}
			if !reflect.DeepEqual(log, tc.log) {
				t.Errorf("log %q, want %q", log, tc.log)
			}
			if err := fw.Set("VI_1", []VIP{v4("10.0.0.9")}); err == nil {
				t.Error("Set after Close succeeded")
			}
		})
	}
}

// TestUnknownInterface: a link-local VIP on an interface that is gone is
// left out (and said), the others still set.
func TestUnknownInterface(t *testing.T) {
	be := &fakeBackend{indexes: map[string]int{}}
	var log []string
	fw := newWith(Options{Table: "keepalived", Log: func(l Line) { log = append(log, l.Text) }}, be, nil)
	err := fw.Set("VI_6", []VIP{{Addr: mustAddr("fe80::1"), Dev: "gone0"}, {Addr: mustAddr("fd00::1"), Dev: "gone0"}})
	if err == nil || len(log) != 1 || !strings.Contains(log[0], "gone0") {
		t.Errorf("err %v, log %q", err, log)
	}
	if want := []string{"base ip6", "vips ip6", "add ip6 vips fd00::1"}; !reflect.DeepEqual(be.ops, want) {
		t.Errorf("ops %q, want %q", be.ops, want)
	}
}

func TestVIPsOf(t *testing.T) {
	conf := `global_defs {
  %s
}
vrrp_instance VI_6 {
  interface eth0
  virtual_router_id 61
  priority 100
  version 3
  no_accept
  %s
  virtual_ipaddress {
    fe80::100/64
    fd00::100/64
    fe80::200/64 dev eth1
    fe80::300/64 dev eth1 no_track
  }
  virtual_ipaddress_excluded {
    10.0.0.1/24
  }
}
`
	for _, tc := range []struct {
		global, inst string
		byName       []bool
	}{
		{"", "", []bool{false, false, false, false, false}},
		// dont_track_primary: by name on the instance's interface and
		// for no_track addresses (keepalived 2.2.7, observed).
		{"", "dont_track_primary", []bool{true, false, false, true, false}},
		{"nftables_ifindex", "dont_track_primary", []bool{false, false, false, false, false}},
	} {
		cfg, diags := config.Parse("k.conf", fmt.Appendf(nil, conf, tc.global, tc.inst),
			config.Options{Host: config.FakeHost{Interfaces: []string{"lo", "eth0", "eth1"}}})
		if cfg == nil || len(cfg.Instances) != 1 {
			t.Fatalf("%v", diags)
		}
		v := cfg.Instances[0]
		got := VIPsOf(v, &cfg.Global, netif.InstanceSet(v, "eth0").Addrs, "eth0")
		want := []VIP{
			{Addr: mustAddr("fe80::100"), Dev: "eth0"}, {Addr: mustAddr("fd00::100"), Dev: "eth0"},
			{Addr: mustAddr("fe80::200"), Dev: "eth1"}, {Addr: mustAddr("fe80::300"), Dev: "eth1"},
			{Addr: mustAddr("10.0.0.1"), Dev: "eth0"},
		}
		for i := range want {
			want[i].ByName = tc.byName[i]
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s/%s:\n got %+v\nwant %+v", tc.global, tc.inst, got, want)
		}
	}
}

func TestOptionsFromConfig(t *testing.T) {
	for _, tc := range []struct {
		global string
		want   Options
	}{
		{"", Options{Table: "keepalived", Priority: -1}},
		{"nftables", Options{Table: "keepalived", Priority: -1}},
		{"nftables mytab\n  nftables_priority 7\n  nftables_counters", Options{Table: "mytab", Priority: 7, Counters: true}},
		{"nftables_priority 3", Options{Table: "keepalived", Priority: 3}},
	} {
		cfg, diags := config.Parse("k.conf", []byte("global_defs {\n  "+tc.global+"\n}\n"), config.Options{})
		if cfg == nil {
			t.Fatal(diags)
		}
		if got := OptionsFromConfig(&cfg.Global); got.Table != tc.want.Table || got.Priority != tc.want.Priority || got.Counters != tc.want.Counters {
			t.Errorf("%q: %+v, want %+v", tc.global, got, tc.want)
		}
	}
}

// TestVMAC: a VMAC's rules come with the VMAC, before any master (and
// before them the left-over clean-up); the drop rules join the same
// table later.
func TestVMAC(t *testing.T) {
	be := &fakeBackend{tables: map[Family]bool{IPv4: true}, indexes: map[string]int{"eth0": 2, "vrrp.51": 5, "vrrp.61": 6}}
	var log []string
	fw := newWith(Options{Table: "keepalived", Log: func(l Line) { log = append(log, l.Text) }}, be, nil)
	step := func(what string, err error, want ...string) {
		t.Helper()
		if err != nil {
			t.Errorf("%s: %v", what, err)
		}
		if !reflect.DeepEqual(be.ops, want) {
			t.Errorf("%s: ops %q, want %q", what, be.ops, want)
		}
		be.ops = nil
	}
	step("VMAC", fw.AddVMAC("vrrp.51", "eth0", IPv4), "delete ip", "base ip", "vmac-rules ip", "vmac add=true ip 5>2")
	step("same VMAC", fw.AddVMAC("vrrp.51", "eth0", IPv4))
	step("IPv6 VMAC", fw.AddVMAC("vrrp.61", "eth0", IPv6), "base ip6", "vmac-rules ip6", "vmac add=true ip6 6>2")
	step("master", fw.Set("VI_1", []VIP{{Addr: mustAddr("10.0.0.1"), Dev: "vrrp.51"}}), "vips ip", "add ip vips 10.0.0.1")
	step("VMAC deleted", fw.DelVMAC("vrrp.51"), "vmac add=false ip 5>2")
	step("unknown VMAC", fw.DelVMAC("vrrp.9"))
	if err := fw.AddVMAC("vrrp.7", "eth0", IPv4); err == nil {
		t.Error("AddVMAC of a missing interface succeeded")
	}
	step("missing interface", nil)
	step("close", fw.Close(), "delete ip", "delete ip6", "close")
	if want := []string{"Deleting old ip keepalived table", "nftables: cannot find interface vrrp.7: no such interface"}; !reflect.DeepEqual(log, want) {
		t.Errorf("log %q, want %q", log, want)
	}
}
