// Package vrrptest runs our keepalived binary in network namespaces and
// checks what an operator would see: who holds the VIP (with its label),
// the log lines, and how fast a backup takes over.
//
// Every test makes its own lab (test/netlab): namespaces named
// gv-<pid>-<n>-<role>, joined by a bridge in a "c" (client) namespace;
// nothing is created on the host's interfaces. Daemons run as `ip netns
// exec NS keepalived -n -l -D -f CONF -p PID -r PID -c PID`, and are killed
// by their own PID, and the namespaces deleted, when the test ends, pass
// or fail. The tests need root: without it they skip, or fail under
// CI=true.
package vrrptest

import (
	"testing"

	"github.com/gokeepalived/gokeepalived/test/netlab"
)

// binary is our keepalived, built once by TestMain.
var binary string

func TestMain(m *testing.M) {
	// The test binary doubles as the TCP server the client reaches
	// through the VIP (run inside a router's namespace).
	netlab.Main(m, &binary)
}
