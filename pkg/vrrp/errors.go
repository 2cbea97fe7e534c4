package vrrp

import "errors"

// Error is the closed set of reasons for which Decode, DecodeIPv4 and the
// encoders refuse a packet. A receive path can keep one drop counter per
// value (see Errors) and label it with String.
//
// The decoders return an Error as their error value; ReasonOf recovers it
// from an error that may have been wrapped.
type Error uint8

// The reasons. Decode and DecodeIPv4 say in which order they check: a
// packet with several faults is reported under the first one met.
const (
	// ErrTooShort: fewer bytes than the fixed part of the header being read
	// (the 8-byte VRRP header, a 20-byte IPv4 header, a 24-byte AH header).
	ErrTooShort Error = iota + 1
	// ErrIPHeader: DecodeIPv4 only. Not IPv4, a header length below 20 or
	// beyond the buffer, a fragment, a bad IPv4 header checksum, or a protocol
	// other than VRRP (112) or AH (51).
	ErrIPHeader
	// ErrVersion: the version nibble is neither 2 nor 3, or version 2 over
	// IPv6 (RFC 3768 §5.3.1 defines VRRPv2 for IPv4 only).
	ErrVersion
	// ErrType: the type nibble is not 1, Advertisement (RFC 3768 §5.3.2,
	// RFC 5798 §5.2.2).
	ErrType
	// ErrLength: the message length does not match the Count IP Addrs field
	// (8 bytes + 4 or 16 per address, + 8 auth bytes in version 2), or the
	// IPv4 total length does not match the bytes received.
	ErrLength
	// ErrChecksum: the VRRP checksum does not verify (RFC 3768 §5.3.8,
	// RFC 5798 §5.2.8), or cannot be verified because a version 3 packet
	// came without its IP source and destination.
	ErrChecksum
	// ErrAuthType: version 2 Auth Type not 0, 1 or 2; or not the type the
	// receiver is configured with; or an AH header without Auth Type 2 (or
	// the reverse); or authentication on a version 3 packet.
	ErrAuthType
	// ErrAuthMismatch: the simple text password (8 bytes, compared in full)
	// or the AH integrity check value is wrong.
	ErrAuthMismatch
	// ErrAHHeader: the IPsec AH header is not the one keepalived builds:
	// next header not 112, payload length not 4, or (when authentication is
	// checked) an SPI other than the IPv4 source address.
	ErrAHHeader
	// ErrAdvertInterval: an advertisement interval of zero (decode), or
	// one that does not fit its field (encode: 255 s in version 2, 4095 cs
	// in version 3, RFC 5798 §5.2.7).
	ErrAdvertInterval
	// ErrAddrFamily: encode only. An address is not of the packet's family,
	// a version 3 packet has no IP source or destination of that family, or
	// more than 255 addresses are given.
	ErrAddrFamily

	errEnd // one past the last reason
)

var errorNames = [errEnd]string{
	ErrTooShort:       "too_short",
	ErrIPHeader:       "ip_header",
	ErrVersion:        "version",
	ErrType:           "type",
	ErrLength:         "length",
	ErrChecksum:       "checksum",
	ErrAuthType:       "auth_type",
	ErrAuthMismatch:   "auth_mismatch",
	ErrAHHeader:       "ah_header",
	ErrAdvertInterval: "advert_interval",
	ErrAddrFamily:     "addr_family",
}

var errorText = [errEnd]string{
	ErrTooShort:       "packet too short",
	ErrIPHeader:       "bad IPv4 header",
	ErrVersion:        "bad VRRP version",
	ErrType:           "bad VRRP type",
	ErrLength:         "length does not match address count",
	ErrChecksum:       "bad VRRP checksum",
	ErrAuthType:       "bad or unexpected auth type",
	ErrAuthMismatch:   "authentication failed",
	ErrAHHeader:       "bad IPsec AH header",
	ErrAdvertInterval: "bad advertisement interval",
	ErrAddrFamily:     "address family mismatch",
}

// String returns the reason's name, in lower case with underscores, fit for
// a metric label: "too_short", "checksum", ...
func (e Error) String() string {
	if e == 0 || e >= errEnd {
		return "unknown"
	}
	return errorNames[e]
}

// Error implements the error interface: "vrrp: bad VRRP checksum".
func (e Error) Error() string {
	if e == 0 || e >= errEnd {
		return "vrrp: unknown error"
	}
	return "vrrp: " + errorText[e]
}

// Errors returns every reason, in order, for registering counters up front.
func Errors() []Error {
	out := make([]Error, 0, errEnd-1)
	for e := ErrTooShort; e < errEnd; e++ {
		out = append(out, e)
	}
	return out
}

// ReasonOf returns the Error inside err, or 0 when err is nil or carries
// none.
func ReasonOf(err error) Error {
	if err == nil {
		return 0 // without errors.As, whose target would be allocated
	}
	var e Error
	if errors.As(err, &e) {
		return e
	}
	return 0
}
