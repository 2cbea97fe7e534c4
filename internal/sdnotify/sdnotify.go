// Package sdnotify tells systemd about the daemon's state (sd_notify(3)):
// READY=1 once the children have read their configuration, RELOADING=1
// and READY=1 around a reload, STOPPING=1 on the way out. Type=notify in
// keepalived.service waits for READY=1, so `systemctl start` returns when
// the instances run, and `systemctl reload` when the reload is done.
package sdnotify

import (
	"fmt"
	"net"
	"os"
	"strings"
	"time"
)

// The states the daemon sends.
const (
	Ready     = "READY=1"
	Reloading = "RELOADING=1"
	Stopping  = "STOPPING=1"
)

// Notifier sends to one socket; the zero value (no NOTIFY_SOCKET) sends
// nothing.
type Notifier struct {
	addr string
}

// FromEnv returns the notifier for $NOTIFY_SOCKET. systemd sets it for
// the main process only: it is removed from the environment so that
// children (and scripts) do not inherit it.
func FromEnv() Notifier {
	addr := os.Getenv("NOTIFY_SOCKET")
	os.Unsetenv("NOTIFY_SOCKET")
	return Notifier{addr: addr}
}

// New returns a notifier for addr ("" for none; a leading '@' is the
// abstract namespace).
func New(addr string) Notifier { return Notifier{addr: addr} }

// Enabled reports whether there is a socket.
func (n Notifier) Enabled() bool { return n.addr != "" }

// Send sends the state lines, joined by newlines. systemd wants
// RELOADING=1 to come with MONOTONIC_USEC (systemd ≥ 253 checks it for
// Type=notify-reload); it is added whenever RELOADING=1 is sent.
func (n Notifier) Send(states ...string) error {
	if n.addr == "" {
		return nil
	}
	for _, s := range states {
		if s == Reloading {
			states = append(states, fmt.Sprintf("MONOTONIC_USEC=%d", monotonicUsec()))
			break
		}
	}
	addr := n.addr
	if strings.HasPrefix(addr, "@") {
		addr = "\x00" + addr[1:]
	}
	c, err := net.DialUnix("unixgram", nil, &net.UnixAddr{Name: addr, Net: "unixgram"})
	if err != nil {
		return fmt.Errorf("sd_notify %s: %w", n.addr, err)
	}
	defer c.Close()
	c.SetWriteDeadline(time.Now().Add(time.Second))
	if _, err := c.Write([]byte(strings.Join(states, "\n"))); err != nil {
		return fmt.Errorf("sd_notify %s: %w", n.addr, err)
	}
	return nil
}
