package daemon

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"github.com/gokeepalived/gokeepalived/internal/cli"
	"github.com/gokeepalived/gokeepalived/pkg/config"
)

// Default pid files (-p, -r, -c), as keepalived's.
const (
	DefaultPidFile         = "/run/keepalived.pid"
	DefaultVRRPPidFile     = "/run/vrrp.pid"
	DefaultCheckersPidFile = "/run/checkers.pid"
)

// pidFiles are the three pid files of a daemon.
type pidFiles struct{ main, vrrp, checkers string }

// pidPaths is where the pid files go, as keepalived 2.2.7 decides it
// (checked in a namespace lab): -p, -r and -c win; otherwise the
// configuration's top-level "instance NAME" puts them in /run/keepalived
// as keepalived_NAME.pid, vrrp_NAME.pid and checkers_NAME.pid, and
// "use_pid_dir" alone in /run/keepalived with the usual names; without
// either they are /run/keepalived.pid, /run/vrrp.pid, /run/checkers.pid.
func pidPaths(o cli.Options, g *config.GlobalDefs) pidFiles {
	dir, suffix := "/run", ""
	if g != nil && (g.Instance != "" || g.UsePIDDir) {
		dir = "/run/keepalived"
		if g.Instance != "" {
			suffix = "_" + g.Instance
		}
	}
	name := func(base string) string { return filepath.Join(dir, base+suffix+".pid") }
	return pidFiles{
		main:     orDefault(o.PidFile, name("keepalived")),
		vrrp:     orDefault(o.VRRPPidFile, name("vrrp")),
		checkers: orDefault(o.CheckersPidFile, name("checkers")),
	}
}

func (p pidFiles) all() []string { return []string{p.main, p.vrrp, p.checkers} }

// Syslog identities of the processes, as keepalived's.
const (
	identParent  = "Keepalived"
	identVRRP    = "Keepalived_vrrp"
	identChecker = "Keepalived_healthcheckers"
)

// pidFileMode is the mode of every pid file: keepalived 2.2.7's are
// 0644 whatever its umask (observed under 0177, 027, 022 and 0777, and
// for a file that was 0600 before), so that anyone may read them.
const pidFileMode os.FileMode = 0o644

// writePidFile writes pid and a newline, as keepalived does, replacing
// the file atomically so that a reader never sees it half written.
func writePidFile(path string, pid int) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("pid file directory: %w", err)
	}
	tmp := path + ".tmp"
	err := os.WriteFile(tmp, []byte(strconv.Itoa(pid)+"\n"), pidFileMode)
	if err == nil {
		// The umask took bits off the mode WriteFile asked for.
		err = os.Chmod(tmp, pidFileMode)
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}

// removePidFile removes the file if it still names pid (a newer daemon
// that took over the path keeps its file).
func removePidFile(path string, pid int) {
	if p, ok := readPid(path); ok && p != pid {
		return
	}
	os.Remove(path)
}

func readPid(path string) (int, bool) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, false
	}
	n, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || n <= 0 {
		return 0, false
	}
	return n, true
}

// runningPid reports the live process a pid file names, other than self:
// keepalived refuses to start a second daemon on the same pid file. A
// stale file (its process gone) does not count.
func runningPid(path string, self int) (int, bool) {
	pid, ok := readPid(path)
	if !ok || pid == self {
		return 0, false
	}
	err := syscall.Kill(pid, 0)
	if (err == nil || errors.Is(err, syscall.EPERM)) && !zombie(pid) {
		return pid, true
	}
	return 0, false
}

// zombie reports whether pid has ended and only waits to be reaped (a
// killed daemon's child, reparented but not yet collected): it runs
// nothing, and must not keep a new daemon from starting.
func zombie(pid int) bool {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return false
	}
	// "pid (comm) S ...": the state follows the last ')'.
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	return i >= 0 && i+2 < len(s) && s[i+2] == 'Z'
}
