package config

import (
	"fmt"
	"net/netip"
)

// vrrp_sync_group, garp_group, linkbeat_interfaces,
// interface_up_down_delays, track_group and bfd_instance, as keepalived
// 2.2.7 reads them (vrrp_parser.c, bfd_parser.c).

func init() {
	registerTop("vrrp_sync_group", Entry[Config]{Block: true, H: vrrpSyncGroupBlock})
	registerTop("garp_group", Entry[Config]{Block: true, H: vrrpGARPGroupBlock})
	registerTop("linkbeat_interfaces", Entry[Config]{Block: true, H: vrrpLinkbeatBlock})
	registerTop("interface_up_down_delays", Entry[Config]{Block: true, H: vrrpUpDownBlock})
	registerTop("track_group", Entry[Config]{Block: true, H: vrrpTrackGroupBlock})
	registerTop("bfd_instance", Entry[Config]{Block: true, H: vrrpBFDBlock})
}

// ---- vrrp_sync_group ----

func vrrpSGNotify(f func(*SyncGroup) **NotifyScript) Entry[SyncGroup] {
	return Entry[SyncGroup]{H: func(c *Ctx, n *Node, g *SyncGroup) {
		dst := f(g)
		if *dst != nil {
			c.Errorf(n, "vrrp group %s: %s script already specified - ignoring %s", g.Name, n.Keyword(), n.Arg(0))
			return
		}
		*dst = vrrpNotifyScript(c, n, "notify")
	}}
}

func vrrpSGTracking(c *Ctx, n *Node, g *SyncGroup) {
	var missing int
	vrrpParseTracking(c, n, g.Name, &g.Tracking, &missing)
	g.missingIfs += missing
}

var vrrpSyncGroupTable = NewTable("vrrp_sync_group", map[string]Entry[SyncGroup]{
	"group": {Block: true, H: func(c *Ctx, n *Node, g *SyncGroup) {
		if g.hasGroup {
			c.Errorf(n, "Group list already specified for sync group %s", g.Name)
			return
		}
		for _, ln := range n.Block {
			g.Group = append(g.Group, ln.Words()...)
		}
		if len(g.Group) == 0 {
			c.Errorf(n, "Warning - sync group %s has empty group block", g.Name)
			return
		}
		g.hasGroup = true
	}},
	"track_interface": {Block: true, H: vrrpSGTracking},
	"track_script":    {Block: true, H: vrrpSGTracking},
	"track_file":      {Block: true, H: vrrpSGTracking},
	"track_process":   {Block: true, H: vrrpSGTracking},
	"track_bfd":       {Block: true, H: vrrpSGTracking},
	"notify_backup":   vrrpSGNotify(func(g *SyncGroup) **NotifyScript { return &g.NotifyBackup }),
	"notify_master":   vrrpSGNotify(func(g *SyncGroup) **NotifyScript { return &g.NotifyMaster }),
	"notify_fault":    vrrpSGNotify(func(g *SyncGroup) **NotifyScript { return &g.NotifyFault }),
	"notify_stop":     vrrpSGNotify(func(g *SyncGroup) **NotifyScript { return &g.NotifyStop }),
	"notify":          vrrpSGNotify(func(g *SyncGroup) **NotifyScript { return &g.Notify }),
	"smtp_alert": {H: func(c *Ctx, n *Node, g *SyncGroup) {
		val, ok := c.OptBool(n, func(w string) string { return "Invalid vrrp_group smtp_alert parameter " + w })
		if ok {
			g.SMTPAlert = &val
		}
	}},
	// global_tracking is the old name; keepalived counts its warning as a
	// configuration error.
	"global_tracking": {H: func(c *Ctx, n *Node, g *SyncGroup) {
		c.ReportHint(n, ClassGeneral, fmt.Sprintf("(%s) global_tracking is deprecated. Use track_interface/script/file on the sync group", g.Name),
			"use 'sync_group_tracking_weight'")
		g.TrackingWeight = true
	}},
	"sync_group_tracking_weight": {H: func(c *Ctx, n *Node, g *SyncGroup) { g.TrackingWeight = true }},
	"notify_priority_changes": {H: func(c *Ctx, n *Node, g *SyncGroup) {
		val, ok := c.OptBool(n, func(w string) string {
			return fmt.Sprintf("(%s) Invalid value '%s' for sync group notify_priority_changes specified", g.Name, w)
		})
		if ok {
			g.NotifyPriorityChanges = &val
		}
	}},
})

func vrrpSyncGroupBlock(c *Ctx, n *Node, cfg *Config) {
	if n.NArgs() != 1 {
		c.Errorf(n, "vrrp_sync_group must have a name - skipping")
		return
	}
	name := n.Arg(0)
	for _, g := range cfg.SyncGroups {
		if g.Name == name {
			c.Errorf(n, "vrrp sync group %s already defined", name)
			return
		}
	}
	g := &SyncGroup{Pos: n.Pos, Name: name}
	Apply(c, n.Block, vrrpSyncGroupTable, g)
	cfg.SyncGroups = append(cfg.SyncGroups, g)
}

// ---- garp_group ----

var vrrpGARPGroupTable = NewTable("garp_group", map[string]Entry[GARPGroup]{
	"garp_interval": {H: func(c *Ctx, n *Node, g *GARPGroup) { vrrpGARPInterval(c, n, &g.GARPIntervalUsec, &g.HaveGARP, "garp") }},
	"gna_interval":  {H: func(c *Ctx, n *Node, g *GARPGroup) { vrrpGARPInterval(c, n, &g.GNAIntervalUsec, &g.HaveGNA, "gna") }},
	"interface": {H: func(c *Ctx, n *Node, g *GARPGroup) {
		if c.NeedArgs(n, 1) {
			vrrpGARPAddIf(c, n, g, n.Arg(0), false)
		}
	}},
	"interfaces": {Block: true, H: func(c *Ctx, n *Node, g *GARPGroup) {
		var names []string
		for _, ln := range n.Block {
			names = append(names, ln.Words()...)
		}
		if len(names) == 0 {
			c.Errorf(n, "Warning - empty garp_group interfaces block")
			return
		}
		// Groups given an interfaces block are numbered for keepalived's
		// messages.
		g.aggregation = 1
		for _, o := range c.Cfg.GARPGroups {
			if o.aggregation != 0 {
				g.aggregation++
			}
		}
		for _, name := range names {
			vrrpGARPAddIf(c, n, g, name, true)
		}
	}},
})

func vrrpGARPInterval(c *Ctx, n *Node, dst *int64, have *bool, what string) {
	v, ok := c.DecimalArg(n, 0, 6, 0, 2147483647, true)
	if !ok {
		if n.NArgs() > 0 {
			c.Errorf(n, "garp_group %s_interval '%s' invalid", what, n.Arg(0))
		}
		return
	}
	*dst, *have = int64(v), true
	if v >= 1000000 {
		c.Infof(n, "The %s_interval is very large - %s seconds", what, n.Arg(0))
	}
}

func vrrpGARPAddIf(c *Ctx, n *Node, g *GARPGroup, name string, fromBlock bool) {
	if !c.host().InterfaceExists(name) {
		if fromBlock && c.Cfg.Global.DynamicInterfaces {
			c.Infof(n, "WARNING - interface %s specified for garp_group doesn't exist", name)
		} else if !c.Cfg.Global.DynamicInterfaces {
			c.Errorf(n, "WARNING - interface %s specified for garp_group doesn't exist", name)
			g.missingIfs++
		}
		return
	}
	for _, o := range append(c.Cfg.GARPGroups, g) {
		for _, x := range o.Interfaces {
			if x == name {
				c.Errorf(n, "garp_group already specified for %s - ignoring", name)
				return
			}
		}
	}
	g.Interfaces = append(g.Interfaces, name)
}

func vrrpGARPGroupBlock(c *Ctx, n *Node, cfg *Config) {
	g := &GARPGroup{Pos: n.Pos}
	Apply(c, n.Block, vrrpGARPGroupTable, g)
	if !g.HaveGARP && !g.HaveGNA {
		c.Errorf(blockEnd(n), "garp group %d does not have any delay set - removing", g.aggregation)
		return
	}
	cfg.GARPGroups = append(cfg.GARPGroups, g)
}

// ---- linkbeat_interfaces ----

func vrrpLinkbeatBlock(c *Ctx, n *Node, cfg *Config) {
	for _, ln := range n.Block {
		name := ln.Keyword()
		if !vrrpIfaceExists(c, name) {
			c.Fatalf(ln, "unknown interface %s specified for linkbeat interface", name)
			continue
		}
		if ln.NArgs() >= 1 {
			switch ln.Arg(0) {
			case "MII", "ETHTOOL", "IOCTL":
				if ln.NArgs() > 1 {
					c.Errorf(ln, "extra characters %s in linkbeat interface", ln.Arg(0))
				}
			default:
				c.Errorf(ln, "extra characters %s in linkbeat interface", ln.Arg(0))
			}
		}
		cfg.LinkbeatInterfaces = append(cfg.LinkbeatInterfaces, name)
	}
}

// ---- interface_up_down_delays ----

func vrrpUpDownBlock(c *Ctx, n *Node, cfg *Config) {
	for _, ln := range n.Block {
		name := ln.Keyword()
		if !vrrpIfaceExists(c, name) {
			c.Fatalf(ln, "unknown interface %s specified for up/down delay", name)
			continue
		}
		if ln.NArgs() < 1 {
			c.Infof(ln, "No timeouts specified for %s up/down delays", name)
			continue
		}
		if ln.NArgs() > 2 {
			c.Infof(ln, "Too many parameters for %s up/down delays", name)
		}
		d := &InterfaceUpDown{Pos: ln.Pos, Interface: name}
		v, ok := c.TimerArg(ln, 0, 0, 255*1000000, true)
		if !ok {
			c.Infof(ln, "Invalid down delay %s for %s", ln.Arg(0), name)
			continue
		}
		d.DownUsec = int64(v)
		if ln.NArgs() >= 2 {
			v, ok := c.TimerArg(ln, 1, 0, 255*1000000, true)
			if !ok {
				c.Infof(ln, "Invalid up delay %s for %s", ln.Arg(1), name)
				continue
			}
			d.UpUsec = int64(v)
		}
		cfg.InterfaceUpDownDelays = append(cfg.InterfaceUpDownDelays, d)
	}
}

// ---- track_group ----

// vrrpTrackGroupBlock reads a track_group (a named list of VRRP instances that
// static addresses, routes and rules can follow). The model has no slot
// for it yet, so it is checked and then dropped.
func vrrpTrackGroupBlock(c *Ctx, n *Node, cfg *Config) {
	if n.NArgs() != 1 {
		c.Errorf(n, "track_group must have a name - skipping")
		return
	}
	name := n.Arg(0)
	had := false
	for _, ln := range n.Block {
		switch ln.Keyword() {
		case "group":
			if had {
				c.Errorf(ln, "Group list already specified for sync group %s", name)
				continue
			}
			had = true
			words := 0
			for _, m := range ln.Block {
				words += len(m.Words())
			}
			if words == 0 {
				c.Errorf(ln, "Warning - track group %s has empty group block", name)
			}
		default:
			ApplyOne(c, ln, vrrpTrackGroupTable, &struct{}{})
		}
	}
}

var vrrpTrackGroupTable = NewTable("track_group", map[string]Entry[struct{}]{
	"group": {Block: true},
})

// ---- bfd_instance ----

var vrrpBFDTable = NewTable("bfd_instance", map[string]Entry[BFDInstance]{
	"source_ip": {H: func(c *Ctx, n *Node, b *BFDInstance) {
		if !c.NeedArgs(n, 1) {
			return
		}
		a, err := netip.ParseAddr(n.Arg(0))
		if err != nil {
			c.Errorf(n, "Configuration error: BFD instance %s has malformed source address %s, ignoring", b.Name, n.Arg(0))
			return
		}
		b.Source = a
	}},
	"neighbor_ip":  {H: vrrpBFDNeighbor},
	"neighbour_ip": {H: vrrpBFDNeighbor},
	"min_rx":       {H: vrrpBFDInterval(func(b *BFDInstance) *int64 { return &b.MinRxUsec }, 1, "min_rx")},
	"min_tx":       {H: vrrpBFDInterval(func(b *BFDInstance) *int64 { return &b.MinTxUsec }, 1, "min_tx")},
	"idle_tx":      {H: vrrpBFDInterval(func(b *BFDInstance) *int64 { return &b.IdleTxUsec }, 1000, "idle_tx")},
	"multiplier": {H: func(c *Ctx, n *Node, b *BFDInstance) {
		v, ok := c.UintArg(n, 0, 1, 255)
		if !ok {
			if n.NArgs() > 0 {
				c.Errorf(n, "Configuration error: BFD instance %s multiplier value %s not valid (must be in range [%d-%d]), ignoring", b.Name, n.Arg(0), 1, 255)
			}
			return
		}
		b.Multiplier = int(v)
	}},
	"passive":  {H: func(c *Ctx, n *Node, b *BFDInstance) { b.Passive = true }},
	"ttl":      {H: vrrpBFDTTL},
	"hoplimit": {H: vrrpBFDTTL},
	"max_hops": {H: func(c *Ctx, n *Node, b *BFDInstance) {
		v, ok := c.IntArg(n, 0, -1, 255)
		if !ok {
			if n.NArgs() > 0 {
				c.Errorf(n, "Configuration error: BFD instance %s max_hops value %s not valid (must be in range [-1-%d]), ignoring", b.Name, n.Arg(0), 255)
			}
			return
		}
		b.MaxHops = int(v)
	}},
	"weight": {H: func(c *Ctx, n *Node, b *BFDInstance) {
		if v, ok := c.IntArg(n, 0, -253, 253); ok {
			b.Weight = int(v)
		} else if n.NArgs() > 0 {
			c.Errorf(n, "Configuration error: BFD instance %s weight value %s not valid (must be in range [%d-%d]), ignoring", b.Name, n.Arg(0), -253, 253)
		}
		if n.NArgs() >= 2 {
			if n.Arg(1) == "reverse" {
				b.Reverse = true
			} else {
				c.Errorf(n, "Configuration error: BFD instance %s unknown weight option %s", b.Name, n.Arg(1))
			}
		}
	}},
	"vrrp":    {H: func(c *Ctx, n *Node, b *BFDInstance) { b.VRRP = true }},
	"checker": {H: func(c *Ctx, n *Node, b *BFDInstance) { b.Checker = true }},
})

func vrrpBFDNeighbor(c *Ctx, n *Node, b *BFDInstance) {
	if !c.NeedArgs(n, 1) {
		return
	}
	a, err := netip.ParseAddr(n.Arg(0))
	if err != nil {
		c.Errorf(n, "Configuration error: BFD instance %s has malformed neighbor address %s, ignoring instance", b.Name, n.Arg(0))
		b.Disabled = true
		return
	}
	b.Neighbor = a
}

// vrrpBFDInterval reads min_rx / min_tx / idle_tx: milliseconds with three
// decimals, stored as microseconds.
func vrrpBFDInterval(f func(*BFDInstance) *int64, minMs int64, what string) Handler[BFDInstance] {
	const maxMs = 4294967
	return func(c *Ctx, n *Node, b *BFDInstance) {
		v, ok := c.DecimalArg(n, 0, 3, uint64(minMs)*1000, maxMs*1000, false)
		if !ok {
			if n.NArgs() > 0 {
				c.Errorf(n, "Configuration error: BFD instance %s %s value %s is not valid (must be in range [%d-%d]), ignoring", b.Name, what, n.Arg(0), minMs, maxMs)
			}
			return
		}
		*f(b) = int64(v)
	}
}

func vrrpBFDTTL(c *Ctx, n *Node, b *BFDInstance) {
	v, ok := c.UintArg(n, 0, 1, 255)
	if !ok {
		if n.NArgs() > 0 {
			c.Errorf(n, "Configuration error: BFD instance %s ttl/hoplimit value %s not valid (must be in range [1-%d]), ignoring", b.Name, n.Arg(0), 255)
		}
		return
	}
	b.TTL = int(v)
}

func vrrpBFDBlock(c *Ctx, n *Node, cfg *Config) {
	name, ok := vrrpBlockName(c, n)
	if !ok {
		return
	}
	for _, o := range cfg.BFDInstances {
		if o.Name == name {
			c.Errorf(n, "BFD instance %s already configured", name)
			return
		}
	}
	b := &BFDInstance{Pos: n.Pos, Name: name}
	cfg.BFDInstances = append(cfg.BFDInstances, b)
	for _, ln := range n.Block {
		ApplyOne(c, ln, vrrpBFDTable, b)
		if b.Disabled {
			// keepalived's BFD process skips the rest of the block.
			return
		}
	}
	end := blockEnd(n)
	if !b.Neighbor.IsValid() {
		c.Errorf(end, "Configuration error: BFD instance %s has no neighbor address set, disabling instance", b.Name)
		b.Disabled = true
		return
	}
	if b.Source.IsValid() && b.Source.Is4() != b.Neighbor.Is4() {
		// keepalived formats both addresses through one static buffer, so
		// its message shows the source address twice.
		c.Errorf(end, "Configuration error: BFD instance %s source address %s and neighbor address %s are not of the same family, disabling instance", b.Name, b.Source, b.Source)
		b.Disabled = true
		return
	}
	for _, o := range cfg.BFDInstances {
		if o != b && !o.Disabled && o.Neighbor == b.Neighbor && o.Source == b.Source {
			if b.Source.IsValid() {
				c.Errorf(end, "Configuration error: BFD instance %s has duplicate source/neighbor address %s/%s, ignoring instance", b.Name, b.Source, b.Neighbor)
			} else {
				c.Errorf(end, "Configuration error: BFD instance %s has duplicate neighbor address %s, ignoring instance", b.Name, b.Neighbor)
			}
			b.Disabled = true
			return
		}
	}
	if b.TTL == 0 {
		b.TTL = 255 // BFD_CONTROL_TTL / BFD_CONTROL_HOPLIMIT
	}
	if b.MaxHops > b.TTL {
		c.Errorf(end, "BFD instance %s: max_hops exceeds ttl/hoplimit - setting to ttl/hoplimit", b.Name)
		b.MaxHops = b.TTL
	}
}
