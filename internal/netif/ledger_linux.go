package netif

import (
	"io/fs"
	"os"
	"syscall"
	"unsafe"
)

// writeFile is os.WriteFile in three raw system calls. A becoming master
// writes the ledger between its advert and its first gratuitous ARP:
// os.OpenFile's attempt to add a regular file to the poller cost four
// more calls, and through Syscall a call that outlasts sysmon's 20 µs
// tick has the process's only P handed to another thread. The ledger
// lives on /run, a tmpfs: nothing here waits for a disk.
func writeFile(path string, b []byte) error {
	p, err := syscall.BytePtrFromString(path)
	if err != nil {
		return &fs.PathError{Op: "open", Path: path, Err: err}
	}
	cwd := atFDCWD
	fd, _, e := syscall.RawSyscall6(syscall.SYS_OPENAT, uintptr(cwd), uintptr(unsafe.Pointer(p)),
		syscall.O_WRONLY|syscall.O_CREAT|syscall.O_TRUNC|syscall.O_CLOEXEC, 0o600, 0, 0)
	if e != 0 {
		return &fs.PathError{Op: "open", Path: path, Err: e}
	}
	for len(b) > 0 {
		n, _, e := syscall.RawSyscall(syscall.SYS_WRITE, fd, uintptr(unsafe.Pointer(&b[0])), uintptr(len(b)))
		if e == syscall.EINTR {
			continue
		}
		if e != 0 {
			err = e
			break
		}
		b = b[n:]
	}
	if _, _, e := syscall.RawSyscall(syscall.SYS_CLOSE, fd, 0, 0); err == nil && e != 0 {
		err = e
	}
	if err != nil {
		return &fs.PathError{Op: "write", Path: path, Err: err}
	}
	return nil
}

// atFDCWD is AT_FDCWD, for openat and renameat.
const atFDCWD = -100

// rename is os.Rename as one raw system call (see writeFile).
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
