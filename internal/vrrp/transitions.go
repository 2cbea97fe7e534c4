package vrrp

import "time"

// gotoMaster is keepalived's vrrp_state_goto_master: a sync group member
// waits until the whole group can go.
func (m *Machine) gotoMaster(now time.Time) {
	if m.group != nil && !m.group.canGotoMaster(m, now) {
		m.want = Master
		return
	}
	m.state = Master
	m.initSands(now)
	m.masterTx(now)
}

// masterTx sends an advert (RFC 3768 §6.4.3). On the transition to master
// the advert goes FIRST, so that the old master drops the addresses
// before our gratuitous ARPs move them; then the addresses are set, the
// GARPs sent, and the notifications run.
func (m *Machine) masterTx(now time.Time) {
	m.sendAdvert(m.effPrio)
	if !m.vipSet {
		m.log(msgEnterMaster, m.p.Name)
		m.becomeMaster(now)
		if m.p.GARPDelayUsec > 0 {
			m.queueGARP(now.Add(usec(m.p.GARPDelayUsec)), m.p.GARPRepeat)
		}
		return
	}
	if m.p.GARPRefreshUsec > 0 && now.After(m.garpRefreshAt) {
		m.linkUpdate(m.p.GARPRefreshRepeat)
		m.garpRefreshAt = now.Add(usec(m.p.GARPRefreshUsec))
	}
}

func (m *Machine) becomeMaster(now time.Time) {
	if m.masterAdverInt != m.adverInt {
		// RFC 5798 §6.4.3: a master advertises at its own interval.
		// (keepalived resets it only when logging in detail; we always
		// do.)
		if m.p.Version == 3 {
			m.log(msgLocalInterval, m.p.Name, m.masterAdverInt/1000, m.adverInt/1000)
		}
		m.masterAdverInt = m.adverInt
	}
	// keepalived 2.2.7 sets the drop rule before the addresses, so that
	// no packet reaches a VIP of a no_accept master.
	if m.p.NoAccept {
		m.log(msgFirewall, m.p.Name, msgVerbSet)
	}
	if len(m.p.VIPs) > 0 {
		m.log(msgVIPs, m.p.Name, msgVerbSet, msgKindVIPNone)
	}
	if len(m.p.EVIPs) > 0 {
		m.log(msgVIPs, m.p.Name, msgVerbSet, msgKindEVIP)
	}
	m.emit(Action{Kind: ActAddVIPs})
	m.vipSet = true
	if m.p.Routes {
		m.log(msgRoutes, m.p.Name, msgVerbSet)
		m.emit(Action{Kind: ActAddRoutes})
	}
	if m.p.Rules {
		m.log(msgRules, m.p.Name, msgVerbSet)
		m.emit(Action{Kind: ActAddRules})
	}
	m.linkUpdate(m.p.GARPRepeat)
	if m.p.GARPRefreshUsec > 0 {
		m.garpRefreshAt = now.Add(usec(m.p.GARPRefreshUsec))
	}
	m.notify()
}

// linkUpdate sends repeat gratuitous ARPs / NAs for every VIP and eVIP,
// if the instance holds them.
func (m *Machine) linkUpdate(repeat int) {
	if !m.vipSet || repeat <= 0 || len(m.p.VIPs)+len(m.p.EVIPs) == 0 {
		return
	}
	for _, set := range [2][]VIP{m.p.VIPs, m.p.EVIPs} {
		for _, v := range set {
			kind := msgGARPv4
			if v.Addr.Is6() {
				kind = msgGARPv6
			}
			m.log(msgGARPQueued, m.p.Name, kind, v.Dev, v.Addr)
		}
	}
	m.emit(Action{Kind: ActSendGARP, Repeat: repeat})
}

// restoreInterface gives up the addresses (keepalived's
// vrrp_restore_interface); resign sends the priority-0 advert first.
func (m *Machine) restoreInterface(resign bool) {
	if resign {
		m.sendAdvert(PrioStop)
		m.log(msgSentPrio0, m.p.Name)
	}
	if m.p.Rules {
		m.log(msgRules, m.p.Name, msgVerbRemove)
		m.emit(Action{Kind: ActDelRules})
	}
	if m.p.Routes {
		m.log(msgRoutes, m.p.Name, msgVerbRemove)
		m.emit(Action{Kind: ActDelRoutes})
	}
	if !m.vipSet {
		return
	}
	m.emit(Action{Kind: ActFlushGARP})
	if len(m.p.VIPs) > 0 {
		m.log(msgVIPs, m.p.Name, msgVerbRemove, msgKindVIPNone)
	}
	if len(m.p.EVIPs) > 0 {
		m.log(msgVIPs, m.p.Name, msgVerbRemove, msgKindEVIP)
	}
	// ...and removes it after them (also in the start-up clean-up).
	if m.p.NoAccept {
		m.log(msgFirewall, m.p.Name, msgVerbRemove)
	}
	m.emit(Action{Kind: ActDelVIPs})
	m.vipSet = false
}

// leaveMaster moves a master to m.want (BACKUP or FAULT). Going to FAULT
// resigns with a priority-0 advert so that a backup takes over at once
// (keepalived sends a second one when resign is set).
func (m *Machine) leaveMaster(now time.Time, resign bool) {
	switch m.want {
	case Backup:
		m.log(msgEnterBackup, m.p.Name)
		m.preemptTime = time.Time{}
	case Fault:
		m.log(msgEnterFault, m.p.Name)
		m.sendAdvert(PrioStop)
	default:
		return
	}
	m.restoreInterface(resign)
	m.state = m.want
	m.notify()
	m.msDownTimer = m.msDown()
	m.initSands(now)
}

// leaveFault moves an instance out of FAULT or Init (or into FAULT from
// BACKUP) towards m.want.
func (m *Machine) leaveFault(now time.Time) {
	if m.want == Master {
		m.gotoMaster(now)
	} else {
		if m.state != m.want {
			if m.want == Backup {
				m.log(msgEnterBackup, m.p.Name)
			} else {
				m.log(msgEnterFault, m.p.Name)
			}
		}
		if m.want == Fault && m.state == Master {
			m.sendAdvert(PrioStop)
			m.restoreInterface(false)
		}
		m.state = m.want
		m.notify()
		if m.state == Backup {
			m.preemptTime = time.Time{}
		}
	}
	m.masterAdverInt = m.adverInt
	m.msDownTimer = m.msDown()
	m.initSands(now)
}

// downInstance is a fault tracker going down (keepalived's
// down_instance); faultsBefore is the count of faults before it.
func (m *Machine) downInstance(now time.Time, faultsBefore int) {
	if faultsBefore != 0 && m.state != Init {
		return
	}
	var groupFaultsBefore int
	if m.group != nil {
		groupFaultsBefore = m.group.numMemberFault() - 1 // this member now counts
	}
	m.want = Fault
	if m.state == Master {
		m.leaveMaster(now, true)
	} else {
		m.leaveFault(now)
	}
	if m.group != nil && groupFaultsBefore == 0 {
		m.group.syncFault(m, now)
	}
}

// tryUp is keepalived's try_up_instance: the last fault went away (or,
// with leavingInit, the last script reported for the first time).
func (m *Machine) tryUp(now time.Time, leavingInit bool) {
	g := m.group
	if leavingInit {
		if m.faults() > 0 {
			return
		}
	} else if m.faults() > 0 || m.inits() > 0 {
		if m.faults() == 0 {
			if g != nil {
				g.state = Init
			}
			m.want = Backup
		}
		return
	}
	if m.want != Master || m.basePrio != PrioOwner {
		m.want = Backup
	}
	m.masterAdverInt = m.adverInt
	if m.want == Master {
		m.msDownTimer = m.masterAdverInt + m.skew()
	} else {
		m.msDownTimer = m.msDown()
	}
	if g != nil && (g.numMemberFault() > 0 || !leavingInit && g.numMemberInit() > 0) {
		return
	}
	want := m.want
	if g != nil && m.want == Master && !g.canGotoMaster(m, now) {
		m.want = Backup
	}
	m.leaveFault(now)
	m.initSands(now)
	m.want = want
	if g != nil {
		if m.state == Master {
			g.syncMaster(m, now)
		} else {
			g.syncBackup(m, now)
		}
	}
}
