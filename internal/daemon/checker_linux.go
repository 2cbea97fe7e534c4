package daemon

import (
	"os"
	"os/signal"
	"syscall"

	"github.com/gokeepalived/gokeepalived/internal/cli"
	"github.com/gokeepalived/gokeepalived/internal/ipc"
	"github.com/gokeepalived/gokeepalived/internal/logging"
	"github.com/gokeepalived/gokeepalived/pkg/config"
)

// serveChecker is the checker child. The health checkers and IPVS are a
// later issue: it takes part in the process model (configuration,
// reloads, watchdog, ordered stop) and says once what it does not run.
func serveChecker(o cli.Options, cfg *config.Config, log logging.Logger, env runEnv) int {
	sigs := make(chan os.Signal, 4)
	// A dump signal sent to this process (killall -USR1 keepalived) must
	// not end it: keepalived_check.data needs IPVS, not built yet.
	signal.Ignore(append([]os.Signal{syscall.SIGHUP, syscall.SIGINT}, dumpSignals...)...)
	signal.Notify(sigs, syscall.SIGTERM)
	defer signal.Stop(sigs)
	if len(cfg.VirtualServers) > 0 || len(cfg.VirtualServerGroups) > 0 {
		logging.Infof(log, fmtUnsupported, "virtual_server (IPVS and health checkers)")
	}
	env.ack(nil)
	for {
		select {
		case <-sigs:
			return 0
		case m, ok := <-env.ctl:
			if !ok {
				return 0
			}
			switch m := m.(type) {
			case *ipc.Stop:
				return 0
			case *ipc.Reload:
				env.gen = m.Generation
				env.ack(nil)
			case *ipc.Ping:
				env.up.Send(&ipc.Pong{Seq: m.Seq})
			case *ipc.Relay:
				logging.Detailf(log, fmtRelayed, m.Instance, m.State)
			case *ipc.Dump:
				// keepalived_check.data shows the virtual servers and
				// checkers, which this child does not run yet.
			}
		}
	}
}
