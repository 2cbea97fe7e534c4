package daemon

import (
	"bytes"
	"fmt"
	"io"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/announce"
	"github.com/gokeepalived/gokeepalived/internal/logging"
	"github.com/gokeepalived/gokeepalived/internal/netif"
	"github.com/gokeepalived/gokeepalived/internal/vrrp"
	"github.com/gokeepalived/gokeepalived/pkg/config"
)

// The engine runs here against fakes in virtual time: two "routers" on a
// simulated segment whose adverts reach the other side after latency.

const seedConf = `
global_defs {
   router_id LVS_DEVEL
   vrrp_skip_check_adv_addr
   vrrp_garp_interval 0
   vrrp_gna_interval 0
}
vrrp_instance VI_1 {
    state %s
    interface eth0
    virtual_router_id 51
    priority %d
    advert_int 1
    authentication {
        auth_type PASS
        auth_pass 1111
    }
    virtual_ipaddress {
        192.168.0.248/24 dev eth0 label eth0:0
    }
}
`

const latency = time.Millisecond

var t0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

type fakeHost struct{ ops []string }

func (h *fakeHost) Apply(ops []netif.Op) error {
	for _, op := range ops {
		h.ops = append(h.ops, op.String())
	}
	return nil
}

type fakeGARP struct{ bursts, flushes int }

func (g *fakeGARP) Burst(t []announce.Target, repeat int) { g.bursts += len(t) * repeat }
func (g *fakeGARP) Flush(string)                          { g.flushes++ }

type delivery struct {
	at  time.Time
	to  *router
	src netip.Addr
	pri int
}

type segment struct {
	now     time.Time
	routers []*router
	queue   []delivery
}

type router struct {
	name string
	seg  *segment
	src  netip.Addr
	eng  *engine
	log  *logging.Sink
	host *fakeHost
	garp *fakeGARP
	sent []int // priorities sent
	up   bool
}

// adv is the router's advertiser: every advert reaches the others.
type adv struct{ r *router }

func (a adv) Send(prio uint8) error {
	a.r.sent = append(a.r.sent, int(prio))
	for _, o := range a.r.seg.routers {
		if o != a.r && o.up && a.r.up {
			a.r.seg.queue = append(a.r.seg.queue, delivery{at: a.r.seg.now.Add(latency), to: o, src: a.r.src, pri: int(prio)})
		}
	}
	return nil
}
func (adv) SetMaster(netip.Addr) {}

func (s *segment) add(t *testing.T, name, src, state string, prio int) *router {
	t.Helper()
	cfg, diags := config.Parse("keepalived.conf", fmt.Appendf(nil, seedConf, state, prio),
		config.Options{Host: config.FakeHost{Interfaces: []string{"eth0"}}})
	if diags.Fatal() {
		t.Fatalf("config: %v", diags)
	}
	sp, err := buildSpec(cfg.Instances[0], &cfg.Global)
	if err != nil {
		t.Fatal(err)
	}
	r := &router{name: name, seg: s, src: netip.MustParseAddr(src), log: &logging.Sink{},
		host: &fakeHost{}, garp: &fakeGARP{}, up: true}
	sp.params.SrcIP = r.src
	r.eng = newEngine(r.log, r.host, r.garp)
	r.eng.add(sp, vrrp.New(sp.params), adv{r})
	s.routers = append(s.routers, r)
	return r
}

// run advances virtual time to until, delivering adverts and firing
// timers in time order.
func (s *segment) run(until time.Time) {
	for {
		at, who := until, (*router)(nil)
		for _, r := range s.routers {
			if n, ok := r.eng.next(); ok && n.Before(at) {
				at, who = n, r
			}
		}
		di := -1
		for i, d := range s.queue {
			if d.at.Before(at) || d.at.Equal(at) && who == nil && d.at.Before(until) {
				at, di = d.at, i
			}
		}
		if di < 0 && who == nil {
			s.now = until
			return
		}
		s.now = at
		if di >= 0 {
			d := s.queue[di]
			s.queue = append(s.queue[:di], s.queue[di+1:]...)
			if d.to.up {
				ad := &vrrp.Advert{Version: 2, VRID: 51, Priority: d.pri, AdvertIntCs: 100, Src: d.src,
					Addrs: []netip.Addr{netip.MustParseAddr("192.168.0.248")}}
				d.to.eng.advert(0, ad, at)
			}
			continue
		}
		who.eng.fire(at)
	}
}

func (r *router) state() vrrp.State { return r.eng.insts[0].m.State() }

func (r *router) has(line string) bool { return r.log.Count(line) > 0 }

func newPair(t *testing.T) (*segment, *router, *router) {
	s := &segment{now: t0}
	a := s.add(t, "r1", "192.168.0.162", "MASTER", 100)
	b := s.add(t, "r2", "192.168.0.163", "BACKUP", 80)
	return s, a, b
}

func TestEngineElection(t *testing.T) {
	s, a, b := newPair(t)
	a.eng.start(s.now)
	b.eng.start(s.now)
	s.run(t0.Add(10 * time.Second))
	if a.state() != vrrp.Master || b.state() != vrrp.Backup {
		t.Fatalf("states %v/%v", a.state(), b.state())
	}
	if !a.has("(VI_1) Entering MASTER STATE") || b.has("(VI_1) Entering MASTER STATE") {
		t.Errorf("logs:\n%s\n--\n%s", strings.Join(a.log.Texts(true), "\n"), strings.Join(b.log.Texts(true), "\n"))
	}
	// Both clear the VIP at start (keepalived removes what a killed
	// daemon left); only the master adds it.
	del, add := "del-addr 192.168.0.248/24 dev eth0 label eth0:0", "add-addr 192.168.0.248/24 dev eth0 label eth0:0"
	if !slices.Equal(a.host.ops, []string{del, add}) || !slices.Equal(b.host.ops, []string{del}) {
		t.Errorf("host ops: master %q backup %q", a.host.ops, b.host.ops)
	}
	if !b.has("(VI_1) removing VIPs.") {
		t.Errorf("no start-up clean-up line: %q", b.log.Texts(true))
	}
	if a.garp.bursts == 0 {
		t.Error("no gratuitous ARPs from the master")
	}
}

func TestEngineStopHandsOver(t *testing.T) {
	s, a, b := newPair(t)
	a.eng.start(s.now)
	b.eng.start(s.now)
	s.run(t0.Add(10 * time.Second))
	stopAt := s.now
	a.eng.stop(stopAt)
	if got := a.sent[len(a.sent)-1]; got != 0 {
		t.Errorf("last advert priority %d, want 0", got)
	}
	if last := a.host.ops[len(a.host.ops)-1]; !strings.HasPrefix(last, "del-addr 192.168.0.248/24") {
		t.Errorf("VIP not removed: %q", a.host.ops)
	}
	a.up = false
	// Priority 0: the backup waits only Skew_Time, (256-80)/256 s.
	skew := vrrp.SkewTime(2, 80, 1_000_000)
	s.run(stopAt.Add(skew + 2*latency))
	if b.state() != vrrp.Master {
		t.Fatalf("backup did not take over within skew %v", skew)
	}
	if !b.has("(VI_1) Backup received priority 0 advertisement") {
		t.Errorf("backup log: %q", b.log.Texts(true))
	}
}

func TestEngineKeepVIPs(t *testing.T) {
	s, a, b := newPair(t)
	a.eng.keepVIPs = true
	a.eng.start(s.now)
	b.eng.start(s.now)
	s.run(t0.Add(10 * time.Second))
	started := len(a.host.ops) // -V keeps addresses at stop, not at start
	a.eng.stop(s.now)
	for _, op := range a.host.ops[started:] {
		if strings.HasPrefix(op, "del-") {
			t.Errorf("-V removed %q", op)
		}
	}
	if a.sent[len(a.sent)-1] != 0 {
		t.Error("no priority 0 advert with -V")
	}
}

func TestEngineCrashFailover(t *testing.T) {
	s, a, b := newPair(t)
	a.eng.start(s.now)
	b.eng.start(s.now)
	s.run(t0.Add(10 * time.Second))
	crash := s.now
	a.up = false // no more adverts reach the segment
	bound := vrrp.MasterDownInterval(2, 80, 3, 1_000_000)
	s.run(crash.Add(bound + 2*latency))
	if b.state() != vrrp.Master {
		t.Fatalf("backup not master %v after the crash", bound)
	}
}

func TestEngineLinkDownFault(t *testing.T) {
	s, a, b := newPair(t)
	if got := a.eng.trackedLinks(); len(got) != 1 || got[0] != "eth0" {
		t.Fatalf("tracked links %q", got)
	}
	a.eng.start(s.now)
	b.eng.start(s.now)
	s.run(t0.Add(10 * time.Second))
	down := s.now
	a.eng.linkState("eth0", false, down)
	if a.state() != vrrp.Fault {
		t.Fatalf("master state %v after its link went down", a.state())
	}
	if !a.has("(VI_1) Entering FAULT STATE") || !a.has("Netlink reports eth0 down") {
		t.Errorf("log %q", a.log.Texts(true))
	}
	s.run(down.Add(vrrp.SkewTime(2, 80, 1_000_000) + 2*latency))
	if b.state() != vrrp.Master {
		t.Fatalf("backup state %v after the master's fault", b.state())
	}
	a.eng.linkState("eth0", true, s.now)
	a.eng.linkState("eth0", true, s.now) // no change: no line
	if n := a.log.Count("Netlink reports eth0 up"); n != 1 {
		t.Errorf("%d 'up' lines, want 1", n)
	}
	s.run(s.now.Add(10 * time.Second))
	if a.state() != vrrp.Master || b.state() != vrrp.Backup {
		t.Errorf("after the link came back: %v/%v (preempt expected)", a.state(), b.state())
	}
}

// TestEngineStartupClear: the instances of the start-up configuration
// remove their addresses before starting, as keepalived 2.2.7 does (a VIP
// a killed daemon left would otherwise stay on a backup); an instance on
// a VMAC of ours, or one a reload adds, does not.
func TestEngineStartupClear(t *testing.T) {
	const del = "del-addr 192.168.0.248/24 dev eth0 label eth0:0"
	for _, tc := range []struct {
		name      string
		vmac      bool
		afterBoot bool // added once an instance has started (a reload)
		want      []string
	}{
		{name: "start-up", want: []string{del}},
		{name: "vmac", vmac: true},
		{name: "reload", afterBoot: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := &segment{now: t0}
			r := s.add(t, "r1", "192.168.0.162", "BACKUP", 80)
			sp := r.eng.insts[0].spec
			if tc.afterBoot {
				r.eng.start(s.now)
				sp.name, sp.params.Name = "VI_2", "VI_2"
			} else {
				// A fresh engine: s.add's already cleared VI_1.
				r.host.ops, r.log = nil, &logging.Sink{}
				r.eng = newEngine(r.log, r.host, r.garp)
			}
			if tc.vmac {
				sp.vmac = &netif.VMAC{Instance: sp.name, Name: "vrrp.51", Parent: "eth0"}
			}
			r.host.ops = nil
			in := r.eng.add(sp, vrrp.New(sp.params), adv{r})
			if !slices.Equal(r.host.ops, tc.want) {
				t.Errorf("host ops %q, want %q", r.host.ops, tc.want)
			}
			if got := r.log.Count("(" + sp.name + ") removing VIPs."); got != len(tc.want) {
				t.Errorf("%d removal lines, want %d: %q", got, len(tc.want), r.log.Texts(true))
			}
			// The clean-up comes before the start, which then logs
			// keepalived's init line as usual.
			r.eng.step(in, vrrp.Start{}, s.now)
			if in.m.State() != vrrp.Backup || !r.has("("+sp.name+") Entering BACKUP STATE (init)") {
				t.Errorf("state %v, log %q", in.m.State(), r.log.Texts(true))
			}
		})
	}
}

// batchTrace records the engine's hold/flush/release calls with how many
// adverts had been sent and host changes made at each.
type batchTrace struct {
	r      *router
	events []string
}

func (b *batchTrace) note(what string) {
	b.events = append(b.events, fmt.Sprintf("%s sent=%d ops=%d", what, len(b.r.sent), len(b.r.host.ops)))
}
func (b *batchTrace) Hold()    { b.note("hold") }
func (b *batchTrace) Flush()   { b.note("flush") }
func (b *batchTrace) Release() { b.note("release") }

// TestEngineBatchesAdverts: the adverts of a batch of timers are held
// and sent together at its end, but an instance becoming master has its
// advert flushed before its VIPs are set (RFC 3768 §6.4.2: advert, then
// addresses), and a steady master's timer flushes nothing in between.
func TestEngineBatchesAdverts(t *testing.T) {
	s := &segment{now: t0}
	r := s.add(t, "r1", "192.168.0.162", "BACKUP", 100)
	bt := &batchTrace{r: r}
	r.eng.batch = bt
	r.eng.start(t0)
	ops := len(r.host.ops)         // the start-up clearing
	s.run(t0.Add(4 * time.Second)) // master-down expires at 3.609375 s
	if r.state() != vrrp.Master {
		t.Fatalf("state %v", r.state())
	}
	if len(bt.events) < 3 || bt.events[0] != fmt.Sprintf("hold sent=0 ops=%d", ops) ||
		bt.events[1] != fmt.Sprintf("flush sent=1 ops=%d", ops) ||
		bt.events[len(bt.events)-1] != fmt.Sprintf("release sent=1 ops=%d", len(r.host.ops)) || len(r.host.ops) == ops {
		t.Fatalf("becoming master: %q (host ops %d)", bt.events, len(r.host.ops))
	}
	bt.events = nil
	ops = len(r.host.ops)
	s.run(t0.Add(4*time.Second + 700*time.Millisecond)) // the next advert
	want := []string{fmt.Sprintf("hold sent=1 ops=%d", ops), fmt.Sprintf("release sent=2 ops=%d", ops)}
	if fmt.Sprint(bt.events) != fmt.Sprint(want) {
		t.Errorf("steady advert: %q, want %q", bt.events, want)
	}
}

// The steady state allocates nothing: a master's advert timer, and a
// backup taking its master's adverts (both step into the engine's one
// action buffer).
func TestEngineSteadyStateAllocatesNothing(t *testing.T) {
	s := &segment{now: t0}
	m := s.add(t, "r1", "192.168.0.161", "MASTER", 100)
	b := s.add(t, "r2", "192.168.0.162", "BACKUP", 80)
	m.eng.start(t0)
	b.eng.start(t0)
	s.run(t0.Add(10 * time.Second))
	if m.state() != vrrp.Master || b.state() != vrrp.Backup {
		t.Fatalf("states %v %v", m.state(), b.state())
	}
	m.eng.insts[0].adv = nopAdv{}
	// Holding the log lines through a step costs nothing either.
	w, err := logging.New(logging.Options{Console: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	m.eng.logs, b.eng.logs = w, w
	now := s.now
	if n := testing.AllocsPerRun(50, func() {
		next, _ := m.eng.next()
		now = next
		m.eng.fire(next)
	}); n != 0 {
		t.Errorf("master advert timer: %v allocations", n)
	}
	ad := &vrrp.Advert{Version: 2, VRID: 51, Priority: 100, AdvertIntCs: 100, Src: m.src,
		Addrs: []netip.Addr{netip.MustParseAddr("192.168.0.248")}}
	if n := testing.AllocsPerRun(50, func() {
		now = now.Add(time.Second)
		b.eng.advert(0, ad, now)
	}); n != 0 {
		t.Errorf("backup receiving: %v allocations", n)
	}
	if m.state() != vrrp.Master || b.state() != vrrp.Backup {
		t.Fatalf("states after: %v %v", m.state(), b.state())
	}
}

// consoleAtApply is a host that notes what the console held when the
// VIPs were set.
type consoleAtApply struct {
	console *bytes.Buffer
	seen    []string
}

func (h *consoleAtApply) Apply(ops []netif.Op) error {
	for _, op := range ops {
		if op.Kind == netif.OpAddAddr {
			h.seen = append(h.seen, h.console.String())
		}
	}
	return nil
}

// TestEngineHoldsLogs: a new master's lines are written after its VIPs
// are set, in their order, with the times they were logged at.
func TestEngineHoldsLogs(t *testing.T) {
	s := &segment{now: t0}
	r := s.add(t, "r1", "192.168.0.162", "BACKUP", 100)
	var console bytes.Buffer
	clock := t0
	w, err := logging.New(logging.Options{Console: &console, Detail: true, Now: func() time.Time { return clock }})
	if err != nil {
		t.Fatal(err)
	}
	host := &consoleAtApply{console: &console}
	sp := r.eng.insts[0].spec
	r.eng = newEngine(w, host, r.garp)
	r.eng.add(sp, vrrp.New(sp.params), adv{r})
	r.eng.start(t0)
	at, _ := r.eng.next()
	clock = at
	before := console.Len()
	r.eng.fire(at)
	if r.state() != vrrp.Master {
		t.Fatalf("state %v", r.state())
	}
	if len(host.seen) != 1 || len(host.seen[0]) != before {
		t.Fatalf("console when the VIPs were set: %q (had %d bytes before the step)", host.seen, before)
	}
	got := console.String()[before:]
	stamp := at.Format(logging.ConsoleLayout) + ": "
	want := []string{"(VI_1) Receive advertisement timeout", "(VI_1) Entering MASTER STATE", "(VI_1) setting VIPs."}
	lines := strings.Split(strings.TrimSuffix(got, "\n"), "\n")
	if len(lines) < len(want) {
		t.Fatalf("lines %q", lines)
	}
	for i, w := range want {
		if lines[i] != stamp+w {
			t.Errorf("line %d: %q, want %q", i, lines[i], stamp+w)
		}
	}
}
