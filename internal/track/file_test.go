package track

import (
	"encoding/binary"
	"errors"
	"math"
	"strings"
	"testing"
)

// TestParseFileValue checks the reading of a track_file against C's
// strtol(buf, NULL, 0) as glibc does it (the expectations were printed by
// a C program) and keepalived's range check; the comments mark values
// keepalived 2.2.7 was seen to take that way.
func TestParseFileValue(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"5\n", 5, true},
		{"abc\n", 0, true}, // observed: priority back to base
		{"0x10\n", 16, true},
		{"0X1f", 31, true},
		{"  012junk\n", 10, true}, // observed: octal
		{" \t\n-012", -10, true},
		{"08", 0, true},
		{"0x", 0, true},
		{"0xg", 0, true},
		{"-", 0, true},
		{"+7", 7, true},
		{"1e3", 1, true},
		{"", 0, true},
		{"-30\n", -30, true},
		{"2147483647", math.MaxInt32, true},
		{"2147483648", math.MaxInt32 + 1, true}, // observed: accepted
		{"2147483649", math.MaxInt32 + 2, false},
		{"-2147483648", math.MinInt32, true},
		{"-2147483649", math.MinInt32 - 1, false},
		{"99999999999\n", 99999999999, false}, // observed: "Invalid number 99999999999 read from ..."
		{"99999999999999999999", math.MaxInt64, false},
		{"-99999999999999999999", math.MinInt64, false},
		{"9223372036854775807", math.MaxInt64, false},
		{"-9223372036854775808", math.MinInt64, false},
		{"12\x0034", 12, true},
		{strings.Repeat(" ", 126) + "42", 4, true}, // only 127 bytes are read
	}
	for _, tt := range tests {
		got, ok := parseFileValue([]byte(tt.in))
		if got != tt.want || ok != tt.ok {
			t.Errorf("parseFileValue(%q) = %d, %v; want %d, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func inotifyBytes(evs ...inotifyEvent) []byte {
	var b []byte
	for _, ev := range evs {
		name := []byte(ev.name)
		if len(name) > 0 {
			name = append(name, make([]byte, 16-len(name)%16)...)
		}
		h := make([]byte, inotifyHdr)
		binary.NativeEndian.PutUint32(h[0:], uint32(ev.wd))
		binary.NativeEndian.PutUint32(h[4:], ev.mask)
		binary.NativeEndian.PutUint32(h[12:], uint32(len(name)))
		b = append(append(b, h...), name...)
	}
	return b
}

func TestParseInotify(t *testing.T) {
	in := []inotifyEvent{{1, inCloseWrite, "v"}, {2, inDelete | inIsDir, "sub"}, {-1, inQOverflow, ""}}
	got, err := parseInotify(inotifyBytes(in...))
	if err != nil || len(got) != 3 {
		t.Fatalf("parseInotify = %+v, %v", got, err)
	}
	for i := range in {
		if got[i] != in[i] {
			t.Errorf("event %d = %+v, want %+v", i, got[i], in[i])
		}
	}
	b := inotifyBytes(in[0])
	for _, cut := range []int{3, inotifyHdr + 5} {
		if _, err := parseInotify(b[:cut]); err == nil {
			t.Errorf("%d bytes: no error", cut)
		}
	}
}

// TestFileEvents drives the watched files with inotify events and a fake
// file system.
func TestFileEvents(t *testing.T) {
	content := map[string]string{}
	read := func(p string) ([]byte, error) {
		c, ok := content[p]
		if !ok {
			return nil, errors.New("no such file")
		}
		return []byte(c), nil
	}
	a := &fileState{spec: FileSpec{Name: "a"}, path: "/d/a.val", dir: "/d/", base: "a.val", wd: 1}
	b := &fileState{spec: FileSpec{Name: "b"}, path: "/d/b.val", dir: "/d/", base: "b.val", wd: 1}
	a2 := &fileState{spec: FileSpec{Name: "a-again"}, path: "/d/a.val", dir: "/d/", base: "a.val", wd: 1}
	other := &fileState{spec: FileSpec{Name: "other"}, path: "/e/a.val", dir: "/e/", base: "a.val", wd: 2}
	files := []*fileState{a, b, a2, other}
	steps := []struct {
		name    string
		set     map[string]string
		ev      inotifyEvent
		want    []string
		wantErr bool
	}{
		{"written", map[string]string{"/d/a.val": "5\n"}, inotifyEvent{1, inCloseWrite, "a.val"},
			[]string{"STATUS a 5", "STATUS a-again 5"}, false},
		{"same value again", nil, inotifyEvent{1, inCloseWrite, "a.val"}, nil, false},
		{"another file of the directory", map[string]string{"/d/b.val": "-2"}, inotifyEvent{1, inMovedTo, "b.val"},
			[]string{"STATUS b -2"}, false},
		{"not a number", map[string]string{"/d/a.val": "abc"}, inotifyEvent{1, inCloseWrite, "a.val"},
			[]string{"STATUS a 0", "STATUS a-again 0"}, false},
		{"invalid keeps the value", map[string]string{"/d/b.val": "99999999999"}, inotifyEvent{1, inCloseWrite, "b.val"},
			[]string{"Invalid number 99999999999 read from /d/b.val - ignoring"}, false},
		{"deleted reads 0", nil, inotifyEvent{1, inDelete, "b.val"}, []string{"STATUS b 0"}, false},
		{"moved away reads 0", map[string]string{"/d/a.val": "3"}, inotifyEvent{1, inCloseWrite, "a.val"},
			[]string{"STATUS a 3", "STATUS a-again 3"}, false},
		{"moved away", nil, inotifyEvent{1, inMovedFrom, "a.val"}, []string{"STATUS a 0", "STATUS a-again 0"}, false},
		{"directory events ignored", nil, inotifyEvent{1, inDelete | inIsDir, "a.val"}, nil, false},
		{"unknown event", nil, inotifyEvent{1, 0x8000, ""}, []string{"Unknown inotify event 0x8000"}, false},
		{"overflow rereads all", map[string]string{"/d/a.val": "1", "/d/b.val": "", "/e/a.val": "4"}, inotifyEvent{-1, inQOverflow, ""},
			[]string{"Unknown inotify event 0x4000", "STATUS a 1", "STATUS a-again 1", "STATUS other 4"}, false},
		{"unreadable reads 0", nil, inotifyEvent{2, inCloseWrite, "a.val"}, nil, false},
	}
	for _, st := range steps {
		for k, v := range st.set {
			content[k] = v
		}
		if st.name == "unreadable reads 0" {
			delete(content, "/e/a.val")
			st.want = []string{"STATUS other 0"}
		}
		got := render(fileEvents(files, []inotifyEvent{st.ev}, read))
		if strings.Join(got, "|") != strings.Join(st.want, "|") {
			t.Errorf("%s: got %q, want %q", st.name, got, st.want)
		}
	}
}
