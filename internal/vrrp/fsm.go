// Package vrrp is the VRRP state machine of one instance, and the sync
// group coordinator, as pure values: Step takes an event and the current
// time and returns the actions to perform. It reads no clock, opens no
// socket and starts no goroutine; the same machine runs in production and
// in the simulations of the tests.
//
// The behaviour is keepalived 2.2.7's reading of RFC 3768 (VRRPv2) and
// RFC 5798 (VRRPv3), including the places where keepalived goes its own
// way (priority-0 adverts on FAULT, sync groups, vrrp_startup_delay,
// preempt_delay, lower/higher priority advert options).
package vrrp

import (
	"net/netip"
	"time"
)

// Machine is one VRRP instance's state machine.
type Machine struct {
	// The fields an advert or a timer touches come first, so that the
	// steady state reads a few cache lines per machine: with a thousand
	// instances every step starts cold.
	state     State
	want      State // keepalived's wantstate
	started   bool
	mainArmed bool
	vipSet    bool
	garpArmed bool
	effPrio   int

	adverInt       int64 // µs, our own Advertisement_Interval
	masterAdverInt int64 // µs, Master_Adver_Interval (v3 adopts the master's)
	msDownTimer    int64 // µs, keepalived's ms_down_timer

	sands time.Time // the main timer's deadline
	out   *[]Action // where emit appends: buf, or the group's buffer
	group *Group

	masterSaddr netip.Addr
	masterPrio  int
	p           Params
	basePrio    int

	preemptTime   time.Time // zero: no preempt delay running
	garpRefreshAt time.Time
	garpQ         []garpBurst
	garpAt        time.Time

	delayedStart bool
	startAt      time.Time

	trackers     []tracker
	notifiesSent bool

	buf []Action
}

// New returns a machine in the Init state. Defaults keepalived applies
// when a value is absent are filled in (version 2, priority 100, advert
// interval 1s, 3 down-timer adverts).
func New(p Params) *Machine {
	p = withDefaults(p)
	m := &Machine{
		p:              p,
		basePrio:       p.Priority,
		effPrio:        p.Priority,
		adverInt:       p.AdvertIntUsec,
		masterAdverInt: p.AdvertIntUsec,
		want:           Backup,
	}
	if p.WantMaster {
		m.want = Master
	}
	m.out = &m.buf
	for _, t := range p.Trackers {
		st := statusUp
		if t.Kind == KindScript {
			st = statusUnknown
		}
		if m.findTracker(t.Kind, t.Name) == nil {
			m.trackers = append(m.trackers, tracker{name: t.Name, kind: t.Kind, weight: declaredWeight(t), status: st})
		}
	}
	return m
}

func withDefaults(p Params) Params {
	if p.Version != 3 {
		p.Version = 2
	}
	if p.Priority <= 0 || p.Priority > PrioOwner {
		p.Priority = 100
	}
	if p.AdvertIntUsec <= 0 {
		p.AdvertIntUsec = usecPerSec
	}
	if p.DownTimerAdverts <= 0 {
		p.DownTimerAdverts = defaultDownTimerAdverts
	}
	return p
}

// Name is the instance name.
func (m *Machine) Name() string { return m.p.Name }

// State is the current state.
func (m *Machine) State() State { return m.state }

// Priority is the effective priority (what the adverts carry).
func (m *Machine) Priority() int { return m.effPrio }

// Params returns the machine's parameters (with defaults applied).
func (m *Machine) Params() Params { return m.p }

// Group is the sync group the instance belongs to, or nil.
func (m *Machine) Group() *Group { return m.group }

// MasterDownTimer is the current ms_down_timer.
func (m *Machine) MasterDownTimer() time.Duration { return usec(m.msDownTimer) }

// MasterAdverInterval is Master_Adver_Interval (v3: the master's).
func (m *Machine) MasterAdverInterval() time.Duration { return usec(m.masterAdverInt) }

// Deadline is when the main timer fires, if armed.
func (m *Machine) Deadline() (time.Time, bool) { return m.sands, m.mainArmed }

// Step feeds one event at time now and returns the actions to perform, in
// order. The slice is reused by the next Step of this machine (or of any
// member of its sync group): consume it before stepping again.
func (m *Machine) Step(ev Event, now time.Time) []Action {
	*m.out = (*m.out)[:0]
	switch e := ev.(type) {
	case StartupClear:
		m.startupClear()
	case Start:
		if m.group != nil {
			m.group.start(now)
		} else {
			m.start(now, e.Resume)
		}
	case Stop:
		m.stop(now, false)
	case Delete:
		m.stop(now, true)
	case *Advert:
		m.receive(e, now)
	case Advert:
		m.receive(&e, now)
	case TimerFired:
		m.timer(e.Timer, now)
	case Track:
		m.track(e, now)
	case Reload:
		m.reload(e.Params, now)
	}
	return *m.out
}

// StepBuf is Step writing the actions into buf's array (from its start)
// when it has room: a daemon steps every machine into one buffer instead
// of one per machine. The machine keeps no reference to buf; the result
// is the caller's.
func (m *Machine) StepBuf(buf []Action, ev Event, now time.Time) []Action {
	if m.out != &m.buf {
		// A sync group member writes into the group's buffer.
		return append(buf[:0], m.Step(ev, now)...)
	}
	own := m.buf
	m.buf = buf[:0]
	acts := m.Step(ev, now)
	m.buf = own
	return acts
}

func (m *Machine) emit(a Action) {
	a.Instance = m.p.Name
	*m.out = append(*m.out, a)
}

func (m *Machine) log(l logMsg, args ...any) {
	m.emit(Action{Kind: ActLog, Text: l.text(args...), Detail: l.detail})
}

func (m *Machine) sendAdvert(prio int) {
	m.emit(Action{Kind: ActSendAdvert, Priority: prio})
}

// notify is keepalived's send_instance_notifies: a member already in its
// group's state after a first notification stays quiet.
func (m *Machine) notify() {
	if m.notifiesSent && m.group != nil && m.state == m.group.state {
		return
	}
	st := m.state
	if st == Deleted && !m.p.NotifyDeleted {
		st = Fault // the old way to say "deleted", still the default
	}
	m.notifiesSent = true
	m.emit(Action{Kind: ActNotify, State: st, Priority: m.effPrio})
}

// startupClear treats the addresses as set so that the interface is
// restored in full before the init state: the removal lines come first,
// as keepalived 2.2.7 logs them, and the addresses go whether or not this
// process added them.
func (m *Machine) startupClear() {
	if m.started {
		return
	}
	m.vipSet = true
	m.restoreInterface(false)
}

// start is keepalived's tracking initialisation followed by
// vrrp_init_state (RFC 3768 §6.4.1: the owner becomes master at once,
// everyone else a backup) and the first timers.
func (m *Machine) start(now time.Time, resume bool) {
	if m.started {
		return
	}
	m.initTracking(now)
	if resume && m.state != Fault && m.faults() == 0 {
		m.log(msgResume, m.p.Name)
		m.delayedStart = false
		m.state, m.want = Backup, Master
		m.gotoMaster(now)
		return
	}
	m.initState(now)
	m.initSands(now)
}

func (m *Machine) initTracking(now time.Time) {
	m.started = true
	if m.p.StartupDelayUsec > 0 {
		m.delayedStart = true
		m.startAt = now.Add(usec(m.p.StartupDelayUsec))
	}
	for i := range m.trackers {
		t := &m.trackers[i]
		if t.weight != 0 || t.status != statusDown {
			continue
		}
		switch t.kind {
		case KindInterface:
			m.log(msgInitFaultIface, m.p.Name, t.name)
		case KindScript:
			m.log(msgInitFaultScript, m.p.Name, t.name)
		case KindFile:
			m.log(msgInitFaultFile, m.p.Name, t.name, -254)
		case KindProcess:
			m.log(msgInitFaultProcess, m.p.Name, t.name)
		}
		m.state = Fault
	}
	m.setEffectivePriority(now)
}

func (m *Machine) initState(now time.Time) {
	if m.state == Fault {
		m.want = Fault
	}
	newState := m.want
	groupInit := false
	if m.group != nil {
		newState = m.group.state
		groupInit = m.group.numMemberInit() > 0
	}
	up := m.faults() == 0
	if up && newState == Master && m.inits() == 0 && !groupInit &&
		m.basePrio == PrioOwner && m.want == Master {
		// The owner: time out of BACKUP at once (1µs) into MASTER.
		m.state = Backup
		m.msDownTimer = 1
		return
	}
	// keepalived's vrrp_init_state has a shorter first timer (one
	// interval plus the minimum skew) for a member its group holds in
	// BACKUP while it wants MASTER, but 2.2.7 does not take it at start
	// (observed: such members wait the full interval). NewGroup makes
	// them want BACKUP, so every start here is a plain backup's.
	m.msDownTimer = m.msDown()
	begin := m.state
	m.restoreInterface(false)
	if up && newState != Fault && m.inits() == 0 && !groupInit {
		if m.state != Backup {
			m.log(msgEnterBackupInit, m.p.Name)
			m.state = Backup
		}
	} else {
		m.state = Fault
	}
	if begin != m.state && (m.state != Fault || m.faults() > 0) {
		m.notify()
	}
}

// receive is keepalived's dispatcher for one advert: FAULT and Init
// ignore packets; afterwards the main timer restarts unless a master
// stays master with lower_prio_no_advert (it then keeps its own advert
// rhythm).
func (m *Machine) receive(ad *Advert, now time.Time) {
	if !m.started || ad.VRID != m.p.VRID {
		return
	}
	if m.state != Backup && m.state != Master {
		return
	}
	prev := m.state
	if m.state == Backup {
		m.backupRx(ad, now)
	} else if m.masterRx(ad, now) {
		m.leaveMaster(now, false)
	}
	m.tsm(prev, now)
	if m.state != Master || !m.p.LowerPrioNoAdvert {
		m.initSands(now)
	}
}

func (m *Machine) timer(id TimerID, now time.Time) {
	if !m.started || m.state == Stopped || m.state == Deleted {
		return
	}
	if id == TimerGARP {
		m.fireGARP(now)
		return
	}
	if !m.mainArmed || now.Before(m.sands) {
		return // stale expiry of an earlier arm
	}
	m.mainArmed = false
	prev := m.state
	switch m.state {
	case Backup:
		// RFC 3768 §6.4.2: Master_Down_Timer fired.
		m.log(msgRxTimeout, m.p.Name)
		m.want = Master
		m.gotoMaster(now)
	case Master:
		// RFC 3768 §6.4.3: Adver_Timer fired.
		m.masterTx(now)
	}
	m.tsm(prev, now)
	m.initSands(now)
}

// stop handles shutdown (and deletion by a reload): a master resigns with
// a priority-0 advert (RFC 3768 §6.4.3 "Shutdown") and gives up its
// addresses.
func (m *Machine) stop(now time.Time, deleted bool) {
	if m.state == Stopped || m.state == Deleted {
		return
	}
	if m.state == Master {
		m.restoreInterface(true)
	}
	m.clearMain()
	m.garpQ = m.garpQ[:0]
	m.armGARP()
	if deleted {
		if m.p.NotifyDeleted || m.state != Fault {
			m.state = Deleted
			m.notify()
		}
		m.state = Deleted
	} else {
		m.state = Stopped
		m.notify()
	}
	if m.group != nil {
		m.group.memberStopped(now)
	}
}
