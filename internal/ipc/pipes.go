package ipc

import (
	"errors"
	"os"
	"syscall"
)

// Pipes makes the two pipes of a parent/child pair. The parent keeps
// parent (it reads what the child writes, and writes what the child
// reads); child.R and child.W go to the child as exec.Cmd.ExtraFiles, and
// the parent closes them once the child has started.
func Pipes() (parent, child Endpoint, err error) {
	down, downW, err := os.Pipe() // parent → child
	if err != nil {
		return Endpoint{}, Endpoint{}, err
	}
	upR, up, err := os.Pipe() // child → parent
	if err != nil {
		down.Close()
		downW.Close()
		return Endpoint{}, Endpoint{}, err
	}
	return Endpoint{R: upR, W: downW}, Endpoint{R: down, W: up}, nil
}

// Endpoint is one process's two ends of a pipe pair.
type Endpoint struct {
	R *os.File
	W *os.File
}

// Conn makes the Conn speaking over e.
func (e Endpoint) Conn() *Conn { return NewConn(e.R, e.W) }

// Close closes both files.
func (e Endpoint) Close() error {
	return errors.Join(closeFile(e.R), closeFile(e.W))
}

func closeFile(f *os.File) error {
	if f == nil {
		return nil
	}
	return f.Close()
}

// ChildEndpoint opens the pipe pair a child inherited as file descriptors
// rfd and wfd (3 and 4 when the parent passed child.R, child.W as the
// first ExtraFiles).
//
// Both are made close-on-exec: the programs the child runs (scripts) must
// not hold the daemon's pipes.
//
// Both are also made non-blocking, so that os.NewFile gives files the
// runtime's poller waits on (os/exec hands them over in blocking mode).
// A reader blocked in read(2) instead holds the process's only P in a
// system call: a message it passes on (the parent's Stop) then waits for
// sysmon to take the P back, and a SIGTERM handover took a millisecond
// longer than keepalived's.
func ChildEndpoint(rfd, wfd uintptr) Endpoint {
	for _, fd := range []int{int(rfd), int(wfd)} {
		syscall.CloseOnExec(fd)
		syscall.SetNonblock(fd, true)
	}
	return Endpoint{R: os.NewFile(rfd, "ipc-read"), W: os.NewFile(wfd, "ipc-write")}
}
