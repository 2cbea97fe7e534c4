package script

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"syscall"
	"testing"
	"time"
)

func TestBuildEnv(t *testing.T) {
	for _, tc := range []struct {
		name        string
		base, extra []string
		want        []string
	}{
		{name: "removed", base: []string{"A=1", "LD_PRELOAD=/x.so", "LD_LIBRARY_PATH=/l", "IFS= ", "B=2"}, want: []string{"A=1", "B=2"}},
		{name: "names only, not prefixes", base: []string{"LD_PRELOADX=1", "XIFS=2"}, want: []string{"LD_PRELOADX=1", "XIFS=2"}},
		{name: "extra appended", base: []string{"A=1"}, extra: []string{"B=2"}, want: []string{"A=1", "B=2"}},
		{name: "extra replaces", base: []string{"A=1", "B=2", "A=3"}, extra: []string{"A=9"}, want: []string{"B=2", "A=9"}},
		{name: "extra may set a removed name", base: []string{"IFS=x"}, extra: []string{"IFS=y"}, want: []string{"IFS=y"}},
		{name: "empty", want: []string{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := buildEnv(tc.base, tc.extra); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestLookupEnv(t *testing.T) {
	env := []string{"PATH=/a", "NOEQ", "PATH=/b", "EMPTY="}
	for _, tc := range []struct {
		name, want string
		ok         bool
	}{{"PATH", "/b", true}, {"NOEQ", "", false}, {"EMPTY", "", true}, {"NONE", "", false}} {
		if got, ok := lookupEnv(env, tc.name); got != tc.want || ok != tc.ok {
			t.Errorf("%s: %q %v, want %q %v", tc.name, got, ok, tc.want, tc.ok)
		}
	}
}

func TestFileTest(t *testing.T) {
	for _, tc := range []struct {
		argv []string
		test bool
		line string
	}{
		{[]string{"</etc/passwd"}, true, "</etc/passwd"},
		{[]string{"< \t/etc/passwd"}, true, "< \t/etc/passwd"},
		{[]string{"<etc/passwd"}, false, "<etc/passwd"},
		{[]string{"<"}, false, "<"},
		{[]string{"/bin/chk", "a b", "c"}, false, "'/bin/chk' 'a b' 'c'"},
		{[]string{"</x", "y"}, true, "</x 'y'"},
	} {
		if got := isFileTest(tc.argv); got != tc.test {
			t.Errorf("isFileTest(%q) = %v", tc.argv, got)
		}
		if got := shellLine(tc.argv); got != tc.line {
			t.Errorf("shellLine(%q) = %q, want %q", tc.argv, got, tc.line)
		}
	}
}

// fakeInfo is a file of the given mode and owner.
type fakeInfo struct {
	mode     fs.FileMode
	uid, gid uint32
}

func (f fakeInfo) Name() string       { return "f" }
func (f fakeInfo) Size() int64        { return 0 }
func (f fakeInfo) Mode() fs.FileMode  { return f.mode }
func (f fakeInfo) ModTime() time.Time { return time.Time{} }
func (f fakeInfo) IsDir() bool        { return false }
func (f fakeInfo) Sys() any           { return &syscall.Stat_t{Uid: f.uid, Gid: f.gid} }

func TestExecutableBy(t *testing.T) {
	for _, tc := range []struct {
		mode     fs.FileMode
		uid, gid uint32 // runner
		want     bool
	}{
		{0o001, 0, 0, true}, // root: any execute bit
		{0o644, 0, 0, false},
		{0o700, 100, 50, true},  // owner 100
		{0o070, 100, 50, false}, // owner without u+x: the group bit does not count
		{0o010, 200, 50, true},  // group 50
		{0o001, 200, 50, false}, // in the group: others' bit does not count
		{0o001, 200, 60, true},  // others
		{0o770, 200, 60, false},
	} {
		fi := fakeInfo{mode: tc.mode, uid: 100, gid: 50}
		if got := executableBy(fi, tc.uid, tc.gid); got != tc.want {
			t.Errorf("mode %o as %d:%d: %v, want %v", tc.mode, tc.uid, tc.gid, got, tc.want)
		}
	}
}

func TestLookPath(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	write := func(dir, name string, mode os.FileMode) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte("#!/bin/sh\n"), mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, mode); err != nil {
			t.Fatal(err)
		}
		return p
	}
	write(a, "prog", 0o644) // not executable: skipped
	want := write(b, "prog", 0o755)
	write(b, "noexec", 0o644)
	if err := os.Mkdir(filepath.Join(a, "dir"), 0o755); err != nil {
		t.Fatal(err)
	}
	path := "/nonexistent:" + a + ":" + b
	uid, gid := uint32(os.Geteuid()), uint32(os.Getegid())
	for _, tc := range []struct {
		name, want string
		err        error
	}{
		{"prog", want, nil},
		{"./prog", "./prog", nil},
		{"/abs/prog", "/abs/prog", nil},
		{"noexec", "", fs.ErrPermission},
		{"dir", "", fs.ErrPermission},
		{"missing", "", fs.ErrNotExist},
	} {
		got, err := lookPath(tc.name, path, uid, gid)
		if got != tc.want || !errors.Is(err, tc.err) || (tc.err == nil && err != nil) {
			t.Errorf("lookPath(%q) = %q, %v; want %q, %v", tc.name, got, err, tc.want, tc.err)
		}
	}
}
