package vrrp_test

import (
	"fmt"
	"net/netip"

	"github.com/gokeepalived/gokeepalived/pkg/vrrp"
)

// A version 3 advert over IPv6, as an IPv6 raw socket delivers it: the
// message alone, the addresses from the socket's ancillary data.
func ExampleDecode() {
	ip := vrrp.IP{Family: vrrp.IPv6, Src: netip.MustParseAddr("fe80::1"), Dst: vrrp.Group6}
	out := vrrp.Packet{Version: 3, Type: vrrp.TypeAdvertisement, VRID: 51, Priority: 100,
		AdvertInterval: 100, Addrs: []netip.Addr{netip.MustParseAddr("2001:db8::10")}}
	msg, err := vrrp.Encode(nil, ip, &out, nil)
	if err != nil {
		panic(err)
	}

	var p vrrp.Packet // reuse it: decoding into it does not allocate
	if err := vrrp.Decode(msg, ip, &p, nil); err != nil {
		fmt.Println("drop:", vrrp.ReasonOf(err).String()) // a metric label
		return
	}
	fmt.Println(p.Version, p.VRID, p.Priority, p.AdvertInterval, p.Addrs)

	msg[9] ^= 1 // corrupted on the way
	fmt.Println("drop:", vrrp.ReasonOf(vrrp.Decode(msg, ip, &p, nil)).String())
	// Output:
	// 3 51 100 100 [2001:db8::10]
	// drop: checksum
}

// A version 2 advert with keepalived's auth_type AH, sent and received as a
// whole IPv4 packet (a raw socket with IP_HDRINCL).
func ExampleEncodeIPv4() {
	opt := &vrrp.Options{Auth: vrrp.NewAuth(vrrp.AuthAH, "secret")}
	h := vrrp.NewIPv4Header(netip.MustParseAddr("192.0.2.1"), vrrp.Group4, 1)
	out := vrrp.Packet{Version: 2, Type: vrrp.TypeAdvertisement, VRID: 7, Priority: 150,
		AdvertInterval: 1, AuthType: vrrp.AuthAH, Addrs: []netip.Addr{netip.MustParseAddr("192.0.2.100")}}
	out.AH.Seq = 1
	pkt, err := vrrp.EncodeIPv4(nil, &h, &out, opt)
	if err != nil {
		panic(err)
	}

	var in vrrp.IPv4Header
	var p vrrp.Packet
	fmt.Println(len(pkt), vrrp.DecodeIPv4(pkt, &in, &p, opt), p.AH.Seq)
	wrong := &vrrp.Options{Auth: vrrp.NewAuth(vrrp.AuthAH, "guess")}
	fmt.Println(vrrp.ReasonOf(vrrp.DecodeIPv4(pkt, &in, &p, wrong)).String())
	// Output:
	// 64 <nil> 1
	// auth_mismatch
}
