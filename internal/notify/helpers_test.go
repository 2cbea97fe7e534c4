package notify

import (
	"bufio"
	"bytes"
	"fmt"
	"io/fs"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/script"
	"github.com/gokeepalived/gokeepalived/pkg/config"
)

// hostLookupCred is script.LookupCred on a fake host.
func hostLookupCred(h config.Host) func(user, group string) (script.Cred, error) {
	return func(user, group string) (script.Cred, error) {
		uid, gid, ok := h.LookupUser(user)
		if !ok {
			return script.Cred{}, fmt.Errorf("user '%s' does not exist", user)
		}
		if group != "" {
			g, ok := h.LookupGroup(group)
			if !ok {
				return script.Cred{}, fmt.Errorf("group '%s' does not exist", group)
			}
			gid = g
		}
		return script.Cred{User: user, UID: uint32(uid), GID: uint32(gid), Groups: []uint32{uint32(gid)}}, nil
	}
}

// testHost is the machine the test configurations are checked against:
// the recording scripts exist, are root's and executable, so that the
// configuration check keeps them.
func testHost() config.FakeHost {
	dir := func(name string) os.FileInfo { return fakeFile{name, fs.ModeDir | 0o755} }
	exe := func(name string) os.FileInfo { return fakeFile{name, 0o755} }
	return config.FakeHost{
		Interfaces: []string{"gvhnA", "eth0"},
		Users:      map[string][2]int{"nobody": {65534, 65534}, "alice": {1000, 1000}},
		Groups:     map[string]int{"nogroup": 65534, "staff": 50},
		Files: map[string]os.FileInfo{
			"/": dir("/"), "/usr": dir("usr"), "/usr/local": dir("local"), "/usr/local/bin": dir("bin"),
			"/usr/local/bin/rec.sh":        exe("rec.sh"),
			"/usr/local/bin/fiforeader.sh": exe("fiforeader.sh"),
		},
		Name: "vm",
	}
}

type fakeFile struct {
	name string
	mode fs.FileMode
}

func (f fakeFile) Name() string       { return f.name }
func (f fakeFile) Size() int64        { return 0 }
func (f fakeFile) Mode() fs.FileMode  { return f.mode }
func (f fakeFile) ModTime() time.Time { return time.Time{} }
func (f fakeFile) IsDir() bool        { return f.mode.IsDir() }
func (f fakeFile) Sys() any           { return nil }

// loadConfig parses a configuration text the way the daemon does, with
// /FIFODIR replaced by dir.
func loadConfig(t testing.TB, name, text, dir string) *config.Config {
	t.Helper()
	text = strings.ReplaceAll(text, "/FIFODIR", dir)
	cfg, diags := config.Parse(name, []byte(text), config.Options{Host: testHost()})
	for _, d := range diags {
		// Scripts without enable_script_security are expected.
		if d.Class != config.ClassInfo && d.Class != config.ClassSecurity {
			t.Fatalf("%s: %v", name, d)
		}
	}
	return cfg
}

func loadFile(t testing.TB, file, dir string) *config.Config {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	return loadConfig(t, file, string(b), dir)
}

// fakeRunner records what it is asked to start. Unless hold is set, a
// program "ends" at once (done is called from another goroutine); with
// hold, it ends when release is called for it.
type fakeRunner struct {
	mu      sync.Mutex
	hold    bool
	started []script.Cmd
	pending []func(script.Result)
	stops   []string // argv[0] of programs stopped through StartStoppable
	delay   time.Duration
	startFn func(script.Cmd) error
	onStart chan struct{}
	// running and maxRunning count the programs between Start and done.
	running, maxRunning int
}

func (r *fakeRunner) Start(c script.Cmd, done func(script.Result)) error {
	if r.startFn != nil {
		if err := r.startFn(c); err != nil {
			return err
		}
	}
	r.mu.Lock()
	r.started = append(r.started, c)
	r.running++
	r.maxRunning = max(r.maxRunning, r.running)
	if r.hold {
		r.pending = append(r.pending, done)
	}
	r.mu.Unlock()
	if r.onStart != nil {
		select {
		case r.onStart <- struct{}{}:
		default:
		}
	}
	if !r.hold {
		go func() {
			if r.delay > 0 {
				time.Sleep(r.delay)
			}
			r.mu.Lock()
			r.running--
			r.mu.Unlock()
			done(script.Result{Exited: true})
		}()
	}
	return nil
}

// releaseNext ends the oldest held program.
func (r *fakeRunner) releaseNext(res script.Result) bool {
	r.mu.Lock()
	if len(r.pending) == 0 {
		r.mu.Unlock()
		return false
	}
	done := r.pending[0]
	r.pending = r.pending[1:]
	r.running--
	r.mu.Unlock()
	done(res)
	return true
}

func (r *fakeRunner) cmds() []script.Cmd {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]script.Cmd(nil), r.started...)
}

// stoppableRunner adds StartStoppable: a stopped program ends as a
// SIGTERM'd one would.
type stoppableRunner struct{ fakeRunner }

func (r *stoppableRunner) StartStoppable(c script.Cmd, done func(script.Result)) (func(), error) {
	r.mu.Lock()
	r.started = append(r.started, c)
	r.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			r.mu.Lock()
			r.stops = append(r.stops, c.Argv[0])
			r.mu.Unlock()
			go done(script.Result{Signal: 15})
		})
	}, nil
}

// logRecorder collects log lines.
type logRecorder struct {
	mu    sync.Mutex
	lines []string
}

func (l *logRecorder) log(line Line) {
	l.mu.Lock()
	l.lines = append(l.lines, line.Text)
	l.mu.Unlock()
}

func (l *logRecorder) all() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.lines...)
}

func (l *logRecorder) count(sub string) int {
	n := 0
	for _, s := range l.all() {
		if strings.Contains(s, sub) {
			n++
		}
	}
	return n
}

// waitFor polls cond for up to 5 s.
func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// smtpServer is an SMTP server on 127.0.0.1 for the tests. Each
// connection gets the replies of script in turn (the first is the
// greeting; after them every command gets "250 ok", DATA "354", the
// message "250 queued"). It records every connection's client bytes.
type smtpServer struct {
	ln       net.Listener
	mu       sync.Mutex
	sessions []*bytes.Buffer
	replies  []string // per connection, "" means: say nothing and wait
	wg       sync.WaitGroup
}

func newSMTPServer(t testing.TB, replies ...string) *smtpServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &smtpServer{ln: ln, replies: replies}
	s.wg.Add(1)
	go s.serve()
	t.Cleanup(func() { ln.Close(); s.wg.Wait() })
	return s
}

func (s *smtpServer) port() int { return s.ln.Addr().(*net.TCPAddr).Port }

func (s *smtpServer) serve() {
	defer s.wg.Done()
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		buf := &bytes.Buffer{}
		s.mu.Lock()
		s.sessions = append(s.sessions, buf)
		s.mu.Unlock()
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			defer c.Close()
			s.session(c, buf)
		}()
	}
}

func (s *smtpServer) session(c net.Conn, buf *bytes.Buffer) {
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	replies := append([]string(nil), s.replies...)
	next := func(def string) string {
		if len(replies) == 0 {
			return def
		}
		r := replies[0]
		replies = replies[1:]
		return r
	}
	say := func(def string) bool {
		r := next(def)
		if r == "" {
			// Silence: wait for the client to give up.
			_, _ = c.Read(make([]byte, 1))
			return false
		}
		_, err := c.Write([]byte(r))
		return err == nil
	}
	rd := bufio.NewReader(c)
	record := func(b []byte) {
		s.mu.Lock()
		buf.Write(b)
		s.mu.Unlock()
	}
	if !say("220 test ESMTP\r\n") {
		return
	}
	inData := false
	for {
		line, err := rd.ReadBytes('\n')
		record(line)
		if err != nil {
			return
		}
		if inData {
			if string(line) == ".\r\n" {
				inData = false
				if !say("250 queued\r\n") {
					return
				}
			}
			continue
		}
		cmd := strings.ToUpper(string(line))
		switch {
		case strings.HasPrefix(cmd, "DATA"):
			r := next("354 go ahead\r\n")
			if r == "" {
				return
			}
			_, _ = c.Write([]byte(r))
			inData = strings.HasPrefix(r, "354")
		case strings.HasPrefix(cmd, "QUIT"):
			_ = say("221 bye\r\n")
			return
		default:
			if !say("250 ok\r\n") {
				return
			}
		}
	}
}

func (s *smtpServer) transcripts() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, b := range s.sessions {
		out = append(out, b.String())
	}
	return out
}

// splitWords splits a transcript's argv: words separated by spaces, a
// single-quoted word kept whole.
func splitWords(s string) []string {
	var out []string
	for s = strings.TrimSpace(s); s != ""; s = strings.TrimSpace(s) {
		if s[0] == '\'' {
			end := strings.IndexByte(s[1:], '\'')
			out = append(out, s[1:end+1])
			s = s[end+2:]
			continue
		}
		w, rest, _ := strings.Cut(s, " ")
		out = append(out, w)
		s = rest
	}
	return out
}

// quoteWords is the inverse of splitWords.
func quoteWords(argv []string) string {
	q := make([]string, len(argv))
	for i, a := range argv {
		if strings.Contains(a, " ") {
			a = "'" + a + "'"
		}
		q[i] = a
	}
	return strings.Join(q, " ")
}

func atoi(t testing.TB, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
