package vrrp

import (
	"encoding/binary"
	"net/netip"
	"testing"
)

// TestInternetChecksum: the one's complement sum of RFC 1071 §3, its
// example, odd lengths, and carries.
func TestInternetChecksum(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want uint16
	}{
		{"RFC 1071 §3 example", []byte{0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7}, ^uint16(0xddf2)},
		{"empty", nil, 0xffff},
		{"odd length pads with zero", []byte{0x01}, ^uint16(0x0100)},
		{"odd length, longer", []byte{0x01, 0x02, 0x03}, ^uint16(0x0102 + 0x0300)},
		{"carry wraps around", []byte{0xff, 0xff, 0x00, 0x01}, ^uint16(0x0001)},
		{"all ones", []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, 0},
		{"nine bytes, 8-byte stride then tail", []byte{1, 2, 3, 4, 5, 6, 7, 8, 9},
			^uint16(0x0102 + 0x0304 + 0x0506 + 0x0708 + 0x0900)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := fold(sum(0, tt.in)); got != tt.want {
				t.Fatalf("got %#04x, want %#04x", got, tt.want)
			}
		})
	}
}

// TestChecksumMatchesWordSum: the 8-byte stride agrees with a plain sum of
// 16-bit words for every length.
func TestChecksumMatchesWordSum(t *testing.T) {
	b := make([]byte, 300)
	for i := range b {
		b[i] = byte(i*37 + 11)
	}
	for n := 0; n <= len(b); n++ {
		var acc uint32
		for i := 0; i+1 < n; i += 2 {
			acc += uint32(b[i])<<8 | uint32(b[i+1])
		}
		if n%2 == 1 {
			acc += uint32(b[n-1]) << 8
		}
		for acc > 0xffff {
			acc = acc>>16 + acc&0xffff
		}
		if got, want := fold(sum(0, b[:n])), ^uint16(acc); got != want {
			t.Fatalf("length %d: %#04x, want %#04x", n, got, want)
		}
	}
}

// TestChecksumKinds: the sums of RFC 5798 §5.2.8 and keepalived's two
// variants, computed by hand from the pseudo-header layouts.
func TestChecksumKinds(t *testing.T) {
	msg := []byte{0x31, 1, 100, 1, 0, 100, 0xaa, 0xbb, 10, 0, 0, 1}
	body := uint32(0x3101 + 0x6401 + 0x0064 + 0x0a00 + 0x0001)
	ph := func(s, d [4]byte) uint32 {
		w := func(a, b byte) uint32 { return uint32(a)<<8 | uint32(b) }
		return w(s[0], s[1]) + w(s[2], s[3]) + w(d[0], d[1]) + w(d[2], d[3]) + ProtocolVRRP + uint32(len(msg))
	}
	fold32 := func(a uint32) uint16 {
		for a > 0xffff {
			a = a>>16 + a&0xffff
		}
		return ^uint16(a)
	}
	group := netip.MustParseAddr("224.0.0.18")
	other := netip.MustParseAddr("239.1.1.1")
	uni := IP{Family: IPv4, Src: src4, Dst: uni4}
	tests := []struct {
		name  string
		ip    IP
		kind  ChecksumKind
		group netip.Addr
		want  uint16
	}{
		{"standard", uni, ChecksumStandard, netip.Addr{}, fold32(body + ph(src4.As4(), uni4.As4()))},
		{"as v2", uni, ChecksumV3AsV2, netip.Addr{}, fold32(body)},
		{"old unicast", uni, ChecksumOldUnicast, netip.Addr{}, fold32(body + ph(src4.As4(), group.As4()))},
		{"old unicast, other group", uni, ChecksumOldUnicast, other, fold32(body + ph(src4.As4(), other.As4()))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := Checksum(msg, tt.ip, tt.kind, tt.group)
			if !ok || got != tt.want {
				t.Fatalf("got %#04x %v, want %#04x", got, ok, tt.want)
			}
		})
	}

	// IPv6: RFC 8200 §8.1 pseudo-header, whatever the kind.
	m6 := make([]byte, 24)
	copy(m6, []byte{0x31, 1, 100, 1, 0, 100})
	copy(m6[8:], netip.MustParseAddr("2001:db8::1").AsSlice())
	want6, _ := Checksum(m6, ip6, ChecksumStandard, netip.Addr{})
	for _, k := range []ChecksumKind{ChecksumV3AsV2, ChecksumOldUnicast} {
		if got, _ := Checksum(m6, ip6, k, netip.Addr{}); got != want6 {
			t.Errorf("IPv6 with kind %v: %#04x, want %#04x", k, got, want6)
		}
	}
	var acc uint32
	for _, b := range [][]byte{src6.AsSlice(), Group6.AsSlice(), m6} {
		for i := 0; i < len(b); i += 2 {
			acc += uint32(binary.BigEndian.Uint16(b[i:]))
		}
	}
	if got := fold32(acc + 24 + ProtocolVRRP); got != want6 {
		t.Errorf("IPv6: %#04x, want %#04x", want6, got)
	}

	// Version 2 ignores the IP facts; version 3 without them fails.
	m2 := append([]byte{0x21}, msg[1:]...)
	if a, _ := Checksum(m2, IP{}, ChecksumStandard, netip.Addr{}); a != fold32(0x2101+0x6401+0x0064+0x0a00+0x0001) {
		t.Errorf("v2: %#04x", a)
	}
	if _, ok := Checksum(msg, IP{Family: IPv4}, ChecksumStandard, netip.Addr{}); ok {
		t.Error("v3 without addresses: ok")
	}
	if _, ok := Checksum(msg[:7], uni, ChecksumStandard, netip.Addr{}); ok {
		t.Error("7 bytes: ok")
	}
}

func TestChecksumKindString(t *testing.T) {
	for k, want := range map[ChecksumKind]string{ChecksumStandard: "standard", ChecksumV3AsV2: "v3_as_v2",
		ChecksumOldUnicast: "old_unicast", 9: "unknown"} {
		if got := k.String(); got != want {
			t.Errorf("%d: %q, want %q", k, got, want)
		}
	}
}
