package daemon

import (
	"slices"
	"testing"

	"github.com/gokeepalived/gokeepalived/internal/ipc"
	"github.com/gokeepalived/gokeepalived/internal/vrrp"
	"github.com/gokeepalived/gokeepalived/pkg/config"
)

func TestStateRelay(t *testing.T) {
	cfg, diags := config.Parse("keepalived.conf", []byte(`
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    virtual_ipaddress {
        10.0.0.1/24
    }
    virtual_ipaddress_excluded {
        10.0.1.1/24
    }
}
`), config.Options{Host: config.FakeHost{Interfaces: []string{"eth0"}}})
	if diags.Fatal() {
		t.Fatal(diags)
	}
	for _, tc := range []struct {
		st    vrrp.State
		prio  int
		want  ipc.State
		addrs []string
	}{
		{vrrp.Master, 100, ipc.StateMaster, []string{"10.0.0.1", "10.0.1.1"}},
		{vrrp.Backup, 100, ipc.StateBackup, nil},
		{vrrp.Fault, 0, ipc.StateFault, nil},
		{vrrp.Stopped, 100, ipc.StateStop, nil},
		{vrrp.Deleted, 100, ipc.StateStop, nil},
		{vrrp.Init, 300, ipc.StateInit, nil},
	} {
		m := stateReport("VI_1", "G1", tc.st, tc.prio)
		if m.State != tc.want || m.Group != "G1" || int(m.Priority) != min(tc.prio, 255) {
			t.Errorf("%v: report %+v", tc.st, m)
		}
		r := relayOf(m, cfg)
		var got []string
		for _, a := range r.Addresses {
			got = append(got, a.String())
		}
		if r.Instance != "VI_1" || r.State != tc.want || !slices.Equal(got, tc.addrs) {
			t.Errorf("%v: relay %+v, want addresses %v", tc.st, r, tc.addrs)
		}
	}
	if r := relayOf(&ipc.VRRPState{Instance: "VI_9", State: ipc.StateMaster}, cfg); len(r.Addresses) != 0 {
		t.Errorf("unknown instance relayed addresses %v", r.Addresses)
	}
}
