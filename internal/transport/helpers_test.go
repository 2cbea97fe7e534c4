package transport

import (
	"crypto/hmac"
	"crypto/md5"
	"encoding/binary"
	"fmt"
	"net/netip"
	"os"
	"testing"

	"github.com/gokeepalived/gokeepalived/pkg/vrrp"
)

var (
	addrA  = netip.MustParseAddr("192.0.2.1")
	addrB  = netip.MustParseAddr("192.0.2.2")
	addrA6 = netip.MustParseAddr("2001:db8::1")
	addrB6 = netip.MustParseAddr("2001:db8::2")
	llA    = netip.MustParseAddr("fe80::ff:fe00:a")
	llB    = netip.MustParseAddr("fe80::ff:fe00:b")
	vip1   = netip.MustParseAddr("192.0.2.100")
	vip2   = netip.MustParseAddr("192.0.2.101")
	vip6a  = netip.MustParseAddr("2001:db8::100")
	vip6b  = netip.MustParseAddr("2001:db8::101")
)

// The instances of the tests, seen from the receiver (192.0.2.2).
func viewV2Pass() InstanceView {
	return InstanceView{Name: "VI_PASS", VRID: 51, Family: vrrp.IPv4, Version: 2, AdvertInterval: 1,
		Auth: vrrp.NewAuth(vrrp.AuthPass, "secret7"), VIPs: []netip.Addr{vip1, vip2}, Src: addrB}
}

func viewV2AH() InstanceView {
	return InstanceView{Name: "VI_AH", VRID: 53, Family: vrrp.IPv4, Version: 2, AdvertInterval: 1,
		Auth: vrrp.NewAuth(vrrp.AuthAH, "ahsecret"), VIPs: []netip.Addr{vip1}, Src: addrB}
}

func viewV3() InstanceView {
	return InstanceView{Name: "VI_V3", VRID: 56, Family: vrrp.IPv4, Version: 3, AdvertInterval: 50,
		VIPs: []netip.Addr{vip1, vip2}, Src: addrB}
}

func viewV6() InstanceView {
	return InstanceView{Name: "VI_V6", VRID: 57, Family: vrrp.IPv6, Version: 3, AdvertInterval: 100,
		VIPs: []netip.Addr{vip6a, vip6b}, Src: llB}
}

func viewUni() InstanceView {
	return InstanceView{Name: "VI_UNI", VRID: 55, Family: vrrp.IPv4, Version: 2, AdvertInterval: 1,
		Auth: vrrp.NewAuth(vrrp.AuthPass, "12345678"), VIPs: []netip.Addr{vip1}, Src: addrB,
		Peers: []Peer{{Addr: addrA}}, CheckUnicastSrc: true}
}

func viewUni3() InstanceView {
	return InstanceView{Name: "VI_UNI3", VRID: 58, Family: vrrp.IPv4, Version: 3, AdvertInterval: 100,
		VIPs: []netip.Addr{vip1}, Src: addrB, Peers: []Peer{{Addr: addrA}}}
}

func viewUni6() InstanceView {
	return InstanceView{Name: "VI_UNI6", VRID: 60, Family: vrrp.IPv6, Version: 3, AdvertInterval: 100,
		VIPs: []netip.Addr{vip6a}, Src: addrB6, Peers: []Peer{{Addr: addrA6}}}
}

// advertFor returns the advert the peer of v sends: v's fields, priority
// 100.
func advertFor(v InstanceView) vrrp.Packet {
	p := vrrp.Packet{Version: v.Version, Type: vrrp.TypeAdvertisement, VRID: v.VRID, Priority: 100,
		AdvertInterval: v.AdvertInterval, Addrs: v.VIPs}
	if v.Version == 2 && v.Auth != nil {
		p.AuthType = v.Auth.Type
		if v.Auth.Type == vrrp.AuthPass {
			p.AuthData = v.Auth.Key
		}
	}
	return p
}

// wire is a test packet: its bytes and the meta the socket would give.
type wire struct {
	b    []byte
	meta RecvMeta
}

// build4 encodes p in an IPv4 packet from src to dst with TTL ttl; auth
// gives the AH key.
func build4(t testing.TB, p vrrp.Packet, src, dst netip.Addr, ttl uint8, opt *vrrp.Options) wire {
	t.Helper()
	h := vrrp.NewIPv4Header(src, dst, 1)
	h.TTL = ttl
	b, err := vrrp.EncodeIPv4(nil, &h, &p, opt)
	if err != nil {
		t.Fatalf("EncodeIPv4: %v", err)
	}
	return wire{b: b, meta: RecvMeta{Family: vrrp.IPv4, TTL: -1}}
}

// build6 encodes p in an IPv6 payload from src to dst with hop limit hop.
func build6(t testing.TB, p vrrp.Packet, src, dst netip.Addr, hop int) wire {
	t.Helper()
	b, err := vrrp.Encode(nil, vrrp.IP{Family: vrrp.IPv6, Src: src, Dst: dst}, &p, nil)
	if err != nil {
		t.Fatalf("Encode: %v", err)
	}
	return wire{b: b, meta: RecvMeta{Family: vrrp.IPv6, TTL: hop, Src: src, Dst: dst}}
}

// vrrpOff returns where the VRRP message starts in an IPv4 packet.
func vrrpOff(b []byte) int {
	off := int(b[0]&0x0f) * 4
	if b[9] == vrrp.ProtocolAH {
		off += vrrp.AHLen
	}
	return off
}

// fixIPv4 recomputes the IPv4 header checksum after an edit.
func fixIPv4(b []byte) {
	ihl := int(b[0]&0x0f) * 4
	b[10], b[11] = 0, 0
	var s uint32
	for i := 0; i < ihl; i += 2 {
		s += uint32(binary.BigEndian.Uint16(b[i:]))
	}
	for s > 0xffff {
		s = s>>16 + s&0xffff
	}
	binary.BigEndian.PutUint16(b[10:], ^uint16(s))
}

// fixSum recomputes the VRRP checksum of w after an edit (standard kind).
func fixSum(w wire) {
	if w.meta.Family == vrrp.IPv6 {
		s, _ := vrrp.Checksum(w.b, vrrp.IP{Family: vrrp.IPv6, Src: w.meta.Src, Dst: w.meta.Dst}, vrrp.ChecksumStandard, netip.Addr{})
		binary.BigEndian.PutUint16(w.b[6:], s)
		return
	}
	off := vrrpOff(w.b)
	ip := vrrp.IP{Family: vrrp.IPv4, Src: netip.AddrFrom4([4]byte(w.b[12:16])), Dst: netip.AddrFrom4([4]byte(w.b[16:20]))}
	s, _ := vrrp.Checksum(w.b[off:], ip, vrrp.ChecksumStandard, netip.Addr{})
	binary.BigEndian.PutUint16(w.b[off+6:], s)
}

// signAH recomputes the AH ICV of an IPv4 packet with key, as keepalived:
// HMAC-MD5-96 over the packet with TOS, flags/offset, header checksum, the
// ICV, and for unicast the TTL, zeroed.
func signAH(b []byte, key string) {
	fixIPv4(b)
	ihl := int(b[0]&0x0f) * 4
	c := append([]byte(nil), b...)
	c[1], c[6], c[7], c[10], c[11] = 0, 0, 0, 0, 0
	if c[16]&0xf0 != 0xe0 {
		c[8] = 0
	}
	clear(c[ihl+12 : ihl+vrrp.AHLen])
	var k [8]byte
	copy(k[:], key)
	m := hmac.New(md5.New, k[:])
	m.Write(c)
	copy(b[ihl+12:ihl+vrrp.AHLen], m.Sum(nil)[:vrrp.ICVLen])
}

// pcapPackets returns the IP packets of a pcap file of Ethernet frames.
func pcapPackets(t testing.TB, path string) [][]byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	pkts, err := parsePcap(data)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return pkts
}

func parsePcap(data []byte) ([][]byte, error) {
	if len(data) < 24 {
		return nil, fmt.Errorf("pcap too short")
	}
	var bo binary.ByteOrder
	switch binary.LittleEndian.Uint32(data) {
	case 0xa1b2c3d4, 0xa1b23c4d:
		bo = binary.LittleEndian
	case 0xd4c3b2a1, 0x4d3cb2a1:
		bo = binary.BigEndian
	default:
		return nil, fmt.Errorf("not a pcap file")
	}
	linkType := bo.Uint32(data[20:])
	var out [][]byte
	for b := data[24:]; len(b) >= 16; {
		n := int(bo.Uint32(b[8:]))
		if len(b) < 16+n {
			break // tcpdump stopped mid-record
		}
		frame := b[16 : 16+n]
		b = b[16+n:]
		switch linkType {
		case 1: // Ethernet
			if len(frame) < 14 {
				continue
			}
			et := binary.BigEndian.Uint16(frame[12:])
			if et != 0x0800 && et != 0x86dd {
				continue
			}
			frame = frame[14:]
		case 113: // Linux cooked
			if len(frame) < 16 {
				continue
			}
			frame = frame[16:]
		default:
			return nil, fmt.Errorf("link type %d", linkType)
		}
		out = append(out, frame)
	}
	return out, nil
}
