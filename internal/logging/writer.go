package logging

import (
	"bytes"
	"encoding/json"
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

// Encoding is how the console and log file lines look. Syslog always
// gets the plain text: the syslog daemon adds its own time and identity.
type Encoding uint8

const (
	// Text is keepalived's layout: ConsoleLayout, ": ", the message.
	Text Encoding = iota
	// JSON is one object per line (beyond keepalived): time, ident,
	// pid, level, detail, msg. msg is the text keepalived would print,
	// so that a grep for a keepalived line still finds it.
	JSON
)

// DefaultFilePerm is the mode of a -g log file: keepalived gives it
// 0666 less its default umask (0177: owner read/write only).
const DefaultFilePerm os.FileMode = 0o600

// Options configure a Writer.
type Options struct {
	// Console receives the console lines (-l); keepalived writes them to
	// stderr. nil: no console.
	Console io.Writer
	// File is the -g log file, appended to; "" for none.
	File string
	// FilePerm is the log file's mode, set as keepalived does even on a
	// file that already exists; 0 means DefaultFilePerm.
	FilePerm os.FileMode
	// Syslog sends every line to the local syslog (off with -G).
	Syslog bool
	// SyslogPath is the syslog socket; "" means DefaultSyslogPath.
	SyslogPath string
	// SyslogConsole is where a line goes that syslog could not take,
	// when there is a Console too; "" means DefaultSyslogConsole.
	// keepalived opens syslog with LOG_CONS exactly when it logs to the
	// console (-l): glibc then writes "IDENT[PID]: text\r\n" to
	// /dev/console for each line no syslog daemon took (keepalived 2.2.7
	// observed with no /dev/log). Without -l such a line is lost, as
	// there.
	SyslogConsole string
	// Facility is -S: "daemon" (the default), "user", "local0".."local7"
	// or their numbers 0..7.
	Facility string
	// Ident is the syslog identity; "" means Ident.
	Ident string
	// PID is the process id syslog and JSON lines carry; 0 means this
	// process's.
	PID int
	// Detail keeps the detail lines (-D).
	Detail bool
	// Encoding is the console and file layout.
	Encoding Encoding
	// Now is the clock of the timestamps; nil is time.Now.
	Now func() time.Time
}

// Writer is the daemon's Logger.
type Writer struct {
	mu      sync.Mutex
	detail  bool
	enc     Encoding
	ident   string
	pid     int
	now     func() time.Time
	console io.Writer
	file    *os.File
	sys     *syslogConn
	buf     bytes.Buffer
	// held: lines wait in pending until Release (see Hold).
	held    bool
	pending []heldLine
}

type heldLine struct {
	t time.Time
	l Line
}

// Holder is a Logger whose output can wait: the lines logged between
// Hold and Release keep their times and their order and are written at
// Release.
type Holder interface {
	Hold()
	Release()
}

// maxHeld bounds the lines a Hold keeps; more are written at once.
const maxHeld = 256

// pipeBuf is PIPE_BUF: a write of at most this many bytes to a pipe is
// never interleaved with another process's (the parent and its children
// share the console).
const pipeBuf = 4096

// Hold makes the lines wait until Release. The VRRP loop holds them while
// it steps an instance: a new master's "Entering MASTER STATE" and its
// detail lines would otherwise cost a console write each between its
// advert and its gratuitous ARP (30 to 90 µs a line on this project's
// test VM), which keepalived pays there and we need not.
func (w *Writer) Hold() {
	w.mu.Lock()
	w.held = true
	w.mu.Unlock()
}

// Release writes the held lines, as few writes as the lines fit in.
func (w *Writer) Release() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.held = false
	w.flush()
}

func (w *Writer) flush() {
	if len(w.pending) == 0 {
		return
	}
	if w.console != nil || w.file != nil {
		// buf[start:] is what is not written yet; a line that takes it
		// past PIPE_BUF goes in the next write.
		w.buf.Reset()
		start := 0
		for i := range w.pending {
			n := w.buf.Len()
			w.format(w.pending[i].t, w.pending[i].l)
			if w.buf.Len()-start > pipeBuf && n > start {
				w.emit(w.buf.Bytes()[start:n])
				start = n
			}
		}
		w.emit(w.buf.Bytes()[start:])
	}
	if w.sys != nil {
		for i := range w.pending {
			w.sys.send(w.pending[i].t, w.pending[i].l.Severity, w.pending[i].l.Text)
		}
	}
	clear(w.pending) // drop the texts
	w.pending = w.pending[:0]
}

// New opens the outputs. A syslog that cannot be reached is not an
// error (keepalived carries on without one, and reaches it once it is
// there); a log file that cannot be opened is.
func New(o Options) (*Writer, error) {
	w := &Writer{detail: o.Detail, enc: o.Encoding, ident: o.Ident, pid: o.PID, now: o.Now, console: o.Console,
		// A takeover holds a handful of lines: room for them now, not a
		// growing slice in the middle of it.
		pending: make([]heldLine, 0, 16)}
	if w.now == nil {
		w.now = time.Now
	}
	if w.ident == "" {
		w.ident = Ident
	}
	if w.pid == 0 {
		w.pid = os.Getpid()
	}
	if o.File != "" {
		perm := o.FilePerm
		if perm == 0 {
			perm = DefaultFilePerm
		}
		f, err := os.OpenFile(o.File, os.O_WRONLY|os.O_CREATE|os.O_APPEND, perm)
		if err != nil {
			return nil, fmt.Errorf("log file: %w", err)
		}
		f.Chmod(perm)
		w.file = f
	}
	if o.Syslog {
		w.sys = newSyslog(o.SyslogPath, Facility(o.Facility), w.ident, w.pid)
		if o.Console != nil {
			w.sys.console = o.SyslogConsole
			if w.sys.console == "" {
				w.sys.console = DefaultSyslogConsole
			}
		}
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
	t := w.now()
	if w.held {
		w.pending = append(w.pending, heldLine{t, l})
		if len(w.pending) >= maxHeld {
			w.flush()
		}
		return
	}
	if w.console != nil || w.file != nil {
		w.buf.Reset()
		w.format(t, l)
		w.emit(w.buf.Bytes())
	}
	if w.sys != nil {
		w.sys.send(t, l.Severity, l.Text)
	}
}

// format appends l's console and file line to buf.
func (w *Writer) format(t time.Time, l Line) {
	if w.enc == JSON {
		w.appendJSON(t, l)
	} else {
		w.buf.WriteString(Format(t, l.Text))
	}
}

// emit writes b, whole lines, to the console and the file: the parent
// and its children share the console, and a line must not be split by
// another process's.
func (w *Writer) emit(b []byte) {
	if w.console != nil {
		w.console.Write(b)
	}
	if w.file != nil {
		w.file.Write(b)
	}
}

// jsonLine is a --log-format=json line; the field order is the
// documented one.
type jsonLine struct {
	Time   string `json:"time"`
	Ident  string `json:"ident"`
	PID    int    `json:"pid"`
	Level  string `json:"level"`
	Detail bool   `json:"detail"`
	Msg    string `json:"msg"`
}

func (w *Writer) appendJSON(t time.Time, l Line) {
	enc := json.NewEncoder(&w.buf)
	// keepalived's lines hold "<", ">" and "&" (addresses, scripts):
	// kept as they are, a grep for the line still matches.
	enc.SetEscapeHTML(false)
	enc.Encode(jsonLine{Time: t.Format(time.RFC3339Nano), Ident: w.ident, PID: w.pid,
		Level: l.Severity.String(), Detail: l.Detail, Msg: l.Text})
}

// Close closes the log file and the syslog connection.
func (w *Writer) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.held = false
	w.flush()
	if w.file != nil {
		w.file.Close()
		w.file = nil
	}
	if w.sys != nil {
		w.sys.close()
		w.sys = nil
	}
	return nil
}

// Format renders a console or log file line: keepalived's timestamp, ": ",
// the text and a newline.
func Format(t time.Time, text string) string {
	return t.Format(ConsoleLayout) + ": " + text + "\n"
}
