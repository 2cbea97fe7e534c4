package vrrptest

import (
	"testing"
	"time"

	"github.com/gokeepalived/gokeepalived/test/netlab"
)

// wireChecks counts on the wire what TestElection expects: the master's
// five gratuitous ARPs (requests, broadcast, sender = target = VIP) and
// its adverts with the password, none from the backup.
func wireChecks(t *testing.T, c *netlab.Capture) {
	t.Helper()
	if c == nil {
		return
	}
	time.Sleep(100 * time.Millisecond) // tcpdump's last lines
	if n := c.Count("> ff:ff:ff:ff:ff:ff, ethertype ARP", "Request who-has 192.168.0.248 (ff:ff:ff:ff:ff:ff) tell 192.168.0.248"); n != 5 {
		t.Errorf("%d gratuitous ARPs on the wire, want 5:\n%s", n, c.Text())
	}
	if n := c.Count("192.168.0.162 > 224.0.0.18", "vrid 51, prio 100", "authtype simple", "intvl 1s"); n < 3 {
		t.Errorf("%d adverts from the master on the wire:\n%s", n, c.Text())
	}
	if n := c.Count("192.168.0.163 > 224.0.0.18"); n != 0 {
		t.Errorf("%d adverts from the backup", n)
	}
}
