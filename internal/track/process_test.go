package track

import (
	"strings"
	"testing"
	"time"

	"github.com/gokeepalived/gokeepalived/pkg/config"
)

func cmdline(words ...string) []byte {
	var b []byte
	for _, w := range words {
		b = append(append(b, w...), 0)
	}
	return b
}

// TestProcMatch checks keepalived's matching (read_procs, check_params;
// keepalived.conf(5) vrrp_track_process).
func TestProcMatch(t *testing.T) {
	haproxy := ProcInfo{PID: 10, Comm: "haproxy", Cmdline: cmdline("/usr/sbin/haproxy", "-f", "/etc/haproxy.cfg")}
	tests := []struct {
		name string
		spec ProcSpec
		p    ProcInfo
		want bool
	}{
		{"name", ProcSpec{Process: "haproxy"}, haproxy, true},
		{"no pattern", ProcSpec{Process: "hapr"}, haproxy, false},
		{"name is not the path", ProcSpec{Process: "/usr/sbin/haproxy"}, haproxy, false},
		{"zombie", ProcSpec{Process: "haproxy"}, ProcInfo{Comm: "haproxy", Zombie: true}, false},
		{"full command is argv[0]", ProcSpec{Process: "/usr/sbin/haproxy", FullCommand: true}, haproxy, true},
		{"full command not the name", ProcSpec{Process: "haproxy", FullCommand: true}, haproxy, false},
		{"exact params", ProcSpec{Process: "/usr/sbin/haproxy", Params: []string{"-f", "/etc/haproxy.cfg"}, Match: MatchExact, FullCommand: true}, haproxy, true},
		{"exact params, one missing", ProcSpec{Process: "/usr/sbin/haproxy", Params: []string{"-f"}, Match: MatchExact, FullCommand: true}, haproxy, false},
		{"exact no params wanted", ProcSpec{Process: "/usr/sbin/haproxy", Match: MatchExact, FullCommand: true}, haproxy, false},
		{"exact no params", ProcSpec{Process: "/bin/x", Match: MatchExact, FullCommand: true}, ProcInfo{Cmdline: cmdline("/bin/x")}, true},
		{"exact no params, no NUL", ProcSpec{Process: "/bin/x", Match: MatchExact, FullCommand: true}, ProcInfo{Cmdline: []byte("/bin/x")}, true},
		{"partial", ProcSpec{Process: "/usr/sbin/haproxy", Params: []string{"-f"}, Match: MatchPartial, FullCommand: true}, haproxy, true},
		{"partial whole words", ProcSpec{Process: "/usr/sbin/haproxy", Params: []string{"-f", "/etc/hap"}, Match: MatchPartial, FullCommand: true}, haproxy, false},
		{"initial last word longer", ProcSpec{Process: "/usr/sbin/haproxy", Params: []string{"-f", "/etc/hap"}, Match: MatchInitial, FullCommand: true}, haproxy, true},
		{"initial earlier word must be whole", ProcSpec{Process: "/usr/sbin/haproxy", Params: []string{"-", "/etc/haproxy.cfg"}, Match: MatchInitial, FullCommand: true}, haproxy, false},
		{"initial no params", ProcSpec{Process: "/usr/sbin/haproxy", Match: MatchInitial, FullCommand: true}, haproxy, true},
		{"initial empty param", ProcSpec{Process: "/usr/sbin/haproxy", Params: []string{""}, Match: MatchInitial, FullCommand: true}, haproxy, true},
		{"params longer than the line", ProcSpec{Process: "/usr/sbin/haproxy", Params: []string{"-f", "/etc/haproxy.cfg", "-x"}, Match: MatchPartial, FullCommand: true}, haproxy, false},
		{"kernel thread", ProcSpec{Process: "", FullCommand: true}, ProcInfo{Comm: "kthreadd"}, true},
	}
	for _, tt := range tests {
		if got := tt.spec.match(tt.p); got != tt.want {
			t.Errorf("%s: match = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestProcSpecFrom(t *testing.T) {
	s := procSpecFrom(&config.TrackProcess{Name: "p", Process: "x", Params: []string{"a"}, ParamMatch: "initial",
		Quorum: 2, QuorumMax: config.QuorumUnlimited, ForkDelayUsec: 1500000, TerminateDelayUsec: 250000, FullCommand: true})
	if s.Match != MatchInitial || s.QuorumMax != -1 || s.ForkDelay != 1500*time.Millisecond || s.TerminateDelay != 250*time.Millisecond || !s.FullCommand {
		t.Errorf("procSpecFrom = %+v", s)
	}
}

type procStep struct {
	at   time.Duration
	do   func(tb *procTable, now time.Time) []Action
	want []string
}

func scan(procs ...ProcInfo) func(*procTable, time.Time) []Action {
	return func(tb *procTable, now time.Time) []Action { return tb.Scan(procs, now, false) }
}
func fork(parent, child int) func(*procTable, time.Time) []Action {
	return func(tb *procTable, now time.Time) []Action { return tb.Fork(parent, child, now) }
}
func execP(p ProcInfo) func(*procTable, time.Time) []Action {
	return func(tb *procTable, now time.Time) []Action { return tb.Exec(p, true, now) }
}
func exit(pid int) func(*procTable, time.Time) []Action {
	return func(tb *procTable, now time.Time) []Action { return tb.Exit(pid, now) }
}
func comm(pid int, c string) func(*procTable, time.Time) []Action {
	return func(tb *procTable, now time.Time) []Action { return tb.Comm(pid, c, now) }
}
func tick(tb *procTable, now time.Time) []Action { return tb.Tick(now) }

func nginx(pid int) ProcInfo { return ProcInfo{PID: pid, Comm: "nginx"} }

const (
	gained = "Quorum gained for tracked process p"
	lost   = "Quorum lost for tracked process p"
	pUp    = "STATUS p up"
	pDown  = "STATUS p down"
)

func runProcSteps(t *testing.T, spec ProcSpec, start []ProcInfo, steps []procStep) {
	t.Helper()
	spec.Name = "p"
	tb := newProcTable([]ProcSpec{spec})
	tb.Scan(start, t0, true)
	for i, st := range steps {
		got := render(st.do(tb, t0.Add(st.at)))
		if strings.Join(got, "|") != strings.Join(st.want, "|") {
			t.Fatalf("step %d at %v: got %q, want %q", i, st.at, got, st.want)
		}
	}
}

func TestProcQuorum(t *testing.T) {
	t.Run("one process", func(t *testing.T) {
		runProcSteps(t, ProcSpec{Process: "nginx", Quorum: 1, QuorumMax: -1}, nil, []procStep{
			{0, fork(1, 100), nil}, // an untracked parent
			{0, execP(nginx(100)), []string{gained, pUp}},
			{0, fork(100, 101), nil}, // a second one: no change
			{0, exit(100), nil},
			{0, exit(101), []string{lost, pDown}},
			{0, exit(101), nil}, // already gone
		})
	})
	t.Run("quorum and quorum_max", func(t *testing.T) {
		runProcSteps(t, ProcSpec{Process: "nginx", Quorum: 2, QuorumMax: 3}, []ProcInfo{nginx(10)}, []procStep{
			{0, execP(nginx(11)), []string{gained, pUp}},
			{0, execP(nginx(12)), nil},
			{0, execP(nginx(13)), []string{lost, pDown}}, // 4 > quorum_max
			{0, exit(10), []string{gained, pUp}},         // back to 3
			{0, execP(ProcInfo{PID: 11, Comm: "other"}), nil},
			{0, comm(12, "renamed"), []string{lost, pDown}}, // 1 left
			{0, comm(12, "nginx"), []string{gained, pUp}},
		})
	})
	t.Run("quorum_max 0: failure while running", func(t *testing.T) {
		runProcSteps(t, ProcSpec{Process: "nginx", Quorum: 0, QuorumMax: 0}, nil, []procStep{
			{0, execP(nginx(10)), []string{lost, pDown}},
			{0, exit(10), []string{gained, pUp}},
		})
	})
	t.Run("re-exec is counted once", func(t *testing.T) {
		runProcSteps(t, ProcSpec{Process: "nginx", Quorum: 1, QuorumMax: 1}, []ProcInfo{nginx(10)}, []procStep{
			{0, execP(nginx(10)), nil},
			{0, exit(10), []string{lost, pDown}},
		})
	})
	t.Run("fork_delay holds a quorum gained by a fork", func(t *testing.T) {
		runProcSteps(t, ProcSpec{Process: "nginx", Quorum: 2, QuorumMax: -1, ForkDelay: time.Second}, []ProcInfo{nginx(10)}, []procStep{
			{0, fork(10, 11), nil},
			{500 * time.Millisecond, tick, nil},
			{time.Second, tick, []string{gained, pUp}},
		})
	})
	t.Run("fork then exec away within fork_delay: no bounce", func(t *testing.T) {
		runProcSteps(t, ProcSpec{Process: "nginx", Quorum: 2, QuorumMax: -1, ForkDelay: time.Second}, []ProcInfo{nginx(10)}, []procStep{
			{0, fork(10, 11), nil},
			{100 * time.Millisecond, execP(ProcInfo{PID: 11, Comm: "sh"}), nil},
			{2 * time.Second, tick, nil},
		})
	})
	t.Run("exec is not delayed by fork_delay", func(t *testing.T) {
		runProcSteps(t, ProcSpec{Process: "nginx", Quorum: 1, QuorumMax: -1, ForkDelay: time.Second}, nil, []procStep{
			{0, execP(nginx(10)), []string{gained, pUp}},
		})
	})
	t.Run("terminate_delay holds a quorum lost by an exit", func(t *testing.T) {
		runProcSteps(t, ProcSpec{Process: "nginx", Quorum: 1, QuorumMax: -1, TerminateDelay: time.Second}, []ProcInfo{nginx(10)}, []procStep{
			{0, exit(10), nil},
			{999 * time.Millisecond, tick, nil},
			{time.Second, tick, []string{lost, pDown}},
		})
	})
	t.Run("respawn within terminate_delay: no bounce", func(t *testing.T) {
		runProcSteps(t, ProcSpec{Process: "nginx", Quorum: 1, QuorumMax: -1, TerminateDelay: time.Second}, []ProcInfo{nginx(10)}, []procStep{
			{0, exit(10), nil},
			{200 * time.Millisecond, execP(nginx(20)), nil},
			{2 * time.Second, tick, nil},
		})
	})
	t.Run("rescan", func(t *testing.T) {
		runProcSteps(t, ProcSpec{Process: "nginx", Quorum: 2, QuorumMax: -1, TerminateDelay: time.Second}, []ProcInfo{nginx(10)}, []procStep{
			{0, scan(nginx(10), nginx(11)), []string{"Process p, number of current processes changed from 1 to 2, quorum up [detail]", gained, pUp}},
			{0, scan(nginx(10), nginx(11), nginx(12)), []string{"Process p, number of current processes changed from 2 to 3 [detail]"}},
			{0, scan(nginx(10)), []string{"Process p, number of current processes changed from 3 to 1, quorum down [detail]"}},
			{500 * time.Millisecond, scan(nginx(10)), nil},
			{time.Second, tick, []string{lost, pDown}},
			{time.Second, scan(nginx(10)), nil},
		})
	})
	t.Run("rescan back before terminate_delay", func(t *testing.T) {
		runProcSteps(t, ProcSpec{Process: "nginx", Quorum: 1, QuorumMax: -1, TerminateDelay: time.Second}, []ProcInfo{nginx(10)}, []procStep{
			{0, scan(), []string{"Process p, number of current processes changed from 1 to 0, quorum down [detail]"}},
			{500 * time.Millisecond, scan(nginx(11)), []string{"Process p, number of current processes changed from 0 to 1 [detail]"}},
			{2 * time.Second, tick, nil},
		})
	})
}

func TestProcTableInitialNext(t *testing.T) {
	tb := newProcTable([]ProcSpec{{Name: "a", Process: "nginx", Quorum: 1, QuorumMax: -1, TerminateDelay: time.Second},
		{Name: "b", Process: "/usr/bin/x", FullCommand: true, Params: []string{"yy"}, Match: MatchExact, Quorum: 1, QuorumMax: -1}})
	if comm, n := tb.needs(); !comm || n != len("/usr/bin/x")+1+3+1 {
		t.Errorf("needs = %v %d", comm, n)
	}
	tb.Scan([]ProcInfo{nginx(5)}, t0, true)
	got := tb.Initial()
	if len(got) != 2 || !got[0].Up || got[1].Up {
		t.Fatalf("Initial = %+v", got)
	}
	if _, ok := tb.Next(); ok {
		t.Error("a deadline without delays")
	}
	tb.Exit(5, t0)
	if next, ok := tb.Next(); !ok || !next.Equal(t0.Add(time.Second)) {
		t.Errorf("Next = %v %v, want t0+1s", next, ok)
	}
}

func TestProcTableReload(t *testing.T) {
	keep := ProcSpec{Name: "keep", Process: "nginx", Quorum: 1, QuorumMax: -1}
	change := ProcSpec{Name: "change", Process: "nginx", Quorum: 1, QuorumMax: -1}
	tb := newProcTable([]ProcSpec{keep, change})
	tb.Scan([]ProcInfo{nginx(5)}, t0, true)
	// The process table knows pid 5; the new scan says otherwise, which
	// only a new or changed spec looks at.
	change2 := change
	change2.Process = "haproxy"
	fresh := ProcSpec{Name: "fresh", Process: "haproxy", Quorum: 2, QuorumMax: -1}
	procs := []ProcInfo{{PID: 6, Comm: "haproxy"}}
	got := tb.Reload([]ProcSpec{keep, change2, fresh}, procs)
	if len(got) != 2 || got[0].Name != "change" || !got[0].Up || got[1].Name != "fresh" || got[1].Up {
		t.Fatalf("Reload = %+v", got)
	}
	if st, _ := tb.Status("keep"); !st.Up {
		t.Error("keep lost its verdict")
	}
	// keep still counts pid 5.
	if acts := render(tb.Exit(5, t0)); strings.Join(acts, "|") != "Quorum lost for tracked process keep|STATUS keep down" {
		t.Errorf("exit of a kept process = %q", acts)
	}
	if acts := render(tb.Exec(ProcInfo{PID: 7, Comm: "haproxy"}, true, t0)); strings.Join(acts, "|") != "Quorum gained for tracked process fresh|STATUS fresh up" {
		t.Errorf("second haproxy = %q", acts)
	}
}
