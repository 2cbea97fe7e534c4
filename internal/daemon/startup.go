package daemon

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/gokeepalived/gokeepalived/internal/cli"
	"github.com/gokeepalived/gokeepalived/internal/version"
	"github.com/gokeepalived/gokeepalived/pkg/config"
)

// Every line the daemon itself logs is defined here, once. Lines marked
// keepalived's carry keepalived 2.2.7's wording (its -l -n console output
// in a namespace lab); the others are ours.
const (
	// keepalived's.
	fmtStarting      = "Starting %s"
	fmtRunningOn     = "Running on %s %s %s (built for Linux %d.%d.%d)"
	fmtBuiltNewer    = "WARNING - keepalived was built for newer Linux %d.%d.%d, running on %s %s %s"
	fmtKernelUnknown = "Unable to parse kernel version %s"
	msgCommandLine   = "Command line: "
	fmtOpening       = "Opening file '%s'."
	fmtConfiguration = "Configuration file %s"
	msgStartup       = "Startup complete"
	// The parent's, once its pid file is written, when global_defs has
	// no max_auto_priority (0 counts as none; -1 disables and silences).
	msgMaxAutoPriority = "NOTICE: setting config option max_auto_priority should result in better keepalived performance"
	// The parent's, instead of "Startup complete", when it starts no
	// child; it then runs on, idle, until a reload gives it something to
	// run (keepalived 2.2.7 observed).
	msgNothingToRun = "Warning - keepalived has no configuration to run"
	// Each process's, the first time it needs the default script user
	// (a script to run, a SIGUSR1 dump's "Default script uid:gid") and
	// keepalived_script does not exist; once per process.
	fmtNoScriptUser    = "Script user '%s' does not exist"
	msgAlreadyRun      = "daemon is already running"
	msgStopping        = "Stopping"
	fmtStoppedUsage    = "Stopped - used %d.%06d user time, %d.%06d system time"
	fmtStoppedWithKids = "Stopped - used (self/children) %d.%06d/%d.%06d user time, %d.%06d/%d.%06d system time"
	fmtCPUUsage        = "CPU usage (self/children) user: %d.%06d/%d.%06d system: %d.%06d/%d.%06d"
	msgStoppedChild    = "Stopped"
	fmtStopped         = "Stopped %s"

	// The VRRP child's start-up detail lines (-D), in this order before
	// its first "(VI_1) Entering ... STATE": the two netlink sockets, one
	// "Assigned address" per address of each interface an instance uses
	// (IPv4 first, then the IPv6 link-local), the GARP socket; after the
	// instances start, one "VRRP sockpool" line per socket (keepalived
	// 2.2.7 observed).
	msgNetlinkReflector = "Registering Kernel netlink reflector"
	msgNetlinkCommand   = "Registering Kernel netlink command channel"
	fmtAssignedAddress  = "Assigned address %s for interface %s"
	msgGARPChannel      = "Registering gratuitous ARP shared channel"

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
// command line. The kernel line is keepalived's: "built for" names
// version.MinKernel, and a running kernel older than that gets
// keepalived's warning in its place. A release keepalived cannot read
// (it wants "major.minor.patch...") gives its "Unable to parse" line and
// no kernel line; keepalived logs that one before "Starting", where only
// syslog sees it, we log it first everywhere.
func startupLines(args []string, vi cli.VersionInfo) []string {
	var out []string
	running, ok := kernelRelease(vi.Release)
	if !ok {
		out = append(out, fmt.Sprintf(fmtKernelUnknown, vi.Release))
	}
	out = append(out, fmt.Sprintf(fmtStarting, version.Line()))
	if ok {
		b := version.MinKernel
		if kernelCode(running) < kernelCode(b) {
			out = append(out, fmt.Sprintf(fmtBuiltNewer, b[0], b[1], b[2], vi.Sysname, vi.Release, vi.KernelVersion))
		} else {
			out = append(out, fmt.Sprintf(fmtRunningOn, vi.Sysname, vi.Release, vi.KernelVersion, b[0], b[1], b[2]))
		}
	}
	return append(out, commandLine(args)...)
}

// kernelRelease reads uname's release as keepalived does: a number, a
// dot, a number, a dot and a digit starting the third number; anything
// may follow ("6.1.0-18-amd64"). "6.1" or "6.x.0" are not readable.
func kernelRelease(s string) ([3]int, bool) {
	var v [3]int
	for i := range v {
		n := 0
		for n < len(s) && s[n] >= '0' && s[n] <= '9' {
			n++
		}
		if n == 0 {
			return v, false
		}
		num, err := strconv.Atoi(s[:n])
		if err != nil {
			return v, false
		}
		v[i], s = num, s[n:]
		if i < 2 {
			if s == "" || s[0] != '.' {
				return v, false
			}
			s = s[1:]
		}
	}
	return v, v[0] != 0
}

// kernelCode is Linux's KERNEL_VERSION(a, b, c), the patch level capped
// at 255 as the kernel headers keepalived 2.2.7 was built with do.
func kernelCode(v [3]int) int {
	return v[0]<<16 + v[1]<<8 + min(v[2], 255)
}

// configNotices are the parent's lines about the configuration it
// read, logged once the pid file is written (keepalived's main, after
// pidfile_write).
func configNotices(cfg *config.Config) []string {
	if cfg.Global.MaxAutoPriority == 0 {
		return []string{msgMaxAutoPriority}
	}
	return nil
}

// childrenToRun says which children keepalived 2.2.7 starts: the VRRP
// child when VRRP runs (not -C) and the configuration has a
// vrrp_instance or static addresses, routes or rules, the checker child
// when the checkers run (not -P) and it has a virtual_server; --all
// starts both regardless. With neither the parent logs msgNothingToRun
// and waits for a reload; a reload starts the children the new
// configuration needs, and leaves running those it no longer needs
// (observed). keepalived decides on the keyword alone, so a
// virtual_server it later drops (no real server) still starts its
// checker; ours are the ones the configuration kept.
func childrenToRun(o cli.Options, cfg *config.Config) (vrrp, checker bool) {
	vrrp = o.VRRP && (o.RunAll || len(cfg.Instances) > 0 ||
		len(cfg.StaticAddresses) > 0 || len(cfg.StaticRoutes) > 0 || len(cfg.StaticRules) > 0)
	checker = o.Checker && (o.RunAll || len(cfg.VirtualServers) > 0)
	return vrrp, checker
}

// reloadUmask is the umask a reload sets: global_defs' umask when the
// new configuration has one and -u did not override it. keepalived's
// parent and children set it as they read the file again; a file
// without the keyword leaves the mask as it was (2.2.7 observed: 027
// stays after a reload to a file without umask).
func reloadUmask(o cli.Options, g *config.GlobalDefs) (uint32, bool) {
	if o.UmaskSet || g.Umask == nil {
		return 0, false
	}
	return *g.Umask, true
}
