package cli

import (
	"fmt"
	"io"
)

// usageLines is the option list of --help. The option column (names and
// argument forms) and the layout follow keepalived 2.2.7's usage() so that
// anyone who knows its help finds the same lines; the descriptions are our
// own. Debian's build leaves -g and --flush-log-file out of its list
// because it was configured without log files; we support them, so they
// are listed where keepalived's full list has them.
var usageLines = []string{
	"  -f, --use-file=FILE          Read the configuration from FILE",
	"                                default '" + DefaultConfigFile + "'",
	"  -P, --vrrp                   Run the VRRP subsystem only",
	"  -C, --check                  Run the health-checker subsystem only",
	"  -B, --no_bfd                 Do not run the BFD subsystem",
	"      --all                    Start every child process, even one with nothing to do",
	"  -l, --log-console            Log to the local console",
	"  -D, --log-detail             Log in more detail (twice for even more)",
	"  -S, --log-facility=([0-7]|local[0-7]|user|daemon)",
	"                               Syslog facility: LOG_LOCAL[0-7], user, or daemon (default)",
	"  -g, --log-file=FILE          Also log to FILE (default /tmp/keepalived.log)",
	"      --flush-log-file         Flush the log file after each message",
	"  -G, --no-syslog              Do not log to syslog",
	"      --log-format=FORMAT      Console and log file lines as 'text' (default) or 'json'",
	"  -u, --umask=MASK             File creation mask, as a number (e.g. 022)",
	"  -X, --release-vips           Remove the VIPs on a transition caused by a signal.",
	"  -V, --dont-release-vrrp      Leave VRRP VIPs and routes in place when stopping",
	"  -I, --dont-release-ipvs      Leave the IPVS tables in place when stopping",
	"  -R, --dont-respawn           Do not restart a child process that exits",
	"  -n, --dont-fork              Stay in the foreground",
	"  -d, --dump-conf              Print the parsed configuration (--dump-conf=json: as JSON)",
	"  -p, --pid=FILE               Pid file of the parent process",
	"  -r, --vrrp_pid=FILE          Pid file of the VRRP child process",
	"  -T, --genhash                Act as the genhash utility (must be the first option).",
	"  -c, --checkers_pid=FILE      Pid file of the health-checker child process",
	"  -a, --address-monitoring     Log every address addition and removal netlink reports",
	"  -b, --bfd_pid=FILE           Pid file of the BFD child process",
	"  -x, --snmp                   Enable the SNMP subsystem",
	"  -A, --snmp-agent-socket=FILE Socket of the SNMP master agent",
	"  -s, --namespace=NAME         Run in network namespace NAME (wins over the configuration)",
	"  -m, --core-dump              Dump core on abnormal termination",
	"  -M, --core-dump-pattern=PATN As -m, and set /proc/sys/kernel/core_pattern to PATN (default 'core')",
	"  -e, --all-config             Fail if any configuration file is missing (as includet does)",
	"  -i, --config-id id           Drop configuration lines starting '@' whose id is not id,",
	"                                and lines starting '@^' whose id is id.",
	"                                Without this option the id is the host name up to its first '.'",
	"      --signum=SIGFUNC         Print the signal number for STOP, RELOAD, DATA, STATS, STATS_CLEAR, JSON",
	"  -t, --config-test[=LOG_FILE] Check the configuration and exit; messages go to",
	"                                stderr, or to LOG_FILE",
	"  -v, --version                Print version information",
	"  -h, --help                   Print this help",
}

// Usage writes the --help text. keepalived writes it to stderr and exits 0;
// prog is argv[0] as given, as keepalived prints it.
func Usage(w io.Writer, prog string) {
	fmt.Fprintf(w, "Usage: %s [OPTION...]\n", prog)
	for _, l := range usageLines {
		fmt.Fprintln(w, l)
	}
}
