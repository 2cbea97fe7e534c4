package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"syscall"

	"github.com/gokeepalived/gokeepalived/pkg/config"
)

// Exit codes besides the -t verdicts (config.ExitOK/ExitConfig/
// ExitConfigTest/ExitConfigTestS).
const (
	// ExitBadOption is keepalived's exit(1) after an unknown option, a
	// missing parameter, an unknown --signum name or a config-test log
	// file it cannot open.
	ExitBadOption = 1
	// ExitNotImplemented is returned when asked to start the daemon
	// without one (Env.Daemon nil), or genhash, which this version does
	// not have yet. It is keepalived's
	// KEEPALIVED_EXIT_PROGRAM_ERROR (2, "cannot initialise subsystems"):
	// what systemd should see when the service cannot run, distinct from
	// 1 (a bad command line) and from the -t verdicts 4-6.
	ExitNotImplemented = 2
)

// NotImplementedMsg is printed when the command line would start the
// daemon and Env has none.
const NotImplementedMsg = "gokeepalived: the daemon is not implemented yet; only -t, -d, -v, --signum work in this version"

// GenhashNotImplementedMsg is printed for -T / --genhash.
const GenhashNotImplementedMsg = "gokeepalived: genhash mode (-T, --genhash) is not implemented yet"

// Env is what Main talks to. Zero fields get the real thing.
type Env struct {
	Stdout, Stderr io.Writer
	// Load reads a configuration; nil means config.Load.
	Load func(config.Options) (*config.Config, config.Diagnostics)
	// VersionInfo describes the system for -v; nil means
	// SystemVersionInfo.
	VersionInfo func() VersionInfo
	// Daemon runs the daemon and returns its exit status
	// (internal/daemon.Run; cli cannot import it, the daemon imports
	// cli). nil: the daemon is not available, and Main says so.
	Daemon func(Options) int
}

// Main runs the command line args (args[0] is the program name) and
// returns the exit status.
func Main(args []string, env Env) int {
	if env.Stdout == nil {
		env.Stdout = os.Stdout
	}
	if env.Stderr == nil {
		env.Stderr = os.Stderr
	}
	if env.Load == nil {
		env.Load = config.Load
	}
	if env.VersionInfo == nil {
		env.VersionInfo = SystemVersionInfo
	}
	prog := "keepalived"
	if len(args) > 0 {
		prog, args = args[0], args[1:]
	}

	r := Parse(args)
	for _, m := range r.Messages {
		fmt.Fprintln(env.Stderr, m)
	}
	o := r.Options
	switch r.Action {
	case ActionVersion:
		WriteVersion(env.Stderr, env.VersionInfo())
		return config.ExitOK
	case ActionHelp:
		Usage(env.Stderr, prog)
		return config.ExitOK
	case ActionSignum:
		n, ok := Signum(o.Signum)
		if !ok {
			fmt.Fprintf(env.Stderr, "Unknown sigfunc %s\n", o.Signum)
			return ExitBadOption
		}
		fmt.Fprintf(env.Stdout, "%d\n", n)
		return config.ExitOK
	case ActionGenhash:
		fmt.Fprintln(env.Stderr, GenhashNotImplementedMsg)
		return ExitNotImplemented
	}

	if len(r.Unexpected) > 0 {
		// keepalived's exact line, trailing blank included; it then
		// carries on.
		fmt.Fprintf(env.Stdout, "Unexpected argument(s): %s \n", strings.Join(r.Unexpected, " "))
	}
	if r.Bad {
		return ExitBadOption
	}

	if o.ConfigTest || o.DumpConf {
		code := checkConfig(env, o, r.ConfigErrors)
		if o.ConfigTest || code == ExitBadOption {
			return code
		}
	}
	if env.Daemon != nil {
		return env.Daemon(o)
	}
	fmt.Fprintln(env.Stderr, NotImplementedMsg)
	return ExitNotImplemented
}

// checkConfig is -t and -d: read the configuration, print every diagnostic
// (to stderr, or appended to the --config-test log file), dump the model
// to stdout if asked, and return the -t verdict.
func checkConfig(env Env, o Options, optionErrors int) int {
	out := env.Stderr
	if o.ConfigTestLog != "" {
		// keepalived appends to the log file and creates it 0600.
		f, err := os.OpenFile(o.ConfigTestLog, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
		if err != nil {
			errno, text := errnoOf(err)
			fmt.Fprintf(env.Stderr, "Unable to open config-test log file %s %d - %s\n", o.ConfigTestLog, errno, text)
			return ExitBadOption
		}
		defer f.Close()
		out = f
	}

	opts := config.Options{File: o.ConfigFile, ConfigID: o.ConfigID, AllConfig: o.AllConfig}
	var cfg *config.Config
	var diags config.Diagnostics
	if d, ok := mainFileProblem(o.ConfigFile, o.AllConfig); ok {
		// keepalived runs on with an empty configuration.
		cfg, diags = config.NewConfig(), config.Diagnostics{d}
	} else {
		cfg, diags = env.Load(opts)
	}
	for _, d := range diags {
		fmt.Fprintln(out, d.Verbose())
	}

	if optionErrors > 0 {
		// An invalid -S is a configuration error to keepalived; it was
		// printed while parsing.
		diags = append(diags, config.Diagnostic{Class: config.ClassInvalidNumber})
	}
	code := diags.ExitCode()

	if o.DumpConf {
		var err error
		if o.DumpFormat == FormatJSON {
			err = DumpJSON(env.Stdout, cfg)
		} else {
			err = DumpText(env.Stdout, cfg)
		}
		if err != nil {
			fmt.Fprintf(env.Stderr, "gokeepalived: cannot dump the configuration: %v\n", err)
			return ExitBadOption
		}
	}
	return code
}

// mainFileProblem reports what keepalived says when the main configuration
// file, named without wildcards, is missing or is a directory: it says so
// and runs with an empty configuration, so -t exits 0, or 4 with -e
// (checked with Debian's 2.2.7). Patterns with wildcards are left to the
// configuration reader, which expands them as it expands includes.
func mainFileProblem(path string, allConfig bool) (config.Diagnostic, bool) {
	if strings.ContainsAny(path, "*?[{") {
		return config.Diagnostic{}, false
	}
	cl := config.ClassInfo
	if allConfig {
		cl = config.ClassFileNotFound
	}
	fi, err := os.Stat(path)
	switch {
	case err != nil:
		return config.Diagnostic{Class: cl, Msg: fmt.Sprintf("Config files missing '%s'.", path)}, true
	case fi.IsDir():
		return config.Diagnostic{Class: cl, Msg: fmt.Sprintf("Configuration file '%s/' is a directory - skipping", strings.TrimRight(path, "/"))}, true
	}
	return config.Diagnostic{}, false
}

// errnoOf returns the errno and a C-style message ("No such file or
// directory") for err, as keepalived prints "%d - %m".
func errnoOf(err error) (int, string) {
	var errno syscall.Errno
	if errors.As(err, &errno) {
		s := errno.Error()
		if s != "" {
			s = strings.ToUpper(s[:1]) + s[1:]
		}
		return int(errno), s
	}
	return 0, err.Error()
}
