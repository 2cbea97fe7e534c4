package transport

import (
	"sync/atomic"

	"github.com/gokeepalived/gokeepalived/pkg/vrrp"
)

// DropReason is the closed set of reasons for which the receive path
// refuses a packet. Every value has exactly one counter slot (Counters), one
// metric label (String) and one log text (log.go).
//
// The values are numbered in the order the checks run, which is
// keepalived 2.2.7's (vrrp_scheduler.c vrrp_dispatcher_read, then vrrp.c
// vrrp_check_packet): a packet with several faults is refused for the first
// one met. Reasons marked "ours" are checks keepalived does not make or
// leaves to the kernel; they are documented where they differ.
type DropReason uint8

const (
	// DropNone: the packet was accepted.
	DropNone DropReason = iota

	// Before the VRID is known (per socket).

	// DropTooShort: fewer bytes than the IPv4 header, the AH header and
	// the 8-byte VRRP header ("IPv4 VRRP packet too short").
	DropTooShort
	// DropIPHeader (ours): the IPv4 header is not one the codec accepts
	// (version, header length, header checksum, fragment, protocol). The
	// kernel already refuses most of these.
	DropIPHeader
	// DropUnknownVRID: no instance on this interface and family has the
	// packet's VRID (logged, as keepalived does, only when asked).
	DropUnknownVRID

	// Per instance, in vrrp_check_packet's order.

	// DropCastMismatch: a multicast advert for a unicast instance or the
	// reverse. keepalived tests it first for IPv6 (in the dispatcher) and
	// after the checksum for IPv4.
	DropCastMismatch
	// DropAHUnexpected: an AH header, but the instance's auth_type is not AH.
	DropAHUnexpected
	// DropAHMissing: no AH header, but the instance's auth_type is AH.
	DropAHMissing
	// DropLength: the bytes received are not the length the VRRP header's
	// version and address count announce (RFC 3768 §7.1, RFC 5798 §7.1).
	DropLength
	// DropTTL: a multicast instance got an advert whose IPv4 TTL or IPv6
	// hop limit is not 255 (RFC 3768 §7.1, RFC 5798 §5.1.1.3, §7.1).
	DropTTL
	// DropVersion: the VRRP version is not the instance's.
	DropVersion
	// DropAuthTypeInvalid: a version 2 Auth Type other than 0, 1 or 2.
	DropAuthTypeInvalid
	// DropAuthTypeMismatch: a version 2 Auth Type other than the instance's.
	DropAuthTypeMismatch
	// DropAuthPassword: the auth_type PASS password is wrong.
	DropAuthPassword
	// DropAHHeader: the AH header is not for VRRP (next header not 112) or
	// is not the 24-byte one keepalived builds; keepalived ignores such a
	// packet silently.
	DropAHHeader
	// DropAHICV: the AH integrity check value (HMAC-MD5-96) is wrong.
	DropAHICV
	// DropAHSPI: the AH SPI is not the IPv4 source address.
	DropAHSPI
	// DropAHReplay: the AH sequence number is not above the last one
	// accepted (keepalived's anti-replay check).
	DropAHReplay
	// DropIntervalMismatch: a version 2 advert whose interval is not the
	// instance's (RFC 3768 §7.1: "MUST ... discard").
	DropIntervalMismatch
	// DropType: the VRRP type is not Advertisement.
	DropType
	// DropAddrCount: the address count is not the number of the
	// instance's virtual addresses (unless skip_check_adv_addr applies).
	DropAddrCount
	// DropTotalLength: the IPv4 total length is not the bytes received.
	DropTotalLength
	// DropChecksum: the VRRP checksum does not verify. For IPv6 keepalived
	// leaves it to the kernel (IPV6_CHECKSUM), which drops silently; we
	// verify it here so that it is counted.
	DropChecksum
	// DropDestination (ours): the advert went to another multicast group
	// than the instance's (mcast_dst_ip), or, unicast, to another local
	// address than its unicast_src_ip. keepalived gets this from binding
	// one socket per group or source; we share one socket per interface.
	DropDestination
	// DropAddrList: one of the instance's virtual addresses is missing
	// from the advert (unless skip_check_adv_addr applies).
	DropAddrList
	// DropUnicastSrc: with check_unicast_src, a unicast advert from an
	// address that is not one of the unicast_peer.
	DropUnicastSrc
	// DropTTLRange: with check_unicast_src, a unicast advert whose TTL or
	// hop limit is outside the peer's min_ttl..max_ttl.
	DropTTLRange
	// DropAdvertInterval (ours): an advertisement interval of zero
	// (pkg/vrrp refuses it; keepalived would adopt it in version 3).
	DropAdvertInterval

	dropEnd // one past the last reason
)

// NumDropReasons is the number of DropReason values, DropNone included: the
// size of an array indexed by reason.
const NumDropReasons = int(dropEnd)

type reasonInfo struct {
	name string // metric label
	// stat is the keepalived per-instance statistic (vrrp_stats, shown in
	// its SIGUSR2 dump) the drop is counted under, "" when none.
	stat string
}

var reasons = [dropEnd]reasonInfo{
	DropNone:             {"none", ""},
	DropTooShort:         {"too_short", ""},
	DropIPHeader:         {"ip_header", ""},
	DropUnknownVRID:      {"unknown_vrid", ""},
	DropCastMismatch:     {"cast_mismatch", "addr_list_err"},
	DropAHUnexpected:     {"ah_unexpected", "authtype_mismatch"},
	DropAHMissing:        {"ah_missing", "authtype_mismatch"},
	DropLength:           {"length", "packet_len_err"},
	DropTTL:              {"ttl", "ip_ttl_err"},
	DropVersion:          {"version", "vers_err"},
	DropAuthTypeInvalid:  {"auth_type_invalid", "invalid_authtype"},
	DropAuthTypeMismatch: {"auth_type_mismatch", "authtype_mismatch"},
	DropAuthPassword:     {"auth_password", "auth_failure"},
	DropAHHeader:         {"ah_header", ""},
	DropAHICV:            {"ah_icv", "auth_failure"},
	DropAHSPI:            {"ah_spi", "auth_failure"},
	DropAHReplay:         {"ah_replay", "auth_failure"},
	DropIntervalMismatch: {"interval_mismatch", ""},
	DropType:             {"type", "invalid_type_rcvd"},
	DropAddrCount:        {"addr_count", "addr_list_err"},
	DropTotalLength:      {"total_length", "packet_len_err"},
	DropChecksum:         {"checksum", "chk_err"},
	DropDestination:      {"destination", ""},
	DropAddrList:         {"addr_list", "addr_list_err"},
	DropUnicastSrc:       {"unicast_src", ""},
	DropTTLRange:         {"ttl_range", "ip_ttl_err"},
	DropAdvertInterval:   {"advert_interval", ""},
}

// String returns the reason's metric label: "ttl", "checksum", ...
func (r DropReason) String() string {
	if r >= dropEnd {
		return "unknown"
	}
	return reasons[r].name
}

// KeepalivedStat returns the name of keepalived's per-instance statistic
// the drop counts towards ("ip_ttl_err", "auth_failure", ...), or "" when
// keepalived counts it nowhere.
func (r DropReason) KeepalivedStat() string {
	if r >= dropEnd {
		return ""
	}
	return reasons[r].stat
}

// DropReasons returns every reason but DropNone, in check order, for
// registering counters up front.
func DropReasons() []DropReason {
	out := make([]DropReason, 0, dropEnd-1)
	for r := DropTooShort; r < dropEnd; r++ {
		out = append(out, r)
	}
	return out
}

// FromDecodeError maps a refusal of pkg/vrrp's decoders onto the reason the
// receive path counts it under. It returns DropNone for nil and for an
// error that carries no vrrp.Error.
func FromDecodeError(err error) DropReason {
	switch vrrp.ReasonOf(err) {
	case 0:
		return DropNone
	case vrrp.ErrTooShort:
		return DropTooShort
	case vrrp.ErrIPHeader:
		return DropIPHeader
	case vrrp.ErrVersion:
		return DropVersion
	case vrrp.ErrType:
		return DropType
	case vrrp.ErrLength:
		return DropLength
	case vrrp.ErrChecksum:
		return DropChecksum
	case vrrp.ErrAuthType:
		return DropAuthTypeMismatch
	case vrrp.ErrAuthMismatch:
		return DropAuthPassword
	case vrrp.ErrAHHeader:
		return DropAHHeader
	case vrrp.ErrAdvertInterval:
		return DropAdvertInterval
	default:
		// vrrp.ErrAddrFamily is the encoders' only; anything newer is a
		// malformed packet all the same.
		return DropIPHeader
	}
}

// Counters counts received packets by outcome: one slot per DropReason,
// DropNone being the accepted ones. The zero value is ready; every method
// is safe for concurrent use.
type Counters struct {
	n [dropEnd]atomic.Uint64
}

// Add counts one packet under r.
func (c *Counters) Add(r DropReason) {
	if r < dropEnd {
		c.n[r].Add(1)
	}
}

// Get returns the count of r (DropNone: accepted packets).
func (c *Counters) Get(r DropReason) uint64 {
	if r >= dropEnd {
		return 0
	}
	return c.n[r].Load()
}

// Accepted returns the number of packets accepted.
func (c *Counters) Accepted() uint64 { return c.n[DropNone].Load() }

// Dropped returns the number of packets dropped, all reasons together.
func (c *Counters) Dropped() uint64 {
	var t uint64
	for r := DropTooShort; r < dropEnd; r++ {
		t += c.n[r].Load()
	}
	return t
}

// Snapshot returns every count, indexed by DropReason.
func (c *Counters) Snapshot() [NumDropReasons]uint64 {
	var s [NumDropReasons]uint64
	for r := range s {
		s[r] = c.n[r].Load()
	}
	return s
}
