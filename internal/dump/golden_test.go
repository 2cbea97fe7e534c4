package dump

import (
	"bytes"
	"flag"
	"net/netip"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The golden files are keepalived 2.2.7's own dumps, captured by
// testdata/capture.sh from testdata/<case>/keepalived.conf. Each case
// below is the snapshot of the state keepalived was in: the same
// configuration, states, counters and host (interface indexes, file
// descriptors). Only what differs on every run is normalised on both
// sides: timestamps, MAC addresses and the kernel's IPv6 link-local
// addresses. After a re-capture, the counters and master-down timers
// here may need the new values.

var update = flag.Bool("update", false, "write our output next to the goldens (*.ours) for inspection")

var normalizers = []struct {
	re   *regexp.Regexp
	with string
}{
	// "1796322456.469109 (Thu Dec  3 18:27:36.469109 2026)" and the
	// interface form with the micros after the year.
	{regexp.MustCompile(`\d{9,}\.\d{6} \([A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d(\.\d{6})? \d{4}(\.\d{6})?\)`), "TIME"},
	{regexp.MustCompile(`"last_transition":\d+\.\d+`), `"last_transition":TIME`},
	{regexp.MustCompile(`\b(?:[0-9a-f]{2}:){5}[0-9a-f]{2}\b`), "MAC"},
	{regexp.MustCompile(`fe80::[0-9a-f:]*[0-9a-f]`), "LINKLOCAL"},
}

func normalize(b []byte) string {
	s := string(b)
	for _, n := range normalizers {
		s = n.re.ReplaceAllString(s, n.with)
	}
	return s
}

func TestGolden(t *testing.T) {
	for _, tc := range []struct {
		dir  string
		snap *Snapshot
	}{
		{"basic", basicSnapshot()},
		{"full", fullSnapshot()},
		{"states", statesSnapshot()},
	} {
		for _, f := range []struct {
			name  string
			write func(*bytes.Buffer) error
		}{
			{DataFile, func(b *bytes.Buffer) error { return WriteData(b, tc.snap) }},
			{ParentDataFile, func(b *bytes.Buffer) error { return WriteParentData(b, parentGlobal(tc.snap.Global)) }},
			{StatsFile, func(b *bytes.Buffer) error { return WriteStats(b, tc.snap) }},
			{JSONFile, func(b *bytes.Buffer) error { return WriteJSON(b, tc.snap) }},
		} {
			t.Run(tc.dir+"/"+f.name, func(t *testing.T) {
				want, err := os.ReadFile(filepath.Join("testdata", tc.dir, f.name))
				if err != nil {
					t.Fatal(err)
				}
				var got bytes.Buffer
				if err := f.write(&got); err != nil {
					t.Fatal(err)
				}
				if *update {
					os.WriteFile(filepath.Join("testdata", tc.dir, f.name+".ours"), got.Bytes(), 0o644)
				}
				if g, w := normalize(got.Bytes()), normalize(want); g != w {
					t.Errorf("differs from keepalived's:\n%s", lineDiff(w, g))
				}
			})
		}
	}
}

// lineDiff shows the first differing lines, keepalived's (-) and ours (+).
func lineDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	n := 0
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			b.WriteString("line " + strconv.Itoa(i+1) + ":\n  - " + w + "\n  + " + g + "\n")
			if n++; n == 8 {
				break
			}
		}
	}
	return b.String()
}

// parentGlobal is the parent's view of the same global_defs: keepalived's
// parent shows no default interface and the lower-priority GARP settings
// unresolved.
func parentGlobal(g Global) *Global {
	g.DefaultInterface = ""
	g.GARPLowerPrioDelay = 4294967295
	g.GARPLowerPrioRep = 4294967295
	return &g
}

var (
	when = time.Date(2026, 12, 3, 18, 27, 36, 469109000, time.UTC)
	addr = netip.MustParseAddr
	pfx  = netip.MustParsePrefix
)

// keepalived's build has nftables; ours manages no firewall and would
// leave these out.
var debianFirewall = []string{"nftables without counters", "libnftnl version 1.2.3"}

func instance(name, ifname string, vrid, prio int, src string) Instance {
	return Instance{
		Name: name, Version: 2, State: Master, WantState: Master,
		LastTransition: when, ReadTimeout: when.Add(4 * time.Second),
		Interface: ifname, SrcIP: addr(src), MulticastGroup: addr("224.0.0.18"),
		GARPRepeat: 5, GARPDelay: 5, GARPRefreshRepeat: 1, GARPLowerPrioDelay: 5, GARPLowerPrioRepeat: 5,
		DownTimerAdverts: 3, VRID: vrid, Priority: prio, EffectivePriority: prio, TotalPriority: prio,
		AdvertInterval: time.Second, MasterAdvertInt: time.Second, Accept: true, VIPsSet: true,
	}
}

func basicSnapshot() *Snapshot {
	g := DefaultGlobal()
	g.RouterID = "gvdump"
	g.GARPDelay, g.GARPRepeat, g.GARPLowerPrioDelay, g.GARPLowerPrioRep = 1, 2, 1, 2
	g.Firewall = debianFirewall

	v1 := instance("VI_1", "va0", 51, 150, "192.168.77.1")
	v2 := instance("VI_2", "vb0", 51, 100, "192.168.77.2")
	for _, v := range []*Instance{&v1, &v2} {
		v.GARPDelay, v.GARPRepeat, v.GARPLowerPrioDelay, v.GARPLowerPrioRepeat = 1, 2, 1, 2
		v.Auth, v.AuthPass = AuthPass, "secret1"
	}
	v1.MasterDown = 3414062 * time.Microsecond
	v1.FdIn, v1.FdOut = 13, 14
	v1.VIPs = []Address{
		{Prefix: pfx("192.168.77.100/24"), Dev: "va0", Scope: "global", Set: true},
		{Prefix: pfx("192.168.77.101/24"), Dev: "va0", Scope: "global", Label: "va0:1", Set: true},
	}
	v1.EVIPs = []Address{{Prefix: pfx("10.9.9.9/32"), Dev: "va0", Scope: "global", Set: true}}
	v1.Stats = Stats{AdvertSent: 4, BecomeMaster: 1}

	v2.State, v2.WantState = Backup, Backup
	v2.MasterRouter, v2.MasterPriority = addr("192.168.77.1"), 150
	v2.NoPreempt = true
	v2.VIPsSet = false
	v2.MasterDown = 3609375 * time.Microsecond
	v2.FdIn, v2.FdOut = 15, 16
	v2.VIPs = []Address{
		{Prefix: pfx("192.168.77.100/24"), Dev: "vb0", Scope: "global"},
		{Prefix: pfx("192.168.77.101/24"), Dev: "vb0", Scope: "global", Label: "vb0:1"},
	}
	v2.EVIPs = []Address{{Prefix: pfx("10.9.9.9/32"), Dev: "vb0", Scope: "global"}}
	v2.Stats = Stats{AdvertRcvd: 4}

	return &Snapshot{
		Global:    g,
		Instances: []Instance{v1, v2},
		Sockets: []Socket{
			{FdIn: 13, FdOut: 14, Interface: "va0", Instances: []SocketInstance{{"VI_1", 51}}},
			{FdIn: 15, FdOut: 16, Interface: "vb0", Instances: []SocketInstance{{"VI_2", 51}}},
		},
		Interfaces: []Interface{
			loopback(),
			veth("vb0", 2, "192.168.77.2", Tracked{"VI_2", 0}),
			veth("va0", 3, "192.168.77.1", Tracked{"VI_1", 0}),
		},
	}
}

func loopback() Interface {
	return Interface{Name: "lo", Index: 1, IPv4: addr("127.0.0.1"), Up: true, Running: true,
		NoBroadcast: true, Loopback: true, NoMulticast: true, SeenUp: true, MTU: 65536, HWType: "LOOPBACK"}
}

func veth(name string, index int, v4 string, tracking ...Tracked) Interface {
	return Interface{Name: name, Index: index, IPv4: addr(v4), IPv6: addr("fe80::1"),
		MAC: "02:00:00:00:00:01", MACBrd: "ff:ff:ff:ff:ff:ff", Up: true, Running: true, SeenUp: true,
		MTU: 1500, HWType: "ETHERNET", Tracking: tracking}
}

func fullSnapshot() *Snapshot {
	g := DefaultGlobal()
	g.RouterID = "gvfull"
	g.SMTPServer, g.SMTPPort, g.SMTPHelo, g.SMTPTimeout = "127.0.0.1", 25, "vm", 30*time.Second
	g.EmailFrom, g.EmailTo = "kad@example.com", []string{"ops@example.com"}
	g.GARPRefresh = 30
	g.Firewall = debianFirewall

	v1 := instance("VI_1", "va0", 51, 200, "192.168.77.1")
	v1.SyncGroup = "G1"
	v1.GARPRefresh = 30
	v1.MasterDown = 3218750 * time.Microsecond
	v1.FdIn, v1.FdOut = 14, 15
	v1.VIPs = []Address{{Prefix: pfx("192.168.77.100/24"), Dev: "va0", Scope: "global", Set: true}}
	v1.Routes = []string{"prepend 10.20.0.0/16 via inet 192.168.77.254 dev va0 proto 18"}
	// In a sync group keepalived ignores the tracking weight: shown as 0.
	v1.TrackInterfaces = []Tracked{{"vb0", 0}}
	v1.SMTPAlert = true
	v1.Notify = NotifyScripts{Backup: "'/tmp/gvdump/ok.sh' 'backup'", Generic: "'/tmp/gvdump/ok.sh'"}
	v1.Stats = Stats{AdvertSent: 4, BecomeMaster: 1}

	vu := instance("VI_U", "vb0", 52, 90, "192.168.77.2")
	vu.SyncGroup = "G1"
	vu.Unicast, vu.SrcFromConfig = true, true
	vu.MulticastGroup = netip.Addr{}
	vu.GARPRefresh = 30
	vu.MasterDown = 6648437 * time.Microsecond
	vu.AdvertInterval, vu.MasterAdvertInt = 2*time.Second, 2*time.Second
	vu.PreemptDelay = 5 * time.Second
	vu.Auth, vu.AuthPass = AuthAH, "k3y"
	vu.VIPs = []Address{{Prefix: pfx("192.168.77.120/24"), Dev: "vb0", Scope: "global", Set: true}}
	vu.UnicastTTL, vu.ChecksumCompat = 255, "no"
	vu.UnicastPeers = []UnicastPeer{{addr("192.168.77.1"), 0, 255}, {addr("192.168.77.9"), 0, 255}}
	vu.FdIn, vu.FdOut = 16, 17
	vu.Stats = Stats{AdvertSent: 2, BecomeMaster: 1}

	v6 := instance("VI_6", "vb0", 60, 120, "fe80::1")
	v6.Version, v6.IPv6 = 3, true
	v6.MulticastGroup, v6.MulticastIfindex = addr("ff02::12"), 2
	v6.GARPRefresh = 30
	v6.MasterDown = 1765625 * time.Microsecond
	v6.AdvertInterval, v6.MasterAdvertInt = 500*time.Millisecond, 500*time.Millisecond
	v6.VIPs = []Address{{Prefix: pfx("fd77::100/64"), Dev: "vb0", Scope: "global", PreferredLft: "forever", Set: true}}
	v6.FdIn, v6.FdOut = 18, 19
	v6.TrackScripts = []TrackedScript{{Name: "chk_ok", Command: "'/tmp/gvdump/ok.sh'", Weight: -20}}
	v6.Stats = Stats{AdvertSent: 17, BecomeMaster: 1}

	vb0 := veth("vb0", 2, "192.168.77.2", Tracked{"VI_1", -10}, Tracked{"VI_U", 0}, Tracked{"VI_6", 0})
	vb0.IPv6ForwardingChecked = when
	return &Snapshot{
		Global:    g,
		Instances: []Instance{v1, vu, v6},
		Sockets: []Socket{
			{FdIn: 14, FdOut: 15, Interface: "va0", Instances: []SocketInstance{{"VI_1", 51}}},
			{FdIn: 16, FdOut: 17, Interface: "vb0", AH: true, Unicast: true, Address: addr("192.168.77.2"),
				Instances: []SocketInstance{{"VI_U", 52}}},
			{FdIn: 18, FdOut: 19, Interface: "vb0", IPv6: true, Instances: []SocketInstance{{"VI_6", 60}}},
		},
		SyncGroups: []SyncGroup{{Name: "G1", State: Master, Members: []string{"VI_1", "VI_U"},
			Notify: NotifyScripts{Master: "'/tmp/gvdump/ok.sh' 'master'"}}},
		Scripts: []Script{{Name: "chk_ok", Command: "'/tmp/gvdump/ok.sh'", Interval: 2 * time.Second,
			Weight: -20, Rise: 2, Fall: 2, Result: 3, InitState: "unknown", Good: true,
			Tracking: []Tracked{{"VI_6", -20}}}},
		Interfaces: []Interface{
			loopback(),
			vb0,
			veth("va0", 3, "192.168.77.1", Tracked{"VI_1", 0}),
		},
	}
}

func statesSnapshot() *Snapshot {
	g := DefaultGlobal()
	g.RouterID = "gvstates"
	g.GARPDelay, g.GARPLowerPrioDelay = 1, 1
	g.Firewall = debianFirewall

	v1 := instance("VI_1", "va0", 51, 150, "192.168.77.1")
	v2 := instance("VI_2", "vb0", 51, 100, "192.168.77.2")
	for _, v := range []*Instance{&v1, &v2} {
		v.Version = 3
		v.GARPDelay, v.GARPLowerPrioDelay = 1, 1
		v.AdvertInterval, v.MasterAdvertInt = 200*time.Millisecond, 200*time.Millisecond
	}
	v1.MasterDown = 682812 * time.Microsecond
	v1.FdIn, v1.FdOut = 14, 15
	v1.VIPs = []Address{{Prefix: pfx("192.168.77.100/24"), Dev: "va0", Scope: "global", Set: true}}
	v1.Stats = Stats{AdvertSent: 16, BecomeMaster: 1}

	v2.State, v2.WantState = Backup, Backup
	v2.MasterRouter, v2.MasterPriority = addr("192.168.77.1"), 150
	v2.MasterDown = 721875 * time.Microsecond
	v2.FdIn, v2.FdOut = 16, 17
	v2.VIPs = []Address{{Prefix: pfx("192.168.77.100/24"), Dev: "vb0", Scope: "global"}}
	v2.VIPsSet = false
	v2.TrackFiles = []Tracked{{"tf1", 2}}
	v2.Stats = Stats{AdvertRcvd: 16}

	// An instance on an interface that is down: FAULT, no timer running.
	vf := instance("VI_F", "dn0", 53, 100, "192.168.78.1")
	vf.State, vf.WantState = Fault, Fault
	vf.ReadTimeout = time.Time{}
	vf.GARPDelay, vf.GARPLowerPrioDelay = 1, 1
	vf.MasterDown = 3609375 * time.Microsecond
	vf.FdIn, vf.FdOut = 18, 19
	vf.VIPs = []Address{{Prefix: pfx("192.168.78.100/24"), Dev: "dn0", Scope: "global"}}
	vf.VIPsSet = false
	vf.NotifyDeleted = true
	vf.TrackFaults = 2 // dn0 down, chk_bad failing
	vf.TrackScripts = []TrackedScript{{Name: "chk_bad", Command: "'/tmp/gvdump/bad.sh'"}}

	down := func(name string, index int, v4 string, tracking ...Tracked) Interface {
		i := veth(name, index, "192.168.0.1", tracking...)
		i.IPv4, i.IPv6 = netip.Addr{}, netip.Addr{}
		if v4 != "" {
			i.IPv4 = addr(v4)
		}
		i.Up, i.Running, i.SeenUp = false, false, false
		return i
	}
	return &Snapshot{
		Global:    g,
		Instances: []Instance{v1, v2, vf},
		Sockets: []Socket{
			{FdIn: 14, FdOut: 15, Interface: "va0", Instances: []SocketInstance{{"VI_1", 51}}},
			{FdIn: 16, FdOut: 17, Interface: "vb0", Instances: []SocketInstance{{"VI_2", 51}}},
			{FdIn: 18, FdOut: 19, Interface: "dn0", Instances: []SocketInstance{{"VI_F", 53}}},
		},
		Scripts: []Script{{Name: "chk_bad", Command: "'/tmp/gvdump/bad.sh'", Interval: time.Second,
			Rise: 1, Fall: 1, InitState: "unknown", Tracking: []Tracked{{"VI_F", 0}}}},
		TrackFiles: []TrackFile{{Name: "tf1", Path: "/tmp/gvdump/tf", Weight: 1, Tracking: []Tracked{{"VI_2", 2}}}},
		Interfaces: []Interface{
			loopback(),
			veth("vb0", 2, "192.168.77.2", Tracked{"VI_2", 0}),
			veth("va0", 3, "192.168.77.1", Tracked{"VI_1", 0}),
			down("dn1", 4, ""),
			down("dn0", 5, "192.168.78.1", Tracked{"VI_F", 0}),
		},
	}
}
