package daemon

import (
	"os"
	"runtime"
	"runtime/debug"
	"time"
)

// trimMemory gives the pages of what start-up and reloads left behind
// (the configuration text, its tokens and tree, the parse's garbage)
// back to the system. Go would keep them as heap for later; a daemon
// that then runs for months with a small live heap should not hold them.
// Called once a configuration is in place, not on any hot path.
func trimMemory() { debug.FreeOSMemory() }

// gcPercent is the daemon's GOGC: the heap may grow a quarter over what
// is live before a collection, not double it. The daemon allocates
// almost nothing between events (no allocation per advert sent or
// received), so collections stay rare; what the lower target buys is a
// smaller resident heap after a burst such as a thousand instances
// changing state at once. GOGC in the environment still wins.
const gcPercent = 25

// setProcs gives every process of the daemon one P. The VRRP child is one
// event loop fed by a reader per socket: with one P a received advert goes
// from its reader to the loop goroutine on the same thread, where several
// Ps would wake a second thread for every packet (measured: a third of the
// child's CPU at 1000 instances). The parent and the checker are mostly
// asleep; a wake-up there should not start a second thread either.
// keepalived's processes are single-threaded too. GOMAXPROCS in the
// environment still wins.
func setProcs() {
	if os.Getenv("GOMAXPROCS") == "" {
		runtime.GOMAXPROCS(1)
	}
}

func setGCPercent() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
}

// burstTrim gives back the memory of a burst of state changes a while
// after it began (a thousand instances changing state at once take well
// under burstTrimQuiet): the transitions' garbage (log lines, address
// plans, netlink messages) is collected, but the runtime keeps the pages
// until its scavenger gets to them. A burst still going on is trimmed
// again once 64 more changes have been counted.
type burstTrim struct {
	seen  uint64 // transitions counted at the last trim
	armed <-chan time.Time
}

// burstTrimMin is the number of state changes that makes a burst, and
// burstTrimQuiet how long after it is counted the trim runs.
const (
	burstTrimMin   = 64
	burstTrimQuiet = 5 * time.Second
)

// note is called with the transitions so far; it arms the trim when a
// burst happened since the last one.
func (b *burstTrim) note(transitions uint64) {
	if b.armed == nil && transitions-b.seen >= burstTrimMin {
		b.armed = time.After(burstTrimQuiet)
	}
}

// fire runs the trim.
func (b *burstTrim) fire(transitions uint64) {
	b.armed = nil
	b.seen = transitions
	trimMemory()
}
