// Package daemon is the keepalived daemon: for now the VRRP side in one
// process (the parent/children split is a later step). It loads the
// configuration, writes the pid files, sets up the host (left-overs of a
// killed daemon removed, raw sockets opened), builds one state machine
// per vrrp_instance and runs them in one event loop: adverts received,
// timers expired, links going up and down become events for the machines
// (internal/vrrp), whose actions it carries out: adverts sent, addresses
// added and removed, gratuitous ARPs scheduled, lines logged. SIGTERM and
// SIGINT stop it cleanly (masters send priority 0, VIPs removed unless
// -V); SIGHUP is logged and ignored until reloads exist.
package daemon

import (
	"fmt"
	"io"
	"os"
	"syscall"

	"github.com/gokeepalived/gokeepalived/internal/cli"
	"github.com/gokeepalived/gokeepalived/internal/logging"
	"github.com/gokeepalived/gokeepalived/internal/version"
	"github.com/gokeepalived/gokeepalived/pkg/config"
)

// Run runs the daemon until it is told to stop and returns the exit
// status.
func Run(opts cli.Options) int {
	return run(opts, runEnv{args: os.Args, stderr: os.Stderr, load: config.Load})
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
}

func run(o cli.Options, env runEnv) int {
	log := env.log
	if log == nil {
		w, err := newWriter(o, env.stderr)
		if err != nil {
			fmt.Fprintf(env.stderr, "keepalived: %v\n", err)
		}
		defer w.Close()
		log = w
	}
	for _, l := range startupLines(env.args, cli.SystemVersionInfo()) {
		logging.Infof(log, "%s", l)
	}
	defer logging.Infof(log, fmtStopped, version.Line())

	pid := os.Getpid()
	mainPid, vrrpPid := orDefault(o.PidFile, DefaultPidFile), orDefault(o.VRRPPidFile, DefaultVRRPPidFile)
	for _, p := range []string{mainPid, vrrpPid} {
		if _, running := runningPid(p, pid); running {
			logging.Infof(log, msgAlreadyRun)
			return 0
		}
	}

	cfg, diags, code, ok := readConfig(o, env.load, log)
	if !ok {
		return code
	}
	if !o.VRRP {
		logging.Infof(log, fmtNoVRRP)
		cfg = config.NewConfig()
	}
	specs, err := buildSpecs(cfg)
	if err != nil {
		logging.Errorf(log, fmtRefused, err)
		return exitConfig
	}

	for _, p := range []string{mainPid, vrrpPid} {
		if err := writePidFile(p, pid); err != nil {
			logging.Errorf(log, fmtPidFile, p, err)
			removePidFile(mainPid, pid)
			return exitSetup
		}
		defer removePidFile(p, pid)
	}

	code = serve(o, cfg, diags, specs, log, env)
	logging.Infof(log, fmtStoppedUsage, usage()...)
	return code
}

// newWriter opens the log outputs the options ask for. A log file that
// cannot be opened is reported and left out.
func newWriter(o cli.Options, stderr io.Writer) (*logging.Writer, error) {
	lo := logging.Options{
		Syslog:   !o.NoSyslog,
		Facility: o.LogFacility,
		Detail:   o.LogDetail > 0,
		File:     o.LogFile,
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

// usage is the CPU time used, for keepalived's "Stopped - used" line.
func usage() []any {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return []any{int64(ru.Utime.Sec), int64(ru.Utime.Usec), int64(ru.Stime.Sec), int64(ru.Stime.Usec)}
}
