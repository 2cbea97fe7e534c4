package announce

import (
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/gokeepalived/gokeepalived/pkg/config"
)

var t0 = time.Unix(1_000_000, 0)

func at(s float64) time.Time { return t0.Add(time.Duration(s * float64(time.Second))) }

func targets(inst, iface string, addrs ...string) []Target {
	var out []Target
	for _, a := range addrs {
		out = append(out, Target{Instance: inst, Iface: iface, Addr: netip.MustParseAddr(a)})
	}
	return out
}

// render prints sends as "T:ADDR" with T in seconds since t0.
func render(sends []Send) string {
	var b strings.Builder
	for i, s := range sends {
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%g:%s", s.At.Sub(t0).Seconds(), s.Addr)
	}
	return b.String()
}

// rep repeats "T:a T:b" n times (rounds of one burst).
func rep(n int, round string) string {
	r := make([]string, n)
	for i := range r {
		r[i] = round
	}
	return strings.Join(r, " ")
}

func adverts(from, to float64) []Event {
	var ev []Event
	for s := from; s <= to; s++ {
		ev = append(ev, Event{At: at(s), Kind: EventAdvert})
	}
	return ev
}

func TestPlan(t *testing.T) {
	two := targets("VI_1", "eth0", "10.0.0.1", "10.0.0.2")
	defaults := Timers{MasterRepeat: 5, MasterDelay: 5 * time.Second, RefreshRepeat: 1}
	master := []Event{{At: at(0), Kind: EventMaster}}
	for _, c := range []struct {
		name   string
		t      Timers
		events []Event
		until  float64
		limits Limits
		want   string
	}{
		{"keepalived defaults: 5 rounds now and 5 more after 5s", defaults, master, 20, nil,
			rep(5, "0:10.0.0.1 0:10.0.0.2") + " " + rep(5, "5:10.0.0.1 5:10.0.0.2")},
		{"vrrp_min_garp: one round, no second burst", Timers{MasterRepeat: 1, RefreshRepeat: 1}, master, 20, nil,
			"0:10.0.0.1 0:10.0.0.2"},
		{"garp_master_repeat 0 sends nothing", Timers{MasterRepeat: 0, MasterDelay: time.Second}, master, 20, nil, ""},
		{"leaving MASTER cancels the delayed burst", defaults,
			append(master, Event{At: at(2), Kind: EventLeave}), 20, nil,
			rep(5, "0:10.0.0.1 0:10.0.0.2")},
		{"refresh rides on the first advert at or after it is due",
			Timers{MasterRepeat: 1, Refresh: 4 * time.Second, RefreshRepeat: 2},
			append(master, append(adverts(1.5, 9.5), Event{At: at(10), Kind: EventLeave})...), 20, nil,
			"0:10.0.0.1 0:10.0.0.2 " + rep(2, "4.5:10.0.0.1 4.5:10.0.0.2") + " " + rep(2, "8.5:10.0.0.1 8.5:10.0.0.2")},
		{"refresh off by default", defaults, append(master, adverts(1, 12)...), 12, nil,
			rep(5, "0:10.0.0.1 0:10.0.0.2") + " " + rep(5, "5:10.0.0.1 5:10.0.0.2")},
		{"lower priority advert: repeat now and again after the delay",
			Timers{MasterRepeat: 1, LowerPrioRepeat: 2, LowerPrioDelay: 3 * time.Second},
			append(master, Event{At: at(7), Kind: EventLowerPrio}), 20, nil,
			"0:10.0.0.1 0:10.0.0.2 " + rep(2, "7:10.0.0.1 7:10.0.0.2") + " " + rep(2, "10:10.0.0.1 10:10.0.0.2")},
		{"lower priority advert while not master is ignored",
			Timers{MasterRepeat: 1, LowerPrioRepeat: 2, LowerPrioDelay: 3 * time.Second},
			[]Event{{At: at(1), Kind: EventLowerPrio}}, 20, nil, ""},
		{"lower priority repeat 0 sends nothing",
			Timers{MasterRepeat: 1, LowerPrioDelay: 3 * time.Second},
			append(master, Event{At: at(7), Kind: EventLowerPrio}), 20, nil, "0:10.0.0.1 0:10.0.0.2"},
		{"vrrp_garp_interval: later rounds collapse into one pending send each", defaults, master, 20,
			func(string, bool) Limit { return Limit{Key: "eth0", Interval: 200 * time.Millisecond} },
			"0:10.0.0.1 0.2:10.0.0.1 0.4:10.0.0.2 5:10.0.0.1 5.2:10.0.0.1 5.4:10.0.0.2"},
		{"until cuts the plan", defaults, master, 4, nil, rep(5, "0:10.0.0.1 0:10.0.0.2")},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := render(Plan(c.t, two, c.limits, c.events, at(c.until)))
			if got != c.want {
				t.Errorf("\n got %s\nwant %s", got, c.want)
			}
		})
	}
}

func TestScheduleTimersFromConfig(t *testing.T) {
	cfg, diags := config.Parse("keepalived.conf", []byte(`
global_defs {
  vrrp_garp_master_refresh 60
  vrrp_garp_master_refresh_repeat 2
}
vrrp_instance VI_1 {
  interface eth0
  virtual_router_id 1
  garp_master_delay 10
  garp_master_repeat 3
  garp_lower_prio_repeat 4
  virtual_ipaddress { 10.0.0.1 }
}
vrrp_instance VI_2 {
  interface eth0
  virtual_router_id 2
  virtual_ipaddress { 10.0.0.2 }
}
`), config.Options{Host: config.FakeHost{Interfaces: []string{"lo", "eth0"}}})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	got := []Timers{TimersFromConfig(cfg.Instances[0]), TimersFromConfig(cfg.Instances[1])}
	want := []Timers{
		{MasterRepeat: 3, MasterDelay: 10 * time.Second, Refresh: 60 * time.Second, RefreshRepeat: 2,
			LowerPrioRepeat: 4, LowerPrioDelay: 5 * time.Second},
		{MasterRepeat: 5, MasterDelay: 5 * time.Second, Refresh: 60 * time.Second, RefreshRepeat: 2,
			LowerPrioRepeat: 5, LowerPrioDelay: 5 * time.Second},
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("instance %d: %+v, want %+v", i, got[i], want[i])
		}
	}
}

// TestPacerMatchesKeepalived replays keepalived-2.2.7-interval.conf: two
// instances become master together (VI_4 with three IPv4 VIPs and an IPv6
// eVIP, VI_5 with one VIP), vrrp_garp_interval 0.2, vrrp_gna_interval 0.3,
// the default five rounds, a second burst 3 s later; and compares the
// frames and their times with keepalived's capture.
func TestPacerMatchesKeepalived(t *testing.T) {
	frames := readPcap(t, "testdata/keepalived-2.2.7-interval.pcap")
	var want []string
	for _, f := range frames {
		_, vip, _ := vipOf(t, f.data)
		want = append(want, fmt.Sprintf("%.1f:%s", f.at.Sub(frames[0].at).Seconds(), vip))
	}
	limits := func(iface string, v6 bool) Limit {
		if v6 {
			return Limit{Key: iface + "/6", Interval: 300 * time.Millisecond}
		}
		return Limit{Key: iface + "/4", Interval: 200 * time.Millisecond}
	}
	vi4 := targets("VI_4", "kv0", "192.168.77.61", "192.168.77.62", "192.168.77.63", "fd00:77::61")
	vi5 := targets("VI_5", "kv0", "192.168.77.64")
	p := NewPacer(limits)
	var sends []Send
	for _, b := range []float64{0, 3} {
		sends = append(sends, p.Burst(at(b), vi4, 5)...)
		sends = append(sends, p.Burst(at(b), vi5, 5)...)
		for {
			next, ok := p.Next()
			if !ok {
				break
			}
			sends = append(sends, p.Due(next)...)
		}
	}
	var got []string
	for _, s := range sends {
		got = append(got, fmt.Sprintf("%.1f:%s", s.At.Sub(t0).Seconds(), s.Addr))
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("\n got %s\nwant %s", strings.Join(got, " "), strings.Join(want, " "))
	}
}

func TestPacerFlushAndNext(t *testing.T) {
	lim := func(string, bool) Limit { return Limit{Key: "k", Interval: time.Second} }
	p := NewPacer(lim)
	a := targets("A", "eth0", "10.0.0.1", "10.0.0.2")
	b := targets("B", "eth0", "10.0.0.3")
	if got := render(p.Burst(at(0), a, 3)); got != "0:10.0.0.1" {
		t.Fatalf("burst A: %s", got)
	}
	if got := render(p.Burst(at(0.5), b, 1)); got != "" {
		t.Fatalf("burst B: %s", got)
	}
	if p.Pending() != 3 {
		t.Fatalf("pending %d", p.Pending())
	}
	if n, ok := p.Next(); !ok || !n.Equal(at(1)) {
		t.Fatalf("next %v %v", n, ok)
	}
	if got := render(p.Due(at(0.9))); got != "" {
		t.Fatalf("early due: %s", got)
	}
	if got := render(p.Due(at(1))); got != "1:10.0.0.1" {
		t.Fatalf("due: %s", got)
	}
	p.Flush("A")
	if got := render(p.Due(at(2))); got != "2:10.0.0.3" {
		t.Fatalf("after flush: %s", got)
	}
	if _, ok := p.Next(); ok || p.Pending() != 0 {
		t.Fatal("pending after all sent")
	}
}

func TestScheduleDirect(t *testing.T) {
	s := NewSchedule(Timers{MasterRepeat: 2, MasterDelay: 5 * time.Second, LowerPrioRepeat: 1, LowerPrioDelay: 2 * time.Second})
	if b := s.Master(at(0)); len(b) != 1 || b[0].Repeat != 2 || b[0].Reason != ReasonMaster {
		t.Fatalf("master: %+v", b)
	}
	s.LowerPriority(at(1)) // arms 3s, before the 5s master delay
	if n, ok := s.Next(); !ok || !n.Equal(at(3)) {
		t.Fatalf("next %v", n)
	}
	d := s.Due(at(10))
	if len(d) != 2 || d[0].Reason != ReasonLowerPrioDelay || d[1].Reason != ReasonMasterDelay {
		t.Fatalf("due %+v", d)
	}
	if d[0].Reason.String() != "lower-prio-delay" || Reason(99).String() != "reason(99)" {
		t.Fatal("reason names")
	}
	if s.Timers().MasterRepeat != 2 {
		t.Fatal("timers")
	}
}

func TestConfigLimits(t *testing.T) {
	cfg, diags := config.Parse("keepalived.conf", []byte(`
global_defs {
  vrrp_garp_interval 0.01
  vrrp_gna_interval 0.02
}
garp_group {
  garp_interval 0.5
  interfaces {
    eth1
    eth2
  }
}
garp_group {
  gna_interval 0.7
  interface eth3
}
`), config.Options{Host: config.FakeHost{Interfaces: []string{"lo", "eth0", "eth1", "eth2", "eth3"}}})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	base := func(s string) string {
		if s == "vrrp.1" {
			return "eth1"
		}
		return ""
	}
	l := ConfigLimits(cfg, base)
	ms := time.Millisecond
	for _, c := range []struct {
		iface string
		v6    bool
		want  time.Duration
		same  string // an interface sharing the key
	}{
		{"eth0", false, 10 * ms, ""},
		{"eth0", true, 20 * ms, ""},
		{"eth1", false, 500 * ms, "eth2"},
		{"vrrp.1", false, 500 * ms, "eth2"},
		{"eth1", true, 20 * ms, "eth2"},
		{"eth3", true, 700 * ms, ""},
		{"eth3", false, 10 * ms, ""},
	} {
		got := l(c.iface, c.v6)
		if got.Interval != c.want {
			t.Errorf("%s v6=%v: %v, want %v", c.iface, c.v6, got.Interval, c.want)
		}
		if c.same != "" && l(c.same, c.v6).Key != got.Key {
			t.Errorf("%s and %s do not share a limit", c.iface, c.same)
		}
	}
	if l("eth0", false).Key == l("eth0", true).Key {
		t.Error("ARP and NA share a limit")
	}
}
