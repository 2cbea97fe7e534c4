package track

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/sys/unix"
)

// fileWatcher is the inotify descriptor that watches the directories of
// the tracked files (keepalived watches the directory, not the file, so
// that a file created, replaced by a rename or deleted is noticed).
type fileWatcher struct {
	f   *os.File
	wds map[int32]bool
}

func openFileWatcher() (*fileWatcher, error) {
	fd, err := unix.InotifyInit1(unix.IN_CLOEXEC | unix.IN_NONBLOCK)
	if err != nil {
		return nil, fmt.Errorf("inotify_init1: %w", err)
	}
	// A non-blocking descriptor in an os.File goes through the runtime
	// poller: Read waits without a thread and Close wakes it.
	return &fileWatcher{f: os.NewFile(uintptr(fd), "inotify"), wds: map[int32]bool{}}, nil
}

// watch adds the watch of f's directory; files of one directory share it.
func (w *fileWatcher) watch(f *fileState) error {
	var wd int
	var err error
	ctl := func(fd uintptr) {
		wd, err = unix.InotifyAddWatch(int(fd), f.dir, inWatchMask)
	}
	rc, cerr := w.f.SyscallConn()
	if cerr != nil {
		return cerr
	}
	if cerr := rc.Control(ctl); cerr != nil {
		return cerr
	}
	if err != nil {
		return fmt.Errorf("inotify_add_watch %s: %w", f.dir, err)
	}
	f.wd = int32(wd)
	w.wds[f.wd] = true
	return nil
}

// unwatch removes the watches no tracked file uses any more.
func (w *fileWatcher) unwatch(used map[int32]bool) {
	rc, err := w.f.SyscallConn()
	if err != nil {
		return
	}
	for wd := range w.wds {
		if used[wd] {
			continue
		}
		delete(w.wds, wd)
		_ = rc.Control(func(fd uintptr) { _, _ = unix.InotifyRmWatch(int(fd), uint32(wd)) })
	}
}

// read returns the next batch of events; it blocks until there is one or
// the watcher is closed.
func (w *fileWatcher) read(buf []byte) ([]inotifyEvent, error) {
	n, err := w.f.Read(buf)
	if err != nil {
		return nil, err
	}
	return parseInotify(buf[:n])
}

func (w *fileWatcher) close() { _ = w.f.Close() }

// inotifyBuf holds at least one event with the longest name.
const inotifyBuf = 64 * (inotifyHdr + unix.NAME_MAX + 1)

// resolveTrackFile finds where a tracked file is watched, as keepalived's
// init_track_files: an existing file by its real path (symbolic links
// followed); a missing one in the real path of its directory, which must
// exist. A file in neither case is dropped with keepalived's error.
func resolveTrackFile(f *fileState) (ok bool, line Line) {
	path := f.spec.Path
	real, err := realPath(path)
	switch {
	case err == nil:
		f.path = real
	case errors.Is(err, fs.ErrNotExist):
		dir, base := ".", path
		if i := strings.LastIndexByte(path, '/'); i >= 0 {
			dir, base = path[:i], path[i+1:]
			if dir == "" {
				dir = "/"
			}
		}
		rdir, err := realPath(dir)
		if err != nil {
			return false, info(fmtFileNoDir, f.spec.Name)
		}
		if fi, err := os.Stat(rdir); err != nil || !fi.IsDir() {
			return false, info(fmtFileNoDir, f.spec.Name)
		}
		f.path = filepath.Join(rdir, base)
	default:
		return false, info(fmtFileInaccessible, f.spec.Name)
	}
	f.dir, f.base = filepath.Split(f.path)
	return true, Line{}
}

// realPath is realpath(3): absolute, with every symbolic link resolved;
// an error when the path does not exist.
func realPath(p string) (string, error) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", err
	}
	return filepath.EvalSymlinks(abs)
}

// readTrackFile reads a tracked file as keepalived does: opened
// non-blocking (a FIFO never hangs the daemon), one read of at most 127
// bytes.
func readTrackFile(path string) ([]byte, error) {
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	defer unix.Close(fd)
	buf := make([]byte, fileReadMax)
	n, err := unix.Read(fd, buf)
	if err != nil {
		return nil, &fs.PathError{Op: "read", Path: path, Err: err}
	}
	return buf[:max(n, 0)], nil
}

// keepalived creates files with 0666 less its umask, 0177 unless
// global_defs' umask (or -u) says otherwise (lib/utils.c umask_val).
const defaultUmask = 0o177

// initTrackFile is init_file (track_file.c track_file_end_handler): write
// "VALUE\n" to a missing file; with overwrite also to an existing regular
// file, except on a reload. keepalived writes a temporary file and renames
// it over the name (fopen_safe), so a reader never sees a half-written
// value; so do we.
func initTrackFile(spec FileSpec, reload bool, umask *uint32) error {
	in := spec.Init
	if in == nil {
		return nil
	}
	if fi, err := os.Stat(spec.Path); err == nil {
		if !in.Overwrite || !fi.Mode().IsRegular() || reload {
			// Not a regular file: the configuration check reported it.
			return nil
		}
	}
	mask := uint32(defaultUmask)
	if umask != nil {
		mask = *umask
	}
	dir, base := filepath.Split(spec.Path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, base+".*")
	if err != nil {
		return fmt.Errorf("init_file %s: %w", spec.Path, err)
	}
	_, werr := fmt.Fprintf(tmp, "%d\n", in.Value)
	if err := tmp.Chmod(fs.FileMode(0o666 &^ mask)); err != nil && werr == nil {
		werr = err
	}
	if err := tmp.Close(); err != nil && werr == nil {
		werr = err
	}
	if werr == nil {
		werr = os.Rename(tmp.Name(), spec.Path)
	}
	if werr != nil {
		_ = os.Remove(tmp.Name())
		return fmt.Errorf("init_file %s: %w", spec.Path, werr)
	}
	return nil
}
