package track

import (
	"bytes"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/vrrp"
	"github.com/gokeepalived/gokeepalived/pkg/config"
)

// ParamMatch is how a vrrp_track_process compares a process's parameters
// with the configured ones.
type ParamMatch uint8

// Parameter matching (keepalived's param_match).
const (
	MatchNone    ParamMatch = iota // parameters not looked at
	MatchExact                     // exactly the configured parameters (none if none)
	MatchPartial                   // the configured parameters first, more may follow
	MatchInitial                   // as partial, and the last one may be longer
)

// ProcSpec is one vrrp_track_process.
type ProcSpec struct {
	Name string
	// Process is compared with the process name (/proc/PID/stat's comm,
	// at most 15 characters) or, with FullCommand, with argv[0].
	Process     string
	Params      []string
	Match       ParamMatch
	FullCommand bool
	// Quorum..QuorumMax processes make the quorum; QuorumMax < 0 is no
	// upper limit.
	Quorum, QuorumMax int
	// ForkDelay holds back a quorum gained by a fork, TerminateDelay one
	// lost by an exit.
	ForkDelay, TerminateDelay time.Duration
}

func procSpecFrom(p *config.TrackProcess) ProcSpec {
	s := ProcSpec{
		Name: p.Name, Process: p.Process, Params: p.Params, FullCommand: p.FullCommand,
		Quorum: p.Quorum, QuorumMax: p.QuorumMax,
		ForkDelay:      time.Duration(p.ForkDelayUsec) * time.Microsecond,
		TerminateDelay: time.Duration(p.TerminateDelayUsec) * time.Microsecond,
	}
	switch p.ParamMatch {
	case "exact":
		s.Match = MatchExact
	case "partial":
		s.Match = MatchPartial
	case "initial":
		s.Match = MatchInitial
	}
	if p.QuorumMax == config.QuorumUnlimited {
		s.QuorumMax = -1
	}
	return s
}

// params is the configured parameters as they appear in
// /proc/PID/cmdline: each followed by a NUL.
func (s *ProcSpec) params() []byte {
	var b []byte
	for _, p := range s.Params {
		b = append(append(b, p...), 0)
	}
	return b
}

// cmdlineLen is how much of a command line the spec needs: argv[0] and
// the parameters with their NULs, plus one byte to tell a longer line
// (keepalived reads vrrp_max_process_name_len + 1 bytes).
func (s *ProcSpec) cmdlineLen() int {
	return len(s.Process) + 1 + len(s.params()) + 1
}

// ProcInfo is what the tracker knows of one process.
type ProcInfo struct {
	PID  int
	Comm string
	// Cmdline is /proc/PID/cmdline (NUL-separated words), possibly cut
	// to the length the specs need.
	Cmdline []byte
	Zombie  bool
}

// match tells whether a process counts for the spec (keepalived's
// read_procs / check_process): an exact match of the name — no pattern,
// "ssh" does not match sshd — and, with param_match, of the parameters.
func (s *ProcSpec) match(p ProcInfo) bool {
	if p.Zombie {
		return false
	}
	if !s.FullCommand {
		return p.Comm == s.Process
	}
	argv0, rest := p.Cmdline, []byte(nil)
	if i := bytes.IndexByte(p.Cmdline, 0); i >= 0 {
		argv0, rest = p.Cmdline[:i], p.Cmdline[i+1:]
	}
	if string(argv0) != s.Process {
		return false
	}
	if s.Match == MatchNone {
		return true
	}
	return checkParams(s.Match, s.params(), rest)
}

// checkParams is keepalived's check_params: want is the configured
// parameters, got the process's, both NUL-terminated words.
func checkParams(m ParamMatch, want, got []byte) bool {
	switch {
	case m == MatchExact && len(want) == 0 && len(got) == 0:
		return true
	case len(got) < len(want):
		return false
	case m == MatchExact:
		return bytes.Equal(got, want)
	case len(want) == 0:
		return true
	case m == MatchPartial:
		return bytes.HasPrefix(got, want)
	}
	// Initial: the last word may go on (its NUL is not compared).
	return len(want) == 1 || bytes.HasPrefix(got, want[:len(want)-1])
}

// procCounter counts the processes of one spec and holds its quorum.
type procCounter struct {
	spec   ProcSpec
	num    int
	up     bool
	forkAt time.Time // a quorum gained by a fork, confirmed then
	termAt time.Time // a quorum lost by an exit, confirmed then
}

func (c *procCounter) inRange(n int) bool {
	return n >= c.spec.Quorum && (c.spec.QuorumMax < 0 || n <= c.spec.QuorumMax)
}

func (c *procCounter) status() Status {
	return Status{Kind: vrrp.KindProcess, Name: c.spec.Name, Up: c.up}
}

// set reports a new quorum verdict.
func (c *procCounter) set(up bool) []Action {
	c.forkAt, c.termAt = time.Time{}, time.Time{}
	if up == c.up {
		return nil
	}
	c.up = up
	word := "lost"
	if up {
		word = "gained"
	}
	return []Action{logAct(info(fmtQuorum, word, c.spec.Name)), statusAct(c.status())}
}

// How a process came or went: a fork and an exit may be held back by
// fork_delay / terminate_delay; an exec or a change of name is applied at
// once (keepalived's check_process and check_process_comm_change).
const (
	viaExec = iota
	viaFork
	viaExit
)

// add counts one more process. The verdict only moves when the count
// crosses quorum or quorum_max.
func (c *procCounter) add(now time.Time, via int) []Action {
	was := c.inRange(c.num)
	c.num++
	if c.inRange(c.num) == was {
		return nil
	}
	if !c.termAt.IsZero() {
		// Back before terminate_delay ran out: no bounce.
		return c.set(c.inRange(c.num))
	}
	if via == viaFork && c.spec.ForkDelay > 0 {
		c.forkAt = now.Add(c.spec.ForkDelay)
		return nil
	}
	return c.set(c.inRange(c.num))
}

// remove counts one process less.
func (c *procCounter) remove(now time.Time, via int) []Action {
	was := c.inRange(c.num)
	c.num--
	if c.inRange(c.num) == was {
		return nil
	}
	if !c.forkAt.IsZero() {
		return c.set(c.inRange(c.num))
	}
	if via == viaExit && c.spec.TerminateDelay > 0 {
		c.termAt = now.Add(c.spec.TerminateDelay)
		return nil
	}
	return c.set(c.inRange(c.num))
}

// procTable is keepalived's process tree for vrrp_track_process: which
// processes count for which spec, fed by a /proc scan and then by the
// kernel's process events (fork, exec, comm, exit). It is a pure value:
// events in, actions out, timers as deadlines (Next/Tick).
//
// One difference from keepalived 2.2.7: a process that execs and still
// matches is counted once (keepalived counts it again, so a process that
// re-executes itself would count twice until it exits).
type procTable struct {
	counters []*procCounter
	pids     map[int][]int // pid → the counters that count it
}

func newProcTable(specs []ProcSpec) *procTable {
	t := &procTable{pids: map[int][]int{}}
	for _, s := range specs {
		t.counters = append(t.counters, &procCounter{spec: s})
	}
	return t
}

// needs says which /proc files a process's identity is read from: the
// name for specs that compare it, the command line (and how much of it)
// for full_command specs.
func (t *procTable) needs() (comm bool, cmdline int) {
	for _, c := range t.counters {
		if c.spec.FullCommand {
			cmdline = max(cmdline, c.spec.cmdlineLen())
		} else {
			comm = true
		}
	}
	return comm, cmdline
}

// Initial is every spec's verdict.
func (t *procTable) Initial() []Status {
	out := make([]Status, 0, len(t.counters))
	for _, c := range t.counters {
		out = append(out, c.status())
	}
	return out
}

func (t *procTable) counts(pid, i int) bool {
	for _, j := range t.pids[pid] {
		if j == i {
			return true
		}
	}
	return false
}

func (t *procTable) drop(pid, i int) {
	l := t.pids[pid]
	for k, j := range l {
		if j == i {
			l = append(l[:k], l[k+1:]...)
			break
		}
	}
	if len(l) == 0 {
		delete(t.pids, pid)
	} else {
		t.pids[pid] = l
	}
}

// Scan replaces the table with a full view of the running processes. The
// first scan sets each verdict silently (keepalived's start-up read);
// later ones (a resynchronisation after lost events, or the periodic scan
// where process events cannot be had) report a count that changed with
// keepalived's detail line, raise a gained quorum at once and hold a lost
// one for terminate_delay, as keepalived's reinitialise_track_processes.
func (t *procTable) Scan(procs []ProcInfo, now time.Time, initial bool) []Action {
	old := make([]int, len(t.counters))
	for i, c := range t.counters {
		old[i], c.num = c.num, 0
	}
	t.pids = map[int][]int{}
	for _, p := range procs {
		for i, c := range t.counters {
			if c.spec.match(p) {
				t.pids[p.PID] = append(t.pids[p.PID], i)
				c.num++
			}
		}
	}
	var acts []Action
	for i, c := range t.counters {
		in := c.inRange(c.num)
		if initial {
			c.up = in
			continue
		}
		suffix := ""
		switch {
		case in == c.up:
			c.forkAt, c.termAt = time.Time{}, time.Time{}
		case in:
			suffix = procCountUp
		default:
			suffix = procCountDown
		}
		if old[i] != c.num {
			acts = append(acts, logAct(detail(fmtProcCount, c.spec.Name, old[i], c.num, suffix)))
		}
		switch {
		case suffix == procCountUp:
			acts = append(acts, c.set(true)...)
		case suffix == procCountDown && c.spec.TerminateDelay == 0:
			acts = append(acts, c.set(false)...)
		case suffix == procCountDown && c.termAt.IsZero():
			c.forkAt, c.termAt = time.Time{}, now.Add(c.spec.TerminateDelay)
		}
	}
	return acts
}

// Fork: a child of a counted process counts for the same specs (it has
// the parent's name and command line until it execs).
func (t *procTable) Fork(parent, child int, now time.Time) []Action {
	var acts []Action
	for _, i := range append([]int(nil), t.pids[parent]...) {
		if t.counts(child, i) {
			continue
		}
		t.pids[child] = append(t.pids[child], i)
		acts = append(acts, t.counters[i].add(now, viaFork)...)
	}
	return acts
}

// Exec: a process ran a new program; p is what /proc says of it now (ok
// false when it could not be read: the process is already gone, and its
// exit will follow).
func (t *procTable) Exec(p ProcInfo, ok bool, now time.Time) []Action {
	if !ok {
		return nil
	}
	return t.recheck(p, now, func(*procCounter) bool { return true })
}

// Comm: a process changed its name (prctl PR_SET_NAME); only the specs
// that compare names are affected.
func (t *procTable) Comm(pid int, comm string, now time.Time) []Action {
	p := ProcInfo{PID: pid, Comm: comm}
	return t.recheck(p, now, func(c *procCounter) bool { return !c.spec.FullCommand })
}

func (t *procTable) recheck(p ProcInfo, now time.Time, affected func(*procCounter) bool) []Action {
	var acts []Action
	for i, c := range t.counters {
		if !affected(c) {
			continue
		}
		counted, match := t.counts(p.PID, i), c.spec.match(p)
		switch {
		case match && !counted:
			t.pids[p.PID] = append(t.pids[p.PID], i)
			acts = append(acts, c.add(now, viaExec)...)
		case !match && counted:
			t.drop(p.PID, i)
			acts = append(acts, c.remove(now, viaExec)...)
		}
	}
	return acts
}

// Exit: a process ended.
func (t *procTable) Exit(pid int, now time.Time) []Action {
	var acts []Action
	for _, i := range t.pids[pid] {
		acts = append(acts, t.counters[i].remove(now, viaExit)...)
	}
	delete(t.pids, pid)
	return acts
}

// Next is the earliest pending delay.
func (t *procTable) Next() (time.Time, bool) {
	var next time.Time
	for _, c := range t.counters {
		for _, at := range [...]time.Time{c.forkAt, c.termAt} {
			if !at.IsZero() && (next.IsZero() || at.Before(next)) {
				next = at
			}
		}
	}
	return next, !next.IsZero()
}

// Tick settles the delays that ran out: the verdict is then what the
// count says.
func (t *procTable) Tick(now time.Time) []Action {
	var acts []Action
	for _, c := range t.counters {
		if (!c.forkAt.IsZero() && !c.forkAt.After(now)) || (!c.termAt.IsZero() && !c.termAt.After(now)) {
			acts = append(acts, c.set(c.inRange(c.num))...)
		}
	}
	return acts
}

// Status is a spec's verdict.
func (t *procTable) Status(name string) (Status, bool) {
	for _, c := range t.counters {
		if c.spec.Name == name {
			return c.status(), true
		}
	}
	return Status{}, false
}

// Reload takes new specs. A spec whose matching is unchanged keeps its
// processes and verdict (its delays follow the new configuration); a
// new or changed one is counted from procs, silently, as keepalived sets
// the verdicts of a reload without a "Quorum" line. It returns the
// statuses of the new and changed specs.
func (t *procTable) Reload(specs []ProcSpec, procs []ProcInfo) []Status {
	old := t
	nt := newProcTable(specs)
	var fresh []int
	var out []Status
	for i, c := range nt.counters {
		kept := false
		for j, oc := range old.counters {
			if oc.spec.Name != c.spec.Name || !sameMatch(oc.spec, c.spec) {
				continue
			}
			// A delay under way goes on: the verdict and the count
			// may differ until it runs out.
			c.num, c.up, c.forkAt, c.termAt, kept = oc.num, oc.up, oc.forkAt, oc.termAt, true
			if c.forkAt.IsZero() && c.termAt.IsZero() && c.inRange(c.num) != c.up {
				c.up = c.inRange(c.num)
				out = append(out, c.status())
			}
			for pid, l := range old.pids {
				for _, k := range l {
					if k == j {
						nt.pids[pid] = append(nt.pids[pid], i)
					}
				}
			}
		}
		if !kept {
			fresh = append(fresh, i)
		}
	}
	for _, i := range fresh {
		c := nt.counters[i]
		for _, p := range procs {
			if c.spec.match(p) {
				nt.pids[p.PID] = append(nt.pids[p.PID], i)
				c.num++
			}
		}
		c.up = c.inRange(c.num)
		out = append(out, c.status())
	}
	*t = *nt
	return out
}

func sameMatch(a, b ProcSpec) bool {
	if a.Process != b.Process || a.Match != b.Match || a.FullCommand != b.FullCommand ||
		a.Quorum != b.Quorum || a.QuorumMax != b.QuorumMax || len(a.Params) != len(b.Params) {
		return false
	}
	for i := range a.Params {
		if a.Params[i] != b.Params[i] {
			return false
		}
	}
	return true
}
