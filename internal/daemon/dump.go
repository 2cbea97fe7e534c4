package daemon

import (
	"fmt"
	"net/netip"
	"strings"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/dump"
	"github.com/gokeepalived/gokeepalived/internal/netif"
	"github.com/gokeepalived/gokeepalived/internal/transport"
	"github.com/gokeepalived/gokeepalived/internal/vrrp"
	"github.com/gokeepalived/gokeepalived/pkg/config"
	pkt "github.com/gokeepalived/gokeepalived/pkg/vrrp"
)

// The dump files (SIGUSR1 keepalived.data, SIGUSR2 keepalived.stats,
// signal 63 the stats then cleared, signal 36 keepalived.json) show the
// running instances as keepalived 2.2.7 shows its vrrp_t: the
// configuration they run, their machines' state and timers, and
// keepalived's per-instance counters. This file builds internal/dump's
// snapshot from the engine; dump_linux.go adds the host's side
// (interfaces, socket descriptors) and writes the files.

// instStats are the counters of keepalived's vrrp_stats that the engine
// sees (the receive checks' counters are the transport's), and the state
// transitions it observed.
type instStats struct {
	advertSent    uint64 // every advert sent, priority 0 included (vrrp_send_adv)
	priZeroSent   uint64 // resignations only (vrrp_restore_interface with advF)
	becomeMaster  uint64
	releaseMaster uint64 // MASTER to BACKUP or FAULT (vrrp_state_leave_master)
	priZeroRcvd   uint64 // accepted adverts of priority 0

	seen           vrrp.State // the state at the last observation
	lastTransition time.Time

	// base is the transport's counts at the last STATS_CLEAR: the
	// transport's own counters never go back (they are also metrics).
	base [transport.NumDropReasons]uint64
}

// received counts an advert the transport accepted, before the machine
// takes it: keepalived counts pri_zero_rcvd in its packet check, which
// runs in BACKUP and MASTER.
func (s *instStats) received(in *instance, ad *vrrp.Advert) {
	if st := in.m.State(); ad.Priority == vrrp.PrioStop && (st == vrrp.Backup || st == vrrp.Master) {
		s.priZeroRcvd++
	}
}

// sent counts one advert handed to the transport; resign says it is the
// priority-0 advert of a master giving up its addresses.
func (s *instStats) sent(resign bool) {
	s.advertSent++
	if resign {
		s.priZeroSent++
	}
}

// observe notes a state change of the instance's machine after a step:
// keepalived counts become_master when an instance takes its addresses
// and release_master when a master leaves for BACKUP or FAULT, and stamps
// last_transition on each change.
func (s *instStats) observe(in *instance, now time.Time) bool {
	st := in.m.State()
	if st == s.seen {
		return false
	}
	switch {
	case st == vrrp.Master:
		s.becomeMaster++
	case s.seen == vrrp.Master && (st == vrrp.Backup || st == vrrp.Fault):
		s.releaseMaster++
	}
	s.seen = st
	if !now.IsZero() {
		s.lastTransition = now
	}
	return true
}

// counted is an advertiser whose receive side counts (the transport's
// *Registration).
type counted interface {
	Counters() *transport.Counters
}

// counts returns the instance's transport counts since the last clear.
func (in *instance) counts() [transport.NumDropReasons]uint64 {
	var c [transport.NumDropReasons]uint64
	if r, ok := in.adv.(counted); ok {
		c = r.Counters().Snapshot()
		for i := range c {
			c[i] -= min(c[i], in.stats.base[i])
		}
	}
	return c
}

// clearStats zeroes every instance's counters, as keepalived's
// STATS_CLEAR signal does after writing them.
func (e *engine) clearStats() {
	for _, in := range e.insts {
		s := &in.stats
		s.advertSent, s.priZeroSent, s.becomeMaster, s.releaseMaster, s.priZeroRcvd = 0, 0, 0, 0, 0
		if r, ok := in.adv.(counted); ok {
			s.base = r.Counters().Snapshot()
		}
	}
}

// stats maps the instance's counters onto keepalived's. advert_rcvd is
// what passed keepalived's checks up to its "Count as VRRP advertisement"
// point: the accepted adverts plus those refused by the checks that come
// after it (address list, unicast source, TTL range; and our zero
// interval, which keepalived would take).
func (in *instance) dumpStats() dump.Stats {
	c := in.counts()
	st := dump.Stats{
		AdvertSent:    in.stats.advertSent,
		BecomeMaster:  in.stats.becomeMaster,
		ReleaseMaster: in.stats.releaseMaster,
		PriZeroRcvd:   in.stats.priZeroRcvd,
		PriZeroSent:   in.stats.priZeroSent,
		AdvertRcvd: c[transport.DropNone] + c[transport.DropAddrList] + c[transport.DropUnicastSrc] +
			c[transport.DropTTLRange] + c[transport.DropAdvertInterval],
	}
	for _, r := range transport.DropReasons() {
		var f *uint64
		switch r.KeepalivedStat() {
		case "packet_len_err":
			f = &st.PacketLenErr
		case "ip_ttl_err":
			f = &st.IPTTLErr
		case "invalid_type_rcvd":
			f = &st.InvalidTypeRcvd
		case "addr_list_err":
			f = &st.AddrListErr
		case "invalid_authtype":
			f = &st.InvalidAuthType
		case "authtype_mismatch":
			f = &st.AuthTypeMismatch
		case "auth_failure":
			f = &st.AuthFailure
		default:
			// vers_err and chk_err are SNMP-only in keepalived: its dumps
			// do not show them. advert_interval_err is never counted by
			// keepalived 2.2.7 (a v2 interval mismatch is dropped
			// uncounted).
			continue
		}
		*f += c[r]
	}
	return st
}

// hostFacts are what the snapshot needs from the host, filled by
// dump_linux.go (tests give their own).
type hostFacts struct {
	// hostname is keepalived's local name: the default router_id and
	// SMTP HELO name.
	hostname string
	// ids resolves a script user and group to uid and gid (nil: 0:0).
	ids func(user, group string) (uid, gid int)
	// fd is the socket descriptor of an instance's advertiser (-1: none).
	fd func(advertiser) int
	// ifindex is an interface's index (0: unknown).
	ifindex func(name string) int
	// interfaces are the host's interfaces, without their tracking
	// lists (snapshot fills those).
	interfaces []dump.Interface
}

func (h *hostFacts) uidGid(user, group string) (int, int) {
	if h.ids == nil {
		return 0, 0
	}
	return h.ids(user, group)
}

// live lists the instances a reload has not deleted, in configuration
// order.
func (e *engine) live() []*instance {
	out := make([]*instance, 0, len(e.insts))
	for _, in := range e.insts {
		if !in.dead {
			out = append(out, in)
		}
	}
	return out
}

// config is the configuration the running instances came from (the last
// one applied), or nil when none runs.
func (e *engine) config() *config.Config {
	for _, in := range e.live() {
		if in.spec.cfg != nil {
			return in.spec.cfg
		}
	}
	return nil
}

// snapshot is the dump of the VRRP child: global_defs, the instances,
// their sockets and sync groups, and the host's interfaces.
func (e *engine) snapshot(h *hostFacts) *dump.Snapshot {
	cfg := e.config()
	if cfg == nil {
		cfg = config.NewConfig()
	}
	s := &dump.Snapshot{Global: globalOf(&cfg.Global, h, false)}
	ins := e.live()
	tracking := map[string][]dump.Tracked{}
	for _, in := range ins {
		s.Instances = append(s.Instances, e.instanceOf(in, cfg, h))
		for _, t := range in.m.Params().Trackers {
			if t.Kind == vrrp.KindInterface {
				tracking[t.Name] = append(tracking[t.Name], dump.Tracked{Name: in.spec.name, Weight: t.Weight})
			}
		}
	}
	s.Sockets = sockets(ins, h)
	s.SyncGroups = syncGroups(ins, cfg, h)
	for _, i := range h.interfaces {
		i.Tracking = tracking[i.Name]
		s.Interfaces = append(s.Interfaces, i)
	}
	return s
}

// sockets is keepalived's socket pool: the instances sharing one socket
// (one per interface, family and protocol, here as in keepalived).
func sockets(ins []*instance, h *hostFacts) []dump.Socket {
	var out []dump.Socket
	at := map[string]int{}
	for _, in := range ins {
		v := &in.spec.view
		fd := -1
		if h.fd != nil {
			fd = h.fd(in.adv)
		}
		ah := v.Auth != nil && v.Auth.Type == pkt.AuthAH
		key := fmt.Sprintf("%s|%v|%v|%d", in.spec.iface, v.Family, ah, fd)
		i, ok := at[key]
		if !ok {
			i = len(out)
			at[key] = i
			sk := dump.Socket{FdIn: fd, FdOut: fd, Interface: in.spec.iface, IPv6: v.Family == pkt.IPv6, AH: ah}
			if v.Unicast() {
				sk.Unicast, sk.Address = true, v.Src
			}
			out = append(out, sk)
		}
		out[i].Instances = append(out[i].Instances, dump.SocketInstance{Name: in.spec.name, VRID: int(v.VRID)})
	}
	return out
}

func syncGroups(ins []*instance, cfg *config.Config, h *hostFacts) []dump.SyncGroup {
	var out []dump.SyncGroup
	seen := map[*vrrp.Group]bool{}
	for _, in := range ins {
		g := in.m.Group()
		if g == nil || seen[g] {
			continue
		}
		seen[g] = true
		sg := dump.SyncGroup{Name: g.Name(), State: dumpState(g.State())}
		for _, m := range g.Members() {
			sg.Members = append(sg.Members, m.Name())
			if m.TrackFaults() > 0 {
				sg.MemberFaults++
			}
			if m.TrackInits() > 0 {
				sg.MemberInits++
			}
		}
		for _, c := range cfg.SyncGroups {
			if c.Name == g.Name() {
				sg.SMTPAlert = c.SMTPAlert != nil && *c.SMTPAlert
				sg.Notify = notifyOf(&c.Notifies, nil, &cfg.Global, h)
				break
			}
		}
		out = append(out, sg)
	}
	return out
}

func dumpState(s vrrp.State) dump.State {
	switch s {
	case vrrp.Backup:
		return dump.Backup
	case vrrp.Master:
		return dump.Master
	case vrrp.Fault, vrrp.Stopped, vrrp.Deleted:
		return dump.Fault
	}
	return dump.Init
}

// instanceOf is one instance as keepalived's vrrp_t shows it.
func (e *engine) instanceOf(in *instance, cfg *config.Config, h *hostFacts) dump.Instance {
	m, sp := in.m, &in.spec
	p := m.Params()
	v := sp.conf
	if v == nil {
		v = &config.VRRPInstance{Name: sp.name, Interface: sp.iface}
	}
	g := &cfg.Global
	d := dump.Instance{
		Name:          sp.name,
		Version:       p.Version,
		SyncGroup:     v.SyncGroup,
		IPv6:          sp.view.Family == pkt.IPv6,
		State:         dumpState(m.State()),
		WantState:     dumpState(m.WantState()),
		Unicast:       sp.view.Unicast(),
		NoPreempt:     p.NoPreempt,
		SrcFromConfig: v.SrcIP.IsValid(),

		DontTrackPrimary: v.DontTrackPrimary,
		SkipCheckAdvAddr: v.SkipCheckAdvAddr,
		StrictMode:       v.StrictMode,

		TrackFaults:     m.TrackFaults(),
		TrackScriptInit: m.TrackInits(),
		LastTransition:  in.stats.lastTransition,
		MasterDown:      m.MasterDownTimer(),

		Interface: v.Interface,
		SrcIP:     p.SrcIP,

		GARPDelay:            v.GARPMasterDelay,
		GARPRepeat:           v.GARPMasterRepeat,
		GARPRefresh:          v.GARPMasterRefresh,
		GARPRefreshRepeat:    v.GARPMasterRefreshRepeat,
		GARPLowerPrioDelay:   v.GARPLowerPrioDelay,
		GARPLowerPrioRepeat:  v.GARPLowerPrioRepeat,
		DownTimerAdverts:     p.DownTimerAdverts,
		LowerPrioNoAdvert:    p.LowerPrioNoAdvert,
		HigherPrioSendAdvert: p.HigherPrioSendAdvert,

		VRID:              p.VRID,
		Priority:          m.BasePriority(),
		EffectivePriority: m.Priority(),
		TotalPriority:     m.TotalPriority(),
		AdvertInterval:    time.Duration(p.AdvertIntUsec) * time.Microsecond,
		MasterAdvertInt:   m.MasterAdverInterval(),
		Accept:            v.Accept,
		PreemptDelay:      time.Duration(p.PreemptDelayUsec) * time.Microsecond,
		PromoteSecondary:  v.PromoteSecondaries,
		VIPsSet:           m.VIPsSet(),

		CheckUnicastSrc: v.CheckUnicastSrc || g.VRRPCheckUnicastSrc,
		FdIn:            -1,
		FdOut:           -1,

		SMTPAlert:             v.SMTPAlert,
		NotifyDeleted:         v.NotifyDeleted,
		Notify:                notifyOf(&v.Notifies, v.NotifyMasterRxLowerPri, g, h),
		NotifyPriorityChanges: v.NotifyPriorityChanges,

		Stats: in.dumpStats(),
	}
	if at, ok := m.Deadline(); ok {
		d.ReadTimeout = at
	}
	if m.State() == vrrp.Backup {
		d.MasterRouter, d.MasterPriority = m.MasterRouter()
	} else {
		_, d.MasterPriority = m.MasterRouter()
	}
	if !d.Unicast {
		d.MulticastGroup = sp.view.Group
		if !d.MulticastGroup.IsValid() {
			d.MulticastGroup = g.VRRPMcastGroup4
			if d.IPv6 {
				d.MulticastGroup = g.VRRPMcastGroup6
			}
		}
		if d.IPv6 && h.ifindex != nil {
			d.MulticastIfindex = h.ifindex(sp.iface)
		}
	}
	switch v.Auth.Type {
	case "PASS":
		d.Auth, d.AuthPass = dump.AuthPass, v.Auth.Pass
	case "AH":
		d.Auth, d.AuthPass = dump.AuthAH, v.Auth.Pass
	}
	if h.fd != nil {
		d.FdIn = h.fd(in.adv)
		d.FdOut = d.FdIn
	}
	if d.Unicast {
		d.UnicastTTL = v.UnicastTTL
		if d.UnicastTTL < 0 {
			d.UnicastTTL = 255 // keepalived's default unicast_ttl
		}
		for _, pr := range v.UnicastPeers {
			d.UnicastPeers = append(d.UnicastPeers, dump.UnicastPeer{Addr: pr.Addr, MinTTL: pr.MinTTL, MaxTTL: pr.MaxTTL})
		}
		switch v.OldUnicastChecksum {
		case "config", "never":
			d.ChecksumCompat = v.OldUnicastChecksum
		default:
			d.ChecksumCompat = "no"
			// The transport switches to a peer's old checksum on its own
			// (keepalived's "auto").
			if r, ok := in.adv.(interface{ View() transport.InstanceView }); ok && r.View().Checksum == pkt.ChecksumOldUnicast {
				d.ChecksumCompat = "auto"
			}
		}
	}
	nv := len(v.VIPs)
	for i, a := range sp.addrs.Addrs {
		da := addressOf(a, d.VIPsSet)
		if i < nv {
			d.VIPs = append(d.VIPs, da)
		} else {
			d.EVIPs = append(d.EVIPs, da)
		}
	}
	for _, r := range sp.routes.Routes {
		d.Routes = append(d.Routes, routeString(r))
	}
	for _, r := range sp.rules.Rules {
		d.Rules = append(d.Rules, netif.RuleString(r))
	}
	// keepalived shows the weights a sync group member actually uses:
	// none, unless sync_group_tracking_weight.
	zero := false
	if v.SyncGroup != "" {
		zero = true
		for _, sg := range cfg.SyncGroups {
			if sg.Name == v.SyncGroup && sg.TrackingWeight {
				zero = false
			}
		}
	}
	weight := func(w int) int {
		if zero {
			return 0
		}
		return w
	}
	for _, t := range v.TrackInterfaces {
		d.TrackInterfaces = append(d.TrackInterfaces, dump.Tracked{Name: t.Name, Weight: weight(t.Weight)})
	}
	for _, t := range v.TrackScripts {
		cmd := ""
		for _, s := range cfg.VRRPScripts {
			if s.Name == t.Name {
				cmd = cmdStr(s.Argv)
			}
		}
		d.TrackScripts = append(d.TrackScripts, dump.TrackedScript{Name: t.Name, Command: cmd, Weight: weight(t.Weight)})
	}
	for _, t := range v.TrackFiles {
		d.TrackFiles = append(d.TrackFiles, dump.Tracked{Name: t.Name, Weight: weight(t.Weight)})
	}
	if sp.vmac != nil {
		d.VMACInterface = sp.vmac.Name
	}
	return d
}

// addressOf is a VIP as keepalived prints it; set says the instance
// holds its addresses.
func addressOf(a netif.Addr, set bool) dump.Address {
	d := dump.Address{Prefix: a.Prefix, Broadcast: a.Broadcast, Dev: a.Dev, Scope: scopeName(a.Scope), Label: a.Label, Set: set}
	if a.Peer.IsValid() {
		d.Peer = netip.PrefixFrom(a.Peer, a.Prefix.Bits())
	}
	if a.Prefix.Addr().Is6() {
		// keepalived shows every IPv6 VIP's preferred lifetime.
		d.PreferredLft = "forever"
		if a.HasPreferredLft && a.PreferredLft != ^uint32(0) {
			d.PreferredLft = fmt.Sprint(a.PreferredLft)
		}
	}
	return d
}

// scopeName is iproute2's name of an address scope.
func scopeName(s uint8) string {
	switch s {
	case 0:
		return "global"
	case 200:
		return "site"
	case 253:
		return "link"
	case 254:
		return "host"
	case 255:
		return "nowhere"
	}
	return fmt.Sprint(s)
}

// routeString is keepalived's one-line form of a virtual route: the way
// it is added, the destination, then the attributes it has.
func routeString(r *config.Route) string {
	var b strings.Builder
	mode := r.Mode
	if mode == "" {
		mode = "prepend"
	}
	b.WriteString(mode)
	if r.Type != "" && r.Type != "unicast" {
		b.WriteString(" " + r.Type)
	}
	b.WriteString(" " + r.Dst.String())
	if r.Src.IsValid() {
		b.WriteString(" src " + r.Src.String())
	}
	if r.Via.IsValid() {
		fam := "inet"
		if r.Via.Is6() {
			fam = "inet6"
		}
		b.WriteString(" via " + fam + " " + r.Via.String())
	}
	if r.Dev != "" {
		b.WriteString(" dev " + r.Dev)
	}
	if r.Table != 0 && r.Table != 254 {
		fmt.Fprintf(&b, " table %d", r.Table)
	}
	if r.Metric != nil {
		fmt.Fprintf(&b, " metric %d", *r.Metric)
	}
	if r.Protocol != 0 {
		fmt.Fprintf(&b, " proto %d", r.Protocol)
	}
	return b.String()
}

// cmdStr is a command line as keepalived's dumps show it (its cmd_str,
// for vrrp_scripts, notify scripts and the checker's scripts alike):
// each word in single quotes, but a first word that is a redirection
// ("</path", ">/path") left bare (keepalived 2.2.7 observed: a
// vrrp_script "</tmp/flag arg" is shown as </tmp/flag 'arg').
func cmdStr(argv []string) string {
	q := make([]string, len(argv))
	for i, a := range argv {
		if i == 0 && (strings.HasPrefix(a, "<") || strings.HasPrefix(a, ">")) {
			q[i] = a
			continue
		}
		q[i] = "'" + a + "'"
	}
	return strings.Join(q, " ")
}

// notifyOf are an instance's or sync group's notify commands with the
// user they run as (the script's own, else the global script_user).
func notifyOf(n *config.Notifies, rxLower *config.NotifyScript, g *config.GlobalDefs, h *hostFacts) dump.NotifyScripts {
	var d dump.NotifyScripts
	user, group := g.ScriptUser, g.ScriptGroup
	for _, s := range []struct {
		dst *string
		src *config.NotifyScript
	}{
		{&d.Backup, n.NotifyBackup}, {&d.Master, n.NotifyMaster}, {&d.Fault, n.NotifyFault},
		{&d.Stop, n.NotifyStop}, {&d.Generic, n.Notify}, {&d.MasterRxLowerPri, rxLower},
	} {
		if s.src == nil {
			continue
		}
		*s.dst = cmdStr(s.src.Argv)
		if s.src.User != "" {
			user, group = s.src.User, s.src.Group
		}
	}
	d.UID, d.GID = h.uidGid(user, group)
	return d
}

// globalOf is global_defs as a process shows them. The parent shows the
// values it read before the VRRP side resolves them: no default
// interface, the lower-priority GARP settings unset (keepalived's
// PARAMETER_UNSET, 4294967295) unless the file gives them.
func globalOf(g *config.GlobalDefs, h *hostFacts, parent bool) dump.Global {
	d := dump.DefaultGlobal()
	d.Namespace, d.NamespaceIPVS = g.NetNamespace, g.NetNamespaceIPVS
	d.RouterID = g.RouterID
	if d.RouterID == "" {
		d.RouterID = h.hostname
	}
	if g.SMTPServer != "" {
		d.SMTPServer, d.SMTPPort = g.SMTPServer, g.SMTPPort
		d.SMTPHelo = g.SMTPHeloName
		if d.SMTPHelo == "" {
			d.SMTPHelo = h.hostname
		}
		d.SMTPTimeout = time.Duration(g.SMTPConnectTimeout) * time.Second
		d.EmailFrom, d.EmailTo = g.NotificationEmailFrom, g.NotificationEmail
	}
	d.SMTPAlert, d.SMTPAlertVRRP, d.SMTPAlertCheck = g.SMTPAlert, g.SMTPAlertVRRP, g.SMTPAlertChecker
	d.CheckerLogAll = g.CheckerLogAllFailures
	d.ConfigTestOnRel = g.ReloadCheckConfig != ""
	d.DynamicIfaces = g.DynamicInterfaces
	d.DefaultInterface = g.DefaultInterface
	d.DisableLocalIGMP = g.DisableLocalIGMP
	d.LVSFlush = g.LVSFlush
	switch g.LVSFlushOnStop {
	case "full":
		d.LVSFlushOnStop = "full"
	case "vs":
		d.LVSFlushOnStop = "VS"
	default:
		d.LVSFlushOnStop = "disabled"
	}
	d.FIFOWriteOnReload = g.FIFOWriteVRRPStatesOnReload
	d.NotifyPrioChanges = g.VRRPNotifyPriorityChange
	d.MCastGroup4, d.MCastGroup6 = g.VRRPMcastGroup4, g.VRRPMcastGroup6
	d.GARPDelay, d.GARPRepeat = int64(g.VRRPGARPMasterDelay), int64(g.VRRPGARPMasterRepeat)
	d.GARPRefresh, d.GARPRefreshRepeat = int64(g.VRRPGARPMasterRefresh), int64(g.VRRPGARPMasterRefreshRepeat)
	d.GARPLowerPrioDelay, d.GARPLowerPrioRep = int64(g.VRRPGARPLowerPrioDelay), int64(g.VRRPGARPLowerPrioRepeat)
	d.DownTimerAdverts = g.VRRPDownTimerAdverts
	d.GARPSecondaryVMAC = fmt.Sprintf("%ds", g.VRRPGARPExtraIf)
	d.LowerPrioNoAdvert = g.VRRPLowerPrioNoAdvert != nil && *g.VRRPLowerPrioNoAdvert
	d.HigherPrioAdvert = g.VRRPHigherPrioSendAdvert != nil && *g.VRRPHigherPrioSendAdvert
	d.GARPInterval = time.Duration(g.VRRPGARPIntervalUsec) * time.Microsecond
	d.GNAInterval = time.Duration(g.VRRPGNAIntervalUsec) * time.Microsecond
	d.DefaultVersion = g.VRRPVersion
	// Ours manages no firewall: no nftables lines.
	d.CheckUnicastSrc, d.SkipCheckAdvAddr, d.Strict = g.VRRPCheckUnicastSrc, g.VRRPSkipCheckAdvAddr, g.VRRPStrict
	d.MaxAutoPriority = g.MaxAutoPriority
	d.MinAutoPrioDelay = time.Duration(g.MinAutoPriorityDelay) * time.Microsecond
	d.VRRPProcess, d.CheckerProcess, d.BFDProcess = processOf(g.VRRPProcess), processOf(g.CheckerProcess), processOf(g.BFDProcess)
	d.SNMPSocket, d.DBusServiceName = g.SNMPSocket, g.DBusServiceName
	d.ScriptSecurity = g.EnableScriptSecurity
	d.ScriptUID, d.ScriptGID = h.uidGid(g.ScriptUser, g.ScriptGroup)
	d.NetlinkBufs = dump.NetlinkBufs{
		VRRPCmd: int(g.VRRPNetlinkCmdRcvBufs), VRRPCmdForce: b2i(g.VRRPNetlinkCmdRcvBufsForce),
		VRRPMonitor: int(g.VRRPNetlinkMonitorRcvBufs), VRRPMonitorForce: b2i(g.VRRPNetlinkMonitorRcvBufsForce),
		ProcessMon: int(g.ProcessMonitorRcvBufs), ProcessMonForce: b2i(g.ProcessMonitorRcvBufsForce),
		LVSCmd: int(g.LVSNetlinkCmdRcvBufs), LVSCmdForce: b2i(g.LVSNetlinkCmdRcvBufsForce),
		LVSMonitor: int(g.LVSNetlinkMonitorRcvBufs), LVSMonitorForce: b2i(g.LVSNetlinkMonitorRcvBufsForce),
	}
	d.RSInitNotifies, d.NoCheckerEmails = b2i(g.RSInitNotifies), b2i(g.NoCheckerEmails)
	d.RxBufsMultiples = int(g.VRRPRxBufsMultiplier)
	if g.Umask != nil {
		d.Umask = *g.Umask
	}
	if parent {
		d.DefaultInterface = ""
		// The model keeps only the resolved values: one equal to its
		// default (the master_delay / master_repeat value) is shown
		// unset, which is wrong only for a file that sets the same value
		// explicitly.
		const unset = 4294967295
		if g.VRRPGARPLowerPrioDelay == g.VRRPGARPMasterDelay {
			d.GARPLowerPrioDelay = unset
		}
		if g.VRRPGARPLowerPrioRepeat == g.VRRPGARPMasterRepeat {
			d.GARPLowerPrioRep = unset
		}
	}
	return d
}

func processOf(p config.ProcessTuning) dump.Process {
	return dump.Process{Priority: p.Priority, NoSwap: p.NoSwap, RTPriority: p.RTPriority, RTLimit: int(p.RLimitRTTime)}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
