package vrrptest

import (
	"testing"
	"time"

	"github.com/gokeepalived/gokeepalived/test/netlab"
)

// wireChecks counts on the wire what TestElection expects: the master's
// five gratuitous ARPs (requests, broadcast, sender = target = VIP) and
// its adverts with the password, none from the backup.
//
// bursts is how many garp_master_repeat bursts may have gone out: 1, or
// 2 when the test ran past garp_master_delay (5 s) after the transition.
func wireChecks(t *testing.T, c *netlab.Capture, bursts int) {
	t.Helper()
	if c == nil {
		return
	}
	time.Sleep(100 * time.Millisecond) // tcpdump's last lines
	if n := c.Count("> ff:ff:ff:ff:ff:ff, ethertype ARP", "Request who-has 192.168.0.248 (ff:ff:ff:ff:ff:ff) tell 192.168.0.248"); n != 5 && n != 5*bursts {
		t.Errorf("%d gratuitous ARPs on the wire, want 5 (or %d):\n%s", n, 5*bursts, c.Text())
	}
	if n := c.Count("192.168.0.162 > 224.0.0.18", "vrid 51, prio 100", "authtype simple", "intvl 1s"); n < 3 {
		t.Errorf("%d adverts from the master on the wire:\n%s", n, c.Text())
	}
	if n := c.Count("192.168.0.163 > 224.0.0.18"); n != 0 {
		t.Errorf("%d adverts from the backup", n)
	}
}
