package vrrp

import (
	"encoding/binary"
	"net/netip"
)

// IPv4 header facts (RFC 791 §3.1).
const (
	IPv4HeaderLen = 20 // without options

	// TOSInternetControl is the type of service keepalived sends adverts
	// with: precedence 6, internetwork control.
	TOSInternetControl = 0xc0
)

// IPv4Header is the IPv4 header of an advert, as DecodeIPv4 reads it and
// EncodeIPv4 writes it.
type IPv4Header struct {
	HeaderLen int // bytes, options included; EncodeIPv4 writes 20
	TOS       uint8
	TotalLen  uint16 // EncodeIPv4 computes it
	ID        uint16
	FragOff   uint16 // flags and fragment offset, as on the wire
	TTL       uint8
	Protocol  uint8  // ProtocolVRRP or ProtocolAH; EncodeIPv4 chooses
	Checksum  uint16 // EncodeIPv4 computes it
	Src, Dst  netip.Addr
}

// NewIPv4Header returns the header keepalived puts on an advert from src to
// dst: type of service 0xc0, TTL 255, no fragmentation flags.
func NewIPv4Header(src, dst netip.Addr, id uint16) IPv4Header {
	return IPv4Header{TOS: TOSInternetControl, TTL: TTL, ID: id, Src: src, Dst: dst}
}

// DecodeIPv4 reads a whole IPv4 packet b, as a raw IPv4 socket receives it,
// into h and p. Beyond Decode's checks, it refuses a header that is not
// IPv4, a bad header length or checksum, a fragment, a total length other
// than len(b), and a protocol other than VRRP or AH; it reads the AH header
// keepalived puts before a version 2 message with auth_type AH, and checks
// its integrity check value when opt.Auth is AH. It returns nil or an Error.
// The TTL (RFC 5798 §5.1.1.3: 255, which keepalived does not require from
// unicast peers) is left to the caller, in h.TTL.
func DecodeIPv4(b []byte, h *IPv4Header, p *Packet, opt *Options) error {
	*p = Packet{Addrs: p.Addrs[:0]}
	if len(b) < IPv4HeaderLen {
		return ErrTooShort
	}
	ihl := int(b[0]&0x0f) * 4
	if b[0]>>4 != 4 || ihl < IPv4HeaderLen || ihl > len(b) {
		return ErrIPHeader
	}
	h.HeaderLen = ihl
	h.TOS = b[1]
	h.TotalLen = binary.BigEndian.Uint16(b[2:])
	h.ID = binary.BigEndian.Uint16(b[4:])
	h.FragOff = binary.BigEndian.Uint16(b[6:])
	h.TTL = b[8]
	h.Protocol = b[9]
	h.Checksum = binary.BigEndian.Uint16(b[10:])
	h.Src = netip.AddrFrom4([4]byte(b[12:]))
	h.Dst = netip.AddrFrom4([4]byte(b[16:]))
	// A correct header sums, checksum included, to all ones (RFC 791 §3.1).
	if fold(sum(0, b[:ihl])) != 0 || h.FragOff&0x3fff != 0 {
		return ErrIPHeader // bad checksum, or more fragments / an offset
	}
	if int(h.TotalLen) != len(b) {
		return ErrLength
	}

	off := ihl
	switch h.Protocol {
	case ProtocolVRRP:
	case ProtocolAH:
		if len(b)-ihl < AHLen {
			return ErrTooShort
		}
		parseAH(b[ihl:], &p.AH)
		if p.AH.NextHeader != ProtocolVRRP || p.AH.PayloadLen != ahPayloadLen {
			return ErrAHHeader
		}
		off += AHLen
	default:
		return ErrIPHeader
	}

	ip := IP{Family: IPv4, Src: h.Src, Dst: h.Dst}
	if err := decodeMessage(b[off:], ip, p, opt); err != nil {
		return err
	}
	if err := checkAuth(b, ihl, ip, p, opt); err != nil {
		return err
	}
	return checkInterval(p)
}

// EncodeIPv4 appends to dst a whole IPv4 packet, for a raw socket with
// IP_HDRINCL: a 20-byte header from h (TOS, ID, FragOff, TTL, Src, Dst; the
// length, protocol and checksum computed), then for a version 2 packet with
// AuthType AH the AH header keepalived builds (SPI the source address,
// sequence number p.AH.Seq, HMAC-MD5-96 keyed with opt.Auth, which must be
// AH), then the message as Encode writes it.
func EncodeIPv4(dst []byte, h *IPv4Header, p *Packet, opt *Options) ([]byte, error) {
	src, to := h.Src.Unmap(), h.Dst.Unmap()
	if !src.Is4() || !to.Is4() {
		return dst, ErrAddrFamily
	}
	ip := IP{Family: IPv4, Src: src, Dst: to}
	if err := checkEncode(ip, p, opt); err != nil {
		return dst, err
	}
	withAH := p.Version == Version2 && p.AuthType == AuthAH
	var key *[AuthDataLen]byte
	if withAH {
		a := opt.auth()
		if a == nil || a.Type != AuthAH {
			return dst, ErrAuthType
		}
		key = &a.Key
	}

	start := len(dst)
	total := IPv4HeaderLen + MessageLen(p.Version, IPv4, len(p.Addrs))
	proto := uint8(ProtocolVRRP)
	if withAH {
		total += AHLen
		proto = ProtocolAH
	}
	dst = append(dst, 0x45, h.TOS)
	dst = binary.BigEndian.AppendUint16(dst, uint16(total))
	dst = binary.BigEndian.AppendUint16(dst, h.ID)
	dst = binary.BigEndian.AppendUint16(dst, h.FragOff)
	dst = append(dst, h.TTL, proto, 0, 0)
	s, d := src.As4(), to.As4()
	dst = append(dst, s[:]...)
	dst = append(dst, d[:]...)
	if withAH {
		dst = append(dst, ProtocolVRRP, ahPayloadLen)
		dst = binary.BigEndian.AppendUint16(dst, p.AH.Reserved)
		dst = append(dst, s[:]...) // SPI
		dst = binary.BigEndian.AppendUint32(dst, p.AH.Seq)
		dst = append(dst, make([]byte, ICVLen)...)
	}
	dst, err := Encode(dst, ip, p, opt)
	if err != nil {
		return dst[:start], err
	}
	pkt := dst[start:]
	if withAH {
		icv, ok := computeICV(pkt, IPv4HeaderLen, key)
		if !ok {
			return dst[:start], ErrLength
		}
		copy(pkt[IPv4HeaderLen+12:], icv[:])
	}
	binary.BigEndian.PutUint16(pkt[10:], ipv4HeaderChecksum(pkt[:IPv4HeaderLen]))
	return dst, nil
}
