package track

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/script"
	"github.com/gokeepalived/gokeepalived/internal/vrrp"
	"github.com/gokeepalived/gokeepalived/pkg/config"
)

// fakeRunner hands each started program to the test, which ends it.
type fakeRunner struct {
	runs chan fakeRun
}

type fakeRun struct {
	cmd  script.Cmd
	done func(script.Result)
}

func newFakeRunner() *fakeRunner { return &fakeRunner{runs: make(chan fakeRun, 64)} }

func (f *fakeRunner) Start(c script.Cmd, done func(script.Result)) error {
	select {
	case f.runs <- fakeRun{c, done}:
		return nil
	default:
		return errors.New("fake runner full")
	}
}

// next waits for the next started program.
func (f *fakeRunner) next(t *testing.T) fakeRun {
	t.Helper()
	select {
	case r := <-f.runs:
		return r
	case <-time.After(5 * time.Second):
		t.Fatal("no program started")
	}
	return fakeRun{}
}

// none checks that nothing starts for a while.
func (f *fakeRunner) none(t *testing.T, d time.Duration) {
	t.Helper()
	select {
	case r := <-f.runs:
		t.Fatalf("unexpected run of %q", r.cmd.Argv)
	case <-time.After(d):
	}
}

// logs collects a manager's lines.
type logs struct {
	mu    sync.Mutex
	lines []string
}

func (l *logs) logger() Logger {
	return func(line Line) {
		l.mu.Lock()
		defer l.mu.Unlock()
		l.lines = append(l.lines, line.Text)
	}
}

func (l *logs) has(s string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, x := range l.lines {
		if x == s {
			return true
		}
	}
	return false
}

func (l *logs) wait(t *testing.T, s string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !l.has(s) {
		if time.Now().After(deadline) {
			l.mu.Lock()
			defer l.mu.Unlock()
			t.Fatalf("no log line %q in %q", s, l.lines)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func statusText(s Status) string {
	switch s.Kind {
	case vrrp.KindFile:
		return fmt.Sprintf("%s %s=%d", s.Kind, s.Name, s.Value)
	}
	v := "down"
	if s.Up {
		v = "up"
	}
	return fmt.Sprintf("%s %s %s", s.Kind, s.Name, v)
}

func statusesText(l []Status) string {
	var out []string
	for _, s := range l {
		out = append(out, statusText(s))
	}
	return strings.Join(out, ", ")
}

// expect reads the next status from out.
func expect(t *testing.T, out <-chan Status, want string) {
	t.Helper()
	select {
	case s := <-out:
		if got := statusText(s); got != want {
			t.Fatalf("status %q, want %q", got, want)
		}
	case <-time.After(5 * time.Second):
		t.Fatalf("no status, want %q", want)
	}
}

func quiet(t *testing.T, out <-chan Status, d time.Duration) {
	t.Helper()
	select {
	case s := <-out:
		t.Fatalf("unexpected status %q", statusText(s))
	case <-time.After(d):
	}
}

// instance returns an instance tracking the named objects.
func instance(name string, scripts, files, procs []string) *config.VRRPInstance {
	in := &config.VRRPInstance{Name: name}
	for _, s := range scripts {
		in.TrackScripts = append(in.TrackScripts, &config.Tracked{Name: s})
	}
	for _, s := range files {
		in.TrackFiles = append(in.TrackFiles, &config.Tracked{Name: s})
	}
	for _, s := range procs {
		in.TrackProcesses = append(in.TrackProcesses, &config.Tracked{Name: s})
	}
	return in
}

func vscript(name string, interval int, argv ...string) *config.VRRPScript {
	return &config.VRRPScript{Name: name, Argv: argv, IntervalSec: interval, Rise: 1, Fall: 1}
}

func TestManagerScripts(t *testing.T) {
	cfg := config.NewConfig()
	failing := vscript("failing", 60, "/bin/failing")
	failing.InitFail = true
	bad := vscript("bad", 60, "/bin/bad")
	bad.Insecure = true
	cfg.VRRPScripts = []*config.VRRPScript{
		vscript("chk", 60, "/bin/chk", "arg"), vscript("unused", 60, "/bin/unused"), bad,
		vscript("grp", 60, "/bin/grp"), failing,
	}
	cfg.VRRPScripts[0].TimeoutSec = 3
	cfg.Instances = []*config.VRRPInstance{instance("VI_1", []string{"chk", "bad", "failing"}, nil, nil)}
	cfg.SyncGroups = []*config.SyncGroup{{Name: "G", Tracking: config.Tracking{TrackScripts: []*config.Tracked{{Name: "grp"}}}}}

	r, lg, out := newFakeRunner(), &logs{}, make(chan Status)
	m := NewManager(cfg, r, lg.logger(), out)
	t.Cleanup(m.Close)
	if got := statusesText(m.Initial()); got != "script failing down" {
		t.Fatalf("Initial = %q", got)
	}
	r.none(t, 20*time.Millisecond) // nothing runs before Start
	m.Start()
	runs := map[string]fakeRun{}
	for i := 0; i < 3; i++ {
		run := r.next(t)
		runs[run.cmd.Argv[0]] = run
	}
	r.none(t, 50*time.Millisecond) // not unused, not the insecure one
	chk := runs["/bin/chk"]
	if strings.Join(chk.cmd.Argv, " ") != "/bin/chk arg" || chk.cmd.Timeout != 3*time.Second {
		t.Errorf("chk runs %q with timeout %v", chk.cmd.Argv, chk.cmd.Timeout)
	}
	if runs["/bin/grp"].cmd.Timeout != 60*time.Second {
		t.Errorf("grp timeout %v, want its interval", runs["/bin/grp"].cmd.Timeout)
	}
	chk.done(script.Result{Exited: true})
	expect(t, out, "script chk up")
	lg.wait(t, "VRRP_Script(chk) succeeded")
	runs["/bin/grp"].done(script.Result{Exited: true, Status: 1})
	expect(t, out, "script grp down")
	lg.wait(t, "Script `grp` now returning 1")
	lg.wait(t, "VRRP_Script(grp) failed (exited with status 1)")
	runs["/bin/failing"].done(script.Result{Exited: true, Status: 0})
	expect(t, out, "script failing up")

	// Reload: chk unchanged keeps its verdict and schedule, grp's
	// command changed (it runs again at once), fresh is new.
	cfg2 := config.NewConfig()
	grp2 := vscript("grp", 60, "/bin/grp2")
	fresh := vscript("fresh", 60, "/bin/fresh")
	fresh.InitFail = true
	cfg2.VRRPScripts = []*config.VRRPScript{vscript("chk", 60, "/bin/chk", "arg"), grp2, fresh}
	cfg2.VRRPScripts[0].TimeoutSec = 3
	cfg2.Instances = []*config.VRRPInstance{instance("VI_1", []string{"chk", "grp", "fresh"}, nil, nil)}
	if got := statusesText(m.Reload(cfg2)); got != "script fresh down" {
		t.Errorf("Reload = %q, want only the new init_fail script", got)
	}
	lg.wait(t, "VRRP_Script(chk) considered successful on reload")
	lg.wait(t, "VRRP_Script(grp) considered unsuccessful on reload")
	got := map[string]bool{}
	for i := 0; i < 2; i++ {
		got[r.next(t).cmd.Argv[0]] = true
	}
	if !got["/bin/grp2"] || !got["/bin/fresh"] {
		t.Errorf("runs after reload %v, want grp2 and fresh", got)
	}
	r.none(t, 50*time.Millisecond)
	quiet(t, out, 20*time.Millisecond)
}

func TestManagerScriptNotRun(t *testing.T) {
	cfg := config.NewConfig()
	cfg.VRRPScripts = []*config.VRRPScript{vscript("chk", 60, "/bin/chk")}
	cfg.Instances = []*config.VRRPInstance{instance("VI_1", []string{"chk"}, nil, nil)}
	lg := &logs{}
	m := NewManager(cfg, refusingRunner{}, lg.logger(), make(chan Status))
	t.Cleanup(m.Close)
	m.Start()
	lg.wait(t, "VRRP_Script(chk) could not be run: runner closed")
}

type refusingRunner struct{}

func (refusingRunner) Start(script.Cmd, func(script.Result)) error {
	return errors.New("runner closed")
}

func TestManagerFiles(t *testing.T) {
	dir := t.TempDir()
	p := func(name string) string { return filepath.Join(dir, name) }
	write := func(name, content string) {
		t.Helper()
		if err := os.WriteFile(p(name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("f4.val", "12\n")
	write("f5.val", "7\n")
	write("untracked.val", "1\n")
	cfg := config.NewConfig()
	cfg.TrackFiles = []*config.TrackFile{
		{Name: "f1", File: p("f1.val"), Weight: 1, Init: &config.TrackFileInit{Value: 3}},
		{Name: "f2", File: p("f2.val"), Weight: 1},
		{Name: "f3", File: p("nodir/f3.val"), Weight: 1},
		{Name: "f4", File: p("f4.val"), Weight: 1, Init: &config.TrackFileInit{Value: 5, Overwrite: true}},
		{Name: "f5", File: p("f5.val"), Weight: 1, Init: &config.TrackFileInit{Value: 1}},
		{Name: "f6", File: p("untracked.val"), Weight: 1},
	}
	cfg.Instances = []*config.VRRPInstance{instance("VI_1", nil, []string{"f1", "f2", "f3", "f4", "f5"}, nil)}
	lg, out := &logs{}, make(chan Status, 1)
	m := NewManager(cfg, newFakeRunner(), lg.logger(), out)
	t.Cleanup(m.Close)
	if got := statusesText(m.Initial()); got != "file f1=3, file f2=0, file f4=5, file f5=7" {
		t.Fatalf("Initial = %q", got)
	}
	lg.wait(t, "Track file directory for f3 does not exist - removing")
	if b, _ := os.ReadFile(p("f1.val")); string(b) != "3\n" {
		t.Errorf("init_file wrote %q", b)
	}
	if fi, err := os.Stat(p("f1.val")); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("init_file mode %v %v, want 0600 (0666 less umask 0177)", fi.Mode(), err)
	}
	m.Start()

	write("f1.val", "5\n")
	expect(t, out, "file f1=5")
	write("f1.val", "abc\n")
	expect(t, out, "file f1=0")
	// Replaced by a rename, as editors and atomic writers do.
	write("tmp", "0x7\n")
	if err := os.Rename(p("tmp"), p("f1.val")); err != nil {
		t.Fatal(err)
	}
	expect(t, out, "file f1=7")
	if err := os.Remove(p("f1.val")); err != nil {
		t.Fatal(err)
	}
	expect(t, out, "file f1=0")
	write("f2.val", "-3")
	expect(t, out, "file f2=-3")
	write("f2.val", "-3\n")
	write("f2.val", "99999999999")
	lg.wait(t, "Invalid number 99999999999 read from "+p("f2.val")+" - ignoring")
	write("untracked.val", "9")
	write("f2.val", "\x00\x01binary")
	expect(t, out, "file f2=0")
	quiet(t, out, 50*time.Millisecond)

	// Reload: f1 moves to a new missing file with init_file (created
	// and read); f2, deleted since, is made again by its new init_file;
	// overwrite does not apply on a reload, to f4 kept nor to f7 new; f5
	// is no longer tracked.
	write("f4.val", "8\n")
	expect(t, out, "file f4=8")
	if err := os.Remove(p("f2.val")); err != nil {
		t.Fatal(err)
	}
	write("f7.val", "13\n")
	cfg2 := config.NewConfig()
	cfg2.TrackFiles = []*config.TrackFile{
		{Name: "f1", File: p("g1.val"), Weight: 1, Init: &config.TrackFileInit{Value: 9}},
		{Name: "f2", File: p("f2.val"), Weight: 1, Init: &config.TrackFileInit{Value: 6}},
		{Name: "f4", File: p("f4.val"), Weight: 1, Init: &config.TrackFileInit{Value: 5, Overwrite: true}},
		{Name: "f5", File: p("f5.val"), Weight: 1},
		{Name: "f7", File: p("f7.val"), Weight: 1, Init: &config.TrackFileInit{Value: 5, Overwrite: true}},
	}
	cfg2.Instances = []*config.VRRPInstance{instance("VI_1", nil, []string{"f1", "f2", "f4", "f7"}, nil)}
	if got := statusesText(m.Reload(cfg2)); got != "file f1=9, file f7=13" {
		t.Errorf("Reload = %q", got)
	}
	if b, _ := os.ReadFile(p("f4.val")); string(b) != "8\n" {
		t.Errorf("reload overwrote f4: %q", b)
	}
	expect(t, out, "file f2=6")
	write("f1.val", "4")  // the old path: no longer watched
	write("f5.val", "11") // no longer tracked
	quiet(t, out, 50*time.Millisecond)
	write("g1.val", "2")
	expect(t, out, "file f1=2")
}

func TestManagerProcessesPolling(t *testing.T) {
	root := fakeProc(t, map[int][3]string{
		10: {"10 (nginx) S 1", "nginx\x00", "nginx\n"},
		11: {"11 (sshd) S 1", "sshd\x00", "sshd\n"},
	})
	cfg := config.NewConfig()
	cfg.TrackProcesses = []*config.TrackProcess{
		{Name: "web", Process: "nginx", Quorum: 2, QuorumMax: config.QuorumUnlimited},
		{Name: "unused", Process: "sshd", Quorum: 1, QuorumMax: config.QuorumUnlimited},
	}
	cfg.Instances = []*config.VRRPInstance{instance("VI_1", nil, nil, []string{"web"})}
	lg, out := &logs{}, make(chan Status, 1)
	m := NewManager(cfg, newFakeRunner(), lg.logger(), out)
	m.noConnector, m.procRoot, m.pollEvery = true, root, 20*time.Millisecond
	t.Cleanup(m.Close)
	if got := statusesText(m.Initial()); got != "process web down" {
		t.Fatalf("Initial = %q", got)
	}
	lg.wait(t, "track_process: kernel process events cannot be received here - scanning "+root+" every 20ms instead")
	m.Start()
	if err := os.MkdirAll(filepath.Join(root, "12"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "12", "stat"), []byte("12 (nginx) R 1"), 0o644); err != nil {
		t.Fatal(err)
	}
	expect(t, out, "process web up")
	lg.wait(t, "Quorum gained for tracked process web")
	if err := os.RemoveAll(filepath.Join(root, "10")); err != nil {
		t.Fatal(err)
	}
	expect(t, out, "process web down")
	lg.wait(t, "Quorum lost for tracked process web")
}

// TestManagerProcessesConnector follows real processes with the kernel's
// process events.
func TestManagerProcessesConnector(t *testing.T) {
	c, lines, err := openConnector(0, false, time.Second)
	if err != nil {
		t.Skipf("the process connector is not available here (it only works in the initial network namespace): %v %v", err, lines)
	}
	c.close()
	path, _ := sleeper(t, 0)
	cfg := config.NewConfig()
	cfg.TrackProcesses = []*config.TrackProcess{
		{Name: "sl", Process: filepath.Base(path), Quorum: 1, QuorumMax: 1},
		{Name: "full", Process: path, Params: []string{"30"}, ParamMatch: "exact", FullCommand: true, Quorum: 1, QuorumMax: config.QuorumUnlimited},
	}
	cfg.Instances = []*config.VRRPInstance{instance("VI_1", nil, nil, []string{"sl", "full"})}
	lg, out := &logs{}, make(chan Status, 1)
	m := NewManager(cfg, newFakeRunner(), lg.logger(), out)
	m.pollEvery = time.Hour // a scan must not be what finds them
	t.Cleanup(m.Close)
	if got := statusesText(m.Initial()); got != "process sl down, process full down" {
		t.Fatalf("Initial = %q", got)
	}
	m.Start()
	first := startSleeper(t, path)
	got := map[string]bool{}
	for i := 0; i < 2; i++ {
		select {
		case s := <-out:
			got[statusText(s)] = true
		case <-time.After(5 * time.Second):
			t.Fatalf("statuses %v, want sl and full up", got)
		}
	}
	if !got["process sl up"] || !got["process full up"] {
		t.Fatalf("statuses %v, want sl and full up", got)
	}
	lg.wait(t, "Quorum gained for tracked process sl")
	second := startSleeper(t, path, "31") // quorum_max 1 for sl; not "30" for full
	expect(t, out, "process sl down")
	stopSleeper(second)
	expect(t, out, "process sl up")
	stopSleeper(first)
	got = map[string]bool{}
	for i := 0; i < 2; i++ {
		select {
		case s := <-out:
			got[statusText(s)] = true
		case <-time.After(5 * time.Second):
			t.Fatalf("statuses %v, want sl and full down", got)
		}
	}
	if !got["process sl down"] || !got["process full down"] {
		t.Fatalf("statuses %v, want sl and full down", got)
	}
	if lg.has("track_process: kernel process events cannot be received here") {
		t.Error("fell back to scanning")
	}
}

// TestManagerSlowReader: a reader that does not take the statuses for a
// while holds up neither the trackers nor the order of what it is given.
func TestManagerSlowReader(t *testing.T) {
	cfg := config.NewConfig()
	cfg.VRRPScripts = []*config.VRRPScript{vscript("a", 60, "/bin/a"), vscript("b", 60, "/bin/b")}
	cfg.Instances = []*config.VRRPInstance{instance("VI_1", []string{"a", "b"}, nil, nil)}
	r, lg, out := newFakeRunner(), &logs{}, make(chan Status)
	m := NewManager(cfg, r, lg.logger(), out)
	t.Cleanup(m.Close)
	m.Start()
	a, b := r.next(t), r.next(t)
	a.done(script.Result{Exited: true, Status: 2})
	b.done(script.Result{Exited: true})
	// Nobody reads yet; the loop still logs both results.
	lg.wait(t, "VRRP_Script(b) succeeded")
	lg.wait(t, "VRRP_Script(a) failed (exited with status 2)")
	first, second := <-out, <-out
	if statusText(first)+", "+statusText(second) != "script a down, script b up" {
		t.Errorf("statuses %q, %q", statusText(first), statusText(second))
	}
	// Close returns although a status might be waiting.
	a.done(script.Result{Exited: true})
	m.Close()
}

// TestManagerRealRunner runs real scripts through internal/script's
// runner: exit statuses, a changed status, and a timeout.
func TestManagerRealRunner(t *testing.T) {
	dir := t.TempDir()
	counter := filepath.Join(dir, "n")
	flip := filepath.Join(dir, "flip.sh")
	// First run exits 1, later ones 0.
	body := "#!/bin/sh\nn=$(cat " + counter + " 2>/dev/null || echo 0)\necho $((n+1)) > " + counter +
		"\n[ \"$n\" = 0 ] && exit 1\nexit 0\n"
	if err := os.WriteFile(flip, []byte(body), 0o755); err != nil {
		t.Fatal(err)
	}
	slow := filepath.Join(dir, "slow.sh")
	if err := os.WriteFile(slow, []byte("#!/bin/sh\nsleep 5\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	cfg := config.NewConfig()
	slowScript := vscript("slow", 2, slow)
	slowScript.TimeoutSec = 1
	cfg.VRRPScripts = []*config.VRRPScript{vscript("flip", 1, flip), slowScript}
	cfg.Instances = []*config.VRRPInstance{instance("VI_1", []string{"flip", "slow"}, nil, nil)}
	r := script.NewRunner(script.Options{})
	t.Cleanup(func() { r.Close(time.Second) })
	lg, out := &logs{}, make(chan Status, 4)
	m := NewManager(cfg, r, lg.logger(), out)
	t.Cleanup(m.Close)
	m.Start()
	got := map[string]bool{}
	for len(got) < 3 {
		select {
		case s := <-out:
			got[statusText(s)] = true
		case <-time.After(10 * time.Second):
			t.Fatalf("statuses %v, want flip down then up, slow down", got)
		}
	}
	for _, want := range []string{"script flip down", "script flip up", "script slow down"} {
		if !got[want] {
			t.Errorf("no %q in %v", want, got)
		}
	}
	lg.wait(t, "Script `flip` now returning 1")
	lg.wait(t, "VRRP_Script(flip) failed (exited with status 1)")
	lg.wait(t, "Script `flip` now returning 0")
	lg.wait(t, "VRRP_Script(flip) succeeded")
	lg.wait(t, "VRRP_Script(slow) timed_out")
}
