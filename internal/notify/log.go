package notify

import (
	"errors"
	"fmt"
	"strings"
	"syscall"
	"time"
)

// Every log line of the notify layer is defined here, once. Lines with
// keepalived 2.2.7's wording were observed from Debian's build (console
// log, strace of the VRRP process and of its forked children) or read
// from the binary's strings; the others are ours and say so.
const (
	// A notify script or FIFO reader could not be executed. keepalived's
	// forked child logs it (to syslog: its stdout and stderr are
	// /dev/null) and exits; nothing else is logged about a notify
	// script, neither its start nor its end.
	fmtExecErr = "Error exec-ing command '%s', error %d: %s"
	// Ours: the start failed without an errno (unknown user, runner
	// closed).
	fmtStartErr = "Error exec-ing command '%s' - %v"

	// notify_fifo / vrrp_notify_fifo (PREFIX is "" or "vrrp_").
	fmtFIFOCreate = "Unable to create %snotify fifo %s"
	fmtFIFOOpen   = "Unable to open %snotify fifo %s - errno %d"
	fmtFIFOOwner  = "Failed to set uid:gid for fifo %s"
	fmtFIFOSame   = "notify FIFO %s has been specified for global and vrrp FIFO - ignoring vrrp FIFO"
	// The VRRP process logs this for the end of either FIFO's reader
	// when it was not stopped by keepalived itself.
	msgReaderEnded = "vrrp notify fifo script terminated"

	// SMTP alerts. HOST is "[address]:port".
	fmtSMTPConnected   = "Remote SMTP server %s connected."
	fmtSMTPWriteErr    = "smtp fd %d returned write error" // connect refused / unreachable
	fmtSMTPConnTimeout = "Timeout opening connection to remote SMTP server %s."
	fmtSMTPReadTimeout = "Timeout reading data to remote SMTP server %s."
	fmtSMTPReadErr     = "Error reading data from remote SMTP server %s."
	fmtSMTPClosed      = "Remote SMTP server %s has closed the connection."
	fmtSMTPOverflow    = "Received buffer from remote SMTP server %s overflow our get read buffer length."
	fmtSMTPSendErr     = "Cannot send data to remote SMTP server %s."
	fmtSMTPCode        = "Error processing %s cmd on SMTP server %s. SMTP status code = %d"
	msgSMTPSent        = "SMTP alert successfully sent."
	// Ours: the server's name could not be resolved (keepalived resolves
	// it when it reads the configuration).
	fmtSMTPResolve = "Unable to resolve smtp server %s - %v"

	// Ours: the notify queue (see Notifier).
	fmtHung        = "%s notify script '%s' still running after %v - starting the next one"
	fmtAbandoned   = "%s notify script '%s' not run: stopping"
	fmtCredErr     = "%s cannot run notify script '%s': %v"
	fmtFIFOFull    = "%snotify fifo %s is full - dropping lines until its reader catches up"
	fmtReaderStart = "Unable to start %snotify fifo script '%s' - %v"
)

// Line is one log line; Detail lines are printed only with -D.
type Line struct {
	Text   string
	Detail bool
}

// Logger receives the layer's log lines; nil discards them. It is called
// from the notifier's own goroutines, never from the caller's.
type Logger func(Line)

func (l Logger) printf(format string, args ...any) {
	if l != nil {
		l(Line{Text: fmt.Sprintf(format, args...)})
	}
}

// execErrLine is the line for a program that could not be run: with
// keepalived's words and glibc's strerror text when the cause is an
// errno.
func execErrLine(path string, err error) string {
	var errno syscall.Errno
	if errors.As(err, &errno) {
		return fmt.Sprintf(fmtExecErr, path, int(errno), strerror(errno))
	}
	return fmt.Sprintf(fmtStartErr, path, err)
}

// strerror is glibc's message for errno: Go's table has the same words
// with a lower-case first letter.
func strerror(e syscall.Errno) string {
	s := e.Error()
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// hungLine and the other queue lines name the subject as keepalived's
// own lines do: "(VI_1)" for an instance, "VRRP_Group(G1)" for a group.
func hungLine(label, path string, after time.Duration) string {
	return fmt.Sprintf(fmtHung, label, path, after)
}
