package cli

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
)

// debianOptionColumn is the option column of Debian keepalived 2.2.7's
// --help, in order. Ours adds -g and --flush-log-file, which Debian's build
// leaves out (configured without log files), where keepalived's full list
// has them, and --log-format (beyond keepalived) after -G.
var debianOptionColumn = []string{
	"-f, --use-file=FILE", "-P, --vrrp", "-C, --check", "-B, --no_bfd", "--all", "-l, --log-console",
	"-D, --log-detail", "-S, --log-facility=([0-7]|local[0-7]|user|daemon)", "-G, --no-syslog",
	"-u, --umask=MASK", "-X, --release-vips", "-V, --dont-release-vrrp", "-I, --dont-release-ipvs",
	"-R, --dont-respawn", "-n, --dont-fork", "-d, --dump-conf", "-p, --pid=FILE", "-r, --vrrp_pid=FILE",
	"-T, --genhash", "-c, --checkers_pid=FILE", "-a, --address-monitoring", "-b, --bfd_pid=FILE",
	"-x, --snmp", "-A, --snmp-agent-socket=FILE", "-s, --namespace=NAME", "-m, --core-dump",
	"-M, --core-dump-pattern=PATN", "-e, --all-config", "-i, --config-id id", "--signum=SIGFUNC",
	"-t, --config-test[=LOG_FILE]", "-v, --version", "-h, --help",
}

// optionColumn extracts the option forms of a keepalived-style usage text:
// lines starting "  -" or "      --". The form fills columns 2-29 and the
// description starts in column 31; a longer form is followed by a single
// blank ("-A, --snmp-agent-socket=FILE Use..."), and the -S form, longer
// still, has its description on the next line.
func optionColumn(usage string) []string {
	var out []string
	for _, l := range strings.Split(usage, "\n") {
		if !strings.HasPrefix(l, "  -") && !strings.HasPrefix(l, "      --") {
			continue
		}
		if len(l) > 31 && l[30] == ' ' {
			l = l[:30]
		}
		out = append(out, strings.TrimSpace(l))
	}
	return out
}

func TestUsage(t *testing.T) {
	var b bytes.Buffer
	Usage(&b, "/usr/sbin/keepalived")
	text := b.String()
	if first, _, _ := strings.Cut(text, "\n"); first != "Usage: /usr/sbin/keepalived [OPTION...]" {
		t.Errorf("first line %q", first)
	}
	var want []string
	for _, o := range debianOptionColumn {
		want = append(want, o)
		if strings.HasPrefix(o, "-S, ") {
			want = append(want, "-g, --log-file=FILE", "--flush-log-file")
		}
		if strings.HasPrefix(o, "-G, ") {
			want = append(want, "--log-format=FORMAT")
		}
	}
	if got := optionColumn(text); !reflect.DeepEqual(got, want) {
		t.Errorf("option column:\n got %q\nwant %q", got, want)
	}
	if !strings.Contains(text, "default '/etc/keepalived/keepalived.conf'") {
		t.Error("the default configuration file is not named")
	}
	// On option lines, descriptions start in keepalived's column (31),
	// except after the long -S form, which has its description on the
	// next line.
	for _, l := range strings.Split(text, "\n") {
		if !strings.HasPrefix(l, "  -") && !strings.HasPrefix(l, "      --") || strings.HasPrefix(l, "  -S, ") {
			continue
		}
		if len(l) < 32 || l[30] != ' ' || l[31] == ' ' {
			t.Errorf("description not in column 31: %q", l)
		}
	}
	// Every option of the table is in the help, except the developer-build
	// ones keepalived does not list either, and our internal --child.
	hidden := map[string]bool{"perf": true, "debug": true, "no-mem-check": true, "ignore-sigint": true, "config-fd": true, "child": true}
	for _, o := range table {
		if !hidden[o.long] && !strings.Contains(text, "--"+o.long) {
			t.Errorf("--%s is not in the help", o.long)
		}
	}
}
