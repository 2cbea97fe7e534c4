// Package netif configures the host as keepalived 2.2.7 does: virtual and
// static addresses, routes and rules, VMAC (macvlan) interfaces with their
// sysctls; it watches links and addresses for the state machine.
//
// The package is split as the rest of the daemon: the model (Addr, Set,
// VMAC) and the planner (Plan) are pure and table-tested; the message
// encoders (encode.go) are pure and byte-compared with the netlink
// requests keepalived 2.2.7 sends (testdata/, recorded with strace by
// testdata/keepalived-lab.sh); Host is the thin layer that sends them and
// keeps the ownership ledger (ledger.go) that lets a new start remove what
// a killed daemon left behind.
package netif

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/gokeepalived/gokeepalived/pkg/config"
)

// Address flags (IFA_F_*) keepalived sets.
const (
	ifaFNoDAD         = 0x02
	ifaFHomeAddress   = 0x10
	ifaFManageTmpAddr = 0x100
	ifaFNoPrefixRoute = 0x200
	ifaFMcAutoJoin    = 0x400
)

// Addr is one address as keepalived configures it. It is comparable: two
// equal Addrs configure the same thing.
type Addr struct {
	Dev string
	// Prefix is the local address with its prefix length (/32 or /128
	// when the configuration gives none).
	Prefix netip.Prefix
	// Peer is the other end of a point-to-point address.
	Peer netip.Addr
	// Broadcast is the IPv4 broadcast address, "brd +" and "brd -"
	// resolved; unset when the configuration gives none (keepalived then
	// sends none and the kernel sets none).
	Broadcast netip.Addr
	Scope     uint8
	Label     string
	// Flags are the IFA_F_* flags sent in IFA_FLAGS: nodad on IPv6 unless
	// "-nodad" is given, home, mngtmpaddr, noprefixroute, autojoin.
	Flags uint32
	// HasPreferredLft sends IFA_CACHEINFO with PreferredLft and an
	// infinite valid lifetime (IPv6 only, as keepalived: preferred_lft,
	// or 0 for a /128 so that the VIP is never chosen as a source).
	HasPreferredLft bool
	PreferredLft    uint32
}

// AddrFromConfig is the address a virtual_ipaddress,
// virtual_ipaddress_excluded or static_ipaddress line configures; dev is
// the interface used when the line names none (the instance's interface
// or VMAC, or default_interface for static addresses).
func AddrFromConfig(c *config.IPAddress, dev string) Addr {
	a := Addr{Dev: dev, Prefix: c.Prefix, Peer: c.Peer, Scope: c.Scope, Label: c.Label}
	if c.Dev != "" {
		a.Dev = c.Dev
	}
	v6 := c.Prefix.Addr().Is6()
	if c.Broadcast.IsValid() {
		a.Broadcast = c.Broadcast
	} else if c.BroadcastMode != "" && !v6 {
		a.Broadcast = broadcast(c.Prefix, c.BroadcastMode == "+")
	}
	if v6 && !c.NoDAD {
		a.Flags |= ifaFNoDAD
	}
	if c.Home {
		a.Flags |= ifaFHomeAddress
	}
	if c.MngTmpAddr {
		a.Flags |= ifaFManageTmpAddr
	}
	if c.NoPrefixRoute {
		a.Flags |= ifaFNoPrefixRoute
	}
	if c.AutoJoin {
		a.Flags |= ifaFMcAutoJoin
	}
	if v6 {
		switch {
		case c.PreferredLft != nil:
			a.HasPreferredLft, a.PreferredLft = true, *c.PreferredLft
		case c.Prefix.Bits() == 128:
			a.HasPreferredLft = true
		}
	}
	return a
}

// broadcast sets (ones) or clears the host bits of an IPv4 prefix.
func broadcast(p netip.Prefix, ones bool) netip.Addr {
	b := p.Addr().As4()
	for i := p.Bits(); i < 32; i++ {
		m := byte(0x80 >> (i % 8))
		if ones {
			b[i/8] |= m
		} else {
			b[i/8] &^= m
		}
	}
	return netip.AddrFrom4(b)
}

// Is6 reports whether the address is IPv6.
func (a Addr) Is6() bool { return a.Prefix.Addr().Is6() }

// Key identifies the kernel object: the same key on the same interface is
// the same address whatever its attributes.
func (a Addr) Key() string {
	k := a.Dev + " " + a.Prefix.Addr().String()
	if a.Peer.IsValid() {
		k += " peer " + a.Peer.String()
	}
	return k
}

// String renders the address as ip(8) would configure it.
func (a Addr) String() string {
	var b strings.Builder
	b.WriteString(a.Prefix.String())
	if a.Peer.IsValid() {
		fmt.Fprintf(&b, " peer %s", a.Peer)
	}
	if a.Broadcast.IsValid() {
		fmt.Fprintf(&b, " brd %s", a.Broadcast)
	}
	fmt.Fprintf(&b, " dev %s", a.Dev)
	if a.Scope != 0 {
		fmt.Fprintf(&b, " scope %d", a.Scope)
	}
	if a.Label != "" {
		fmt.Fprintf(&b, " label %s", a.Label)
	}
	if a.Flags != 0 {
		fmt.Fprintf(&b, " flags %#x", a.Flags)
	}
	if a.HasPreferredLft {
		fmt.Fprintf(&b, " preferred_lft %d", a.PreferredLft)
	}
	return b.String()
}

// Set is what one owner configures: an instance's virtual_ipaddress and
// virtual_ipaddress_excluded, virtual_routes and virtual_rules, or the
// static_* blocks. Routes and rules are the configuration's own values.
type Set struct {
	Addrs  []Addr
	Routes []*config.Route
	Rules  []*config.Rule
}

// Len is the number of objects in the set.
func (s Set) Len() int { return len(s.Addrs) + len(s.Routes) + len(s.Rules) }

// InstanceSet is what a VRRP instance configures when it becomes master:
// its VIPs then eVIPs, its routes and rules. Addresses that name no
// interface go on dev: the instance's VMAC with use_vmac, else its
// interface.
func InstanceSet(v *config.VRRPInstance, dev string) Set {
	if dev == "" {
		dev = v.Interface
	}
	var s Set
	for _, a := range v.VIPs {
		s.Addrs = append(s.Addrs, AddrFromConfig(a, dev))
	}
	for _, a := range v.EVIPs {
		s.Addrs = append(s.Addrs, AddrFromConfig(a, dev))
	}
	s.Routes = append(s.Routes, v.Routes...)
	s.Rules = append(s.Rules, v.Rules...)
	return s
}

// StaticSet is the static_ipaddress, static_routes and static_rules of a
// configuration; addresses without dev go on default_interface.
func StaticSet(cfg *config.Config) Set {
	var s Set
	for _, a := range cfg.StaticAddresses {
		s.Addrs = append(s.Addrs, AddrFromConfig(a, cfg.Global.DefaultInterface))
	}
	s.Routes = append(s.Routes, cfg.StaticRoutes...)
	s.Rules = append(s.Rules, cfg.StaticRules...)
	return s
}
