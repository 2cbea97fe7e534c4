package track

import (
	"errors"
	"reflect"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/script"
	"github.com/gokeepalived/gokeepalived/internal/vrrp"
)

// ScriptSpec is one vrrp_script as the scheduler runs it.
type ScriptSpec struct {
	Name string
	// Cmd is the program; its Timeout is the script's timeout, or its
	// interval when none is configured (keepalived gives a run
	// "timeout ? timeout : interval").
	Cmd      script.Cmd
	Interval time.Duration
	Rise     int
	Fall     int
	InitFail bool
}

// ActionKind says what an Action asks for.
type ActionKind uint8

// Actions of the pure trackers.
const (
	// ActRun: start Cmd now; give its result back with Run.
	ActRun ActionKind = iota
	// ActStatus: the object's status changed (Status).
	ActStatus
	// ActLog: log Line.
	ActLog
)

// Action is an output of a pure tracker.
type Action struct {
	Kind   ActionKind
	Name   string
	Run    uint64
	Cmd    script.Cmd
	Status Status
	Line   Line
}

func logAct(l Line) Action { return Action{Kind: ActLog, Line: l} }

// initState is keepalived's script init_state: whether the script has
// produced a result since the daemon (or a reload) started it.
type initState uint8

const (
	initStart  initState = iota // SCRIPT_INIT_STATE_INIT
	initReload                  // SCRIPT_INIT_STATE_INIT_RELOAD: new in a reload
	initFailed                  // init_fail, no result yet
	initDone
)

type scriptState struct {
	spec ScriptSpec
	// result is keepalived's counter: 0..rise-1 is down (counting
	// successes towards rise), rise..rise+fall-1 is up (counting down
	// failures towards fall).
	result     int
	init       initState
	lastStatus int
	due        time.Time
	running    bool
	run        uint64
	runStart   time.Time
}

func (s *scriptState) up() bool { return s.result >= s.spec.Rise }

func (s *scriptState) top() int { return s.spec.Rise + s.spec.Fall - 1 }

// Scheduler decides when each vrrp_script runs and what its results mean,
// as keepalived 2.2.7's vrrp_script_thread / vrrp_script_child_thread:
// no goroutines and no clock, events in and actions out.
//
// A script runs at Start and then every interval (measured from the start
// of one run to the start of the next). A run that is still going at the
// next interval is not run again: the tick logs keepalived's "expect
// idle - skipping run" line and skips. (keepalived 2.2.7 logs that line
// and then starts a second copy anyway, a bug seen on Debian's build; we
// do what the line says.)
type Scheduler struct {
	scripts []*scriptState
	byName  map[string]*scriptState
	nextRun uint64
	started bool
}

// NewScheduler returns a scheduler for the scripts, none run yet.
func NewScheduler(specs []ScriptSpec) *Scheduler {
	s := &Scheduler{byName: map[string]*scriptState{}}
	for _, sp := range specs {
		s.add(newScriptState(sp, initStart))
	}
	return s
}

func newScriptState(sp ScriptSpec, init initState) *scriptState {
	sp.Rise, sp.Fall = max(sp.Rise, 1), max(sp.Fall, 1)
	if sp.Interval <= 0 {
		sp.Interval = time.Second
	}
	st := &scriptState{spec: sp, init: init}
	if sp.InitFail {
		// "assume failed by config": every success up to rise counts.
		st.init, st.result = initFailed, 0
	} else {
		// "one success is enough" for the first verdict.
		st.result = sp.Rise - 1
	}
	return st
}

func (s *Scheduler) add(st *scriptState) {
	s.scripts = append(s.scripts, st)
	s.byName[st.spec.Name] = st
}

// Initial is the status known before any run: init_fail scripts are down;
// the others are unknown until their first result.
func (s *Scheduler) Initial() []Status {
	var out []Status
	for _, st := range s.scripts {
		if st.init == initFailed {
			out = append(out, scriptStatus(st.spec.Name, false))
		}
	}
	return out
}

func scriptStatus(name string, up bool) Status {
	return Status{Kind: vrrp.KindScript, Name: name, Up: up}
}

// Start runs every script at once (keepalived queues each script's first
// run as an event at start-up).
func (s *Scheduler) Start(now time.Time) []Action {
	s.started = true
	for _, st := range s.scripts {
		st.due = now
	}
	return s.Tick(now)
}

// Next is when Tick must be called next.
func (s *Scheduler) Next() (time.Time, bool) {
	var next time.Time
	for _, st := range s.scripts {
		if !st.due.IsZero() && (next.IsZero() || st.due.Before(next)) {
			next = st.due
		}
	}
	return next, !next.IsZero()
}

// Tick starts the runs that are due.
func (s *Scheduler) Tick(now time.Time) []Action {
	var acts []Action
	for _, st := range s.scripts {
		if st.due.IsZero() || st.due.After(now) {
			continue
		}
		// keepalived re-arms the timer from the time the tick runs.
		st.due = now.Add(st.spec.Interval)
		if st.running {
			busy := busyRunning
			if t := st.spec.Cmd.Timeout; t > 0 && !now.Before(st.runStart.Add(t)) {
				busy = busyTimingOut
			}
			acts = append(acts, logAct(info(fmtScriptBusy, st.spec.Name, busy)))
			continue
		}
		s.nextRun++
		st.running, st.run, st.runStart = true, s.nextRun, now
		acts = append(acts, Action{Kind: ActRun, Name: st.spec.Name, Run: st.run, Cmd: st.spec.Cmd})
	}
	return acts
}

func (s *Scheduler) byRun(run uint64) *scriptState {
	for _, st := range s.scripts {
		if st.running && st.run == run {
			return st
		}
	}
	return nil
}

// NotRun reports that the runner refused to start run: the script stays
// idle and runs again at its next interval.
func (s *Scheduler) NotRun(run uint64, err error) []Action {
	st := s.byRun(run)
	if st == nil {
		return nil
	}
	st.running = false
	return []Action{logAct(info(fmtScriptNotRun, st.spec.Name, err))}
}

// Result gives the outcome of a run, judged as keepalived 2.2.7 does
// (script.Result's Succeeded, ExitCode and KeepalivedTimedOut): exit 0
// succeeds; a program that could not be executed also counts as a
// success (keepalived's forked child logs "Error exec-ing command" and
// exits 0, observed with a script deleted while keepalived runs); a
// non-zero exit, a signal and a timeout fail. A result for a run the
// scheduler no longer waits for (the script was removed or changed by a
// reload) is ignored, and so is a run the runner stopped because it is
// closing: the daemon is stopping.
func (s *Scheduler) Result(run uint64, res script.Result) []Action {
	st := s.byRun(run)
	if st == nil {
		return nil
	}
	st.running = false
	if res.Stopped || errors.Is(res.Err, script.ErrClosed) || errors.Is(res.Err, script.ErrStopped) {
		return nil
	}
	var acts []Action
	if res.Err != nil {
		n, msg := errnoText(res.Err)
		acts = append(acts, logAct(info(fmtExecError, first(st.spec.Cmd.Argv), n, msg)))
	}
	if code, ok := res.ExitCode(); ok {
		acts = append(acts, s.exitStatus(st, code)...)
	}
	kind, reason, code := exitSucceeded, "", 0
	switch {
	case res.Succeeded():
	case res.KeepalivedTimedOut():
		kind = exitTimedOut
	case res.Exited:
		kind, reason, code = exitFailed, reasonStatus, res.Status
	default:
		kind, reason, code = exitFailed, reasonSignal, int(res.Signal)
	}
	acts = append(acts, s.count(st, res.Succeeded(), kind, reason, code)...)
	st.init = initDone
	return acts
}

// exitStatus logs a change of the script's exit status (keepalived
// remembers the last one, initially 0).
func (s *Scheduler) exitStatus(st *scriptState, status int) []Action {
	if status == st.lastStatus {
		return nil
	}
	st.lastStatus = status
	return []Action{logAct(info(fmtScriptReturning, st.spec.Name, status))}
}

// count applies one result to keepalived's rise/fall counter; the verdict
// (and its log line) changes on the rise-th success counted from down, on
// the fall-th failure counted from up, and on the very first result of a
// script that starts unknown.
func (s *Scheduler) count(st *scriptState, ok bool, kind, reason string, code int) []Action {
	name := st.spec.Name
	if ok {
		switch {
		case st.result < st.spec.Rise-1:
			st.result++
		case st.result != st.top():
			wasDown := st.result < st.spec.Rise
			st.result = st.top()
			if wasDown {
				return []Action{logAct(info(fmtScriptResult, name, kind)), statusAct(scriptStatus(name, true))}
			}
		}
		return nil
	}
	if st.result > st.spec.Rise {
		st.result--
		return nil
	}
	wasUp := st.result == st.spec.Rise
	st.result = 0
	if !wasUp && st.init != initStart && st.init != initReload {
		return nil
	}
	line := info(fmtScriptResult, name, kind)
	if reason != "" {
		line = info(fmtScriptResultReason, name, kind, reason, code)
	}
	return []Action{logAct(line), statusAct(scriptStatus(name, false))}
}

func statusAct(st Status) Action { return Action{Kind: ActStatus, Name: st.Name, Status: st} }

// Status is a script's current verdict; known is false before its first
// result (unless init_fail).
func (s *Scheduler) Status(name string) (st Status, known bool) {
	sc := s.byName[name]
	if sc == nil || sc.init == initStart || sc.init == initReload {
		return Status{}, false
	}
	return scriptStatus(name, sc.up()), true
}

// Reload takes a new set of scripts (keepalived's clear_diff_script). A
// script of the same name keeps its verdict, its counter mapped onto the
// new rise/fall, and logs "considered (un)successful on reload"; one that
// has not produced a result yet stays unknown. A script whose command and
// interval are unchanged also keeps its schedule and a run in progress;
// a changed one runs at once with the new definition (the old run's
// result is ignored). New scripts start unknown and run at once;
// scripts no longer configured stop.
func (s *Scheduler) Reload(specs []ScriptSpec, now time.Time) []Action {
	old := s.byName
	s.scripts, s.byName = nil, map[string]*scriptState{}
	var acts []Action
	for _, sp := range specs {
		st := newScriptState(sp, initReload)
		o := old[sp.Name]
		if o != nil {
			acts = append(acts, carry(o, st)...)
			if sameRun(o.spec, st.spec) {
				st.due, st.running, st.run, st.runStart = o.due, o.running, o.run, o.runStart
			}
		}
		if s.started && st.due.IsZero() {
			st.due = now
		}
		s.add(st)
	}
	if s.started {
		acts = append(acts, s.Tick(now)...)
	}
	return acts
}

// carry moves an old script's state onto its new definition.
func carry(o, n *scriptState) []Action {
	switch o.init {
	case initStart:
		// No result yet: the start-up assumptions apply again.
		n.init, n.result = initStart, n.spec.Rise-1
		return nil
	case initReload:
		// New in the previous reload and still without a result.
		n.init, n.result = initReload, n.spec.Rise-1
		return nil
	}
	n.lastStatus, n.init = o.lastStatus, initDone
	if o.result < o.spec.Rise {
		n.result = 0
		if o.result > 0 {
			n.result = max(n.spec.Rise-(o.spec.Rise-o.result), 0)
		}
		return []Action{logAct(info(fmtScriptReload, n.spec.Name, "unsuccessful"))}
	}
	if o.result == o.top() {
		n.result = n.top()
	} else {
		n.result = min(n.spec.Rise+(o.result-o.spec.Rise), n.top())
	}
	return []Action{logAct(info(fmtScriptReload, n.spec.Name, "successful"))}
}

// sameRun tells whether a reloaded script runs the same program on the
// same schedule.
func sameRun(a, b ScriptSpec) bool {
	return a.Interval == b.Interval && reflect.DeepEqual(a.Cmd, b.Cmd)
}

func first(argv []string) string {
	if len(argv) == 0 {
		return ""
	}
	return argv[0]
}
