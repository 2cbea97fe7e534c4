package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/cli"
)

// These tests build the binary and run it as an operator would, and, where
// Debian's keepalived 2.2.7 is installed, run the same command lines
// through it and compare. Debian's binary is only ever run in ways that
// end before a daemon could start: -t, -v, -h, --signum, or a bad option.

const debianKeepalived = "/usr/sbin/keepalived"

var ourBinary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "gokeepalived-cli-")
	if err != nil {
		panic(err)
	}
	ourBinary = filepath.Join(dir, "keepalived")
	goTool := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := os.Stat(goTool); err != nil {
		goTool = "go"
	}
	build := exec.Command(goTool, "build", "-buildvcs=false", "-o", ourBinary, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		os.RemoveAll(dir)
		panic("building keepalived: " + err.Error())
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

type result struct {
	code           int
	stdout, stderr string
}

func runBinary(t *testing.T, bin string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		code = ee.ExitCode()
	case err != nil:
		t.Fatalf("%s %q: %v", bin, args, err)
	}
	return result{code, out.String(), errb.String()}
}

func ours(t *testing.T, args ...string) result {
	t.Helper()
	return runBinary(t, ourBinary, args...)
}

// debian runs Debian's keepalived, or skips when it is not Debian's 2.2.7.
// It refuses command lines that could start the daemon.
func debian(t *testing.T, args ...string) result {
	t.Helper()
	requireDebian(t)
	r := cli.Parse(args)
	if !r.Bad && !r.Options.ConfigTest && r.Action == cli.ActionRun {
		t.Fatalf("refusing to run %s %q: it would start a daemon", debianKeepalived, args)
	}
	return runBinary(t, debianKeepalived, args...)
}

func requireDebian(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(debianKeepalived); err != nil {
		t.Skip("Debian's keepalived is not installed")
	}
	out, _ := exec.Command(debianKeepalived, "-v").CombinedOutput()
	if !strings.Contains(string(out), "Keepalived v2.2.7 (01/16,2022)") {
		t.Skip(debianKeepalived + " is not Debian's keepalived 2.2.7")
	}
}

func TestVersion(t *testing.T) {
	r := ours(t, "-v")
	if r.code != 0 || r.stdout != "" {
		t.Fatalf("exit %d stdout %q", r.code, r.stdout)
	}
	first, _, _ := strings.Cut(r.stderr, "\n")
	if !strings.HasPrefix(first, "Keepalived v2.2.7 (gokeepalived ") || strings.Contains(r.stderr, "(01/16,2022)") {
		t.Errorf("first line %q", first)
	}
	if r2 := ours(t, "--version"); r2.stderr != r.stderr || r2.code != 0 {
		t.Errorf("--version differs from -v")
	}

	// The system lines are keepalived's, so the same as Debian's here.
	d := debian(t, "-v")
	if d.code != 0 {
		t.Errorf("Debian -v exit %d", d.code)
	}
	for _, prefix := range []string{"Running on ", "Distro: "} {
		if a, b := lineWith(r.stderr, prefix), lineWith(d.stderr, prefix); a != b {
			t.Errorf("%q line: ours %q, Debian's %q", prefix, a, b)
		}
	}
}

func lineWith(text, prefix string) string {
	for _, l := range strings.Split(text, "\n") {
		if strings.HasPrefix(l, prefix) {
			return l
		}
	}
	return ""
}

// optionColumn extracts the option forms of a usage text (see
// internal/cli's help test for the layout).
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

func TestHelp(t *testing.T) {
	r := ours(t, "--help")
	if r.code != 0 || r.stdout != "" || !strings.HasPrefix(r.stderr, "Usage: "+ourBinary+" [OPTION...]\n") {
		t.Fatalf("exit %d stdout %q stderr %.80q", r.code, r.stdout, r.stderr)
	}
	d := debian(t, "--help")
	if d.code != r.code || d.stdout != "" {
		t.Errorf("Debian: exit %d stdout %q", d.code, d.stdout)
	}
	// Debian's options, in Debian's order, all in ours; ours may add
	// options Debian's build leaves out.
	got := optionColumn(r.stderr)
	i := 0
	for _, want := range optionColumn(d.stderr) {
		for i < len(got) && got[i] != want {
			i++
		}
		if i == len(got) {
			t.Errorf("Debian's %q missing or out of order in our help", want)
			i = 0
		}
	}
}

func TestSignum(t *testing.T) {
	for _, name := range []string{"STOP", "RELOAD", "DATA", "STATS", "STATS_CLEAR", "JSON", "TDATA", "stop", "HUP", "15", ""} {
		arg := "--signum=" + name
		r := ours(t, arg)
		want, ok := cli.Signum(name)
		switch {
		case ok && (r.code != 0 || r.stdout != itoa(want)+"\n"):
			t.Errorf("%s: exit %d stdout %q", arg, r.code, r.stdout)
		case !ok && r.code != 1:
			t.Errorf("%s: exit %d, want 1", arg, r.code)
		}
	}
	requireDebian(t)
	for _, args := range [][]string{
		{"--signum=STOP"}, {"--signum=RELOAD"}, {"--signum=DATA"}, {"--signum=STATS"},
		{"--signum=STATS_CLEAR"}, {"--signum=JSON"}, {"--signum=TDATA"}, {"--signum=stop"},
		{"--signum", "STOP"}, {"--sig=JSON"}, {"--signum="}, {"--zz", "--signum=STOP"},
	} {
		sameAsDebian(t, args...)
	}
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// sameAsDebian runs args through both binaries and wants the same exit
// code, stdout and stderr.
func sameAsDebian(t *testing.T, args ...string) {
	t.Helper()
	d := debian(t, args...)
	r := ours(t, args...)
	if r != d {
		t.Errorf("%q:\n ours   %+v\n Debian %+v", args, r, d)
	}
}

func TestBadOptions(t *testing.T) {
	r := ours(t, "--bogus")
	if r.code != 1 || r.stderr != "Unknown option --bogus\n" || r.stdout != "" {
		t.Errorf("--bogus: %+v", r)
	}
	requireDebian(t)
	for _, args := range [][]string{
		{"--bogus"}, {"-Z"}, {"-nZ"}, {"-dxyz"}, {"--help=x"}, {"--vrrp=1"}, {"--all=1"},
		{"--v"}, {"--co"}, {"--con"}, {"--al"}, {"--d"}, {"--log-f"},
		{"-f"}, {"-nf"}, {"-i"}, {"--use-file="}, {"--umask=", "-t"}, {"--signum="},
		{"--zz", "--", "foo"}, {"--zz", "-t", "x", "y"},
		{"--no"}, {"--config"}, {"--log"}, {"--core"}, {"-s"}, {"-A"},
		{"--perf"}, {"--flush-log-file"},
	} {
		switch args[0] {
		case "--perf", "--flush-log-file":
			// Options Debian's build lacks and we accept.
			if r := ours(t, append(args, "-t", "-f", "/nonexistent-gk")...); r.code != 0 {
				t.Errorf("%q: exit %d %q", args, r.code, r.stderr)
			}
			continue
		}
		sameAsDebian(t, args...)
	}
}

// TestBadOptionsNamed: where keepalived names the wrong word (a missing
// argument at the end of the line comes out as "--X", an unknown option
// after a permuted argument as that argument), we name the option at
// fault; the exit code is the same.
func TestBadOptionsNamed(t *testing.T) {
	tests := []struct {
		args   []string
		stderr string
	}{
		{[]string{"--pid"}, "Missing parameter for option --pid\n"},
		{[]string{"-n", "--use-file"}, "Missing parameter for option --use-file\n"},
		{[]string{"foo", "--zz"}, "Unknown option --zz\n"},
	}
	for _, tc := range tests {
		r := ours(t, tc.args...)
		if r.code != 1 || r.stderr != tc.stderr {
			t.Errorf("%q: %+v", tc.args, r)
		}
		if _, err := os.Stat(debianKeepalived); err == nil {
			if d := debian(t, tc.args...); d.code != r.code || d.stdout != r.stdout {
				t.Errorf("%q: Debian %+v, ours %+v", tc.args, d, r)
			}
		}
	}
}

// TestConfigTest: -t verdicts and messages on small configurations, with
// Debian's where it is installed.
func TestConfigTest(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	empty := write("empty.conf", "# nothing\n! at all\n")
	bad := write("bad.conf", "# comment\nno_such_keyword_xyz 1\n")
	missing := filepath.Join(dir, "missing.conf")

	tests := []struct {
		name     string
		args     []string
		code     int
		stderrIn string // a line our stderr contains
		exact    bool   // stdout and stderr identical to Debian's
	}{
		{"valid", []string{"-t", "-f", empty}, 0, "", true},
		{"valid long", []string{"--config-test", "--use-file=" + empty}, 0, "", true},
		{"unknown keyword", []string{"-t", "-f", bad}, 5, "Unknown keyword 'no_such_keyword_xyz'", false},
		{"missing file", []string{"-t", "-f", missing}, 0, "Config files missing '" + missing + "'.", true},
		{"missing file -e", []string{"-t", "-e", "-f", missing}, 4, "Config files missing '" + missing + "'.", true},
		{"directory", []string{"-t", "-f", dir}, 0, "Configuration file '" + dir + "/' is a directory - skipping", true},
		{"directory -e", []string{"--all-config", "-t", "-f", dir}, 4, "is a directory - skipping", true},
		{"unexpected args", []string{"-t", "-f", empty, "x", "y"}, 0, "", true},
		{"invalid facility", []string{"-t", "-f", empty, "-S", "9"}, 5, "Invalid log facility '9'", false},
		// Debian ends this message without a newline; ours has one.
		{"invalid umask", []string{"-t", "-f", empty, "-u", "01000"}, 0, "Invalid --umask option 01000\n", false},
		{"systemd style", []string{"--dont-fork", "-D", "-t", "-f", empty}, 0, "", true},
		{"lone dash", []string{"-t", "-f", empty, "-", ""}, 0, "", true},
		{"abbreviated", []string{"-t", "-f", empty, "--pi", "/tmp/x.pid", "--config-t", "--all-c"}, 0, "", true},
		{"core pattern", []string{"-t", "-f", empty, "-Mfoo", "-m", "-M"}, 0, "", true},
		{"all flags", []string{"-t", "-f", empty, "-X", "-V", "-I", "-R", "-a", "-x", "-G", "-l", "-DD", "-PCB", "--all", "-e",
			"-S", "3", "-u", "022", "-p", "/tmp/a", "-r", "/tmp/b", "-c", "/tmp/c", "-b", "/tmp/d", "-A", "/tmp/s", "-i", "id1"}, 0, "", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := ours(t, tc.args...)
			if r.code != tc.code {
				t.Errorf("exit %d, want %d (stderr %q)", r.code, tc.code, r.stderr)
			}
			if tc.stderrIn != "" && !strings.Contains(r.stderr, tc.stderrIn) {
				t.Errorf("stderr %q lacks %q", r.stderr, tc.stderrIn)
			}
			if _, err := os.Stat(debianKeepalived); err != nil {
				return
			}
			d := debian(t, tc.args...)
			if d.code != r.code {
				t.Errorf("exit %d, Debian's %d (%q)", r.code, d.code, d.stderr)
			}
			if tc.exact && (d.stdout != r.stdout || d.stderr != r.stderr) {
				t.Errorf("output differs:\n ours   %+v\n Debian %+v", r, d)
			}
		})
	}

	// A deliberate difference: keepalived 2.2.7 fails -t (5) for the valid
	// facility names, having first tried them as numbers; we accept them.
	for _, name := range []string{"local3", "user", "daemon"} {
		args := []string{"-t", "-f", empty, "-S", name}
		if r := ours(t, args...); r.code != 0 || r.stderr != "" {
			t.Errorf("-S %s: %+v", name, r)
		}
		if _, err := os.Stat(debianKeepalived); err == nil {
			if d := debian(t, args...); d.code != 5 {
				t.Logf("-S %s: Debian now exits %d; the difference may be gone", name, d.code)
			}
		}
	}

	// --config-test=LOG_FILE: messages appended to the file, as Debian does.
	for _, bin := range []string{ourBinary, debianKeepalived} {
		if bin == debianKeepalived {
			requireDebian(t)
		}
		log := filepath.Join(t.TempDir(), "check.log")
		if err := os.WriteFile(log, []byte("previous\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		r := runBinary(t, bin, "-e", "-f", missing, "--config-test="+log)
		b, _ := os.ReadFile(log)
		if r.code != 4 || r.stderr != "" || string(b) != "previous\nConfig files missing '"+missing+"'.\n" {
			t.Errorf("%s: exit %d stderr %q log %q", bin, r.code, r.stderr, b)
		}
	}
}

func TestDump(t *testing.T) {
	conf := filepath.Join(t.TempDir(), "k.conf")
	if err := os.WriteFile(conf, []byte("# empty\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := ours(t, "-t", "--dump-conf=json", "-f", conf)
	if r.code != 0 {
		t.Fatalf("exit %d stderr %q", r.code, r.stderr)
	}
	var v map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &v); err != nil {
		t.Fatalf("JSON dump does not parse: %v\n%s", err, r.stdout)
	}
	if _, ok := v["global_defs"]; !ok {
		t.Errorf("no global_defs in %v", v)
	}
	// -dt, not -td: -t's optional argument would take the "d" as its log
	// file, as getopt gives it.
	r = ours(t, "-dt", "-f", conf)
	if r.code != 0 || !strings.HasPrefix(r.stdout, "global_defs:\n") {
		t.Errorf("-dt: exit %d stdout %.80q", r.code, r.stdout)
	}
}

// TestDaemonRefusesConfiguration starts the daemon the way an operator
// would, on configurations it must refuse before touching the host: it
// stops with keepalived's exit status (2 for a configuration its VRRP
// process refuses, 6 for a file missing under -e) and leaves no pid file.
// The namespace tests in test/vrrp run it for real.
func TestDaemonRefusesConfiguration(t *testing.T) {
	dir := t.TempDir()
	noVRID := filepath.Join(dir, "novrid.conf")
	conf := "vrrp_instance VI_1 {\n    state MASTER\n    interface lo\n    priority 100\n    virtual_ipaddress {\n        192.0.2.1/24\n    }\n}\n"
	if err := os.WriteFile(noVRID, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	pid, vpid := filepath.Join(dir, "k.pid"), filepath.Join(dir, "v.pid")
	for _, c := range []struct {
		args []string
		code int
	}{
		{[]string{"-f", noVRID}, 2},
		{[]string{"-e", "-f", filepath.Join(dir, "missing.conf")}, 6},
	} {
		args := append([]string{"-n", "-l", "-G", "-p", pid, "-r", vpid}, c.args...)
		r := ours(t, args...)
		if r.code != c.code || !strings.Contains(r.stderr, "Starting Keepalived v2.2.7") ||
			!strings.Contains(r.stderr, "Stopped Keepalived v2.2.7") {
			t.Errorf("%q: exit %d, want %d\n%s", args, r.code, c.code, r.stderr)
		}
		for _, p := range []string{pid, vpid} {
			if _, err := os.Stat(p); err == nil {
				t.Errorf("%q: pid file %s left", args, p)
			}
		}
	}
}
