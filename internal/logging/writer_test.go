package logging

import (
	"bytes"
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestEncodings: the same lines in keepalived's text layout and as JSON
// objects whose msg is the text line.
func TestEncodings(t *testing.T) {
	at := time.Date(2026, time.December, 3, 19, 1, 56, 123456789, time.UTC)
	lines := []Line{
		{Text: "(VI_1) Entering MASTER STATE"},
		{Text: "(VI_1) removing VIPs.", Detail: true},
		{Text: "Reload refused: (keepalived.conf: Line 3) <bad> & \"quoted\"", Severity: Error},
		{Text: "Netlink: x", Severity: Warning},
		{Text: "NOTICE: y", Severity: Notice},
	}
	for _, c := range []struct {
		name   string
		enc    Encoding
		detail bool
		want   []string
	}{
		{"text", Text, false, []string{
			"Thu Dec  3 19:01:56 2026: (VI_1) Entering MASTER STATE",
			"Thu Dec  3 19:01:56 2026: Reload refused: (keepalived.conf: Line 3) <bad> & \"quoted\"",
			"Thu Dec  3 19:01:56 2026: Netlink: x",
			"Thu Dec  3 19:01:56 2026: NOTICE: y",
		}},
		{"text -D", Text, true, []string{
			"Thu Dec  3 19:01:56 2026: (VI_1) Entering MASTER STATE",
			"Thu Dec  3 19:01:56 2026: (VI_1) removing VIPs.",
			"Thu Dec  3 19:01:56 2026: Reload refused: (keepalived.conf: Line 3) <bad> & \"quoted\"",
			"Thu Dec  3 19:01:56 2026: Netlink: x",
			"Thu Dec  3 19:01:56 2026: NOTICE: y",
		}},
		{"json", JSON, false, []string{
			`{"time":"2026-12-03T19:01:56.123456789Z","ident":"Keepalived_vrrp","pid":4242,"level":"info","detail":false,"msg":"(VI_1) Entering MASTER STATE"}`,
			`{"time":"2026-12-03T19:01:56.123456789Z","ident":"Keepalived_vrrp","pid":4242,"level":"error","detail":false,"msg":"Reload refused: (keepalived.conf: Line 3) <bad> & \"quoted\""}`,
			`{"time":"2026-12-03T19:01:56.123456789Z","ident":"Keepalived_vrrp","pid":4242,"level":"warning","detail":false,"msg":"Netlink: x"}`,
			`{"time":"2026-12-03T19:01:56.123456789Z","ident":"Keepalived_vrrp","pid":4242,"level":"notice","detail":false,"msg":"NOTICE: y"}`,
		}},
		{"json -D", JSON, true, []string{
			`{"time":"2026-12-03T19:01:56.123456789Z","ident":"Keepalived_vrrp","pid":4242,"level":"info","detail":false,"msg":"(VI_1) Entering MASTER STATE"}`,
			`{"time":"2026-12-03T19:01:56.123456789Z","ident":"Keepalived_vrrp","pid":4242,"level":"info","detail":true,"msg":"(VI_1) removing VIPs."}`,
			`{"time":"2026-12-03T19:01:56.123456789Z","ident":"Keepalived_vrrp","pid":4242,"level":"error","detail":false,"msg":"Reload refused: (keepalived.conf: Line 3) <bad> & \"quoted\""}`,
			`{"time":"2026-12-03T19:01:56.123456789Z","ident":"Keepalived_vrrp","pid":4242,"level":"warning","detail":false,"msg":"Netlink: x"}`,
			`{"time":"2026-12-03T19:01:56.123456789Z","ident":"Keepalived_vrrp","pid":4242,"level":"notice","detail":false,"msg":"NOTICE: y"}`,
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			var console bytes.Buffer
			file := filepath.Join(t.TempDir(), "k.log")
			w, err := New(Options{Console: &console, File: file, Encoding: c.enc, Detail: c.detail, PID: 4242,
				Now: func() time.Time { return at }})
			if err != nil {
				t.Fatal(err)
			}
			for _, l := range lines {
				w.Log(l)
			}
			w.Close()
			want := strings.Join(c.want, "\n") + "\n"
			if console.String() != want {
				t.Errorf("console:\n%s\nwant\n%s", console.String(), want)
			}
			if b, _ := os.ReadFile(file); string(b) != want {
				t.Errorf("file:\n%s\nwant\n%s", b, want)
			}
			if c.enc != JSON {
				return
			}
			// Every line is an object of its own, and its msg is the
			// text line's message.
			var msgs []string
			for _, l := range lines {
				if c.detail || !l.Detail {
					msgs = append(msgs, l.Text)
				}
			}
			for i, l := range strings.Split(strings.TrimSuffix(console.String(), "\n"), "\n") {
				var v jsonLine
				if err := json.Unmarshal([]byte(l), &v); err != nil {
					t.Fatalf("line %d: %v", i, err)
				}
				if v.Msg != msgs[i] {
					t.Errorf("line %d: msg %q, want %q", i, v.Msg, msgs[i])
				}
			}
		})
	}
}

// TestIdentities: the identity and pid of the JSON lines and syslog
// messages are the process's role, as keepalived names its processes.
func TestIdentities(t *testing.T) {
	for _, c := range []struct{ ident, want string }{
		{"Keepalived", "Keepalived"},
		{"Keepalived_vrrp", "Keepalived_vrrp"},
		{"Keepalived_healthcheckers", "Keepalived_healthcheckers"},
		{"", Ident},
	} {
		var console bytes.Buffer
		w, err := New(Options{Console: &console, Encoding: JSON, Ident: c.ident})
		if err != nil {
			t.Fatal(err)
		}
		Infof(w, "x")
		var v jsonLine
		if err := json.Unmarshal(console.Bytes(), &v); err != nil {
			t.Fatal(err)
		}
		if v.Ident != c.want || v.PID != os.Getpid() {
			t.Errorf("ident %q: got %q pid %d, want %q pid %d", c.ident, v.Ident, v.PID, c.want, os.Getpid())
		}
		if _, err := time.Parse(time.RFC3339Nano, v.Time); err != nil {
			t.Errorf("time %q: %v", v.Time, err)
		}
	}
}

// listen is a test syslog daemon on a unixgram socket.
func listen(t *testing.T, path string) *net.UnixConn {
	t.Helper()
	c, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: path, Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func receive(t *testing.T, c *net.UnixConn) string {
	t.Helper()
	buf := make([]byte, 4096)
	c.SetReadDeadline(time.Now().Add(2 * time.Second))
	n, err := c.Read(buf)
	if err != nil {
		t.Fatalf("no syslog message: %v", err)
	}
	return string(buf[:n])
}

// TestSyslogMessages: glibc's syslog(3) format as keepalived 2.2.7 sent it
// to a listening /dev/log ("<30>Dec  3 19:01:56 Keepalived_vrrp[1741]:
// (VI_1) Entering BACKUP STATE (init)", "<158>" with -S 3), with the
// facility of -S and the line's severity; plain text whatever the
// console encoding; detail lines only with -D.
func TestSyslogMessages(t *testing.T) {
	at := time.Date(2026, time.December, 3, 19, 1, 56, 0, time.Local)
	for _, c := range []struct {
		facility string
		enc      Encoding
		line     Line
		want     string
	}{
		{"", Text, Line{Text: "(VI_1) Entering BACKUP STATE (init)"}, "<30>Dec  3 19:01:56 Keepalived_vrrp[1741]: (VI_1) Entering BACKUP STATE (init)"},
		{"daemon", JSON, Line{Text: "Startup complete"}, "<30>Dec  3 19:01:56 Keepalived_vrrp[1741]: Startup complete"},
		{"3", Text, Line{Text: "Stopping"}, "<158>Dec  3 19:01:56 Keepalived_vrrp[1741]: Stopping"},
		{"local3", Text, Line{Text: "Stopping"}, "<158>Dec  3 19:01:56 Keepalived_vrrp[1741]: Stopping"},
		{"local0", Text, Line{Text: "bad", Severity: Error}, "<131>Dec  3 19:01:56 Keepalived_vrrp[1741]: bad"},
		{"local7", Text, Line{Text: "warn", Severity: Warning}, "<188>Dec  3 19:01:56 Keepalived_vrrp[1741]: warn"},
		{"user", Text, Line{Text: "note", Severity: Notice}, "<13>Dec  3 19:01:56 Keepalived_vrrp[1741]: note"},
		{"", Text, Line{Text: "detail", Detail: true}, ""},
	} {
		path := filepath.Join(t.TempDir(), "log")
		l := listen(t, path)
		var console bytes.Buffer
		w, err := New(Options{Console: &console, Syslog: true, SyslogPath: path, Facility: c.facility, Encoding: c.enc,
			PID: 1741, Now: func() time.Time { return at }})
		if err != nil {
			t.Fatal(err)
		}
		w.Log(c.line)
		w.Log(Line{Text: "end"})
		got := receive(t, l)
		if c.want == "" {
			if !strings.HasSuffix(got, "]: end") {
				t.Errorf("-S %q: a detail line reached syslog without -D: %q", c.facility, got)
			}
		} else if got != c.want {
			t.Errorf("-S %q: got %q, want %q", c.facility, got, c.want)
		}
		w.Close()
	}
}

// TestSyslogReconnects: a syslog daemon that restarts (its socket made
// anew) gets the next line; one that is not there costs nothing but the
// line, as with glibc.
func TestSyslogReconnects(t *testing.T) {
	path := filepath.Join(t.TempDir(), "log")
	w, err := New(Options{Syslog: true, SyslogPath: path, Ident: "Keepalived"})
	if err != nil {
		t.Fatalf("no syslog must not be an error: %v", err)
	}
	defer w.Close()
	Infof(w, "lost") // nobody listens yet
	l := listen(t, path)
	Infof(w, "first")
	if got := receive(t, l); !strings.HasSuffix(got, " Keepalived["+strconv.Itoa(os.Getpid())+"]: first") {
		t.Errorf("got %q", got)
	}
	l.Close()
	os.Remove(path)
	l2 := listen(t, path)
	Infof(w, "second")
	if got := receive(t, l2); !strings.HasSuffix(got, "]: second") {
		t.Errorf("after the restart: %q", got)
	}
}

// TestSyslogStream: a syslog daemon on a stream socket gets
// NUL-terminated messages, as glibc sends them there.
func TestSyslogStream(t *testing.T) {
	path := filepath.Join(t.TempDir(), "log")
	ln, err := net.Listen("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	got := make(chan string, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			got <- err.Error()
			return
		}
		defer c.Close()
		c.SetReadDeadline(time.Now().Add(2 * time.Second))
		var all []byte
		buf := make([]byte, 512)
		for bytes.Count(all, []byte{0}) < 2 {
			n, err := c.Read(buf)
			if err != nil {
				break
			}
			all = append(all, buf[:n]...)
		}
		got <- string(all)
	}()
	w, _ := New(Options{Syslog: true, SyslogPath: path, Ident: "Keepalived", PID: 7,
		Now: func() time.Time { return time.Date(2026, time.May, 14, 1, 2, 3, 0, time.Local) }})
	Infof(w, "a")
	Infof(w, "b")
	w.Close()
	want := "<30>May 14 01:02:03 Keepalived[7]: a\x00<30>May 14 01:02:03 Keepalived[7]: b\x00"
	if s := <-got; s != want {
		t.Errorf("got %q, want %q", s, want)
	}
}

// TestFilePerm: the log file gets keepalived's mode (0666 less its
// umask), an existing one too.
func TestFilePerm(t *testing.T) {
	for _, c := range []struct {
		perm, want os.FileMode
		exists     bool
	}{
		{0, DefaultFilePerm, false},
		{0o644, 0o644, false},
		{0o600, 0o600, true},
	} {
		path := filepath.Join(t.TempDir(), "k.log")
		if c.exists {
			os.WriteFile(path, nil, 0o666)
			os.Chmod(path, 0o666)
		}
		w, err := New(Options{File: path, FilePerm: c.perm})
		if err != nil {
			t.Fatal(err)
		}
		w.Close()
		st, err := os.Stat(path)
		if err != nil || st.Mode().Perm() != c.want {
			t.Errorf("perm %o (exists %v): mode %v %v, want %o", c.perm, c.exists, st.Mode().Perm(), err, c.want)
		}
	}
}

// TestSyslogConsoleFallback: keepalived opens syslog with LOG_CONS when
// it logs to the console (-l), so with no syslog daemon glibc writes each
// line to /dev/console as "IDENT[PID]: text\r\n" (keepalived 2.2.7
// observed with no /dev/log and a FIFO in /dev/console's place); without
// -l, with -G, or with a syslog that takes the line, the console gets
// nothing.
func TestSyslogConsoleFallback(t *testing.T) {
	for _, c := range []struct {
		name    string
		console bool // -l
		syslog  bool // not -G
		listen  bool // a syslog daemon is there
		detail  bool
		want    string
	}{
		{"-l, no syslog daemon", true, true, false, false,
			"Keepalived_vrrp[1741]: (VI_1) Entering MASTER STATE\r\nKeepalived_vrrp[1741]: Stopped\r\n"},
		{"-l -D, no syslog daemon", true, true, false, true,
			"Keepalived_vrrp[1741]: (VI_1) Entering MASTER STATE\r\nKeepalived_vrrp[1741]: (VI_1) setting VIPs.\r\nKeepalived_vrrp[1741]: Stopped\r\n"},
		{"no -l", false, true, false, false, ""},
		{"-l -G", true, false, false, false, ""},
		{"-l, syslog daemon", true, true, true, false, ""},
	} {
		dir := t.TempDir()
		sock, cons := filepath.Join(dir, "log"), filepath.Join(dir, "console")
		if err := os.WriteFile(cons, nil, 0o600); err != nil {
			t.Fatal(err)
		}
		var l *net.UnixConn
		if c.listen {
			l = listen(t, sock)
		}
		o := Options{Syslog: c.syslog, SyslogPath: sock, SyslogConsole: cons, Detail: c.detail, PID: 1741}
		var stderr bytes.Buffer
		if c.console {
			o.Console = &stderr
		}
		w, err := New(o)
		if err != nil {
			t.Fatal(err)
		}
		Infof(w, "(VI_1) Entering MASTER STATE")
		Detailf(w, "(VI_1) setting VIPs.")
		Infof(w, "Stopped")
		w.Close()
		got, _ := os.ReadFile(cons)
		if string(got) != c.want {
			t.Errorf("%s: console %q, want %q", c.name, got, c.want)
		}
		if c.listen {
			if m := receive(t, l); !strings.HasSuffix(m, "Keepalived_vrrp[1741]: (VI_1) Entering MASTER STATE") {
				t.Errorf("%s: syslog got %q", c.name, m)
			}
		}
	}
}

// TestSyslogConsoleMissing: a console that cannot be opened costs the
// line and nothing else.
func TestSyslogConsoleMissing(t *testing.T) {
	dir := t.TempDir()
	var stderr bytes.Buffer
	w, err := New(Options{Console: &stderr, Syslog: true, SyslogPath: filepath.Join(dir, "log"),
		SyslogConsole: filepath.Join(dir, "no", "console")})
	if err != nil {
		t.Fatal(err)
	}
	Infof(w, "still on stderr")
	w.Close()
	if !strings.HasSuffix(stderr.String(), ": still on stderr\n") {
		t.Errorf("stderr %q", stderr.String())
	}
}

// writes records each Write it is given.
type writes struct{ w [][]byte }

func (w *writes) Write(b []byte) (int, error) {
	w.w = append(w.w, bytes.Clone(b))
	return len(b), nil
}

// TestHold: held lines wait for Release, keep their order and the times
// they were logged at, and leave in writes of whole lines of at most
// PIPE_BUF bytes (a longer line alone); a full hold, and Close, write
// what is held.
func TestHold(t *testing.T) {
	clock := time.Date(2026, time.December, 4, 10, 0, 0, 0, time.UTC)
	out := &writes{}
	w, err := New(Options{Console: out, Now: func() time.Time { return clock }})
	if err != nil {
		t.Fatal(err)
	}
	w.Log(Line{Text: "before"})
	w.Hold()
	var want []string
	for i := range 100 {
		clock = clock.Add(time.Second)
		text := "line " + strconv.Itoa(i) + " " + strings.Repeat("x", 60)
		if i == 50 {
			text = strings.Repeat("long", 1200) // over PIPE_BUF alone
		}
		w.Log(Line{Text: text})
		want = append(want, Format(clock, text))
	}
	if len(out.w) != 1 {
		t.Fatalf("%d writes while held, want the 1 before", len(out.w))
	}
	w.Release()
	var got []string
	for _, b := range out.w[1:] {
		if len(b) > pipeBuf && bytes.Count(b, []byte{'\n'}) != 1 {
			t.Errorf("a write of %d bytes holds %d lines", len(b), bytes.Count(b, []byte{'\n'}))
		}
		if !bytes.HasSuffix(b, []byte{'\n'}) {
			t.Errorf("a write ends inside a line: %q", b[len(b)-10:])
		}
		got = append(got, strings.SplitAfter(string(b), "\n")...)
	}
	got = slices.DeleteFunc(got, func(s string) bool { return s == "" })
	if !slices.Equal(got, want) {
		t.Errorf("released lines differ: %d lines, want %d", len(got), len(want))
	}
	if n := len(out.w) - 1; n < 4 || n > 6 {
		t.Errorf("%d writes for 100 lines of ~90 bytes and one of 4800, want 4 to 6", n)
	}
	// A full hold is written at once; Close writes the rest.
	out.w = nil
	w.Hold()
	for range maxHeld + 1 {
		w.Log(Line{Text: "more"})
	}
	if len(out.w) == 0 {
		t.Error("a full hold was not written")
	}
	n := len(out.w)
	w.Close()
	if len(out.w) != n+1 || string(out.w[n]) != Format(clock, "more") {
		t.Errorf("Close: %d writes after %d", len(out.w), n)
	}
}
