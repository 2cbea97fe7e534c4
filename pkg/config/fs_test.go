package config

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func TestFnmatch(t *testing.T) {
	tests := []struct {
		pat, name string
		want      bool
	}{
		{"*.conf", "a.conf", true},
		{"*.conf", "a.confx", false},
		{"a?c", "abc", true},
		{"a?c", "ac", false},
		{"d[13]", "d1", true},
		{"d[13]", "d2", false},
		{"d[!13]", "d2", true},
		{"d[^13]", "d1", false},
		{"d[a-c]x", "dbx", true},
		{"d[]]", "d]", true},
		{"d[", "d[", true},
		{`\*`, "*", true},
		{`\*`, "a", false},
		{"*a*b", "xxaybb", true},
		{"", "", true},
		{"*", "", true},
	}
	for _, tt := range tests {
		if got := globFnmatch(tt.pat, tt.name); got != tt.want {
			t.Errorf("fnmatch(%q, %q) = %v", tt.pat, tt.name, got)
		}
	}
}

// globTree is the same tree as a MapFS and on disk.
var globTree = map[string]string{
	"g/a.conf":    "A",
	"g/b.conf":    "B",
	"g/.h.conf":   "H",
	"g/d1/x.conf": "X1",
	"g/d2/y.conf": "Y2",
	"g/d3/x.conf": "X3",
}

func TestGlob(t *testing.T) {
	// Results as keepalived 2.2.7 shows them (testdata/lex/include_glob):
	// alternatives in written order, '/' after directories, hidden files
	// only for a leading '.', and the missing counts behind "Config files
	// missing" / "Some config files missing".
	tests := []struct {
		pat      string
		matches  []string
		missing  int
		wildcard bool
	}{
		{"g/{b,a}.conf", []string{"g/b.conf", "g/a.conf"}, 0, false},
		{"g/*.conf", []string{"g/a.conf", "g/b.conf"}, 0, true},
		{"g/.*.conf", []string{"g/.h.conf"}, 0, true},
		{"g/d?/x.conf", []string{"g/d1/x.conf", "g/d3/x.conf"}, 1, true},
		{"g/d[13]/x.conf", []string{"g/d1/x.conf", "g/d3/x.conf"}, 0, true},
		{"g/{d1,d2}/x.conf", []string{"g/d1/x.conf"}, 1, false},
		{"g/nodir/*.conf", nil, 1, true},
		{"g/missing.conf", nil, 1, false},
		{"g/a.conf{,}", []string{"g/a.conf", "g/a.conf"}, 0, false},
		{"g/{a.conf", nil, 1, false},
		{"g/{a}.conf", []string{"g/a.conf"}, 0, false},
		{"g/d1", []string{"g/d1/"}, 0, false},
		{`g/\a.conf`, []string{"g/a.conf"}, 0, true}, // a backslash makes glibc read the directory
		{"g/*", []string{"g/a.conf", "g/b.conf", "g/d1/", "g/d2/", "g/d3/"}, 0, true},
	}
	dir := t.TempDir()
	m := MapFS{}
	for name, data := range globTree {
		m[name] = []byte(data)
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(dir)
	for _, fsys := range []StatFS{m, OSFS{}} {
		for _, tt := range tests {
			r := globFS(fsys, tt.pat)
			if !reflect.DeepEqual(r.matches, tt.matches) || r.missingFiles+r.missingDirs != tt.missing || r.wildcards != tt.wildcard {
				t.Errorf("%T glob(%q) = %q missing %d+%d wildcards %v", fsys, tt.pat, r.matches, r.missingFiles, r.missingDirs, r.wildcards)
			}
		}
	}
}

func TestMapFS(t *testing.T) {
	m := MapFS{"/etc/k/a.conf": []byte("x"), "rel/b.conf": []byte("y")}
	if b, err := m.ReadFile("/etc/k/../k/a.conf"); err != nil || string(b) != "x" {
		t.Errorf("ReadFile = %q %v", b, err)
	}
	if _, err := m.ReadFile("/etc/k"); err == nil {
		t.Error("reading a directory worked")
	}
	if fi, err := m.Stat("/etc"); err != nil || !fi.IsDir() {
		t.Errorf("Stat(/etc) = %v %v", fi, err)
	}
	if names, err := m.ReadDir("/"); err != nil || !reflect.DeepEqual(names, []string{"etc"}) {
		t.Errorf("ReadDir(/) = %q %v", names, err)
	}
	if names, err := m.ReadDir("."); err != nil || !reflect.DeepEqual(names, []string{"rel"}) {
		t.Errorf("ReadDir(.) = %q %v", names, err)
	}
	if got, _ := m.Glob("/etc/k/*.conf"); !reflect.DeepEqual(got, []string{"/etc/k/a.conf"}) {
		t.Errorf("Glob = %q", got)
	}
}

func TestOverlayFS(t *testing.T) {
	o := overlayFS{name: "/etc/keepalived/keepalived.conf", data: []byte("main"), next: MapFS{"/etc/keepalived/conf.d/a.conf": []byte("a")}}
	if b, _ := o.ReadFile("/etc/keepalived/keepalived.conf"); string(b) != "main" {
		t.Errorf("ReadFile = %q", b)
	}
	names, err := o.ReadDir("/etc/keepalived")
	if err != nil || len(names) != 2 {
		t.Errorf("ReadDir = %q %v", names, err)
	}
	if got := globFS(o, "/etc/keepalived/*").matches; !reflect.DeepEqual(got, []string{"/etc/keepalived/conf.d/", "/etc/keepalived/keepalived.conf"}) {
		t.Errorf("glob = %q", got)
	}
	// Parse reads includes through the overlay, relative to the main file.
	_, diags := Parse("/etc/keepalived/keepalived.conf", []byte("include conf.d/*.conf\n"), Options{FS: o.next, Host: FakeHost{}})
	if len(diags) != 1 || diags[0].String() != "(conf.d/a.conf: Line 1) Unknown keyword 'a'" {
		t.Errorf("Parse diagnostics %v", diags)
	}
}
