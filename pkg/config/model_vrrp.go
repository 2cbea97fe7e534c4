package config

import "net/netip"

// The VRRP side of the model: vrrp_script, track_file, vrrp_track_process,
// vrrp_sync_group, vrrp_instance, garp_group, linkbeat_interfaces,
// interface_up_down_delays, track_group and bfd_instance.
//
// Units follow keepalived: durations named ...Usec are microseconds
// (keepalived's TIMER_HZ), the others whole seconds. Settings an instance
// inherits from global_defs are resolved by the VRRP check (check_vrrp.go),
// after the whole file is read, so that consumers see effective values;
// Set records which keywords the file gave explicitly.

// VRRPScript is a vrrp_script block.
type VRRPScript struct {
	Pos  Pos    `json:"-"`
	Name string `json:"name"`
	// Argv is the command split into words (never run through a shell).
	Argv []string `json:"argv"`
	// IntervalSec is the time between runs (default 1).
	IntervalSec int `json:"interval"`
	// TimeoutSec is how long a run may take; 0 means not configured.
	TimeoutSec    int  `json:"timeout,omitempty"`
	Weight        int  `json:"weight"`
	WeightReverse bool `json:"weight_reverse,omitempty"`
	Rise          int  `json:"rise"`
	Fall          int  `json:"fall"`
	// User and Group come from the "user" keyword; empty means the default
	// script user (global script_user, else keepalived_script, else root).
	User     string `json:"user,omitempty"`
	Group    string `json:"group,omitempty"`
	InitFail bool   `json:"init_fail,omitempty"`
	// Insecure is set by the script-security check when keepalived would
	// refuse to run the script (not found, not executable, unsafe).
	Insecure bool `json:"insecure,omitempty"`

	userBad bool // "user" named an unknown user or group: dropped at the end
}

// TrackFile is a track_file (or vrrp_track_file) block.
type TrackFile struct {
	Pos           Pos    `json:"-"`
	Name          string `json:"name"`
	File          string `json:"file"`
	Weight        int    `json:"weight"` // default 1
	WeightReverse bool   `json:"weight_reverse,omitempty"`
	// Init is set by init_file: create the file with Value when missing,
	// or always when Overwrite is set.
	Init *TrackFileInit `json:"init_file,omitempty"`
}

// TrackFileInit is the init_file setting of a track_file.
type TrackFileInit struct {
	Value     int  `json:"value"`
	Overwrite bool `json:"overwrite,omitempty"`
}

// TrackProcess is a vrrp_track_process block.
type TrackProcess struct {
	Pos     Pos      `json:"-"`
	Name    string   `json:"name"`
	Process string   `json:"process"`
	Params  []string `json:"params,omitempty"`
	// ParamMatch is "", "exact", "initial" or "partial".
	ParamMatch         string `json:"param_match,omitempty"`
	Quorum             int    `json:"quorum"`     // default 1
	QuorumMax          int    `json:"quorum_max"` // default unlimited (-1)
	TerminateDelayUsec int64  `json:"terminate_delay_usec,omitempty"`
	ForkDelayUsec      int64  `json:"fork_delay_usec,omitempty"`
	Weight             int    `json:"weight"`
	WeightReverse      bool   `json:"weight_reverse,omitempty"`
	FullCommand        bool   `json:"full_command,omitempty"`
}

// QuorumUnlimited is quorum_max when it was not configured.
const QuorumUnlimited = -1

// TrackedInterface is one line of a track_interface block.
type TrackedInterface struct {
	Pos     Pos    `json:"-"`
	Name    string `json:"name"`
	Weight  int    `json:"weight"`
	Reverse bool   `json:"reverse,omitempty"`
}

// Tracked is one line of a track_script, track_file, track_process or
// track_bfd block: the name of the tracked object with its weight (the
// object's own weight unless given on the line).
type Tracked struct {
	Pos     Pos    `json:"-"`
	Name    string `json:"name"`
	Weight  int    `json:"weight"`
	Reverse bool   `json:"reverse,omitempty"`
}

// NotifyScript is a notify* keyword: the command split into argv and the
// optional user and group given after it.
type NotifyScript struct {
	Pos   Pos      `json:"-"`
	Argv  []string `json:"argv"`
	User  string   `json:"user,omitempty"`
	Group string   `json:"group,omitempty"`
}

// Tracking is the set of track_* blocks shared by instances and sync groups.
type Tracking struct {
	TrackInterfaces []*TrackedInterface `json:"track_interface,omitempty"`
	TrackScripts    []*Tracked          `json:"track_script,omitempty"`
	TrackFiles      []*Tracked          `json:"track_file,omitempty"`
	TrackProcesses  []*Tracked          `json:"track_process,omitempty"`
	TrackBFDs       []*Tracked          `json:"track_bfd,omitempty"`
}

// Notifies are the notify scripts shared by instances and sync groups.
type Notifies struct {
	NotifyMaster *NotifyScript `json:"notify_master,omitempty"`
	NotifyBackup *NotifyScript `json:"notify_backup,omitempty"`
	NotifyFault  *NotifyScript `json:"notify_fault,omitempty"`
	NotifyStop   *NotifyScript `json:"notify_stop,omitempty"`
	// Notify is the generic script, called with type, name, state and
	// priority appended.
	Notify *NotifyScript `json:"notify,omitempty"`
}

// SyncGroup is a vrrp_sync_group block.
type SyncGroup struct {
	Pos  Pos    `json:"-"`
	Name string `json:"name"`
	// Group lists the instance names as written; Members the instances
	// the check kept (existing, in no other group).
	Group   []string `json:"group"`
	Members []string `json:"members,omitempty"`
	Tracking
	Notifies
	SMTPAlert             *bool `json:"smtp_alert,omitempty"`
	TrackingWeight        bool  `json:"sync_group_tracking_weight,omitempty"`
	NotifyPriorityChanges *bool `json:"notify_priority_changes,omitempty"`

	hasGroup   bool
	missingIfs int
}

// UnicastPeer is one line of unicast_peer.
type UnicastPeer struct {
	Pos    Pos        `json:"-"`
	Addr   netip.Addr `json:"address"`
	MinTTL int        `json:"min_ttl"`
	MaxTTL int        `json:"max_ttl"`
}

// VRRPAuth is the authentication block (VRRPv2 only).
type VRRPAuth struct {
	// Type is "", "PASS" or "AH".
	Type string `json:"type,omitempty"`
	// Pass is the password, truncated to 8 bytes as keepalived does.
	Pass string `json:"pass,omitempty"`
}

// IPVLAN is the use_ipvlan setting.
type IPVLAN struct {
	Name string       `json:"name,omitempty"`
	Addr netip.Prefix `json:"address,omitzero"`
	// Mode is "" (bridge), "private" or "vepa".
	Mode string `json:"mode,omitempty"`
}

// VRRPInstance is a vrrp_instance block.
type VRRPInstance struct {
	Pos  Pos    `json:"-"`
	Name string `json:"name"`

	// State is the configured initial state, "MASTER" or "BACKUP" ("" when
	// not given); after the check it holds the effective initial state.
	State     string `json:"state"`
	Interface string `json:"interface,omitempty"`
	VRF       string `json:"vrf,omitempty"`
	// Family is "inet" or "inet6", deduced from the addresses (IPv4 when
	// nothing says otherwise).
	Family string `json:"family"`

	VRID     int `json:"virtual_router_id"`
	Priority int `json:"priority"`
	// AdvertIntUsec is advert_int (default 1s), rounded as keepalived
	// rounds it for the VRRP version.
	AdvertIntUsec int64 `json:"advert_int_usec"`
	// Version is 2 or 3 (global vrrp_version unless given or deduced).
	Version    int  `json:"version"`
	NativeIPv6 bool `json:"native_ipv6,omitempty"`

	SrcIP              netip.Addr     `json:"src_ip,omitzero"` // mcast_src_ip / unicast_src_ip
	McastDstIP         netip.Addr     `json:"mcast_dst_ip,omitzero"`
	TrackSrcIP         bool           `json:"track_src_ip,omitempty"`
	UnicastPeers       []*UnicastPeer `json:"unicast_peer,omitempty"`
	UnicastTTL         int            `json:"unicast_ttl"` // -1: not set
	CheckUnicastSrc    bool           `json:"check_unicast_src,omitempty"`
	UnicastFaultNoPeer bool           `json:"unicast_fault_no_peer,omitempty"`
	// OldUnicastChecksum is "" (not set), "config" or "never".
	OldUnicastChecksum string `json:"old_unicast_checksum,omitempty"`

	UseVMAC      bool    `json:"use_vmac,omitempty"`
	VMACName     string  `json:"vmac_name,omitempty"`
	VMACAddr     string  `json:"vmac_address,omitempty"`
	UseVMACAddr  bool    `json:"use_vmac_addr,omitempty"`
	VMACXmitBase bool    `json:"vmac_xmit_base,omitempty"`
	UseIPVLAN    *IPVLAN `json:"use_ipvlan,omitempty"`
	// GARPExtraIfSec is garp_extra_if (vmac_garp_intvl); -1 when unset.
	GARPExtraIfSec int  `json:"garp_extra_if"`
	GARPExtraIfAll bool `json:"garp_extra_if_all,omitempty"`

	DontTrackPrimary bool `json:"dont_track_primary,omitempty"`
	Tracking

	VIPs   []*IPAddress `json:"virtual_ipaddress,omitempty"`
	EVIPs  []*IPAddress `json:"virtual_ipaddress_excluded,omitempty"`
	Routes []*Route     `json:"virtual_routes,omitempty"`
	Rules  []*Rule      `json:"virtual_rules,omitempty"`

	PromoteSecondaries bool  `json:"promote_secondaries,omitempty"`
	LinkbeatUsePolling bool  `json:"linkbeat_use_polling,omitempty"`
	Accept             bool  `json:"accept"`
	SkipCheckAdvAddr   bool  `json:"skip_check_adv_addr,omitempty"`
	StrictMode         bool  `json:"strict_mode,omitempty"`
	NoPreempt          bool  `json:"nopreempt,omitempty"`
	PreemptDelayUsec   int64 `json:"preempt_delay_usec,omitempty"`
	Debug              int   `json:"debug,omitempty"`

	Notifies
	NotifyDeleted          bool          `json:"notify_deleted,omitempty"`
	NotifyDeletedScript    *NotifyScript `json:"notify_deleted_script,omitempty"`
	NotifyMasterRxLowerPri *NotifyScript `json:"notify_master_rx_lower_pri,omitempty"`
	SMTPAlert              bool          `json:"smtp_alert,omitempty"`
	NotifyPriorityChanges  bool          `json:"notify_priority_changes,omitempty"`

	LVSSyncDaemonInterface string `json:"lvs_sync_daemon_interface,omitempty"`

	GARPMasterDelay         int   `json:"garp_master_delay"`
	GARPMasterRepeat        int   `json:"garp_master_repeat"`
	GARPMasterRefresh       int   `json:"garp_master_refresh"`
	GARPMasterRefreshRepeat int   `json:"garp_master_refresh_repeat"`
	GARPLowerPrioDelay      int   `json:"garp_lower_prio_delay"`
	GARPLowerPrioRepeat     int   `json:"garp_lower_prio_repeat"`
	DownTimerAdverts        int   `json:"down_timer_adverts"`
	LowerPrioNoAdvert       bool  `json:"lower_prio_no_advert,omitempty"`
	HigherPrioSendAdvert    bool  `json:"higher_prio_send_advert,omitempty"`
	KernelRxBufSize         int64 `json:"kernel_rx_buf_size,omitempty"`

	Auth VRRPAuth `json:"authentication,omitzero"`

	// SyncGroup is the sync group the instance belongs to (set by the check).
	SyncGroup string `json:"sync_group,omitempty"`

	// Set records the keywords given explicitly in the block (keepalived
	// treats "given" and "defaulted" differently for several settings).
	Set map[string]bool `json:"-"`

	ifaceMissing bool // interface named but absent (keepalived stops)
	missingIfs   int  // track_interface entries naming absent interfaces
	loopback     bool // interface was a loopback, ignored
	vipCount     int  // VIPs kept, for the packet-size check
}

// GARPGroup is a garp_group block.
type GARPGroup struct {
	Pos              Pos      `json:"-"`
	GARPIntervalUsec int64    `json:"garp_interval_usec,omitempty"`
	GNAIntervalUsec  int64    `json:"gna_interval_usec,omitempty"`
	HaveGARP         bool     `json:"have_garp_interval,omitempty"`
	HaveGNA          bool     `json:"have_gna_interval,omitempty"`
	Interfaces       []string `json:"interfaces,omitempty"`

	missingIfs  int
	aggregation int // keepalived's number for groups with an interfaces block
}

// InterfaceUpDown is one line of interface_up_down_delays.
type InterfaceUpDown struct {
	Pos       Pos    `json:"-"`
	Interface string `json:"interface"`
	DownUsec  int64  `json:"down_delay_usec"`
	UpUsec    int64  `json:"up_delay_usec"`
}

// BFDInstance is a bfd_instance block (parsed; BFD itself is not built yet).
type BFDInstance struct {
	Pos      Pos        `json:"-"`
	Name     string     `json:"name"`
	Neighbor netip.Addr `json:"neighbor_ip,omitzero"`
	Source   netip.Addr `json:"source_ip,omitzero"`
	// Intervals are in microseconds (keepalived reads milliseconds with
	// three decimals); 0 means keepalived's default.
	MinRxUsec  int64 `json:"min_rx_usec,omitempty"`
	MinTxUsec  int64 `json:"min_tx_usec,omitempty"`
	IdleTxUsec int64 `json:"idle_tx_usec,omitempty"`
	Multiplier int   `json:"multiplier,omitempty"`
	Passive    bool  `json:"passive,omitempty"`
	TTL        int   `json:"ttl,omitempty"`
	MaxHops    int   `json:"max_hops,omitempty"`
	Weight     int   `json:"weight,omitempty"`
	Reverse    bool  `json:"weight_reverse,omitempty"`
	// VRRP / Checker restrict the events to those processes when given.
	VRRP    bool `json:"vrrp,omitempty"`
	Checker bool `json:"checker,omitempty"`
	// Disabled is set when keepalived's BFD process drops the instance
	// (no or malformed neighbor, family mismatch, duplicate). Its name
	// still counts for track_bfd, as in keepalived's VRRP process.
	Disabled bool `json:"disabled,omitempty"`
}
