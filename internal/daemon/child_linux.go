package daemon

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/gokeepalived/gokeepalived/internal/cli"
	"github.com/gokeepalived/gokeepalived/internal/ipc"
	"github.com/gokeepalived/gokeepalived/internal/logging"
	"github.com/gokeepalived/gokeepalived/internal/version"
)

// The child's file descriptors for its pipes (the parent's ExtraFiles).
const (
	childReadFD  = 3
	childWriteFD = 4
)

// runChild is `keepalived --child=vrrp|checker`: it greets the parent,
// takes the configuration from the pipe, writes its pid file and runs
// until the parent says stop, SIGTERM, or the parent is gone.
func runChild(o cli.Options, env runEnv) int {
	role, ident, suffix := ipc.RoleVRRP, identVRRP, "_vrrp"
	if o.Child == "checker" {
		role, ident, suffix = ipc.RoleChecker, identChecker, "_check"
	}
	log := env.log
	if log == nil {
		lo := o
		if lo.LogFile != "" {
			lo.LogFile = childLogFile(lo.LogFile, suffix)
		}
		w, err := newWriter(lo, env.stderr, ident)
		if err != nil {
			fmt.Fprintf(env.stderr, "keepalived: %v\n", err)
		}
		defer w.Close()
		log = w
	}

	setProcs()
	setGCPercent()
	conn := ipc.ChildEndpoint(childReadFD, childWriteFD).Conn()
	if _, err := conn.Handshake(ipc.Hello{Role: role, PID: os.Getpid(), Build: version.Line()}, ipc.RoleParent); err != nil {
		logging.Errorf(log, fmtChildNoParent, err)
		return exitChildSetup
	}
	m, err := conn.Recv()
	if err != nil {
		logging.Errorf(log, fmtChildNoParent, err)
		return exitChildSetup
	}
	first, ok := m.(*ipc.Config)
	if !ok {
		logging.Errorf(log, fmtChildNoParent, fmt.Errorf("first message is %v, not Config", m.Type()))
		return exitChildSetup
	}
	cfg := loadSnapshot(&first.Snapshot)
	pidFile := pidPaths(o, &cfg.Global).vrrp
	if role == ipc.RoleChecker {
		pidFile = pidPaths(o, &cfg.Global).checkers
	}

	pid := os.Getpid()
	if err := writePidFile(pidFile, pid); err != nil {
		logging.Errorf(log, fmtPidFile, pidFile, err)
		return exitChildSetup
	}
	defer removePidFile(pidFile, pid)

	// The parent's messages, in order; closed when the pipe ends (the
	// parent is gone: stop, as PR_SET_PDEATHSIG would make us).
	ctl := make(chan ipc.Message, 16)
	go func() {
		defer close(ctl)
		for {
			m, err := conn.Recv()
			if err != nil {
				var de *ipc.DecodeError
				if errors.As(err, &de) {
					logging.Errorf(log, fmtChildNoParent, err)
				}
				return
			}
			ctl <- m
		}
	}()
	env.ctl, env.up, env.gen, env.respawn = ctl, conn, first.Generation, first.Respawn

	if role == ipc.RoleChecker {
		code := serveChecker(o, cfg, log, env)
		childStopped(log, o)
		return code
	}
	specs, err := buildSpecs(cfg)
	if err != nil {
		logging.Errorf(log, fmtRefused, err)
		env.ack(err)
		return exitChildConfig
	}
	code := serve(o, cfg, specs, log, env)
	childStopped(log, o)
	return code
}

// childLogFile is keepalived's -g name for a child: "_vrrp" or "_check"
// (its checker's program name, not its syslog identity) inserted before
// the last '.' of the last path element, a leading one included
// (/tmp/keepalived.log → /tmp/keepalived_vrrp.log, /tmp/.log →
// /tmp/_vrrp.log), or appended when there is none.
func childLogFile(path, suffix string) string {
	base := strings.LastIndexByte(path, '/') + 1
	if dot := strings.LastIndexByte(path[base:], '.'); dot >= 0 {
		return path[:base+dot] + suffix + path[base+dot:]
	}
	return path + suffix
}
