package config

import (
	"fmt"
	"os"
	"strings"
	"syscall"
	"time"
)

// checkLVS is keepalived 2.2.7's validate_check_config (check_data.c), run
// after the whole file is read: it removes virtual servers without real
// servers, fills in the defaults keepalived announces (protocol, scheduler,
// forwarding method, persistence for port 0), removes duplicate real servers,
// bounds quorum and hysteresis, reconciles ports, resolves the settings real
// servers and checkers inherit, and finally checks script security.
//
// keepalived prints these messages without a file/line prefix; most of them
// count as configuration errors (-t exits 5) even when they start with
// "Warning". We keep the virtual server's position for our own users.
func checkLVS(c *Ctx, cfg *Config) {
	var kept []*VirtualServer
	for _, vs := range cfg.VirtualServers {
		if vs.GroupName != "" {
			vs.Group = lvsFindVSG(cfg, vs.GroupName)
			if vs.Group == nil {
				// keepalived only logs this when it sets up IPVS; -t says nothing.
				c.add(Diagnostic{Pos: vs.Pos, Class: ClassInfo,
					Msg:  fmt.Sprintf("Virtual server group %s specified but not configured - ignoring virtual server %s", vs.GroupName, vs.Name()),
					Hint: "define the virtual_server_group or fix the name"})
			}
		}
		if lvsCheckVS(c, cfg, vs) {
			kept = append(kept, vs)
		}
	}
	cfg.VirtualServers = kept
	checkLVSScriptUsers(c, cfg)
	checkLVSScripts(c, cfg)
}

// checkLVSScriptUsers: keepalived 2.2.7 gives each script without a user the
// default user when it reads it; failing that (script security on and no
// keepalived_script user) the script is dropped, and a MISC_CHECK with it.
// enable_script_security counts wherever global_defs is in the file.
func checkLVSScriptUsers(c *Ctx, cfg *Config) {
	if _, ok := defaultScriptUser(c); ok {
		return
	}
	drop := func(s **Script) {
		if *s != nil && (*s).User == "" {
			c.add(Diagnostic{Pos: (*s).Pos, Class: ClassGeneral, Msg: "Unable to set default user keepalived_script for script",
				Hint: "create the keepalived_script user, or set script_user in global_defs"})
			*s = nil
		}
	}
	for _, vs := range cfg.VirtualServers {
		drop(&vs.QuorumUp)
		drop(&vs.QuorumDown)
		for _, rs := range vs.RealServers {
			drop(&rs.NotifyUp)
			drop(&rs.NotifyDown)
			kept := rs.Checkers[:0] // filtered in place: usually all stay
			for _, chk := range rs.Checkers {
				if chk.Misc != nil && chk.Misc.Script.User == "" {
					c.add(Diagnostic{Pos: chk.end, Class: ClassGeneral,
						Msg:  fmt.Sprintf("Unable to set default user for misc script %s - removing", CmdStr(chk.Misc.Script.Argv)),
						Hint: "add 'user USER' to the MISC_CHECK, or set script_user in global_defs"})
					continue
				}
				kept = append(kept, chk)
			}
			rs.Checkers = kept
		}
	}
}

func lvsFindVSG(cfg *Config, name string) *VirtualServerGroup {
	for _, g := range cfg.VirtualServerGroups {
		if g.Name == name {
			return g
		}
	}
	return nil
}

// lvsErr reports a validation message at the virtual server, with
// keepalived's general-error class.
func lvsErr(c *Ctx, vs *VirtualServer, hint, format string, a ...any) {
	c.add(Diagnostic{Pos: vs.Pos, Class: ClassGeneral, Msg: fmt.Sprintf(format, a...), Hint: hint})
}

func lvsSameServer(a, b *RealServer) bool { return a.Addr == b.Addr && a.Port == b.Port }

// lvsCheckVS validates one virtual server; false means keepalived drops it.
func lvsCheckVS(c *Ctx, cfg *Config, vs *VirtualServer) bool {
	if len(vs.RealServers) == 0 {
		lvsErr(c, vs, "add a real_server block", "Virtual server %s has no real servers - ignoring", vs.Name())
		return false
	}
	g := vs.Group
	groupFwmarks := g != nil && len(g.Fwmarks) > 0
	groupRanges := g != nil && len(g.Ranges) > 0

	if vs.HASuspend && (vs.IsFwmark || groupFwmarks) {
		lvsErr(c, vs, "remove ha_suspend", "Virtual server %s: cannot use ha_suspend with fwmarks - clearing ha_suspend", vs.Name())
		vs.HASuspend = false
	}
	if groupRanges || (vs.GroupName == "" && !vs.IsFwmark) {
		if vs.Protocol == "" {
			lvsErr(c, vs, "add 'protocol TCP' (or UDP, SCTP)", "Virtual server %s: no protocol set - defaulting to UDP", vs.Name())
			vs.Protocol = "UDP"
		}
		if vs.OPS && vs.Protocol != "UDP" {
			lvsErr(c, vs, "ops only works with protocol UDP", "Virtual server %s: one packet scheduling requires UDP - resetting", vs.Name())
			vs.OPS = false
		}
		if vs.PersistenceTimeout == 0 && vs.GroupName == "" && !vs.IsFwmark && vs.Port == 0 {
			lvsErr(c, vs, "give a port or set persistence_timeout", "Virtual server %s: zero port only valid for persistent services - setting", vs.Name())
			vs.PersistenceTimeout = ipvsPersistentTimeout
		}
	}
	if vs.PersistenceTimeout == 0 && g != nil {
		for _, r := range g.Ranges {
			if r.Port == 0 {
				lvsErr(c, vs, "give every group entry a port or set persistence_timeout", "Virtual server %s: zero port only valid for persistent services - setting", vs.Name())
				vs.PersistenceTimeout = ipvsPersistentTimeout
				break
			}
		}
	}
	if vs.Protocol != "" && ((g != nil && !groupRanges && groupFwmarks) || (vs.GroupName == "" && vs.IsFwmark)) {
		lvsErr(c, vs, "remove protocol from fwmark services", "Warning: Virtual server %s: protocol specified for fwmark - protocol will be ignored", vs.Name())
		vs.Protocol = ""
	}
	if vs.Scheduler == "" {
		lvsErr(c, vs, "add 'lvs_sched wlc' (or another scheduler)", "Virtual server %s: no scheduler set, setting default '%s'", vs.Name(), defaultScheduler)
		vs.Scheduler = defaultScheduler
	}
	if vs.SMTPAlert == nil {
		vs.SMTPAlert = lvsBoolp(lvsGlobalSMTPAlert(cfg, false))
	}

	setNAT := func() {
		if vs.Forwarding.Method == "" {
			lvsErr(c, vs, "add 'lvs_method NAT' (or DR, TUN)", "Virtual server %s: no forwarding method set, setting default NAT", vs.Name())
			vs.Forwarding.Method = "NAT"
		}
	}
	var weightSum uint64
	var kept []*RealServer
	for _, rs := range vs.RealServers {
		dup := false
		for _, k := range kept {
			if lvsSameServer(rs, k) {
				dup = true
				break
			}
		}
		if dup {
			lvsErr(c, vs, "remove the second real_server", "VS %s: real server %s is duplicated - removing second rs", vs.Name(), lvsServerName(rs, vs))
			continue
		}
		kept = append(kept, rs)
		if rs.Forwarding.Method == "" {
			setNAT()
			rs.Forwarding = vs.Forwarding
		}
		lvsInheritRS(cfg, vs, rs)
		weightSum += uint64(*rs.Weight)
		if s := vs.SorryServer; s != nil && lvsSameServer(s, rs) {
			if *rs.Inhibit != (s.Inhibit != nil && *s.Inhibit) {
				verb := "clear"
				if *rs.Inhibit {
					verb = "sett"
				}
				lvsErr(c, vs, "", "Virtual server %s: real server %s matches sorry server, but inhibit setting differs, %sing on sorry server", vs.Name(), lvsServerName(rs, vs), verb)
				s.Inhibit = lvsBoolp(*rs.Inhibit)
			}
			vs.SorryDuplicatesRS = true
		}
	}
	vs.RealServers = kept
	if s := vs.SorryServer; s != nil {
		if s.Forwarding.Method == "" {
			setNAT()
			s.Forwarding = vs.Forwarding
		}
		if s.Inhibit == nil {
			s.Inhibit = lvsBoolp(false)
		}
		if s.Weight == nil {
			s.Weight = lvsIntp(1)
		}
	}
	if uint64(vs.Quorum) > weightSum {
		lvsErr(c, vs, "lower quorum or raise the real server weights", "Warning - quorum %d for %s exceeds total weight of real servers %d, reducing quorum to %d", vs.Quorum, vs.Name(), weightSum, weightSum)
		vs.Quorum = uint32(weightSum)
	}
	if vs.Hysteresis >= vs.Quorum {
		// keepalived computes quorum-1 in unsigned arithmetic.
		h := vs.Quorum - 1
		lvsErr(c, vs, "hysteresis must be below quorum", "Virtual server %s: hysteresis %d >= quorum %d; setting hysteresis to %d", vs.Name(), vs.Hysteresis, vs.Quorum, h)
		vs.Hysteresis = h
	}
	lvsCheckVSPorts(c, vs)
	for _, rs := range vs.RealServers {
		for _, chk := range rs.Checkers {
			lvsInheritChecker(vs, rs, chk)
		}
	}
	return true
}

// lvsGlobalSMTPAlert is the default smtp_alert of virtual (rs=false) and real
// servers: smtp_alert_checker, else smtp_alert, else off for virtual servers
// and on for real servers (keepalived keeps that old default).
func lvsGlobalSMTPAlert(cfg *Config, rs bool) bool {
	switch {
	case cfg.Global.SMTPAlertChecker != nil:
		return *cfg.Global.SMTPAlertChecker
	case cfg.Global.SMTPAlert != nil:
		return *cfg.Global.SMTPAlert
	}
	return rs
}

// lvsInheritRS gives a real server the virtual server's settings it did not
// set itself.
func lvsInheritRS(cfg *Config, vs *VirtualServer, rs *RealServer) {
	if rs.Alpha == nil {
		rs.Alpha = lvsBoolp(vs.Alpha)
	}
	if rs.Inhibit == nil {
		rs.Inhibit = lvsBoolp(vs.Inhibit)
	}
	if rs.Retry == nil && vs.Retry != nil {
		rs.Retry = lvsU32p(*vs.Retry)
	}
	if rs.ConnectTimeout == nil {
		rs.ConnectTimeout = lvsDurp(vs.ConnectTimeout)
	}
	if rs.DelayLoop == nil {
		rs.DelayLoop = lvsDurp(vs.DelayLoop)
	}
	if rs.Warmup == nil && vs.Warmup != nil {
		rs.Warmup = lvsDurp(*vs.Warmup)
	}
	if rs.DelayBeforeRetry == nil && vs.DelayBeforeRetry != nil {
		rs.DelayBeforeRetry = lvsDurp(*vs.DelayBeforeRetry)
	}
	if rs.Weight == nil {
		rs.Weight = lvsIntp(vs.Weight)
	}
	if rs.SMTPAlert == nil {
		rs.SMTPAlert = lvsBoolp(lvsGlobalSMTPAlert(cfg, true))
	}
}

// lvsCheckerDefaults are keepalived's per-type default retry count and delay
// before retry (0 = the checker's delay_loop).
func lvsCheckerDefaults(typ string) (retry uint32, dbr time.Duration) {
	switch typ {
	case CheckMisc:
		return 0, time.Second
	case CheckDNS:
		return 3, 0
	case CheckHTTP, CheckSSL:
		return 1, 3 * time.Second
	}
	return 1, time.Second
}

// lvsInheritChecker resolves a checker's timing from its real server, as the
// last loop of validate_check_config does.
func lvsInheritChecker(vs *VirtualServer, rs *RealServer, chk *Checker) {
	if chk.Type == CheckFile {
		// keepalived knows a tracked file's state at once: no alpha mode.
		chk.Alpha = lvsBoolp(false)
		return
	}
	if chk.Alpha == nil {
		chk.Alpha = lvsBoolp(*rs.Alpha)
	}
	if chk.Type == CheckBFD {
		return
	}
	defRetry, defDBR := lvsCheckerDefaults(chk.Type)
	if chk.Retry == nil {
		if rs.Retry != nil {
			chk.Retry = lvsU32p(*rs.Retry)
		} else {
			chk.Retry = lvsU32p(defRetry)
		}
	}
	if chk.Conn != nil {
		if chk.Conn.Timeout == nil {
			chk.Conn.Timeout = lvsDurp(*rs.ConnectTimeout)
		}
		for _, h := range lvsChkHosts(chk) {
			if h.Timeout == nil {
				h.Timeout = lvsDurp(*chk.Conn.Timeout)
			}
		}
	}
	if chk.DelayLoop == nil {
		chk.DelayLoop = lvsDurp(*rs.DelayLoop)
	}
	if chk.Warmup == nil {
		if rs.Warmup != nil {
			chk.Warmup = lvsDurp(*rs.Warmup)
		} else {
			chk.Warmup = lvsDurp(*chk.DelayLoop)
		}
	}
	if chk.DelayBeforeRetry == nil {
		switch {
		case rs.DelayBeforeRetry != nil:
			chk.DelayBeforeRetry = lvsDurp(*rs.DelayBeforeRetry)
		case defDBR != 0:
			chk.DelayBeforeRetry = lvsDurp(defDBR)
		default:
			chk.DelayBeforeRetry = lvsDurp(*chk.DelayLoop)
		}
	}
}

func lvsChkHosts(chk *Checker) []*ConnOpts {
	if chk.SMTP == nil {
		return nil
	}
	return chk.SMTP.Hosts
}

// lvsVSGEName renders a group entry as keepalived's format_vsge.
func lvsVSGEName(r *VSGRange) string {
	if r.Start != r.End {
		return fmt.Sprintf("%s-%s,%d", r.Start, r.End, r.Port)
	}
	return fmt.Sprintf("%s,%d", r.Start, r.Port)
}

// lvsCheckVSPorts: unless forwarding is NAT, real servers must use the virtual
// server's port, and fwmark services none. keepalived corrects what it can
// for plain virtual servers and only warns for groups.
func lvsCheckVSPorts(c *Ctx, vs *VirtualServer) {
	s := vs.SorryServer
	if g := vs.Group; g != nil {
		if len(g.Fwmarks) > 0 {
			for _, rs := range vs.RealServers {
				if rs.Forwarding.Method != "NAT" && rs.Port != 0 {
					lvsErr(c, vs, "remove the port", "WARNING - fwmark virtual server %s, real server %s has port specified - port will be ignored", vs.Name(), lvsServerName(rs, vs))
				}
			}
			if s != nil && s.Forwarding.Method != "NAT" && s.Port != 0 {
				lvsErr(c, vs, "remove the port", "WARNING - fwmark virtual server %s, sorry server has port specified - port will be ignored", vs.Name())
			}
		}
		for _, r := range g.Ranges {
			for _, rs := range vs.RealServers {
				if rs.Forwarding.Method != "NAT" && rs.Port != 0 && rs.Port != r.Port {
					lvsErr(c, vs, "use the same port, or NAT", "virtual server %s:[%s] and real server %s ports don't match", vs.Name(), lvsVSGEName(r), lvsServerName(rs, vs))
				}
			}
			if s != nil && s.Forwarding.Method != "NAT" && s.Port != 0 && s.Port != r.Port {
				lvsErr(c, vs, "remove the port", "WARNING - virtual server %s, sorry server has port specified - port will be ignored", vs.Name())
			}
		}
		return
	}
	if vs.GroupName != "" {
		return
	}
	for _, rs := range vs.RealServers {
		switch {
		case rs.Forwarding.Method == "NAT":
			if !vs.IsFwmark && rs.Port == 0 {
				rs.Port = vs.Port
			}
		case vs.IsFwmark:
			if rs.Port != 0 {
				lvsErr(c, vs, "remove the port", "WARNING - fwmark virtual server %s, real server %s has port specified - clearing", vs.Name(), lvsServerName(rs, vs))
				rs.Port = 0
			}
		case rs.Port == 0:
			rs.Port = vs.Port
		case rs.Port != vs.Port:
			lvsErr(c, vs, "DR and TUN need the virtual server's port", "WARNING - virtual server %s and real server %s ports don't match - resetting", vs.Name(), lvsServerName(rs, vs))
			rs.Port = vs.Port
		}
	}
	if s != nil && s.Forwarding.Method != "NAT" {
		switch {
		case vs.IsFwmark:
			if s.Port != 0 {
				lvsErr(c, vs, "remove the port", "WARNING - virtual server %s, sorry server has port specified - clearing", vs.Name())
				s.Port = 0
			}
		case s.Port == 0:
			s.Port = vs.Port
		case s.Port != vs.Port:
			lvsErr(c, vs, "DR and TUN need the virtual server's port", "WARNING - virtual server %s and sorry server ports don't match - resetting", vs.Name())
			s.Port = vs.Port
		}
	}
}

// ---- script security -------------------------------------------------------

// lvsScriptPath is where keepalived looks for a script given without a '/'.
var lvsScriptPath = []string{"/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"}

// lvsFindScript returns the file a script's first word names, or "".
func lvsFindScript(c *Ctx, s *Script) (string, os.FileInfo) {
	if s == nil || len(s.Argv) == 0 || s.Argv[0] == "" {
		return "", nil
	}
	p := s.Argv[0]
	if strings.Contains(p, "/") {
		if fi, err := c.host().Stat(p); err == nil && !fi.IsDir() {
			return p, fi
		}
		return "", nil
	}
	for _, d := range lvsScriptPath {
		if fi, err := c.host().Stat(d + "/" + p); err == nil && !fi.IsDir() {
			return d + "/" + p, fi
		}
	}
	return "", nil
}

// lvsInsecureScript: a script run as root must not be replaceable by anyone
// else - the file and the directories above it must be owned by root and
// not writable by group or others.
func lvsInsecureScript(c *Ctx, s *Script, path string, fi os.FileInfo) bool {
	if s.User != "" && s.User != "root" {
		return false
	}
	check := func(fi os.FileInfo) bool {
		if fi.Mode().Perm()&0o022 != 0 {
			return true
		}
		if st, ok := fi.Sys().(*syscall.Stat_t); ok && st.Uid != 0 {
			return true
		}
		return false
	}
	if check(fi) {
		return true
	}
	for d := path; ; {
		k := strings.LastIndexByte(d, '/')
		if k <= 0 {
			break
		}
		d = d[:k]
		if dfi, err := c.host().Stat(d); err == nil && dfi.Mode()&os.ModeSticky == 0 && check(dfi) {
			return true
		}
	}
	return false
}

// checkLVSScripts is keepalived's check_check_script_security for the
// checker's scripts (MISC_CHECK, notify_up/down, quorum_up/down). A MISC_CHECK
// script that cannot be found, or is insecure while script security is on,
// is disabled. Scripts configured without enable_script_security make -t
// exit 6, once, with keepalived's text (no position).
func checkLVSScripts(c *Ctx, cfg *Config) {
	if len(cfg.VirtualServers) == 0 {
		return
	}
	security := cfg.Global.EnableScriptSecurity
	isScript, insecure := false, false
	var first *Script
	note := func(s *Script) (found, bad bool) {
		path, fi := lvsFindScript(c, s)
		if path == "" {
			return false, false
		}
		isScript = true
		if first == nil {
			first = s
		}
		if lvsInsecureScript(c, s, path, fi) {
			insecure = true
			return true, true
		}
		return true, false
	}
	for _, vs := range cfg.VirtualServers {
		for _, rs := range vs.RealServers {
			kept := rs.Checkers[:0] // filtered in place: usually all stay
			for _, chk := range rs.Checkers {
				if chk.Misc != nil {
					s := &chk.Misc.Script
					found, bad := note(s)
					switch {
					case !found:
						c.add(Diagnostic{Pos: s.Pos, Class: ClassInfo, Msg: fmt.Sprintf("Disabling misc script %s since not found/accessible", CmdStr(s.Argv))})
						continue
					case bad && security:
						c.add(Diagnostic{Pos: s.Pos, Class: ClassInfo, Msg: fmt.Sprintf("Disabling misc script %s due to insecure", CmdStr(s.Argv))})
						continue
					}
				}
				kept = append(kept, chk)
			}
			rs.Checkers = kept
		}
	}
	for _, vs := range cfg.VirtualServers {
		note(vs.QuorumUp)
		note(vs.QuorumDown)
		for _, rs := range vs.RealServers {
			note(rs.NotifyUp)
			note(rs.NotifyDown)
		}
	}
	if isScript && !security {
		msg := "SECURITY VIOLATION - check scripts are being executed but script_security not enabled."
		if insecure {
			msg += " There are insecure scripts."
		}
		c.add(Diagnostic{Class: ClassSecurity, Msg: msg, Hint: "add enable_script_security to global_defs"})
	}
}
