package transport

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gokeepalived/gokeepalived/pkg/vrrp"
)

type logSink struct {
	mu    sync.Mutex
	lines []string
}

func (s *logSink) log(line string) {
	s.mu.Lock()
	s.lines = append(s.lines, line)
	s.mu.Unlock()
}

func (s *logSink) all() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.lines...)
}

type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time          { return c.t }
func (c *fakeClock) advance(d time.Duration) { c.t = c.t.Add(d) }

func newTestMux(t *testing.T, cfg MuxConfig) (*Mux, *logSink) {
	t.Helper()
	sink := &logSink{}
	cfg.Log = sink.log
	return NewMux("vlab0", cfg), sink
}

func TestMuxDemux(t *testing.T) {
	m, sink := newTestMux(t, MuxConfig{LogUnknownVRIDs: true})
	got := map[string][]*Advert{}
	reg := func(v InstanceView) *Registration {
		r, err := m.Register(v, func(a *Advert) { got[v.Name] = append(got[v.Name], a) })
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	r51 := reg(viewV2Pass())
	reg(viewV3())
	reg(viewUni())
	v6 := viewV6()
	v6.VRID = 51 // the same VRID in the other family is another instance
	v6.Name = "VI_V6_51"
	reg(v6)

	if _, err := m.Register(viewV2Pass(), nil); !errors.Is(err, ErrVRIDInUse) {
		t.Errorf("second VRID 51: %v", err)
	}

	send := func(w wire) DropReason { return m.Dispatch(w.b, w.meta) }
	if r := send(build4(t, advertFor(viewV2Pass()), addrA, vrrp.Group4, 255, nil)); r != DropNone {
		t.Fatalf("VRID 51: %v", r)
	}
	if r := send(build4(t, advertFor(viewV3()), addrA, vrrp.Group4, 255, nil)); r != DropNone {
		t.Fatalf("VRID 56: %v", r)
	}
	if r := send(build4(t, advertFor(viewUni()), addrA, addrB, 255, nil)); r != DropNone {
		t.Fatalf("VRID 55: %v", r)
	}
	p6 := advertFor(v6)
	if r := send(build6(t, p6, llA, vrrp.Group6, 255)); r != DropNone {
		t.Fatalf("IPv6 VRID 51: %v", r)
	}
	unknown := advertFor(viewV3())
	unknown.VRID = 99
	if r := send(build4(t, unknown, addrA, vrrp.Group4, 255, nil)); r != DropUnknownVRID {
		t.Fatalf("VRID 99: %v", r)
	}
	if r := send(wire{b: []byte{0x45, 0, 0, 20}, meta: RecvMeta{Family: vrrp.IPv4}}); r != DropTooShort {
		t.Fatalf("4 bytes: %v", r)
	}

	for name, n := range map[string]int{"VI_PASS": 1, "VI_V3": 1, "VI_UNI": 1, "VI_V6_51": 1} {
		if len(got[name]) != n {
			t.Errorf("%s got %d adverts", name, len(got[name]))
		}
	}
	a := got["VI_UNI"][0]
	if a.Src != addrA || a.Dst != addrB || a.TTL != 255 || a.Packet.VRID != 55 || a.AddrsDiffer {
		t.Errorf("unicast advert %+v", a)
	}
	if got["VI_V6_51"][0].Src != llA || got["VI_V6_51"][0].Packet.VRID != 51 {
		t.Errorf("IPv6 advert %+v", got["VI_V6_51"][0])
	}

	c4, c6 := m.Counters(vrrp.IPv4), m.Counters(vrrp.IPv6)
	if c4.Accepted() != 3 || c4.Get(DropUnknownVRID) != 1 || c4.Get(DropTooShort) != 1 || c4.Dropped() != 2 {
		t.Errorf("IPv4 counters %v", c4.Snapshot())
	}
	if c6.Accepted() != 1 || c6.Dropped() != 0 {
		t.Errorf("IPv6 counters %v", c6.Snapshot())
	}
	if r51.Counters().Accepted() != 1 {
		t.Errorf("VRID 51 counters %v", r51.Counters().Snapshot())
	}
	wantLines := []string{
		"Unknown VRID(99) received on interface(vlab0). ignoring...",
		"IPv4 VRRP packet too short - 4 bytes",
	}
	if lines := sink.all(); strings.Join(lines, "\n") != strings.Join(wantLines, "\n") {
		t.Errorf("log:\n%s", strings.Join(lines, "\n"))
	}

	// After Close, the VRID is unknown.
	r51.Close()
	if r := send(build4(t, advertFor(viewV2Pass()), addrA, vrrp.Group4, 255, nil)); r != DropUnknownVRID {
		t.Errorf("closed VRID 51: %v", r)
	}
	if err := r51.Send(100); !errors.Is(err, ErrClosed) {
		t.Errorf("Send after Close: %v", err)
	}
}

// Every drop is counted once, under its reason, at the Mux and the
// instance, and logged with its keepalived line.
func TestMuxCountsAndLogsEveryDrop(t *testing.T) {
	for _, tc := range checkCases() {
		if tc.want == DropNone {
			continue
		}
		t.Run(tc.name, func(t *testing.T) {
			m, sink := newTestMux(t, MuxConfig{LogDetail: true})
			v := tc.view
			master, ahSeq := v.Master, v.AHSeq
			reg, err := m.Register(v, func(*Advert) { t.Error("handler called") })
			if err != nil {
				t.Fatal(err)
			}
			reg.SetMaster(master)
			reg.SetAHSeq(ahSeq)
			w := tc.pkt(t)
			if r := m.Dispatch(w.b, w.meta); r != tc.want {
				t.Fatalf("Dispatch = %v, want %v", r, tc.want)
			}
			c := m.Counters(w.meta.Family)
			if c.Get(tc.want) != 1 || c.Dropped() != 1 || c.Accepted() != 0 {
				t.Errorf("counters %v", c.Snapshot())
			}
			perInstance := tc.want != DropTooShort && tc.want != DropIPHeader
			if perInstance && reg.Counters().Get(tc.want) != 1 {
				t.Errorf("instance counters %v", reg.Counters().Snapshot())
			}
			lines := sink.all()
			if len(lines) != 1 || strings.Contains(lines[0], "%!") {
				t.Fatalf("log %q", lines)
			}
			if perInstance && tc.want != DropAHSPI && !strings.HasPrefix(lines[0], "("+v.Name+")") {
				t.Errorf("log %q does not name the instance", lines[0])
			}
		})
	}
}

func TestDropLogTexts(t *testing.T) {
	cases := []struct {
		view InstanceView
		pkt  func(t *testing.T) wire
		want string
	}{
		{viewV2Pass(), func(t *testing.T) wire { return build4(t, advertFor(viewV2Pass()), addrA, vrrp.Group4, 64, nil) },
			"(VI_PASS) invalid TTL/HL. Received 64 and expect 255"},
		{viewV2Pass(), func(t *testing.T) wire {
			v := viewV2Pass()
			v.Auth = vrrp.NewAuth(vrrp.AuthPass, "nope")
			return build4(t, advertFor(v), addrA, vrrp.Group4, 255, nil)
		}, "(VI_PASS) received an invalid passwd!"},
		{viewV2Pass(), func(t *testing.T) wire {
			v := viewV2Pass()
			v.Version, v.Auth = 3, nil
			return build4(t, advertFor(v), addrA, vrrp.Group4, 255, nil)
		}, "(VI_PASS) wrong version. Received 3 and expect 2"},
		{viewV2Pass(), func(t *testing.T) wire {
			p := advertFor(viewV2Pass())
			p.AdvertInterval = 3
			return build4(t, p, addrA, vrrp.Group4, 255, nil)
		}, "(VI_PASS) advertisement interval mismatch mine=1 sec rcv'd=3 sec"},
		{viewV2Pass(), func(t *testing.T) wire {
			w := build4(t, advertFor(viewV2Pass()), addrA, vrrp.Group4, 255, nil)
			w.b[26] ^= 1
			return w
		}, "(VI_PASS) Invalid VRRPv2 checksum"},
		{viewV3(), func(t *testing.T) wire {
			w := build4(t, advertFor(viewV3()), addrA, vrrp.Group4, 255, nil)
			w.b[26] ^= 1
			return w
		}, "(VI_V3) Invalid VRRPv3 checksum"},
		{viewV2Pass(), func(t *testing.T) wire {
			p := advertFor(viewV2Pass())
			p.Addrs = []netip.Addr{vip1}
			return build4(t, p, addrA, vrrp.Group4, 255, nil)
		}, "(VI_PASS) received an unexpected ip number count 1, expected 2!"},
		{viewV2Pass(), func(t *testing.T) wire {
			p := advertFor(viewV2Pass())
			p.Addrs = []netip.Addr{vip1, netip.MustParseAddr("192.0.2.99")}
			return build4(t, p, addrA, vrrp.Group4, 255, nil)
		}, "(VI_PASS) ip address associated with VRID 51 not present in MASTER advert: 192.0.2.101"},
		{viewV2Pass(), func(t *testing.T) wire {
			w := build4(t, advertFor(viewV2Pass()), addrA, vrrp.Group4, 255, nil)
			w.b = w.b[:len(w.b)-4]
			return w
		}, "(VI_PASS) vrrp packet too short, length 40 and expect 44"},
		{viewUni(), func(t *testing.T) wire {
			return build4(t, advertFor(viewUni()), netip.MustParseAddr("192.0.2.9"), addrB, 255, nil)
		}, "(VI_UNI) unicast source address 192.0.2.9 not a unicast peer"},
		{viewUni(), func(t *testing.T) wire { return build4(t, advertFor(viewUni()), addrA, vrrp.Group4, 255, nil) },
			"(VI_UNI) Expected unicast packet but received multicast packet"},
		{viewV2AH(), func(t *testing.T) wire {
			v := viewV2AH()
			v.Auth = nil
			return build4(t, advertFor(v), addrA, vrrp.Group4, 255, nil)
		}, "(VI_AH) No AH header but auth type is AH"},
		{viewV2Pass(), func(t *testing.T) wire {
			v := viewV2Pass()
			v.Auth = nil
			return build4(t, advertFor(v), addrA, vrrp.Group4, 255, nil)
		}, "(VI_PASS) received a 0 auth, expecting 1!"},
	}
	for _, tc := range cases {
		m, sink := newTestMux(t, MuxConfig{})
		if _, err := m.Register(tc.view, nil); err != nil {
			t.Fatal(err)
		}
		w := tc.pkt(t)
		m.Dispatch(w.b, w.meta)
		if lines := sink.all(); len(lines) != 1 || lines[0] != tc.want {
			t.Errorf("log %q, want %q", lines, tc.want)
		}
	}
}

func TestLogRateLimit(t *testing.T) {
	clk := &fakeClock{t: time.Unix(1000, 0)}
	m, sink := newTestMux(t, MuxConfig{Now: clk.now})
	if _, err := m.Register(viewV2Pass(), nil); err != nil {
		t.Fatal(err)
	}
	bad := build4(t, advertFor(viewV2Pass()), addrA, vrrp.Group4, 64, nil)
	for range 1000 {
		m.Dispatch(bad.b, bad.meta)
	}
	if n := len(sink.all()); n != logBurst {
		t.Fatalf("%d lines for a flood, want %d", n, logBurst)
	}
	if m.Counters(vrrp.IPv4).Get(DropTTL) != 1000 {
		t.Fatal("suppressed drops not counted")
	}
	// Another kind of drop still logs.
	short := wire{b: []byte{0x45, 0}, meta: RecvMeta{Family: vrrp.IPv4}}
	m.Dispatch(short.b, short.meta)
	if n := len(sink.all()); n != logBurst+1 {
		t.Fatalf("other reason silenced: %d lines", n)
	}
	// A second later, one line, after the summary of what was suppressed.
	clk.advance(time.Second)
	m.Dispatch(bad.b, bad.meta)
	lines := sink.all()
	if len(lines) != logBurst+3 {
		t.Fatalf("%d lines: %q", len(lines), lines[logBurst:])
	}
	if want := `990 further log lines of kind "ttl" suppressed in the last 1s`; lines[logBurst+1] != want {
		t.Errorf("summary %q, want %q", lines[logBurst+1], want)
	}
	if lines[logBurst+2] != "(VI_PASS) invalid TTL/HL. Received 64 and expect 255" {
		t.Errorf("line %q", lines[logBurst+2])
	}
}

func TestMuxAHSequence(t *testing.T) {
	m, _ := newTestMux(t, MuxConfig{})
	reg, err := m.Register(viewV2AH(), func(*Advert) {})
	if err != nil {
		t.Fatal(err)
	}
	opt := &vrrp.Options{Auth: viewV2AH().Auth}
	adv := func(seq uint32, interval uint16) wire {
		p := advertFor(viewV2AH())
		p.AH.Seq, p.AdvertInterval = seq, interval
		return build4(t, p, addrA, vrrp.Group4, 255, opt)
	}
	for _, step := range []struct {
		seq      uint32
		interval uint16
		want     DropReason
		stored   uint32
	}{
		{5, 1, DropNone, 5},
		{5, 1, DropAHReplay, 5},
		{4, 1, DropAHReplay, 5},
		// Verified, then refused by a later check: keepalived keeps the number.
		{9, 2, DropIntervalMismatch, 9},
		{8, 1, DropAHReplay, 9},
		{10, 1, DropNone, 10},
	} {
		w := adv(step.seq, step.interval)
		if r := m.Dispatch(w.b, w.meta); r != step.want {
			t.Fatalf("seq %d: %v, want %v", step.seq, r, step.want)
		}
		if s := reg.View().AHSeq; s != step.stored {
			t.Fatalf("seq %d: stored %d, want %d", step.seq, s, step.stored)
		}
	}
	// A forged packet (bad ICV) never moves the counter.
	p := advertFor(viewV2AH())
	p.AH.Seq = 1000
	w := build4(t, p, addrA, vrrp.Group4, 255, &vrrp.Options{Auth: vrrp.NewAuth(vrrp.AuthAH, "forged")})
	if r := m.Dispatch(w.b, w.meta); r != DropAHICV || reg.View().AHSeq != 10 {
		t.Fatalf("forged: %v, stored %d", r, reg.View().AHSeq)
	}
	// Sending continues from the shared counter.
	fw := &fakeWriter{}
	reg.w = fw
	reg.mu.Lock()
	reg.view.Src = addrB
	reg.mu.Unlock()
	if err := reg.Send(100); err != nil {
		t.Fatal(err)
	}
	var h vrrp.IPv4Header
	var got vrrp.Packet
	if err := vrrp.DecodeIPv4(fw.out[0].b, &h, &got, opt); err != nil || got.AH.Seq != 11 {
		t.Fatalf("sent seq %d: %v", got.AH.Seq, err)
	}
}

func TestMuxOldChecksumSwitch(t *testing.T) {
	m, sink := newTestMux(t, MuxConfig{})
	v := viewUni3()
	v.AcceptOldUnicastChecksum = true
	reg, err := m.Register(v, func(*Advert) {})
	if err != nil {
		t.Fatal(err)
	}
	w := build4(t, advertFor(v), addrA, addrB, 255, &vrrp.Options{Checksum: vrrp.ChecksumOldUnicast})
	if r := m.Dispatch(w.b, w.meta); r != DropNone {
		t.Fatal(r)
	}
	if reg.View().Checksum != vrrp.ChecksumOldUnicast {
		t.Error("did not switch to the old checksum")
	}
	if lines := sink.all(); len(lines) != 1 || lines[0] != "(VI_UNI3) Setting unicast VRRPv3 checksum to old version" {
		t.Errorf("log %q", lines)
	}
	// Our adverts now use it too.
	fw := &fakeWriter{}
	reg.w = fw
	if err := reg.Send(100); err != nil {
		t.Fatal(err)
	}
	var h vrrp.IPv4Header
	var p vrrp.Packet
	if err := vrrp.DecodeIPv4(fw.out[0].b, &h, &p, &vrrp.Options{Checksum: vrrp.ChecksumOldUnicast}); err != nil {
		t.Errorf("sent advert: %v", err)
	}
}

func TestMuxSkipCheckAdvAddr(t *testing.T) {
	m, _ := newTestMux(t, MuxConfig{})
	v := viewV2Pass()
	v.SkipCheckAdvAddr = true
	var got []*Advert
	reg, err := m.Register(v, func(a *Advert) { got = append(got, a) })
	if err != nil {
		t.Fatal(err)
	}
	p := advertFor(v)
	p.Addrs = []netip.Addr{vip1}
	w := build4(t, p, addrA, vrrp.Group4, 255, nil)
	if r := m.Dispatch(w.b, w.meta); r != DropAddrCount {
		t.Fatalf("no master followed yet: %v", r)
	}
	reg.SetMaster(addrA)
	if r := m.Dispatch(w.b, w.meta); r != DropNone || len(got) != 1 || !got[0].AddrsDiffer {
		t.Fatalf("from the master: %v %+v", r, got)
	}
	// Update keeps what the registration tracks.
	v.Name = "VI_RENAMED"
	if err := reg.Update(v); err != nil {
		t.Fatal(err)
	}
	if reg.View().Master != addrA {
		t.Error("Update lost the master")
	}
	v.VRID = 9
	if err := reg.Update(v); !errors.Is(err, ErrBadView) {
		t.Errorf("Update of the VRID: %v", err)
	}
}

func TestRegisterRefusesBadViews(t *testing.T) {
	m, _ := newTestMux(t, MuxConfig{})
	for _, f := range []func(*InstanceView){
		func(v *InstanceView) { v.VRID = 0 },
		func(v *InstanceView) { v.Version = 4 },
		func(v *InstanceView) { v.Family = 0 },
		func(v *InstanceView) { v.Family = vrrp.IPv6 },
		func(v *InstanceView) { v.Auth = &vrrp.Auth{Type: 3} },
	} {
		v := viewV2Pass()
		f(&v)
		if _, err := m.Register(v, nil); !errors.Is(err, ErrBadView) {
			t.Errorf("%+v: %v", v, err)
		}
	}
}

func TestSendUnicastCopies(t *testing.T) {
	m, _ := newTestMux(t, MuxConfig{})
	v := viewUni()
	v.Src = addrA
	c := netip.MustParseAddr("192.0.2.3")
	v.Peers = []Peer{{Addr: addrB}, {Addr: c}}
	v.UnicastTTL = 10
	reg, err := m.Register(v, nil)
	if err != nil {
		t.Fatal(err)
	}
	fw := &fakeWriter{}
	reg.w = fw
	for range 2 {
		if err := reg.Send(100); err != nil {
			t.Fatal(err)
		}
	}
	if len(fw.out) != 4 {
		t.Fatalf("%d packets", len(fw.out))
	}
	for i, s := range fw.out {
		var h vrrp.IPv4Header
		var p vrrp.Packet
		if err := vrrp.DecodeIPv4(s.b, &h, &p, &vrrp.Options{Auth: v.Auth}); err != nil {
			t.Fatal(err)
		}
		wantDst := []netip.Addr{addrB, c}[i%2]
		if h.Dst != wantDst || s.dst != wantDst || s.mcast || h.TTL != 10 || h.TOS != 0xc0 ||
			h.ID != uint16(i/2+1) || h.FragOff != 0 || h.Src != addrA {
			t.Errorf("copy %d: %+v", i, h)
		}
	}
}

func TestSendIPv4IDWraps(t *testing.T) {
	m, _ := newTestMux(t, MuxConfig{})
	v := viewV3()
	v.Src = addrA
	reg, _ := m.Register(v, nil)
	fw := &fakeWriter{}
	reg.w = fw
	reg.ipID = 0xfffe
	for range 3 {
		reg.Send(100)
	}
	var ids []uint16
	for _, s := range fw.out {
		ids = append(ids, uint16(s.b[4])<<8|uint16(s.b[5]))
	}
	if fmt.Sprint(ids) != "[65535 1 2]" {
		t.Errorf("IDs %v", ids)
	}
}

func TestSendIPv6HopLimits(t *testing.T) {
	m, _ := newTestMux(t, MuxConfig{})
	mc := viewV6()
	mc.Src = llA
	uc := viewUni6()
	uc.Src, uc.Peers = addrA6, []Peer{{Addr: addrB6}}
	uc2 := uc
	uc2.VRID, uc2.UnicastTTL = 61, 200
	for _, tc := range []struct {
		v   InstanceView
		hop int
	}{{mc, 255}, {uc, 0}, {uc2, 200}} {
		reg, err := m.Register(tc.v, nil)
		if err != nil {
			t.Fatal(err)
		}
		fw := &fakeWriter{}
		reg.w = fw
		if err := reg.Send(100); err != nil {
			t.Fatal(err)
		}
		if fw.out[0].hop != tc.hop || fw.out[0].mcast == tc.v.Unicast() {
			t.Errorf("VRID %d: hop limit %d, want %d", tc.v.VRID, fw.out[0].hop, tc.hop)
		}
	}
}

type failWriter struct{}

func (failWriter) writeIPv4([]byte, netip.Addr, bool, *Registration) error {
	return fmt.Errorf("sendmsg: %w", errors.New("network is unreachable"))
}
func (failWriter) writeIPv6([]byte, netip.Addr, netip.Addr, int, bool, *Registration) error {
	return errors.New("network is unreachable")
}

func TestSendErrors(t *testing.T) {
	m, sink := newTestMux(t, MuxConfig{})
	v := viewUni()
	reg, _ := m.Register(v, nil)
	if err := reg.Send(100); !errors.Is(err, ErrNotConnected) {
		t.Errorf("no writer: %v", err)
	}
	reg.w = failWriter{}
	if err := reg.Send(100); err == nil {
		t.Error("no error from a failing socket")
	}
	if lines := sink.all(); len(lines) != 1 || lines[0] != "(VI_UNI) Cant send advert to 192.0.2.1 (sendmsg: network is unreachable)" {
		t.Errorf("log %q", lines)
	}
	v2 := viewV3()
	v2.Src = netip.Addr{}
	reg2, _ := m.Register(v2, nil)
	reg2.w = failWriter{}
	if err := reg2.Send(100); !errors.Is(err, ErrNoSource) {
		t.Errorf("no source: %v", err)
	}
}

func TestCountersConcurrent(t *testing.T) {
	m, _ := newTestMux(t, MuxConfig{})
	reg, _ := m.Register(viewV2Pass(), func(*Advert) {})
	good := build4(t, advertFor(viewV2Pass()), addrA, vrrp.Group4, 255, nil)
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(2)
		go func() {
			defer wg.Done()
			for range 500 {
				m.Dispatch(good.b, good.meta)
			}
		}()
		go func() {
			defer wg.Done()
			for range 500 {
				_ = reg.Counters().Snapshot()
				reg.SetMaster(addrA)
			}
		}()
	}
	wg.Wait()
	if n := reg.Counters().Accepted(); n != 2000 {
		t.Errorf("accepted %d", n)
	}
}

// TestDispatchAllocatesNothing: a socket's reader decodes every advert
// into its scratch memory, so receiving one allocates nothing, whatever
// the family and authentication (a backup of a thousand instances
// receives a thousand a second).
func TestDispatchAllocatesNothing(t *testing.T) {
	m, _ := newTestMux(t, MuxConfig{})
	got := 0
	for _, v := range []InstanceView{viewV2Pass(), viewV3(), viewV6()} {
		if _, err := m.Register(v, func(a *Advert) { got++ }); err != nil {
			t.Fatal(err)
		}
		var w wire
		if v.Family == vrrp.IPv6 {
			w = build6(t, advertFor(v), llA, vrrp.Group6, 255)
		} else {
			w = build4(t, advertFor(v), addrA, vrrp.Group4, 255, nil)
		}
		var sc rxScratch
		before := got
		if n := testing.AllocsPerRun(100, func() { m.dispatch(w.b, w.meta, &sc) }); n != 0 {
			t.Errorf("%s: %v allocations per advert", v.Name, n)
		}
		if got == before {
			t.Errorf("%s: not delivered", v.Name)
		}
	}
}
