package transport

import (
	"errors"
	"fmt"
	"net/netip"
	"testing"

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
		if err != nil || n != want {
			t.Fatalf("recv: %d, %v; want %d", n, err, want)
		}
		for i := range n {
			pkt, _, from := b.packet(i)
			if from != netip.MustParseAddr("127.0.0.1") {
				t.Errorf("datagram %d from %v", len(got), from)
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
