package announce

import (
	"net/netip"
	"sync"
	"time"
)

// FrameSender sends one announcement; *Sender is the real one.
type FrameSender interface {
	Send(iface string, vip netip.Addr) error
}

// Announcer carries out the state machine's announcement actions: a
// burst (ActSendGARP with its repeat count) goes through the Pacer, the
// frames allowed now are sent at once and a timer releases the others.
// It is safe for concurrent use.
type Announcer struct {
	mu     sync.Mutex
	p      *Pacer
	s      FrameSender
	now    func() time.Time
	timer  *time.Timer
	closed bool
}

// NewAnnouncer returns an announcer sending through s with the limits.
func NewAnnouncer(s FrameSender, limits Limits) *Announcer {
	return &Announcer{p: NewPacer(limits), s: s, now: time.Now}
}

// Burst sends repeat rounds over an instance's addresses (in configuration
// order, each with the interface it is configured on).
func (a *Announcer) Burst(targets []Target, repeat int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.closed {
		return
	}
	a.send(a.p.Burst(a.now(), targets, repeat))
	a.arm()
}

// Flush drops an instance's pending frames (it left MASTER).
func (a *Announcer) Flush(instance string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.p.Flush(instance)
	a.arm()
}

// Close stops the timer; pending frames are dropped.
func (a *Announcer) Close() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.closed = true
	if a.timer != nil {
		a.timer.Stop()
	}
}

func (a *Announcer) send(sends []Send) {
	for _, s := range sends {
		_ = a.s.Send(s.Iface, s.Addr) // the sender logs failures
	}
}

// arm (re)starts the timer for the next pending frame. Called locked.
func (a *Announcer) arm() {
	if a.timer != nil {
		a.timer.Stop()
	}
	at, ok := a.p.Next()
	if !ok || a.closed {
		return
	}
	a.timer = time.AfterFunc(max(at.Sub(a.now()), 0), a.fire)
}

func (a *Announcer) fire() {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.closed {
		return
	}
	a.send(a.p.Due(a.now()))
	a.arm()
}
