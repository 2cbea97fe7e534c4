package netif

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/gokeepalived/gokeepalived/pkg/config"
)

func addr(s string) Addr {
	dev, rest, _ := strings.Cut(s, ":")
	a := Addr{Dev: dev}
	for i, w := range strings.Fields(rest) {
		switch {
		case i == 0:
			a.Prefix = netip.MustParsePrefix(w)
		case strings.HasPrefix(w, "label="):
			a.Label = strings.TrimPrefix(w, "label=")
		case strings.HasPrefix(w, "peer="):
			a.Peer = netip.MustParseAddr(strings.TrimPrefix(w, "peer="))
		}
	}
	return a
}

func route(dst, via string) *config.Route {
	r := &config.Route{Type: "unicast", Mode: "prepend", Table: 254, Protocol: 18, Dest: dst, Dst: netip.MustParsePrefix(dst)}
	if via != "" {
		r.Via = netip.MustParseAddr(via)
	}
	return r
}

func rule(prio uint32, from string, table uint32) *config.Rule {
	return &config.Rule{Priority: prio, From: netip.MustParsePrefix(from), Action: "table", Table: table, Protocol: 18}
}

func opsString(ops []Op) string {
	var s []string
	for _, o := range ops {
		s = append(s, o.String())
	}
	return strings.Join(s, "\n")
}

func TestPlan(t *testing.T) {
	vip1, vip2 := addr("eth0:10.0.0.1/32"), addr("eth0:10.0.0.2/24")
	vip2label := addr("eth0:10.0.0.2/24 label=eth0:vip")
	r1, r2, r1b := route("10.1.0.0/16", "10.0.0.254"), route("10.2.0.0/16", ""), route("10.1.0.0/16", "10.0.0.253")
	ru1, ru2 := rule(100, "10.0.0.1/32", 100), rule(101, "10.0.0.2/32", 101)
	full := Set{Addrs: []Addr{vip1, vip2}, Routes: []*config.Route{r1, r2}, Rules: []*config.Rule{ru1, ru2}}
	for _, c := range []struct {
		name       string
		want, have Set
		ops        string
	}{
		{"nothing to do", Set{}, Set{}, ""},
		{"becoming master: addresses, routes, rules", full, Set{}, `add-addr 10.0.0.1/32 dev eth0
add-addr 10.0.0.2/24 dev eth0
add-route 10.1.0.0/16 via 10.0.0.254
add-route 10.2.0.0/16
add-rule 100: from 10.0.0.1/32 table 100
add-rule 101: from 10.0.0.2/32 table 101`},
		{"leaving master: rules, routes, addresses", Set{}, full, `del-rule 100: from 10.0.0.1/32 table 100
del-rule 101: from 10.0.0.2/32 table 101
del-route 10.1.0.0/16 via 10.0.0.254
del-route 10.2.0.0/16
del-addr 10.0.0.1/32 dev eth0
del-addr 10.0.0.2/24 dev eth0`},
		{"reload with nothing changed touches nothing", full, full, ""},
		{"reload: a changed label is removed and added, the rest stays",
			Set{Addrs: []Addr{vip1, vip2label}, Routes: []*config.Route{r1b, r2}, Rules: []*config.Rule{ru1}},
			full, `del-rule 101: from 10.0.0.2/32 table 101
del-route 10.1.0.0/16 via 10.0.0.254
del-addr 10.0.0.2/24 dev eth0
add-addr 10.0.0.2/24 dev eth0 label eth0:vip
add-route 10.1.0.0/16 via 10.0.0.253`},
		{"an equal copy of a route is the same route",
			Set{Routes: []*config.Route{route("10.1.0.0/16", "10.0.0.254")}}, Set{Routes: []*config.Route{r1}}, ""},
		{"duplicates are configured once", Set{Addrs: []Addr{vip1, vip1}}, Set{}, "add-addr 10.0.0.1/32 dev eth0"},
		{"the same address on another interface is another address",
			Set{Addrs: []Addr{addr("eth1:10.0.0.1/32")}}, Set{Addrs: []Addr{vip1}},
			"del-addr 10.0.0.1/32 dev eth0\nadd-addr 10.0.0.1/32 dev eth1"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := opsString(Plan(c.want, c.have)); got != c.ops {
				t.Errorf("\n got:\n%s\nwant:\n%s", got, c.ops)
			}
		})
	}
	if PlanAdd(full)[0].Kind != OpAddAddr || PlanRemove(full)[0].Kind != OpDelRule || full.Len() != 6 {
		t.Error("PlanAdd / PlanRemove / Len")
	}
}

func TestSets(t *testing.T) {
	cfg, _ := config.Parse("k.conf", []byte(`
global_defs { default_interface eth1 }
static_ipaddress { 10.9.0.1/24 }
static_routes { 10.8.0.0/16 via 10.9.0.254 }
static_rules { from 10.9.0.1 table 9 }
vrrp_instance VI_1 {
  interface eth0
  virtual_router_id 1
  use_vmac
  virtual_ipaddress {
    10.0.0.1
    10.0.0.2 dev eth1
  }
  virtual_ipaddress_excluded { 10.0.0.3 }
  virtual_routes { 10.7.0.0/16 dev eth0 }
  virtual_rules { from 10.0.0.1 table 7 }
}
`), config.Options{Host: config.FakeHost{Interfaces: []string{"lo", "eth0", "eth1"}}})
	st := StaticSet(cfg)
	if len(st.Addrs) != 1 || st.Addrs[0].Dev != "eth1" || len(st.Routes) != 1 || len(st.Rules) != 1 {
		t.Fatalf("static %+v", st)
	}
	v := cfg.Instances[0]
	in := InstanceSet(v, "vrrp.1")
	var devs []string
	for _, a := range in.Addrs {
		devs = append(devs, a.Dev)
	}
	if strings.Join(devs, " ") != "vrrp.1 eth1 vrrp.1" || len(in.Routes) != 1 || len(in.Rules) != 1 {
		t.Fatalf("instance %+v", in)
	}
	if InstanceSet(v, "").Addrs[0].Dev != "eth0" {
		t.Fatal("default device")
	}
}

func TestStrings(t *testing.T) {
	m := uint32(5)
	r := &config.Route{Type: "blackhole", Dst: netip.MustParsePrefix("10.0.0.0/8"), Dev: "eth0", Table: 7, Metric: &m}
	if got := RouteString(r); got != "blackhole 10.0.0.0/8 dev eth0 table 7 metric 5" {
		t.Error(got)
	}
	ru := &config.Rule{Priority: 5, Not: true, FromAll: true, To: netip.MustParsePrefix("10.0.0.0/8"), IIF: "a", OIF: "b", Action: "goto", Goto: 9}
	if got := RuleString(ru); got != "5: not from all to 10.0.0.0/8 iif a oif b goto 9" {
		t.Error(got)
	}
	if RouteString(nil) != "<nil>" || RuleString(nil) != "<nil>" || OpKind(0).String() != "op(0)" || (Op{}).String() != "op(0)" {
		t.Error("nil strings")
	}
	a := addr("eth0:10.0.0.1/32 peer=10.0.0.2")
	if a.Key() != "eth0 10.0.0.1 peer 10.0.0.2" || a.Is6() {
		t.Error(a.Key())
	}
}
