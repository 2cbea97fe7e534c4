package config

import (
	"fmt"
	"math"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// Top-level keywords of the checker side (keepalived's init_check_keywords):
// SSL, virtual_server_group and virtual_server. The blocks' own tables are in
// kw_lvs_vs.go (virtual/real servers) and kw_lvs_checkers.go (checkers).

func init() {
	registerTop("SSL", Entry[Config]{Block: true, H: sslBlock})
	registerTop("virtual_server_group", Entry[Config]{Block: true, H: vsgBlock})
	registerTop("virtual_server", Entry[Config]{Block: true, H: vsBlock})
	registerCheck(20, "lvs", checkLVS)
}

// ---- value readers -------------------------------------------------------
//
// keepalived's checker handlers read their words with parser.c's readers
// (values.go), which log their own message, and then log a second,
// handler-specific one; lvsTimer, lvsUint and lvsOptBool pair the two.

// lvsTimer reads argument 0 as read_timer (every checker-side call passes
// ignore_error) and stores it with set; otherwise it reports the handler's
// message, bad, which takes the word.
func lvsTimer(c *Ctx, n *Node, min, max uint64, bad string, set func(time.Duration)) {
	if !c.NeedArgs(n, 1) {
		return
	}
	if v, ok := c.TimerArg(n, 0, min, max, true); ok {
		set(Micros(v))
	} else {
		c.Errorf(n, bad, n.Arg(0))
	}
}

// lvsUint reads argument 0 as read_unsigned_strvec and stores it with set;
// otherwise it reports the handler's message, bad, which takes the word.
func lvsUint(c *Ctx, n *Node, min, max uint64, bad string, set func(uint64)) {
	if !c.NeedArgs(n, 1) {
		return
	}
	if v, ok := c.UintArg(n, 0, min, max); ok {
		set(v)
	} else {
		c.Errorf(n, bad, n.Arg(0))
	}
}

// lvsOptBool is OptBool with a handler message that takes the word.
func lvsOptBool(c *Ctx, n *Node, bad string) (bool, bool) {
	return c.OptBool(n, func(w string) string { return fmt.Sprintf(bad, w) })
}

// ---- addresses -----------------------------------------------------------

// parseLVSAddr parses an address as keepalived's inet_stosockaddr: the
// family comes from the presence of ':', any "-range" (or, without one,
// "/mask") suffix is cut off, and the rest must be a plain inet_pton address.
func parseLVSAddr(s string) (netip.Addr, bool) {
	v6 := strings.Contains(s, ":")
	if k := strings.IndexByte(s, '-'); k >= 0 {
		s = s[:k]
	} else if k := strings.IndexByte(s, '/'); k >= 0 {
		s = s[:k]
	}
	if strings.Contains(s, "%") {
		return netip.Addr{}, false
	}
	a, err := netip.ParseAddr(s)
	if err != nil || a.Is6() != v6 || a.Is4In6() {
		return netip.Addr{}, false
	}
	return a, true
}

// lvsPort reads a port word as keepalived does for servers: words made only
// of '0' mean "no port"; anything else must be in [1, 65535].
func lvsPort(c *Ctx, n *Node, s string) (port uint16, given, ok bool) {
	if s == "" || strings.Trim(s, "0") == "" {
		return 0, false, true
	}
	v, ok := c.ReadUnsigned(n, s, 1, 65535)
	return uint16(v), true, ok
}

// ---- SSL -----------------------------------------------------------------

var sslTable = NewTable("SSL", map[string]Entry[SSLConfig]{
	"password":    {H: sslFile("password", func(s *SSLConfig) *string { return &s.Password })},
	"ca":          {H: sslFile("cafile", func(s *SSLConfig) *string { return &s.CAFile })},
	"certificate": {H: sslFile("certfile", func(s *SSLConfig) *string { return &s.Certificate })},
	"key":         {H: sslFile("keyfile", func(s *SSLConfig) *string { return &s.Key })},
})

// sslFile handles one SSL setting; keepalived names them password, cafile,
// certfile and keyfile in its messages.
func sslFile(what string, f func(*SSLConfig) *string) Handler[SSLConfig] {
	return func(c *Ctx, n *Node, s *SSLConfig) {
		if n.NArgs() < 1 {
			c.Errorf(n, "SSL %s missing", what)
			return
		}
		if *f(s) != "" {
			c.Errorf(n, "SSL %s already specified - replacing", what)
		}
		*f(s) = n.Arg(0)
	}
}

// sslBlock: a second SSL block replaces the first, with a general error.
func sslBlock(c *Ctx, n *Node, cfg *Config) {
	if cfg.SSL() != nil {
		c.Errorf(n, "SSL context already specified - replacing")
	}
	s := &SSLConfig{Pos: n.Pos}
	Apply(c, n.Block, sslTable, s)
	setSSL(cfg, s)
}

// ---- virtual_server_group ------------------------------------------------

// vsgBlock parses "virtual_server_group NAME { entries }". Each line of the
// block is an entry (keepalived reads it as a value block, not keywords).
func vsgBlock(c *Ctx, n *Node, cfg *Config) {
	if !c.NeedArgs(n, 1) {
		return
	}
	g := &VirtualServerGroup{Name: n.Arg(0), Pos: n.Pos}
	for _, e := range n.Block {
		if e.HasBlock {
			c.unexpectedOpen(e)
		}
		vsgEntry(c, e, g)
	}
	end := blockEnd(n)
	noFamilyFwmark := false
	for _, f := range g.Fwmarks {
		if f.Family == "" {
			noFamilyFwmark = true
		}
	}
	switch {
	case len(g.Ranges) == 0 && len(g.Fwmarks) == 0:
		c.Errorf(end, "virtual server group %s has no entries - removing", g.Name)
		return
	case g.HasIPv4() && g.HasIPv6() && noFamilyFwmark:
		c.ReportHint(end, ClassGeneral,
			fmt.Sprintf("virtual server group %s cannot have IPv4, IPv6 and fwmark without family - removing", g.Name),
			"add inet or inet6 after each fwmark")
		return
	}
	cfg.VirtualServerGroups = append(cfg.VirtualServerGroups, g)
}

func vsgEntry(c *Ctx, n *Node, g *VirtualServerGroup) {
	first := n.Keyword()
	if first == "fwmark" {
		if !c.NeedArgs(n, 1) {
			return
		}
		v, ok := c.UintArg(n, 0, 0, math.MaxUint32)
		if !ok {
			c.Errorf(n, "(%s): fwmark '%s' must be in [0, %d] - ignoring", g.Name, n.Arg(0), uint32(math.MaxUint32))
			return
		}
		f := &VSGFwmark{Pos: n.Pos, Mark: uint32(v)}
		if n.NArgs() > 1 {
			switch fam := n.Arg(1); fam {
			case "inet", "inet6":
				f.Family = fam
			default:
				c.Errorf(n, "(%s): fwmark '%d' family %s unknown - ignoring", g.Name, v, fam)
				return
			}
		}
		g.Fwmarks = append(g.Fwmarks, f)
		return
	}

	portStr := n.Arg(0)
	port, given, ok := lvsPort(c, n, portStr)
	start, okAddr := parseLVSAddr(first)
	if !ok || !okAddr {
		if given {
			c.Errorf(n, "Invalid virtual server group IP address %s /port/%s - skipping", first, portStr)
		} else {
			c.Errorf(n, "Invalid virtual server group IP address %s  - skipping", first)
		}
		return
	}
	r := &VSGRange{Pos: n.Pos, Text: first, Start: start, End: start, Port: port}
	if k := strings.IndexByte(first, '/'); k >= 0 {
		// A prefix: the address must have no host bits; the range is the
		// whole prefix.
		bits, err := strconv.ParseUint(first[k+1:], 10, 32)
		if err != nil || bits == 0 || bits > uint64(start.BitLen()) {
			c.Errorf(n, "Invalid netmask - %s - skipping", first)
			return
		}
		p := netip.PrefixFrom(start, int(bits))
		if p.Masked().Addr() != start {
			c.Errorf(n, "Address mask bits not empty - %s - skipping", first)
			return
		}
		r.End = lvsLastAddr(p)
		g.Ranges = append(g.Ranges, r)
		return
	}
	if k := strings.IndexByte(first, '-'); k >= 0 {
		endStr := first[k+1:]
		if (start.Is4() && strings.Contains(endStr, ".")) || (start.Is6() && strings.Contains(endStr, ":")) {
			// A full end address.
			end, ok := parseLVSAddr(endStr)
			if !ok {
				c.Errorf(n, "Invalid range end %s - skipping", first)
				return
			}
			if end.Is4() != start.Is4() {
				c.Errorf(n, "Range address families do not match %s - skipping", first)
				return
			}
			if end.Less(start) {
				c.Errorf(n, "Address range end is less than address range start - %s - skipping", first)
				return
			}
			r.End = end
			g.Ranges = append(g.Ranges, r)
			return
		}
		// The last octet (IPv4, decimal) or last 16 bits (IPv6, hex) of the
		// end address.
		base, limit := 10, uint64(255)
		if start.Is6() {
			base, limit = 16, 0xffff
		}
		digits := endStr
		j := 0
		for j < len(digits) && lvsIsDigitBase(digits[j], base) {
			j++
		}
		if j < len(digits) {
			c.Errorf(n, "Virtual server group range '%s' has extra characters at end '%s'", first, digits[j:])
			return
		}
		last, err := strconv.ParseUint("0"+digits, base, 64)
		if err != nil || last > limit {
			c.Errorf(n, "Virtual server group range '%s' end '%s' too large", first, endStr)
			return
		}
		b := start.AsSlice()
		var cur uint64
		if start.Is4() {
			cur = uint64(b[3])
			b[3] = byte(last)
		} else {
			cur = uint64(b[14])<<8 | uint64(b[15])
			b[14], b[15] = byte(last>>8), byte(last)
		}
		if cur >= last {
			c.Errorf(n, "Address range end is not greater than address range start - %s - skipping", first)
			return
		}
		r.End, _ = netip.AddrFromSlice(b)
	}
	g.Ranges = append(g.Ranges, r)
}

func lvsIsDigitBase(ch byte, base int) bool {
	switch {
	case ch >= '0' && ch <= '9':
		return true
	case base == 16 && (ch >= 'a' && ch <= 'f' || ch >= 'A' && ch <= 'F'):
		return true
	}
	return false
}

// lvsLastAddr is the highest address of a prefix.
func lvsLastAddr(p netip.Prefix) netip.Addr {
	b := p.Masked().Addr().AsSlice()
	for i := p.Bits(); i < len(b)*8; i++ {
		b[i/8] |= 0x80 >> (i % 8)
	}
	a, _ := netip.AddrFromSlice(b)
	return a
}
