// Package firewall keeps keepalived's no_accept drop rules: while an
// instance without accept mode (no_accept, or vrrp_strict, which implies
// it: RFC 3768 §6.4.3 / RFC 5798 §6.4.3 Accept_Mode false) is master, its
// VIPs and eVIPs must not answer, so keepalived 2.2.7 (built with
// nftables, as Debian's) keeps them in the sets of an nftables table
// "keepalived" whose input chain drops traffic to them and whose output
// chain drops traffic from them.
//
// What it builds, observed with `nft --debug=netlink list ruleset` on
// Debian's keepalived 2.2.7 in a namespace (and built here expression for
// expression, so that the two rulesets list the same):
//
//	table ip keepalived                      (on the first IPv4 VIP)
//	  set vips { type ipv4_addr }
//	  chain out { filter hook output priority P; policy accept; ip saddr @vips drop }
//	  chain in  { filter hook input  priority P; policy accept; ip daddr @vips drop }
//	table ip6 keepalived                     (on the first IPv6 VIP)
//	  set vips { type ipv6_addr }
//	  set neighbor-discovery { type icmpv6_type; flags constant; NS, NA }
//	  chain out { icmpv6 type @neighbor-discovery accept
//	              ip6 saddr fe80::/10 goto out_link_local
//	              ip6 saddr @vips drop }
//	  chain in  { the same with daddr / in_link_local }
//	  chain in_link_local, out_link_local    (rules with the first link-local VIP:
//	    ip6 daddr . iif @vips_link_local drop, or with dont_track_primary
//	    and without nftables_ifindex: ip6 daddr . iifname @vips_link_local_name drop)
//
// With use_vmac keepalived adds, when it makes the VMAC, a map
// vmac_map (VMAC index : parent index) and output rules that send the
// VMAC's IGMP (IPv4) or MLDv2 (IPv6) reports out of the parent instead
// (dup to the same destination there, then drop) and drop its IPv6
// router solicitations (set vmac_set).
//
// P is nftables_priority (default -1), the table name nftables's argument
// (default keepalived); nftables_counters adds a counter to every rule.
// Every instance shares the sets. The tables appear with the first VIP to
// drop and stay, emptied, while no instance is master; they go when the
// daemon stops. Before the very first one keepalived deletes any table of
// its name in both families, a killed run's left-over, and says so
// ("Deleting old ip keepalived table"). The neighbour discovery rules
// keep a master's IPv6 VIPs reachable for NS/NA (RFC 4861), without which
// no neighbour could resolve them.
package firewall

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net/netip"
	"sync"

	"github.com/gokeepalived/gokeepalived/internal/netif"
	"github.com/gokeepalived/gokeepalived/pkg/config"
)

// Family is an nftables table family.
type Family uint8

// The two families keepalived's tables live in.
const (
	IPv4 Family = iota
	IPv6
)

func (f Family) String() string {
	if f == IPv6 {
		return "ip6"
	}
	return "ip"
}

// Set names (keepalived's).
const (
	setVIPs       = "vips"
	setLinkLocal  = "vips_link_local"
	setLinkLocalN = "vips_link_local_name"
	setND         = "neighbor-discovery"
	setVMAC       = "vmac_set"
	mapVMAC       = "vmac_map"
)

// ifNameSize is IFNAMSIZ, the width of an interface name key.
const ifNameSize = 16

// VIP is one address the drop rules cover.
type VIP struct {
	Addr netip.Addr
	// Dev is the interface the address is on; it matters for an IPv6
	// link-local address only, which is dropped per interface.
	Dev string
	// ByName: a link-local address matched by interface name
	// (vips_link_local_name) rather than by index.
	ByName bool
}

// VIPsOf lists an instance's addresses for the drop rules: its VIPs then
// eVIPs (keepalived puts both in the sets), on the interfaces netif
// placed them on. instDev is the instance's device (its VMAC with
// use_vmac). keepalived 2.2.7 matches a link-local address by interface
// name when the instance has dont_track_primary, the address is on the
// instance's device or is no_track, and nftables_ifindex is not set;
// otherwise by index.
func VIPsOf(v *config.VRRPInstance, g *config.GlobalDefs, placed []netif.Addr, instDev string) []VIP {
	out := make([]VIP, 0, len(placed))
	for i, a := range placed {
		noTrack := false
		if v != nil {
			switch {
			case i < len(v.VIPs):
				noTrack = v.VIPs[i].NoTrack
			case i-len(v.VIPs) < len(v.EVIPs):
				noTrack = v.EVIPs[i-len(v.VIPs)].NoTrack
			}
		}
		addr := a.Prefix.Addr()
		byName := addr.Is6() && addr.IsLinkLocalUnicast() && v != nil && v.DontTrackPrimary && (g == nil || !g.NFTablesIfindex) && (a.Dev == instDev || noTrack)
		out = append(out, VIP{Addr: addr, Dev: a.Dev, ByName: byName})
	}
	return out
}

// Options configure the tables.
type Options struct {
	// NetNS is the network namespace to work in: a name under /run/netns
	// or a path; empty: the caller's.
	NetNS string
	// Table is the tables' name (nftables TABLE; default "keepalived").
	Table string
	// Priority is the base chains' priority (nftables_priority).
	Priority int
	// Counters adds a counter to every rule (nftables_counters).
	Counters bool
	Log      Logger
}

// DefaultTable is keepalived's table name.
const DefaultTable = "keepalived"

// OptionsFromConfig reads global_defs' nftables keywords.
func OptionsFromConfig(g *config.GlobalDefs) Options {
	o := Options{Table: g.NFTables, Priority: g.NFTablesPriority, Counters: g.NFTablesCounters}
	if o.Table == "" {
		o.Table = DefaultTable
	}
	return o
}

// elem is one set element: its family, set and key bytes.
type elem struct {
	fam Family
	set string
	key string
}

// backend is what touches the kernel (nft_linux.go); tests use a fake.
type backend interface {
	// tableExists reports whether a table of our name is in the family.
	tableExists(f Family) (bool, error)
	deleteTable(f Family) error
	// setupBase makes the family's table and its output chain.
	setupBase(f Family) error
	// setupVIPs adds the input chain, the sets and rules of the drop
	// rules.
	setupVIPs(f Family) error
	// setupVMAC adds the map (and IPv6 set) of VMACs and their rules.
	setupVMAC(f Family) error
	// vmac adds or deletes a VMAC's map (and set) elements.
	vmac(add bool, f Family, vmacIndex, parentIndex int) error
	// setupLinkLocal adds the link-local set and its two rules.
	setupLinkLocal(byName bool) error
	// elements adds or deletes set elements.
	elements(add bool, els []elem) error
	ifindex(name string) (int, error)
	close() error
}

// Firewall keeps the drop rules of every no_accept instance.
type Firewall struct {
	mu  sync.Mutex
	o   Options
	be  backend
	err error // opening the backend failed
	// cleaned: the left-over tables are gone (before the first rule).
	cleaned bool
	up      [2]bool // family's table and output chain set up
	vipsUp  [2]bool // family's drop rules set up
	vmacUp  [2]bool // family's VMAC rules set up
	llUp    [2]bool // link-local set by index / by name set up
	// vmacs are the VMACs in the map: family and interface indexes.
	vmacs map[string]vmacEntry
	// refs counts the instances that want each element (two instances
	// may share an address); owned is each instance's elements.
	refs  map[elem]int
	owned map[string][]elem
}

// New returns a firewall that touches nothing until the first Set.
func New(o Options) *Firewall {
	if o.Table == "" {
		o.Table = DefaultTable
	}
	be, err := newBackend(o)
	return newWith(o, be, err)
}

var errClosed = errors.New("closed")

func newWith(o Options, be backend, err error) *Firewall {
	return &Firewall{o: o, be: be, err: err, refs: map[elem]int{}, owned: map[string][]elem{}, vmacs: map[string]vmacEntry{}}
}

// Set makes instance's addresses exactly vips: the ones it no longer has
// leave the sets (unless another instance has them too), the new ones
// join, with the tables made on first need.
func (f *Firewall) Set(instance string, vips []VIP) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	want, err := f.keys(vips)
	old := f.owned[instance]
	var add, del []elem
	for _, e := range old {
		if !contains(want, e) {
			if f.refs[e]--; f.refs[e] <= 0 {
				delete(f.refs, e)
				del = append(del, e)
			}
		}
	}
	for _, e := range want {
		if !contains(old, e) {
			if f.refs[e]++; f.refs[e] == 1 {
				add = append(add, e)
			}
		}
	}
	if len(want) == 0 {
		delete(f.owned, instance)
	} else {
		f.owned[instance] = want
	}
	if len(del) > 0 && f.be != nil {
		if e := f.be.elements(false, del); e != nil {
			err = f.fail("delete set elements", e)
		}
	}
	if len(add) > 0 {
		aerr := f.prepare(add)
		if aerr == nil {
			if e := f.be.elements(true, add); e != nil {
				aerr = f.fail("add set elements", e)
			}
		}
		if aerr != nil {
			// Forget what did not get in, so that the next Set (the
			// next time the instance becomes master) tries again.
			err = aerr
			kept := f.owned[instance][:0]
			for _, e := range f.owned[instance] {
				if contains(add, e) {
					delete(f.refs, e)
				} else {
					kept = append(kept, e)
				}
			}
			if len(kept) == 0 {
				delete(f.owned, instance)
			} else {
				f.owned[instance] = kept
			}
		}
	}
	return err
}

// Remove takes all of instance's addresses out of the sets.
func (f *Firewall) Remove(instance string) error { return f.Set(instance, nil) }

// Close deletes the tables this run made (keepalived 2.2.7 leaves none
// after a stop).
func (f *Firewall) Close() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.be == nil {
		return nil
	}
	var err error
	for fam := IPv4; fam <= IPv6; fam++ {
		if f.up[fam] {
			if e := f.be.deleteTable(fam); e != nil && err == nil {
				err = f.fail("delete table "+fam.String()+" "+f.o.Table, e)
			}
		}
	}
	f.up, f.vipsUp, f.vmacUp, f.llUp = [2]bool{}, [2]bool{}, [2]bool{}, [2]bool{}
	f.refs, f.owned, f.vmacs = map[elem]int{}, map[string][]elem{}, map[string]vmacEntry{}
	if e := f.be.close(); e != nil && err == nil {
		err = e
	}
	f.be, f.err = nil, errClosed
	return err
}

// clean deletes the left-over tables before the first rule.
func (f *Firewall) clean() error {
	if f.err != nil {
		return f.fail("open netlink socket", f.err)
	}
	if !f.cleaned {
		// Both families at once, whichever this VIP needs: keepalived
		// 2.2.7 deleted a left-over ip6 table when its first drop rule
		// was an IPv4 one.
		for fam := IPv4; fam <= IPv6; fam++ {
			old, err := f.be.tableExists(fam)
			if err != nil {
				return f.fail("list tables", err)
			}
			if old {
				f.o.Log.logf(false, fmtDeleteOld, fam, f.o.Table)
				if err := f.be.deleteTable(fam); err != nil {
					return f.fail("delete table "+fam.String()+" "+f.o.Table, err)
				}
			}
		}
		f.cleaned = true
	}
	return nil
}

// base makes the family's table and output chain.
func (f *Firewall) base(fam Family) error {
	if err := f.clean(); err != nil {
		return err
	}
	if !f.up[fam] {
		if err := f.be.setupBase(fam); err != nil {
			return f.fail("set up table "+fam.String()+" "+f.o.Table, err)
		}
		f.up[fam] = true
	}
	return nil
}

// prepare sets up what the new elements need.
func (f *Firewall) prepare(add []elem) error {
	for _, e := range add {
		if err := f.base(e.fam); err != nil {
			return err
		}
		if !f.vipsUp[e.fam] {
			if err := f.be.setupVIPs(e.fam); err != nil {
				return f.fail("set up the drop rules of table "+e.fam.String()+" "+f.o.Table, err)
			}
			f.vipsUp[e.fam] = true
		}
		ll := -1
		switch e.set {
		case setLinkLocal:
			ll = 0
		case setLinkLocalN:
			ll = 1
		}
		if ll >= 0 && !f.llUp[ll] {
			if err := f.be.setupLinkLocal(ll == 1); err != nil {
				return f.fail("set up set "+e.set, err)
			}
			f.llUp[ll] = true
		}
	}
	return nil
}

func (f *Firewall) fail(what string, err error) error {
	err = fmt.Errorf(fmtFailed, what, err)
	f.o.Log.logf(false, "%v", err)
	return err
}

// keys turns addresses into set elements, without duplicates, in the
// configuration's order: keepalived makes the tables and sets as the
// addresses need them, and `nft list` shows them in that order.
func (f *Firewall) keys(vips []VIP) ([]elem, error) {
	var out []elem
	var err error
	for _, v := range vips {
		e, kerr := f.key(v)
		if kerr != nil {
			if err == nil {
				err = f.fail("find interface "+v.Dev+" for "+v.Addr.String(), kerr)
			}
			continue
		}
		if !contains(out, e) {
			out = append(out, e)
		}
	}
	return out, err
}

func (f *Firewall) key(v VIP) (elem, error) {
	a := v.Addr.Unmap()
	if a.Is4() {
		b := a.As4()
		return elem{IPv4, setVIPs, string(b[:])}, nil
	}
	b := a.As16()
	if !a.IsLinkLocalUnicast() {
		return elem{IPv6, setVIPs, string(b[:])}, nil
	}
	if v.ByName {
		var name [ifNameSize]byte
		copy(name[:ifNameSize-1], v.Dev)
		return elem{IPv6, setLinkLocalN, string(b[:]) + string(name[:])}, nil
	}
	if f.be == nil {
		return elem{}, fmt.Errorf("no netlink")
	}
	idx, err := f.be.ifindex(v.Dev)
	if err != nil {
		return elem{}, err
	}
	// An interface index is a host-order value in nftables' sets.
	var ib [4]byte
	binary.NativeEndian.PutUint32(ib[:], uint32(idx))
	return elem{IPv6, setLinkLocal, string(b[:]) + string(ib[:])}, nil
}

func contains(s []elem, e elem) bool {
	for _, x := range s {
		if x == e {
			return true
		}
	}
	return false
}

type vmacEntry struct {
	fam           Family
	index, parent int
}

// AddVMAC sends the IGMP (IPv4) or MLD (IPv6) reports the kernel would
// send from a VMAC out of its parent instead, and drops the VMAC's IPv6
// router solicitations: keepalived 2.2.7 makes these rules when it makes
// the VMAC (of an instance of family fam), whether the instance is
// master or not. A VMAC answers for the virtual router only; a
// multicast report or a solicitation from the VRRP MAC (RFC 5798 §7.3)
// would confuse snooping switches and routers when the VMAC moves.
func (f *Firewall) AddVMAC(vmac, parent string, fam Family) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.vmacs[vmac]; ok {
		return nil
	}
	if err := f.base(fam); err != nil {
		return err
	}
	if !f.vmacUp[fam] {
		if err := f.be.setupVMAC(fam); err != nil {
			return f.fail("set up the VMAC rules of table "+fam.String()+" "+f.o.Table, err)
		}
		f.vmacUp[fam] = true
	}
	idx, err := f.be.ifindex(vmac)
	if err != nil {
		return f.fail("find interface "+vmac, err)
	}
	pidx, err := f.be.ifindex(parent)
	if err != nil {
		return f.fail("find interface "+parent, err)
	}
	if err := f.be.vmac(true, fam, idx, pidx); err != nil {
		return f.fail("add VMAC "+vmac, err)
	}
	f.vmacs[vmac] = vmacEntry{fam, idx, pidx}
	return nil
}

// DelVMAC takes a VMAC out of the rules (before it is deleted).
func (f *Firewall) DelVMAC(vmac string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	e, ok := f.vmacs[vmac]
	if !ok || f.be == nil {
		return nil
	}
	delete(f.vmacs, vmac)
	if err := f.be.vmac(false, e.fam, e.index, e.parent); err != nil {
		return f.fail("delete VMAC "+vmac, err)
	}
	return nil
}
