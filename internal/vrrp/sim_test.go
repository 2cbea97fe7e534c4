package vrrp

import (
	"container/heap"
	"flag"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"strings"
	"testing"
	"time"
)

// A simulated segment: N routers running the same VRID in virtual time,
// joined by a fake network with delivery delays and losses, through
// crashes, restarts, graceful stops, interface faults and priority
// changes. Thousands of seeded random schedules check that once the
// inputs are stable:
//   - exactly one master remains;
//   - it has the highest effective priority (all preempting), and among
//     equal priorities that met as masters the highest address;
//   - nothing flaps;
//   - when the master dies, a backup takes over within
//     down_timer_adverts × interval + skew (+ the network's delay).

var (
	simSeed   = flag.Uint64("simseed", 0, "run only this simulation seed, with a trace")
	simRounds = flag.Int("simrounds", 2000, "number of random simulation schedules")
)

type simEvKind uint8

const (
	evDeliver simEvKind = iota
	evTimer
	evChaos
)

type simEv struct {
	at   int64 // µs of virtual time
	seq  uint64
	kind simEvKind
	node int
	inc  int     // target incarnation (deliveries and timers)
	gen  uint64  // timer generation
	tid  TimerID // timer
	ad   Advert
	fn   func() // chaos action
}

type evHeap []simEv

func (h evHeap) Len() int { return len(h) }
func (h evHeap) Less(i, j int) bool {
	if h[i].at != h[j].at {
		return h[i].at < h[j].at
	}
	return h[i].seq < h[j].seq
}
func (h evHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *evHeap) Push(x any)   { *h = append(*h, x.(simEv)) }
func (h *evHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

type transition struct {
	at       int64
	from, to State
}

type simNode struct {
	id      int
	ip      netip.Addr
	p       Params
	m       *Machine
	alive   bool
	inc     int
	gen     [2]uint64
	chkUp   bool
	trans   []transition
	started int64
	sentAt  int64 // the last advert sent, µs
}

type segment struct {
	t        *testing.T
	rng      *rand.Rand
	now      int64
	seq      uint64
	q        evHeap
	nodes    []*simNode
	loss     float64
	maxDelay int64
	trace    *strings.Builder
	check    func() // an invariant checked after every step
}

func (s *segment) push(e simEv) {
	s.seq++
	e.seq = s.seq
	heap.Push(&s.q, e)
}

func (s *segment) tracef(format string, args ...any) {
	if s.trace != nil {
		fmt.Fprintf(s.trace, "%s %s\n", FormatSeconds(usec(s.now)), fmt.Sprintf(format, args...))
	}
}

// step feeds an event to a node and carries out its actions: timers go
// into the queue, adverts onto the wire.
func (s *segment) step(n *simNode, ev Event) {
	var before [16]State
	for i, o := range s.nodes {
		if o.m != nil {
			before[i] = o.m.State()
		}
	}
	acts := n.m.Step(ev, epoch.Add(usec(s.now)))
	for _, a := range acts {
		o := n
		if a.Instance != n.p.Name {
			if o = s.byName(a.Instance); o == nil { // a group notification
				continue
			}
		}
		switch a.Kind {
		case ActArmTimer:
			o.gen[a.Timer]++
			s.push(simEv{at: a.At.Sub(epoch).Microseconds(), kind: evTimer, node: o.id, inc: o.inc, gen: o.gen[a.Timer], tid: a.Timer})
		case ActCancelTimer:
			o.gen[a.Timer]++
		case ActSendAdvert:
			o.sentAt = s.now
			s.send(o, a.Priority)
		case ActLog:
			s.tracef("%s", a.Text)
		}
	}
	for i, o := range s.nodes {
		if o.m == nil || !o.alive {
			continue
		}
		if after := o.m.State(); after != before[i] {
			o.trans = append(o.trans, transition{s.now, before[i], after})
			s.tracef("node %d %s -> %s (prio %d)", o.id, before[i], after, o.m.Priority())
		}
	}
	if s.check != nil {
		s.check()
	}
}

func (s *segment) byName(name string) *simNode {
	for _, o := range s.nodes {
		if o.p.Name == name {
			return o
		}
	}
	return nil
}

func (s *segment) send(from *simNode, prio int) {
	ad := Advert{Version: from.p.Version, VRID: from.p.VRID, Priority: prio,
		AdvertIntCs: int(from.p.AdvertIntUsec / usecPerCs), Src: from.ip}
	for _, n := range s.nodes {
		if n == from || !n.alive || n.p.VRID != from.p.VRID || s.rng.Float64() < s.loss {
			continue
		}
		d := s.rng.Int64N(s.maxDelay + 1)
		s.push(simEv{at: s.now + d, kind: evDeliver, node: n.id, inc: n.inc, ad: ad})
	}
}

func (s *segment) runUntil(t int64) {
	for len(s.q) > 0 && s.q[0].at <= t {
		e := heap.Pop(&s.q).(simEv)
		s.now = e.at
		switch e.kind {
		case evChaos:
			e.fn()
			continue
		}
		n := s.nodes[e.node]
		if !n.alive || n.inc != e.inc {
			continue
		}
		switch e.kind {
		case evDeliver:
			s.step(n, &e.ad)
		case evTimer:
			if n.gen[e.tid] == e.gen {
				s.step(n, TimerFired{Timer: e.tid})
			}
		}
	}
	s.now = t
}

// boot (re)starts a node: a fresh machine, its tracker's status first.
func (s *segment) boot(n *simNode) {
	n.alive = true
	n.inc++
	n.gen = [2]uint64{}
	n.m = New(n.p)
	n.started = s.now
	s.tracef("node %d boots (base %d)", n.id, n.p.Priority)
	s.step(n, Track{Name: "chk", Kind: KindScript, Weight: n.p.Trackers[1].Weight, Up: n.chkUp})
	s.step(n, Start{})
}

func (s *segment) crash(n *simNode) {
	if !n.alive {
		return
	}
	s.tracef("node %d crashes", n.id)
	n.alive = false
	n.inc++
}

func (s *segment) masters() []*simNode {
	var ms []*simNode
	for _, n := range s.nodes {
		if n.alive && n.m.State() == Master {
			ms = append(ms, n)
		}
	}
	return ms
}

// best is the node that must be master: the highest effective priority,
// ties to the highest address.
func (s *segment) best() (top int, alive []*simNode) {
	for _, n := range s.nodes {
		if n.alive {
			alive = append(alive, n)
			top = max(top, n.m.Priority())
		}
	}
	return top, alive
}

type simConfig struct {
	version     int
	adv         int64
	preempt     bool
	delayUsec   int64 // preempt_delay
	cleanStart  bool
	chaos       bool
	downAdverts int
	// keepalived's advert options, on every node
	lowerNoAdvert, higherSend bool
}

func (s *segment) transitionsSince(t int64) int {
	n := 0
	for _, nd := range s.nodes {
		for _, tr := range nd.trans {
			if tr.at >= t {
				n++
			}
		}
	}
	return n
}

func newSegment(t *testing.T, seed uint64, traced bool) (*segment, simConfig) {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	s := &segment{t: t, rng: rng}
	if traced {
		s.trace = &strings.Builder{}
	}
	cfg := simConfig{version: 2 + rng.IntN(2), preempt: rng.IntN(5) != 0, cleanStart: rng.IntN(3) == 0, downAdverts: 3}
	cfg.chaos = !cfg.cleanStart && rng.IntN(4) != 0
	if cfg.version == 3 {
		cfg.adv = []int64{50_000, 100_000, 500_000, 1_000_000}[rng.IntN(4)]
	} else {
		cfg.adv = int64(1+rng.IntN(2)) * usecPerSec
	}
	if rng.IntN(5) == 0 {
		cfg.downAdverts = 2 + rng.IntN(4)
	}
	cfg.lowerNoAdvert, cfg.higherSend = rng.IntN(3) == 0, rng.IntN(3) == 0
	if cfg.preempt && rng.IntN(4) == 0 {
		cfg.delayUsec = cfg.adv * int64(1+rng.IntN(5))
	}
	s.maxDelay = min(10_000, cfg.adv/20)
	n := 2 + rng.IntN(4)
	prios := []int{50, 100, 100, 150, 200, 254}
	perm := rng.Perm(250)
	owner := rng.IntN(5) == 0
	for i := 0; i < n; i++ {
		p := Params{Name: fmt.Sprintf("R%d", i), VRID: 7, Version: cfg.version, AdvertIntUsec: cfg.adv,
			Priority: prios[rng.IntN(len(prios))], DownTimerAdverts: cfg.downAdverts,
			NoPreempt: !cfg.preempt, PreemptDelayUsec: cfg.delayUsec,
			LowerPrioNoAdvert: cfg.lowerNoAdvert, HigherPrioSendAdvert: cfg.higherSend,
			SrcIP: netip.AddrFrom4([4]byte{10, 0, 0, byte(perm[i] + 1)})}
		if owner && i == 0 {
			p.Priority, p.WantMaster, p.NoPreempt, p.PreemptDelayUsec = PrioOwner, true, false, 0
		}
		w := rng.IntN(121) - 60
		if w == 0 {
			w = 10
		}
		p.Trackers = []TrackerParam{{Name: "eth0", Kind: KindInterface}, {Name: "chk", Kind: KindScript, Weight: w}}
		s.nodes = append(s.nodes, &simNode{id: i, ip: p.SrcIP, p: p, chkUp: rng.IntN(2) == 0})
	}
	return s, cfg
}

// simulate runs one schedule and returns what went wrong, if anything.
func simulate(t *testing.T, seed uint64, traced bool) (string, *segment) {
	s, cfg := newSegment(t, seed, traced)
	s.tracef("seed %d: %+v, %d nodes, max delay %dµs", seed, cfg, len(s.nodes), s.maxDelay)
	// Start: all at once, or staggered.
	for _, n := range s.nodes {
		at := int64(0)
		if !cfg.cleanStart {
			at = s.rng.Int64N(5 * cfg.adv)
		}
		n := n
		s.push(simEv{at: at, kind: evChaos, fn: func() { s.boot(n) }})
	}
	chaosEnd := int64(5 * cfg.adv)
	if cfg.chaos {
		chaosEnd += int64(10+s.rng.IntN(50)) * cfg.adv
		s.scheduleChaos(chaosEnd)
	}
	s.runUntil(chaosEnd)

	// Stable inputs from here on: everyone up, no loss.
	s.loss = 0
	for _, n := range s.nodes {
		if !n.alive {
			s.boot(n)
		} else if n.m.faults() > 0 {
			s.step(n, Track{Name: "eth0", Kind: KindInterface, Up: true})
		}
	}
	downIntv := int64(cfg.downAdverts)*cfg.adv + usecPerSec
	settle := chaosEnd + cfg.delayUsec + 4*downIntv + 4*cfg.adv
	s.runUntil(settle)
	if msg := s.checkConverged(cfg, "after the chaos"); msg != "" {
		return msg, s
	}

	// No flapping over a long quiet window.
	window := settle + 20*cfg.adv
	s.runUntil(window)
	if k := s.transitionsSince(settle); k != 0 {
		return fmt.Sprintf("%d state changes with stable inputs", k), s
	}

	// The master dies without a word: takeover within the bound.
	dead := s.masters()[0]
	s.crash(dead)
	crashAt := s.now
	var bound int64
	top := -1
	for _, n := range s.nodes {
		if n.alive && n.m.Priority() > top {
			top = n.m.Priority()
		}
	}
	if top < 0 {
		return "", s // it was alone
	}
	bound = crashAt + s.maxDelay + int64(cfg.downAdverts)*cfg.adv + SkewTime(cfg.version, top, cfg.adv).Microseconds()
	s.runUntil(bound)
	takeover := int64(-1)
	for _, n := range s.nodes {
		for _, tr := range n.trans {
			if tr.at > crashAt && tr.to == Master && (takeover < 0 || tr.at < takeover) {
				takeover = tr.at
			}
		}
	}
	if takeover < 0 {
		return fmt.Sprintf("no takeover by %s after the master crashed at %s", FormatSeconds(usec(bound)), FormatSeconds(usec(crashAt))), s
	}
	s.runUntil(bound + cfg.delayUsec + 4*downIntv)
	if msg := s.checkConverged(cfg, "after the master's crash"); msg != "" {
		return msg, s
	}
	return "", s
}

func (s *segment) checkConverged(cfg simConfig, when string) string {
	ms := s.masters()
	if len(ms) != 1 {
		var names []string
		for _, m := range ms {
			names = append(names, m.p.Name)
		}
		return fmt.Sprintf("%s: %d masters %v", when, len(ms), names)
	}
	top, alive := s.best()
	m := ms[0]
	if cfg.preempt && m.m.Priority() != top {
		return fmt.Sprintf("%s: master %s has priority %d, highest is %d", when, m.p.Name, m.m.Priority(), top)
	}
	if cfg.cleanStart && cfg.preempt && when == "after the chaos" {
		// Equal priorities that start together time out together and
		// meet as masters: the higher address must win.
		for _, n := range alive {
			if n.m.Priority() == top && n.ip.Compare(m.ip) > 0 {
				return fmt.Sprintf("%s: master %s (%s) but %s (%s) has the same priority %d", when, m.p.Name, m.ip, n.p.Name, n.ip, top)
			}
		}
	}
	for _, n := range alive {
		if n != m && n.m.State() != Backup {
			return fmt.Sprintf("%s: %s is %s", when, n.p.Name, n.m.State())
		}
	}
	return ""
}

// scheduleChaos sprinkles random trouble over [now, end).
func (s *segment) scheduleChaos(end int64) {
	k := 5 + s.rng.IntN(25)
	for i := 0; i < k; i++ {
		at := s.rng.Int64N(end)
		n := s.nodes[s.rng.IntN(len(s.nodes))]
		var fn func()
		switch s.rng.IntN(6) {
		case 0:
			fn = func() { s.crash(n) }
		case 1:
			fn = func() {
				if !n.alive {
					s.boot(n)
				}
			}
		case 2:
			fn = func() {
				if n.alive {
					s.tracef("node %d stops", n.id)
					s.step(n, Stop{})
					n.alive = false
					n.inc++
				}
			}
		case 3:
			fn = func() {
				n.chkUp = !n.chkUp
				if n.alive {
					s.step(n, Track{Name: "chk", Kind: KindScript, Weight: n.p.Trackers[1].Weight, Up: n.chkUp})
				}
			}
		case 4:
			up := s.rng.IntN(2) == 0
			fn = func() {
				if n.alive {
					s.step(n, Track{Name: "eth0", Kind: KindInterface, Up: up})
				}
			}
		case 5:
			loss := []float64{0, 0.1, 0.3, 1}[s.rng.IntN(4)]
			fn = func() { s.loss = loss }
		}
		s.push(simEv{at: at, kind: evChaos, fn: fn})
	}
}

func TestSimulatedSegment(t *testing.T) {
	if *simSeed != 0 {
		msg, s := simulate(t, *simSeed, true)
		t.Log("\n" + s.trace.String())
		if msg != "" {
			t.Fatal(msg)
		}
		return
	}
	rounds := *simRounds
	if testing.Short() {
		rounds /= 10
	}
	start := time.Now()
	for seed := uint64(1); seed <= uint64(rounds); seed++ {
		if msg, _ := simulate(t, seed, false); msg != "" {
			t.Fatalf("seed %d: %s (rerun: go test -run TestSimulatedSegment -simseed %d -v)", seed, msg, seed)
		}
	}
	t.Logf("%d schedules in %v", rounds, time.Since(start))
}

// TestSimTakeoverExact pins the takeover time on a lossless, delay-free
// segment: the backup's timer was reset by the master's last advert, so
// it takes over exactly down_timer_adverts × interval + skew later.
// The owner's adverts fall on whole intervals (AdvertSlot).
func TestSimTakeoverExact(t *testing.T) {
	for _, tc := range []struct {
		version int
		adv     int64
		prio    int
	}{{2, usecPerSec, 100}, {2, 2 * usecPerSec, 1}, {3, 50_000, 100}, {3, 1_000_000, 254}, {3, 40_950_000, 200}} {
		s := &segment{t: t, rng: rand.New(rand.NewPCG(1, 2))}
		for i, prio := range []int{PrioOwner, tc.prio} {
			p := Params{Name: fmt.Sprintf("R%d", i), VRID: 1, Version: tc.version, AdvertIntUsec: tc.adv, Priority: prio,
				WantMaster: prio == PrioOwner, SrcIP: netip.AddrFrom4([4]byte{10, 0, 0, byte(i + 1)}),
				Trackers: []TrackerParam{{Name: "eth0", Kind: KindInterface}, {Name: "chk", Kind: KindScript, Weight: 1}}}
			s.nodes = append(s.nodes, &simNode{id: i, ip: p.SrcIP, p: p}) // chk down: adds nothing
			s.boot(s.nodes[i])
		}
		s.runUntil(10 * tc.adv)
		if s.nodes[0].m.State() != Master || s.nodes[1].m.State() != Backup {
			t.Fatalf("%+v: owner not master", tc)
		}
		lastAdvert := s.nodes[0].sentAt
		if lastAdvert%tc.adv != 0 {
			// AdvertSlot: a master's adverts keep to the slots of its interval.
			t.Fatalf("%+v: last advert at %dµs, off the interval's slots", tc, lastAdvert)
		}
		s.crash(s.nodes[0])
		s.runUntil(s.now + 10*tc.adv)
		want := lastAdvert + MasterDownInterval(tc.version, tc.prio, 3, tc.adv).Microseconds()
		tr := s.nodes[1].trans
		if len(tr) == 0 || tr[len(tr)-1].to != Master || tr[len(tr)-1].at != want {
			t.Fatalf("%+v: takeover %v, want at %s", tc, tr, FormatSeconds(usec(want)))
		}
	}
}
