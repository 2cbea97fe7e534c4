package transport

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net/netip"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// TestBatchRecv: datagrams queued on a socket come out batchLen at a time,
// in order, each with its own bytes and sender; an empty queue is EAGAIN.
// (UDP on loopback stands in for the raw socket: recvmmsg is the same.)
func TestBatchRecv(t *testing.T) {
	rx, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(rx)
	if err := unix.Bind(rx, &unix.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		t.Fatal(err)
	}
	if err := unix.SetsockoptInt(rx, timestampOpt.level, timestampOpt.opt, timestampOpt.value); err != nil {
		t.Fatal(err)
	}
	before := time.Now().UnixNano()
	sa, _ := unix.Getsockname(rx)
	tx, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(tx)
	const total = batchLen + 5
	for i := range total {
		msg := []byte(fmt.Sprintf("advert %02d", i))
		if i == total-1 {
			msg = make([]byte, slotLen+100) // longer than a slot: cut
		}
		if err := unix.Sendto(tx, msg, 0, sa); err != nil {
			t.Fatal(err)
		}
	}
	b := newBatch()
	var got []string
	for _, want := range []int{batchLen, total - batchLen} {
		n, err := b.recv(rx)
		// Loopback hands a datagram over in a softirq that may run after
		// sendto returned: the kernel's time falls before the recv's end.
		after := time.Now().UnixNano()
		if err != nil || n != want {
			t.Fatalf("recv: %d, %v; want %d", n, err, want)
		}
		for i := range n {
			pkt, oob, from := b.packet(i)
			if from != netip.MustParseAddr("127.0.0.1") {
				t.Errorf("datagram %d from %v", len(got), from)
			}
			var m RecvMeta
			if parseControl(oob, &m); m.At < before || m.At > after {
				t.Errorf("datagram %d received at %d, not within [%d, %d]", len(got), m.At, before, after)
			}
			if len(pkt) > 9 {
				if len(pkt) != slotLen || b.hdrs[i].Hdr.Flags&unix.MSG_TRUNC == 0 {
					t.Errorf("long datagram: %d bytes, flags %#x", len(pkt), b.hdrs[i].Hdr.Flags)
				}
				continue
			}
			got = append(got, string(pkt))
		}
	}
	if len(got) != total-1 || got[0] != "advert 00" || got[total-2] != fmt.Sprintf("advert %02d", total-2) {
		t.Errorf("datagrams %q", got)
	}
	if _, err := b.recv(rx); !errors.Is(err, unix.EAGAIN) {
		t.Errorf("empty queue: %v, want EAGAIN", err)
	}
}

// TestParseControl: the control messages the kernel gives with a packet
// (built here as it lays them out) yield the TTL / hop limit, the
// destination and the interface; a truncated message is ignored.
func TestParseControl(t *testing.T) {
	var ttl, hop [4]byte
	var pi [12]byte
	binary.NativeEndian.PutUint32(ttl[:], 254)
	binary.NativeEndian.PutUint32(pi[:], 7)
	copy(pi[8:], []byte{224, 0, 0, 18})
	binary.NativeEndian.PutUint32(hop[:], 255)
	oob4 := appendCmsg(appendCmsg(nil, unix.IPPROTO_IP, unix.IP_TTL, ttl[:]), unix.IPPROTO_IP, unix.IP_PKTINFO, pi[:])
	m := RecvMeta{TTL: -1}
	parseControl(oob4, &m)
	if m.TTL != 254 || m.IfIndex != 7 || m.Dst != netip.MustParseAddr("224.0.0.18") {
		t.Errorf("IPv4: %+v", m)
	}
	var pi6 [20]byte
	a := netip.MustParseAddr("ff02::12").As16()
	copy(pi6[:], a[:])
	binary.NativeEndian.PutUint32(pi6[16:], 9)
	oob6 := appendCmsg(appendCmsg(nil, unix.IPPROTO_IPV6, unix.IPV6_HOPLIMIT, hop[:]), unix.IPPROTO_IPV6, unix.IPV6_PKTINFO, pi6[:])
	m = RecvMeta{TTL: -1}
	parseControl(oob6, &m)
	if m.TTL != 255 || m.IfIndex != 9 || m.Dst != netip.MustParseAddr("ff02::12") {
		t.Errorf("IPv6: %+v", m)
	}
	m = RecvMeta{TTL: -1}
	parseControl(oob4[:len(oob4)-8], &m) // the second message cut short
	if m.TTL != 254 || m.IfIndex != 0 {
		t.Errorf("truncated: %+v", m)
	}
	var ts [16]byte
	binary.NativeEndian.PutUint64(ts[:], 1796380000)
	binary.NativeEndian.PutUint64(ts[8:], 123456789)
	m = RecvMeta{TTL: -1}
	parseControl(appendCmsg(oob4, unix.SOL_SOCKET, unix.SCM_TIMESTAMPNS, ts[:]), &m)
	if m.At != 1796380000123456789 || m.TTL != 254 {
		t.Errorf("timestamp: %+v", m)
	}
	m = RecvMeta{TTL: -1}
	parseControl(appendCmsg(nil, unix.SOL_SOCKET, unix.SCM_TIMESTAMPNS, ts[:8]), &m)
	if m.At != 0 {
		t.Errorf("a short timestamp read as %d", m.At)
	}
	if n := testing.AllocsPerRun(100, func() { parseControl(oob6, &m) }); n != 0 {
		t.Errorf("%v allocations", n)
	}
}
