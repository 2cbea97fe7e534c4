package vrrp

import (
	"crypto/md5"
	"crypto/subtle"
	"encoding/binary"
)

// AuthType is the version 2 Auth Type field (RFC 3768 §5.3.6). RFC 3768
// keeps only 0; types 1 and 2 come from RFC 2338 §5.3.6 and are what
// keepalived sends for auth_type PASS and AH.
type AuthType uint8

const (
	AuthNone AuthType = 0 // no authentication
	AuthPass AuthType = 1 // simple text password (RFC 2338 §5.3.6)
	AuthAH   AuthType = 2 // IP Authentication Header (RFC 2338 §5.3.6)
)

func (t AuthType) String() string {
	switch t {
	case AuthNone:
		return "none"
	case AuthPass:
		return "PASS"
	case AuthAH:
		return "AH"
	}
	return "unknown"
}

// AuthDataLen is the length of the version 2 Authentication Data field and
// of a password: longer ones are cut to it (RFC 2338 §5.3.10).
const AuthDataLen = 8

// Auth is an instance's version 2 authentication.
type Auth struct {
	Type AuthType
	// Key is the password, zero-padded: for PASS it is the Authentication
	// Data field, compared in full; for AH it is the HMAC-MD5 key, all 8
	// bytes of it, padding included, as keepalived uses it.
	Key [AuthDataLen]byte
}

// NewAuth returns the authentication of keepalived's auth_type/auth_pass:
// the password cut to 8 bytes and zero-padded.
func NewAuth(t AuthType, password string) *Auth {
	a := &Auth{Type: t}
	copy(a.Key[:], password)
	return a
}

// AH header facts (RFC 2402 §2, now RFC 4302 §2) as keepalived fills them
// for VRRP: a 24-byte header carrying an HMAC-MD5-96 integrity check value
// (RFC 2403).
const (
	AHLen        = 24 // next header, payload length, reserved, SPI, sequence, ICV
	ahPayloadLen = 4  // header length in 32-bit words minus 2 (RFC 2402 §2.2)
	ICVLen       = 12 // HMAC-MD5 truncated to 96 bits (RFC 2403 §3)
)

// AH is an IPsec Authentication Header seen before, or to be put before, a
// version 2 message. keepalived sets NextHeader 112, PayloadLen 4,
// Reserved 0, SPI the IPv4 source address, and Seq one more for every
// advert since it started sending.
type AH struct {
	Present    bool // the packet has (or is to have) an AH header
	NextHeader uint8
	PayloadLen uint8
	Reserved   uint16
	SPI        uint32
	Seq        uint32
	ICV        [ICVLen]byte
}

// parseAH reads an AH header from b (at least AHLen bytes).
func parseAH(b []byte, ah *AH) {
	ah.Present = true
	ah.NextHeader = b[0]
	ah.PayloadLen = b[1]
	ah.Reserved = binary.BigEndian.Uint16(b[2:])
	ah.SPI = binary.BigEndian.Uint32(b[4:])
	ah.Seq = binary.BigEndian.Uint32(b[8:])
	copy(ah.ICV[:], b[12:AHLen])
}

// maxAHPacket bounds the IPv4 packet that computeICV authenticates: a
// 60-byte header, AH and the longest version 2 message (255 addresses).
const maxAHPacket = 60 + AHLen + HeaderLen + 255*4 + AuthDataLen

// computeICV returns the integrity check value keepalived computes for an
// AH-protected advert: HMAC-MD5 (RFC 2104) keyed with the 8-byte padded
// password, over the whole IPv4 packet as sent, with the mutable fields
// zeroed as RFC 2402 §3.3.3.1.1.1 asks for the ones it knows: type of
// service, flags and fragment offset, header checksum, and the ICV itself;
// the TTL only when the packet goes to a unicast address (keepalived leaves
// it, 255, in multicast adverts). pkt is the packet from its first header
// byte, ihl its header length; pkt is not modified. It returns false when
// pkt is longer than any advert.
func computeICV(pkt []byte, ihl int, key *[AuthDataLen]byte) (icv [ICVLen]byte, ok bool) {
	const block = 64 // MD5 block size
	var buf [block + maxAHPacket]byte
	if len(pkt) > maxAHPacket {
		return icv, false
	}
	n := copy(buf[block:], pkt)
	p := buf[block : block+n]
	p[1] = 0                // type of service
	p[6], p[7] = 0, 0       // flags, fragment offset
	p[10], p[11] = 0, 0     // header checksum
	if p[16]&0xf0 != 0xe0 { // destination not in 224.0.0.0/4: unicast
		p[8] = 0 // time to live
	}
	clear(p[ihl+12 : ihl+AHLen]) // the ICV

	// inner = MD5((key XOR ipad) || packet), RFC 2104 §2
	for i := range block {
		k := byte(0)
		if i < AuthDataLen {
			k = key[i]
		}
		buf[i] = k ^ 0x36
	}
	inner := md5.Sum(buf[:block+n])
	// outer = MD5((key XOR opad) || inner)
	var obuf [block + md5.Size]byte
	for i := range block {
		k := byte(0)
		if i < AuthDataLen {
			k = key[i]
		}
		obuf[i] = k ^ 0x5c
	}
	copy(obuf[block:], inner[:])
	outer := md5.Sum(obuf[:])
	copy(icv[:], outer[:ICVLen])
	return icv, true
}

// checkPass compares a received Authentication Data field with the key, all
// 8 bytes, in constant time.
func checkPass(data, key *[AuthDataLen]byte) bool {
	return subtle.ConstantTimeCompare(data[:], key[:]) == 1
}

// checkICV compares two integrity check values in constant time.
func checkICV(a, b *[ICVLen]byte) bool {
	return subtle.ConstantTimeCompare(a[:], b[:]) == 1
}
