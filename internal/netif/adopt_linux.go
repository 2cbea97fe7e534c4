package netif

import (
	"net"

	"github.com/vishvananda/netlink"
)

// Adopt takes over the addresses of s that a previous run of this daemon
// left configured — a VRRP child the parent respawned after it died — so
// that the new child can carry on as master without removing them and
// adding them again. It reports whether every address of s is in the
// ledger and still on its interface; if so, Cleanup leaves them alone.
// A set with no address is never adopted.
func (h *Host) Adopt(s Set) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(s.Addrs) == 0 {
		return false
	}
	for _, a := range s.Addrs {
		if !h.led.has(kindAddr, a.Key()) || !h.addrPresent(a) {
			return false
		}
	}
	if h.adopted == nil {
		h.adopted = map[string]bool{}
	}
	for _, a := range s.Addrs {
		h.adopted[a.Key()] = true
	}
	return true
}

func (h *Host) addrPresent(a Addr) bool {
	l, err := h.nh.LinkByName(a.Dev)
	if err != nil {
		return false
	}
	fam := netlink.FAMILY_V4
	if a.Prefix.Addr().Is6() {
		fam = netlink.FAMILY_V6
	}
	as, err := h.nh.AddrList(l, fam)
	if err != nil {
		return false
	}
	want := net.IP(a.Prefix.Addr().AsSlice())
	for _, x := range as {
		if x.IP.Equal(want) {
			return true
		}
	}
	return false
}
