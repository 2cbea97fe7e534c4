package track

import (
	"bytes"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// The decoders of outside input: a tracked file's content, inotify
// events, process connector datagrams and /proc/PID/stat. Seed corpora
// are in testdata/fuzz.

var plainDecimal = regexp.MustCompile(`^[ \t\n]*[+-]?[1-9][0-9]{0,17}$`)

func FuzzParseFileValue(f *testing.F) {
	for _, s := range []string{"5\n", "-30", "0x10", "012", "abc", "", "2147483648", "99999999999999999999", " \t-7junk"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		v, ok := parseFileValue(b)
		if ok && (v < math.MinInt32 || v > math.MaxInt32+1) {
			t.Fatalf("%q: %d accepted outside keepalived's range", b, v)
		}
		// A plain decimal number reads as strconv reads it.
		if len(b) <= fileReadMax && plainDecimal.Match(b) {
			want, err := strconv.ParseInt(strings.TrimLeft(string(b), " \t\n"), 10, 64)
			if err == nil && v != want {
				t.Fatalf("%q = %d, want %d", b, v, want)
			}
		}
	})
}

func FuzzParseInotify(f *testing.F) {
	f.Add(inotifyBytes(inotifyEvent{1, inCloseWrite, "v"}, inotifyEvent{-1, inQOverflow, ""}))
	f.Add([]byte{1, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 255, 255, 255, 255})
	f.Fuzz(func(t *testing.T, b []byte) {
		evs, err := parseInotify(b)
		if err == nil {
			n := 0
			for _, ev := range evs {
				if strings.IndexByte(ev.name, 0) >= 0 {
					t.Fatalf("name %q keeps a NUL", ev.name)
				}
				n += inotifyHdr + len(ev.name)
			}
			if n > len(b) {
				t.Fatalf("%d bytes of events from %d", n, len(b))
			}
		}
	})
}

func FuzzParseProcEvent(f *testing.F) {
	f.Add(capturedFork)
	f.Add(procEventBytes(procEventExit, 0, 7, 1234, 1234))
	f.Add(procEventBytes(procEventComm, 1, 8, 55, 55, 'a', 'b'))
	f.Add(subscribeMsg(true))
	f.Fuzz(func(t *testing.T, b []byte) {
		ev, err := parseProcEvent(b)
		if err == nil && ev.what == procEventComm && len(ev.comm) > commLen {
			t.Fatalf("comm %q longer than %d", ev.comm, commLen)
		}
	})
}

func FuzzParseStat(f *testing.F) {
	for _, s := range []string{"1 (init) S 0", "78 (a) b) Z 1", "((x", "1 (x)"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		comm, _, ok := parseStat(b)
		if ok && !bytes.Contains(b, []byte("("+comm+")")) {
			t.Fatalf("%q: comm %q not between parentheses", b, comm)
		}
	})
}
