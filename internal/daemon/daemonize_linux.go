package daemon

import (
	"fmt"
	"os"
	"os/exec"
	"syscall"
)

// daemonEnv marks the process daemonize started, so that it does not
// daemonize again.
const daemonEnv = "GOKEEPALIVED_DAEMONIZED"

// daemonize is keepalived's start without -n: the daemon detaches from
// the terminal and the command returns at once. keepalived fork()s; a Go
// program cannot, so it starts itself again in a new session, with
// standard input and output on /dev/null, and exits. The working
// directory stays (keepalived's is /): relative -f, -p or -g names given
// on the command line keep their meaning. It reports whether the caller is the one that must exit (with
// the status returned).
func daemonize(args []string) (exit bool, code int) {
	if os.Getenv(daemonEnv) != "" {
		os.Unsetenv(daemonEnv)
		return false, 0
	}
	exe, err := os.Executable()
	if err != nil {
		exe = "/proc/self/exe"
	}
	null, err := os.OpenFile(os.DevNull, os.O_RDWR, 0)
	if err != nil {
		fmt.Fprintf(os.Stderr, "keepalived: %v\n", err)
		return true, exitSetup
	}
	defer null.Close()
	cmd := exec.Command(exe, args[1:]...)
	cmd.Args[0] = args[0]
	cmd.Env = append(os.Environ(), daemonEnv+"=1")
	cmd.Stdin, cmd.Stdout, cmd.Stderr = null, null, null
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := cmd.Start(); err != nil {
		fmt.Fprintf(os.Stderr, "keepalived: cannot start the daemon: %v\n", err)
		return true, exitSetup
	}
	cmd.Process.Release()
	return true, 0
}
