// Package daemon is the keepalived daemon, as keepalived's processes:
// the parent reads and checks the configuration, writes its pid file,
// starts the children the configuration needs (the checker and the VRRP
// child, re-executions of this binary) and supervises them — reloads on
// SIGHUP, dump signals passed on, a dead child respawned, an ordered stop
// on SIGTERM. The VRRP child sets up the host (left-overs of a killed
// daemon removed, raw sockets opened), builds one state machine per
// vrrp_instance and runs them in one event loop: adverts received, timers
// expired, links and tracked objects changing become events for the
// machines (internal/vrrp), whose actions it carries out: adverts sent,
// addresses added and removed, gratuitous ARPs scheduled, scripts run,
// lines logged. The checker child takes part in the process model and
// writes keepalived_check.data; its health checkers are a later step.
package daemon

import (
	"fmt"
	"io"
	"os"
	"syscall"

	"github.com/gokeepalived/gokeepalived/internal/cli"
	"github.com/gokeepalived/gokeepalived/internal/ipc"
	"github.com/gokeepalived/gokeepalived/internal/logging"
	"github.com/gokeepalived/gokeepalived/internal/sdnotify"
	"github.com/gokeepalived/gokeepalived/internal/version"
	"github.com/gokeepalived/gokeepalived/pkg/config"
)

// Run runs the daemon until it is told to stop and returns the exit
// status.
func Run(opts cli.Options) int {
	env := runEnv{args: os.Args, stderr: os.Stderr, load: config.Load, umask: syscall.Umask}
	if opts.Child != "" {
		restoreCPUs()
		return runChild(opts, env)
	}
	if !opts.DontFork {
		if exit, code := daemonize(os.Args); exit {
			return code
		}
	}
	env.notify = sdnotify.FromEnv()
	pinParent()
	return run(opts, env)
}

// runEnv is what run takes from the process, replaced in tests.
type runEnv struct {
	args   []string
	stderr io.Writer
	load   loader
	// log, when set, replaces the writer the options describe.
	log logging.Logger
	// ready, when set, is called once the instances have started.
	ready func()
	// stop, when set, replaces the signals as the way to stop (tests).
	stop <-chan struct{}
	// notify is systemd's socket (the parent's).
	notify sdnotify.Notifier

	// A child's pipe to the parent: its messages (closed when the parent
	// is gone), the connection to answer on, and the configuration
	// generation it runs.
	ctl <-chan ipc.Message
	up  *ipc.Conn
	gen uint64
	// respawn: this child replaces one that died.
	respawn bool
	// umask sets the process's file creation mask (syscall.Umask); nil
	// leaves it alone (tests run in one process with others).
	umask func(mask int) (old int)
}

// setUmask gives the process the mask keepalived would run under.
func (e runEnv) setUmask(mask uint32) {
	if e.umask != nil {
		e.umask(int(mask))
	}
}

// ack tells the parent the configuration is applied (err nil) or why
// not. Without a parent (tests) it does nothing.
func (e runEnv) ack(err error) {
	if e.up == nil {
		return
	}
	a := &ipc.ConfigAck{Generation: e.gen}
	if err != nil {
		a.Error = err.Error()
	}
	e.up.Send(a)
}

func run(o cli.Options, env runEnv) int {
	log := env.log
	if log == nil {
		w, err := newWriter(o, env.stderr, identParent)
		if err != nil {
			fmt.Fprintf(env.stderr, "keepalived: %v\n", err)
		}
		defer w.Close()
		log = w
	}
	for _, l := range startupLines(env.args, cli.SystemVersionInfo()) {
		logging.Infof(log, "%s", l)
	}
	// keepalived runs under -u, or its default 0177, from the start (with
	// -n too: /proc/PID/status says "Umask: 0177"); global_defs' umask
	// replaces the default once the configuration is read.
	env.setUmask(processUmask(o, nil))
	// keepalived logs its last line on every way out but one: a daemon
	// that is already running (2.2.7 observed).
	stopped := true
	defer func() {
		if stopped {
			logging.Infof(log, fmtStopped, version.Line())
		}
	}()

	pid := os.Getpid()
	// The command line's pid files first (before reading anything), the
	// configuration's (instance, use_pid_dir) once it is read.
	if alreadyRunning(pidPaths(o, nil), pid) {
		logging.Infof(log, msgAlreadyRun)
		stopped = false
		return 0
	}

	rec := newRecordingFS()
	load := func(co config.Options) (*config.Config, config.Diagnostics) {
		co.FS = rec
		return env.load(co)
	}
	cfg, diags, code, ok := readConfig(o, load, log)
	if !ok {
		return code
	}
	env.setUmask(processUmask(o, &cfg.Global))
	pids := pidPaths(o, &cfg.Global)
	if alreadyRunning(pids, pid) {
		logging.Infof(log, msgAlreadyRun)
		stopped = false
		return 0
	}
	mainPid := pids.main

	// What the VRRP child would refuse stops the daemon before it
	// starts any child (keepalived's parent ends with 2 after its child's
	// CONFIG exit).
	if o.VRRP {
		if _, err := buildSpecs(cfg); err != nil {
			logging.Errorf(log, fmtRefused, err)
			return exitConfig
		}
	}

	if err := writePidFile(mainPid, pid); err != nil {
		logging.Errorf(log, fmtPidFile, mainPid, err)
		return exitSetup
	}
	defer removePidFile(mainPid, pid)
	// keepalived's parent says what it thinks of the configuration once
	// its pid file is written, before it starts any child.
	for _, l := range configNotices(cfg) {
		logging.Infof(log, "%s", l)
	}

	code = supervise(o, cfg, diags, rec, log, env)
	// keepalived's parent reports its and its children's CPU time, with
	// -D only.
	logging.Detailf(log, fmtCPUUsage, cpuUsage()...)
	return code
}

// newWriter opens the log outputs the options ask for. A log file that
// cannot be opened is reported and left out.
func newWriter(o cli.Options, stderr io.Writer, ident string) (*logging.Writer, error) {
	lo := logging.Options{
		Ident:    ident,
		Syslog:   !o.NoSyslog,
		Facility: o.LogFacility,
		Detail:   o.LogDetail > 0,
		File:     o.LogFile,
		FilePerm: logging.DefaultFilePerm,
	}
	if o.UmaskSet {
		// keepalived gives its log file 0666 less the -u mask.
		lo.FilePerm = 0o666 &^ os.FileMode(o.Umask)
	}
	if o.LogFormat == cli.LogJSON {
		lo.Encoding = logging.JSON
	}
	if o.LogConsole {
		lo.Console = stderr // keepalived's console lines go to stderr
	}
	w, err := logging.New(lo)
	if err != nil {
		lo.File = ""
		w, _ = logging.New(lo)
	}
	return w, err
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// childStopped is a child's last line: keepalived's children say
// "Stopped", or with -D the CPU time they used, with their own children's
// when those used any user time (keepalived 2.2.7 observed: a checker
// that ran modprobe, a VRRP child that ran a vrrp_script, get the
// "(self/children)" form; a VRRP child that ran nothing the short one).
func childStopped(log logging.Logger, o cli.Options) {
	var self, kids syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &self)
	syscall.Getrusage(syscall.RUSAGE_CHILDREN, &kids)
	logging.Infof(log, "%s", stoppedLine(o.LogDetail > 0, &self, &kids))
}

// stoppedLine is the text of childStopped for the given usage.
func stoppedLine(detail bool, self, kids *syscall.Rusage) string {
	switch {
	case !detail:
		return msgStoppedChild
	case kids.Utime.Sec != 0 || kids.Utime.Usec != 0:
		return fmt.Sprintf(fmtStoppedWithKids, cpuTimes(self, kids)...)
	default:
		return fmt.Sprintf(fmtStoppedUsage, int64(self.Utime.Sec), int64(self.Utime.Usec), int64(self.Stime.Sec), int64(self.Stime.Usec))
	}
}

// cpuUsage is the CPU time of this process and of its waited-for
// children, for keepalived's "CPU usage (self/children)" line.
func cpuUsage() []any {
	var self, kids syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &self)
	syscall.Getrusage(syscall.RUSAGE_CHILDREN, &kids)
	return cpuTimes(&self, &kids)
}

// cpuTimes are the arguments of keepalived's self/children lines: user
// time self and children, then system time self and children.
func cpuTimes(self, kids *syscall.Rusage) []any {
	return []any{int64(self.Utime.Sec), int64(self.Utime.Usec), int64(kids.Utime.Sec), int64(kids.Utime.Usec),
		int64(self.Stime.Sec), int64(self.Stime.Usec), int64(kids.Stime.Sec), int64(kids.Stime.Usec)}
}

// alreadyRunning reports whether any of the pid files names a live
// process other than self: keepalived's "daemon is already running".
func alreadyRunning(p pidFiles, self int) bool {
	for _, f := range p.all() {
		if _, running := runningPid(f, self); running {
			return true
		}
	}
	return false
}
