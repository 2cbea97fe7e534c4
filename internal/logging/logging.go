// Package logging writes the daemon's log lines the way keepalived does,
// so that the lines operators grep for keep matching: to syslog with
// keepalived's identity and facility, to the console with keepalived's
// timestamp prefix (-l), and to a file (-g). Lines keepalived only prints
// with -D (log detail) are marked Detail and dropped without it.
//
// Every package logs through the one Logger interface; tests use Sink.
package logging

import "fmt"

// Severity is a line's syslog severity. keepalived logs almost everything
// at LOG_INFO; errors and warnings keep their own level so that a
// syslog filter on priority still sees them.
type Severity uint8

// Severities.
const (
	Info Severity = iota
	Notice
	Warning
	Error
)

// String is the level name of a --log-format=json line.
func (s Severity) String() string {
	switch s {
	case Notice:
		return "notice"
	case Warning:
		return "warning"
	case Error:
		return "error"
	}
	return "info"
}

// Line is one log line, without a trailing newline.
type Line struct {
	Text     string
	Detail   bool // printed only with -D
	Severity Severity
}

// Logger receives log lines. Implementations are safe for concurrent use.
type Logger interface {
	Log(Line)
}

// Infof logs a line that is always printed.
func Infof(l Logger, format string, args ...any) {
	l.Log(Line{Text: fmt.Sprintf(format, args...)})
}

// Detailf logs a line printed only with -D.
func Detailf(l Logger, format string, args ...any) {
	l.Log(Line{Text: fmt.Sprintf(format, args...), Detail: true})
}

// Errorf logs an error line.
func Errorf(l Logger, format string, args ...any) {
	l.Log(Line{Text: fmt.Sprintf(format, args...), Severity: Error})
}

// Discard drops every line.
var Discard Logger = discard{}

type discard struct{}

func (discard) Log(Line) {}
