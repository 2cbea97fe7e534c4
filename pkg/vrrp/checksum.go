package vrrp

import (
	"encoding/binary"
	"net/netip"
)

// ChecksumKind says how the checksum of a version 3 advertisement over IPv4
// is computed. Version 2 (RFC 3768 §5.3.8) always sums the VRRP message
// alone, and version 3 over IPv6 always adds the IPv6 pseudo-header
// (RFC 5798 §5.2.8, RFC 8200 §8.1): the kind matters for neither.
type ChecksumKind uint8

const (
	// ChecksumStandard: the message plus the IPv4 pseudo-header of the
	// packet's own source and destination (RFC 5798 §5.2.8, with the IPv4
	// pseudo-header layout of RFC 768).
	ChecksumStandard ChecksumKind = iota
	// ChecksumV3AsV2: the message alone, as in version 2, for peers that
	// sum version 3 over IPv4 this way. Releases of keepalived after 2.2.7
	// offer it as "v3_checksum_as_v2"; 2.2.7 has no such option.
	ChecksumV3AsV2
	// ChecksumOldUnicast: the IPv4 pseudo-header with the multicast group
	// (Options.Group4, 224.0.0.18 by default) as destination even though the
	// packet goes to a unicast peer. Old keepalived releases sent unicast
	// version 3 adverts this way; keepalived 2.2.7 sends it with
	// "old_unicast_checksum" and, unless told "never", accepts it and then
	// switches to it.
	ChecksumOldUnicast
)

func (k ChecksumKind) String() string {
	switch k {
	case ChecksumStandard:
		return "standard"
	case ChecksumV3AsV2:
		return "v3_as_v2"
	case ChecksumOldUnicast:
		return "old_unicast"
	}
	return "unknown"
}

// sum adds b to acc as a sequence of big-endian 16-bit words, an odd last
// byte padded with zero (RFC 1071 §4.1). The caller folds.
func sum(acc uint64, b []byte) uint64 {
	for len(b) >= 8 {
		acc += uint64(binary.BigEndian.Uint32(b))
		acc += uint64(binary.BigEndian.Uint32(b[4:]))
		b = b[8:]
	}
	for len(b) >= 2 {
		acc += uint64(binary.BigEndian.Uint16(b))
		b = b[2:]
	}
	if len(b) == 1 {
		acc += uint64(b[0]) << 8
	}
	return acc
}

// fold reduces a 64-bit sum of 16- and 32-bit big-endian words to the 16-bit
// one's complement sum, and complements it (RFC 1071 §4.1).
func fold(acc uint64) uint16 {
	acc = (acc >> 32) + (acc & 0xffffffff)
	acc = (acc >> 32) + (acc & 0xffffffff)
	acc = (acc >> 16) + (acc & 0xffff)
	acc = (acc >> 16) + (acc & 0xffff)
	acc = (acc >> 16) + (acc & 0xffff)
	return ^uint16(acc)
}

// pseudoSum returns the sum of the pseudo-header for a VRRP message of
// length n from src to dst: RFC 768 layout for IPv4 (source, destination,
// zero, protocol, 16-bit length), RFC 8200 §8.1 for IPv6 (source,
// destination, 32-bit length, zeros, next header).
func pseudoSum(src, dst netip.Addr, n int) uint64 {
	var acc uint64
	if src.Is4() {
		s, d := src.As4(), dst.As4()
		acc = sum(acc, s[:])
		acc = sum(acc, d[:])
	} else {
		s, d := src.As16(), dst.As16()
		acc = sum(acc, s[:])
		acc = sum(acc, d[:])
	}
	return acc + uint64(ProtocolVRRP) + uint64(n)
}

// Checksum returns the value of the checksum field of msg, a whole VRRP
// message whose own checksum bytes (6 and 7) are ignored, for the version
// written in msg and the IP facts ip. Version 3 needs ip's source and
// destination; kind and group4 (224.0.0.18 when invalid) apply to version 3
// over IPv4 only. It returns false when msg is shorter than 8 bytes or a
// version 3 message lacks its addresses.
func Checksum(msg []byte, ip IP, kind ChecksumKind, group4 netip.Addr) (uint16, bool) {
	if len(msg) < HeaderLen {
		return 0, false
	}
	pseudo, ok := pseudoFor(msg[0]>>4, ip.normalize(), kind, group4, len(msg))
	if !ok {
		return 0, false
	}
	acc := sum(pseudo, msg[:6])
	acc = sum(acc, msg[8:])
	return fold(acc), true
}

// pseudoFor returns the pseudo-header part of the sum for a message of
// version v and length n, or false when it cannot be computed.
func pseudoFor(v uint8, ip IP, kind ChecksumKind, group4 netip.Addr, n int) (uint64, bool) {
	if v != Version3 || ip.Family == IPv4 && kind == ChecksumV3AsV2 {
		return 0, true
	}
	if !ip.addrsOK() {
		return 0, false
	}
	if ip.Family == IPv6 {
		return pseudoSum(ip.Src, ip.Dst, n), true
	}
	switch kind {
	case ChecksumOldUnicast:
		if !group4.Is4() {
			group4 = Group4
		}
		return pseudoSum(ip.Src, group4, n), true
	}
	return pseudoSum(ip.Src, ip.Dst, n), true
}

// verifyChecksum checks msg's checksum for version v and returns the kind
// that matched: opt's kind first, then the old unicast one when opt accepts
// it and the packet went to a unicast address.
func verifyChecksum(msg []byte, v uint8, ip IP, opt *Options) (ChecksumKind, bool) {
	kind, group := opt.checksum(), opt.group4()
	if v == Version3 && ip.Family == IPv6 {
		kind = ChecksumStandard
	}
	body := sum(0, msg)
	check := func(k ChecksumKind) bool {
		p, ok := pseudoFor(v, ip, k, group, len(msg))
		// A correct message sums, checksum field included, to all ones.
		return ok && fold(body+p) == 0
	}
	if check(kind) {
		return kind, true
	}
	if v == Version3 && ip.Family == IPv4 && opt != nil && opt.AcceptOldUnicastChecksum &&
		kind != ChecksumOldUnicast && ip.Dst.Is4() && !ip.Dst.IsMulticast() && check(ChecksumOldUnicast) {
		return ChecksumOldUnicast, true
	}
	return kind, false
}

// ipv4HeaderChecksum returns the checksum of an IPv4 header whose own
// checksum bytes (10 and 11) are ignored (RFC 791 §3.1).
func ipv4HeaderChecksum(h []byte) uint16 {
	return fold(sum(sum(0, h[:10]), h[12:]))
}
