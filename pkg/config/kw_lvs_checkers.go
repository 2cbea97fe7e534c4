package config

import (
	"fmt"
	"math"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// The health checkers of a real_server (keepalived 2.2.7 check_api.c and
// check_{http,tcp,misc,smtp,dns,udp,ping,file,bfd}.c). Every checker but
// FILE_CHECK and BFD_CHECK shares keepalived's common keywords
// (install_checker_common_keywords); MISC_CHECK has them without the
// connection ones. Anything else inside a checker block is an unknown
// keyword, as in keepalived: notably nb_get_retry is only known to HTTP_GET
// and SSL_GET.

const (
	smtpDefaultHelo = "smtpchecker.keepalived.org"
	dnsDefaultName  = "."
	dnsDefaultType  = "SOA"
	bfdNameMax      = 32 // BFD_INAME_MAX
	miscTimeoutMax  = math.MaxUint32 / 1000000
)

// chkCtx is what a checker's keywords work on.
type chkCtx struct {
	vs  *VirtualServer
	rs  *RealServer
	chk *Checker
	// conn is the connection options being set: the checker's, or those of
	// an SMTP_CHECK host block.
	conn *ConnOpts
	// dstCleared is set when connect_ip was refused for its family:
	// keepalived then leaves the destination without an address.
	dstCleared bool
	url        *URL
	// dropped: a BFD_CHECK or MISC_CHECK keyword already removed the
	// checker; the rest of its block does nothing.
	dropped bool
}

// dst is the address the checker connects to: connect_ip, else the real
// server's.
func (x *chkCtx) dst() netip.Addr {
	if x.conn.ConnectIP.IsValid() {
		return x.conn.ConnectIP
	}
	if x.dstCleared {
		return netip.Addr{}
	}
	return x.rs.Addr
}

func chkTimer(msg string, min, max uint64, f func(*chkCtx, time.Duration)) Entry[chkCtx] {
	return Entry[chkCtx]{H: func(c *Ctx, n *Node, x *chkCtx) {
		lvsTimer(c, n, min, max, msg, func(d time.Duration) { f(x, d) })
	}}
}

func chkUnsigned(msg string, min, max uint64, f func(*chkCtx, uint64)) Entry[chkCtx] {
	return Entry[chkCtx]{H: func(c *Ctx, n *Node, x *chkCtx) {
		lvsUint(c, n, min, max, msg, func(v uint64) { f(x, v) })
	}}
}

func chkBool(msg string, f func(*chkCtx, bool)) Entry[chkCtx] {
	return Entry[chkCtx]{H: func(c *Ctx, n *Node, x *chkCtx) {
		if v, ok := lvsOptBool(c, n, msg); ok {
			f(x, v)
		}
	}}
}

// lvsConnEntries are keepalived's connection keywords.
func lvsConnEntries() map[string]Entry[chkCtx] {
	return map[string]Entry[chkCtx]{
		"connect_ip": {H: func(c *Ctx, n *Node, x *chkCtx) {
			if !c.NeedArgs(n, 1) {
				return
			}
			a, ok := parseLVSAddr(n.Arg(0))
			if !ok {
				c.Errorf(n, "Invalid connect_ip address %s - ignoring", n.Arg(0))
				return
			}
			if b := x.conn.BindTo; b.IsValid() && b.Is4() != a.Is4() {
				c.Errorf(n, "connect_ip address %s does not match address family of bindto - skipping", n.Arg(0))
				x.conn.ConnectIP, x.dstCleared = netip.Addr{}, true
				return
			}
			x.conn.ConnectIP, x.dstCleared = a, false
		}},
		"connect_port": chkUnsigned("Invalid checker connect_port '%s'", 1, 65535,
			func(x *chkCtx, v uint64) { x.conn.ConnectPort = uint16(v) }),
		"bindto": {H: func(c *Ctx, n *Node, x *chkCtx) {
			if !c.NeedArgs(n, 1) {
				return
			}
			a, ok := parseLVSAddr(n.Arg(0))
			if !ok {
				c.Errorf(n, "Invalid bindto address %s - ignoring", n.Arg(0))
				return
			}
			if d := x.dst(); d.IsValid() && d.Is4() != a.Is4() {
				c.Errorf(n, "bindto address %s does not match address family of connect_ip - skipping", n.Arg(0))
				x.conn.BindTo = netip.Addr{}
				return
			}
			x.conn.BindTo = a
		}},
		"bind_port": chkUnsigned("Invalid checker bind_port '%s'", 1, 65535,
			func(x *chkCtx, v uint64) { x.conn.BindPort = uint16(v) }),
		"bind_if": {H: func(c *Ctx, n *Node, x *chkCtx) {
			if !c.NeedArgs(n, 1) {
				return
			}
			if len(n.Arg(0)) > checkerIfNameMax {
				c.Errorf(n, "Interface name %s is too long - ignoring", n.Arg(0))
				return
			}
			x.conn.BindIf = n.Arg(0)
		}},
		"connect_timeout": chkTimer("connect_timeout %s invalid - ignoring", 1, connectTimeoutMaxMicros,
			func(x *chkCtx, d time.Duration) { x.conn.Timeout = lvsDurp(d) }),
		"fwmark": chkUnsigned("Invalid fwmark connection value '%s'", 0, math.MaxUint32,
			func(x *chkCtx, v uint64) { x.conn.Fwmark = uint32(v) }),
	}
}

// lvsCommonEntries are the keywords every checker but FILE/BFD has.
func lvsCommonEntries(conn bool) map[string]Entry[chkCtx] {
	m := map[string]Entry[chkCtx]{
		"retry": chkUnsigned("Invalid retry connection value '%s'", 0, math.MaxUint32,
			func(x *chkCtx, v uint64) { x.chk.Retry = lvsU32p(uint32(v)) }),
		"delay_before_retry": chkTimer("Invalid delay_before_retry connection value '%s'", 0, 0,
			func(x *chkCtx, d time.Duration) { x.chk.DelayBeforeRetry = lvsDurp(d) }),
		"warmup": chkTimer("Invalid warmup connection value '%s'", 0, 0,
			func(x *chkCtx, d time.Duration) { x.chk.Warmup = lvsDurp(d) }),
		"delay_loop": chkTimer("delay_loop '%s' is invalid - ignoring", 1, 0,
			func(x *chkCtx, d time.Duration) { x.chk.DelayLoop = lvsDurp(d) }),
		"alpha": chkBool("Invalid alpha parameter %s", func(x *chkCtx, v bool) { x.chk.Alpha = lvsBoolp(v) }),
		"log_all_failures": chkBool("Invalid log_all_failures parameter %s",
			func(x *chkCtx, v bool) { x.chk.LogAllFailures = v }),
	}
	if conn {
		for k, e := range lvsConnEntries() {
			m[k] = e
		}
	}
	return m
}

func chkWith(base map[string]Entry[chkCtx], extra map[string]Entry[chkCtx]) map[string]Entry[chkCtx] {
	for k, e := range extra {
		base[k] = e
	}
	return base
}

var (
	httpTable, tcpTable, pingTable, miscTable, smtpTable, smtpHostTable *Table[chkCtx]
	dnsTable, udpTable, fileTable, bfdTable, urlTable                   *Table[chkCtx]
)

func init() {
	httpTable = NewTable("HTTP_GET/SSL_GET", chkWith(lvsCommonEntries(true), map[string]Entry[chkCtx]{
		// Only HTTP_GET and SSL_GET know nb_get_retry; keepalived 2.2.7
		// counts its deprecation notice as a configuration error.
		"nb_get_retry": {H: func(c *Ctx, n *Node, x *chkCtx) {
			c.ReportHint(n, ClassGeneral, "nb_get_retry is deprecated - please use 'retry'", "write 'retry' instead")
			lvsUint(c, n, 0, math.MaxUint32, "Invalid nb_get_retry value '%s'", func(v uint64) { x.chk.Retry = lvsU32p(uint32(v)) })
		}},
		"virtualhost": {H: func(c *Ctx, n *Node, x *chkCtx) {
			if n.NArgs() < 1 {
				c.Errorf(n, "HTTP_GET virtualhost name missing")
				return
			}
			x.chk.HTTP.VirtualHost = n.Arg(0)
		}},
		"http_protocol": {H: func(c *Ctx, n *Node, x *chkCtx) {
			if n.NArgs() < 1 {
				c.Errorf(n, "Missing http_protocol version")
				return
			}
			switch p := n.Arg(0); p {
			case "1.0", "1.1":
				x.chk.HTTP.Protocol = p
			case "1.0C", "1.0c":
				x.chk.HTTP.Protocol = "1.0C"
			default:
				c.ReportHint(n, ClassGeneral, fmt.Sprintf("Invalid http_protocol version %s", p), "use 1.0, 1.0C or 1.1")
			}
		}},
		"enable_sni": chkBool("Invalid enable_sni parameter %s", func(x *chkCtx, v bool) { x.chk.HTTP.EnableSNI = v }),
		"fast_recovery": chkBool("Invalid fast_recovery parameter %s",
			func(x *chkCtx, v bool) { x.chk.HTTP.FastRecovery = v }),
		"url":           {Block: true, H: lvsURLBlock},
		"tls_compliant": lvsNewerKeyword(chkBool("Invalid tls_compliant parameter %s", func(x *chkCtx, v bool) { x.chk.HTTP.TLSCompliant = v }).H),
	}))
	urlTable = NewTable("url", lvsURLEntries())
	tcpTable = NewTable("TCP_CHECK", lvsCommonEntries(true))
	pingTable = NewTable("PING_CHECK", lvsCommonEntries(true))
	miscTable = NewTable("MISC_CHECK", chkWith(lvsCommonEntries(false), lvsMiscEntries()))
	smtpHostTable = NewTable("SMTP_CHECK host", lvsCommonEntries(true))
	smtpTable = NewTable("SMTP_CHECK", chkWith(lvsCommonEntries(true), map[string]Entry[chkCtx]{
		"helo_name": {H: func(c *Ctx, n *Node, x *chkCtx) {
			if n.NArgs() < 1 {
				c.Errorf(n, "SMTP_CHECK helo name missing")
				return
			}
			x.chk.SMTP.HeloName = n.Arg(0)
		}},
		"host": {Block: true, H: lvsSMTPHost},
	}))
	dnsTable = NewTable("DNS_CHECK", chkWith(lvsCommonEntries(true), map[string]Entry[chkCtx]{
		"type": {H: lvsDNSType},
		"name": {H: lvsDNSName},
	}))
	udpTable = NewTable("UDP_CHECK", chkWith(lvsCommonEntries(true), lvsUDPEntries()))
	fileTable = NewTable("FILE_CHECK", lvsFileEntries())
	bfdTable = NewTable("BFD_CHECK", map[string]Entry[chkCtx]{
		"name": {H: lvsBFDName},
		"alpha": {H: func(c *Ctx, n *Node, x *chkCtx) {
			if x.dropped {
				return
			}
			if v, ok := lvsOptBool(c, n, "Invalid alpha parameter %s"); ok {
				x.chk.Alpha = lvsBoolp(v)
			}
		}},
	})
}

// lvsNewerKeyword is a keyword of later keepalived versions that 2.2.7 does not
// know. We keep its value in the model, but report it as 2.2.7 does, so that
// -t gives 2.2.7's verdict.
func lvsNewerKeyword[T any](h Handler[T]) Entry[T] {
	return Entry[T]{H: func(c *Ctx, n *Node, t *T) {
		c.ReportHint(n, ClassUnknownKeyword, fmt.Sprintf("Unknown keyword '%s'", n.Keyword()),
			"keepalived 2.2.7 does not know this keyword (later versions do)")
		h(c, n, t)
	}}
}

// checkerEntries are the checker keywords of a real_server block.
func checkerEntries() map[string]Entry[rsCtx] {
	m := map[string]Entry[rsCtx]{}
	for _, t := range []string{CheckHTTP, CheckSSL, CheckTCP, CheckMisc, CheckSMTP, CheckDNS, CheckUDP, CheckPing, CheckFile, CheckBFD} {
		typ := t
		m[typ] = Entry[rsCtx]{Block: true, H: func(c *Ctx, n *Node, r *rsCtx) { checkerBlock(c, n, r, typ) }}
	}
	return m
}

// checkerBlock parses one checker block and, when keepalived would keep it,
// adds it to the real server.
func checkerBlock(c *Ctx, n *Node, r *rsCtx, typ string) {
	chk := &Checker{Type: typ, Pos: n.Pos}
	x := &chkCtx{vs: r.vs, rs: r.rs, chk: chk}
	var tbl *Table[chkCtx]
	switch typ {
	case CheckHTTP, CheckSSL:
		chk.HTTP = &HTTPCheck{Protocol: "1.0"}
		tbl = httpTable
	case CheckTCP:
		tbl = tcpTable
	case CheckPing:
		tbl = pingTable
	case CheckMisc:
		chk.Misc = &MiscCheck{}
		tbl = miscTable
	case CheckSMTP:
		chk.SMTP = &SMTPCheck{}
		tbl = smtpTable
	case CheckDNS:
		chk.DNS = &DNSCheck{}
		tbl = dnsTable
	case CheckUDP:
		chk.UDP = &UDPCheck{MinReplyLen: 0, MaxReplyLen: math.MaxUint8}
		tbl = udpTable
	case CheckFile:
		chk.File = &FileCheck{}
		tbl = fileTable
	case CheckBFD:
		chk.BFD = &BFDCheck{}
		tbl = bfdTable
	}
	switch typ {
	case CheckMisc, CheckFile, CheckBFD:
	default:
		chk.Conn = &ConnOpts{}
		x.conn = chk.Conn
	}
	Apply(c, n.Block, tbl, x)
	end := blockEnd(n)
	chk.end = end.Pos
	if checkerEnd(c, end, x) {
		r.rs.Checkers = append(r.rs.Checkers, chk)
	}
}

// lvsCheckConn is keepalived's check_conn_opts: an IPv6 link-local destination
// needs bind_if.
func lvsCheckConn(c *Ctx, end *Node, x *chkCtx) bool {
	d := x.dst()
	if d.Is6() && d.IsLinkLocalUnicast() && x.conn.BindIf == "" {
		c.ReportHint(end, ClassGeneral, fmt.Sprintf("Checker link local address %s requires a bind_if", d), "add bind_if IFNAME")
		return false
	}
	return true
}

// checkerEnd runs keepalived's end-of-block handler of the checker type and
// reports whether the checker is kept.
func checkerEnd(c *Ctx, end *Node, x *chkCtx) bool {
	chk := x.chk
	switch chk.Type {
	case CheckHTTP, CheckSSL:
		// keepalived 2.2.7 also crashes right after this message (-t exits
		// 139); the verdict is the same, an error.
		if len(chk.HTTP.URLs) == 0 {
			c.ReportHint(end, ClassGeneral, "HTTP/SSL_GET checker has no urls specified - ignoring", "add url { path /... }")
			return false
		}
		return lvsCheckConn(c, end, x)
	case CheckTCP, CheckPing, CheckDNS:
		if !lvsCheckConn(c, end, x) {
			return false
		}
		if chk.Type == CheckDNS {
			if chk.DNS.Name == "" {
				chk.DNS.Name = dnsDefaultName
			}
			if chk.DNS.Type == "" {
				chk.DNS.Type = dnsDefaultType
			}
		}
		return true
	case CheckUDP:
		if !lvsCheckConn(c, end, x) {
			return false
		}
		if u := chk.UDP; u.MinReplyLen > u.MaxReplyLen {
			c.Errorf(end, "UDP_CHECK min_reply length %d > max_reply_length %d - will always fail", u.MinReplyLen, u.MaxReplyLen)
		}
		return true
	case CheckSMTP:
		if chk.SMTP.HeloName == "" {
			chk.SMTP.HeloName = smtpDefaultHelo
		}
		if lvsConnConfigured(chk.Conn) && !lvsCheckConn(c, end, x) {
			return false
		}
		return true
	case CheckMisc:
		if x.dropped {
			return false
		}
		if len(chk.Misc.Script.Argv) == 0 {
			c.ReportHint(end, ClassGeneral, "No script path has been specified for MISC_CHECKER - skipping", "add misc_path /path/to/script")
			return false
		}
		return true
	case CheckFile:
		if chk.File.TrackFile == "" {
			c.ReportHint(end, ClassGeneral, "FILE_CHECK has no track_file specified - ignoring", "add track_file NAME")
			return false
		}
		return true
	case CheckBFD:
		if x.dropped {
			return false
		}
		if chk.BFD.Name == "" {
			c.Errorf(end, "(%s) No name has been specified for BFD_CHECKER - skipping", lvsServerName(x.rs, x.vs))
			return false
		}
		return true
	}
	return true
}

func lvsConnConfigured(o *ConnOpts) bool {
	return o.ConnectIP.IsValid() || o.ConnectPort != 0 || o.BindTo.IsValid() || o.BindPort != 0 ||
		o.BindIf != "" || o.Fwmark != 0 || o.Timeout != nil
}

// ---- HTTP_GET / SSL_GET url ------------------------------------------------

// lvsRegexOptions are the PCRE2 options keepalived 2.2.7 knows by name.
var lvsRegexOptions = []string{"allow_empty_class", "alt_bsux", "auto_callout", "caseless", "dollar_endonly",
	"dotall", "dupnames", "extended", "firstline", "match_unset_backref", "multiline", "never_ucp",
	"never_utf", "no_auto_capture", "no_auto_possess", "no_dotstar_anchor", "no_start_optimize", "ucp",
	"ungreedy", "utf", "never_backslash_c", "alt_circumflex", "alt_verbnames", "use_offset_limit"}

func lvsURLBlock(c *Ctx, n *Node, x *chkCtx) {
	u := &URL{Pos: n.Pos}
	x.url = u
	Apply(c, n.Block, urlTable, x)
	x.url = nil
	end := blockEnd(n)
	if u.Path == "" {
		c.ReportHint(end, ClassGeneral, "HTTP/SSL_GET checker url has no path - ignoring", "add path /...")
		return
	}
	if len(u.StatusCodes) == 0 {
		u.StatusCodes = []StatusRange{{200, 299}}
	} else {
		u.StatusCodes = lvsMergeRanges(u.StatusCodes)
	}
	// keepalived only logs (no -t error) for regex option problems.
	if u.Regex == "" && (len(u.RegexOptions) > 0 || u.RegexNoMatch || u.RegexMinOffset != 0 || u.RegexMaxOffset != nil || u.RegexStack != nil) {
		c.Infof(end, "regex parameters specified without regex")
		u.RegexOptions, u.RegexNoMatch, u.RegexMinOffset, u.RegexMaxOffset, u.RegexStack = nil, false, 0, nil, nil
	}
	if u.RegexMaxOffset != nil && u.RegexMinOffset > *u.RegexMaxOffset {
		c.Infof(end, "regex min offset %d > regex_max_offset %d - ignoring", u.RegexMinOffset, *u.RegexMaxOffset)
		u.RegexMinOffset, u.RegexMaxOffset = 0, nil
	}
	x.chk.HTTP.URLs = append(x.chk.HTTP.URLs, u)
}

// lvsMergeRanges sorts and joins status code ranges, as keepalived's bitmap
// of codes does.
func lvsMergeRanges(in []StatusRange) []StatusRange {
	var set [httpStatusMax + 1]bool
	for _, r := range in {
		for i := r.Min; i <= r.Max; i++ {
			set[i] = true
		}
	}
	var out []StatusRange
	for i := httpStatusMin; i <= httpStatusMax; i++ {
		if !set[i] {
			continue
		}
		if len(out) > 0 && out[len(out)-1].Max == i-1 {
			out[len(out)-1].Max = i
		} else {
			out = append(out, StatusRange{i, i})
		}
	}
	return out
}

func lvsURLEntries() map[string]Entry[chkCtx] {
	offset := func(kind string, f func(*URL, uint64)) Entry[chkCtx] {
		return Entry[chkCtx]{H: func(c *Ctx, n *Node, x *chkCtx) {
			if n.NArgs() != 1 {
				c.Infof(n, "Missing or too may options for regex_%s_offset", kind)
				f(x.url, 0)
				return
			}
			v, err := strconv.ParseUint(n.Arg(0), 10, 64)
			if err != nil {
				c.Infof(n, "Invalid regex_%s_offset %s specified", kind, n.Arg(0))
				v = 0
			}
			f(x.url, v)
		}}
	}
	return map[string]Entry[chkCtx]{
		"path": {H: func(c *Ctx, n *Node, x *chkCtx) {
			if c.NeedArgs(n, 1) {
				x.url.Path = n.Arg(0)
			}
		}},
		"digest": {H: lvsURLDigest},
		"status_code": {H: func(c *Ctx, n *Node, x *chkCtx) {
			for _, s := range n.Args() {
				if r, ok := lvsStatusRange(s); ok {
					x.url.StatusCodes = append(x.url.StatusCodes, r)
				} else {
					c.ReportHint(n, ClassGeneral, fmt.Sprintf("Invalid HTTP_GET status code '%s'", s),
						fmt.Sprintf("codes and ranges must be within %d-%d", httpStatusMin, httpStatusMax))
				}
			}
		}},
		"virtualhost": {H: func(c *Ctx, n *Node, x *chkCtx) {
			if n.NArgs() < 1 {
				c.Errorf(n, "Missing HTTP_GET virtualhost name")
				return
			}
			x.url.VirtualHost = n.Arg(0)
		}},
		"regex": {H: func(c *Ctx, n *Node, x *chkCtx) {
			if n.NArgs() != 1 {
				c.Infof(n, "regex missing or too many fields")
				return
			}
			x.url.Regex = n.Arg(0)
		}},
		"regex_no_match": {H: func(c *Ctx, n *Node, x *chkCtx) { x.url.RegexNoMatch = true }},
		"regex_options": {H: func(c *Ctx, n *Node, x *chkCtx) {
			for _, o := range n.Args() {
				for _, k := range lvsRegexOptions {
					if o == k {
						x.url.RegexOptions = append(x.url.RegexOptions, o)
					}
				}
			}
		}},
		"regex_min_offset": offset("min", func(u *URL, v uint64) { u.RegexMinOffset = v }),
		"regex_max_offset": offset("max", func(u *URL, v uint64) { u.RegexMaxOffset = &v }),
		"regex_stack": {H: func(c *Ctx, n *Node, x *chkCtx) {
			if n.NArgs() != 2 {
				c.Infof(n, "regex_stack requires start and max values")
				return
			}
			start, err := strconv.ParseUint(n.Arg(0), 10, 64)
			if err != nil {
				c.Infof(n, "regex_stack invalid start value")
				return
			}
			max, err := strconv.ParseUint(n.Arg(1), 10, 64)
			if err != nil {
				c.Infof(n, "regex_stack invalid max value")
				return
			}
			if start > max {
				c.Infof(n, "regex stack start cannot exceed max value")
				return
			}
			x.url.RegexStack = []uint64{start, max}
		}},
	}
}

// lvsStatusRange reads "200" or "200-299" within 100-599.
func lvsStatusRange(s string) (StatusRange, bool) {
	lo, hi, isRange := strings.Cut(s, "-")
	num := func(t string) (int, bool) {
		t = strings.TrimPrefix(t, "+")
		if strings.Trim(t, "0123456789") != "" || len(t) > 9 {
			return 0, false
		}
		if t == "" {
			return 0, true // strtoul reads nothing as 0
		}
		v, _ := strconv.Atoi(t)
		return v, true
	}
	min, ok := num(lo)
	if !ok {
		return StatusRange{}, false
	}
	max := min
	if isRange {
		if max, ok = num(hi); !ok {
			return StatusRange{}, false
		}
	}
	if min < httpStatusMin || min > httpStatusMax || max < httpStatusMin || max > httpStatusMax || min > max {
		return StatusRange{}, false
	}
	return StatusRange{min, max}, true
}

// lvsURLDigest reads an MD5 digest of 32 hex digits. keepalived converts it
// pair by pair from the end, cutting the text as it goes, so the text it
// quotes for a bad digit ends with the bad pair.
func lvsURLDigest(c *Ctx, n *Node, x *chkCtx) {
	if !c.NeedArgs(n, 1) {
		return
	}
	d := n.Arg(0)
	if x.url.Digest != "" {
		c.Errorf(n, "Digest '%s' is a duplicate", d)
		return
	}
	if len(d) != 32 {
		c.Errorf(n, "digest '%s' character length should be %d rather than %d", d, 32, len(d))
		return
	}
	var out [16]byte
	for i := 15; i >= 0; i-- {
		v, ok := lvsHexPair(d[2*i], d[2*i+1])
		if !ok {
			c.Errorf(n, "Unable to interpret hex digit in '%s' at offset %d/%d", d[:2*i+2], 2*i, 2*i+1)
			return
		}
		out[i] = v
	}
	x.url.Digest = fmt.Sprintf("%x", out[:])
}

// lvsHexPair converts two characters as strtoul(..., 16) would when it must
// consume both: two hex digits, or a blank or sign before one.
func lvsHexPair(a, b byte) (byte, bool) {
	hb, okb := lvsHexVal(b)
	if !okb {
		return 0, false
	}
	if ha, ok := lvsHexVal(a); ok {
		return ha<<4 | hb, true
	}
	switch a {
	case ' ', '\t', '\n', '\v', '\f', '\r', '+':
		return hb, true
	case '-':
		return -hb, true
	}
	return 0, false
}

func lvsHexVal(ch byte) (byte, bool) {
	switch {
	case ch >= '0' && ch <= '9':
		return ch - '0', true
	case ch >= 'a' && ch <= 'f':
		return ch - 'a' + 10, true
	case ch >= 'A' && ch <= 'F':
		return ch - 'A' + 10, true
	}
	return 0, false
}

// ---- MISC_CHECK --------------------------------------------------------------

func lvsMiscEntries() map[string]Entry[chkCtx] {
	return map[string]Entry[chkCtx]{
		// misc_path takes the command with keepalived's quoting (a quoted
		// "script arg1 arg2" is split); a line without one leaves the
		// checker without a script, which its end reports.
		"misc_path": {H: func(c *Ctx, n *Node, x *chkCtx) {
			if x.dropped {
				return
			}
			x.chk.Misc.Script.Argv = c.ScriptParams(n)
			x.chk.Misc.Script.Pos = n.Pos
		}},
		"misc_timeout": {H: func(c *Ctx, n *Node, x *chkCtx) {
			if x.dropped || !c.NeedArgs(n, 1) {
				return
			}
			if v, ok := c.UintArg(n, 0, 0, miscTimeoutMax); ok {
				x.chk.Misc.Timeout = time.Duration(v) * time.Second
			} else {
				c.Errorf(n, "Invalid misc_timeout value '%s'", n.Arg(0))
			}
		}},
		"misc_dynamic": {H: func(c *Ctx, n *Node, x *chkCtx) {
			if !x.dropped {
				x.chk.Misc.Dynamic = true
			}
		}},
		"user": {H: func(c *Ctx, n *Node, x *chkCtx) {
			if x.dropped {
				return
			}
			s := &x.chk.Misc.Script
			if n.NArgs() < 1 {
				c.Errorf(n, "No user specified for misc checker script %s", CmdStr(s.Argv))
				return
			}
			if _, ok := scriptUserOK(c, n.Arg(0), n.Arg(1)); !ok {
				c.Errorf(n, "Failed to set uid/gid for misc checker script %s - removing", CmdStr(s.Argv))
				x.dropped = true
				return
			}
			s.User, s.Group = n.Arg(0), n.Arg(1)
		}},
	}
}

// ---- SMTP_CHECK host ---------------------------------------------------------

// lvsSMTPHost parses the deprecated host { } block: its own connection options,
// starting from the checker's (keepalived makes it a separate checker).
func lvsSMTPHost(c *Ctx, n *Node, x *chkCtx) {
	c.Infof(n, "The SMTP_CHECK host block is deprecated. Please define additional checkers.")
	saved := x.conn
	h := *saved
	x.conn = &h
	savedCleared := x.dstCleared
	Apply(c, n.Block, smtpHostTable, x)
	if lvsCheckConn(c, blockEnd(n), x) {
		x.chk.SMTP.Hosts = append(x.chk.SMTP.Hosts, &h)
	}
	x.conn, x.dstCleared = saved, savedCleared
}

// ---- DNS_CHECK ---------------------------------------------------------------

var lvsDNSTypes = []string{"A", "NS", "CNAME", "SOA", "MX", "TXT", "AAAA", "RRSIG", "DNSKEY"}

func lvsDNSType(c *Ctx, n *Node, x *chkCtx) {
	if !c.NeedArgs(n, 1) {
		return
	}
	t := strings.ToUpper(n.Arg(0))
	for _, k := range lvsDNSTypes {
		if k == t {
			x.chk.DNS.Type = t
			return
		}
	}
	c.ReportHint(n, ClassGeneral, fmt.Sprintf("Unknown DNS check type %s - ignoring", n.Arg(0)), "one of "+strings.Join(lvsDNSTypes, ", "))
}

func lvsDNSName(c *Ctx, n *Node, x *chkCtx) {
	if x.chk.DNS.Name != "" {
		c.Errorf(n, "DNS_CHECK name already specified - ignoring")
		return
	}
	if !c.NeedArgs(n, 1) {
		return
	}
	name := n.Arg(0)
	// keepalived looks at the character after the start and after every
	// dot: another dot there is an empty label (so "a." is refused too, but
	// "." and "ab." are fine).
	bad := len(name) > 1 && name[0] == '.'
	if !bad && name != "" {
		for p := 0; p >= 0; {
			if p+1 < len(name) && name[p+1] == '.' {
				bad = true
				break
			}
			if p+1 >= len(name) {
				break
			}
			k := strings.IndexByte(name[p+1:], '.')
			if k < 0 {
				break
			}
			p = p + 1 + k
		}
	}
	if bad {
		c.Errorf(n, "DNS_CHECK name '%s' has empty label - ignoring", name)
		return
	}
	x.chk.DNS.Name = name
}

// ---- UDP_CHECK ---------------------------------------------------------------

// lvsHexStr reads keepalived's free-form hex strings: blank-separated
// groups of hex digits taken two by two, a lone last digit making a byte of
// its own ("Ab12f 3" is AB 12 0F 03). With mask, X stands for a nibble to
// ignore in replies.
func lvsHexStr(words []string, mask bool) (data, m []byte, ok bool) {
	anyMask := false
	for _, w := range words {
		for i := 0; i < len(w); i += 2 {
			end := min(i+2, len(w))
			var b, mb byte
			for _, ch := range []byte(w[i:end]) {
				b, mb = b<<4, mb<<4
				if v, ok := lvsHexVal(ch); ok {
					b |= v
				} else if mask && (ch == 'x' || ch == 'X') {
					mb |= 0xf
					anyMask = true
				} else {
					return nil, nil, false
				}
			}
			data, m = append(data, b), append(m, mb)
		}
	}
	if len(data) == 0 {
		return nil, nil, false
	}
	if !anyMask {
		m = nil
	}
	return data, m, true
}

func lvsUDPEntries() map[string]Entry[chkCtx] {
	length := func(kind string, f func(*UDPCheck, int)) Entry[chkCtx] {
		return Entry[chkCtx]{H: func(c *Ctx, n *Node, x *chkCtx) {
			if !c.NeedArgs(n, 1) {
				return
			}
			if v, ok := c.UintArg(n, 0, 0, math.MaxUint16); ok {
				f(x.chk.UDP, int(v))
			} else {
				c.Errorf(n, "UDP_CHECK %s length %s not valid - must be between 0 & %d", kind, n.Arg(0), math.MaxUint16)
			}
		}}
	}
	return map[string]Entry[chkCtx]{
		"payload": {H: func(c *Ctx, n *Node, x *chkCtx) {
			if n.NArgs() < 1 {
				c.Errorf(n, "UDP_CHECK payload requires a payload")
				return
			}
			d, _, ok := lvsHexStr(n.Args(), false)
			if !ok {
				c.Errorf(n, "Invalid hex string for UDP_CHECK payload")
				return
			}
			x.chk.UDP.Payload = d
		}},
		"require_reply": {H: func(c *Ctx, n *Node, x *chkCtx) {
			x.chk.UDP.RequireReply = true
			if n.NArgs() < 1 {
				return
			}
			d, m, ok := lvsHexStr(n.Args(), true)
			if !ok {
				c.Errorf(n, "Invalid hex string for UDP_CHECK reply")
				return
			}
			x.chk.UDP.ReplyData, x.chk.UDP.ReplyMask = d, m
		}},
		"min_reply_length": length("min", func(u *UDPCheck, v int) { u.MinReplyLen = v }),
		"max_reply_length": length("max", func(u *UDPCheck, v int) { u.MaxReplyLen = v }),
	}
}

// ---- FILE_CHECK --------------------------------------------------------------

func lvsFileEntries() map[string]Entry[chkCtx] {
	return map[string]Entry[chkCtx]{
		// In the 2.2.7 man page, but not known to its parser.
		"dynamic": lvsNewerKeyword(func(c *Ctx, n *Node, x *chkCtx) { x.chk.File.Dynamic = true }),
		// The track_file must already be defined above this point: keepalived
		// looks it up while reading.
		"track_file": {H: func(c *Ctx, n *Node, x *chkCtx) {
			if !c.NeedArgs(n, 1) {
				return
			}
			name := n.Arg(0)
			for _, tf := range c.Cfg.TrackFiles {
				if tf != nil && tf.Name == name {
					x.chk.File.TrackFile = name
					return
				}
			}
			c.ReportHint(n, ClassGeneral, fmt.Sprintf("track_file %s not found", name),
				"define the track_file block before the virtual_server that uses it")
		}},
		"weight": {H: func(c *Ctx, n *Node, x *chkCtx) {
			if n.NArgs() < 1 {
				c.Errorf(n, "track file weight missing")
				return
			}
			v, ok := c.IntArg(n, 0, -ipvsWeightLimit, ipvsWeightLimit)
			if !ok {
				c.Errorf(n, "weight for track file must be in [%d..%d] inclusive. Ignoring...", -ipvsWeightLimit, ipvsWeightLimit)
				return
			}
			reverse := false
			if n.NArgs() > 1 {
				switch n.Arg(1) {
				case "reverse":
					reverse = true
				case "noreverse":
				default:
					c.Errorf(n, "unknown track file weight option %s - ignoring", n.Arg(1))
					return
				}
			}
			x.chk.File.Weight, x.chk.File.Reverse = lvsIntp(int(v)), reverse
		}},
	}
}

// ---- BFD_CHECK ---------------------------------------------------------------

// lvsBFDName: the BFD instance must already be defined; any problem removes the
// checker and keepalived ignores the rest of its block.
func lvsBFDName(c *Ctx, n *Node, x *chkCtx) {
	if x.dropped {
		return
	}
	who := lvsServerName(x.rs, x.vs)
	name := n.Arg(0)
	known := false
	for _, b := range c.Cfg.BFDInstances {
		if b != nil && b.Name == name {
			known = true
		}
	}
	switch {
	case n.NArgs() != 1:
		c.Errorf(n, "(%s) BFD_CHECK - No or too many names specified - skipping checker", who)
	case !known:
		c.ReportHint(n, ClassGeneral, fmt.Sprintf("(%s) BFD_CHECK - BFD %s not configured", who, name),
			"define the bfd_instance before the virtual_server that uses it")
	case x.chk.BFD.Name != "":
		c.Errorf(n, "(%s) BFD_CHECK - BFD %s already specified as %s", who, name, x.chk.BFD.Name)
	case len(name) >= bfdNameMax:
		c.Errorf(n, "(%s) BFD_CHECK - BFD name %s too long", who, name)
	default:
		for _, other := range x.rs.Checkers {
			if other.BFD != nil && other.BFD.Name == name {
				c.Errorf(n, "(%s) BFD_CHECK - RS already monitoring %s", who, name)
				x.dropped = true
				return
			}
		}
		x.chk.BFD.Name = name
		return
	}
	x.dropped = true
}
