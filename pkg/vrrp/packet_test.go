package vrrp

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math/rand/v2"
	"net/netip"
	"reflect"
	"slices"
	"testing"
)

var (
	src4 = netip.MustParseAddr("192.0.2.1")
	uni4 = netip.MustParseAddr("192.0.2.2")
	src6 = netip.MustParseAddr("fe80::ff:fe00:a")
	ip4  = IP{Family: IPv4, Src: src4, Dst: Group4}
	ip6  = IP{Family: IPv6, Src: src6, Dst: Group6}
)

func addrs(s ...string) []netip.Addr {
	var out []netip.Addr
	for _, a := range s {
		out = append(out, netip.MustParseAddr(a))
	}
	return out
}

// v2Pass, v3Four, v3Six are valid packets the tests start from.
func v2Pass() Packet {
	p := Packet{Version: 2, Type: 1, VRID: 7, Priority: 100, AdvertInterval: 1, AuthType: AuthPass,
		Addrs: addrs("192.0.2.100", "192.0.2.101")}
	copy(p.AuthData[:], "pw")
	return p
}

func v3Four() Packet {
	return Packet{Version: 3, Type: 1, VRID: 8, Priority: 200, AdvertInterval: 100,
		Addrs: addrs("192.0.2.100")}
}

func v3Six() Packet {
	return Packet{Version: 3, Type: 1, VRID: 9, Priority: 50, AdvertInterval: 4095,
		Addrs: addrs("2001:db8::1", "2001:db8::2", "fe80::1")}
}

func mustEncode(t testing.TB, ip IP, p Packet, opt *Options) []byte {
	t.Helper()
	b, err := Encode(nil, ip, &p, opt)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// resum recomputes the checksum of a message edited by a test.
func resum(b []byte, ip IP) []byte {
	if s, ok := Checksum(b, ip, ChecksumStandard, netip.Addr{}); ok {
		binary.BigEndian.PutUint16(b[6:], s)
	}
	return b
}

func TestDecodeErrors(t *testing.T) {
	pass := &Options{Auth: NewAuth(AuthPass, "pw")}
	tests := []struct {
		name string
		msg  func(t testing.TB) []byte
		ip   IP
		opt  *Options
		want Error // 0: accepted
	}{
		{"valid v2", func(t testing.TB) []byte { return mustEncode(t, ip4, v2Pass(), nil) }, ip4, pass, 0},
		{"valid v3 IPv4", func(t testing.TB) []byte { return mustEncode(t, ip4, v3Four(), nil) }, ip4, nil, 0},
		{"valid v3 IPv6", func(t testing.TB) []byte { return mustEncode(t, ip6, v3Six(), nil) }, ip6, nil, 0},
		{"empty", func(testing.TB) []byte { return nil }, ip4, nil, ErrTooShort},
		{"7 bytes", func(t testing.TB) []byte { return mustEncode(t, ip4, v3Four(), nil)[:7] }, ip4, nil, ErrTooShort},
		{"version 1", func(t testing.TB) []byte {
			b := mustEncode(t, ip4, v2Pass(), nil)
			b[0] = 0x11
			return resum(b, ip4)
		}, ip4, nil, ErrVersion},
		{"version 4", func(t testing.TB) []byte {
			b := mustEncode(t, ip4, v3Four(), nil)
			b[0] = 0x41
			return b
		}, ip4, nil, ErrVersion},
		{"version 2 over IPv6", func(t testing.TB) []byte {
			b := mustEncode(t, ip6, v3Six(), nil)
			b[0] = 0x21
			return b
		}, ip6, nil, ErrVersion},
		{"type 2", func(t testing.TB) []byte {
			b := mustEncode(t, ip4, v3Four(), nil)
			b[0] = 0x32
			return resum(b, ip4)
		}, ip4, nil, ErrType},
		{"count too high", func(t testing.TB) []byte {
			b := mustEncode(t, ip4, v2Pass(), nil)
			b[3] = 3
			return resum(b, ip4)
		}, ip4, nil, ErrLength},
		{"count too low", func(t testing.TB) []byte {
			b := mustEncode(t, ip6, v3Six(), nil)
			b[3] = 2
			return resum(b, ip6)
		}, ip6, nil, ErrLength},
		{"trailing byte", func(t testing.TB) []byte {
			return append(mustEncode(t, ip4, v3Four(), nil), 0)
		}, ip4, nil, ErrLength},
		{"v2 without auth data", func(t testing.TB) []byte {
			b := mustEncode(t, ip4, v2Pass(), nil)
			return b[:len(b)-AuthDataLen]
		}, ip4, nil, ErrLength},
		{"IPv4 addresses read as IPv6", func(t testing.TB) []byte { return mustEncode(t, ip4, v3Four(), nil) }, ip6, nil, ErrLength},
		{"flipped bit", func(t testing.TB) []byte {
			b := mustEncode(t, ip4, v2Pass(), nil)
			b[9] ^= 1
			return b
		}, ip4, nil, ErrChecksum},
		{"flipped bit, checksum skipped", func(t testing.TB) []byte {
			b := mustEncode(t, ip6, v3Six(), nil)
			b[9] ^= 1
			return b
		}, ip6, &Options{SkipChecksum: true}, 0},
		{"v3 to another destination", func(t testing.TB) []byte { return mustEncode(t, ip4, v3Four(), nil) },
			IP{Family: IPv4, Src: src4, Dst: uni4}, nil, ErrChecksum},
		{"v3 without IP addresses", func(t testing.TB) []byte { return mustEncode(t, ip4, v3Four(), nil) },
			IP{Family: IPv4}, nil, ErrChecksum},
		{"v3 IPv6 from another source", func(t testing.TB) []byte { return mustEncode(t, ip6, v3Six(), nil) },
			IP{Family: IPv6, Src: netip.MustParseAddr("fe80::2"), Dst: Group6}, nil, ErrChecksum},
		{"v3 checksum as v2", func(t testing.TB) []byte {
			return mustEncode(t, ip4, v3Four(), &Options{Checksum: ChecksumV3AsV2})
		}, ip4, &Options{Checksum: ChecksumV3AsV2}, 0},
		{"v3 checksum as v2, receiver standard", func(t testing.TB) []byte {
			return mustEncode(t, ip4, v3Four(), &Options{Checksum: ChecksumV3AsV2})
		}, ip4, nil, ErrChecksum},
		{"v2 with no IP facts", func(t testing.TB) []byte { return mustEncode(t, ip4, v2Pass(), nil) }, IP{}, pass, 0},
		{"auth type 3", func(t testing.TB) []byte {
			b := mustEncode(t, ip4, v2Pass(), nil)
			b[4] = 3
			return resum(b, ip4)
		}, ip4, nil, ErrAuthType},
		{"PASS, receiver none", func(t testing.TB) []byte { return mustEncode(t, ip4, v2Pass(), nil) },
			ip4, &Options{Auth: &Auth{}}, ErrAuthType},
		{"PASS, no check configured", func(t testing.TB) []byte { return mustEncode(t, ip4, v2Pass(), nil) }, ip4, nil, 0},
		{"wrong password", func(t testing.TB) []byte { return mustEncode(t, ip4, v2Pass(), nil) },
			ip4, &Options{Auth: NewAuth(AuthPass, "pW")}, ErrAuthMismatch},
		{"password differs in its padding", func(t testing.TB) []byte {
			p := v2Pass()
			p.AuthData[7] = 'x'
			return mustEncode(t, ip4, p, nil)
		}, ip4, pass, ErrAuthMismatch},
		{"AH needs the IP header", func(t testing.TB) []byte {
			p := v2Pass()
			p.AuthType, p.AuthData = AuthAH, [8]byte{}
			return mustEncode(t, ip4, p, nil)
		}, ip4, &Options{Auth: NewAuth(AuthAH, "pw")}, ErrAuthMismatch},
		{"v3 ignores configured auth", func(t testing.TB) []byte { return mustEncode(t, ip4, v3Four(), nil) }, ip4, pass, 0},
		{"interval 0", func(t testing.TB) []byte {
			b := mustEncode(t, ip4, v3Four(), nil)
			b[4], b[5] = 0xf0, 0 // reserved bits set, interval 0
			return resum(b, ip4)
		}, ip4, nil, ErrAdvertInterval},
		{"reserved bits ignored", func(t testing.TB) []byte {
			b := mustEncode(t, ip4, v3Four(), nil)
			b[4] |= 0xa0
			return resum(b, ip4)
		}, ip4, nil, 0},
		{"IPv4-mapped addresses", func(t testing.TB) []byte { return mustEncode(t, ip4, v3Four(), nil) },
			IP{Src: netip.AddrFrom16(src4.As16()), Dst: netip.AddrFrom16(Group4.As16())}, nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var p Packet
			err := Decode(tt.msg(t), tt.ip, &p, tt.opt)
			if tt.want == 0 {
				if err != nil {
					t.Fatalf("got %v, want nil", err)
				}
				return
			}
			var e Error
			if !errors.As(err, &e) || e != tt.want {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
		})
	}
}

func TestDecodeKeepsHeaderOnError(t *testing.T) {
	b := mustEncode(t, ip4, v2Pass(), nil)
	b[8] ^= 0xff
	p := Packet{Addrs: addrs("10.0.0.1")}
	if err := Decode(b, ip4, &p, nil); err != ErrChecksum {
		t.Fatalf("got %v", err)
	}
	if p.VRID != 7 || p.Priority != 100 || len(p.Addrs) != 0 {
		t.Fatalf("got %+v", p)
	}
}

func TestEncodeErrors(t *testing.T) {
	tests := []struct {
		name string
		ip   IP
		edit func(p *Packet)
		want Error
	}{
		{"version 1", ip4, func(p *Packet) { p.Version = 1 }, ErrVersion},
		{"version 2 over IPv6", ip6, func(p *Packet) { p.Version = 2; p.Addrs = addrs("2001:db8::1") }, ErrVersion},
		{"type 0", ip4, func(p *Packet) { p.Type = 0 }, ErrType},
		{"256 addresses", ip4, func(p *Packet) { p.Addrs = make([]netip.Addr, 256) }, ErrAddrFamily},
		{"IPv6 address in IPv4", ip4, func(p *Packet) { p.Addrs = addrs("2001:db8::1") }, ErrAddrFamily},
		{"IPv4 address in IPv6", ip6, func(p *Packet) { p.Addrs = addrs("192.0.2.1") }, ErrAddrFamily},
		{"invalid address", ip4, func(p *Packet) { p.Addrs = make([]netip.Addr, 1) }, ErrAddrFamily},
		{"v3 without source", IP{Family: IPv4, Dst: Group4}, func(*Packet) {}, ErrAddrFamily},
		{"v3 IPv6 with IPv4 destination", IP{Family: IPv6, Src: src6, Dst: Group4},
			func(p *Packet) { p.Addrs = addrs("2001:db8::1") }, ErrAddrFamily},
		{"interval 0", ip4, func(p *Packet) { p.AdvertInterval = 0 }, ErrAdvertInterval},
		{"v3 interval 4096", ip4, func(p *Packet) { p.AdvertInterval = 4096 }, ErrAdvertInterval},
		{"v2 interval 256", ip4, func(p *Packet) { p.Version = 2; p.AdvertInterval = 256 }, ErrAdvertInterval},
		{"v2 auth type 3", ip4, func(p *Packet) { p.Version = 2; p.AuthType = 3 }, ErrAuthType},
		{"v3 with auth", ip4, func(p *Packet) { p.AuthType = AuthPass }, ErrAuthType},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := v3Four()
			tt.edit(&p)
			dst := []byte{1, 2, 3}
			out, err := Encode(dst, tt.ip, &p, nil)
			if err != tt.want {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
			if !bytes.Equal(out, []byte{1, 2, 3}) {
				t.Fatalf("dst changed: %x", out)
			}
		})
	}
}

// TestEncodeKnownBytes pins the layout (RFC 3768 §5.1, RFC 5798 §5.1) with
// hand-assembled messages.
func TestEncodeKnownBytes(t *testing.T) {
	tests := []struct {
		name string
		ip   IP
		p    Packet
		opt  *Options
		want []byte
	}{
		{"v2 PASS", IP{}, v2Pass(), nil, []byte{
			0x21, 7, 100, 2, 1, 1, 0, 0, 192, 0, 2, 100, 192, 0, 2, 101, 'p', 'w', 0, 0, 0, 0, 0, 0}},
		{"v3 IPv4 as v2", IP{}, func() Packet { p := v3Four(); p.Reserved = 0xf; return p }(),
			&Options{Checksum: ChecksumV3AsV2}, []byte{0x31, 8, 200, 1, 0xf0, 100, 0, 0, 192, 0, 2, 100}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Encode(nil, tt.ip, &tt.p, tt.opt)
			if err != nil {
				t.Fatal(err)
			}
			s := fold(sum(0, tt.want))
			binary.BigEndian.PutUint16(tt.want[6:], s)
			if !bytes.Equal(got, tt.want) {
				t.Fatalf("got  %x\nwant %x", got, tt.want)
			}
		})
	}
}

// TestRoundTrip: random valid packets of every kind encode, decode to the
// same values, and encode again to the same bytes.
func TestRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	kinds := []ChecksumKind{ChecksumStandard, ChecksumV3AsV2, ChecksumOldUnicast}
	for i := 0; i < 3000; i++ {
		p := Packet{Type: TypeAdvertisement, VRID: uint8(r.Uint32()), Priority: uint8(r.Uint32())}
		ip := ip4
		if r.IntN(4) == 0 {
			ip.Dst = uni4
		}
		n := r.IntN(20)
		if i%50 == 0 {
			n = 255
		}
		switch r.IntN(3) {
		case 0:
			p.Version, p.AdvertInterval = 2, uint16(1+r.IntN(255))
			p.AuthType = AuthType(r.IntN(3))
			for j := range p.AuthData {
				p.AuthData[j] = uint8(r.Uint32())
			}
			for range n {
				p.Addrs = append(p.Addrs, netip.AddrFrom4([4]byte{10, 0, uint8(r.Uint32()), uint8(r.Uint32())}))
			}
		case 1:
			p.Version, p.AdvertInterval, p.Reserved = 3, uint16(1+r.IntN(4095)), uint8(r.IntN(16))
			for range n {
				p.Addrs = append(p.Addrs, netip.AddrFrom4([4]byte{10, 0, uint8(r.Uint32()), uint8(r.Uint32())}))
			}
		case 2:
			ip = ip6
			p.Version, p.AdvertInterval = 3, uint16(1+r.IntN(4095))
			for range n {
				var a [16]byte
				for j := range a {
					a[j] = uint8(r.Uint32())
				}
				p.Addrs = append(p.Addrs, netip.AddrFrom16(a))
			}
		}
		opt := &Options{Checksum: kinds[r.IntN(3)]}
		if ip.Family == IPv6 || p.Version == 2 || opt.Checksum == ChecksumOldUnicast && ip.Dst.IsMulticast() {
			opt.Checksum = ChecksumStandard // the kind does not apply, or is the same sum
		}
		b, err := Encode(nil, ip, &p, opt)
		if err != nil {
			t.Fatalf("%d: %+v: %v", i, p, err)
		}
		if len(b) != MessageLen(p.Version, ip.Family, n) {
			t.Fatalf("%d: length %d", i, len(b))
		}
		var q Packet
		if err := Decode(b, ip, &q, opt); err != nil {
			t.Fatalf("%d: %+v: %v", i, p, err)
		}
		p.CountAddrs, p.Checksum, p.ChecksumKind = uint8(n), binary.BigEndian.Uint16(b[6:]), opt.Checksum
		if !samePacket(&p, &q) {
			t.Fatalf("%d:\n got %+v\nwant %+v", i, q, p)
		}
		b2, _ := Encode(nil, ip, &q, opt)
		if !bytes.Equal(b, b2) {
			t.Fatalf("%d: re-encoded %x, want %x", i, b2, b)
		}
	}
}

// samePacket compares two packets, a nil and an empty address list alike.
func samePacket(a, b *Packet) bool {
	x, y := *a, *b
	x.Addrs, y.Addrs = nil, nil
	return reflect.DeepEqual(x, y) && slices.Equal(a.Addrs, b.Addrs)
}

// TestDecodeReusesAddrs: a Packet decoded into again keeps its storage.
func TestDecodeReusesAddrs(t *testing.T) {
	b := mustEncode(t, ip6, v3Six(), nil)
	var p Packet
	if err := Decode(b, ip6, &p, nil); err != nil {
		t.Fatal(err)
	}
	first := &p.Addrs[0]
	allocs := testing.AllocsPerRun(100, func() {
		if err := Decode(b, ip6, &p, nil); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 || &p.Addrs[0] != first {
		t.Fatalf("%v allocations, storage kept %v", allocs, &p.Addrs[0] == first)
	}
}
