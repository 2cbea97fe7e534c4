package interop

import (
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/gokeepalived/gokeepalived/test/netlab"
)

// variant is one way of running VRRP between the two routers.
type variant struct {
	name    string
	version int // VRRP version
	// globalVersion says it with global_defs' vrrp_version instead of
	// the instance's version keyword.
	globalVersion bool
	advert        time.Duration // advert_int
	auth          bool          // VRRPv2 auth_type PASS
	unicast       bool          // unicast_src_ip / unicast_peer instead of multicast
	ipv6          bool          // an IPv6 VIP makes the instance IPv6 (RFC 5798 over IPv6)
	vip           string        // the address the client dials
	vipLine       string        // its virtual_ipaddress line
	// replace: after the crash, r1 returns running the other
	// implementation (a step of 3 adverts and more: not in every variant).
	replace bool
	// wire is what tcpdump -vv prints of every advert, from either
	// implementation, after the destination MAC, with the source and
	// destination addresses, IP ID, flow label and priority blanked.
	wire string
}

var variants = []variant{
	{
		// Seed 001 §3: the common deployment.
		name: "v2-pass-multicast", version: 2, advert: time.Second, auth: true, replace: true,
		vip: "192.168.0.248", vipLine: "192.168.0.248/24 dev eth0 label eth0:0",
		wire: "ethertype IPv4 (0x0800), length 54: (tos 0xc0, ttl 255, id _, offset 0, flags [none], proto VRRP (112), length 40) SRC > DST: " +
			"VRRPv2, Advertisement, vrid 51, prio _, authtype simple, intvl 1s, length 20, addrs: 192.168.0.248 auth \"1111\"",
	},
	{
		// Seed 001 §4 / seed 004: unicast where multicast is filtered
		// (scenario 5).
		name: "v2-unicast", version: 2, advert: time.Second, auth: true, unicast: true,
		vip: "192.168.0.248", vipLine: "192.168.0.248/24 dev eth0 label eth0:0",
		wire: "ethertype IPv4 (0x0800), length 54: (tos 0xc0, ttl 255, id _, offset 0, flags [none], proto VRRP (112), length 40) SRC > DST: " +
			"VRRPv2, Advertisement, vrid 51, prio _, authtype simple, intvl 1s, length 20, addrs: 192.168.0.248 auth \"1111\"",
	},
	{
		// RFC 5798 on IPv4, with a sub-second interval (centiseconds on
		// the wire) that also keeps the test short.
		name: "v3-ipv4", version: 3, globalVersion: true, advert: 500 * time.Millisecond,
		vip: "192.168.0.248", vipLine: "192.168.0.248/24 dev eth0 label eth0:0",
		wire: "ethertype IPv4 (0x0800), length 46: (tos 0xc0, ttl 255, id _, offset 0, flags [none], proto VRRP (112), length 32) SRC > DST: " +
			"VRRPv3, Advertisement, vrid 51, prio _, intvl 50cs, length 12, addrs: 192.168.0.248",
	},
	{
		// RFC 5798 §5.1.2: IPv6 adverts go from the link-local address
		// to ff02::12 with hop limit 255.
		name: "v3-ipv6", version: 3, advert: 500 * time.Millisecond, ipv6: true, replace: true,
		vip: "fd00::248", vipLine: "fd00::248/64 dev eth0",
		wire: "ethertype IPv6 (0x86dd), length 78: (class 0xc0, flowlabel _, hlim 255, next-header VRRP (112) payload length: 24) SRC > DST: " +
			"VRRPv3, Advertisement, vrid 51, prio _, intvl 50cs, length 24, addrs: fd00::248",
	},
}

// Priorities of the pair: r1 (the master) and r2 (the backup), as in the
// seed notes.
const (
	prioHigh = 100
	prioLow  = 80
)

// skew is RFC 5798 §6.1's Skew_Time, ((256-prio) × advert)/256; with
// VRRPv2's whole-second adverts it is RFC 3768's (256-prio)/256 s.
func (v variant) skew(prio int) time.Duration {
	return time.Duration(256-prio) * v.advert / 256
}

// down is Master_Down_Interval: 3 × advert + Skew_Time.
func (v variant) down(prio int) time.Duration { return 3*v.advert + v.skew(prio) }

// addr is router i's address of the variant's family.
func (v variant) addr(i int) string {
	if v.ipv6 {
		return netlab.RouterAddr6(i)
	}
	return netlab.RouterAddr(i)
}

// group is where multicast adverts go (RFC 5798 §5.1.1.2, §5.1.2.2) and
// groupMAC its Ethernet address.
func (v variant) group() string {
	if v.ipv6 {
		return "ff02::12"
	}
	return "224.0.0.18"
}

func (v variant) groupMAC() string {
	if v.ipv6 {
		return "33:33:00:00:00:12"
	}
	return "01:00:5e:00:00:12"
}

// dialAddr is the VIP with a port, as the client dials it.
func (v variant) dialAddr(port int) string {
	return net.JoinHostPort(v.vip, fmt.Sprint(port))
}

// conf is router i's keepalived.conf: the same text for ours and for
// Debian's keepalived, which is the point.
func (v variant) conf(i int, state string, prio int) string {
	var b strings.Builder
	global := ""
	if v.globalVersion {
		global = fmt.Sprintf("   vrrp_version %d\n", v.version)
	}
	fmt.Fprintf(&b, `global_defs {
   router_id R%d
   vrrp_skip_check_adv_addr
%s}

vrrp_instance VI_1 {
    state %s
    interface eth0
    virtual_router_id 51
    priority %d
    advert_int %g
`, i+1, global, state, prio, v.advert.Seconds())
	if v.version == 3 && !v.globalVersion {
		b.WriteString("    version 3\n")
	}
	if v.auth {
		b.WriteString("    authentication {\n        auth_type PASS\n        auth_pass 1111\n    }\n")
	}
	if v.unicast {
		fmt.Fprintf(&b, "    unicast_src_ip %s\n    unicast_peer {\n        %s\n    }\n", v.addr(i), v.addr(1-i))
	}
	fmt.Fprintf(&b, "    virtual_ipaddress {\n        %s\n    }\n}\n", v.vipLine)
	return b.String()
}
