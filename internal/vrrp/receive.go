package vrrp

import (
	"slices"
	"time"
)

// check applies keepalived's receive checks that depend on the instance:
// the version, the v2 interval (RFC 3768 §7.1: a mismatch is dropped, to
// keep two masters from running one VRID at different rates), and the
// address list when checkAddr is set. It logs and returns false for a
// packet to ignore.
func (m *Machine) check(ad *Advert, checkAddr bool) bool {
	if ad.Version != m.p.Version {
		m.log(msgWrongVersion, m.p.Name, ad.Version, m.p.Version)
		return false
	}
	if m.p.Version == 2 && m.adverInt != int64(ad.AdvertIntCs)*usecPerCs {
		m.log(msgIntervalMismatch, m.p.Name, m.adverInt/usecPerSec, ad.AdvertIntCs/100)
		return false
	}
	if checkAddr && ad.AddrsDiffer {
		m.logAddrMismatch(ad)
		return false
	}
	return true
}

func (m *Machine) logAddrMismatch(ad *Advert) {
	if len(ad.Addrs) != len(m.p.VIPs) || ad.Addrs == nil {
		m.log(msgAddrCount, m.p.Name, len(ad.Addrs), len(m.p.VIPs))
		return
	}
	for _, v := range m.p.VIPs {
		if !slices.Contains(ad.Addrs, v.Addr) {
			m.log(msgAddrMissing, m.p.Name, m.p.VRID, v.Addr)
			return
		}
	}
	m.log(msgAddrCount, m.p.Name, len(ad.Addrs), len(m.p.VIPs))
}

// backupRx is RFC 3768 §6.4.2 / RFC 5798 §6.4.2 as keepalived does it:
//   - priority 0: Master_Down_Timer := Skew_Time;
//   - preempt off, or priority >= ours: reset Master_Down_Timer (v3 first
//     adopts the master's interval); with preempt_delay a lower priority
//     master is accepted until the delay, started by its first advert,
//     has run;
//   - otherwise (preempt, lower priority): discard, the timer runs on.
func (m *Machine) backupRx(ad *Advert, now time.Time) {
	checkAddr := !m.p.SkipCheckAdvAddr || m.masterSaddr != ad.Src
	ignore := false
	switch {
	case !m.check(ad, checkAddr):
		ignore = true
	case ad.Priority == PrioStop:
		m.log(msgBackupRxPrio0, m.p.Name)
		m.msDownTimer = m.skew()
	case m.p.NoPreempt || ad.Priority >= m.effPrio ||
		m.p.PreemptDelayUsec > 0 && (m.preemptTime.IsZero() || m.preemptTime.After(now)):
		if m.p.Version == 3 {
			if mai := int64(ad.AdvertIntCs&0x0fff) * usecPerCs; mai != m.masterAdverInt {
				m.log(msgIntervalUpdate, m.p.Name, m.masterAdverInt/1000, mai/1000)
				m.masterAdverInt = mai
			}
		}
		m.msDownTimer = m.msDown()
		m.masterSaddr, m.masterPrio = ad.Src, ad.Priority
		if m.p.PreemptDelayUsec > 0 {
			if ad.Priority >= m.effPrio {
				if !m.preemptTime.IsZero() {
					m.log(msgPreemptStop, m.p.Name)
					m.preemptTime = time.Time{}
				}
			} else if m.preemptTime.IsZero() {
				d := m.p.PreemptDelayUsec
				m.log(msgPreemptStart, m.p.Name, d/usecPerSec, d%usecPerSec)
				m.preemptTime = now.Add(usec(d))
			}
		}
		// A member held in BACKUP by its group wanted MASTER; a live
		// master makes it want BACKUP again.
		m.want = Backup
	default:
		m.log(msgBackupRxLower, m.p.Name, ad.Priority, ad.Src)
		ignore = true
		m.masterSaddr = ad.Src
	}
	if ignore {
		// The deadline stands: keep what is left of it.
		left := m.sands.Sub(now).Microseconds()
		if left < 0 {
			left = 0
		}
		m.msDownTimer = left
	}
}

// masterRx is RFC 3768 §6.4.3 / RFC 5798 §6.4.3 as keepalived does it.
// It returns true when the instance must leave MASTER (a higher priority,
// or an equal priority from a higher address: the tie-break on the IP
// header source).
func (m *Machine) masterRx(ad *Advert, now time.Time) bool {
	if !m.check(ad, true) {
		return false
	}
	cmp := ad.Src.Compare(m.p.SrcIP)
	higher := ad.Priority > m.effPrio || ad.Priority == m.effPrio && cmp > 0
	if ad.Priority == PrioStop || m.p.HigherPrioSendAdvert && higher {
		m.sendAdvert(m.effPrio)
		if ad.Priority == PrioStop {
			m.log(msgMasterRxPrio0, m.p.Name)
			return false
		}
	}
	if ad.Priority == m.effPrio {
		if cmp == 0 {
			m.log(msgOwnAddress, m.p.Name)
		} else if m.effPrio == PrioOwner {
			m.log(msgOwnerConflict, m.p.Name)
			m.effPrio, m.basePrio = PrioOwner-1, PrioOwner-1
		}
	}
	if ad.Priority < m.effPrio || ad.Priority == m.effPrio && cmp < 0 {
		forcing := ""
		if !m.p.LowerPrioNoAdvert {
			forcing = msgForcingNew
		}
		m.log(msgMasterRxLower, m.p.Name, ad.Src, ad.Priority, m.effPrio, forcing)
		if !m.p.LowerPrioNoAdvert {
			m.sendAdvert(m.effPrio)
		}
		m.lowerPrioGARP(now)
		if m.group != nil {
			for _, o := range m.group.members {
				if o != m {
					o.lowerPrioGARP(now)
				}
			}
		}
		m.emit(Action{Kind: ActNotifyEvent, Event: EventMasterRxLowerPri, Priority: m.effPrio})
		return false
	}
	if ad.Priority > m.effPrio || ad.Priority == m.effPrio && cmp > 0 {
		if ad.Priority > m.effPrio {
			m.log(msgMasterRxHigher, m.p.Name, ad.Src, ad.Priority, m.effPrio)
		} else {
			m.log(msgMasterRxSameIP, m.p.Name, ad.Src, ad.Priority)
		}
		if m.p.Version == 3 {
			if mai := int64(ad.AdvertIntCs&0x0fff) * usecPerCs; mai != m.masterAdverInt {
				m.log(msgIntervalUpdate, m.p.Name, m.masterAdverInt/1000, mai/1000)
				m.masterAdverInt = mai
			}
		}
		m.msDownTimer = m.msDown()
		m.masterPrio = ad.Priority
		m.want, m.state = Backup, Backup
		return true
	}
	return false
}

// lowerPrioGARP refreshes the segment's ARP caches after a lower priority
// advert (garp_lower_prio_repeat, again after garp_lower_prio_delay).
func (m *Machine) lowerPrioGARP(now time.Time) {
	if m.p.GARPLowerPrioRepeat <= 0 {
		return
	}
	m.linkUpdate(m.p.GARPLowerPrioRepeat)
	if m.p.GARPLowerPrioDelayUsec > 0 {
		m.queueGARP(now.Add(usec(m.p.GARPLowerPrioDelayUsec)), m.p.GARPLowerPrioRepeat)
	}
}
