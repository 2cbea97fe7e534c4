package vrrptest

import (
	byteorder "encoding/binary"
	"net"
	"net/netip"
	"runtime"
	"syscall"
	"testing"

	"github.com/vishvananda/netns"

	"github.com/gokeepalived/gokeepalived/pkg/vrrp"
)

// injector writes hand-made VRRP packets onto the lab's segment from the
// client namespace: a hostile host on the routers' LAN. Its IPv4 socket
// is raw with IP_HDRINCL, so the header (TTL, source, protocol) is ours;
// Linux still fills in the IPv4 header checksum and total length (raw(7)),
// which the corruptions below therefore leave alone. Its IPv6 socket is
// raw for protocol 112 without IPV6_CHECKSUM: the VRRP checksum is the
// one we write, right or wrong; the kernel chooses the source (the
// bridge's link-local address) and the hop limit comes from the socket.
type injector struct {
	t        *testing.T
	fd4, fd6 int
	ifindex  int        // br0 in the client namespace
	ll       netip.Addr // br0's link-local address, the IPv6 source
}

// newInjector opens the injector's sockets in the client namespace: a
// socket belongs to the namespace of the thread that made it, so a
// locked thread moves there and is thrown away afterwards, as netlab's
// Dial does.
func newInjector(t *testing.T, l *lab) *injector {
	t.Helper()
	j := &injector{t: t, fd4: -1, fd6: -1}
	errc := make(chan error, 1)
	go func() {
		runtime.LockOSThread() // never unlocked: the thread dies with the goroutine
		errc <- func() error {
			h, err := netns.GetFromName(l.Client)
			if err != nil {
				return err
			}
			defer h.Close()
			if err := netns.Set(h); err != nil {
				return err
			}
			ifi, err := net.InterfaceByName("br0")
			if err != nil {
				return err
			}
			j.ifindex = ifi.Index
			as, err := ifi.Addrs()
			if err != nil {
				return err
			}
			for _, a := range as {
				if p, err := netip.ParsePrefix(a.String()); err == nil && p.Addr().IsLinkLocalUnicast() {
					j.ll = p.Addr()
				}
			}
			if j.fd4, err = syscall.Socket(syscall.AF_INET, syscall.SOCK_RAW, vrrp.ProtocolVRRP); err != nil {
				return err
			}
			if err := syscall.SetsockoptInt(j.fd4, syscall.IPPROTO_IP, syscall.IP_HDRINCL, 1); err != nil {
				return err
			}
			// No route to 224.0.0.18 in the client namespace: name the
			// interface.
			if err := syscall.SetsockoptIPMreqn(j.fd4, syscall.IPPROTO_IP, syscall.IP_MULTICAST_IF,
				&syscall.IPMreqn{Ifindex: int32(ifi.Index)}); err != nil {
				return err
			}
			if j.fd6, err = syscall.Socket(syscall.AF_INET6, syscall.SOCK_RAW, vrrp.ProtocolVRRP); err != nil {
				return err
			}
			return syscall.SetsockoptInt(j.fd6, syscall.IPPROTO_IPV6, syscall.IPV6_MULTICAST_IF, ifi.Index)
		}()
	}()
	err := <-errc
	t.Cleanup(func() {
		for _, fd := range []int{j.fd4, j.fd6} {
			if fd >= 0 {
				syscall.Close(fd)
			}
		}
	})
	if err != nil {
		t.Fatalf("injector in %s: %v", l.Client, err)
	}
	return j
}

// advert2 is the seed pair's VRRPv2 advert (VRID 51, auth PASS "1111",
// interval 1 s, the one VIP) with priority prio.
func advert2(prio uint8) vrrp.Packet {
	p := vrrp.Packet{Version: vrrp.Version2, Type: vrrp.TypeAdvertisement, VRID: 51, Priority: prio,
		AuthType: vrrp.AuthPass, AdvertInterval: 1, Addrs: []netip.Addr{netip.MustParseAddr(vip)}}
	copy(p.AuthData[:], "1111")
	return p
}

// ipv4 encodes p as a whole IPv4 packet from src to dst with the TTL.
func (j *injector) ipv4(p vrrp.Packet, src, dst string, ttl uint8) []byte {
	j.t.Helper()
	h := vrrp.NewIPv4Header(netip.MustParseAddr(src), netip.MustParseAddr(dst), 0)
	h.TTL = ttl
	b, err := vrrp.EncodeIPv4(nil, &h, &p, nil)
	if err != nil {
		j.t.Fatalf("encode %+v: %v", p, err)
	}
	return b
}

// ipv6 encodes p as the VRRP message of an IPv6 packet from the
// injector's link-local address to dst.
func (j *injector) ipv6(p vrrp.Packet, dst netip.Addr) []byte {
	j.t.Helper()
	b, err := vrrp.Encode(nil, vrrp.IP{Family: vrrp.IPv6, Src: j.ll, Dst: dst}, &p, nil)
	if err != nil {
		j.t.Fatalf("encode %+v: %v", p, err)
	}
	return b
}

// send4 writes a whole IPv4 packet; the destination is its header's.
func (j *injector) send4(pkt []byte) {
	j.t.Helper()
	to := &syscall.SockaddrInet4{Addr: [4]byte(pkt[16:20])}
	if err := syscall.Sendto(j.fd4, pkt, 0, to); err != nil {
		j.t.Fatalf("inject %d bytes to %v: %v", len(pkt), to.Addr, err)
	}
}

// send6 writes an IPv6 VRRP message to dst with the hop limit.
func (j *injector) send6(msg []byte, dst netip.Addr, hops int) {
	j.t.Helper()
	opt := syscall.IPV6_UNICAST_HOPS
	if dst.IsMulticast() {
		opt = syscall.IPV6_MULTICAST_HOPS
	}
	if err := syscall.SetsockoptInt(j.fd6, syscall.IPPROTO_IPV6, opt, hops); err != nil {
		j.t.Fatalf("hop limit: %v", err)
	}
	to := &syscall.SockaddrInet6{Addr: dst.As16(), ZoneId: uint32(j.ifindex)}
	if err := syscall.Sendto(j.fd6, msg, 0, to); err != nil {
		j.t.Fatalf("inject %d bytes to %v: %v", len(msg), dst, err)
	}
}

// flipChecksum4 corrupts the VRRP checksum of a whole IPv4 packet (no
// options, no AH).
func flipChecksum4(pkt []byte) []byte {
	pkt[vrrp.IPv4HeaderLen+6] ^= 0x40
	return pkt
}

// truncate4 cuts a whole IPv4 packet to n bytes; the kernel rewrites the
// total length to match.
func truncate4(pkt []byte, n int) []byte {
	b := pkt[:n]
	byteorder.BigEndian.PutUint16(b[2:], uint16(n))
	return b
}
