package vrrp

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
	"strings"
	"testing"
)

// Sync groups in the simulation: 2-4 routers on two segments, each with
// one instance per segment, the two in a vrrp_sync_group. Interface
// faults, crashes and losses come and go; once the inputs are stable
// exactly one router must be master of both segments (the highest
// priority, all preempting), its two members MASTER, every other member
// BACKUP: a group never ends split.

type router struct {
	nodes [2]*simNode
	prio  int
}

func (s *segment) bootRouter(r *router) {
	for _, n := range r.nodes {
		n.alive = true
		n.inc++
		n.gen = [2]uint64{}
		n.m = New(n.p)
	}
	g := NewGroup(fmt.Sprintf("G%d", r.nodes[0].id/2), r.nodes[0].m, r.nodes[1].m)
	_ = g
	s.tracef("router %d boots", r.nodes[0].id/2)
	s.step(r.nodes[0], Start{})
}

func simulateGroups(seed uint64, traced bool) (string, *segment) {
	rng := rand.New(rand.NewPCG(seed, seed*31+7))
	s := &segment{rng: rng, maxDelay: 10_000}
	if traced {
		s.trace = &strings.Builder{}
	}
	adv := int64(usecPerSec)
	nr := 2 + rng.IntN(3)
	perm := rng.Perm(200)
	var rs []*router
	for i := 0; i < nr; i++ {
		r := &router{prio: 20 + perm[i]}
		for seg := 0; seg < 2; seg++ {
			id := len(s.nodes)
			p := Params{Name: fmt.Sprintf("R%d_%d", i, seg), VRID: 1 + seg, Version: 2, AdvertIntUsec: adv,
				Priority: r.prio, SrcIP: netip.AddrFrom4([4]byte{10, byte(seg), 0, byte(i + 1)}),
				Trackers: []TrackerParam{{Name: "eth", Kind: KindInterface}}}
			n := &simNode{id: id, ip: p.SrcIP, p: p}
			s.nodes = append(s.nodes, n)
			r.nodes[seg] = n
		}
		rs = append(rs, r)
	}
	for _, r := range rs {
		r := r
		s.push(simEv{at: rng.Int64N(3 * adv), kind: evChaos, fn: func() { s.bootRouter(r) }})
	}
	end := int64(5+rng.IntN(40)) * adv
	for k := rng.IntN(15); k > 0; k-- {
		r := rs[rng.IntN(len(rs))]
		n := r.nodes[rng.IntN(2)]
		var fn func()
		switch rng.IntN(4) {
		case 0:
			fn = func() { s.crash(r.nodes[0]); s.crash(r.nodes[1]) }
		case 1:
			fn = func() {
				if !r.nodes[0].alive {
					s.bootRouter(r)
				}
			}
		case 2:
			up := rng.IntN(2) == 0
			fn = func() {
				if n.alive {
					s.step(n, Track{Name: "eth", Kind: KindInterface, Up: up})
				}
			}
		case 3:
			loss := []float64{0, 0.2, 1}[rng.IntN(3)]
			fn = func() { s.loss = loss }
		}
		s.push(simEv{at: rng.Int64N(end), kind: evChaos, fn: fn})
	}
	// Invariant at every step: the members of a running group are in one
	// state (the group moves them within the same Step).
	var broken string
	s.check = func() {
		for _, r := range rs {
			a, b := r.nodes[0], r.nodes[1]
			if broken == "" && a.alive && b.alive && a.m.State() != b.m.State() {
				broken = fmt.Sprintf("at %s router prio %d split: %s %s, %s %s", FormatSeconds(usec(s.now)), r.prio,
					a.p.Name, a.m.State(), b.p.Name, b.m.State())
			}
		}
	}
	s.runUntil(end)
	if broken != "" {
		return broken, s
	}
	s.loss = 0
	for _, r := range rs {
		if !r.nodes[0].alive {
			s.bootRouter(r)
			continue
		}
		for _, n := range r.nodes {
			if n.m.faults() > 0 {
				s.step(n, Track{Name: "eth", Kind: KindInterface, Up: true})
			}
		}
	}
	settle := end + 6*(3*adv+usecPerSec)
	s.runUntil(settle)
	if broken != "" {
		return broken, s
	}
	top := rs[0]
	for _, r := range rs {
		if r.prio > top.prio {
			top = r
		}
	}
	for _, r := range rs {
		want := Backup
		if r == top {
			want = Master
		}
		for _, n := range r.nodes {
			if n.m.State() != want {
				return fmt.Sprintf("router prio %d: %s is %s, want %s (group %s)", r.prio, n.p.Name, n.m.State(), want, n.m.Group().State()), s
			}
		}
		if r.nodes[0].m.Group().State() != want {
			return fmt.Sprintf("router prio %d: group %s, want %s", r.prio, r.nodes[0].m.Group().State(), want), s
		}
	}
	s.runUntil(settle + 20*adv)
	if k := s.transitionsSince(settle); k != 0 {
		return fmt.Sprintf("%d state changes with stable inputs", k), s
	}
	return "", s
}

func TestSimulatedSyncGroups(t *testing.T) {
	rounds := *simRounds / 4
	if testing.Short() {
		rounds /= 10
	}
	for seed := uint64(1); seed <= uint64(rounds); seed++ {
		if msg, _ := simulateGroups(seed, false); msg != "" {
			_, s := simulateGroups(seed, true)
			t.Fatalf("seed %d: %s\n%s", seed, msg, s.trace)
		}
	}
}
