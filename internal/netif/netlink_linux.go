package netif

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"
	"unsafe"

	"github.com/vishvananda/netlink"
	"github.com/vishvananda/netns"
	"golang.org/x/sys/unix"
)

// Options configure a Host.
type Options struct {
	// NetNS is the network namespace to work in: a name under /run/netns
	// or a path; empty means the caller's.
	NetNS string
	// Ledger is the ownership file (DefaultLedger, LedgerPath); empty
	// keeps ownership in memory only (tests, -V runs).
	Ledger string
	// Log receives the layer's log lines.
	Log Logger
}

// Host applies operations to the kernel. It is safe for concurrent use.
type Host struct {
	mu  sync.Mutex
	ns  netns.NsHandle // -1: the caller's namespace
	nl  *nlConn
	nh  *netlink.Handle
	led *ledger
	log Logger
	idx map[string]int
	// adopted are the addresses Adopt took over from the previous run:
	// Cleanup keeps them.
	adopted map[string]bool
}

// Open connects to the kernel in the namespace and loads the ledger.
func Open(o Options) (*Host, error) {
	h := &Host{ns: -1, log: o.Log, idx: map[string]int{}}
	var err error
	if o.NetNS != "" {
		if strings.ContainsRune(o.NetNS, '/') {
			h.ns, err = netns.GetFromPath(o.NetNS)
		} else {
			h.ns, err = netns.GetFromName(o.NetNS)
		}
		if err != nil {
			return nil, fmt.Errorf("netif: namespace %s: %w", o.NetNS, err)
		}
	}
	if h.led, err = loadLedger(o.Ledger); err != nil {
		h.Close()
		return nil, fmt.Errorf("netif: ledger: %w", err)
	}
	err = h.inNS(func() error {
		var err error
		h.nl, err = dialNL()
		return err
	})
	if err == nil {
		if h.ns >= 0 {
			h.nh, err = netlink.NewHandleAt(h.ns, unix.NETLINK_ROUTE)
		} else {
			h.nh, err = netlink.NewHandle(unix.NETLINK_ROUTE)
		}
	}
	if err != nil {
		h.Close()
		return nil, fmt.Errorf("netif: netlink: %w", err)
	}
	return h, nil
}

// Close releases the sockets and the ledger's file; it changes nothing on
// the host.
func (h *Host) Close() error {
	var err error
	if h.led != nil {
		err = h.led.close()
	}
	if h.nl != nil {
		h.nl.close()
	}
	if h.nh != nil {
		h.nh.Close()
	}
	if h.ns >= 0 {
		h.ns.Close()
		h.ns = -1
	}
	return err
}

// inNS runs fn on a thread in the host's namespace (sockets and /proc/sys
// opened there stay in it). A thread that cannot be brought back to its
// own namespace is thrown away.
func (h *Host) inNS(fn func() error) error {
	if h.ns < 0 {
		return fn()
	}
	errc := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		orig, err := netns.Get()
		if err != nil {
			runtime.UnlockOSThread()
			errc <- err
			return
		}
		defer orig.Close()
		if err := netns.Set(h.ns); err != nil {
			runtime.UnlockOSThread()
			errc <- err
			return
		}
		ferr := fn()
		if err := netns.Set(orig); err != nil {
			errc <- errors.Join(ferr, err) // the locked thread dies with us
			return
		}
		runtime.UnlockOSThread()
		errc <- ferr
	}()
	return <-errc
}

// Index returns an interface's index.
func (h *Host) Index(dev string) (int, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.index(dev)
}

func (h *Host) index(dev string) (int, error) {
	if i, ok := h.idx[dev]; ok {
		return i, nil
	}
	l, err := h.nh.LinkByName(dev)
	if err != nil {
		return 0, fmt.Errorf("interface %s: %w", dev, err)
	}
	h.idx[dev] = l.Attrs().Index
	return l.Attrs().Index, nil
}

func (h *Host) vrfTable(dev string) (uint32, error) {
	l, err := h.nh.LinkByName(dev)
	if err != nil {
		return 0, fmt.Errorf("vrf %s: %w", dev, err)
	}
	v, ok := l.(*netlink.Vrf)
	if !ok {
		return 0, fmt.Errorf("%s is not a vrf", dev)
	}
	return v.Table, nil
}

// forget drops cached indexes (an interface went away or was re-created).
func (h *Host) forget() { clear(h.idx) }

// Apply carries out the operations in order. An add of something already
// there and a delete of something already gone succeed (keepalived's
// idempotence); every other failure is logged with keepalived's
// "Netlink: error" line, the remaining operations still run, and the
// errors are returned together. What is added is recorded in the ledger
// first; what is removed leaves it.
func (h *Host) Apply(ops []Op) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	type prepared struct {
		op      Op
		req     []byte
		e       entry
		existed bool // the ledger already had it (a leftover of ours)
	}
	var errs []error
	var todo []prepared
	for _, op := range ops {
		p := prepared{op: op}
		var err error
		p.req, p.e, err = h.encode(op)
		if err != nil {
			if op.Kind.Add() {
				errs = append(errs, fmt.Errorf("%s: %w", op, err))
			} else if op.Kind == OpDelAddr {
				// Nothing to delete on an interface that is gone:
				// the address went with it.
				h.led.drop(kindAddr, op.Addr.Key())
			}
			continue
		}
		todo = append(todo, p)
	}
	for i := range todo {
		p := &todo[i]
		if p.op.Kind.Add() && (i == 0 || !todo[i-1].op.Kind.Add()) {
			// Record this run of adds before sending any of it (a
			// reload's deletes of the same objects came before).
			for j := i; j < len(todo) && todo[j].op.Kind.Add(); j++ {
				todo[j].existed = h.led.put(todo[j].e)
			}
			if err := h.led.save(); err != nil {
				errs = append(errs, fmt.Errorf("netif: ledger: %w", err))
			}
		}
		err := h.nl.do(p.req)
		var errno syscall.Errno
		errors.As(err, &errno)
		switch {
		case err == nil:
			if !p.op.Kind.Add() {
				h.led.drop(p.e.Kind, p.e.ID)
			}
		case p.op.Kind.Add() && errno == unix.EEXIST:
			// Already there: ours only if a previous run recorded it
			// (keepalived does not remove what it did not add).
			if !p.existed {
				h.led.drop(p.e.Kind, p.e.ID)
			}
		case !p.op.Kind.Add() && gone(errno):
			h.led.drop(p.e.Kind, p.e.ID)
		default:
			if errno != 0 {
				h.log.logf(false, "%s", netlinkErrorLine(errno, ne.Uint16(p.req[4:]), h.nl.seq).Text)
			}
			if errno == unix.ENODEV {
				h.forget()
			}
			if p.op.Kind.Add() && !p.existed {
				h.led.drop(p.e.Kind, p.e.ID)
			}
			errs = append(errs, fmt.Errorf("%s: %w", p.op, err))
		}
	}
	if err := h.led.save(); err != nil {
		errs = append(errs, fmt.Errorf("netif: ledger: %w", err))
	}
	return errors.Join(errs...)
}

// gone reports the errors of deleting what is not there.
func gone(errno syscall.Errno) bool {
	switch errno {
	case unix.EADDRNOTAVAIL, unix.ESRCH, unix.ENOENT, unix.ENODEV:
		return true
	}
	return false
}

// encode builds the request for op and the ledger entry that undoes it.
func (h *Host) encode(op Op) ([]byte, entry, error) {
	switch op.Kind {
	case OpAddAddr, OpDelAddr:
		idx, err := h.index(op.Addr.Dev)
		if err != nil {
			return nil, entry{}, err
		}
		return addrMsg(op.Kind.Add(), op.Addr, idx),
			entry{Kind: kindAddr, ID: op.Addr.Key(), Desc: op.Addr.String(), Undo: addrMsg(false, op.Addr, idx)}, nil
	case OpAddRoute, OpDelRoute:
		req, err := routeMsg(op.Kind.Add(), op.Route, h)
		if err != nil {
			return nil, entry{}, err
		}
		undo, err := routeMsg(false, op.Route, h)
		return req, entry{Kind: kindRoute, ID: routeID(op.Route), Desc: RouteString(op.Route), Undo: undo}, err
	case OpAddRule, OpDelRule:
		req, err := ruleMsg(op.Kind.Add(), op.Rule)
		if err != nil {
			return nil, entry{}, err
		}
		undo, err := ruleMsg(false, op.Rule)
		return req, entry{Kind: kindRule, ID: ruleID(op.Rule), Desc: RuleString(op.Rule), Undo: undo}, err
	}
	return nil, entry{}, fmt.Errorf("unknown operation %s", op.Kind)
}

// Cleanup undoes what a previous run left (its ledger): called at start,
// before anything is configured. A clean stop leaves nothing to undo.
func (h *Host) Cleanup() error {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.undoAll(true)
}

// Release undoes everything still owned: addresses, routes and rules
// still configured, VMACs, and the sysctls changed for them. Called on a
// clean stop, after the instances have removed their VIPs.
func (h *Host) Release() error {
	h.mu.Lock()
	defer h.mu.Unlock()
	// Closing the journal removes it when nothing is left in it.
	return errors.Join(h.undoAll(false), h.led.close())
}

// Owned lists what the ledger holds, for status output and tests.
func (h *Host) Owned() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []string
	for _, e := range h.led.entries {
		d := e.Desc
		if d == "" {
			d = e.ID
		}
		out = append(out, e.Kind+" "+d)
	}
	return out
}

// undoAll removes the ledger's entries, newest first, except that the
// rp_filter sysctls go back in keepalived's order (all, default, then
// the interfaces).
func (h *Host) undoAll(leftover bool) error {
	var errs []error
	entries := slices.Clone(h.led.entries)
	for i := len(entries) - 1; i >= 0; i-- {
		e := entries[i]
		if !h.led.has(e.Kind, e.ID) || e.Kind == kindSysctl && e.Group == groupRPFilter {
			continue // undone with another entry, or below
		}
		if leftover && e.Kind == kindAddr && h.adopted[e.ID] {
			continue // carried on by the instance that adopted it
		}
		if leftover {
			h.log.logf(false, fmtLeftover, e.Kind, describe(e))
		}
		if err := h.undo(e); err != nil {
			if leftover {
				h.log.logf(false, fmtLeftoverErr, e.Kind, describe(e), err)
			}
			errs = append(errs, err)
		}
		h.led.drop(e.Kind, e.ID)
	}
	if err := h.restoreRPFilter(); err != nil {
		errs = append(errs, err)
	}
	h.forget()
	if err := h.led.save(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

func describe(e entry) string {
	if e.Desc != "" {
		return e.Desc
	}
	return e.ID
}

func (h *Host) undo(e entry) error {
	switch e.Kind {
	case kindAddr, kindRoute, kindRule:
		err := h.nl.do(e.Undo)
		var errno syscall.Errno
		if errors.As(err, &errno) && gone(errno) {
			return nil
		}
		return err
	case kindLink:
		return h.deleteLink(e)
	case kindSysctl:
		return h.restoreSysctl(e)
	}
	return fmt.Errorf("unknown ledger entry kind %q", e.Kind)
}

// nlConn is a rtnetlink request socket: one request at a time, answered
// by its acknowledgement.
type nlConn struct {
	fd  int
	seq uint32
	buf []byte
}

func dialNL() (*nlConn, error) {
	fd, err := unix.Socket(unix.AF_NETLINK, unix.SOCK_RAW|unix.SOCK_CLOEXEC, unix.NETLINK_ROUTE)
	if err != nil {
		return nil, err
	}
	if err := unix.Bind(fd, &unix.SockaddrNetlink{Family: unix.AF_NETLINK}); err != nil {
		unix.Close(fd)
		return nil, err
	}
	tv := unix.NsecToTimeval((10 * time.Second).Nanoseconds())
	if err := unix.SetsockoptTimeval(fd, unix.SOL_SOCKET, unix.SO_RCVTIMEO, &tv); err != nil {
		unix.Close(fd)
		return nil, err
	}
	return &nlConn{fd: fd, seq: uint32(time.Now().Unix()), buf: make([]byte, 1<<16)}, nil
}

func (c *nlConn) close() { unix.Close(c.fd) }

// do sends one request and waits for its acknowledgement; the kernel's
// refusal comes back as a syscall.Errno.
func (c *nlConn) do(req []byte) error {
	if len(req) < 16 {
		return fmt.Errorf("short netlink request")
	}
	c.seq++
	req = append([]byte(nil), req...)
	ne.PutUint32(req[8:], c.seq)
	// Raw system calls, as long as they do not block: the kernel handles
	// a route request within sendto and queues its answer before it
	// returns. Through Syscall, a call that outlasts sysmon's 20 µs tick
	// has the process's only P handed to another thread (started for the
	// purpose if need be), and the VIP add of a takeover paid for it
	// between the advert and the gratuitous ARP.
	sa := unix.RawSockaddrNetlink{Family: unix.AF_NETLINK}
	if _, _, e := unix.RawSyscall6(unix.SYS_SENDTO, uintptr(c.fd), uintptr(unsafe.Pointer(&req[0])), uintptr(len(req)),
		0, uintptr(unsafe.Pointer(&sa)), unsafe.Sizeof(sa)); e != 0 {
		return os.NewSyscallError("sendto", e)
	}
	for {
		r, _, e := unix.RawSyscall6(unix.SYS_RECVFROM, uintptr(c.fd), uintptr(unsafe.Pointer(&c.buf[0])), uintptr(len(c.buf)),
			unix.MSG_DONTWAIT, 0, 0)
		n, err := int(r), error(nil)
		if e == unix.EAGAIN {
			n, _, err = unix.Recvfrom(c.fd, c.buf, 0) // not there yet: wait as the runtime likes
		} else if e != 0 {
			err = e
		}
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return os.NewSyscallError("recvfrom", err)
		}
		msgs, err := syscall.ParseNetlinkMessage(c.buf[:n])
		if err != nil {
			return err
		}
		for _, m := range msgs {
			if m.Header.Seq != c.seq || m.Header.Type != unix.NLMSG_ERROR || len(m.Data) < 4 {
				continue
			}
			if e := int32(ne.Uint32(m.Data)); e != 0 {
				return syscall.Errno(-e)
			}
			return nil
		}
	}
}
