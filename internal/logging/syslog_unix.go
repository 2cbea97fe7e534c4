//go:build !windows && !plan9

package logging

import (
	"errors"
	"log/syslog"
	"net"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// DefaultSyslogPath is the local syslog socket keepalived (glibc's
// syslog(3)) writes to.
const DefaultSyslogPath = "/dev/log"

// DefaultSyslogConsole is where glibc's syslog(3) with LOG_CONS writes a
// message it could not send (_PATH_CONSOLE).
const DefaultSyslogConsole = "/dev/console"

// facilities maps -S values to syslog facilities: the names cli accepts
// and keepalived's bare numbers (0..7 are local0..local7).
var facilities = map[string]syslog.Priority{
	"daemon": syslog.LOG_DAEMON,
	"user":   syslog.LOG_USER,
	"local0": syslog.LOG_LOCAL0, "0": syslog.LOG_LOCAL0,
	"local1": syslog.LOG_LOCAL1, "1": syslog.LOG_LOCAL1,
	"local2": syslog.LOG_LOCAL2, "2": syslog.LOG_LOCAL2,
	"local3": syslog.LOG_LOCAL3, "3": syslog.LOG_LOCAL3,
	"local4": syslog.LOG_LOCAL4, "4": syslog.LOG_LOCAL4,
	"local5": syslog.LOG_LOCAL5, "5": syslog.LOG_LOCAL5,
	"local6": syslog.LOG_LOCAL6, "6": syslog.LOG_LOCAL6,
	"local7": syslog.LOG_LOCAL7, "7": syslog.LOG_LOCAL7,
}

// Facility returns the syslog facility of a -S value; unknown values are
// daemon, keepalived's default.
func Facility(name string) syslog.Priority {
	if f, ok := facilities[strings.ToLower(name)]; ok {
		return f
	}
	return syslog.LOG_DAEMON
}

// severities are the syslog(3) levels of our severities.
var severities = [...]syslog.Priority{
	Info:    syslog.LOG_INFO,
	Notice:  syslog.LOG_NOTICE,
	Warning: syslog.LOG_WARNING,
	Error:   syslog.LOG_ERR,
}

// syslogConn sends lines to the local syslog as glibc's syslog(3) does
// for keepalived (openlog with LOG_PID): "<PRI>Mmm dd hh:mm:ss
// IDENT[PID]: text" in one datagram, no trailing newline, no host name
// (the local daemon adds it). keepalived 2.2.7 observed through a
// listening /dev/log: "<30>Dec  3 19:01:56 Keepalived_vrrp[1741]: (VI_1)
// Entering MASTER STATE". log/syslog is not used: its local format adds
// a newline and it cannot be pointed at another socket.
//
// Like glibc it connects when a line is to be sent and, when a send
// fails (syslogd restarted), reconnects once and sends again; a line
// that still cannot be sent goes to the console when LOG_CONS is on
// (console set), else it is dropped.
type syslogConn struct {
	path     string
	facility syslog.Priority
	tag      string // "IDENT[PID]: "
	conn     net.Conn
	stream   bool   // a SOCK_STREAM socket: each message ends in a NUL
	console  string // LOG_CONS: the console device; "" for none
	cons     *consoleQueue
	buf      []byte
}

func newSyslog(path string, facility syslog.Priority, ident string, pid int) *syslogConn {
	if path == "" {
		path = DefaultSyslogPath
	}
	return &syslogConn{path: path, facility: facility, tag: ident + "[" + strconv.Itoa(pid) + "]: "}
}

func (s *syslogConn) connect() bool {
	if s.conn != nil {
		return true
	}
	c, err := net.Dial("unixgram", s.path)
	s.stream = false
	if errors.Is(err, syscall.EPROTOTYPE) {
		// A syslogd listening on a stream socket, as glibc allows.
		c, err = net.Dial("unix", s.path)
		s.stream = true
	}
	if err != nil {
		return false
	}
	s.conn = c
	return true
}

// message renders one syslog message into s.buf.
func (s *syslogConn) message(t time.Time, sev Severity, text string) []byte {
	pri := s.facility | syslog.LOG_INFO
	if int(sev) < len(severities) {
		pri = s.facility | severities[sev]
	}
	b := s.buf[:0]
	b = append(b, '<')
	b = strconv.AppendInt(b, int64(pri), 10)
	b = append(b, '>')
	b = t.AppendFormat(b, time.Stamp)
	b = append(b, ' ')
	b = append(b, s.tag...)
	b = append(b, text...)
	if s.stream {
		b = append(b, 0)
	}
	s.buf = b
	return b
}

func (s *syslogConn) send(t time.Time, sev Severity, text string) {
	for try := 0; try < 2; try++ {
		if !s.connect() {
			break
		}
		if _, err := s.conn.Write(s.message(t, sev, text)); err == nil {
			return
		}
		s.conn.Close()
		s.conn = nil
	}
	s.toConsole(text)
}

// toConsole is glibc's LOG_CONS: the message without its priority and
// time ("IDENT[PID]: text"), ended by "\r\n", in one write to the console
// opened for that line and closed again. Unlike glibc the write happens
// on the console queue's goroutine (console.go), not in the caller: a
// serial console costs about a millisecond of CPU per line in the
// kernel, and a thousand instances changing state at once would hold the
// VRRP event loop for seconds.
func (s *syslogConn) toConsole(text string) {
	if s.console == "" {
		return
	}
	if s.cons == nil {
		s.cons = newConsoleQueue(s.console, s.tag, consoleQueueLen, writeConsole)
	}
	b := make([]byte, 0, len(s.tag)+len(text)+2)
	b = append(b, s.tag...)
	b = append(b, text...)
	b = append(b, '\r', '\n')
	s.cons.put(b)
}

func (s *syslogConn) close() {
	if s.cons != nil {
		s.cons.close(consoleDrainTime)
		s.cons = nil
	}
	if s.conn != nil {
		s.conn.Close()
		s.conn = nil
	}
}
