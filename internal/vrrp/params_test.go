package vrrp

import (
	"net/netip"
	"os"
	"reflect"
	"testing"
	"time"

	"github.com/gokeepalived/gokeepalived/pkg/config"
)

// ParamsFromConfig reads keepalived's effective values from the checked
// model: defaults (GARP 5/5 s, lower priority GARP defaulting to them,
// 3 down-timer adverts), the own interface as a weight-0 tracker, and the
// track_* lines with their weights.
func TestParamsFromConfig(t *testing.T) {
	src := `
global_defs {
    vrrp_startup_delay 2.5
}
vrrp_script chk_haproxy {
    script "/bin/true"
    interval 1
    weight -20
}
vrrp_instance VI_1 {
    state BACKUP
    interface eth0
    virtual_router_id 51
    priority 90
    advert_int 1
    nopreempt
    unicast_src_ip 10.0.0.1
    unicast_peer {
        10.0.0.2
    }
    virtual_ipaddress {
        10.0.0.100/24
        10.0.1.100/24 dev eth1
    }
    virtual_ipaddress_excluded {
        10.0.2.100
    }
    track_interface {
        eth1 weight 10
        eth0
    }
    track_script {
        chk_haproxy
    }
}
`
	cfg, diags := config.Parse("keepalived.conf", []byte(src), config.Options{
		Host: config.FakeHost{Interfaces: []string{"lo", "eth0", "eth1"},
			Files: map[string]os.FileInfo{"/bin/true": fakeInfo(0o755), "/bin": fakeInfo(os.ModeDir | 0o755), "/": fakeInfo(os.ModeDir | 0o755)}},
	})
	if cfg == nil || len(cfg.Instances) != 1 {
		t.Fatalf("parse: %v", diags)
	}
	p := ParamsFromConfig(cfg.Instances[0], &cfg.Global)
	want := Params{
		Name: "VI_1", VRID: 51, Version: 2, Priority: 90, AdvertIntUsec: 1_000_000,
		SrcIP:            netip.MustParseAddr("10.0.0.1"),
		VIPs:             []VIP{{netip.MustParseAddr("10.0.0.100"), "eth0"}, {netip.MustParseAddr("10.0.1.100"), "eth1"}},
		EVIPs:            []VIP{{netip.MustParseAddr("10.0.2.100"), "eth0"}},
		NoPreempt:        true,
		DownTimerAdverts: 3,
		GARPDelayUsec:    5_000_000, GARPRepeat: 5, GARPRefreshRepeat: 1,
		GARPLowerPrioDelayUsec: 5_000_000, GARPLowerPrioRepeat: 5,
		StartupDelayUsec: 2_500_000,
		Trackers: []TrackerParam{
			{Name: "eth0", Kind: KindInterface},
			{Name: "eth1", Kind: KindInterface, Weight: 10},
			{Name: "chk_haproxy", Kind: KindScript, Weight: -20},
		},
	}
	if !reflect.DeepEqual(p, want) {
		t.Errorf("ParamsFromConfig:\n got %+v\nwant %+v", p, want)
	}
	if m := New(p); m.Priority() != 90 || m.State() != Init {
		t.Errorf("New: prio %d state %s", m.Priority(), m.State())
	}
}

type fakeInfo os.FileMode

func (fakeInfo) Name() string        { return "f" }
func (fakeInfo) Size() int64         { return 0 }
func (f fakeInfo) Mode() os.FileMode { return os.FileMode(f) }
func (fakeInfo) ModTime() time.Time  { return time.Time{} }
func (f fakeInfo) IsDir() bool       { return os.FileMode(f).IsDir() }
func (fakeInfo) Sys() any            { return nil }
