package transport

import (
	"bytes"
	"encoding/binary"
	"net/netip"
	"path/filepath"
	"testing"

	"github.com/gokeepalived/gokeepalived/pkg/vrrp"
)

// goldenDir holds real keepalived 2.2.7 adverts, captured by
// test/lab/capture.sh: each pcap is three adverts of the master then its
// priority-0 advert.
var goldenDir = filepath.Join("..", "..", "pkg", "vrrp", "testdata", "golden")

type golden struct {
	name string
	prio uint8
	view InstanceView // the sender's (192.0.2.1, fe80::ff:fe00:a)
}

func goldens() []golden {
	a := func(s ...string) []netip.Addr {
		out := make([]netip.Addr, len(s))
		for i, x := range s {
			out[i] = netip.MustParseAddr(x)
		}
		return out
	}
	toB := []Peer{{Addr: addrB}}
	return []golden{
		{"v2-pass", 150, InstanceView{Name: "VI_PASS", VRID: 51, Family: vrrp.IPv4, Version: 2, AdvertInterval: 1,
			Auth: vrrp.NewAuth(vrrp.AuthPass, "secret7"), VIPs: a("192.0.2.100", "192.0.2.101"), Src: addrA}},
		{"v2-none", 255, InstanceView{Name: "VI_NONE", VRID: 52, Family: vrrp.IPv4, Version: 2, AdvertInterval: 1,
			VIPs: a("192.0.2.102"), Src: addrA}},
		{"v2-ah", 120, InstanceView{Name: "VI_AH", VRID: 53, Family: vrrp.IPv4, Version: 2, AdvertInterval: 1,
			Auth: vrrp.NewAuth(vrrp.AuthAH, "ahsecret"), VIPs: a("192.0.2.103"), Src: addrA}},
		{"v2-ah-unicast", 110, InstanceView{Name: "VI_AHU", VRID: 54, Family: vrrp.IPv4, Version: 2, AdvertInterval: 1,
			Auth: vrrp.NewAuth(vrrp.AuthAH, "unisec"), VIPs: a("192.0.2.104"), Src: addrA, Peers: toB}},
		{"v2-unicast", 100, InstanceView{Name: "VI_UNI2", VRID: 55, Family: vrrp.IPv4, Version: 2, AdvertInterval: 2,
			Auth: vrrp.NewAuth(vrrp.AuthPass, "12345678"), VIPs: a("192.0.2.105"), Src: addrA, Peers: toB}},
		{"v3-ipv4", 200, InstanceView{Name: "VI_V3", VRID: 56, Family: vrrp.IPv4, Version: 3, AdvertInterval: 50,
			VIPs: a("192.0.2.106", "192.0.2.107", "198.51.100.7"), Src: addrA}},
		{"v3-ipv6", 100, InstanceView{Name: "VI_V6", VRID: 57, Family: vrrp.IPv6, Version: 3, AdvertInterval: 100,
			VIPs: a("2001:db8::100", "2001:db8::101"), Src: llA}},
		{"v3-unicast", 90, InstanceView{Name: "VI_UNI3", VRID: 58, Family: vrrp.IPv4, Version: 3, AdvertInterval: 100,
			VIPs: a("192.0.2.108"), Src: addrA, Peers: toB}},
		{"v3-unicast-old", 100, InstanceView{Name: "VI_OLD", VRID: 59, Family: vrrp.IPv4, Version: 3, AdvertInterval: 100,
			VIPs: a("192.0.2.109"), Src: addrA, Peers: toB, Checksum: vrrp.ChecksumOldUnicast}},
		{"v3-ipv6-unicast", 100, InstanceView{Name: "VI_UNI6", VRID: 60, Family: vrrp.IPv6, Version: 3, AdvertInterval: 100,
			VIPs: a("2001:db8::110"), Src: addrA6, Peers: []Peer{{Addr: addrB6}}}},
	}
}

// receiverView is the view of the golden's peer (192.0.2.2 / fe80::ff:fe00:b).
func (g golden) receiverView() InstanceView {
	v := g.view
	v.Src = addrB
	switch {
	case v.Family == vrrp.IPv6 && v.Unicast():
		v.Src, v.Peers = addrB6, []Peer{{Addr: addrA6}}
	case v.Family == vrrp.IPv6:
		v.Src = llB
	case v.Unicast():
		v.Peers = []Peer{{Addr: addrA}}
	}
	return v
}

// sent is one packet a fake writer saw.
type sent struct {
	b        []byte
	src, dst netip.Addr
	hop      int
	mcast    bool
}

type fakeWriter struct{ out []sent }

func (w *fakeWriter) writeIPv4(pkt []byte, dst netip.Addr, multicast bool, _ *Registration) error {
	w.out = append(w.out, sent{b: append([]byte(nil), pkt...), dst: dst, mcast: multicast})
	return nil
}

func (w *fakeWriter) writeIPv6(msg []byte, src, dst netip.Addr, hop int, multicast bool, _ *Registration) error {
	w.out = append(w.out, sent{b: append([]byte(nil), msg...), src: src, dst: dst, hop: hop, mcast: multicast})
	return nil
}

// ipv6Payload checks an IPv6 packet's fixed header as keepalived sends it
// (traffic class 0xc0, next header VRRP) and returns its payload, source,
// destination and hop limit.
func ipv6Payload(t *testing.T, b []byte) (payload []byte, src, dst netip.Addr, hop int) {
	t.Helper()
	if len(b) < 40 || b[0]>>4 != 6 {
		t.Fatalf("not IPv6: % x", b)
	}
	if tc := binary.BigEndian.Uint16(b[0:2]) >> 4 & 0xff; tc != 0xc0 {
		t.Errorf("traffic class %#x, want 0xc0", tc)
	}
	if b[6] != vrrp.ProtocolVRRP {
		t.Errorf("next header %d", b[6])
	}
	return b[40:], netip.AddrFrom16([16]byte(b[8:24])), netip.AddrFrom16([16]byte(b[24:40])), int(b[7])
}

// Our adverts are keepalived's, byte for byte: the same IPv4 header (TOS,
// ID from 1, no DF, TTL), AH header and sequence, checksums; and the same
// IPv6 payload to the same destination.
func TestSendMatchesGolden(t *testing.T) {
	for _, g := range goldens() {
		t.Run(g.name, func(t *testing.T) {
			want := pcapPackets(t, filepath.Join(goldenDir, g.name+".pcap"))
			if len(want) != 4 {
				t.Fatalf("%d golden packets, want 4", len(want))
			}
			m := NewMux("vlab0", MuxConfig{})
			reg, err := m.Register(g.view, nil)
			if err != nil {
				t.Fatal(err)
			}
			w := &fakeWriter{}
			reg.w = w
			for range 3 {
				if err := reg.Send(g.prio); err != nil {
					t.Fatal(err)
				}
			}
			if err := reg.SendPriority0(); err != nil {
				t.Fatal(err)
			}
			if len(w.out) != 4 {
				t.Fatalf("%d packets sent", len(w.out))
			}
			for i, s := range w.out {
				if g.view.Family == vrrp.IPv4 {
					if !bytes.Equal(s.b, want[i]) {
						t.Errorf("packet %d:\n got % x\nwant % x", i, s.b, want[i])
					}
					if s.dst != netip.AddrFrom4([4]byte(want[i][16:20])) || s.mcast == g.view.Unicast() {
						t.Errorf("packet %d sent to %v (multicast %v)", i, s.dst, s.mcast)
					}
					continue
				}
				payload, src, dst, hop := ipv6Payload(t, want[i])
				if !bytes.Equal(s.b, payload) || s.src != src || s.dst != dst {
					t.Errorf("packet %d: got %v>%v % x, want %v>%v % x", i, s.src, s.dst, s.b, src, dst, payload)
				}
				// keepalived: 255 by socket option for multicast; the
				// kernel's default (64 in the lab) for unicast.
				if wantHop := map[bool]int{false: 255, true: 0}[g.view.Unicast()]; s.hop != wantHop || g.view.Unicast() && hop != 64 || !g.view.Unicast() && hop != 255 {
					t.Errorf("packet %d: hop limit %d (golden %d)", i, s.hop, hop)
				}
			}
		})
	}
}

// keepalived's adverts pass our checks at their peer.
func TestCheckAcceptsGolden(t *testing.T) {
	for _, g := range goldens() {
		t.Run(g.name, func(t *testing.T) {
			pkts := pcapPackets(t, filepath.Join(goldenDir, g.name+".pcap"))
			v := g.receiverView()
			if g.name == "v3-unicast-old" {
				v.Checksum = vrrp.ChecksumStandard
				v.AcceptOldUnicastChecksum = true
			}
			for i, b := range pkts {
				meta := RecvMeta{Family: g.view.Family, TTL: -1}
				if g.view.Family == vrrp.IPv6 {
					var hop int
					b, meta.Src, meta.Dst, hop = ipv6Payload(t, b)
					meta.TTL = hop
				}
				p, r := Check(b, meta, v)
				if r != DropNone {
					t.Fatalf("packet %d refused: %v", i, r)
				}
				wantPrio := g.prio
				if i == 3 {
					wantPrio = 0
				}
				if p.Priority != wantPrio || p.VRID != g.view.VRID {
					t.Errorf("packet %d: VRID %d priority %d", i, p.VRID, p.Priority)
				}
				if v.authType() == vrrp.AuthAH {
					v.AHSeq = p.AH.Seq // as the Mux keeps it
				}
			}
		})
	}
}
