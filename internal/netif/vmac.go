package netif

import (
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"strings"

	"github.com/gokeepalived/gokeepalived/pkg/config"
)

// VMAC is the macvlan keepalived makes for "use_vmac": in private mode on
// the instance's interface, with the RFC 5798 virtual router MAC
// 00:00:5e:00:01:VRID (IPv4) or 00:00:5e:00:02:VRID (IPv6), named
// vrrp.VRID unless the configuration names it.
type VMAC struct {
	// Instance is the VRRP instance, for the log lines.
	Instance string
	Name     string
	Parent   string
	MAC      net.HardwareAddr
	// IPv6 is the instance's family: an IPv4 VMAC gets keepalived's ARP
	// sysctls and IPv6 disabled, an IPv6 one a link-local address.
	IPv6 bool
	// XmitBase (vmac_xmit_base): adverts go out on the parent, so an IPv6
	// VMAC needs no link-local address.
	XmitBase bool
}

// DefaultVMACPrefix is the first part of VMAC names (global vmac_prefix).
const DefaultVMACPrefix = "vrrp"

// VMACName is the name of an instance's VMAC when use_vmac gives none.
func VMACName(prefix string, vrid int) string {
	if prefix == "" {
		prefix = DefaultVMACPrefix
	}
	return prefix + "." + strconv.Itoa(vrid)
}

// VMACAddr is the virtual router MAC of RFC 5798 §7.3.
func VMACAddr(vrid int, ipv6 bool) net.HardwareAddr {
	fam := byte(1)
	if ipv6 {
		fam = 2
	}
	return net.HardwareAddr{0, 0, 0x5e, 0, fam, byte(vrid)}
}

// VMACFromConfig returns the VMAC of an instance with use_vmac.
func VMACFromConfig(v *config.VRRPInstance, g *config.GlobalDefs) (VMAC, bool) {
	if v == nil || !v.UseVMAC {
		return VMAC{}, false
	}
	prefix := ""
	if g != nil {
		prefix = g.VMACPrefix
	}
	vm := VMAC{
		Instance: v.Name,
		Name:     v.VMACName,
		Parent:   v.Interface,
		IPv6:     v.Family == "inet6",
		XmitBase: v.VMACXmitBase,
	}
	if vm.Name == "" {
		vm.Name = VMACName(prefix, v.VRID)
	}
	vm.MAC = VMACAddr(v.VRID, vm.IPv6)
	if v.VMACAddr != "" {
		if mac, err := parseVMACAddr(v.VMACAddr, v.VRID); err == nil {
			vm.MAC = mac
		}
	}
	return vm, true
}

// parseVMACAddr reads a configured VMAC address; with five octets the
// VRID is the sixth.
func parseVMACAddr(s string, vrid int) (net.HardwareAddr, error) {
	parts := strings.Split(strings.TrimSuffix(s, ":"), ":")
	if len(parts) == 5 {
		parts = append(parts, fmt.Sprintf("%02x", vrid&0xff))
	}
	return net.ParseMAC(strings.Join(parts, ":"))
}

// eui64LinkLocal is the fe80::/64 address of an Ethernet address.
func eui64LinkLocal(mac net.HardwareAddr) netip.Addr {
	var b [16]byte
	b[0], b[1] = 0xfe, 0x80
	if len(mac) == 6 {
		b[8], b[9], b[10] = mac[0]^2, mac[1], mac[2]
		b[11], b[12] = 0xff, 0xfe
		b[13], b[14], b[15] = mac[3], mac[4], mac[5]
	}
	return netip.AddrFrom16(b)
}

// vmacLinkLocal is the address keepalived gives an IPv6 VMAC: the
// parent's link-local address (so adverts keep their source), /64,
// nodad, preferred_lft 0.
func vmacLinkLocal(dev string, ll netip.Addr) Addr {
	return Addr{Dev: dev, Prefix: netip.PrefixFrom(ll, 64), Flags: ifaFNoDAD, HasPreferredLft: true}
}

// The IPv4 sysctls keepalived sets through netlink (IPV4_DEVCONF_*).
var (
	// On an IPv4 VMAC: answer ARP only for its own addresses, accept
	// packets from its own addresses (the parent hears them too), no
	// reverse-path filter, and keep secondary addresses when the primary
	// goes.
	vmacConf = []devconf{
		{ipv4DevconfArpIgnore, 1}, {ipv4DevconfAccLocal, 1},
		{ipv4DevconfRPFilter, 0}, {ipv4DevconfPromoteSec, 1},
	}
	// On its parent: do not answer ARP for the VMAC's addresses.
	parentConf = []devconf{{ipv4DevconfArpIgnore, 1}, {ipv4DevconfArpFilter, 1}}
)

var devconfNames = map[uint16]string{
	ipv4DevconfArpIgnore: "arp_ignore", ipv4DevconfAccLocal: "accept_local",
	ipv4DevconfRPFilter: "rp_filter", ipv4DevconfPromoteSec: "promote_secondaries",
	ipv4DevconfArpFilter: "arp_filter",
}
