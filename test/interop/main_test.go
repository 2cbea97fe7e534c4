// Package interop runs our keepalived against Debian's keepalived 2.2.7 in
// network namespaces (test/netlab), in both roles: ours the master and
// keepalived the backup, and the other way round, over VRRPv2 with
// PASS authentication on multicast, VRRPv2 unicast, VRRPv3 on IPv4 and
// VRRPv3 on IPv6. What one side sends the other must accept exactly as
// it accepts its own kind: the same election, the same takeovers with the
// same timing, the same log lines.
//
// The tests need root and Debian's keepalived 2.2.7 at
// /usr/sbin/keepalived (`make test-deps` installs it): without them they
// skip, or fail under CI=true.
package interop

import (
	"os"
	"testing"

	"github.com/gokeepalived/gokeepalived/test/netlab"
)

// binary is our keepalived, built once by TestMain; noReference says why
// Debian's keepalived cannot be the other side ("" when it can).
var (
	binary      string
	noReference string
)

func TestMain(m *testing.M) {
	if err := netlab.CheckReference(); err != nil {
		noReference = err.Error()
	}
	netlab.Main(m, &binary)
}

// requireReference skips t when Debian's keepalived 2.2.7 is not there,
// or fails it under CI=true (where `make test` installed it: a skip would
// hide the interop tests).
func requireReference(t *testing.T) {
	t.Helper()
	netlab.RequireRoot(t)
	if noReference == "" {
		return
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("interop test cannot run: %s (CI=true)", noReference)
	}
	t.Skipf("interop test skipped: %s (make test-deps installs it)", noReference)
}
