package daemon

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"

	"github.com/gokeepalived/gokeepalived/internal/cli"
	"github.com/gokeepalived/gokeepalived/pkg/config"
)

// daemonEnv marks the process daemonize started, so that it does not
// daemonize again.
const daemonEnv = "GOKEEPALIVED_DAEMONIZED"

// defaultUmask is keepalived's file creation mask when neither -u nor
// global_defs' umask sets one: S_IXUSR|S_IRWXG|S_IRWXO, so the files it
// makes are the owner's only (keepalived 2.2.7 observed: /proc/PID/status
// "Umask: 0177" in the parent and its children, with and without -n).
const defaultUmask = 0o177

// daemonDir is where a detached keepalived runs: its xdaemon() calls
// setsid() and chdir("/") once it has forked.
const daemonDir = "/"

// daemonize is keepalived's start without -n: the daemon detaches from
// the terminal and the command returns at once. keepalived fork()s, and
// the process that goes on is a session leader whose working directory
// is / and whose standard input, output and error are /dev/null, under
// keepalived's umask (2.2.7 observed, parent and children alike). A Go
// program cannot fork, so it starts itself again that way and exits.
//
// keepalived reads its configuration before it forks and writes its pid
// files after: a relative -f still names the file the operator meant,
// a relative -p lands under / (-p k.pid writes /k.pid). The daemon reads
// its configuration after it has been started in /, so a relative -f is
// made absolute on its command line ("Command line:" shows it so); the
// pid files are as keepalived's.
//
// It reports whether the caller is the one that must exit (with the
// status returned). The detached process sets its umask here, before
// anything is written.
func daemonize(args []string) (exit bool, code int) {
	if os.Getenv(daemonEnv) != "" {
		os.Unsetenv(daemonEnv)
		syscall.Umask(int(processUmask(cli.Parse(args[1:]).Options, nil)))
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
	rest := args[1:]
	if wd, err := os.Getwd(); err == nil {
		rest = absConfigFile(rest, wd)
	}
	cmd := exec.Command(exe, rest...)
	cmd.Args[0] = args[0]
	cmd.Dir = daemonDir
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

// processUmask is the file creation mask keepalived runs under: -u when
// given (keepalived then ignores global_defs' umask, "umask command line
// option specified, ignoring config option"), else global_defs' umask
// (g may be nil before the configuration is read), else defaultUmask.
func processUmask(o cli.Options, g *config.GlobalDefs) uint32 {
	switch {
	case o.UmaskSet:
		return o.Umask
	case g != nil && g.Umask != nil:
		return *g.Umask
	}
	return defaultUmask
}

// absConfigFile returns args (without argv[0]) with the configuration
// file that keepalived would read made absolute against wd, in the word
// that gives it ("-f k.conf", "-fk.conf", "-nf k.conf",
// "--use-file=k.conf", "--use-f k.conf"), everything else as it was. The
// word is found with the command line parser itself: it is the one that,
// extended, extends the file name the parser reads.
func absConfigFile(args []string, wd string) []string {
	file := cli.Parse(args).Options.ConfigFile
	if file == "" || filepath.IsAbs(file) {
		return args
	}
	const probe = "\x00probe"
	for i := len(args) - 1; i >= 0; i-- {
		try := append([]string(nil), args...)
		try[i] += probe
		if cli.Parse(try).Options.ConfigFile != file+probe {
			continue
		}
		out := append([]string(nil), args...)
		out[i] = args[i][:len(args[i])-len(file)] + filepath.Join(wd, file)
		return out
	}
	return args
}
