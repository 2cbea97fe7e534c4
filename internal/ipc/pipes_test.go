package ipc

import (
	"os"
	"syscall"
	"testing"
	"time"
)

// A child's pipe ends come from os/exec in blocking mode; ChildEndpoint
// must give files the runtime's poller waits on (only those take a
// deadline), so that a reader waiting for the parent holds no P.
func TestChildEndpointPollable(t *testing.T) {
	var p [2]int
	if err := syscall.Pipe(p[:]); err != nil { // blocking, as os/exec leaves them
		t.Fatal(err)
	}
	e := ChildEndpoint(uintptr(p[0]), uintptr(p[1]))
	defer e.Close()
	for _, f := range []*os.File{e.R, e.W} {
		if err := f.SetDeadline(time.Now().Add(time.Second)); err != nil {
			t.Fatalf("%s: %v (not in the poller)", f.Name(), err)
		}
	}
	// And still a working pipe, read through the poller.
	e.R.SetReadDeadline(time.Now().Add(50 * time.Millisecond))
	var b [1]byte
	if _, err := e.R.Read(b[:]); !os.IsTimeout(err) {
		t.Errorf("empty pipe read: %v, want a timeout", err)
	}
	e.R.SetReadDeadline(time.Time{})
	if _, err := e.W.Write([]byte{7}); err != nil {
		t.Fatal(err)
	}
	if n, err := e.R.Read(b[:]); n != 1 || b[0] != 7 || err != nil {
		t.Errorf("read %d %v %v", n, b, err)
	}
}
