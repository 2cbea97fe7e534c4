package vrrp

import "time"

// Group is a vrrp_sync_group: its members move together. One member
// going to FAULT takes the others to FAULT; one becoming MASTER takes the
// others to MASTER (once every member wants it); one falling back to
// BACKUP takes the others to BACKUP. The group is a pure value like the
// machines: a Step on any member returns the actions of every member it
// moved (each Action names its instance) and the group's notifications.
type Group struct {
	name    string
	members []*Machine
	state   State
	started bool
	buf     []Action
}

// NewGroup makes a sync group of the given machines (in configuration
// order, which is the order keepalived walks them in). A machine belongs
// to one group at most; call before Start.
func NewGroup(name string, members ...*Machine) *Group {
	g := &Group{name: name, buf: make([]Action, 0, 32)}
	// keepalived: the group starts as MASTER only if every member is the
	// address owner with state MASTER, else as BACKUP.
	g.state = Master
	for _, m := range members {
		if m.group != nil {
			continue
		}
		m.group = g
		m.out = &g.buf
		g.members = append(g.members, m)
		if !(m.want == Master && m.basePrio == PrioOwner) {
			g.state = Backup
		}
	}
	// A group that starts in BACKUP overrides its members' "state
	// MASTER": each starts wanting BACKUP, with the full
	// Master_Down_Interval, so the first to time out waits for the
	// others (observed with keepalived 2.2.7: two state MASTER members
	// of priority 100 time out 3×advert_int + skew after start, and an
	// owner among non-owners gets no 1 µs shortcut).
	if g.state == Backup {
		for _, m := range g.members {
			m.want = Backup
		}
	}
	return g
}

// Name is the group's name.
func (g *Group) Name() string { return g.name }

// State is the group's state.
func (g *Group) State() State { return g.state }

// Members are the group's machines.
func (g *Group) Members() []*Machine { return g.members }

func (g *Group) numMemberFault() int {
	n := 0
	for _, m := range g.members {
		if m.faults() > 0 {
			n++
		}
	}
	return n
}

func (g *Group) numMemberInit() int {
	n := 0
	for _, m := range g.members {
		if m.inits() > 0 {
			n++
		}
	}
	return n
}

func (g *Group) notify() {
	*g.members[0].out = append(*g.members[0].out, Action{Kind: ActGroupNotify, Instance: g.name, State: g.state})
}

func (g *Group) log(l logMsg, args ...any) {
	*g.members[0].out = append(*g.members[0].out, Action{Kind: ActLog, Instance: g.name, Text: l.text(args...), Detail: l.detail})
}

// start starts every member: tracking first (a member down takes the
// group to FAULT, one with scripts pending holds it in Init), then the
// group's notification, then each member's initial state and timers.
func (g *Group) start(now time.Time) {
	if g.started {
		return
	}
	g.started = true
	for _, m := range g.members {
		m.initTracking(now)
		if m.state == Fault && g.state != Fault {
			g.state = Fault
			g.log(msgGroupInitFault, g.name, m.p.Name)
		}
		if m.inits() > 0 && g.state != Fault {
			g.state = Init
		}
	}
	if g.state == Fault || g.state == Backup {
		g.notify()
	}
	for _, m := range g.members {
		m.initState(now)
	}
	for _, m := range g.members {
		m.initSands(now)
	}
}

func (g *Group) memberStopped(time.Time) {
	for _, m := range g.members {
		if m.state != Stopped && m.state != Deleted {
			return
		}
	}
	if g.state != Stopped {
		g.state = Stopped
		g.notify()
	}
}

// tsm is keepalived's transition matrix: after a member's packet or timer
// moved it from prev, the group follows (BACKUP→MASTER, MASTER→MASTER and
// FAULT→MASTER sync to MASTER; MASTER→BACKUP syncs to BACKUP).
func (m *Machine) tsm(prev State, now time.Time) {
	g := m.group
	if g == nil {
		return
	}
	switch {
	case m.state == Master && (prev == Backup || prev == Master || prev == Fault):
		g.syncMaster(m, now)
	case prev == Master && m.state == Backup:
		g.syncBackup(m, now)
	}
}

// canGotoMaster: a member goes to MASTER only when the group is MASTER or
// every other member wants MASTER too (preferring BACKUP avoids
// thrashing); a member that must wait restarts its master-down timer.
func (g *Group) canGotoMaster(m *Machine, now time.Time) bool {
	if g.state == Master {
		return true
	}
	for _, o := range g.members {
		if o != m && o.want != Master {
			m.msDownTimer = m.msDown()
			m.initSands(now)
			return false
		}
	}
	return true
}

func (g *Group) syncBackup(m *Machine, now time.Time) {
	if g.state == Backup {
		return
	}
	g.log(msgGroupToBackup, g.name)
	for _, o := range g.members {
		if o == m || o.state == Backup {
			continue
		}
		o.want = Backup
		if o.state == Fault || o.state == Init {
			o.leaveFault(now)
		} else {
			o.leaveMaster(now, false)
		}
	}
	g.state = Backup
	g.notify()
}

func (g *Group) syncMaster(m *Machine, now time.Time) {
	if g.state == Master || !g.canGotoMaster(m, now) {
		return
	}
	g.log(msgGroupToMaster, g.name)
	for _, o := range g.members {
		if o != m && o.state != Master {
			o.want = Master
			o.gotoMaster(now)
		}
	}
	g.state = Master
	g.notify()
}

func (g *Group) syncFault(m *Machine, now time.Time) {
	if g.state == Fault {
		return
	}
	g.log(msgGroupToFault, g.name)
	for _, o := range g.members {
		if o == m || o.state == Fault {
			continue
		}
		o.want = Fault
		switch o.state {
		case Master:
			o.leaveMaster(now, false)
		case Backup, Init:
			o.state = Fault // keepalived's "bit of a bodge": no log line
			o.leaveFault(now)
		}
	}
	g.state = Fault
	g.notify()
}
