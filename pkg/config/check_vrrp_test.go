package config

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// vrrpTestHost is the machine the golden files were made on: the
// interfaces of testdata/vrrp/gen-golden.sh's namespace, only the root
// user, and the real file system for script checks (/bin/true, ...).
type vrrpTestHost struct{ FakeHost }

func (vrrpTestHost) Stat(p string) (os.FileInfo, error) { return os.Stat(p) }

func newVRRPTestHost() vrrpTestHost {
	return vrrpTestHost{FakeHost{Interfaces: []string{"lo", "eth0", "eth1", "bond0"}}}
}

func parseVRRP(t *testing.T, src string) (*Config, Diagnostics) {
	t.Helper()
	return Parse("test.conf", []byte(src), Options{Host: newVRRPTestHost()})
}

var vrrpGoldenPos = regexp.MustCompile(`^\(([^()]*: )?Line [0-9]+\) `)

// vrrpImproved matches keepalived messages we deliberately do not give:
// vrrp_garp_interval 0 / vrrp_gna_interval 0 mean "no delay" for us
// (documented improvement of the global_defs reader).
var vrrpImproved = regexp.MustCompile(`^(number '0' outside range \[0\.000001, |vrrp_g(arp|na)_interval '0' is invalid)`)

// vrrpReadGolden returns keepalived's distinct messages (position prefix
// removed) and its exit code.
func vrrpReadGolden(t *testing.T, file string) ([]string, int) {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var msgs []string
	code := -1
	for _, ln := range strings.Split(strings.TrimRight(string(b), "\n"), "\n") {
		if rest, ok := strings.CutPrefix(ln, "exit="); ok {
			code, _ = strconv.Atoi(rest)
			continue
		}
		m := vrrpGoldenPos.ReplaceAllString(ln, "")
		if !vrrpImproved.MatchString(m) {
			msgs = append(msgs, m)
		}
	}
	return vrrpUniqSorted(msgs), code
}

func vrrpUniqSorted(s []string) []string {
	sort.Strings(s)
	out := s[:0]
	for i, x := range s {
		if i == 0 || x != s[i-1] {
			out = append(out, x)
		}
	}
	return out
}

// TestVRRPGolden runs every configuration of testdata/vrrp/cases and
// compares the messages and -t exit code with what Debian's keepalived
// 2.2.7 printed for it (testdata/vrrp/gen-golden.sh made the .golden
// files; informational messages, which keepalived -t does not print, are
// left out of the comparison).
func TestVRRPGolden(t *testing.T) {
	files, _ := filepath.Glob("testdata/vrrp/cases/*.conf")
	if len(files) == 0 {
		t.Fatal("no golden cases")
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".conf")
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			want, wantCode := vrrpReadGolden(t, strings.TrimSuffix(f, ".conf")+".golden")
			_, diags := Parse(filepath.Base(f), src, Options{Host: newVRRPTestHost()})
			var got []string
			for _, d := range diags {
				if d.Class != ClassInfo {
					got = append(got, d.Msg)
				}
			}
			got = vrrpUniqSorted(got)
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("messages differ\n got:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
			}
			if code := diags.ExitCode(); code != wantCode {
				t.Errorf("exit code %d, keepalived %d", code, wantCode)
			}
		})
	}
}
