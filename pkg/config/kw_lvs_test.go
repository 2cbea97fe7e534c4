package config

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// Golden comparison with keepalived 2.2.7 for the LVS/checker side:
// testdata/lvs/cases.txt holds configurations (extracts of the Debian
// samples and of the seed notes, and one experiment per keyword/error) with
// the diagnostics and exit code /usr/sbin/keepalived -t gave for each. We
// must give the same messages on the same lines and the same exit code.
//
// Cases where keepalived 2.2.7 does not finish its check (exit 2 when a
// keyword lacks its value, 139 when it crashes) are not golden; their
// expectations are in the tables of kw_lvs_vs_test.go.

var lvsUpdate = flag.Bool("lvs-update", false, "rewrite testdata/lvs/cases.txt from /usr/sbin/keepalived -t (needs root)")

const lvsCases = "testdata/lvs/cases.txt"

type lvsCase struct {
	name string
	conf string
	want []string
}

// readLVSCases reads the "-- NAME.conf --" / "-- NAME.want --" sections.
func readLVSCases(t *testing.T) (header string, cases []*lvsCase) {
	t.Helper()
	data, err := os.ReadFile(lvsCases)
	if err != nil {
		t.Fatal(err)
	}
	var cur *lvsCase
	var part *strings.Builder
	var head strings.Builder
	part = &head
	flush := func() {
		if cur != nil && part != nil {
			cur.want = strings.Split(strings.TrimRight(part.String(), "\n"), "\n")
		}
	}
	for _, line := range strings.SplitAfter(string(data), "\n") {
		trimmed := strings.TrimRight(line, "\n")
		if strings.HasPrefix(trimmed, "-- ") && strings.HasSuffix(trimmed, " --") {
			name := strings.TrimSuffix(strings.TrimPrefix(trimmed, "-- "), " --")
			switch {
			case strings.HasSuffix(name, ".conf"):
				flush()
				cur = &lvsCase{name: strings.TrimSuffix(name, ".conf")}
				cases = append(cases, cur)
				part = &strings.Builder{}
			case strings.HasSuffix(name, ".want"):
				cur.conf = part.String()
				part = &strings.Builder{}
			}
			continue
		}
		part.WriteString(line)
	}
	flush()
	return head.String(), cases
}

// lvsTestHost is the machine the golden cases were recorded on: interfaces
// eth0 and eth1, the real file system (for /bin/true & co) and users.
type lvsTestHost struct{ RealHost }

func (lvsTestHost) InterfaceExists(name string) bool {
	return name == "eth0" || name == "eth1" || name == "lo"
}

// LookupUser: the recording machine had no keepalived_script user, which
// decides the default script user.
func (h lvsTestHost) LookupUser(name string) (int, int, bool) {
	if name == "keepalived_script" {
		return 0, 0, false
	}
	return h.RealHost.LookupUser(name)
}

// ourLVSOutput renders our diagnostics as the golden files record
// keepalived's. keepalived gives no position for its validation messages; we
// do (the virtual server), so a message keepalived printed without one is
// compared without one.
func ourLVSOutput(conf, name string, want []string) []string {
	_, diags := Parse(name+".conf", []byte(conf), Options{Host: lvsTestHost{}})
	noPos := map[string]bool{}
	for _, w := range want {
		if m, ok := strings.CutPrefix(w, "0|"); ok {
			noPos[m] = true
		}
	}
	seen := map[string]bool{}
	var out []string
	for _, d := range diags {
		if d.Class == ClassInfo {
			continue
		}
		line := d.Pos.Line
		if noPos[d.Msg] {
			line = 0
		}
		s := fmt.Sprintf("%d|%s", line, d.Msg)
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	sort.Strings(out)
	return append(out, fmt.Sprintf("exit=%d", diags.ExitCode()))
}

func TestLVSGolden(t *testing.T) {
	header, cases := readLVSCases(t)
	if len(cases) < 100 {
		t.Fatalf("only %d golden cases read", len(cases))
	}
	if *lvsUpdate {
		updateLVSCases(t, header, cases)
		return
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := ourLVSOutput(tc.conf, tc.name, tc.want)
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("config:\n%s\nkeepalived 2.2.7:\n  %s\nours:\n  %s", tc.conf,
					strings.Join(tc.want, "\n  "), strings.Join(got, "\n  "))
			}
		})
	}
}

var keepalivedLine = regexp.MustCompile(`^\((?:[^:]*): Line ([0-9]+)\) (.*)$`)

// updateLVSCases runs keepalived 2.2.7 -t on every case, in a network
// namespace with veth interfaces eth0 and eth1, and rewrites the file.
func updateLVSCases(t *testing.T, header string, cases []*lvsCase) {
	out, err := exec.Command("/usr/sbin/keepalived", "-v").CombinedOutput()
	if err != nil || !bytes.Contains(out, []byte("Keepalived v2.2.7 ")) {
		t.Skip("needs Debian's keepalived 2.2.7 at /usr/sbin/keepalived")
	}
	ns := fmt.Sprintf("gk-lvs-%d", os.Getpid())
	run := func(args ...string) {
		if out, err := exec.Command(args[0], args[1:]...).CombinedOutput(); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, out)
		}
	}
	run("ip", "netns", "add", ns)
	defer exec.Command("ip", "netns", "del", ns).Run()
	for _, i := range []string{"eth0", "eth1"} {
		run("ip", "-n", ns, "link", "add", i, "type", "veth", "peer", "name", i+"p")
		run("ip", "-n", ns, "link", "set", i, "up")
	}
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString(header)
	for _, tc := range cases {
		f := filepath.Join(dir, tc.name+".conf")
		if err := os.WriteFile(f, []byte(tc.conf), 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command("ip", "netns", "exec", ns, "/usr/sbin/keepalived", "-t", "-f", f, "-l", "-D")
		var stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stderr, &stderr
		code := 0
		if err := cmd.Run(); err != nil {
			ee, ok := err.(*exec.ExitError)
			if !ok {
				t.Fatal(err)
			}
			code = ee.ExitCode()
		}
		seen := map[string]bool{}
		var lines []string
		for _, l := range strings.Split(stderr.String(), "\n") {
			// Strip the syslog-style date keepalived puts before console lines.
			if len(l) > 16 && l[3] == ' ' && l[7] == ' ' {
				if k := strings.Index(l[10:], " "); k >= 0 && strings.Count(l[:10+k+1], ":") == 2 {
					l = l[10+k+1:]
				}
			}
			if l == "" || !lvsMessage(l) {
				continue
			}
			s := "0|" + l
			if m := keepalivedLine.FindStringSubmatch(l); m != nil {
				s = m[1] + "|" + m[2]
			}
			if !seen[s] {
				seen[s] = true
				lines = append(lines, s)
			}
		}
		sort.Strings(lines)
		lines = append(lines, fmt.Sprintf("exit=%d", code))
		fmt.Fprintf(&b, "-- %s.conf --\n%s", tc.name, tc.conf)
		if !strings.HasSuffix(tc.conf, "\n") {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "-- %s.want --\n%s\n", tc.name, strings.Join(lines, "\n"))
	}
	if err := os.WriteFile(lvsCases, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// lvsMessage filters out keepalived's start-up chatter from -t output.
func lvsMessage(l string) bool {
	for _, p := range []string{"Starting", "Running on", "Command line", "Configuration file", "Opening",
		"Stopped", "Keepalived_", "Stopping", "NOTICE: setting", "Script user", "Unable to load ipset",
		"Initializing", "Registering", "Assigned", "Using", "WARNING - default user", "Truncating auth",
		"Remove", "Leaving"} {
		if strings.HasPrefix(l, p) {
			return false
		}
	}
	return true
}

// FuzzLVS feeds LVS configurations, seeded with the golden cases, through
// the whole reader: no panic, whatever the input.
func FuzzLVS(f *testing.F) {
	data, err := os.ReadFile(lvsCases)
	if err != nil {
		f.Fatal(err)
	}
	for _, part := range strings.Split(string(data), "\n-- ") {
		if _, conf, ok := strings.Cut(part, ".conf --\n"); ok {
			f.Add(conf)
		}
	}
	f.Fuzz(func(t *testing.T, conf string) {
		Parse("fuzz.conf", []byte(conf), Options{Host: FakeHost{Interfaces: []string{"eth0"}}})
	})
}
