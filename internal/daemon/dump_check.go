package daemon

import (
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/dump"
	"github.com/gokeepalived/gokeepalived/pkg/config"
)

// keepalived_check.data is the checker child's SIGUSR1 dump. keepalived
// 2.2.7's checker shows the global definitions exactly as its parent
// does (observed: the two files are identical when no virtual server is
// configured), then its LVS topology and health checkers.
//
// Our checker child does not run IPVS or the checks yet, so it shows
// them as keepalived's checker has them once it has read and checked its
// configuration and before it starts the services and the checks: what
// the configuration says (resolved as keepalived resolves it), and the
// runtime fields at their starting values —
//
//	virtual server   alive 0, quorum_state_up as for no live real server,
//	                 reloaded 0
//	group entries    Alive 0 for each protocol or family, reloaded False
//	real server      EFF WEIGHT / effective weight = the configured
//	                 weight, previous 0, alive 0, num failed checkers =
//	                 its alpha checkers, RS set 0, reloaded 0
//	checker          Enabled yes, Up no in alpha mode else yes, Has run
//	                 no (FILE_CHECK yes), Current weight 0, Retries
//	                 iterations = Retries, no Last errno, no Failed URL
//	MISC_CHECK       Last ran 0 (the epoch), Last status 0
//	track file       Status 0 (not read yet)
//
// Everything else is static: it changes only with the configuration.
// keepalived adds the FILE_CHECKs to the end of its checker queue when its
// checker starts, and keeps only the track files a FILE_CHECK follows;
// both are done here. Two things keepalived shows differ from what we
// know: a track file's path is the configured one (keepalived shows it
// resolved by realpath), and a checker's destination port is its real
// server's port as finally set (keepalived copies the port the
// real_server line gave when the checker is read, 0 if it gave none).

// lvsVersion is the IPVS version keepalived 2.2.7 reports, the kernel's
// IP_VS_VERSION_CODE (1.2.1 since Linux 2.6).
const lvsVersion = "1.2.1"

// keepalived's "unset" values a checker shows for what it never
// resolved (a BFD_CHECK has no timing of its own).
const (
	unsetULong = ^uint64(0)
	unsetUInt  = ^uint32(0)
)

// checkSnapshot builds keepalived_check.data's content from the
// configuration the checker child runs.
func checkSnapshot(cfg *config.Config, h *hostFacts) *dump.CheckSnapshot {
	s := &dump.CheckSnapshot{Global: globalOf(&cfg.Global, h, true), LVSVersion: lvsVersion}
	b := checkBuilder{cfg: cfg, h: h, s: s}
	b.ssl()
	for _, g := range cfg.VirtualServerGroups {
		s.Groups = append(s.Groups, vsGroupOf(g))
	}
	for _, vs := range cfg.VirtualServers {
		s.Servers = append(s.Servers, b.virtualServer(vs))
	}
	for _, vs := range cfg.VirtualServers {
		for _, rs := range vs.RealServers {
			for _, chk := range rs.Checkers {
				if chk.Type != config.CheckFile {
					b.checkers(vs, rs, chk)
				}
			}
		}
	}
	b.fileCheckers()
	b.trackBFDs()
	return s
}

type checkBuilder struct {
	cfg *config.Config
	h   *hostFacts
	s   *dump.CheckSnapshot
}

// ssl is the SSL block, or keepalived's autogen context, which its
// checker makes at start when an SSL_GET needs one.
func (b *checkBuilder) ssl() {
	if c := b.cfg.SSLBlock; c != nil {
		b.s.SSL = &dump.SSL{Password: c.Password, CAFile: c.CAFile, CertFile: c.Certificate, KeyFile: c.Key}
		return
	}
	for _, vs := range b.cfg.VirtualServers {
		for _, rs := range vs.RealServers {
			for _, chk := range rs.Checkers {
				if chk.Type == config.CheckSSL {
					b.s.SSL = &dump.SSL{}
					return
				}
			}
		}
	}
}

func vsGroupOf(g *config.VirtualServerGroup) dump.VSGroup {
	d := dump.VSGroup{Name: g.Name, IPv4: g.HasIPv4(), IPv6: g.HasIPv6()}
	for _, r := range g.Ranges {
		d.Ranges = append(d.Ranges, dump.VSGroupRange{Start: r.Start, End: r.End, Port: r.Port})
	}
	for _, f := range g.Fwmarks {
		d.Fwmarks = append(d.Fwmarks, dump.VSGroupFwmark{Mark: f.Mark, Family: f.Family})
	}
	return d
}

// lvsProto is keepalived's lower-case protocol name in server names.
func lvsProto(p string) string {
	if p == "" {
		return "none"
	}
	return strings.ToLower(p)
}

// rsName is keepalived's FMT_RS: the real server with its virtual
// server's protocol.
func rsName(rs *config.RealServer, vs *config.VirtualServer) string {
	return "[" + rs.Addr.String() + "]:" + lvsProto(vs.Protocol) + ":" + strconv.Itoa(int(rs.Port))
}

func forwardingOf(f config.Forwarding) dump.Forwarding {
	return dump.Forwarding{Method: f.Method, TunnelType: f.TunnelType, TunnelPort: f.TunnelPort, TunnelCsum: f.TunnelCsum}
}

// script is a script with the user it runs as: its own, else
// global_defs' script_user, else keepalived's default.
func (b *checkBuilder) script(s *config.Script) *dump.NotifyCmd {
	if s == nil {
		return nil
	}
	user, group := s.User, s.Group
	if user == "" {
		user, group = b.cfg.Global.ScriptUser, b.cfg.Global.ScriptGroup
	}
	uid, gid := b.h.uidGid(user, group)
	return &dump.NotifyCmd{Cmd: cmdStr(s.Argv), UID: uid, GID: gid}
}

// vsFlags are the IPVS service flags the virtual server's keywords set;
// flag-N, sh-* and mh-* share the kernel's three scheduler bits.
func vsFlags(vs *config.VirtualServer) uint32 {
	var f uint32
	if vs.OPS {
		f |= dump.SvcOnePacket
	}
	if vs.Flag1 || vs.SHFallbk || vs.MHFallbk {
		f |= dump.SvcSched1
	}
	if vs.Flag2 || vs.SHPort || vs.MHPort {
		f |= dump.SvcSched2
	}
	if vs.Flag3 {
		f |= dump.SvcSched3
	}
	return f
}

// granularity is persistence_granularity as keepalived shows it: the
// prefix length of an IPv6 service, else the IPv4 netmask it read.
func granularity(vs *config.VirtualServer) string {
	g := vs.PersistenceGranularity
	if g == "" {
		return ""
	}
	if vs.Family == "inet6" {
		if n, err := strconv.ParseUint(g, 10, 32); err == nil {
			return strconv.FormatUint(n, 10)
		}
		return g
	}
	if a, err := netip.ParseAddr(g); err == nil {
		return a.String()
	}
	return g
}

func durp(d *time.Duration) *time.Duration {
	if d == nil {
		return nil
	}
	v := *d
	return &v
}

func u32p(v *uint32) *uint32 {
	if v == nil {
		return nil
	}
	x := *v
	return &x
}

func (b *checkBuilder) virtualServer(vs *config.VirtualServer) dump.VirtualServer {
	d := dump.VirtualServer{
		Group: vs.GroupName, IsFwmark: vs.IsFwmark, Fwmark: vs.Fwmark, Addr: vs.Addr, Port: vs.Port, Name: vs.Name(),
		VirtualHost: vs.VirtualHost, SNMPName: vs.SNMPName, Family: vs.Family,
		ConnectTO: vs.ConnectTimeout, DelayLoop: vs.DelayLoop, Scheduler: vs.Scheduler, Flags: vsFlags(vs),
		Protocol: vs.Protocol, Persist: vs.PersistenceTimeout, Granularity: granularity(vs),
		Alpha: vs.Alpha, Omega: vs.Omega,
		Retry: u32p(vs.Retry), DelayBeforeRetry: durp(vs.DelayBeforeRetry), Warmup: durp(vs.Warmup),
		Inhibit: vs.Inhibit, Quorum: vs.Quorum, Hysteresis: vs.Hysteresis,
		QuorumUp: b.script(vs.QuorumUp), QuorumDown: b.script(vs.QuorumDown),
		HASuspend: vs.HASuspend, SMTPAlert: vs.SMTPAlert != nil && *vs.SMTPAlert,
		Forwarding: forwardingOf(vs.Forwarding),
		// keepalived's set_quorum_states with no live real server: up
		// only when quorum + hysteresis (32-bit) is 0.
		QuorumStateUp: vs.Quorum+vs.Hysteresis == 0,
	}
	if d.Family == "" && vs.Group != nil && vs.Group.HasIPv4() && vs.Group.HasIPv6() {
		d.Family = "both"
	}
	if s := vs.SorryServer; s != nil {
		d.Sorry = &dump.SorryServer{Name: rsName(s, vs), DuplicatesRS: vs.SorryDuplicatesRS,
			Forwarding: forwardingOf(s.Forwarding), Inhibit: s.Inhibit != nil && *s.Inhibit}
	}
	for _, rs := range vs.RealServers {
		d.Reals = append(d.Reals, b.realServer(rs))
	}
	return d
}

func (b *checkBuilder) realServer(rs *config.RealServer) dump.RealServer {
	weight := 1
	if rs.Weight != nil {
		weight = *rs.Weight
	}
	d := dump.RealServer{
		Addr: rs.Addr, Port: rs.Port, Forwarding: forwardingOf(rs.Forwarding),
		Alpha: boolv(rs.Alpha), ConnectTO: durv(rs.ConnectTimeout), LThreshold: rs.LThreshold, UThreshold: rs.UThreshold,
		DelayLoop: durv(rs.DelayLoop), Retry: u32p(rs.Retry), DelayBeforeRetry: durp(rs.DelayBeforeRetry), Warmup: durp(rs.Warmup),
		Inhibit: boolv(rs.Inhibit), NotifyUp: b.script(rs.NotifyUp), NotifyDown: b.script(rs.NotifyDown),
		VirtualHost: rs.VirtualHost, SNMPName: rs.SNMPName, SMTPAlert: boolv(rs.SMTPAlert),
		InitialWeight: weight, EffectiveWeight: int64(weight),
	}
	for _, chk := range rs.Checkers {
		switch chk.Type {
		case config.CheckFile:
			d.TrackFiles = append(d.TrackFiles, b.trackedFile(chk.File))
		case config.CheckBFD:
			d.TrackBFDs = append(d.TrackBFDs, chk.BFD.Name)
		}
		if chk.Type != config.CheckFile && boolv(chk.Alpha) {
			// validate_check_config marks each alpha checker failed.
			d.NumFailed += uint(len(smtpConns(chk, rs)))
		}
	}
	return d
}

// trackedFile is a FILE_CHECK's file with the weight it follows it with:
// its own, else the track_file's.
func (b *checkBuilder) trackedFile(f *config.FileCheck) dump.TrackedFile {
	t := dump.TrackedFile{Name: f.TrackFile, Weight: 1}
	if tf := b.trackFile(f.TrackFile); tf != nil {
		t.Weight, t.Reverse = tf.Weight, tf.WeightReverse
	}
	if f.Weight != nil {
		t.Weight, t.Reverse = *f.Weight, f.Reverse
	}
	return t
}

func (b *checkBuilder) trackFile(name string) *config.TrackFile {
	for _, tf := range b.cfg.TrackFiles {
		if tf.Name == name {
			return tf
		}
	}
	return nil
}

func boolv(p *bool) bool { return p != nil && *p }

func durv(p *time.Duration) time.Duration {
	if p == nil {
		return 0
	}
	return *p
}

func usOf(p *time.Duration) uint64 {
	if p == nil {
		return unsetULong
	}
	return uint64(p.Microseconds())
}

// defaultDelayRetry is a checker kind's own delay before retry
// (keepalived's default_delay_before_retry): 3 s for HTTP_GET and
// SSL_GET, none for DNS_CHECK (its delay_loop), 1 s for the others.
func defaultDelayRetry(kind string) uint64 {
	switch kind {
	case config.CheckHTTP, config.CheckSSL:
		return 3e6
	case config.CheckDNS:
		return 0
	}
	return 1e6
}

// smtpConns are the connections a checker block becomes checkers for:
// its own, except that an SMTP_CHECK with host blocks and no connection
// option of its own becomes one checker per host (keepalived 2.2.7's
// smtp_check_end_handler); nil entries stand for "no connection".
func smtpConns(chk *config.Checker, rs *config.RealServer) []*config.ConnOpts {
	if chk.SMTP == nil || len(chk.SMTP.Hosts) == 0 {
		return []*config.ConnOpts{chk.Conn}
	}
	if connConfigured(chk.Conn, rs) {
		return append([]*config.ConnOpts{chk.Conn}, chk.SMTP.Hosts...)
	}
	return chk.SMTP.Hosts
}

// connConfigured: a connection option was given in the checker block.
// The model keeps the resolved connect_timeout only, so a timeout equal
// to the real server's counts as not given.
func connConfigured(o *config.ConnOpts, rs *config.RealServer) bool {
	return o.ConnectIP.IsValid() || o.ConnectPort != 0 || o.BindTo.IsValid() || o.BindPort != 0 ||
		o.BindIf != "" || o.Fwmark != 0 || o.Timeout != nil && durv(o.Timeout) != durv(rs.ConnectTimeout)
}

// checkers adds the checkers a checker block makes to the queue.
func (b *checkBuilder) checkers(vs *config.VirtualServer, rs *config.RealServer, chk *config.Checker) {
	for _, co := range smtpConns(chk, rs) {
		alpha := boolv(chk.Alpha)
		retry := unsetUInt
		if chk.Retry != nil {
			retry = *chk.Retry
		}
		c := dump.Checker{
			Kind: chk.Type, VSName: vs.Name(), RSName: rsName(rs, vs),
			Enabled: true, Up: !alpha, Alpha: alpha,
			DelayLoop: usOf(chk.DelayLoop), Warmup: usOf(chk.Warmup), Retry: retry,
			DelayRetry: usOf(chk.DelayBeforeRetry), RetryIt: retry,
			DefaultDelayRetry: defaultDelayRetry(chk.Type), LogAllFailures: chk.LogAllFailures,
		}
		if co != nil {
			c.Conn = connOf(co, rs)
		}
		switch chk.Type {
		case config.CheckHTTP, config.CheckSSL:
			c.HTTP = b.httpCheck(chk.HTTP)
		case config.CheckMisc:
			m := chk.Misc
			c.Misc = &dump.MiscCheck{Script: *b.script(&m.Script), Timeout: m.Timeout, Dynamic: m.Dynamic}
		case config.CheckSMTP:
			c.SMTP = &dump.SMTPCheck{Helo: chk.SMTP.HeloName}
		case config.CheckDNS:
			c.DNS = &dump.DNSCheck{Type: chk.DNS.Type, Name: chk.DNS.Name}
		case config.CheckUDP:
			u := chk.UDP
			c.UDP = &dump.UDPCheck{PayloadLen: len(u.Payload), RequireReply: u.RequireReply,
				MinReply: u.MinReplyLen, MaxReply: u.MaxReplyLen, ReplyLen: len(u.ReplyData), ReplyMask: u.ReplyMask != nil}
		case config.CheckBFD:
			c.BFD = &dump.BFDCheck{Name: chk.BFD.Name}
		}
		b.s.Checkers = append(b.s.Checkers, c)
	}
}

// connOf is a checker's connection: connect_ip and connect_port, else
// the real server's address and port; bindto with bind_port.
func connOf(co *config.ConnOpts, rs *config.RealServer) *dump.Conn {
	dst, port := rs.Addr, rs.Port
	if co.ConnectIP.IsValid() {
		dst = co.ConnectIP
	}
	if co.ConnectPort != 0 {
		port = co.ConnectPort
	}
	c := &dump.Conn{Dst: netip.AddrPortFrom(dst, port), BindIf: co.BindIf, Fwmark: co.Fwmark, Timeout: durv(co.Timeout)}
	if co.BindTo.IsValid() {
		c.BindTo = netip.AddrPortFrom(co.BindTo, co.BindPort)
	}
	return c
}

func (b *checkBuilder) httpCheck(h *config.HTTPCheck) *dump.HTTPCheck {
	d := &dump.HTTPCheck{Protocol: h.Protocol, VirtualHost: h.VirtualHost, EnableSNI: h.EnableSNI, FastRecovery: h.FastRecovery}
	for _, u := range h.URLs {
		du := dump.URL{Path: u.Path, Digest: strings.ToLower(u.Digest), VirtualHost: u.VirtualHost}
		for _, r := range u.StatusCodes {
			du.Status = append(du.Status, [2]int{r.Min, r.Max})
		}
		if u.Regex != "" {
			du.Regex, du.RegexNoMatch, du.RegexMin = u.Regex, u.RegexNoMatch, u.RegexMinOffset
			if u.RegexMaxOffset != nil {
				m := *u.RegexMaxOffset
				du.RegexMax = &m
			}
			du.RegexOptions = len(u.RegexOptions) > 0
			du.RegexRefs = b.regexRefs(u)
			if u.RegexStack != nil {
				du.RegexStack = b.regexStack()
			}
		}
		d.URLs = append(d.URLs, du)
	}
	return d
}

// sameRegex: keepalived shares one compiled regex between urls with the
// same pattern and options.
func sameRegex(a, b *config.URL) bool {
	if a.Regex != b.Regex {
		return false
	}
	oa, ob := slices.Clone(a.RegexOptions), slices.Clone(b.RegexOptions)
	slices.Sort(oa)
	slices.Sort(ob)
	return slices.Equal(slices.Compact(oa), slices.Compact(ob))
}

func (b *checkBuilder) eachURL(f func(*config.URL)) {
	for _, vs := range b.cfg.VirtualServers {
		for _, rs := range vs.RealServers {
			for _, chk := range rs.Checkers {
				if chk.HTTP == nil {
					continue
				}
				for _, u := range chk.HTTP.URLs {
					f(u)
				}
			}
		}
	}
}

// regexRefs is the shared regex's reference count: the urls using it.
func (b *checkBuilder) regexRefs(u *config.URL) int {
	n := 0
	b.eachURL(func(o *config.URL) {
		if o.Regex != "" && sameRegex(u, o) {
			n++
		}
	})
	return n
}

// regexStack is keepalived's process-wide JIT stack: the largest start
// and maximum any url's regex_stack asked for.
func (b *checkBuilder) regexStack() *[2]uint64 {
	var s [2]uint64
	b.eachURL(func(u *config.URL) {
		if len(u.RegexStack) == 2 {
			s[0], s[1] = max(s[0], u.RegexStack[0]), max(s[1], u.RegexStack[1])
		}
	})
	return &s
}

// fileCheckers adds keepalived's FILE_CHECK checkers, which its checker
// queues at start after all the others, and the track files they follow
// (the others it forgets).
func (b *checkBuilder) fileCheckers() {
	tracking := map[string][]dump.TrackingRS{}
	for _, vs := range b.cfg.VirtualServers {
		for _, rs := range vs.RealServers {
			for _, chk := range rs.Checkers {
				if chk.Type != config.CheckFile {
					continue
				}
				t := b.trackedFile(chk.File)
				b.s.Checkers = append(b.s.Checkers, dump.Checker{
					Kind: chk.Type, VSName: vs.Name(), RSName: rsName(rs, vs),
					Enabled: true, Up: true, HasRun: true,
					DelayLoop: unsetULong, Warmup: unsetULong, Retry: unsetUInt, DelayRetry: unsetULong,
					DefaultDelayRetry: defaultDelayRetry(chk.Type), LogAllFailures: chk.LogAllFailures,
					File: &dump.FileCheck{File: chk.File.TrackFile},
				})
				tracking[t.Name] = append(tracking[t.Name], dump.TrackingRS{VSName: vs.Name(), RSName: rsName(rs, vs), Weight: t.Weight, Reverse: t.Reverse})
			}
		}
	}
	for _, tf := range b.cfg.TrackFiles {
		if t := tracking[tf.Name]; len(t) > 0 {
			b.s.TrackFiles = append(b.s.TrackFiles, dump.CheckTrackFile{Name: tf.Name, Path: tf.File,
				Weight: tf.Weight, Reverse: tf.WeightReverse, Tracking: t})
		}
	}
}

// trackBFDs are the bfd_instances with the real servers whose BFD_CHECK
// follows them.
func (b *checkBuilder) trackBFDs() {
	for _, bi := range b.cfg.BFDInstances {
		t := dump.CheckTrackBFD{Name: bi.Name}
		for _, vs := range b.cfg.VirtualServers {
			for _, rs := range vs.RealServers {
				for _, chk := range rs.Checkers {
					if chk.BFD != nil && chk.BFD.Name == bi.Name {
						t.Tracking = append(t.Tracking, rsName(rs, vs))
					}
				}
			}
		}
		b.s.TrackBFDs = append(b.s.TrackBFDs, t)
	}
}
