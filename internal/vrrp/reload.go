package vrrp

import (
	"slices"
	"time"
)

// Reload hands a running instance the parameters of a reloaded
// configuration (SIGHUP). The caller reloads only an instance whose
// identity is unchanged (name, VRID, interface, family, version, sync
// group); any other change is a Delete of the old machine and a Start of
// a new one.
//
// keepalived keeps an instance's state across a reload
// (restore_vrrp_state): a master stays master, a backup stays backup, and
// nothing is given up and taken again. A master re-sends an advert at
// once, logs "setting VIPs." and, when its addresses changed, announces
// every address again; the caller turns ActAddVIPs/Routes/Rules into the
// difference between the old and the new sets, so that an unchanged
// address is never touched.
type Reload struct{ Params Params }

func (Reload) isEvent() {}

func (m *Machine) reload(p Params, now time.Time) {
	p = withDefaults(p)
	// What the trackers added before the reload: a change of the
	// effective priority they take part in is logged (below).
	oldEff, oldShare := m.effPrio, m.totalPriority()-m.basePrio
	old := m.trackers
	m.trackers = nil
	for _, t := range p.Trackers {
		if m.findTracker(t.Kind, t.Name) != nil {
			continue
		}
		nt := tracker{name: t.Name, kind: t.Kind, weight: declaredWeight(t), status: statusUp}
		if t.Kind == KindScript {
			nt.status = statusUnknown
		}
		// A tracker the old configuration had keeps what it last
		// reported: a reload does not re-run the checks' verdicts.
		for _, o := range old {
			if o.kind == t.Kind && o.name == t.Name {
				nt.status = o.status
				if t.Kind == KindFile {
					nt.weight = o.weight
				}
			}
		}
		m.trackers = append(m.trackers, nt)
	}
	prev := m.p
	m.p = p
	m.basePrio = p.Priority
	m.adverInt = p.AdvertIntUsec
	if !m.started || m.state == Stopped || m.state == Deleted {
		m.effPrio = p.Priority
		m.masterAdverInt = m.adverInt
		return
	}
	m.effPrio = p.Priority
	if p.Priority != PrioOwner {
		m.effPrio = EffectivePriority(m.basePrio, m.totalPriority())
	}
	// A new base priority alone is not a tracker change: no line, as
	// keepalived. When trackers add to the priority before or after
	// (e.g. a script's weight changed), keepalived 2.2.7 logs "Changing
	// effective priority from <base> to <total>" on every reload, even
	// an unchanged one, and writes BACKUP_PRIORITY to notify_fifo even
	// for a master (observed, test/tracking). Ours says only what
	// changed: the line with the old and new effective priorities, and
	// the priority event in the instance's own state.
	if m.effPrio != oldEff && (oldShare != 0 || m.totalPriority() != m.basePrio) {
		m.log(msgChangePrio, p.Name, oldEff, m.effPrio)
		if p.NotifyPriorityChanges {
			m.emit(Action{Kind: ActNotifyEvent, Event: EventPriorityChange, State: m.state, Priority: m.effPrio})
		}
	}
	// keepalived's reloaded instance starts from its own interval; a v3
	// backup adopts the master's again from its next advert.
	m.masterAdverInt = m.adverInt
	m.msDownTimer = m.msDown()
	switch m.state {
	case Master:
		m.sendAdvert(m.effPrio)
		if len(p.VIPs) > 0 {
			m.log(msgVIPs, p.Name, msgVerbSet, msgKindVIPNone)
		}
		if len(p.EVIPs) > 0 {
			m.log(msgVIPs, p.Name, msgVerbSet, msgKindEVIP)
		}
		m.emit(Action{Kind: ActAddVIPs})
		// Routes and rules the old configuration had are the caller's
		// to remove, even when the new one has none.
		if p.Routes || prev.Routes {
			m.emit(Action{Kind: ActAddRoutes})
		}
		if p.Rules || prev.Rules {
			m.emit(Action{Kind: ActAddRules})
		}
		// keepalived 2.2.7 announces the addresses again only when
		// they changed (observed: a reload with the same addresses sends
		// no gratuitous ARP; one that adds a VIP sends the usual batch
		// for every VIP).
		if !slices.Equal(prev.VIPs, p.VIPs) || !slices.Equal(prev.EVIPs, p.EVIPs) {
			m.linkUpdate(p.GARPRepeat)
		}
		m.clearMain()
		m.initSands(now)
	case Backup:
		// The master-down deadline restarts with the new interval and
		// skew, as keepalived's re-initialised timers do.
		m.clearMain()
		m.initSands(now)
	}
}
