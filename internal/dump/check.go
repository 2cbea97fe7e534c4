package dump

import (
	"fmt"
	"io"
	"net/netip"
	"strings"
	"time"
)

// CheckSnapshot is what the checker child shows in keepalived_check.data
// (SIGUSR1): the global definitions, then keepalived 2.2.7's
// dump_check_data — the SSL context, the LVS topology (virtual server
// groups, virtual servers with their sorry and real servers), the health
// checkers in their queue order, the track files and BFDs the checkers
// follow. The layout is keepalived/check/check_data.c, check_api.c and
// the check_*.c dump functions of 2.2.7; the global section is the one
// keepalived's checker shows, which is its parent's (compared with
// keepalived 2.2.7's file in testdata). Sections without entries are
// left out, as keepalived does.
type CheckSnapshot struct {
	Global Global
	// SSL is the SSL block, or keepalived's autogen context that an
	// SSL_GET makes without one; nil: no SSL section.
	SSL *SSL
	// LVSVersion is the IPVS version keepalived was compiled with
	// ("System is compiled with LVS v1.2.1").
	LVSVersion string
	Groups     []VSGroup
	Servers    []VirtualServer
	Checkers   []Checker
	TrackFiles []CheckTrackFile
	TrackBFDs  []CheckTrackBFD
}

// SSL is the SSL block's files; all empty is keepalived's autogen
// context.
type SSL struct {
	Password, CAFile, CertFile, KeyFile string
}

// VSGroup is a virtual_server_group.
type VSGroup struct {
	Name       string
	IPv4, IPv6 bool
	Ranges     []VSGroupRange
	Fwmarks    []VSGroupFwmark
}

// VSGroupRange is an address entry of a group (Start == End: one
// address) with its runtime alive counts.
type VSGroupRange struct {
	Start, End                    netip.Addr
	Port                          uint16
	AliveTCP, AliveUDP, AliveSCTP uint
	Reloaded                      bool
}

// VSGroupFwmark is a fwmark entry of a group; Family is "", "inet" or
// "inet6".
type VSGroupFwmark struct {
	Mark           uint32
	Family         string
	Alive4, Alive6 uint
	Reloaded       bool
}

// Forwarding is an LVS forwarding method as keepalived keeps it: Method
// "NAT", "DR", "TUN", or "" when none was set anywhere (keepalived's
// IP_VS_CONN_F_FWD_MASK, shown as " 0x7"); TUN with its type ("" is
// keepalived's default, ipip), GUE port and checksum option ("" is
// nocsum).
type Forwarding struct {
	Method     string
	TunnelType string
	TunnelPort uint16
	TunnelCsum string
}

// NotifyCmd is a notify script with the user it runs as.
type NotifyCmd struct {
	Cmd      string // keepalived's cmd_str: each word quoted
	UID, GID int
}

// IPVS service flags, as the kernel's ip_vs.h numbers them: the
// scheduler flags are shared by flag-N, sh-* and mh-*.
const (
	SvcHashed     = 0x0002
	SvcOnePacket  = 0x0004
	SvcSched1     = 0x0008 // flag-1, sh-fallback, mh-fallback
	SvcSched2     = 0x0010 // flag-2, sh-port, mh-port
	SvcSched3     = 0x0020 // flag-3
	timerHzDigits = 6
)

// VirtualServer is a virtual_server with its runtime state.
type VirtualServer struct {
	// One of Group, Fwmark (IsFwmark) or Addr/Port names it; Name is
	// keepalived's FMT_VS ("[10.0.0.1]:tcp:80", "FWM 5", "[G]:0").
	Group    string
	IsFwmark bool
	Fwmark   uint32
	Addr     netip.Addr
	Port     uint16
	Name     string

	VirtualHost string
	SNMPName    string
	// Family is "inet", "inet6", "both" (a group with both) or "".
	Family    string
	ConnectTO time.Duration
	DelayLoop time.Duration
	Scheduler string
	Flags     uint32
	Protocol  string // "TCP", "UDP", "SCTP" or "" (none)
	Persist   uint32 // persistence_timeout, 0 none
	// Granularity is the persistence_granularity as keepalived shows
	// it (a netmask, or an IPv6 prefix length); "" none.
	Granularity string
	Alpha       bool
	Omega       bool
	// Retry, DelayBeforeRetry and Warmup are shown when set here.
	Retry            *uint32
	DelayBeforeRetry *time.Duration
	Warmup           *time.Duration
	Inhibit          bool
	Quorum           uint32
	Hysteresis       uint32
	QuorumUp         *NotifyCmd
	QuorumDown       *NotifyCmd
	HASuspend        bool
	SMTPAlert        bool
	Forwarding       Forwarding

	Sorry *SorryServer

	// Runtime.
	Alive         bool
	QuorumStateUp bool
	Reloaded      bool

	Reals []RealServer
}

// SorryServer is a virtual server's sorry_server.
type SorryServer struct {
	Name         string // FMT_RS
	DuplicatesRS bool
	Forwarding   Forwarding
	Inhibit      bool
}

// RealServer is a real_server with its runtime state.
type RealServer struct {
	Addr       netip.Addr
	Port       uint16
	Forwarding Forwarding
	Alpha      bool
	ConnectTO  time.Duration
	LThreshold uint32
	UThreshold uint32
	DelayLoop  time.Duration
	// Retry, DelayBeforeRetry and Warmup are shown when set here or on
	// the virtual server.
	Retry            *uint32
	DelayBeforeRetry *time.Duration
	Warmup           *time.Duration
	Inhibit          bool
	NotifyUp         *NotifyCmd
	NotifyDown       *NotifyCmd
	VirtualHost      string
	SNMPName         string
	SMTPAlert        bool
	InitialWeight    int
	// TrackFiles are its FILE_CHECKs' files, TrackBFDs its BFD_CHECKs'
	// BFD names.
	TrackFiles []TrackedFile
	TrackBFDs  []string

	// Runtime.
	EffectiveWeight int64
	PreviousWeight  int64
	Alive           bool
	NumFailed       uint
	Set             bool
	Reloaded        bool
}

// TrackedFile is a track file followed with a weight.
type TrackedFile struct {
	Name    string
	Weight  int
	Reverse bool
}

// Checker kinds, as keepalived's "Keepalive method" names them.
const (
	CheckTCP  = "TCP_CHECK"
	CheckHTTP = "HTTP_GET"
	CheckSSL  = "SSL_GET"
	CheckMisc = "MISC_CHECK"
	CheckSMTP = "SMTP_CHECK"
	CheckDNS  = "DNS_CHECK"
	CheckUDP  = "UDP_CHECK"
	CheckPing = "PING_CHECK"
	CheckFile = "FILE_CHECK"
	CheckBFD  = "BFD_CHECK"
)

// Checker is one entry of keepalived's checkers queue.
type Checker struct {
	Kind   string
	VSName string // FMT_VS
	RSName string // FMT_RS

	Enabled    bool
	Up         bool
	HasRun     bool
	CurWeight  int
	Alpha      bool
	DelayLoop  uint64 // microseconds; keepalived's unset value when never resolved
	Warmup     uint64
	Retry      uint32
	DelayRetry uint64
	RetryIt    uint32
	// DefaultDelayRetry is the kind's own delay before retry.
	DefaultDelayRetry uint64
	LogAllFailures    bool

	Conn *Conn

	HTTP *HTTPCheck
	Misc *MiscCheck
	SMTP *SMTPCheck
	DNS  *DNSCheck
	UDP  *UDPCheck
	File *FileCheck
	BFD  *BFDCheck
}

// Conn is a checker's connection options.
type Conn struct {
	Dst       netip.AddrPort
	BindTo    netip.AddrPort // invalid address: none
	BindIf    string
	Fwmark    uint32
	Timeout   time.Duration
	LastErrno int
}

// HTTPCheck is an HTTP_GET or SSL_GET.
type HTTPCheck struct {
	Protocol     string // "1.0", "1.0C", "1.1"
	VirtualHost  string
	EnableSNI    bool
	FastRecovery bool
	URLs         []URL
	FailedURL    string
}

// URL is an url block.
type URL struct {
	Path   string
	Digest string
	// Status are inclusive ranges within 100-599, merged.
	Status      [][2]int
	VirtualHost string
	// Regex is the pattern ("" none) with what keepalived shows of it.
	Regex        string
	RegexNoMatch bool
	RegexMin     uint64
	RegexMax     *uint64
	// RegexOptions says the url set regex_options: keepalived 2.2.7
	// then lists every option it knows (RegexOptionNames), not the ones
	// set — its loop tests each table entry's bit instead of the url's.
	RegexOptions bool
	RegexRefs    int
	// RegexStack is the process-wide JIT stack [start, max] when this
	// url asked for one.
	RegexStack *[2]uint64
}

// MiscCheck is a MISC_CHECK.
type MiscCheck struct {
	Script     NotifyCmd
	Timeout    time.Duration
	Dynamic    bool
	LastRan    time.Time // zero: keepalived's 0 (the epoch)
	LastStatus uint
}

// SMTPCheck is an SMTP_CHECK.
type SMTPCheck struct{ Helo string }

// DNSCheck is a DNS_CHECK.
type DNSCheck struct{ Type, Name string }

// UDPCheck is a UDP_CHECK.
type UDPCheck struct {
	PayloadLen   int // 0: none
	RequireReply bool
	MinReply     int
	MaxReply     int
	ReplyLen     int
	ReplyMask    bool
}

// FileCheck is a FILE_CHECK.
type FileCheck struct {
	File     string
	Reloaded bool
}

// BFDCheck is a BFD_CHECK.
type BFDCheck struct{ Name string }

// CheckTrackFile is a track file the checkers follow.
type CheckTrackFile struct {
	Name    string
	Path    string
	Status  int64
	Weight  int
	Reverse bool
	// Tracking are the real servers following it.
	Tracking []TrackingRS
}

// TrackingRS is a real server following a track file.
type TrackingRS struct {
	VSName, RSName string
	Weight         int
	Reverse        bool
}

// CheckTrackBFD is a bfd_instance the checkers follow, with the real
// servers (FMT_RS) that do.
type CheckTrackBFD struct {
	Name     string
	Tracking []string
}

// WriteCheckData writes keepalived_check.data.
func WriteCheckData(out io.Writer, s *CheckSnapshot) error {
	w := newWriter(out)
	w.global(&s.Global)
	if s.SSL != nil {
		w.line("------< SSL definitions >------")
		w.ssl(s.SSL)
	}
	if len(s.Servers) > 0 {
		w.line("------< LVS Topology >------")
		w.line(" System is compiled with LVS v%s", s.LVSVersion)
		for i := range s.Groups {
			w.vsGroup(&s.Groups[i])
		}
		for i := range s.Servers {
			w.virtualServer(&s.Servers[i])
		}
	}
	if len(s.Checkers) > 0 {
		w.line("------< Health checkers >------")
		for i := range s.Checkers {
			w.checker(&s.Checkers[i])
		}
	}
	if len(s.TrackFiles) > 0 {
		w.line("------< Checker track files >------")
		for i := range s.TrackFiles {
			w.checkTrackFile(&s.TrackFiles[i])
		}
	}
	if len(s.TrackBFDs) > 0 {
		w.line("------< Checker track BFDs >------")
		for _, b := range s.TrackBFDs {
			w.line(" Checker Track BFD = %s", b.Name)
			w.line("   Tracking RS :")
			for _, rs := range b.Tracking {
				w.line("   %s", rs)
			}
		}
	}
	return w.flush()
}

func (w *writer) ssl(s *SSL) {
	if *s == (SSL{}) {
		w.line(" Using autogen SSL context")
		return
	}
	for _, f := range []struct{ name, v string }{
		{"Password", s.Password}, {"CA-file", s.CAFile}, {"Certificate file", s.CertFile}, {"Key file", s.KeyFile},
	} {
		if f.v != "" {
			w.line(" %s : %s", f.name, f.v)
		}
	}
}

func (w *writer) vsGroup(g *VSGroup) {
	w.line(" ------< Virtual server group >------")
	w.line(" Virtual Server Group = %s, IPv4 = %s, IPv6 = %s", g.Name, yesNo(g.IPv4), yesNo(g.IPv6))
	for _, r := range g.Ranges {
		if r.Start != r.End {
			w.line("   VIP Range = %s-%s, VPORT = %d", r.Start, r.End, r.Port)
		} else {
			w.line("   VIP = %s, VPORT = %d", r.Start, r.Port)
		}
		w.line("     Alive: %d tcp, %d udp, %d sctp", r.AliveTCP, r.AliveUDP, r.AliveSCTP)
		w.line("     reloaded = %s", trueFalse(r.Reloaded))
	}
	for _, f := range g.Fwmarks {
		fam := ""
		switch f.Family {
		case "inet":
			fam = " IPv4"
		case "inet6":
			fam = " IPv6"
		}
		w.line("   FWMARK = %d%s", f.Mark, fam)
		w.line("     Alive: %d IPv4, %d IPv6", f.Alive4, f.Alive6)
		w.line("     reloaded = %s", trueFalse(f.Reloaded))
	}
}

// forwarding is keepalived's dump_forwarding_method, quirks included:
// the GUE and GRE forms and a method never set leave the prefix out.
func (w *writer) forwarding(prefix string, f Forwarding) {
	const method = "forwarding method = "
	switch f.Method {
	case "NAT", "DR":
		w.line("   %s%s%s", prefix, method, f.Method)
	case "TUN":
		csum := ", no checksum"
		switch f.TunnelCsum {
		case "csum":
			csum = ", checksum"
		case "remcsum":
			csum = ", remote checksum"
		}
		switch f.TunnelType {
		case "gue":
			w.line("   %sTUN, type = GUE, port = %d%s", method, f.TunnelPort, csum)
		case "gre":
			w.line("   %sTUN, type = GRE%s", method, csum)
		default:
			w.line("   %s%sTUN, type = IPIP", prefix, method)
		}
	default:
		w.line("   %s 0x7", method)
	}
}

// decimal is keepalived's format_decimal with TIMER_HZ_DIGITS: whole
// seconds, a point, six digits of microseconds.
func decimal(d time.Duration) string {
	us := d.Microseconds()
	return fmt.Sprintf("%d.%0*d", us/1e6, timerHzDigits, us%1e6)
}

func (w *writer) virtualServer(v *VirtualServer) {
	w.line(" ------< Virtual server >------")
	switch {
	case v.Group != "":
		w.line(" VS GROUP = %s", v.Name)
	case v.IsFwmark:
		w.line(" VS FWMARK = %d", v.Fwmark)
	default:
		w.line(" VS VIP = %s, VPORT = %d", v.Addr, v.Port)
	}
	if v.VirtualHost != "" {
		w.line("   VirtualHost = %s", v.VirtualHost)
	}
	if v.SNMPName != "" {
		w.line("   SNMP name = '%s'", v.SNMPName)
	}
	switch v.Family {
	case "inet":
		w.line("   Address family = inet")
	case "inet6":
		w.line("   Address family = inet6")
	case "both":
		w.line("   Address family = IPv4 & IPv6")
	default:
		w.line("   Address family = unknown")
	}
	w.line("   connection timeout = %s", decimal(v.ConnectTO))
	w.line("   delay_loop = %s", decimal(v.DelayLoop))
	w.line("   lvs_sched = %s", v.Scheduler)
	w.line("   Hashed = %sabled", enDis(v.Flags&SvcHashed != 0))
	switch v.Scheduler {
	case "sh", "mh":
		w.line("   %s-port = %sabled", v.Scheduler, enDis(v.Flags&SvcSched2 != 0))
		w.line("   %s-fallback = %sabled", v.Scheduler, enDis(v.Flags&SvcSched1 != 0))
	default:
		w.line("   flag-1 = %sabled", enDis(v.Flags&SvcSched1 != 0))
		w.line("   flag-2 = %sabled", enDis(v.Flags&SvcSched2 != 0))
		w.line("   flag-3 = %sabled", enDis(v.Flags&SvcSched3 != 0))
	}
	ops := v.Flags&SvcOnePacket != 0
	inactive := ""
	if ops && v.Protocol != "UDP" {
		inactive = " (inactive due to not UDP)"
	}
	w.line("   One packet scheduling = %sabled%s", enDis(ops), inactive)
	if v.Persist != 0 {
		w.line("   persistence timeout = %d", v.Persist)
	}
	if v.Granularity != "" {
		w.line("   persistence granularity = %s", v.Granularity)
	}
	if v.Protocol == "" {
		w.line("   protocol = none")
	} else {
		w.line("   protocol = %s", v.Protocol)
	}
	w.line("   alpha is %s", onOff(v.Alpha))
	w.line("   omega is %s", onOff(v.Omega))
	w.retryLines(v.Retry, v.DelayBeforeRetry, v.Warmup)
	w.line("   Inhibit on failure is %s", onOff(v.Inhibit))
	w.line("   quorum = %d, hysteresis = %d", v.Quorum, v.Hysteresis)
	if s := v.QuorumUp; s != nil {
		w.line("   Quorum up notify script = %s, uid:gid %d:%d", s.Cmd, s.UID, s.GID)
	}
	if s := v.QuorumDown; s != nil {
		w.line("   Quorum down notify script = %s, uid:gid %d:%d", s.Cmd, s.UID, s.GID)
	}
	if v.HASuspend {
		w.line("   Using HA suspend")
	}
	w.line("   Using smtp notification = %s", yesNo(v.SMTPAlert))
	w.forwarding("default ", v.Forwarding)
	if s := v.Sorry; s != nil {
		dup := ""
		if s.DuplicatesRS {
			dup = "(duplicates rs) "
		}
		w.line("   sorry server %s= %s", dup, s.Name)
		w.forwarding("  ", s.Forwarding)
		w.line("     Inhibit on failure is %s", onOff(s.Inhibit))
	}
	w.line("   alive = %d", b2i(v.Alive))
	w.line("   quorum_state_up = %d", b2i(v.QuorumStateUp))
	w.line("   reloaded = %d", b2i(v.Reloaded))
	for i := range v.Reals {
		w.realServer(&v.Reals[i])
	}
}

// retryLines are the optional timing lines of virtual and real servers.
func (w *writer) retryLines(retry *uint32, dbr, warmup *time.Duration) {
	if retry != nil {
		w.line("   Retry count = %d", *retry)
	}
	if dbr != nil {
		w.line("   Retry delay = %s", decimal(*dbr))
	}
	if warmup != nil {
		w.line("   Warmup = %s", decimal(*warmup))
	}
}

// realWeight is keepalived's real_weight: the effective weight within
// IPVS's 0..65535.
func realWeight(w int64) int64 {
	return min(max(w, 0), 65535)
}

func (w *writer) realServer(r *RealServer) {
	w.line("   ------< Real server >------")
	w.line("   RIP = %s, RPORT = %d, WEIGHT = %d EFF WEIGHT = %d", r.Addr, r.Port, realWeight(r.EffectiveWeight), r.EffectiveWeight)
	w.forwarding("", r.Forwarding)
	w.line("   Alpha is %s", onOff(r.Alpha))
	w.line("   connection timeout = %s", decimal(r.ConnectTO))
	w.line("   connection limit range = %d -> %d", r.LThreshold, r.UThreshold)
	w.line("   Delay loop = %s", decimal(r.DelayLoop))
	w.retryLines(r.Retry, r.DelayBeforeRetry, r.Warmup)
	w.line("   Inhibit on failure is %s", onOff(r.Inhibit))
	if s := r.NotifyUp; s != nil {
		w.line("     RS up notify script = %s, uid:gid %d:%d", s.Cmd, s.UID, s.GID)
	}
	if s := r.NotifyDown; s != nil {
		w.line("     RS down notify script = %s, uid:gid %d:%d", s.Cmd, s.UID, s.GID)
	}
	if r.VirtualHost != "" {
		w.line("    VirtualHost = '%s'", r.VirtualHost)
	}
	if r.SNMPName != "" {
		w.line("   SNMP name = %s", r.SNMPName)
	}
	w.line("   Using smtp notification = %s", yesNo(r.SMTPAlert))
	w.line("   initial weight = %d", r.InitialWeight)
	w.line("   effective weight = %d", r.EffectiveWeight)
	w.line("   previous effective_weight = %d", r.PreviousWeight)
	w.line("   alive = %d", b2i(r.Alive))
	w.line("   num failed checkers = %d", r.NumFailed)
	w.line("   RS set = %d", b2i(r.Set))
	w.line("   reloaded = %d", b2i(r.Reloaded))
	if len(r.TrackFiles) > 0 {
		w.line("   Tracked Files")
		for _, f := range r.TrackFiles {
			w.line("     %s, weight %d%s", f.Name, f.Weight, reverse(f.Reverse))
		}
	}
	if len(r.TrackBFDs) > 0 {
		w.line("   Tracked BFDs")
		for _, b := range r.TrackBFDs {
			w.line("     %s", b)
		}
	}
}

func (w *writer) checker(c *Checker) {
	w.line(" %s -> %s", c.VSName, c.RSName)
	w.line("   Enabled = %s", yesNo(c.Enabled))
	w.line("   Up = %s", yesNo(c.Up))
	w.line("   Has run = %s", yesNo(c.HasRun))
	w.line("   Current weight = %d", c.CurWeight)
	if c.Kind != CheckFile {
		w.line("   Alpha = %s", yesNo(c.Alpha))
		w.line("   Delay loop = %d us", c.DelayLoop)
		w.line("   Warmup = %d us", c.Warmup)
		w.line("   Retries = %d", c.Retry)
		if c.Retry != 0 {
			w.line("   Delay before retry = %d us", c.DelayRetry)
			w.line("   Retries iterations = %d", c.RetryIt)
		}
		w.line("   Default delay before retry = %d us", c.DefaultDelayRetry)
	}
	w.line("   Log all failures = %s", yesNo(c.LogAllFailures))
	if co := c.Conn; co != nil {
		w.line("   Connection")
		w.line("     Dest = %s", pair(co.Dst))
		if co.BindTo.Addr().IsValid() {
			w.line("     Bind to = %s", pair(co.BindTo))
		}
		if co.BindIf != "" {
			w.line("     Bind i/f = %s", co.BindIf)
		}
		if co.Fwmark != 0 {
			w.line("     Mark = %d", co.Fwmark)
		}
		w.line("     Timeout = %f", co.Timeout.Seconds())
		if co.LastErrno != 0 {
			w.line("     Last errno = %d", co.LastErrno)
		}
	}
	switch c.Kind {
	case CheckTCP, CheckPing:
		w.line("   Keepalive method = %s", c.Kind)
	case CheckHTTP, CheckSSL:
		w.httpCheck(c.Kind, c.HTTP)
	case CheckMisc:
		m := c.Misc
		w.line("   Keepalive method = MISC_CHECK")
		w.line("   script = %s", m.Script.Cmd)
		w.line("   timeout = %d", int64(m.Timeout/time.Second))
		w.line("   dynamic = %s", map[bool]string{true: "YES", false: "NO"}[m.Dynamic])
		w.line("   uid:gid = %d:%d", m.Script.UID, m.Script.GID)
		t := m.LastRan
		if t.IsZero() {
			t = time.Unix(0, 0)
		}
		us := t.Nanosecond() / 1000
		w.line("   Last ran = %d.%06d (%s.%06d)", t.Unix(), us, t.Format("Mon Jan _2 15:04:05 2006"), us)
		w.line("   Last status = %d", m.LastStatus)
	case CheckSMTP:
		w.line("   Keepalive method = SMTP_CHECK")
		w.line("   helo = %s", c.SMTP.Helo)
	case CheckDNS:
		w.line("   Keepalive method = DNS_CHECK")
		w.line("   Type = %s", c.DNS.Type)
		w.line("   Name = %s", c.DNS.Name)
	case CheckUDP:
		u := c.UDP
		w.line("   Keepalive method = UDP_CHECK")
		if u.PayloadLen > 0 {
			w.line("   Payload len = %d", u.PayloadLen)
		} else {
			w.line("   Payload specified = no")
		}
		w.line("   Require reply = %s", yesNo(u.RequireReply))
		if u.RequireReply {
			w.line("     Min reply length = %d", u.MinReply)
			w.line("     Max reply length = %d", u.MaxReply)
			w.line("     Reply data len = %d", u.ReplyLen)
			if u.ReplyLen > 0 {
				w.line("     Reply data mask = %s", yesNo(u.ReplyMask))
			}
		}
	case CheckFile:
		w.line("   Keepalive method = FILE_CHECK")
		w.line("     Tracked file = %s", c.File.File)
		w.line("     Reloaded = %s", map[bool]string{true: "Yes", false: "No"}[c.File.Reloaded])
	case CheckBFD:
		w.line("   Keepalive method = BFD_CHECK")
		w.line("   Name = %s", c.BFD.Name)
		w.line("   Alpha is %s", onOff(c.Alpha))
	}
}

func (w *writer) httpCheck(kind string, h *HTTPCheck) {
	w.line("   Keepalive method = %s, http protocol %s", kind, h.Protocol)
	if h.VirtualHost != "" {
		w.line("   Virtualhost = %s", h.VirtualHost)
	}
	w.line("   Enable SNI %sset", unset(h.EnableSNI))
	w.line("   Fast recovery %sset", unset(h.FastRecovery))
	for i := range h.URLs {
		w.url(&h.URLs[i])
	}
	if h.FailedURL != "" {
		w.line("   Failed URL = %s", h.FailedURL)
	}
}

func (w *writer) url(u *URL) {
	w.line("   Checked url = %s", u.Path)
	if u.Digest != "" {
		w.line("     digest = %s", u.Digest)
	}
	w.line("     HTTP Status Code(s)")
	for _, r := range u.Status {
		if r[0] == r[1] {
			w.line("       %d", r[0])
		} else {
			w.line("       %d-%d", r[0], r[1])
		}
	}
	if u.VirtualHost != "" {
		w.line("     Virtual host = %s", u.VirtualHost)
	}
	if u.Regex == "" {
		return
	}
	w.line("     Regex = \"%s\"", u.Regex)
	if u.RegexNoMatch {
		w.line("     Regex no match")
	}
	switch {
	case u.RegexMax != nil:
		w.line("     Regex min offset = %d, max_offset = %d", u.RegexMin, *u.RegexMax)
	case u.RegexMin != 0:
		w.line("     Regex min offset = %d", u.RegexMin)
	}
	opts := ""
	if u.RegexOptions {
		opts = " " + strings.Join(RegexOptionNames, " ")
	}
	w.line("     Regex options:%s", opts)
	w.line("     Regex ref count = %d", u.RegexRefs)
	if s := u.RegexStack; s != nil {
		w.line("     Regex stack start %d, max %d", s[0], s[1])
	}
}

func (w *writer) checkTrackFile(f *CheckTrackFile) {
	w.line(" Track file = %s", f.Name)
	w.line("   File = %s", f.Path)
	w.line("   Status = %d", f.Status)
	w.line("   Weight = %d%s", f.Weight, reverse(f.Reverse))
	if len(f.Tracking) > 0 {
		w.line("   Tracking instances :")
		for _, t := range f.Tracking {
			w.line("     %s -> %s, weight %d%s", t.VSName, t.RSName, t.Weight, reverse(t.Reverse))
		}
	}
}

// pair is keepalived's inet_sockaddrtopair: "[address]:port".
func pair(ap netip.AddrPort) string {
	return "[" + ap.Addr().String() + "]:" + fmt.Sprint(ap.Port())
}

func enDis(b bool) string {
	if b {
		return "en"
	}
	return "dis"
}

func onOff(b bool) string {
	if b {
		return "ON"
	}
	return "OFF"
}

func trueFalse(b bool) string {
	if b {
		return "True"
	}
	return "False"
}

func unset(b bool) string {
	if b {
		return ""
	}
	return "un"
}

func reverse(b bool) string {
	if b {
		return " reverse"
	}
	return ""
}

// RegexOptionNames are the PCRE2 options keepalived 2.2.7 knows, in
// its table's order.
var RegexOptionNames = []string{"allow_empty_class", "alt_bsux", "auto_callout", "caseless", "dollar_endonly",
	"dotall", "dupnames", "extended", "firstline", "match_unset_backref", "multiline", "never_ucp",
	"never_utf", "no_auto_capture", "no_auto_possess", "no_dotstar_anchor", "no_start_optimize", "ucp",
	"ungreedy", "utf", "never_backslash_c", "alt_circumflex", "alt_verbnames", "use_offset_limit"}
