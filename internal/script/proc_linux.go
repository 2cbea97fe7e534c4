package script

import (
	"fmt"
	"os"
	"sync"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// Escalation stages of a program that is being stopped.
const (
	stageRun  = iota // running, no signal sent
	stageTerm        // its group got SIGTERM
	stageKill        // its group got SIGKILL
)

// proc is one program, from Start to done.
type proc struct {
	r    *Runner
	c    Cmd
	done func(Result)

	pid   int
	pidfd int // -1 when the kernel gives none
	start time.Time

	mu       sync.Mutex
	exited   bool // the leader has exited: only its group is signalled now
	stage    int
	timedOut bool
	killed   bool
	stopped  bool
	stopReq  bool // StartStoppable's stop was called
	timer    *time.Timer
	gen      int       // arming count: a timer of an older arming is stale
	due      time.Time // when the armed timer fires
}

// launch forks and execs the program; it runs on the forker thread.
func (p *proc) launch() {
	r := p.r
	if r.nullErr != nil {
		go p.report(Result{Err: fmt.Errorf("run %s: %w", p.c.Argv[0], r.nullErr)})
		return
	}
	base := r.opts.Env
	if base == nil {
		base = os.Environ()
	}
	env := buildEnv(base, p.c.Env)
	argv := p.c.Argv
	var path string
	if isFileTest(argv) {
		path, argv = shellBin, []string{"sh", "-c", shellLine(argv)}
	} else {
		search, ok := lookupEnv(base, "PATH")
		if !ok {
			search = csPath
		}
		uid, gid := uint32(os.Geteuid()), uint32(os.Getegid())
		if p.c.Cred != nil {
			uid, gid = p.c.Cred.UID, p.c.Cred.GID
		}
		var err error
		if path, err = lookPath(argv[0], search, uid, gid); err != nil {
			go p.report(Result{Err: fmt.Errorf("run %s: %w", argv[0], err)})
			return
		}
		// keepalived runs the path it found as argv[0].
		argv = append([]string{path}, argv[1:]...)
	}
	pidfd := -1
	attr := &syscall.ProcAttr{
		Dir:   r.opts.Dir,
		Env:   env,
		Files: []uintptr{r.null.Fd(), r.null.Fd(), r.null.Fd()},
		Sys: &syscall.SysProcAttr{
			Setpgid:    true,
			Pdeathsig:  deathSignal,
			Credential: credential(p.c.Cred),
			PidFD:      &pidfd,
		},
	}
	// The daemon inherited descriptors without close-on-exec (the
	// children's IPC pipes are two): a program must not hold them.
	cloexecInherited()
	p.mu.Lock()
	if p.stopReq {
		p.mu.Unlock()
		go p.report(Result{Err: ErrStopped})
		return
	}
	p.start = time.Now()
	pid, err := syscall.ForkExec(path, argv, attr)
	if err != nil {
		p.mu.Unlock()
		go p.report(Result{Err: fmt.Errorf("run %s: %w", path, err)})
		return
	}
	p.pid, p.pidfd = pid, pidfd
	// The timeout is armed before Close can see the program, so that a
	// halt is never overridden by it.
	if p.c.Timeout > 0 {
		p.arm(p.c.Timeout)
	}
	p.mu.Unlock()

	r.mu.Lock()
	r.procs[p] = struct{}{}
	closed, grace := r.closed, r.closeGrace
	r.mu.Unlock()
	p.mu.Lock()
	if closed {
		p.haltLocked(grace)
	}
	if p.stopReq {
		p.haltLocked(r.grace)
	}
	p.mu.Unlock()
	go p.wait()
}

// report hands a program that never ran its Result.
func (p *proc) report(res Result) {
	if p.done != nil {
		p.done(res)
	}
	p.r.finish(p)
}

// arm sets the timer for the next escalation step; p.mu is held.
func (p *proc) arm(d time.Duration) {
	if p.timer != nil {
		p.timer.Stop()
	}
	p.gen++
	gen := p.gen
	p.due = time.Now().Add(d)
	p.timer = time.AfterFunc(d, func() { p.fire(gen) })
}

// fire is the timer: the timeout (SIGTERM), the end of the grace
// (SIGKILL), or a program still there after SIGKILL.
func (p *proc) fire(gen int) {
	p.mu.Lock()
	if p.exited || gen != p.gen {
		p.mu.Unlock()
		return
	}
	stuck := false
	switch p.stage {
	case stageRun:
		p.timedOut = true
		p.signalLocked(syscall.SIGTERM)
		p.stage = stageTerm
		p.arm(p.r.grace)
	case stageTerm:
		p.killed = true
		p.signalLocked(syscall.SIGKILL)
		p.stage = stageKill
		p.arm(stuckAfter)
	default:
		stuck = true
		p.signalLocked(syscall.SIGKILL)
		p.arm(stuckEvery)
	}
	p.mu.Unlock()
	if stuck && p.r.opts.Stuck != nil {
		p.r.opts.Stuck(p.c, p.pid)
	}
}

// halt is Close for one program: SIGTERM to its group now, SIGKILL after
// grace unless it is already further along.
func (p *proc) halt(grace time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.haltLocked(grace)
}

// stopOne is the stop function of StartStoppable: a program not forked
// yet never starts; a running one is halted.
func (p *proc) stopOne() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.stopReq = true
	if p.pid > 0 {
		p.haltLocked(p.r.grace)
	}
}

func (p *proc) haltLocked(grace time.Duration) {
	if p.exited {
		return
	}
	p.stopped = true
	switch p.stage {
	case stageRun:
		p.signalLocked(syscall.SIGTERM)
		p.stage = stageTerm
		p.arm(grace)
	case stageTerm:
		if time.Now().Add(grace).Before(p.due) {
			p.arm(grace)
		}
	}
}

// signalLocked sends sig to the program's process group, and to the
// program itself in case it left the group (setsid, setpgid). p.mu is
// held and the program not yet reaped, so its pid — and the group id,
// which is the same number — cannot belong to anyone else yet.
func (p *proc) signalLocked(sig syscall.Signal) {
	_ = unix.Kill(-p.pid, sig)
	if !p.exited {
		_ = unix.Kill(p.pid, sig)
	}
}

// wait waits for the program to exit, finishes off its group if it was
// being stopped, reaps it and reports.
func (p *proc) wait() {
	err := p.waitExit()
	p.mu.Lock()
	if p.timer != nil {
		p.timer.Stop()
	}
	// The leader is a zombie now: its pid and group id are still ours.
	// keepalived SIGKILLs the group of a script that died of its SIGTERM
	// so that the children it left die too; we do so for every program we
	// were stopping, however its leader ended. A program that ended by
	// itself keeps its background children (a notify script may leave a
	// mailer running), as with keepalived.
	p.exited = true
	if p.timedOut || p.stopped {
		_ = unix.Kill(-p.pid, syscall.SIGKILL)
	}
	res := Result{Pid: p.pid, TimedOut: p.timedOut, Killed: p.killed, Stopped: p.stopped}
	p.mu.Unlock()

	var ws syscall.WaitStatus
	for {
		_, werr := syscall.Wait4(p.pid, &ws, 0, nil)
		if werr == syscall.EINTR {
			continue
		}
		if err == nil {
			err = werr
		}
		break
	}
	res.Elapsed = time.Since(p.start)
	switch {
	case err != nil:
		res.Err = fmt.Errorf("wait for %s (pid %d): %w", p.c.Argv[0], p.pid, err)
	case ws.Exited():
		res.Exited, res.Status = true, ws.ExitStatus()
	case ws.Signaled():
		res.Signal = ws.Signal()
	}
	p.report(res)
}

// waitExit returns once the program has exited, without reaping it
// (WNOWAIT), so that its group can still be signalled safely. With a
// pidfd the wait is a goroutine parked on the runtime's poller (a pidfd
// becomes readable when its process exits), not a thread blocked in the
// kernel: hundreds of programs cost hundreds of goroutines, not threads.
// Without one (kernel before 5.4) a blocking waitid does the same.
func (p *proc) waitExit() error {
	if fd := p.pidfd; fd >= 0 {
		p.pidfd = -1
		if err := p.pollExit(fd); err == nil {
			return nil
		}
	}
	_, err := peekExit(unix.P_PID, p.pid, 0)
	return err
}

// pollExit waits on the pidfd through the poller, and closes it.
func (p *proc) pollExit(fd int) error {
	if err := unix.SetNonblock(fd, true); err != nil {
		unix.Close(fd)
		return err
	}
	f := os.NewFile(uintptr(fd), "pidfd")
	defer f.Close()
	rc, err := f.SyscallConn()
	if err != nil {
		return err
	}
	var werr error
	err = rc.Read(func(fd uintptr) bool {
		var exited bool
		exited, werr = peekExit(unix.P_PIDFD, int(fd), unix.WNOHANG)
		return exited || werr != nil
	})
	if err != nil {
		return err
	}
	return werr
}

// peekExit asks waitid whether the process has exited, leaving it
// waitable (WNOWAIT); with WNOHANG it does not block.
func peekExit(idtype, id, flags int) (bool, error) {
	for {
		var si unix.Siginfo
		err := unix.Waitid(idtype, id, &si, unix.WEXITED|unix.WNOWAIT|flags, nil)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return false, fmt.Errorf("waitid: %w", err)
		}
		// The kernel leaves si_signo 0 when nothing has exited yet.
		return si.Signo == int32(unix.SIGCHLD), nil
	}
}
