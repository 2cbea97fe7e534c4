package script

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"
	"sync"
	"syscall"
	"time"
)

// Errors Start returns for a misuse; everything that goes wrong with the
// program itself comes back in Result.Err instead.
var (
	ErrNoCommand = errors.New("script: empty command")
	ErrClosed    = errors.New("script: runner closed")
	// ErrStopped is the Result.Err of a program whose stop function was
	// called before it was forked.
	ErrStopped = errors.New("script: stopped before it started")
)

// keepalived 2.2.7's escalation for a vrrp_script or MISC_CHECK that
// outlives its timeout (vrrp_script_child_thread, observed with Debian's
// build): SIGTERM to the process group at the timeout, SIGKILL to the
// group 2 s later, and if the child still has not been reaped 2 s after
// that, "Script NAME child (PID N) failed to terminate after kill" and
// SIGKILL again every 10 s.
const defaultKillGrace = 2 * time.Second

// Variables so that tests can shorten them.
var (
	stuckAfter = 2 * time.Second
	stuckEvery = 10 * time.Second
)

// deathSignal is what a program gets if the daemon dies under it
// (keepalived: prctl(PR_SET_PDEATHSIG, SIGTERM) before execve).
const deathSignal = syscall.SIGTERM

// Options configure a Runner; the zero value is keepalived's behaviour.
type Options struct {
	// Env is the environment programs start from; nil means the daemon's
	// own (read at each start). LD_PRELOAD, LD_LIBRARY_PATH and IFS are
	// removed from it either way; each Cmd.Env is added.
	Env []string
	// Dir is the programs' working directory; "" means "/", where a
	// daemonized keepalived runs them. (keepalived -n keeps the directory
	// it was started in; the daemon may pass that.)
	Dir string
	// KillGrace is how long after a timeout's SIGTERM the group gets
	// SIGKILL; 0 means keepalived's 2 s.
	KillGrace time.Duration
	// Stuck, if set, is called when a program that was sent SIGKILL has
	// still not ended 2 s later, and every 10 s after that (keepalived
	// logs "Script %s child (PID %d) failed to terminate after kill").
	// It runs on a timer goroutine and must not block.
	Stuck func(c Cmd, pid int)
}

// Runner starts programs and reports how each ended. It is safe for
// concurrent use.
//
// Every program is forked by one goroutine that stays locked to its OS
// thread for the runner's life. PR_SET_PDEATHSIG fires when the *thread*
// that forked a child ends, not the process (go.dev/issue/27505), and the
// Go runtime ends a thread when a goroutine that locked it returns
// without unlocking — which other packages do on purpose to throw away a
// thread they moved into another network namespace. Forking from a
// goroutine of our own that never returns while programs run keeps such
// a thread from ever having been the parent of a program.
//
// Reaping: each program is waited for by its pid, never with wait(-1), so
// the runner takes nothing from other users of os/exec in the process.
// A program's own children that outlive it are re-parented to init (or to
// a subreaper) and are not ours to reap. What the process does to signal
// dispositions reaches the programs: SIGCHLD set to SIG_IGN makes the
// kernel reap them before we can (every Result then has Err), and a
// signal the daemon ignores (signal.Ignore) stays ignored in every
// program across execve, where keepalived's scripts start with none
// ignored; caught signals (signal.Notify) are reset to their default.
type Runner struct {
	opts    Options
	grace   time.Duration // KillGrace resolved
	null    *os.File
	nullErr error

	mu         sync.Mutex
	closed     bool
	closeGrace time.Duration // Close's grace, for programs forked meanwhile
	queue      []*proc
	procs      map[*proc]struct{} // forked, not yet reaped
	running    int                // accepted by Start, done not yet returned
	idle       chan struct{}      // closed while running == 0

	wake       chan struct{}
	stop       chan struct{}
	forkerDone chan struct{}
	closeOnce  sync.Once
}

// NewRunner starts a runner. It opens /dev/null, which every program
// gets as standard input, output and error (keepalived redirects all
// three there before execve).
func NewRunner(o Options) *Runner {
	r := &Runner{
		opts:       o,
		grace:      o.KillGrace,
		procs:      map[*proc]struct{}{},
		idle:       make(chan struct{}),
		wake:       make(chan struct{}, 1),
		stop:       make(chan struct{}),
		forkerDone: make(chan struct{}),
	}
	if r.grace <= 0 {
		r.grace = defaultKillGrace
	}
	if r.opts.Dir == "" {
		r.opts.Dir = "/"
	}
	close(r.idle)
	// A failure here surfaces as the Result.Err of every start.
	r.null, r.nullErr = os.OpenFile(os.DevNull, os.O_RDWR, 0)
	go r.forker()
	return r
}

// Start runs c and returns at once; done, if not nil, is called exactly
// once, from a goroutine of the runner, after the program has ended and
// been reaped — or with Result.Err set when it could not be started
// (not found, not executable, no such user, runner closed meanwhile).
// Start itself fails only for a misuse: an empty command (ErrNoCommand),
// a negative timeout, or a closed runner (ErrClosed); done is then never
// called. done must not call Close or Wait of the same runner.
func (r *Runner) Start(c Cmd, done func(Result)) error {
	_, err := r.start(c, done)
	return err
}

// StartStoppable is Start, and also returns a function that stops this
// one program before it ends by itself: SIGTERM to its process group,
// SIGKILL after Options.KillGrace (for a notify_fifo_script reader whose
// FIFO is closed). A program not forked yet is never
// started and reported with ErrStopped. Calling stop after the program
// ended, or twice, does nothing; Result.Stopped tells it was used.
func (r *Runner) StartStoppable(c Cmd, done func(Result)) (stop func(), err error) {
	p, err := r.start(c, done)
	if err != nil {
		return nil, err
	}
	return p.stopOne, nil
}

func (r *Runner) start(c Cmd, done func(Result)) (*proc, error) {
	if len(c.Argv) == 0 || c.Argv[0] == "" {
		return nil, ErrNoCommand
	}
	if c.Timeout < 0 {
		return nil, fmt.Errorf("script %s: negative timeout %v", c.Argv[0], c.Timeout)
	}
	// The runner keeps its own copies: the caller may reuse its slices.
	c.Argv = append([]string(nil), c.Argv...)
	c.Env = append([]string(nil), c.Env...)
	p := &proc{r: r, c: c, done: done, pid: -1, pidfd: -1}
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return nil, ErrClosed
	}
	r.queue = append(r.queue, p)
	r.addRunningLocked()
	r.mu.Unlock()
	select {
	case r.wake <- struct{}{}:
	default:
	}
	return p, nil
}

// Running is the number of programs started and not yet reported.
func (r *Runner) Running() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.running
}

// Wait returns when nothing is running (every done has returned), or
// with ctx's error when ctx ends first. At stop the daemon lets notify
// scripts finish within a bound this way before Close kills what is left.
func (r *Runner) Wait(ctx context.Context) error {
	for {
		r.mu.Lock()
		if r.running == 0 {
			r.mu.Unlock()
			return nil
		}
		idle := r.idle
		r.mu.Unlock()
		select {
		case <-idle:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// Close stops the runner: the daemon is stopping. Start fails from now
// on; programs not yet forked are reported with ErrClosed; the process
// group of every running program gets SIGTERM, and SIGKILL after grace
// (keepalived's script_killall at stop, with its 1 s). Close returns when
// every program has been reaped and every done has returned.
func (r *Runner) Close(grace time.Duration) {
	r.mu.Lock()
	if !r.closed {
		r.closed, r.closeGrace = true, grace
	}
	procs := make([]*proc, 0, len(r.procs))
	for p := range r.procs {
		procs = append(procs, p)
	}
	r.mu.Unlock()
	for _, p := range procs {
		p.halt(grace)
	}
	select {
	case r.wake <- struct{}{}:
	default:
	}
	r.Wait(context.Background())
	r.closeOnce.Do(func() {
		close(r.stop)
		<-r.forkerDone
		if r.null != nil {
			r.null.Close()
		}
	})
}

func (r *Runner) addRunningLocked() {
	if r.running == 0 {
		r.idle = make(chan struct{})
	}
	r.running++
}

// finish is the end of one accepted Start: done has returned.
func (r *Runner) finish(p *proc) {
	r.mu.Lock()
	delete(r.procs, p)
	r.running--
	if r.running == 0 {
		close(r.idle)
	}
	r.mu.Unlock()
}

// forker forks every program, on a thread of its own (see Runner).
func (r *Runner) forker() {
	runtime.LockOSThread()
	// Never unlocked: when the runner is closed no program of this
	// thread is left, and the thread may go.
	defer close(r.forkerDone)
	for {
		select {
		case <-r.wake:
		case <-r.stop:
			return
		}
		for {
			r.mu.Lock()
			if len(r.queue) == 0 {
				r.mu.Unlock()
				break
			}
			p := r.queue[0]
			r.queue[0] = nil
			r.queue = r.queue[1:]
			closed := r.closed
			r.mu.Unlock()
			if closed {
				go p.report(Result{Err: ErrClosed})
				continue
			}
			p.launch()
		}
	}
}
