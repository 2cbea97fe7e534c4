package config

import (
	"fmt"
	"net/netip"
	"runtime"
	"strings"
)

// The global_defs block and the global keywords keepalived accepts at the
// top level. Messages are keepalived 2.2.7's (Debian build: nftables, no
// iptables/ipset, SNMP, DBus, BFD), checked against `keepalived -t`.

// gdFlag sets a boolean; keepalived ignores any words after these keywords.
func gdFlag(f func(*GlobalDefs) *bool) Entry[GlobalDefs] {
	return Entry[GlobalDefs]{H: func(c *Ctx, n *Node, g *GlobalDefs) { *f(g) = true }}
}

// gdBoolQuoted is an optional-bool keyword whose error quotes the value:
// "Invalid value 'x' for global KEYWORD specified".
func gdBoolQuoted(name string, f func(*GlobalDefs) *bool) Entry[GlobalDefs] {
	return Entry[GlobalDefs]{H: func(c *Ctx, n *Node, g *GlobalDefs) {
		if v, ok := c.OptBool(n, func(a string) string { return quotedBad(name, a) }); ok {
			*f(g) = v
		}
	}}
}

// gdBoolPtr is like gdBoolQuoted for tri-state settings.
func gdBoolPtr(bad func(kw, arg string) string, f func(*GlobalDefs) **bool) Entry[GlobalDefs] {
	return Entry[GlobalDefs]{H: func(c *Ctx, n *Node, g *GlobalDefs) {
		if v, ok := c.OptBool(n, func(a string) string { return bad(n.Keyword(), a) }); ok {
			*f(g) = &v
		}
	}}
}

func quotedBad(kw, a string) string {
	return fmt.Sprintf("Invalid value '%s' for global %s specified", a, kw)
}
func plainBad(kw, _ string) string { return fmt.Sprintf("Invalid value for %s specified", kw) }

// gdUintOrAbort reads a required unsigned first argument (a missing one
// aborts as keepalived does) and reports bad(arg) when it is invalid.
func gdUintOrAbort(c *Ctx, n *Node, min, max uint64, bad string) (uint64, bool) {
	if !c.NeedArgs(n, 1) {
		return 0, false
	}
	v, ok := c.UintArg(n, 0, min, max)
	if !ok {
		c.Errorf(n, bad, n.Arg(0))
	}
	return v, ok
}

// numCPUs is the number of CPUs cpu_affinity ids are checked against
// (keepalived uses the online CPUs of the machine reading the file).
var numCPUs = runtime.NumCPU

var globalTable = NewTable("global_defs", globalEntries())

func init() {
	registerTop("global_defs", Entry[Config]{Block: true, H: func(c *Ctx, n *Node, cfg *Config) {
		// keepalived ignores words after global_defs, and merges
		// repeated global_defs blocks.
		cfg.Global.Pos = n.Pos
		Apply(c, n.Block, globalTable, &cfg.Global)
	}})
	registerGlobalTop()
}

func globalEntries() map[string]Entry[GlobalDefs] {
	e := map[string]Entry[GlobalDefs]{
		"tmp_config_directory": {H: tmpConfigDir},
		"config_save_dir": {H: func(c *Ctx, n *Node, g *GlobalDefs) {
			if s, ok := c.Word(n, 1); ok {
				g.ConfigSaveDir = s
			}
		}},
		"process_names": {H: func(c *Ctx, n *Node, g *GlobalDefs) {
			g.VRRPProcessName, g.CheckerProcessName, g.BFDProcessName = "keepalived_vrrp", "keepalived_ipvs", "keepalived_bfd"
		}},
		"process_name":            processName(func(g *GlobalDefs) *string { return &g.ProcessName }),
		"vrrp_process_name":       processName(func(g *GlobalDefs) *string { return &g.VRRPProcessName }),
		"checker_process_name":    processName(func(g *GlobalDefs) *string { return &g.CheckerProcessName }),
		"bfd_process_name":        processName(func(g *GlobalDefs) *string { return &g.BFDProcessName }),
		"startup_script":          {H: func(c *Ctx, n *Node, g *GlobalDefs) { startupShutdown(c, n, g, true) }},
		"shutdown_script":         {H: func(c *Ctx, n *Node, g *GlobalDefs) { startupShutdown(c, n, g, false) }},
		"startup_script_timeout":  {H: func(c *Ctx, n *Node, g *GlobalDefs) { scriptTimeout(c, n, &g.StartupScriptTimeout, "startup") }},
		"shutdown_script_timeout": {H: func(c *Ctx, n *Node, g *GlobalDefs) { scriptTimeout(c, n, &g.ShutdownScriptTimeout, "shutdown") }},

		"notification_email": {Block: true, H: notificationEmail},
		"notification_email_from": {H: func(c *Ctx, n *Node, g *GlobalDefs) {
			if n.NArgs() < 1 {
				c.Errorf(n, "emailfrom missing - ignoring")
				return
			}
			g.NotificationEmailFrom = n.Arg(0)
		}},
		"smtp_server": {H: smtpServer},
		"smtp_helo_name": {H: func(c *Ctx, n *Node, g *GlobalDefs) {
			if n.NArgs() >= 1 {
				g.SMTPHeloName = n.Arg(0)
			}
		}},
		"smtp_connect_timeout": {H: func(c *Ctx, n *Node, g *GlobalDefs) {
			v, ok := gdUintOrAbort(c, n, 0, uintMax32/1000000, "smtp_connect_timeout '%s' must be in [0, 4294] - ignoring")
			if !ok {
				return
			}
			if v == 0 {
				// keepalived's own spelling.
				c.Errorf(n, "smtp_conect_timeout must be greater than 0, setting to 1")
				v = 1
			}
			g.SMTPConnectTimeout = int(v)
		}},
		"smtp_alert":         gdBoolPtr(quotedBad, func(g *GlobalDefs) **bool { return &g.SMTPAlert }),
		"smtp_alert_vrrp":    gdBoolPtr(quotedBad, func(g *GlobalDefs) **bool { return &g.SMTPAlertVRRP }),
		"smtp_alert_checker": gdBoolPtr(quotedBad, func(g *GlobalDefs) **bool { return &g.SMTPAlertChecker }),
		"checker_log_all_failures": {H: func(c *Ctx, n *Node, g *GlobalDefs) {
			if v, ok := c.OptBool(n, func(a string) string { return plainBad(n.Keyword(), a) }); ok {
				g.CheckerLogAllFailures = v
			}
		}},
		"no_email_faults":   gdFlag(func(g *GlobalDefs) *bool { return &g.NoEmailFaults }),
		"no_checker_emails": gdBoolQuoted("no_checker_emails", func(g *GlobalDefs) *bool { return &g.NoCheckerEmails }),
		"rs_init_notifies":  gdBoolQuoted("rs_init_notifies", func(g *GlobalDefs) *bool { return &g.RSInitNotifies }),
		"router_id": {H: func(c *Ctx, n *Node, g *GlobalDefs) {
			if n.NArgs() < 1 {
				c.Errorf(n, "routerid name missing - ignoring")
				return
			}
			g.RouterID = n.Arg(0)
		}},

		"vrrp_mcast_group4": {H: func(c *Ctx, n *Node, g *GlobalDefs) { mcastGroup(c, n, &g.VRRPMcastGroup4, true) }},
		"vrrp_mcast_group6": {H: func(c *Ctx, n *Node, g *GlobalDefs) { mcastGroup(c, n, &g.VRRPMcastGroup6, false) }},
		"default_interface": {H: func(c *Ctx, n *Node, g *GlobalDefs) {
			if n.NArgs() < 1 {
				c.Errorf(n, "default_interface requires interface name")
				return
			}
			g.DefaultInterface = n.Arg(0)
		}},
		"dynamic_interfaces": {H: func(c *Ctx, n *Node, g *GlobalDefs) {
			g.DynamicInterfaces = true
			if n.NArgs() >= 1 {
				if n.Arg(0) == "allow_if_changes" {
					g.AllowIfChanges = true
				} else {
					c.Errorf(n, "Unknown dynamic_interfaces option '%s'", n.Arg(0))
				}
			}
		}},
		"disable_local_igmp":               gdFlag(func(g *GlobalDefs) *bool { return &g.DisableLocalIGMP }),
		"fifo_write_vrrp_states_on_reload": gdFlag(func(g *GlobalDefs) *bool { return &g.FIFOWriteVRRPStatesOnReload }),
		"log_unknown_vrids":                gdFlag(func(g *GlobalDefs) *bool { return &g.LogUnknownVRIDs }),
		"vrrp_check_unicast_src":           gdFlag(func(g *GlobalDefs) *bool { return &g.VRRPCheckUnicastSrc }),
		"vrrp_skip_check_adv_addr":         gdFlag(func(g *GlobalDefs) *bool { return &g.VRRPSkipCheckAdvAddr }),
		"vrrp_strict":                      gdFlag(func(g *GlobalDefs) *bool { return &g.VRRPStrict }),
		"vrrp_notify_priority_changes":     gdBoolQuoted("vrrp_notify_priority_changes", func(g *GlobalDefs) *bool { return &g.VRRPNotifyPriorityChange }),

		// Gratuitous ARP / NA timing.
		"vrrp_garp_master_delay": {H: func(c *Ctx, n *Node, g *GlobalDefs) {
			if v, ok := gdUintOrAbort(c, n, 0, uintMax32/1000000, "vrrp_garp_master_delay '%s' invalid - ignoring"); ok {
				g.VRRPGARPMasterDelay = int(v)
			}
		}},
		"vrrp_garp_master_repeat":         garpRepeat(func(g *GlobalDefs) *int { return &g.VRRPGARPMasterRepeat }),
		"vrrp_garp_master_refresh_repeat": garpRepeat(func(g *GlobalDefs) *int { return &g.VRRPGARPMasterRefreshRepeat }),
		"vrrp_garp_master_refresh": {H: func(c *Ctx, n *Node, g *GlobalDefs) {
			v, ok := gdUintOrAbort(c, n, 0, uintMax32, "Invalid vrrp_garp_master_refresh '%s' - ignoring")
			if !ok && n.NArgs() == 0 {
				return
			}
			// keepalived clears the refresh on an invalid value.
			g.VRRPGARPMasterRefresh = int(v)
		}},
		"vrrp_garp_lower_prio_delay": {H: func(c *Ctx, n *Node, g *GlobalDefs) {
			if v, ok := gdUintOrAbort(c, n, 0, uintMax32/1000000, "vrrp_garp_lower_prio_delay '%s' invalid - ignoring"); ok {
				g.VRRPGARPLowerPrioDelay = int(v)
			}
		}},
		"vrrp_garp_lower_prio_repeat": {H: func(c *Ctx, n *Node, g *GlobalDefs) {
			if v, ok := gdUintOrAbort(c, n, 0, intMax32, "Invalid vrrp_garp_lower_prio_repeat '%s'"); ok {
				g.VRRPGARPLowerPrioRepeat = int(v)
			}
		}},
		"vrrp_garp_interval": garpInterval(func(g *GlobalDefs) *int64 { return &g.VRRPGARPIntervalUsec }),
		"vrrp_gna_interval":  garpInterval(func(g *GlobalDefs) *int64 { return &g.VRRPGNAIntervalUsec }),
		"vrrp_min_garp":      {H: minGARP},
		"vrrp_garp_extra_if": {H: garpExtraIf},
		// Deprecated after 2.2.2; keepalived 2.2.7 counts the warning as
		// a configuration error (exit 5), so it is not a quiet alias.
		"vrrp_vmac_garp_intvl": {H: func(c *Ctx, n *Node, g *GlobalDefs) {
			c.ReportHint(n, ClassGeneral, `Keyword "vrrp_vmac_garp_intvl" is deprecated - please use "vrrp_garp_extra_if"`, "write 'vrrp_garp_extra_if' instead")
			garpExtraIf(c, n, g)
		}},
		"vrrp_down_timer_adverts": {H: func(c *Ctx, n *Node, g *GlobalDefs) {
			if v, ok := gdUintOrAbort(c, n, 1, 100, "Invalid vrrp_down_timer_adverts [1:100] '%s'"); ok {
				g.VRRPDownTimerAdverts = int(v)
			}
		}},
		"vrrp_lower_prio_no_advert":    gdBoolPtr(plainBad, func(g *GlobalDefs) **bool { return &g.VRRPLowerPrioNoAdvert }),
		"vrrp_higher_prio_send_advert": gdBoolPtr(plainBad, func(g *GlobalDefs) **bool { return &g.VRRPHigherPrioSendAdvert }),
		"vrrp_version": {H: func(c *Ctx, n *Node, g *GlobalDefs) {
			s, ok := c.Word(n, 1)
			if !ok {
				return
			}
			if v, ok := c.ReadInt(n, s, 2, 3); ok {
				g.VRRPVersion = int(v)
			} else {
				c.Errorf(n, "VRRP Error: Version must be either 2 or 3")
			}
		}},
		"vrrp_startup_delay": {H: func(c *Ctx, n *Node, g *GlobalDefs) {
			if !c.NeedArgs(n, 1) {
				return
			}
			if v, ok := c.DecimalArg(n, 0, 6, 1000, uintMax32, true); ok {
				g.VRRPStartupDelayUsec = int64(v)
			} else {
				c.Errorf(n, "vrrp_startup_delay '%s' is invalid", n.Arg(0))
			}
		}},
		"vmac_prefix":      {H: func(c *Ctx, n *Node, g *GlobalDefs) { oncePrefix(c, n, &g.VMACPrefix, "vmac prefix") }},
		"vmac_addr_prefix": {H: func(c *Ctx, n *Node, g *GlobalDefs) { oncePrefix(c, n, &g.VMACAddrPrefix, "vmac_addr prefix") }},

		// Firewall.
		"vrrp_iptables": {H: func(c *Ctx, n *Node, g *GlobalDefs) {
			// Debian's keepalived 2.2.7 is built without iptables: it
			// falls back to nftables and reports a configuration error.
			c.ReportHint(n, ClassGeneral, "iptables not supported, using nftables instead. Please replace 'vrrp_iptables and 'vrrp_ipsets' with 'nftables' config option", "write 'nftables' in global_defs instead of 'vrrp_iptables'")
			ch := &IPTablesChains{In: "INPUT", Out: "OUTPUT"}
			if n.NArgs() >= 1 {
				ch = &IPTablesChains{In: n.Arg(0), Out: n.Arg(1)}
			}
			g.VRRPIPTables = ch
			g.NFTables, g.NFTablesPriority = "keepalived", -1
		}},
		// Not compiled into Debian's 2.2.7 (no libipset), where it is an
		// unknown keyword; we keep the names but give keepalived's verdict.
		"vrrp_ipsets": {H: func(c *Ctx, n *Node, g *GlobalDefs) {
			c.ReportHint(n, ClassUnknownKeyword, "Unknown keyword 'vrrp_ipsets'", "keepalived 2.2.7 as packaged has no ipset support; use 'nftables'")
		}},
		"nftables": {H: func(c *Ctx, n *Node, g *GlobalDefs) {
			nfTable(c, n, &g.NFTables, &g.NFTablesPriority, "nftables", "keepalived")
		}},
		"nftables_ipvs": {H: func(c *Ctx, n *Node, g *GlobalDefs) {
			if nfTable(c, n, &g.NFTablesIPVS, &g.NFTablesIPVSPriority, "ipvs nftables", "keepalived_ipvs") {
				g.NFTablesIPVSStartFwmark = 1000
			}
		}},
		"nftables_priority": {H: func(c *Ctx, n *Node, g *GlobalDefs) {
			nfPriority(c, n, &g.NFTablesPriority, "invalid nftables chain priority '%s'")
		}},
		"nftables_ipvs_priority": {H: func(c *Ctx, n *Node, g *GlobalDefs) {
			nfPriority(c, n, &g.NFTablesIPVSPriority, "invalid ipvs nftables chain priority '%s'")
		}},
		"nftables_ipvs_start_fwmark": {H: func(c *Ctx, n *Node, g *GlobalDefs) {
			s, ok := c.Word(n, 1)
			if !ok {
				return
			}
			if v, ok := c.ReadUnsigned(n, s, 1, uintMax32); ok {
				g.NFTablesIPVSStartFwmark = uint32(v)
			} else {
				c.Report(n, ClassInvalidNumber, fmt.Sprintf("invalid ipvs nftables start_fwmark priority '%s'", s))
			}
		}},
		"nftables_counters": gdFlag(func(g *GlobalDefs) *bool { return &g.NFTablesCounters }),
		"nftables_ifindex":  gdFlag(func(g *GlobalDefs) *bool { return &g.NFTablesIfindex }),

		// Process tuning.
		"max_auto_priority": {H: func(c *Ctx, n *Node, g *GlobalDefs) {
			if n.NArgs() == 0 {
				g.MaxAutoPriority = 99 // sched_get_priority_max(SCHED_RR)
				return
			}
			if v, ok := c.ReadInt(n, n.Arg(0), -1, 99); ok {
				g.MaxAutoPriority = int(v)
			} else {
				c.Errorf(n, "max_auto_priority '%s' must be in [0, 99] (or -1 to disable) - ignoring", n.Arg(0))
			}
		}},
		"min_auto_priority_delay": {H: func(c *Ctx, n *Node, g *GlobalDefs) {
			if n.NArgs() == 0 {
				c.Errorf(n, "min_auto_priority_delay requires delay time")
				return
			}
			if v, ok := c.ReadInt(n, n.Arg(0), 1, 10000000); ok {
				g.MinAutoPriorityDelay = int(v)
			} else {
				c.Errorf(n, "min_auto_priority_delay '%s' must be in [1, 10000000] - ignoring", n.Arg(0))
			}
		}},
		"umask": {H: umaskHandler},
		"random_seed": {H: func(c *Ctx, n *Node, g *GlobalDefs) {
			s, ok := c.Word(n, 1)
			if !ok {
				return
			}
			if v, ok := c.ReadUnsigned(n, s, 0, uintMax32); ok {
				u := uint32(v)
				g.RandomSeed = &u
			} else {
				c.Errorf(n, "random_seed %s invalid", s)
			}
		}},

		// LVS.
		"lvs_timeouts":      {H: lvsTimeouts},
		"lvs_sync_daemon":   {H: lvsSyncDaemon},
		"lvs_flush":         gdFlag(func(g *GlobalDefs) *bool { return &g.LVSFlush }),
		"lvs_flush_on_stop": {H: lvsFlushOnStop},
		"lvs_flush_onstop":  Alias(Entry[GlobalDefs]{H: lvsFlushOnStop}, "lvs_flush_on_stop"),

		// SNMP, DBus.
		"snmp_socket":            {H: snmpSocket},
		"enable_traps":           gdFlag(func(g *GlobalDefs) *bool { return &g.EnableTraps }),
		"enable_snmp_vrrp":       gdFlag(func(g *GlobalDefs) *bool { return &g.EnableSNMPVRRP }),
		"enable_snmp_keepalived": Alias(gdFlag(func(g *GlobalDefs) *bool { return &g.EnableSNMPVRRP }), "enable_snmp_vrrp"),
		"enable_snmp_checker":    gdFlag(func(g *GlobalDefs) *bool { return &g.EnableSNMPChecker }),
		"enable_snmp_rfc": {H: func(c *Ctx, n *Node, g *GlobalDefs) {
			g.EnableSNMPRFCv2, g.EnableSNMPRFCv3 = true, true
		}},
		"enable_snmp_rfcv2": gdFlag(func(g *GlobalDefs) *bool { return &g.EnableSNMPRFCv2 }),
		"enable_snmp_rfcv3": gdFlag(func(g *GlobalDefs) *bool { return &g.EnableSNMPRFCv3 }),
		"enable_dbus":       gdFlag(func(g *GlobalDefs) *bool { return &g.EnableDBus }),
		"dbus_service_name": {H: func(c *Ctx, n *Node, g *GlobalDefs) {
			if n.NArgs() < 1 {
				c.Errorf(n, "dbus_service_name missing - ignoring")
				return
			}
			g.DBusServiceName = n.Arg(0)
		}},

		// Scripts and FIFOs.
		"script_user": {H: func(c *Ctx, n *Node, g *GlobalDefs) {
			if n.NArgs() < 1 {
				c.Errorf(n, "No script username specified")
				return
			}
			if _, ok := scriptUserOK(c, n.Arg(0), n.Arg(1)); !ok {
				c.Errorf(n, "Error setting global script uid/gid")
				return
			}
			g.ScriptUser, g.ScriptGroup = n.Arg(0), n.Arg(1)
		}},
		"enable_script_security":  gdFlag(func(g *GlobalDefs) *bool { return &g.EnableScriptSecurity }),
		"notify_fifo":             {H: func(c *Ctx, n *Node, g *GlobalDefs) { notifyFIFO(c, n, g, &g.NotifyFIFO, "") }},
		"vrrp_notify_fifo":        {H: func(c *Ctx, n *Node, g *GlobalDefs) { notifyFIFO(c, n, g, &g.VRRPNotifyFIFO, "vrrp_") }},
		"lvs_notify_fifo":         {H: func(c *Ctx, n *Node, g *GlobalDefs) { notifyFIFO(c, n, g, &g.LVSNotifyFIFO, "lvs_") }},
		"notify_fifo_script":      {H: func(c *Ctx, n *Node, g *GlobalDefs) { notifyFIFOScript(c, n, &g.NotifyFIFO, "") }},
		"vrrp_notify_fifo_script": {H: func(c *Ctx, n *Node, g *GlobalDefs) { notifyFIFOScript(c, n, &g.VRRPNotifyFIFO, "vrrp_") }},
		"lvs_notify_fifo_script":  {H: func(c *Ctx, n *Node, g *GlobalDefs) { notifyFIFOScript(c, n, &g.LVSNotifyFIFO, "lvs_") }},

		// Socket buffers.
		"vrrp_netlink_cmd_rcv_bufs":           rcvBufs("vrrp_netlink_cmd", func(g *GlobalDefs) *uint32 { return &g.VRRPNetlinkCmdRcvBufs }),
		"vrrp_netlink_monitor_rcv_bufs":       rcvBufs("vrrp_netlink_monitor", func(g *GlobalDefs) *uint32 { return &g.VRRPNetlinkMonitorRcvBufs }),
		"lvs_netlink_cmd_rcv_bufs":            rcvBufs("lvs_netlink_cmd", func(g *GlobalDefs) *uint32 { return &g.LVSNetlinkCmdRcvBufs }),
		"lvs_netlink_monitor_rcv_bufs":        rcvBufs("lvs_netlink_monitor", func(g *GlobalDefs) *uint32 { return &g.LVSNetlinkMonitorRcvBufs }),
		"process_monitor_rcv_bufs":            rcvBufs("process_monitor", func(g *GlobalDefs) *uint32 { return &g.ProcessMonitorRcvBufs }),
		"vrrp_netlink_cmd_rcv_bufs_force":     gdBoolQuoted("vrrp_netlink_cmd_rcv_bufs_force", func(g *GlobalDefs) *bool { return &g.VRRPNetlinkCmdRcvBufsForce }),
		"vrrp_netlink_monitor_rcv_bufs_force": gdBoolQuoted("vrrp_netlink_monitor_rcv_bufs_force", func(g *GlobalDefs) *bool { return &g.VRRPNetlinkMonitorRcvBufsForce }),
		"lvs_netlink_cmd_rcv_bufs_force":      gdBoolQuoted("lvs_netlink_cmd_rcv_bufs_force", func(g *GlobalDefs) *bool { return &g.LVSNetlinkCmdRcvBufsForce }),
		"lvs_netlink_monitor_rcv_bufs_force":  gdBoolQuoted("lvs_netlink_monitor_rcv_bufs_force", func(g *GlobalDefs) *bool { return &g.LVSNetlinkMonitorRcvBufsForce }),
		"process_monitor_rcv_bufs_force":      gdBoolQuoted("process_monitor_rcv_bufs_force", func(g *GlobalDefs) *bool { return &g.ProcessMonitorRcvBufsForce }),
		"vrrp_rx_bufs_policy":                 {H: rxBufsPolicy},
		"vrrp_rx_bufs_multiplier": {H: func(c *Ctx, n *Node, g *GlobalDefs) {
			if n.NArgs() != 1 {
				c.Errorf(n, "Invalid vrrp_rx_bufs_multiplier")
				return
			}
			if v, ok := c.ReadUnsigned(n, n.Arg(0), 1, uintMax32); ok {
				g.VRRPRxBufsMultiplier = uint32(v)
			} else {
				c.Errorf(n, "Invalid vrrp_rx_bufs_multiplier %s", n.Arg(0))
			}
		}},

		// Reloads.
		"reload_check_config": {H: func(c *Ctx, n *Node, g *GlobalDefs) {
			g.ReloadCheckConfig = "/dev/null"
			if n.NArgs() >= 1 {
				g.ReloadCheckConfig = n.Arg(0)
			}
		}},
		"reload_time_file": {H: func(c *Ctx, n *Node, g *GlobalDefs) {
			if n.NArgs() != 1 {
				c.Errorf(n, "reload_time_file invalid")
				return
			}
			g.ReloadTimeFile = n.Arg(0)
		}},
		"reload_repeat": gdFlag(func(g *GlobalDefs) *bool { return &g.ReloadRepeat }),
		"reload_file": {H: func(c *Ctx, n *Node, g *GlobalDefs) {
			g.ReloadFile = DefaultReloadFile
			if n.NArgs() >= 1 {
				g.ReloadFile = n.Arg(0)
			}
		}},
		"include_check":     {H: includeCheck},
		"data_use_instance": gdBoolQuoted("date_use_instance", func(g *GlobalDefs) *bool { return &g.DataUseInstance }), // keepalived's spelling
	}
	for _, p := range []struct {
		name string
		f    func(*GlobalDefs) *ProcessTuning
	}{
		{"vrrp", func(g *GlobalDefs) *ProcessTuning { return &g.VRRPProcess }},
		{"checker", func(g *GlobalDefs) *ProcessTuning { return &g.CheckerProcess }},
		{"bfd", func(g *GlobalDefs) *ProcessTuning { return &g.BFDProcess }},
	} {
		addProcessTuning(e, p.name, p.f)
	}
	// Deprecated after 2020-07-12; keepalived 2.2.7 only logs it.
	e["lvs_process_name"] = Alias(e["checker_process_name"], "checker_process_name")
	return e
}

// addProcessTuning adds <proc>_priority, _no_swap, _rt_priority,
// _cpu_affinity, _rlimit_rttime (and the deprecated _rlimit_rtime).
func addProcessTuning(e map[string]Entry[GlobalDefs], proc string, f func(*GlobalDefs) *ProcessTuning) {
	e[proc+"_priority"] = Entry[GlobalDefs]{H: func(c *Ctx, n *Node, g *GlobalDefs) {
		if n.NArgs() < 1 {
			c.Errorf(n, "No %s process priority specified", proc)
			return
		}
		if v, ok := c.ReadInt(n, n.Arg(0), -20, 19); ok {
			f(g).Priority = int(v)
		} else {
			c.Errorf(n, "Invalid %s process priority specified", proc)
		}
	}}
	e[proc+"_no_swap"] = Entry[GlobalDefs]{H: func(c *Ctx, n *Node, g *GlobalDefs) { f(g).NoSwap = true }}
	e[proc+"_rt_priority"] = Entry[GlobalDefs]{H: func(c *Ctx, n *Node, g *GlobalDefs) {
		if n.NArgs() < 1 {
			c.Errorf(n, "No %s process real-time priority specified", proc)
			return
		}
		v, ok := c.ReadInt(n, n.Arg(0), intMin32, intMax32)
		if !ok {
			c.Errorf(n, "%s process real-time priority '%s' invalid", proc, n.Arg(0))
			return
		}
		// SCHED_RR priorities are 1..99 on Linux.
		if v < 1 {
			c.Errorf(n, "%s process real-time priority %d less than minimum 1 - setting to minimum", proc, v)
			v = 1
		} else if v > 99 {
			c.Errorf(n, "%s process real-time priority %d greater than maximum 99 - setting to maximum", proc, v)
			v = 99
		}
		f(g).RTPriority = int(v)
	}}
	e[proc+"_cpu_affinity"] = Entry[GlobalDefs]{H: func(c *Ctx, n *Node, g *GlobalDefs) {
		if n.NArgs() < 1 {
			c.Errorf(n, "No %s cpu_id set specified", proc)
			return
		}
		var set []int
		for _, a := range n.Args() {
			v, ok := c.ReadInt(n, a, 0, int64(numCPUs()-1))
			if !ok {
				// keepalived prints what strtol read of the word, cut
				// to a C int, valid or not ("x" is 0, "1x" is 1).
				read, _, _ := cStrtoll(a, 10)
				c.Errorf(n, "Invalid cpu_id:%d specified for %s process", int32(read), proc)
				f(g).CPUAffinity = nil
				return
			}
			set = append(set, int(v))
		}
		f(g).CPUAffinity = set
	}}
	rl := Entry[GlobalDefs]{H: func(c *Ctx, n *Node, g *GlobalDefs) {
		s, ok := c.Word(n, 1)
		if !ok {
			return
		}
		v, ok := c.ReadUnsigned(n, s, 1, uintMax32)
		if !ok {
			c.Errorf(n, "Invalid %s real-time limit - %s", proc, s)
			return
		}
		// keepalived halves the limit later and needs it non-zero.
		if v == 1 {
			v = 2
		}
		f(g).RLimitRTTime = uint32(v)
	}}
	e[proc+"_rlimit_rttime"] = rl
	e[proc+"_rlimit_rtime"] = Alias(rl, proc+"_rlimit_rttime")
}

func tmpConfigDir(c *Ctx, n *Node, g *GlobalDefs) {
	if g.TmpConfigDirectory != "" {
		c.Errorf(n, "%s already specified - ignoring", n.Keyword())
		return
	}
	if n.NArgs() < 1 {
		c.Errorf(n, "%s missing directory name", n.Keyword())
		return
	}
	g.TmpConfigDirectory = n.Arg(0)
}

// processName stores a process name; Linux truncates task names to 15
// characters and keepalived says so.
func processName(f func(*GlobalDefs) *string) Entry[GlobalDefs] {
	return Entry[GlobalDefs]{H: func(c *Ctx, n *Node, g *GlobalDefs) {
		s, ok := c.Word(n, 1)
		if !ok {
			return
		}
		if len(s) >= 16 {
			c.Errorf(n, "Process name %s more than 15 characters, truncating", s)
			s = s[:15]
		}
		*f(g) = s
	}}
}

func startupShutdown(c *Ctx, n *Node, g *GlobalDefs, startup bool) {
	typ, dst, tmo := "shutdown", &g.ShutdownScript, &g.ShutdownScriptTimeout
	if startup {
		typ, dst, tmo = "startup", &g.StartupScript, &g.StartupScriptTimeout
	}
	if *dst != nil {
		c.Errorf(n, "%s script already specified", typ)
		return
	}
	if n.NArgs() < 1 {
		c.Errorf(n, "%s script missing", typ)
		return
	}
	argv, user, group, ok := c.NotifyCommand(n)
	if !ok {
		c.Errorf(n, "Invalid %s script", typ)
		return
	}
	s := &GlobalScript{Argv: argv, User: user, Group: group}
	if s.User != "" {
		uid, ok := scriptUserOK(c, s.User, s.Group)
		if !ok {
			c.Errorf(n, "Invalid %s script", typ)
			return
		}
		s.uid = uid
	} else {
		// The default user is fixed when the line is read: a later
		// script_user does not change it (keepalived reads in order).
		s.uid = scriptUID(c, "", "")
	}
	*dst = s
	if *tmo == 0 {
		*tmo = 10
	}
}

func scriptTimeout(c *Ctx, n *Node, dst *int, typ string) {
	if n.NArgs() < 1 {
		c.Errorf(n, "%s_script_timeout requires value", typ)
		return
	}
	if v, ok := c.ReadUnsigned(n, n.Arg(0), 1, 1000); ok {
		*dst = int(v)
	} else {
		c.Errorf(n, "%s_script_timeout '%s' must be in [1, 1000] - ignoring", typ, n.Arg(0))
	}
}

// reportExtraBlockParams is keepalived's complaint about words between a
// block keyword and its '{' (it quotes the first one).
func reportExtraBlockParams(c *Ctx, n *Node) {
	if n.NArgs() > 0 {
		c.Errorf(n, "Block %s has extra parameters %s ...", n.Keyword(), n.Arg(0))
	}
}

func notificationEmail(c *Ctx, n *Node, g *GlobalDefs) {
	reportExtraBlockParams(c, n)
	var addrs []string
	for _, l := range n.Block {
		addrs = append(addrs, l.Words()...)
	}
	if len(addrs) == 0 {
		// keepalived reports it where the block ends.
		d := Diagnostic{Pos: n.Pos, Class: ClassGeneral, Msg: "Warning - empty notification_email block", Quote: n.Raw}
		if n.End.Line > 0 {
			d.Pos = n.End
		}
		c.add(d)
		return
	}
	g.NotificationEmail = append(g.NotificationEmail, addrs...)
}

func smtpServer(c *Ctx, n *Node, g *GlobalDefs) {
	host, ok := c.Word(n, 1)
	if !ok {
		return
	}
	port, portStr := uint64(25), "25"
	if n.NArgs() >= 2 {
		portStr = n.Arg(1)
		v, ok := c.ReadUnsigned(n, portStr, 1, 65535)
		if !ok {
			c.Errorf(n, "Invalid smtp server %s %s", host, portStr)
			return
		}
		port = v
	}
	// keepalived resolves a name here; we only check that it could be
	// one (the daemon resolves it when it sends mail).
	if _, err := netip.ParseAddr(host); err != nil && !validHostName(host) {
		c.Errorf(n, "Invalid smtp server %s %s", host, portStr)
		return
	}
	g.SMTPServer, g.SMTPPort = host, int(port)
}

// validHostName accepts RFC 1123 host names.
func validHostName(s string) bool {
	if s == "" || len(s) > 253 || strings.ContainsAny(s, "/") {
		return false
	}
	for _, l := range strings.Split(strings.TrimSuffix(s, "."), ".") {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for _, ch := range l {
			if !(ch == '-' || ch == '_' || ch >= '0' && ch <= '9' || ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z') {
				return false
			}
		}
	}
	return true
}

func mcastGroup(c *Ctx, n *Node, dst *netip.Addr, v4 bool) {
	s, ok := c.Word(n, 1)
	if !ok {
		return
	}
	kw := n.Keyword()
	a, err := netip.ParseAddr(s)
	switch {
	case err != nil || a.Zone() != "":
		c.Errorf(n, "Can't parse %s [%s]. Skipping", kw, s)
	case a.Is4() != v4:
		fam := "IPv6"
		if v4 {
			fam = "IPv4"
		}
		c.Errorf(n, "%s [%s] is not %s. Skipping", kw, s, fam)
	case !a.IsMulticast():
		c.Errorf(n, "%s [%s] is not multicast. Skipping", kw, s)
	default:
		*dst = a
	}
}

func garpRepeat(f func(*GlobalDefs) *int) Entry[GlobalDefs] {
	return Entry[GlobalDefs]{H: func(c *Ctx, n *Node, g *GlobalDefs) {
		kw := n.Keyword()
		v, ok := gdUintOrAbort(c, n, 0, uintMax32, kw+" '%s' invalid - ignoring")
		if !ok {
			return
		}
		if v == 0 {
			c.Errorf(n, "%s must be greater than 0, setting to 1", kw)
			v = 1
		}
		*f(g) = int(v)
	}}
}

// garpInterval handles vrrp_garp_interval and vrrp_gna_interval.
//
// DELIBERATE IMPROVEMENT over keepalived 2.2.7: an interval of 0 (however
// written: "0", "0.0", "0.000000") means "no delay between messages",
// which is the default anyway. keepalived 2.2.7 rejects it ("number '0'
// outside range [0.000001, 4294.967295]", "vrrp_garp_interval '0' is
// invalid", exit 5) although older versions accepted it and configurations
// in the wild still carry it. We accept it silently.
func garpInterval(f func(*GlobalDefs) *int64) Entry[GlobalDefs] {
	return Entry[GlobalDefs]{H: func(c *Ctx, n *Node, g *GlobalDefs) {
		s, ok := c.Word(n, 1)
		if !ok {
			return
		}
		if isPlainZero(s) {
			*f(g) = 0
			return
		}
		if v, ok := c.ReadDecimal(n, s, 6, 1, uintMax32, true); ok {
			*f(g) = int64(v)
		} else {
			c.Errorf(n, "%s '%s' is invalid", n.Keyword(), s)
		}
	}}
}

// isPlainZero reports whether s is a clean decimal zero with at most six
// fractional digits.
func isPlainZero(s string) bool {
	s = strings.TrimPrefix(s, "+")
	ip, frac, _ := strings.Cut(s, ".")
	if ip == "" && frac == "" || len(frac) > 6 {
		return false
	}
	return strings.Trim(ip, "0") == "" && strings.Trim(frac, "0") == ""
}

// minGARP makes keepalived send one GARP/NA with no repeats, but only for
// the settings still at their defaults when the keyword is read.
func minGARP(c *Ctx, n *Node, g *GlobalDefs) {
	v, ok := c.OptBool(n, func(a string) string { return plainBad("vrrp_min_garp", a) })
	if !ok || !v {
		return
	}
	g.VRRPMinGARP = true
	d := DefaultGlobalDefs()
	if g.VRRPGARPMasterRepeat == d.VRRPGARPMasterRepeat {
		g.VRRPGARPMasterRepeat = 1
	}
	if g.VRRPGARPMasterRefresh == d.VRRPGARPMasterRefresh {
		g.VRRPGARPMasterRefresh = 0
	}
	if g.VRRPGARPMasterRefreshRepeat == d.VRRPGARPMasterRefreshRepeat {
		g.VRRPGARPMasterRefreshRepeat = 0
	}
	if g.VRRPGARPMasterDelay == d.VRRPGARPMasterDelay {
		g.VRRPGARPMasterDelay = 0
	}
}

func garpExtraIf(c *Ctx, n *Node, g *GlobalDefs) {
	kw := n.Keyword()
	var delay uint64
	all := false
	for _, a := range n.Args() {
		if a == "all" {
			all = true
			continue
		}
		v, ok := c.ReadUnsigned(n, a, 1, 86400)
		if !ok {
			c.Errorf(n, "%s '%s' invalid - ignoring", kw, a)
			return
		}
		delay = v
	}
	if all {
		g.VRRPGARPExtraIfAll = true
	}
	if delay == 0 {
		c.Errorf(n, "%s specified without time - ignoring", kw)
		return
	}
	g.VRRPGARPExtraIf = int(delay)
}

func oncePrefix(c *Ctx, n *Node, dst *string, what string) {
	s, ok := c.Word(n, 1)
	if !ok {
		return
	}
	if *dst != "" {
		c.Errorf(n, "%s has already been specified - ignoring %s", what, s)
		return
	}
	*dst = s
}

// nfTable handles nftables / nftables_ipvs [TABLE]; it reports whether the
// table was set.
func nfTable(c *Ctx, n *Node, name *string, prio *int, what, def string) bool {
	if *name != "" {
		c.Errorf(n, "%s already specified - ignoring", what)
		return false
	}
	t := def
	if n.NArgs() >= 1 {
		// NFT_TABLE_MAXNAMELEN is 256 including the terminating NUL.
		if len(n.Arg(0)) >= 256 {
			c.Errorf(n, "%s table name too long - ignoring", what)
			return false
		}
		t = n.Arg(0)
	}
	*name, *prio = t, -1
	return true
}

func nfPriority(c *Ctx, n *Node, dst *int, bad string) {
	s, ok := c.Word(n, 1)
	if !ok {
		return
	}
	if v, ok := c.ReadInt(n, s, intMin32, intMax32); ok {
		*dst = int(v)
	} else {
		c.Report(n, ClassInvalidNumber, fmt.Sprintf(bad, s))
	}
}

func umaskHandler(c *Ctx, n *Node, g *GlobalDefs) {
	mask, ok := c.Word(n, 1)
	if !ok {
		return
	}
	// A quoted "" is no digit: it goes to the bit names, as in keepalived.
	if mask != "" && mask[0] >= '0' && mask[0] <= '9' {
		if n.NArgs() != 1 {
			c.Errorf(n, "Extra parameter(s) to umask option")
			return
		}
		// strtol with base 0: 0x.. hex, 0.. octal, else decimal.
		v, rest, over := cStrtoll(mask, 0)
		if rest != "" || over || v < 0 || v&^0o777 != 0 {
			c.Errorf(n, "invalid umask value %s", mask)
			return
		}
		u := uint32(v)
		g.Umask = &u
		return
	}
	bits := map[string]uint32{
		"IRUSR": 0o400, "IWUSR": 0o200, "IXUSR": 0o100,
		"IRGRP": 0o040, "IWGRP": 0o020, "IXGRP": 0o010,
		"IROTH": 0o004, "IWOTH": 0o002, "IXOTH": 0o001,
	}
	var u uint32
	needOr := false
	for _, w := range n.Args() {
		for p := w; p != ""; {
			if needOr {
				if p[0] != '|' {
					c.Errorf(n, "Invalid umask syntax %s", w)
					return
				}
				needOr = false
				p = p[1:]
				continue
			}
			if len(p) < 5 || bits[p[:5]] == 0 {
				c.Errorf(n, "Unknown umask bit %s", p)
				return
			}
			u |= bits[p[:5]]
			p = p[5:]
			needOr = true
		}
	}
	if !needOr {
		c.Errorf(n, "umask missing bit value")
		return
	}
	g.Umask = &u
}

// lvsMaxTimeout is LVS_MAX_TIMEOUT: 31 days.
const lvsMaxTimeout = 86400 * 31

func lvsTimeouts(c *Ctx, n *Node, g *GlobalDefs) {
	w := n.Words()
	if len(w) < 3 {
		c.Errorf(n, "lvs_timeouts requires at least one option")
		return
	}
	for i := 1; i < len(w); i++ {
		var dst **int
		switch w[i] {
		case "tcp":
			dst = &g.LVSTimeouts.TCP
		case "tcpfin":
			dst = &g.LVSTimeouts.TCPFin
		case "udp":
			dst = &g.LVSTimeouts.UDP
		default:
			c.Errorf(n, "Unknown option %s specified for lvs_timeouts", w[i])
			continue
		}
		if i == len(w)-1 {
			c.Errorf(n, "No value specified for lvs_timeout %s - ignoring", w[i])
			continue
		}
		if v, ok := c.ReadUnsigned(n, w[i+1], 0, lvsMaxTimeout); ok {
			x := int(v)
			*dst = &x
		} else {
			c.Errorf(n, "Invalid lvs_timeout %s (%s) - ignoring", w[i], w[i+1])
		}
		i++
	}
}

func lvsFlushOnStop(c *Ctx, n *Node, g *GlobalDefs) {
	switch {
	case n.NArgs() == 0:
		g.LVSFlushOnStop = "full"
	case n.Arg(0) == "VS":
		g.LVSFlushOnStop = "vs"
	default:
		c.Errorf(n, "Unknown lvs_flush_on_stop type %s", n.Arg(0))
	}
}

func lvsSyncDaemon(c *Ctx, n *Node, g *GlobalDefs) {
	if s := g.LVSSyncDaemon; s != nil {
		c.Errorf(n, "lvs_sync_daemon has already been specified as %s %s - ignoring", s.Interface, s.Instance)
		return
	}
	w := n.Words()
	if len(w) < 2 {
		c.Errorf(n, "lvs_sync_daemon requires interface")
		return
	}
	// IP_VS_IFNAME_MAXLEN is 16 including the NUL.
	if len(w[1]) >= 16 {
		c.Errorf(n, "lvs_sync_daemon interface name '%s' too long - ignoring", w[1])
		return
	}
	sd := &LVSSyncDaemon{Interface: w[1]}
	g.LVSSyncDaemon = sd
	// value reads the word after option i; a missing one is reported.
	value := func(i int, what string) (string, bool) {
		if i == len(w)-1 {
			c.Errorf(n, "No value specified for lvs_sync_daemon %s - ignoring", what)
			return "", false
		}
		return w[i+1], true
	}
	for i := 2; i < len(w); i++ {
		switch w[i] {
		case "inst":
			v, ok := c.Word(n, i+1)
			if !ok {
				return
			}
			if sd.Instance != "" {
				c.Errorf(n, "lvs_sync_daemon vrrp instance has already been specified as %s - ignoring", sd.Instance)
			} else {
				sd.Instance = v
			}
			i++
		case "id":
			if i == len(w)-1 {
				c.Errorf(n, "No value specified for lvs_sync_daemon id, defaulting to vrid")
				continue
			}
			if v, ok := c.ReadUnsigned(n, w[i+1], 0, 255); ok {
				x := int(v)
				sd.SyncID = &x
			} else {
				c.Errorf(n, "Invalid syncid (%s) - defaulting to vrid", w[i+1])
			}
			i++
		case "maxlen", "port", "ttl":
			max := map[string]uint64{"maxlen": 65535 - 20 - 8, "port": 65535, "ttl": 255}[w[i]]
			s, ok := value(i, w[i])
			if !ok {
				continue
			}
			if v, ok := c.ReadUnsigned(n, s, 1, max); ok {
				switch w[i] {
				case "maxlen":
					sd.MaxLen = int(v)
				case "port":
					sd.Port = int(v)
				default:
					sd.TTL = int(v)
				}
			} else {
				c.Errorf(n, "Invalid lvs_sync_daemon %s (%s) - ignoring", w[i], s)
			}
			i++
		case "group":
			s, ok := value(i, "group")
			if !ok {
				continue
			}
			a, err := netip.ParseAddr(s)
			if err != nil {
				c.Errorf(n, "Invalid lvs_sync_daemon group (%s) - ignoring", s)
			} else if !a.IsMulticast() {
				c.Errorf(n, "lvs_sync_daemon group address %s is not multicast - ignoring", s)
			} else {
				sd.Group = a
			}
			i++
		default:
			// The old form: lvs_sync_daemon IF VRRP_INSTANCE [SYNC_ID].
			switch i {
			case 2:
				sd.Instance = w[2]
			case 3:
				if v, ok := c.ReadUnsigned(n, w[3], 0, 255); ok {
					c.ReportHint(n, ClassGeneral, `Please use keyword "id" before lvs_sync_daemon SYNCID`, fmt.Sprintf("write 'id %s'", w[3]))
					x := int(v)
					sd.SyncID = &x
				} else {
					c.Errorf(n, "Invalid syncid (%s) - defaulting to vrid", w[3])
				}
			default:
				c.Errorf(n, "Unknown option %s specified for lvs_sync_daemon", w[i])
			}
		}
	}
}

func snmpSocket(c *Ctx, n *Node, g *GlobalDefs) {
	switch {
	case n.NArgs() > 1:
		c.Errorf(n, "Too many parameters specified for snmp_socket - ignoring")
	case n.NArgs() < 1:
		c.Errorf(n, "SNMP error : snmp socket name missing")
	case len(n.Arg(0)) > 4095:
		c.Errorf(n, "SNMP error : snmp socket name too long - ignored")
	case g.SNMPSocket != "":
		c.Errorf(n, "SNMP socket already set to %s - ignoring", g.SNMPSocket)
	default:
		g.SNMPSocket = n.Arg(0)
	}
}

func notifyFIFO(c *Ctx, n *Node, g *GlobalDefs, f *NotifyFIFO, typ string) {
	if n.NArgs() < 1 {
		c.Errorf(n, "No %snotify_fifo name specified", typ)
		return
	}
	if f.Name != "" {
		c.Errorf(n, "%snotify_fifo already specified - ignoring %s", typ, n.Arg(0))
		return
	}
	if n.NArgs() > 1 {
		if _, ok := scriptUserOK(c, n.Arg(1), n.Arg(2)); !ok {
			// keepalived only logs this; -t does not count it.
			c.Infof(n, "Invalid user/group for %sfifo %s - ignoring", typ, n.Arg(0))
			return
		}
		f.User, f.Group = n.Arg(1), n.Arg(2)
	}
	f.Name = n.Arg(0)
}

func notifyFIFOScript(c *Ctx, n *Node, f *NotifyFIFO, typ string) {
	if n.NArgs() < 1 {
		c.Errorf(n, "No %snotify_fifo_script specified", typ)
		return
	}
	if f.Script != nil {
		c.Errorf(n, "%snotify_fifo_script already specified - ignoring %s", typ, n.Arg(0))
		return
	}
	// keepalived leaves the FIFO without a script when it cannot parse it.
	if argv, user, group, ok := c.NotifyCommand(n); ok {
		f.Script, f.ScriptUser, f.ScriptGroup = argv, user, group
	}
}

func rcvBufs(typ string, f func(*GlobalDefs) *uint32) Entry[GlobalDefs] {
	return Entry[GlobalDefs]{H: func(c *Ctx, n *Node, g *GlobalDefs) {
		if n.NArgs() < 1 {
			c.Errorf(n, "%s_rcv_bufs size missing", typ)
			return
		}
		v, ok := c.ReadUnsigned(n, n.Arg(0), 0, uintMax32)
		if !ok {
			c.Errorf(n, "%s_rcv_bufs size (%s) invalid", typ, n.Arg(0))
			return
		}
		if v != 0 { // 0 leaves the system default
			*f(g) = uint32(v)
		}
	}}
}

func rxBufsPolicy(c *Ctx, n *Node, g *GlobalDefs) {
	if n.NArgs() < 1 {
		c.Errorf(n, "vrrp_rx_bufs_policy missing")
		return
	}
	mtu, advert, size := g.VRRPRxBufsPolicy == "MTU", g.VRRPRxBufsPolicy == "ADVERT", g.VRRPRxBufsPolicy == "SIZE"
	for _, a := range n.Args() {
		switch strings.ToUpper(a) {
		case "MTU":
			mtu = true
		case "ADVERT":
			advert = true
		default:
			// keepalived reads the size from the first word whatever
			// word it is looking at (a quirk we keep for identical
			// messages).
			if v, ok := c.ReadUnsigned(n, n.Arg(0), 0, uintMax32); ok {
				g.VRRPRxBufsSize = uint32(v)
				size = true
			} else {
				c.Errorf(n, "Invalid vrrp_rx_bufs_policy %s", a)
			}
		}
	}
	switch {
	case size && (mtu || advert):
		c.Errorf(n, "Cannot set vrrp_rx_bufs_policy size and policy, ignoring policy")
		g.VRRPRxBufsPolicy = "SIZE"
	case mtu && advert:
		c.Errorf(n, "Cannot set both vrrp_rx_bufs_policy MTU and ADVERT, ignoring ADVERT")
		g.VRRPRxBufsPolicy = "MTU"
	case size:
		g.VRRPRxBufsPolicy = "SIZE"
	case mtu:
		g.VRRPRxBufsPolicy = "MTU"
	case advert:
		g.VRRPRxBufsPolicy = "ADVERT"
	}
}

// includeCheck records include_check options. keepalived 2.2.7 (observed
// with -t) takes a first word without sign as the whole setting, and then
// rejects any later word without sign as a duplicate; +/- words adjust the
// setting. "readable" is not an option name in 2.2.7.
func includeCheck(c *Ctx, n *Node, g *GlobalDefs) {
	valid := map[string]bool{"match": true, "wildcard_match": true, "brace_match": true}
	var out []string
	for i, a := range n.Args() {
		name, signed := a, false
		if a != "" && (a[0] == '+' || a[0] == '-') {
			name, signed = a[1:], true
		}
		switch {
		case !valid[name]:
			c.Errorf(n, "Unknown include_check type '%s' - ignoring", name)
		case !signed && i > 0:
			c.Errorf(n, "Duplicate include_check '%s' specified - ignoring", name)
		default:
			out = append(out, a)
		}
	}
	if n.NArgs() == 0 {
		out = []string{"match", "wildcard_match", "brace_match"}
	}
	g.IncludeCheck = out
}

// registerGlobalTop adds the global keywords keepalived reads at the top
// level, outside global_defs.
func registerGlobalTop() {
	registerTop("net_namespace", Entry[Config]{H: func(c *Ctx, n *Node, cfg *Config) {
		g := &cfg.Global
		if n.NArgs() < 1 {
			c.Errorf(n, "net_namespace name missing - ignoring")
			return
		}
		if g.NetNamespace != "" {
			// keepalived prints this but -t still exits 0.
			c.Infof(n, "Duplicate net_namespace definition %s - ignoring", n.Arg(0))
			return
		}
		g.NetNamespace, g.UsePIDDir = n.Arg(0), true
	}})
	registerTop("net_namespace_ipvs", Entry[Config]{H: func(c *Ctx, n *Node, cfg *Config) {
		g := &cfg.Global
		if g.HasNetNamespaceIPVS {
			c.Errorf(n, "Duplicate net_namespace_ipvs definition %s - ignoring", n.Arg(0))
			return
		}
		// No name means the default namespace.
		g.NetNamespaceIPVS, g.HasNetNamespaceIPVS = n.Arg(0), true
	}})
	registerTop("namespace_with_ipsets", Entry[Config]{H: func(c *Ctx, n *Node, cfg *Config) { cfg.Global.NamespaceWithIPSets = true }})
	registerTop("use_pid_dir", Entry[Config]{H: func(c *Ctx, n *Node, cfg *Config) { cfg.Global.UsePIDDir = true }})
	registerTop("linkbeat_use_polling", Entry[Config]{H: func(c *Ctx, n *Node, cfg *Config) { cfg.Global.LinkbeatUsePolling = true }})
	registerTop("instance", Entry[Config]{H: func(c *Ctx, n *Node, cfg *Config) {
		g := &cfg.Global
		if n.NArgs() < 1 {
			c.Errorf(n, "instance name missing - ignoring")
			return
		}
		if g.Instance != "" {
			c.Errorf(n, "Duplicate instance definition %s - ignoring", n.Arg(0))
			return
		}
		g.Instance, g.UsePIDDir = n.Arg(0), true
	}})
	registerTop("child_wait_time", Entry[Config]{H: func(c *Ctx, n *Node, cfg *Config) {
		s, ok := c.Word(n, 1)
		if !ok {
			return
		}
		if v, ok := c.ReadUnsigned(n, s, 0, uintMax32); ok {
			cfg.Global.ChildWaitTime = int(v)
		} else {
			c.Errorf(n, "Invalid child_wait_time %s", s)
		}
	}})
}
