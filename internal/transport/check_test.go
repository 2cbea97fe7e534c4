package transport

import (
	"encoding/binary"
	"net/netip"
	"testing"

	"github.com/gokeepalived/gokeepalived/pkg/vrrp"
)

type checkCase struct {
	name string
	want DropReason
	view InstanceView
	pkt  func(t *testing.T) wire
}

// checkCases covers every DropReason Check returns, and the accepted
// kinds of advert.
func checkCases() []checkCase {
	g4, g6 := vrrp.Group4, vrrp.Group6
	pass := func(t *testing.T) wire { return build4(t, advertFor(viewV2Pass()), addrA, g4, 255, nil) }
	ahOpt := &vrrp.Options{Auth: viewV2AH().Auth}
	ah := func(t *testing.T) wire {
		p := advertFor(viewV2AH())
		p.AH.Seq = 7
		return build4(t, p, addrA, g4, 255, ahOpt)
	}
	v3 := func(t *testing.T) wire { return build4(t, advertFor(viewV3()), addrA, g4, 255, nil) }
	v6 := func(t *testing.T) wire { return build6(t, advertFor(viewV6()), llA, g6, 255) }
	uni := func(t *testing.T) wire { return build4(t, advertFor(viewUni()), addrA, addrB, 255, nil) }
	uni6 := func(t *testing.T) wire { return build6(t, advertFor(viewUni6()), addrA6, addrB6, 64) }
	edit := func(base func(*testing.T) wire, f func(w wire) wire) func(*testing.T) wire {
		return func(t *testing.T) wire { return f(base(t)) }
	}

	return []checkCase{
		// Accepted.
		{"v2 PASS multicast", DropNone, viewV2Pass(), pass},
		{"v2 AH multicast", DropNone, viewV2AH(), ah},
		{"v3 IPv4 multicast", DropNone, viewV3(), v3},
		{"v3 IPv6 multicast", DropNone, viewV6(), v6},
		{"v2 unicast", DropNone, viewUni(), uni},
		{"v3 IPv6 unicast, hop limit 64", DropNone, viewUni6(), uni6},
		{"v3 unicast old checksum accepted", DropNone, func() InstanceView {
			v := viewUni3()
			v.AcceptOldUnicastChecksum = true
			return v
		}(), func(t *testing.T) wire {
			return build4(t, advertFor(viewUni3()), addrA, addrB, 255, &vrrp.Options{Checksum: vrrp.ChecksumOldUnicast})
		}},
		{"unicast TTL 64 without check_unicast_src", DropNone, viewUni3(), func(t *testing.T) wire {
			return build4(t, advertFor(viewUni3()), addrA, addrB, 64, nil)
		}},
		{"IPv6 hop limit unknown", DropNone, viewV6(), edit(v6, func(w wire) wire { w.meta.TTL = -1; return w })},
		{"skip_check_adv_addr from the master", DropNone, func() InstanceView {
			v := viewV2Pass()
			v.SkipCheckAdvAddr, v.Master = true, addrA
			return v
		}(), func(t *testing.T) wire {
			p := advertFor(viewV2Pass())
			p.Addrs = []netip.Addr{vip1}
			return build4(t, p, addrA, g4, 255, nil)
		}},

		// Refused.
		{"IPv4 shorter than its header", DropTooShort, viewV2Pass(), edit(pass, func(w wire) wire { w.b = w.b[:19]; return w })},
		{"IPv4 shorter than the VRRP header", DropTooShort, viewV2Pass(), edit(pass, func(w wire) wire { w.b = w.b[:26]; return w })},
		{"AH shorter than AH and VRRP headers", DropTooShort, viewV2AH(), edit(ah, func(w wire) wire { w.b = w.b[:20+24+7]; return w })},
		{"IPv6 shorter than the VRRP header", DropTooShort, viewV6(), edit(v6, func(w wire) wire { w.b = w.b[:7]; return w })},
		{"IPv4 version nibble", DropIPHeader, viewV2Pass(), edit(pass, func(w wire) wire { w.b[0] = 0x65; return w })},
		{"IPv4 protocol UDP", DropIPHeader, viewV2Pass(), edit(pass, func(w wire) wire { w.b[9] = 17; return w })},
		{"IPv6 unicast to a multicast instance", DropCastMismatch, viewV6(), func(t *testing.T) wire {
			return build6(t, advertFor(viewV6()), llA, llB, 255)
		}},
		{"IPv6 multicast to a unicast instance", DropCastMismatch, viewUni6(), func(t *testing.T) wire {
			return build6(t, advertFor(viewUni6()), addrA6, g6, 255)
		}},
		{"IPv4 unicast to a multicast instance", DropCastMismatch, viewV2Pass(), func(t *testing.T) wire {
			return build4(t, advertFor(viewV2Pass()), addrA, addrB, 255, nil)
		}},
		{"IPv4 multicast to a unicast instance", DropCastMismatch, viewUni(), func(t *testing.T) wire {
			return build4(t, advertFor(viewUni()), addrA, g4, 255, nil)
		}},
		{"AH to a PASS instance", DropAHUnexpected, viewV2Pass(), func(t *testing.T) wire {
			v := viewV2Pass()
			v.Auth = viewV2AH().Auth
			p := advertFor(v)
			return build4(t, p, addrA, g4, 255, ahOpt)
		}},
		{"no AH to an AH instance", DropAHMissing, viewV2AH(), func(t *testing.T) wire {
			v := viewV2AH()
			v.Auth = nil
			return build4(t, advertFor(v), addrA, g4, 255, nil)
		}},
		{"an address cut off", DropLength, viewV2Pass(), edit(pass, func(w wire) wire {
			w.b = w.b[:len(w.b)-4]
			binary.BigEndian.PutUint16(w.b[2:], uint16(len(w.b)))
			fixIPv4(w.b)
			return w
		})},
		{"trailing bytes", DropLength, viewV3(), edit(v3, func(w wire) wire { w.b = append(w.b, 0, 0, 0, 0); return w })},
		{"IPv6 address cut off", DropLength, viewV6(), edit(v6, func(w wire) wire { w.b = w.b[:len(w.b)-16]; return w })},
		{"multicast TTL 64", DropTTL, viewV2Pass(), func(t *testing.T) wire {
			return build4(t, advertFor(viewV2Pass()), addrA, g4, 64, nil)
		}},
		{"multicast hop limit 1", DropTTL, viewV6(), edit(v6, func(w wire) wire { w.meta.TTL = 1; return w })},
		{"multicast hop limit 0", DropTTL, viewV6(), edit(v6, func(w wire) wire { w.meta.TTL = 0; return w })},
		{"v3 advert to a v2 instance", DropVersion, viewV2Pass(), func(t *testing.T) wire {
			v := viewV2Pass()
			v.Version, v.Auth = 3, nil
			return build4(t, advertFor(v), addrA, g4, 255, nil)
		}},
		{"v2 advert to a v3 instance", DropVersion, viewV3(), func(t *testing.T) wire {
			v := viewV3()
			v.Version, v.AdvertInterval = 2, 1
			return build4(t, advertFor(v), addrA, g4, 255, nil)
		}},
		{"version 4", DropVersion, viewV3(), edit(v3, func(w wire) wire { w.b[20] = 0x41; fixSum(w); return w })},
		{"auth type 3", DropAuthTypeInvalid, viewV2Pass(), edit(pass, func(w wire) wire { w.b[24] = 3; fixSum(w); return w })},
		{"auth type none to a PASS instance", DropAuthTypeMismatch, viewV2Pass(), func(t *testing.T) wire {
			v := viewV2Pass()
			v.Auth = nil
			return build4(t, advertFor(v), addrA, g4, 255, nil)
		}},
		{"wrong password", DropAuthPassword, viewV2Pass(), func(t *testing.T) wire {
			v := viewV2Pass()
			v.Auth = vrrp.NewAuth(vrrp.AuthPass, "secret8")
			return build4(t, advertFor(v), addrA, g4, 255, nil)
		}},
		{"password cut to 7 bytes of 8", DropAuthPassword, func() InstanceView {
			v := viewV2Pass()
			v.Auth = vrrp.NewAuth(vrrp.AuthPass, "secret78")
			return v
		}(), pass},
		{"AH for another protocol", DropAHHeader, viewV2AH(), edit(ah, func(w wire) wire { w.b[20] = 6; return w })},
		{"AH with another key", DropAHICV, viewV2AH(), func(t *testing.T) wire {
			p := advertFor(viewV2AH())
			p.AH.Seq = 7
			return build4(t, p, addrA, g4, 255, &vrrp.Options{Auth: vrrp.NewAuth(vrrp.AuthAH, "other")})
		}},
		{"AH SPI not the source", DropAHSPI, viewV2AH(), edit(ah, func(w wire) wire {
			copy(w.b[24:28], []byte{192, 0, 2, 9})
			signAH(w.b, "ahsecret")
			return w
		})},
		{"AH sequence number replayed", DropAHReplay, func() InstanceView {
			v := viewV2AH()
			v.AHSeq = 7
			return v
		}(), ah},
		{"v2 interval 2 for 1", DropIntervalMismatch, viewV2Pass(), func(t *testing.T) wire {
			p := advertFor(viewV2Pass())
			p.AdvertInterval = 2
			return build4(t, p, addrA, g4, 255, nil)
		}},
		{"type 2", DropType, viewV3(), edit(v3, func(w wire) wire { w.b[20] = 0x32; fixSum(w); return w })},
		{"one address for two", DropAddrCount, viewV2Pass(), func(t *testing.T) wire {
			p := advertFor(viewV2Pass())
			p.Addrs = []netip.Addr{vip1}
			return build4(t, p, addrA, g4, 255, nil)
		}},
		{"skip_check_adv_addr from another router", DropAddrCount, func() InstanceView {
			v := viewV2Pass()
			v.SkipCheckAdvAddr, v.Master = true, netip.MustParseAddr("192.0.2.3")
			return v
		}(), func(t *testing.T) wire {
			p := advertFor(viewV2Pass())
			p.Addrs = []netip.Addr{vip1}
			return build4(t, p, addrA, g4, 255, nil)
		}},
		{"IPv4 total length", DropTotalLength, viewV2Pass(), edit(pass, func(w wire) wire {
			binary.BigEndian.PutUint16(w.b[2:], uint16(len(w.b)+4))
			fixIPv4(w.b)
			return w
		})},
		{"v2 checksum", DropChecksum, viewV2Pass(), edit(pass, func(w wire) wire { w.b[26] ^= 0xff; return w })},
		{"v3 IPv4 checksum", DropChecksum, viewV3(), edit(v3, func(w wire) wire { w.b[27] ^= 1; return w })},
		{"v3 IPv4 checksum with another source", DropChecksum, viewV3(), edit(v3, func(w wire) wire {
			copy(w.b[12:16], []byte{192, 0, 2, 9})
			fixIPv4(w.b)
			return w
		})},
		{"v3 IPv6 checksum", DropChecksum, viewV6(), edit(v6, func(w wire) wire { w.b[6] ^= 0x80; return w })},
		{"v3 unicast old checksum not accepted", DropChecksum, viewUni3(), func(t *testing.T) wire {
			return build4(t, advertFor(viewUni3()), addrA, addrB, 255, &vrrp.Options{Checksum: vrrp.ChecksumOldUnicast})
		}},
		{"other multicast group", DropDestination, viewV2Pass(), func(t *testing.T) wire {
			return build4(t, advertFor(viewV2Pass()), addrA, netip.MustParseAddr("224.0.0.19"), 255, nil)
		}},
		{"unicast to another local address", DropDestination, viewUni(), func(t *testing.T) wire {
			return build4(t, advertFor(viewUni()), addrA, netip.MustParseAddr("192.0.2.20"), 255, nil)
		}},
		{"another address", DropAddrList, viewV2Pass(), func(t *testing.T) wire {
			p := advertFor(viewV2Pass())
			p.Addrs = []netip.Addr{vip1, netip.MustParseAddr("192.0.2.102")}
			return build4(t, p, addrA, g4, 255, nil)
		}},
		{"IPv6 another address", DropAddrList, viewV6(), func(t *testing.T) wire {
			p := advertFor(viewV6())
			p.Addrs = []netip.Addr{vip6a, netip.MustParseAddr("2001:db8::102")}
			return build6(t, p, llA, g6, 255)
		}},
		{"foreign unicast source", DropUnicastSrc, viewUni(), func(t *testing.T) wire {
			return build4(t, advertFor(viewUni()), netip.MustParseAddr("192.0.2.9"), addrB, 255, nil)
		}},
		{"IPv6 foreign unicast source", DropUnicastSrc, func() InstanceView {
			v := viewUni6()
			v.CheckUnicastSrc = true
			return v
		}(), func(t *testing.T) wire {
			return build6(t, advertFor(viewUni6()), netip.MustParseAddr("2001:db8::9"), addrB6, 64)
		}},
		{"unicast TTL below min_ttl", DropTTLRange, func() InstanceView {
			v := viewUni()
			v.Peers = []Peer{{Addr: addrA, MinTTL: 250}}
			return v
		}(), func(t *testing.T) wire {
			return build4(t, advertFor(viewUni()), addrA, addrB, 200, nil)
		}},
		{"unicast hop limit above max_ttl", DropTTLRange, func() InstanceView {
			v := viewUni6()
			v.CheckUnicastSrc = true
			v.Peers = []Peer{{Addr: addrA6, MinTTL: 1, MaxTTL: 63}}
			return v
		}(), uni6},
		{"v3 interval 0", DropAdvertInterval, viewV3(), edit(v3, func(w wire) wire {
			w.b[24], w.b[25] = 0, 0
			fixSum(w)
			return w
		})},

		// keepalived's order decides between several faults.
		{"wrong TTL and wrong version: TTL first", DropTTL, viewV2Pass(), func(t *testing.T) wire {
			v := viewV2Pass()
			v.Version, v.Auth = 3, nil
			return build4(t, advertFor(v), addrA, g4, 1, nil)
		}},
		{"wrong password and bad checksum: password first", DropAuthPassword, viewV2Pass(), func(t *testing.T) wire {
			v := viewV2Pass()
			v.Auth = vrrp.NewAuth(vrrp.AuthPass, "secret8")
			w := build4(t, advertFor(v), addrA, g4, 255, nil)
			w.b[26] ^= 0xff
			return w
		}},
		{"interval mismatch and bad checksum: interval first", DropIntervalMismatch, viewV2Pass(), func(t *testing.T) wire {
			p := advertFor(viewV2Pass())
			p.AdvertInterval = 3
			w := build4(t, p, addrA, g4, 255, nil)
			w.b[26] ^= 0xff
			return w
		}},
		{"bad checksum and wrong addresses: checksum first", DropChecksum, viewV2Pass(), func(t *testing.T) wire {
			p := advertFor(viewV2Pass())
			p.Addrs = []netip.Addr{vip1, netip.MustParseAddr("192.0.2.102")}
			w := build4(t, p, addrA, g4, 255, nil)
			w.b[26] ^= 0xff
			return w
		}},
	}
}

func TestCheck(t *testing.T) {
	seen := make(map[DropReason]bool)
	for _, tc := range checkCases() {
		t.Run(tc.name, func(t *testing.T) {
			w := tc.pkt(t)
			p, got := Check(w.b, w.meta, tc.view)
			if got != tc.want {
				t.Fatalf("Check = %v, want %v", got, tc.want)
			}
			if got == DropNone {
				if p.VRID != tc.view.VRID || p.Priority != 100 || !addrsMatch(p.Addrs, tc.view.VIPs) && !tc.view.SkipCheckAdvAddr {
					t.Errorf("decoded %+v", p)
				}
				if tc.view.authType() == vrrp.AuthAH && (!p.AH.Present || p.AH.Seq != 7) {
					t.Errorf("AH not reported: %+v", p.AH)
				}
			} else if p.AH.Present && got <= DropAHReplay {
				t.Errorf("refused packet reports a verified AH header")
			}
		})
		seen[tc.want] = true
	}
	// Every reason Check can return has a case; DropUnknownVRID is the
	// Mux's (TestMuxDemux).
	for _, r := range DropReasons() {
		if r != DropUnknownVRID && !seen[r] {
			t.Errorf("no Check case for %v", r)
		}
	}
}

func TestCheckOldChecksumKind(t *testing.T) {
	v := viewUni3()
	v.AcceptOldUnicastChecksum = true
	w := build4(t, advertFor(v), addrA, addrB, 255, &vrrp.Options{Checksum: vrrp.ChecksumOldUnicast})
	p, r := Check(w.b, w.meta, v)
	if r != DropNone || p.ChecksumKind != vrrp.ChecksumOldUnicast {
		t.Fatalf("Check = %v, kind %v", r, p.ChecksumKind)
	}
	// Configured with the old kind, only the old kind passes.
	v.Checksum = vrrp.ChecksumOldUnicast
	w = build4(t, advertFor(v), addrA, addrB, 255, nil)
	if _, r := Check(w.b, w.meta, v); r != DropChecksum {
		t.Fatalf("standard checksum with old_unicast_checksum: %v", r)
	}
}

// Check never panics on any prefix or single-byte corruption of valid
// packets.
func TestCheckRobust(t *testing.T) {
	for _, tc := range checkCases() {
		w := tc.pkt(t)
		for n := 0; n <= len(w.b); n++ {
			Check(w.b[:n], w.meta, tc.view)
		}
		for i := range w.b {
			b := append([]byte(nil), w.b...)
			b[i] ^= 0xa5
			Check(b, w.meta, tc.view)
		}
	}
}

func FuzzCheck(f *testing.F) {
	for _, tc := range checkCases() {
		w := tc.pkt(&testing.T{})
		f.Add(w.b, uint8(w.meta.Family), int(tc.view.VRID))
	}
	views := []InstanceView{viewV2Pass(), viewV2AH(), viewV3(), viewV6(), viewUni(), viewUni6()}
	f.Fuzz(func(t *testing.T, b []byte, fam uint8, vi int) {
		v := views[uint(vi)%uint(len(views))]
		meta := RecvMeta{Family: vrrp.Family(fam), TTL: 255, Src: llA, Dst: vrrp.Group6}
		if meta.Family != vrrp.IPv6 {
			meta.Family = vrrp.IPv4
		}
		v.Family = meta.Family
		Check(b, meta, v)
	})
}

func TestFromDecodeError(t *testing.T) {
	if FromDecodeError(nil) != DropNone {
		t.Error("nil is not DropNone")
	}
	for _, e := range vrrp.Errors() {
		if r := FromDecodeError(e); r == DropNone || r >= dropEnd {
			t.Errorf("%v maps to %v", e, r)
		}
	}
}

func TestDropReasonNames(t *testing.T) {
	names := make(map[string]bool)
	for r := DropNone; r < dropEnd; r++ {
		n := r.String()
		if n == "" || n == "unknown" || names[n] {
			t.Errorf("reason %d: name %q", r, n)
		}
		names[n] = true
	}
	if dropEnd.String() != "unknown" {
		t.Error("out of range reason has a name")
	}
	if len(DropReasons()) != NumDropReasons-1 {
		t.Error("DropReasons misses some")
	}
}
