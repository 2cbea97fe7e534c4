package config

import (
	"net/netip"
	"reflect"
	"testing"
)

// Exact model values after parsing and checking. Messages and verdicts are
// compared with keepalived 2.2.7 in TestVRRPGolden; these tests pin down
// the typed values consumers read.

func TestVRRPInstanceModel(t *testing.T) {
	cfg, diags := parseVRRP(t, `
global_defs {
  vrrp_garp_master_delay 7
  vrrp_version 3
}
vrrp_script chk {
  script "/bin/true arg1"
  interval 3
  weight -20 reverse
  rise 2
  fall 4
  init_fail
}
vrrp_instance VI_1 {
  state BACKUP
  interface eth0
  virtual_router_id 51
  priority 150
  advert_int 0.5
  nopreempt
  garp_master_repeat 2
  unicast_src_ip 192.168.1.10
  unicast_peer {
    192.168.1.11 min_ttl 3 max_ttl 9
    192.168.1.12
  }
  track_script {
    chk weight 10
  }
  track_interface {
    eth1 weight -5 reverse
  }
  notify_master "/bin/echo master" root
  virtual_ipaddress {
    10.0.0.1/24
  }
}
`)
	_ = diags
	if len(cfg.Instances) != 1 {
		t.Fatalf("instances: %d", len(cfg.Instances))
	}
	v := cfg.Instances[0]
	check := func(name string, got, want any) {
		t.Helper()
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s = %#v, want %#v", name, got, want)
		}
	}
	check("State", v.State, "BACKUP")
	check("Interface", v.Interface, "eth0")
	check("VRID", v.VRID, 51)
	check("Priority", v.Priority, 150)
	check("Version", v.Version, 3) // inherited from global_defs
	check("AdvertIntUsec", v.AdvertIntUsec, int64(500000))
	check("NoPreempt", v.NoPreempt, true)
	check("GARPMasterDelay", v.GARPMasterDelay, 7) // inherited
	check("GARPMasterRepeat", v.GARPMasterRepeat, 2)
	check("GARPLowerPrioRepeat", v.GARPLowerPrioRepeat, 5) // global default = master repeat
	check("Family", v.Family, "inet")
	check("SrcIP", v.SrcIP, netip.MustParseAddr("192.168.1.10"))
	check("peers", len(v.UnicastPeers), 2)
	check("peer0", *v.UnicastPeers[0], UnicastPeer{Pos: v.UnicastPeers[0].Pos, Addr: netip.MustParseAddr("192.168.1.11"), MinTTL: 3, MaxTTL: 9})
	check("CheckUnicastSrc", v.CheckUnicastSrc, true) // implied by a TTL range
	check("McastDstIP", v.McastDstIP, netip.Addr{})   // unicast
	check("Accept", v.Accept, true)
	check("TrackScripts", *v.TrackScripts[0], Tracked{Pos: v.TrackScripts[0].Pos, Name: "chk", Weight: 10, Reverse: true})
	check("TrackInterfaces", *v.TrackInterfaces[0], TrackedInterface{Pos: v.TrackInterfaces[0].Pos, Name: "eth1", Weight: -5, Reverse: true})
	check("NotifyMaster", v.NotifyMaster.Argv, []string{"/bin/echo", "master"})
	check("NotifyMaster.User", v.NotifyMaster.User, "root")
	check("VIPs", len(v.VIPs), 1)

	s := cfg.VRRPScripts[0]
	check("script", *s, VRRPScript{Pos: s.Pos, Name: "chk", Argv: []string{"/bin/true", "arg1"}, IntervalSec: 3, Weight: -20, WeightReverse: true, Rise: 2, Fall: 4, InitFail: true})
}

func TestVRRPDefaults(t *testing.T) {
	cfg, _ := parseVRRP(t, `
vrrp_instance VI_1 {
  interface eth0
  virtual_router_id 1
  virtual_ipaddress {
    10.0.0.1
  }
}
vrrp_instance VI_2 {
  state MASTER
  interface eth1
  virtual_router_id 2
  virtual_ipaddress {
    fe80::1
  }
}
`)
	v1, v2 := cfg.Instances[0], cfg.Instances[1]
	tests := []struct {
		name      string
		got, want any
	}{
		{"v1 state from priority", v1.State, "BACKUP"},
		{"v1 priority", v1.Priority, 100},
		{"v1 version", v1.Version, 2},
		{"v1 advert", v1.AdvertIntUsec, int64(1000000)},
		{"v1 mcast", v1.McastDstIP, netip.MustParseAddr("224.0.0.18")},
		{"v1 garp delay", v1.GARPMasterDelay, 5},
		{"v1 garp refresh repeat", v1.GARPMasterRefreshRepeat, 1},
		{"v1 down timer", v1.DownTimerAdverts, 3},
		{"v1 ttl unset", v1.UnicastTTL, -1},
		{"v1 accept", v1.Accept, true},
		{"v2 priority from MASTER", v2.Priority, 255},
		{"v2 family", v2.Family, "inet6"},
		{"v2 version", v2.Version, 3},
		{"v2 mcast", v2.McastDstIP, netip.MustParseAddr("ff02::12")},
	}
	for _, tc := range tests {
		if !reflect.DeepEqual(tc.got, tc.want) {
			t.Errorf("%s = %#v, want %#v", tc.name, tc.got, tc.want)
		}
	}
}

func TestVRRPStrictInheritance(t *testing.T) {
	cfg, _ := parseVRRP(t, `
global_defs {
  vrrp_strict
}
vrrp_instance VI_1 {
  interface eth0
  virtual_router_id 1
  virtual_ipaddress {
    10.0.0.1
  }
}
`)
	v := cfg.Instances[0]
	if !v.StrictMode || v.Accept || !v.LowerPrioNoAdvert || v.HigherPrioSendAdvert || v.GARPLowerPrioRepeat != 0 || v.GARPLowerPrioDelay != 0 {
		t.Errorf("strict defaults: strict=%v accept=%v lpna=%v hpsa=%v lpr=%d lpd=%d",
			v.StrictMode, v.Accept, v.LowerPrioNoAdvert, v.HigherPrioSendAdvert, v.GARPLowerPrioRepeat, v.GARPLowerPrioDelay)
	}
}

// The values keepalived keeps after its rounding and truncation messages.
func TestVRRPAdjustedValues(t *testing.T) {
	tests := []struct {
		name  string
		body  string
		check func(v *VRRPInstance) any
		want  any
	}{
		{"v2 advert rounds up", "advert_int 1.5", func(v *VRRPInstance) any { return v.AdvertIntUsec }, int64(2000000)},
		{"v2 advert rounds down", "advert_int 2.4", func(v *VRRPInstance) any { return v.AdvertIntUsec }, int64(2000000)},
		{"v2 advert below 0.5 becomes 1", "advert_int 0.2", func(v *VRRPInstance) any { return v.AdvertIntUsec }, int64(1000000)},
		{"v3 advert to 10ms", "version 3\n advert_int 0.015", func(v *VRRPInstance) any { return v.AdvertIntUsec }, int64(20000)},
		{"v3 advert capped", "version 3\n advert_int 41", func(v *VRRPInstance) any { return v.AdvertIntUsec }, int64(40950000)},
		{"auth_pass truncated", "authentication {\n auth_type PASS\n auth_pass 123456789\n }", func(v *VRRPInstance) any { return v.Auth }, VRRPAuth{Type: "PASS", Pass: "12345678"}},
		{"bad priority uses 100", "priority 300", func(v *VRRPInstance) any { return v.Priority }, 100},
		{"nopreempt cleared for MASTER", "state MASTER\n priority 100\n nopreempt", func(v *VRRPInstance) any { return v.NoPreempt }, false},
		{"preempt_delay cleared for MASTER", "state MASTER\n priority 100\n preempt_delay 5", func(v *VRRPInstance) any { return v.PreemptDelayUsec }, int64(0)},
		{"preempt_delay kept", "preempt_delay 2.5", func(v *VRRPInstance) any { return v.PreemptDelayUsec }, int64(2500000)},
		{"unknown state is BACKUP", "state MASTER\n state FOO", func(v *VRRPInstance) any { return v.State }, "BACKUP"},
		{"AH master non-owner is BACKUP", "state MASTER\n priority 100\n authentication {\n auth_type AH\n auth_pass x\n }", func(v *VRRPInstance) any { return v.State }, "BACKUP"},
		{"garp repeat 0 is 1", "garp_master_repeat 0", func(v *VRRPInstance) any { return v.GARPMasterRepeat }, 1},
		{"unicast_ttl without peers reset", "unicast_ttl 5", func(v *VRRPInstance) any { return v.UnicastTTL }, 0},
		{"own interface not tracked", "track_interface {\n eth0\n eth1\n }", func(v *VRRPInstance) any { return len(v.TrackInterfaces) }, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg, _ := parseVRRP(t, "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 9\n "+tc.body+"\n virtual_ipaddress {\n 10.0.0.1\n }\n}\n")
			if len(cfg.Instances) != 1 {
				t.Fatal("no instance")
			}
			if got := tc.check(cfg.Instances[0]); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %#v, want %#v", got, tc.want)
			}
		})
	}
}

func TestVRRPTopLevelBlocks(t *testing.T) {
	cfg, _ := parseVRRP(t, `
track_file tf {
  file /tmp/gk-tf
  weight -3 reverse
  init_file 7 overwrite
}
vrrp_track_process tp {
  process haproxy -f /etc/haproxy.cfg
  quorum 2
  quorum_max 4
  delay 0.25
  weight 5
}
garp_group {
  garp_interval 0.001
  interfaces {
    eth0
    eth1
  }
}
interface_up_down_delays {
  eth0 1.5 2
}
linkbeat_interfaces {
  eth1 MII
}
bfd_instance b1 {
  neighbor_ip 10.1.1.2
  min_rx 50.5
  multiplier 5
}
vrrp_sync_group G {
  group {
    VI_1 VI_2
  }
  notify "/bin/true x"
}
vrrp_instance VI_1 {
  interface eth0
  virtual_router_id 1
}
vrrp_instance VI_2 {
  interface eth0
  virtual_router_id 2
}
`)
	check := func(name string, got, want any) {
		t.Helper()
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s = %#v, want %#v", name, got, want)
		}
	}
	tf := cfg.TrackFiles[0]
	check("track_file", *tf, TrackFile{Pos: tf.Pos, Name: "tf", File: "/tmp/gk-tf", Weight: -3, WeightReverse: true, Init: &TrackFileInit{Value: 7, Overwrite: true}})
	tp := cfg.TrackProcesses[0]
	check("track_process", *tp, TrackProcess{Pos: tp.Pos, Name: "tp", Process: "haproxy", Params: []string{"-f", "/etc/haproxy.cfg"}, ParamMatch: "exact",
		Quorum: 2, QuorumMax: 4, TerminateDelayUsec: 250000, ForkDelayUsec: 250000, Weight: 5, FullCommand: true})
	gg := cfg.GARPGroups[0]
	check("garp_group", [3]any{gg.GARPIntervalUsec, gg.HaveGARP, gg.Interfaces}, [3]any{int64(1000), true, []string{"eth0", "eth1"}})
	ud := cfg.InterfaceUpDownDelays[0]
	check("up_down", [3]any{ud.Interface, ud.DownUsec, ud.UpUsec}, [3]any{"eth0", int64(1500000), int64(2000000)})
	check("linkbeat", cfg.LinkbeatInterfaces, []string{"eth1"})
	b := cfg.BFDInstances[0]
	check("bfd", [4]any{b.Neighbor, b.MinRxUsec, b.Multiplier, b.TTL}, [4]any{netip.MustParseAddr("10.1.1.2"), int64(50500), 5, 255})
	g := cfg.SyncGroups
	if len(g) != 1 || !reflect.DeepEqual(g[0].Group, []string{"VI_1", "VI_2"}) || !reflect.DeepEqual(g[0].Notify.Argv, []string{"/bin/true", "x"}) {
		t.Errorf("sync group: %+v", g)
	}
}
