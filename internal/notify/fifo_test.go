package notify

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/script"
	"github.com/gokeepalived/gokeepalived/internal/vrrp"
)

func fifoConf(global, vrrpFIFO string) string {
	return `
global_defs {
    router_id R1
` + global + vrrpFIFO + `
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    priority 100
    virtual_ipaddress {
        10.0.0.1
    }
    notify "/usr/local/bin/rec.sh i1_generic"
}
`
}

// TestFIFOCreated: a missing FIFO is made with keepalived's mode (0600)
// and owner (the FIFO's user and that user's group), lines wait in it
// while nobody reads, and Close removes it.
func TestFIFOCreated(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "vfifo")
	conf := fifoConf("", "    vrrp_notify_fifo /FIFODIR/vfifo nobody\n")
	cfg := loadConfig(t, "fifo.conf", conf, dir)
	n := NewOptions(cfg, &fakeRunner{}, nil, Options{LookupCred: hostLookupCred(testHost())})
	n.Instance("VI_1", vrrp.Backup, 100)
	n.Instance("VI_1", vrrp.Master, 100)
	var got string
	waitFor(t, "two lines", func() bool { got += drainFIFO(t, path); return strings.Count(got, "\n") >= 2 })
	if want := "INSTANCE \"VI_1\" BACKUP 100\nINSTANCE \"VI_1\" MASTER 100\n"; got != want {
		t.Errorf("read %q, want %q", got, want)
	}
	fi, err := os.Lstat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode() != os.ModeNamedPipe|0o600 {
		t.Errorf("mode %v, want prw-------", fi.Mode())
	}
	if os.Getuid() == 0 {
		st := fi.Sys().(*syscall.Stat_t)
		if st.Uid != 65534 || st.Gid != 65534 {
			t.Errorf("owner %d:%d, want nobody's 65534:65534", st.Uid, st.Gid)
		}
	}
	closeWithin(n, time.Second)
	// keepalived 2.2.7 leaves the pipe it made when it stops.
	if _, err := os.Lstat(path); err != nil {
		t.Errorf("the FIFO made by the notifier was removed at stop: %v", err)
	}
}

// TestFIFOExisting: an existing FIFO keeps its mode and owner and is not
// removed; an existing regular file gets the lines written into it
// (observed: keepalived writes into whatever the path names, from its
// start: it does not open with O_APPEND).
func TestFIFOExisting(t *testing.T) {
	dir := t.TempDir()
	fifoPath, filePath := filepath.Join(dir, "fifo"), filepath.Join(dir, "vfifo")
	if err := syscall.Mkfifo(fifoPath, 0o640); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filePath, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	conf := fifoConf("    notify_fifo /FIFODIR/fifo\n", "    vrrp_notify_fifo /FIFODIR/vfifo nobody\n")
	n := NewOptions(loadConfig(t, "fifo.conf", conf, dir), &fakeRunner{}, nil, Options{LookupCred: hostLookupCred(testHost())})
	n.Group("nosuch", vrrp.Master) // unknown: nothing
	n.Instance("VI_1", vrrp.Fault, 100)
	var got string
	waitFor(t, "the line", func() bool { got += drainFIFO(t, fifoPath); return strings.Contains(got, "\n") })
	closeWithin(n, time.Second)
	if want := "INSTANCE \"VI_1\" FAULT 100\n"; got != want {
		t.Errorf("FIFO read %q, want %q", got, want)
	}
	fi, err := os.Lstat(fifoPath)
	if err != nil {
		t.Fatalf("the existing FIFO was removed: %v", err)
	}
	if fi.Mode() != os.ModeNamedPipe|0o640 {
		t.Errorf("mode %v, want the FIFO's own prw-r-----", fi.Mode())
	}
	b, err := os.ReadFile(filePath)
	if err != nil {
		t.Fatal(err)
	}
	if want := "INSTANCE \"VI_1\" FAULT 100\n"; string(b) != want {
		t.Errorf("file %q, want %q", b, want)
	}
}

// TestFIFONoReader: nobody reads, the pipe fills up: notifications
// still return at once, the overflow is logged once, and the notifier
// goes on (a script queued after the flood runs).
func TestFIFONoReader(t *testing.T) {
	dir := t.TempDir()
	conf := fifoConf("", "    vrrp_notify_fifo /FIFODIR/vfifo\n")
	logs := &logRecorder{}
	r := &fakeRunner{}
	n := NewOptions(loadConfig(t, "fifo.conf", conf, dir), r, logs.log, Options{LookupCred: hostLookupCred(testHost())})
	defer closeWithin(n, 5*time.Second)
	begin := time.Now()
	for i := range 5000 {
		n.Event("VI_1", vrrp.EventPriorityChange, vrrp.Master, i%250)
	}
	if d := time.Since(begin); d > time.Second {
		t.Errorf("5000 notifications took the caller %v", d)
	}
	n.Instance("VI_1", vrrp.Master, 100)
	waitFor(t, "the script after the flood", func() bool { return len(r.cmds()) == 1 })
	want := "vrrp_notify fifo " + filepath.Join(dir, "vfifo") + " is full - dropping lines until its reader catches up"
	if got := logs.count("is full"); got != 1 || !slices.Contains(logs.all(), want) {
		t.Errorf("%d overflow lines, want %q once", got, want)
	}
	// Room again: lines get through, and a new overflow is news again.
	if drainFIFO(t, filepath.Join(dir, "vfifo")) == "" {
		t.Fatal("nothing in the pipe")
	}
	n.Instance("VI_1", vrrp.Backup, 100)
	var got string
	waitFor(t, "a line after the drain", func() bool { got += drainFIFO(t, filepath.Join(dir, "vfifo")); return got != "" })
	if got != "INSTANCE \"VI_1\" BACKUP 100\n" {
		t.Errorf("after the drain %q", got)
	}
}

// TestFIFOCreateError: a FIFO that cannot be made is logged with
// keepalived's lines; everything else works.
func TestFIFOCreateError(t *testing.T) {
	dir := t.TempDir()
	conf := fifoConf("    notify_fifo /FIFODIR/nodir/fifo\n", "    vrrp_notify_fifo /FIFODIR/nodir/vfifo\n")
	logs := &logRecorder{}
	r := &fakeRunner{}
	n := NewOptions(loadConfig(t, "fifo.conf", conf, dir), r, logs.log, Options{LookupCred: hostLookupCred(testHost())})
	n.Instance("VI_1", vrrp.Master, 100)
	closeWithin(n, 5*time.Second)
	want := []string{
		"Unable to create notify fifo " + dir + "/nodir/fifo",
		"Unable to create vrrp_notify fifo " + dir + "/nodir/vfifo",
	}
	if got := logs.all(); !slices.Equal(got, want) {
		t.Errorf("log\n got %q\nwant %q", got, want)
	}
	if len(r.cmds()) != 1 {
		t.Errorf("%d scripts run, want 1", len(r.cmds()))
	}
}

// TestFIFOSameName: the same FIFO for notify_fifo and vrrp_notify_fifo
// is one FIFO (keepalived ignores the vrrp one, with its line).
func TestFIFOSameName(t *testing.T) {
	dir := t.TempDir()
	conf := fifoConf("    notify_fifo /FIFODIR/fifo\n", "    vrrp_notify_fifo /FIFODIR/fifo\n")
	logs := &logRecorder{}
	n := NewOptions(loadConfig(t, "fifo.conf", conf, dir), &fakeRunner{}, logs.log, Options{LookupCred: hostLookupCred(testHost())})
	defer closeWithin(n, time.Second)
	n.Instance("VI_1", vrrp.Master, 100)
	path := filepath.Join(dir, "fifo")
	var got string
	waitFor(t, "the line", func() bool { got += drainFIFO(t, path); return got != "" })
	time.Sleep(10 * time.Millisecond)
	got += drainFIFO(t, path)
	if got != "INSTANCE \"VI_1\" MASTER 100\n" {
		t.Errorf("read %q, want the line once", got)
	}
	want := "notify FIFO " + path + " has been specified for global and vrrp FIFO - ignoring vrrp FIFO"
	if !slices.Contains(logs.all(), want) {
		t.Errorf("log %q lacks %q", logs.all(), want)
	}
}

const readerConf = `
    vrrp_notify_fifo /FIFODIR/vfifo
    vrrp_notify_fifo_script "/usr/local/bin/fiforeader.sh -v" nobody
`

// TestFIFOReaderEnds: the reader runs with the FIFO's name appended, as
// its user; if it ends by itself keepalived's line is logged (it is not
// restarted).
func TestFIFOReaderEnds(t *testing.T) {
	dir := t.TempDir()
	r := &fakeRunner{hold: true}
	logs := &logRecorder{}
	n := NewOptions(loadConfig(t, "fifo.conf", fifoConf("", readerConf), dir), r, logs.log, Options{LookupCred: hostLookupCred(testHost())})
	defer func() {
		for r.releaseNext(script.Result{Exited: true}) {
		}
		closeWithin(n, time.Second)
	}()
	waitFor(t, "the reader", func() bool { return len(r.cmds()) == 1 })
	c := r.cmds()[0]
	if got, want := quoteWords(c.Argv), "/usr/local/bin/fiforeader.sh -v "+filepath.Join(dir, "vfifo"); got != want {
		t.Errorf("reader argv %q, want %q", got, want)
	}
	if c.Cred == nil || c.Cred.UID != 65534 || c.Timeout != 0 {
		t.Errorf("reader cred %+v timeout %v, want nobody and no timeout", c.Cred, c.Timeout)
	}
	r.releaseNext(script.Result{Exited: true, Status: 1})
	waitFor(t, "the end line", func() bool { return slices.Contains(logs.all(), msgReaderEnded) })
	time.Sleep(10 * time.Millisecond)
	if len(r.cmds()) != 1 {
		t.Errorf("the reader was restarted")
	}
}

// TestFIFOReaderStopped: with a runner that can stop programs, Close
// stops the reader, and that end is not news.
func TestFIFOReaderStopped(t *testing.T) {
	dir := t.TempDir()
	r := &stoppableRunner{}
	logs := &logRecorder{}
	n := NewOptions(loadConfig(t, "fifo.conf", fifoConf("", readerConf), dir), r, logs.log, Options{LookupCred: hostLookupCred(testHost())})
	waitFor(t, "the reader", func() bool { return len(r.cmds()) == 1 })
	closeWithin(n, time.Second)
	r.mu.Lock()
	stops := slices.Clone(r.stops)
	r.mu.Unlock()
	if !slices.Equal(stops, []string{"/usr/local/bin/fiforeader.sh"}) {
		t.Errorf("stopped %q, want the reader", stops)
	}
	time.Sleep(10 * time.Millisecond)
	if slices.Contains(logs.all(), msgReaderEnded) {
		t.Errorf("a reader stopped by the notifier was reported: %q", logs.all())
	}
}

// TestFIFOReload: a reload that changes the FIFO closes (and removes)
// the old one, stops its reader, makes the new one and starts a reader
// for it; lines then go to the new one only.
func TestFIFOReload(t *testing.T) {
	dir := t.TempDir()
	r := &stoppableRunner{}
	logs := &logRecorder{}
	n := NewOptions(loadConfig(t, "fifo.conf", fifoConf("", readerConf), dir), r, logs.log, Options{LookupCred: hostLookupCred(testHost())})
	defer closeWithin(n, time.Second)
	conf2 := strings.ReplaceAll(fifoConf("", readerConf), "/FIFODIR/vfifo", "/FIFODIR/vfifo2")
	n.Reload(loadConfig(t, "fifo2.conf", conf2, dir))
	n.Instance("VI_1", vrrp.Master, 100)
	var got string
	waitFor(t, "the line in the new FIFO", func() bool { got += drainFIFO(t, filepath.Join(dir, "vfifo2")); return got != "" })
	if got != "INSTANCE \"VI_1\" MASTER 100\n" {
		t.Errorf("new FIFO read %q", got)
	}
	if _, err := os.Lstat(filepath.Join(dir, "vfifo")); !os.IsNotExist(err) {
		t.Errorf("the old FIFO is still there: %v", err)
	}
	var readers []string
	for _, c := range r.cmds() {
		if c.Argv[0] == "/usr/local/bin/fiforeader.sh" {
			readers = append(readers, c.Argv[len(c.Argv)-1])
		}
	}
	if want := []string{filepath.Join(dir, "vfifo"), filepath.Join(dir, "vfifo2")}; !slices.Equal(readers, want) {
		t.Errorf("readers started for %q, want %q", readers, want)
	}
	r.mu.Lock()
	stops := len(r.stops)
	r.mu.Unlock()
	if stops != 1 {
		t.Errorf("%d readers stopped at the reload, want 1", stops)
	}
	if slices.Contains(logs.all(), msgReaderEnded) {
		t.Errorf("the stopped reader was reported: %q", logs.all())
	}
}
