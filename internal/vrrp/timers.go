package vrrp

import "time"

// Timer arithmetic, in keepalived's integer microseconds.
//
// Skew_Time (RFC 3768 §6.1, RFC 5798 §6.1):
//
//	v2: (256 - Priority) / 256 seconds
//	v3: ((256 - Priority) * Master_Adver_Interval) / 256
//
// keepalived computes v3 from the interval in centiseconds as
// (256-prio) * cs * 625 / 16 µs (625/16 = 10000/256, so the product stays
// within 32 bits) and v2 as (256-prio) * 1000000 / 256 µs, both truncated.
// Master_Down_Interval is down_timer_adverts (3 in the RFCs) times
// Master_Adver_Interval plus Skew_Time.

func skewCalc(version int, masterAdverIntUsec int64, prioVal int64) int64 {
	if version == 3 {
		return prioVal * (masterAdverIntUsec / usecPerCs) * 625 / 16
	}
	return prioVal * usecPerSec / 256
}

// SkewTime is Skew_Time for an instance of the given version, effective
// priority and master advert interval.
func SkewTime(version, prio int, masterAdverIntUsec int64) time.Duration {
	return time.Duration(skewCalc(version, masterAdverIntUsec, int64(256-prio))) * time.Microsecond
}

// MasterDownInterval is down_timer_adverts × Master_Adver_Interval +
// Skew_Time.
func MasterDownInterval(version, prio, downTimerAdverts int, masterAdverIntUsec int64) time.Duration {
	return time.Duration(int64(downTimerAdverts))*time.Duration(masterAdverIntUsec)*time.Microsecond +
		SkewTime(version, prio, masterAdverIntUsec)
}

func (m *Machine) skew() int64 {
	return skewCalc(m.p.Version, m.masterAdverInt, int64(256-m.effPrio))
}

func (m *Machine) msDown() int64 {
	return int64(m.p.DownTimerAdverts)*m.masterAdverInt + m.skew()
}

func usec(n int64) time.Duration { return time.Duration(n) * time.Microsecond }

// AdvertSlot moves a master's next advert to the nearest multiple of
// 1/100 of its interval (at most 10 ms): the adverts of a thousand
// instances then leave in a few dozen wake-ups a second instead of a
// thousand, and a backup receives them in bursts it reads in batches.
// The rounding is to the nearest slot, so the period stays the interval
// on average (a deadline measured from a late wake-up rounds back); no
// advert moves by more than half a slot, 5 ms at advert_int 1, while
// a backup waits down_timer_adverts intervals before taking over.
// keepalived sends each instance's advert at its own time; the gaps
// between one instance's adverts are the same within the slot.
func AdvertSlot(at time.Time, intervalUsec int64) time.Time {
	slot := usec(intervalUsec) / 100
	if slot > maxAdvertSlot {
		slot = maxAdvertSlot
	}
	if slot <= time.Microsecond {
		return at
	}
	return at.Round(slot)
}

// maxAdvertSlot bounds AdvertSlot's grid.
const maxAdvertSlot = 10 * time.Millisecond

// initSands sets the main timer from the state, as keepalived does after
// every packet and expiry: a master's next advert is one interval away, a
// backup's master-down deadline ms_down_timer away (from the end of
// vrrp_startup_delay while it runs), and FAULT runs no timer.
func (m *Machine) initSands(now time.Time) {
	switch m.state {
	case Master:
		m.setMain(AdvertSlot(now.Add(usec(m.p.AdvertIntUsec)), m.p.AdvertIntUsec))
	case Backup:
		base := now
		if m.delayedStart && now.Before(m.startAt) {
			base = m.startAt
		}
		m.setMain(base.Add(usec(m.msDownTimer)))
	default:
		m.clearMain()
	}
}

func (m *Machine) setMain(at time.Time) {
	if m.mainArmed && m.sands.Equal(at) {
		return
	}
	m.sands, m.mainArmed = at, true
	m.emit(Action{Kind: ActArmTimer, Timer: TimerMain, At: at})
}

func (m *Machine) clearMain() {
	if !m.mainArmed {
		return
	}
	m.mainArmed = false
	m.emit(Action{Kind: ActCancelTimer, Timer: TimerMain})
}

// garpBurst is a delayed gratuitous ARP burst. keepalived schedules each
// as its own timer thread and never cancels them: a burst that comes due
// while the instance holds no VIPs sends nothing.
type garpBurst struct {
	at     time.Time
	repeat int
}

func (m *Machine) queueGARP(at time.Time, repeat int) {
	i := len(m.garpQ)
	for i > 0 && m.garpQ[i-1].at.After(at) {
		i--
	}
	m.garpQ = append(m.garpQ, garpBurst{})
	copy(m.garpQ[i+1:], m.garpQ[i:])
	m.garpQ[i] = garpBurst{at: at, repeat: repeat}
	m.armGARP()
}

func (m *Machine) armGARP() {
	if len(m.garpQ) == 0 {
		if m.garpArmed {
			m.garpArmed = false
			m.emit(Action{Kind: ActCancelTimer, Timer: TimerGARP})
		}
		return
	}
	at := m.garpQ[0].at
	if m.garpArmed && m.garpAt.Equal(at) {
		return
	}
	m.garpArmed, m.garpAt = true, at
	m.emit(Action{Kind: ActArmTimer, Timer: TimerGARP, At: at})
}

func (m *Machine) fireGARP(now time.Time) {
	if !m.garpArmed || now.Before(m.garpAt) {
		return // stale
	}
	m.garpArmed = false
	n := 0
	for n < len(m.garpQ) && !m.garpQ[n].at.After(now) {
		m.linkUpdate(m.garpQ[n].repeat)
		n++
	}
	m.garpQ = append(m.garpQ[:0], m.garpQ[n:]...)
	m.armGARP()
}
