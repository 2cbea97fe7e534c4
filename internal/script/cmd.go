// Package script runs the external programs keepalived's configuration
// names (vrrp_script checks, notify scripts, notify FIFO readers) the way
// keepalived runs them: an argv without a shell, as the configured user,
// in a process group of its own, with a timeout that kills the whole
// group, with the environment cleaned, and reaped so that no zombie is
// left. Starting a program never blocks the caller on the program.
package script

import (
	"syscall"
	"time"
)

// Cred is the user a program runs as (keepalived's "user USER [GROUP]",
// script_user, or the default script user).
type Cred struct {
	User   string // for log lines
	UID    uint32
	GID    uint32
	Groups []uint32 // supplementary groups
}

// Cmd is one program to run.
type Cmd struct {
	// Argv is the command as configured, split into words; Argv[0] is a
	// path or a name looked up in PATH. A first word "</path" is
	// keepalived's "can this file be opened" test and is given to
	// /bin/sh -c, as keepalived does.
	Argv []string
	// Cred is who runs it; nil runs it as the daemon's user.
	Cred *Cred
	// Timeout is how long the program may run; 0 means no limit. At the
	// timeout its whole process group is killed and Result.TimedOut set.
	Timeout time.Duration
	// Env is added to the cleaned environment (NAME=value).
	Env []string
}

// Result is how a program ended.
type Result struct {
	// Err is set when the program could not be started (not found, not
	// executable, unknown user); nothing else is then meaningful.
	Err error
	// Exited: the program exited with Status. Otherwise it was killed by
	// Signal.
	Exited   bool
	Status   int
	Signal   syscall.Signal
	TimedOut bool
	Pid      int
	Elapsed  time.Duration
	// Killed: after the timeout's SIGTERM the program's group was still
	// running when the grace ended and got SIGKILL.
	Killed bool
	// Stopped: the program was still running when the runner was closed
	// (the daemon stopping) and its group was told to stop.
	Stopped bool
}
