package announce

import (
	"net/netip"
	"slices"
	"strconv"
	"time"

	"github.com/gokeepalived/gokeepalived/pkg/config"
)

// The schedule has two pure layers, both driven by the caller's clock:
//
//   - Schedule decides when an instance announces its addresses and how
//     many rounds it sends (a "burst"): garp_master_repeat rounds on
//     becoming master, the same again garp_master_delay later,
//     garp_master_refresh_repeat rounds every garp_master_refresh while
//     master (checked when an advert is sent, as keepalived does), and
//     garp_lower_prio_repeat rounds (again after garp_lower_prio_delay)
//     when a master hears a lower priority advert.
//   - Pacer turns bursts into frames, rate-limited per interface by
//     vrrp_garp_interval (IPv4) and vrrp_gna_interval (IPv6), or by the
//     garp_group of the interface. With no interval every round goes out
//     at once. With one, keepalived sends a frame when the interface is
//     free and otherwise only marks the address pending: later rounds of
//     the same burst collapse into that one pending send, and pending
//     addresses go out one per interval, instances in the order they
//     first announced, addresses in configuration order
//     (testdata/keepalived-2.2.7-interval.pcap).
//
// vrrp_min_garp needs nothing here: the configuration resolves it into the
// repeat and delay values.

// Timers are an instance's announcement settings (effective values).
type Timers struct {
	MasterRepeat    int           // garp_master_repeat
	MasterDelay     time.Duration // garp_master_delay; 0: no second burst
	Refresh         time.Duration // garp_master_refresh; 0: no refresh
	RefreshRepeat   int           // garp_master_refresh_repeat
	LowerPrioRepeat int           // garp_lower_prio_repeat; 0: none
	LowerPrioDelay  time.Duration // garp_lower_prio_delay; 0: no second burst
}

// TimersFromConfig reads the instance's effective GARP settings (the
// configuration check has applied global_defs and vrrp_min_garp).
func TimersFromConfig(v *config.VRRPInstance) Timers {
	sec := func(n int) time.Duration { return time.Duration(max(n, 0)) * time.Second }
	return Timers{
		MasterRepeat:    max(v.GARPMasterRepeat, 0),
		MasterDelay:     sec(v.GARPMasterDelay),
		Refresh:         sec(v.GARPMasterRefresh),
		RefreshRepeat:   max(v.GARPMasterRefreshRepeat, 0),
		LowerPrioRepeat: max(v.GARPLowerPrioRepeat, 0),
		LowerPrioDelay:  sec(v.GARPLowerPrioDelay),
	}
}

// Reason says why a burst is sent.
type Reason uint8

// Burst reasons.
const (
	ReasonMaster         Reason = iota + 1 // becoming master
	ReasonMasterDelay                      // garp_master_delay after becoming master
	ReasonRefresh                          // garp_master_refresh
	ReasonLowerPrio                        // lower priority advert heard as master
	ReasonLowerPrioDelay                   // garp_lower_prio_delay after that
)

var reasonNames = [...]string{"", "master", "master-delay", "refresh", "lower-prio", "lower-prio-delay"}

func (r Reason) String() string {
	if int(r) < len(reasonNames) && r != 0 {
		return reasonNames[r]
	}
	return "reason(" + strconv.Itoa(int(r)) + ")"
}

// Burst is Repeat rounds over all of an instance's addresses, due At.
type Burst struct {
	At     time.Time
	Repeat int
	Reason Reason
}

// Schedule is one instance's burst schedule. It holds no clock: every
// method takes the current time, and Next says when Due must be called.
type Schedule struct {
	t         Timers
	master    bool
	delayed   []Burst // armed bursts, sorted by At
	refreshAt time.Time
}

// NewSchedule returns the schedule of an instance that is not master.
func NewSchedule(t Timers) *Schedule { return &Schedule{t: t} }

// Timers returns the settings the schedule runs on.
func (s *Schedule) Timers() Timers { return s.t }

// Master is called when the instance becomes master (its addresses just
// added): the first burst, due now, and the delayed one and the refresh
// are armed.
func (s *Schedule) Master(now time.Time) []Burst {
	s.master = true
	s.delayed = s.delayed[:0]
	if s.t.MasterDelay > 0 && s.t.MasterRepeat > 0 {
		s.arm(Burst{At: now.Add(s.t.MasterDelay), Repeat: s.t.MasterRepeat, Reason: ReasonMasterDelay})
	}
	s.refreshAt = time.Time{}
	if s.t.Refresh > 0 {
		s.refreshAt = now.Add(s.t.Refresh)
	}
	return s.now(now, s.t.MasterRepeat, ReasonMaster)
}

// LowerPriority is called when the master hears a lower priority advert.
// Each call arms its own delayed burst, as in keepalived.
func (s *Schedule) LowerPriority(now time.Time) []Burst {
	if !s.master || s.t.LowerPrioRepeat <= 0 {
		return nil
	}
	if s.t.LowerPrioDelay > 0 {
		s.arm(Burst{At: now.Add(s.t.LowerPrioDelay), Repeat: s.t.LowerPrioRepeat, Reason: ReasonLowerPrioDelay})
	}
	return s.now(now, s.t.LowerPrioRepeat, ReasonLowerPrio)
}

// Advert is called each time the master sends an advert: keepalived checks
// the refresh timer there, so a refresh goes out with the first advert at
// or after it is due and the next one is counted from then.
func (s *Schedule) Advert(now time.Time) []Burst {
	if !s.master || s.refreshAt.IsZero() || now.Before(s.refreshAt) {
		return nil
	}
	s.refreshAt = now.Add(s.t.Refresh)
	return s.now(now, s.t.RefreshRepeat, ReasonRefresh)
}

// Leave is called when the instance stops being master: armed bursts and
// the refresh are dropped (keepalived's would find no addresses to send).
func (s *Schedule) Leave() {
	s.master = false
	s.delayed = s.delayed[:0]
	s.refreshAt = time.Time{}
}

// Next returns when the next armed burst is due.
func (s *Schedule) Next() (time.Time, bool) {
	if len(s.delayed) == 0 {
		return time.Time{}, false
	}
	return s.delayed[0].At, true
}

// Due returns the armed bursts due at now, in order.
func (s *Schedule) Due(now time.Time) []Burst {
	n := 0
	for n < len(s.delayed) && !s.delayed[n].At.After(now) {
		n++
	}
	due := slices.Clone(s.delayed[:n])
	s.delayed = slices.Delete(s.delayed, 0, n)
	return due
}

func (s *Schedule) now(now time.Time, repeat int, r Reason) []Burst {
	if repeat <= 0 {
		return nil
	}
	return []Burst{{At: now, Repeat: repeat, Reason: r}}
}

func (s *Schedule) arm(b Burst) {
	i, _ := slices.BinarySearchFunc(s.delayed, b.At, func(x Burst, t time.Time) int {
		if x.At.After(t) {
			return 1
		}
		return -1 // equal times stay in arming order
	})
	s.delayed = slices.Insert(s.delayed, i, b)
}

// Target is one address to announce: a VIP or eVIP of Instance and the
// interface it is configured on (the VMAC with use_vmac).
type Target struct {
	Instance string
	Iface    string
	Addr     netip.Addr
}

// Send is one frame due At.
type Send struct {
	At time.Time
	Target
}

// Limit is the rate limit of an interface for one address family: frames
// sharing a Key are spaced by Interval (0: no limit). Interfaces of one
// garp_group "interfaces" block share a key.
type Limit struct {
	Key      string
	Interval time.Duration
}

// Limits returns the limit for frames of a family on an interface.
type Limits func(iface string, ipv6 bool) Limit

// NoLimits sends everything at once (keepalived's default).
func NoLimits(iface string, ipv6 bool) Limit { return Limit{Key: limitKey(iface, ipv6)} }

func limitKey(key string, ipv6 bool) string {
	if ipv6 {
		return key + "/6"
	}
	return key + "/4"
}

// ConfigLimits returns the limits a configuration sets: the garp_group of
// the interface, else vrrp_garp_interval / vrrp_gna_interval. base maps an
// interface to the one whose limit it shares (a VMAC to its parent); nil
// means each interface is its own.
func ConfigLimits(cfg *config.Config, base func(string) string) Limits {
	g4 := time.Duration(cfg.Global.VRRPGARPIntervalUsec) * time.Microsecond
	g6 := time.Duration(cfg.Global.VRRPGNAIntervalUsec) * time.Microsecond
	type group struct {
		key    string
		v4, v6 time.Duration
	}
	groups := map[string]group{}
	for i, gg := range cfg.GARPGroups {
		g := group{key: "garp_group#" + strconv.Itoa(i), v4: g4, v6: g6}
		if gg.HaveGARP {
			g.v4 = time.Duration(gg.GARPIntervalUsec) * time.Microsecond
		}
		if gg.HaveGNA {
			g.v6 = time.Duration(gg.GNAIntervalUsec) * time.Microsecond
		}
		for _, ifn := range gg.Interfaces {
			if _, dup := groups[ifn]; !dup {
				groups[ifn] = g
			}
		}
	}
	return func(iface string, ipv6 bool) Limit {
		if base != nil {
			if b := base(iface); b != "" {
				iface = b
			}
		}
		key, iv := iface, g4
		if ipv6 {
			iv = g6
		}
		if g, ok := groups[iface]; ok {
			key, iv = g.key, g.v4
			if ipv6 {
				iv = g.v6
			}
		}
		return Limit{Key: limitKey(key, ipv6), Interval: iv}
	}
}

// Pacer spaces frames by the interface limits. It is not safe for
// concurrent use.
type Pacer struct {
	limits  Limits
	next    map[string]time.Time // limit key → earliest next frame
	order   []string             // instances, in the order they first announced
	pending map[string][]Target  // per instance, in order, no duplicates
}

// NewPacer returns a pacer with the given limits (nil: NoLimits).
func NewPacer(limits Limits) *Pacer {
	if limits == nil {
		limits = NoLimits
	}
	return &Pacer{limits: limits, next: map[string]time.Time{}, pending: map[string][]Target{}}
}

// Burst sends repeat rounds over targets (one instance's addresses, in
// configuration order): the frames that may go now are returned, the rest
// wait for Due.
func (p *Pacer) Burst(now time.Time, targets []Target, repeat int) []Send {
	var out []Send
	for r := 0; r < repeat; r++ {
		for _, t := range targets {
			if !slices.Contains(p.order, t.Instance) {
				p.order = append(p.order, t.Instance)
			}
			if p.take(now, t) {
				out = append(out, Send{At: now, Target: t})
			} else if !slices.Contains(p.pending[t.Instance], t) {
				p.pending[t.Instance] = append(p.pending[t.Instance], t)
			}
		}
	}
	// keepalived keeps a pending flag per address and walks the address
	// list: pending frames go in configuration order, whatever round
	// queued them.
	for inst, q := range p.pending {
		slices.SortStableFunc(q, func(a, b Target) int {
			ia, ib := slices.Index(targets, a), slices.Index(targets, b)
			if ia < 0 {
				ia = len(targets)
			}
			if ib < 0 {
				ib = len(targets)
			}
			return ia - ib
		})
		p.pending[inst] = q
	}
	return out
}

// take reports whether t may be sent at now, and books the interface.
func (p *Pacer) take(now time.Time, t Target) bool {
	l := p.limits(t.Iface, t.Addr.Is6() && !t.Addr.Is4In6())
	if l.Interval <= 0 {
		return true
	}
	if now.Before(p.next[l.Key]) {
		return false
	}
	p.next[l.Key] = now.Add(l.Interval)
	return true
}

// Flush drops what is still pending for an instance (it left MASTER).
func (p *Pacer) Flush(instance string) { delete(p.pending, instance) }

// Pending reports how many frames wait.
func (p *Pacer) Pending() int {
	n := 0
	for _, q := range p.pending {
		n += len(q)
	}
	return n
}

// Next returns when Due will have a frame to send.
func (p *Pacer) Next() (time.Time, bool) {
	var at time.Time
	found := false
	for _, q := range p.pending {
		for _, t := range q {
			l := p.limits(t.Iface, t.Addr.Is6() && !t.Addr.Is4In6())
			n := p.next[l.Key]
			if !found || n.Before(at) {
				at, found = n, true
			}
		}
	}
	return at, found
}

// Due returns the pending frames that may go at now.
func (p *Pacer) Due(now time.Time) []Send {
	var out []Send
	for _, inst := range p.order {
		q := p.pending[inst]
		kept := q[:0]
		for _, t := range q {
			if p.take(now, t) {
				out = append(out, Send{At: now, Target: t})
			} else {
				kept = append(kept, t)
			}
		}
		if len(kept) == 0 {
			delete(p.pending, inst)
		} else {
			p.pending[inst] = kept
		}
	}
	return out
}

// EventKind is an input of Plan.
type EventKind uint8

// Plan inputs.
const (
	EventMaster    EventKind = iota + 1 // the instance became master
	EventLeave                          // the instance left MASTER
	EventLowerPrio                      // the master heard a lower priority advert
	EventAdvert                         // the master sent an advert
)

// Event is one input of Plan.
type Event struct {
	At   time.Time
	Kind EventKind
}

// Plan runs one instance's schedule and pacer in virtual time over the
// events (sorted by time) up to until, and returns every frame with the
// time it goes out: what the daemon does with real timers.
func Plan(t Timers, targets []Target, limits Limits, events []Event, until time.Time) []Send {
	s, p := NewSchedule(t), NewPacer(limits)
	inst := ""
	if len(targets) > 0 {
		inst = targets[0].Instance
	}
	var out []Send
	burst := func(now time.Time, bs []Burst) {
		for _, b := range bs {
			out = append(out, p.Burst(now, targets, b.Repeat)...)
		}
	}
	// step runs the timers due up to and including now.
	step := func(now time.Time) {
		for {
			var at time.Time
			ok := false
			if a, has := s.Next(); has {
				at, ok = a, true
			}
			if a, has := p.Next(); has && (!ok || a.Before(at)) {
				at, ok = a, true
			}
			if !ok || at.After(now) {
				return
			}
			burst(at, s.Due(at))
			out = append(out, p.Due(at)...)
		}
	}
	for _, e := range events {
		if e.At.After(until) {
			break
		}
		step(e.At)
		switch e.Kind {
		case EventMaster:
			burst(e.At, s.Master(e.At))
		case EventLeave:
			s.Leave()
			p.Flush(inst)
		case EventLowerPrio:
			burst(e.At, s.LowerPriority(e.At))
		case EventAdvert:
			burst(e.At, s.Advert(e.At))
		}
	}
	step(until)
	return out
}
