package daemon

import (
	"fmt"
	"strings"

	"github.com/gokeepalived/gokeepalived/internal/cli"
	"github.com/gokeepalived/gokeepalived/internal/version"
)

// Every line the daemon itself logs is defined here, once. Lines marked
// keepalived's carry keepalived 2.2.7's wording (its -l -n console output
// in a namespace lab); the others are ours.
const (
	// keepalived's.
	fmtStarting      = "Starting %s"
	fmtRunningOn     = "Running on %s %s %s"
	msgCommandLine   = "Command line: "
	fmtOpening       = "Opening file '%s'."
	fmtConfiguration = "Configuration file %s"
	msgStartup       = "Startup complete"
	msgAlreadyRun    = "daemon is already running"
	msgStopping      = "Stopping"
	fmtStoppedUsage  = "Stopped - used %d.%06d user time, %d.%06d system time"
	fmtStoppedCheck  = "Stopped - used (self/children) %d.%06d/%d.%06d user time, %d.%06d/%d.%06d system time"
	fmtCPUUsage      = "CPU usage (self/children) user: %d.%06d/%d.%06d system: %d.%06d/%d.%06d"
	msgStoppedChild  = "Stopped"
	fmtStopped       = "Stopped %s"

	// The parent and its children.
	fmtChildStarted   = "Starting %s child process, pid=%d"
	fmtChildRespawn   = "%s child process(%d) died: Respawning"
	fmtChildDiedExit  = "%s child process(%d) died: Exiting"
	fmtChildPermanent = "%s exited with permanent error %s. Terminating"

	// SIGHUP: the parent's line, then the VRRP side's two.
	msgReloading      = "Reloading ..."
	msgReloadingChild = "Reloading"
	msgReloadComplete = "Reload complete"

	// ours (keepalived has no refusal: it runs what it could read).
	fmtReloadRefused = "Reload refused, the running configuration is unchanged: %s"
	fmtReloadSummary = "Reload: %d instances kept, %d added, %d removed"
	fmtChildKilled   = "%s child process(%d) did not stop within child_wait_time: killed"
	fmtChildHung     = "%s child process(%d) has not answered for %v: killed"
	fmtChildPipe     = "%s child process(%d): pipe: %v"
	fmtChildRefused  = "%s child refused configuration %d: %s"
	fmtNoVRRP        = "VRRP is disabled (-C): nothing to run"
	fmtPidFile       = "Cannot write pid file %s: %v"
	fmtSetupFailed   = "Cannot start: %v"
	fmtInstanceSkip  = "(%s) cannot run: %v"
	fmtRefused       = "VRRP cannot run with this configuration: %v"
	fmtPacketsLost   = "%d received adverts dropped: the event loop was too slow to read them"
	fmtNetNS         = "net_namespace %s is not supported yet; running in the current network namespace"
	fmtRelayed       = "VRRP instance %s is %v (for ha_suspend)"
	fmtChildNoParent = "No parent to take the configuration from: %v"
	fmtStaticSet     = "Cannot set static addresses, routes or rules: %v"
	fmtStaticDel     = "Cannot remove static addresses, routes or rules: %v"
	fmtRelease       = "Cannot remove what is left of ours: %v"
)

// commandLineWidth is where keepalived wraps its "Command line:" line:
// quoted arguments are added while the text after the prefix stays within
// it, continuation lines are indented under the first argument (measured
// on keepalived 2.2.7's output: 87 characters fit, 92 did not).
const commandLineWidth = 90

// commandLine renders argv as keepalived's "Command line:" lines.
func commandLine(args []string) []string {
	indent := strings.Repeat(" ", len(msgCommandLine))
	var out []string
	var cur strings.Builder
	for _, a := range args {
		q := "'" + a + "'"
		if cur.Len() > 0 && cur.Len()+1+len(q) > commandLineWidth {
			out = append(out, cur.String())
			cur.Reset()
		}
		if cur.Len() > 0 {
			cur.WriteByte(' ')
		}
		cur.WriteString(q)
	}
	if cur.Len() > 0 || len(out) == 0 {
		out = append(out, cur.String())
	}
	for i := range out {
		if i == 0 {
			out[i] = msgCommandLine + out[i]
		} else {
			out[i] = indent + out[i]
		}
	}
	return out
}

// startupLines are the first lines of a run: our version, the kernel, the
// command line.
func startupLines(args []string, vi cli.VersionInfo) []string {
	out := []string{
		fmt.Sprintf(fmtStarting, version.Line()),
		fmt.Sprintf(fmtRunningOn, vi.Sysname, vi.Release, vi.KernelVersion),
	}
	return append(out, commandLine(args)...)
}
