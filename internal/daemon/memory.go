package daemon

import "runtime/debug"

// trimMemory gives the pages of what start-up and reloads left behind
// (the configuration text, its tokens and tree, the parse's garbage)
// back to the system. Go would keep them as heap for later; a daemon
// that then runs for months with a small live heap should not hold them.
// Called once a configuration is in place, not on any hot path.
func trimMemory() { debug.FreeOSMemory() }
