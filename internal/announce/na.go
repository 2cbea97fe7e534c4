package announce

import (
	"encoding/binary"
	"fmt"
	"net"
	"net/netip"

	"github.com/mdlayher/ndp"
)

// NALen is the length of keepalived's unsolicited neighbour advertisement:
// Ethernet header, IPv6 header, 24-byte advertisement and the 8-byte
// target link-layer address option.
const NALen = 14 + 40 + 24 + 8

var (
	allNodes    = netip.MustParseAddr("ff02::1")
	allNodesMAC = net.HardwareAddr{0x33, 0x33, 0, 0, 0, 1}
)

// NA returns the unsolicited neighbour advertisement keepalived 2.2.7 sends
// for vip from an interface (or VMAC) whose address is mac: Ethernet
// 33:33:00:00:00:01, IPv6 from the VIP to ff02::1 with hop limit 255,
// traffic class and flow label 0, ICMPv6 type 136 with the Override flag,
// target the VIP and a target link-layer address option carrying mac.
// keepalived also sets the Router flag when IPv6 forwarding is enabled on
// the interface (testdata/keepalived-2.2.7-na-router.pcap); router asks
// for that.
func NA(mac net.HardwareAddr, vip netip.Addr, router bool) ([]byte, error) {
	if len(mac) != 6 {
		return nil, fmt.Errorf("announce: %q is not an Ethernet address", mac)
	}
	if !vip.Is6() || vip.Is4In6() {
		return nil, fmt.Errorf("announce: neighbour advertisement for non-IPv6 address %s", vip)
	}
	vip = vip.WithZone("")
	m := &ndp.NeighborAdvertisement{
		Router:        router,
		Override:      true,
		TargetAddress: vip,
		Options:       []ndp.Option{&ndp.LinkLayerAddress{Direction: ndp.Target, Addr: mac}},
	}
	icmp, err := ndp.MarshalMessageChecksum(m, vip, allNodes)
	if err != nil {
		return nil, fmt.Errorf("announce: %w", err)
	}
	b := make([]byte, 0, NALen)
	b = appendEthernet(b, allNodesMAC, mac, etherTypeIPv6)
	b = binary.BigEndian.AppendUint32(b, 6<<28) // version 6, class 0, flow 0
	b = binary.BigEndian.AppendUint16(b, uint16(len(icmp)))
	b = append(b, 58, 255) // next header ICMPv6, hop limit 255
	s, d := vip.As16(), allNodes.As16()
	b = append(b, s[:]...)
	b = append(b, d[:]...)
	return append(b, icmp...), nil
}
