package transport

import (
	"encoding/binary"
	"net/netip"
	"sync"
	"sync/atomic"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Sending in batches. While the pool is held (Pool.Hold), each socket
// keeps the adverts it is given in its outbox, and Pool.Flush sends every
// outbox with sendmmsg(2): the daemon holds the pool while it runs a
// batch of timers (vrrp.AdvertSlot puts a thousand instances' adverts in
// a few wake-ups), so that each wake-up costs one system call per socket
// instead of one per advert. Unheld, an advert leaves at once, through
// the same code. The kernel's work per packet is the same either way.

// sendHold is the pool's hold state and the sockets with adverts waiting.
type sendHold struct {
	held  atomic.Bool
	mu    sync.Mutex
	dirty []*Conn
}

// Hold makes the pool's sockets keep what they are given to send until
// Flush or Release.
func (p *Pool) Hold() { p.hold.held.Store(true) }

// Flush sends what the sockets keep, in the order given; the pool stays
// held. Send errors are logged as an unheld send logs them.
func (p *Pool) Flush() {
	h := &p.hold
	for {
		h.mu.Lock()
		if len(h.dirty) == 0 {
			h.mu.Unlock()
			return
		}
		c := h.dirty[0]
		h.dirty = append(h.dirty[:0], h.dirty[1:]...)
		h.mu.Unlock()
		c.flushQueued()
	}
}

// Release flushes and stops holding.
func (p *Pool) Release() {
	p.hold.held.Store(false)
	p.Flush()
}

// outMsg is one datagram in an outbox.
type outMsg struct {
	off, n     int // the packet in the arena
	ooff, oobn int // its control message in the arena
	name       unix.RawSockaddrInet6
	namelen    uint32
	flags      int
	// Who sent it, for the log line of a failure (mux nil: the sender
	// gets the error back).
	mux     *Mux
	inst    string
	dst     netip.Addr
	unicast bool
}

// outbox is a socket's datagrams waiting to be sent, allocated once and
// reused.
type outbox struct {
	mu     sync.Mutex
	arena  []byte
	msgs   []outMsg
	next   int // the first not yet sent
	hdrs   []unix.Mmsghdr
	iovs   []unix.Iovec
	errs   []outErr
	queued bool // on the pool's dirty list
}

type outErr struct {
	msg int
	err error
}

// maxSendBatch bounds one sendmmsg call (the kernel's limit is 1024).
const maxSendBatch = 64

// put appends a datagram; the caller holds o.mu.
func (o *outbox) put(pkt, oob []byte, name *unix.RawSockaddrInet6, namelen uint32, flags int, mux *Mux, inst string, dst netip.Addr, unicast bool) {
	m := outMsg{off: len(o.arena), n: len(pkt), name: *name, namelen: namelen, flags: flags, mux: mux, inst: inst, dst: dst, unicast: unicast}
	o.arena = append(o.arena, pkt...)
	m.ooff, m.oobn = len(o.arena), len(oob)
	o.arena = append(o.arena, oob...)
	o.msgs = append(o.msgs, m)
}

// send is rc.Write's function: it sends from o.next on, in runs of equal
// flags (sendmmsg takes one set), and reports false to wait for room in
// the socket buffer. A datagram the kernel refuses is recorded and
// skipped: the ones after it still go.
func (o *outbox) send(fd uintptr) bool {
	for o.next < len(o.msgs) {
		end := o.next + 1
		for end < len(o.msgs) && end-o.next < maxSendBatch && o.msgs[end].flags == o.msgs[o.next].flags {
			end++
		}
		k := end - o.next
		if cap(o.hdrs) < k {
			o.hdrs = make([]unix.Mmsghdr, k, maxSendBatch)
			o.iovs = make([]unix.Iovec, k, maxSendBatch)
		}
		o.hdrs, o.iovs = o.hdrs[:k], o.iovs[:k]
		for i := range k {
			m := &o.msgs[o.next+i]
			o.iovs[i] = unix.Iovec{Base: &o.arena[m.off]}
			o.iovs[i].SetLen(m.n)
			h := &o.hdrs[i]
			*h = unix.Mmsghdr{}
			h.Hdr.Name = (*byte)(unsafe.Pointer(&m.name))
			h.Hdr.Namelen = m.namelen
			h.Hdr.Iov = &o.iovs[i]
			h.Hdr.SetIovlen(1)
			if m.oobn > 0 {
				h.Hdr.Control = &o.arena[m.ooff]
				h.Hdr.SetControllen(m.oobn)
			}
		}
		// Raw, and MSG_DONTWAIT: it never blocks (a full socket buffer is
		// EAGAIN), so the runtime need not know (see batch.recv).
		r, _, e := unix.RawSyscall6(unix.SYS_SENDMMSG, fd, uintptr(unsafe.Pointer(&o.hdrs[0])), uintptr(k),
			uintptr(o.msgs[o.next].flags|unix.MSG_DONTWAIT), 0, 0)
		switch {
		case e == unix.EAGAIN:
			return false
		case e == unix.EINTR:
		case e != 0:
			// The first of the run failed: sendmmsg says why only when
			// it is the first.
			o.errs = append(o.errs, outErr{o.next, e})
			o.next++
		default:
			o.next += int(r)
		}
	}
	return true
}

// reset empties the outbox, keeping its memory.
func (o *outbox) reset() {
	o.arena, o.msgs, o.errs, o.next = o.arena[:0], o.msgs[:0], o.errs[:0], 0
}

// failure is a queued advert that could not be sent, to be logged once
// the outbox is free again.
type failure struct {
	mux     *Mux
	name    string
	dst     netip.Addr
	unicast bool
	err     error
}

// maxLoggedFailures bounds the lines one flush logs: a dead interface
// fails every advert of every instance on it, and the next flush says
// the same.
const maxLoggedFailures = 8

// sendNow sends one datagram at once, after anything a holder queued on
// the socket, and returns its error.
func (c *Conn) sendNow(pkt, oob []byte, name *unix.RawSockaddrInet6, namelen uint32, flags int) error {
	o := &c.out
	var failed [maxLoggedFailures]failure
	o.mu.Lock()
	o.put(pkt, oob, name, namelen, flags, nil, "", netip.Addr{}, false)
	n, err := c.sendLocked(len(o.msgs)-1, &failed)
	o.mu.Unlock()
	logFailures(failed[:n])
	return err
}

// queue keeps a datagram for Flush and puts the socket on the pool's
// dirty list.
func (c *Conn) queue(pkt, oob []byte, name *unix.RawSockaddrInet6, namelen uint32, flags int, mux *Mux, inst string, dst netip.Addr, unicast bool) {
	o := &c.out
	o.mu.Lock()
	o.put(pkt, oob, name, namelen, flags, mux, inst, dst, unicast)
	mark := !o.queued
	o.queued = true
	o.mu.Unlock()
	if mark {
		c.hold.mu.Lock()
		c.hold.dirty = append(c.hold.dirty, c)
		c.hold.mu.Unlock()
	}
}

// flushQueued sends the outbox and logs the failures of queued adverts.
func (c *Conn) flushQueued() {
	var failed [maxLoggedFailures]failure
	c.out.mu.Lock()
	c.out.queued = false
	n, _ := c.sendLocked(-1, &failed)
	c.out.mu.Unlock()
	logFailures(failed[:n])
}

// sendLocked sends everything in the outbox and empties it. It returns
// the error of datagram mine (-1: none is the caller's); the failures of
// queued adverts are copied into failed, as many as fit, and counted in
// n. o.mu is held.
func (c *Conn) sendLocked(mine int, failed *[maxLoggedFailures]failure) (n int, err error) {
	o := &c.out
	if o.next < len(o.msgs) {
		if err := c.rc.Write(c.sendFn); err != nil {
			// Closed: what is left is not sent.
			for i := o.next; i < len(o.msgs); i++ {
				o.errs = append(o.errs, outErr{i, err})
			}
		}
	}
	for _, e := range o.errs {
		if e.msg == mine {
			err = e.err
		}
		if m := &o.msgs[e.msg]; m.mux != nil && n < len(failed) {
			failed[n] = failure{m.mux, m.inst, m.dst, m.unicast, e.err}
			n++
		}
	}
	o.reset()
	return n, err
}

func logFailures(fs []failure) {
	for _, f := range fs {
		f.mux.sendError(f.name, f.dst, f.unicast, f.err)
	}
}

// sockaddr4 and sockaddr6 fill a raw socket address as the kernel reads it.
func sockaddr4(dst netip.Addr, sa *unix.RawSockaddrInet6) uint32 {
	*sa = unix.RawSockaddrInet6{}
	s4 := (*unix.RawSockaddrInet4)(unsafe.Pointer(sa))
	s4.Family = unix.AF_INET
	s4.Addr = dst.Unmap().As4()
	return unix.SizeofSockaddrInet4
}

func sockaddr6(dst netip.Addr, zone int, sa *unix.RawSockaddrInet6) uint32 {
	*sa = unix.RawSockaddrInet6{Family: unix.AF_INET6, Addr: dst.As16(), Scope_id: uint32(zone)}
	return unix.SizeofSockaddrInet6
}

// ipv6Control builds the control messages of an IPv6 advert into b: the
// hop limit when not 0 and the source with the interface (IPV6_PKTINFO).
func ipv6Control(b []byte, src netip.Addr, ifindex, hopLimit int) []byte {
	b = b[:0]
	if hopLimit > 0 {
		var v [4]byte
		binary.NativeEndian.PutUint32(v[:], uint32(hopLimit))
		b = appendCmsg(b, unix.IPPROTO_IPV6, unix.IPV6_HOPLIMIT, v[:])
	}
	if (src.IsValid() && !src.IsUnspecified()) || ifindex > 0 {
		var pi [20]byte // struct in6_pktinfo
		if src.IsValid() {
			a := src.As16()
			copy(pi[:16], a[:])
		}
		binary.NativeEndian.PutUint32(pi[16:], uint32(ifindex))
		b = appendCmsg(b, unix.IPPROTO_IPV6, unix.IPV6_PKTINFO, pi[:])
	}
	return b
}

func appendCmsg(b []byte, level, typ int, data []byte) []byte {
	start := len(b)
	var zero [64]byte // larger than either message's space
	b = append(b, zero[:unix.CmsgSpace(len(data))]...)
	h := (*unix.Cmsghdr)(unsafe.Pointer(&b[start]))
	h.Level, h.Type = int32(level), int32(typ)
	h.SetLen(unix.CmsgLen(len(data)))
	copy(b[start+unix.CmsgLen(0):], data)
	return b
}
