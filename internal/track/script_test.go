package track

import (
	"errors"
	"fmt"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/script"
)

var t0 = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

func chkSpec(rise, fall int) ScriptSpec {
	return ScriptSpec{Name: "chk", Cmd: script.Cmd{Argv: []string{"/bin/chk"}, Timeout: time.Second},
		Interval: time.Second, Rise: rise, Fall: fall}
}

// render turns actions into comparable text: log lines as they are,
// statuses as "STATUS name up|down", runs as "RUN name".
func render(acts []Action) []string {
	var out []string
	for _, a := range acts {
		switch a.Kind {
		case ActLog:
			d := ""
			if a.Line.Detail {
				d = " [detail]"
			}
			out = append(out, a.Line.Text+d)
		case ActStatus:
			v := "down"
			if a.Status.Up {
				v = "up"
			}
			if a.Status.Kind.String() == "file" {
				v = fmt.Sprint(a.Status.Value)
			}
			out = append(out, fmt.Sprintf("STATUS %s %s", a.Status.Name, v))
		case ActRun:
			out = append(out, "RUN "+a.Name)
		}
	}
	return out
}

func exited(code int) script.Result { return script.Result{Exited: true, Status: code} }

// result letters: S success, F exit 1, 2 exit 2, T timed out (SIGTERM),
// X timed out (SIGKILL after the grace), 9 SIGKILL during the grace, C
// timed out but exited 3, K killed by SIGKILL, E could not exec, Z
// stopped by the runner's Close.
func resultOf(c byte) script.Result {
	switch c {
	case 'S':
		return exited(0)
	case 'F':
		return exited(1)
	case '2':
		return exited(2)
	case 'T':
		return script.Result{TimedOut: true, Signal: syscall.SIGTERM}
	case 'X':
		return script.Result{TimedOut: true, Signal: syscall.SIGKILL, Killed: true}
	case '9':
		// Killed by someone else before our SIGKILL: not a timeout.
		return script.Result{TimedOut: true, Signal: syscall.SIGKILL}
	case 'C':
		// Caught the timeout's SIGTERM and exited.
		return script.Result{TimedOut: true, Exited: true, Status: 3}
	case 'Z':
		return script.Result{Stopped: true, Signal: syscall.SIGTERM}
	case 'K':
		return script.Result{Signal: syscall.SIGKILL}
	case 'E':
		return script.Result{Err: fmt.Errorf("exec: %w", syscall.ENOENT)}
	}
	panic("bad result letter " + string(c))
}

// runSeq starts the scheduler and feeds one result per interval; it
// returns the rendered actions of each result (without the RUN lines).
func runSeq(t *testing.T, spec ScriptSpec, seq string) [][]string {
	t.Helper()
	s := NewScheduler([]ScriptSpec{spec})
	now := t0
	acts := s.Start(now)
	var out [][]string
	for i := 0; i < len(seq); i++ {
		if len(acts) != 1 || acts[0].Kind != ActRun {
			t.Fatalf("step %d: want one run, got %q", i, render(acts))
		}
		out = append(out, render(s.Result(acts[0].Run, resultOf(seq[i]))))
		now = now.Add(spec.Interval)
		acts = s.Tick(now)
	}
	return out
}

func TestScriptRiseFall(t *testing.T) {
	const (
		ok     = "VRRP_Script(chk) succeeded"
		failed = "VRRP_Script(chk) failed (exited with status 1)"
		up     = "STATUS chk up"
		down   = "STATUS chk down"
		ret1   = "Script `chk` now returning 1"
		ret0   = "Script `chk` now returning 0"
	)
	tests := []struct {
		name       string
		rise, fall int
		initFail   bool
		seq        string
		want       [][]string // per result
	}{
		{"first success decides", 3, 3, false, "S", [][]string{{ok, up}}},
		{"first failure decides", 3, 3, false, "F", [][]string{{ret1, failed, down}}},
		{"fall counts failures from up", 1, 3, false, "SFFFS",
			[][]string{{ok, up}, {ret1}, nil, {failed, down}, {ret0, ok, up}}},
		{"rise counts successes from down", 3, 1, false, "FSSSF",
			[][]string{{ret1, failed, down}, {ret0}, nil, {ok, up}, {ret1, failed, down}}},
		{"a success resets the fall count", 1, 2, false, "SFSFF",
			[][]string{{ok, up}, {ret1}, {ret0}, {ret1}, {failed, down}}},
		{"a failure resets the rise count", 2, 1, false, "FSFSS",
			[][]string{{ret1, failed, down}, {ret0}, {ret1}, {ret0}, {ok, up}}},
		{"init_fail needs rise successes", 2, 1, true, "SS", [][]string{nil, {ok, up}}},
		{"init_fail first failure is silent", 2, 1, true, "FSS", [][]string{{ret1}, {ret0}, {ok, up}}},
		{"init_fail rise 1", 1, 1, true, "S", [][]string{{ok, up}}},
		{"exit status change logged without a verdict change", 1, 1, false, "F2FS",
			[][]string{{ret1, failed, down}, {"Script `chk` now returning 2"}, {ret1}, {ret0, ok, up}}},
		{"timeout is a failure", 1, 1, false, "ST",
			[][]string{{ok, up}, {"VRRP_Script(chk) timed_out", down}}},
		{"timeout after the grace", 1, 1, false, "SX",
			[][]string{{ok, up}, {"VRRP_Script(chk) timed_out", down}}},
		{"another SIGKILL during the grace", 1, 1, false, "S9",
			[][]string{{ok, up}, {"VRRP_Script(chk) failed (due to signal 9)", down}}},
		{"SIGTERM caught, exit status", 1, 1, false, "SC",
			[][]string{{ok, up}, {"Script `chk` now returning 3", "VRRP_Script(chk) failed (exited with status 3)", down}}},
		{"stopped by the runner is not a result", 1, 1, false, "SZF",
			[][]string{{ok, up}, nil, {ret1, failed, down}}},
		{"signal is a failure", 1, 1, false, "SK",
			[][]string{{ok, up}, {"VRRP_Script(chk) failed (due to signal 9)", down}}},
		{"exec error counts as a success", 1, 1, false, "FE",
			[][]string{{ret1, failed, down}, {"Error exec-ing command '/bin/chk', error 2: No such file or directory", ret0, ok, up}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := chkSpec(tt.rise, tt.fall)
			spec.InitFail = tt.initFail
			got := runSeq(t, spec, tt.seq)
			if fmt.Sprintf("%q", got) != fmt.Sprintf("%q", tt.want) {
				t.Errorf("results %s:\n got %q\nwant %q", tt.seq, got, tt.want)
			}
		})
	}
}

func TestScriptInitial(t *testing.T) {
	a, b := chkSpec(1, 1), chkSpec(1, 1)
	b.Name, b.InitFail = "failing", true
	s := NewScheduler([]ScriptSpec{a, b})
	got := s.Initial()
	if len(got) != 1 || got[0].Name != "failing" || got[0].Up {
		t.Fatalf("Initial = %+v, want only failing down", got)
	}
	if _, known := s.Status("chk"); known {
		t.Error("chk known before its first result")
	}
	if st, known := s.Status("failing"); !known || st.Up {
		t.Errorf("failing = %+v %v, want known down", st, known)
	}
}

func TestScriptSchedule(t *testing.T) {
	spec := chkSpec(1, 1)
	spec.Interval = 5 * time.Second
	spec.Cmd.Timeout = 8 * time.Second // longer than the interval
	s := NewScheduler([]ScriptSpec{spec})
	if _, ok := s.Next(); ok {
		t.Fatal("Next before Start")
	}
	acts := s.Start(t0)
	if got := render(acts); strings.Join(got, "|") != "RUN chk" {
		t.Fatalf("Start = %q, want one run at once", got)
	}
	run := acts[0].Run
	if next, _ := s.Next(); !next.Equal(t0.Add(5 * time.Second)) {
		t.Fatalf("Next = %v, want start+5s", next)
	}
	if got := s.Tick(t0.Add(4 * time.Second)); len(got) != 0 {
		t.Fatalf("early tick acted: %q", render(got))
	}
	// Still running at the next interval: skipped, never overlapped.
	got := render(s.Tick(t0.Add(5 * time.Second)))
	if want := "Track script chk is already running, expect idle - skipping run"; strings.Join(got, "|") != want {
		t.Fatalf("busy tick = %q, want %q", got, want)
	}
	// Past its timeout, the run is being killed.
	got = render(s.Tick(t0.Add(10 * time.Second)))
	if want := "Track script chk is being timed out, expect idle - skipping run"; strings.Join(got, "|") != want {
		t.Fatalf("timing-out tick = %q, want %q", got, want)
	}
	s.Result(run, exited(0))
	// A late result of an old run is ignored.
	if got := s.Result(run, exited(1)); len(got) != 0 {
		t.Fatalf("stale result acted: %q", render(got))
	}
	acts = s.Tick(t0.Add(15 * time.Second))
	if len(acts) != 1 || acts[0].Kind != ActRun || acts[0].Run == run {
		t.Fatalf("tick after the result = %q, want a new run", render(acts))
	}
	if acts[0].Cmd.Timeout != 8*time.Second {
		t.Errorf("run timeout %v", acts[0].Cmd.Timeout)
	}
	// The runner refused: idle again, retried next interval.
	if got := render(s.NotRun(acts[0].Run, errors.New("closed"))); strings.Join(got, "|") != "VRRP_Script(chk) could not be run: closed" {
		t.Errorf("NotRun = %q", got)
	}
	if got := render(s.Tick(t0.Add(20 * time.Second))); strings.Join(got, "|") != "RUN chk" {
		t.Errorf("tick after NotRun = %q", got)
	}
}

func TestScriptReload(t *testing.T) {
	keep, change, fresh, gone := chkSpec(2, 3), chkSpec(1, 1), chkSpec(1, 1), chkSpec(1, 1)
	keep.Name, change.Name, fresh.Name, gone.Name = "keep", "change", "fresh", "gone"
	pending := chkSpec(1, 1)
	pending.Name = "pending"
	s := NewScheduler([]ScriptSpec{keep, change, gone, pending})
	acts := s.Start(t0)
	runs := map[string]uint64{}
	for _, a := range acts {
		runs[a.Name] = a.Run
	}
	s.Result(runs["keep"], exited(0))   // up, result = rise+fall-1 = 4
	s.Result(runs["change"], exited(1)) // down
	s.Result(runs["gone"], exited(0))
	// pending is still running: no result yet.
	now := t0.Add(500 * time.Millisecond)
	s.Tick(now)
	keep2 := keep
	keep2.Rise, keep2.Fall = 3, 5
	change2 := change
	change2.Cmd.Argv = []string{"/bin/other"}
	got := render(s.Reload([]ScriptSpec{keep2, change2, fresh, pending}, now))
	want := []string{
		"VRRP_Script(keep) considered successful on reload",
		"VRRP_Script(change) considered unsuccessful on reload",
		"RUN change", "RUN fresh",
	}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("Reload =\n %q\nwant\n %q", got, want)
	}
	if st, ok := s.Status("keep"); !ok || !st.Up {
		t.Errorf("keep after reload = %+v %v, want up", st, ok)
	}
	if st, ok := s.Status("change"); !ok || st.Up {
		t.Errorf("change after reload = %+v %v, want down", st, ok)
	}
	if _, ok := s.Status("fresh"); ok {
		t.Error("fresh known before its first run")
	}
	if _, ok := s.Status("gone"); ok {
		t.Error("gone still known")
	}
	// keep kept its schedule (next run at start+1s) and its counter:
	// from the top (4 of 2..4) to the new top (7 of 3..7), so five
	// failures are needed.
	acts = s.Tick(t0.Add(time.Second))
	var keepRun uint64
	for _, a := range acts {
		if a.Name == "keep" && a.Kind == ActRun {
			keepRun = a.Run
		}
	}
	if keepRun == 0 {
		t.Fatalf("keep not run on its old schedule: %q", render(acts))
	}
	// The pending script's run survived the reload: its result counts.
	if got := render(s.Result(runs["pending"], exited(0))); strings.Join(got, "|") != "VRRP_Script(pending) succeeded|STATUS pending up" {
		t.Errorf("pending result after reload = %q", got)
	}
	for i := 0; i < 5; i++ {
		got := render(s.Result(keepRun, exited(1)))
		down := len(got) > 0 && got[len(got)-1] == "STATUS keep down"
		if down != (i == 4) {
			t.Fatalf("failure %d after reload: %q", i+1, got)
		}
		acts = s.Tick(t0.Add(time.Duration(i+2) * time.Second))
		for _, a := range acts {
			if a.Name == "keep" {
				keepRun = a.Run
			}
		}
	}
}

// TestScriptReloadMapping checks keepalived's mapping of a counter onto
// new rise/fall values (clear_diff_script).
func TestScriptReloadMapping(t *testing.T) {
	tests := []struct {
		oldRise, oldFall, oldResult int
		newRise, newFall            int
		want                        int
	}{
		{3, 2, 0, 5, 2, 0},  // fully down stays fully down
		{3, 2, 2, 5, 2, 4},  // one success short stays one short
		{3, 2, 1, 2, 2, 0},  // two short of rise 2: clamp at 0
		{3, 2, 4, 3, 5, 7},  // top stays top
		{3, 3, 4, 2, 2, 3},  // one failure taken: 2+1, capped at the top 3
		{3, 3, 3, 4, 4, 4},  // at rise stays at rise
		{1, 10, 5, 1, 2, 2}, // capped at the new top
	}
	for _, tt := range tests {
		o := newScriptState(ScriptSpec{Name: "x", Rise: tt.oldRise, Fall: tt.oldFall}, initDone)
		o.init, o.result = initDone, tt.oldResult
		n := newScriptState(ScriptSpec{Name: "x", Rise: tt.newRise, Fall: tt.newFall}, initReload)
		carry(o, n)
		if n.result != tt.want || n.up() != o.up() {
			t.Errorf("%d/%d result %d → %d/%d: got %d (up %v), want %d (up %v)",
				tt.oldRise, tt.oldFall, tt.oldResult, tt.newRise, tt.newFall, n.result, n.up(), tt.want, o.up())
		}
	}
}
