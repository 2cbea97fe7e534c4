package daemon

import (
	"reflect"
	"strings"
	"testing"

	"github.com/gokeepalived/gokeepalived/internal/cli"
)

func TestCommandLineWrapsAsKeepalived(t *testing.T) {
	// keepalived 2.2.7's own output for these command lines.
	cases := []struct {
		args []string
		want []string
	}{
		{
			[]string{"/usr/sbin/keepalived", "-n", "-l", "-D", "-f", "/tmp/kaprobe/k.conf", "-p", "/tmp/kaprobe/p1", "-r", "/tmp/kaprobe/p2", "-c", "/tmp/kaprobe/p3"},
			[]string{
				"Command line: '/usr/sbin/keepalived' '-n' '-l' '-D' '-f' '/tmp/kaprobe/k.conf' '-p' '/tmp/kaprobe/p1'",
				"              '-r' '/tmp/kaprobe/p2' '-c' '/tmp/kaprobe/p3'",
			},
		},
		{
			[]string{"/usr/sbin/keepalived", "-n", "-l", "-f", "/tmp/kaprobe/k.conf", "-p", "/tmp/kaprobe/p1", "-r", "/tmp/kaprobe/p2", "-c", "/tmp/kaprobe/p3", "-D", "-a", "-b/tmp/kaprobe/p4"},
			[]string{
				"Command line: '/usr/sbin/keepalived' '-n' '-l' '-f' '/tmp/kaprobe/k.conf' '-p' '/tmp/kaprobe/p1' '-r'",
				"              '/tmp/kaprobe/p2' '-c' '/tmp/kaprobe/p3' '-D' '-a' '-b/tmp/kaprobe/p4'",
			},
		},
		{
			[]string{"/usr/sbin/keepalived", "-n", "-l", "-e", "-f", "/tmp/kaprobe/nonexist.conf", "-p", "/tmp/kaprobe/p1", "-r", "/tmp/kaprobe/p2", "-c", "/tmp/kaprobe/p3"},
			[]string{
				"Command line: '/usr/sbin/keepalived' '-n' '-l' '-e' '-f' '/tmp/kaprobe/nonexist.conf' '-p'",
				"              '/tmp/kaprobe/p1' '-r' '/tmp/kaprobe/p2' '-c' '/tmp/kaprobe/p3'",
			},
		},
		{[]string{"keepalived"}, []string{"Command line: 'keepalived'"}},
	}
	for _, c := range cases {
		if got := commandLine(c.args); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%q:\n got %q\nwant %q", c.args, got, c.want)
		}
	}
}

func TestStartupLines(t *testing.T) {
	got := startupLines([]string{"keepalived", "-n"}, cli.VersionInfo{Sysname: "Linux", Release: "6.1.0", KernelVersion: "#1 SMP"})
	if len(got) != 3 || !strings.HasPrefix(got[0], "Starting Keepalived v2.2.7 (gokeepalived ") ||
		got[1] != "Running on Linux 6.1.0 #1 SMP" || got[2] != "Command line: 'keepalived' '-n'" {
		t.Errorf("%q", got)
	}
}

func TestChildLogFile(t *testing.T) {
	// keepalived's make_file_name: the program name goes before the last
	// '.' of the last path element, or at the end.
	for _, c := range []struct{ path, suffix, want string }{
		{"/tmp/keepalived.log", "_vrrp", "/tmp/keepalived_vrrp.log"},
		{"/tmp/keepalived.log", "_check", "/tmp/keepalived_check.log"},
		{"/var/log/k.a.b", "_vrrp", "/var/log/k.a_vrrp.b"},
		{"/var/log.d/keepalived", "_vrrp", "/var/log.d/keepalived_vrrp"},
		{"/tmp/.log", "_vrrp", "/tmp/_vrrp.log"},
		{"keepalived.log", "_vrrp", "keepalived_vrrp.log"},
		{".log", "_vrrp", "_vrrp.log"},
		{"log", "_vrrp", "log_vrrp"},
	} {
		if got := childLogFile(c.path, c.suffix); got != c.want {
			t.Errorf("childLogFile(%q, %q) = %q, want %q", c.path, c.suffix, got, c.want)
		}
	}
}
