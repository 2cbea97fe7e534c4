package daemon

import (
	"context"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/logging"
	"github.com/gokeepalived/gokeepalived/internal/notify"
	"github.com/gokeepalived/gokeepalived/internal/script"
	"github.com/gokeepalived/gokeepalived/internal/track"
	"github.com/gokeepalived/gokeepalived/pkg/config"
)

// fmtScriptStuck is keepalived's line for a script that outlived its
// SIGKILL (vrrp_scheduler.c): logged by the runner's Stuck hook.
const fmtScriptStuck = "Script %s child (PID %d) failed to terminate after kill"

// Stop budget of the VRRP child's scripts, inside the parent's
// child_wait_time (5 s by default): the notify_stop scripts get
// notifyStopWait to finish, then whatever still runs gets SIGTERM and,
// scriptKillGrace later, SIGKILL. keepalived leaves its notify scripts to
// their death signal when its VRRP process exits; ours die with the daemon
// too, but only once they had their time.
const (
	notifyStopWait  = 2 * time.Second
	scriptKillGrace = time.Second
)

// scripting is the VRRP child's side of external programs and tracked
// objects: one runner shared by the vrrp_scripts and the notify scripts,
// and the tracker manager whose status changes the loop reads.
type scripting struct {
	runner   *script.Runner
	tracks   *track.Manager
	statuses chan track.Status
	notifier *notify.Notifier
}

func newScripting(cfg *config.Config, log logging.Logger) *scripting {
	s := &scripting{statuses: make(chan track.Status, 64)}
	s.runner = script.NewRunner(script.Options{
		Stuck: func(c script.Cmd, pid int) {
			name := ""
			if len(c.Argv) > 0 {
				name = c.Argv[0]
			}
			logging.Infof(log, fmtScriptStuck, name, pid)
		},
	})
	s.tracks = track.NewManager(cfg, s.runner, trackLog(log), s.statuses)
	s.notifier = notify.New(cfg, s.runner, notifyLog(log))
	return s
}

// initial is what the watchers know before the instances start (files
// read, processes counted, init_fail scripts).
func (s *scripting) initial() []track.Status { return s.tracks.Initial() }

func (s *scripting) start() { s.tracks.Start() }

// reload hands the notifier and the trackers a reloaded configuration
// and returns the statuses of new or changed objects. The notifier keeps
// the scripts of the instances the reload removes for their last
// notification.
func (s *scripting) reload(cfg *config.Config) []track.Status {
	s.notifier.Reload(cfg)
	return s.tracks.Reload(cfg)
}

// close runs after the instances stopped: the trackers stop, the
// notify_stop scripts get their time, then every program still running
// is stopped.
func (s *scripting) close() {
	s.tracks.Close()
	ctx, cancel := context.WithTimeout(context.Background(), notifyStopWait)
	defer cancel()
	s.notifier.Close(ctx)
	s.runner.Close(scriptKillGrace)
}

// vrrpScriptWithoutUser: the VRRP side has a script (vrrp_script, notify
// script) that names no user, so keepalived looks the default script
// user up while it reads the configuration (and logs when it is missing).
func vrrpScriptWithoutUser(cfg *config.Config) bool {
	for _, sc := range cfg.VRRPScripts {
		if sc.User == "" {
			return true
		}
	}
	noUser := func(ns ...*config.NotifyScript) bool {
		for _, n := range ns {
			if n != nil && n.User == "" {
				return true
			}
		}
		return false
	}
	for _, v := range cfg.Instances {
		n := &v.Notifies
		if noUser(n.NotifyMaster, n.NotifyBackup, n.NotifyFault, n.NotifyStop, n.Notify, v.NotifyDeletedScript, v.NotifyMasterRxLowerPri) {
			return true
		}
	}
	for _, g := range cfg.SyncGroups {
		n := &g.Notifies
		if noUser(n.NotifyMaster, n.NotifyBackup, n.NotifyFault, n.NotifyStop, n.Notify) {
			return true
		}
	}
	return false
}

func notifyLog(log logging.Logger) notify.Logger {
	return func(l notify.Line) { log.Log(logging.Line{Text: l.Text, Detail: l.Detail}) }
}

func trackLog(log logging.Logger) track.Logger {
	return func(l track.Line) { log.Log(logging.Line{Text: l.Text, Detail: l.Detail}) }
}
