package vrrp

import (
	"net/netip"

	"github.com/gokeepalived/gokeepalived/pkg/config"
)

// Params are the settings one instance's state machine runs on: the
// effective values (defaults and global_defs already applied). Durations
// are microseconds, keepalived's timer unit, so that the arithmetic is
// keepalived's integer arithmetic.
type Params struct {
	Name     string
	VRID     int
	Version  int // 2 or 3
	Priority int // base priority, 1..255 (255: address owner)
	// WantMaster is "state MASTER". Only the address owner becomes master
	// at once; any other instance starts as a backup.
	WantMaster bool
	// AdvertIntUsec is advert_int (whole seconds for v2, centiseconds for
	// v3, as the configuration check rounds it).
	AdvertIntUsec int64
	// SrcIP is the address the instance's adverts leave from
	// (mcast_src_ip / unicast_src_ip, else the interface's primary
	// address): the tie-breaker of equal priorities.
	SrcIP netip.Addr

	VIPs, EVIPs   []VIP
	Routes, Rules bool // virtual_routes / virtual_rules configured
	// NoAccept is no_accept, or the one vrrp_strict implies (RFC 3768
	// §6.4.3 / RFC 5798 §6.4.3 Accept_Mode false): keepalived 2.2.7 then
	// drops traffic to and from the VIPs while master with firewall rules
	// (the effect layer's, with ActAddVIPs / ActDelVIPs).
	NoAccept bool

	NoPreempt            bool
	PreemptDelayUsec     int64
	DownTimerAdverts     int // default 3
	LowerPrioNoAdvert    bool
	HigherPrioSendAdvert bool
	SkipCheckAdvAddr     bool

	GARPDelayUsec          int64 // garp_master_delay
	GARPRepeat             int   // garp_master_repeat
	GARPRefreshUsec        int64 // garp_master_refresh (0: off)
	GARPRefreshRepeat      int
	GARPLowerPrioDelayUsec int64
	GARPLowerPrioRepeat    int

	// StartupDelayUsec is the global vrrp_startup_delay: no backup times
	// out before Start + delay.
	StartupDelayUsec int64

	NotifyPriorityChanges bool
	NotifyDeleted         bool

	// Trackers declares the tracked objects with their weights; a Track
	// event may change both. Scripts start unknown (keepalived's script
	// init state), the others up, unless a Track event before Start says
	// otherwise.
	Trackers []TrackerParam
}

// VIP is one virtual address and the interface it lives on (for logs).
type VIP struct {
	Addr netip.Addr
	Dev  string
}

// TrackerParam is one tracked object of an instance.
type TrackerParam struct {
	Name   string
	Kind   TrackerKind
	Weight int
	// Reverse is the tracker line's "reverse": the machine ignores it,
	// the effect layer (track.Effect) applies it when it makes the
	// Track event.
	Reverse bool
}

// Keepalived's fixed protocol numbers.
const (
	PrioOwner = 255 // the address owner (RFC 3768 §5.3.4)
	PrioStop  = 0   // "I resign" (RFC 3768 §5.3.4)

	defaultDownTimerAdverts = 3
	usecPerSec              = 1_000_000
	usecPerCs               = 10_000
)

// ParamsFromConfig builds an instance's Params from the checked
// configuration model (whose values are already keepalived's effective
// ones). SrcIP stays unset when the file gives none: the runtime fills in
// the interface's address.
func ParamsFromConfig(v *config.VRRPInstance, g *config.GlobalDefs) Params {
	p := Params{
		Name:                   v.Name,
		VRID:                   v.VRID,
		Version:                v.Version,
		Priority:               v.Priority,
		WantMaster:             v.State == "MASTER",
		AdvertIntUsec:          v.AdvertIntUsec,
		SrcIP:                  v.SrcIP,
		Routes:                 len(v.Routes) > 0,
		Rules:                  len(v.Rules) > 0,
		NoAccept:               !v.Accept,
		NoPreempt:              v.NoPreempt,
		PreemptDelayUsec:       v.PreemptDelayUsec,
		DownTimerAdverts:       v.DownTimerAdverts,
		LowerPrioNoAdvert:      v.LowerPrioNoAdvert,
		HigherPrioSendAdvert:   v.HigherPrioSendAdvert,
		SkipCheckAdvAddr:       v.SkipCheckAdvAddr,
		GARPDelayUsec:          int64(v.GARPMasterDelay) * usecPerSec,
		GARPRepeat:             v.GARPMasterRepeat,
		GARPRefreshUsec:        int64(v.GARPMasterRefresh) * usecPerSec,
		GARPRefreshRepeat:      v.GARPMasterRefreshRepeat,
		GARPLowerPrioDelayUsec: int64(v.GARPLowerPrioDelay) * usecPerSec,
		GARPLowerPrioRepeat:    v.GARPLowerPrioRepeat,
		NotifyPriorityChanges:  v.NotifyPriorityChanges,
		NotifyDeleted:          v.NotifyDeleted,
	}
	if g != nil {
		p.StartupDelayUsec = g.VRRPStartupDelayUsec
	}
	p.VIPs = vipsOf(v.VIPs, v.Interface)
	p.EVIPs = vipsOf(v.EVIPs, v.Interface)

	// The instance's own interface is tracked with weight 0 (down means
	// FAULT) unless dont_track_primary; a track_interface line naming it
	// again is ignored, as keepalived does.
	seen := map[string]bool{}
	if v.Interface != "" && !v.DontTrackPrimary {
		p.Trackers = append(p.Trackers, TrackerParam{Name: v.Interface, Kind: KindInterface})
		seen["interface/"+v.Interface] = true
	}
	p.Trackers = appendTracking(p.Trackers, seen, &v.Tracking)
	return p
}

// AddGroupTracking gives an instance its sync group's tracked objects:
// keepalived 2.2.7 (sync_group_tracking_init) adds every object a
// vrrp_sync_group tracks to each member, with the group's weight, after
// the members' own weighted trackers were dropped (unless
// sync_group_tracking_weight). An object the member already tracks keeps
// the member's line.
func AddGroupTracking(p *Params, sg *config.SyncGroup) {
	if sg == nil {
		return
	}
	seen := map[string]bool{}
	for _, t := range p.Trackers {
		seen[t.Kind.String()+"/"+t.Name] = true
	}
	p.Trackers = appendTracking(p.Trackers, seen, &sg.Tracking)
}

// appendTracking adds the track_* lines of an instance or a sync group,
// skipping objects already in seen.
func appendTracking(out []TrackerParam, seen map[string]bool, tr *config.Tracking) []TrackerParam {
	add := func(kind TrackerKind, name string, weight int, reverse bool) {
		key := kind.String() + "/" + name
		if seen[key] {
			return
		}
		seen[key] = true
		out = append(out, TrackerParam{Name: name, Kind: kind, Weight: weight, Reverse: reverse})
	}
	for _, t := range tr.TrackInterfaces {
		add(KindInterface, t.Name, t.Weight, t.Reverse)
	}
	for _, t := range tr.TrackScripts {
		add(KindScript, t.Name, t.Weight, t.Reverse)
	}
	for _, t := range tr.TrackFiles {
		add(KindFile, t.Name, t.Weight, t.Reverse)
	}
	for _, t := range tr.TrackProcesses {
		add(KindProcess, t.Name, t.Weight, t.Reverse)
	}
	for _, t := range tr.TrackBFDs {
		add(KindBFD, t.Name, t.Weight, t.Reverse)
	}
	return out
}

func vipsOf(as []*config.IPAddress, iface string) []VIP {
	if len(as) == 0 {
		return nil
	}
	out := make([]VIP, 0, len(as))
	for _, a := range as {
		dev := a.Dev
		if dev == "" {
			dev = iface
		}
		out = append(out, VIP{Addr: a.Prefix.Addr(), Dev: dev})
	}
	return out
}
