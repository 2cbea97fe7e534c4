// Package notify carries out the VRRP notifications of keepalived 2.2.7:
// the notify scripts of instances and sync groups, the notify_fifo and
// vrrp_notify_fifo lines (and their reader scripts), and smtp_alert
// mails. The state machine (internal/vrrp) decides when something is
// notified; this package decides what that means, from the
// configuration, and does it without ever blocking the caller.
package notify

import (
	"context"
	"sync"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/script"
	"github.com/gokeepalived/gokeepalived/internal/vrrp"
	"github.com/gokeepalived/gokeepalived/pkg/config"
)

// DefaultHungAfter is how long a notify script may run before its queue
// stops waiting for it (see Notifier). keepalived has no such bound: it
// never waits for notify scripts at all. A minute lets the slow scripts
// operators write (restarting a service, moving a cloud address) finish
// in order, and keeps a hung one from holding back every later
// notification of its instance for more than that.
const DefaultHungAfter = time.Minute

// defaultScriptUser is the user scripts configured without one run as
// when global_defs has no script_user, if it exists (else root).
const defaultScriptUser = "keepalived_script"

// Runner starts programs; internal/script's *Runner is the real one.
// Start returns at once; done is called once, from another goroutine,
// when the program has ended (or with Result.Err when it could not run).
type Runner interface {
	Start(c script.Cmd, done func(script.Result)) error
}

// StoppableRunner is a Runner that can also stop a program it started
// before it ends by itself. With one, a notify_fifo_script reader is
// stopped (keepalived: SIGTERM to its process group) when its FIFO is
// closed at a reload that changes it or at Close; without one the reader
// only sees end-of-file, and the runner's own Close stops what is left.
type StoppableRunner interface {
	Runner
	StartStoppable(c script.Cmd, done func(script.Result)) (stop func(), err error)
}

// Options tune a Notifier; the zero value is the daemon's.
type Options struct {
	// HungAfter is DefaultHungAfter when 0.
	HungAfter time.Duration
	// LookupCred resolves a script's "user [group]" (the group defaults
	// to the user's primary group); nil is script.LookupCred (the host's
	// user database, as keepalived's set_uid_gid).
	LookupCred func(user, group string) (script.Cred, error)
	// Now is the clock of the mails' Date header; nil is time.Now.
	Now func() time.Time
}

// Notifier carries out notifications. Its methods may be called from one
// goroutine or several; none of them waits for a script, a FIFO, a DNS
// lookup or a mail server: each queues a request that the notifier's own
// goroutine handles.
//
// Notify contract (scripts). For each VRRP instance, and for each sync
// group, notify scripts run one at a time, in the order of the
// transitions that called for them: for one transition the specific
// script (notify_master, notify_backup, notify_fault, notify_stop,
// notify_deleted, notify_master_rx_lower_pri) starts first, then the
// generic notify script; a script starts only when the previous script
// of the same instance (or group) has ended. Different instances and
// groups never wait for each other, and the VRRP protocol never waits for
// any script. A script still running DefaultHungAfter (one minute) after
// it started is taken as hung: it is logged once and left running, and
// the next script of its instance starts. An instance's notify_stop and
// the generic script's STOP run are killed after 1 s, as keepalived
// kills them. keepalived 2.2.7 starts every script at the moment of its
// transition, so there scripts of successive transitions (and the
// specific and generic script of one transition) run at the same time and
// may finish in any order; here they cannot.
//
// Notify contract (FIFO and mail). notify_fifo and vrrp_notify_fifo
// lines are written at once, in transition order, whatever the scripts
// are doing; a full FIFO drops lines rather than wait. Mails are sent in
// the background, each on a connection of its own, as keepalived sends
// them.
type Notifier struct {
	run  Runner
	log  Logger
	opts Options

	mu      sync.Mutex
	inbox   []request
	closed  bool // Close was called: new notifications are ignored
	wake    chan struct{}
	drained chan struct{} // closed by the loop once closing and idle
	exited  chan struct{}

	mailCtx  context.Context
	mailStop context.CancelFunc
	mails    sync.WaitGroup // Add only on the loop goroutine

	// Owned by the loop goroutine.
	plan    *planner
	queues  map[subject]*queue
	fifos   [2]*fifo // notify_fifo, vrrp_notify_fifo
	sending int      // mails not yet done
	closing bool
}

type reqKind uint8

const (
	rqConfig reqKind = iota // the first configuration, or a reload
	rqInstance
	rqGroup
	rqEvent
	rqDone
	rqHung
	rqReaderEnded
	rqMailDone
	rqDrain
	rqFinish
)

type request struct {
	kind reqKind
	name string
	st   vrrp.State
	prio int
	ev   vrrp.NotifyEvent
	cfg  *config.Config

	q    *queue
	fifo *fifo
	seq  uint64
	res  script.Result
	path string
}

// queue is one subject's scripts: the running one and those waiting.
type queue struct {
	sub     subject
	jobs    []job
	running bool
	seq     uint64 // of the running script
	path    string // of the running script
	timer   *time.Timer
}

// New starts a notifier for cfg: it creates and opens the notify FIFOs
// and starts their readers (on its own goroutine, before any
// notification). r (not nil) runs the scripts; log receives the layer's
// lines.
func New(cfg *config.Config, r Runner, log Logger) *Notifier {
	return NewOptions(cfg, r, log, Options{})
}

// NewOptions is New with options.
func NewOptions(cfg *config.Config, r Runner, log Logger, o Options) *Notifier {
	if o.HungAfter <= 0 {
		o.HungAfter = DefaultHungAfter
	}
	if o.LookupCred == nil {
		o.LookupCred = script.LookupCred
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	n := &Notifier{
		run:     r,
		log:     log,
		opts:    o,
		wake:    make(chan struct{}, 1),
		drained: make(chan struct{}),
		exited:  make(chan struct{}),
		queues:  map[subject]*queue{},
	}
	n.mailCtx, n.mailStop = context.WithCancel(context.Background())
	n.inbox = append(n.inbox, request{kind: rqConfig, cfg: cfg})
	go n.loop()
	n.signal()
	return n
}

// Instance notifies that the instance name entered st with effective
// priority prio (vrrp.ActNotify). An instance removed by a reload is
// notified as vrrp.Deleted, whatever the state machine reports for it
// (without notify_deleted it reports FAULT, which would run
// notify_fault: keepalived runs no specific script then). Its
// configuration is the one before the reload, whether Reload was called
// already or not.
func (n *Notifier) Instance(name string, st vrrp.State, prio int) {
	n.submit(request{kind: rqInstance, name: name, st: st, prio: prio})
}

// Group notifies that the sync group name entered st
// (vrrp.ActGroupNotify).
func (n *Notifier) Group(name string, st vrrp.State) {
	n.submit(request{kind: rqGroup, name: name, st: st})
}

// Event notifies a non-state event of the instance name
// (vrrp.ActNotifyEvent): st is its state, prio its effective priority.
func (n *Notifier) Event(name string, ev vrrp.NotifyEvent, st vrrp.State, prio int) {
	n.submit(request{kind: rqEvent, name: name, ev: ev, st: st, prio: prio})
}

// Reload switches to cfg. A FIFO whose settings did not change stays
// open with its reader running (keepalived reopens every FIFO and
// restarts every reader at each reload); a changed one is closed and the
// new one opened. With fifo_write_vrrp_states_on_reload the states are
// then written as keepalived 2.2.7 writes them (see reloadLines).
// Scripts already queued run with the configuration they were planned
// with.
func (n *Notifier) Reload(cfg *config.Config) {
	n.submit(request{kind: rqConfig, cfg: cfg})
}

// Close is for the daemon's stop, after the STOP notifications: it
// waits, until ctx ends, for every queued script to have run (a hung one
// is not waited for) and every mail to have been sent; scripts that have
// not started by then are logged and dropped, mails still being sent are
// abandoned. It then stops the FIFO readers and closes the FIFOs,
// removing those it created. Scripts still running are the runner's to
// stop. Notifications after Close are ignored.
func (n *Notifier) Close(ctx context.Context) {
	n.mu.Lock()
	if n.closed {
		n.mu.Unlock()
		<-n.exited
		return
	}
	n.closed = true
	n.inbox = append(n.inbox, request{kind: rqDrain})
	n.mu.Unlock()
	n.signal()
	select {
	case <-n.drained:
	case <-ctx.Done():
	}
	n.mailStop() // mails still being sent end now
	n.post(request{kind: rqFinish})
	<-n.exited
	n.mails.Wait()
}

// submit queues a caller's request unless closed.
func (n *Notifier) submit(r request) {
	n.mu.Lock()
	if n.closed {
		n.mu.Unlock()
		return
	}
	n.inbox = append(n.inbox, r)
	n.mu.Unlock()
	n.signal()
}

// post queues an internal event (never refused: the loop needs them to
// drain).
func (n *Notifier) post(r request) {
	n.mu.Lock()
	n.inbox = append(n.inbox, r)
	n.mu.Unlock()
	n.signal()
}

func (n *Notifier) signal() {
	select {
	case n.wake <- struct{}{}:
	default:
	}
}

func (n *Notifier) loop() {
	defer close(n.exited)
	drainedClosed := false
	for range n.wake {
		n.mu.Lock()
		batch := n.inbox
		n.inbox = nil
		n.mu.Unlock()
		for _, r := range batch {
			if n.handle(r) {
				return
			}
		}
		if n.closing && !drainedClosed && n.idle() {
			close(n.drained)
			drainedClosed = true
		}
	}
}

// handle carries out one request; true when the loop must end.
func (n *Notifier) handle(r request) bool {
	switch r.kind {
	case rqConfig:
		n.apply(r.cfg)
	case rqInstance:
		if p, ok := n.plan.instance(r.name, r.st, r.prio); ok {
			n.perform(subject{name: r.name}, p)
		}
	case rqGroup:
		if p, ok := n.plan.group(r.name, r.st); ok {
			n.perform(subject{group: true, name: r.name}, p)
		}
	case rqEvent:
		if p, ok := n.plan.event(r.name, r.ev, r.st, r.prio); ok {
			n.perform(subject{name: r.name}, p)
		}
	case rqDone:
		n.done(r)
	case rqHung:
		if q := r.q; q.running && q.seq == r.seq {
			n.log.printf("%s", hungLine(q.sub.label(), q.path, n.opts.HungAfter))
			q.running = false
			n.startNext(q)
		}
	case rqReaderEnded:
		n.readerEnded(r.fifo, r.seq, r.res)
	case rqMailDone:
		n.sending--
	case rqDrain:
		n.closing = true
	case rqFinish:
		n.finish()
		return true
	}
	return false
}

// perform writes the FIFO line, queues the scripts and sends the mail of
// one notification.
func (n *Notifier) perform(sub subject, p plan) {
	if p.line != "" {
		n.writeLine(p.line)
	}
	if len(p.jobs) > 0 {
		q := n.queues[sub]
		if q == nil {
			q = &queue{sub: sub}
			n.queues[sub] = q
		}
		q.jobs = append(q.jobs, p.jobs...)
		if !q.running {
			n.startNext(q)
		}
	}
	if p.mail != nil {
		n.sendMail(p.mail)
	}
}

func (n *Notifier) writeLine(line string) {
	for _, f := range n.fifos {
		if f != nil {
			f.write(line, n.log)
		}
	}
}

// startNext starts the next script of q that can be started.
func (n *Notifier) startNext(q *queue) {
	for len(q.jobs) > 0 {
		j := q.jobs[0]
		q.jobs = q.jobs[1:]
		cred, err := n.cred(j.script.User, j.script.Group)
		if err != nil {
			n.log.printf(fmtCredErr, q.sub.label(), j.argv[0], err)
			continue
		}
		q.seq++
		seq, path := q.seq, j.argv[0]
		cmd := script.Cmd{Argv: j.argv, Cred: cred, Timeout: j.timeout}
		done := func(r script.Result) { n.post(request{kind: rqDone, q: q, seq: seq, res: r, path: path}) }
		if err := n.run.Start(cmd, done); err != nil {
			n.log.printf("%s", execErrLine(path, err))
			continue
		}
		q.running, q.path = true, path
		q.timer = time.AfterFunc(n.opts.HungAfter, func() { n.post(request{kind: rqHung, q: q, seq: seq}) })
		return
	}
}

func (n *Notifier) done(r request) {
	if r.res.Err != nil {
		n.log.printf("%s", execErrLine(r.path, r.res.Err))
	}
	q := r.q
	if !q.running || q.seq != r.seq {
		return // the end of a script its queue stopped waiting for
	}
	q.timer.Stop()
	q.running = false
	n.startNext(q)
}

func (n *Notifier) idle() bool {
	if n.sending > 0 {
		return false
	}
	for _, q := range n.queues {
		if q.running || len(q.jobs) > 0 {
			return false
		}
	}
	return true
}

// finish drops what has not started and closes the FIFOs.
func (n *Notifier) finish() {
	for _, q := range n.queues {
		for _, j := range q.jobs {
			n.log.printf(fmtAbandoned, q.sub.label(), j.argv[0])
		}
		q.jobs = nil
		if q.timer != nil {
			q.timer.Stop()
		}
	}
	for i, f := range n.fifos {
		if f != nil {
			n.closeFIFO(f, false)
			n.fifos[i] = nil
		}
	}
}

func (n *Notifier) sendMail(m *message) {
	s := n.plan.set
	srv := mailServer{server: s.server, port: s.port, helo: s.helo, from: s.from, to: s.to, timeout: s.timeout}
	date := n.opts.Now()
	n.sending++
	n.mails.Add(1)
	go func() {
		defer n.mails.Done()
		sendMail(n.mailCtx, srv, m, date, n.log)
		n.post(request{kind: rqMailDone})
	}()
}

// apply switches to cfg (the first one, or a reload).
func (n *Notifier) apply(cfg *config.Config) {
	if n.plan == nil {
		n.plan = newPlanner(cfg)
		n.applyFIFOs(cfg)
		return
	}
	lines := n.plan.reload(cfg)
	n.applyFIFOs(cfg)
	for _, l := range lines {
		n.writeLine(l)
	}
}

// applyFIFOs closes the FIFOs whose settings changed, then opens the
// new ones (closing first lets two FIFOs swap names).
func (n *Notifier) applyFIFOs(cfg *config.Config) {
	want := [2]config.NotifyFIFO{cfg.Global.NotifyFIFO, cfg.Global.VRRPNotifyFIFO}
	if want[1].Name != "" && want[1].Name == want[0].Name {
		n.log.printf(fmtFIFOSame, want[1].Name)
		want[1] = config.NotifyFIFO{}
	}
	var open [2]bool
	for i, f := range n.fifos {
		if f != nil && sameFIFO(f.cfg, want[i]) {
			continue
		}
		if f != nil {
			n.closeFIFO(f, true)
			n.fifos[i] = nil
		}
		open[i] = want[i].Name != ""
	}
	prefixes := [2]string{"", "vrrp_"}
	for i := range want {
		if open[i] {
			n.fifos[i] = n.openFIFO(prefixes[i], want[i])
		}
	}
}

// cred is who runs a script configured with user (and group), as
// keepalived decides: the user given, else global script_user, else
// keepalived_script if it exists, else root. Root is nil (the daemon's
// own user: keepalived changes nothing when uid and gid are 0).
func (n *Notifier) cred(user, group string) (*script.Cred, error) {
	if user == "" {
		user, group = n.plan.cfg.Global.ScriptUser, n.plan.cfg.Global.ScriptGroup
		if user == "" {
			c, err := n.opts.LookupCred(defaultScriptUser, "")
			if err != nil {
				return nil, nil
			}
			return rootIsNil(c), nil
		}
	}
	c, err := n.opts.LookupCred(user, group)
	if err != nil {
		return nil, err
	}
	return rootIsNil(c), nil
}

func rootIsNil(c script.Cred) *script.Cred {
	if c.UID == 0 && c.GID == 0 {
		return nil
	}
	return &c
}
