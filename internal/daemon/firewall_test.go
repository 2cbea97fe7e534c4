package daemon

import (
	"fmt"
	"net/netip"
	"reflect"
	"strings"
	"testing"

	"github.com/gokeepalived/gokeepalived/internal/firewall"
	"github.com/gokeepalived/gokeepalived/internal/logging"
	"github.com/gokeepalived/gokeepalived/internal/netif"
	"github.com/gokeepalived/gokeepalived/internal/vrrp"
	"github.com/gokeepalived/gokeepalived/pkg/config"
)

// opLog records host and firewall operations in one sequence, to check
// their order.
type opLog struct{ ops []string }

type logHost struct{ l *opLog }

func (h logHost) Apply(ops []netif.Op) error {
	for _, op := range ops {
		s := op.String()
		switch {
		case strings.HasPrefix(s, "add"), strings.HasPrefix(s, "replace"):
			s = "host add"
		case strings.HasPrefix(s, "del"):
			s = "host del"
		}
		h.l.ops = append(h.l.ops, s)
	}
	return nil
}

type logFW struct{ l *opLog }

func (f logFW) Set(inst string, vips []firewall.VIP) error {
	var s []string
	for _, v := range vips {
		s = append(s, v.Addr.String())
	}
	f.l.ops = append(f.l.ops, fmt.Sprintf("fw set %s %s", inst, strings.Join(s, ",")))
	return nil
}

func (f logFW) Remove(inst string) error {
	f.l.ops = append(f.l.ops, "fw remove "+inst)
	return nil
}

type nopAdv struct{}

func (nopAdv) Send(uint8) error     { return nil }
func (nopAdv) SetMaster(netip.Addr) {}

// TestDropRulesOrder: keepalived 2.2.7 sets a no_accept master's drop
// rule before its addresses and removes it after them; an accept-mode
// instance never gets one.
func TestDropRulesOrder(t *testing.T) {
	const conf = `global_defs {
  %s
}
vrrp_instance VI_1 {
  interface eth0
  virtual_router_id 51
  priority 100
  advert_int 1
  virtual_ipaddress {
    192.168.0.248/24
  }
  virtual_ipaddress_excluded {
    192.168.0.249/24
  }
}
`
	for _, tc := range []struct {
		global string
		want   []string
	}{
		{"vrrp_strict", []string{
			// start-up clean-up
			"host del", "host del", "fw remove VI_1",
			// MASTER
			"fw set VI_1 192.168.0.248,192.168.0.249", "host add", "host add",
			// stop
			"host del", "host del", "fw remove VI_1",
		}},
		{"", []string{
			"host del", "host del", "fw remove VI_1",
			"fw remove VI_1", "host add", "host add",
			"host del", "host del", "fw remove VI_1",
		}},
	} {
		cfg, diags := config.Parse("k.conf", fmt.Appendf(nil, conf, tc.global),
			config.Options{Host: config.FakeHost{Interfaces: []string{"eth0"}}})
		if diags.Fatal() {
			t.Fatal(diags)
		}
		sp, err := buildSpec(cfg.Instances[0], &cfg.Global)
		if err != nil {
			t.Fatal(err)
		}
		sp.cfg = cfg
		sp.params.SrcIP = netip.MustParseAddr("192.168.0.1")
		l := &opLog{}
		e := newEngine(&logging.Sink{}, logHost{l}, &fakeGARP{})
		e.fw = logFW{l}
		e.add(sp, vrrp.New(sp.params), nopAdv{})
		e.start(t0)
		at, ok := e.next()
		if !ok {
			t.Fatal("no timer")
		}
		e.fire(at)
		e.stop(at)
		if !reflect.DeepEqual(l.ops, tc.want) {
			t.Errorf("%q:\n got %q\nwant %q", tc.global, l.ops, tc.want)
		}
	}
}

func TestFirewallVIPs(t *testing.T) {
	cfg, diags := config.Parse("k.conf", []byte(`vrrp_instance VI_1 {
  interface eth0
  virtual_router_id 51
  version 3
  use_vmac
  no_accept
  dont_track_primary
  virtual_ipaddress {
    fe80::1/64
    fe80::2/64 dev eth1
  }
}
`), config.Options{Host: config.FakeHost{Interfaces: []string{"eth0", "eth1"}}})
	if diags.Fatal() {
		t.Fatal(diags)
	}
	sp, err := buildSpec(cfg.Instances[0], &cfg.Global)
	if err != nil {
		t.Fatal(err)
	}
	sp.cfg = cfg
	// With use_vmac the first VIP is on the VMAC, the instance's device:
	// matched by name there.
	want := []firewall.VIP{
		{Addr: netip.MustParseAddr("fe80::1"), Dev: "vrrp.51", ByName: true},
		{Addr: netip.MustParseAddr("fe80::2"), Dev: "eth1"},
	}
	if got := firewallVIPs(&sp); !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
}
