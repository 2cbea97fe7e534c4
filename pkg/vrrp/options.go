package vrrp

import "net/netip"

// Family is an IP address family.
type Family uint8

// The families, numbered as the IP version.
const (
	IPv4 Family = 4
	IPv6 Family = 6
)

func (f Family) String() string {
	switch f {
	case IPv4:
		return "IPv4"
	case IPv6:
		return "IPv6"
	}
	return "unknown"
}

// IP carries the facts of the IP header that the codec needs beside the VRRP
// message: the family (the width of the addresses in the message) and the
// source and destination (the version 3 pseudo-header, RFC 5798 §5.2.8;
// the AH SPI). A Family other than IPv4 and IPv6 is taken from Src, and is
// IPv4 when Src is invalid too: a version 2 message needs no addresses.
type IP struct {
	Family   Family
	Src, Dst netip.Addr
}

// normalize fills in the family and unmaps IPv4-mapped IPv6 addresses.
func (ip IP) normalize() IP {
	if ip.Family != IPv4 && ip.Family != IPv6 {
		ip.Family = IPv4
		if ip.Src.Is6() && !ip.Src.Is4In6() {
			ip.Family = IPv6
		}
	}
	if ip.Family == IPv4 {
		ip.Src, ip.Dst = ip.Src.Unmap(), ip.Dst.Unmap()
	}
	return ip
}

// addrsOK reports whether Src and Dst are both of the family.
func (ip IP) addrsOK() bool {
	if ip.Family == IPv4 {
		return ip.Src.Is4() && ip.Dst.Is4()
	}
	return ip.Src.Is6() && ip.Dst.Is6() && !ip.Src.Is4In6() && !ip.Dst.Is4In6()
}

// Options tune decoding and encoding to a VRRP instance's configuration. A
// nil *Options is the zero value: no authentication check, the standard
// checksum.
type Options struct {
	// Auth, when not nil, is the version 2 authentication the instance is
	// configured with. Decode then requires the same Auth Type and checks
	// the password or, in DecodeIPv4, the AH integrity check value.
	// EncodeIPv4 takes the AH key from it. Version 3 carries no
	// authentication (RFC 5798 §5.2.5's field is reserved) and ignores it.
	Auth *Auth

	// Checksum is the kind Encode writes and the one Decode accepts for
	// version 3 over IPv4 (keepalived's v3_checksum_as_v2 and
	// old_unicast_checksum); Decode accepts no other kind, but for
	// AcceptOldUnicastChecksum.
	Checksum ChecksumKind

	// AcceptOldUnicastChecksum lets Decode also accept a version 3 IPv4
	// advert to a unicast address summed with the multicast group as
	// pseudo-header destination (ChecksumOldUnicast); Packet.Checksum then
	// reports that kind, so that the caller can switch to it as keepalived
	// does.
	AcceptOldUnicastChecksum bool

	// Group4 is the IPv4 multicast group of ChecksumOldUnicast
	// (vrrp_mcast_group4); 224.0.0.18 when invalid.
	Group4 netip.Addr

	// SkipChecksum makes Decode leave the VRRP checksum unchecked, for an
	// IPv6 socket whose kernel verified it already (IPV6_CHECKSUM).
	SkipChecksum bool
}

func (o *Options) checksum() ChecksumKind {
	if o == nil {
		return ChecksumStandard
	}
	return o.Checksum
}

func (o *Options) group4() netip.Addr {
	if o == nil || !o.Group4.Is4() {
		return Group4
	}
	return o.Group4
}

func (o *Options) auth() *Auth {
	if o == nil {
		return nil
	}
	return o.Auth
}
