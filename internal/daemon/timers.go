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

// slotKey is slot's inverse.
func slotKey(slot int) timerKey {
	return timerKey{inst: slot / timersPerInstance, timer: vrrp.TimerID(slot % timersPerInstance)}
}

// timerEntry is a timer that came due.
type timerEntry struct {
	at  time.Time
	key timerKey
}

// A deadline is kept as nanoseconds since the queue's base (the first
// deadline armed): comparing integers, in entries half the size.
type deadline struct {
	at  int64  // ns since base
	gen uint64 // arming order, the tie-break among equal deadlines
}

func (a deadline) less(b deadline) bool {
	return a.at < b.at || a.at == b.at && a.gen < b.gen
}

type heapNode struct {
	deadline // may be older (earlier) than the slot's: see arm
	slot     int32
}

type slotState struct {
	pos  int32    // index in h plus one; 0 when not armed
	want deadline // the deadline of the last arm
}

// timerQueue holds every armed timer of the daemon: a binary min-heap by
// deadline that knows where each timer sits.
//
// A backup re-arms its master-down timer for every advert it hears, each
// time later than before. Such a re-arm only records the new deadline in
// the timer's slot; its heap entry stays where it is, earlier than it
// should be, and is moved down when it reaches the top (next and due
// look past it). A thousand backups then cost a slot write per advert
// and a move per master-down interval, instead of a move per advert.
// A re-arm to an earlier deadline moves the entry at once. Nothing is
// allocated and nothing stale is left behind.
type timerQueue struct {
	h     []heapNode
	slots []slotState // by timerKey.slot
	base  time.Time
	based bool
	gen   uint64
}

func newTimerQueue() *timerQueue { return &timerQueue{} }

func (q *timerQueue) deadlineOf(at time.Time) deadline {
	if !q.based {
		q.base, q.based = at, true
	}
	q.gen++
	return deadline{at: int64(at.Sub(q.base)), gen: q.gen}
}

// arm sets k to fire at at, replacing any earlier arm of k.
func (q *timerQueue) arm(k timerKey, at time.Time) {
	s := k.slot()
	for s >= len(q.slots) {
		q.slots = append(q.slots, slotState{})
	}
	w := q.deadlineOf(at)
	st := &q.slots[s]
	if st.pos > 0 {
		i := int(st.pos - 1)
		later := !w.less(st.want)
		st.want = w
		if later {
			return // the entry, now early, is fixed at the top
		}
		q.h[i].deadline = w
		if !q.up(i) {
			q.down(i)
		}
		return
	}
	st.want = w
	q.h = append(q.h, heapNode{deadline: w, slot: int32(s)})
	i := len(q.h) - 1
	st.pos = int32(i + 1)
	q.up(i)
}

// cancel disarms k.
func (q *timerQueue) cancel(k timerKey) {
	s := k.slot()
	if s >= len(q.slots) || q.slots[s].pos == 0 {
		return
	}
	q.remove(int(q.slots[s].pos - 1))
}

// settle moves the early entries at the top to their deadlines, so that
// the top is the earliest timer.
func (q *timerQueue) settle() {
	for len(q.h) > 0 {
		top := &q.h[0]
		w := q.slots[top.slot].want
		if w == top.deadline {
			return
		}
		top.deadline = w
		q.down(0)
	}
}

// next returns the earliest deadline.
func (q *timerQueue) next() (time.Time, bool) {
	q.settle()
	if len(q.h) == 0 {
		return time.Time{}, false
	}
	return q.base.Add(time.Duration(q.h[0].at)), true
}

// due pops the timers due at now, earliest first.
func (q *timerQueue) due(now time.Time, out []timerEntry) []timerEntry {
	if !q.based {
		return out
	}
	lim := int64(now.Sub(q.base))
	for q.settle(); len(q.h) > 0 && q.h[0].at <= lim; q.settle() {
		out = append(out, timerEntry{at: q.base.Add(time.Duration(q.h[0].at)), key: slotKey(int(q.h[0].slot))})
		q.remove(0)
	}
	return out
}

// remove takes out entry i.
func (q *timerQueue) remove(i int) {
	q.slots[q.h[i].slot].pos = 0
	last := len(q.h) - 1
	if i != last {
		q.h[i] = q.h[last]
		q.slots[q.h[i].slot].pos = int32(i + 1)
	}
	q.h = q.h[:last]
	if i < last && !q.up(i) {
		q.down(i)
	}
}

func (q *timerQueue) less(i, j int) bool { return q.h[i].less(q.h[j].deadline) }

func (q *timerQueue) swap(i, j int) {
	q.h[i], q.h[j] = q.h[j], q.h[i]
	q.slots[q.h[i].slot].pos = int32(i + 1)
	q.slots[q.h[j].slot].pos = int32(j + 1)
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
