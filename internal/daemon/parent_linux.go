package daemon

import (
	"errors"
	"io"
	"maps"
	"os"
	"os/signal"
	"slices"
	"syscall"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/cli"
	"github.com/gokeepalived/gokeepalived/internal/ipc"
	"github.com/gokeepalived/gokeepalived/internal/logging"
	"github.com/gokeepalived/gokeepalived/internal/netif"
	"github.com/gokeepalived/gokeepalived/internal/sdnotify"
	"github.com/gokeepalived/gokeepalived/internal/vrrp"
	"github.com/gokeepalived/gokeepalived/pkg/config"
)

// The parent supervises: it holds the configuration, starts the children
// (re-executions of this binary, DESIGN.md "Shape"), hands them the
// configuration over their pipes, relays signals as messages, restarts a
// child that dies, and on SIGTERM stops them in order.

// Watchdog timing: a child answers a Ping within pongTimeout or is
// killed and respawned.
const (
	pingEvery   = 2 * time.Second
	pongTimeout = 10 * time.Second
)

type parent struct {
	o      cli.Options
	env    runEnv
	log    logging.Logger
	args   []string
	notify sdnotify.Notifier

	children []*child
	events   chan childEvent
	respawn  chan *child

	gen   uint64
	snap  ipc.Snapshot
	known map[string]bool
	cfg   *config.Config

	// states is the VRRP child's latest report per instance.
	states map[string]*ipc.VRRPState

	ready      bool // the first children run their configuration ("Startup complete")
	notified   bool // READY=1 sent (and env.ready called)
	reloadGen  uint64
	stopping   bool
	stopCode   int
	stopDeadln time.Time
}

// supervise runs the children until the daemon stops; it returns the exit
// status.
func supervise(o cli.Options, cfg *config.Config, diags config.Diagnostics, rec *recordingFS, log logging.Logger, env runEnv) int {
	p := &parent{o: o, env: env, log: log, args: childArgs(env.args), notify: env.notify,
		events: make(chan childEvent, 64), respawn: make(chan *child, 4), cfg: cfg}
	setProcs()
	setGCPercent()
	p.gen = 1
	p.snap = rec.snapshot(p.gen, config.Options{File: o.ConfigFile, ConfigID: o.ConfigID, AllConfig: o.AllConfig})
	p.known = knownErrors(diags)

	sigs := make(chan os.Signal, 8)
	signal.Notify(sigs, append(append([]os.Signal{syscall.SIGHUP}, stopSignals...), dumpSignals...)...)
	defer signal.Stop(sigs)

	for _, c := range p.wanted(cfg, true) {
		if p.stopping {
			break
		}
		p.start(c)
	}
	if len(p.children) == 0 {
		// keepalived's parent runs on, idle, and says why nothing
		// happens; a reload may give it something to run.
		logging.Infof(log, msgNothingToRun)
		p.notifyReady()
	}

	ping := time.NewTicker(pingEvery)
	defer ping.Stop()
	var deadline <-chan time.Time
	for {
		if p.stopping && p.allEnded() {
			return p.stopCode
		}
		select {
		case s := <-sigs:
			p.signal(s.(syscall.Signal))
			if p.stopping && deadline == nil {
				deadline = time.After(time.Until(p.stopDeadln))
			}
		case <-env.stop:
			p.stop(0)
			if deadline == nil {
				deadline = time.After(time.Until(p.stopDeadln))
			}
		case ev := <-p.events:
			p.event(ev)
			if p.stopping && deadline == nil {
				deadline = time.After(time.Until(p.stopDeadln))
			}
		case c := <-p.respawn:
			if !p.stopping && !c.running {
				p.start(c)
			}
		case <-ping.C:
			p.watchdog()
		case <-deadline:
			// child_wait_time is over: what still runs is killed.
			for _, c := range p.children {
				if c.running {
					logging.Infof(p.log, fmtChildKilled, c.what, c.cmd.Process.Pid)
					c.signal(syscall.SIGKILL)
				}
			}
			deadline = nil
			p.stopDeadln = time.Now().Add(time.Hour)
		}
	}
}

// childArgs is the command line a child is started with: the parent's,
// without argv[0] (spawn adds --child).
func childArgs(args []string) []string {
	if len(args) <= 1 {
		return nil
	}
	return append([]string(nil), args[1:]...)
}

// wanted adds the children cfg needs (childrenToRun) that the parent
// does not have yet, and returns them in the order keepalived 2.2.7
// starts them: the checker, then VRRP. At start-up the pid file of a
// child that does not run is removed (a stale one would say it runs:
// keepalived's parent removes it too, observed).
func (p *parent) wanted(cfg *config.Config, startup bool) []*child {
	vrrpOn, checkerOn := childrenToRun(p.o, cfg)
	have := map[ipc.Role]bool{}
	for _, c := range p.children {
		have[c.role] = true
	}
	paths := pidPaths(p.o, &cfg.Global)
	var added []*child
	for _, k := range []struct {
		role       ipc.Role
		on         bool
		what, flag string
		pidFile    string
	}{
		{ipc.RoleChecker, checkerOn, "Healthcheck", "--child=checker", paths.checkers},
		{ipc.RoleVRRP, vrrpOn, "VRRP", "--child=vrrp", paths.vrrp},
	} {
		switch {
		case have[k.role]:
		case k.on:
			c := &child{role: k.role, what: k.what, flag: k.flag, pidFile: k.pidFile,
				policy: respawnPolicy{noRespawn: p.o.DontRespawn}}
			p.children = append(p.children, c)
			added = append(added, c)
		case startup:
			// No live daemon names it (run checked before the
			// parent's pid file was written).
			os.Remove(k.pidFile)
		}
	}
	return added
}

func (p *parent) start(c *child) {
	if err := c.spawn(p.args, p.events); err != nil {
		logging.Errorf(p.log, fmtSetupFailed, err)
		p.stop(exitSetup)
		return
	}
	logging.Infof(p.log, fmtChildStarted, c.what, c.cmd.Process.Pid)
}

func (p *parent) allEnded() bool {
	for _, c := range p.children {
		if c.running {
			return false
		}
	}
	return true
}

// stop begins the ordered stop: every child is asked to stop and given
// child_wait_time to do it.
func (p *parent) stop(code int) {
	if p.stopping {
		return
	}
	p.stopping, p.stopCode = true, code
	wait := time.Duration(p.cfg.Global.ChildWaitTime) * time.Second
	if wait <= 0 {
		wait = 5 * time.Second
	}
	p.stopDeadln = time.Now().Add(wait)
	// The children first: the VRRP child's priority-0 adverts start the
	// backups' takeover.
	for _, c := range p.children {
		if c.running {
			if err := c.conn.Send(&ipc.Stop{Reason: "parent stopping"}); err != nil {
				c.signal(syscall.SIGTERM)
			}
		}
	}
	p.notify.Send(sdnotify.Stopping)
}

func (p *parent) signal(s syscall.Signal) {
	switch s {
	case syscall.SIGTERM, syscall.SIGINT:
		// keepalived's parent logs "Stopping" for a stop signal, not
		// for a stop a child's exit causes.
		if !p.stopping && (s == syscall.SIGTERM || !p.o.IgnoreSigint) {
			// The line goes out after the children were told: a master's
			// priority-0 advert should not wait for a console write.
			if h, ok := p.log.(logging.Holder); ok {
				h.Hold()
				defer h.Release()
			}
			logging.Infof(p.log, msgStopping)
			p.stop(0)
		}
	case syscall.SIGHUP:
		if !p.stopping {
			p.reload()
		}
	default:
		if k, ok := dumpKind(s); ok {
			if k == ipc.DumpData {
				// keepalived's parent writes keepalived_parent.data
				// itself, then passes the signal on to its children.
				writeParentData(p.cfg, p.log)
			}
			for _, c := range p.children {
				if c.running {
					c.conn.Send(&ipc.Dump{Kind: k})
				}
			}
		}
	}
}

// dumpKind maps keepalived's dump signals (--signum DATA, STATS,
// STATS_CLEAR, JSON) to the dump a child writes.
func dumpKind(s syscall.Signal) (ipc.DumpKind, bool) {
	switch s {
	case syscall.SIGUSR1:
		return ipc.DumpData, true
	case syscall.SIGUSR2:
		return ipc.DumpStats, true
	case syscall.Signal(63):
		return ipc.DumpStatsClear, true
	case syscall.Signal(36):
		return ipc.DumpJSON, true
	}
	return 0, false
}

// reload reads and checks the configuration; only a sound one reaches
// the children.
func (p *parent) reload() {
	logging.Infof(p.log, msgReloading)
	p.notify.Send(sdnotify.Reloading)
	o := p.o
	o.AllConfig = true // a missing main file on a reload is an error, not "run with nothing"
	rec := newRecordingFS()
	load := func(co config.Options) (*config.Config, config.Diagnostics) {
		co.FS = rec
		return p.env.load(co)
	}
	cfg, diags, _, ok := readConfig(o, load, p.log)
	d, bad := refusal(diags, p.known)
	if ok && !bad && p.o.VRRP {
		if _, err := buildSpecs(cfg); err != nil {
			d, bad = config.Diagnostic{Msg: err.Error()}, true
		}
	}
	if !ok || bad {
		where := d.String()
		if !bad && len(diags) > 0 {
			where = diags[0].String()
		}
		logging.Errorf(p.log, fmtReloadRefused, where)
		p.notify.Send(sdnotify.Ready)
		return
	}
	if mask, ok := reloadUmask(p.o, &cfg.Global); ok {
		p.env.setUmask(mask)
	}
	p.gen++
	p.snap = rec.snapshot(p.gen, config.Options{File: p.o.ConfigFile, ConfigID: p.o.ConfigID, AllConfig: p.o.AllConfig})
	p.known = knownErrors(diags)
	p.cfg = cfg
	p.reloadGen = p.gen
	sent := false
	for _, c := range p.children {
		if c.running && c.gen > 0 {
			if err := c.conn.Send(&ipc.Reload{Snapshot: p.snap}); err == nil {
				sent = true
			}
		}
	}
	// A child the new configuration needs starts now and takes it from
	// its first message; the reload is done when it has acknowledged it.
	added := p.wanted(cfg, false)
	for _, c := range added {
		if !p.stopping {
			p.start(c)
		}
	}
	if !sent && (len(added) == 0 || p.stopping) {
		p.reloadDone()
	}
}

func (p *parent) reloadDone() {
	p.reloadGen = 0
	p.notify.Send(sdnotify.Ready)
	trimMemory()
}

func (p *parent) event(ev childEvent) {
	c := ev.c
	if ev.cmd != c.cmd {
		return // about an earlier process of this child
	}
	switch {
	case ev.end != nil:
		p.ended(c, *ev.end)
	case ev.err != nil:
		if !errors.Is(ev.err, io.EOF) && c.running {
			// A child that speaks nonsense cannot be trusted with
			// the host: it is killed and respawned.
			logging.Errorf(p.log, fmtChildPipe, c.what, c.cmd.Process.Pid, ev.err)
			c.signal(syscall.SIGKILL)
		}
	default:
		p.message(c, ev.msg)
	}
}

func (p *parent) message(c *child, m ipc.Message) {
	switch m := m.(type) {
	case *ipc.Hello:
		if err := c.conn.Send(&ipc.Config{Snapshot: p.snap, Respawn: c.respawned}); err != nil {
			logging.Errorf(p.log, fmtChildPipe, c.what, c.cmd.Process.Pid, err)
		}
	case *ipc.ConfigAck:
		if m.Error != "" {
			logging.Errorf(p.log, fmtChildRefused, c.what, m.Generation, m.Error)
		}
		if c.role == ipc.RoleChecker && c.gen == 0 {
			for _, name := range slices.Sorted(maps.Keys(p.states)) {
				c.conn.Send(relayOf(p.states[name], p.cfg))
			}
		}
		c.gen = m.Generation
		if !p.ready && p.allAcked(p.gen) {
			p.markReady()
		}
		if p.reloadGen != 0 && p.allAcked(p.reloadGen) {
			p.reloadDone()
		}
	case *ipc.Pong:
		c.lastPong = time.Now()
	case *ipc.VRRPState:
		// The latest state of each instance is kept for a checker child
		// that is not ready yet, or respawned.
		if p.states == nil {
			p.states = map[string]*ipc.VRRPState{}
		}
		p.states[m.Instance] = m
		for _, o := range p.children {
			if o.role == ipc.RoleChecker && o.running && o.gen > 0 {
				o.conn.Send(relayOf(m, p.cfg))
			}
		}
	}
}

func (p *parent) allAcked(gen uint64) bool {
	for _, c := range p.children {
		if c.running && c.gen < gen {
			return false
		}
	}
	return true
}

func (p *parent) markReady() {
	p.ready = true
	// keepalived's parent says so once its children are up.
	logging.Infof(p.log, msgStartup)
	p.notifyReady()
	trimMemory()
}

// notifyReady tells systemd (and a test) that the daemon is up, once: its
// children run their configuration, or it has none to run and waits, idle
// but healthy, for a reload.
func (p *parent) notifyReady() {
	if p.notified {
		return
	}
	p.notified = true
	p.notify.Send(sdnotify.Ready)
	if p.env.ready != nil {
		p.env.ready()
	}
}

// ended handles a child's exit: a stop in progress goes on; otherwise
// the watchdog policy decides.
func (p *parent) ended(c *child, e childEnd) {
	pid := c.cmd.Process.Pid
	c.running = false
	c.closePipes()
	removePidFile(c.pidFile, pid)
	if p.stopping {
		return
	}
	v := c.policy.decide(e)
	c.respawned = v.restart
	if c.role == ipc.RoleVRRP && (!v.restart || v.after+respawnMargin >= p.minMasterDown()) {
		// The dead child's addresses must not stay on the LAN without an
		// owner longer than a backup waits before it takes over: unless
		// the next child comes soon enough to resume them, they go now.
		p.cleanupHost()
	}
	switch {
	case v.stopAll && !e.signaled && e.code != 0 && !c.policy.noRespawn:
		logging.Errorf(p.log, fmtChildPermanent, c.ident(), permanentName(e.code))
		p.stop(exitConfig)
	case v.stopAll:
		logging.Errorf(p.log, fmtChildDiedExit, c.what, pid)
		p.stop(0)
	default:
		logging.Errorf(p.log, fmtChildRespawn, c.what, pid)
		if v.after == 0 {
			p.start(c)
			return
		}
		time.AfterFunc(v.after, func() { p.respawn <- c })
	}
}

// respawnMargin is what a respawned VRRP child needs to start and
// resume its instances (exec, configuration, sockets), with room to
// spare.
const respawnMargin = 500 * time.Millisecond

// minMasterDown is the shortest time a backup of one of our instances
// waits for adverts before it takes over (its Master_Down_Interval, at
// the highest priority a backup can have).
func (p *parent) minMasterDown() time.Duration {
	specs, err := buildSpecs(p.cfg)
	if err != nil || len(specs) == 0 {
		return 0
	}
	low := time.Duration(1<<63 - 1)
	for _, s := range specs {
		pr := s.params
		down := pr.DownTimerAdverts
		if down <= 0 {
			down = 3
		}
		version := pr.Version
		if version != 3 {
			version = 2
		}
		if d := vrrp.MasterDownInterval(version, 254, down, pr.AdvertIntUsec); d < low {
			low = d
		}
	}
	return low
}

// cleanupHost removes what the ledger says the VRRP child had configured.
func (p *parent) cleanupHost() {
	nl, err := netif.Open(netif.Options{Ledger: ledgerPath(p.cfg.Global.Instance), Log: netifLog(p.log)})
	if err != nil {
		logging.Errorf(p.log, fmtSetupFailed, err)
		return
	}
	defer nl.Close()
	_ = nl.Cleanup() // each left-over is logged by netif
}

// watchdog pings the children and kills one that stopped answering.
func (p *parent) watchdog() {
	for _, c := range p.children {
		if !c.running || c.gen == 0 {
			continue
		}
		if time.Since(c.lastPong) > pongTimeout {
			logging.Errorf(p.log, fmtChildHung, c.what, c.cmd.Process.Pid, time.Since(c.lastPong).Round(time.Second))
			c.signal(syscall.SIGKILL)
			continue
		}
		c.pingSeq++
		c.conn.Send(&ipc.Ping{Seq: c.pingSeq})
	}
}
