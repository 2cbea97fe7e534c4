package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gokeepalived/gokeepalived/pkg/config"
)

// run calls Main with captured streams and a Load that returns diags (and
// records the options it was given).
type run struct {
	stdout, stderr bytes.Buffer
	loaded         []config.Options
	diags          config.Diagnostics
}

func (r *run) main(args ...string) int {
	env := Env{
		Stdout: &r.stdout,
		Stderr: &r.stderr,
		Load: func(o config.Options) (*config.Config, config.Diagnostics) {
			r.loaded = append(r.loaded, o)
			cfg := config.NewConfig()
			cfg.Global.RouterID = "from-load"
			return cfg, r.diags
		},
		VersionInfo: func() VersionInfo {
			return VersionInfo{Sysname: "Linux", Release: "6.1.0-test", KernelVersion: "#1 SMP", Distro: "Test OS 1"}
		},
	}
	return Main(append([]string{"/usr/sbin/keepalived"}, args...), env)
}

// existing returns the path of an existing configuration file; Load is
// faked, only the main-file check looks at it.
func existing(t *testing.T) string {
	p := filepath.Join(t.TempDir(), "keepalived.conf")
	if err := os.WriteFile(p, []byte("global_defs {\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestMainVersion(t *testing.T) {
	var r run
	if code := r.main("-v"); code != 0 {
		t.Fatalf("exit %d", code)
	}
	if r.stdout.Len() != 0 {
		t.Errorf("stdout %q: keepalived prints -v on stderr", r.stdout.String())
	}
	lines := strings.Split(r.stderr.String(), "\n")
	if !strings.HasPrefix(lines[0], "Keepalived v2.2.7 (gokeepalived ") || !strings.HasSuffix(lines[0], ")") {
		t.Errorf("first line %q", lines[0])
	}
	if strings.Contains(r.stderr.String(), "(01/16,2022)") {
		t.Error("-v could be mistaken for Debian's keepalived")
	}
	for _, want := range []string{"\nRunning on Linux 6.1.0-test #1 SMP\n", "\nDistro: Test OS 1\n", "\nBuilt with go"} {
		if !strings.Contains(r.stderr.String(), want) {
			t.Errorf("-v output lacks %q:\n%s", want, r.stderr.String())
		}
	}
	if lines[1] != "" {
		t.Errorf("second line %q, want blank as keepalived", lines[1])
	}
}

func TestMainHelp(t *testing.T) {
	for _, arg := range []string{"-h", "--help", "--he"} {
		var r run
		if code := r.main(arg); code != 0 {
			t.Errorf("%s: exit %d", arg, code)
		}
		if r.stdout.Len() != 0 || !strings.HasPrefix(r.stderr.String(), "Usage: /usr/sbin/keepalived [OPTION...]\n") {
			t.Errorf("%s: stdout %q stderr %.60q", arg, r.stdout.String(), r.stderr.String())
		}
	}
}

func TestMainSignum(t *testing.T) {
	tests := []struct {
		arg            string
		code           int
		stdout, stderr string
	}{
		{"--signum=STOP", 0, "15\n", ""},
		{"--signum=RELOAD", 0, "1\n", ""},
		{"--signum=DATA", 0, "10\n", ""},
		{"--signum=STATS", 0, "12\n", ""},
		{"--signum=STATS_CLEAR", 0, "63\n", ""},
		{"--signum=JSON", 0, "36\n", ""},
		{"--signum=TDATA", 1, "", "Unknown sigfunc TDATA\n"},
		{"--signum=stop", 1, "", "Unknown sigfunc stop\n"},
		{"--signum=HUP", 1, "", "Unknown sigfunc HUP\n"},
		{"--signum=15", 1, "", "Unknown sigfunc 15\n"},
		{"--signum=", 1, "", "Missing parameter for option --signum\n"},
	}
	for _, tc := range tests {
		var r run
		code := r.main(tc.arg)
		if code != tc.code || r.stdout.String() != tc.stdout || r.stderr.String() != tc.stderr {
			t.Errorf("%s: exit %d stdout %q stderr %q; want %d %q %q", tc.arg, code, r.stdout.String(), r.stderr.String(), tc.code, tc.stdout, tc.stderr)
		}
	}
}

func TestMainBadOptions(t *testing.T) {
	tests := []struct {
		args           []string
		stdout, stderr string
	}{
		{[]string{"--bogus"}, "", "Unknown option --bogus\n"},
		{[]string{"-t", "-Z"}, "", "Unknown option -Z\n"},
		{[]string{"foo", "bar", "--zz"}, "Unexpected argument(s): foo bar \n", "Unknown option --zz\n"},
		{[]string{"-f"}, "", "Missing parameter for option -f\n"},
		{[]string{"--use-file"}, "", "Missing parameter for option --use-file\n"},
	}
	for _, tc := range tests {
		var r run
		code := r.main(tc.args...)
		if code != ExitBadOption || r.stdout.String() != tc.stdout || r.stderr.String() != tc.stderr {
			t.Errorf("%q: exit %d stdout %q stderr %q", tc.args, code, r.stdout.String(), r.stderr.String())
		}
		if len(r.loaded) != 0 {
			t.Errorf("%q: configuration read despite a bad option", tc.args)
		}
	}
}

func TestMainDaemonNotImplemented(t *testing.T) {
	for _, args := range [][]string{nil, {"-n"}, {"--dont-fork", "-D", "-S", "0"}, {"-P", "-l"}} {
		var r run
		if code := r.main(args...); code != ExitNotImplemented {
			t.Errorf("%q: exit %d, want %d", args, code, ExitNotImplemented)
		}
		if r.stderr.String() != NotImplementedMsg+"\n" || r.stdout.Len() != 0 {
			t.Errorf("%q: stdout %q stderr %q", args, r.stdout.String(), r.stderr.String())
		}
		if len(r.loaded) != 0 {
			t.Errorf("%q: configuration read", args)
		}
	}
	var r run
	if code := r.main("-T", "-s", "10.0.0.1"); code != ExitNotImplemented || r.stderr.String() != GenhashNotImplementedMsg+"\n" {
		t.Errorf("-T: exit %d stderr %q", code, r.stderr.String())
	}
}

// TestMainConfigTestVerdicts: -t prints each diagnostic once and exits
// with the diagnostics' verdict.
func TestMainConfigTestVerdicts(t *testing.T) {
	pos := config.Pos{Line: 3}
	tests := []struct {
		name   string
		diags  config.Diagnostics
		code   int
		stderr string
	}{
		{"clean", nil, 0, ""},
		{"info only", config.Diagnostics{{Class: config.ClassInfo, Msg: "note"}}, 0, "note\n"},
		{"unknown keyword", config.Diagnostics{{Pos: pos, Class: config.ClassUnknownKeyword, Msg: "Unknown keyword 'prority'", Hint: "did you mean 'priority'?", Quote: "prority 100"}},
			5, "(Line 3) Unknown keyword 'prority' - did you mean 'priority'?\n    | prority 100\n"},
		{"fatal", config.Diagnostics{{Pos: pos, Class: config.ClassBadIf, Msg: "bad interface"}}, 4, "(Line 3) bad interface\n"},
		{"security", config.Diagnostics{{Class: config.ClassGeneral, Msg: "a"}, {Class: config.ClassSecurity, Msg: "b"}}, 6, "a\nb\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			conf := existing(t)
			r := run{diags: tc.diags}
			code := r.main("-t", "-f", conf, "-i", "lb1", "-e")
			if code != tc.code || r.stderr.String() != tc.stderr || r.stdout.Len() != 0 {
				t.Errorf("exit %d stdout %q stderr %q; want %d %q", code, r.stdout.String(), r.stderr.String(), tc.code, tc.stderr)
			}
			want := config.Options{File: conf, ConfigID: "lb1", AllConfig: true}
			if len(r.loaded) != 1 || r.loaded[0] != want {
				t.Errorf("Load called with %+v, want %+v", r.loaded, want)
			}
		})
	}
}

func TestMainConfigTestLogFile(t *testing.T) {
	conf := existing(t)
	log := filepath.Join(t.TempDir(), "check.log")
	if err := os.WriteFile(log, []byte("previous\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := run{diags: config.Diagnostics{{Pos: config.Pos{Line: 2}, Class: config.ClassUnknownKeyword, Msg: "Unknown keyword 'x'"}}}
	if code := r.main("-f", conf, "--config-test="+log); code != 5 {
		t.Errorf("exit %d, want 5", code)
	}
	if r.stderr.Len() != 0 {
		t.Errorf("stderr %q: messages belong in the log file", r.stderr.String())
	}
	// keepalived appends.
	if b, _ := os.ReadFile(log); string(b) != "previous\n(Line 2) Unknown keyword 'x'\n" {
		t.Errorf("log file %q", b)
	}

	fresh := filepath.Join(t.TempDir(), "fresh.log")
	r = run{}
	if code := r.main("-f", conf, "-t"+fresh); code != 0 {
		t.Errorf("exit %d", code)
	}
	if fi, err := os.Stat(fresh); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("fresh log: %v %v, want mode 0600 as keepalived", fi, err)
	}

	r = run{}
	bad := "/nonexistent-gokeepalived/dir/log.txt"
	if code := r.main("-f", conf, "--config-test="+bad); code != 1 {
		t.Errorf("unopenable log: exit %d, want 1", code)
	}
	if want := "Unable to open config-test log file " + bad + " 2 - No such file or directory\n"; r.stderr.String() != want {
		t.Errorf("stderr %q, want %q", r.stderr.String(), want)
	}
}

// TestMainMissingConfig: keepalived 2.2.7 reports a missing main file and
// runs with nothing: -t exits 0, or 4 with -e.
func TestMainMissingConfig(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "nope.conf")
	tests := []struct {
		args   []string
		code   int
		stderr string
	}{
		{[]string{"-t", "-f", missing}, 0, "Config files missing '" + missing + "'.\n"},
		{[]string{"-t", "-e", "-f", missing}, 4, "Config files missing '" + missing + "'.\n"},
		{[]string{"-t", "-f", dir}, 0, "Configuration file '" + dir + "/' is a directory - skipping\n"},
		{[]string{"-t", "-e", "-f", dir + "/"}, 4, "Configuration file '" + dir + "/' is a directory - skipping\n"},
	}
	for _, tc := range tests {
		var r run
		code := r.main(tc.args...)
		if code != tc.code || r.stderr.String() != tc.stderr {
			t.Errorf("%q: exit %d stderr %q; want %d %q", tc.args, code, r.stderr.String(), tc.code, tc.stderr)
		}
		if len(r.loaded) != 0 {
			t.Errorf("%q: Load called for a missing file", tc.args)
		}
	}
	// A pattern is the reader's business.
	var r run
	r.main("-t", "-f", filepath.Join(dir, "*.conf"))
	if len(r.loaded) != 1 {
		t.Errorf("pattern: Load not called")
	}
}

func TestMainInvalidFacilityFailsConfigTest(t *testing.T) {
	conf := existing(t)
	var r run
	if code := r.main("-t", "-f", conf, "-S", "9"); code != 5 {
		t.Errorf("exit %d, want 5 as keepalived", code)
	}
	if r.stderr.String() != "Invalid log facility '9'\n" {
		t.Errorf("stderr %q", r.stderr.String())
	}
	r = run{}
	if code := r.main("-t", "-f", conf, "-u", "9999"); code != 0 {
		t.Errorf("invalid umask: exit %d, want 0 as keepalived", code)
	}
}

func TestMainDump(t *testing.T) {
	conf := existing(t)

	var r run
	if code := r.main("-t", "-d", "-f", conf); code != 0 {
		t.Errorf("-t -d: exit %d", code)
	}
	if !strings.Contains(r.stdout.String(), "router_id: \"from-load\"\n") {
		t.Errorf("text dump:\n%s", r.stdout.String())
	}

	r = run{}
	if code := r.main("-t", "--dump-conf=json", "-f", conf); code != 0 {
		t.Errorf("-t --dump-conf=json: exit %d", code)
	}
	var back config.Config
	if err := json.Unmarshal(r.stdout.Bytes(), &back); err != nil {
		t.Fatalf("JSON dump does not parse: %v\n%s", err, r.stdout.String())
	}
	if back.Global.RouterID != "from-load" {
		t.Errorf("router_id %q after round trip", back.Global.RouterID)
	}

	// -d without -t dumps, then says the daemon is not there.
	r = run{diags: config.Diagnostics{{Class: config.ClassUnknownKeyword, Msg: "Unknown keyword 'x'"}}}
	if code := r.main("-d", "-f", conf); code != ExitNotImplemented {
		t.Errorf("-d: exit %d", code)
	}
	if !strings.Contains(r.stdout.String(), "global_defs:") || r.stderr.String() != "Unknown keyword 'x'\n"+NotImplementedMsg+"\n" {
		t.Errorf("-d: stdout %q stderr %q", r.stdout.String(), r.stderr.String())
	}

	// A missing file dumps the empty model.
	r = run{}
	if code := r.main("-t", "--dump-conf=json", "-f", filepath.Join(t.TempDir(), "none.conf")); code != 0 {
		t.Errorf("missing file dump: exit %d", code)
	}
	if err := json.Unmarshal(r.stdout.Bytes(), &back); err != nil {
		t.Errorf("missing file dump is not JSON: %v", err)
	}
}

// TestMainRealConfigs runs -t through the real configuration reader.
func TestMainRealConfigs(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	// Kept to what any state of the reader handles: comments only, and a
	// keyword that does not exist.
	ok := write("ok.conf", "# nothing configured\n! yet\n")
	bad := write("bad.conf", "# comment\nno_such_keyword_xyz 1\n")

	var stdout, stderr bytes.Buffer
	env := Env{Stdout: &stdout, Stderr: &stderr}
	if code := Main([]string{"keepalived", "-t", "-f", ok}, env); code != 0 {
		t.Errorf("valid config: exit %d, stderr %q", code, stderr.String())
	}
	stderr.Reset()
	if code := Main([]string{"keepalived", "-t", "-f", bad}, env); code != 5 {
		t.Errorf("unknown keyword: exit %d, want 5", code)
	}
	if !strings.Contains(stderr.String(), "Unknown keyword 'no_such_keyword_xyz'") {
		t.Errorf("stderr %q", stderr.String())
	}
}
