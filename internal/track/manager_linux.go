package track

import (
	"errors"
	"os"
	"sync"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/script"
	"github.com/gokeepalived/gokeepalived/pkg/config"
	"golang.org/x/sys/unix"
)

// errNoBufs: the kernel dropped process events (the socket's buffer was
// full).
var errNoBufs = errors.New("process events lost")

// Runner starts programs; *script.Runner is the real one. Start must not
// block on the program, and calls done once, from another goroutine.
type Runner interface {
	Start(c script.Cmd, done func(script.Result)) error
}

// PollInterval is how often /proc is scanned for vrrp_track_process where
// the kernel's process events cannot be received (a daemon started in a
// network namespace other than the initial one). One second keeps the
// reaction to a process's death as quick as the usual "killall -0"
// vrrp_script it replaces, for a scan of a few hundred small reads.
const PollInterval = time.Second

// resyncDelay is keepalived's wait before it rescans /proc after the
// kernel dropped process events (ENOBUFS): things settle first.
const resyncDelay = time.Second

// ackWait bounds the wait for the kernel's acknowledgement of the process
// events subscription (keepalived warns after 100 ms; the kernel answers
// at once where it answers at all).
const ackWait = time.Second

// Manager runs the tracked objects of one configuration for the VRRP
// process: it runs the vrrp_scripts through the Runner on their
// intervals, watches the track_files with inotify and the tracked
// processes with the kernel's process events (or a /proc scan every
// PollInterval where those cannot be had), and sends each status change
// on the channel given to NewManager.
//
// The channel send never holds up the trackers: statuses wait, in order
// and without loss, in a queue of their own, and one goroutine hands them
// to the channel as the reader takes them. Statuses only change on
// transitions, so the queue stays short; nothing is coalesced, since the
// state machine must see a down-and-up as it happened.
//
// Use: NewManager, Initial (the statuses to give the instances before
// they start), Start, then Reload on SIGHUP and Close at the end. Close
// stops the timers and watchers; scripts still running are the Runner's
// to stop (its own Close), since the Runner is shared with the notify
// scripts.
type Manager struct {
	r   Runner
	log Logger
	out chan<- Status

	now       func() time.Time
	readFile  func(string) ([]byte, error)
	procRoot  string
	pollEvery time.Duration
	// noConnector makes Initial use the /proc scan (tests of the
	// fallback in the initial namespace).
	noConnector bool

	cfg       *config.Config
	sched     *Scheduler
	files     []*fileState
	fw        *fileWatcher
	procs     *procTable
	conn      *connector
	polling   bool
	pollAt    time.Time
	resyncAt  time.Time
	watchedPr bool // process watching set up (connector or polling)

	inbox  inbox
	outq   outbox
	timer  *time.Timer
	done   chan struct{}
	wg     sync.WaitGroup
	mu     sync.Mutex
	state  int
	closed bool
}

const (
	stateNew = iota
	stateInitial
	stateStarted
)

// NewManager returns a manager for the objects cfg's instances and sync
// groups track. Nothing runs and nothing is read until Initial.
func NewManager(cfg *config.Config, r Runner, log Logger, out chan<- Status) *Manager {
	return &Manager{
		r: r, log: log, out: out, cfg: cfg,
		now: time.Now, readFile: readTrackFile, procRoot: "/proc", pollEvery: PollInterval,
		done: make(chan struct{}), inbox: newInbox(), outq: newOutbox(),
	}
}

// Initial sets the objects up and returns the statuses known before the
// instances start: every tracked file's value (init_file applied first),
// every tracked process's quorum from a /proc scan, and init_fail scripts
// as down. Other scripts are unknown until their first run, which Start
// begins.
func (m *Manager) Initial() []Status {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.state != stateNew || m.closed {
		return nil
	}
	m.state = stateInitial
	sp, lines := specsFrom(m.cfg)
	for _, l := range lines {
		m.log.log(l)
	}
	m.sched = NewScheduler(sp.scripts)
	out := m.sched.Initial()
	out = append(out, m.setFiles(sp.files, false)...)
	m.procs = newProcTable(sp.procs)
	out = append(out, m.setProcs()...)
	return out
}

// Start begins the script runs and the watching. Initial is called first
// if it was not.
func (m *Manager) Start() {
	m.Initial()
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.state != stateInitial || m.closed {
		return
	}
	m.state = stateStarted
	m.timer = time.NewTimer(time.Hour)
	m.timer.Stop()
	m.wg.Add(2)
	go m.send()
	go m.loop()
	if m.fw != nil {
		m.wg.Add(1)
		go m.readInotify(m.fw)
	}
	if m.conn != nil {
		m.wg.Add(1)
		go m.readConnector(m.conn)
	}
}

// Reload takes a reloaded configuration. Unchanged objects keep running
// with their verdicts (a script is not re-run to know what it already
// knows, and never goes back to unknown); new and changed ones are set
// up. It returns the statuses of the objects that are new or whose status
// a change made different, for the instances a reload adds or changes;
// the statuses of kept objects are those last reported.
func (m *Manager) Reload(cfg *config.Config) []Status {
	m.mu.Lock()
	switch {
	case m.closed:
		m.mu.Unlock()
		return nil
	case m.state != stateStarted:
		m.cfg = cfg
		defer m.mu.Unlock()
		if m.state == stateNew {
			return nil
		}
		return m.reload(cfg)
	}
	m.mu.Unlock()
	reply := make(chan []Status, 1)
	m.inbox.put(reloadMsg{cfg: cfg, reply: reply})
	select {
	case st := <-reply:
		return st
	case <-m.done:
		return nil
	}
}

// Close stops the manager: timers, watchers and the goroutines. Results
// of runs still in progress are dropped.
func (m *Manager) Close() {
	m.mu.Lock()
	if m.closed {
		m.mu.Unlock()
		return
	}
	m.closed = true
	close(m.done)
	if m.fw != nil {
		m.fw.close()
	}
	if m.conn != nil {
		m.conn.close()
	}
	m.mu.Unlock()
	m.wg.Wait()
	if m.timer != nil {
		m.timer.Stop()
	}
}

// ---- set-up ----

// setFiles applies init_file, resolves and watches the files and reads
// them. Files already watched under the same name and path keep their
// state. It returns the statuses of the files read now.
func (m *Manager) setFiles(specs []FileSpec, reload bool) []Status {
	old := map[string]*fileState{}
	for _, f := range m.files {
		old[f.spec.Name] = f
	}
	m.files = nil
	var out []Status
	for _, sp := range specs {
		// keepalived applies init_file whenever it reads the
		// configuration: a file deleted since is made again on a reload
		// (and its watch reports the new value).
		if err := initTrackFile(sp, reload, m.cfg.Global.Umask); err != nil {
			m.log.log(info(fmtFileInitFailed, sp.Name))
		}
		if o := old[sp.Name]; o != nil && o.spec.Path == sp.Path {
			o.spec = sp
			m.files = append(m.files, o)
			continue
		}
		f := &fileState{spec: sp, wd: -1}
		if ok, l := resolveTrackFile(f); !ok {
			m.log.log(l)
			continue
		}
		if m.fw == nil {
			fw, err := openFileWatcher()
			if err != nil {
				m.log.log(info(fmtFileNoInotify))
			}
			m.fw = fw
			if fw != nil && m.state == stateStarted {
				m.wg.Add(1)
				go m.readInotify(fw)
			}
		}
		if m.fw != nil {
			if err := m.fw.watch(f); err != nil {
				m.log.log(info(fmtFileInaccessible, sp.Name))
			}
		}
		// Watched first, read second: a change in between is not lost.
		f.read(m.readFile(f.path))
		m.files = append(m.files, f)
		out = append(out, f.status())
	}
	return out
}

// setProcs starts watching processes (the connector, else the /proc
// scan) and counts every tracked process from a scan.
func (m *Manager) setProcs() []Status {
	if len(m.procs.counters) == 0 {
		return nil
	}
	if !m.watchedPr {
		m.watchedPr = true
		if !m.noConnector {
			conn, lines, err := openConnector(m.cfg.Global.ProcessMonitorRcvBufs, m.cfg.Global.ProcessMonitorRcvBufsForce, ackWait)
			for _, l := range lines {
				m.log.log(l)
			}
			if err == nil {
				m.conn = conn
				if m.state == stateStarted {
					m.wg.Add(1)
					go m.readConnector(conn)
				}
			}
		}
		if m.conn == nil {
			m.polling = true
			m.pollAt = m.now().Add(m.pollEvery)
			m.log.log(info(fmtProcPollingOurs, m.procRoot, m.pollEvery))
		}
	}
	m.procs.Scan(m.scan(m.procs), m.now(), true)
	return m.procs.Initial()
}

// scan reads /proc for what t's specs need.
func (m *Manager) scan(t *procTable) []ProcInfo {
	comm, cmdline := t.needs()
	procs, err := readProcs(m.procRoot, comm, cmdline)
	if err != nil {
		m.log.log(info("track_process: %v", err))
	}
	return procs
}

// reload applies a new configuration (called locked before Start, or by
// the loop).
func (m *Manager) reload(cfg *config.Config) []Status {
	m.cfg = cfg
	sp, lines := specsFrom(cfg)
	for _, l := range lines {
		m.log.log(l)
	}
	now := m.now()
	var out []Status
	known := map[string]bool{}
	for _, s := range m.sched.scripts {
		known[s.spec.Name] = true
	}
	m.apply(m.sched.Reload(sp.scripts, now))
	for _, s := range sp.scripts {
		if st, ok := m.sched.Status(s.Name); ok && !known[s.Name] {
			out = append(out, st)
		}
	}
	out = append(out, m.setFiles(sp.files, true)...)
	if m.fw != nil {
		used := map[int32]bool{}
		for _, f := range m.files {
			used[f.wd] = true
		}
		m.fw.unwatch(used)
	}
	switch {
	case !m.watchedPr:
		m.procs = newProcTable(sp.procs)
		out = append(out, m.setProcs()...)
	default:
		// Counted with the new specs' needs (a new full_command spec
		// needs command lines).
		out = append(out, m.procs.Reload(sp.procs, m.scan(newProcTable(sp.procs)))...)
	}
	return out
}

// ---- the loop ----

type (
	resultMsg struct {
		run uint64
		res script.Result
	}
	inotifyMsg struct {
		evs []inotifyEvent
		err error
	}
	procMsg struct {
		ev  procEvent
		err error
	}
	reloadMsg struct {
		cfg   *config.Config
		reply chan []Status
	}
)

func (m *Manager) loop() {
	defer m.wg.Done()
	m.apply(m.sched.Start(m.now()))
	for {
		m.arm()
		select {
		case <-m.done:
			return
		case <-m.inbox.wake:
			for _, x := range m.inbox.take() {
				m.handle(x)
			}
		case <-m.timer.C:
			m.tick()
		}
	}
}

// arm sets the timer to the earliest deadline of the trackers.
func (m *Manager) arm() {
	var next time.Time
	consider := func(t time.Time, ok bool) {
		if ok && !t.IsZero() && (next.IsZero() || t.Before(next)) {
			next = t
		}
	}
	consider(m.sched.Next())
	consider(m.procs.Next())
	consider(m.pollAt, m.polling)
	consider(m.resyncAt, true)
	if next.IsZero() {
		m.timer.Stop()
		return
	}
	m.timer.Reset(max(next.Sub(m.now()), 0))
}

func (m *Manager) tick() {
	now := m.now()
	m.apply(m.sched.Tick(now))
	m.apply(m.procs.Tick(now))
	if m.polling && !m.pollAt.After(now) {
		m.pollAt = now.Add(m.pollEvery)
		m.apply(m.procs.Scan(m.scan(m.procs), now, false))
	}
	if !m.resyncAt.IsZero() && !m.resyncAt.After(now) {
		m.resyncAt = time.Time{}
		if m.conn != nil {
			m.log.log(m.conn.grow(m.cfg.Global.ProcessMonitorRcvBufsForce))
			m.conn.seqs = seqTracker{}
		}
		m.apply(m.procs.Scan(m.scan(m.procs), now, false))
	}
}

func (m *Manager) handle(x any) {
	switch x := x.(type) {
	case resultMsg:
		m.apply(m.sched.Result(x.run, x.res))
	case inotifyMsg:
		if x.err != nil {
			n, msg := errnoText(x.err)
			m.log.log(info(fmtInotifyReadErr, n, msg))
		}
		m.apply(fileEvents(m.files, x.evs, m.readFile))
	case procMsg:
		m.procEvent(x)
	case reloadMsg:
		// Locked: a reload may open a watcher, which Close must see.
		m.mu.Lock()
		var st []Status
		if !m.closed {
			st = m.reload(x.cfg)
		}
		m.mu.Unlock()
		x.reply <- st
	}
}

func (m *Manager) procEvent(x procMsg) {
	now := m.now()
	if x.err != nil {
		if errors.Is(x.err, errNoBufs) {
			// Events were lost: rescan once things have settled.
			if m.resyncAt.IsZero() {
				m.resyncAt = now.Add(resyncDelay)
			}
			return
		}
		n, msg := errnoText(x.err)
		m.log.log(info(fmtProcRecvErr, n, msg))
		return
	}
	ev := x.ev
	if m.conn != nil && m.resyncAt.IsZero() {
		if missed := m.conn.seqs.next(ev.cpu, ev.seq); missed > 0 {
			m.log.log(info(fmtProcMissed, missed, ev.cpu))
		}
	}
	if ev.thread() {
		return
	}
	switch ev.what {
	case procEventFork:
		m.apply(m.procs.Fork(ev.parent, ev.tgid, now))
	case procEventExec:
		comm, cmdline := m.procs.needs()
		p, ok := readProc(m.procRoot, ev.tgid, comm, cmdline)
		m.apply(m.procs.Exec(p, ok, now))
	case procEventComm:
		m.apply(m.procs.Comm(ev.tgid, ev.comm, now))
	case procEventExit:
		m.apply(m.procs.Exit(ev.tgid, now))
	}
}

// apply carries out the trackers' actions.
func (m *Manager) apply(acts []Action) {
	for _, a := range acts {
		switch a.Kind {
		case ActLog:
			m.log.log(a.Line)
		case ActStatus:
			m.outq.put(a.Status)
		case ActRun:
			run := a.Run
			err := m.r.Start(a.Cmd, func(res script.Result) { m.inbox.put(resultMsg{run: run, res: res}) })
			if err != nil {
				m.apply(m.sched.NotRun(run, err))
			}
		}
	}
}

// ---- readers ----

func (m *Manager) readInotify(fw *fileWatcher) {
	defer m.wg.Done()
	buf := make([]byte, inotifyBuf)
	for {
		evs, err := fw.read(buf)
		if errors.Is(err, os.ErrClosed) || m.isClosed() {
			return
		}
		m.inbox.put(inotifyMsg{evs: evs, err: err})
		if err != nil {
			m.pause()
		}
	}
}

func (m *Manager) readConnector(c *connector) {
	defer m.wg.Done()
	buf := make([]byte, 512)
	for {
		ev, err := c.recv(buf)
		if errors.Is(err, os.ErrClosed) || m.isClosed() {
			return
		}
		if errors.Is(err, errSkip) {
			continue
		}
		if errors.Is(err, unix.ENOBUFS) {
			err = errNoBufs
		}
		m.inbox.put(procMsg{ev: ev, err: err})
		if err != nil && err != errNoBufs {
			m.pause()
		}
	}
}

// pause keeps a reader that keeps failing from spinning.
func (m *Manager) pause() {
	select {
	case <-m.done:
	case <-time.After(100 * time.Millisecond):
	}
}

func (m *Manager) isClosed() bool {
	select {
	case <-m.done:
		return true
	default:
		return false
	}
}

// send hands the queued statuses to the channel, in order.
func (m *Manager) send() {
	defer m.wg.Done()
	for {
		items := m.outq.take()
		if len(items) == 0 {
			select {
			case <-m.outq.wake:
				continue
			case <-m.done:
				return
			}
		}
		for _, s := range items {
			select {
			case m.out <- s:
			case <-m.done:
				return
			}
		}
	}
}

// ---- queues ----

// inbox collects the events of the readers and of the runner's done
// callbacks for the loop; put never blocks.
type inbox struct {
	mu    sync.Mutex
	items []any
	wake  chan struct{}
}

func newInbox() inbox { return inbox{wake: make(chan struct{}, 1)} }

func (b *inbox) put(x any) {
	b.mu.Lock()
	b.items = append(b.items, x)
	b.mu.Unlock()
	select {
	case b.wake <- struct{}{}:
	default:
	}
}

func (b *inbox) take() []any {
	b.mu.Lock()
	defer b.mu.Unlock()
	items := b.items
	b.items = nil
	return items
}

// outbox is the ordered queue of statuses waiting for the channel.
type outbox struct {
	mu    sync.Mutex
	items []Status
	wake  chan struct{}
}

func newOutbox() outbox { return outbox{wake: make(chan struct{}, 1)} }

func (b *outbox) put(s Status) {
	b.mu.Lock()
	b.items = append(b.items, s)
	b.mu.Unlock()
	select {
	case b.wake <- struct{}{}:
	default:
	}
}

func (b *outbox) take() []Status {
	b.mu.Lock()
	defer b.mu.Unlock()
	items := b.items
	b.items = nil
	return items
}
