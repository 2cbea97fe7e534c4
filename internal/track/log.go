package track

import (
	"errors"
	"fmt"
	"strings"
	"syscall"
)

// Every log line of the tracker layer is defined here, once, with
// keepalived 2.2.7's exact wording (vrrp_scheduler.c, vrrp.c,
// trackers/track_file.c, core/track_process.c), checked against Debian's
// keepalived 2.2.7 where it could be observed. keepalived prints the
// lines marked detail only with -D. Lines that name an instance ("(VI_1)
// ...") are the state machine's (internal/vrrp), not ours.
const (
	// vrrp_script results (vrrp_script_child_thread).
	fmtScriptResult       = "VRRP_Script(%s) %s"
	fmtScriptResultReason = "VRRP_Script(%s) %s (%s %d)"
	fmtScriptReturning    = "Script `%s` now returning %d"
	fmtScriptBusy         = "Track script %s is %s, expect idle - skipping run"
	fmtScriptReload       = "VRRP_Script(%s) considered %s on reload"
	// The child's line when execve fails (lib/notify.c); keepalived
	// then counts the run as a success (the child exits 0).
	fmtExecError = "Error exec-ing command '%s', error %d: %s"
	// Ours: the runner refused to start the program at all (keepalived's
	// equivalent is its fork failing, "Failed fork process").
	fmtScriptNotRun = "VRRP_Script(%s) could not be run: %v"
	// Ours: the script's user vanished since the configuration was read.
	fmtScriptNoUser = "VRRP_Script(%s) not run: %v"

	exitSucceeded = "succeeded"
	exitFailed    = "failed"
	exitTimedOut  = "timed_out"
	reasonStatus  = "exited with status"
	reasonSignal  = "due to signal"
	busyRunning   = "already running"
	busyTimingOut = "being timed out"

	// track_file.
	fmtFileInvalid      = "Invalid number %d read from %s - ignoring"
	fmtFileNoDir        = "Track file directory for %s does not exist - removing"
	fmtFileInaccessible = "track file %s is not accessible - ignoring"
	fmtFileNoInotify    = "Unable to monitor track files"
	fmtFileInitFailed   = "Unable to initialise track file %s"
	fmtInotifyUnknown   = "Unknown inotify event 0x%x"
	fmtInotifyReadErr   = "inotify read() returned error %d - %s"

	// vrrp_track_process.
	fmtQuorum          = "Quorum %s for tracked process %s"
	fmtProcCount       = "Process %s, number of current processes changed from %d to %d%s"
	procCountUp        = ", quorum up"
	procCountDown      = ", quorum down"
	fmtProcAck         = "proc_events has confirmed it is configured"
	fmtProcNoAck       = "WARNING - the kernel does not support proc events - track_process will not work"
	fmtProcNoSupport   = "track_process not available - is CONFIG_PROC_EVENTS enabled in kernel config?"
	fmtProcOpenErr     = "Failed to open process monitoring socket - errno %d - %s"
	fmtProcBindErr     = "Failed to bind to process monitoring socket - errno %d - %s"
	fmtProcListenErr   = "Failed to set/clear process event listen - errno %d - %s"
	fmtProcSetBufErr   = "Cannot set process monitor SO_RCVBUF%s option. errno=%d (%s)"
	fmtProcGetBufErr   = "Cannot get process monitor SO_RCVBUF option. errno=%d (%s)"
	fmtProcBufGrown    = "Setting global_def process_monitor_rcv_bufs to %d - recommend updating configuration file"
	fmtProcMissed      = "Missed %d messages on CPU %d"
	fmtProcRecvErr     = "process monitor netlink recv error %d - %s"
	fmtProcRecvZero    = "proc_event recvmsg returned 0"
	fmtProcPollingOurs = "track_process: kernel process events cannot be received here - scanning %s every %v instead"
)

// Line is one log line; Detail lines are printed only with -D.
type Line struct {
	Text   string
	Detail bool
}

// Logger receives the layer's log lines; nil discards them.
type Logger func(Line)

func (l Logger) log(line Line) {
	if l != nil {
		l(line)
	}
}

func info(format string, a ...any) Line {
	return Line{Text: fmt.Sprintf(format, a...)}
}

func detail(format string, a ...any) Line {
	return Line{Text: fmt.Sprintf(format, a...), Detail: true}
}

// errnoText gives keepalived's "errno %d" and "%m" for an error: the
// number and glibc's message, which Go spells in lower case.
func errnoText(err error) (int, string) {
	var en syscall.Errno
	if !errors.As(err, &en) {
		return 0, err.Error()
	}
	msg := en.Error()
	if msg != "" {
		msg = strings.ToUpper(msg[:1]) + msg[1:]
	}
	return int(en), msg
}
