package vrrp

import "net/netip"

// Event is an input to Machine.Step: a packet, a timer expiry, a tracker
// change or an administrative request. The machine never reads a clock or
// a socket; everything it reacts to arrives as an Event.
type Event interface{ isEvent() }

// Start begins the protocol (RFC 3768 §6.4.1 / RFC 5798 §6.4.1, the
// Initialize state). Tracker statuses known before the start are given
// first as Track events.
//
// Resume starts the instance as master at once: a VRRP process the
// parent respawned after it died finds this instance's addresses still
// configured (it was master a moment ago) and carries on, so that the
// backups never see a gap long enough to take over. Ignored for a sync
// group member, and for an instance in FAULT.
type Start struct{ Resume bool }

// StartupClear is keepalived 2.2.7's clean-up before the first Start of an
// instance whose interface existed before the daemon (not a VMAC it
// creates, not a reload): the instance's virtual rules, routes, VIPs and
// eVIPs are removed, and logged as when leaving MASTER, whoever
// configured them. A backup thus never keeps a VIP that a killed daemon
// (ours or keepalived) left on the interface. Ignored once started.
type StartupClear struct{}

// Stop is a shutdown (SIGTERM): a master sends priority 0 and removes its
// addresses; every instance notifies STOP.
type Stop struct{}

// Delete is the removal of the instance by a configuration reload.
type Delete struct{}

// Advert is a received advertisement for this instance's VRID that passed
// the receive path's packet checks (length, TTL, checksum, auth,
// unicast peer). The checks that depend on the instance's state are the
// machine's: version, the v2 interval, and the address list.
type Advert struct {
	Version  int // 2 or 3
	VRID     int
	Priority int // 0..255
	// AdvertIntCs is the advertisement interval in centiseconds: a v2
	// packet's seconds times 100, a v3 packet's 12-bit field as is.
	AdvertIntCs int
	// Src is the sender's IP header source address (the tie-breaker).
	Src netip.Addr
	// Addrs is the packet's address list, used for the log line when
	// AddrsDiffer is set.
	Addrs []netip.Addr
	// AddrsDiffer is set by the receive path when the address list does
	// not match the instance's VIPs (count or content). The machine
	// decides whether that matters (skip_check_adv_addr).
	AddrsDiffer bool
}

// TimerFired reports that a timer the machine armed has expired.
type TimerFired struct{ Timer TimerID }

// Track reports a tracked object's status: a vrrp_script, track_file,
// track_process, track_bfd or interface (the instance's own interface is
// a tracker of weight 0).
//
// A tracker of weight 0 puts the instance in FAULT while it is down. A
// weighted tracker adds its weight to the priority while up when the
// weight is positive, or while down when it is negative (keepalived's
// rule). The tracker layer (track.Effect) applies "reverse" as the
// opposite weight with the opposite status, and maps a track_file's
// value×weight onto Weight (up for a positive product, down for a
// negative one; weight 0 and down for a file in fault).
type Track struct {
	Name   string
	Kind   TrackerKind
	Weight int
	Up     bool
}

func (StartupClear) isEvent() {}
func (Start) isEvent()        {}
func (Stop) isEvent()         {}
func (Delete) isEvent()       {}
func (Advert) isEvent()       {}
func (TimerFired) isEvent()   {}
func (Track) isEvent()        {}

// TrackerKind says what a tracker watches; it only changes log wording.
type TrackerKind uint8

// Tracker kinds.
const (
	KindScript TrackerKind = iota
	KindInterface
	KindFile
	KindProcess
	KindBFD
)

var kindNames = [...]string{"script", "interface", "file", "process", "bfd"}

func (k TrackerKind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "unknown"
}

// TimerID names one of an instance's timers.
type TimerID uint8

// Timers. TimerMain is keepalived's per-instance "sands": the advert timer
// of a master, the master-down timer of a backup. TimerGARP fires delayed
// gratuitous ARP / NA bursts (garp_master_delay, garp_lower_prio_delay).
const (
	TimerMain TimerID = iota
	TimerGARP
)

func (t TimerID) String() string {
	if t == TimerGARP {
		return "garp"
	}
	return "main"
}

// State is an instance's VRRP state. Stop and Deleted only appear in
// notifications.
type State uint8

// States.
const (
	Init State = iota
	Backup
	Master
	Fault
	Stopped
	Deleted
)

var stateNames = [...]string{"INIT", "BACKUP", "MASTER", "FAULT", "STOP", "DELETED"}

func (s State) String() string {
	if int(s) < len(stateNames) {
		return stateNames[s]
	}
	return "UNKNOWN"
}
