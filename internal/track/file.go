package track

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"

	"github.com/gokeepalived/gokeepalived/internal/vrrp"
	"github.com/gokeepalived/gokeepalived/pkg/config"
)

// FileSpec is one track_file the manager watches.
type FileSpec struct {
	Name string
	Path string
	// Init is init_file: create the file with Init.Value when it is
	// missing (always with Overwrite, except on a reload).
	Init *config.TrackFileInit
}

// fileReadMax is how much of a tracked file keepalived reads: one read()
// of at most 127 bytes (track_file.c process_track_file).
const fileReadMax = 127

// parseFileValue reads a tracked file's content as keepalived does: C's
// strtol(buf, NULL, 0) on the first 127 bytes — leading white space, an
// optional sign, then a hexadecimal (0x), octal (leading 0) or decimal
// number up to the first character that does not belong to it. Content
// without a number (empty, "abc") is 0. A number that overflows, or lies
// outside keepalived's accepted range INT32_MIN..INT32_MAX+1, is invalid:
// ok is false and the value is what keepalived then logs ("Invalid number
// %ld read from %s - ignoring") before keeping the previous value.
func parseFileValue(b []byte) (v int64, ok bool) {
	if len(b) > fileReadMax {
		b = b[:fileReadMax]
	}
	// strtol stops at a NUL: keepalived passes the buffer as a string.
	for i, c := range b {
		if c == 0 {
			b = b[:i]
			break
		}
	}
	i := 0
	for i < len(b) && isCSpace(b[i]) {
		i++
	}
	neg := false
	if i < len(b) && (b[i] == '+' || b[i] == '-') {
		neg = b[i] == '-'
		i++
	}
	base := uint64(10)
	switch {
	case i+1 < len(b) && b[i] == '0' && (b[i+1] == 'x' || b[i+1] == 'X') &&
		i+2 < len(b) && digitVal(b[i+2]) < 16:
		base, i = 16, i+2
	case i < len(b) && b[i] == '0':
		base = 8
	}
	var mag uint64
	overflow := false
	for ; i < len(b); i++ {
		d := digitVal(b[i])
		if d >= base {
			break
		}
		if mag > (math.MaxUint64-d)/base {
			overflow = true
			continue
		}
		mag = mag*base + d
	}
	switch {
	case !neg && (overflow || mag > math.MaxInt64):
		return math.MaxInt64, false // LONG_MAX, ERANGE
	case neg && (overflow || mag > 1<<63):
		return math.MinInt64, false // LONG_MIN, ERANGE
	case neg:
		v = -int64(mag)
	default:
		v = int64(mag)
	}
	return v, v >= math.MinInt32 && v <= math.MaxInt32+1
}

func isCSpace(c byte) bool {
	return c == ' ' || (c >= '\t' && c <= '\r')
}

// digitVal is a character's value as a digit in bases up to 36 (36 when
// it is none).
func digitVal(c byte) uint64 {
	switch {
	case c >= '0' && c <= '9':
		return uint64(c - '0')
	case c >= 'a' && c <= 'z':
		return uint64(c-'a') + 10
	case c >= 'A' && c <= 'Z':
		return uint64(c-'A') + 10
	}
	return 36
}

// fileState is one watched track_file's last value, and what a change of
// it reports.
type fileState struct {
	spec FileSpec
	// path is the file as watched: the configured path with its
	// directory (or the whole path, when the file exists) resolved, as
	// keepalived's init_track_files does with realpath.
	path      string
	dir, base string
	wd        int32
	value     int64
}

func (f *fileState) status() Status {
	return Status{Kind: vrrp.KindFile, Name: f.spec.Name, Value: int(f.value), Up: f.value == 0}
}

// set records a new value; a change is reported (keepalived's
// update_track_file_status does nothing for an unchanged value).
func (f *fileState) set(v int64) []Action {
	if v == f.value {
		return nil
	}
	f.value = v
	return []Action{statusAct(f.status())}
}

// read applies the content just read from the file (or a failure to read
// it: a file that cannot be opened or is empty reads as 0).
func (f *fileState) read(content []byte, err error) []Action {
	if err != nil || len(content) == 0 {
		return f.set(0)
	}
	v, ok := parseFileValue(content)
	if !ok {
		return []Action{logAct(info(fmtFileInvalid, v, f.path))}
	}
	return f.set(v)
}

// inotify event bits (linux/inotify.h); the watch asks for the three
// kinds of change keepalived watches: a file closed after writing, a file
// deleted, a file moved in or out of the directory.
const (
	inCloseWrite = 0x00000008
	inMovedFrom  = 0x00000040
	inMovedTo    = 0x00000080
	inDelete     = 0x00000200
	inQOverflow  = 0x00004000
	inIsDir      = 0x40000000

	inWatchMask = inCloseWrite | inDelete | inMovedFrom | inMovedTo
	inotifyHdr  = 16 // wd, mask, cookie, len
)

// inotifyEvent is one event read from an inotify descriptor.
type inotifyEvent struct {
	wd   int32
	mask uint32
	name string
}

// parseInotify splits what one read of an inotify descriptor returned
// into events (struct inotify_event: wd, mask, cookie, len, then len bytes
// of NUL-padded name).
func parseInotify(b []byte) ([]inotifyEvent, error) {
	var evs []inotifyEvent
	for len(b) > 0 {
		if len(b) < inotifyHdr {
			return evs, fmt.Errorf("inotify event: %d bytes, header needs %d", len(b), inotifyHdr)
		}
		ev := inotifyEvent{
			wd:   int32(binary.NativeEndian.Uint32(b[0:])),
			mask: binary.NativeEndian.Uint32(b[4:]),
		}
		n := int(binary.NativeEndian.Uint32(b[12:]))
		if n < 0 || n > len(b)-inotifyHdr {
			return evs, fmt.Errorf("inotify event: name of %d bytes, %d left", n, len(b)-inotifyHdr)
		}
		name := b[inotifyHdr : inotifyHdr+n]
		if i := bytes.IndexByte(name, 0); i >= 0 {
			name = name[:i]
		}
		ev.name = string(name)
		evs = append(evs, ev)
		b = b[inotifyHdr+n:]
	}
	return evs, nil
}

// fileEvents applies inotify events to the watched files as keepalived's
// process_inotify does: a file deleted or moved away reads as 0, a file
// closed after writing or moved in is read again (readFile), events on
// directories are ignored and events of other kinds are logged as
// unknown. After a queue overflow (events were lost) every file is read
// again (ours: keepalived only logs it as unknown).
func fileEvents(files []*fileState, evs []inotifyEvent, readFile func(string) ([]byte, error)) []Action {
	var acts []Action
	for _, ev := range evs {
		if ev.mask&inIsDir != 0 {
			continue
		}
		if ev.mask&inWatchMask == 0 {
			acts = append(acts, logAct(info(fmtInotifyUnknown, ev.mask)))
			if ev.mask&inQOverflow != 0 {
				for _, f := range files {
					acts = append(acts, f.read(readFile(f.path))...)
				}
			}
			continue
		}
		for _, f := range files {
			if f.wd != ev.wd || f.base != ev.name {
				continue
			}
			if ev.mask&(inMovedFrom|inDelete) != 0 {
				acts = append(acts, f.set(0)...)
			} else {
				acts = append(acts, f.read(readFile(f.path))...)
			}
		}
	}
	return acts
}
