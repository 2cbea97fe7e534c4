package daemon

import (
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/gokeepalived/gokeepalived/internal/cli"
	"github.com/gokeepalived/gokeepalived/internal/dump"
	"github.com/gokeepalived/gokeepalived/internal/ipc"
	"github.com/gokeepalived/gokeepalived/internal/logging"
	"github.com/gokeepalived/gokeepalived/pkg/config"
)

// fmtDumpCheck is keepalived 2.2.7's line when its checker writes
// keepalived_check.data (observed, with the checker's pid).
const fmtDumpCheck = "Printing checker data for process(%d) on signal"

// defaultScriptUser is the user keepalived runs scripts as when
// global_defs names none (and it exists).
const defaultScriptUser = "keepalived_script"

// serveChecker is the checker child. The health checkers and IPVS are a
// later issue: it takes part in the process model (configuration,
// reloads, watchdog, ordered stop), says once what it does not run, and
// writes keepalived_check.data on SIGUSR1 (its own, or the parent's
// passed on), showing the configuration as keepalived's checker has it
// before its services start (dump_check.go).
func serveChecker(o cli.Options, cfg *config.Config, log logging.Logger, env runEnv) int {
	sigs := make(chan os.Signal, 4)
	ignoreParentSignals()
	// Only SIGUSR1 means something to keepalived's checker; the other
	// dump signals sent to this process (killall -USR2 keepalived) must
	// not end it. They are caught and dropped, not ignored, so that the
	// scripts it will run get them at their defaults.
	signal.Notify(sigs, append([]os.Signal{syscall.SIGTERM}, dumpSignals...)...)
	defer signal.Stop(sigs)
	if len(cfg.VirtualServers) > 0 || len(cfg.VirtualServerGroups) > 0 {
		logging.Infof(log, fmtUnsupported, "virtual_server (IPVS and health checkers)")
	}
	if checkerScriptWithoutUser(cfg) {
		// keepalived's checker looks the default user up while it reads
		// a script that names none.
		scriptUser.note(log, cfg)
	}
	env.ack(nil)
	for {
		select {
		case s := <-sigs:
			switch s {
			case syscall.SIGTERM:
				return 0
			case syscall.SIGUSR1:
				writeCheckData(cfg, log)
			}
		case m, ok := <-env.ctl:
			if !ok {
				return 0
			}
			switch m := m.(type) {
			case *ipc.Stop:
				return 0
			case *ipc.Reload:
				env.gen = m.Generation
				if c := loadSnapshot(&m.Snapshot); c != nil {
					cfg = c
					if mask, ok := reloadUmask(o, &c.Global); ok {
						env.setUmask(mask)
					}
				}
				env.ack(nil)
			case *ipc.Ping:
				env.up.Send(&ipc.Pong{Seq: m.Seq})
			case *ipc.Relay:
				logging.Detailf(log, fmtRelayed, m.Instance, m.State)
			case *ipc.Dump:
				if m.Kind == ipc.DumpData {
					writeCheckData(cfg, log)
				}
			}
		}
	}
}

// writeCheckData is the checker's part of SIGUSR1:
// keepalived_check.data in $TMPDIR or /tmp.
func writeCheckData(cfg *config.Config, log logging.Logger) {
	logging.Infof(log, fmtDumpCheck, os.Getpid())
	// The global section's "Default script uid:gid" looks it up.
	scriptUser.note(log, cfg)
	s := checkSnapshot(cfg, liveFacts())
	err := writeDump(dump.CheckDataFile, func(w io.Writer) error { return dump.WriteCheckData(w, s) })
	if err != nil {
		logging.Errorf(log, fmtDumpFailed, dump.CheckDataFile, err)
	}
}

// checkerScriptWithoutUser reports whether the checker's configuration
// has a script that runs as the default user: a MISC_CHECK, a real
// server's notify_up/notify_down or a virtual server's quorum_up/
// quorum_down without a user of its own.
func checkerScriptWithoutUser(cfg *config.Config) bool {
	noUser := func(s *config.Script) bool { return s != nil && s.User == "" }
	for _, vs := range cfg.VirtualServers {
		if noUser(vs.QuorumUp) || noUser(vs.QuorumDown) {
			return true
		}
		for _, rs := range vs.RealServers {
			if noUser(rs.NotifyUp) || noUser(rs.NotifyDown) {
				return true
			}
			for _, chk := range rs.Checkers {
				if chk.Misc != nil && noUser(&chk.Misc.Script) {
					return true
				}
			}
		}
	}
	return false
}
