package config

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"
)

// Line grammars for addresses, routes and rules (keepalived's
// vrrp_ipaddress.c, vrrp_iproute.c and vrrp_iprule.c), and the
// static_ipaddress / static_routes / static_rules blocks.
//
// The parsers are pure: interface names are recorded, not looked up; the
// checks at the end of this file (and the VRRP instance checks) do that.
// Messages and their order are keepalived 2.2.7's as `keepalived -t`
// prints them, including its quirks (noted where we copy one).

// ParseAddressLine parses one virtual_ipaddress / virtual_ipaddress_excluded
// line. It returns nil when keepalived would drop the address.
func ParseAddressLine(c *Ctx, n *Node) *IPAddress { return parseAddress(c, n, false) }

// ParseRouteLine parses one virtual_routes line.
func ParseRouteLine(c *Ctx, n *Node) *Route { return parseRoute(c, n, false) }

// ParseRuleLine parses one virtual_rules line.
func ParseRuleLine(c *Ctx, n *Node) *Rule { return parseRule(c, n, false) }

// ParseStaticAddressLine, ParseStaticRouteLine and ParseStaticRuleLine are
// the static_* variants: they accept track_group (and addresses reject
// use_vmac).
func ParseStaticAddressLine(c *Ctx, n *Node) *IPAddress { return parseAddress(c, n, true) }
func ParseStaticRouteLine(c *Ctx, n *Node) *Route       { return parseRoute(c, n, true) }
func ParseStaticRuleLine(c *Ctx, n *Node) *Rule         { return parseRule(c, n, true) }

// parseIPWord parses "ADDR[/LEN]" as keepalived's parse_ipaddress: an
// invalid prefix length is reported and replaced by the full length; an
// invalid address drops the item. Without allowPrefix a '/' makes the
// whole word an (invalid) address.
func parseIPWord(c *Ctx, n *Node, s string, allowPrefix bool) (netip.Prefix, bool) {
	v6 := strings.Contains(s, ":")
	max := 32
	if v6 {
		max = 128
	}
	addr, bits := s, max
	if allowPrefix {
		if i := strings.IndexByte(s, '/'); i >= 0 {
			addr = s[:i]
			if pl := s[i+1:]; pl != "" {
				if v, ok := c.ReadUnsigned(n, pl, 0, uint64(max)); ok {
					bits = int(v)
				} else {
					c.Errorf(n, "Invalid address prefix len %s for address %s - using %d", pl, s, max)
				}
			}
		}
	}
	a, err := netip.ParseAddr(addr)
	if err != nil || a.Zone() != "" || a.Is6() != v6 {
		c.Errorf(n, "VRRP parsed invalid IP %s. skipping IP...", s)
		return netip.Prefix{}, false
	}
	return netip.PrefixFrom(a, bits), true
}

// routeAddr is keepalived's parse_route: an address/prefix or one of the
// default-route words. fam is 4, 6 or 0 (a default of either family).
type routeAddr struct {
	p   netip.Prefix
	fam int
	all bool
}

func parseRouteWord(c *Ctx, n *Node, s string) (routeAddr, bool) {
	switch s {
	case "default", "any", "all":
		return routeAddr{all: true}, true
	case "default6":
		// keepalived logs that 'default6' is deprecated in favour of
		// 'inet6 default'.
		return routeAddr{p: netip.PrefixFrom(netip.IPv6Unspecified(), 0), fam: 6, all: true}, true
	}
	p, ok := parseIPWord(c, n, s, true)
	if !ok {
		return routeAddr{}, false
	}
	fam := 4
	if p.Addr().Is6() {
		fam = 6
	}
	return routeAddr{p: p, fam: fam}, true
}

// resolve gives a default route word the family of its route.
func (r routeAddr) resolve(fam int) netip.Prefix {
	if r.fam != 0 {
		return r.p
	}
	if fam == 6 {
		return netip.PrefixFrom(netip.IPv6Unspecified(), 0)
	}
	return netip.PrefixFrom(netip.IPv4Unspecified(), 0)
}

func famOf(a netip.Addr) int {
	if a.Is6() {
		return 6
	}
	return 4
}

// --- addresses ---

// addrValueKeywords take a value; keepalived checks that one follows.
var addrValueKeywords = map[string]bool{
	"dev": true, "scope": true, "broadcast": true, "brd": true, "label": true,
	"peer": true, "preferred_lft": true, "track_group": true,
}

func parseAddress(c *Ctx, n *Node, static bool) *IPAddress {
	w := n.Words()
	if len(w) == 0 {
		return nil
	}
	p, ok := parseIPWord(c, n, w[0], true)
	if !ok {
		return nil
	}
	a := &IPAddress{Pos: n.Pos, Text: w[0], Prefix: p}
	v6 := p.Addr().Is6()
	maxBits := p.Addr().BitLen()
	for i := 1; i < len(w); i++ {
		kw := w[i]
		if addrValueKeywords[kw] && (static || kw != "track_group") && i+1 >= len(w) {
			c.Errorf(n, "No %s parameter specified for %s", kw, w[0])
			return nil
		}
		switch {
		case kw == "dev":
			if a.Dev != "" {
				c.Errorf(n, "Cannot specify ipaddress device more than once for %s", w[0])
				return nil
			}
			i++
			a.Dev = w[i]
		case kw == "scope":
			i++
			if v, ok := lookupRT(c, rtScope, w[i]); ok {
				a.Scope = uint8(v)
			} else {
				c.Errorf(n, "Invalid scope '%s' specified for %s - ignoring", w[i], w[0])
			}
		case kw == "broadcast" || kw == "brd":
			if v6 {
				// keepalived quotes the keyword here, not its value.
				c.Errorf(n, "VRRP is trying to assign a broadcast %s to the IPv6 address %s !!?? WTF... skipping VIP...", kw, w[0])
				return nil
			}
			i++
			switch w[i] {
			case "+", "-":
				a.BroadcastMode, a.Broadcast = w[i], netip.Addr{}
			default:
				b, err := netip.ParseAddr(w[i])
				if err != nil || !b.Is4() {
					c.Errorf(n, "VRRP is trying to assign invalid broadcast %s. skipping VIP...", w[i])
					return nil
				}
				a.Broadcast, a.BroadcastMode = b, ""
			}
		case kw == "label":
			i++
			if len(w[i]) >= 16 { // IFNAMSIZ
				c.Errorf(n, "Address label %s is longer than maximum length 15 - removing address", w[i])
				return nil
			}
			a.Label = w[i]
		case kw == "peer":
			if a.Peer.IsValid() {
				// keepalived then reads the value as the next option.
				c.Errorf(n, "Peer %s - another peer has already been specified", w[i+1])
				continue
			}
			i++
			pp, ok := parseIPWord(c, n, w[i], false)
			switch {
			case !ok:
				c.Errorf(n, "Invalid peer address %s", w[i])
			case pp.Addr().Is6() != v6:
				c.Errorf(n, "Peer address %s does not match address family", w[i])
			default:
				if a.Prefix.Bits() != maxBits {
					c.Errorf(n, "Cannot specify address prefix when specifying peer address - ignoring")
				}
				a.Peer = pp.Addr()
				a.Prefix = netip.PrefixFrom(a.Prefix.Addr(), maxBits)
			}
		case kw == "home":
			a.Home = true
		case kw == "-nodad":
			a.NoDAD = true
		case kw == "mngtmpaddr":
			a.MngTmpAddr = true
		case kw == "noprefixroute":
			a.NoPrefixRoute = true
		case kw == "autojoin":
			a.AutoJoin = true
		case kw == "no_track":
			a.NoTrack = true
		case kw == "use_vmac" && !static:
			a.UseVMAC = true
		case kw == "track_group" && static:
			i++
			if a.TrackGroup != "" {
				c.Errorf(n, "track_group %s is a duplicate", w[i])
				i = len(w)
				break
			}
			a.TrackGroup = w[i]
		case kw == "preferred_lft":
			i++
			if w[i] == "forever" {
				v := uint32(LifetimeForever)
				a.PreferredLft = &v
			} else if v, ok := c.ReadUnsigned(n, w[i], 0, uintMax32); ok {
				u := uint32(v)
				a.PreferredLft = &u
			} else {
				c.Errorf(n, "preferred_lft %s is invalid", w[i])
			}
		default:
			c.Errorf(n, "Unknown configuration entry '%s' for ip address - ignoring", kw)
		}
	}
	if v6 {
		if a.Scope != 0 {
			c.Errorf(n, "Cannot specify scope for IPv6 addresses (%s) - ignoring scope", w[0])
			a.Scope = 0
		}
		if a.Label != "" {
			c.Errorf(n, "Cannot specify label for IPv6 addresses (%s) - ignoring label", w[0])
			a.Label = ""
		}
	}
	if a.Peer.IsValid() && (a.Broadcast.IsValid() || a.BroadcastMode != "") {
		c.Errorf(n, "Cannot specify broadcast and peer addresses - ignoring broadcast address")
		a.Broadcast, a.BroadcastMode = netip.Addr{}, ""
	}
	if a.BroadcastMode != "" && a.Prefix.Bits() >= 31 {
		c.Errorf(n, "Address prefix length %d too long for broadcast", a.Prefix.Bits())
		a.BroadcastMode = ""
	}
	return a
}

// --- routes ---

// rtntypes are the route types (RTN_*) keepalived knows by name.
var rtntypes = map[string]int{
	"unspec": 0, "unicast": 1, "local": 2, "broadcast": 3, "anycast": 4, "multicast": 5,
	"blackhole": 6, "unreachable": 7, "prohibit": 8, "throw": 9, "nat": 10, "xresolve": 11,
}

// rtnType resolves a route type name, or a number as keepalived also
// accepts (a whole word in C number syntax, at most 255).
func rtnType(s string) (string, bool) {
	if _, ok := rtntypes[s]; ok {
		return s, true
	}
	v, err := parseUintC(s, 0, 8)
	if err != nil {
		return "", false
	}
	for name, t := range rtntypes {
		if uint64(t) == v {
			return name, true
		}
	}
	return s, true
}

// kaU32 is keepalived's get_u32/get_u8/...: an unsigned in [0, max] whose
// failure is reported with msg (a format taking the word).
func kaU32(c *Ctx, n *Node, s string, max uint64, msg string) (uint32, bool) {
	v, ok := c.ReadUnsigned(n, s, 0, max)
	if !ok {
		c.Errorf(n, msg, s)
	}
	return uint32(v), ok
}

// routeParser carries the state of one route line.
type routeParser struct {
	c   *Ctx
	n   *Node
	w   []string
	r   *Route
	fam int
	bad bool // the line is dropped
}

// word returns word i, or reports keepalived's abort.
func (p *routeParser) word(i int) (string, bool) {
	s, ok := p.c.Word(p.n, i)
	if !ok {
		p.bad = true
	}
	return s, ok
}

func (p *routeParser) errorf(format string, a ...any) {
	p.c.Errorf(p.n, format, a...)
	p.bad = true
}

// setFam merges a family; a clash is reported with msg and drops the line.
func (p *routeParser) setFam(f int, msg string) bool {
	if f == 0 {
		return true
	}
	if p.fam == 0 {
		p.fam = f
		return true
	}
	if p.fam != f {
		p.errorf("%s", msg)
		return false
	}
	return true
}

// metric reads "[lock] N" after word i into dst and returns the new index.
func (p *routeParser) metric(i int, name, msg string, max uint64, dst **uint32) (int, bool) {
	s, ok := p.word(i + 1)
	if !ok {
		return i, false
	}
	i++
	if s == "lock" {
		p.r.Metrics.Locked = append(p.r.Metrics.Locked, name)
		if s, ok = p.word(i + 1); !ok {
			return i, false
		}
		i++
	}
	v, ok := kaU32(p.c, p.n, s, max, msg)
	if !ok {
		p.bad = true
		return i, false
	}
	*dst = &v
	return i, true
}

func parseRoute(c *Ctx, n *Node, static bool) *Route {
	w := n.Words()
	p := &routeParser{c: c, n: n, w: w, r: &Route{Pos: n.Pos, Type: "unicast", Table: 254, Mode: "prepend"}}
	r := p.r
	var dst *routeAddr
	doNexthop := false
	i := 0
loop:
	for i < len(w) && !p.bad {
		str := w[i]
		switch str {
		case "inet6", "inet":
			f, other := 6, "inet6 specified for IPv4 route"
			if str == "inet" {
				f, other = 4, "inet specified for IPv6 route"
			}
			if !p.setFam(f, other) {
				break loop
			}
			// keepalived 2.2.7 steps over the word after inet/inet6 as
			// well (so "inet6 default" loses its destination); we copy
			// it to give the same verdict.
			i++
		case "src":
			s, ok := p.word(i + 1)
			if !ok {
				break loop
			}
			i++
			a, ok := parseIPWord(c, n, s, true)
			if !ok {
				p.errorf("invalid route src address %s", s)
				break loop
			}
			r.Src = a.Addr()
			if !p.setFam(famOf(a.Addr()), "Cannot mix IPv4 and IPv6 addresses for route") {
				break loop
			}
		case "as":
			s, ok := p.word(i + 1)
			if !ok {
				break loop
			}
			i++
			if s == "to" {
				i++
			}
			c.Errorf(n, `"as to" for MPLS only - ignoring`)
		case "via", "gw":
			if str == "gw" {
				c.ReportHint(n, ClassGeneral, `"gw" for routes is deprecated. Please use "via"`, "write 'via' instead of 'gw'")
			}
			s, ok := p.word(i + 1)
			if !ok {
				break loop
			}
			i++
			f := p.fam
			if s == "inet" || s == "inet6" {
				f = 4
				if s == "inet6" {
					f = 6
				}
				if s, ok = p.word(i + 1); !ok {
					break loop
				}
				i++
			}
			if !p.setFam(f, "Cannot mix IPv4 and IPv6 addresses for route") {
				break loop
			}
			a, ok := parseIPWord(c, n, s, true)
			if !ok {
				p.errorf("invalid route via address %s", s)
				break loop
			}
			r.Via = a.Addr()
			if !p.setFam(famOf(a.Addr()), "Cannot mix IPv4 and IPv6 addresses for route") {
				break loop
			}
		case "from":
			s, ok := p.word(i + 1)
			if !ok {
				break loop
			}
			i++
			ra, ok := parseRouteWord(c, n, s)
			if !ok {
				p.errorf("invalid route from address %s", s)
				break loop
			}
			if ra.fam != 6 {
				p.errorf("route from address only supported with IPv6 (%s)", s)
				break loop
			}
			r.From = ra.p
			if !p.setFam(6, "Cannot mix IPv4 and IPv6 addresses for route") {
				break loop
			}
		case "tos", "dsfield":
			s, ok := p.word(i + 1)
			if !ok {
				break loop
			}
			i++
			v, ok := lookupRT(c, rtDSField, s)
			if !ok {
				p.errorf("TOS value %s is invalid", s)
				break loop
			}
			t := uint8(v)
			r.TOS = &t
		case "table":
			s, ok := p.word(i + 1)
			if !ok {
				break loop
			}
			i++
			v, ok := lookupRT(c, rtTable, s)
			if !ok {
				p.errorf("Routing table %s not found for route", s)
				break loop
			}
			r.Table = v
		case "protocol":
			s, ok := p.word(i + 1)
			if !ok {
				break loop
			}
			i++
			v, ok := lookupRT(c, rtProto, s)
			if !ok {
				p.errorf("Protocol %s not found or invalid for route", s)
				break loop
			}
			r.Protocol = uint8(v)
			r.hasProtocol = true
		case "scope":
			s, ok := p.word(i + 1)
			if !ok {
				break loop
			}
			i++
			v, ok := lookupRT(c, rtScope, s)
			if !ok {
				p.errorf("Scope %s not found or invalid for route", s)
				break loop
			}
			sc := uint8(v)
			r.Scope = &sc
		case "metric", "priority", "preference":
			s, ok := p.word(i + 1)
			if !ok {
				break loop
			}
			i++
			v, ok := kaU32(c, n, s, uintMax32, "Invalid metric %s specified for route")
			if !ok {
				p.bad = true
				break loop
			}
			r.Metric = &v
		case "dev", "oif":
			s, ok := p.word(i + 1)
			if !ok {
				break loop
			}
			i++
			r.Dev = s
		case "vrf":
			s, ok := p.word(i + 1)
			if !ok {
				break loop
			}
			i++
			r.VRF = s
		case "onlink":
			r.OnLink = true
		case "add", "append", "prepend":
			r.Mode = str
		case "encap":
			e, ni := parseEncap(c, n, w, i)
			i = ni
			if e != nil {
				r.Encap = e
			}
		case "expires":
			s, ok := p.word(i + 1)
			if !ok {
				break loop
			}
			i++
			if p.fam == 4 {
				p.errorf("expires is only valid for IPv6")
				break loop
			}
			p.fam = 6
			v, ok := kaU32(c, n, s, uintMax32, "Invalid expires time %s specified for route")
			if !ok {
				p.bad = true
				break loop
			}
			r.Metrics.Expires = &v
		case "mtu":
			if i, _ = p.metric(i, "mtu", "Invalid MTU %s specified for route", uintMax32, &r.Metrics.MTU); p.bad {
				break loop
			}
		case "hoplimit":
			s, ok := p.word(i + 1)
			if !ok {
				break loop
			}
			i++
			v, ok := kaU32(c, n, s, 255, "Invalid hoplimit %s specified for route")
			if !ok {
				p.bad = true
				break loop
			}
			r.Metrics.Hoplimit = &v
		case "advmss":
			if i, _ = p.metric(i, "advmss", "Invalid advmss %s specified for route", uintMax32, &r.Metrics.AdvMSS); p.bad {
				break loop
			}
		case "reordering":
			if i, _ = p.metric(i, "reordering", "Invalid reordering value %s specified for route", uintMax32, &r.Metrics.Reordering); p.bad {
				break loop
			}
		case "window":
			s, ok := p.word(i + 1)
			if !ok {
				break loop
			}
			i++
			v, ok := kaU32(c, n, s, uintMax32, "Invalid window value %s specified for route")
			if !ok {
				p.bad = true
				break loop
			}
			r.Metrics.Window = &v
		case "cwnd":
			if i, _ = p.metric(i, "cwnd", "Invalid cwnd value %s specified for route", uintMax32, &r.Metrics.CWnd); p.bad {
				break loop
			}
		case "ssthresh":
			if i, _ = p.metric(i, "ssthresh", "Invalid ssthresh value %s specified for route", uintMax32, &r.Metrics.SSThresh); p.bad {
				break loop
			}
		case "initcwnd", "initrwnd", "quickack", "fastopen_no_cookie":
			s, ok := p.word(i + 1)
			if !ok {
				break loop
			}
			i++
			max, msg, dst := uint64(uintMax32), "Invalid initcwnd value %s specified for route", &r.Metrics.InitCWnd
			switch str {
			case "initrwnd":
				msg, dst = "Invalid initrwnd value %s specified for route", &r.Metrics.InitRWnd
			case "quickack":
				max, msg, dst = 1, "Invalid quickack value %s specified for route", &r.Metrics.QuickAck
			case "fastopen_no_cookie":
				max, msg, dst = 1, "Invalid fastopen_no_cookie value %s specified for route", &r.Metrics.FastopenNoCookie
			}
			v, ok := kaU32(c, n, s, max, msg)
			if !ok {
				p.bad = true
				break loop
			}
			*dst = &v
		case "rtt", "rttvar", "rto_min":
			s, ok := p.word(i + 1)
			if !ok {
				break loop
			}
			i++
			if s == "lock" {
				r.Metrics.Locked = append(r.Metrics.Locked, str)
				if s, ok = p.word(i + 1); !ok {
					break loop
				}
				i++
			}
			ms, ok := kaRTTime(c, n, s)
			if !ok {
				if str == "rto_min" {
					p.errorf("Invalid rto_min value %s specified for route", s)
				} else {
					p.errorf("Invalid %s %s for route", str, s)
				}
				break loop
			}
			switch str {
			case "rtt":
				v := ms * 8 // the kernel keeps rtt in 1/8 ms
				r.Metrics.RTT = &v
			case "rttvar":
				v := ms * 4 // and rttvar in 1/4 ms
				r.Metrics.RTTVar = &v
			default:
				r.Metrics.RTOMin = &ms
			}
		case "realms":
			s, ok := p.word(i + 1)
			if !ok {
				break loop
			}
			i++
			v, ok := parseRealms(c, s)
			if !ok {
				p.errorf("Invalid realms %s for route", s)
				break loop
			}
			if p.fam == 6 {
				p.errorf("realms are only valid for IPv4")
				break loop
			}
			p.fam = 4
			r.Realms = v
		case "features":
			s, ok := p.word(i + 1)
			if !ok {
				break loop
			}
			i++
			if s == "ecn" {
				r.Metrics.FeaturesECN = true
			} else {
				c.Errorf(n, "feature %s not supported", s)
			}
		case "congctl":
			s, ok := p.word(i + 1)
			if !ok {
				break loop
			}
			i++
			if s == "lock" {
				r.Metrics.Locked = append(r.Metrics.Locked, "congctl")
				if s, ok = p.word(i + 1); !ok {
					break loop
				}
				i++
			}
			r.Metrics.CongCtl = s
		case "pref":
			s, ok := p.word(i + 1)
			if !ok {
				break loop
			}
			i++
			if p.fam == 4 {
				p.errorf("pref is only valid for IPv6")
				break loop
			}
			p.fam = 6
			var v uint8
			switch s {
			case "low":
				v = 3 // ICMPV6_ROUTER_PREF_LOW
			case "medium":
				v = 0
			case "high":
				v = 1
			default:
				u, ok := kaU32(c, n, s, 255, "Invalid pref value %s specified for route")
				if !ok {
					p.bad = true
					break loop
				}
				v = uint8(u)
			}
			r.Metrics.Pref = &v
		case "ttl-propagate":
			s, ok := p.word(i + 1)
			if !ok {
				break loop
			}
			i++
			switch s {
			case "enabled", "disabled":
				b := s == "enabled"
				r.Metrics.TTLPropagate = &b
			default:
				c.Errorf(n, "%s value %s not recognised", "ttl-propagate", s)
				b := false
				r.Metrics.TTLPropagate = &b
			}
		case "or":
			// Kept for old configurations: "via A or B".
			c.ReportHint(n, ClassGeneral, `"or" for routes is deprecated. Please use "nexthop"`, "write 'nexthop via A nexthop via B'")
			if len(r.Nexthops) > 0 {
				c.Errorf(n, `"or" route already specified - ignoring subsequent`)
				i += 2
				continue
			}
			s, ok := p.word(i + 1)
			if !ok {
				break loop
			}
			i++
			first := Nexthop{Via: r.Via}
			r.Via = netip.Addr{}
			a, ok := parseIPWord(c, n, s, true)
			if !ok {
				p.errorf(`Invalid "or" address %s`, s)
				break loop
			}
			r.Nexthops = append(r.Nexthops, first, Nexthop{Via: a.Addr()})
		case "nexthop":
			if len(r.Nexthops) > 0 {
				c.Errorf(n, `Cannot specify nexthops with "or" route`)
			} else {
				doNexthop = true
			}
			break loop
		case "no_track":
			r.NoTrack = true
		default:
			if str == "track_group" && static {
				s, ok := p.word(i + 1)
				if !ok {
					break loop
				}
				i++
				if r.TrackGroup != "" {
					c.Errorf(n, "track_group %s is a duplicate", s)
					break loop
				}
				r.TrackGroup = s
				break
			}
			if str == "to" {
				i++
			}
			// keepalived tests the type on the word before "to" (so "to
			// blackhole X" is not a type); we do the same.
			if t, ok := rtnType(str); ok {
				r.Type = t
				i++
			}
			d, ok := p.word(i)
			if !ok {
				break loop
			}
			ra, ok := parseRouteWord(c, n, d)
			if !ok {
				p.errorf("unknown route keyword %s", d)
				break loop
			}
			dst, r.Dest = &ra, d
			if !p.setFam(ra.fam, fmt.Sprintf("Cannot mix IPv4 and IPv6 addresses for route (%s)", d)) {
				break loop
			}
		}
		i++
	}
	if p.bad {
		return nil
	}
	if doNexthop {
		parseNexthops(c, n, w, i, p)
		if p.bad {
			return nil
		}
	} else if i < len(w) {
		c.Errorf(n, "Route has trailing nonsense - %s", w[i])
		return nil
	}
	if dst == nil {
		c.Errorf(n, "Route must have a destination")
		return nil
	}
	if !r.NoTrack {
		if r.hasProtocol && r.Protocol != rtprotKeepalived {
			c.Errorf(n, "Route cannot be tracked if protocol is not RTPROT_KEEPALIVED(%d), resetting protocol", rtprotKeepalived)
		}
		r.Protocol = rtprotKeepalived
		if r.Dev == "" {
			c.Errorf(n, "Warning - cannot track route %s with no interface specified, not tracking", r.Dest)
			r.NoTrack = true
		}
	}
	if r.TrackGroup != "" && r.Dev == "" {
		c.Errorf(n, "Static route cannot have track group if no oif specified")
		r.TrackGroup = ""
	}
	if p.fam == 0 {
		p.fam = 4
	}
	r.IPv6 = p.fam == 6
	r.Dst = dst.resolve(p.fam)
	return r
}

// parseNexthops reads "nexthop ..." groups from word i. As in keepalived,
// a bad nexthop is reported and dropped but the route is kept.
func parseNexthops(c *Ctx, n *Node, w []string, i int, p *routeParser) {
	r := p.r
	for i < len(w) && w[i] == "nexthop" {
		i++
		nh := Nexthop{}
		ok := true
	hop:
		for i < len(w) {
			switch w[i] {
			case "via":
				s, k := p.word(i + 1)
				if !k {
					return
				}
				i++
				f := 0
				if s == "inet" || s == "inet6" {
					f = 4
					if s == "inet6" {
						f = 6
					}
					if s, k = p.word(i + 1); !k {
						return
					}
					i++
				}
				if f != 0 {
					if p.fam == 0 {
						p.fam = f
					} else if p.fam != f {
						c.Errorf(n, "IPv4/6 mismatch for nexthop")
						ok = false
						break hop
					}
				}
				a, k := parseIPWord(c, n, s, true)
				if !k {
					c.Errorf(n, "invalid nexthop address %s", s)
					ok = false
					break hop
				}
				if p.fam != 0 && famOf(a.Addr()) != p.fam {
					c.Errorf(n, "Address family mismatch for next hop")
					ok = false
					break hop
				}
				if p.fam == 0 {
					p.fam = famOf(a.Addr())
				}
				nh.Via = a.Addr()
			case "dev":
				s, k := p.word(i + 1)
				if !k {
					return
				}
				i++
				nh.Dev = s
			case "weight":
				s, k := p.word(i + 1)
				if !k {
					return
				}
				i++
				v, k := kaU32(c, n, s, 256, "Invalid weight %s specified for route")
				if !k {
					ok = false
					break hop
				}
				if v == 0 {
					c.Errorf(n, "Invalid weight 0 specified for route")
					ok = false
					break hop
				}
				nh.Weight = int(v)
			case "onlink":
				nh.OnLink = true
			case "encap":
				e, ni := parseEncap(c, n, w, i)
				i = ni
				if e != nil {
					nh.Encap = e
				}
			case "realms":
				s, k := p.word(i + 1)
				if !k {
					return
				}
				i++
				v, k := parseRealms(c, s)
				if !k {
					c.Errorf(n, "Invalid realms %s for route", s)
					ok = false
					break hop
				}
				if p.fam == 0 {
					p.fam = 4
				} else if p.fam != 4 {
					c.Errorf(n, "realms are only supported for IPv4")
					ok = false
					break hop
				}
				nh.Realms = v
			case "as":
				s, k := p.word(i + 1)
				if !k {
					return
				}
				i++
				if s == "to" {
					i++
				}
				c.Errorf(n, "'as [to]' (nat) not supported")
				ok = false
				break hop
			default:
				break hop
			}
			i++
		}
		if !ok {
			return
		}
		r.Nexthops = append(r.Nexthops, nh)
	}
	if i < len(w) {
		c.Errorf(n, "Route has trailing nonsense after nexthops - %s", w[i])
	}
}

// parseEncap reads "encap TYPE ..." starting at w[i] == "encap" and
// returns the index of the last word it used, as keepalived's parse_encap
// leaves it: a failing option word is read again as a route option.
func parseEncap(c *Ctx, n *Node, w []string, i int) (*Encap, int) {
	i++
	if i >= len(w) {
		c.Errorf(n, "Missing encap type")
		return nil, i
	}
	typ := w[i]
	i++
	e := &Encap{Type: typ}
	ok := true
	switch typ {
	case "mpls":
		if i >= len(w) {
			c.Errorf(n, "missing address for MPLS encapsulation")
			return nil, i - 1
		}
		labels, k := parseMPLS(w[i])
		i++
		if !k {
			c.Errorf(n, "invalid mpls address %s for encapsulation", w[i-1])
			return nil, i - 1
		}
		e.Labels = labels
	case "ila":
		if i >= len(w) {
			c.Errorf(n, "missing locator for ILA encapsulation")
			return nil, i - 1
		}
		loc, k := parseAddr64(w[i])
		i++
		if !k {
			c.Errorf(n, "invalid locator %s for ila encapsulation", w[i-1])
			return nil, i - 1
		}
		e.Locator = loc
	case "ip", "ip6":
		i, ok = parseEncapIP(c, n, w, i, e, typ == "ip6")
	default:
		c.Errorf(n, "Unknown encap type - %s", typ)
		return nil, i - 1
	}
	if !ok {
		return nil, i - 1
	}
	return e, i - 1
}

func parseEncapIP(c *Ctx, n *Node, w []string, i int, e *Encap, v6 bool) (int, bool) {
	msgs := map[string]string{
		"id": "encap id %s value is invalid", "dst": "Invalid encap ip dst %s", "src": "Invalid encap ip src %s",
		"fam": "IPv6 address %s not valid for ip encapsulation", "tos": "dsfield %s not valid for ip encapsulation",
		"ttl": "ttl %s is not valid for ip encapsulation", "flags": "flags %s is not valid for ip encapsulation",
		"missing": "address or id missing for ip encapsulation",
	}
	tosKw, ttlKw := "tos", "ttl"
	if v6 {
		msgs = map[string]string{
			"id": "id %s value invalid for IPv6 encapsulation", "dst": "Invalid encap ip6 dst %s", "src": "Invalid encap ip6 src %s",
			"fam": "IPv4 address %s not valid for ip6 encapsulation", "tos": "tc value %s is invalid for ip6 encapsulation",
			"ttl": "Invalid hoplimit %s specified for ip6 encapsulation", "flags": "flags %s is not valid for ip6 encapsulation",
			"missing": "address or id missing for ip6 encapsulation",
		}
		tosKw, ttlKw = "tc", "hoplimit"
	}
	for i+1 < len(w) {
		k, v := w[i], w[i+1]
		switch k {
		case "id":
			u, ok := c.ReadUnsigned64(n, v, 0, 1<<64-1)
			if !ok {
				c.Errorf(n, msgs["id"], v)
				return i, false
			}
			e.ID = &u
		case "dst", "src":
			p, ok := parseIPWord(c, n, v, true)
			if !ok {
				c.Errorf(n, msgs[k], v)
				return i, false
			}
			if p.Addr().Is6() != v6 {
				c.Errorf(n, msgs["fam"], v)
				return i, false
			}
			if k == "dst" {
				e.Dst = p.Addr()
			} else {
				e.Src = p.Addr()
			}
		case tosKw:
			t, ok := lookupRT(c, rtDSField, v)
			if !ok {
				// keepalived quotes the keyword for ip6 "tc".
				q := v
				if v6 {
					q = k
				}
				c.Errorf(n, msgs["tos"], q)
				return i, false
			}
			b := uint8(t)
			e.TOS = &b
		case ttlKw:
			t, ok := kaU32(c, n, v, 255, msgs["ttl"])
			if !ok {
				return i, false
			}
			b := uint8(t)
			e.TTL = &b
		case "flags":
			f, ok := kaU32(c, n, v, 65535, msgs["flags"])
			if !ok {
				return i, false
			}
			h := uint16(f)
			e.Flags = &h
		default:
			goto done
		}
		i += 2
	}
done:
	if !e.Dst.IsValid() && e.ID == nil {
		c.Errorf(n, "%s", msgs["missing"])
		return i, false
	}
	return i, true
}

// parseMPLS reads LABEL[/LABEL...]; labels are 20 bits.
func parseMPLS(s string) ([]uint32, bool) {
	var out []uint32
	for _, l := range strings.Split(s, "/") {
		v, err := parseUintC(l, 0, 32)
		if err != nil || v >= 1<<20 {
			return nil, false
		}
		out = append(out, uint32(v))
	}
	return out, true
}

// parseAddr64 reads an ILA locator: four groups of up to four hex digits.
func parseAddr64(s string) (uint64, bool) {
	parts := strings.Split(s, ":")
	if len(parts) != 4 {
		return 0, false
	}
	var v uint64
	for _, p := range parts {
		if p == "" || len(p) > 4 {
			return 0, false
		}
		x, err := strconv.ParseUint(p, 16, 16)
		if err != nil {
			return 0, false
		}
		v = v<<16 | x
	}
	return v, true
}

// kaRTTime reads a route time (rtt, rttvar, rto_min) as milliseconds:
// N or Nms/Nmsec/Nmsecs (milliseconds), or Ns/Nsec/Nsecs (seconds, three
// decimals). keepalived 2.2.7 no longer takes exponent forms.
func kaRTTime(c *Ctx, n *Node, s string) (uint32, bool) {
	j := 0
	for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == '.' || s[j] == '+' || s[j] == '-') {
		j++
	}
	num, unit := s[:j], s[j:]
	if strings.HasPrefix(unit, "e") || strings.HasPrefix(unit, "E") {
		return 0, false
	}
	switch unit {
	case "s", "sec", "secs":
		v, ok := c.ReadDecimal(n, num, 3, 0, 960000, false)
		return uint32(v), ok
	case "", "ms", "msec", "msecs":
		v, ok := c.ReadDecimal(n, num, 0, 0, 960000, false)
		return uint32(v), ok
	}
	c.Report(n, ClassInvalidNumber, fmt.Sprintf("invalid number '%s'", s))
	return 0, false
}

// parseRealms reads [FROM/]TO, each a realm name or number.
func parseRealms(c *Ctx, s string) (uint32, bool) {
	from, to, has := strings.Cut(s, "/")
	if !has {
		from, to = "", s
	}
	var f uint32
	if has {
		v, ok := lookupRT(c, rtRealm, from)
		if !ok {
			return 0, false
		}
		f = v
	}
	t, ok := lookupRT(c, rtRealm, to)
	if !ok {
		return 0, false
	}
	return f<<16 | t, true
}

// --- rules ---

// ipProtos are the protocol names ipproto accepts (as /etc/protocols
// spells them, in both cases).
var ipProtos = map[string]uint8{
	"ip": 0, "icmp": 1, "igmp": 2, "ipencap": 4, "tcp": 6, "egp": 8, "pup": 12, "udp": 17,
	"idp": 22, "dccp": 33, "ipv6": 41, "rsvp": 46, "gre": 47, "esp": 50, "ah": 51,
	"ipv6-icmp": 58, "icmpv6": 58, "ospf": 89, "pim": 103, "vrrp": 112, "l2tp": 115,
	"sctp": 132, "udplite": 136, "mpls-in-ip": 137,
}

func parseRule(c *Ctx, n *Node, static bool) *Rule {
	w := n.Words()
	r := &Rule{Pos: n.Pos}
	fam := 0
	tableOption, hasPriority, hasProtocol := false, false, false
	word := func(i int) (string, bool) { return c.Word(n, i) }
	mixed := func(f int) bool {
		if fam == 0 {
			fam = f
		} else if f != 0 && f != fam {
			c.Errorf(n, "rule specification has mixed IPv4 and IPv6")
			return false
		}
		return true
	}
	for i := 0; i < len(w); i++ {
		str := w[i]
		switch str {
		case "inet6", "inet":
			f, other := 6, "inet6 specified for IPv4 rule"
			if str == "inet" {
				f, other = 4, "inet specified for IPv6 rule"
			}
			if fam == 0 {
				fam = f
			} else if fam != f {
				c.Errorf(n, "%s", other)
				return nil
			}
			// Same 2.2.7 quirk as routes: the next word is skipped.
			i++
		case "from", "to":
			s, ok := word(i + 1)
			if !ok {
				return nil
			}
			i++
			ra, ok := parseRouteWord(c, n, s)
			if !ok {
				c.Errorf(n, "Invalid rule %s address %s", str, s)
				return nil
			}
			if str == "from" {
				r.From, r.FromAll = ra.p, ra.all
			} else {
				r.To, r.ToAll = ra.p, ra.all
			}
			if !mixed(ra.fam) {
				return nil
			}
		case "table", "lookup":
			s, ok := word(i + 1)
			if !ok {
				return nil
			}
			i++
			v, ok := lookupRT(c, rtTable, s)
			if !ok {
				c.Errorf(n, "Routing table %s not found for rule", s)
				return nil
			}
			if v == 0 {
				c.Errorf(n, "Table 0 is not valid")
				return nil
			}
			r.Table = v
			if r.Action != "" {
				c.Errorf(n, "Cannot specify more than one of table/nop/goto/blackhole/prohibit/unreachable for rule")
				return nil
			}
			r.Action = "table"
		case "not":
			r.Not = true
		case "preference", "order", "priority":
			s, ok := word(i + 1)
			if !ok {
				return nil
			}
			i++
			v, ok := c.ReadUnsignedBase(n, s, 0, 0, uintMax32)
			if !ok {
				// keepalived quotes the keyword, not the value.
				c.Errorf(n, "Invalid rule preference %s specified", str)
				return nil
			}
			r.Priority, hasPriority = uint32(v), true
		case "tos", "dsfield":
			s, ok := word(i + 1)
			if !ok {
				return nil
			}
			i++
			v, ok := lookupRT(c, rtDSField, s)
			if !ok {
				c.Errorf(n, "TOS value %s is invalid", s)
				return nil
			}
			t := uint8(v)
			r.TOS = &t
		case "fwmark":
			s, ok := word(i + 1)
			if !ok {
				return nil
			}
			i++
			mark, mask, ok := parseFwmark(s)
			if !ok {
				c.Errorf(n, "Invalid rule fwmark %s specified", s)
				return nil
			}
			r.Fwmark, r.Fwmask = &mark, mask
		case "realms":
			s, ok := word(i + 1)
			if !ok {
				return nil
			}
			i++
			v, ok := parseRealms(c, s)
			if !ok {
				c.Errorf(n, "invalid realms %s for rule", s)
				return nil
			}
			r.Realms, tableOption = v, true
			if fam == 0 {
				fam = 4
			} else if fam != 4 {
				c.Errorf(n, "realms is only valid for IPv4")
				return nil
			}
		case "suppress_prefixlength", "sup_pl":
			s, ok := word(i + 1)
			if !ok {
				return nil
			}
			i++
			v, ok := c.ReadUnsigned(n, s, 0, intMax32)
			if !ok {
				c.Errorf(n, "Invalid suppress_prefixlength %s specified", str)
				return nil
			}
			l := int32(v)
			r.SuppressPrefixLen, tableOption = &l, true
		case "suppress_ifgroup", "sup_group":
			s, ok := word(i + 1)
			if !ok {
				return nil
			}
			i++
			v, ok := lookupRT(c, rtGroup, s)
			if !ok {
				c.Errorf(n, "suppress_group %s is invalid", s)
				return nil
			}
			r.SuppressIfGroup, tableOption = &v, true
		case "dev", "iif", "oif":
			s, ok := word(i + 1)
			if !ok {
				return nil
			}
			i++
			if str == "oif" {
				r.OIF = s
			} else {
				r.IIF = s
			}
		case "tunnel-id":
			s, ok := word(i + 1)
			if !ok {
				return nil
			}
			i++
			v, ok := c.ReadUnsigned64(n, s, 0, 1<<64-1)
			if !ok {
				c.Errorf(n, "Invalid tunnel-id %s specified", str)
				return nil
			}
			r.TunnelID = &v
		case "uidrange":
			s, ok := word(i + 1)
			if !ok {
				return nil
			}
			i++
			a, b, ok := scanRange(s, uintMax32)
			if !ok {
				c.Errorf(n, "Invalid uidrange %s specified", str)
				return nil
			}
			r.UIDRange = &[2]uint32{uint32(a), uint32(b)}
		case "l3mdev":
			r.L3mdev = true
			if r.Action != "" {
				c.Errorf(n, "Cannot specify l3mdev with other action")
				return nil
			}
			r.Action = "table"
		case "protocol":
			s, ok := word(i + 1)
			if !ok {
				return nil
			}
			i++
			if v, ok := c.ReadUnsigned(n, s, 0, 255); ok {
				r.Protocol, hasProtocol = uint8(v), true
			} else {
				c.Errorf(n, "Invalid protocol %s", s)
			}
		case "ipproto":
			s, ok := word(i + 1)
			if !ok {
				return nil
			}
			i++
			if v, ok := parseIPProto(s); ok {
				r.IPProto = &v
			} else {
				c.Errorf(n, "Invalid ipproto %s", s)
			}
		case "sport", "dport":
			s, ok := word(i + 1)
			if !ok {
				return nil
			}
			i++
			// keepalived 2.2.7 needs both ends of the range: a single
			// port is rejected.
			a, b, ok := scanRange(s, 65535)
			if !ok {
				c.Errorf(n, "invalid %s range %s", str, s)
				break
			}
			pr := &[2]uint16{uint16(a), uint16(b)}
			if str == "sport" {
				r.SPort = pr
			} else {
				r.DPort = pr
			}
		case "no_track":
			r.NoTrack = true
		default:
			if str == "track_group" && static {
				s, ok := word(i + 1)
				if !ok {
					return nil
				}
				i++
				if r.TrackGroup != "" {
					c.Errorf(n, "track_group %s is a duplicate", s)
					i = len(w)
					break
				}
				r.TrackGroup = s
				break
			}
			if str == "type" {
				s, ok := word(i + 1)
				if !ok {
					return nil
				}
				i++
				str = s
			}
			action := ""
			switch {
			case str == "goto":
				s, ok := word(i + 1)
				if !ok {
					return nil
				}
				i++
				v, ok := c.ReadUnsigned(n, s, 0, uintMax32)
				if !ok {
					c.Errorf(n, "Invalid target %s specified", str)
					return nil
				}
				r.Goto, action = uint32(v), "goto"
			case str == "nop":
				action = "nop"
			case func() bool { _, ok := rtnType(str); return ok }():
				t, _ := rtnType(str)
				if t != "blackhole" && t != "unreachable" && t != "prohibit" {
					c.Errorf(n, "Invalid rule action %s", str)
					return nil
				}
				action = t
			default:
				c.Errorf(n, "Unknown rule option %s", str)
				return nil
			}
			if r.Action != "" {
				c.Errorf(n, "Cannot specify more than one of table/nop/goto/blackhole/prohibit/unreachable/l3mdev for rule")
				return nil
			}
			r.Action = action
		}
	}
	if r.Action == "goto" {
		if !hasPriority {
			c.Errorf(n, "Invalid rule - goto target %d specified without preference", r.Goto)
			return nil
		}
		if r.Priority >= r.Goto {
			c.Errorf(n, "Invalid rule - preference %d >= goto target %d", r.Priority, r.Goto)
			return nil
		}
	}
	if r.Action == "" {
		c.Errorf(n, "No action specified for rule - ignoring")
		return nil
	}
	if r.Action != "table" && tableOption {
		c.Errorf(n, "suppressor/realm specified for non table action - skipping")
		return nil
	}
	if r.Table != 0 && r.L3mdev {
		c.Errorf(n, "table cannot be specified for l3mdev rules")
		return nil
	}
	if !r.NoTrack {
		if hasProtocol && r.Protocol != rtprotKeepalived {
			c.Errorf(n, "Rule cannot be tracked if protocol is not RTPROT_KEEPALIVED(%d), resetting protocol", rtprotKeepalived)
		}
		r.Protocol = rtprotKeepalived
	}
	if r.TrackGroup != "" && r.IIF == "" {
		c.Errorf(n, "Static rule cannot have track_group if dev/iif not specified")
		r.TrackGroup = ""
	}
	if fam == 0 {
		fam = 4
	}
	r.IPv6 = fam == 6
	if r.FromAll && !r.From.IsValid() {
		r.From = routeAddr{all: true}.resolve(fam)
	}
	if r.ToAll && !r.To.IsValid() {
		r.To = routeAddr{all: true}.resolve(fam)
	}
	if !hasPriority {
		// keepalived hands out preferences downwards from 16384, one
		// counter per family, across static and virtual rules.
		r.Priority, r.PriorityAuto = nextRulePriority(c, r.IPv6), true
		c.Errorf(n, "Rule has no preference specified - setting to %d. This is probably not what you want.", r.Priority)
	}
	return r
}

func nextRulePriority(c *Ctx, v6 bool) uint32 {
	if c.Cfg == nil {
		return firstAutoRulePriority
	}
	g := &c.Cfg.Global
	p := &g.nextRulePrio4
	if v6 {
		p = &g.nextRulePrio6
	}
	if *p == 0 { // a GlobalDefs not made by DefaultGlobalDefs
		*p = firstAutoRulePriority
	}
	v := *p
	*p--
	return v
}

// parseFwmark reads MARK[/MASK] (C number syntax, no sign).
func parseFwmark(s string) (uint32, *uint32, bool) {
	m, mask, has := strings.Cut(s, "/")
	num := func(x string) (uint32, bool) {
		if x == "" || x[0] == '-' || x[0] == ' ' {
			return 0, false
		}
		v, err := parseUintC(strings.TrimPrefix(x, "+"), 0, 32)
		return uint32(v), err == nil
	}
	mv, ok := num(m)
	if !ok {
		return 0, nil, false
	}
	if !has {
		return mv, nil, true
	}
	kv, ok := num(mask)
	if !ok {
		return 0, nil, false
	}
	return mv, &kv, true
}

// scanRange reads "A-B" as sscanf("%u-%u") / ("%hu-%hu") does: both
// numbers needed, anything after the second ignored, and values wrapped to
// the width of the C type (max+1).
func scanRange(s string, max uint64) (uint64, uint64, bool) {
	lead := func(x string) (uint64, string, bool) {
		j := 0
		for j < len(x) && x[j] >= '0' && x[j] <= '9' {
			j++
		}
		if j == 0 {
			return 0, x, false
		}
		v, err := strconv.ParseUint(x[:j], 10, 64)
		if err != nil {
			v = 1<<64 - 1 // strtoul saturates
		}
		return v & max, x[j:], true
	}
	a, rest, ok := lead(s)
	if !ok || !strings.HasPrefix(rest, "-") {
		return 0, 0, false
	}
	b, _, ok := lead(rest[1:])
	if !ok {
		return 0, 0, false
	}
	return a, b, true
}

func parseIPProto(s string) (uint8, bool) {
	if v, ok := ipProtos[strings.ToLower(s)]; ok && (s == strings.ToLower(s) || s == strings.ToUpper(s)) {
		return v, true
	}
	v, err := strconv.ParseUint(s, 10, 8)
	return uint8(v), err == nil
}

// --- static_* blocks ---

func init() {
	registerTop("static_ipaddress", Entry[Config]{Block: true, H: func(c *Ctx, n *Node, cfg *Config) {
		reportExtraBlockParams(c, n)
		for _, l := range n.Block {
			if a := parseAddress(c, l, true); a != nil {
				cfg.StaticAddresses = append(cfg.StaticAddresses, a)
			}
		}
	}})
	registerTop("static_routes", Entry[Config]{Block: true, H: func(c *Ctx, n *Node, cfg *Config) {
		reportExtraBlockParams(c, n)
		for _, l := range n.Block {
			if r := parseRoute(c, l, true); r != nil {
				cfg.StaticRoutes = append(cfg.StaticRoutes, r)
			}
		}
	}})
	registerTop("static_rules", Entry[Config]{Block: true, H: func(c *Ctx, n *Node, cfg *Config) {
		reportExtraBlockParams(c, n)
		for _, l := range n.Block {
			if r := parseRule(c, l, true); r != nil {
				cfg.StaticRules = append(cfg.StaticRules, r)
			}
		}
	}})
	// keepalived checks the interfaces of static items while reading
	// them, in its VRRP pass; ours run with the VRRP checks.
	registerCheck(29, "static interfaces", checkStaticInterfaces)
}

// --- interface checks (shared with the VRRP instance checks) ---

// FilterAddressDevs drops the addresses whose dev interface does not exist
// on the host, with keepalived's message; static addresses without dev
// need the default interface. With dynamic_interfaces nothing is checked.
func FilterAddressDevs(c *Ctx, list []*IPAddress, static bool) []*IPAddress {
	g := globalsOf(c)
	out := list[:0]
	for _, a := range list {
		switch {
		case g.DynamicInterfaces:
		case a.Dev != "" && !c.host().InterfaceExists(a.Dev):
			c.missingIf = true
			c.add(Diagnostic{Pos: a.Pos, Class: ClassGeneral, Msg: fmt.Sprintf("WARNING - interface %s for ip address %s doesn't exist", a.Dev, a.Text)})
			continue
		case a.Dev == "" && static && !c.host().InterfaceExists(g.DefaultInterface):
			c.add(Diagnostic{Pos: a.Pos, Class: ClassBadIf, Msg: fmt.Sprintf("Static address %s requires either an interface or default interface must exist", a.Text)})
			continue
		}
		out = append(out, a)
	}
	return out
}

// FilterRouteDevs drops the routes whose interfaces (dev/oif, nexthop dev,
// vrf) do not exist.
func FilterRouteDevs(c *Ctx, list []*Route) []*Route {
	g := globalsOf(c)
	out := list[:0]
	for _, r := range list {
		if !g.DynamicInterfaces && !routeDevsOK(c, r) {
			continue
		}
		out = append(out, r)
	}
	return out
}

func routeDevsOK(c *Ctx, r *Route) bool {
	missing := func(dev string) bool {
		if dev != "" && !c.host().InterfaceExists(dev) {
			c.missingIf = true
			c.add(Diagnostic{Pos: r.Pos, Class: ClassGeneral, Msg: fmt.Sprintf("WARNING - interface %s for VROUTE nexthop doesn't exist", dev)})
			return true
		}
		return false
	}
	if missing(r.Dev) {
		return false
	}
	if r.VRF != "" && !c.host().InterfaceExists(r.VRF) {
		c.add(Diagnostic{Pos: r.Pos, Class: ClassGeneral, Msg: fmt.Sprintf("VRF %s not found for route", r.VRF)})
		return false
	}
	// A missing nexthop interface drops that nexthop only.
	hops := r.Nexthops[:0]
	for _, nh := range r.Nexthops {
		if !missing(nh.Dev) {
			hops = append(hops, nh)
		}
	}
	r.Nexthops = hops
	return true
}

// FilterRuleDevs drops the rules whose iif/oif does not exist.
func FilterRuleDevs(c *Ctx, list []*Rule) []*Rule {
	g := globalsOf(c)
	out := list[:0]
	for _, r := range list {
		if !g.DynamicInterfaces {
			bad := false
			for _, dev := range []string{r.IIF, r.OIF} {
				if dev != "" && !c.host().InterfaceExists(dev) {
					c.missingIf = true
					c.add(Diagnostic{Pos: r.Pos, Class: ClassGeneral, Msg: fmt.Sprintf("WARNING - interface %s for rule doesn't exist", dev)})
					bad = true
					break
				}
			}
			if bad {
				continue
			}
		}
		out = append(out, r)
	}
	return out
}

func globalsOf(c *Ctx) *GlobalDefs {
	if c.Cfg == nil {
		g := DefaultGlobalDefs()
		return &g
	}
	return &c.Cfg.Global
}

func checkStaticInterfaces(c *Ctx, cfg *Config) {
	cfg.StaticAddresses = FilterAddressDevs(c, cfg.StaticAddresses, true)
	cfg.StaticRoutes = FilterRouteDevs(c, cfg.StaticRoutes)
	cfg.StaticRules = FilterRuleDevs(c, cfg.StaticRules)
}

// --- iproute2 name tables ---

// rtKind selects one of iproute2's name tables.
type rtKind int

const (
	rtTable rtKind = iota
	rtProto
	rtScope
	rtDSField
	rtRealm
	rtGroup
)

// rtNames maps names to numbers for each table: iproute2's reserved names,
// then the host's /etc/iproute2 files (read through the configuration's
// FS), as keepalived's rttables.c does.
type rtNames [6]map[string]uint32

var rtFiles = [6]string{"rt_tables", "rt_protos", "rt_scopes", "rt_dsfield", "rt_realms", "group"}

// rtMax is the largest number each table takes (tables are 32 bits and,
// as keepalived reads them with strtoul, wrap rather than fail).
var rtMax = [6]uint64{uintMax32, 255, 255, 255, 65535, uintMax32}

func defaultRTNames() *rtNames {
	var t rtNames
	t[rtTable] = map[string]uint32{"local": 255, "main": 254, "default": 253, "unspec": 0}
	t[rtProto] = map[string]uint32{
		"unspec": 0, "redirect": 1, "kernel": 2, "boot": 3, "static": 4, "gated": 8, "ra": 9,
		"mrt": 10, "zebra": 11, "bird": 12, "dnrouted": 13, "xorp": 14, "ntk": 15, "dhcp": 16,
		"keepalived": 18, "babel": 42, "openr": 99, "bgp": 186, "isis": 187, "ospf": 188,
		"rip": 189, "eigrp": 192,
	}
	t[rtScope] = map[string]uint32{"global": 0, "nowhere": 255, "host": 254, "link": 253, "site": 200}
	t[rtDSField] = map[string]uint32{
		"default": 0x0, "AF11": 0x28, "AF12": 0x30, "AF13": 0x38, "AF21": 0x48, "AF22": 0x50,
		"AF23": 0x58, "AF31": 0x68, "AF32": 0x70, "AF33": 0x78, "AF41": 0x88, "AF42": 0x90,
		"AF43": 0x98, "CS1": 0x20, "CS2": 0x40, "CS3": 0x60, "CS4": 0x80, "CS5": 0xA0,
		"CS6": 0xC0, "CS7": 0xE0, "EF": 0xB8,
	}
	t[rtRealm] = map[string]uint32{"cosmos": 0}
	t[rtGroup] = map[string]uint32{"default": 0}
	return &t
}

func rtNamesFor(c *Ctx) *rtNames {
	if c.Cfg != nil && c.Cfg.Global.rt != nil {
		return c.Cfg.Global.rt
	}
	t := defaultRTNames()
	fs := c.fs()
	for k, f := range rtFiles {
		files := []string{"/etc/iproute2/" + f}
		if k == int(rtTable) || k == int(rtProto) {
			if m, err := fs.Glob("/etc/iproute2/" + f + ".d/*.conf"); err == nil {
				files = append(files, m...)
			}
		}
		for _, name := range files {
			data, err := fs.ReadFile(name)
			if err != nil {
				continue
			}
			for _, line := range strings.Split(string(data), "\n") {
				fields := strings.Fields(line)
				if len(fields) < 2 || strings.HasPrefix(fields[0], "#") {
					continue
				}
				if v, err := parseUintC(fields[0], 0, 32); err == nil && v <= rtMax[k] {
					t[k][fields[1]] = uint32(v)
				}
			}
		}
	}
	if c.Cfg != nil {
		c.Cfg.Global.rt = t
	}
	return t
}

// lookupRT resolves a number (C syntax: 0x.., 0..) or a name.
func lookupRT(c *Ctx, k rtKind, s string) (uint32, bool) {
	if s == "" {
		return 0, false
	}
	if s[0] >= '0' && s[0] <= '9' || s[0] == '-' || s[0] == '+' {
		neg := s[0] == '-'
		v, err := parseUintC(strings.TrimLeft(s, "+-"), 0, 64)
		if err != nil {
			return 0, false
		}
		if neg {
			v = -v // strtoul wraps negative numbers
		}
		if k == rtTable {
			return uint32(v), true
		}
		if v > rtMax[k] {
			return 0, false
		}
		return uint32(v), true
	}
	v, ok := rtNamesFor(c)[k][s]
	return v, ok
}
