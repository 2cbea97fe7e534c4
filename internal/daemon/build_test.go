package daemon

import (
	"fmt"
	"testing"

	"github.com/gokeepalived/gokeepalived/pkg/config"
)

// TestBuildSpecVMACAddrs: with use_vmac, keepalived 2.2.7 puts the VIPs
// of the instance's own interface (named with dev or not, labels kept) on
// the VMAC, and leaves those of other interfaces where they are (observed
// with `ip addr` beside Debian's keepalived in a namespace). The sockets
// live on the VMAC unless vmac_xmit_base keeps them on the parent.
func TestBuildSpecVMACAddrs(t *testing.T) {
	const conf = `
vrrp_instance VI_1 {
    state MASTER
    interface eth0
    virtual_router_id 51
    priority 100
    use_vmac
%s
    virtual_ipaddress {
        192.168.0.248/24 dev eth0 label eth0:0
        192.168.0.249/24
        10.1.0.9/24 dev eth1
    }
}
`
	for _, tc := range []struct {
		name, extra string
		iface       string
	}{
		{"vmac", "", "vrrp.51"},
		{"xmit base", "    vmac_xmit_base", "eth0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, diags := config.Parse("keepalived.conf", []byte(fmt.Sprintf(conf, tc.extra)),
				config.Options{Host: config.FakeHost{Interfaces: []string{"eth0", "eth1"}}})
			if diags.Fatal() {
				t.Fatalf("config: %v", diags)
			}
			s, err := buildSpec(cfg.Instances[0], &cfg.Global)
			if err != nil {
				t.Fatal(err)
			}
			if s.iface != tc.iface {
				t.Errorf("sockets on %q, want %q", s.iface, tc.iface)
			}
			want := []struct{ addr, dev, label string }{
				{"192.168.0.248", "vrrp.51", "eth0:0"},
				{"192.168.0.249", "vrrp.51", ""},
				{"10.1.0.9", "eth1", ""},
			}
			if len(s.addrs.Addrs) != len(want) {
				t.Fatalf("addrs %+v", s.addrs.Addrs)
			}
			for i, w := range want {
				a := s.addrs.Addrs[i]
				if a.Prefix.Addr().String() != w.addr || a.Dev != w.dev || a.Label != w.label {
					t.Errorf("addr %d: %s dev %s label %q, want %s dev %s label %q", i, a.Prefix, a.Dev, a.Label, w.addr, w.dev, w.label)
				}
				if s.targets[i].Iface != w.dev {
					t.Errorf("GARP for %s on %s, want %s", w.addr, s.targets[i].Iface, w.dev)
				}
			}
		})
	}
}
