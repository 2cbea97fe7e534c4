package daemon

import (
	"time"

	"github.com/gokeepalived/gokeepalived/internal/logging"
	"github.com/gokeepalived/gokeepalived/internal/track"
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

func keyOf(s track.Status) objKey { return objKey{s.Kind, s.Name} }

// trackEvent is the Track event an object's status means for one
// instance (keepalived's weight arithmetic is the machine's; "reverse"
// and a file's value×weight are track.Effect's).
func trackEvent(s track.Status, t objTracker) vrrp.Track {
	return track.Effect(s, t.weight, t.reverse)
}

// trackStatus reports an object's status (before start: its initial
// state; afterwards: a change). The engine remembers it for instances a
// reload adds later.
func (e *engine) trackStatus(s track.Status, now time.Time) {
	if e.statuses == nil {
		e.statuses = map[objKey]track.Status{}
	}
	e.statuses[keyOf(s)] = s
	for _, t := range e.tracked[keyOf(s)] {
		if !t.inst.dead {
			e.step(t.inst, trackEvent(s, t), now)
		}
	}
}

// Link changes of an interface an instance uses (keepalived 2.2.7's
// netlink reflector lines, logged without -D).
const (
	fmtLinkDown = "Netlink reports %s down"
	fmtLinkUp   = "Netlink reports %s up"
)

// linkState reports an interface's state. A change of a tracked
// interface is logged as keepalived logs it.
func (e *engine) linkState(name string, up bool, now time.Time) {
	k := objKey{vrrp.KindInterface, name}
	wasUp := true // what the instances assume of an interface not reported yet
	if old, ok := e.statuses[k]; ok {
		wasUp = old.Up
	}
	if len(e.tracked[k]) > 0 && wasUp != up {
		if up {
			logging.Infof(e.log, fmtLinkUp, name)
		} else {
			logging.Infof(e.log, fmtLinkDown, name)
		}
	}
	e.trackStatus(track.Status{Kind: vrrp.KindInterface, Name: name, Up: up}, now)
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
func (e *engine) knownStatus(k objKey) (track.Status, bool) {
	if s, ok := e.statuses[k]; ok {
		return s, true
	}
	if k.kind == vrrp.KindInterface && e.linkUp != nil {
		s := track.Status{Kind: k.kind, Name: k.name, Up: e.linkUp(k.name)}
		e.statuses[k] = s // the state the link watch's changes start from
		return s, true
	}
	return track.Status{}, false
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
