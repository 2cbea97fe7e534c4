// Package vrrp encodes and decodes VRRP advertisements: version 2
// (RFC 3768) over IPv4 and version 3 (RFC 5798, RFC 9568) over IPv4 and
// IPv6, with their checksums, and the version 2 authentication keepalived
// still speaks: a simple text password and IPsec AH (RFC 2338 §5.3.6).
//
// Decode reads a VRRP message, the IP payload, given the IP facts it needs
// (family, source, destination); DecodeIPv4 reads a whole IPv4 packet as a
// raw socket receives it, including an AH header, whose check needs the IP
// header. Encode and EncodeIPv4 are their inverses. Every refusal is one of
// the Error values.
//
// The packets are the ones keepalived 2.2.7 puts on the wire; the golden
// captures in testdata/golden, made with test/lab/capture.sh, are checked
// in both directions.
package vrrp

import (
	"encoding/binary"
	"net/netip"
)

// Protocol numbers and fixed values.
const (
	ProtocolVRRP = 112 // IP protocol number (RFC 3768 §5.2.4, RFC 5798 §5.1.1.4)
	ProtocolAH   = 51  // IPsec Authentication Header (RFC 2402)

	Version2 = 2 // RFC 3768 §5.3.1
	Version3 = 3 // RFC 5798 §5.2.1

	TypeAdvertisement = 1 // the only type (RFC 3768 §5.3.2, RFC 5798 §5.2.2)

	HeaderLen = 8 // the fixed part of the message, before the addresses

	TTL = 255 // IPv4 TTL / IPv6 hop limit of a multicast advert (RFC 5798 §5.1.1.3)

	MaxAdvertIntervalV2 = 255  // seconds, 8 bits (RFC 3768 §5.3.7)
	MaxAdvertIntervalV3 = 4095 // centiseconds, 12 bits (RFC 5798 §5.2.7)
	MaxAddrs            = 255  // Count IP Addrs is 8 bits
)

// The multicast groups adverts are sent to (RFC 5798 §5.1.1.2, §5.1.2.2).
var (
	Group4 = netip.AddrFrom4([4]byte{224, 0, 0, 18})
	Group6 = netip.AddrFrom16([16]byte{0: 0xff, 1: 0x02, 15: 0x12})
)

// Packet is a decoded VRRP advertisement, or one to encode.
type Packet struct {
	Version  uint8 // 2 or 3
	Type     uint8 // TypeAdvertisement
	VRID     uint8 // Virtual Rtr ID
	Priority uint8 // 0: the master stops; 255: the address owner

	// CountAddrs is the Count IP Addrs field as received. Encode writes
	// len(Addrs) and ignores it.
	CountAddrs uint8

	// AuthType is version 2's Auth Type (RFC 3768 §5.3.6); always
	// AuthNone in version 3.
	AuthType AuthType

	// AdvertInterval is in seconds in version 2 (Adver Int, 8 bits,
	// RFC 3768 §5.3.7) and in centiseconds in version 3 (Max Adver Int,
	// 12 bits, RFC 5798 §5.2.7).
	AdvertInterval uint16

	// Reserved is version 3's 4 reserved bits before the interval
	// (RFC 5798 §5.2.5): sent as zero, ignored on receipt, kept here so
	// that a decoded packet encodes back to the same bytes.
	Reserved uint8

	// Checksum is the checksum field as received; Encode computes its own.
	Checksum uint16

	// ChecksumKind is how a decoded checksum was computed (version 3 over
	// IPv4); ChecksumStandard otherwise.
	ChecksumKind ChecksumKind

	// Addrs are the virtual addresses, all of the packet's family. Decode
	// reuses the slice's storage: keep a Packet to decode into without
	// allocating.
	Addrs []netip.Addr

	// AuthData is version 2's Authentication Data (RFC 3768 §5.3.10): the
	// zero-padded password with AuthPass, zero with AuthNone and AuthAH in
	// keepalived's adverts, whatever arrived otherwise.
	AuthData [AuthDataLen]byte

	// AH is the IPsec AH header that came before the message (DecodeIPv4),
	// or is to go before it (EncodeIPv4 takes Seq and Reserved from it and
	// computes the rest).
	AH AH
}

// addrLen returns the width of an address of family f.
func addrLen(f Family) int {
	if f == IPv6 {
		return 16
	}
	return 4
}

// MessageLen returns the length of a version v message with n addresses
// of family f: the fixed header, the addresses, and in version 2 the
// authentication data.
func MessageLen(v uint8, f Family, n int) int {
	l := HeaderLen + n*addrLen(f)
	if v == Version2 {
		l += AuthDataLen
	}
	return l
}

// Decode reads the VRRP message b (the IP payload) into p, given the IP
// facts of its packet. It checks, in order: length of the fixed header,
// version (and version 2 over IPv4 only), type, length against the address
// count, checksum, authentication (version 2, against opt.Auth; an AH
// integrity check value needs DecodeIPv4), and the advertisement interval.
// It returns nil or an Error. On error, p holds the fixed header fields when
// b had 8 bytes (for logs), and no addresses. p's address storage is reused.
func Decode(b []byte, ip IP, p *Packet, opt *Options) error {
	ip = ip.normalize()
	*p = Packet{Addrs: p.Addrs[:0]}
	if err := decodeMessage(b, ip, p, opt); err != nil {
		return err
	}
	if err := checkAuth(nil, 0, ip, p, opt); err != nil {
		return err
	}
	return checkInterval(p)
}

// decodeMessage reads the message fields into p, zero but for its AH and
// its empty address list, and checks the structure and checksum.
func decodeMessage(b []byte, ip IP, p *Packet, opt *Options) error {
	if len(b) < HeaderLen {
		return ErrTooShort
	}
	v, t := b[0]>>4, b[0]&0x0f
	p.Version, p.Type = v, t
	p.VRID, p.Priority, p.CountAddrs = b[1], b[2], b[3]
	p.Checksum = binary.BigEndian.Uint16(b[6:])
	switch v {
	case Version2:
		// RFC 3768 §5.3.6, §5.3.7
		p.AuthType, p.AdvertInterval = AuthType(b[4]), uint16(b[5])
	case Version3:
		// RFC 5798 §5.2.5, §5.2.7: 4 reserved bits, 12 bits of interval
		w := binary.BigEndian.Uint16(b[4:])
		p.AdvertInterval, p.Reserved = w&0x0fff, uint8(w>>12)
	}
	if v != Version2 && v != Version3 || v == Version2 && ip.Family == IPv6 {
		return ErrVersion
	}
	if t != TypeAdvertisement {
		return ErrType
	}
	n := int(b[3])
	if len(b) != MessageLen(v, ip.Family, n) {
		return ErrLength
	}
	if opt == nil || !opt.SkipChecksum {
		kind, ok := verifyChecksum(b, v, ip, opt)
		if !ok {
			return ErrChecksum
		}
		p.ChecksumKind = kind
	}

	if cap(p.Addrs) < n {
		p.Addrs = make([]netip.Addr, 0, n)
	}
	a := b[HeaderLen:]
	if ip.Family == IPv6 {
		for i := 0; i < n; i++ {
			p.Addrs = append(p.Addrs, netip.AddrFrom16([16]byte(a[i*16:])))
		}
	} else {
		for i := 0; i < n; i++ {
			p.Addrs = append(p.Addrs, netip.AddrFrom4([4]byte(a[i*4:])))
		}
	}
	if v == Version2 {
		copy(p.AuthData[:], b[len(b)-AuthDataLen:])
	}
	return nil
}

// checkAuth checks a decoded message's authentication. pkt is the whole
// IPv4 packet and ihl its header length when DecodeIPv4 calls, nil
// otherwise.
func checkAuth(pkt []byte, ihl int, ip IP, p *Packet, opt *Options) error {
	if p.Version == Version3 {
		if p.AH.Present {
			return ErrAuthType // RFC 5798 §9: no authentication in version 3
		}
		return nil
	}
	t := p.AuthType
	if t > AuthAH {
		return ErrAuthType
	}
	if pkt != nil && p.AH.Present != (t == AuthAH) {
		return ErrAuthType
	}
	a := opt.auth()
	if a == nil {
		return nil
	}
	if a.Type != t {
		return ErrAuthType
	}
	switch t {
	case AuthPass:
		if !checkPass(&p.AuthData, &a.Key) {
			return ErrAuthMismatch
		}
	case AuthAH:
		if pkt == nil {
			return ErrAuthMismatch // the ICV covers the IP header: DecodeIPv4
		}
		icv, ok := computeICV(pkt, ihl, &a.Key)
		if !ok || !checkICV(&icv, &p.AH.ICV) {
			return ErrAuthMismatch
		}
		if src := ip.Src.As4(); p.AH.SPI != binary.BigEndian.Uint32(src[:]) {
			return ErrAHHeader
		}
	}
	return nil
}

// checkInterval refuses an advertisement interval of zero.
func checkInterval(p *Packet) error {
	if p.AdvertInterval == 0 {
		return ErrAdvertInterval
	}
	return nil
}

// Encode appends to dst the VRRP message of p for a packet with the IP
// facts ip, computing the checksum (of opt's kind for version 3 over IPv4)
// into it, and returns the extended slice. It writes only messages Decode
// accepts: version 2 or 3 (2 over IPv4 only), type Advertisement, at most
// 255 addresses all of the family, an interval from 1 to 255 s (version 2)
// or 4095 cs (version 3), a version 2 Auth Type of 0, 1 or 2 and none in
// version 3; version 3 also needs ip's source and destination, unless
// summed as version 2. The
// version 2 Authentication Data is p.AuthData.
func Encode(dst []byte, ip IP, p *Packet, opt *Options) ([]byte, error) {
	ip = ip.normalize()
	if err := checkEncode(ip, p, opt); err != nil {
		return dst, err
	}
	start := len(dst)
	n := len(p.Addrs)
	v := p.Version
	dst = append(dst, v<<4|p.Type, p.VRID, p.Priority, uint8(n))
	if v == Version2 {
		dst = append(dst, uint8(p.AuthType), uint8(p.AdvertInterval))
	} else {
		dst = binary.BigEndian.AppendUint16(dst, uint16(p.Reserved&0x0f)<<12|p.AdvertInterval)
	}
	dst = append(dst, 0, 0) // checksum, below
	for _, a := range p.Addrs {
		if ip.Family == IPv6 {
			b := a.As16()
			dst = append(dst, b[:]...)
		} else {
			b := a.Unmap().As4()
			dst = append(dst, b[:]...)
		}
	}
	if v == Version2 {
		dst = append(dst, p.AuthData[:]...)
	}
	msg := dst[start:]
	kind := opt.checksum()
	sum, _ := Checksum(msg, ip, kind, opt.group4())
	binary.BigEndian.PutUint16(msg[6:], sum)
	return dst, nil
}

// checkEncode refuses what Encode cannot write as a valid message.
func checkEncode(ip IP, p *Packet, opt *Options) error {
	v := p.Version
	if v != Version2 && v != Version3 || v == Version2 && ip.Family == IPv6 {
		return ErrVersion
	}
	if p.Type != TypeAdvertisement {
		return ErrType
	}
	if len(p.Addrs) > MaxAddrs {
		return ErrAddrFamily
	}
	for _, a := range p.Addrs {
		// Over IPv6 any IPv6 address goes, IPv4-mapped ones included;
		// over IPv4, IPv4 addresses, mapped or not.
		if ip.Family == IPv6 && !a.Is6() || ip.Family == IPv4 && !a.Unmap().Is4() {
			return ErrAddrFamily
		}
	}
	if _, ok := pseudoFor(v, ip, opt.checksum(), opt.group4(), 0); !ok {
		return ErrAddrFamily // version 3 needs the pseudo-header's addresses
	}
	max := uint16(MaxAdvertIntervalV3)
	if v == Version2 {
		max = MaxAdvertIntervalV2
	}
	if p.AdvertInterval == 0 || p.AdvertInterval > max {
		return ErrAdvertInterval
	}
	if v == Version2 && p.AuthType > AuthAH || v == Version3 && p.AuthType != AuthNone {
		return ErrAuthType
	}
	return nil
}
