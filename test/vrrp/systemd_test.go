package vrrptest

import (
	"net"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestSystemdNotify: with Type=notify systemd gives the daemon
// NOTIFY_SOCKET. The parent sends READY=1 once its VRRP child runs the
// configuration, RELOADING=1 then READY=1 around a reload (also a
// refused one), and STOPPING=1 on SIGTERM.
func TestSystemdNotify(t *testing.T) {
	l := newLab(t, 1)
	sock := filepath.Join(l.Dir, "notify")
	conn, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: sock, Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	msgs := make(chan string, 16)
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := conn.Read(buf)
			if err != nil {
				close(msgs)
				return
			}
			msgs <- string(buf[:n])
		}
	}()
	next := func(want string) {
		t.Helper()
		select {
		case m := <-msgs:
			if !strings.HasPrefix(m, want) {
				t.Fatalf("notified %q, want %q", m, want)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("no %q", want)
		}
	}
	t.Setenv("NOTIFY_SOCKET", sock)
	d := l.start(0, l.WriteConf("r1.conf", seedConf("MASTER", 100, "")))
	next("READY=1")
	// READY comes after the child took the configuration: the parent
	// logs "Startup complete" on the child's acknowledgement, then
	// notifies. The console pipe may deliver the line a little after the
	// datagram.
	if _, ok := d.WaitLine("Startup complete", time.Time{}, 2*time.Second); !ok {
		t.Errorf("READY=1 without the VRRP child's start:\n%s", d.LogText())
	}
	d.Signal(syscall.SIGHUP)
	next("RELOADING=1\nMONOTONIC_USEC=")
	next("READY=1")
	l.WriteConf("r1.conf", "vrrp_instance VI_1 {\n")
	d.Signal(syscall.SIGHUP)
	next("RELOADING=1")
	next("READY=1")
	d.Signal(syscall.SIGTERM)
	next("STOPPING=1")
	if code := d.Wait(10 * time.Second); code != 0 {
		t.Errorf("exit %d", code)
	}
	// The children did not inherit the socket: only the parent speaks.
	select {
	case m, ok := <-msgs:
		if ok {
			t.Errorf("unexpected notification %q", m)
		}
	case <-time.After(300 * time.Millisecond):
	}
}
