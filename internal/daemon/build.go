package daemon

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/gokeepalived/gokeepalived/internal/announce"
	"github.com/gokeepalived/gokeepalived/internal/netif"
	"github.com/gokeepalived/gokeepalived/internal/transport"
	"github.com/gokeepalived/gokeepalived/internal/vrrp"
	"github.com/gokeepalived/gokeepalived/pkg/config"
	pkt "github.com/gokeepalived/gokeepalived/pkg/vrrp"
)

// spec is everything the daemon derives from one vrrp_instance before
// touching the host: the state machine's parameters, the transport's view,
// what becoming master configures and announces. Building it is pure.
type spec struct {
	name   string
	params vrrp.Params
	view   transport.InstanceView
	// iface is where the instance's sockets live: its interface, or its
	// VMAC unless vmac_xmit_base sends on the parent.
	iface string
	vmac  *netif.VMAC
	// addrs are the VIPs then eVIPs; routes and rules the
	// virtual_routes and virtual_rules.
	addrs, routes, rules netif.Set
	targets              []announce.Target
	// resume: a respawned VRRP child adopted this instance's addresses,
	// left by the child that died; it starts as master (vrrp.Start).
	resume bool
	// group is the instance's vrrp_sync_group as "NAME:MEMBER,MEMBER"
	// ("" outside any): part of its identity across reloads.
	group string
	// conf is the instance's block and cfg the whole configuration it
	// came from, for the dump files (dump.go).
	conf *config.VRRPInstance
	cfg  *config.Config
}

// buildSpecs reads every instance. An error is a configuration
// keepalived's VRRP process refuses to run: the daemon stops.
func buildSpecs(cfg *config.Config) ([]spec, error) {
	specs := make([]spec, 0, len(cfg.Instances))
	for _, v := range cfg.Instances {
		s, err := buildSpec(v, &cfg.Global)
		if err != nil {
			return nil, err
		}
		s.cfg = cfg
		specs = append(specs, s)
	}
	names := map[string]bool{}
	for i := range specs {
		names[specs[i].name] = true
	}
	for _, g := range cfg.SyncGroups {
		var members []string
		for _, m := range g.Members {
			if names[m] {
				members = append(members, m)
			}
		}
		sig := g.Name + ":" + strings.Join(members, ",")
		for i := range specs {
			if slices.Contains(g.Members, specs[i].name) {
				specs[i].group = sig
				vrrp.AddGroupTracking(&specs[i].params, g)
			}
		}
	}
	return specs, nil
}

// buildSpec reads one checked instance. g may be nil.
//
// The configuration check reports what keepalived reports but keeps the
// instances; where keepalived's VRRP process gives up on the whole file
// (no virtual_router_id, no interface, no VIP where one is required, or
// an instance the check stopped before completing) it returns an error.
func buildSpec(v *config.VRRPInstance, g *config.GlobalDefs) (spec, error) {
	s := spec{name: v.Name, iface: v.Interface, conf: v}
	switch {
	case v.VRID < 1 || v.VRID > 255:
		return s, fmt.Errorf("(%s) no valid virtual_router_id", v.Name)
	case v.Interface == "":
		return s, fmt.Errorf("(%s) no interface", v.Name)
	case v.Version == 0:
		// completeInstance sets the version: the check stopped before.
		return s, fmt.Errorf("(%s) the configuration check stopped before this instance", v.Name)
	case len(v.VIPs) == 0 && (v.Version == 3 || v.StrictMode):
		return s, fmt.Errorf("(%s) no VIP", v.Name)
	}
	s.params = vrrp.ParamsFromConfig(v, g)

	dev := v.Interface
	if vm, ok := netif.VMACFromConfig(v, g); ok {
		s.vmac = &vm
		dev = vm.Name
		if !vm.XmitBase {
			s.iface = vm.Name
		}
	}
	set := netif.InstanceSet(v, dev)
	if s.vmac != nil {
		// keepalived 2.2.7 puts the VIPs configured on the instance's
		// interface ("dev eth0", label kept) on the VMAC instead: the
		// VMAC's MAC is the one that answers ARP for them.
		for i := range set.Addrs {
			if set.Addrs[i].Dev == v.Interface {
				set.Addrs[i].Dev = dev
			}
		}
	}
	s.addrs = netif.Set{Addrs: set.Addrs}
	s.routes = netif.Set{Routes: set.Routes}
	s.rules = netif.Set{Rules: set.Rules}
	for _, a := range set.Addrs {
		s.targets = append(s.targets, announce.Target{Instance: v.Name, Iface: a.Dev, Addr: a.Prefix.Addr()})
	}
	// The state machine's log lines name the device each VIP is on.
	for i := range s.params.VIPs {
		if i < len(set.Addrs) {
			s.params.VIPs[i].Dev = set.Addrs[i].Dev
		}
	}
	for i := range s.params.EVIPs {
		if j := len(v.VIPs) + i; j < len(set.Addrs) {
			s.params.EVIPs[i].Dev = set.Addrs[j].Dev
		}
	}

	view, err := viewOf(v, g)
	if err != nil {
		return s, err
	}
	s.view = view
	return s, nil
}

// viewOf is the transport's view of an instance: what its adverts carry
// and what the receive checks compare with.
func viewOf(v *config.VRRPInstance, g *config.GlobalDefs) (transport.InstanceView, error) {
	view := transport.InstanceView{
		Name:             v.Name,
		VRID:             uint8(v.VRID),
		Family:           pkt.IPv4,
		Version:          uint8(v.Version),
		Group:            v.McastDstIP,
		Src:              v.SrcIP,
		CheckUnicastSrc:  v.CheckUnicastSrc,
		SkipCheckAdvAddr: v.SkipCheckAdvAddr,
	}
	if v.Family == "inet6" {
		view.Family = pkt.IPv6
	}
	if view.Version != 3 {
		view.Version = 2
	}
	// The advert's interval field: whole seconds in v2, centiseconds in
	// v3 (the configuration check already rounded advert_int so).
	if view.Version == 2 {
		view.AdvertInterval = uint16(v.AdvertIntUsec / 1_000_000)
	} else {
		view.AdvertInterval = uint16(v.AdvertIntUsec / 10_000)
	}
	if view.AdvertInterval == 0 {
		return view, fmt.Errorf("(%s) advert_int %dµs too small for VRRPv%d", v.Name, v.AdvertIntUsec, view.Version)
	}
	if view.Version == 2 {
		switch v.Auth.Type {
		case "PASS":
			view.Auth = pkt.NewAuth(pkt.AuthPass, v.Auth.Pass)
		case "AH":
			view.Auth = pkt.NewAuth(pkt.AuthAH, v.Auth.Pass)
		}
	}
	for _, a := range v.VIPs {
		view.VIPs = append(view.VIPs, a.Prefix.Addr())
	}
	for _, p := range v.UnicastPeers {
		view.Peers = append(view.Peers, transport.Peer{Addr: p.Addr, MinTTL: clampTTL(p.MinTTL), MaxTTL: clampTTL(p.MaxTTL)})
	}
	if v.UnicastTTL > 0 {
		view.UnicastTTL = clampTTL(v.UnicastTTL)
	}
	if len(view.Peers) > 0 {
		view.Group = netip.Addr{}
	}
	switch v.OldUnicastChecksum {
	case "config":
		view.Checksum = pkt.ChecksumOldUnicast
		view.AcceptOldUnicastChecksum = true
	case "never":
	default:
		// keepalived 2.2.7 accepts the old unicast checksum from a peer
		// and switches to it, unless told "never".
		view.AcceptOldUnicastChecksum = true
	}
	if g != nil {
		view.Group4 = g.VRRPMcastGroup4
	}
	return view, nil
}

func clampTTL(n int) uint8 {
	switch {
	case n < 0:
		return 0
	case n > 255:
		return 255
	}
	return uint8(n)
}

// advertOf turns a received advert that passed the transport's checks
// into the state machine's event. The address list is copied: the
// transport reuses its storage.
func advertOf(a *transport.Advert) vrrp.Advert {
	p := &a.Packet
	cs := int(p.AdvertInterval)
	if p.Version == 2 {
		cs *= 100
	}
	return vrrp.Advert{
		Version:     int(p.Version),
		VRID:        int(p.VRID),
		Priority:    int(p.Priority),
		AdvertIntCs: cs,
		Src:         a.Src.WithZone(""),
		Addrs:       addrsIfDiffer(a),
		AddrsDiffer: a.AddrsDiffer,
	}
}

// addrsIfDiffer copies an advert's addresses when they differ from the
// instance's, the only case the state machine reads them (to log which);
// an advert that matches allocates nothing.
func addrsIfDiffer(a *transport.Advert) []netip.Addr {
	if !a.AddrsDiffer {
		return nil
	}
	return append([]netip.Addr{}, a.Packet.Addrs...)
}
