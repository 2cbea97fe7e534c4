package vrrp

import "time"

// Tracker status: keepalived runs a script once before counting it, so a
// script starts unknown; the other kinds are known at start.
type trackStatus uint8

const (
	statusUnknown trackStatus = iota
	statusUp
	statusDown
)

type tracker struct {
	name   string
	kind   TrackerKind
	weight int
	status trackStatus
}

// contribution is a weighted tracker's share of the total priority:
// keepalived adds a positive weight while the object is up and a negative
// one while it is down; an object that has not reported adds nothing.
func (t *tracker) contribution() int {
	switch {
	case t.weight > 0 && t.status == statusUp:
		return t.weight
	case t.weight < 0 && t.status == statusDown:
		return t.weight
	}
	return 0
}

// declaredWeight is a tracker's weight before its first report. A
// tracked file's contribution is its value × weight, known only once the
// file is read: until then it adds nothing (the effect layer reports
// value × weight as the Track event's Weight, and again after a reload).
func declaredWeight(t TrackerParam) int {
	if t.Kind == KindFile {
		return 0
	}
	return t.Weight
}

func (m *Machine) findTracker(kind TrackerKind, name string) *tracker {
	for i := range m.trackers {
		if t := &m.trackers[i]; t.kind == kind && t.name == name {
			return t
		}
	}
	return nil
}

// faults counts weight-0 trackers that are down (keepalived's
// num_script_if_fault); inits those that have not reported yet
// (num_script_init).
func (m *Machine) faults() int {
	n := 0
	for i := range m.trackers {
		if m.trackers[i].weight == 0 && m.trackers[i].status == statusDown {
			n++
		}
	}
	return n
}

func (m *Machine) inits() int {
	n := 0
	for i := range m.trackers {
		if m.trackers[i].weight == 0 && m.trackers[i].status == statusUnknown {
			n++
		}
	}
	return n
}

// totalPriority is the base priority plus every weighted tracker's
// contribution.
func (m *Machine) totalPriority() int {
	total := m.basePrio
	for i := range m.trackers {
		total += m.trackers[i].contribution()
	}
	return total
}

// EffectivePriority clamps a total priority to 1..254, the range a
// non-owner may advertise (RFC 3768 §5.3.4); the owner's 255 is never
// adjusted.
func EffectivePriority(base, total int) int {
	if base == PrioOwner {
		return PrioOwner
	}
	switch {
	case total < 1:
		return 1
	case total >= PrioOwner:
		return PrioOwner - 1
	}
	return total
}

// setEffectivePriority applies a new total. A backup's master-down
// deadline moves by the change in ms_down_timer (its skew depends on the
// priority), as keepalived does.
func (m *Machine) setEffectivePriority(now time.Time) {
	if m.basePrio == PrioOwner {
		return
	}
	np := EffectivePriority(m.basePrio, m.totalPriority())
	if np == m.effPrio {
		return
	}
	m.log(msgChangePrio, m.p.Name, m.effPrio, np)
	m.effPrio = np
	old := m.msDownTimer
	m.msDownTimer = m.msDown()
	if m.state == Backup && m.mainArmed {
		m.setMain(m.sands.Add(usec(m.msDownTimer - old)))
	}
	if m.p.NotifyPriorityChanges {
		m.emit(Action{Kind: ActNotifyEvent, Event: EventPriorityChange, State: m.state, Priority: m.effPrio})
	}
}

// track handles a Track event.
func (m *Machine) track(ev Track, now time.Time) {
	if m.state == Stopped || m.state == Deleted {
		return
	}
	t := m.findTracker(ev.Kind, ev.Name)
	if t == nil {
		// An undeclared tracker starts as a healthy one that adds
		// nothing (before the start its status is simply recorded).
		m.trackers = append(m.trackers, tracker{name: ev.Name, kind: ev.Kind, status: statusUp})
		t = &m.trackers[len(m.trackers)-1]
	}
	newStatus := statusDown
	if ev.Up {
		newStatus = statusUp
	}
	if !m.started {
		t.weight, t.status = ev.Weight, newStatus
		return
	}
	oldWeight, oldStatus := t.weight, t.status
	faultsBefore := m.faults()
	t.weight, t.status = ev.Weight, newStatus
	m.setEffectivePriority(now)
	wasFault := oldWeight == 0 && oldStatus == statusDown
	isFault := ev.Weight == 0 && newStatus == statusDown
	wasInit := oldWeight == 0 && oldStatus == statusUnknown
	switch {
	case isFault && !wasFault:
		m.downInstance(now, faultsBefore)
	case wasFault && !isFault:
		m.tryUp(now, false)
	case wasInit && !isFault:
		// The first result of a fault-only script: keepalived's
		// instance leaves its init state once no script is pending in
		// it or in its sync group.
		if m.inits() == 0 && (m.group == nil || m.group.numMemberInit() == 0) {
			m.tryUp(now, true)
		}
	}
}
