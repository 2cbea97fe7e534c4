package netif

import (
	"encoding/binary"
	"fmt"
	"net"
	"net/netip"

	"github.com/gokeepalived/gokeepalived/pkg/config"
)

// The netlink requests keepalived 2.2.7 sends, built byte for byte
// (testdata/keepalived-2.2.7-*.txt hold its requests as strace recorded
// them; encode_test.go compares). Sequence number and port id are left 0
// for the socket to fill in. rtnetlink numbers are kernel ABI; they are
// spelled out here so that this file is pure and portable.

// Message types.
const (
	rtmNewLink  = 16
	rtmDelLink  = 17
	rtmNewAddr  = 20
	rtmDelAddr  = 21
	rtmNewRoute = 24
	rtmDelRoute = 25
	rtmNewRule  = 32
	rtmDelRule  = 33
)

// Header flags.
const (
	nlmFRequest = 0x1
	nlmFAck     = 0x4
	nlmFExcl    = 0x200
	nlmFCreate  = 0x400
	nlmFAppend  = 0x800
)

const (
	afInet  = 2
	afInet6 = 10

	rtTableUnspec = 0
	rtTableMain   = 254

	rtScopeUniverse = 0
	rtScopeNowhere  = 255

	rtnUnicast = 1

	// RTPROT_KEEPALIVED: keepalived marks all its routes with it unless
	// the configuration gives a protocol.
	rtprotKeepalived = 18

	rtnhFOnlink = 4

	frActToTbl       = 1
	frActGoto        = 2
	frActNop         = 3
	frActBlackhole   = 6
	frActUnreachable = 7
	frActProhibit    = 8
	fibRuleInvert    = 2

	iffUp = 1

	macvlanModePrivate = 1
	in6AddrGenModeNone = 1
)

// Attributes.
const (
	ifaAddress   = 1
	ifaLocal     = 2
	ifaLabel     = 3
	ifaBroadcast = 4
	ifaCacheinfo = 6
	ifaFlags     = 8

	rtaDst          = 1
	rtaSrc          = 2
	rtaOif          = 4
	rtaGateway      = 5
	rtaPriority     = 6
	rtaPrefsrc      = 7
	rtaMetrics      = 8
	rtaMultipath    = 9
	rtaFlow         = 11
	rtaTable        = 15
	rtaVia          = 18
	rtaPref         = 20
	rtaEncapType    = 21
	rtaEncap        = 22
	rtaExpires      = 23
	rtaTTLPropagate = 26

	fraDst               = 1
	fraSrc               = 2
	fraIifname           = 3
	fraGoto              = 4
	fraPriority          = 6
	fraFwmark            = 10
	fraFlow              = 11
	fraTunID             = 12
	fraSuppressIfgroup   = 13
	fraSuppressPrefixlen = 14
	fraTable             = 15
	fraFwmask            = 16
	fraOifname           = 17
	fraL3mdev            = 19
	fraUIDRange          = 20
	fraProtocol          = 21
	fraIPProto           = 22
	fraSportRange        = 23
	fraDportRange        = 24

	iflaAddress  = 1
	iflaIfname   = 3
	iflaLink     = 5
	iflaLinkinfo = 18
	iflaAfSpec   = 26

	iflaInfoKind = 1
	iflaInfoData = 2

	iflaMacvlanMode = 1

	iflaInetConf          = 1
	iflaInet6AddrGenMode  = 8
	lwtunnelEncapMPLS     = 1
	lwtunnelEncapIP       = 2
	lwtunnelEncapILA      = 3
	lwtunnelEncapIP6      = 4
	mplsIPTunnelDst       = 1
	lwtunnelIPID          = 1
	lwtunnelIPDst         = 2
	lwtunnelIPSrc         = 3
	lwtunnelIPTTL         = 4
	lwtunnelIPTOS         = 5
	lwtunnelIPFlags       = 6
	ilaAttrLocator        = 1
	rtaxLock              = 1
	rtaxFeatures          = 12
	rtaxCCAlgo            = 16
	rtaxFeatureECN        = 1
	ipv4DevconfRPFilter   = 8
	ipv4DevconfArpFilter  = 13
	ipv4DevconfArpIgnore  = 19
	ipv4DevconfPromoteSec = 20
	ipv4DevconfAccLocal   = 23
)

// rtax maps the configuration's metric names to RTAX_*.
var rtax = map[string]uint16{
	"mtu": 2, "window": 3, "rtt": 4, "rttvar": 5, "ssthresh": 6, "cwnd": 7,
	"advmss": 8, "reordering": 9, "hoplimit": 10, "initcwnd": 11,
	"rto_min": 13, "initrwnd": 14, "quickack": 15, "congctl": rtaxCCAlgo,
	"fastopen_no_cookie": 17,
}

var rtnTypes = map[string]uint8{
	"unspec": 0, "unicast": 1, "local": 2, "broadcast": 3, "anycast": 4, "multicast": 5,
	"blackhole": 6, "unreachable": 7, "prohibit": 8, "throw": 9, "nat": 10, "xresolve": 11,
}

var ne = binary.NativeEndian

// msg builds one netlink request.
type msg struct{ b []byte }

func newMsg(typ, flags uint16, fixed []byte) *msg {
	m := &msg{b: make([]byte, 16, 128)}
	ne.PutUint16(m.b[4:], typ)
	ne.PutUint16(m.b[6:], flags|nlmFRequest|nlmFAck)
	m.b = append(m.b, fixed...)
	return m
}

func (m *msg) attr(typ uint16, data []byte) {
	m.b = ne.AppendUint16(m.b, uint16(4+len(data)))
	m.b = ne.AppendUint16(m.b, typ)
	m.b = append(m.b, data...)
	m.pad()
}

func (m *msg) pad() {
	for len(m.b)%4 != 0 {
		m.b = append(m.b, 0)
	}
}

func (m *msg) u8(typ uint16, v uint8)   { m.attr(typ, []byte{v}) }
func (m *msg) u32(typ uint16, v uint32) { m.attr(typ, ne.AppendUint32(nil, v)) }

// nest writes a nested attribute whose content fn writes.
func (m *msg) nest(typ uint16, fn func()) {
	start := len(m.b)
	m.b = append(m.b, 0, 0, 0, 0)
	fn()
	ne.PutUint16(m.b[start:], uint16(len(m.b)-start))
	ne.PutUint16(m.b[start+2:], typ)
}

func (m *msg) bytes() []byte {
	ne.PutUint32(m.b, uint32(len(m.b)))
	return m.b
}

func ipBytes(a netip.Addr) []byte { return a.Unmap().AsSlice() }

func family(a netip.Addr) uint8 {
	if a.Is4() || a.Is4In6() {
		return afInet
	}
	return afInet6
}

// addrMsg is keepalived's RTM_NEWADDR / RTM_DELADDR for an address on
// interface index. One deliberate difference: keepalived deletes an IPv4
// address with IFA_ADDRESS set to the local address even when it has a
// peer, which the kernel does not match, so keepalived 2.2.7 leaves
// "peer" VIPs behind on stop; we send the peer and remove them.
func addrMsg(add bool, a Addr, index int) []byte {
	fam := family(a.Prefix.Addr())
	fixed := []byte{fam, byte(a.Prefix.Bits()), 0, a.Scope, 0, 0, 0, 0}
	ne.PutUint32(fixed[4:], uint32(index))
	typ := uint16(rtmDelAddr)
	if add {
		typ = rtmNewAddr
	}
	m := newMsg(typ, 0, fixed)
	local := ipBytes(a.Prefix.Addr())
	if fam == afInet6 {
		if add && a.HasPreferredLft {
			ci := make([]byte, 16)
			ne.PutUint32(ci, a.PreferredLft)
			ne.PutUint32(ci[4:], 0xffffffff) // valid forever
			m.attr(ifaCacheinfo, ci)
		}
		m.attr(ifaLocal, local)
		if add && a.Flags != 0 {
			m.u32(ifaFlags, a.Flags)
		}
		if add && a.Peer.IsValid() {
			m.attr(ifaAddress, ipBytes(a.Peer))
		}
		return m.bytes()
	}
	m.attr(ifaLocal, local)
	if !add {
		peer := local
		if a.Peer.IsValid() {
			peer = ipBytes(a.Peer)
		}
		m.attr(ifaAddress, peer)
		return m.bytes()
	}
	if a.Peer.IsValid() {
		m.attr(ifaAddress, ipBytes(a.Peer))
	}
	if a.Broadcast.IsValid() {
		m.attr(ifaBroadcast, ipBytes(a.Broadcast))
	}
	if a.Label != "" {
		m.attr(ifaLabel, append([]byte(a.Label), 0))
	}
	if a.Flags != 0 {
		m.u32(ifaFlags, a.Flags)
	}
	return m.bytes()
}

// resolver turns interface names into what the kernel wants.
type resolver interface {
	index(dev string) (int, error)
	vrfTable(dev string) (uint32, error)
}

// routeTable is the table a route goes to (its VRF's table with vrf).
func routeTable(r *config.Route, res resolver) (uint32, error) {
	if r.VRF != "" {
		return res.vrfTable(r.VRF)
	}
	if r.Table == 0 {
		return rtTableMain, nil
	}
	return r.Table, nil
}

// routeMsg is keepalived's RTM_NEWROUTE / RTM_DELROUTE. As keepalived:
// every route carries protocol keepalived (18) unless the configuration
// names one; the scope is universe unless configured (nowhere on delete,
// which matches any); "prepend" (the default) adds with NLM_F_CREATE only,
// "append" with NLM_F_APPEND, "add" with NLM_F_EXCL; routes of a type
// other than unicast are added with NLM_F_EXCL; a delete carries the type
// only for those and for "add" routes. (keepalived's bit is set by an
// explicit type and cleared by an explicit prepend/append after it; the
// model does not record an explicit prepend, so "blackhole X prepend" is
// treated as "blackhole X": an EEXIST on a route already there is not an
// error either way.)
func routeMsg(add bool, r *config.Route, res resolver) ([]byte, error) {
	typ, ok := rtnTypes[r.Type]
	if !ok {
		return nil, fmt.Errorf("route %s: unknown type %q", RouteString(r), r.Type)
	}
	fam := uint8(afInet)
	if r.IPv6 {
		fam = afInet6
	}
	table, err := routeTable(r, res)
	if err != nil {
		return nil, err
	}
	hdrTable := uint8(rtTableUnspec)
	if table < 256 {
		hdrTable = uint8(table)
	}
	proto := r.Protocol
	if proto == 0 {
		proto = rtprotKeepalived
	}
	excl := r.Mode == "add" || (typ != rtnUnicast && r.Mode == "prepend")
	var flags uint16
	scope := uint8(rtScopeUniverse)
	rtmType := typ
	if add {
		flags = nlmFCreate
		switch {
		case r.Mode == "append":
			flags |= nlmFAppend
		case excl:
			flags |= nlmFExcl
		}
	} else {
		scope = rtScopeNowhere
		if !excl {
			rtmType = 0
		}
	}
	if r.Scope != nil {
		scope = *r.Scope
	}
	var tos uint8
	if r.TOS != nil {
		tos = *r.TOS
	}
	var rtFlags uint32
	if r.OnLink {
		rtFlags |= rtnhFOnlink
	}
	fixed := []byte{fam, byte(r.Dst.Bits()), 0, tos, hdrTable, proto, scope, rtmType, 0, 0, 0, 0}
	if r.From.IsValid() {
		fixed[2] = byte(r.From.Bits())
	}
	ne.PutUint32(fixed[8:], rtFlags)
	mt := uint16(rtmDelRoute)
	if add {
		mt = rtmNewRoute
	}
	m := newMsg(mt, flags, fixed)
	if table >= 256 {
		m.u32(rtaTable, table)
	}
	if r.Dst.IsValid() {
		m.attr(rtaDst, ipBytes(r.Dst.Addr()))
	}
	if r.From.IsValid() {
		m.attr(rtaSrc, ipBytes(r.From.Addr()))
	}
	if r.Src.IsValid() {
		m.attr(rtaPrefsrc, ipBytes(r.Src))
	}
	if r.Via.IsValid() {
		gatewayAttr(m, fam, r.Via)
	}
	if r.Dev != "" {
		idx, err := res.index(r.Dev)
		if err != nil {
			return nil, err
		}
		m.u32(rtaOif, uint32(idx))
	}
	if r.Metric != nil {
		m.u32(rtaPriority, *r.Metric)
	}
	if metricsSet(r.Metrics) {
		m.nest(rtaMetrics, func() { routeMetrics(m, r.Metrics) })
	}
	if r.Realms != 0 {
		m.u32(rtaFlow, r.Realms)
	}
	if r.Encap != nil {
		if err := encapAttrs(m, r.Encap); err != nil {
			return nil, err
		}
	}
	if len(r.Nexthops) > 0 {
		var err error
		m.nest(rtaMultipath, func() { err = nexthops(m, fam, r.Nexthops, res) })
		if err != nil {
			return nil, err
		}
	}
	if r.Metrics.Pref != nil {
		m.u8(rtaPref, *r.Metrics.Pref)
	}
	if r.Metrics.Expires != nil {
		m.u32(rtaExpires, *r.Metrics.Expires)
	}
	if r.Metrics.TTLPropagate != nil {
		v := uint8(0)
		if *r.Metrics.TTLPropagate {
			v = 1
		}
		m.u8(rtaTTLPropagate, v)
	}
	return m.bytes(), nil
}

// gatewayAttr is RTA_GATEWAY, or RTA_VIA for a gateway of the other family.
func gatewayAttr(m *msg, fam uint8, via netip.Addr) {
	if family(via) == fam {
		m.attr(rtaGateway, ipBytes(via))
		return
	}
	b := ne.AppendUint16(nil, uint16(family(via)))
	m.attr(rtaVia, append(b, ipBytes(via)...))
}

func metricsSet(x config.RouteMetrics) bool {
	return x.MTU != nil || x.Hoplimit != nil || x.AdvMSS != nil || x.RTT != nil ||
		x.RTTVar != nil || x.RTOMin != nil || x.Reordering != nil || x.Window != nil ||
		x.CWnd != nil || x.SSThresh != nil || x.InitCWnd != nil || x.InitRWnd != nil ||
		x.QuickAck != nil || x.FastopenNoCookie != nil || x.CongCtl != "" ||
		x.FeaturesECN || len(x.Locked) > 0
}

// routeMetrics writes RTA_METRICS' content in RTAX order.
func routeMetrics(m *msg, x config.RouteMetrics) {
	var lock uint32
	for _, n := range x.Locked {
		if id, ok := rtax[n]; ok {
			lock |= 1 << id
		}
	}
	if lock != 0 {
		m.u32(rtaxLock, lock)
	}
	for _, v := range []struct {
		id uint16
		p  *uint32
	}{
		{2, x.MTU}, {3, x.Window}, {4, x.RTT}, {5, x.RTTVar}, {6, x.SSThresh},
		{7, x.CWnd}, {8, x.AdvMSS}, {9, x.Reordering}, {10, x.Hoplimit},
		{11, x.InitCWnd},
	} {
		if v.p != nil {
			m.u32(v.id, *v.p)
		}
	}
	if x.FeaturesECN {
		m.u32(rtaxFeatures, rtaxFeatureECN)
	}
	for _, v := range []struct {
		id uint16
		p  *uint32
	}{{13, x.RTOMin}, {14, x.InitRWnd}, {15, x.QuickAck}} {
		if v.p != nil {
			m.u32(v.id, *v.p)
		}
	}
	if x.CongCtl != "" {
		m.attr(rtaxCCAlgo, append([]byte(x.CongCtl), 0))
	}
	if x.FastopenNoCookie != nil {
		m.u32(17, *x.FastopenNoCookie)
	}
}

func encapAttrs(m *msg, e *config.Encap) error {
	switch e.Type {
	case "mpls":
		m.attr(rtaEncapType, ne.AppendUint16(nil, lwtunnelEncapMPLS))
		m.nest(rtaEncap, func() { m.attr(mplsIPTunnelDst, mplsLabels(e.Labels)) })
	case "ip", "ip6":
		t := uint16(lwtunnelEncapIP)
		if e.Type == "ip6" {
			t = lwtunnelEncapIP6
		}
		m.attr(rtaEncapType, ne.AppendUint16(nil, t))
		m.nest(rtaEncap, func() {
			if e.ID != nil {
				m.attr(lwtunnelIPID, binary.BigEndian.AppendUint64(nil, *e.ID))
			}
			if e.Dst.IsValid() {
				m.attr(lwtunnelIPDst, ipBytes(e.Dst))
			}
			if e.Src.IsValid() {
				m.attr(lwtunnelIPSrc, ipBytes(e.Src))
			}
			if e.TTL != nil {
				m.u8(lwtunnelIPTTL, *e.TTL)
			}
			if e.TOS != nil {
				m.u8(lwtunnelIPTOS, *e.TOS)
			}
			if e.Flags != nil {
				m.attr(lwtunnelIPFlags, binary.BigEndian.AppendUint16(nil, *e.Flags))
			}
		})
	case "ila":
		m.attr(rtaEncapType, ne.AppendUint16(nil, lwtunnelEncapILA))
		m.nest(rtaEncap, func() { m.attr(ilaAttrLocator, ne.AppendUint64(nil, e.Locator)) })
	default:
		return fmt.Errorf("unknown encapsulation %q", e.Type)
	}
	return nil
}

// mplsLabels encodes a label stack, bottom of stack on the last entry.
func mplsLabels(labels []uint32) []byte {
	var b []byte
	for i, l := range labels {
		v := l << 12
		if i == len(labels)-1 {
			v |= 1 << 8
		}
		b = binary.BigEndian.AppendUint32(b, v)
	}
	return b
}

// nexthops writes the rtnexthop entries of RTA_MULTIPATH.
func nexthops(m *msg, fam uint8, nhs []config.Nexthop, res resolver) error {
	for _, nh := range nhs {
		start := len(m.b)
		m.b = append(m.b, make([]byte, 8)...)
		var flags uint8
		if nh.OnLink {
			flags |= rtnhFOnlink
		}
		hops := uint8(0)
		if nh.Weight > 0 {
			hops = uint8(nh.Weight - 1)
		}
		idx := 0
		if nh.Dev != "" {
			var err error
			if idx, err = res.index(nh.Dev); err != nil {
				return err
			}
		}
		m.b[start+2], m.b[start+3] = flags, hops
		ne.PutUint32(m.b[start+4:], uint32(idx))
		if nh.Via.IsValid() {
			gatewayAttr(m, fam, nh.Via)
		}
		if nh.Realms != 0 {
			m.u32(rtaFlow, nh.Realms)
		}
		if nh.Encap != nil {
			if err := encapAttrs(m, nh.Encap); err != nil {
				return err
			}
		}
		ne.PutUint16(m.b[start:], uint16(len(m.b)-start))
	}
	return nil
}

var ruleActions = map[string]uint8{
	"table": frActToTbl, "goto": frActGoto, "nop": frActNop, "blackhole": frActBlackhole,
	"unreachable": frActUnreachable, "prohibit": frActProhibit,
}

// ruleMsg is keepalived's RTM_NEWRULE (NLM_F_CREATE|NLM_F_EXCL) or
// RTM_DELRULE, with the same attributes. "from all" sends an all-zero
// FRA_SRC as keepalived does.
func ruleMsg(add bool, r *config.Rule) ([]byte, error) {
	act, ok := ruleActions[r.Action]
	if !ok {
		return nil, fmt.Errorf("rule %s: unknown action %q", RuleString(r), r.Action)
	}
	fam := uint8(afInet)
	zero := netip.IPv4Unspecified()
	if r.IPv6 {
		fam, zero = afInet6, netip.IPv6Unspecified()
	}
	table := r.Table
	hdrTable := uint8(rtTableUnspec)
	if table < 256 {
		hdrTable = uint8(table)
	}
	var tos uint8
	if r.TOS != nil {
		tos = *r.TOS
	}
	var flags uint32
	if r.Not {
		flags |= fibRuleInvert
	}
	fixed := []byte{fam, 0, 0, tos, hdrTable, 0, 0, act, 0, 0, 0, 0}
	if r.To.IsValid() && !r.ToAll {
		fixed[1] = byte(r.To.Bits())
	}
	if r.From.IsValid() && !r.FromAll {
		fixed[2] = byte(r.From.Bits())
	}
	ne.PutUint32(fixed[8:], flags)
	mt, mf := uint16(rtmDelRule), uint16(0)
	if add {
		mt, mf = rtmNewRule, nlmFCreate|nlmFExcl
	}
	m := newMsg(mt, mf, fixed)
	switch {
	case r.FromAll:
		m.attr(fraSrc, ipBytes(zero))
	case r.From.IsValid():
		m.attr(fraSrc, ipBytes(r.From.Addr()))
	}
	switch {
	case r.ToAll:
		m.attr(fraDst, ipBytes(zero))
	case r.To.IsValid():
		m.attr(fraDst, ipBytes(r.To.Addr()))
	}
	m.u32(fraPriority, r.Priority)
	if r.Fwmark != nil {
		m.u32(fraFwmark, *r.Fwmark)
	}
	if r.Fwmask != nil {
		m.u32(fraFwmask, *r.Fwmask)
	}
	if r.Realms != 0 {
		m.u32(fraFlow, r.Realms)
	}
	if r.SuppressPrefixLen != nil {
		m.u32(fraSuppressPrefixlen, uint32(*r.SuppressPrefixLen))
	}
	if r.SuppressIfGroup != nil {
		m.u32(fraSuppressIfgroup, *r.SuppressIfGroup)
	}
	if r.IIF != "" {
		m.attr(fraIifname, append([]byte(r.IIF), 0))
	}
	if r.OIF != "" {
		m.attr(fraOifname, append([]byte(r.OIF), 0))
	}
	if r.TunnelID != nil {
		m.attr(fraTunID, binary.BigEndian.AppendUint64(nil, *r.TunnelID))
	}
	if r.UIDRange != nil {
		b := ne.AppendUint32(nil, r.UIDRange[0])
		m.attr(fraUIDRange, ne.AppendUint32(b, r.UIDRange[1]))
	}
	if r.L3mdev {
		m.u8(fraL3mdev, 1)
	}
	if r.Protocol != 0 {
		m.u8(fraProtocol, r.Protocol)
	}
	if r.IPProto != nil {
		m.u8(fraIPProto, *r.IPProto)
	}
	if r.SPort != nil {
		m.attr(fraSportRange, ne.AppendUint16(ne.AppendUint16(nil, r.SPort[0]), r.SPort[1]))
	}
	if r.DPort != nil {
		m.attr(fraDportRange, ne.AppendUint16(ne.AppendUint16(nil, r.DPort[0]), r.DPort[1]))
	}
	if table >= 256 {
		m.u32(fraTable, table)
	}
	if r.Action == "goto" {
		m.u32(fraGoto, r.Goto)
	}
	return m.bytes(), nil
}

func ifinfo(fam uint8, index int, flags, change uint32) []byte {
	b := make([]byte, 16)
	b[0] = fam
	ne.PutUint32(b[4:], uint32(index))
	ne.PutUint32(b[8:], flags)
	ne.PutUint32(b[12:], change)
	return b
}

// linkCreateMsg creates a macvlan in private mode, as keepalived's VMACs
// (not bridge mode: testdata/keepalived-2.2.7-vmac.txt), down. keepalived
// sends the kind and name without their NUL.
func linkCreateMsg(name string, parent int, mac net.HardwareAddr) []byte {
	m := newMsg(rtmNewLink, nlmFCreate|nlmFExcl, ifinfo(0, 0, 0, 0))
	m.nest(iflaLinkinfo, func() {
		m.attr(iflaInfoKind, []byte("macvlan"))
		m.nest(iflaInfoData, func() { m.u32(iflaMacvlanMode, macvlanModePrivate) })
	})
	m.u32(iflaLink, uint32(parent))
	m.attr(iflaIfname, []byte(name))
	m.attr(iflaAddress, mac)
	return m.bytes()
}

// devconf is one IPv4 per-interface setting (IPV4_DEVCONF_*).
type devconf struct {
	id    uint16
	value uint32
}

// linkDevconfMsg sets IPv4 sysctls of an interface through netlink.
func linkDevconfMsg(index int, confs []devconf) []byte {
	m := newMsg(rtmNewLink, 0, ifinfo(0, index, 0, 0))
	m.nest(iflaAfSpec, func() {
		m.nest(afInet, func() {
			m.nest(iflaInetConf, func() {
				for _, c := range confs {
					m.u32(c.id, c.value)
				}
			})
		})
	})
	return m.bytes()
}

// linkAddrGenModeMsg stops the kernel making a link-local address.
func linkAddrGenModeMsg(index int) []byte {
	m := newMsg(rtmNewLink, 0, ifinfo(0, index, 0, 0))
	m.nest(iflaAfSpec, func() {
		m.nest(afInet6, func() { m.u8(iflaInet6AddrGenMode, in6AddrGenModeNone) })
	})
	return m.bytes()
}

func linkUpMsg(index int) []byte {
	return newMsg(rtmNewLink, 0, ifinfo(0, index, iffUp, iffUp)).bytes()
}

// linkDelMsg deletes an interface (keepalived sends family AF_INET).
func linkDelMsg(index int) []byte {
	return newMsg(rtmDelLink, 0, ifinfo(afInet, index, 0, 0)).bytes()
}
