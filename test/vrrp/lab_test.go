package vrrptest

import (
	"testing"

	"github.com/gokeepalived/gokeepalived/test/netlab"
)

// lab is a netlab segment running our daemons.
type lab struct {
	*netlab.Lab
	t *testing.T
}

func newLab(t *testing.T, routers int) *lab {
	t.Helper()
	netlab.RequireRoot(t)
	return &lab{Lab: netlab.New(t, routers), t: t}
}

// start runs our keepalived in router i's namespace with conf.
func (l *lab) start(i int, conf string, extra ...string) *netlab.Daemon {
	l.t.Helper()
	return l.Start(netlab.Ours, binary, i, conf, extra...)
}

// vip returns the VIP's entry in namespace ns, if there.
func (l *lab) vip(ns, ip string) (netlab.Addr, bool) { return l.Has(ns, ip) }

// addrs lists ns's addresses (for failure messages).
func (l *lab) addrs(ns string) []netlab.Addr { return l.Addrs(ns) }

func run(t *testing.T, args ...string) string {
	t.Helper()
	return netlab.Run(t, args...)
}

// bothKinds runs f against our daemon and Debian's keepalived 2.2.7
// (netlab.BothKinds).
func bothKinds(t *testing.T, f func(*testing.T, netlab.Kind)) {
	t.Helper()
	netlab.BothKinds(t, f)
}
