package configtest

import (
	"reflect"
	"testing"
)

func TestScanInterfaces(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string
	}{
		{"instance interface", "vrrp_instance VI_1 {\n interface eth0\n}", []string{"eth0"}},
		{"vip dev, label is not a name", "virtual_ipaddress {\n 10.0.0.1/24 dev bond0 label bond0:1\n}", []string{"bond0"}},
		{"comments cut the line", "interface eth0 # interface eth7\n! dev eth8\n", []string{"eth0"}},
		{"track_interface block", "track_interface {\n eth1 weight 10\n eth2\n}\ninterface eth0", []string{"eth0", "eth1", "eth2"}},
		{"track_interface brace on next line", "track_interface\n{\n em1\n}", []string{"em1"}},
		{"list keyword without block", "track_interface\ninterface eth3", []string{"eth3"}},
		{"one-line block", "track_interface { eth4 }", []string{"eth4"}},
		{"glued braces", "global_defs{default_interface p33p1.3}", []string{"p33p1.3"}},
		{"routes and rules", "192.168.1.0/24 via 10.0.0.1 dev eth5\nfrom 1.2.3.4 iif eth6 oif eth7 table 1", []string{"eth5", "eth6", "eth7"}},
		{"global keywords", "lvs_sync_daemon eth8 VI_1\nlvs_sync_daemon_interface eth9\n", []string{"eth8", "eth9"}},
		{"placeholders and parameters are skipped", "interface <IF>\ninterface $IFACE\ninterface ${IF}\ndev eth0:1", nil},
		{"duplicates once, sorted", "interface eth1\ninterface eth0\ndev eth1", []string{"eth0", "eth1"}},
		{"too long for the kernel", "interface abcdefghijklmnop", nil},
		{"quoted", "interface \"eth0\"", []string{"eth0"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ScanInterfaces(tt.text)
			if len(got) == 0 && len(tt.want) == 0 {
				return
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ScanInterfaces = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestValidIfName(t *testing.T) {
	for name, want := range map[string]bool{
		"eth0": true, "bond0": true, "eth0.1": true, "em1": true, "a-b_c": true,
		"": false, ".": false, "..": false, "eth0:0": false, "a/b": false,
		"abcdefghijklmno": true, "abcdefghijklmnop": false, "<IPADDR>": false,
		"$IF": false, "x y": false, "é": false,
	} {
		if got := ValidIfName(name); got != want {
			t.Errorf("ValidIfName(%q) = %v, want %v", name, got, want)
		}
	}
}
