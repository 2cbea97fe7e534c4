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

// timersPerInstance is the number of vrrp.TimerIDs.
const timersPerInstance = int(vrrp.TimerGARP) + 1

func (k timerKey) slot() int { return k.inst*timersPerInstance + int(k.timer) }

type timerEntry struct {
	at  time.Time
	key timerKey
	gen uint64 // arming order, the tie-break among equal deadlines
}

// timerQueue holds every armed timer of the daemon: a binary min-heap by
// deadline that knows where each timer sits, so that a re-arm moves the
// entry in place and a cancel removes it. A backup re-arms its
// master-down timer for every advert it hears: nothing is allocated and
// nothing stale is left behind.
type timerQueue struct {
	h   []timerEntry
	pos []int32 // by slot: index in h plus one; 0 when not armed
	gen uint64
}

func newTimerQueue() *timerQueue { return &timerQueue{} }

// arm sets k to fire at at, replacing any earlier arm of k.
func (q *timerQueue) arm(k timerKey, at time.Time) {
	q.gen++
	s := k.slot()
	for s >= len(q.pos) {
		q.pos = append(q.pos, 0)
	}
	if p := q.pos[s]; p > 0 {
		i := int(p - 1)
		q.h[i].at, q.h[i].gen = at, q.gen
		if !q.up(i) {
			q.down(i)
		}
		return
	}
	q.h = append(q.h, timerEntry{at: at, key: k, gen: q.gen})
	i := len(q.h) - 1
	q.pos[s] = int32(i + 1)
	q.up(i)
}

// cancel disarms k.
func (q *timerQueue) cancel(k timerKey) {
	s := k.slot()
	if s >= len(q.pos) || q.pos[s] == 0 {
		return
	}
	q.remove(int(q.pos[s] - 1))
}

// next returns the earliest deadline.
func (q *timerQueue) next() (time.Time, bool) {
	if len(q.h) == 0 {
		return time.Time{}, false
	}
	return q.h[0].at, true
}

// due pops the timers due at now, earliest first.
func (q *timerQueue) due(now time.Time, out []timerEntry) []timerEntry {
	for len(q.h) > 0 && !q.h[0].at.After(now) {
		out = append(out, q.h[0])
		q.remove(0)
	}
	return out
}

// remove takes out entry i.
func (q *timerQueue) remove(i int) {
	q.pos[q.h[i].key.slot()] = 0
	last := len(q.h) - 1
	if i != last {
		q.h[i] = q.h[last]
		q.pos[q.h[i].key.slot()] = int32(i + 1)
	}
	q.h = q.h[:last]
	if i < last && !q.up(i) {
		q.down(i)
	}
}

func (q *timerQueue) less(i, j int) bool {
	if q.h[i].at.Equal(q.h[j].at) {
		return q.h[i].gen < q.h[j].gen
	}
	return q.h[i].at.Before(q.h[j].at)
}

func (q *timerQueue) swap(i, j int) {
	q.h[i], q.h[j] = q.h[j], q.h[i]
	q.pos[q.h[i].key.slot()] = int32(i + 1)
	q.pos[q.h[j].key.slot()] = int32(j + 1)
}

// up moves entry j towards the root and reports whether it moved.
func (q *timerQueue) up(j int) bool {
	moved := false
	for j > 0 {
		i := (j - 1) / 2
		if !q.less(j, i) {
			break
		}
		q.swap(i, j)
		j, moved = i, true
	}
	return moved
}

func (q *timerQueue) down(i int) {
	n := len(q.h)
	for {
		l := 2*i + 1
		if l >= n {
			return
		}
		j := l
		if r := l + 1; r < n && q.less(r, l) {
			j = r
		}
		if !q.less(j, i) {
			return
		}
		q.swap(i, j)
		i = j
	}
}
