package daemon

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/vrrp"
)

func TestTimerQueue(t *testing.T) {
	t0 := time.Unix(1000, 0)
	q := newTimerQueue()
	a := timerKey{0, vrrp.TimerMain}
	b := timerKey{1, vrrp.TimerMain}
	g := timerKey{0, vrrp.TimerGARP}
	q.arm(a, t0.Add(3*time.Second))
	q.arm(b, t0.Add(2*time.Second))
	q.arm(g, t0.Add(5*time.Second))
	q.arm(a, t0.Add(1*time.Second)) // re-arm replaces
	if at, ok := q.next(); !ok || !at.Equal(t0.Add(time.Second)) {
		t.Fatalf("next = %v %v", at, ok)
	}
	q.cancel(b)
	got := q.due(t0.Add(4*time.Second), nil)
	if len(got) != 1 || got[0].key != a {
		t.Fatalf("due = %+v", got)
	}
	if got := q.due(t0.Add(4*time.Second), nil); len(got) != 0 {
		t.Fatalf("fired twice: %+v", got)
	}
	if at, ok := q.next(); !ok || !at.Equal(t0.Add(5*time.Second)) {
		t.Fatalf("next = %v %v", at, ok)
	}
	q.cancel(g)
	if _, ok := q.next(); ok {
		t.Fatal("cancelled timer still next")
	}
}

// TestTimerQueueReArm: a timer re-armed for every advert keeps one entry.
func TestTimerQueueReArm(t *testing.T) {
	t0 := time.Unix(1000, 0)
	q := newTimerQueue()
	k := timerKey{0, vrrp.TimerMain}
	for i := range 10000 {
		q.arm(k, t0.Add(time.Duration(i)*time.Millisecond))
	}
	if len(q.h) != 1 {
		t.Errorf("heap holds %d entries for one live timer", len(q.h))
	}
	got := q.due(t0.Add(time.Hour), nil)
	if len(got) != 1 || !got[0].at.Equal(t0.Add(9999*time.Millisecond)) {
		t.Errorf("due = %+v", got)
	}
	if n := testing.AllocsPerRun(100, func() { q.arm(k, t0) }); n != 0 {
		t.Errorf("re-arm: %v allocations", n)
	}
}

// TestBurstTrim: a burst of state changes arms one trim; a few changes
// do not; after the trim a new burst is counted from there.
func TestBurstTrim(t *testing.T) {
	var b burstTrim
	b.note(burstTrimMin - 1)
	if b.armed != nil {
		t.Fatal("armed below a burst")
	}
	b.note(burstTrimMin)
	first := b.armed
	if first == nil {
		t.Fatal("a burst did not arm the trim")
	}
	b.note(5 * burstTrimMin)
	if b.armed != first {
		t.Fatal("re-armed while armed")
	}
	b.fire(5 * burstTrimMin)
	if b.armed != nil || b.seen != 5*burstTrimMin {
		t.Fatalf("after the trim: %+v", b)
	}
	b.note(6*burstTrimMin - 1)
	if b.armed != nil {
		t.Fatal("counted from before the last trim")
	}
}

// TestTimerQueueRandom: against a plain map of the live arms, timers
// come out of random arms, re-arms (earlier and later) and cancels, with
// the clock moving on now and then, in deadline order (arming order among
// equal deadlines), each live one exactly once, when it is due and not
// before; next always names the earliest live deadline.
func TestTimerQueueRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	q := newTimerQueue()
	type arm struct {
		at  time.Time
		seq int
	}
	live := map[timerKey]arm{}
	seq := 0
	now := t0
	// check pops what is due at now and compares with live.
	check := func(now time.Time) {
		t.Helper()
		var want []timerKey
		for k, a := range live {
			if !a.at.After(now) {
				want = append(want, k)
			}
		}
		slices.SortFunc(want, func(x, y timerKey) int {
			if c := live[x].at.Compare(live[y].at); c != 0 {
				return c
			}
			return live[x].seq - live[y].seq
		})
		got := q.due(now, nil)
		if len(got) != len(want) {
			t.Fatalf("at %v: %d timers due, want %d", now.Sub(t0), len(got), len(want))
		}
		for i, e := range got {
			if e.key != want[i] || !e.at.Equal(live[want[i]].at) {
				t.Fatalf("at %v: timer %d is %+v, want %+v %+v", now.Sub(t0), i, e, want[i], live[want[i]])
			}
		}
		for _, k := range want {
			delete(live, k)
		}
		var first time.Time
		for _, a := range live {
			if first.IsZero() || a.at.Before(first) {
				first = a.at
			}
		}
		if at, ok := q.next(); ok != !first.IsZero() || ok && !at.Equal(first) {
			t.Fatalf("at %v: next = %v %v, want %v", now.Sub(t0), at.Sub(t0), ok, first.Sub(t0))
		}
	}
	for range 20000 {
		k := timerKey{inst: rng.IntN(50), timer: vrrp.TimerID(rng.IntN(2))}
		switch rng.IntN(8) {
		case 0:
			q.cancel(k)
			delete(live, k)
		case 1:
			now = now.Add(time.Duration(rng.IntN(30)) * time.Millisecond)
			check(now)
		default:
			at := now.Add(time.Duration(rng.IntN(200)) * time.Millisecond)
			seq++
			q.arm(k, at)
			live[k] = arm{at, seq}
		}
	}
	check(now.Add(time.Hour))
	if _, ok := q.next(); ok {
		t.Error("timers left after all were due")
	}
}
