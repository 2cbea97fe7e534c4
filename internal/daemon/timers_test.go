package daemon

import (
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

func TestTimerQueueCompacts(t *testing.T) {
	t0 := time.Unix(1000, 0)
	q := newTimerQueue()
	k := timerKey{0, vrrp.TimerMain}
	for i := range 10000 {
		q.arm(k, t0.Add(time.Duration(i)*time.Millisecond))
	}
	if len(q.h) > 100 {
		t.Errorf("heap holds %d entries for one live timer", len(q.h))
	}
	got := q.due(t0.Add(time.Hour), nil)
	if len(got) != 1 || !got[0].at.Equal(t0.Add(9999*time.Millisecond)) {
		t.Errorf("due = %+v", got)
	}
}
