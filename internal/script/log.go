package script

import (
	"fmt"
	"syscall"
)

// The words keepalived 2.2.7 uses for how a tracked program ended, once
// each. internal/track puts them into its own lines,
//
//	VRRP_Script(chk) succeeded
//	VRRP_Script(chk) failed (exited with status 1)
//	VRRP_Script(chk) failed (due to signal 10)
//	VRRP_Script(chk) timed_out
//
// (keepalived's vrrp_script_child_thread; the same words are in
// /usr/sbin/keepalived's strings, and the lines were observed with a
// script that exits 1, one that kills itself with SIGUSR1 and ones that
// outlive their timeout). keepalived logs nothing when it starts a
// script, and nothing of a notify script's end.
const (
	wordSucceeded = "succeeded"
	wordFailed    = "failed"
	wordTimedOut  = "timed_out"
	fmtExited     = "%s (exited with status %d)"
	fmtSignalled  = "%s (due to signal %d)"
)

// Succeeded reports whether keepalived 2.2.7 counts the run as a success:
// exit status 0 — and also a program that could not be executed at all
// (Err set): keepalived's forked child logs "Error exec-ing command" and
// exits 0, so a vrrp_script whose file vanished or has no #! line counts
// as succeeded (observed with Debian's 2.2.7, which is built without
// libmagic). A program killed by a signal, ours or another's, failed.
func (r Result) Succeeded() bool {
	if r.Err != nil {
		return true
	}
	return r.Exited && r.Status == 0
}

// ExitCode is the status keepalived sees for its "Script `chk` now
// returning N" line: the exit status, 0 for a program that could not be
// executed (see Succeeded), and ok false for one killed by a signal
// (keepalived only reports exits).
func (r Result) ExitCode() (code int, ok bool) {
	switch {
	case r.Err != nil:
		return 0, true
	case r.Exited:
		return r.Status, true
	}
	return 0, false
}

// KeepalivedTimedOut reports whether keepalived calls the run timed_out:
// the timeout fired and the program then died of the SIGTERM it was sent,
// or of the SIGKILL that followed the grace. A program that catches the
// SIGTERM and exits with a status has "failed (exited with status N)";
// one killed by another SIGKILL before the grace ended "failed (due to
// signal 9)" — both as keepalived 2.2.7 reports them.
func (r Result) KeepalivedTimedOut() bool {
	if !r.TimedOut || r.Err != nil || r.Exited {
		return false
	}
	return r.Signal == syscall.SIGTERM || (r.Signal == syscall.SIGKILL && r.Killed)
}

// Describe is the outcome in keepalived's words, as it follows
// "VRRP_Script(NAME) ": "succeeded", "timed_out", "failed (exited with
// status 1)", "failed (due to signal 10)".
func (r Result) Describe() string {
	switch {
	case r.Succeeded():
		return wordSucceeded
	case r.KeepalivedTimedOut():
		return wordTimedOut
	case r.Exited:
		return fmt.Sprintf(fmtExited, wordFailed, r.Status)
	}
	return fmt.Sprintf(fmtSignalled, wordFailed, int(r.Signal))
}
