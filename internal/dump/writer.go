package dump

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"time"
)

// writer writes keepalived's lines: each ends in "\n", as its conf_write
// does, including the last.
type writer struct {
	b *bufio.Writer
}

func newWriter(w io.Writer) *writer { return &writer{b: bufio.NewWriter(w)} }

func (w *writer) line(format string, args ...any) {
	fmt.Fprintf(w.b, format, args...)
	w.b.WriteByte('\n')
}

func (w *writer) flush() error { return w.b.Flush() }

// timeval is keepalived's "%ld.%6.6ld (%.19s.%6.6ld %.4s)"-style stamp:
// seconds.micros, then ctime's text with the micros after the seconds,
// in the time's own location (keepalived uses local time).
func timeval(t time.Time) string {
	us := t.Nanosecond() / 1000
	return fmt.Sprintf("%d.%06d (%s.%06d %s)", t.Unix(), us, t.Format("Mon Jan _2 15:04:05"), us, t.Format("2006"))
}

// timevalLate is the form of the interface section, whose micros come
// after the year.
func timevalLate(t time.Time) string {
	us := t.Nanosecond() / 1000
	return fmt.Sprintf("%d.%06d (%s.%06d)", t.Unix(), us, t.Format("Mon Jan _2 15:04:05 2006"), us)
}

// seconds formats a duration in seconds as C's %g does for the values
// keepalived keeps (1, 0.5, 2.25).
func seconds(d time.Duration) string {
	return strconv.FormatFloat(d.Seconds(), 'g', -1, 64)
}
