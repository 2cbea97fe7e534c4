package transport

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"sync"
	"syscall"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/gokeepalived/gokeepalived/pkg/vrrp"
)

// Pool owns the raw VRRP sockets of a process: one per interface, address
// family and IP protocol (112; 51 for auth_type AH), opened when the first
// instance registers on it and closed when the last one leaves. Each
// interface has one Mux for both families.
type Pool struct {
	cfg   MuxConfig
	mu    sync.Mutex
	links map[string]*link
	hold  sendHold
}

type link struct {
	ifname  string
	ifindex int
	mux     *Mux
	conns   map[connKey]*Conn
}

type connKey struct {
	family vrrp.Family
	proto  int
}

// NewPool returns an empty pool whose Muxes log as cfg says.
func NewPool(cfg MuxConfig) *Pool {
	return &Pool{cfg: cfg, links: make(map[string]*link)}
}

// Mux returns the Mux of interface ifname, nil when no instance is
// registered on it.
func (p *Pool) Mux(ifname string) *Mux {
	p.mu.Lock()
	defer p.mu.Unlock()
	if l := p.links[ifname]; l != nil {
		return l.mux
	}
	return nil
}

// Register registers the instance v on interface ifname, opening the
// socket it needs and joining its multicast group, and returns its
// Registration. When v.Src is invalid it becomes the interface's first
// IPv4 address, or first IPv6 link-local address, as keepalived chooses.
//
// Register must run in the network namespace of the interface: the socket
// stays in the namespace it was opened in.
func (p *Pool) Register(ifname string, v InstanceView, h Handler) (*Registration, error) {
	if err := validView(&v); err != nil {
		return nil, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	l := p.links[ifname]
	if l == nil {
		ifi, err := net.InterfaceByName(ifname)
		if err != nil {
			return nil, fmt.Errorf("transport: interface %s: %w", ifname, err)
		}
		l = &link{ifname: ifname, ifindex: ifi.Index, mux: NewMux(ifname, p.cfg), conns: make(map[connKey]*Conn)}
		p.links[ifname] = l
	}
	reg, err := p.register(l, v, h)
	if err != nil && len(l.conns) == 0 {
		delete(p.links, ifname)
	}
	return reg, err
}

func (p *Pool) register(l *link, v InstanceView, h Handler) (*Registration, error) {
	if !v.Src.IsValid() {
		v.Src = interfaceSource(l.ifindex, v.Family) // may stay invalid
	}
	key := connKey{family: v.Family, proto: vrrp.ProtocolVRRP}
	if v.Family == vrrp.IPv4 && v.authType() == vrrp.AuthAH {
		key.proto = vrrp.ProtocolAH // keepalived's AH socket
	}
	c := l.conns[key]
	fresh := c == nil
	if fresh {
		var err error
		if c, err = openConn(l.ifname, l.ifindex, key, l.mux, &p.hold); err != nil {
			return nil, err
		}
	}
	reg, err := l.mux.Register(v, h)
	if err == nil && !v.Unicast() {
		if err = c.join(v.group()); err != nil {
			l.mux.Unregister(v.VRID, v.Family)
		}
	}
	if err != nil {
		if fresh {
			c.Close()
		}
		return nil, err
	}
	l.conns[key] = c
	c.refs++
	group := netip.Addr{}
	if !v.Unicast() {
		group = v.group()
	}
	reg.mu.Lock()
	reg.w = c
	reg.onClose = func() { p.release(l, key, c, group) }
	reg.mu.Unlock()
	return reg, nil
}

// release undoes what register did for one registration.
func (p *Pool) release(l *link, key connKey, c *Conn, group netip.Addr) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if group.IsValid() {
		c.leave(group)
	}
	c.refs--
	if c.refs > 0 {
		return
	}
	c.Close()
	delete(l.conns, key)
	if len(l.conns) == 0 && p.links[l.ifname] == l {
		delete(p.links, l.ifname)
	}
}

// Close closes every socket of the pool. Registrations left open can no
// longer send.
func (p *Pool) Close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	var errs []error
	for name, l := range p.links {
		for _, c := range l.conns {
			errs = append(errs, c.Close())
		}
		delete(p.links, name)
	}
	return errors.Join(errs...)
}

// InterfaceSource returns keepalived's default advert source on the
// interface named: its first IPv4 address, or its first IPv6 link-local
// one; invalid when it has none. The daemon takes it from a VMAC's parent:
// keepalived sends a VMAC instance's adverts from the base interface's
// address (the VMAC holds none but the VIPs).
func InterfaceSource(name string, f vrrp.Family) netip.Addr {
	ifi, err := net.InterfaceByName(name)
	if err != nil {
		return netip.Addr{}
	}
	return interfaceSource(ifi.Index, f)
}

// interfaceSource returns keepalived's default advert source on the
// interface: its first IPv4 address, or its first IPv6 link-local one.
func interfaceSource(ifindex int, f vrrp.Family) netip.Addr {
	ifi, err := net.InterfaceByIndex(ifindex)
	if err != nil {
		return netip.Addr{}
	}
	addrs, err := ifi.Addrs()
	if err != nil {
		return netip.Addr{}
	}
	for _, a := range addrs {
		n, ok := a.(*net.IPNet)
		if !ok {
			continue
		}
		ip, ok := netip.AddrFromSlice(n.IP)
		if !ok {
			continue
		}
		ip = ip.Unmap()
		if f == vrrp.IPv4 && ip.Is4() || f == vrrp.IPv6 && ip.Is6() && ip.IsLinkLocalUnicast() {
			return ip
		}
	}
	return netip.Addr{}
}

// Conn is one raw socket: an interface, a family, an IP protocol. It reads
// on its own goroutine into its interface's Mux.
type Conn struct {
	key     connKey
	ifname  string
	ifindex int
	ipc     *net.IPConn
	rc      syscall.RawConn
	mux     *Mux
	done    chan struct{}

	hold   *sendHold // the pool's (outbox_linux.go)
	out    outbox
	sendFn func(fd uintptr) bool // out.send, made once
	oob    []byte                // IPv6 control messages, reused
	rx     rxScratch             // the reader's (mux.go)

	refs   int                // registrations using it (Pool.mu)
	groups map[netip.Addr]int // joined groups, reference counted (Pool.mu)
}

// openConn opens and configures the socket, as keepalived's
// open_vrrp_read_socket and open_vrrp_send_socket together, and starts
// reading.
func openConn(ifname string, ifindex int, key connKey, mux *Mux, hold *sendHold) (*Conn, error) {
	network := fmt.Sprintf("ip4:%d", key.proto)
	if key.family == vrrp.IPv6 {
		network = fmt.Sprintf("ip6:%d", key.proto)
	}
	ipc, err := net.ListenIP(network, nil)
	if err != nil {
		return nil, fmt.Errorf("transport: raw socket %s on %s: %w", network, ifname, err)
	}
	rc, err := ipc.SyscallConn()
	if err != nil {
		ipc.Close()
		return nil, err
	}
	var serr error
	if err := rc.Control(func(fd uintptr) { serr = setOptions(int(fd), key.family, ifname, ifindex) }); err != nil {
		serr = err
	}
	if serr != nil {
		ipc.Close()
		return nil, fmt.Errorf("transport: socket %s on %s: %w", network, ifname, serr)
	}
	c := &Conn{key: key, ifname: ifname, ifindex: ifindex, ipc: ipc, rc: rc, mux: mux,
		done: make(chan struct{}), groups: make(map[netip.Addr]int), hold: hold}
	c.sendFn = c.out.send
	go c.readLoop()
	return c, nil
}

type sockopt struct {
	name       string
	level, opt int
	value      int
	bestEffort bool // older kernels lack it
}

// setOptions configures a socket. Both families: bound to the device, so
// that instances on other interfaces never see its packets; multicast
// sent on the device, not looped back; only the groups joined received
// (IP_MULTICAST_ALL off); control messages with the TTL / hop limit, the
// destination and the interface. IPv4 writes its own header (IP_HDRINCL:
// keepalived's TOS 0xc0, TTL, ID, and the AH ICV covering it); IPv6 has
// traffic class 0xc0 and multicast hop limit 255 (RFC 5798 §5.1.2.3).
// The IPv6 checksum is computed and verified here, not by the kernel
// (no IPV6_CHECKSUM), so that bad ones are counted.
func setOptions(fd int, f vrrp.Family, ifname string, ifindex int) error {
	if err := unix.SetsockoptString(fd, unix.SOL_SOCKET, unix.SO_BINDTODEVICE, ifname); err != nil {
		return fmt.Errorf("SO_BINDTODEVICE: %w", err)
	}
	var opts []sockopt
	if f == vrrp.IPv4 {
		if err := unix.SetsockoptIPMreqn(fd, unix.IPPROTO_IP, unix.IP_MULTICAST_IF,
			&unix.IPMreqn{Ifindex: int32(ifindex)}); err != nil {
			return fmt.Errorf("IP_MULTICAST_IF: %w", err)
		}
		opts = []sockopt{
			{name: "IP_HDRINCL", level: unix.IPPROTO_IP, opt: unix.IP_HDRINCL, value: 1},
			{name: "IP_MULTICAST_ALL", level: unix.IPPROTO_IP, opt: unix.IP_MULTICAST_ALL, value: 0},
			{name: "IP_MULTICAST_LOOP", level: unix.IPPROTO_IP, opt: unix.IP_MULTICAST_LOOP, value: 0},
			{name: "IP_TOS", level: unix.IPPROTO_IP, opt: unix.IP_TOS, value: vrrp.TOSInternetControl},
			{name: "IP_PKTINFO", level: unix.IPPROTO_IP, opt: unix.IP_PKTINFO, value: 1},
			{name: "IP_RECVTTL", level: unix.IPPROTO_IP, opt: unix.IP_RECVTTL, value: 1},
			timestampOpt,
		}
	} else {
		opts = []sockopt{
			{name: "IPV6_MULTICAST_IF", level: unix.IPPROTO_IPV6, opt: unix.IPV6_MULTICAST_IF, value: ifindex},
			{name: "IPV6_MULTICAST_LOOP", level: unix.IPPROTO_IPV6, opt: unix.IPV6_MULTICAST_LOOP, value: 0},
			{name: "IPV6_MULTICAST_HOPS", level: unix.IPPROTO_IPV6, opt: unix.IPV6_MULTICAST_HOPS, value: vrrp.TTL},
			{name: "IPV6_TCLASS", level: unix.IPPROTO_IPV6, opt: unix.IPV6_TCLASS, value: vrrp.TOSInternetControl},
			{name: "IPV6_RECVHOPLIMIT", level: unix.IPPROTO_IPV6, opt: unix.IPV6_RECVHOPLIMIT, value: 1},
			{name: "IPV6_RECVPKTINFO", level: unix.IPPROTO_IPV6, opt: unix.IPV6_RECVPKTINFO, value: 1},
			{name: "IPV6_MULTICAST_ALL", level: unix.IPPROTO_IPV6, opt: unix.IPV6_MULTICAST_ALL, value: 0, bestEffort: true},
			timestampOpt,
		}
	}
	for _, o := range opts {
		if err := unix.SetsockoptInt(fd, o.level, o.opt, o.value); err != nil && !o.bestEffort {
			return fmt.Errorf("%s: %w", o.name, err)
		}
	}
	return nil
}

// join joins the multicast group g on the interface, once per group.
func (c *Conn) join(g netip.Addr) error {
	if c.groups[g] > 0 {
		c.groups[g]++
		return nil
	}
	if err := c.membership(g, true); err != nil {
		return fmt.Errorf("transport: join %s on %s: %w", g, c.ifname, err)
	}
	c.groups[g] = 1
	return nil
}

// leave drops one reference to the group g, leaving it after the last.
func (c *Conn) leave(g netip.Addr) {
	if c.groups[g]--; c.groups[g] > 0 {
		return
	}
	delete(c.groups, g)
	c.membership(g, false) // closing the socket leaves anyway
}

func (c *Conn) membership(g netip.Addr, join bool) error {
	var serr error
	err := c.rc.Control(func(fd uintptr) {
		if c.key.family == vrrp.IPv4 {
			opt := unix.IP_ADD_MEMBERSHIP
			if !join {
				opt = unix.IP_DROP_MEMBERSHIP
			}
			serr = unix.SetsockoptIPMreqn(int(fd), unix.IPPROTO_IP, opt,
				&unix.IPMreqn{Multiaddr: g.Unmap().As4(), Ifindex: int32(c.ifindex)})
			return
		}
		opt := unix.IPV6_JOIN_GROUP
		if !join {
			opt = unix.IPV6_LEAVE_GROUP
		}
		serr = unix.SetsockoptIPv6Mreq(int(fd), unix.IPPROTO_IPV6, opt,
			&unix.IPv6Mreq{Multiaddr: g.As16(), Interface: uint32(c.ifindex)})
	})
	if err != nil {
		return err
	}
	return serr
}

// Close closes the socket and waits for its reading goroutine to end.
func (c *Conn) Close() error {
	err := c.ipc.Close()
	<-c.done
	return err
}

// readLoop reads packets with their control messages, a batch at a
// time, and dispatches them until the socket is closed.
func (c *Conn) readLoop() {
	defer close(c.done)
	r := &batchReader{b: newBatch()}
	read := r.read // one function value for every read: nothing allocated per batch
	for {
		if err := c.rc.Read(read); err != nil {
			return // closed
		}
		if r.err != nil {
			// ENOBUFS and the like: keep reading, without spinning.
			time.Sleep(10 * time.Millisecond)
			continue
		}
		for i := range r.n {
			pkt, oob, from := r.b.packet(i)
			meta := RecvMeta{Family: c.key.family, TTL: -1, Src: from.Unmap()}
			parseControl(oob, &meta)
			c.mux.dispatch(pkt, meta, &c.rx)
		}
	}
}

// batchReader is rc.Read's function and what it read.
type batchReader struct {
	b   *batch
	n   int
	err error
}

func (r *batchReader) read(fd uintptr) bool {
	r.n, r.err = r.b.recv(int(fd))
	return r.err != unix.EAGAIN && r.err != unix.EINTR
}

// timestampOpt asks for each packet's kernel receive time
// (SCM_TIMESTAMPNS, see RecvMeta.At). Without it the loop's clock is used.
var timestampOpt = sockopt{name: "SO_TIMESTAMPNS", level: unix.SOL_SOCKET, opt: unix.SO_TIMESTAMPNS, value: 1, bestEffort: true}

// parseControl reads the TTL / hop limit, destination and interface of a
// packet from its control messages. A missing one stays unknown. The
// messages are walked in place (unix.ParseSocketControlMessage allocates
// a slice per packet).
func parseControl(oob []byte, meta *RecvMeta) {
	for len(oob) >= unix.SizeofCmsghdr {
		h := (*unix.Cmsghdr)(unsafe.Pointer(&oob[0]))
		l := int(h.Len)
		if l < unix.SizeofCmsghdr || l > len(oob) {
			return
		}
		data := oob[unix.CmsgLen(0):l]
		switch {
		case h.Level == unix.IPPROTO_IP && h.Type == unix.IP_TTL && len(data) >= 4:
			meta.TTL = int(binary.NativeEndian.Uint32(data))
		case h.Level == unix.IPPROTO_IP && h.Type == unix.IP_PKTINFO && len(data) >= 12:
			// struct in_pktinfo: ifindex, local address, header destination
			meta.IfIndex = int(binary.NativeEndian.Uint32(data))
			meta.Dst = netip.AddrFrom4([4]byte(data[8:12]))
		case h.Level == unix.IPPROTO_IPV6 && h.Type == unix.IPV6_HOPLIMIT && len(data) >= 4:
			meta.TTL = int(binary.NativeEndian.Uint32(data))
		case h.Level == unix.IPPROTO_IPV6 && h.Type == unix.IPV6_PKTINFO && len(data) >= 20:
			// struct in6_pktinfo: destination address, ifindex
			meta.Dst = netip.AddrFrom16([16]byte(data[:16]))
			meta.IfIndex = int(binary.NativeEndian.Uint32(data[16:]))
		case h.Level == unix.SOL_SOCKET && h.Type == unix.SCM_TIMESTAMPNS && len(data) == 16:
			// struct timespec of a 64-bit kernel: seconds, nanoseconds
			meta.At = int64(binary.NativeEndian.Uint64(data))*1e9 + int64(binary.NativeEndian.Uint64(data[8:]))
		}
		next := unix.CmsgSpace(l - unix.CmsgLen(0))
		if next > len(oob) {
			return
		}
		oob = oob[next:]
	}
}

// writeIPv4 sends a whole IPv4 packet; multicast with MSG_DONTROUTE, as
// keepalived.
func (c *Conn) writeIPv4(pkt []byte, dst netip.Addr, multicast bool, from *Registration) error {
	flags := 0
	if multicast {
		flags = unix.MSG_DONTROUTE
	}
	var sa unix.RawSockaddrInet6
	n := sockaddr4(dst, &sa)
	return c.write(pkt, nil, &sa, n, flags, from, dst, !multicast)
}

// writeIPv6 sends a VRRP message from src (IPV6_PKTINFO, with the
// interface) to dst, with the hop limit when not 0.
func (c *Conn) writeIPv6(msg []byte, src, dst netip.Addr, hopLimit int, multicast bool, from *Registration) error {
	zone := 0
	if dst.IsLinkLocalUnicast() || dst.IsLinkLocalMulticast() || dst.IsInterfaceLocalMulticast() {
		zone = c.ifindex
	}
	var sa unix.RawSockaddrInet6
	n := sockaddr6(dst, zone, &sa)
	c.oob = ipv6Control(c.oob, src, c.ifindex, hopLimit)
	flags := 0
	if multicast {
		flags = unix.MSG_DONTROUTE
	}
	return c.write(msg, c.oob, &sa, n, flags, from, dst, !multicast)
}

// write queues the datagram when the pool is held, else sends it. from
// is locked by its Send, so its view's name can be read here.
func (c *Conn) write(b, oob []byte, sa *unix.RawSockaddrInet6, n uint32, flags int, from *Registration, dst netip.Addr, unicast bool) error {
	if c.hold.held.Load() && from != nil {
		c.queue(b, oob, sa, n, flags, from.mux, from.view.Name, dst, unicast)
		return nil
	}
	return c.sendNow(b, oob, sa, n, flags)
}
