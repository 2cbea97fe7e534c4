package config

// Global checks, run first (keepalived validates global data before the
// checker, VRRP and BFD data). They resolve the defaults that depend on
// other settings or on the host, and apply the script-security rule for
// the startup/shutdown scripts.

func init() {
	registerCheck(10, "global_defs", checkGlobal)
}

func checkGlobal(c *Ctx, cfg *Config) {
	g := &cfg.Global
	host := c.host().Hostname()

	// keepalived's router_id, mail sender and HELO name default to the
	// local host name (uname nodename).
	if g.RouterID == "" {
		g.RouterID = host
	}
	if g.NotificationEmailFrom == "" && g.SMTPServer != "" {
		g.NotificationEmailFrom = "keepalived@" + host
	}
	if g.SMTPHeloName == "" && g.SMTPServer != "" {
		g.SMTPHeloName = host
	}

	// The lower-priority GARP settings follow the master ones unless set.
	if g.VRRPGARPLowerPrioDelay < 0 {
		g.VRRPGARPLowerPrioDelay = g.VRRPGARPMasterDelay
	}
	if g.VRRPGARPLowerPrioRepeat < 0 {
		g.VRRPGARPLowerPrioRepeat = g.VRRPGARPMasterRepeat
	}

	checkStartupShutdownSecurity(c, g)
}

// checkStartupShutdownSecurity reports keepalived's security violation for
// startup/shutdown scripts that would run as root while
// enable_script_security is off. A script that does not exist is not run
// (keepalived only logs it), so it does not count.
func checkStartupShutdownSecurity(c *Ctx, g *GlobalDefs) {
	if g.EnableScriptSecurity {
		return
	}
	for _, s := range []*GlobalScript{g.StartupScript, g.ShutdownScript} {
		if s == nil || len(s.Argv) == 0 || s.uid != 0 {
			continue
		}
		if _, err := c.host().Stat(s.Argv[0]); err != nil {
			continue
		}
		c.add(Diagnostic{
			Class: ClassSecurity,
			Msg:   "SECURITY VIOLATION - start/shutdown scripts are being executed but script_security not enabled.",
			Hint:  "add 'enable_script_security' to global_defs (and make the scripts writable by root only)",
		})
		return
	}
}
