package transport

import (
	"encoding/binary"
	"fmt"
	"net/netip"
	"sync"
	"time"

	"github.com/gokeepalived/gokeepalived/pkg/vrrp"
)

// Every line the transport logs is defined here, once. Lines marked
// keepalived are keepalived 2.2.7's wording (vrrp.c, vrrp_scheduler.c),
// which operators grep for; the others are ours, for drops keepalived makes
// silently or not at all.
const (
	// The socket a registration uses, logged once per socket at start-up
	// with -D (keepalived 2.2.7, observed: one line per interface,
	// family, protocol and multicast group or unicast source; the odd
	// " , unicast" is keepalived's).
	msgSockpool          = "VRRP sockpool: [ifindex(%3d), family(%s), proto(%d), fd(%d,%d)%s, address(%s)]"
	msgSockpoolMulticast = " multicast"
	msgSockpoolUnicast   = " , unicast"

	// Before the instance is known.
	msgTooShort4   = "IPv4 VRRP packet too short - %d bytes"         // keepalived
	msgTooShortAH  = "IPv4 VRRP packet with AH too short - %d bytes" // keepalived
	msgTooShort6   = "IPv6 VRRP packet too short - %d bytes"         // keepalived
	msgIPHeader    = "Bad IPv4 header on VRRP packet from %s received on interface(%s). ignoring..."
	msgUnknownVRID = "Unknown VRID(%d) received on interface(%s). ignoring..." // keepalived, with log_unknown_vrids

	// Per instance: the first verb is the instance name.
	msgCastMismatch4    = "(%s) Expected %sicast packet but received %sicast packet" // keepalived
	msgCastMismatch6    = "(%s) discarding %sicast packet on %sicast instance"       // keepalived, detail only
	msgAHUnexpected     = "(%s) Received AH header but auth type not AH"             // keepalived
	msgAHMissing        = "(%s) No AH header but auth type is AH"                    // keepalived
	msgLength           = "(%s) vrrp packet too %s, length %d and expect %d"         // keepalived
	msgTTL              = "(%s) invalid TTL/HL. Received %d and expect %d"           // keepalived
	msgVersion          = "(%s) wrong version. Received %d and expect %d"            // keepalived
	msgAuthTypeInvalid  = "(%s) Invalid auth type: %d"                               // keepalived
	msgAuthTypeMismatch = "(%s) received a %d auth, expecting %d!"                   // keepalived
	msgAuthPassword     = "(%s) received an invalid passwd!"                         // keepalived
	msgAHHeader         = "(%s) IPSEC-AH : header for protocol %d (length %d), not VRRP - ignoring"
	msgAHICV            = "(%s) IPSEC-AH : invalid IPSEC HMAC-MD5 value. Due to fields mutation or bad password !" // keepalived
	msgAHSPI            = "IPSEC AH : invalid IPSEC SPI value. %d and expect %d"                                   // keepalived
	msgAHReplay         = "(%s) IPSEC-AH : sequence number %d already processed. Packet dropped. Local(%d)"        // keepalived
	msgIntervalMismatch = "(%s) advertisement interval mismatch mine=%d sec rcv'd=%d sec"                          // keepalived
	msgType             = "(%s) Invalid packet type. %d and expect %d"                                             // keepalived
	msgAddrCount        = "(%s) received an unexpected ip number count %d, expected %d!"                           // keepalived
	msgTotalLength      = "(%s) ip_tot_len mismatch against received length. %d and received %d"                   // keepalived
	msgChecksum         = "(%s) Invalid VRRPv%d checksum"                                                          // keepalived
	msgDestination      = "(%s) advert from %s to %s, expected to %s - ignoring"
	msgAddrList         = "(%s) ip address associated with VRID %d not present in MASTER advert: %s" // keepalived
	msgUnicastSrc       = "(%s) unicast source address %s not a unicast peer"                        // keepalived
	msgTTLRange         = "(%s) TTL/HL %d not in range %d - %d"                                      // keepalived
	msgAdvertInterval   = "(%s) advertisement interval 0 in advert from %s - ignoring"
	msgOldChecksum      = "(%s) Setting unicast VRRPv3 checksum to old version" // keepalived
	msgSendMulticast    = "(%s): send advert error %d (%s)"                     // keepalived
	msgSendUnicast      = "(%s) Cant send advert to %s (%s)"                    // keepalived
	msgSuppressed       = "%d further log lines of kind %q suppressed in the last %s"
)

// Logger receives the transport's log lines, without a trailing newline.
type Logger func(line string)

// Rate limiting: each kind of line (each DropReason, each send error kind)
// may log a burst of logBurst lines, then one every logEvery; the lines
// dropped in between are counted and reported in one line when logging
// resumes. A flood of hostile packets thus costs a few lines a second.
const (
	logBurst = 10
	logEvery = time.Second
)

// Log kinds beyond the drop reasons.
const (
	kindSend = iota + int(dropEnd)
	kindInfo
	numKinds
)

type bucket struct {
	tokens     float64
	last       time.Time
	suppressed int
	since      time.Time
}

// limiter rate-limits log lines per kind. The zero value is not ready:
// use newLimiter.
type limiter struct {
	mu  sync.Mutex
	now func() time.Time
	log Logger
	b   [numKinds]bucket
}

func newLimiter(log Logger, now func() time.Time) *limiter {
	if now == nil {
		now = time.Now
	}
	return &limiter{log: log, now: now}
}

func kindName(kind int) string {
	switch {
	case kind < int(dropEnd):
		return DropReason(kind).String()
	case kind == kindSend:
		return "send_error"
	}
	return "info"
}

// logf logs one line of the kind, unless its rate is exceeded.
func (l *limiter) logf(kind int, format string, args ...any) {
	if l == nil || l.log == nil {
		return
	}
	l.mu.Lock()
	now := l.now()
	b := &l.b[kind]
	if b.last.IsZero() {
		b.tokens = logBurst
	} else {
		b.tokens += float64(now.Sub(b.last)) / float64(logEvery)
		if b.tokens > logBurst {
			b.tokens = logBurst
		}
	}
	b.last = now
	if b.tokens < 1 {
		if b.suppressed == 0 {
			b.since = now
		}
		b.suppressed++
		l.mu.Unlock()
		return
	}
	b.tokens--
	suppressed, since := b.suppressed, b.since
	b.suppressed = 0
	l.mu.Unlock()

	if suppressed > 0 {
		l.log(fmt.Sprintf(msgSuppressed, suppressed, kindName(kind), now.Sub(since).Round(time.Millisecond)))
	}
	l.log(fmt.Sprintf(format, args...))
}

// castName is keepalived's "mult" / "un".
func castName(multicast bool) string {
	if multicast {
		return "mult"
	}
	return "un"
}

// logDrop logs the drop of pkt for reason r with keepalived's text. p holds
// the header fields Check read, v the instance (nil before it is known).
func (m *Mux) logDrop(r DropReason, pkt []byte, meta RecvMeta, f frame, p *vrrp.Packet, v *InstanceView) {
	l := m.log
	if l == nil || l.log == nil {
		return
	}
	k := int(r)
	switch r {
	case DropTooShort:
		switch {
		case meta.Family == vrrp.IPv6:
			l.logf(k, msgTooShort6, len(pkt))
		case f.ah:
			l.logf(k, msgTooShortAH, len(pkt))
		default:
			l.logf(k, msgTooShort4, len(pkt))
		}
		return
	case DropIPHeader:
		l.logf(k, msgIPHeader, f.src, m.ifname)
		return
	case DropUnknownVRID:
		if m.cfg.LogUnknownVRIDs {
			l.logf(k, msgUnknownVRID, p.VRID, m.ifname)
		}
		return
	}
	if v == nil || p == nil {
		return
	}
	name := v.Name
	switch r {
	case DropCastMismatch:
		if f.family == vrrp.IPv6 {
			if m.cfg.LogDetail {
				l.logf(k, msgCastMismatch6, name, castName(f.dst.IsMulticast()), castName(!v.Unicast()))
			}
			return
		}
		l.logf(k, msgCastMismatch4, name, castName(!v.Unicast()), castName(f.dst.IsMulticast()))
	case DropAHUnexpected:
		l.logf(k, msgAHUnexpected, name)
	case DropAHMissing:
		l.logf(k, msgAHMissing, name)
	case DropLength:
		want := expectedLen(f, p)
		dir := "short"
		if len(pkt) > want {
			dir = "long"
		}
		l.logf(k, msgLength, name, dir, len(pkt), want)
	case DropTTL:
		l.logf(k, msgTTL, name, f.ttl, vrrp.TTL)
	case DropVersion:
		l.logf(k, msgVersion, name, p.Version, v.Version)
	case DropAuthTypeInvalid:
		l.logf(k, msgAuthTypeInvalid, name, p.AuthType)
	case DropAuthTypeMismatch:
		l.logf(k, msgAuthTypeMismatch, name, p.AuthType, v.authType())
	case DropAuthPassword:
		l.logf(k, msgAuthPassword, name)
	case DropAHHeader:
		b := pkt[f.ihl:]
		l.logf(k, msgAHHeader, name, b[0], b[1])
	case DropAHICV:
		l.logf(k, msgAHICV, name)
	case DropAHSPI:
		// keepalived prints the two 32-bit fields as host-order integers:
		// the source address, then the SPI.
		b := pkt[f.ihl:]
		l.logf(k, msgAHSPI, binary.LittleEndian.Uint32(pkt[12:16]), binary.LittleEndian.Uint32(b[4:8]))
	case DropAHReplay:
		b := pkt[f.ihl:]
		l.logf(k, msgAHReplay, name, binary.BigEndian.Uint32(b[8:12]), v.AHSeq)
	case DropIntervalMismatch:
		l.logf(k, msgIntervalMismatch, name, v.AdvertInterval, p.AdvertInterval)
	case DropType:
		l.logf(k, msgType, name, p.Type, vrrp.TypeAdvertisement)
	case DropAddrCount:
		l.logf(k, msgAddrCount, name, p.CountAddrs, len(v.VIPs))
	case DropTotalLength:
		l.logf(k, msgTotalLength, name, binary.BigEndian.Uint16(pkt[2:]), len(pkt))
	case DropChecksum:
		l.logf(k, msgChecksum, name, p.Version)
	case DropDestination:
		want := v.group()
		if v.Unicast() {
			want = v.Src
		}
		l.logf(k, msgDestination, name, f.src, f.dst, want)
	case DropAddrList:
		l.logf(k, msgAddrList, name, v.VRID, firstMissing(p.Addrs, v.VIPs))
	case DropUnicastSrc:
		l.logf(k, msgUnicastSrc, name, f.src)
	case DropTTLRange:
		peer, _ := findPeer(v.Peers, f.src)
		l.logf(k, msgTTLRange, name, f.ttl, peer.MinTTL, peer.maxTTL())
	case DropAdvertInterval:
		l.logf(k, msgAdvertInterval, name, f.src)
	}
}

// firstMissing returns the first of vips not in addrs (keepalived names
// the first one it misses).
func firstMissing(addrs, vips []netip.Addr) netip.Addr {
	for _, v := range vips {
		if !containsAddr(addrs, v) {
			return v
		}
	}
	return netip.Addr{}
}
