//go:build !windows && !plan9

package logging

import (
	"log/syslog"
	"strings"
)

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

// dialSyslog connects to the local syslog, or returns nil when there is
// none (no /dev/log in a container): the lines then only go to the
// console and the file, as with keepalived.
func dialSyslog(facility, ident string) syslogWriter {
	w, err := syslog.New(Facility(facility)|syslog.LOG_INFO, ident)
	if err != nil {
		return nil
	}
	return w
}
