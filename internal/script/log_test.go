package script

import (
	"errors"
	"syscall"
	"testing"
)

func TestOutcome(t *testing.T) {
	for _, tc := range []struct {
		name      string
		r         Result
		succeeded bool
		timedOut  bool
		code      int
		codeOK    bool
		describe  string
	}{
		{"exit 0", Result{Exited: true}, true, false, 0, true, "succeeded"},
		{"exit 1", Result{Exited: true, Status: 1}, false, false, 1, true, "failed (exited with status 1)"},
		{"signal", Result{Signal: syscall.SIGUSR1}, false, false, 0, false, "failed (due to signal 10)"},
		{"killed by another", Result{Signal: syscall.SIGKILL}, false, false, 0, false, "failed (due to signal 9)"},
		// keepalived's child exits 0 when execve fails.
		{"not executed", Result{Err: errors.New("no such file")}, true, false, 0, true, "succeeded"},
		{"timeout, died of SIGTERM", Result{TimedOut: true, Signal: syscall.SIGTERM}, false, true, 0, false, "timed_out"},
		{"timeout, SIGKILL after grace", Result{TimedOut: true, Killed: true, Signal: syscall.SIGKILL}, false, true, 0, false, "timed_out"},
		{"timeout, SIGTERM after grace", Result{TimedOut: true, Killed: true, Signal: syscall.SIGTERM}, false, true, 0, false, "timed_out"},
		{"timeout, another SIGKILL first", Result{TimedOut: true, Signal: syscall.SIGKILL}, false, false, 0, false, "failed (due to signal 9)"},
		{"timeout, caught and exited", Result{TimedOut: true, Exited: true, Status: 3}, false, false, 3, true, "failed (exited with status 3)"},
		{"timeout, caught and exited 0", Result{TimedOut: true, Exited: true}, true, false, 0, true, "succeeded"},
		{"timeout, other signal", Result{TimedOut: true, Signal: syscall.SIGSEGV}, false, false, 0, false, "failed (due to signal 11)"},
		{"stopped", Result{Stopped: true, Signal: syscall.SIGTERM}, false, false, 0, false, "failed (due to signal 15)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.r.Succeeded(); got != tc.succeeded {
				t.Errorf("Succeeded() = %v", got)
			}
			if got := tc.r.KeepalivedTimedOut(); got != tc.timedOut {
				t.Errorf("KeepalivedTimedOut() = %v", got)
			}
			if code, ok := tc.r.ExitCode(); code != tc.code || ok != tc.codeOK {
				t.Errorf("ExitCode() = %d, %v", code, ok)
			}
			if got := tc.r.Describe(); got != tc.describe {
				t.Errorf("Describe() = %q, want %q", got, tc.describe)
			}
		})
	}
}
