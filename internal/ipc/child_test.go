package ipc

import (
	"errors"
	"io"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"
)

// The child side of TestChildProcess: this test binary re-executed, as
// keepalived re-executes itself, with the pipe pair on fds 3 and 4.
func TestMain(m *testing.M) {
	if os.Getenv("GK_IPC_CHILD") == "1" {
		os.Exit(childMain())
	}
	os.Exit(m.Run())
}

func childMain() int {
	e := ChildEndpoint(3, 4)
	c := e.Conn()
	if _, err := c.Handshake(Hello{Role: RoleVRRP, PID: os.Getpid()}, RoleParent); err != nil {
		return 3
	}
	for {
		m, err := c.Recv()
		if err != nil {
			return 4
		}
		switch m := m.(type) {
		case *Config:
			c.Send(&ConfigAck{Generation: m.Generation})
			c.Send(&VRRPState{Instance: "VI_1", State: StateMaster, Priority: 100})
		case *Ping:
			c.Send(&Pong{Seq: m.Seq})
		case *Stop:
			return 0
		case *Dump:
			// Hang: the watchdog must notice the missing pongs.
			time.Sleep(time.Hour)
		}
	}
}

func startChild(t *testing.T) (*exec.Cmd, *Conn, Endpoint) {
	t.Helper()
	pe, ce, err := Pipes()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "GK_IPC_CHILD=1")
	cmd.ExtraFiles = []*os.File{ce.R, ce.W}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	ce.Close() // the child has its copies; ours would keep the pipes open
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		pe.Close()
	})
	c := pe.Conn()
	h, err := c.Handshake(Hello{Role: RoleParent, PID: os.Getpid()}, RoleVRRP)
	if err != nil || h.PID != cmd.Process.Pid {
		t.Fatalf("handshake: %#v, %v (child pid %d)", h, err, cmd.Process.Pid)
	}
	return cmd, c, pe
}

// recvWithin reads one frame or gives up after d (the watchdog's view).
func recvWithin(c *Conn, d time.Duration) (Message, error) {
	type res struct {
		m   Message
		err error
	}
	ch := make(chan res, 1)
	go func() { m, err := c.Recv(); ch <- res{m, err} }()
	select {
	case r := <-ch:
		return r.m, r.err
	case <-time.After(d):
		return nil, errors.New("timeout")
	}
}

// TestChildProcess: a re-executed child speaks the protocol over its
// inherited fds, stops when told, and its death is seen as io.EOF.
func TestChildProcess(t *testing.T) {
	t.Run("config, state, ping, stop", func(t *testing.T) {
		cmd, c, _ := startChild(t)
		c.Send(&Config{Snapshot: Snapshot{Generation: 1, Path: "/etc/keepalived/keepalived.conf"}})
		for _, want := range []Type{TypeConfigAck, TypeVRRPState} {
			if m, err := recvWithin(c, 5*time.Second); err != nil || m.Type() != want {
				t.Fatalf("got %v, %v; want %v", m, err, want)
			}
		}
		c.Send(&Ping{Seq: 42})
		if m, err := recvWithin(c, 5*time.Second); err != nil || m.(*Pong).Seq != 42 {
			t.Fatalf("pong: %v, %v", m, err)
		}
		c.Send(&Stop{Reason: "SIGTERM"})
		if err := cmd.Wait(); err != nil {
			t.Fatalf("child exit: %v", err)
		}
		if _, err := c.Recv(); err != io.EOF {
			t.Fatalf("after the child exited: %v, want io.EOF", err)
		}
	})
	t.Run("killed child is EOF", func(t *testing.T) {
		cmd, c, _ := startChild(t)
		cmd.Process.Signal(os.Kill)
		if _, err := recvWithin(c, 5*time.Second); err != io.EOF {
			t.Fatalf("after kill -9: %v, want io.EOF", err)
		}
		// Writing to the dead child fails (EPIPE) instead of killing us
		// with SIGPIPE: Go ignores SIGPIPE on pipes other than stdout.
		// The kernel may release the child's read end a moment after
		// its write end (the EOF above), so allow a few tries.
		var err error
		for i := 0; i < 100 && err == nil; i++ {
			if err = c.Send(&Ping{Seq: 2}); err == nil {
				time.Sleep(10 * time.Millisecond)
			}
		}
		if !errors.Is(err, syscall.EPIPE) {
			t.Fatalf("send to a dead child: %v, want EPIPE", err)
		}
	})
	t.Run("hung child misses its pong", func(t *testing.T) {
		_, c, _ := startChild(t)
		c.Send(&Dump{Kind: DumpData})
		c.Send(&Ping{Seq: 1})
		if m, err := recvWithin(c, 300*time.Millisecond); err == nil {
			t.Fatalf("a hung child answered: %#v", m)
		}
	})
}
