// Package trackingtest runs our keepalived and Debian's keepalived 2.2.7
// side by side in network namespaces and checks what an operator's
// scripts and monitoring see of tracking and notification: vrrp_script,
// track_file and vrrp_track_process moving a VIP, notify scripts and
// their arguments, sync groups, notify_fifo lines, SMTP alerts, script
// timeouts and script security, notify_stop.
//
// Each test makes its own lab (test/netlab): namespaces gv-<pid>-<n>-*,
// scripts, FIFOs and output files in the test's temporary directory,
// copies of /bin/sleep named gvt<pid>-<n>, all removed when the test
// ends, pass or fail. The tests need root: without it they skip, or fail
// under CI=true.
package trackingtest

import (
	"testing"

	"github.com/gokeepalived/gokeepalived/test/netlab"
)

// binary is our keepalived, built once by TestMain.
var binary string

func TestMain(m *testing.M) {
	netlab.Main(m, &binary)
}
