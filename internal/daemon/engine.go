package daemon

import (
	"net/netip"
	"strings"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/announce"
	"github.com/gokeepalived/gokeepalived/internal/logging"
	"github.com/gokeepalived/gokeepalived/internal/netif"
	"github.com/gokeepalived/gokeepalived/internal/track"
	"github.com/gokeepalived/gokeepalived/internal/vrrp"
)

// The engine is the event loop's body: it feeds events to the state
// machines and carries out the actions they return, in order. It makes no
// decision of its own (those are internal/vrrp's) and owns no goroutine:
// the loop (loop.go) calls it with the current time, tests call it with a
// fake one. Everything it touches goes through the small interfaces
// below, so that it runs against fakes without root.

// advertiser sends one instance's adverts (*transport.Registration).
type advertiser interface {
	Send(prio uint8) error
	SetMaster(netip.Addr)
}

// hostApplier changes addresses, routes and rules (*netif.Host).
type hostApplier interface {
	Apply(ops []netif.Op) error
}

// sendBatcher holds the adverts sent while the engine runs a batch of
// events and sends them together (*transport.Pool).
type sendBatcher interface {
	Hold()
	Flush()
	Release()
}

// announcer sends gratuitous ARPs / NAs (*announce.Announcer).
type announcer interface {
	Burst(targets []announce.Target, repeat int)
	Flush(instance string)
}

type instance struct {
	// What every advert and timer touches comes first, in a cache line
	// or two: with a thousand instances each step starts cold.
	idx int
	m   *vrrp.Machine
	adv advertiser
	// dead: deleted by a reload (its slot stays, for the timer keys).
	dead bool
	// deleting: a reload is removing the instance; its notification is
	// DELETED (the notifier words it FAULT without notify_deleted, and
	// runs no notify_fault, as keepalived 2.2.7).
	deleting bool
	// following: the transport was told the source of the master this
	// backup follows (SetMaster), to be cleared when it leaves BACKUP.
	following bool
	followed  netip.Addr // the source given with SetMaster
	// stats are keepalived's per-instance counters and the state last
	// seen, for the dump files (dump.go).
	stats instStats
	// prev is the configuration before a reload, while the machine takes
	// the new one: add actions apply only the difference.
	prev *spec
	spec spec
}

// notifier runs what the configuration asks for on a state change:
// notify scripts, the notify FIFO's lines, mail (*notify.Notifier). It
// never blocks the loop.
type notifier interface {
	Instance(name string, st vrrp.State, prio int)
	Group(name string, st vrrp.State)
	Event(name string, ev vrrp.NotifyEvent, st vrrp.State, prio int)
}

type engine struct {
	log logging.Logger
	// logs, when the Logger can hold its lines, holds them while an
	// instance steps, so that writing them never comes between a new
	// master's advert, its VIPs and its gratuitous ARPs.
	logs   logging.Holder
	host   hostApplier
	garp   announcer
	fw     firewaller // nil: no drop rules (tests)
	insts  []*instance
	byName map[string]*instance
	// tracked indexes the instances by the objects they track;
	// statuses keeps each object's last report (track.go).
	tracked  map[objKey][]objTracker
	statuses map[objKey]track.Status
	timers   *timerQueue
	notify   notifier // nil: no notifications (tests)
	// keepVIPs is -V: a stopping daemon leaves its VIPs, routes and
	// rules in place.
	keepVIPs bool
	stopping bool
	due      []timerEntry
	acts     []vrrp.Action // the machines' action buffer (step)
	// transitions counts the state changes seen (memory.go's burstTrim).
	transitions uint64
	// batch, when set, takes the adverts of a batch of events (timers
	// due together, a run of received adverts) to send them in one go;
	// anything else an action does flushes them first, so that an
	// instance's advert still leaves before its VIPs are set.
	batch   sendBatcher
	holding bool
	// report, when set, tells the parent an instance's new state.
	report func(instance, group string, st vrrp.State, prio int)
	// linkUp, when set, says whether an interface is up, for instances
	// starting after a reload.
	linkUp func(name string) bool
	// began: some instance has been started. The instances added before
	// are the start-up configuration's (see add).
	began bool
}

func newEngine(log logging.Logger, host hostApplier, garp announcer) *engine {
	e := &engine{log: log, host: host, garp: garp, byName: map[string]*instance{},
		tracked: map[objKey][]objTracker{}, statuses: map[objKey]track.Status{}, timers: newTimerQueue()}
	e.logs, _ = log.(logging.Holder)
	return e
}

// add registers an instance whose machine and advertiser are built.
func (e *engine) add(s spec, m *vrrp.Machine, adv advertiser) *instance {
	in := &instance{idx: len(e.insts), spec: s, m: m, adv: adv}
	e.insts = append(e.insts, in)
	e.byName[s.name] = in
	e.index(in)
	// keepalived 2.2.7 clears each instance of its start-up configuration
	// before any starts: its VIPs, eVIPs, routes and rules go from the
	// interface, whoever left them there (a killed daemon). Not a VMAC it
	// creates (new and bare), and not an instance a reload adds.
	if !e.began && s.vmac == nil && !s.resume {
		e.step(in, vrrp.StartupClear{}, time.Time{})
	}
	return in
}

// start starts every instance (a sync group starts with its first
// member).
func (e *engine) start(now time.Time) {
	for _, in := range e.insts {
		e.step(in, vrrp.Start{}, now)
	}
}

// advert hands an instance an advert that passed the transport's checks.
func (e *engine) advert(idx int, ad *vrrp.Advert, now time.Time) {
	if idx < 0 || idx >= len(e.insts) || e.stopping || e.insts[idx].dead {
		return
	}
	in := e.insts[idx]
	in.stats.received(in, ad)
	e.step(in, ad, now)
	// With skip_check_adv_addr the transport skips the address checks
	// for the master a backup follows: tell it whom that is.
	if in.m.State() == vrrp.Backup && (!in.following || in.followed != ad.Src) {
		in.adv.SetMaster(ad.Src)
		in.following, in.followed = true, ad.Src
	}
}

// next is when fire must be called.
func (e *engine) next() (time.Time, bool) { return e.timers.next() }

// fire runs the timers due at now.
func (e *engine) fire(now time.Time) {
	e.hold()
	defer e.release()
	e.due = e.timers.due(now, e.due[:0])
	for _, t := range e.due {
		if in := e.insts[t.key.inst]; !in.dead {
			e.step(in, vrrp.TimerFired{Timer: t.key.timer}, now)
		}
	}
}

// stop shuts every instance down: masters send priority 0 and give up
// their addresses (unless keepVIPs).
func (e *engine) stop(now time.Time) {
	e.stopping = true
	for _, in := range e.insts {
		if !in.dead {
			e.step(in, vrrp.Stop{}, now)
		}
	}
}

func (e *engine) step(in *instance, ev vrrp.Event, now time.Time) {
	if _, ok := ev.(vrrp.Start); ok {
		e.began = true
	}
	if e.logs != nil {
		e.logs.Hold()
		defer e.logs.Release()
	}
	// Every machine steps into the engine's one buffer; a step taken
	// while performing (none today) would get a buffer of its own.
	buf := e.acts
	e.acts = nil
	acts := in.m.StepBuf(buf, ev, now)
	e.perform(in, acts)
	clear(acts) // drop the strings the actions held
	e.acts = acts[:0]
	e.unfollow(in)
	if in.stats.observe(in, now) {
		e.transitions++
	}
	if g := in.m.Group(); g != nil {
		for _, m := range g.Members() {
			if o := e.byName[m.Name()]; o != nil && o != in {
				e.unfollow(o)
				if o.stats.observe(o, now) {
					e.transitions++
				}
			}
		}
	}
}

// unfollow clears the followed master of an instance out of BACKUP.
func (e *engine) unfollow(in *instance) {
	if in.following && in.m.State() != vrrp.Backup {
		in.adv.SetMaster(netip.Addr{})
		in.following = false
	}
}

// hold starts a batch of events whose adverts leave together at
// release.
func (e *engine) hold() {
	if e.batch != nil && !e.holding {
		e.batch.Hold()
		e.holding = true
	}
}

func (e *engine) release() {
	if e.holding {
		e.holding = false
		e.batch.Release()
	}
}

// perform carries out a Step's actions in order. A sync group's Step
// returns actions for several members: each names its instance.
func (e *engine) perform(stepped *instance, acts []vrrp.Action) {
	in := stepped
	grouped := stepped.m.Group() != nil
	for i := range acts {
		a := &acts[i]
		// Only a sync group's step has actions of other instances (and
		// the group's own lines, whose instance is nil).
		if grouped && (in == nil || a.Instance != in.spec.name) {
			in = e.byName[a.Instance]
		}
		switch a.Kind {
		case vrrp.ActLog, vrrp.ActArmTimer, vrrp.ActCancelTimer, vrrp.ActSendAdvert:
		default:
			if e.holding {
				e.batch.Flush() // adverts before addresses, GARPs, scripts
			}
		}
		switch a.Kind {
		case vrrp.ActLog:
			e.log.Log(logging.Line{Text: a.Text, Detail: a.Detail})
		case vrrp.ActArmTimer:
			if in != nil {
				e.timers.arm(timerKey{in.idx, a.Timer}, a.At)
			}
		case vrrp.ActCancelTimer:
			if in != nil {
				e.timers.cancel(timerKey{in.idx, a.Timer})
			}
		case vrrp.ActSendAdvert:
			if in != nil {
				// The transport logs send errors with keepalived's words.
				_ = in.adv.Send(uint8(a.Priority))
				in.stats.sent(vrrp.IsResignAdvert(acts, i))
			}
		case vrrp.ActAddVIPs:
			e.dropRules(in, true)
			e.apply(in, "set VIPs", plan(in, addrsOf))
		case vrrp.ActDelVIPs:
			if !e.keep() {
				e.apply(in, "remove VIPs", netif.PlanRemove(in.spec.addrs))
				e.dropRules(in, false)
			}
		case vrrp.ActAddRoutes:
			e.apply(in, "set virtual routes", plan(in, routesOf))
		case vrrp.ActDelRoutes:
			if !e.keep() {
				e.apply(in, "remove virtual routes", netif.PlanRemove(in.spec.routes))
			}
		case vrrp.ActAddRules:
			e.apply(in, "set virtual rules", plan(in, rulesOf))
		case vrrp.ActDelRules:
			if !e.keep() {
				e.apply(in, "remove virtual rules", netif.PlanRemove(in.spec.rules))
			}
		case vrrp.ActSendGARP:
			if in != nil && len(in.spec.targets) > 0 {
				e.garp.Burst(in.spec.targets, a.Repeat)
			}
		case vrrp.ActFlushGARP:
			if in != nil {
				e.garp.Flush(in.spec.name)
			}
		case vrrp.ActNotify:
			// The parent learns every state change (it relays them to
			// the checker child for ha_suspend).
			if e.report != nil && in != nil {
				group, _, _ := strings.Cut(in.spec.group, ":")
				e.report(in.spec.name, group, a.State, a.Priority)
			}
			if e.notify != nil && in != nil {
				st := a.State
				if in.deleting {
					st = vrrp.Deleted
				}
				e.notify.Instance(in.spec.name, st, a.Priority)
			}
		case vrrp.ActNotifyEvent:
			if e.notify != nil && in != nil {
				e.notify.Event(in.spec.name, a.Event, a.State, a.Priority)
			}
		case vrrp.ActGroupNotify:
			if e.notify != nil {
				e.notify.Group(a.Instance, a.State)
			}
		}
	}
}

func (e *engine) keep() bool { return e.stopping && e.keepVIPs }

func (e *engine) apply(in *instance, what string, ops []netif.Op) {
	if in == nil || len(ops) == 0 {
		return
	}
	if err := e.host.Apply(ops); err != nil {
		logging.Errorf(e.log, "(%s) cannot %s: %v", in.spec.name, what, err)
	}
}
