package transport

import (
	"crypto/subtle"
	"encoding/binary"
	"net/netip"

	"github.com/gokeepalived/gokeepalived/pkg/vrrp"
)

// Peer is a unicast_peer entry.
type Peer struct {
	Addr netip.Addr
	// MinTTL and MaxTTL bound the TTL / hop limit accepted from the peer
	// when unicast sources are checked (keepalived's min_ttl/max_ttl,
	// default 0 and 255). A MaxTTL of 0 means 255.
	MinTTL, MaxTTL uint8
}

// InstanceView is what the receive and send paths need to know of a VRRP
// instance: its configuration, and two facts of its state (Master, AHSeq).
type InstanceView struct {
	Name    string // the instance name, for logs: "(VI_1) ..."
	VRID    uint8
	Family  vrrp.Family
	Version uint8 // 2 or 3

	// AdvertInterval is the configured interval in the packet's unit:
	// seconds in version 2, centiseconds in version 3.
	AdvertInterval uint16

	// Auth is the version 2 authentication (auth_type PASS or AH), nil for
	// none. Ignored in version 3.
	Auth *vrrp.Auth

	VIPs []netip.Addr // virtual_ipaddress, in configuration order

	// Group is the multicast destination (mcast_dst_ip, or the global
	// vrrp_mcast_group4/6); invalid means 224.0.0.18 or ff02::12.
	Group netip.Addr

	// Src is the source of the adverts sent (unicast_src_ip, mcast_src_ip,
	// else the interface's address; Pool.Register fills it in when
	// invalid), and for a unicast instance the destination expected.
	Src netip.Addr

	// Peers makes the instance unicast (unicast_peer): one copy of every
	// advert goes to each, and adverts are expected by unicast.
	Peers []Peer

	// UnicastTTL is unicast_ttl: the TTL (IPv4) or hop limit (IPv6) of
	// unicast adverts. 0 is keepalived's default: 255 for IPv4 and the
	// kernel's unicast hop limit (64) for IPv6.
	UnicastTTL uint8

	// CheckUnicastSrc is check_unicast_src (or the global
	// vrrp_check_unicast_src): refuse unicast adverts from an address
	// that is not a peer, or outside the peer's min_ttl..max_ttl.
	CheckUnicastSrc bool

	// SkipCheckAdvAddr is skip_check_adv_addr: adverts from the master
	// already followed (Master) skip the address checks.
	SkipCheckAdvAddr bool

	// Master is the source address of the master this instance follows
	// in BACKUP state, invalid otherwise. It matters only with
	// SkipCheckAdvAddr (keepalived compares it with the packet's source;
	// in MASTER state it always checks). The engine keeps it with
	// Registration.SetMaster.
	Master netip.Addr

	// Checksum is the version 3 IPv4 checksum kind sent and accepted
	// (old_unicast_checksum selects vrrp.ChecksumOldUnicast).
	// AcceptOldUnicastChecksum lets a unicast instance also accept the
	// old kind, and switch to it, as keepalived 2.2.7 does unless
	// old_unicast_checksum is "never".
	Checksum                 vrrp.ChecksumKind
	AcceptOldUnicastChecksum bool

	// Group4 is the global vrrp_mcast_group4, the pseudo-header
	// destination of the old unicast checksum; invalid means 224.0.0.18.
	Group4 netip.Addr

	// AHSeq is the last AH sequence number accepted or sent: adverts must
	// carry a higher one (keepalived's anti-replay counter, shared between
	// sending and receiving). The Registration keeps it.
	AHSeq uint32
}

// Unicast reports whether the instance has unicast peers.
func (v *InstanceView) Unicast() bool { return len(v.Peers) > 0 }

// authType returns the version 2 Auth Type the instance uses.
func (v *InstanceView) authType() vrrp.AuthType {
	if v.Version != vrrp.Version2 || v.Auth == nil {
		return vrrp.AuthNone
	}
	return v.Auth.Type
}

// group returns the multicast destination of the instance.
func (v *InstanceView) group() netip.Addr {
	if v.Group.IsValid() {
		return v.Group
	}
	if v.Family == vrrp.IPv6 {
		return vrrp.Group6
	}
	return vrrp.Group4
}

// options returns the codec options for the instance's checksum.
func (v *InstanceView) options() vrrp.Options {
	return vrrp.Options{
		Checksum:                 v.Checksum,
		AcceptOldUnicastChecksum: v.AcceptOldUnicastChecksum && v.Unicast(),
		Group4:                   v.Group4,
	}
}

// checkAddrs reports whether the address checks apply to an advert from
// src: always, but with skip_check_adv_addr for the master already
// followed (keepalived's vrrp_state_backup).
func (v *InstanceView) checkAddrs(src netip.Addr) bool {
	return !v.SkipCheckAdvAddr || !v.Master.IsValid() || v.Master.WithZone("") != src
}

// RecvMeta is what the socket says of a received packet besides its bytes.
type RecvMeta struct {
	Family vrrp.Family // the socket's family
	// TTL is the IPv6 hop limit (IPV6_HOPLIMIT) or -1 when unknown; for
	// IPv4 the header's TTL is used, as keepalived does.
	TTL int
	// Src and Dst are the IPv6 source (recvmsg) and destination
	// (IPV6_PKTINFO); for IPv4 the header's are used.
	Src, Dst netip.Addr
	IfIndex  int // the receiving interface (informational)
	// At is when the kernel received the packet (SCM_TIMESTAMPNS), in
	// Unix nanoseconds; 0 when unknown.
	At int64
}

// frame locates the parts of a received packet.
type frame struct {
	family   vrrp.Family
	ihl      int // IPv4 header length; 0 for IPv6
	ah       bool
	off      int // offset of the VRRP message
	src, dst netip.Addr
	ttl      int // -1 when unknown
}

// locate finds the VRRP message in pkt: a whole IPv4 packet, or an IPv6
// payload. It refuses, as keepalived's vrrp_get_header, a packet too short
// to hold the headers up to the fixed VRRP header.
func locate(pkt []byte, meta RecvMeta) (frame, DropReason) {
	f := frame{family: meta.Family, ttl: -1}
	if meta.Family == vrrp.IPv6 {
		if len(pkt) < vrrp.HeaderLen {
			return f, DropTooShort
		}
		f.src, f.dst = meta.Src.WithZone(""), meta.Dst.WithZone("")
		f.ttl = meta.TTL
		return f, DropNone
	}
	f.family = vrrp.IPv4
	if len(pkt) < vrrp.IPv4HeaderLen {
		return f, DropTooShort
	}
	if pkt[0]>>4 != 4 || int(pkt[0]&0x0f)*4 < vrrp.IPv4HeaderLen {
		return f, DropIPHeader
	}
	f.ihl = int(pkt[0]&0x0f) * 4
	f.ttl = int(pkt[8])
	f.src = netip.AddrFrom4([4]byte(pkt[12:16]))
	f.dst = netip.AddrFrom4([4]byte(pkt[16:20]))
	if len(pkt) < f.ihl+vrrp.HeaderLen {
		return f, DropTooShort
	}
	switch pkt[9] {
	case vrrp.ProtocolVRRP:
		f.off = f.ihl
	case vrrp.ProtocolAH:
		f.ah = true
		f.off = f.ihl + vrrp.AHLen
		if len(pkt) < f.off+vrrp.HeaderLen {
			return f, DropTooShort
		}
	default:
		return f, DropIPHeader
	}
	return f, DropNone
}

// readHeader fills p with the fixed header fields of msg (8 bytes at
// least), for the checks and the logs.
func readHeader(msg []byte, p *vrrp.Packet) {
	p.Version, p.Type = msg[0]>>4, msg[0]&0x0f
	p.VRID, p.Priority, p.CountAddrs = msg[1], msg[2], msg[3]
	if p.Version == vrrp.Version3 {
		w := binary.BigEndian.Uint16(msg[4:])
		p.AdvertInterval, p.Reserved = w&0x0fff, uint8(w>>12)
	} else {
		p.AuthType, p.AdvertInterval = vrrp.AuthType(msg[4]), uint16(msg[5])
	}
	p.Checksum = binary.BigEndian.Uint16(msg[6:])
}

// expectedLen is the packet length announced by the VRRP header: the IP
// and AH headers before it, the fixed header, the addresses, and in
// version 2 over IPv4 the authentication data (keepalived's
// expected_vrrp_pkt_len).
func expectedLen(f frame, p *vrrp.Packet) int {
	n := f.off + vrrp.HeaderLen
	if f.family == vrrp.IPv6 {
		return n + int(p.CountAddrs)*16
	}
	if p.Version == vrrp.Version2 {
		n += vrrp.AuthDataLen
	}
	return n + int(p.CountAddrs)*4
}

// Check runs keepalived's receive checks, in keepalived's order, on pkt
// for the instance inst, and decodes it. pkt is a whole IPv4 packet as a
// raw IPv4 socket receives it, or the VRRP message of an IPv6 packet, whose
// IP facts are in meta.
//
// It returns the decoded advert and DropNone, or the reason for refusing
// it; a refused packet's header fields (version, VRID, priority, count,
// interval, checksum) are filled in when it had them, for the logs. The
// packet's AH header is reported in Packet.AH only once verified (ICV, SPI
// and sequence number).
//
// Check is pure: the state it depends on (Master, AHSeq) is in inst.
func Check(pkt []byte, meta RecvMeta, inst InstanceView) (vrrp.Packet, DropReason) {
	return checkInto(pkt, meta, &inst, nil)
}

// checkInto is Check decoding the addresses into addrs' memory (the
// socket's, reused for every packet it reads).
func checkInto(pkt []byte, meta RecvMeta, inst *InstanceView, addrs []netip.Addr) (vrrp.Packet, DropReason) {
	p := vrrp.Packet{Addrs: addrs[:0]}
	f, r := locate(pkt, meta)
	if r != DropNone {
		return p, r
	}
	msg := pkt[f.off:]
	readHeader(msg, &p)
	v4 := f.family == vrrp.IPv4
	unicast := inst.Unicast()

	// keepalived's dispatcher discards an IPv6 multicast advert for a
	// unicast instance and the reverse before any other check.
	if !v4 && f.dst.IsMulticast() == unicast {
		return p, DropCastMismatch
	}

	// IPv4: an AH header exactly when the instance uses auth_type AH.
	if v4 {
		wantAH := inst.authType() == vrrp.AuthAH
		if f.ah && !wantAH {
			return p, DropAHUnexpected
		}
		if !f.ah && wantAH {
			return p, DropAHMissing
		}
	}

	// RFC 3768 §7.1 / RFC 5798 §7.1: the packet holds the whole message.
	if len(pkt) != expectedLen(f, &p) {
		return p, DropLength
	}

	// RFC 5798 §7.1: TTL / hop limit 255, but not from unicast peers.
	if !unicast && f.ttl != -1 && f.ttl != vrrp.TTL {
		return p, DropTTL
	}

	if p.Version != inst.Version {
		return p, DropVersion
	}

	var ah vrrp.AH // the verified AH header
	if p.Version == vrrp.Version2 {
		if p.AuthType > vrrp.AuthAH {
			return p, DropAuthTypeInvalid
		}
		if p.AuthType != inst.authType() {
			return p, DropAuthTypeMismatch
		}
		switch p.AuthType {
		case vrrp.AuthPass:
			data := msg[len(msg)-vrrp.AuthDataLen:]
			if subtle.ConstantTimeCompare(data, inst.Auth.Key[:]) != 1 {
				return p, DropAuthPassword
			}
		case vrrp.AuthAH:
			if r := checkAH(pkt, f, inst, &ah); r != DropNone {
				return p, r
			}
			p.AH = ah
		}
		// RFC 3768 §7.1: MUST discard an interval other than ours.
		if p.AdvertInterval != inst.AdvertInterval {
			return p, DropIntervalMismatch
		}
	}

	if p.Type != vrrp.TypeAdvertisement {
		return p, DropType
	}

	checkAddrs := inst.checkAddrs(f.src)
	if checkAddrs && int(p.CountAddrs) != len(inst.VIPs) {
		return p, DropAddrCount
	}

	if v4 && int(binary.BigEndian.Uint16(pkt[2:])) != len(pkt) {
		return p, DropTotalLength
	}

	// The checksum, and the decoding of the addresses. IPv4 as keepalived;
	// IPv6 too, where keepalived has the kernel check it (IPV6_CHECKSUM).
	hdr := p
	opt := inst.options()
	err := vrrp.Decode(msg, vrrp.IP{Family: f.family, Src: f.src, Dst: f.dst}, &p, &opt)
	zeroInterval := false
	switch vrrp.ReasonOf(err) {
	case 0:
	case vrrp.ErrAdvertInterval:
		zeroInterval = true // refused last: the rest was decoded
	default:
		p = hdr
		return p, FromDecodeError(err)
	}
	p.AH = ah

	// A multicast advert for a multicast instance, a unicast one for a
	// unicast instance.
	if v4 && f.dst.IsMulticast() == unicast {
		return p, DropCastMismatch
	}
	if !unicast && f.dst != inst.group().WithZone("") ||
		unicast && inst.Src.IsValid() && f.dst != inst.Src.WithZone("") {
		return p, DropDestination
	}

	if checkAddrs {
		// RFC 3768 §7.1 / RFC 5798 §7.1: MAY verify the address list.
		for _, vip := range inst.VIPs {
			if !containsAddr(p.Addrs, vip) {
				return p, DropAddrList
			}
		}
		if unicast && inst.CheckUnicastSrc {
			peer, ok := findPeer(inst.Peers, f.src)
			if !ok {
				return p, DropUnicastSrc
			}
			if f.ttl != -1 && (f.ttl < int(peer.MinTTL) || f.ttl > int(peer.maxTTL())) {
				return p, DropTTLRange
			}
		}
	}

	if zeroInterval {
		return p, DropAdvertInterval
	}
	return p, DropNone
}

// checkAH verifies the AH header of an IPv4 advert for an instance with
// auth_type AH: a header for VRRP, the ICV, the SPI, and a sequence number
// above inst.AHSeq. It fills ah on success.
func checkAH(pkt []byte, f frame, inst *InstanceView, ah *vrrp.AH) DropReason {
	b := pkt[f.ihl:]
	// keepalived ignores an AH header for another protocol; pkg/vrrp also
	// wants the 24-byte header keepalived builds.
	if b[0] != vrrp.ProtocolVRRP || b[1] != 4 {
		return DropAHHeader
	}
	var h vrrp.IPv4Header
	var p vrrp.Packet
	err := vrrp.DecodeIPv4(pkt, &h, &p, &vrrp.Options{Auth: inst.Auth, SkipChecksum: true})
	switch vrrp.ReasonOf(err) {
	case 0, vrrp.ErrAdvertInterval:
		// verified; the interval is checked below
	case vrrp.ErrAuthMismatch:
		return DropAHICV
	case vrrp.ErrAHHeader:
		return DropAHSPI // the header itself was checked above
	case vrrp.ErrIPHeader:
		return DropIPHeader
	case vrrp.ErrLength:
		return DropTotalLength
	default:
		// A fault the decoder meets before the ICV (the type): the ICV is
		// unverified, and a later check refuses the packet.
		return DropNone
	}
	if p.AH.Seq <= inst.AHSeq {
		return DropAHReplay
	}
	*ah = p.AH
	return DropNone
}

func (p Peer) maxTTL() uint8 {
	if p.MaxTTL == 0 {
		return 255
	}
	return p.MaxTTL
}

func findPeer(peers []Peer, src netip.Addr) (Peer, bool) {
	for _, p := range peers {
		if p.Addr.Unmap().WithZone("") == src {
			return p, true
		}
	}
	return Peer{}, false
}

func containsAddr(list []netip.Addr, a netip.Addr) bool {
	a = a.Unmap().WithZone("")
	for _, b := range list {
		if b.Unmap() == a {
			return true
		}
	}
	return false
}

// addrsMatch reports whether an advert's address list is the instance's
// (same count, every VIP present): what the address checks require.
func addrsMatch(addrs, vips []netip.Addr) bool {
	if len(addrs) != len(vips) {
		return false
	}
	for _, v := range vips {
		if !containsAddr(addrs, v) {
			return false
		}
	}
	return true
}
