package transport

import (
	"net/netip"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Receiving in batches: one recvmmsg(2) takes every advert queued on the
// socket, up to batchLen, where recvmsg takes one. A master's adverts
// leave in bursts (vrrp.AdvertSlot), so a backup of many instances reads
// a whole burst per wake-up.
const (
	batchLen = 16
	// slotLen holds the largest VRRP packet there is: an IPv6 advert of
	// 255 addresses (40 + 8 + 255×16 = 4128 bytes) or an IPv4 one with
	// options, AH and 255 addresses (60 + 24 + 8 + 1020 + 8). A longer
	// datagram cannot be an advert; it arrives cut (MSG_TRUNC) and the
	// length checks refuse it.
	slotLen = 4608
	oobLen  = 128
)

// batch is the receive state of one socket, allocated once.
type batch struct {
	hdrs  [batchLen]unix.Mmsghdr
	iovs  [batchLen]unix.Iovec
	names [batchLen]unix.RawSockaddrInet6 // large enough for either family
	bufs  [batchLen][slotLen]byte
	oobs  [batchLen][oobLen]byte
}

func newBatch() *batch {
	b := &batch{}
	for i := range b.hdrs {
		b.iovs[i].Base = &b.bufs[i][0]
		b.iovs[i].SetLen(slotLen)
		h := &b.hdrs[i].Hdr
		h.Name = (*byte)(unsafe.Pointer(&b.names[i]))
		h.Iov = &b.iovs[i]
		h.SetIovlen(1)
		h.Control = &b.oobs[i][0]
	}
	return b
}

// recv reads up to batchLen datagrams without blocking; n is how many.
func (b *batch) recv(fd int) (n int, err error) {
	for i := range b.hdrs {
		h := &b.hdrs[i].Hdr
		h.Namelen = uint32(unsafe.Sizeof(b.names[i]))
		h.SetControllen(oobLen)
		h.Flags = 0
		b.hdrs[i].Len = 0
	}
	// A raw system call: MSG_DONTWAIT never blocks, and Syscall's
	// bookkeeping wakes the runtime's sysmon thread, which then hands the
	// P to another thread whenever the call outlasts its 20 µs tick.
	r, _, e := unix.RawSyscall6(unix.SYS_RECVMMSG, uintptr(fd), uintptr(unsafe.Pointer(&b.hdrs[0])),
		batchLen, unix.MSG_DONTWAIT, 0, 0)
	if e != 0 {
		return 0, e
	}
	return int(r), nil
}

// packet returns datagram i, its control messages and its sender.
func (b *batch) packet(i int) (pkt, oob []byte, from netip.Addr) {
	h := &b.hdrs[i]
	pkt = b.bufs[i][:min(int(h.Len), slotLen)]
	oob = b.oobs[i][:min(int(h.Hdr.Controllen), oobLen)]
	switch b.names[i].Family {
	case unix.AF_INET:
		sa := (*unix.RawSockaddrInet4)(unsafe.Pointer(&b.names[i]))
		from = netip.AddrFrom4(sa.Addr)
	case unix.AF_INET6:
		from = netip.AddrFrom16(b.names[i].Addr)
	}
	return pkt, oob, from
}
