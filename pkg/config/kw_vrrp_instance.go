package config

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"
)

// vrrp_instance: every keyword keepalived 2.2.7 accepts in the block
// (vrrp_parser.c init_vrrp_keywords), with its ranges, defaults and
// messages. Keywords that only newer keepalived knows (no_virtual_ipaddress,
// v3_checksum_as_v2, timer_expired_backup) stay unknown, since 2.2.7
// rejects them and -t verdicts must match.

func init() {
	registerTop("vrrp_instance", Entry[Config]{Block: true, H: vrrpInstanceBlock})
}

const (
	vrrpFamilyInet  = "inet"
	vrrpFamilyInet6 = "inet6"
)

func vrrpAddrFamily(a netip.Addr) string {
	if a.Is4() || a.Is4In6() {
		return vrrpFamilyInet
	}
	return vrrpFamilyInet6
}

// vrrpTimerMaxSec is keepalived's TIMER_MAX_SEC, the preempt_delay limit.
const vrrpTimerMaxSec = 1000

func vrrpInstanceBlock(c *Ctx, n *Node, cfg *Config) {
	if n.NArgs() != 1 {
		c.Errorf(n, "vrrp_instance must have a name")
		return
	}
	name := n.Arg(0)
	if !c.FirstDefinition("vrrp_instance", name) {
		c.Errorf(n, "vrrp instance %s already defined", name)
		return
	}
	v := newVRRPInstance(n.Pos, name)
	Apply(c, n.Block, vrrpInstanceTable, v)
	vrrpInstanceEnd(c, n, v)
	cfg.Instances = append(cfg.Instances, v)
}

// newVRRPInstance returns an instance holding keepalived's parse-time
// defaults (alloc_vrrp). Settings inherited from global_defs are filled in
// by the check unless Set says the block gave them.
func newVRRPInstance(pos Pos, name string) *VRRPInstance {
	return &VRRPInstance{
		Pos:              pos,
		Name:             name,
		UnicastTTL:       -1,
		GARPExtraIfSec:   -1,
		DownTimerAdverts: 3,
		Set:              map[string]bool{},
	}
}

// vrrpInstanceEnd mirrors keepalived's end-of-block handler.
func vrrpInstanceEnd(c *Ctx, n *Node, v *VRRPInstance) {
	unicast := len(v.UnicastPeers) > 0 || v.Set["unicast_configured"]
	if unicast && (v.UseVMAC || v.UseIPVLAN != nil) && len(v.UnicastPeers) > 0 {
		if v.Interface == "" {
			c.Errorf(blockEnd(n), "(%s): Cannot use VMAC/ipvlan with unicast and no interface - clearing use_vmac", v.Name)
			v.UseVMAC, v.UseIPVLAN, v.VMACName = false, nil, ""
		} else if !v.VMACXmitBase {
			c.Errorf(blockEnd(n), "(%s) unicast with use_vmac requires vmac_xmit_base - setting", v.Name)
			v.VMACXmitBase = true
		}
	}
	if len(v.UnicastPeers) == 0 && v.UnicastTTL != -1 {
		c.Errorf(blockEnd(n), "(%s): Cannot use unicast_ttl without unicast peers - resetting", v.Name)
		v.UnicastTTL = 0
	}
	if v.Interface == "" {
		v.LinkbeatUsePolling = false
	}
}

// setFamily records the address family the instance's addresses imply.
func (v *VRRPInstance) setFamily(f string) bool {
	if v.Family == "" {
		v.Family = f
		return true
	}
	return v.Family == f
}

// vrrpInstFlag is a keyword with an optional true/false word; bad words give
// keepalived's "(NAME) invalid KEYWORD WORD specified".
func vrrpInstFlag(f func(*VRRPInstance) *bool) Entry[VRRPInstance] {
	return Entry[VRRPInstance]{H: func(c *Ctx, n *Node, v *VRRPInstance) {
		val, ok := c.OptBool(n, func(w string) string { return fmt.Sprintf("(%s) invalid %s %s specified", v.Name, n.Keyword(), w) })
		if !ok {
			return
		}
		*f(v) = val
		v.Set[n.Keyword()] = true
	}}
}

// vrrpInstNotify is one of the notify_* keywords: a second one is ignored.
func vrrpInstNotify(f func(*VRRPInstance) **NotifyScript) Entry[VRRPInstance] {
	return Entry[VRRPInstance]{H: func(c *Ctx, n *Node, v *VRRPInstance) {
		dst := f(v)
		if *dst != nil {
			c.Errorf(n, "(%s) %s script already specified - ignoring %s", v.Name, n.Keyword(), n.Arg(0))
			return
		}
		*dst = vrrpNotifyScript(c, n, "notify")
	}}
}

// vrrpInstUint reads an unsigned setting (read_unsigned_strvec); bad values
// give msg (with the instance name and the word) and leave the setting
// alone.
func vrrpInstUint(min, max uint64, msg string, set func(v *VRRPInstance, x int64)) Entry[VRRPInstance] {
	return Entry[VRRPInstance]{H: func(c *Ctx, n *Node, v *VRRPInstance) {
		x, ok := c.UintArg(n, 0, min, max)
		if !ok {
			if n.NArgs() > 0 {
				c.Errorf(n, msg, v.Name, n.Arg(0))
			}
			return
		}
		set(v, int64(x))
		v.Set[n.Keyword()] = true
	}}
}

// vrrpInstRepeat is garp_master_repeat / garp_master_refresh_repeat: 0 is
// accepted for old configurations and bumped to 1.
func vrrpInstRepeat(set func(v *VRRPInstance, x int)) Entry[VRRPInstance] {
	return Entry[VRRPInstance]{H: func(c *Ctx, n *Node, v *VRRPInstance) {
		kw := n.Keyword()
		x, ok := c.UintArg(n, 0, 0, uintMax32)
		if !ok {
			if n.NArgs() > 0 {
				c.Errorf(n, "(%s): %s '%s' invalid - ignoring", v.Name, kw, n.Arg(0))
			}
			return
		}
		if x == 0 {
			c.Errorf(n, "(%s): %s must be greater than 0, setting to 1", v.Name, kw)
			x = 1
		}
		set(v, int(x))
		v.Set[kw] = true
	}}
}

var vrrpInstanceTable = NewTable("vrrp_instance", map[string]Entry[VRRPInstance]{
	"use_vmac":       {H: vrrpInstUseVMAC},
	"use_vmac_addr":  {H: func(c *Ctx, n *Node, v *VRRPInstance) { v.UseVMACAddr = true }},
	"vmac_xmit_base": {H: func(c *Ctx, n *Node, v *VRRPInstance) { v.VMACXmitBase = true; v.Set["vmac_xmit_base"] = true }},
	"use_ipvlan":     {H: vrrpInstUseIPVLAN},
	"unicast_peer":   {Block: true, H: vrrpInstUnicastPeers},
	"unicast_fault_no_peer": {H: func(c *Ctx, n *Node, v *VRRPInstance) {
		v.UnicastFaultNoPeer = true
		v.Set["unicast_configured"] = true
	}},
	"check_unicast_src": {H: func(c *Ctx, n *Node, v *VRRPInstance) {
		v.CheckUnicastSrc = true
		v.Set["unicast_configured"] = true
		v.Set["check_unicast_src"] = true
	}},
	"old_unicast_checksum": {H: func(c *Ctx, n *Node, v *VRRPInstance) {
		v.Set["unicast_configured"] = true
		if n.NArgs() >= 1 {
			if n.Arg(0) == "never" {
				v.OldUnicastChecksum = "never"
			} else {
				c.Errorf(n, "(%s) Unknown old_unicast_chksum mode %s - ignoring", v.Name, n.Arg(0))
			}
			return
		}
		v.OldUnicastChecksum = "config"
	}},
	"native_ipv6": {H: func(c *Ctx, n *Node, v *VRRPInstance) {
		if v.Family == vrrpFamilyInet {
			c.Errorf(n, "(%s) Cannot specify native_ipv6 with IPv4 addresses", v.Name)
			return
		}
		v.Family, v.Version, v.NativeIPv6 = vrrpFamilyInet6, 3, true
	}},
	"state": {H: func(c *Ctx, n *Node, v *VRRPInstance) {
		if !c.NeedArgs(n, 1) {
			return
		}
		switch s := n.Arg(0); s {
		case "MASTER":
			v.State = "MASTER"
		case "BACKUP":
			if v.State == "MASTER" {
				c.Errorf(n, "(%s) state previously set as MASTER - ignoring BACKUP", v.Name)
				return
			}
			v.State = "BACKUP"
		default:
			c.ReportHint(n, ClassGeneral, fmt.Sprintf("(%s) unknown state '%s', defaulting to BACKUP", v.Name, s), "write 'state MASTER' or 'state BACKUP'")
			v.State = "BACKUP"
		}
	}},
	"interface":          {H: vrrpInstInterface},
	"vrf":                {H: vrrpInstVRF},
	"dont_track_primary": {H: func(c *Ctx, n *Node, v *VRRPInstance) { v.DontTrackPrimary = true }},
	"track_interface":    {Block: true, H: vrrpInstTracking},
	"track_script":       {Block: true, H: vrrpInstTracking},
	"track_file":         {Block: true, H: vrrpInstTracking},
	"track_process":      {Block: true, H: vrrpInstTracking},
	"track_bfd":          {Block: true, H: vrrpInstTracking},
	"mcast_src_ip":       {H: vrrpInstSrcIP},
	"unicast_src_ip": {H: func(c *Ctx, n *Node, v *VRRPInstance) {
		v.Set["unicast_configured"] = true
		vrrpInstSrcIP(c, n, v)
	}},
	"mcast_dst_ip": {H: vrrpInstMcastDst},
	"track_src_ip": {H: func(c *Ctx, n *Node, v *VRRPInstance) { v.TrackSrcIP = true }},
	"virtual_router_id": vrrpInstUint(1, 255, "(%s): VRID '%s' not valid - must be between 1 & 255",
		func(v *VRRPInstance, x int64) { v.VRID = int(x) }),
	"unicast_ttl": vrrpInstUint(0, 255, "(%s): TTL '%s' not valid - must be between 0 & 255",
		func(v *VRRPInstance, x int64) { v.UnicastTTL = int(x) }),
	"version": {H: func(c *Ctx, n *Node, v *VRRPInstance) {
		x, ok := c.IntArg(n, 0, 2, 3)
		if !ok {
			if n.NArgs() > 0 {
				c.Errorf(n, "(%s): Version must be either 2 or 3", v.Name)
			}
			return
		}
		if (v.Version != 0 && v.Version != int(x)) || (x == 2 && v.Family == vrrpFamilyInet6) {
			c.Errorf(n, "(%s) vrrp_version %d conflicts with configured or deduced version %d; ignoring.", v.Name, x, v.Version)
			return
		}
		v.Version = int(x)
		v.Set["version"] = true
	}},
	"priority": {H: func(c *Ctx, n *Node, v *VRRPInstance) {
		x, ok := c.UintArg(n, 0, 1, 255)
		if !ok {
			if n.NArgs() == 0 {
				return
			}
			c.Errorf(n, "(%s) Priority not valid! must be between 1 & %d. Using default %d", v.Name, 255, 100)
			x = 100
		}
		v.Priority = int(x)
		v.Set["priority"] = true
	}},
	"advert_int": {H: func(c *Ctx, n *Node, v *VRRPInstance) {
		x, ok := c.DecimalArg(n, 0, 6, 10000, 255*1000000, true)
		if !ok {
			if n.NArgs() > 0 {
				c.Errorf(n, "(%s) Advert interval (%s) not valid! Must be > 0 - ignoring", v.Name, n.Arg(0))
			}
			return
		}
		v.AdvertIntUsec = int64(x)
		v.Set["advert_int"] = true
	}},
	"virtual_ipaddress":          {Block: true, H: vrrpInstVIPs},
	"virtual_ipaddress_excluded": {Block: true, H: vrrpInstVIPs},
	"promote_secondaries":        {H: func(c *Ctx, n *Node, v *VRRPInstance) { v.PromoteSecondaries = true }},
	"linkbeat_use_polling": {H: func(c *Ctx, n *Node, v *VRRPInstance) {
		v.LinkbeatUsePolling = true
		c.ReportHint(n, ClassGeneral, fmt.Sprintf("(%s) 'linkbeat_use_polling' in vrrp instance deprecated - use linkbeat_interfaces block", v.Name),
			"list the interface in a top-level linkbeat_interfaces { } block")
	}},
	"virtual_routes": {Block: true, H: func(c *Ctx, n *Node, v *VRRPInstance) {
		for _, ln := range n.Block {
			if r := ParseRouteLine(c, ln); r != nil {
				v.Routes = append(v.Routes, r)
			}
		}
	}},
	"virtual_rules": {Block: true, H: func(c *Ctx, n *Node, v *VRRPInstance) {
		for _, ln := range n.Block {
			if r := ParseRuleLine(c, ln); r != nil {
				v.Rules = append(v.Rules, r)
			}
		}
	}},
	"accept":                  {H: func(c *Ctx, n *Node, v *VRRPInstance) { v.Accept = true; v.Set["accept"] = true }},
	"no_accept":               {H: func(c *Ctx, n *Node, v *VRRPInstance) { v.Accept = false; v.Set["accept"] = true }},
	"skip_check_adv_addr":     vrrpInstFlag(func(v *VRRPInstance) *bool { return &v.SkipCheckAdvAddr }),
	"strict_mode":             vrrpInstFlag(func(v *VRRPInstance) *bool { return &v.StrictMode }),
	"lower_prio_no_advert":    vrrpInstFlag(func(v *VRRPInstance) *bool { return &v.LowerPrioNoAdvert }),
	"higher_prio_send_advert": vrrpInstFlag(func(v *VRRPInstance) *bool { return &v.HigherPrioSendAdvert }),
	"preempt":                 {H: func(c *Ctx, n *Node, v *VRRPInstance) { v.NoPreempt = false }},
	"nopreempt":               {H: func(c *Ctx, n *Node, v *VRRPInstance) { v.NoPreempt = true }},
	"preempt_delay": {H: func(c *Ctx, n *Node, v *VRRPInstance) {
		x, ok := c.DecimalArg(n, 0, 6, 0, vrrpTimerMaxSec*1000000, true)
		if !ok {
			if n.NArgs() > 0 {
				c.Errorf(n, "(%s) Preempt_delay not valid! must be between 0-%d", v.Name, vrrpTimerMaxSec)
				v.PreemptDelayUsec = 0
			}
			return
		}
		v.PreemptDelayUsec = int64(x)
	}},
	"debug": vrrpInstUint(0, 4, "(%s) Debug value '%s' not valid; must be between 0-4",
		func(v *VRRPInstance, x int64) { v.Debug = int(x) }),
	"notify_backup": vrrpInstNotify(func(v *VRRPInstance) **NotifyScript { return &v.NotifyBackup }),
	"notify_master": vrrpInstNotify(func(v *VRRPInstance) **NotifyScript { return &v.NotifyMaster }),
	"notify_fault":  vrrpInstNotify(func(v *VRRPInstance) **NotifyScript { return &v.NotifyFault }),
	"notify_stop":   vrrpInstNotify(func(v *VRRPInstance) **NotifyScript { return &v.NotifyStop }),
	"notify_deleted": {H: func(c *Ctx, n *Node, v *VRRPInstance) {
		if v.NotifyDeleted {
			c.Errorf(n, "(%s) notify_deleted already specified - ignoring %s", v.Name, n.Arg(0))
			return
		}
		if n.NArgs() > 0 {
			v.NotifyDeletedScript = vrrpNotifyScript(c, n, "notify")
		}
		v.NotifyDeleted = true
	}},
	"notify": {H: func(c *Ctx, n *Node, v *VRRPInstance) {
		if v.Notify != nil {
			c.Errorf(n, "(%s) notify script already specified - ignoring %s", v.Name, n.Arg(0))
			return
		}
		v.Notify = vrrpNotifyScript(c, n, "notify")
	}},
	"notify_master_rx_lower_pri": vrrpInstNotify(func(v *VRRPInstance) **NotifyScript { return &v.NotifyMasterRxLowerPri }),
	"smtp_alert": {H: func(c *Ctx, n *Node, v *VRRPInstance) {
		val, ok := c.OptBool(n, func(w string) string { return "Invalid vrrp_instance smtp_alert parameter " + w })
		if !ok {
			return
		}
		v.SMTPAlert = val
		v.Set["smtp_alert"] = true
	}},
	"notify_priority_changes": {H: func(c *Ctx, n *Node, v *VRRPInstance) {
		val, ok := c.OptBool(n, func(w string) string {
			return fmt.Sprintf("(%s) Invalid value '%s' for notify_priority_changes specified", v.Name, w)
		})
		if !ok {
			return
		}
		v.NotifyPriorityChanges = val
		v.Set["notify_priority_changes"] = true
	}},
	"lvs_sync_daemon_interface": {H: func(c *Ctx, n *Node, v *VRRPInstance) {
		// Deprecated since 1.2.19; keepalived counts both lines as errors.
		c.ReportHint(n, ClassGeneral, fmt.Sprintf("(%s) Specifying lvs_sync_daemon_interface against a vrrp is deprecated.", v.Name),
			fmt.Sprintf("write 'lvs_sync_daemon %s %s' in global_defs", n.Arg(0), v.Name))
		pad := len(v.Name) - 2
		if pad < 0 {
			pad = 0
		}
		c.Errorf(n, "      %sPlease use global lvs_sync_daemon", strings.Repeat(" ", pad))
		if g := c.Cfg.Global.LVSSyncDaemon; g != nil && g.Interface != "" {
			c.Errorf(n, "(%s) lvs_sync_daemon_interface has already been specified as %s - ignoring", v.Name, g.Interface)
			return
		}
		for _, o := range c.Cfg.Instances {
			if o.LVSSyncDaemonInterface != "" {
				c.Errorf(n, "(%s) lvs_sync_daemon_interface has already been specified as %s - ignoring", v.Name, o.LVSSyncDaemonInterface)
				return
			}
		}
		if c.NeedArgs(n, 1) {
			v.LVSSyncDaemonInterface = n.Arg(0)
		}
	}},
	"garp_master_delay": vrrpInstUint(0, 4294, "(%s): garp_master_delay '%s' invalid - ignoring",
		func(v *VRRPInstance, x int64) { v.GARPMasterDelay = int(x) }),
	"garp_master_refresh": {H: func(c *Ctx, n *Node, v *VRRPInstance) {
		x, ok := c.UintArg(n, 0, 0, uintMax32)
		if !ok {
			if n.NArgs() == 0 {
				return
			}
			c.Errorf(n, "(%s): Invalid garp_master_refresh '%s' - ignoring", v.Name, n.Arg(0))
			x = 0
		}
		v.GARPMasterRefresh = int(x)
		v.Set["garp_master_refresh"] = true
	}},
	"garp_master_repeat":         vrrpInstRepeat(func(v *VRRPInstance, x int) { v.GARPMasterRepeat = x }),
	"garp_master_refresh_repeat": vrrpInstRepeat(func(v *VRRPInstance, x int) { v.GARPMasterRefreshRepeat = x }),
	"garp_lower_prio_delay": vrrpInstUint(0, 4294, "(%s): garp_lower_prio_delay '%s' invalid - ignoring",
		func(v *VRRPInstance, x int64) { v.GARPLowerPrioDelay = int(x) }),
	"garp_lower_prio_repeat": vrrpInstUint(0, 2147483647, "(%s): Invalid garp_lower_prio_repeat '%s'",
		func(v *VRRPInstance, x int64) { v.GARPLowerPrioRepeat = int(x) }),
	"down_timer_adverts": vrrpInstUint(1, 100, "(%s): Invalid down_timer_adverts [1:100] '%s'",
		func(v *VRRPInstance, x int64) { v.DownTimerAdverts = int(x) }),
	"garp_extra_if": {H: vrrpInstGARPExtraIf},
	// Misspelt keyword from 2.2.2; 2.2.7 still reads it but counts the
	// deprecation as a configuration error.
	"vmac_garp_intvl": {H: func(c *Ctx, n *Node, v *VRRPInstance) {
		c.ReportHint(n, ClassGeneral, `Keyword "vmac_garp_intvl" is deprecated - please use "garp_extra_if"`, "use 'garp_extra_if'")
		vrrpInstGARPExtraIf(c, n, v)
	}},
	"kernel_rx_buf_size": {H: func(c *Ctx, n *Node, v *VRRPInstance) {
		if n.NArgs() == 1 {
			if x, ok := c.UintArg(n, 0, 0, uintMax32); ok {
				v.KernelRxBufSize = int64(x)
				return
			}
		}
		c.Errorf(n, "(%s) invalid kernel_rx_buf_size specified", v.Name)
	}},
	"authentication": {Block: true, H: func(c *Ctx, n *Node, v *VRRPInstance) {
		Apply(c, n.Block, vrrpAuthTable, v)
	}},
})

var vrrpAuthTable = NewTable("authentication", map[string]Entry[VRRPInstance]{
	"auth_type": {H: func(c *Ctx, n *Node, v *VRRPInstance) {
		if !c.NeedArgs(n, 1) {
			return
		}
		switch t := n.Arg(0); t {
		case "AH", "PASS":
			v.Auth.Type = t
		default:
			c.ReportHint(n, ClassGeneral, fmt.Sprintf("(%s) unknown authentication type '%s'", v.Name, t), "use 'PASS' or 'AH'")
		}
	}},
	"auth_pass": {H: func(c *Ctx, n *Node, v *VRRPInstance) {
		if !c.NeedArgs(n, 1) {
			return
		}
		p := n.Arg(0)
		if len(p) > 8 {
			// The VRRPv2 authentication field holds 8 bytes.
			c.ReportHint(n, ClassGeneral, "Truncating auth_pass to 8 characters", fmt.Sprintf("only '%s' is used", p[:8]))
			p = p[:8]
		}
		v.Auth.Pass = p
	}},
})

func vrrpInstTracking(c *Ctx, n *Node, v *VRRPInstance) {
	vrrpParseTracking(c, n, v.Name, &v.Tracking, &v.missingIfs)
}

func vrrpInstInterface(c *Ctx, n *Node, v *VRRPInstance) {
	if !c.NeedArgs(n, 1) {
		return
	}
	name := n.Arg(0)
	if len(name) >= 16 {
		c.Errorf(n, "Interface name '%s' too long - ignoring", name)
		return
	}
	v.Interface = name
	v.ifaceMissing, v.loopback = false, false
	switch {
	case !vrrpIfaceExists(c, name):
		c.Errorf(n, "WARNING - interface %s for vrrp_instance %s doesn't exist", name, v.Name)
		v.ifaceMissing = true
	case vrrpIsLoopback(name):
		c.Errorf(n, "(%s) cannot use a loopback interface (%s) for vrrp - ignoring", v.Name, name)
		v.Interface, v.loopback = "", true
	}
}

// vrrpIsLoopback tells whether an interface is the loopback. The Host interface
// does not report link types, so this goes by the kernel's name for it.
func vrrpIsLoopback(name string) bool { return name == "lo" }

func vrrpInstVRF(c *Ctx, n *Node, v *VRRPInstance) {
	if !c.NeedArgs(n, 1) {
		return
	}
	name := n.Arg(0)
	switch {
	case len(name) >= 16:
		c.Errorf(n, "(%s) VRF interface name '%s' too long - ignoring", v.Name, name)
	case v.Interface != "":
		c.Errorf(n, "(%s) Cannot specify VRF interface and interface - ignoring", v.Name)
	case v.VRF != "":
		c.Errorf(n, "(%s) VRF interface already specified as '%s' - ignoring", v.Name, v.VRF)
	case !vrrpIfaceExists(c, name):
		c.Errorf(n, "(%s) WARNING - VRF interface %s doesn't exist", v.Name, name)
		v.ifaceMissing = true
	case vrrpIsLoopback(name):
		c.Errorf(n, "(%s) cannot use a loopback interface (%s) for VRF - ignoring", v.Name, name)
	default:
		v.VRF = name
	}
}

func vrrpInstSrcIP(c *Ctx, n *Node, v *VRRPInstance) {
	if !c.NeedArgs(n, 1) {
		return
	}
	a, err := netip.ParseAddr(n.Arg(0))
	if err != nil {
		c.Errorf(n, "Configuration error: VRRP instance[%s] malformed src address[%s]. Skipping...", v.Name, n.Arg(0))
		return
	}
	if !v.setFamily(vrrpAddrFamily(a)) {
		c.Errorf(n, "Configuration error: VRRP instance[%s] and src address[%s] MUST be of the same family !!! Skipping...", v.Name, n.Arg(0))
		v.SrcIP = netip.Addr{}
		delete(v.Set, "src_ip")
		return
	}
	v.SrcIP = a
	v.Set["src_ip"] = true
}

func vrrpInstMcastDst(c *Ctx, n *Node, v *VRRPInstance) {
	if !c.NeedArgs(n, 1) {
		return
	}
	a, err := netip.ParseAddr(n.Arg(0))
	if err != nil {
		c.Errorf(n, "(%s) malformed mcast dest address %s. Skipping...", v.Name, n.Arg(0))
		return
	}
	if !v.setFamily(vrrpAddrFamily(a)) {
		c.Errorf(n, "(%s) mcast dest address %s MUST match VRRP instance family. Skipping...", v.Name, n.Arg(0))
		return
	}
	if a.Is4() && !a.IsMulticast() {
		c.Errorf(n, "(%s) mcast_dst_ip %s not multicast. Skipping...", v.Name, n.Arg(0))
		return
	}
	if a.Is6() && !a.IsLinkLocalMulticast() {
		c.Errorf(n, "(%s) mcast_dst_ip %s not link-local multicast. Skipping...", v.Name, n.Arg(0))
		return
	}
	v.McastDstIP = a
}

func vrrpInstUnicastPeers(c *Ctx, n *Node, v *VRRPInstance) {
	v.Set["unicast_configured"] = true
	for _, ln := range n.Block {
		a, err := netip.ParseAddr(ln.Keyword())
		if err != nil {
			c.Errorf(ln, "Configuration error: VRRP instance[%s] malformed unicast peer address[%s]. Skipping...", v.Name, ln.Keyword())
			continue
		}
		if !v.setFamily(vrrpAddrFamily(a)) {
			c.Errorf(ln, "Configuration error: VRRP instance[%s] and unicast peer address[%s] MUST be of the same family !!! Skipping...", v.Name, ln.Keyword())
			continue
		}
		p := &UnicastPeer{Pos: ln.Pos, Addr: a, MinTTL: 0, MaxTTL: 255}
		args := ln.Args()
		for i := 0; i < len(args); i += 2 {
			if i+1 >= len(args) {
				c.Errorf(ln, "(%s) %s is missing a value", v.Name, args[i])
				break
			}
			ttl, ok := c.ReadUnsigned(ln, args[i+1], 0, 255)
			if !ok {
				// keepalived reports the number and skips the option.
				continue
			}
			if args[i] == "min_ttl" {
				p.MinTTL = int(ttl)
			} else if args[i] == "max_ttl" {
				p.MaxTTL = int(ttl)
			} else {
				c.Errorf(ln, "(%s) unknown unicast_peer option %s", v.Name, args[i])
				break
			}
			// A TTL range only makes sense when the source is checked.
			v.CheckUnicastSrc = true
		}
		if p.MinTTL > p.MaxTTL {
			c.Errorf(ln, "(%s) min_ttl %d > max_ttl %d - all packets will be discarded", v.Name, p.MinTTL, p.MaxTTL)
		}
		v.UnicastPeers = append(v.UnicastPeers, p)
	}
}

// vrrpInstVIPs reads virtual_ipaddress and virtual_ipaddress_excluded. The
// first VIP fixes the instance's address family; eVIPs may mix families.
func vrrpInstVIPs(c *Ctx, n *Node, v *VRRPInstance) {
	excluded := n.Keyword() == "virtual_ipaddress_excluded"
	for _, ln := range n.Block {
		a := ParseAddressLine(c, ln)
		if a == nil {
			continue
		}
		if excluded {
			v.EVIPs = append(v.EVIPs, a)
			continue
		}
		if a.Prefix.IsValid() && !v.setFamily(vrrpAddrFamily(a.Prefix.Addr())) {
			c.Errorf(ln, "(%s): address family must match VRRP instance [%s] - ignoring", v.Name, ln.Keyword())
			continue
		}
		v.VIPs = append(v.VIPs, a)
	}
}

func vrrpInstGARPExtraIf(c *Ctx, n *Node, v *VRRPInstance) {
	kw := n.Keyword()
	delay, all := int64(-1), false
	for i, w := range n.Args() {
		if w == "all" {
			all = true
			continue
		}
		x, ok := c.UintArg(n, i, 0, 86400)
		if !ok {
			c.Errorf(n, "(%s): %s '%s' invalid - ignoring", v.Name, kw, w)
			return
		}
		delay = int64(x)
	}
	if all {
		v.GARPExtraIfAll = true
	}
	if delay < 0 {
		c.Errorf(n, "(%s): %s specified without time - ignoring", v.Name, kw)
		return
	}
	v.GARPExtraIfSec = int(delay)
	v.Set["garp_extra_if"] = true
}

// vrrpDevNameValid is the kernel's rule for interface names.
func vrrpDevNameValid(s string) bool {
	if s == "" || len(s) >= 16 || s == "." || s == ".." {
		return false
	}
	return !strings.ContainsAny(s, "/: \t\n\v\f\r")
}

func vrrpInstUseVMAC(c *Ctx, n *Node, v *VRRPInstance) {
	v.UseVMAC = true
	args := n.Args()
	for i := 0; i < len(args); i++ {
		w := args[i]
		if strings.Contains(w, ":") {
			// Interface names cannot hold ':', so this is a MAC address.
			if v.VMACAddr != "" {
				c.Errorf(n, "VMAC interface address already specified")
				continue
			}
			mac, ok := vrrpParseVMACAddr(w)
			switch {
			case !ok:
				c.Errorf(n, "VMAC invalid MAC address %s - ignored", w)
			case mac[0]&1 != 0:
				c.Errorf(n, "VMAC MAC address is multicast %s - ignoring", w)
			case mac[0] == 0 && mac[1] == 0 && mac[2] == 0x5e && mac[3] == 0 && (mac[4] == 1 || mac[4] == 2):
				c.Errorf(n, "VMAC MAC address not allowed to be RFC5798 address (%s) - ignoring", w)
			default:
				v.VMACAddr = w
			}
			continue
		}
		if w == "name" {
			i++
			if i >= len(args) {
				break
			}
			w = args[i]
		}
		if v.VMACName != "" {
			c.Errorf(n, "VMAC interface name already specified")
			continue
		}
		if !vrrpDevNameValid(w) {
			c.Errorf(n, "VMAC interface name '%s' too long or invalid characters - ignoring", w)
			continue
		}
		taken := false
		for _, o := range c.Cfg.Instances {
			if o.VMACName == w {
				c.Errorf(n, "(%s) VRRP instance %s is already using %s - ignoring name", v.Name, o.Name, w)
				taken = true
				break
			}
		}
		if !taken {
			v.VMACName = w
		}
	}
}

// vrrpParseVMACAddr reads a MAC address of 6 hex octets (5 when the last is
// left to be the VRID).
func vrrpParseVMACAddr(s string) ([6]byte, bool) {
	var mac [6]byte
	parts := strings.Split(strings.TrimSuffix(s, ":"), ":")
	if len(parts) != 6 && len(parts) != 5 {
		return mac, false
	}
	for i, p := range parts {
		if p == "" || len(p) > 2 {
			return mac, false
		}
		x, err := strconv.ParseUint(p, 16, 8)
		if err != nil {
			return mac, false
		}
		mac[i] = byte(x)
	}
	return mac, true
}

func vrrpInstUseIPVLAN(c *Ctx, n *Node, v *VRRPInstance) {
	if v.UseIPVLAN != nil {
		c.Errorf(n, "(%s) use_ipvlan already specified", v.Name)
		return
	}
	ipv := &IPVLAN{}
	v.UseIPVLAN = ipv
	hadMode := false
	args := n.Args()
	for i := 0; i < len(args); i++ {
		w := args[i]
		switch w {
		case "bridge", "private", "vepa":
			if hadMode {
				c.Errorf(n, "(%s) ipvlan type already specified - ignoring '%s'", v.Name, w)
				continue
			}
			hadMode = true
			if w != "bridge" {
				ipv.Mode = w
			}
			continue
		case "name":
			i++
			if i >= len(args) {
				return
			}
			w = args[i]
		default:
			if p, err := netip.ParsePrefix(w); err == nil || vrrpLooksLikeAddr(w) {
				if err != nil {
					a, _ := netip.ParseAddr(w)
					p = netip.PrefixFrom(a, a.BitLen())
				}
				if ipv.Addr.IsValid() {
					c.Errorf(n, "(%s) ipvlan address already specified - ignoring '%s'", v.Name, w)
					continue
				}
				if !v.setFamily(vrrpAddrFamily(p.Addr())) {
					c.Errorf(n, "(%s) ipvlan address[%s] MUST match vrrp instance family !!! Skipping...", v.Name, w)
					continue
				}
				ipv.Addr = p
				if !v.SrcIP.IsValid() {
					v.SrcIP = p.Addr()
					v.Set["src_ip"] = true
				}
				continue
			}
		}
		if ipv.Name != "" {
			c.Errorf(n, "(%s) IPVLAN interface already specified - ignoring '%s'", v.Name, w)
			continue
		}
		if len(w) >= 16 {
			c.Errorf(n, "(%s) IPVLAN interface name '%s' too long - ignoring", v.Name, w)
			continue
		}
		ipv.Name = w
	}
}

func vrrpLooksLikeAddr(s string) bool {
	_, err := netip.ParseAddr(s)
	return err == nil
}
