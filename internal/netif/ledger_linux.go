package netif

import (
	"io/fs"
	"os"
	"syscall"
	"unsafe"
)

// The journal is written with raw system calls. A becoming master appends
// to it between its advert and its first gratuitous ARP: os.File's
// attempt to add a regular file to the poller costs more calls, and
// through Syscall a call that outlasts sysmon's 20 µs tick has the
// process's only P handed to another thread. The file lives on /run, a
// tmpfs: nothing here waits for a disk.

// journal is the ledger file open for appending.
type journal struct{ fd int }

// createJournal creates (or truncates) path for appending.
func createJournal(path string) (*journal, error) {
	p, err := syscall.BytePtrFromString(path)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	cwd := atFDCWD
	fd, _, e := syscall.RawSyscall6(syscall.SYS_OPENAT, uintptr(cwd), uintptr(unsafe.Pointer(p)),
		syscall.O_WRONLY|syscall.O_CREAT|syscall.O_TRUNC|syscall.O_APPEND|syscall.O_CLOEXEC, 0o600, 0, 0)
	if e != 0 {
		return nil, &fs.PathError{Op: "open", Path: path, Err: e}
	}
	return &journal{int(fd)}, nil
}

// append writes b whole: one write(2) unless the kernel takes less.
func (j *journal) append(b []byte) error {
	for len(b) > 0 {
		n, _, e := syscall.RawSyscall(syscall.SYS_WRITE, uintptr(j.fd), uintptr(unsafe.Pointer(&b[0])), uintptr(len(b)))
		if e == syscall.EINTR {
			continue
		}
		if e != 0 {
			return e
		}
		b = b[n:]
	}
	return nil
}

func (j *journal) close() { syscall.RawSyscall(syscall.SYS_CLOSE, uintptr(j.fd), 0, 0) }

// atFDCWD is AT_FDCWD, for openat and renameat.
const atFDCWD = -100

// rename is os.Rename as one raw system call.
func rename(from, to string) error {
	f, err := syscall.BytePtrFromString(from)
	if err != nil {
		return err
	}
	t, err := syscall.BytePtrFromString(to)
	if err != nil {
		return err
	}
	fd := atFDCWD
	if _, _, e := syscall.RawSyscall6(syscall.SYS_RENAMEAT, uintptr(fd), uintptr(unsafe.Pointer(f)),
		uintptr(fd), uintptr(unsafe.Pointer(t)), 0, 0); e != 0 {
		return &os.LinkError{Op: "rename", Old: from, New: to, Err: e}
	}
	return nil
}
