package daemon

import "time"

// The parent's watchdog policy for a child that ended, as keepalived's
// (core/main.c, the child reapers): a child that ran for over a minute is
// restarted at once; one that keeps dying is restarted after 1, 2, 4 …
// seconds, at most 60 between tries. An exit status keepalived defines as
// permanent (1 fatal, 2 program error, 4 configuration error) stops the
// whole daemon instead, as does -R (--dont-respawn).
//
// keepalived's permanent statuses are KEEPALIVED_EXIT_FATAL (3) and
// KEEPALIVED_EXIT_CONFIG (4); we also stop on 1 (a child that cannot set
// itself up). Status 2 is not permanent here: it is how a Go program
// ends on a panic, the counterpart of the SIGSEGV after which keepalived
// respawns its child.

// Exit statuses a child uses that must not be retried.
const (
	exitChildSetup  = 1
	exitChildFatal  = 3
	exitChildConfig = 4
)

// permanentName is keepalived's word for a permanent status in its
// "exited with permanent error" line.
func permanentName(code int) string {
	if code == exitChildConfig {
		return "CONFIG"
	}
	return "FATAL"
}

const (
	respawnStable   = 60 * time.Second
	respawnFirst    = time.Second
	respawnMaxDelay = 60 * time.Second
)

// respawnPolicy is one child's back-off state.
type respawnPolicy struct {
	noRespawn bool          // -R
	delay     time.Duration // the next delay after a quick death
}

// childEnd is how a child ended.
type childEnd struct {
	ranFor   time.Duration
	code     int  // exit status (when !signaled)
	signaled bool // killed by a signal (SIGKILL, SIGSEGV ...)
}

// verdict is what the parent does about it.
type verdict struct {
	restart bool
	after   time.Duration
	// stopAll: the daemon stops (a permanent failure, or -R).
	stopAll bool
}

func (p *respawnPolicy) decide(e childEnd) verdict {
	if !e.signaled {
		switch e.code {
		case exitChildSetup, exitChildFatal, exitChildConfig:
			return verdict{stopAll: true}
		}
	}
	if p.noRespawn {
		return verdict{stopAll: true}
	}
	if e.ranFor >= respawnStable {
		p.delay = 0
		return verdict{restart: true}
	}
	if p.delay == 0 {
		p.delay = respawnFirst
	} else if p.delay *= 2; p.delay > respawnMaxDelay {
		p.delay = respawnMaxDelay
	}
	return verdict{restart: true, after: p.delay}
}
