package notify

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/vrrp"
	"github.com/gokeepalived/gokeepalived/pkg/config"
)

// cause is one notification of testdata/keepalived-2.2.7-session.txt
// with what keepalived did for it.
type cause struct {
	text  string
	kind  string // instance, group, event, reload
	name  string
	st    vrrp.State
	prio  int
	ev    vrrp.NotifyEvent
	runs  []string // "(1s) argv" or "argv", argv as quoteWords prints it
	fifo  []string
	mails []string // "subject | body"
}

var stateNames = map[string]vrrp.State{
	"MASTER": vrrp.Master, "BACKUP": vrrp.Backup, "FAULT": vrrp.Fault,
	"STOP": vrrp.Stopped, "DELETED": vrrp.Deleted,
}

var eventNames = map[string]vrrp.NotifyEvent{
	"priority_change": vrrp.EventPriorityChange, "master_rx_lower_pri": vrrp.EventMasterRxLowerPri,
}

func readSession(t *testing.T) []*cause {
	t.Helper()
	f, err := os.Open("testdata/keepalived-2.2.7-session.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []*cause
	sc := bufio.NewScanner(f)
	for ln := 1; sc.Scan(); ln++ {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		word, rest, _ := strings.Cut(line, " ")
		if word == ">" {
			c := &cause{text: rest}
			w := strings.Fields(rest)
			c.kind = w[0]
			switch c.kind {
			case "instance":
				c.name, c.st, c.prio = w[1], stateNames[w[2]], atoi(t, w[3])
			case "group":
				c.name, c.st = w[1], stateNames[w[2]]
			case "event":
				c.name, c.ev, c.st, c.prio = w[1], eventNames[w[2]], stateNames[w[3]], atoi(t, w[4])
			case "reload":
			default:
				t.Fatalf("session line %d: %q", ln, line)
			}
			out = append(out, c)
			continue
		}
		if len(out) == 0 {
			t.Fatalf("session line %d: no cause yet", ln)
		}
		c := out[len(out)-1]
		switch word {
		case "run":
			c.runs = append(c.runs, rest)
		case "run(1s)":
			c.runs = append(c.runs, "(1s) "+rest)
		case "fifo":
			c.fifo = append(c.fifo, rest)
		case "mail":
			c.mails = append(c.mails, rest)
		default:
			t.Fatalf("session line %d: %q", ln, line)
		}
	}
	return out
}

func renderJob(j job) string {
	s := quoteWords(j.argv)
	if j.timeout != 0 {
		s = fmt.Sprintf("(%v) %s", j.timeout, s)
	}
	return s
}

// TestSessionPlans replays keepalived's session through the planner:
// for every notification the same scripts with the same argv in the same
// order, the same FIFO lines and the same mails.
func TestSessionPlans(t *testing.T) {
	dir := t.TempDir()
	p := newPlanner(loadFile(t, "testdata/keepalived-2.2.7-session.conf", dir))
	reloadCfg := loadFile(t, "testdata/keepalived-2.2.7-session-reload.conf", dir)
	for i, c := range readSession(t) {
		var pl plan
		var fifo []string
		ok := true
		switch c.kind {
		case "instance":
			pl, ok = p.instance(c.name, c.st, c.prio)
		case "group":
			pl, ok = p.group(c.name, c.st)
		case "event":
			pl, ok = p.event(c.name, c.ev, c.st, c.prio)
		case "reload":
			fifo = p.reload(reloadCfg)
		}
		if !ok {
			t.Fatalf("cause %d %q: unknown subject", i, c.text)
		}
		var runs, mails []string
		for _, j := range pl.jobs {
			runs = append(runs, renderJob(j))
		}
		if pl.line != "" {
			fifo = append(fifo, pl.line)
		}
		if pl.mail != nil {
			mails = append(mails, pl.mail.subject+" | "+pl.mail.body)
		}
		check := func(what string, got, want []string) {
			if !slices.Equal(got, want) {
				t.Errorf("cause %d %q: %s\n got %q\nwant %q", i, c.text, what, got, want)
			}
		}
		check("scripts", runs, c.runs)
		check("fifo", fifo, c.fifo)
		check("mails", mails, c.mails)
	}
}

// TestSessionNotifier replays the session through a Notifier with real
// FIFOs and a real SMTP server: the FIFOs get exactly keepalived's bytes,
// each subject's scripts start in keepalived's order, the mails are
// keepalived's, and the readers are started as keepalived starts them.
func TestSessionNotifier(t *testing.T) {
	dir := t.TempDir()
	srv := newSMTPServer(t)
	port := fmt.Sprint(srv.port())
	load := func(file string) *config.Config {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		text := strings.Replace(string(b), "smtp_server 127.0.0.1 2525", "smtp_server 127.0.0.1 "+port, 1)
		return loadConfig(t, file, text, dir)
	}
	cfg := load("testdata/keepalived-2.2.7-session.conf")
	reloadCfg := load("testdata/keepalived-2.2.7-session-reload.conf")
	r := &fakeRunner{}
	logs := &logRecorder{}
	when := time.Date(2026, 12, 3, 21, 48, 48, 0, time.UTC)
	n := NewOptions(cfg, r, logs.log, Options{
		LookupCred: hostLookupCred(testHost()),
		Now:        func() time.Time { return when },
	})
	var wantFIFO strings.Builder
	wantRuns := map[string][]string{} // by subject
	var wantMails []string
	for _, c := range readSession(t) {
		switch c.kind {
		case "instance":
			n.Instance(c.name, c.st, c.prio)
		case "group":
			n.Group(c.name, c.st)
		case "event":
			n.Event(c.name, c.ev, c.st, c.prio)
		case "reload":
			n.Reload(reloadCfg)
		}
		for _, l := range c.fifo {
			wantFIFO.WriteString(l + "\n")
		}
		key := c.kind + " " + c.name
		if c.kind == "event" {
			key = "instance " + c.name
		}
		for _, run := range c.runs {
			wantRuns[key] = append(wantRuns[key], strings.TrimPrefix(run, "(1s) "))
		}
		wantMails = append(wantMails, c.mails...)
	}

	// The lines wait in the pipes (nobody reads them yet): read them
	// before Close removes the FIFOs.
	fifoPaths := []string{filepath.Join(dir, "fifo"), filepath.Join(dir, "vfifo")}
	var got [2]string
	waitFor(t, "the FIFO lines", func() bool {
		for i, p := range fifoPaths {
			got[i] += drainFIFO(t, p)
		}
		return got[0] == wantFIFO.String() && got[1] == wantFIFO.String() ||
			len(got[0]) > wantFIFO.Len() || len(got[1]) > wantFIFO.Len()
	})
	for i := range got {
		if got[i] != wantFIFO.String() {
			t.Errorf("%s:\n got %q\nwant %q", fifoPaths[i], got[i], wantFIFO.String())
		}
	}
	for _, p := range fifoPaths {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode() != os.ModeNamedPipe|0o600 {
			t.Errorf("%s: mode %v, want keepalived's prw-------", p, fi.Mode())
		}
	}

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	n.Close(ctx)

	gotRuns := map[string][]string{}
	var readers []string
	for _, c := range r.cmds() {
		if strings.HasSuffix(c.Argv[0], "fiforeader.sh") {
			readers = append(readers, quoteWords(c.Argv))
			continue
		}
		key := subjectOf(c.Argv)
		gotRuns[key] = append(gotRuns[key], quoteWords(c.Argv))
	}
	for key, want := range wantRuns {
		if !slices.Equal(gotRuns[key], want) {
			t.Errorf("%s scripts:\n got %q\nwant %q", key, gotRuns[key], want)
		}
	}
	if len(gotRuns) != len(wantRuns) {
		t.Errorf("scripts of %d subjects, want %d: %v", len(gotRuns), len(wantRuns), gotRuns)
	}
	// Unchanged FIFO settings: the readers are not restarted at the
	// reload (keepalived restarts them).
	wantReaders := []string{
		"/usr/local/bin/fiforeader.sh fifoarg1 " + fifoPaths[0],
		"/usr/local/bin/fiforeader.sh " + fifoPaths[1],
	}
	if !slices.Equal(readers, wantReaders) {
		t.Errorf("readers:\n got %q\nwant %q", readers, wantReaders)
	}
	for _, p := range fifoPaths {
		if _, err := os.Lstat(p); err != nil {
			t.Errorf("%s removed at Close (keepalived leaves the pipes it made): %v", p, err)
		}
	}

	var gotMails []string
	for _, tr := range srv.transcripts() {
		gotMails = append(gotMails, mailOf(t, tr))
	}
	slices.Sort(gotMails)
	slices.Sort(wantMails)
	if !slices.Equal(gotMails, wantMails) {
		t.Errorf("mails:\n got %q\nwant %q", gotMails, wantMails)
	}
	if got, want := logs.count(msgSMTPSent), len(wantMails); got != want {
		t.Errorf("%d %q lines, want %d; log: %q", got, msgSMTPSent, want, logs.all())
	}
}

// subjectOf names the subject of a recording script's run from its first
// argument (i1_master → instance VI_1, g_stop → group G1).
func subjectOf(argv []string) string {
	tag := argv[1]
	if strings.HasPrefix(tag, "g_") {
		return "group G1"
	}
	return "instance VI_" + tag[1:2]
}

// mailOf is "subject | body" of a recorded SMTP session.
func mailOf(t *testing.T, transcript string) string {
	t.Helper()
	var subject, body string
	lines := strings.Split(transcript, "\r\n")
	for i, l := range lines {
		if s, ok := strings.CutPrefix(l, "Subject: "); ok {
			subject = s
		}
		if l == "" && subject != "" && body == "" && i+1 < len(lines) {
			body = lines[i+1]
		}
	}
	return subject + " | " + body
}

// drainFIFO reads what is waiting in a FIFO without waiting for more.
func drainFIFO(t *testing.T, path string) string {
	t.Helper()
	fd, err := syscall.Open(path, syscall.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err == syscall.ENOENT {
		return "" // not made yet
	}
	if err != nil {
		t.Fatal(err)
	}
	defer syscall.Close(fd)
	var out []byte
	buf := make([]byte, 65536)
	for {
		n, err := syscall.Read(fd, buf)
		if n <= 0 || err != nil {
			return string(out)
		}
		out = append(out, buf[:n]...)
	}
}
