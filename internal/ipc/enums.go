package ipc

import "fmt"

// parseEnum and enumText read and write a small closed enum as one of its names and refuses
// any other name, so a payload cannot smuggle in an out-of-range value.
func parseEnum[T ~uint8](names []string, what string, b []byte) (T, error) {
	for i, n := range names {
		if n != "" && n == string(b) {
			return T(i), nil
		}
	}
	return 0, fmt.Errorf("unknown %s %q", what, b)
}

func enumText[T ~uint8](names []string, what string, v T) ([]byte, error) {
	if int(v) < len(names) && names[v] != "" {
		return []byte(names[v]), nil
	}
	return nil, fmt.Errorf("invalid %s %d", what, uint8(v))
}

func enumString[T ~uint8](names []string, v T) string {
	if int(v) < len(names) && names[v] != "" {
		return names[v]
	}
	return fmt.Sprintf("%d", uint8(v))
}

// State is a VRRP instance state. The numbers are keepalived's (its JSON
// dump writes "state": 2 for MASTER); Stop is an instance being shut down
// or deleted by a reload.
type State uint8

const (
	StateInit State = iota
	StateBackup
	StateMaster
	StateFault
	StateStop
)

// The names are those of keepalived's notify scripts and logs.
var stateNames = []string{"INIT", "BACKUP", "MASTER", "FAULT", "STOP"}

func (s State) String() string                { return enumString(stateNames, s) }
func (s State) MarshalText() ([]byte, error)  { return enumText(stateNames, "state", s) }
func (s *State) UnmarshalText(b []byte) error { return setEnum(s, stateNames, "state", b) }

// Role is what a process is: the parent or one of the two children.
type Role uint8

const (
	RoleParent Role = iota + 1
	RoleVRRP
	RoleChecker
)

// The names are the --child= values.
var roleNames = []string{"", "parent", "vrrp", "checker"}

func (r Role) String() string                { return enumString(roleNames, r) }
func (r Role) MarshalText() ([]byte, error)  { return enumText(roleNames, "role", r) }
func (r *Role) UnmarshalText(b []byte) error { return setEnum(r, roleNames, "role", b) }

// DumpKind is which of keepalived's dump files a child writes.
type DumpKind uint8

const (
	// DumpData is SIGUSR1: keepalived.data (keepalived_check.data).
	DumpData DumpKind = iota + 1
	// DumpStats is SIGUSR2: keepalived.stats.
	DumpStats
	// DumpStatsClear is signal 63 (STATS_CLEAR): the stats, then zeroed.
	DumpStatsClear
	// DumpJSON is signal 36 (JSON): keepalived.json.
	DumpJSON
)

var dumpNames = []string{"", "data", "stats", "stats_clear", "json"}

func (d DumpKind) String() string                { return enumString(dumpNames, d) }
func (d DumpKind) MarshalText() ([]byte, error)  { return enumText(dumpNames, "dump kind", d) }
func (d *DumpKind) UnmarshalText(b []byte) error { return setEnum(d, dumpNames, "dump kind", b) }

func setEnum[T ~uint8](p *T, names []string, what string, b []byte) error {
	v, err := parseEnum[T](names, what, b)
	if err == nil {
		*p = v
	}
	return err
}
