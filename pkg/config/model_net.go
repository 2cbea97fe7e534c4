package config

import "net/netip"

// IPAddress is one line of virtual_ipaddress, virtual_ipaddress_excluded or
// static_ipaddress: IP[/len] [brd IP|+|-] [dev IF] [scope S] [label L]
// [peer IP] [home] [-nodad] [mngtmpaddr] [noprefixroute] [autojoin]
// [no_track] [preferred_lft N|forever] [use_vmac] [track_group G].
type IPAddress struct {
	Pos Pos `json:"-"`
	// Text is the address word as written, which keepalived quotes in its
	// messages.
	Text string `json:"-"`

	// Prefix is the address with its prefix length (host bits kept: the
	// kernel stores the address as given).
	Prefix netip.Prefix `json:"prefix"`
	// Broadcast is an explicit IPv4 broadcast address; BroadcastMode is
	// "+" (set the host bits) or "-" (clear them) for brd +/-.
	Broadcast     netip.Addr `json:"broadcast,omitzero"`
	BroadcastMode string     `json:"broadcast_mode,omitempty"`
	Dev           string     `json:"dev,omitempty"`
	Scope         uint8      `json:"scope,omitempty"` // rtnetlink scope, 0 = global
	Label         string     `json:"label,omitempty"`
	// Peer is the peer address of a point-to-point address.
	Peer          netip.Addr `json:"peer,omitzero"`
	Home          bool       `json:"home,omitempty"`
	NoDAD         bool       `json:"nodad,omitempty"`
	MngTmpAddr    bool       `json:"mngtmpaddr,omitempty"`
	NoPrefixRoute bool       `json:"noprefixroute,omitempty"`
	AutoJoin      bool       `json:"autojoin,omitempty"`
	NoTrack       bool       `json:"no_track,omitempty"`
	// UseVMAC (VIPs only) puts the address on a VMAC of its interface.
	UseVMAC bool `json:"use_vmac,omitempty"`
	// TrackGroup (static addresses only) names a track_group.
	TrackGroup string `json:"track_group,omitempty"`
	// PreferredLft is in seconds; LifetimeForever means forever.
	PreferredLft *uint32 `json:"preferred_lft,omitempty"`
}

// LifetimeForever is preferred_lft forever.
const LifetimeForever = 0xFFFFFFFF

// Route is one line of virtual_routes or static_routes (ip route syntax).
type Route struct {
	Pos Pos `json:"-"`
	// Dest is the destination as written ("default", "1.2.3.0/24"),
	// quoted by keepalived's messages.
	Dest string `json:"-"`

	IPv6 bool `json:"ipv6,omitempty"`
	// Type is the route type ("unicast" unless given: blackhole,
	// unreachable, prohibit, throw, local, ...).
	Type  string       `json:"type"`
	Dst   netip.Prefix `json:"dst"`
	Src   netip.Addr   `json:"src,omitzero"`  // preferred source (src)
	From  netip.Prefix `json:"from,omitzero"` // source prefix (from, IPv6)
	Via   netip.Addr   `json:"via,omitzero"`
	Dev   string       `json:"dev,omitempty"`
	VRF   string       `json:"vrf,omitempty"`
	Table uint32       `json:"table"`
	// Metric is metric/priority/preference.
	Metric   *uint32      `json:"metric,omitempty"`
	Protocol uint8        `json:"protocol"`
	Scope    *uint8       `json:"scope,omitempty"`
	TOS      *uint8       `json:"tos,omitempty"`
	Realms   uint32       `json:"realms,omitempty"` // from<<16 | to
	OnLink   bool         `json:"onlink,omitempty"`
	Metrics  RouteMetrics `json:"metrics"`
	Encap    *Encap       `json:"encap,omitempty"`
	Nexthops []Nexthop    `json:"nexthops,omitempty"`
	NoTrack  bool         `json:"no_track,omitempty"`
	// TrackGroup (static routes only) names a track_group.
	TrackGroup string `json:"track_group,omitempty"`
	// Mode is how the route is added: "prepend" (keepalived's default),
	// "add" or "append".
	Mode string `json:"mode"`

	hasProtocol bool // protocol was given (it is then checked for tracking)
}

// RouteMetrics are the per-route TCP metrics (RTAX_*); nil = not set.
type RouteMetrics struct {
	MTU              *uint32  `json:"mtu,omitempty"`
	Hoplimit         *uint32  `json:"hoplimit,omitempty"`
	AdvMSS           *uint32  `json:"advmss,omitempty"`
	RTT              *uint32  `json:"rtt,omitempty"`     // kernel units (1/8 ms)
	RTTVar           *uint32  `json:"rttvar,omitempty"`  // kernel units (1/4 ms)
	RTOMin           *uint32  `json:"rto_min,omitempty"` // ms
	Reordering       *uint32  `json:"reordering,omitempty"`
	Window           *uint32  `json:"window,omitempty"`
	CWnd             *uint32  `json:"cwnd,omitempty"`
	SSThresh         *uint32  `json:"ssthresh,omitempty"`
	InitCWnd         *uint32  `json:"initcwnd,omitempty"`
	InitRWnd         *uint32  `json:"initrwnd,omitempty"`
	QuickAck         *uint32  `json:"quickack,omitempty"`
	FastopenNoCookie *uint32  `json:"fastopen_no_cookie,omitempty"`
	CongCtl          string   `json:"congctl,omitempty"`
	FeaturesECN      bool     `json:"features_ecn,omitempty"`
	Pref             *uint8   `json:"pref,omitempty"`
	Expires          *uint32  `json:"expires,omitempty"`
	TTLPropagate     *bool    `json:"ttl_propagate,omitempty"`
	Locked           []string `json:"locked,omitempty"` // metrics given with "lock"
}

// Nexthop is one "nexthop" of a multipath route (or an "or" address).
type Nexthop struct {
	Via    netip.Addr `json:"via,omitzero"`
	Dev    string     `json:"dev,omitempty"`
	Weight int        `json:"weight,omitempty"` // 1..256, 0 = not given
	OnLink bool       `json:"onlink,omitempty"`
	Realms uint32     `json:"realms,omitempty"`
	Encap  *Encap     `json:"encap,omitempty"`
}

// Encap is a lightweight tunnel encapsulation (encap mpls|ip|ip6|ila).
type Encap struct {
	Type string `json:"type"`
	// mpls
	Labels []uint32 `json:"labels,omitempty"`
	// ip / ip6
	ID    *uint64    `json:"id,omitempty"`
	Dst   netip.Addr `json:"dst,omitzero"`
	Src   netip.Addr `json:"src,omitzero"`
	TOS   *uint8     `json:"tos,omitempty"` // tos (ip) or tc (ip6)
	TTL   *uint8     `json:"ttl,omitempty"` // ttl (ip) or hoplimit (ip6)
	Flags *uint16    `json:"flags,omitempty"`
	// ila
	Locator uint64 `json:"locator,omitempty"`
}

// Rule is one line of virtual_rules or static_rules (ip rule syntax).
type Rule struct {
	Pos Pos `json:"-"`

	IPv6 bool         `json:"ipv6,omitempty"`
	Not  bool         `json:"not,omitempty"`
	From netip.Prefix `json:"from,omitzero"` // zero prefix with FromAll for "all"/"default"
	To   netip.Prefix `json:"to,omitzero"`
	// FromAll / ToAll: the selector was "all", "any" or "default".
	FromAll bool `json:"from_all,omitempty"`
	ToAll   bool `json:"to_all,omitempty"`
	// Action is "table", "goto", "nop", "blackhole", "unreachable" or
	// "prohibit"; l3mdev rules have Action "table" and L3mdev set.
	Action string `json:"action"`
	Table  uint32 `json:"table,omitempty"`
	Goto   uint32 `json:"goto,omitempty"`
	// Priority is the preference; PriorityAuto is set when keepalived
	// chose it because none was given.
	Priority          uint32     `json:"priority"`
	PriorityAuto      bool       `json:"priority_auto,omitempty"`
	TOS               *uint8     `json:"tos,omitempty"`
	Fwmark            *uint32    `json:"fwmark,omitempty"`
	Fwmask            *uint32    `json:"fwmask,omitempty"`
	Realms            uint32     `json:"realms,omitempty"`
	SuppressPrefixLen *int32     `json:"suppress_prefixlength,omitempty"`
	SuppressIfGroup   *uint32    `json:"suppress_ifgroup,omitempty"`
	IIF               string     `json:"iif,omitempty"`
	OIF               string     `json:"oif,omitempty"`
	TunnelID          *uint64    `json:"tunnel_id,omitempty"`
	UIDRange          *[2]uint32 `json:"uidrange,omitempty"`
	L3mdev            bool       `json:"l3mdev,omitempty"`
	Protocol          uint8      `json:"protocol"`
	IPProto           *uint8     `json:"ipproto,omitempty"`
	SPort             *[2]uint16 `json:"sport,omitempty"`
	DPort             *[2]uint16 `json:"dport,omitempty"`
	NoTrack           bool       `json:"no_track,omitempty"`
	TrackGroup        string     `json:"track_group,omitempty"`
}

// rtprotKeepalived is RTPROT_KEEPALIVED: tracked routes and rules carry it.
const rtprotKeepalived = 18
