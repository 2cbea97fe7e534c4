// Package track watches what VRRP instances track — vrrp_script,
// track_file and vrrp_track_process — as keepalived 2.2.7 does, and
// reports each object's status once, however many instances track it.
//
// The decisions are pure values driven by events and a virtual clock
// (Scheduler for scripts, the process table, the file value parser);
// Manager is the thin effect layer that runs scripts through a Runner,
// watches files with inotify and processes with the kernel's process
// connector (or a /proc scan where the connector is out of reach), and
// sends status changes to the daemon. Turning a status into an
// instance's priority change or FAULT is the state machine's
// (internal/vrrp); Effect maps one onto the other for one instance.
package track

import "github.com/gokeepalived/gokeepalived/internal/vrrp"

// Status is an object's state as the tracker layer reports it.
//
// For a script, Up is its verdict after rise/fall; a script that has not
// produced a result yet is not reported. For a process, Up is "quorum
// achieved". For a file, Value is the number read from it and Up says
// whether the value is 0 (what an unweighted track_file wants); the
// weighted effect depends on each instance's weight, see FileEffect.
type Status struct {
	Kind  vrrp.TrackerKind
	Name  string
	Up    bool
	Value int
}

// Effect is what a status means to one instance that tracks the object
// with weight and reverse (keepalived's tracking_obj weight and
// weight_multiplier).
//
// For scripts and processes keepalived adds a positive weight while the
// object is up and a negative one while it is down; "reverse" turns the
// adjustment round (vrrp_track.c process_script_update_priority,
// process_update_track_process_status; keepalived.conf(5) track_bfd):
// weight W reverse lowers the priority by W while up and adds nothing
// while down. The state machine adds a positive weight while up and a
// negative one while down, so reverse is the opposite weight with the
// opposite status. With weight 0, reverse makes "up" the FAULT.
func Effect(s Status, weight int, reverse bool) vrrp.Track {
	t := vrrp.Track{Name: s.Name, Kind: s.Kind, Weight: weight, Up: s.Up}
	if s.Kind == vrrp.KindFile {
		t.Weight, t.Up = FileEffect(s.Value, weight, reverse)
		return t
	}
	if reverse {
		t.Weight, t.Up = -weight, !s.Up
	}
	return t
}

// Limits of a tracked file's effect on the priority (track_file.c
// process_update_vrrp_track_file_status): value×weight is clamped to
// -254..253, and -254 means FAULT.
const (
	fileFault  = -254
	fileMaxAdd = 253
)

// FileEffect maps a track_file value onto the state machine's tracker
// convention for one instance (trackers/track_file.c):
//
//   - weight 0: a non-zero value is FAULT (with reverse, a zero value);
//   - otherwise value×weight (negated by reverse), clamped to -254..253,
//     is added to the priority, and -254 (any product at or below it)
//     is FAULT.
//
// The machine adds a positive weight while up and a negative one while
// down, and treats weight 0 down as FAULT; so a positive product is
// (product, up), a negative one (product, down), zero (0, up) and a fault
// (0, down).
func FileEffect(value, weight int, reverse bool) (trackWeight int, up bool) {
	if weight == 0 {
		fault := (value != 0) != reverse
		return 0, !fault
	}
	mult := int64(1)
	if reverse {
		mult = -1
	}
	p := clampProduct(int64(value), int64(weight)*mult)
	switch {
	case p <= fileFault:
		return 0, false
	case p > fileMaxAdd:
		return fileMaxAdd, true
	case p < 0:
		return int(p), false
	}
	return int(p), true
}

// clampProduct multiplies without overflowing: a value is at most 2^31
// and a weight at most 254, so the product fits in an int64, but clamp
// anyway for callers with wider values.
func clampProduct(a, b int64) int64 {
	const lim = 1 << 40
	a = max(min(a, lim), -lim)
	b = max(min(b, lim), -lim)
	return a * b
}
