// Package announce sends the gratuitous ARPs and unsolicited neighbour
// advertisements that move a virtual address to the new master, byte for
// byte as keepalived 2.2.7 does, and schedules them with keepalived's
// timers and rate limits.
//
// The frames (GARP, NA) and the schedule (Schedule, Pacer, Plan) are pure
// and table-tested against captures of keepalived 2.2.7 in testdata/; the
// Sender and the Announcer are the thin layer that touches packet sockets.
package announce

import (
	"encoding/binary"
	"fmt"
	"net"
	"net/netip"

	"github.com/mdlayher/arp"
	"github.com/mdlayher/ethernet"
)

// GARPLen is the length of keepalived's gratuitous ARP frame. keepalived
// hands the kernel the bare 42 bytes (Ethernet header and ARP body); the
// network card pads them to the 60-byte minimum on the wire.
const GARPLen = 14 + 28

// Ethernet types.
const (
	etherTypeARP  = 0x0806
	etherTypeIPv6 = 0x86dd
)

// GARP returns the gratuitous ARP keepalived 2.2.7 sends for vip from an
// interface (or VMAC) whose address is mac: an ARP request (not a reply)
// to the Ethernet broadcast address, with sender and target protocol
// address both the VIP, sender hardware address mac and target hardware
// address ff:ff:ff:ff:ff:ff. The last is keepalived's choice (RFC 5227
// suggests zeros); testdata/keepalived-2.2.7.pcap shows it.
func GARP(mac net.HardwareAddr, vip netip.Addr) ([]byte, error) {
	if len(mac) != 6 {
		return nil, fmt.Errorf("announce: %q is not an Ethernet address", mac)
	}
	if !vip.Is4() {
		return nil, fmt.Errorf("announce: gratuitous ARP for non-IPv4 address %s", vip)
	}
	p, err := arp.NewPacket(arp.OperationRequest, mac, vip, ethernet.Broadcast, vip)
	if err != nil {
		return nil, fmt.Errorf("announce: %w", err)
	}
	body, err := p.MarshalBinary()
	if err != nil {
		return nil, fmt.Errorf("announce: %w", err)
	}
	b := make([]byte, 0, GARPLen)
	b = appendEthernet(b, ethernet.Broadcast, mac, etherTypeARP)
	return append(b, body...), nil
}

// appendEthernet appends an untagged Ethernet II header.
func appendEthernet(b []byte, dst, src net.HardwareAddr, typ uint16) []byte {
	b = append(b, dst...)
	b = append(b, src...)
	return binary.BigEndian.AppendUint16(b, typ)
}

// Frame returns the announcement for vip: a gratuitous ARP for IPv4, an
// unsolicited neighbour advertisement for IPv6 (router sets its Router
// flag, see NA).
func Frame(mac net.HardwareAddr, vip netip.Addr, router bool) ([]byte, error) {
	if vip.Is4() || vip.Is4In6() {
		return GARP(mac, vip.Unmap())
	}
	return NA(mac, vip, router)
}
