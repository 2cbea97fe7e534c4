package logging

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"
)

// ConsoleLayout is the timestamp keepalived puts before each console and
// log file line (C's ctime: "Sun Nov  2 06:19:57 2026", day padded with a
// blank), followed by ": ".
const ConsoleLayout = time.ANSIC

// Ident is the syslog identity of the VRRP process (keepalived's child
// names itself so, and operators filter on it).
const Ident = "Keepalived_vrrp"

// Options configure a Writer.
type Options struct {
	// Console receives the console lines (-l); keepalived writes them to
	// stderr. nil: no console.
	Console io.Writer
	// File is the -g log file, appended to; "" for none.
	File string
	// Syslog sends every line to the local syslog (off with -G).
	Syslog bool
	// Facility is -S: "daemon" (the default), "user", "local0".."local7"
	// or their numbers 0..7.
	Facility string
	// Ident is the syslog identity; "" means Ident.
	Ident string
	// Detail keeps the detail lines (-D).
	Detail bool
	// Now is the clock of the timestamps; nil is time.Now.
	Now func() time.Time
}

// Writer is the daemon's Logger.
type Writer struct {
	mu      sync.Mutex
	detail  bool
	now     func() time.Time
	console io.Writer
	file    *os.File
	sys     syslogWriter
}

// syslogWriter is the part of log/syslog's Writer the Writer uses.
type syslogWriter interface {
	Info(string) error
	Notice(string) error
	Warning(string) error
	Err(string) error
	Close() error
}

// New opens the outputs. A syslog that cannot be reached is not an
// error (keepalived carries on without one); a log file that cannot be
// opened is.
func New(o Options) (*Writer, error) {
	w := &Writer{detail: o.Detail, now: o.Now, console: o.Console}
	if w.now == nil {
		w.now = time.Now
	}
	if o.File != "" {
		f, err := os.OpenFile(o.File, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o640)
		if err != nil {
			return nil, fmt.Errorf("log file: %w", err)
		}
		w.file = f
	}
	if o.Syslog {
		ident := o.Ident
		if ident == "" {
			ident = Ident
		}
		w.sys = dialSyslog(o.Facility, ident)
	}
	return w, nil
}

// Log writes one line to every output.
func (w *Writer) Log(l Line) {
	if l.Detail && !w.detail {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.console != nil || w.file != nil {
		s := Format(w.now(), l.Text)
		if w.console != nil {
			io.WriteString(w.console, s)
		}
		if w.file != nil {
			w.file.WriteString(s)
		}
	}
	if w.sys != nil {
		switch l.Severity {
		case Notice:
			w.sys.Notice(l.Text)
		case Warning:
			w.sys.Warning(l.Text)
		case Error:
			w.sys.Err(l.Text)
		default:
			w.sys.Info(l.Text)
		}
	}
}

// Close closes the log file and the syslog connection.
func (w *Writer) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.file != nil {
		w.file.Close()
		w.file = nil
	}
	if w.sys != nil {
		w.sys.Close()
		w.sys = nil
	}
	return nil
}

// Format renders a console or log file line: keepalived's timestamp, ": ",
// the text and a newline.
func Format(t time.Time, text string) string {
	return t.Format(ConsoleLayout) + ": " + text + "\n"
}
