package dump

import (
	"io"
	"net/netip"
	"strings"
	"time"
)

// WriteData writes keepalived.data, the VRRP child's SIGUSR1 dump:
// global definitions, instances, the socket pool, sync groups, scripts
// and interfaces, sections omitted when empty as keepalived does.
func WriteData(out io.Writer, s *Snapshot) error {
	w := newWriter(out)
	w.global(&s.Global)
	if len(s.Instances) > 0 {
		w.line("------< VRRP Topology >------")
		for i := range s.Instances {
			w.instance(&s.Instances[i])
		}
	}
	if len(s.Sockets) > 0 {
		w.line("------< VRRP Sockpool >------")
		for i := range s.Sockets {
			w.socket(&s.Sockets[i])
		}
	}
	if len(s.SyncGroups) > 0 {
		w.line("------< VRRP Sync groups >------")
		for i := range s.SyncGroups {
			w.syncGroup(&s.SyncGroups[i])
		}
	}
	if len(s.Scripts) > 0 {
		w.line("------< VRRP Scripts >------")
		for i := range s.Scripts {
			w.script(&s.Scripts[i])
		}
	}
	if len(s.TrackFiles) > 0 {
		w.line("------< VRRP Track files >------")
		for i := range s.TrackFiles {
			w.trackFile(&s.TrackFiles[i])
		}
	}
	if len(s.Interfaces) > 0 {
		w.line("------< Interfaces >------")
		for i := range s.Interfaces {
			w.iface(&s.Interfaces[i])
		}
	}
	return w.flush()
}

// WriteParentData writes keepalived_parent.data, the parent's SIGUSR1
// dump: the global definitions only. Set the fields the parent does not
// resolve as keepalived's parent shows them (no default interface, the
// lower-priority GARP settings unset: 4294967295).
func WriteParentData(out io.Writer, g *Global) error {
	w := newWriter(out)
	w.global(g)
	return w.flush()
}

func (w *writer) instance(v *Instance) {
	w.line(" VRRP Instance = %s", v.Name)
	w.line("   VRRP Version = %d", v.Version)
	if v.SyncGroup != "" {
		w.line("   Sync group = %s", v.SyncGroup)
	}
	if v.IPv6 {
		w.line("   Using Native IPv6")
	}
	w.line("   State = %s", v.State)
	if v.State == Backup {
		w.line("   Master router = %s", v.MasterRouter)
		w.line("   Master priority = %d", v.MasterPriority)
		if v.Version == 3 {
			w.line("   Master advert int = %.2f sec", v.MasterAdvertInt.Seconds())
		}
	}
	// keepalived prints "none" when no instance flag is set, and else a
	// line for the flags it names; nopreempt and a configured source
	// address are flags it does not name (observed with 2.2.7).
	if !v.Unicast && !v.NoPreempt && !v.SrcFromConfig && !v.DontTrackPrimary && !v.SkipCheckAdvAddr && !v.StrictMode {
		w.line("   Flags: none")
	} else {
		w.line("   Flags:")
		if v.Unicast {
			w.line("     Using unicast")
		}
	}
	w.line("   Wantstate = %s", v.WantState)
	w.line("   Number of config faults = %d", v.ConfigFaults)
	w.line("   Number of interface and track script faults = %d", v.TrackFaults)
	w.line("   Number of track scripts init = %d", v.TrackScriptInit)
	w.line("   Last transition = %s", timeval(v.LastTransition))
	if v.ReadTimeout.IsZero() {
		// No timer runs in FAULT (or INIT).
		w.line("   Read timeout = DISABLED")
	} else {
		w.line("   Read timeout = %s", timeval(v.ReadTimeout))
	}
	w.line("   Master down timer = %d usecs", v.MasterDown.Microseconds())
	w.line("   Interface = %s", v.Interface)
	if v.DontTrackPrimary {
		w.line("   VRRP interface tracking disabled")
	}
	if v.SkipCheckAdvAddr {
		w.line("   Skip checking advert IP addresses")
	}
	if v.StrictMode {
		w.line("   Enforcing strict VRRP compliance")
	}
	from := ""
	if v.SrcFromConfig {
		from = " (from configuration)"
	}
	w.line("   Using src_ip = %s%s", v.SrcIP, from)
	if !v.Unicast {
		if v.IPv6 {
			w.line("   Multicast address %s, ifindex %d", v.MulticastGroup, v.MulticastIfindex)
		} else {
			w.line("   Multicast address %s", v.MulticastGroup)
		}
	}
	w.line("   Gratuitous ARP delay = %d", v.GARPDelay)
	w.line("   Gratuitous ARP repeat = %d", v.GARPRepeat)
	w.line("   Gratuitous ARP refresh = %d", v.GARPRefresh)
	w.line("   Gratuitous ARP refresh repeat = %d", v.GARPRefreshRepeat)
	w.line("   Gratuitous ARP lower priority delay = %d", v.GARPLowerPrioDelay)
	w.line("   Gratuitous ARP lower priority repeat = %d", v.GARPLowerPrioRepeat)
	w.line("   Down timer adverts = %d", v.DownTimerAdverts)
	w.line("   Send advert after receive lower priority advert = %t", !v.LowerPrioNoAdvert)
	w.line("   Send advert after receive higher priority advert = %t", v.HigherPrioSendAdvert)
	w.line("   Virtual Router ID = %d", v.VRID)
	w.line("   Priority = %d", v.Priority)
	w.line("   Effective priority = %d", v.EffectivePriority)
	w.line("   Total priority = %d", v.TotalPriority)
	// VRRPv2 intervals are whole seconds, v3 centiseconds shown in ms.
	if v.Version == 2 {
		w.line("   Advert interval = %d sec", int64(v.AdvertInterval/time.Second))
	} else {
		w.line("   Advert interval = %d milli-sec", v.AdvertInterval.Milliseconds())
		if v.State == Backup {
			w.line("   Master advert interval = %d milli-sec", v.MasterAdvertInt.Milliseconds())
		}
	}
	w.line("   Accept = %s", enabled(v.Accept))
	w.line("   Preempt = %s", enabled(!v.NoPreempt))
	if v.PreemptDelay > 0 {
		w.line("   Preempt delay = %s secs", seconds(v.PreemptDelay))
	}
	w.line("   Promote_secondaries = %s", enabled(v.PromoteSecondary))
	switch {
	case v.Auth == AuthAH:
		w.line("   Authentication type = IPSEC_AH")
	case v.Auth == AuthPass:
		w.line("   Authentication type = SIMPLE_PASSWORD")
		w.line("   Password = %s", v.AuthPass)
	case v.Version == 2:
		w.line("   Authentication type = none")
	}
	if len(v.VIPs) > 0 {
		w.line("   Virtual IP (%d):", len(v.VIPs))
		for _, a := range v.VIPs {
			w.line("     %s", a)
		}
	}
	if len(v.EVIPs) > 0 {
		w.line("   Virtual IP Excluded :")
		for _, a := range v.EVIPs {
			w.line("     %s", a)
		}
	}
	if v.Unicast {
		w.line("   Unicast TTL = %d", v.UnicastTTL)
		w.line("   Check unicast src : %s", yesNo(v.CheckUnicastSrc))
		w.line("   Unicast Peer :")
		for _, p := range v.UnicastPeers {
			w.line("     %s min_ttl %d max_ttl %d", p.Addr, p.MinTTL, p.MaxTTL)
		}
		w.line("   Unicast checksum compatibility = %s", v.ChecksumCompat)
	}
	w.line("   fd_in %d, fd_out %d", v.FdIn, v.FdOut)
	w.list("   Virtual Routes :", v.Routes)
	w.list("   Virtual Rules :", v.Rules)
	w.tracked("   Tracked interfaces :", "%s weight %d", v.TrackInterfaces)
	if len(v.TrackScripts) > 0 {
		w.line("   Tracked scripts :")
		for _, t := range v.TrackScripts {
			w.line("     %s weight %d", t.Name, t.Weight)
		}
	}
	// keepalived 2.2.7 puts a comma after a tracked file's name, not
	// after an interface's.
	w.tracked("   Tracked files :", "%s, weight %d", v.TrackFiles)
	w.line("   Using smtp notification = %s", yesNo(v.SMTPAlert))
	if v.NotifyDeleted {
		w.line("   Notify deleted = Deleted")
	} else {
		w.line("   Notify deleted = Fault")
	}
	w.notify(&v.Notify)
	w.line("   Notify priority changes = %t", v.NotifyPriorityChanges)
}

func (w *writer) list(head string, items []string) {
	if len(items) == 0 {
		return
	}
	w.line("%s", head)
	for _, s := range items {
		w.line("     %s", s)
	}
}

func (w *writer) tracked(head, format string, items []Tracked) {
	if len(items) == 0 {
		return
	}
	w.line("%s", head)
	for _, t := range items {
		w.line("     "+format, t.Name, t.Weight)
	}
}

// notify writes the notify commands in keepalived's order.
func (w *writer) notify(n *NotifyScripts) {
	for _, s := range []struct{ kind, cmd string }{
		{"Backup", n.Backup}, {"Master", n.Master}, {"Fault", n.Fault},
		{"Stop", n.Stop}, {"Generic", n.Generic}, {"Master rx lower pri", n.MasterRxLowerPri},
	} {
		if s.cmd != "" {
			w.line("   %s state transition script = %s, uid:gid %d:%d", s.kind, s.cmd, n.UID, n.GID)
		}
	}
}

// String is keepalived's form of an address: the prefix length is left
// out for a host address, "set" ends it while it is configured.
func (a Address) String() string {
	var b strings.Builder
	if a.Prefix.Bits() == a.Prefix.Addr().BitLen() {
		b.WriteString(a.Prefix.Addr().String())
	} else {
		b.WriteString(a.Prefix.String())
	}
	if a.Peer.IsValid() {
		b.WriteString(" peer " + a.Peer.String())
	}
	if a.Broadcast.IsValid() {
		b.WriteString(" brd " + a.Broadcast.String())
	}
	b.WriteString(" dev " + a.Dev)
	b.WriteString(" scope " + a.Scope)
	if a.Label != "" {
		b.WriteString(" label " + a.Label)
	}
	if a.PreferredLft != "" {
		b.WriteString(" preferred_lft " + a.PreferredLft)
	}
	if a.Set {
		b.WriteString(" set")
	}
	return b.String()
}

func (w *writer) socket(s *Socket) {
	w.line(" fd_in %d fd_out = %d", s.FdIn, s.FdOut)
	w.line("   Interface = %s", s.Interface)
	w.line("   Family = %s", family(s.IPv6))
	if s.AH {
		w.line("   Protocol = AH")
	} else {
		w.line("   Protocol = VRRP")
	}
	if s.Unicast {
		w.line("   Type = Unicast")
		w.line("   Address = %s", s.Address)
	} else {
		w.line("   Type = Multicast")
	}
	w.line("   Rx buf size = %d", s.RxBufSize)
	w.line("   VRRP instances")
	for _, i := range s.Instances {
		w.line("     %s vrid %d", i.Name, i.VRID)
	}
}

func (w *writer) syncGroup(g *SyncGroup) {
	w.line(" VRRP Sync Group = %s, %s", g.Name, g.State)
	w.line("   Num member fault %d, num member init %d", g.MemberFaults, g.MemberInits)
	w.line("   VRRP member instances :")
	for _, m := range g.Members {
		w.line("     %s", m)
	}
	w.line("   Using smtp notification = %s", yesNo(g.SMTPAlert))
	w.notify(&g.Notify)
}

func (w *writer) script(s *Script) {
	w.line(" VRRP Script = %s", s.Name)
	w.line("   Command = %s", s.Command)
	w.line("   Interval = %d sec", int64(s.Interval/time.Second))
	w.line("   Timeout = %d sec", int64(s.Timeout/time.Second))
	w.line("   Weight = %d", s.Weight)
	w.line("   Rise = %d", s.Rise)
	w.line("   Fall = %d", s.Fall)
	w.line("   Result = %d", s.Result)
	w.line("   Insecure = %s", yesNo(s.Insecure))
	w.line("   Init state = %s", s.InitState)
	if s.Good {
		w.line("   Status = GOOD")
	} else {
		w.line("   Status = BAD")
	}
	w.line("   Script uid:gid = %d:%d", s.UID, s.GID)
	// keepalived 2.2.7 prints this heading with nothing under it, then
	// the tracking list under the next one.
	w.line("   VRRP instances :")
	w.line("   Tracking instances :")
	for _, t := range s.Tracking {
		w.line("     %s, weight %d", t.Name, t.Weight)
	}
	if s.Running {
		w.line("   State = running")
	} else {
		w.line("   State = idle")
	}
}

func (w *writer) trackFile(f *TrackFile) {
	w.line(" Track file = %s", f.Name)
	w.line("   File = %s", f.Path)
	w.line("   Status = %d", f.Status)
	w.line("   Weight = %d", f.Weight)
	w.line("   Tracking instances :")
	for _, t := range f.Tracking {
		w.line("     %s, weight %d", t.Name, t.Weight)
	}
}

func (w *writer) iface(i *Interface) {
	w.line(" Name = %s", i.Name)
	w.line("   index = %d", i.Index)
	w.line("   IPv4 address = %s", addrOrNone(i.IPv4))
	w.line("   IPv6 address = %s", addrOrNone(i.IPv6))
	if i.MAC != "" {
		w.line("   MAC = %s", i.MAC)
		w.line("   MAC broadcast = %s", i.MACBrd)
	}
	st := []string{"not UP", "not RUNNING"}
	if i.Up {
		st[0] = "UP"
	}
	if i.Running {
		st[1] = "RUNNING"
	}
	if i.NoBroadcast {
		st = append(st, "no broadcast")
	}
	if i.Loopback {
		st = append(st, "loopback")
	}
	if i.NoMulticast {
		st = append(st, "no multicast")
	}
	w.line("   State = %s", strings.Join(st, ", "))
	w.line("   Seen up = %d", b2i(i.SeenUp))
	w.line("   Delayed state change running = false")
	w.line("   Up debounce timer = 0us")
	w.line("   Down debounce timer = 0us")
	w.line("   MTU = %d", i.MTU)
	w.line("   HW Type = %s", i.HWType)
	w.line("   NIC netlink status update")
	w.line("   Reset ARP config counter %d", i.ResetARPCount)
	w.line("   Original arp_ignore %d", i.ARPIgnore)
	w.line("   Original arp_filter %d", i.ARPFilter)
	w.line("   Original promote_secondaries %d", i.PromoteSecondaries)
	w.line("   Reset promote_secondaries counter %d", i.ResetPromoteCount)
	if !i.IPv6ForwardingChecked.IsZero() {
		not := "Not "
		if i.IPv6Forwarding {
			not = ""
		}
		w.line("   %sIPv6 forwarding. Last checked %s", not, timevalLate(i.IPv6ForwardingChecked))
	}
	if len(i.Tracking) > 0 {
		w.line("   Tracking VRRP instances :")
		for _, t := range i.Tracking {
			w.line("     %s, weight %d", t.Name, t.Weight)
		}
	}
}

func enabled(b bool) string {
	if b {
		return "enabled"
	}
	return "disabled"
}

func family(v6 bool) string {
	if v6 {
		return "IPv6"
	}
	return "IPv4"
}

func addrOrNone(a netip.Addr) string {
	if !a.IsValid() {
		return "(none)"
	}
	return a.String()
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
