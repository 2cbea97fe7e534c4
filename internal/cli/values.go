package cli

import (
	"strconv"
	"strings"
)

// Readers for option values that are more than a string. Their accepted
// forms and messages were checked against Debian's keepalived 2.2.7 run
// with -t (so that nothing starts).

// setFacility reads -S / --log-facility: a number 0-7 (LOG_LOCAL0-7),
// "localN", "user" or "daemon". keepalived reads numbers with its config
// reader: leading blanks and a '+' are fine, trailing text is not, "010" is
// ten (so out of range), and an empty number is 0 — hence "" and "local"
// both mean local0.
//
// An invalid value is printed and ignored (the facility stays "daemon"),
// but counts as a configuration error, so -t then fails with 5 as
// keepalived's does. keepalived 2.2.7 also fails -t for the valid names
// "localN", "user" and "daemon", because it first tries them as a number
// and reports that attempt; we do not copy that slip.
func setFacility(r *Result, v string, _ bool) {
	switch {
	case v == "user" || v == "daemon":
		r.Options.LogFacility = v
		return
	case strings.HasPrefix(v, "local"):
		if n, ok := readUnsigned(v[len("local"):]); ok && n <= 7 {
			r.Options.LogFacility = "local" + strconv.FormatUint(n, 10)
			return
		}
	default:
		if n, ok := readUnsigned(v); ok && n <= 7 {
			r.Options.LogFacility = "local" + strconv.FormatUint(n, 10)
			return
		}
	}
	r.messagef("Invalid log facility '%s'", v)
	r.ConfigErrors++
}

// readUnsigned reads a decimal number as keepalived's configuration reader
// does (see setFacility).
func readUnsigned(s string) (uint64, bool) {
	s = strings.TrimLeft(s, " \t\n\v\f\r")
	s = strings.TrimPrefix(s, "+")
	if s == "" {
		return 0, true
	}
	n, err := strconv.ParseUint(s, 10, 64)
	return n, err == nil
}

// setUmask reads -u / --umask as C's strtoul with base 0 reads it (0x1f
// hex, 022 octal, 18 decimal), whole word, at most 0777. An invalid mask is
// printed and ignored; it does not change the -t verdict. An empty mask is
// 0, as strtoul makes it.
func setUmask(r *Result, v string, _ bool) {
	n, ok := strtoulBase0(v)
	if !ok || n > 0o777 {
		r.messagef("Invalid --umask option %s", v)
		return
	}
	r.Options.Umask, r.Options.UmaskSet = uint32(n), true
}

func strtoulBase0(s string) (uint64, bool) {
	s = strings.TrimLeft(s, " \t\n\v\f\r")
	if strings.HasPrefix(s, "-") {
		// strtoul negates: any non-zero result is far above 0777.
		n, ok := strtoulBase0(s[1:])
		return -n, ok
	}
	s = strings.TrimPrefix(s, "+")
	base := 10
	switch {
	case s == "":
		return 0, true
	case len(s) > 2 && (s[:2] == "0x" || s[:2] == "0X"):
		s, base = s[2:], 16
	case s[0] == '0':
		base = 8
	}
	n, err := strconv.ParseUint(s, base, 64)
	return n, err == nil
}

// setDump handles -d and --dump-conf[=FORMAT]; FORMAT is ours.
func setDump(r *Result, v string, has bool) {
	switch {
	case !has || v == "" || v == string(FormatText):
		r.Options.DumpFormat = FormatText
	case v == string(FormatJSON):
		r.Options.DumpFormat = FormatJSON
	default:
		r.messagef("Invalid --dump-conf format '%s' - use 'text' or 'json'", v)
		r.Bad = true
		return
	}
	r.Options.DumpConf = true
}

// setLogFormat handles --log-format=text|json (ours). A wrong format
// stops the start, as a wrong --dump-conf format does: an operator who
// asked for JSON logs must not silently get text.
func setLogFormat(r *Result, v string, _ bool) {
	switch LogFormat(v) {
	case LogText, LogJSON:
		r.Options.LogFormat = LogFormat(v)
	default:
		r.messagef("Invalid --log-format '%s' - use 'text' or 'json'", v)
		r.Bad = true
	}
}

// setPerf handles --perf[=all|run|end] (keepalived's default point is
// "run").
func setPerf(r *Result, v string, _ bool) {
	switch v {
	case "":
		r.Options.Perf = "run"
	case "all", "run", "end":
		r.Options.Perf = v
	default:
		r.messagef("Invalid --perf option '%s' - use all, run or end", v)
	}
}

// setConfigFD handles --config-fd=FD, which keepalived passes to the copy
// of itself that checks a new configuration on reload. Debian's 2.2.7 says
// nothing about a value that is not a number; neither do we (it stays
// unset).
func setConfigFD(r *Result, v string, _ bool) {
	if n, err := strconv.Atoi(v); err == nil && n >= 0 {
		r.Options.ConfigFD = n
	}
}

// setChild handles the internal --child=vrrp|checker.
func setChild(r *Result, v string, _ bool) {
	switch v {
	case "vrrp", "checker":
		r.Options.Child = v
	default:
		r.messagef("Invalid --child %s (vrrp or checker)", v)
		r.Bad = true
	}
}
