package daemon

import (
	"time"

	"github.com/gokeepalived/gokeepalived/internal/vrrp"
)

// timerKey names one timer of one instance.
type timerKey struct {
	inst  int
	timer vrrp.TimerID
}

type timerEntry struct {
	at  time.Time
	key timerKey
	gen uint64
}

// timerQueue holds every armed timer of the daemon. The state machines
// re-arm their main timer on every advert, so a re-arm or cancel does not
// search the heap: the entry left behind is recognised as stale by its
// generation when it comes to the top.
type timerQueue struct {
	h    timerHeap
	live map[timerKey]uint64 // generation of the current arm
	gen  uint64
}

func newTimerQueue() *timerQueue {
	return &timerQueue{live: map[timerKey]uint64{}}
}

// arm sets k to fire at at, replacing any earlier arm of k.
func (q *timerQueue) arm(k timerKey, at time.Time) {
	q.gen++
	q.live[k] = q.gen
	q.h.push(timerEntry{at: at, key: k, gen: q.gen})
	// A loop that re-arms without ever firing (a backup hearing its
	// master) leaves one stale entry per advert: compact now and then.
	if len(q.h) > 64 && len(q.h) > 4*len(q.live) {
		q.compact()
	}
}

// cancel disarms k.
func (q *timerQueue) cancel(k timerKey) { delete(q.live, k) }

// next returns the earliest deadline.
func (q *timerQueue) next() (time.Time, bool) {
	q.dropStale()
	if len(q.h) == 0 {
		return time.Time{}, false
	}
	return q.h[0].at, true
}

// due pops the timers due at now, earliest first.
func (q *timerQueue) due(now time.Time, out []timerEntry) []timerEntry {
	for {
		q.dropStale()
		if len(q.h) == 0 || q.h[0].at.After(now) {
			return out
		}
		e := q.h.pop()
		delete(q.live, e.key)
		out = append(out, e)
	}
}

func (q *timerQueue) dropStale() {
	for len(q.h) > 0 && q.live[q.h[0].key] != q.h[0].gen {
		q.h.pop()
	}
}

func (q *timerQueue) compact() {
	kept := q.h[:0]
	for _, e := range q.h {
		if q.live[e.key] == e.gen {
			kept = append(kept, e)
		}
	}
	q.h = kept
	q.h.init()
}

// timerHeap is a binary min-heap by deadline, typed: container/heap's
// Push and Pop take and return any, which allocates for every entry, and
// a backup re-arms a timer for every advert it hears.
type timerHeap []timerEntry

func (h timerHeap) less(i, j int) bool {
	if h[i].at.Equal(h[j].at) {
		return h[i].gen < h[j].gen // arming order among equals
	}
	return h[i].at.Before(h[j].at)
}

func (h *timerHeap) push(e timerEntry) {
	*h = append(*h, e)
	h.up(len(*h) - 1)
}

func (h *timerHeap) pop() timerEntry {
	old := *h
	n := len(old) - 1
	old[0], old[n] = old[n], old[0]
	e := old[n]
	*h = old[:n]
	h.down(0)
	return e
}

func (h timerHeap) init() {
	for i := len(h)/2 - 1; i >= 0; i-- {
		h.down(i)
	}
}

func (h timerHeap) up(j int) {
	for j > 0 {
		i := (j - 1) / 2
		if !h.less(j, i) {
			return
		}
		h[i], h[j] = h[j], h[i]
		j = i
	}
}

func (h timerHeap) down(i int) {
	n := len(h)
	for {
		l := 2*i + 1
		if l >= n {
			return
		}
		j := l
		if r := l + 1; r < n && h.less(r, l) {
			j = r
		}
		if !h.less(j, i) {
			return
		}
		h[i], h[j] = h[j], h[i]
		i = j
	}
}
