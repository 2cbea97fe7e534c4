package transport

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"fmt"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/vishvananda/netns"

	"github.com/gokeepalived/gokeepalived/pkg/vrrp"
)

// The namespace lab is test/lab/capture.sh's, which captured the goldens:
// namespaces tp-<pid>-<n>-a and -b joined by a veth pair named vlab0 on
// both sides with fixed MAC addresses (so the same IPv6 link-local
// addresses), and a second pair vlab1 to check that sockets stay on their
// interface:
//
//	a: vlab0 02:00:00:00:00:0a 192.0.2.1/24 2001:db8::1/64 fe80::ff:fe00:a
//	   vlab1 198.51.100.1/24
//	b: vlab0 02:00:00:00:00:0b 192.0.2.2/24 2001:db8::2/64 fe80::ff:fe00:b
//	   vlab1 198.51.100.2/24
//
// Everything lives in the two namespaces, deleted (with the veths) when
// the test ends, pass or fail.

var labSeq atomic.Int32

type lab struct {
	a, b string // namespace names
}

func requireRoot(t *testing.T) {
	t.Helper()
	if os.Geteuid() != 0 {
		if os.Getenv("CI") == "true" {
			t.Fatal("namespace tests need root, and CI=true: they must run")
		}
		t.Skip("namespace tests need root (network namespaces, raw sockets)")
	}
	if _, err := exec.LookPath("ip"); err != nil {
		t.Fatalf("namespace tests need ip(8): %v", err)
	}
}

func run(t *testing.T, args ...string) string {
	t.Helper()
	out, err := exec.Command(args[0], args[1:]...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

func newLab(t *testing.T) *lab {
	t.Helper()
	requireRoot(t)
	n := labSeq.Add(1)
	prefix := fmt.Sprintf("tp-%d-%d", os.Getpid(), n)
	l := &lab{a: prefix + "-a", b: prefix + "-b"}
	t.Cleanup(func() {
		// Deleting a namespace deletes its veth ends.
		exec.Command("ip", "netns", "del", l.a).Run()
		exec.Command("ip", "netns", "del", l.b).Run()
	})
	for _, ns := range []string{l.a, l.b} {
		run(t, "ip", "netns", "add", ns)
		run(t, "ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv6.conf.all.accept_dad=0")
		run(t, "ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv6.conf.default.accept_dad=0")
		run(t, "ip", "-n", ns, "link", "set", "lo", "up")
	}
	// Created straight in the namespaces: nothing touches the host.
	for i, side := range []string{"0", "1"} {
		ta, tb := fmt.Sprintf("tp%d%da", os.Getpid()%100000, i), fmt.Sprintf("tp%d%db", os.Getpid()%100000, i)
		run(t, "ip", "link", "add", ta, "netns", l.a, "type", "veth", "peer", "name", tb, "netns", l.b)
		run(t, "ip", "-n", l.a, "link", "set", ta, "name", "vlab"+side)
		run(t, "ip", "-n", l.b, "link", "set", tb, "name", "vlab"+side)
	}
	run(t, "ip", "-n", l.a, "link", "set", "vlab0", "address", "02:00:00:00:00:0a")
	run(t, "ip", "-n", l.b, "link", "set", "vlab0", "address", "02:00:00:00:00:0b")
	run(t, "ip", "-n", l.a, "addr", "add", "192.0.2.1/24", "dev", "vlab0")
	run(t, "ip", "-n", l.b, "addr", "add", "192.0.2.2/24", "dev", "vlab0")
	run(t, "ip", "-n", l.a, "addr", "add", "2001:db8::1/64", "dev", "vlab0", "nodad")
	run(t, "ip", "-n", l.b, "addr", "add", "2001:db8::2/64", "dev", "vlab0", "nodad")
	run(t, "ip", "-n", l.a, "addr", "add", "198.51.100.1/24", "dev", "vlab1")
	run(t, "ip", "-n", l.b, "addr", "add", "198.51.100.2/24", "dev", "vlab1")
	for _, ns := range []string{l.a, l.b} {
		run(t, "ip", "-n", ns, "link", "set", "vlab0", "up")
		run(t, "ip", "-n", ns, "link", "set", "vlab1", "up")
	}
	// The link-local addresses are the IPv6 adverts' sources.
	deadline := time.Now().Add(5 * time.Second)
	for _, x := range []struct{ ns, ll string }{{l.a, "fe80::ff:fe00:a"}, {l.b, "fe80::ff:fe00:b"}} {
		for {
			out := run(t, "ip", "-n", x.ns, "-6", "addr", "show", "dev", "vlab0", "scope", "link")
			// Usable once out of the tentative state (no DAD here, but it
			// still passes through it).
			if strings.Contains(out, x.ll) && !strings.Contains(out, "tentative") {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: no link-local address %s", x.ns, x.ll)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	return l
}

// in runs fn on a thread switched into namespace ns: sockets fn opens stay
// in it. The thread goes back to the original namespace afterwards, or is
// left locked (and so discarded by the runtime) if it cannot.
func in(t *testing.T, ns string, fn func() error) {
	t.Helper()
	errc := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		orig, err := netns.Get()
		if err != nil {
			errc <- err
			return
		}
		defer orig.Close()
		h, err := netns.GetFromName(ns)
		if err != nil {
			errc <- err
			return
		}
		defer h.Close()
		if err := netns.Set(h); err != nil {
			errc <- err
			return
		}
		err = fn()
		if netns.Set(orig) == nil {
			runtime.UnlockOSThread()
		}
		errc <- err
	}()
	if err := <-errc; err != nil {
		t.Fatalf("in %s: %v", ns, err)
	}
}

// inbox collects the adverts of every VRID.
type inbox struct {
	mu sync.Mutex
	by map[uint8][]Advert
}

func newInbox() *inbox { return &inbox{by: make(map[uint8][]Advert)} }

func (ib *inbox) handler() Handler {
	return func(a *Advert) {
		ib.mu.Lock()
		c := *a
		c.Packet.Addrs = append([]netip.Addr(nil), a.Packet.Addrs...)
		ib.by[a.Packet.VRID] = append(ib.by[a.Packet.VRID], c)
		ib.mu.Unlock()
	}
}

func (ib *inbox) get(vrid uint8) []Advert {
	ib.mu.Lock()
	defer ib.mu.Unlock()
	return append([]Advert(nil), ib.by[vrid]...)
}

func (ib *inbox) total() int {
	ib.mu.Lock()
	defer ib.mu.Unlock()
	n := 0
	for _, l := range ib.by {
		n += len(l)
	}
	return n
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// registerAll registers views on ifname of pool, in namespace ns.
func registerAll(t *testing.T, ns string, pool *Pool, ifname string, views []InstanceView, h Handler) []*Registration {
	t.Helper()
	regs := make([]*Registration, len(views))
	in(t, ns, func() error {
		for i, v := range views {
			r, err := pool.Register(ifname, v, h)
			if err != nil {
				return fmt.Errorf("register %s: %w", v.Name, err)
			}
			regs[i] = r
		}
		return nil
	})
	return regs
}

func TestNamespaces(t *testing.T) {
	l := newLab(t)
	t.Run("adverts", func(t *testing.T) { testAdverts(t, l) })
	t.Run("interfaces", func(t *testing.T) { testInterfaces(t, l) })
	t.Run("hostile", func(t *testing.T) { testHostile(t, l) })
	t.Run("wire", func(t *testing.T) { testWire(t, l) })
	t.Run("held-failure", func(t *testing.T) { testHeldFailure(t, l) })
}

// testHeldFailure: an advert the kernel refuses while the pool is held
// is logged at Release with keepalived's words, as an unheld send logs
// it, and the adverts queued after it on the socket still leave.
func testHeldFailure(t *testing.T, l *lab) {
	// vlab1 gets a small MTU: an advert of 200 addresses does not fit, and
	// a raw IP_HDRINCL socket refuses it with EMSGSIZE rather than
	// fragment it.
	run(t, "ip", "-n", l.a, "link", "set", "vlab1", "mtu", "600")
	defer run(t, "ip", "-n", l.a, "link", "set", "vlab1", "mtu", "1500")
	a1, b1 := netip.MustParseAddr("198.51.100.1"), netip.MustParseAddr("198.51.100.2")
	var mu sync.Mutex
	var lines []string
	pool := NewPool(MuxConfig{Log: func(s string) { mu.Lock(); lines = append(lines, s); mu.Unlock() }})
	defer pool.Close()
	poolB := NewPool(MuxConfig{})
	defer poolB.Close()
	box := newInbox()
	recv := viewUni()
	recv.Src, recv.Peers = b1, []Peer{{Addr: a1}}
	registerAll(t, l.b, poolB, "vlab1", []InstanceView{recv}, box.handler())
	big := viewUni()
	big.Name, big.VRID, big.Src, big.Peers = "VI_BIG", 70, a1, []Peer{{Addr: b1}}
	big.VIPs = nil
	for i := range 200 {
		big.VIPs = append(big.VIPs, netip.AddrFrom4([4]byte{10, 9, byte(i / 250), byte(1 + i%250)}))
	}
	live := viewUni()
	live.Src, live.Peers = a1, []Peer{{Addr: b1}}
	regs := registerAll(t, l.a, pool, "vlab1", []InstanceView{big, live}, nil)
	pool.Hold()
	for _, r := range regs {
		if err := r.Send(100); err != nil {
			t.Fatalf("held send: %v", err)
		}
	}
	pool.Release()
	waitFor(t, "the advert after the refused one", func() bool { return len(box.get(recv.VRID)) == 1 })
	mu.Lock()
	defer mu.Unlock()
	if len(lines) != 1 || !strings.HasPrefix(lines[0], "(VI_BIG) Cant send advert to 198.51.100.2 (") {
		t.Errorf("log %q", lines)
	}
}

// receiverViews are the goldens' instances as their peer b has them; the
// IPv6 multicast one and v2-none leave the source for the Pool to find.
func receiverViews() []InstanceView {
	var vs []InstanceView
	for _, g := range goldens() {
		v := g.receiverView()
		switch g.name {
		case "v3-ipv6", "v2-none":
			v.Src = netip.Addr{}
		case "v3-unicast-old":
			v.Checksum, v.AcceptOldUnicastChecksum = vrrp.ChecksumStandard, true
		case "v2-unicast":
			v.CheckUnicastSrc = true
		}
		vs = append(vs, v)
	}
	return vs
}

// v2/v3 IPv4 and v3 IPv6, multicast and unicast, PASS and AH, from a to b:
// each arrives decoded, with its TTL, to the instance of its VRID only.
func testAdverts(t *testing.T, l *lab) {
	poolA, poolB := NewPool(MuxConfig{}), NewPool(MuxConfig{})
	defer poolA.Close()
	defer poolB.Close()
	box := newInbox()
	regsB := registerAll(t, l.b, poolB, "vlab0", receiverViews(), box.handler())
	var senders []InstanceView
	for _, g := range goldens() {
		senders = append(senders, g.view)
	}
	regsA := registerAll(t, l.a, poolA, "vlab0", senders, nil)

	// Sources the Pool found on b's interface.
	for i, g := range goldens() {
		want := map[string]netip.Addr{"v3-ipv6": llB, "v2-none": addrB}[g.name]
		if want.IsValid() && regsB[i].View().Src != want {
			t.Errorf("%s: source %v, want %v", g.name, regsB[i].View().Src, want)
		}
	}

	// Round 1 sends each advert at once; round 2 holds the pool, as the
	// daemon does while it runs a batch of timers, and everything leaves
	// at Release through sendmmsg, in runs of multicast and unicast.
	for round := 1; round <= 2; round++ {
		if round == 2 {
			poolA.Hold()
		}
		for i, g := range goldens() {
			if err := regsA[i].Send(g.prio); err != nil {
				t.Fatalf("%s: send: %v", g.name, err)
			}
		}
		if round == 2 {
			time.Sleep(100 * time.Millisecond)
			if n := box.total(); n != len(goldens()) {
				t.Fatalf("held pool: %d adverts arrived before Release, want none", n-len(goldens()))
			}
			poolA.Release()
		}
		waitFor(t, fmt.Sprintf("round %d", round), func() bool { return box.total() == round*len(goldens()) })
	}
	for _, g := range goldens() {
		got := box.get(g.view.VRID)
		if len(got) != 2 {
			t.Errorf("%s: %d adverts", g.name, len(got))
			continue
		}
		a := got[1]
		wantSrc, wantTTL := addrA, 255
		switch {
		case g.view.Family == vrrp.IPv6 && g.view.Unicast():
			wantSrc, wantTTL = addrA6, 64 // keepalived 2.2.7 leaves unicast to the kernel's 64
		case g.view.Family == vrrp.IPv6:
			wantSrc = llA
		}
		if a.Src != wantSrc || a.TTL != wantTTL || a.Packet.Priority != g.prio ||
			a.Packet.Version != g.view.Version || !addrsMatch(a.Packet.Addrs, g.view.VIPs) || a.AddrsDiffer {
			t.Errorf("%s: got src %v ttl %d %+v", g.name, a.Src, a.TTL, a.Packet)
		}
		if g.view.Unicast() == a.Dst.IsMulticast() {
			t.Errorf("%s: sent to %v", g.name, a.Dst)
		}
		if g.view.Family == vrrp.IPv4 && g.view.authType() == vrrp.AuthAH && (!a.Packet.AH.Present || a.Packet.AH.Seq != 2) {
			t.Errorf("%s: AH %+v", g.name, a.Packet.AH)
		}
	}
	for f, c := range map[vrrp.Family]*Counters{vrrp.IPv4: poolB.Mux("vlab0").Counters(vrrp.IPv4), vrrp.IPv6: poolB.Mux("vlab0").Counters(vrrp.IPv6)} {
		if c.Dropped() != 0 {
			t.Errorf("%v drops: %v", f, c.Snapshot())
		}
	}
	// b switched to the old unicast checksum of its peer, as keepalived.
	for i, g := range goldens() {
		if g.name == "v3-unicast-old" && regsB[i].View().Checksum != vrrp.ChecksumOldUnicast {
			t.Errorf("%s: checksum kind %v", g.name, regsB[i].View().Checksum)
		}
	}

	// Priority 0 on stop.
	if err := regsA[0].SendPriority0(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "priority 0", func() bool { return len(box.get(51)) == 3 })
	if p := box.get(51)[2].Packet.Priority; p != 0 {
		t.Errorf("priority %d", p)
	}

	// Closing the last instance of a socket closes it; others keep theirs.
	for _, r := range regsB {
		r.Close()
	}
	if poolB.Mux("vlab0") != nil {
		t.Error("interface still open after its last instance left")
	}
}

// Sockets are bound to their interface: an advert on vlab0 never reaches
// an instance of vlab1.
func testInterfaces(t *testing.T, l *lab) {
	poolA, poolB := NewPool(MuxConfig{}), NewPool(MuxConfig{})
	defer poolA.Close()
	defer poolB.Close()
	box0, box1 := newInbox(), newInbox()
	v := InstanceView{Name: "VI_IF", VRID: 70, Family: vrrp.IPv4, Version: 3, AdvertInterval: 100,
		VIPs: []netip.Addr{netip.MustParseAddr("198.51.100.70")}}
	other := v
	other.VRID, other.Name = 71, "VI_IF0"
	registerAll(t, l.b, poolB, "vlab1", []InstanceView{v}, box1.handler())
	registerAll(t, l.b, poolB, "vlab0", []InstanceView{other}, box0.handler())
	on0 := registerAll(t, l.a, poolA, "vlab0", []InstanceView{v}, nil)[0]
	on1 := registerAll(t, l.a, poolA, "vlab1", []InstanceView{v}, nil)[0]

	if err := on0.Send(100); err != nil {
		t.Fatal(err)
	}
	mux0 := poolB.Mux("vlab0")
	waitFor(t, "unknown VRID on vlab0", func() bool { return mux0.Counters(vrrp.IPv4).Get(DropUnknownVRID) == 1 })
	if err := on1.Send(100); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "advert on vlab1", func() bool { return len(box1.get(70)) == 1 })
	if a := box1.get(70)[0]; a.Src != netip.MustParseAddr("198.51.100.1") {
		t.Errorf("vlab1 advert from %v", a.Src)
	}
	time.Sleep(50 * time.Millisecond)
	if n := len(box1.get(70)); n != 1 || box0.total() != 0 {
		t.Errorf("vlab1 got %d adverts, vlab0 %d", n, box0.total())
	}
}

// A raw injector in a sends hostile packets to b: each is dropped and
// counted under its reason, and no instance hears of it.
func testHostile(t *testing.T, l *lab) {
	poolB := NewPool(MuxConfig{})
	defer poolB.Close()
	box := newInbox()
	registerAll(t, l.b, poolB, "vlab0", receiverViews(), box.handler())
	mux := poolB.Mux("vlab0")

	// The injector: raw sockets of a writing whole IPv4 packets
	// (IP_HDRINCL, every header field ours) and IPv6 payloads with any hop
	// limit. It is the package's write path, fed bytes crafted here.
	var inj4, inj4ah, inj6 *Conn
	in(t, l.a, func() error {
		ifindex := ifIndex(t, "vlab0")
		junk := NewMux("vlab0", MuxConfig{})
		var err error
		if inj4, err = openConn("vlab0", ifindex, connKey{vrrp.IPv4, vrrp.ProtocolVRRP}, junk, &sendHold{}); err != nil {
			return err
		}
		if inj4ah, err = openConn("vlab0", ifindex, connKey{vrrp.IPv4, vrrp.ProtocolAH}, junk, &sendHold{}); err != nil {
			return err
		}
		inj6, err = openConn("vlab0", ifindex, connKey{vrrp.IPv6, vrrp.ProtocolVRRP}, junk, &sendHold{})
		return err
	})
	defer inj4.Close()
	defer inj4ah.Close()
	defer inj6.Close()

	g := map[string]golden{}
	for _, x := range goldens() {
		g[x.name] = x
	}
	g4, g6 := vrrp.Group4, vrrp.Group6
	adv := func(name string) vrrp.Packet { p := advertFor(g[name].view); p.Priority = 200; return p }
	foreign := netip.MustParseAddr("192.0.2.9")

	cases := []struct {
		name string
		fam  vrrp.Family
		want DropReason
		pkt  func() wire
	}{
		{"wrong TTL", vrrp.IPv4, DropTTL, func() wire { return build4(t, adv("v2-pass"), addrA, g4, 64, nil) }},
		{"bad checksum", vrrp.IPv4, DropChecksum, func() wire {
			w := build4(t, adv("v3-ipv4"), addrA, g4, 255, nil)
			w.b[26] ^= 0x40
			return w
		}},
		{"wrong password", vrrp.IPv4, DropAuthPassword, func() wire {
			p := adv("v2-pass")
			copy(p.AuthData[:], "guessed!")
			return build4(t, p, addrA, g4, 255, nil)
		}},
		{"wrong version", vrrp.IPv4, DropVersion, func() wire {
			v := g["v2-pass"].view
			v.Version, v.Auth, v.AdvertInterval = 3, nil, 100
			return build4(t, advertFor(v), addrA, g4, 255, nil)
		}},
		{"truncated header", vrrp.IPv4, DropTooShort, func() wire {
			w := build4(t, adv("v2-pass"), addrA, g4, 255, nil)
			w.b = w.b[:26]
			binary.BigEndian.PutUint16(w.b[2:], 26)
			fixIPv4(w.b)
			return w
		}},
		{"truncated addresses", vrrp.IPv4, DropLength, func() wire {
			w := build4(t, adv("v2-pass"), addrA, g4, 255, nil)
			w.b = w.b[:len(w.b)-8]
			binary.BigEndian.PutUint16(w.b[2:], uint16(len(w.b)))
			fixIPv4(w.b)
			return w
		}},
		{"unknown VRID", vrrp.IPv4, DropUnknownVRID, func() wire {
			p := adv("v3-ipv4")
			p.VRID = 99
			return build4(t, p, addrA, g4, 255, nil)
		}},
		{"foreign unicast source", vrrp.IPv4, DropUnicastSrc, func() wire {
			return build4(t, adv("v2-unicast"), foreign, addrB, 255, nil)
		}},
		{"interval mismatch", vrrp.IPv4, DropIntervalMismatch, func() wire {
			p := adv("v2-pass")
			p.AdvertInterval = 3
			return build4(t, p, addrA, g4, 255, nil)
		}},
		{"AH with a guessed key", vrrp.IPv4, DropAHICV, func() wire {
			p := adv("v2-ah")
			p.AH.Seq = 1
			return build4(t, p, addrA, g4, 255, &vrrp.Options{Auth: vrrp.NewAuth(vrrp.AuthAH, "guessed")})
		}},
		{"IPv6 wrong hop limit", vrrp.IPv6, DropTTL, func() wire { return build6(t, adv("v3-ipv6"), llA, g6, 64) }},
		{"IPv6 bad checksum", vrrp.IPv6, DropChecksum, func() wire {
			w := build6(t, adv("v3-ipv6"), llA, g6, 255)
			w.b[7] ^= 0x01
			return w
		}},
		{"IPv6 multicast to a unicast instance", vrrp.IPv6, DropCastMismatch, func() wire {
			return build6(t, adv("v3-ipv6-unicast"), addrA6, g6, 255)
		}},
	}
	for _, tc := range cases {
		c := mux.Counters(tc.fam)
		before := c.Get(tc.want)
		w := tc.pkt()
		var err error
		if tc.fam == vrrp.IPv4 {
			dst := netip.AddrFrom4([4]byte(w.b[16:20]))
			conn := inj4
			if w.b[9] == vrrp.ProtocolAH {
				conn = inj4ah
			}
			err = conn.writeIPv4(w.b, dst, dst.IsMulticast(), nil)
		} else {
			err = inj6.writeIPv6(w.b, w.meta.Src, w.meta.Dst, w.meta.TTL, w.meta.Dst.IsMulticast(), nil)
		}
		if err != nil {
			t.Fatalf("%s: inject: %v", tc.name, err)
		}
		waitFor(t, tc.name+" counted as "+tc.want.String(), func() bool { return c.Get(tc.want) == before+1 })
	}
	for _, f := range []vrrp.Family{vrrp.IPv4, vrrp.IPv6} {
		if c := mux.Counters(f); c.Accepted() != 0 {
			t.Errorf("%v: %d hostile packets accepted: %v", f, c.Accepted(), c.Snapshot())
		}
	}
	if box.total() != 0 {
		t.Errorf("instances heard %d hostile adverts", box.total())
	}
	// And a good advert still gets through.
	w := build4(t, adv("v2-pass"), addrA, g4, 255, nil)
	if err := inj4.writeIPv4(w.b, g4, true, nil); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "a good advert after the hostile ones", func() bool { return len(box.get(51)) == 1 })
}

// ifIndex returns the index of interface name in the calling thread's
// namespace.
func ifIndex(t *testing.T, name string) int {
	ifi, err := net.InterfaceByName(name)
	if err != nil {
		t.Errorf("interface %s: %v", name, err)
		return 0
	}
	return ifi.Index
}

// What our sender puts on the wire, captured by tcpdump on b, is
// keepalived's: the goldens, byte for byte for IPv4 (TOS 0xc0, TTL 255, ID
// from 1, no DF, AH), and for IPv6 the same payload, traffic class, hop
// limit and addresses.
func testWire(t *testing.T, l *lab) {
	if _, err := exec.LookPath("tcpdump"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("tcpdump missing")
		}
		t.Skip("tcpdump not installed")
	}
	file := filepath.Join(t.TempDir(), "wire.pcap")
	cmd := exec.Command("ip", "netns", "exec", l.b, "tcpdump", "-i", "vlab0", "-n", "-U", "--immediate-mode", "-s", "512", "-B", "8192", "-Z", "root",
		"-w", file, "ip proto 112 or ip proto 51 or ip6 proto 112")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	stopped := false
	stop := func() {
		if !stopped {
			stopped = true
			cmd.Process.Signal(syscall.SIGINT) // the tcpdump we started, by PID
			done := make(chan struct{})
			go func() { cmd.Wait(); close(done) }()
			select {
			case <-done:
			case <-time.After(5 * time.Second):
				cmd.Process.Kill()
				<-done
			}
		}
	}
	t.Cleanup(stop)
	listening := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if strings.Contains(sc.Text(), "listening on") {
				close(listening)
				break
			}
		}
		for sc.Scan() {
		}
	}()
	select {
	case <-listening:
	case <-time.After(10 * time.Second):
		t.Fatal("tcpdump did not start")
	}

	poolA := NewPool(MuxConfig{})
	defer poolA.Close()
	var views []InstanceView
	for _, g := range goldens() {
		views = append(views, g.view)
	}
	regs := registerAll(t, l.a, poolA, "vlab0", views, nil)
	for i, g := range goldens() {
		for range 3 {
			if err := regs[i].Send(g.prio); err != nil {
				t.Fatal(err)
			}
		}
		if err := regs[i].SendPriority0(); err != nil {
			t.Fatal(err)
		}
	}
	time.Sleep(300 * time.Millisecond)
	stop()

	byVRID := map[uint8][][]byte{}
	for _, b := range pcapPackets(t, file) {
		switch {
		case b[0]>>4 == 4:
			off := vrrpOff(b)
			if off+2 <= len(b) {
				byVRID[b[off+1]] = append(byVRID[b[off+1]], b)
			}
		case b[0]>>4 == 6 && len(b) > 41:
			byVRID[b[41]] = append(byVRID[b[41]], b)
		}
	}
	for _, g := range goldens() {
		want := pcapPackets(t, filepath.Join(goldenDir, g.name+".pcap"))
		got := byVRID[g.view.VRID]
		if len(got) != len(want) {
			t.Errorf("%s: captured %d packets, want %d", g.name, len(got), len(want))
			continue
		}
		for i := range got {
			if g.view.Family == vrrp.IPv4 {
				if !bytes.Equal(got[i], want[i]) {
					t.Errorf("%s packet %d:\n got % x\nwant % x", g.name, i, got[i], want[i])
				}
				continue
			}
			gp, gs, gd, gh := ipv6Payload(t, got[i])
			wp, ws, wd, wh := ipv6Payload(t, want[i])
			if !bytes.Equal(gp, wp) || gs != ws || gd != wd || gh != wh {
				t.Errorf("%s packet %d: got %v>%v hlim %d % x, want %v>%v hlim %d % x", g.name, i, gs, gd, gh, gp, ws, wd, wh, wp)
			}
		}
	}
}
