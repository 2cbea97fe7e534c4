package dump

import (
	"net/netip"
	"time"
)

// Snapshot is what the dumps show. The VRRP child fills all of it; the
// parent's keepalived_parent.data shows only Global.
type Snapshot struct {
	Global     Global
	Instances  []Instance
	SyncGroups []SyncGroup
	Scripts    []Script
	TrackFiles []TrackFile
	Sockets    []Socket
	Interfaces []Interface
}

// State is a VRRP state with keepalived's numbers (keepalived.json writes
// them as numbers, keepalived.data by name).
type State int

const (
	Init   State = 0
	Backup State = 1
	Master State = 2
	Fault  State = 3
)

func (s State) String() string {
	switch s {
	case Init:
		return "INIT"
	case Backup:
		return "BACKUP"
	case Master:
		return "MASTER"
	case Fault:
		return "FAULT"
	}
	return "unknown"
}

// Auth is the VRRPv2 authentication type with keepalived's numbers.
type Auth int

const (
	AuthNone Auth = 0
	AuthPass Auth = 1
	AuthAH   Auth = 2
)

// Instance is one vrrp_instance.
type Instance struct {
	Name      string
	Version   int    // 2 or 3
	SyncGroup string // "" when not in a group
	IPv6      bool
	State     State
	WantState State
	// MasterRouter and MasterPriority are the current master's, shown
	// while BACKUP.
	MasterRouter   netip.Addr
	MasterPriority int
	// Unicast is set when unicast_peer is configured, NoPreempt for
	// nopreempt, SrcFromConfig for unicast_src_ip / mcast_src_ip: the
	// instance flags keepalived summarises in its "Flags:" line.
	Unicast       bool
	NoPreempt     bool
	SrcFromConfig bool
	// DontTrackPrimary, SkipCheckAdvAddr and StrictMode are
	// dont_track_primary, skip_check_adv_addr and strict_mode (the
	// instance's or the global one): flags too, each with its own line.
	DontTrackPrimary bool
	SkipCheckAdvAddr bool
	StrictMode       bool

	ConfigFaults    int
	TrackFaults     int // interface and track script faults
	TrackScriptInit int
	LastTransition  time.Time
	// ReadTimeout is when the instance's timer fires; zero when none runs.
	ReadTimeout time.Time
	MasterDown  time.Duration

	Interface string
	// SrcIP is the address adverts are sent from.
	SrcIP netip.Addr
	// MulticastGroup and MulticastIfindex: the group adverts go to (the
	// index is shown for IPv6 only). Unset for unicast instances.
	MulticastGroup   netip.Addr
	MulticastIfindex int

	GARPDelay            int // seconds
	GARPRepeat           int
	GARPRefresh          int // seconds
	GARPRefreshRepeat    int
	GARPLowerPrioDelay   int // seconds
	GARPLowerPrioRepeat  int
	DownTimerAdverts     int
	LowerPrioNoAdvert    bool
	HigherPrioSendAdvert bool

	VRID              int
	Priority          int // base priority
	EffectivePriority int
	TotalPriority     int
	AdvertInterval    time.Duration
	MasterAdvertInt   time.Duration
	Accept            bool
	PreemptDelay      time.Duration
	PromoteSecondary  bool
	Auth              Auth
	AuthPass          string

	VIPs  []Address
	EVIPs []Address
	// VIPsSet says the addresses are configured (keepalived's "vipset").
	VIPsSet bool

	UnicastTTL      int
	CheckUnicastSrc bool
	UnicastPeers    []UnicastPeer
	ChecksumCompat  string // "no", "never", "config", "auto"

	FdIn, FdOut int

	// Routes and Rules are keepalived's one-line forms of the
	// virtual_routes and virtual_rules entries.
	Routes []string
	Rules  []string

	TrackInterfaces []Tracked
	TrackScripts    []TrackedScript
	TrackFiles      []Tracked

	SMTPAlert bool
	// NotifyDeleted is notify_deleted: removed instances notify DELETED
	// instead of FAULT.
	NotifyDeleted         bool
	Notify                NotifyScripts
	NotifyPriorityChanges bool

	VMACInterface string

	Stats Stats
}

// Address is a virtual (or excluded) address as keepalived prints it.
type Address struct {
	Prefix    netip.Prefix
	Broadcast netip.Addr
	Peer      netip.Prefix
	Dev       string
	Scope     string
	Label     string
	// PreferredLft is "forever", a number of seconds, or "" (not shown).
	PreferredLft string
	// Set: the address is configured on the interface now.
	Set bool
}

// UnicastPeer is one unicast_peer entry.
type UnicastPeer struct {
	Addr           netip.Addr
	MinTTL, MaxTTL int
}

// Tracked is a tracked interface or file with its weight.
type Tracked struct {
	Name   string
	Weight int
}

// TrackedScript is a track_script entry: the vrrp_script name and, for
// keepalived.json, its command line.
type TrackedScript struct {
	Name    string
	Command string
	Weight  int
}

// NotifyScripts are an instance's or sync group's notify commands in
// keepalived's quoted form ('/path' 'arg'), "" when not configured.
type NotifyScripts struct {
	Backup, Master, Fault, Stop, Generic, MasterRxLowerPri string
	UID, GID                                               int
}

// Stats are an instance's counters (keepalived.stats, keepalived.json).
type Stats struct {
	AdvertRcvd        uint64
	AdvertSent        uint64
	BecomeMaster      uint64
	ReleaseMaster     uint64
	PacketLenErr      uint64
	IPTTLErr          uint64
	InvalidTypeRcvd   uint64
	AdvertIntervalErr uint64
	AddrListErr       uint64
	InvalidAuthType   uint64
	AuthTypeMismatch  uint64
	AuthFailure       uint64
	PriZeroRcvd       uint64
	PriZeroSent       uint64
}

// SyncGroup is a vrrp_sync_group.
type SyncGroup struct {
	Name         string
	State        State
	MemberFaults int
	MemberInits  int
	Members      []string
	SMTPAlert    bool
	Notify       NotifyScripts
}

// Script is a vrrp_script.
type Script struct {
	Name     string
	Command  string // quoted form
	Interval time.Duration
	Timeout  time.Duration
	Weight   int
	Rise     int
	Fall     int
	Result   int
	Insecure bool
	// InitState is keepalived's init-state word ("unknown" once run).
	InitState string
	// Good: the last result is at or above rise.
	Good     bool
	UID, GID int
	Tracking []Tracked
	// Running: the script is executing now.
	Running bool
}

// TrackFile is a track_file (vrrp_track_file) block.
type TrackFile struct {
	Name   string
	Path   string
	Status int // the number last read from the file
	Weight int
	// Tracking are the instances using it, with their weights.
	Tracking []Tracked
}

// Socket is one entry of keepalived's socket pool: the sockets shared by
// the instances on one interface, family and protocol.
type Socket struct {
	FdIn, FdOut int
	Interface   string
	IPv6        bool
	AH          bool
	Unicast     bool
	// Address is the unicast source address.
	Address   netip.Addr
	RxBufSize int
	Instances []SocketInstance
}

// SocketInstance is an instance receiving on a socket.
type SocketInstance struct {
	Name string
	VRID int
}

// Interface is one network interface the VRRP child knows.
type Interface struct {
	Name    string
	Index   int
	IPv4    netip.Addr // invalid: "(none)"
	IPv6    netip.Addr
	MAC     string // "" for interfaces without one (loopback)
	MACBrd  string
	Up      bool
	Running bool
	// Loopback, NoBroadcast, NoMulticast add keepalived's state words.
	Loopback    bool
	NoBroadcast bool
	NoMulticast bool
	SeenUp      bool
	MTU         int
	HWType      string // "ETHERNET", "LOOPBACK"
	// ARPIgnore, ARPFilter, PromoteSecondaries are the sysctl values
	// keepalived saved before changing them, with its reset counters.
	ResetARPCount      int
	ARPIgnore          int
	ARPFilter          int
	PromoteSecondaries int
	ResetPromoteCount  int
	// IPv6ForwardingChecked is when keepalived last read the interface's
	// IPv6 forwarding setting (zero: never); IPv6Forwarding the result.
	IPv6ForwardingChecked time.Time
	IPv6Forwarding        bool
	Tracking              []Tracked
}
