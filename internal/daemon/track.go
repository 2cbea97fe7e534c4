package daemon

import (
	"time"

	"github.com/gokeepalived/gokeepalived/internal/vrrp"
)

// Tracked objects (interfaces, vrrp_scripts, track_files, tracked
// processes) are watched once each, however many instances track them;
// the engine turns each status report into a Track event for every
// instance that tracks the object, with that instance's weight.

// objKey names a tracked object.
type objKey struct {
	kind vrrp.TrackerKind
	name string
}

// objTracker is one instance's interest in a tracked object: its weight
// (0: down means FAULT) and "reverse".
type objTracker struct {
	inst    *instance
	weight  int
	reverse bool
}

// objStatus is what a watcher reports of an object: up or down, and a
// tracked file's value.
type objStatus struct {
	kind  vrrp.TrackerKind
	name  string
	up    bool
	value int
}

func (s objStatus) key() objKey { return objKey{s.kind, s.name} }

// trackEvent is the Track event an object's status means for one
// instance (keepalived's weight arithmetic is the machine's; "reverse"
// and a file's value×weight are applied here).
func trackEvent(s objStatus, t objTracker) vrrp.Track {
	ev := vrrp.Track{Name: s.name, Kind: s.kind, Weight: t.weight, Up: s.up != t.reverse}
	if s.kind == vrrp.KindFile {
		ev.Weight, ev.Up = fileEffect(s.value, t.weight, t.reverse)
	}
	return ev
}

// trackStatus reports an object's status (before start: its initial
// state; afterwards: a change). The engine remembers it for instances a
// reload adds later.
func (e *engine) trackStatus(s objStatus, now time.Time) {
	if e.statuses == nil {
		e.statuses = map[objKey]objStatus{}
	}
	e.statuses[s.key()] = s
	for _, t := range e.tracked[s.key()] {
		if !t.inst.dead {
			e.step(t.inst, trackEvent(s, t), now)
		}
	}
}

// linkState reports an interface's state.
func (e *engine) linkState(name string, up bool, now time.Time) {
	e.trackStatus(objStatus{kind: vrrp.KindInterface, name: name, up: up}, now)
}

// trackedLinks lists the interfaces some instance tracks.
func (e *engine) trackedLinks() []string {
	var out []string
	for k := range e.tracked {
		if k.kind == vrrp.KindInterface {
			out = append(out, k.name)
		}
	}
	return out
}

// retrack rebuilds the object → instances index from the live instances.
func (e *engine) retrack() {
	e.tracked = map[objKey][]objTracker{}
	for _, in := range e.insts {
		if !in.dead {
			e.index(in)
		}
	}
}

func (e *engine) index(in *instance) {
	if e.tracked == nil {
		e.tracked = map[objKey][]objTracker{}
	}
	for _, t := range in.m.Params().Trackers {
		k := objKey{t.Kind, t.Name}
		e.tracked[k] = append(e.tracked[k], objTracker{inst: in, weight: t.Weight, reverse: t.Reverse})
	}
}

// knownStatus is what the engine knows of an object an instance starts
// tracking (a new instance, or a new tracker of a reloaded one): the last
// report, or for an interface its current state.
func (e *engine) knownStatus(k objKey) (objStatus, bool) {
	if s, ok := e.statuses[k]; ok {
		return s, true
	}
	if k.kind == vrrp.KindInterface && e.linkUp != nil {
		return objStatus{kind: k.kind, name: k.name, up: e.linkUp(k.name)}, true
	}
	return objStatus{}, false
}

// applyKnown gives an instance the known status of the trackers it did
// not have before (all of them for a new instance). An interface that is
// up, a script not run yet and a file or process the watchers have not
// reported need no event: the machine's defaults say the same.
func (e *engine) applyKnown(in *instance, before []vrrp.TrackerParam, now time.Time) {
	for _, t := range in.m.Params().Trackers {
		// A tracked file's Track weight is value × the line's weight,
		// which a reload may have changed: it is given again.
		if hasTracker(before, t) && t.Kind != vrrp.KindFile {
			continue
		}
		s, ok := e.knownStatus(objKey{t.Kind, t.Name})
		if !ok {
			continue
		}
		ev := trackEvent(s, objTracker{inst: in, weight: t.Weight, reverse: t.Reverse})
		if t.Kind == vrrp.KindInterface && ev.Up {
			continue
		}
		e.step(in, ev, now)
	}
}

func hasTracker(l []vrrp.TrackerParam, t vrrp.TrackerParam) bool {
	for _, o := range l {
		if o.Kind == t.Kind && o.Name == t.Name {
			return true
		}
	}
	return false
}

// fileEffect maps a track_file's value onto the machine's Track
// convention for one instance, as keepalived 2.2.7 computes a tracked
// file's status: with weight 0 a non-zero value (a zero one, reversed)
// is a fault; otherwise value × weight (negated by reverse), kept within
// -254..253, is the priority change, -254 being a fault.
func fileEffect(value, weight int, reverse bool) (int, bool) {
	mult := 1
	if reverse {
		mult = -1
	}
	if weight == 0 {
		if (value != 0) == !reverse {
			return 0, false
		}
		return 0, true
	}
	st := max(-254, min(253, value*weight*mult))
	switch {
	case st == -254:
		return 0, false
	case st < 0:
		return st, false
	}
	return st, true
}
