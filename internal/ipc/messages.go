package ipc

import (
	"errors"
	"fmt"
	"net/netip"
)

// Type is the message type in a frame header.
type Type uint16

// The message types of protocol version 1. Numbers are part of the wire
// format: never renumber, only add (and bump Version when a peer of the
// old version would misread).
const (
	TypeHello     Type = 1
	TypeConfig    Type = 2
	TypeReload    Type = 3
	TypeConfigAck Type = 4
	TypeVRRPState Type = 5
	TypeHealth    Type = 6
	TypeRelay     Type = 7
	TypeStop      Type = 8
	TypePing      Type = 9
	TypePong      Type = 10
	TypeDump      Type = 11
)

var typeNames = map[Type]string{
	TypeHello: "Hello", TypeConfig: "Config", TypeReload: "Reload",
	TypeConfigAck: "ConfigAck", TypeVRRPState: "VRRPState", TypeHealth: "Health",
	TypeRelay: "Relay", TypeStop: "Stop", TypePing: "Ping", TypePong: "Pong",
	TypeDump: "Dump",
}

func (t Type) String() string {
	if s, ok := typeNames[t]; ok {
		return s
	}
	return fmt.Sprintf("Type(%d)", uint16(t))
}

// Message is one of the payload types below (always a pointer).
type Message interface {
	Type() Type
}

// newMessage returns a zero message of type t, or nil for an unknown type.
func newMessage(t Type) Message {
	switch t {
	case TypeHello:
		return new(Hello)
	case TypeConfig:
		return new(Config)
	case TypeReload:
		return new(Reload)
	case TypeConfigAck:
		return new(ConfigAck)
	case TypeVRRPState:
		return new(VRRPState)
	case TypeHealth:
		return new(Health)
	case TypeRelay:
		return new(Relay)
	case TypeStop:
		return new(Stop)
	case TypePing:
		return new(Ping)
	case TypePong:
		return new(Pong)
	case TypeDump:
		return new(Dump)
	}
	return nil
}

// Hello is the first frame each end sends. Its layout must never change:
// it is how two versions recognise each other.
type Hello struct {
	// Version is the sender's protocol version.
	Version uint16 `json:"version"`
	Role    Role   `json:"role"`
	PID     int    `json:"pid"`
	// Build identifies the executable (keepalived's version line), for
	// the message when versions differ.
	Build string `json:"build,omitempty"`
}

// Snapshot is the configuration a child runs: what the parent read,
// validated and logged the diagnostics of. The child never reads the
// configuration file itself (keepalived's children re-read it after a
// fork; a file edited in between would make parent and child disagree).
type Snapshot struct {
	// Generation counts the snapshots the parent has sent (1 at start,
	// +1 per successful reload), so acks and logs can name one.
	Generation uint64 `json:"generation"`
	// Path is the main configuration file (-f), for messages.
	Path string `json:"path"`
	// ConfigID is -i (the id '@' lines were resolved against).
	ConfigID string `json:"config_id,omitempty"`
	// AllConfig is -e (missing include files are errors).
	AllConfig bool `json:"all_config,omitempty"`
	// Files is every file the parent's parse read, name → contents: the
	// child parses exactly the text the parent checked. The parsed model
	// does not cross: its JSON leaves out what the model marks json:"-"
	// (positions, the explicitly set keywords), and parsing is cheap.
	Files map[string][]byte `json:"files,omitempty"`
	// Wd is the parent's working directory (${_PWD}, relative names).
	Wd string `json:"wd,omitempty"`
}

// Config is the first snapshot a child receives; it starts its instances
// or checkers from it.
type Config struct {
	Snapshot
	// Respawn: the child replaces one that died. Instances whose
	// addresses are still configured resume as master at once.
	Respawn bool `json:"respawn,omitempty"`
}

// Reload is a new snapshot after SIGHUP, sent only once the parent has
// validated it (a broken edit never reaches a child). The child keeps the
// state of unchanged instances.
type Reload struct {
	Snapshot
}

// ConfigAck answers Config and Reload: the child has applied the snapshot
// (Error empty) or refused it. The parent tells systemd READY=1 once every
// child acknowledged.
type ConfigAck struct {
	Generation uint64 `json:"generation"`
	Error      string `json:"error,omitempty"`
}

// VRRPState is a VRRP child's report of one instance's state change, as
// keepalived's notify and notify_fifo lines carry it.
type VRRPState struct {
	Instance string `json:"instance"`
	// Group is the sync group, if any.
	Group string `json:"group,omitempty"`
	State State  `json:"state"`
	// Priority is the effective priority (base plus tracking weights).
	Priority uint8 `json:"priority"`
}

// Health is a checker child's report of a real server's health, the
// event keepalived logs as "Adding service ... to VS" / "Removing
// service ... from VS".
type Health struct {
	// VirtualServer names the virtual server as keepalived's logs do
	// ("[192.168.0.1]:tcp:80", "FWM 5", a group name).
	VirtualServer string `json:"virtual_server"`
	// RealServer is "[ip]:proto:port".
	RealServer string `json:"real_server"`
	// Checker is the checker kind (HTTP_GET, TCP_CHECK, ...).
	Checker string `json:"checker,omitempty"`
	Up      bool   `json:"up"`
	// Detail is the failure reason, for the parent's log.
	Detail string `json:"detail,omitempty"`
}

// Relay carries a VRRP instance's state from the VRRP child to the
// checker child through the parent, for ha_suspend: keepalived suspends
// the checkers of a virtual server while its address is not configured.
type Relay struct {
	Instance string `json:"instance"`
	State    State  `json:"state"`
	// Addresses are the instance's virtual addresses, configured only
	// while State is MASTER.
	Addresses []netip.Addr `json:"addresses,omitempty"`
}

// Stop asks a child for keepalived's ordered stop: masters send priority
// 0, addresses are removed (unless -V / -I), notify_stop runs, then it
// exits 0.
type Stop struct {
	Reason string `json:"reason,omitempty"`
}

// Ping is the watchdog's liveness probe; the child answers with a Pong of
// the same Seq. A child that stops answering is killed and respawned, as
// keepalived's parent does with its children.
type Ping struct {
	Seq uint64 `json:"seq"`
}

// Pong answers Ping.
type Pong struct {
	Seq uint64 `json:"seq"`
}

// Dump forwards one of keepalived's dump signals to a child.
type Dump struct {
	Kind DumpKind `json:"kind"`
}

// validate rejects what decodes but means nothing: JSON leaves a missing
// field zero, and a Hello without a role or a report without an instance
// would be acted on as if it named one.
func (h *Hello) validate() error {
	if h.Role == 0 {
		return errors.New("hello without a role")
	}
	return nil
}

func (d *Dump) validate() error {
	if d.Kind == 0 {
		return errors.New("dump without a kind")
	}
	return nil
}

func (s *VRRPState) validate() error { return needName("instance", s.Instance) }
func (r *Relay) validate() error     { return needName("instance", r.Instance) }
func (h *Health) validate() error    { return needName("real_server", h.RealServer) }

func needName(field, v string) error {
	if v == "" {
		return fmt.Errorf("%s missing", field)
	}
	return nil
}

func (*Hello) Type() Type     { return TypeHello }
func (*Config) Type() Type    { return TypeConfig }
func (*Reload) Type() Type    { return TypeReload }
func (*ConfigAck) Type() Type { return TypeConfigAck }
func (*VRRPState) Type() Type { return TypeVRRPState }
func (*Health) Type() Type    { return TypeHealth }
func (*Relay) Type() Type     { return TypeRelay }
func (*Stop) Type() Type      { return TypeStop }
func (*Ping) Type() Type      { return TypePing }
func (*Pong) Type() Type      { return TypePong }
func (*Dump) Type() Type      { return TypeDump }
