package daemon

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/cli"
	"github.com/gokeepalived/gokeepalived/internal/version"
	"github.com/gokeepalived/gokeepalived/pkg/config"
	"golang.org/x/sys/unix"
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
	// keepalived 2.2.7 on this lab's kernel: "Running on Linux
	// 6.18.44-fc-v1252 #1 SMP PREEMPT_DYNAMIC @0 (built for Linux
	// 5.19.11)"; on an older kernel than it was built for its warning.
	b := version.MinKernel
	built := fmt.Sprintf("%d.%d.%d", b[0], b[1], b[2])
	older := fmt.Sprintf("%d.%d.%d", b[0], b[1]-1, 9)
	if b[1] == 0 {
		older = fmt.Sprintf("%d.99.9", b[0]-1)
	}
	for _, c := range []struct {
		release string
		want    []string
	}{
		{"6.18.44-fc-v1252", []string{"Running on Linux 6.18.44-fc-v1252 #1 SMP (built for Linux " + built + ")"}},
		{built + "-1-amd64", []string{"Running on Linux " + built + "-1-amd64 #1 SMP (built for Linux " + built + ")"}},
		{older, []string{"WARNING - keepalived was built for newer Linux " + built + ", running on Linux " + older + " #1 SMP"}},
		// keepalived needs three numbers: no kernel line, its message
		// instead (first).
		{"6.1", nil},
		{"6.x.0", nil},
		{"0.0.1", nil},
	} {
		got := startupLines([]string{"keepalived", "-n"}, cli.VersionInfo{Sysname: "Linux", Release: c.release, KernelVersion: "#1 SMP"})
		var want []string
		if c.want == nil {
			want = append(want, "Unable to parse kernel version "+c.release)
		}
		want = append(want, "Starting "+version.Line())
		want = append(want, c.want...)
		want = append(want, "Command line: 'keepalived' '-n'")
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s:\n got %q\nwant %q", c.release, got, want)
		}
	}
	if l := version.Line(); !strings.HasPrefix(l, "Keepalived v2.2.7 (gokeepalived ") {
		t.Errorf("version line %q", l)
	}
}

func TestKernelRelease(t *testing.T) {
	for _, c := range []struct {
		s  string
		v  [3]int
		ok bool
	}{
		{"6.1.0-18-amd64", [3]int{6, 1, 0}, true},
		{"5.19.11", [3]int{5, 19, 11}, true},
		{"4.1.300", [3]int{4, 1, 300}, true},
		{"6.1", [3]int{}, false},
		{"6.1.", [3]int{}, false},
		{"6.1.x", [3]int{}, false},
		{"6-1-0", [3]int{}, false},
		{"", [3]int{}, false},
		{"0.1.2", [3]int{}, false}, // keepalived's major 0 is "unknown"
	} {
		v, ok := kernelRelease(c.s)
		if ok != c.ok || ok && v != c.v {
			t.Errorf("kernelRelease(%q) = %v %v, want %v %v", c.s, v, ok, c.v, c.ok)
		}
	}
	// The patch level saturates at 255, as KERNEL_VERSION does.
	if kernelCode([3]int{4, 1, 300}) != kernelCode([3]int{4, 1, 255}) || kernelCode([3]int{4, 1, 255}) >= kernelCode([3]int{4, 2, 0}) {
		t.Errorf("kernelCode does not order as KERNEL_VERSION")
	}
}

func TestConfigNotices(t *testing.T) {
	// keepalived 2.2.7 observed: the notice with no max_auto_priority
	// and with "max_auto_priority 0", none with -1, 50 or the bare
	// keyword (99).
	for _, c := range []struct {
		text string
		want []string
	}{
		{"", []string{msgMaxAutoPriority}},
		{"global_defs {\n max_auto_priority 0\n}\n", []string{msgMaxAutoPriority}},
		{"global_defs {\n max_auto_priority -1\n}\n", nil},
		{"global_defs {\n max_auto_priority 50\n}\n", nil},
		{"global_defs {\n max_auto_priority\n}\n", nil},
	} {
		cfg := parseConf(t, c.text)
		if got := configNotices(cfg); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%q: %q, want %q", c.text, got, c.want)
		}
	}
}

func TestChildrenToRun(t *testing.T) {
	inst := "vrrp_instance VI_1 {\n interface lo\n virtual_router_id 1\n priority 100\n}\n"
	static := "static_ipaddress {\n 10.9.9.9/32 dev lo\n}\n"
	vs := "virtual_server 10.0.0.1 80 {\n protocol TCP\n real_server 10.0.0.2 80 {\n }\n}\n"
	both := cli.Options{VRRP: true, Checker: true}
	for _, c := range []struct {
		name          string
		o             cli.Options
		text          string
		vrrp, checker bool
	}{
		{"empty", both, "", false, false},
		{"empty --all", cli.Options{VRRP: true, Checker: true, RunAll: true}, "", true, true},
		{"instance", both, inst, true, false},
		{"static addresses", both, static, true, false},
		{"virtual server", both, vs, false, true},
		{"both", both, inst + vs, true, true},
		{"-C", cli.Options{Checker: true}, inst + vs, false, true},
		{"-P", cli.Options{VRRP: true}, inst + vs, true, false},
	} {
		v, ch := childrenToRun(c.o, parseConf(t, c.text))
		if v != c.vrrp || ch != c.checker {
			t.Errorf("%s: vrrp %v checker %v, want %v %v", c.name, v, ch, c.vrrp, c.checker)
		}
	}
}

// parseConf reads a configuration text as the daemon would.
func parseConf(t *testing.T, text string) *config.Config {
	t.Helper()
	p := filepath.Join(t.TempDir(), "k.conf")
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, diags := config.Load(config.Options{File: p})
	if cfg == nil || diags.Fatal() {
		t.Fatalf("%q: %v", text, diags)
	}
	return cfg
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

func TestAbsConfigFile(t *testing.T) {
	// Every way getopt_long gives -f; only the file name changes.
	for _, c := range []struct{ in, want []string }{
		{[]string{"-f", "k.conf", "-D"}, []string{"-f", "/wd/k.conf", "-D"}},
		{[]string{"-fk.conf"}, []string{"-f/wd/k.conf"}},
		{[]string{"-nlf", "sub/k.conf"}, []string{"-nlf", "/wd/sub/k.conf"}},
		{[]string{"-nlfk.conf"}, []string{"-nlf/wd/k.conf"}},
		{[]string{"--use-file=./k.conf"}, []string{"--use-file=/wd/k.conf"}},
		{[]string{"--use-f", "k.conf"}, []string{"--use-f", "/wd/k.conf"}},
		// The last -f wins, as in keepalived; the earlier one is left.
		{[]string{"-f", "a.conf", "-f", "b.conf"}, []string{"-f", "a.conf", "-f", "/wd/b.conf"}},
		// A word that only looks like the file name is not touched.
		{[]string{"-p", "k.conf", "-f", "k.conf"}, []string{"-p", "k.conf", "-f", "/wd/k.conf"}},
		{[]string{"-f", "/etc/k.conf"}, []string{"-f", "/etc/k.conf"}},
		{[]string{"-n"}, []string{"-n"}},
		{[]string{"--", "-f", "k.conf"}, []string{"--", "-f", "k.conf"}},
	} {
		if got := absConfigFile(c.in, "/wd"); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%q: got %q, want %q", c.in, got, c.want)
		}
	}
}

func TestProcessUmask(t *testing.T) {
	cfgMask := uint32(0o027)
	g := &config.GlobalDefs{Umask: &cfgMask}
	for _, c := range []struct {
		args []string
		g    *config.GlobalDefs
		want uint32
	}{
		{nil, nil, 0o177},                      // keepalived's default
		{nil, &config.GlobalDefs{}, 0o177},     // global_defs without umask
		{nil, g, 0o027},                        // global_defs' umask
		{[]string{"-u", "022"}, g, 0o022},      // -u wins over the file
		{[]string{"--umask=0x1f"}, nil, 0o037}, // strtoul base 0
		{[]string{"-u", "0"}, g, 0},            // an explicit 0 is a value
	} {
		if got := processUmask(cli.Parse(c.args).Options, c.g); got != c.want {
			t.Errorf("%q: %#o, want %#o", c.args, got, c.want)
		}
	}
}

// daemonizeReport is the file TestDaemonizeHelper writes what the
// detached process sees into.
const daemonizeReport = "GVH_DAEMONIZE_REPORT"

// TestDaemonizeDetaches starts this test binary detached, as the daemon
// starts itself without -n, and checks what keepalived 2.2.7's detached
// processes have (observed): working directory /, umask 0177, standard
// input, output and error on /dev/null, a session of its own.
func TestDaemonizeDetaches(t *testing.T) {
	report := filepath.Join(t.TempDir(), "report")
	t.Setenv(daemonizeReport, report)
	exit, code := daemonize([]string{os.Args[0], "-test.run=^TestDaemonizeHelper$"})
	if !exit || code != 0 {
		t.Fatalf("daemonize: exit %v code %d", exit, code)
	}
	var got []byte
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if b, err := os.ReadFile(report); err == nil && strings.HasSuffix(string(b), "\n") {
			got = b
			break
		}
	}
	want := "cwd=/ umask=0177 fd0=/dev/null fd1=/dev/null fd2=/dev/null leader=true env=\n"
	if string(got) != want {
		t.Errorf("detached process: %q, want %q", got, want)
	}
}

// TestDaemonizeHelper is the detached side of TestDaemonizeDetaches.
func TestDaemonizeHelper(t *testing.T) {
	out := os.Getenv(daemonizeReport)
	if out == "" || os.Getenv(daemonEnv) == "" {
		t.Skip("run by TestDaemonizeDetaches")
	}
	if exit, _ := daemonize(os.Args); exit {
		t.Fatal("the detached process daemonized again")
	}
	wd, _ := os.Getwd()
	mask := syscall.Umask(0)
	syscall.Umask(mask)
	var fds []string
	for fd := 0; fd < 3; fd++ {
		l, _ := os.Readlink(fmt.Sprintf("/proc/self/fd/%d", fd))
		fds = append(fds, fmt.Sprintf("fd%d=%s", fd, l))
	}
	sid, _ := unix.Getsid(0)
	text := fmt.Sprintf("cwd=%s umask=%#o %s leader=%v env=%s\n", wd, mask, strings.Join(fds, " "), sid == os.Getpid(), os.Getenv(daemonEnv))
	tmp := out + ".tmp"
	if err := os.WriteFile(tmp, []byte(text), 0o644); err == nil {
		os.Rename(tmp, out)
	}
}

// FuzzAbsConfigFile: any command line is left as it was or changed in
// the one word that gives the configuration file, which then reads as
// the absolute name; it never panics.
func FuzzAbsConfigFile(f *testing.F) {
	for _, s := range []string{"-f\x00k.conf", "-nlfk.conf", "--use-file=a\x00-fb", "-p\x00-f\x00-f\x00x", "--\x00-f\x00x", "-f"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		args := strings.Split(line, "\x00")
		got := absConfigFile(args, "/wd")
		if len(got) != len(args) {
			t.Fatalf("%q became %q", args, got)
		}
		changed := 0
		for i := range args {
			if got[i] != args[i] {
				changed++
			}
		}
		want := cli.Parse(args).Options.ConfigFile
		if changed > 1 || changed == 1 && cli.Parse(got).Options.ConfigFile != filepath.Join("/wd", want) {
			t.Fatalf("%q became %q", args, got)
		}
	})
}

// TestReloadUmask: a reload sets global_defs' umask unless -u was given;
// a file without the keyword leaves the mask alone (keepalived 2.2.7
// observed, parent and VRRP child: 0177 → 027 by a reload adding
// "umask 027", 027 kept by a reload removing it, -u 022 kept over it).
func TestReloadUmask(t *testing.T) {
	m := uint32(0o027)
	for _, c := range []struct {
		args []string
		g    config.GlobalDefs
		want uint32
		set  bool
	}{
		{nil, config.GlobalDefs{Umask: &m}, 0o027, true},
		{nil, config.GlobalDefs{}, 0, false},
		{[]string{"-u", "022"}, config.GlobalDefs{Umask: &m}, 0, false},
	} {
		got, set := reloadUmask(cli.Parse(c.args).Options, &c.g)
		if got != c.want || set != c.set {
			t.Errorf("%q %v: %#o %v, want %#o %v", c.args, c.g.Umask != nil, got, set, c.want, c.set)
		}
	}
}
