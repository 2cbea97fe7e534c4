package daemon

import (
	"os"

	"github.com/gokeepalived/gokeepalived/internal/ipc"
	"github.com/gokeepalived/gokeepalived/pkg/config"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/logging"
	"github.com/gokeepalived/gokeepalived/internal/netif"
	"github.com/gokeepalived/gokeepalived/internal/track"
	"github.com/gokeepalived/gokeepalived/internal/vrrp"
)

// packet is an advert that passed the transport's checks, for instance
// idx. The socket goroutines hand it over; only the loop touches the
// machines.
type packet struct {
	idx int
	ad  vrrp.Advert
	at  int64 // the kernel's receive time (transport.Advert.At)
}

// maxRecvAge bounds the age a receive time may give a packet: an older
// one is a clock step, and the loop's own clock is used.
const maxRecvAge = 100 * time.Millisecond

// received is when a packet came in, on now's clock (its monotonic
// reading kept): the kernel's receive time at, which is on the wall clock,
// made an age, or now when at is unknown or out of reason. The loop reads
// a packet 0.05 to 0.4 ms after the kernel took it on this project's test
// VM; the RFC's timers run from the packet's receipt (RFC 5798 6.4.2).
func received(now time.Time, at int64) time.Time {
	if at == 0 {
		return now
	}
	age := time.Duration(now.UnixNano() - at)
	if age <= 0 || age > maxRecvAge {
		return now
	}
	return now.Add(-age)
}

// lossCounter counts adverts dropped because the loop's queue was full
// (the socket goroutines must never block).
type lossCounter struct{ n atomic.Uint64 }

func (c *lossCounter) add() { c.n.Add(1) }

// maxPacketRun bounds the adverts the loop takes in a row, so that a
// flood cannot hold off timers, signals and the parent's messages.
const maxPacketRun = 256

// forgetter is the announce sender's cache of interface addresses.
type forgetter interface{ Forget(iface string) }

// loop is the daemon's one event loop goroutine: it moves events to the
// engine and nothing else.
type loop struct {
	eng     *engine
	log     logging.Logger
	packets <-chan packet
	links   <-chan netif.Event
	tracks  <-chan track.Status
	sigs    <-chan os.Signal
	stop    <-chan struct{}
	lost    *lossCounter
	sender  forgetter
	// The parent's messages (nil without a parent), the pipe to answer
	// on, and the configuration generation running.
	ctl    <-chan ipc.Message
	up     *ipc.Conn
	gen    uint64
	reload func(cfg *config.Config) error
}

// run returns on a stop signal, once the engine has stopped: the
// priority-0 adverts go before anything is torn down (closing the timer
// waits for its reading goroutine, 0.1 to 0.3 ms here).
func (l *loop) run() {
	timer := newWaker()
	l.until(timer)
	l.eng.stop(time.Now())
	timer.Close()
}

// until runs the loop until a stop.
func (l *loop) until(timer waker) {
	var armed time.Time
	lostSeen := uint64(0)
	var trim burstTrim
	trim.seen = l.eng.transitions
	for {
		trim.note(l.eng.transitions)
		if at, ok := l.eng.next(); ok {
			if !at.Equal(armed) {
				timer.Reset(time.Until(at))
				armed = at
			}
		} else if !armed.IsZero() {
			timer.Stop()
			armed = time.Time{}
		}
		select {
		case p := <-l.packets:
			now := time.Now()
			l.eng.hold()
			l.eng.advert(p.idx, &p.ad, received(now, p.at))
			// The socket goroutines hand over a burst at a time (they
			// read in batches): take what is queued before choosing
			// again, with one clock reading and one timer update.
			for range maxPacketRun {
				select {
				case p = <-l.packets:
					l.eng.advert(p.idx, &p.ad, received(now, p.at))
					continue
				default:
				}
				break
			}
			l.eng.release()
		case <-timer.Wake():
			armed = time.Time{}
			l.eng.fire(time.Now())
		case ev, ok := <-l.links:
			if !ok {
				l.links = nil // the watch failed (logged); keep running
				continue
			}
			l.link(ev)
		case st := <-l.tracks:
			l.eng.trackStatus(st, time.Now())
		case s := <-l.sigs:
			if l.signal(s) {
				return
			}
		case <-trim.armed:
			trim.fire(l.eng.transitions)
		case <-l.stop:
			return
		case m, ok := <-l.ctl:
			if !ok || l.message(m) {
				return
			}
		}
		if n := l.lost.n.Load(); n != lostSeen {
			logging.Errorf(l.log, fmtPacketsLost, n-lostSeen)
			lostSeen = n
		}
	}
}

func (l *loop) link(ev netif.Event) {
	switch ev.Kind {
	case netif.LinkUp:
		l.eng.linkState(ev.Name, true, time.Now())
	case netif.LinkDown:
		l.eng.linkState(ev.Name, false, time.Now())
	case netif.LinkDeleted:
		// A re-created interface has a new index and maybe address.
		if l.sender != nil {
			l.sender.Forget(ev.Name)
		}
		l.eng.linkState(ev.Name, false, time.Now())
	}
}

// signal handles one signal and reports whether to stop.
func (l *loop) signal(s os.Signal) bool {
	switch s {
	case syscall.SIGTERM, syscall.SIGINT:
		return true
	default:
		// A dump signal sent to this process itself (kill -USR1 of the
		// vrrp pid): keepalived's children write their dumps too.
		if k, ok := dumpKind(s.(syscall.Signal)); ok {
			l.dump(k)
		}
	}
	return false
}

// message handles one message from the parent and reports whether to
// stop.
func (l *loop) message(m ipc.Message) bool {
	switch m := m.(type) {
	case *ipc.Stop:
		return true
	case *ipc.Reload:
		err := l.reload(loadSnapshot(&m.Snapshot))
		l.gen = m.Generation
		a := &ipc.ConfigAck{Generation: m.Generation}
		if err != nil {
			a.Error = err.Error()
		}
		l.up.Send(a)
		trimMemory()
	case *ipc.Ping:
		l.up.Send(&ipc.Pong{Seq: m.Seq})
	case *ipc.Dump:
		l.dump(m.Kind)
	}
	return false
}
