package vrrp

import "testing"

// Decode and encode of the golden adverts, into a Packet and a buffer the
// caller keeps: no allocation.
func BenchmarkDecode(b *testing.B) {
	for _, name := range []string{"v2-pass", "v3-ipv4", "v3-ipv6"} {
		g := goldenByName(b, name)
		c := loadGolden(b, name)[0]
		msg, ip := c.msg, IP{Family: IPv6, Src: c.src, Dst: c.dst}
		if g.family == IPv4 {
			msg, ip = c.ip[20:], IP{Family: IPv4, Src: c.src, Dst: c.dst}
		}
		opt := g.options()
		b.Run(name, func(b *testing.B) {
			var p Packet
			b.ReportAllocs()
			b.SetBytes(int64(len(msg)))
			for b.Loop() {
				if err := Decode(msg, ip, &p, opt); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkDecodeIPv4(b *testing.B) {
	for _, name := range []string{"v2-pass", "v2-ah", "v3-unicast-old"} {
		g := goldenByName(b, name)
		pkt := loadGolden(b, name)[0].ip
		opt := g.options()
		b.Run(name, func(b *testing.B) {
			var p Packet
			var h IPv4Header
			b.ReportAllocs()
			b.SetBytes(int64(len(pkt)))
			for b.Loop() {
				if err := DecodeIPv4(pkt, &h, &p, opt); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkEncode(b *testing.B) {
	for _, name := range []string{"v2-pass", "v3-ipv4", "v3-ipv6"} {
		g := goldenByName(b, name)
		c := loadGolden(b, name)[0]
		var p Packet
		ip := IP{Family: g.family, Src: c.src, Dst: c.dst}
		if g.family == IPv4 {
			var h IPv4Header
			if err := DecodeIPv4(c.ip, &h, &p, g.options()); err != nil {
				b.Fatal(err)
			}
		} else if err := Decode(c.msg, ip, &p, g.options()); err != nil {
			b.Fatal(err)
		}
		opt := g.options()
		b.Run(name, func(b *testing.B) {
			buf := make([]byte, 0, 1500)
			b.ReportAllocs()
			for b.Loop() {
				var err error
				if buf, err = Encode(buf[:0], ip, &p, opt); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkEncodeIPv4(b *testing.B) {
	for _, name := range []string{"v2-pass", "v2-ah"} {
		g := goldenByName(b, name)
		c := loadGolden(b, name)[0]
		var p Packet
		var h IPv4Header
		if err := DecodeIPv4(c.ip, &h, &p, g.options()); err != nil {
			b.Fatal(err)
		}
		opt := g.options()
		b.Run(name, func(b *testing.B) {
			buf := make([]byte, 0, 1500)
			b.ReportAllocs()
			for b.Loop() {
				var err error
				if buf, err = EncodeIPv4(buf[:0], &h, &p, opt); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
