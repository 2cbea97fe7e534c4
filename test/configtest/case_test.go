package configtest

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestParseDirectives(t *testing.T) {
	text := "# harness: interfaces eth0 eth1\n" +
		"vrrp_instance X {\n" +
		"  #harness:args  -i node1  \n" +
		"}\n" +
		"# not a harness: line\n" +
		"interface eth0 # harness: missing eth0\n"
	want := []Directive{
		{Key: "interfaces", Args: []string{"eth0", "eth1"}},
		{Key: "args", Args: []string{"-i", "node1"}},
	}
	if got := ParseDirectives(text); !reflect.DeepEqual(got, want) {
		t.Errorf("ParseDirectives = %+v, want %+v", got, want)
	}
}

func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestNewCase(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"main.conf": "# harness: missing eth9\n# harness: args -i n1\n# harness: keepalived-exit 5\n" +
			"interface eth9\ninclude inc/{a,b}.conf\ninclude /etc/keepalived/conf.d/*.conf\n",
		"inc/a.conf":                        "interface eth1\n",
		"inc/b.conf":                        "dev bond0\ninclude sub/c.conf\n",
		"inc/c.conf":                        "interface wrong-dir\n",
		"inc/sub/c.conf":                    "interface em1\n",
		"etc/node/keepalived/conf.d/x.conf": "interface eth2\n",
		"exact.conf":                        "# harness: interfaces eth0\n# harness: chmod 0777 keepalived/unsafe\n# harness: reference-crashes 5\ninterface eth5\n",
		"bad.conf":                          "# harness: frobnicate\n",
		"badmode.conf":                      "# harness: chmod 0777 ../../tmp/x\n",
	})
	c, err := NewCase(filepath.Join(dir, "main.conf"), dir, "node")
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"bond0", "em1", "eth1", "eth2"}; !reflect.DeepEqual(c.Ifaces, want) {
		t.Errorf("Ifaces = %q, want %q", c.Ifaces, want)
	}
	if want := []string{"-i", "n1"}; !reflect.DeepEqual(c.Args, want) {
		t.Errorf("Args = %q, want %q", c.Args, want)
	}
	if c.WantKeepalived != 5 || c.ReferenceCrashes != -1 {
		t.Errorf("WantKeepalived = %d, ReferenceCrashes = %d", c.WantKeepalived, c.ReferenceCrashes)
	}
	if c.Etc != filepath.Join(dir, "etc", "node") || c.Name != "main.conf" {
		t.Errorf("Etc = %q, Name = %q", c.Etc, c.Name)
	}

	c, err = NewCase(filepath.Join(dir, "exact.conf"), dir, "-")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(c.Ifaces, []string{"eth0"}) || c.Etc != "" || c.ReferenceCrashes != 5 {
		t.Errorf("exact: Ifaces = %q, Etc = %q, ReferenceCrashes = %d", c.Ifaces, c.Etc, c.ReferenceCrashes)
	}
	if want := []Chmod{{Mode: 0o777, Path: "keepalived/unsafe"}}; !reflect.DeepEqual(c.Chmod, want) {
		t.Errorf("Chmod = %+v, want %+v", c.Chmod, want)
	}

	for _, bad := range []string{"bad.conf", "badmode.conf"} {
		if _, err := NewCase(filepath.Join(dir, bad), dir, ""); err == nil {
			t.Errorf("NewCase(%s) accepted a bad directive", bad)
		}
	}
	if _, err := NewCase(filepath.Join(dir, "exact.conf"), dir, "no-such-overlay"); err == nil {
		t.Error("NewCase accepted a missing overlay")
	}
}

func TestExpandBraces(t *testing.T) {
	tests := map[string][]string{
		"a.conf":         {"a.conf"},
		"inc/{a,b}.conf": {"inc/a.conf", "inc/b.conf"},
		"{x,y}/{1,2}":    {"x/1", "x/2", "y/1", "y/2"},
		"{a,{b,c}}":      {"a", "b", "a", "c"},
		"unclosed{a,b":   {"unclosed{a,b"},
		"stray}a":        {"stray}a"},
	}
	for in, want := range tests {
		if got := expandBraces(in); !reflect.DeepEqual(got, want) {
			t.Errorf("expandBraces(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestLoadIndexAndLineRanges(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"INDEX": "# comment\n\n a.conf | s.txt | 3-5,9 | - | note with | bar\n",
		"BAD":   "a.conf | s.txt\n",
	})
	got, err := LoadIndex(filepath.Join(dir, "INDEX"))
	if err != nil {
		t.Fatal(err)
	}
	want := []IndexEntry{{Conf: "a.conf", Source: "s.txt", Lines: "3-5,9", Etc: "-", Note: "note with | bar"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("LoadIndex = %+v, want %+v", got, want)
	}
	if _, err := LoadIndex(filepath.Join(dir, "BAD")); err == nil || !strings.Contains(err.Error(), "want 5 fields") {
		t.Errorf("LoadIndex(BAD) error = %v", err)
	}
	r, err := LineRanges(got[0].Lines)
	if err != nil || !reflect.DeepEqual(r, [][2]int{{3, 5}, {9, 9}}) {
		t.Errorf("LineRanges = %v, %v", r, err)
	}
	for _, bad := range []string{"", "5-3", "0-2", "a-b", "3-"} {
		if _, err := LineRanges(bad); err == nil {
			t.Errorf("LineRanges(%q) accepted", bad)
		}
	}
}
