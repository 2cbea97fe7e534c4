package daemon

import (
	"os"
	"strings"
	"testing"

	"github.com/gokeepalived/gokeepalived/pkg/config"
)

// statHost has a fake eth0 and the real file system, so that the notify
// script /bin/true is found (a missing one is dropped, as in keepalived).
type statHost struct{ config.FakeHost }

func (statHost) Stat(p string) (os.FileInfo, error) { return os.Stat(p) }

func TestUnsupported(t *testing.T) {
	host := statHost{config.FakeHost{Interfaces: []string{"eth0"}}}
	for _, tc := range []struct{ name, src, want string }{{
		name: "plain VRRP runs entirely",
		src:  "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 1\n virtual_ipaddress {\n 10.0.0.1\n }\n}\n",
		want: "",
	}, {
		name: "seed 000: script tracking and notify scripts run, LVS does not yet",
		src: `vrrp_script chk { 
 script "/bin/true"
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 1
 virtual_ipaddress {
 10.0.0.1
 }
 track_script {
  chk
 }
 notify_master "/bin/true master"
}
virtual_server 10.0.0.1 80 {
 protocol TCP
 real_server 192.168.1.20 80 {
 }
}
`,
		want: "virtual_server (IPVS and health checkers)",
	}, {
		name: "seed 001 §3.1: vrrp_strict implies no_accept, whose drop rules run (internal/firewall)",
		src:  "global_defs {\n vrrp_strict\n}\nvrrp_instance VI_1 {\n interface eth0\n virtual_router_id 1\n virtual_ipaddress {\n 10.0.0.1\n }\n}\n",
		want: "",
	}, {
		name: "no_accept without vrrp_strict runs too",
		src:  "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 1\n no_accept\n virtual_ipaddress {\n 10.0.0.1\n }\n}\n",
		want: "",
	}} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, _ := config.Parse("k.conf", []byte(tc.src), config.Options{Host: host})
			if got := unsupportedLine(cfg); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
			if tc.want != "" && !strings.Contains(fmtUnsupported, "%s") {
				t.Error("format lost its verb")
			}
		})
	}
}
