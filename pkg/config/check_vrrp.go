package config

import (
	"fmt"
	"os"
	"path"
	"sort"
	"strings"
	"syscall"
)

// The VRRP validation pass: what keepalived 2.2.7's VRRP process does after
// reading the file when run with -t (vrrp_daemon.c start_vrrp, then
// vrrp.c vrrp_complete_init / vrrp_complete_instance, vrrp_sync.c,
// sync_group_tracking_init). It stops where keepalived stops: a missing
// interface ends the VRRP checks, and so do the "cannot run" errors of
// chk_min_cfg, VRID conflicts and instances without VIPs where one is
// required. It also resolves the settings instances inherit from
// global_defs, so consumers of the model see effective values.

func init() { registerCheck(30, "vrrp", checkVRRP) }

func checkVRRP(c *Ctx, cfg *Config) {
	// keepalived stops the VRRP process before any of the checks below
	// when the configuration names an interface that does not exist.
	// keepalived checks the dev of each VIP, eVIP, route and rule while
	// reading the instance; a missing one is dropped with a warning and
	// counts as a non-existent interface.
	for _, v := range cfg.Instances {
		v.VIPs = FilterAddressDevs(c, v.VIPs, false)
		v.EVIPs = FilterAddressDevs(c, v.EVIPs, false)
		v.Routes = FilterRouteDevs(c, v.Routes)
		v.Rules = FilterRuleDevs(c, v.Rules)
	}
	if !cfg.Global.DynamicInterfaces && (vrrpMissingInterface(cfg) || c.missingIf) {
		c.Report(nil, ClassBadIf, "Non-existent interface specified in configuration")
		return
	}
	if len(cfg.Instances) == 0 {
		// Sync groups are still resolved (and emptied, with keepalived's
		// messages) when no instance exists; nothing else runs.
		checkSyncGroups(c, cfg)
		return
	}
	checkScriptSecurity(c, cfg)
	for _, v := range cfg.Instances {
		switch {
		case v.VRID == 0:
			c.ReportHint(instNode(v), ClassGeneral, fmt.Sprintf("(%s) the virtual router id must be set", v.Name), "add 'virtual_router_id N' (1-255)")
			return
		case v.Interface == "":
			c.ReportHint(instNode(v), ClassGeneral, fmt.Sprintf("(%s) Unknown interface!", v.Name), "add 'interface IFNAME'")
			return
		}
	}
	for _, v := range cfg.Instances {
		if v.Family == "" {
			v.Family = vrrpFamilyInet // no address said otherwise
		}
	}
	checkSyncGroups(c, cfg)
	for _, v := range cfg.Instances {
		if !completeInstance(c, cfg, v) {
			return
		}
	}
	// keepalived 2.2.7 checks VRID clashes after completing the instances
	// (its messages come last), and stops there.
	if checkVRIDConflicts(c, cfg) {
		return
	}
	syncGroupTracking(c, cfg)
}

// instNode gives the instance's opening line as the place of check-time
// messages (keepalived prints them without a position).
func instNode(v *VRRPInstance) *Node {
	return &Node{Pos: v.Pos, Tokens: []Token{{Text: "vrrp_instance"}, {Text: v.Name}}}
}

func groupNode(g *SyncGroup) *Node {
	return &Node{Pos: g.Pos, Tokens: []Token{{Text: "vrrp_sync_group"}, {Text: g.Name}}}
}

func vrrpMissingInterface(cfg *Config) bool {
	for _, v := range cfg.Instances {
		if v.ifaceMissing || v.missingIfs > 0 {
			return true
		}
	}
	for _, g := range cfg.SyncGroups {
		if g.missingIfs > 0 {
			return true
		}
	}
	for _, g := range cfg.GARPGroups {
		if g.missingIfs > 0 {
			return true
		}
	}
	return false
}

// checkVRIDConflicts reports multicast instances sharing a VRID and
// address family on one interface. It returns true when keepalived would
// stop.
func checkVRIDConflicts(c *Ctx, cfg *Config) bool {
	// Instances clash only within one (family, VRID, interface) on
	// multicast: keepalived 2.2.7 does not compare unicast instances.
	// Grouping by that key keeps this linear in the number of instances.
	type key struct {
		family, iface string
		vrid          int
	}
	type pair struct{ a, b int }
	seen := map[key][]int{}
	var pairs []pair
	for i, v := range cfg.Instances {
		if len(v.UnicastPeers) > 0 {
			continue
		}
		k := key{v.Family, v.Interface, v.VRID}
		for _, j := range seen[k] {
			pairs = append(pairs, pair{j, i})
		}
		seen[k] = append(seen[k], i)
	}
	// Report in keepalived's order: by the first instance, then the second.
	sort.Slice(pairs, func(x, y int) bool {
		if pairs[x].a != pairs[y].a {
			return pairs[x].a < pairs[y].a
		}
		return pairs[x].b < pairs[y].b
	})
	for _, p := range pairs {
		a, b := cfg.Instances[p.a], cfg.Instances[p.b]
		v := 4
		if a.Family == vrrpFamilyInet6 {
			v = 6
		}
		c.Errorf(instNode(b), "%s and %s both use VRID %d with IPv%d on interface %s", a.Name, b.Name, a.VRID, v, a.Interface)
	}
	return len(pairs) > 0
}

// checkSyncGroups resolves group members (keepalived's vrrp_sync_set_group).
func checkSyncGroups(c *Ctx, cfg *Config) {
	byName := map[string]*VRRPInstance{}
	for _, v := range cfg.Instances {
		byName[v.Name] = v
	}
	var kept []*SyncGroup
	for _, g := range cfg.SyncGroups {
		at := groupNode(g)
		if !g.hasGroup {
			c.Errorf(at, "Sync group %s has no virtual router(s). removing", g.Name)
			continue
		}
		g.Members = nil
		for _, name := range g.Group {
			v := byName[name]
			switch {
			case v == nil:
				c.Errorf(at, "Virtual router %s specified in sync group %s doesn't exist - ignoring", name, g.Name)
			case v.SyncGroup != "":
				c.Errorf(at, "Virtual router %s cannot exist in more than one sync group; ignoring %s", name, g.Name)
			default:
				v.SyncGroup = g.Name
				g.Members = append(g.Members, name)
			}
		}
		switch len(g.Members) {
		case 0:
			c.Errorf(at, "Sync group %s, no matching virtual router found in group declaration - removing", g.Name)
			continue
		case 1:
			c.ReportHint(at, ClassGeneral, fmt.Sprintf("Sync group %s has only 1 virtual router(s) - this probably isn't what you want", g.Name),
				"a sync group keeps several instances in the same state; one instance needs no group")
		}
		kept = append(kept, g)
	}
	cfg.SyncGroups = kept
}

func vrrpSyncGroupOf(cfg *Config, v *VRRPInstance) *SyncGroup {
	for _, g := range cfg.SyncGroups {
		if g.Name == v.SyncGroup {
			return g
		}
	}
	return nil
}

// completeInstance is keepalived's vrrp_complete_instance for -t: it
// settles the effective values and reports what keepalived reports. It
// returns false where keepalived gives up on the whole configuration.
func completeInstance(c *Ctx, cfg *Config, v *VRRPInstance) bool {
	g := &cfg.Global
	// The node messages point at is made only when there is a message:
	// most instances have none.
	var atNode *Node
	at := func() *Node {
		if atNode == nil {
			atNode = instNode(v)
		}
		return atNode
	}
	errf := func(format string, a ...any) { c.Errorf(at(), format, a...) }

	if !v.Set["strict_mode"] {
		v.StrictMode = g.VRRPStrict
	}
	if v.Family == vrrpFamilyInet6 {
		if v.Version == 2 && v.StrictMode {
			errf("(%s) cannot use IPv6 with VRRP version 2; setting version 3", v.Name)
			v.Version = 3
		} else if v.Version == 0 {
			v.Version = 3
		}
	}
	if v.Version == 0 {
		v.Version = g.VRRPVersion
		if v.Version == 0 {
			v.Version = 2
		}
	}
	if len(v.VIPs) == 0 {
		if v.Version == 3 || v.StrictMode {
			c.ReportHint(at(), ClassGeneral, fmt.Sprintf("(%s) No VIP specified; at least one is required", v.Name), "add a virtual_ipaddress { } block")
			return false
		}
		c.ReportHint(at(), ClassGeneral, fmt.Sprintf("(%s) No VIP specified; at least one is sensible", v.Name), "add a virtual_ipaddress { } block")
	}

	// Priority and initial state derive from each other.
	if v.Priority == 0 {
		if v.State == "MASTER" {
			v.Priority = 255
		} else {
			v.Priority = 100
		}
	}
	owner := v.Priority == 255
	if v.State == "" {
		v.State = map[bool]string{true: "MASTER", false: "BACKUP"}[owner]
	} else if v.StrictMode && (v.State == "MASTER") != owner {
		errf("(%s) State MASTER must match being address owner", v.Name)
		v.State = map[bool]string{true: "MASTER", false: "BACKUP"}[owner]
	}

	// Authentication exists in VRRPv2 only.
	switch {
	case v.Auth.Type == "":
	case v.StrictMode:
		errf("(%s) Strict mode does not support authentication. Ignoring.", v.Name)
		v.Auth.Type = ""
	case v.Version == 3:
		errf("(%s) VRRP version 3 does not support authentication. Ignoring.", v.Name)
		v.Auth.Type = ""
	case v.Auth.Pass == "":
		errf("(%s) Authentication specified but no password given. Ignoring", v.Name)
		v.Auth.Type = ""
	case v.Family == vrrpFamilyInet6 && v.Auth.Type == "AH":
		errf("(%s) Cannot use AH authentication with IPv6. ignoring", v.Name)
		v.Auth.Type = ""
	case v.Auth.Type == "AH" && v.State == "MASTER" && !owner:
		errf("(%s) Initial state master is incompatible with AH authentication - clearing", v.Name)
		v.State = "BACKUP"
	}

	unicast := len(v.UnicastPeers) > 0
	if !unicast && v.Set["unicast_configured"] {
		if v.UnicastFaultNoPeer {
			errf("(%s) Cannot use unicast without any peers - going to fault state", v.Name)
		} else {
			c.ReportHint(at(), ClassGeneral, fmt.Sprintf("(%s) A unicast keyword has been specified without any unicast peers. Defaulting to multicast. This usage is deprecated - please update your configuration.", v.Name),
				"add a unicast_peer { } block or remove the unicast keywords")
		}
	}
	if unicast && v.McastDstIP.IsValid() {
		errf("(%s) multicast destination specified with unicast - ignoring", v.Name)
	}

	// The first IPv6 VIP goes in the advert, so it should be link local.
	if v.Family == vrrpFamilyInet6 && !unicast && len(v.VIPs) > 0 && v.VIPs[0].Prefix.IsValid() &&
		!v.VIPs[0].Prefix.Addr().IsLinkLocalUnicast() {
		if v.StrictMode {
			errf("(%s) the first IPv6 VIP address must be link local", v.Name)
		} else {
			c.Infof(at(), "(%s) the first IPv6 VIP address should be link local", v.Name)
		}
	}

	// An advert holds at most 255 addresses and must fit the MTU (1500
	// assumed); keepalived moves the excess to the eVIPs.
	maxAddr := 255
	if v.Family == vrrpFamilyInet6 {
		maxAddr = (1500 - 14 - 40 - 8) / 16
	}
	if len(v.VIPs) > maxAddr {
		errf("(%s) Number of VIPs (%d) exceeds maximum/space available in packet (max %d addresses) - excess moved to eVIPs", v.Name, len(v.VIPs), maxAddr)
		keep := maxAddr - 1 // keepalived keeps one fewer than it says
		v.EVIPs = append(v.EVIPs, v.VIPs[keep:]...)
		v.VIPs = v.VIPs[:keep]
	}

	if owner && v.NoPreempt {
		errf("(%s) nopreempt is incompatible with priority %d. resetting nopreempt", v.Name, 255)
		v.NoPreempt = false
	}
	if v.State == "MASTER" {
		if v.NoPreempt {
			c.ReportHint(at(), ClassGeneral, fmt.Sprintf("(%s) Warning - nopreempt will not work with initial state MASTER - clearing", v.Name),
				"use 'state BACKUP' on every node with nopreempt")
			v.NoPreempt = false
		}
		if v.PreemptDelayUsec != 0 {
			c.ReportHint(at(), ClassGeneral, fmt.Sprintf("(%s) Warning - preempt delay will not work with initial state MASTER - clearing", v.Name),
				"use 'state BACKUP' with preempt_delay")
			v.PreemptDelayUsec = 0
		}
	}
	if v.PreemptDelayUsec != 0 {
		if v.StrictMode {
			errf("(%s) preempt_delay is incompatible with strict mode - resetting", v.Name)
			v.PreemptDelayUsec = 0
		}
		if v.NoPreempt {
			errf("(%s) preempt_delay is incompatible with nopreempt mode - resetting", v.Name)
			v.PreemptDelayUsec = 0
		}
	}

	// Accept mode: on by default unless strict (address owners always).
	if !v.Set["accept"] {
		v.Accept = owner || !v.StrictMode
	}
	if v.Accept && !owner && v.StrictMode && v.Version == 2 {
		errf("(%s) warning - accept mode for VRRP version 2 does not comply with RFC3768 - resetting", v.Name)
		v.Accept = false
	}
	// keepalived 2.2.7 says it once, without a position: it then uses
	// the default table for every instance.
	if (!v.Accept || v.UseVMAC) && g.NFTables == "" && g.VRRPIPTables == nil && c.FirstDefinition("note", "nftables default") {
		c.Report(nil, ClassInfo, "use_vmac or no_accept/strict specified, but no firewall configured - using nftables")
	}

	// GARP timers and advert behaviour inherited from global_defs.
	if !v.Set["garp_master_delay"] {
		v.GARPMasterDelay = g.VRRPGARPMasterDelay
	}
	if !v.Set["garp_master_repeat"] {
		v.GARPMasterRepeat = g.VRRPGARPMasterRepeat
	}
	if !v.Set["garp_master_refresh"] {
		v.GARPMasterRefresh = g.VRRPGARPMasterRefresh
	}
	if !v.Set["garp_master_refresh_repeat"] {
		v.GARPMasterRefreshRepeat = g.VRRPGARPMasterRefreshRepeat
	}
	globalLowerRep, globalLowerDelay := g.VRRPGARPLowerPrioRepeat, g.VRRPGARPLowerPrioDelay
	if globalLowerRep < 0 {
		globalLowerRep = g.VRRPGARPMasterRepeat
	}
	if globalLowerDelay < 0 {
		globalLowerDelay = g.VRRPGARPMasterDelay
	}
	switch {
	case !v.Set["garp_lower_prio_repeat"]:
		v.GARPLowerPrioRepeat = globalLowerRep
		if v.StrictMode {
			v.GARPLowerPrioRepeat = 0
		}
	case v.StrictMode && v.GARPLowerPrioRepeat != 0:
		errf("(%s) Strict mode requires no repeat garps. resetting", v.Name)
		v.GARPLowerPrioRepeat = 0
	}
	switch {
	case !v.Set["garp_lower_prio_delay"]:
		v.GARPLowerPrioDelay = globalLowerDelay
		if v.StrictMode {
			v.GARPLowerPrioDelay = 0
		}
	case v.StrictMode && v.GARPLowerPrioDelay != 0:
		errf("(%s) Strict mode requires no repeat garp delay. resetting", v.Name)
		v.GARPLowerPrioDelay = 0
	}
	switch {
	case !v.Set["lower_prio_no_advert"]:
		v.LowerPrioNoAdvert = v.StrictMode || (g.VRRPLowerPrioNoAdvert != nil && *g.VRRPLowerPrioNoAdvert)
	case v.StrictMode && !v.LowerPrioNoAdvert:
		errf("(%s) Strict mode requires no lower priority advert. resetting", v.Name)
		v.LowerPrioNoAdvert = true
	}
	switch {
	case !v.Set["higher_prio_send_advert"]:
		v.HigherPrioSendAdvert = !v.StrictMode && g.VRRPHigherPrioSendAdvert != nil && *g.VRRPHigherPrioSendAdvert
	case v.StrictMode && v.HigherPrioSendAdvert:
		errf("(%s) strict mode requires higher_prio_send_advert to be clear. resetting", v.Name)
		v.HigherPrioSendAdvert = false
	}
	if !v.Set["down_timer_adverts"] {
		v.DownTimerAdverts = g.VRRPDownTimerAdverts
	} else if v.StrictMode && v.DownTimerAdverts != 3 {
		errf("(%s) down_timer_adverts is incompatible with strict mode - resetting", v.Name)
		v.DownTimerAdverts = 3
	}
	if !v.Set["skip_check_adv_addr"] {
		v.SkipCheckAdvAddr = g.VRRPSkipCheckAdvAddr
	}
	if !v.Set["check_unicast_src"] && g.VRRPCheckUnicastSrc {
		v.CheckUnicastSrc = true
	}
	if !v.Set["garp_extra_if"] {
		v.GARPExtraIfSec, v.GARPExtraIfAll = g.VRRPGARPExtraIf, g.VRRPGARPExtraIfAll
	}
	if !v.Set["smtp_alert"] {
		switch {
		case g.SMTPAlertVRRP != nil:
			v.SMTPAlert = *g.SMTPAlertVRRP
		case g.SMTPAlert != nil:
			v.SMTPAlert = *g.SMTPAlert
		}
	}
	if !v.Set["notify_priority_changes"] {
		if sg := vrrpSyncGroupOf(cfg, v); sg != nil && sg.NotifyPriorityChanges != nil {
			v.NotifyPriorityChanges = *sg.NotifyPriorityChanges
		} else {
			v.NotifyPriorityChanges = g.VRRPNotifyPriorityChange
		}
	}
	if !v.McastDstIP.IsValid() && !unicast {
		if v.Family == vrrpFamilyInet6 {
			v.McastDstIP = g.VRRPMcastGroup6
		} else {
			v.McastDstIP = g.VRRPMcastGroup4
		}
	}

	// Advert interval: whole seconds below 256 for v2, 10 ms steps below
	// 40.96 s for v3.
	if v.AdvertIntUsec == 0 {
		v.AdvertIntUsec = 1000000
	}
	secs := float64(v.AdvertIntUsec) / 1e6
	if v.Version == 2 {
		if v.AdvertIntUsec >= 256*1000000 {
			errf("(%s) VRRPv2 advertisement interval %.2fs is out of range. Must be less than %ds. Setting to %ds", v.Name, secs, 256, 255)
			v.AdvertIntUsec = 255 * 1000000
		} else if v.AdvertIntUsec%1000000 != 0 {
			c.ReportHint(at(), ClassGeneral, fmt.Sprintf("(%s) VRRPv2 advertisement interval %fs must be an integer. rounding", v.Name, secs),
				"VRRPv2 adverts carry whole seconds; use 'version 3' for sub-second intervals")
			v.AdvertIntUsec = (v.AdvertIntUsec + 500000) / 1000000 * 1000000
			if v.AdvertIntUsec == 0 {
				v.AdvertIntUsec = 1000000
			}
		}
	} else {
		if v.AdvertIntUsec >= 4096*10000 {
			errf("(%s) VRRPv3 advertisement interval %.2fs is out of range. Must be less than %.2fs. Setting to %.2fs", v.Name, secs, 40.96, 40.95)
			v.AdvertIntUsec = 4095 * 10000
		} else if v.AdvertIntUsec%10000 != 0 {
			errf("(%s) VRRPv3 advertisement interval %fs must be in units of 10ms - rounding", v.Name, secs)
			v.AdvertIntUsec = (v.AdvertIntUsec + 5000) / 10000 * 10000
			if v.AdvertIntUsec == 0 {
				v.AdvertIntUsec = 10000
			}
		}
	}

	if !v.Set["src_ip"] {
		v.TrackSrcIP = false
	}

	// VMAC / ipvlan details.
	if v.UseVMAC || v.UseIPVLAN != nil {
		if v.UseVMAC && v.StrictMode && v.VMACXmitBase {
			errf("(%s) xmit_base is incompatible with strict mode - resetting", v.Name)
			v.VMACXmitBase = false
		}
		if v.PromoteSecondaries {
			errf("(%s) promote_secondaries is automatically set for vmacs - ignoring", v.Name)
			v.PromoteSecondaries = false
		}
	}
	if v.UseIPVLAN != nil && v.Family == vrrpFamilyInet && !v.UseIPVLAN.Addr.IsValid() {
		errf("(%s) IPv4 ipvlan requires a source ip address to be configured. setting instance to fault state", v.Name)
	}
	if v.VMACXmitBase && !v.UseVMAC {
		errf("(%s) vmac_xmit_base is only valid with a vmac", v.Name)
		v.VMACXmitBase = false
	}

	// Tracking our own interface is implicit.
	kept := v.TrackInterfaces[:0]
	for _, t := range v.TrackInterfaces {
		if t.Name == v.Interface {
			errf("(%s) Ignoring track_interface %s since own interface", v.Name, t.Name)
			continue
		}
		kept = append(kept, t)
	}
	v.TrackInterfaces = kept

	// In a sync group without sync_group_tracking_weight, and for address
	// owners, keepalived ignores weights: members move together and an
	// owner's priority is fixed.
	sg := vrrpSyncGroupOf(cfg, v)
	noWeight := sg != nil && !sg.TrackingWeight
	if noWeight || owner {
		why, whyScript := "address owner", "address_owner"
		if noWeight {
			why, whyScript = "SYNC group", "SYNC group"
		}
		weightWord := ""
		if noWeight {
			weightWord = "weight "
		}
		ti := v.TrackInterfaces[:0]
		for _, t := range v.TrackInterfaces {
			if t.Weight != 0 {
				errf("(%s) ignoring %s tracked interface %sdue to %s", v.Name, t.Name, weightWord, why)
				if noWeight {
					t.Weight = 0
				} else {
					continue
				}
			}
			ti = append(ti, t)
		}
		v.TrackInterfaces = ti
		ts := v.TrackScripts[:0]
		for _, t := range v.TrackScripts {
			if t.Weight != 0 {
				errf("(%s) ignoring tracked script %s with weights due to %s", v.Name, t.Name, whyScript)
				continue
			}
			ts = append(ts, t)
		}
		v.TrackScripts = ts
		tf := v.TrackFiles[:0]
		for _, t := range v.TrackFiles {
			switch t.Weight {
			case 0:
			case 1: // the default weight
				errf("(%s) ignoring weight from tracked file %s due to %s. specify weight 0", v.Name, t.Name, whyScript)
				t.Weight = 0
			default:
				errf("(%s) ignoring tracked file %s with weight %d due to %s", v.Name, t.Name, t.Weight, whyScript)
				continue
			}
			tf = append(tf, t)
		}
		v.TrackFiles = tf
		tb := v.TrackBFDs[:0]
		for _, t := range v.TrackBFDs {
			if t.Weight != 0 {
				errf("(%s) ignoring tracked bfd %s with weight %d due to %s", v.Name, t.Name, t.Weight, whyScript)
				continue
			}
			tb = append(tb, t)
		}
		v.TrackBFDs = tb
	}
	return true
}

// syncGroupTracking is keepalived's sync_group_tracking_init: weights of a
// group's tracked objects are cleared when a member is an address owner.
func syncGroupTracking(c *Ctx, cfg *Config) {
	byName := map[string]*VRRPInstance{}
	for _, v := range cfg.Instances {
		byName[v.Name] = v
	}
	for _, g := range cfg.SyncGroups {
		owner := false
		for _, m := range g.Members {
			if v := byName[m]; v != nil && v.Priority == 255 {
				owner = true
			}
		}
		if !owner {
			continue
		}
		at := groupNode(g)
		// keepalived's wording differs for scripts and interfaces.
		for _, l := range []struct {
			what, action string
			list         []*Tracked
		}{
			{"script", "clearing weight", g.TrackScripts},
			{"file", "setting weight 0", g.TrackFiles},
			{"process", "setting weight 0", g.TrackProcesses},
			{"bfd", "setting weight 0", g.TrackBFDs},
		} {
			for _, t := range l.list {
				if t.Weight != 0 {
					c.Errorf(at, "(%s) Cannot have weighted track %s '%s' with member having priority %d - %s", g.Name, l.what, t.Name, 255, l.action)
					t.Weight = 0
				}
			}
		}
		for _, t := range g.TrackInterfaces {
			if t.Weight != 0 {
				c.Errorf(at, "(%s) Cannot have weighted track interface '%s' with member having priority %d - clearing weight", g.Name, t.Name, 255)
				t.Weight = 0
			}
		}
	}
}

// ---- script security ----

// Script flags, as keepalived's check_script_secure returns them.
const (
	scIsScript = 1 << iota
	scInhibit
	scNotFound
	scExecutable
	scSystem
	scInsecure
)

// defaultPath is where keepalived looks for commands given without a
// slash (it runs with the environment of its start, usually systemd's).
const defaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

// checkScriptSecurity mirrors keepalived's check_vrrp_script_security:
// every script that exists makes -t fail with the security error unless
// enable_script_security is set; vrrp_scripts that cannot be run are
// disabled (with keepalived's error) and dropped from tracking.
func checkScriptSecurity(c *Ctx, cfg *Config) {
	g := &cfg.Global
	flags := 0
	for _, s := range cfg.VRRPScripts {
		uid := scriptUID(c, s.User, s.Group)
		f := scriptSecure(c, s.Argv, uid, g.EnableScriptSecurity)
		flags |= f
		at := &Node{Pos: s.Pos, Tokens: []Token{{Text: "vrrp_script"}, {Text: s.Name}}}
		switch {
		case f&scInhibit != 0:
			c.Errorf(at, "Disabling track script %s due to insecure", s.Name)
			s.Insecure = true
		case f&scNotFound != 0:
			c.ReportHint(at, ClassGeneral, fmt.Sprintf("Disabling track script %s since not found/accessible", s.Name),
				fmt.Sprintf("%s must exist and be executable", vrrpFirst(s.Argv)))
			s.Insecure = true
		case f&(scExecutable|scSystem) == 0:
			s.Insecure = true
		}
	}
	insecure := map[string]bool{}
	for _, s := range cfg.VRRPScripts {
		if s.Insecure {
			insecure[s.Name] = true
		}
	}
	dropInsecure := func(l []*Tracked) []*Tracked {
		out := l[:0]
		for _, t := range l {
			if !insecure[t.Name] {
				out = append(out, t)
			}
		}
		return out
	}
	check := func(p **NotifyScript) {
		if *p == nil {
			return
		}
		s := *p
		f := scriptSecure(c, s.Argv, scriptUID(c, s.User, s.Group), g.EnableScriptSecurity)
		flags |= f
		if f&(scInhibit|scNotFound) != 0 || f&scExecutable == 0 {
			*p = nil // keepalived will not run it
		}
	}
	notify := func(ns *Notifies, extra ...**NotifyScript) {
		for _, p := range [...]**NotifyScript{&ns.NotifyBackup, &ns.NotifyMaster, &ns.NotifyFault, &ns.NotifyStop, &ns.Notify} {
			check(p)
		}
		for _, p := range extra {
			check(p)
		}
	}
	for _, v := range cfg.Instances {
		notify(&v.Notifies, &v.NotifyDeletedScript, &v.NotifyMasterRxLowerPri)
		v.TrackScripts = dropInsecure(v.TrackScripts)
	}
	for _, sg := range cfg.SyncGroups {
		notify(&sg.Notifies)
		sg.TrackScripts = dropInsecure(sg.TrackScripts)
	}
	for _, fifo := range []*NotifyFIFO{&g.NotifyFIFO, &g.VRRPNotifyFIFO} {
		if len(fifo.Script) > 0 {
			flags |= scriptSecure(c, fifo.Script, scriptUID(c, fifo.ScriptUser, fifo.ScriptGroup), g.EnableScriptSecurity)
		}
	}
	if !g.EnableScriptSecurity && flags&scIsScript != 0 {
		extra := ""
		if flags&scInsecure != 0 {
			extra = " There are insecure scripts."
		}
		c.add(Diagnostic{Class: ClassSecurity,
			Msg:  "SECURITY VIOLATION - scripts are being executed but script_security not enabled." + extra,
			Hint: "add 'enable_script_security' to global_defs (and 'script_user' if the scripts must not run as root)"})
	}
}

func vrrpFirst(argv []string) string {
	if len(argv) == 0 {
		return "the script"
	}
	return argv[0]
}

// scriptSecure is keepalived's check_script_secure, on the Host.
func scriptSecure(c *Ctx, argv []string, uid int, security bool) int {
	if len(argv) == 0 {
		return 0
	}
	cmd := argv[0]
	// "</path" only tests whether a file can be opened: nothing runs.
	if strings.HasPrefix(cmd, "<") && strings.HasPrefix(strings.TrimLeft(cmd[1:], " \t"), "/") {
		return scSystem
	}
	h := c.host()
	if !strings.Contains(cmd, "/") {
		found := ""
		for _, dir := range strings.Split(defaultPath, ":") {
			p := path.Join(dir, cmd)
			if fi, err := h.Stat(p); err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0 {
				found = p
				break
			}
		}
		if found == "" {
			return scNotFound
		}
		cmd = found
	}
	fi, err := h.Stat(cmd)
	if err != nil {
		return scNotFound
	}
	flags := scIsScript
	needProtection := false
	if fi.Mode()&0o111 != 0 {
		flags |= scExecutable
		owner, _ := fileOwner(fi)
		if uid == 0 || (owner == 0 && fi.Mode()&os.ModeSetuid != 0) {
			needProtection = true
		}
	} else {
		c.Infof(nil, "WARNING - script '%s' is not executable for uid:gid %d:%d - disabling.", cmd, uid, uid)
	}
	if !needProtection {
		return flags
	}
	// Every component of the path must be root's and not writable by
	// others (directories with the sticky bit excepted).
	p := cmd
	for {
		fi, err := h.Stat(p)
		if err != nil {
			return flags | scNotFound
		}
		owner, gid := fileOwner(fi)
		m := fi.Mode()
		writable := (gid != 0 && m&0o020 != 0) || m&0o002 != 0
		if owner != 0 || (writable && (!m.IsDir() || m&os.ModeSticky == 0)) {
			suffix := ""
			if security {
				suffix = " - disabling"
			}
			c.Infof(nil, "Unsafe permissions found for script '%s'%s.", cmd, suffix)
			flags |= scInsecure
			if security {
				flags |= scInhibit
			}
			return flags
		}
		if p == "/" || p == "." || p == "" {
			break
		}
		p = path.Dir(p)
	}
	return flags
}

// fileOwner returns the uid and gid of a file (0, 0 when the file
// information carries none, as for fakes without them).
func fileOwner(fi os.FileInfo) (uid, gid int) {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return int(st.Uid), int(st.Gid)
	}
	return 0, 0
}
