package cli

import (
	"reflect"
	"strings"
	"testing"
)

// TestParseOptions: command lines → Options, as keepalived's getopt_long
// reads them.
func TestParseOptions(t *testing.T) {
	tests := []struct {
		line string
		want func(o *Options)
	}{
		{"", func(o *Options) {}},
		{"-f /x.conf", func(o *Options) { o.ConfigFile = "/x.conf" }},
		{"-f/x.conf", func(o *Options) { o.ConfigFile = "/x.conf" }},
		{"--use-file=/x.conf", func(o *Options) { o.ConfigFile = "/x.conf" }},
		{"--use-file /x.conf", func(o *Options) { o.ConfigFile = "/x.conf" }},
		{"--use /x.conf", func(o *Options) { o.ConfigFile = "/x.conf" }},
		// A required argument is the next word even if it looks like an option.
		{"-f -n", func(o *Options) { o.ConfigFile = "-n" }},
		{"-f a -f b", func(o *Options) { o.ConfigFile = "b" }},
		{"-nlD", func(o *Options) { o.DontFork, o.LogConsole, o.LogDetail = true, true, 1 }},
		{"-DD", func(o *Options) { o.LogDetail = 2 }},
		{"-D --log-detail", func(o *Options) { o.LogDetail = 2 }},
		{"-nf/x.conf", func(o *Options) { o.DontFork, o.ConfigFile = true, "/x.conf" }},
		{"-nf /x.conf", func(o *Options) { o.DontFork, o.ConfigFile = true, "/x.conf" }},
		{"-P", func(o *Options) { o.Checker = false }},
		{"--vrrp", func(o *Options) { o.Checker = false }},
		{"-C", func(o *Options) { o.VRRP = false }},
		{"--check", func(o *Options) { o.VRRP = false }},
		{"-B", func(o *Options) { o.BFD = false }},
		{"--no_bfd", func(o *Options) { o.BFD = false }},
		{"-PCB", func(o *Options) { o.VRRP, o.Checker, o.BFD = false, false, false }},
		{"-P --all", func(o *Options) { o.RunAll = true }},
		{"--all -P", func(o *Options) { o.RunAll, o.Checker = true, false }},
		{"-l --log-console", func(o *Options) { o.LogConsole = true }},
		{"-S 3", func(o *Options) { o.LogFacility = "local3" }},
		{"-S7", func(o *Options) { o.LogFacility = "local7" }},
		{"-S +0", func(o *Options) { o.LogFacility = "local0" }},
		{"--log-facility=local5", func(o *Options) { o.LogFacility = "local5" }},
		{"--log-facility user", func(o *Options) { o.LogFacility = "user" }},
		{"-S 2 -S daemon", func(o *Options) { o.LogFacility = "daemon" }},
		{"-g", func(o *Options) { o.LogFile = DefaultLogFile }},
		{"-g/var/log/k.log", func(o *Options) { o.LogFile = "/var/log/k.log" }},
		{"--log-file=/var/log/k.log", func(o *Options) { o.LogFile = "/var/log/k.log" }},
		{"--log-file", func(o *Options) { o.LogFile = DefaultLogFile }},
		{"--flush-log-file", func(o *Options) { o.FlushLogFile = true }},
		{"--log-format=json", func(o *Options) { o.LogFormat = LogJSON }},
		{"--log-format json", func(o *Options) { o.LogFormat = LogJSON }},
		{"--log-format=json --log-format=text", func(o *Options) { o.LogFormat = LogText }},
		{"--log-fo=json -nl", func(o *Options) { o.LogFormat, o.DontFork, o.LogConsole = LogJSON, true, true }},
		{"-G", func(o *Options) { o.NoSyslog = true }},
		{"--no-syslog", func(o *Options) { o.NoSyslog = true }},
		{"-u 022", func(o *Options) { o.Umask, o.UmaskSet = 0o22, true }},
		{"-u0x1f", func(o *Options) { o.Umask, o.UmaskSet = 0x1f, true }},
		{"--umask=18", func(o *Options) { o.Umask, o.UmaskSet = 18, true }},
		{"--umask 0777", func(o *Options) { o.Umask, o.UmaskSet = 0o777, true }},
		{"-X -V -I -R", func(o *Options) {
			o.ReleaseVIPs, o.DontReleaseVRRP, o.DontReleaseIPVS, o.DontRespawn = true, true, true, true
		}},
		{"--release-vips --dont-release-vrrp --dont-release-ipvs --dont-respawn --dont-fork", func(o *Options) {
			o.ReleaseVIPs, o.DontReleaseVRRP, o.DontReleaseIPVS, o.DontRespawn, o.DontFork = true, true, true, true, true
		}},
		{"-d", func(o *Options) { o.DumpConf = true }},
		{"--dump-conf", func(o *Options) { o.DumpConf = true }},
		{"--dump-conf=json", func(o *Options) { o.DumpConf, o.DumpFormat = true, FormatJSON }},
		{"--dump-conf=text", func(o *Options) { o.DumpConf = true }},
		{"--dump", func(o *Options) { o.DumpConf = true }},
		{"-dn", func(o *Options) { o.DumpConf, o.DontFork = true, true }},
		{"-p /run/a.pid -r /run/b.pid -c /run/c.pid -b /run/d.pid", func(o *Options) {
			o.PidFile, o.VRRPPidFile, o.CheckersPidFile, o.BFDPidFile = "/run/a.pid", "/run/b.pid", "/run/c.pid", "/run/d.pid"
		}},
		{"--pid=/a --vrrp_pid=/b --checkers_pid=/c --bfd_pid=/d", func(o *Options) {
			o.PidFile, o.VRRPPidFile, o.CheckersPidFile, o.BFDPidFile = "/a", "/b", "/c", "/d"
		}},
		{"-a", func(o *Options) { o.AddressMonitoring = true }},
		{"--address-monitoring", func(o *Options) { o.AddressMonitoring = true }},
		{"-x -A /var/agentx", func(o *Options) { o.SNMP, o.SNMPAgentSocket = true, "/var/agentx" }},
		{"--snmp --snmp-agent-socket=tcp:localhost:705", func(o *Options) { o.SNMP, o.SNMPAgentSocket = true, "tcp:localhost:705" }},
		{"-s blue", func(o *Options) { o.Namespace = "blue" }},
		{"--namespace=blue", func(o *Options) { o.Namespace = "blue" }},
		{"-m", func(o *Options) { o.CoreDump = true }},
		{"--core-dump", func(o *Options) { o.CoreDump = true }},
		{"-M", func(o *Options) { o.CoreDump, o.SetCorePattern, o.CoreDumpPattern = true, true, DefaultCorePattern }},
		{"-Mcore.%p", func(o *Options) { o.CoreDump, o.SetCorePattern, o.CoreDumpPattern = true, true, "core.%p" }},
		{"--core-dump-pattern=/tmp/c", func(o *Options) { o.CoreDump, o.SetCorePattern, o.CoreDumpPattern = true, true, "/tmp/c" }},
		{"-e", func(o *Options) { o.AllConfig = true }},
		{"--all-config", func(o *Options) { o.AllConfig = true }},
		{"-i lb1", func(o *Options) { o.ConfigID = "lb1" }},
		{"--config-id lb1", func(o *Options) { o.ConfigID = "lb1" }},
		{"--config-id=lb1", func(o *Options) { o.ConfigID = "lb1" }},
		{"-t", func(o *Options) { o.ConfigTest = true }},
		{"-t/tmp/log", func(o *Options) { o.ConfigTest, o.ConfigTestLog = true, "/tmp/log" }},
		{"--config-test", func(o *Options) { o.ConfigTest = true }},
		{"--config-test=/tmp/log", func(o *Options) { o.ConfigTest, o.ConfigTestLog = true, "/tmp/log" }},
		{"--config-test=", func(o *Options) { o.ConfigTest = true }},
		{"--config-t", func(o *Options) { o.ConfigTest = true }},
		// An optional argument takes the rest of the cluster: -tn is log file "n".
		{"-tn", func(o *Options) { o.ConfigTest, o.ConfigTestLog = true, "n" }},
		{"-nt", func(o *Options) { o.ConfigTest, o.DontFork = true, true }},
		{"--perf", func(o *Options) { o.Perf = "run" }},
		{"--perf=end", func(o *Options) { o.Perf = "end" }},
		{"--debug=DvEcvNR", func(o *Options) { o.Debug, o.DebugSet = "DvEcvNR", true }},
		{"--debug", func(o *Options) { o.DebugSet = true }},
		{"--no-mem-check --ignore-sigint", func(o *Options) { o.NoMemCheck, o.IgnoreSigint = true, true }},
		{"--config-fd=7", func(o *Options) { o.ConfigFD = 7 }},
		{"--config-fd=abc", func(o *Options) {}},
		// systemd's unit: --dont-fork $KEEPALIVED_OPTIONS, split on blanks.
		{"--dont-fork -D -S 1 -i lb2", func(o *Options) { o.DontFork, o.LogDetail, o.LogFacility, o.ConfigID = true, 1, "local1", "lb2" }},
	}
	for _, tc := range tests {
		t.Run(tc.line, func(t *testing.T) {
			r := Parse(strings.Fields(tc.line))
			want := NewOptions()
			tc.want(&want)
			if !reflect.DeepEqual(r.Options, want) {
				t.Errorf("options:\n got %+v\nwant %+v", r.Options, want)
			}
			if r.Bad || len(r.Messages) != 0 || len(r.Unexpected) != 0 || r.Action != ActionRun {
				t.Errorf("bad=%v messages=%q unexpected=%q action=%v", r.Bad, r.Messages, r.Unexpected, r.Action)
			}
		})
	}
}

// TestParseErrors: what keepalived prints (stderr, in order), whether it
// then exits 1, and the non-option words it prints on stdout.
func TestParseErrors(t *testing.T) {
	tests := []struct {
		args       []string
		messages   []string
		bad        bool
		unexpected []string
	}{
		{[]string{"--bogus"}, []string{"Unknown option --bogus"}, true, nil},
		{[]string{"-Z"}, []string{"Unknown option -Z"}, true, nil},
		{[]string{"-nZ"}, []string{"Unknown option -Z"}, true, nil},
		{[]string{"-dxyz"}, []string{"Unknown option -y", "Unknown option -z"}, true, nil},
		{[]string{"--help=x"}, []string{"Unknown option --help=x"}, true, nil},
		{[]string{"--vrrp=1"}, []string{"Unknown option --vrrp=1"}, true, nil},
		// Ambiguous abbreviations: --v (vrrp, vrrp_pid, version), --co, --al, --d, --log-f.
		{[]string{"--v"}, []string{"Unknown option --v"}, true, nil},
		{[]string{"--co"}, []string{"Unknown option --co"}, true, nil},
		{[]string{"--con"}, []string{"Unknown option --con"}, true, nil},
		{[]string{"--al"}, []string{"Unknown option --al"}, true, nil},
		{[]string{"--d"}, []string{"Unknown option --d"}, true, nil},
		{[]string{"--log-f"}, []string{"Unknown option --log-f"}, true, nil},
		{[]string{"-f"}, []string{"Missing parameter for option -f"}, true, nil},
		{[]string{"-nf"}, []string{"Missing parameter for option -f"}, true, nil},
		{[]string{"-i"}, []string{"Missing parameter for option -i"}, true, nil},
		{[]string{"--use-file"}, []string{"Missing parameter for option --use-file"}, true, nil},
		{[]string{"--use-file="}, []string{"Missing parameter for option --use-file"}, true, nil},
		{[]string{"--umask="}, []string{"Missing parameter for option --umask"}, true, nil},
		{[]string{"--pid", ""}, []string{"Missing parameter for option --pid"}, true, nil},
		{[]string{"--config-id"}, []string{"Missing parameter for option --config-id"}, true, nil},
		{[]string{"--bogus", "--use-file"}, []string{"Unknown option --bogus", "Missing parameter for option --use-file"}, true, nil},
		// Non-options are collected (GNU permutation) and do not fail.
		{[]string{"-t", "x", "y"}, nil, false, []string{"x", "y"}},
		{[]string{"foo", "bar", "--zz"}, []string{"Unknown option --zz"}, true, []string{"foo", "bar"}},
		{[]string{"--zz", "--", "foo", "-n"}, []string{"Unknown option --zz"}, true, []string{"foo", "-n"}},
		{[]string{"-t", "-"}, nil, false, []string{"-"}},
		{[]string{"--dump-conf=xml"}, []string{"Invalid --dump-conf format 'xml' - use 'text' or 'json'"}, true, nil},
		{[]string{"--log-format=JSON"}, []string{"Invalid --log-format 'JSON' - use 'text' or 'json'"}, true, nil},
		{[]string{"--log-format="}, []string{"Missing parameter for option --log-format"}, true, nil},
		{[]string{"--log-format"}, []string{"Missing parameter for option --log-format"}, true, nil},
		// Invalid values keepalived reports and ignores.
		{[]string{"-u", "01000"}, []string{"Invalid --umask option 01000"}, false, nil},
		{[]string{"-u", "077x"}, []string{"Invalid --umask option 077x"}, false, nil},
		{[]string{"-u", "-1"}, []string{"Invalid --umask option -1"}, false, nil},
		{[]string{"-u", "022 "}, []string{"Invalid --umask option 022 "}, false, nil},
		{[]string{"-u", "0o22"}, []string{"Invalid --umask option 0o22"}, false, nil},
		{[]string{"-S", "8"}, []string{"Invalid log facility '8'"}, false, nil},
		{[]string{"-S", "010"}, []string{"Invalid log facility '010'"}, false, nil},
		{[]string{"-S", "0x3"}, []string{"Invalid log facility '0x3'"}, false, nil},
		{[]string{"-S", "3 "}, []string{"Invalid log facility '3 '"}, false, nil},
		{[]string{"-S", "-1"}, []string{"Invalid log facility '-1'"}, false, nil},
		{[]string{"-S", "LOCAL3"}, []string{"Invalid log facility 'LOCAL3'"}, false, nil},
		{[]string{"-S", "local8"}, []string{"Invalid log facility 'local8'"}, false, nil},
		{[]string{"-S", "auth"}, []string{"Invalid log facility 'auth'"}, false, nil},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			r := Parse(tc.args)
			if !reflect.DeepEqual(r.Messages, tc.messages) {
				t.Errorf("messages = %q, want %q", r.Messages, tc.messages)
			}
			if r.Bad != tc.bad {
				t.Errorf("bad = %v, want %v", r.Bad, tc.bad)
			}
			if !reflect.DeepEqual(r.Unexpected, tc.unexpected) {
				t.Errorf("unexpected = %q, want %q", r.Unexpected, tc.unexpected)
			}
		})
	}
}

func TestParseInvalidValuesKeepDefaults(t *testing.T) {
	r := Parse([]string{"-S", "9", "-u", "abc"})
	if r.Options.LogFacility != "daemon" || r.Options.UmaskSet {
		t.Errorf("facility %q umask set %v: invalid values must be ignored", r.Options.LogFacility, r.Options.UmaskSet)
	}
	if r.ConfigErrors != 1 {
		t.Errorf("ConfigErrors = %d, want 1 (-S only; -u does not change -t)", r.ConfigErrors)
	}
	// The valid forms keepalived accepts silently.
	for _, v := range []string{"", " 3", "+3", "07", "local", "local0", "local7", "user", "daemon"} {
		r := Parse([]string{"-S", v})
		if len(r.Messages) != 0 || r.ConfigErrors != 0 {
			t.Errorf("-S %q: messages %q errors %d", v, r.Messages, r.ConfigErrors)
		}
	}
	for _, v := range []string{"", " 022", "+022", "0X1f", "0", "8"} {
		r := Parse([]string{"-u", v})
		if len(r.Messages) != 0 || !r.Options.UmaskSet {
			t.Errorf("-u %q: messages %q set %v", v, r.Messages, r.Options.UmaskSet)
		}
	}
}

// TestParseStops: -v, -h, --signum and -T end the loop where they stand,
// as keepalived exits from inside it.
func TestParseStops(t *testing.T) {
	tests := []struct {
		args     []string
		action   Action
		messages []string
		signum   string
		genhash  []string
	}{
		{[]string{"-v", "--zz"}, ActionVersion, nil, "", nil},
		{[]string{"--zz", "-v"}, ActionVersion, []string{"Unknown option --zz"}, "", nil},
		{[]string{"--ver"}, ActionVersion, nil, "", nil},
		{[]string{"-nv"}, ActionVersion, nil, "", nil},
		{[]string{"-h", "--zz"}, ActionHelp, nil, "", nil},
		{[]string{"--he"}, ActionHelp, nil, "", nil},
		{[]string{"--signum=STOP"}, ActionSignum, nil, "STOP", nil},
		{[]string{"--signum", "RELOAD"}, ActionSignum, nil, "RELOAD", nil},
		{[]string{"--sig=DATA", "--zz"}, ActionSignum, nil, "DATA", nil},
		{[]string{"--zz", "--signum=STOP"}, ActionSignum, []string{"Unknown option --zz"}, "STOP", nil},
		{[]string{"-T", "-s", "10.0.0.1", "-p", "80"}, ActionGenhash, nil, "", []string{"-s", "10.0.0.1", "-p", "80"}},
		{[]string{"--genhash", "-h"}, ActionGenhash, nil, "", []string{"-h"}},
		{[]string{"-t", "-T", "--zz"}, ActionGenhash, []string{"Warning -- `-T` not used as first option, previous options ignored"}, "", []string{"--zz"}},
		{[]string{"-nT"}, ActionGenhash, []string{"Warning -- `-T` not used as first option, previous options ignored"}, "", nil},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			r := Parse(tc.args)
			if r.Action != tc.action {
				t.Errorf("action = %v, want %v", r.Action, tc.action)
			}
			if !reflect.DeepEqual(r.Messages, tc.messages) {
				t.Errorf("messages = %q, want %q", r.Messages, tc.messages)
			}
			if r.Options.Signum != tc.signum {
				t.Errorf("signum = %q, want %q", r.Options.Signum, tc.signum)
			}
			if tc.genhash != nil && !reflect.DeepEqual(r.Options.GenhashArgs, tc.genhash) {
				t.Errorf("genhash args = %q, want %q", r.Options.GenhashArgs, tc.genhash)
			}
		})
	}
}

// TestOptionTable guards the table against typos:
// the short letters are exactly Debian 2.2.7's getopt string, and the long
// names are keepalived 2.2/2.4's.
func TestOptionTable(t *testing.T) {
	var shorts []byte
	longs := map[string]bool{}
	for _, o := range table {
		if o.short != 0 {
			shorts = append(shorts, o.short)
		}
		if longs[o.long] {
			t.Errorf("long option %q listed twice", o.long)
		}
		longs[o.long] = true
	}
	// ":vhlndu:DRS:f:p:i:es:mM::g::Gt::PCr:VXac:ITBb:xA:" without the colons.
	const debian = "vhlnduDRSfpiesmMgGtPCrVXacITBbxA"
	for i := 0; i < len(debian); i++ {
		if shortOpt(debian[i]) == nil {
			t.Errorf("short option -%c missing", debian[i])
		}
	}
	if len(shorts) != len(debian) {
		t.Errorf("%d short options, want %d", len(shorts), len(debian))
	}
	for _, l := range []string{"use-file", "vrrp", "check", "no_bfd", "all", "log-console", "log-detail",
		"log-facility", "log-file", "flush-log-file", "no-syslog", "umask", "release-vips", "dont-release-vrrp",
		"dont-release-ipvs", "dont-respawn", "dont-fork", "dump-conf", "pid", "vrrp_pid", "checkers_pid",
		"address-monitoring", "bfd_pid", "snmp", "snmp-agent-socket", "core-dump", "core-dump-pattern",
		"namespace", "config-id", "signum", "config-test", "perf", "debug", "genhash", "all-config",
		"no-mem-check", "ignore-sigint", "config-fd", "log-format", "version", "help"} {
		if !longs[l] {
			t.Errorf("long option --%s missing", l)
		}
	}
}
