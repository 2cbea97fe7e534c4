//go:build !linux

package daemon

import (
	"errors"

	"github.com/gokeepalived/gokeepalived/internal/cli"
	"github.com/gokeepalived/gokeepalived/internal/logging"
	"github.com/gokeepalived/gokeepalived/pkg/config"
)

// serve needs Linux: netlink, raw sockets, packet sockets.
func serve(_ cli.Options, _ *config.Config, _ []spec, log logging.Logger, _ runEnv) int {
	logging.Errorf(log, fmtSetupFailed, errors.New("the VRRP daemon runs on Linux only"))
	return exitSetup
}

// supervise needs Linux: the children are Linux processes with
// PR_SET_PDEATHSIG.
func supervise(_ cli.Options, _ *config.Config, _ config.Diagnostics, _ *recordingFS, log logging.Logger, _ runEnv) int {
	logging.Errorf(log, fmtSetupFailed, errors.New("the daemon runs on Linux only"))
	return exitSetup
}

func runChild(_ cli.Options, _ runEnv) int { return exitSetup }

func daemonize(_ []string) (bool, int) { return false, 0 }
