// Package cli is the command line of the keepalived binary: option parsing
// exactly as keepalived 2.2's getopt_long loop does it (keepalived/core/main.c,
// parse_cmdline), the --help text, the --signum table, and the -v, -t and -d
// flows. Parsing is pure (Parse); Main runs the flows against an Env so that
// tests can drive it without a process.
package cli

// DefaultConfigFile is keepalived's compiled-in configuration path (-f).
const DefaultConfigFile = "/etc/keepalived/keepalived.conf"

// DefaultLogFile is what -g / --log-file without an argument logs to.
const DefaultLogFile = "/tmp/keepalived.log"

// DefaultCorePattern is what -M / --core-dump-pattern without an argument
// writes to /proc/sys/kernel/core_pattern.
const DefaultCorePattern = "core"

// Action is what the command line asks the binary to do.
type Action int

const (
	// ActionRun starts the daemon, or checks (-t) / dumps (-d) the
	// configuration.
	ActionRun Action = iota
	// ActionVersion is -v / --version.
	ActionVersion
	// ActionHelp is -h / --help.
	ActionHelp
	// ActionSignum is --signum=SIGFUNC.
	ActionSignum
	// ActionGenhash is -T / --genhash: the rest of the line belongs to the
	// genhash utility.
	ActionGenhash
)

// DumpFormat is the output format of -d / --dump-conf.
type DumpFormat string

const (
	// FormatText is our indented text dump (plain -d, --dump-conf=text).
	FormatText DumpFormat = "text"
	// FormatJSON is --dump-conf=json, beyond keepalived.
	FormatJSON DumpFormat = "json"
)

// LogFormat is the layout of the console and log file lines
// (--log-format, beyond keepalived).
type LogFormat string

const (
	// LogText is keepalived's "Mon Jan  2 15:04:05 2006: text" lines.
	LogText LogFormat = "text"
	// LogJSON is one JSON object per line.
	LogJSON LogFormat = "json"
)

// Options is the typed result of the command line. Field comments name
// the option; the zero value is not meaningful, use NewOptions.
type Options struct {
	ConfigFile string // -f, --use-file

	// Subsystems to run. keepalived starts with all three set; -P clears
	// the checker, -C clears VRRP, -B clears BFD, --all sets all three
	// again (and RunAll), each in command line order.
	VRRP    bool
	Checker bool
	BFD     bool
	RunAll  bool // --all: start children even with nothing configured

	LogConsole   bool   // -l, --log-console
	LogDetail    int    // -D, --log-detail: 1 detailed, 2 or more extra detail
	LogFacility  string // -S: "daemon" (default), "user" or "local0".."local7"
	LogFile      string // -g, --log-file ("" when not given)
	FlushLogFile bool   // --flush-log-file
	NoSyslog     bool   // -G, --no-syslog
	// LogFormat is --log-format=text|json (beyond keepalived); syslog
	// always gets the plain text.
	LogFormat LogFormat

	UmaskSet bool   // -u, --umask given with a valid value
	Umask    uint32 // its value (at most 0777)

	ReleaseVIPs     bool // -X, --release-vips
	DontReleaseVRRP bool // -V, --dont-release-vrrp
	DontReleaseIPVS bool // -I, --dont-release-ipvs
	DontRespawn     bool // -R, --dont-respawn
	DontFork        bool // -n, --dont-fork

	DumpConf   bool       // -d, --dump-conf
	DumpFormat DumpFormat // --dump-conf=json (beyond keepalived)

	PidFile         string // -p, --pid
	VRRPPidFile     string // -r, --vrrp_pid
	CheckersPidFile string // -c, --checkers_pid
	BFDPidFile      string // -b, --bfd_pid

	AddressMonitoring bool   // -a, --address-monitoring
	SNMP              bool   // -x, --snmp
	SNMPAgentSocket   string // -A, --snmp-agent-socket
	Namespace         string // -s, --namespace

	CoreDump        bool   // -m, --core-dump (also set by -M)
	SetCorePattern  bool   // -M, --core-dump-pattern
	CoreDumpPattern string // its pattern, DefaultCorePattern when none given

	AllConfig bool   // -e, --all-config
	ConfigID  string // -i, --config-id ("" = short host name)

	ConfigTest    bool   // -t, --config-test
	ConfigTestLog string // --config-test=LOG_FILE ("" = stderr)

	// Options keepalived only has in developer builds (not in Debian's
	// 2.2.7); accepted so that a command line written for such a build
	// still parses.
	Perf         string // --perf[=all|run|end]; "" when not given
	Debug        string // --debug[=options]
	DebugSet     bool
	NoMemCheck   bool // --no-mem-check
	IgnoreSigint bool // --ignore-sigint
	ConfigFD     int  // --config-fd (keepalived's reload check); -1 if unset

	// Child is the internal --child=vrrp|checker: this process is one of
	// the daemon's children, started by the parent with its pipes as
	// file descriptors 3 and 4 (not in --help: operators never give it).
	Child string

	Signum      string   // --signum=SIGFUNC (ActionSignum)
	GenhashArgs []string // the arguments after -T (ActionGenhash)
}

// NewOptions returns keepalived's defaults.
func NewOptions() Options {
	return Options{
		ConfigFile:  DefaultConfigFile,
		VRRP:        true,
		Checker:     true,
		BFD:         true,
		LogFacility: "daemon",
		DumpFormat:  FormatText,
		LogFormat:   LogText,
		ConfigFD:    -1,
	}
}

// Result is everything Parse learnt from a command line.
type Result struct {
	Options Options
	// Action is what to do. Parsing stops at -v, -h, --signum and -T, as
	// keepalived's loop exits there; later options are not looked at.
	Action Action
	// Messages are the lines keepalived prints on stderr while parsing,
	// in order (unknown options, missing parameters, invalid values).
	Messages []string
	// Unexpected are the non-option arguments; keepalived prints them on
	// stdout ("Unexpected argument(s): ...") and carries on.
	Unexpected []string
	// Bad is set by an unknown option or a missing parameter: keepalived
	// exits 1 once the whole line has been read.
	Bad bool
	// ConfigErrors counts invalid option values that keepalived reports as
	// configuration errors (an invalid -S): with -t they make the verdict
	// at least "errors" (exit 5).
	ConfigErrors int
}
