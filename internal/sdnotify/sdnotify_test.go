package sdnotify

import (
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestSend(t *testing.T) {
	for _, tc := range []struct {
		name   string
		states []string
		want   []string
	}{
		{"ready", []string{Ready}, []string{"READY=1"}},
		{"reloading", []string{Reloading}, []string{"RELOADING=1", "MONOTONIC_USEC="}},
		{"stopping", []string{Stopping}, []string{"STOPPING=1"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "notify")
			ln, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: path, Net: "unixgram"})
			if err != nil {
				t.Fatal(err)
			}
			defer ln.Close()
			if err := New(path).Send(tc.states...); err != nil {
				t.Fatal(err)
			}
			ln.SetReadDeadline(time.Now().Add(2 * time.Second))
			buf := make([]byte, 256)
			n, err := ln.Read(buf)
			if err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(string(buf[:n]), "\n")
			if len(lines) != len(tc.want) {
				t.Fatalf("sent %q, want %q", lines, tc.want)
			}
			for i, w := range tc.want {
				if !strings.HasPrefix(lines[i], w) {
					t.Errorf("line %d %q, want %q", i, lines[i], w)
				}
			}
		})
	}
}

func TestDisabled(t *testing.T) {
	t.Setenv("NOTIFY_SOCKET", "")
	n := FromEnv()
	if n.Enabled() {
		t.Fatal("enabled without NOTIFY_SOCKET")
	}
	if err := n.Send(Ready); err != nil {
		t.Fatal(err)
	}
	if err := New(filepath.Join(t.TempDir(), "none")).Send(Ready); err == nil {
		t.Fatal("no error for a missing socket")
	}
}
