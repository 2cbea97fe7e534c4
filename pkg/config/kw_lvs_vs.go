package config

import (
	"fmt"
	"math"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// virtual_server and real_server blocks (keepalived 2.2.7 check_parser.c).
// Messages and ranges were checked against /usr/sbin/keepalived -t; see
// kw_lvs_test.go.

// keepalived's limits and defaults for virtual servers.
const (
	ipvsWeightLimit              = math.MaxInt32 // IPVS_WEIGHT_LIMIT
	ipvsPersistentTimeout        = 360           // IPVS_SVC_PERSISTENT_TIMEOUT
	ipvsPENameMax                = 16            // IP_VS_PENAME_MAXLEN
	defaultVSDelayLoop           = 60 * time.Second
	defaultVSConnectTimeout      = 5 * time.Second
	defaultScheduler             = "wlc"
	connectTimeoutMaxMicros      = math.MaxUint32 // UINT_MAX µs
	checkerIfNameMax             = 15             // IFNAMSIZ - 1
	httpStatusMin, httpStatusMax = 100, 599
)

// lvsSchedulers are the scheduler names keepalived 2.2.7 accepts.
var lvsSchedulers = []string{"rr", "wrr", "lc", "wlc", "lblc", "sh", "mh", "dh", "fo", "ovf", "lblcr", "sed", "nq", "twos"}

// vsBlock parses "virtual_server IP [PORT] | fwmark N | group NAME { ... }".
func vsBlock(c *Ctx, n *Node, cfg *Config) {
	if !c.NeedArgs(n, 1) {
		return
	}
	vs := &VirtualServer{
		Pos:            n.Pos,
		Quorum:         1,
		Weight:         1,
		ConnectTimeout: defaultVSConnectTimeout,
		DelayLoop:      defaultVSDelayLoop,
	}
	switch p1 := n.Arg(0); p1 {
	case "group":
		// keepalived 2.2.7 crashes on a group without a name.
		if !c.NeedArgs(n, 2) {
			return
		}
		vs.GroupName = n.Arg(1)
	case "fwmark":
		if !c.NeedArgs(n, 2) {
			return
		}
		v, ok := c.UintArg(n, 1, 0, math.MaxUint32)
		if !ok {
			// keepalived skips the whole block.
			c.Errorf(n, "virtual server fwmark '%s' must be in [0, %d] - ignoring", n.Arg(1), uint32(math.MaxUint32))
			return
		}
		vs.IsFwmark, vs.Fwmark = true, uint32(v)
	default:
		port, given, okPort := lvsPort(c, n, n.Arg(1))
		addr, okAddr := parseLVSAddr(p1)
		if !okPort || !okAddr {
			if given {
				c.Errorf(n, "Invalid virtual server IP address/port %s/%s - skipping", p1, n.Arg(1))
			} else {
				c.Errorf(n, "Invalid virtual server IP address %s - skipping", p1)
			}
			return
		}
		vs.Addr, vs.Port = addr, port
		vs.Family = lvsFamily(addr)
	}
	Apply(c, n.Block, vsTable, vs)
	vsEnd(c, n, vs)
	cfg.VirtualServers = append(cfg.VirtualServers, vs)
}

func lvsFamily(a netip.Addr) string {
	if a.Is4() {
		return "inet"
	}
	return "inet6"
}

// vsEnd is keepalived's vs_end_handler: a non-tunnelled sorry server must
// match the family; a fwmark service without a family takes it from its
// servers (all the same) or defaults to IPv4.
func vsEnd(c *Ctx, n *Node, vs *VirtualServer) {
	end := blockEnd(n)
	if s := vs.SorryServer; s != nil && s.Forwarding.Method != "TUN" {
		switch {
		case vs.Family == "":
			vs.Family = lvsFamily(s.Addr)
		case vs.Family != lvsFamily(s.Addr):
			c.Errorf(end, "Address family of virtual server and sorry server %s don't match - skipping sorry server.", s.Addr)
			vs.SorryServer = nil
		}
	}
	if vs.Family == "" && vs.GroupName == "" {
		fam, mixed := "", false
		if vs.SorryServer != nil {
			fam = lvsFamily(vs.SorryServer.Addr)
		}
		for _, rs := range vs.RealServers {
			switch f := lvsFamily(rs.Addr); {
			case fam == "":
				fam = f
			case fam != f:
				mixed = true
			}
		}
		if mixed || fam == "" {
			fam = "inet"
		}
		vs.Family = fam
	}
}

func vsTimer(msg string, min, max uint64, f func(*VirtualServer, time.Duration)) Entry[VirtualServer] {
	return Entry[VirtualServer]{H: func(c *Ctx, n *Node, vs *VirtualServer) {
		lvsTimer(c, n, min, max, msg, func(d time.Duration) { f(vs, d) })
	}}
}

func lvsDurp(d time.Duration) *time.Duration { return &d }
func lvsBoolp(b bool) *bool                  { return &b }
func lvsU32p(v uint32) *uint32               { return &v }
func lvsIntp(v int) *int                     { return &v }

var vsTable *Table[VirtualServer]

func init() {
	flag := func(f func(*VirtualServer)) Entry[VirtualServer] {
		return Entry[VirtualServer]{H: func(c *Ctx, n *Node, vs *VirtualServer) { f(vs) }}
	}
	sched := Entry[VirtualServer]{H: vsScheduler}
	method := Entry[VirtualServer]{H: func(c *Ctx, n *Node, vs *VirtualServer) {
		if c.NeedArgs(n, 1) {
			parseForwarding(c, n, &vs.Forwarding, "virtual")
		}
	}}
	lbflag := Entry[VirtualServer]{H: vsSchedFlag}
	vsTable = NewTable("virtual_server", map[string]Entry[VirtualServer]{
		"ip_family": {H: vsIPFamily},
		"retry": {H: func(c *Ctx, n *Node, vs *VirtualServer) {
			lvsUint(c, n, 1, math.MaxUint32, "retry value invalid - %s", func(v uint64) { vs.Retry = lvsU32p(uint32(v)) })
		}},
		"delay_before_retry": vsTimer("virtual server delay before retry '%s' invalid - ignoring", 0, 0,
			func(vs *VirtualServer, d time.Duration) { vs.DelayBeforeRetry = lvsDurp(d) }),
		"warmup": vsTimer("virtual server warmup '%s' invalid - ignoring", 0, 0,
			func(vs *VirtualServer, d time.Duration) { vs.Warmup = lvsDurp(d) }),
		"connect_timeout": vsTimer("virtual server connect_timeout %s invalid - ignoring", 1, connectTimeoutMaxMicros,
			func(vs *VirtualServer, d time.Duration) { vs.ConnectTimeout = d }),
		"delay_loop": vsTimer("virtual server delay loop '%s' invalid - ignoring", 1, 0,
			func(vs *VirtualServer, d time.Duration) { vs.DelayLoop = d }),
		"inhibit_on_failure": flag(func(vs *VirtualServer) { vs.Inhibit = true }),
		"lvs_sched":          sched,
		// lb_algo is the old name; keepalived 2.2.7 accepts it silently.
		"lb_algo":     {H: vsScheduler, Alias: "lvs_sched", Quiet: true},
		"hashed":      lbflag,
		"ops":         lbflag,
		"flag-1":      lbflag,
		"flag-2":      lbflag,
		"flag-3":      lbflag,
		"sh-port":     lbflag,
		"sh-fallback": lbflag,
		"mh-port":     lbflag,
		"mh-fallback": lbflag,
		"lvs_method":  method,
		// lb_kind is the old name of lvs_method, accepted silently.
		"lb_kind":                 {H: method.H, Alias: "lvs_method", Quiet: true},
		"persistence_engine":      {H: vsPersistenceEngine},
		"persistence_timeout":     {H: vsPersistenceTimeout},
		"persistence_granularity": {H: vsPersistenceGranularity},
		"protocol":                {H: vsProtocol},
		"ha_suspend":              flag(func(vs *VirtualServer) { vs.HASuspend = true }),
		"smtp_alert": {H: func(c *Ctx, n *Node, vs *VirtualServer) {
			if v, ok := lvsOptBool(c, n, "Invalid virtual_server smtp_alert parameter %s"); ok {
				vs.SMTPAlert = lvsBoolp(v)
			}
		}},
		"virtualhost": {H: func(c *Ctx, n *Node, vs *VirtualServer) {
			if n.NArgs() < 1 {
				c.Errorf(n, "virtual server virtualhost missing")
				return
			}
			vs.VirtualHost = n.Arg(0)
		}},
		"snmp_name": {H: func(c *Ctx, n *Node, vs *VirtualServer) {
			if n.NArgs() != 1 {
				c.Errorf(n, "virtual server snmp_name missing or extra parameters")
				return
			}
			vs.SNMPName = n.Arg(0)
		}},
		"alpha": flag(func(vs *VirtualServer) { vs.Alpha = true }),
		"omega": flag(func(vs *VirtualServer) { vs.Omega = true }),
		"quorum_up": {H: func(c *Ctx, n *Node, vs *VirtualServer) {
			vsQuorumScript(c, n, vs, &vs.QuorumUp)
		}},
		"quorum_down": {H: func(c *Ctx, n *Node, vs *VirtualServer) {
			vsQuorumScript(c, n, vs, &vs.QuorumDown)
		}},
		"quorum": {H: func(c *Ctx, n *Node, vs *VirtualServer) {
			if !c.NeedArgs(n, 1) {
				return
			}
			v, ok := c.UintArg(n, 0, 1, math.MaxUint32)
			if !ok {
				c.Errorf(n, "Quorum %s must be in [1, %d]. Setting to 1.", n.Arg(0), uint32(math.MaxUint32))
				v = 1
			}
			vs.Quorum = uint32(v)
		}},
		"hysteresis": {H: func(c *Ctx, n *Node, vs *VirtualServer) {
			if !c.NeedArgs(n, 1) {
				return
			}
			if v, ok := c.UintArg(n, 0, 0, math.MaxUint32); ok {
				vs.Hysteresis = uint32(v)
			} else {
				c.Errorf(n, "Hysteresis %s must be in [0, %d] - ignoring", n.Arg(0), uint32(math.MaxUint32))
			}
		}},
		"weight": {H: func(c *Ctx, n *Node, vs *VirtualServer) {
			if !c.NeedArgs(n, 1) {
				return
			}
			if v, ok := c.UintArg(n, 0, 1, ipvsWeightLimit); ok {
				vs.Weight = int(v)
			} else {
				c.Errorf(n, "Virtual server weight %s is outside range 1-%d", n.Arg(0), ipvsWeightLimit)
			}
		}},
		"sorry_server": {H: vsSorryServer},
		"sorry_server_inhibit": {H: func(c *Ctx, n *Node, vs *VirtualServer) {
			if vs.SorryServer == nil {
				c.Errorf(n, "Ignoring sorry_server inhibit used before or without sorry_server")
				return
			}
			vs.SorryServer.Inhibit = lvsBoolp(true)
		}},
		"sorry_server_lvs_method": {H: func(c *Ctx, n *Node, vs *VirtualServer) {
			if vs.SorryServer == nil {
				c.Errorf(n, "sorry_server forwarding used without sorry_server")
				return
			}
			if c.NeedArgs(n, 1) {
				parseForwarding(c, n, &vs.SorryServer.Forwarding, "sorry")
			}
		}},
		"real_server": {Block: true, H: rsBlock},
	})
}

func vsScheduler(c *Ctx, n *Node, vs *VirtualServer) {
	if !c.NeedArgs(n, 1) {
		return
	}
	s := n.Arg(0)
	for _, k := range lvsSchedulers {
		if k == s {
			vs.Scheduler = s
			return
		}
	}
	d := Diagnostic{Pos: n.Pos, Class: ClassGeneral, Msg: fmt.Sprintf("Invalid lvs_scheduler '%s' - ignoring", s), Quote: n.Raw}
	if m := closest(s, lvsSchedulers); m != "" {
		d.Hint = fmt.Sprintf("did you mean '%s'?", m)
	} else {
		d.Hint = "one of " + strings.Join(lvsSchedulers, ", ")
	}
	c.add(d)
}

// vsSchedFlag handles ops, flag-1..3 and the sh/mh flags. keepalived 2.2.7
// only sets sh-*/mh-* when the scheduler chosen so far is sh/mh (order
// matters), silently ignores the other family's flags for sh/mh, and has no
// "hashed" handling left: that word gets the sh message.
func vsSchedFlag(c *Ctx, n *Node, vs *VirtualServer) {
	switch kw := n.Keyword(); {
	case kw == "ops":
		vs.OPS = true
	case kw == "flag-1":
		vs.Flag1 = true
	case kw == "flag-2":
		vs.Flag2 = true
	case kw == "flag-3":
		vs.Flag3 = true
	case vs.Scheduler == "sh":
		vs.SHPort = vs.SHPort || kw == "sh-port"
		vs.SHFallbk = vs.SHFallbk || kw == "sh-fallback"
	case vs.Scheduler == "mh":
		vs.MHPort = vs.MHPort || kw == "mh-port"
		vs.MHFallbk = vs.MHFallbk || kw == "mh-fallback"
	default:
		c.ReportHint(n, ClassGeneral, fmt.Sprintf("%s only applies to sh scheduler - ignoring", kw),
			"set lvs_sched (sh or mh) before this flag")
	}
}

func vsIPFamily(c *Ctx, n *Node, vs *VirtualServer) {
	if !c.NeedArgs(n, 1) {
		return
	}
	f := n.Arg(0)
	if f != "inet" && f != "inet6" {
		c.ReportHint(n, ClassGeneral, fmt.Sprintf("unknown address family %s", f), "use inet or inet6")
		return
	}
	if vs.Family != "" && vs.Family != f {
		c.Errorf(n, "Virtual server specified family %s conflicts with server family", f)
		return
	}
	vs.Family = f
}

func vsPersistenceTimeout(c *Ctx, n *Node, vs *VirtualServer) {
	if n.NArgs() < 1 {
		vs.PersistenceTimeout = ipvsPersistentTimeout
		return
	}
	if v, ok := c.UintArg(n, 0, 1, lvsMaxTimeout); ok {
		vs.PersistenceTimeout = uint32(v)
	} else {
		c.Errorf(n, "persistence_timeout invalid")
	}
}

func vsPersistenceEngine(c *Ctx, n *Node, vs *VirtualServer) {
	if !c.NeedArgs(n, 1) {
		return
	}
	s := n.Arg(0)
	if len(s) > ipvsPENameMax-1 {
		c.Errorf(n, "persistence_name too long, truncating - %s", s)
		s = s[:ipvsPENameMax-1]
	}
	vs.PersistenceEngine = s
}

// vsPersistenceGranularity: an IPv6 prefix length, or an IPv4 netmask in any
// form getaddrinfo accepts numerically (so "33" is 0.0.0.33); keepalived does
// not insist on a contiguous mask. The family, when not known yet, comes from
// a '.' in the word.
func vsPersistenceGranularity(c *Ctx, n *Node, vs *VirtualServer) {
	if !c.NeedArgs(n, 1) {
		return
	}
	s := n.Arg(0)
	fam := vs.Family
	if fam == "" {
		fam = "inet6"
		if strings.Contains(s, ".") {
			fam = "inet"
		}
	}
	if fam == "inet6" {
		if _, ok := c.UintArg(n, 0, 1, 128); !ok {
			c.Errorf(n, "Invalid IPv6 persistence_granularity specified - %s", s)
			return
		}
	} else if _, ok := lvsInetAton(s); !ok {
		c.Errorf(n, "Invalid IPv4 persistence_granularity specified - %s", s)
		return
	}
	vs.PersistenceGranularity = s
	if vs.Family == "" {
		vs.Family = fam
	}
	if vs.PersistenceTimeout == 0 {
		vs.PersistenceTimeout = ipvsPersistentTimeout
	}
}

// lvsInetAton parses an IPv4 address the way inet_aton does: one to four
// parts, each decimal, octal (leading 0) or hex (0x), the last part filling
// the remaining bytes.
func lvsInetAton(s string) (uint32, bool) {
	parts := strings.Split(s, ".")
	if len(parts) > 4 {
		return 0, false
	}
	var vals []uint64
	for _, p := range parts {
		base, digits := 10, p
		switch {
		case strings.HasPrefix(p, "0x") || strings.HasPrefix(p, "0X"):
			base, digits = 16, p[2:]
		case len(p) > 1 && p[0] == '0':
			base, digits = 8, p[1:]
		}
		if digits == "" && base != 16 {
			return 0, false
		}
		v, err := strconv.ParseUint("0"+digits, base, 32)
		if err != nil || digits != "" && strings.ContainsAny(digits[:1], "+-") {
			return 0, false
		}
		vals = append(vals, v)
	}
	var out uint64
	for i, v := range vals[:len(vals)-1] {
		if v > 255 {
			return 0, false
		}
		out |= v << (24 - 8*i)
	}
	last := vals[len(vals)-1]
	if last >= 1<<(8*(5-len(vals))) {
		return 0, false
	}
	return uint32(out | last), true
}

func vsProtocol(c *Ctx, n *Node, vs *VirtualServer) {
	if !c.NeedArgs(n, 1) {
		return
	}
	switch p := strings.ToUpper(n.Arg(0)); p {
	case "TCP", "UDP", "SCTP":
		vs.Protocol = p
	default:
		c.ReportHint(n, ClassGeneral, fmt.Sprintf("Unknown protocol %s - ignoring", n.Arg(0)), "use TCP, UDP or SCTP")
	}
}

// lvsVSName is the "(%s)" keepalived puts before script messages: the group
// name, printed by C as "(null)" for other virtual servers.
func lvsVSName(vs *VirtualServer) string {
	if vs.GroupName != "" {
		return vs.GroupName
	}
	return "(null)"
}

func vsQuorumScript(c *Ctx, n *Node, vs *VirtualServer, dst **Script) {
	if *dst != nil {
		c.Errorf(n, "(%s) %s script already specified - ignoring %s", lvsVSName(vs), n.Keyword(), n.Arg(0))
		return
	}
	*dst = lvsNotifyScript(c, n)
}

// lvsNotifyScript reads "KEYWORD CMD [USER [GROUP]]" (notify_script_init);
// nil when keepalived drops the script for its syntax.
func lvsNotifyScript(c *Ctx, n *Node) *Script {
	argv, user, group, ok := c.NotifyCommand(n)
	if !ok {
		return nil
	}
	return &Script{Pos: n.Pos, Argv: argv, User: user, Group: group}
}

// parseForwarding is keepalived's svr_forwarding_handler; what names
// "virtual", "real" or "sorry" in its messages. The method is kept even when
// the tunnel options that follow are wrong, as keepalived does.
func parseForwarding(c *Ctx, n *Node, f *Forwarding, what string) {
	m := n.Arg(0)
	switch m {
	case "NAT", "DR", "TUN":
	default:
		c.ReportHint(n, ClassGeneral, fmt.Sprintf("PARSER : unknown [%s] routing method for %s server.", m, what), "use NAT, DR or TUN")
		return
	}
	f.Method = m
	tunType, port, csum := "ipip", uint64(0), "nocsum"
	args := n.Args()
	for i := 1; i < len(args); i++ {
		switch args[i] {
		case "type":
			if i+1 == len(args) {
				c.Errorf(n, "Missing tunnel type for %s server.", what)
				return
			}
			switch t := args[i+1]; t {
			case "ipip", "gue", "gre":
				tunType = t
			default:
				c.Errorf(n, "Unknown tunnel type %s for %s server.", t, what)
				return
			}
			i++
		case "port":
			if i+1 == len(args) {
				c.Errorf(n, "Missing port for %s server gue tunnel.", what)
				return
			}
			v, ok := c.ReadUnsigned(n, args[i+1], 1, 65535)
			if !ok {
				c.Errorf(n, "Invalid gue tunnel port %s for %s server.", args[i+1], what)
				return
			}
			port = v
			i++
		case "nocsum", "csum", "remcsum":
			csum = args[i]
		default:
			c.Errorf(n, "Invalid tunnel option %s for %s server.", args[i], what)
			return
		}
	}
	if (tunType == "gue") != (port != 0) {
		c.Errorf(n, "gue tunnels require port, otherwise cannot have port.")
		return
	}
	if tunType == "ipip" && csum != "nocsum" {
		c.Errorf(n, "ipip tunnels do not support checksum option.")
		return
	}
	if tunType == "gre" && csum == "remcsum" {
		c.Errorf(n, "gre tunnels do not support remote checksum option.")
		return
	}
	f.TunnelType, f.TunnelPort, f.TunnelCsum = tunType, uint16(port), csum
}

// lvsNewServer parses "IP [PORT]" of a real or sorry server; the server starts
// with the virtual server's forwarding method as configured so far.
func lvsNewServer(c *Ctx, n *Node, vs *VirtualServer) (*RealServer, bool) {
	ip, portStr := n.Arg(0), n.Arg(1)
	port, _, okPort := lvsPort(c, n, portStr)
	addr, okAddr := parseLVSAddr(ip)
	if !okPort || !okAddr {
		return nil, false
	}
	return &RealServer{Pos: n.Pos, Addr: addr, Port: port, Forwarding: vs.Forwarding}, true
}

func vsSorryServer(c *Ctx, n *Node, vs *VirtualServer) {
	if !c.NeedArgs(n, 1) {
		return
	}
	s, ok := lvsNewServer(c, n, vs)
	if !ok {
		c.Errorf(n, "Invalid sorry server IP address %s - skipping", n.Arg(0))
		return
	}
	vs.SorryServer = s
}

// rsBlock parses "real_server IP [PORT] { ... }" inside a virtual server.
func rsBlock(c *Ctx, n *Node, vs *VirtualServer) {
	if !c.NeedArgs(n, 1) {
		return
	}
	rs, ok := lvsNewServer(c, n, vs)
	if !ok {
		port := n.Arg(1)
		if n.NArgs() < 2 {
			port = "(null)"
		}
		// keepalived skips the whole block.
		c.Errorf(n, "Invalid real server ip address/port %s/%s - skipping", n.Arg(0), port)
		return
	}
	ctx := &rsCtx{vs: vs, rs: rs}
	Apply(c, n.Block, rsTable, ctx)
	// keepalived's rs_end_handler: tunnelled real servers may differ in
	// family, the others must match the virtual server.
	if rs.Forwarding.Method != "TUN" {
		switch f := lvsFamily(rs.Addr); {
		case vs.Family == "":
			vs.Family = f
		case vs.Family != f:
			c.Errorf(blockEnd(n), "Address family of virtual server and real server %s don't match - skipping real server.", rs.Addr)
			return
		}
	}
	vs.RealServers = append(vs.RealServers, rs)
}

// rsCtx is what the real_server keywords and its checkers work on.
type rsCtx struct {
	vs *VirtualServer
	rs *RealServer
}

func rsTimer(msg string, min, max uint64, f func(*RealServer, time.Duration)) Entry[rsCtx] {
	return Entry[rsCtx]{H: func(c *Ctx, n *Node, x *rsCtx) {
		lvsTimer(c, n, min, max, msg, func(d time.Duration) { f(x.rs, d) })
	}}
}

func rsBool(msg string, f func(*RealServer, bool)) Entry[rsCtx] {
	return Entry[rsCtx]{H: func(c *Ctx, n *Node, x *rsCtx) {
		if v, ok := lvsOptBool(c, n, msg); ok {
			f(x.rs, v)
		}
	}}
}

func rsThreshold(name string, f func(*RealServer, uint32)) Entry[rsCtx] {
	return Entry[rsCtx]{H: func(c *Ctx, n *Node, x *rsCtx) {
		lvsUint(c, n, 0, math.MaxUint32, "Invalid real_server "+name+" '%s' - ignoring", func(v uint64) { f(x.rs, uint32(v)) })
	}}
}

func rsNotify(c *Ctx, n *Node, x *rsCtx, dst **Script) {
	if *dst != nil {
		c.Errorf(n, "(%s) %s script already specified - ignoring %s", lvsVSName(x.vs), n.Keyword(), n.Arg(0))
		return
	}
	*dst = lvsNotifyScript(c, n)
}

var rsTable *Table[rsCtx]

func init() {
	entries := map[string]Entry[rsCtx]{
		"weight": {H: func(c *Ctx, n *Node, x *rsCtx) {
			if !c.NeedArgs(n, 1) {
				return
			}
			if v, ok := c.UintArg(n, 0, 0, ipvsWeightLimit); ok {
				x.rs.Weight = lvsIntp(int(v))
			} else {
				c.Errorf(n, "Real server weight %s is outside range 0-%d", n.Arg(0), ipvsWeightLimit)
			}
		}},
		"lvs_method": {H: func(c *Ctx, n *Node, x *rsCtx) {
			if c.NeedArgs(n, 1) {
				parseForwarding(c, n, &x.rs.Forwarding, "real")
			}
		}},
		"uthreshold": rsThreshold("uthreshold", func(rs *RealServer, v uint32) { rs.UThreshold = v }),
		"lthreshold": rsThreshold("lthreshold", func(rs *RealServer, v uint32) { rs.LThreshold = v }),
		"inhibit_on_failure": rsBool("Invalid inhibit_on_failure parameter %s",
			func(rs *RealServer, v bool) { rs.Inhibit = lvsBoolp(v) }),
		"notify_up":   {H: func(c *Ctx, n *Node, x *rsCtx) { rsNotify(c, n, x, &x.rs.NotifyUp) }},
		"notify_down": {H: func(c *Ctx, n *Node, x *rsCtx) { rsNotify(c, n, x, &x.rs.NotifyDown) }},
		"alpha":       rsBool("Invalid alpha parameter %s", func(rs *RealServer, v bool) { rs.Alpha = lvsBoolp(v) }),
		"retry": {H: func(c *Ctx, n *Node, x *rsCtx) {
			lvsUint(c, n, 1, math.MaxUint32, "retry value invalid - %s", func(v uint64) { x.rs.Retry = lvsU32p(uint32(v)) })
		}},
		"delay_before_retry": rsTimer("real server delay_before_retry '%s' invalid - ignoring", 0, 0,
			func(rs *RealServer, d time.Duration) { rs.DelayBeforeRetry = lvsDurp(d) }),
		"warmup": rsTimer("real server warmup '%s' invalid - ignoring", 0, 0,
			func(rs *RealServer, d time.Duration) { rs.Warmup = lvsDurp(d) }),
		"connect_timeout": rsTimer("real server connect_timeout %s invalid - ignoring", 1, connectTimeoutMaxMicros,
			func(rs *RealServer, d time.Duration) { rs.ConnectTimeout = lvsDurp(d) }),
		"delay_loop": rsTimer("real server delay_loop '%s' invalid - ignoring", 1, 0,
			func(rs *RealServer, d time.Duration) { rs.DelayLoop = lvsDurp(d) }),
		"smtp_alert": rsBool("Invalid real_server smtp_alert parameter %s",
			func(rs *RealServer, v bool) { rs.SMTPAlert = lvsBoolp(v) }),
		"virtualhost": {H: func(c *Ctx, n *Node, x *rsCtx) {
			if n.NArgs() < 1 {
				c.Errorf(n, "real server virtualhost missing")
				return
			}
			x.rs.VirtualHost = n.Arg(0)
		}},
		"snmp_name": {H: func(c *Ctx, n *Node, x *rsCtx) {
			if n.NArgs() != 1 {
				c.Errorf(n, "real server snmp_name missing or extra parameters")
				return
			}
			x.rs.SNMPName = n.Arg(0)
		}},
	}
	for name, e := range checkerEntries() {
		entries[name] = e
	}
	rsTable = NewTable("real_server", entries)
}
