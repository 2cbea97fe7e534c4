package cli

import (
	"fmt"
	"strings"
)

// argKind says whether an option takes an argument, as getopt_long's
// has_arg does.
type argKind int

const (
	noArg argKind = iota
	requiredArg
	optionalArg // only attached: -tFILE, --config-test=FILE
)

// opt is one option of keepalived's command line.
type opt struct {
	long  string // without "--"; every option has one
	short byte   // 0 for long-only options
	arg   argKind
	set   func(r *Result, val string, hasVal bool)
	stop  bool // parsing ends after this option (-v, -h, --signum, -T)
	// shortNoArg: the short form takes no argument even though the long
	// one may (-d versus --dump-conf[=FORMAT]).
	shortNoArg bool
}

// table lists keepalived 2.2's options in the order of its long_options
// array (which decides nothing here: getopt_long matches by name). The
// short letters are those of Debian's 2.2.7 getopt string
// ":vhlndu:DRS:f:p:i:es:mM::g::Gt::PCr:VXac:ITBb:xA:". Long-only options
// in developer builds (--perf, --debug, --no-mem-check, --ignore-sigint)
// and the internal --config-fd are accepted too.
var table = []opt{
	{long: "use-file", short: 'f', arg: requiredArg, set: func(r *Result, v string, _ bool) { r.Options.ConfigFile = v }},
	{long: "vrrp", short: 'P', set: func(r *Result, _ string, _ bool) { r.Options.Checker = false }},
	{long: "check", short: 'C', set: func(r *Result, _ string, _ bool) { r.Options.VRRP = false }},
	{long: "no_bfd", short: 'B', set: func(r *Result, _ string, _ bool) { r.Options.BFD = false }},
	{long: "all", set: func(r *Result, _ string, _ bool) {
		o := &r.Options
		o.RunAll, o.VRRP, o.Checker, o.BFD = true, true, true, true
	}},
	{long: "log-console", short: 'l', set: func(r *Result, _ string, _ bool) { r.Options.LogConsole = true }},
	{long: "log-detail", short: 'D', set: func(r *Result, _ string, _ bool) { r.Options.LogDetail++ }},
	{long: "log-facility", short: 'S', arg: requiredArg, set: setFacility},
	{long: "log-file", short: 'g', arg: optionalArg, set: func(r *Result, v string, has bool) {
		if !has || v == "" {
			v = DefaultLogFile
		}
		r.Options.LogFile = v
	}},
	{long: "flush-log-file", set: func(r *Result, _ string, _ bool) { r.Options.FlushLogFile = true }},
	{long: "no-syslog", short: 'G', set: func(r *Result, _ string, _ bool) { r.Options.NoSyslog = true }},
	{long: "log-format", arg: requiredArg, set: setLogFormat},
	{long: "umask", short: 'u', arg: requiredArg, set: setUmask},
	{long: "release-vips", short: 'X', set: func(r *Result, _ string, _ bool) { r.Options.ReleaseVIPs = true }},
	{long: "dont-release-vrrp", short: 'V', set: func(r *Result, _ string, _ bool) { r.Options.DontReleaseVRRP = true }},
	{long: "dont-release-ipvs", short: 'I', set: func(r *Result, _ string, _ bool) { r.Options.DontReleaseIPVS = true }},
	{long: "dont-respawn", short: 'R', set: func(r *Result, _ string, _ bool) { r.Options.DontRespawn = true }},
	{long: "dont-fork", short: 'n', set: func(r *Result, _ string, _ bool) { r.Options.DontFork = true }},
	// keepalived's --dump-conf takes no argument; ours takes an optional
	// format (beyond keepalived). -d stays argument-less so that clusters
	// like -dnl keep their meaning.
	{long: "dump-conf", short: 'd', arg: optionalArg, shortNoArg: true, set: setDump},
	{long: "pid", short: 'p', arg: requiredArg, set: func(r *Result, v string, _ bool) { r.Options.PidFile = v }},
	{long: "vrrp_pid", short: 'r', arg: requiredArg, set: func(r *Result, v string, _ bool) { r.Options.VRRPPidFile = v }},
	{long: "checkers_pid", short: 'c', arg: requiredArg, set: func(r *Result, v string, _ bool) { r.Options.CheckersPidFile = v }},
	{long: "address-monitoring", short: 'a', set: func(r *Result, _ string, _ bool) { r.Options.AddressMonitoring = true }},
	{long: "bfd_pid", short: 'b', arg: requiredArg, set: func(r *Result, v string, _ bool) { r.Options.BFDPidFile = v }},
	{long: "snmp", short: 'x', set: func(r *Result, _ string, _ bool) { r.Options.SNMP = true }},
	{long: "snmp-agent-socket", short: 'A', arg: requiredArg, set: func(r *Result, v string, _ bool) { r.Options.SNMPAgentSocket = v }},
	{long: "core-dump", short: 'm', set: func(r *Result, _ string, _ bool) { r.Options.CoreDump = true }},
	{long: "core-dump-pattern", short: 'M', arg: optionalArg, set: func(r *Result, v string, has bool) {
		o := &r.Options
		o.CoreDump, o.SetCorePattern = true, true
		if has && v != "" {
			o.CoreDumpPattern = v
		} else if o.CoreDumpPattern == "" {
			o.CoreDumpPattern = DefaultCorePattern
		}
	}},
	{long: "namespace", short: 's', arg: requiredArg, set: func(r *Result, v string, _ bool) { r.Options.Namespace = v }},
	{long: "config-id", short: 'i', arg: requiredArg, set: func(r *Result, v string, _ bool) { r.Options.ConfigID = v }},
	{long: "signum", arg: requiredArg, stop: true, set: func(r *Result, v string, _ bool) {
		r.Action, r.Options.Signum = ActionSignum, v
	}},
	{long: "config-test", short: 't', arg: optionalArg, set: func(r *Result, v string, _ bool) {
		// An empty --config-test= means stderr, as no argument does.
		r.Options.ConfigTest, r.Options.ConfigTestLog = true, v
	}},
	{long: "perf", arg: optionalArg, set: setPerf},
	{long: "debug", arg: optionalArg, set: func(r *Result, v string, _ bool) { r.Options.Debug, r.Options.DebugSet = v, true }},
	{long: "genhash", short: 'T', stop: true, set: func(r *Result, _ string, _ bool) { r.Action = ActionGenhash }},
	{long: "all-config", short: 'e', set: func(r *Result, _ string, _ bool) { r.Options.AllConfig = true }},
	{long: "no-mem-check", set: func(r *Result, _ string, _ bool) { r.Options.NoMemCheck = true }},
	{long: "ignore-sigint", set: func(r *Result, _ string, _ bool) { r.Options.IgnoreSigint = true }},
	{long: "config-fd", arg: requiredArg, set: setConfigFD},
	{long: "child", arg: requiredArg, set: setChild},
	{long: "version", short: 'v', stop: true, set: func(r *Result, _ string, _ bool) { r.Action = ActionVersion }},
	{long: "help", short: 'h', stop: true, set: func(r *Result, _ string, _ bool) { r.Action = ActionHelp }},
}

func shortOpt(c byte) *opt {
	for i := range table {
		if table[i].short == c {
			return &table[i]
		}
	}
	return nil
}

// longOpt finds the option named name the way getopt_long does: an exact
// name wins, otherwise a unique prefix ("--ver" is --version). Two or more
// prefix matches are ambiguous ("--v", "--co"): glibc only accepts those when
// they are the same option, which never happens in this table.
func longOpt(name string) (o *opt, ambiguous bool) {
	var found *opt
	for i := range table {
		t := &table[i]
		if t.long == name {
			return t, false
		}
		if strings.HasPrefix(t.long, name) {
			if found != nil {
				ambiguous = true
			}
			found = t
		}
	}
	if ambiguous {
		return nil, true
	}
	return found, false
}

// Parse reads a command line (without argv[0]) as keepalived 2.2.7 does:
// GNU getopt_long with argument permutation, clusters of short options
// (-nlD), required arguments attached or in the next word (-fFILE, -f FILE,
// --use-file=FILE, --use-file FILE), optional arguments only attached
// (-tFILE, --config-test=FILE), "--" ending the options.
//
// keepalived reports an unknown option with the text of the word being
// parsed when getopt returned; after a permuted non-option argument that
// word is the wrong one ("keepalived foo --bogus" says "Unknown option
// foo"), and a missing argument at the end of the line names a garbage
// option ("--X"). We name the option actually at fault instead.
func Parse(args []string) Result {
	r := Result{Options: NewOptions()}
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			r.Unexpected = append(r.Unexpected, args[i+1:]...)
			return r
		case a == "-" || !strings.HasPrefix(a, "-"):
			// Not an option: GNU getopt moves it to the end and keeps going.
			r.Unexpected = append(r.Unexpected, a)
			continue
		}
		var o *opt
		if strings.HasPrefix(a, "--") {
			o, i = r.parseLong(args, i)
		} else {
			o, i = r.parseShort(args, i)
		}
		if o != nil && o.stop {
			if r.Action == ActionGenhash {
				r.genhash(args, i)
			}
			return r
		}
	}
	return r
}

// parseLong handles args[i], which starts with "--". It returns the option
// applied (nil on error) and the index of the last word consumed.
func (r *Result) parseLong(args []string, i int) (*opt, int) {
	a := args[i]
	name, val, hasVal := strings.Cut(a[2:], "=")
	o, _ := longOpt(name)
	if o == nil {
		// Unknown and ambiguous names get the same message.
		r.unknown(a)
		return nil, i
	}
	switch o.arg {
	case noArg:
		if hasVal {
			// getopt rejects "--vrrp=1"; keepalived prints the whole word.
			r.unknown(a)
			return nil, i
		}
	case requiredArg:
		if !hasVal {
			if i+1 >= len(args) {
				r.missing("--" + o.long)
				return nil, i
			}
			i++
			val, hasVal = args[i], true
		}
		// keepalived turns an empty argument of a long option
		// ("--use-file=") into a missing one.
		if val == "" {
			r.missing("--" + o.long)
			return nil, i
		}
	}
	o.set(r, val, hasVal)
	return o, i
}

// parseShort handles the cluster args[i] ("-nlD", "-fFILE", "-tLOG").
func (r *Result) parseShort(args []string, i int) (*opt, int) {
	a := args[i]
	for j := 1; j < len(a); j++ {
		c := a[j]
		o := shortOpt(c)
		if o == nil {
			r.unknown("-" + string(c))
			continue
		}
		rest := a[j+1:]
		kind := o.arg
		if o.shortNoArg {
			kind = noArg
		}
		switch kind {
		case noArg:
			o.set(r, "", false)
			if o.stop {
				return o, i
			}
			continue
		case optionalArg:
			// The rest of the cluster, if any, is the argument: -tn
			// means log file "n".
			o.set(r, rest, rest != "")
			return o, i
		default:
			if rest == "" {
				if i+1 >= len(args) {
					r.missing("-" + string(c))
					return nil, i
				}
				i++
				rest = args[i]
			}
			o.set(r, rest, true)
			return o, i
		}
	}
	return nil, i
}

// genhash records the genhash arguments: -T hands everything after it to
// the genhash utility, and keepalived warns when it was not the first
// option, since what came before is dropped.
func (r *Result) genhash(args []string, i int) {
	a := args[i]
	word := a
	if !strings.HasPrefix(a, "--") {
		word = "-T"
	}
	if i > 0 || (word == "-T" && a[1] != 'T') {
		r.messagef("Warning -- `%s` not used as first option, previous options ignored", word)
	}
	r.Options.GenhashArgs = append([]string(nil), args[i+1:]...)
}

func (r *Result) unknown(what string) {
	r.Messages = append(r.Messages, "Unknown option "+what)
	r.Bad = true
}

func (r *Result) missing(what string) {
	r.Messages = append(r.Messages, "Missing parameter for option "+what)
	r.Bad = true
}

func (r *Result) messagef(format string, a ...any) {
	r.Messages = append(r.Messages, fmt.Sprintf(format, a...))
}
