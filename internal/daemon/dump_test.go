package daemon

import (
	"bytes"
	"net/netip"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/dump"
	"github.com/gokeepalived/gokeepalived/internal/logging"
	"github.com/gokeepalived/gokeepalived/internal/transport"
	"github.com/gokeepalived/gokeepalived/internal/vrrp"
	"github.com/gokeepalived/gokeepalived/pkg/config"
)

// The snapshot builder runs here on engines with fake sockets in virtual
// time. The strongest check replays the situation of internal/dump's
// golden captures (keepalived 2.2.7 on the same configuration) and
// compares the whole files.

// countingAdv is a fake advertiser with the transport's receive
// counters; sends go to a lab queue.
type countingAdv struct {
	lab  *dumpLab
	idx  int
	c    transport.Counters
	fd   int
	sent []int
}

func (a *countingAdv) Send(prio uint8) error {
	a.sent = append(a.sent, int(prio))
	a.lab.out = append(a.lab.out, sentAdvert{from: a.idx, prio: int(prio)})
	return nil
}
func (a *countingAdv) SetMaster(netip.Addr)          {}
func (a *countingAdv) Counters() *transport.Counters { return &a.c }

type sentAdvert struct{ from, prio int }

// dumpLab is one engine running a configuration's instances. Adverts an
// instance sends reach the instances of links[from] after 1 ms.
type dumpLab struct {
	t     *testing.T
	eng   *engine
	advs  []*countingAdv
	now   time.Time
	links map[int][]int
	out   []sentAdvert
	cfg   *config.Config
}

func newDumpLab(t *testing.T, conf string, ifaces []string, srcs []string) *dumpLab {
	t.Helper()
	cfg, diags := config.Parse("keepalived.conf", []byte(conf), config.Options{Host: config.FakeHost{Interfaces: ifaces}})
	if diags.Fatal() {
		t.Fatalf("config: %v", diags)
	}
	specs, err := buildSpecs(cfg)
	if err != nil {
		t.Fatal(err)
	}
	l := &dumpLab{t: t, now: t0, links: map[int][]int{}, cfg: cfg}
	l.eng = newEngine(&logging.Sink{}, &fakeHost{}, &fakeGARP{})
	machines := map[string]*vrrp.Machine{}
	for i := range specs {
		sp := specs[i]
		sp.params.SrcIP = netip.MustParseAddr(srcs[i])
		a := &countingAdv{lab: l, idx: i, fd: 13 + 2*i}
		l.advs = append(l.advs, a)
		m := vrrp.New(sp.params)
		machines[sp.name] = m
		l.eng.add(sp, m, a)
	}
	for _, g := range groupsOf(specs) {
		var ms []*vrrp.Machine
		for _, n := range g.members {
			ms = append(ms, machines[n])
		}
		vrrp.NewGroup(g.name, ms...)
	}
	return l
}

// run advances virtual time to until, firing timers and delivering
// adverts.
func (l *dumpLab) run(until time.Time) {
	for {
		at, ok := l.eng.next()
		if !ok || at.After(until) {
			l.now = until
			return
		}
		l.now = at
		l.eng.fire(at)
		for len(l.out) > 0 {
			s := l.out[0]
			l.out = l.out[1:]
			src := l.eng.insts[s.from]
			for _, to := range l.links[s.from] {
				ad := &vrrp.Advert{Version: src.m.Params().Version, VRID: src.m.Params().VRID, Priority: s.prio,
					AdvertIntCs: int(src.m.Params().AdvertIntUsec / 10_000), Src: src.m.Params().SrcIP}
				for _, v := range src.m.Params().VIPs {
					ad.Addrs = append(ad.Addrs, v.Addr)
				}
				l.advs[to].c.Add(transport.DropNone)
				l.eng.advert(to, ad, at.Add(time.Millisecond))
			}
		}
	}
}

func (l *dumpLab) facts(ifaces []dump.Interface) *hostFacts {
	return &hostFacts{hostname: "testhost", fd: func(a advertiser) int { return a.(*countingAdv).fd },
		ifindex: func(string) int { return 2 }, interfaces: ifaces}
}

var (
	timeRE = regexp.MustCompile(`\d{9,}\.\d{6} \([A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d(\.\d{6})? \d{4}(\.\d{6})?\)`)
	lastRE = regexp.MustCompile(`"last_transition":\d+\.\d+`)
	macRE  = regexp.MustCompile(`\b(?:[0-9a-f]{2}:){5}[0-9a-f]{2}\b`)
	llRE   = regexp.MustCompile(`fe80::[0-9a-f:]*[0-9a-f]`)
	fdRE   = regexp.MustCompile(`fd_in \d+(,| fd_out =) (fd_out )?\d+`)
)

// normalize blanks what changes on every run (as internal/dump's golden
// test does) and keepalived's build-dependent firewall lines, which ours
// leaves out: it manages no firewall.
func normalize(s string) string {
	s = timeRE.ReplaceAllString(s, "TIME")
	s = lastRE.ReplaceAllString(s, `"last_transition":TIME`)
	s = macRE.ReplaceAllString(s, "MAC")
	s = llRE.ReplaceAllString(s, "LINKLOCAL")
	// keepalived has a receive and a send socket (fd_in, fd_out); ours
	// does both on one.
	s = fdRE.ReplaceAllString(s, "FDS")
	var out []string
	for _, line := range strings.Split(s, "\n") {
		if line == " nftables without counters" || strings.HasPrefix(line, " libnftnl version") {
			continue
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n")
}

func firstDiff(t *testing.T, want, got string) {
	t.Helper()
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
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
			t.Errorf("line %d:\n  keepalived: %q\n  ours:       %q", i+1, w, g)
			if n++; n == 10 {
				return
			}
		}
	}
}

func ethernet(name string, index int, v4 string) dump.Interface {
	return dump.Interface{Name: name, Index: index, IPv4: netip.MustParseAddr(v4), IPv6: netip.MustParseAddr("fe80::1"),
		MAC: "02:00:00:00:00:01", MACBrd: "ff:ff:ff:ff:ff:ff", Up: true, Running: true, SeenUp: true, MTU: 1500, HWType: "ETHERNET"}
}

func loopbackIface() dump.Interface {
	return dump.Interface{Name: "lo", Index: 1, IPv4: netip.MustParseAddr("127.0.0.1"), Up: true, Running: true,
		NoBroadcast: true, Loopback: true, NoMulticast: true, SeenUp: true, MTU: 65536, HWType: "LOOPBACK"}
}

// TestDumpMatchesKeepalived replays internal/dump/testdata/basic: VI_1
// (priority 150) becomes master and sends 4 adverts, VI_2 (nopreempt)
// hears them and stays backup. Our files must be keepalived's, byte for
// byte, up to the timestamps, MACs and its firewall lines.
func TestDumpMatchesKeepalived(t *testing.T) {
	dir := filepath.Join("..", "dump", "testdata", "basic")
	conf, err := os.ReadFile(filepath.Join(dir, "keepalived.conf"))
	if err != nil {
		t.Fatal(err)
	}
	l := newDumpLab(t, string(conf), []string{"va0", "vb0"}, []string{"192.168.77.1", "192.168.77.2"})
	l.links[0] = []int{1}
	l.links[1] = []int{0}
	l.eng.start(t0)
	// VI_1 becomes master after its master-down timer (3.41 s); its 4th
	// advert leaves 3 s later, as in the capture.
	for len(l.advs[0].sent) < 4 {
		l.run(l.now.Add(100 * time.Millisecond))
		if l.now.Sub(t0) > 20*time.Second {
			t.Fatalf("VI_1 sent %v", l.advs[0].sent)
		}
	}
	h := l.facts([]dump.Interface{loopbackIface(), ethernet("vb0", 2, "192.168.77.2"), ethernet("va0", 3, "192.168.77.1")})
	s := l.eng.snapshot(h)
	for _, f := range []struct {
		name  string
		write func(*bytes.Buffer) error
	}{
		{dump.DataFile, func(b *bytes.Buffer) error { return dump.WriteData(b, s) }},
		{dump.StatsFile, func(b *bytes.Buffer) error { return dump.WriteStats(b, s) }},
		{dump.JSONFile, func(b *bytes.Buffer) error { return dump.WriteJSON(b, s) }},
		{dump.ParentDataFile, func(b *bytes.Buffer) error {
			g := globalOf(&l.cfg.Global, h, true)
			return dump.WriteParentData(b, &g)
		}},
	} {
		t.Run(f.name, func(t *testing.T) {
			want, err := os.ReadFile(filepath.Join(dir, f.name))
			if err != nil {
				t.Fatal(err)
			}
			var got bytes.Buffer
			if err := f.write(&got); err != nil {
				t.Fatal(err)
			}
			if g, w := normalize(got.String()), normalize(string(want)); g != w {
				firstDiff(t, w, g)
			}
		})
	}
}

// Each receive-check refusal counts under keepalived's statistic; the
// checks keepalived makes after "Count as VRRP advertisement" count as
// received too.
func TestDumpStatsFromTransport(t *testing.T) {
	tests := []struct {
		drop transport.DropReason
		want dump.Stats
	}{
		{transport.DropNone, dump.Stats{AdvertRcvd: 1}},
		{transport.DropLength, dump.Stats{PacketLenErr: 1}},
		{transport.DropTotalLength, dump.Stats{PacketLenErr: 1}},
		{transport.DropTTL, dump.Stats{IPTTLErr: 1}},
		{transport.DropTTLRange, dump.Stats{AdvertRcvd: 1, IPTTLErr: 1}},
		{transport.DropType, dump.Stats{InvalidTypeRcvd: 1}},
		{transport.DropCastMismatch, dump.Stats{AddrListErr: 1}},
		{transport.DropAddrCount, dump.Stats{AddrListErr: 1}},
		{transport.DropAddrList, dump.Stats{AdvertRcvd: 1, AddrListErr: 1}},
		{transport.DropUnicastSrc, dump.Stats{AdvertRcvd: 1}},
		{transport.DropAuthTypeInvalid, dump.Stats{InvalidAuthType: 1}},
		{transport.DropAuthTypeMismatch, dump.Stats{AuthTypeMismatch: 1}},
		{transport.DropAHMissing, dump.Stats{AuthTypeMismatch: 1}},
		{transport.DropAuthPassword, dump.Stats{AuthFailure: 1}},
		{transport.DropAHICV, dump.Stats{AuthFailure: 1}},
		// Counted by keepalived nowhere its dumps show.
		{transport.DropVersion, dump.Stats{}},
		{transport.DropChecksum, dump.Stats{}},
		{transport.DropIntervalMismatch, dump.Stats{}},
		{transport.DropUnknownVRID, dump.Stats{}},
	}
	for _, tc := range tests {
		t.Run(tc.drop.String(), func(t *testing.T) {
			a := &countingAdv{}
			in := &instance{adv: a}
			a.c.Add(tc.drop)
			if got := in.dumpStats(); got != tc.want {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

const pairConf = `
vrrp_instance VI_1 {
    state BACKUP
    interface eth0
    virtual_router_id 51
    priority 150
    advert_int 1
    virtual_ipaddress {
        192.168.0.248/24
    }
}
vrrp_instance VI_2 {
    state BACKUP
    interface eth1
    virtual_router_id 51
    priority 100
    advert_int 1
    virtual_ipaddress {
        192.168.0.248/24
    }
}
`

// The engine's counters follow keepalived's: a resignation counts one
// priority-0 advert sent, the backup one received; taking over counts
// become_master; STATS_CLEAR zeroes everything, the transport's counts
// included, without touching the transport's own (monotonic) counters.
func TestDumpCounters(t *testing.T) {
	l := newDumpLab(t, pairConf, []string{"eth0", "eth1"}, []string{"192.168.0.162", "192.168.0.163"})
	l.links[0], l.links[1] = []int{1}, []int{0}
	l.eng.start(t0)
	l.run(t0.Add(10 * time.Second))
	a, b := l.eng.insts[0], l.eng.insts[1]
	if a.m.State() != vrrp.Master || b.m.State() != vrrp.Backup {
		t.Fatalf("states %v/%v", a.m.State(), b.m.State())
	}
	sentBefore := uint64(len(l.advs[0].sent))
	// VI_1 leaves: a reload without it deletes it (priority 0, then its
	// addresses go).
	l.eng.step(a, vrrp.Delete{}, l.now)
	l.run(l.now.Add(5 * time.Second))
	if b.m.State() != vrrp.Master {
		t.Fatalf("VI_2 %v after VI_1 resigned", b.m.State())
	}
	sa, sb := a.dumpStats(), b.dumpStats()
	tests := []struct {
		name      string
		got, want uint64
	}{
		{"VI_1 advert_sent", sa.AdvertSent, sentBefore + 1},
		{"VI_1 pri_zero_sent", sa.PriZeroSent, 1},
		{"VI_1 become_master", sa.BecomeMaster, 1},
		{"VI_1 release_master", sa.ReleaseMaster, 0}, // deleted, not released (keepalived counts BACKUP/FAULT only)
		{"VI_2 advert_rcvd", sb.AdvertRcvd, sentBefore + 1},
		{"VI_2 pri_zero_rcvd", sb.PriZeroRcvd, 1},
		{"VI_2 become_master", sb.BecomeMaster, 1},
		{"VI_2 advert_sent", sb.AdvertSent, uint64(len(l.advs[1].sent))},
	}
	for _, tc := range tests {
		if tc.got != tc.want {
			t.Errorf("%s = %d, want %d", tc.name, tc.got, tc.want)
		}
	}
	if b.stats.lastTransition.Before(t0.Add(10*time.Second)) || a.stats.lastTransition.IsZero() {
		t.Errorf("last transitions %v, %v", a.stats.lastTransition, b.stats.lastTransition)
	}

	l.eng.clearStats()
	if got := b.dumpStats(); got != (dump.Stats{}) {
		t.Errorf("after clear: %+v", got)
	}
	if l.advs[1].c.Accepted() == 0 {
		t.Error("the transport's own counter was reset")
	}
	l.run(l.now.Add(3 * time.Second))
	if got := b.dumpStats(); got.AdvertSent == 0 || got.BecomeMaster != 0 {
		t.Errorf("counting after clear: %+v", got)
	}
}

// A master that goes to FAULT (its interface down) releases: one
// release_master, two priority-0 adverts sent of which keepalived counts
// one as pri_zero_sent (the resignation, not the first FAULT advert).
func TestDumpFaultRelease(t *testing.T) {
	l := newDumpLab(t, pairConf, []string{"eth0", "eth1"}, []string{"192.168.0.162", "192.168.0.163"})
	l.eng.start(t0)
	l.run(t0.Add(10 * time.Second))
	a := l.eng.insts[0]
	if a.m.State() != vrrp.Master {
		t.Fatalf("VI_1 %v", a.m.State())
	}
	before := a.stats.advertSent
	l.eng.linkState("eth0", false, l.now)
	st := a.dumpStats()
	zeros := 0
	for _, p := range l.advs[0].sent {
		if p == 0 {
			zeros++
		}
	}
	if a.m.State() != vrrp.Fault || st.ReleaseMaster != 1 || st.PriZeroSent != 1 || zeros != 2 || st.AdvertSent != before+2 {
		t.Errorf("state %v, stats %+v, priority-0 adverts %d", a.m.State(), st, zeros)
	}
	s := l.eng.snapshot(l.facts(nil))
	if v := s.Instances[0]; v.State != dump.Fault || !v.ReadTimeout.IsZero() || v.TrackFaults != 1 || v.VIPsSet {
		t.Errorf("FAULT instance: state %v read timeout %v faults %d vipset %v", v.State, v.ReadTimeout, v.TrackFaults, v.VIPsSet)
	}
}

// The parent shows the global definitions it read: no default
// interface, and keepalived's unset value for the lower-priority GARP
// settings the file does not give. The router_id and the SMTP HELO name
// default to the host name (the configuration check's).
func TestDumpParentGlobal(t *testing.T) {
	tests := []struct {
		name, global string
		check        func(g dump.Global) bool
	}{
		{"defaults", "", func(g dump.Global) bool {
			return g.DefaultInterface == "" && g.GARPLowerPrioDelay == 4294967295 && g.GARPLowerPrioRep == 4294967295 && g.RouterID == "testhost"
		}},
		{"lower prio given", "vrrp_garp_lower_prio_delay 9\nvrrp_garp_lower_prio_repeat 7\nrouter_id r1", func(g dump.Global) bool {
			return g.GARPLowerPrioDelay == 9 && g.GARPLowerPrioRep == 7 && g.RouterID == "r1"
		}},
		{"smtp defaults helo to the host name", "smtp_server 10.0.0.1\nnotification_email_from a@b", func(g dump.Global) bool {
			return g.SMTPServer == "10.0.0.1" && g.SMTPHelo == "testhost" && g.SMTPPort == 25 && g.SMTPTimeout == 30*time.Second
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg, diags := config.Parse("keepalived.conf", []byte("global_defs {\n"+tc.global+"\n}\n"), config.Options{Host: config.FakeHost{Name: "testhost"}})
			if diags.Fatal() {
				t.Fatal(diags)
			}
			g := globalOf(&cfg.Global, &hostFacts{hostname: "helohost"}, true)
			if !tc.check(g) {
				t.Errorf("%+v", g)
			}
		})
	}
}
