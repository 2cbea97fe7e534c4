// Package transport carries VRRP advertisements between the instances and
// the network: one raw socket per interface and address family (and, for
// auth_type AH instances, one for IP protocol 51), shared by every instance
// on it and demultiplexed by VRID (Mux); keepalived's receive checks as a
// pure function (Check) whose every refusal is a DropReason, counted
// (Counters) and logged with keepalived's words (log.go, rate-limited); and
// the sending of adverts built with pkg/vrrp (Registration.Send).
//
// The socket code (socket_linux.go) only reads packets with their control
// messages and hands them to Mux.Dispatch, and writes what Send built.
package transport

import (
	"errors"
	"fmt"
	"net/netip"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/gokeepalived/gokeepalived/pkg/vrrp"
)

// Advert is a received advertisement that passed every check.
type Advert struct {
	Packet   vrrp.Packet
	Src, Dst netip.Addr // the IP header's source and destination
	TTL      int        // TTL / hop limit, -1 when unknown
	IfIndex  int
	// At is when the kernel received the packet, in Unix nanoseconds
	// (0: unknown). A backup's Master_Down timer runs from there, not
	// from when the daemon got round to reading it.
	At int64
	// AddrsDiffer is set when the address list is not the instance's
	// VIPs, which only passes the checks under skip_check_adv_addr.
	AddrsDiffer bool
}

// Handler receives the adverts of one instance. It runs on the socket's
// reading goroutine: it must not block, and must copy what it keeps of the
// Advert (Packet.Addrs included) beyond the call.
type Handler func(a *Advert)

// MuxConfig tunes a Mux's logging.
type MuxConfig struct {
	Log             Logger // nil: no logs
	LogUnknownVRIDs bool   // log_unknown_vrids
	LogDetail       bool   // keepalived's -D: also the detail-only lines
	// Now is the clock of the log rate limiter; nil is time.Now.
	Now func() time.Time
}

// Errors of registration and sending.
var (
	ErrVRIDInUse    = errors.New("transport: VRID already registered on this interface and family")
	ErrBadView      = errors.New("transport: instance view is not valid")
	ErrClosed       = errors.New("transport: registration closed")
	ErrNoSource     = errors.New("transport: no source address to send from")
	ErrNotConnected = errors.New("transport: no socket to send on")
)

func famIndex(f vrrp.Family) int {
	if f == vrrp.IPv6 {
		return 1
	}
	return 0
}

// Mux demultiplexes the VRRP packets of one interface, both families, to
// the instances registered by VRID. Its methods are safe for concurrent
// use.
type Mux struct {
	ifname   string
	cfg      MuxConfig
	log      *limiter
	mu       sync.Mutex // serialises Register / Unregister
	regs     [2][256]atomic.Pointer[Registration]
	counters [2]Counters
}

// NewMux returns the Mux of interface ifname (the name is for logs).
func NewMux(ifname string, cfg MuxConfig) *Mux {
	return &Mux{ifname: ifname, cfg: cfg, log: newLimiter(cfg.Log, cfg.Now)}
}

// Counters returns the receive counters of the family: every packet read
// on the interface's sockets of that family, whatever its VRID.
func (m *Mux) Counters(f vrrp.Family) *Counters { return &m.counters[famIndex(f)] }

// Register adds the instance described by v (its VRID and Family are the
// key) with the handler of its adverts. The Registration it returns is how
// the instance sends, and how it updates what the checks know of it.
func (m *Mux) Register(v InstanceView, h Handler) (*Registration, error) {
	if err := validView(&v); err != nil {
		return nil, err
	}
	r := &Registration{mux: m, family: v.Family, vrid: v.VRID, handler: h}
	r.view = v
	m.mu.Lock()
	defer m.mu.Unlock()
	slot := &m.regs[famIndex(v.Family)][v.VRID]
	if slot.Load() != nil {
		return nil, fmt.Errorf("%w: VRID %d %s on %s", ErrVRIDInUse, v.VRID, v.Family, m.ifname)
	}
	slot.Store(r)
	return r, nil
}

// Unregister removes the instance of VRID vrid and family f, if any.
func (m *Mux) Unregister(vrid uint8, f vrrp.Family) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.regs[famIndex(f)][vrid].Store(nil)
}

// Lookup returns the registration of VRID vrid and family f, or nil.
func (m *Mux) Lookup(vrid uint8, f vrrp.Family) *Registration {
	return m.regs[famIndex(f)][vrid].Load()
}

func validView(v *InstanceView) error {
	switch {
	case v.Family != vrrp.IPv4 && v.Family != vrrp.IPv6:
		return fmt.Errorf("%w: family %d", ErrBadView, v.Family)
	case v.Version != vrrp.Version2 && v.Version != vrrp.Version3:
		return fmt.Errorf("%w: version %d", ErrBadView, v.Version)
	case v.Version == vrrp.Version2 && v.Family == vrrp.IPv6:
		return fmt.Errorf("%w: VRRPv2 over IPv6", ErrBadView)
	case v.VRID == 0:
		return fmt.Errorf("%w: VRID 0", ErrBadView)
	case v.Version == vrrp.Version2 && v.Auth != nil && v.Auth.Type > vrrp.AuthAH:
		return fmt.Errorf("%w: auth type %d", ErrBadView, v.Auth.Type)
	}
	return nil
}

// Dispatch runs the receive path on one packet read from a socket of the
// interface: it finds the instance by VRID, runs Check, counts and logs the
// outcome, and hands an accepted advert to the instance's handler. It
// returns the outcome.
func (m *Mux) Dispatch(pkt []byte, meta RecvMeta) DropReason {
	return m.dispatch(pkt, meta, &rxScratch{})
}

// rxScratch is the memory a socket's reader decodes into, reused for
// every packet: the handler gets an Advert valid only during its call
// (see Handler), and a received advert allocates nothing.
type rxScratch struct {
	adv   Advert
	addrs []netip.Addr
	view  InstanceView
}

func (m *Mux) dispatch(pkt []byte, meta RecvMeta, sc *rxScratch) DropReason {
	c := &m.counters[famIndex(meta.Family)]
	f, r := locate(pkt, meta)
	if r != DropNone {
		c.Add(r)
		m.logDrop(r, pkt, meta, f, nil, nil)
		return r
	}
	var hdr vrrp.Packet
	readHeader(pkt[f.off:], &hdr)
	reg := m.regs[famIndex(meta.Family)][hdr.VRID].Load()
	if reg == nil {
		c.Add(DropUnknownVRID)
		m.logDrop(DropUnknownVRID, pkt, meta, f, &hdr, nil)
		return DropUnknownVRID
	}
	// The checks read the view in place, under the registration's lock:
	// copying the whole view for every advert cost more than the checks
	// (a thousand instances, each view in its own cache lines). What the
	// rest needs is taken while locked; a drop's log line gets a copy.
	reg.mu.Lock()
	p, r := checkInto(pkt, meta, &reg.view, sc.addrs)
	vips, name, cks := reg.view.VIPs, reg.view.Name, reg.view.Checksum
	v := &sc.view
	if r != DropNone {
		sc.view = reg.view
	}
	reg.mu.Unlock()
	if cap(p.Addrs) > cap(sc.addrs) {
		sc.addrs = p.Addrs[:0] // grown: keep it for the next packet
	}
	if p.AH.Present {
		// keepalived's anti-replay counter follows every advert whose AH
		// header verified, whatever the later checks say.
		reg.noteAHSeq(p.AH.Seq)
	}
	c.Add(r)
	reg.counters.Add(r)
	if r != DropNone {
		m.logDrop(r, pkt, meta, f, &p, v)
		return r
	}
	if p.ChecksumKind == vrrp.ChecksumOldUnicast && cks != vrrp.ChecksumOldUnicast {
		// keepalived switches to the checksum its peer uses.
		reg.setChecksum(vrrp.ChecksumOldUnicast)
		m.log.logf(kindInfo, msgOldChecksum, name)
	}
	if reg.handler != nil {
		sc.adv = Advert{Packet: p, Src: f.src, Dst: f.dst, TTL: f.ttl, IfIndex: meta.IfIndex, At: meta.At}
		sc.adv.AddrsDiffer = !addrsMatch(p.Addrs, vips)
		reg.handler(&sc.adv)
	}
	return DropNone
}

// writer is the socket side of sending, faked in tests.
type writer interface {
	// writeIPv4 sends a whole IPv4 packet (IP_HDRINCL) to dst.
	// A held pool's socket keeps it and returns nil; a failure is then
	// logged for from when it is sent.
	writeIPv4(pkt []byte, dst netip.Addr, multicast bool, from *Registration) error
	// writeIPv6 sends a VRRP message from src to dst with the hop limit
	// (0: the socket's default).
	writeIPv6(msg []byte, src, dst netip.Addr, hopLimit int, multicast bool, from *Registration) error
}

// Registration is one instance registered on a Mux. Its methods are safe
// for concurrent use.
type Registration struct {
	// The receive path's fields first, the counters last: an advert
	// reads this from a cold cache, a thousand registrations apart.
	mux     *Mux
	family  vrrp.Family
	vrid    uint8
	handler Handler

	mu      sync.Mutex
	view    InstanceView // Master and AHSeq are kept here too
	ipID    uint16       // the last IPv4 ID sent
	w       writer
	onClose func()
	closed  bool
	buf     []byte

	counters Counters
}

// VRID returns the registration's VRID.
func (r *Registration) VRID() uint8 { return r.vrid }

// Family returns the registration's address family.
func (r *Registration) Family() vrrp.Family { return r.family }

// Counters returns the receive counters of this instance (the packets of
// its VRID).
func (r *Registration) Counters() *Counters { return &r.counters }

// View returns the instance view the checks use now.
func (r *Registration) View() InstanceView {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.view
}

// Update replaces the instance's view (a reload). VRID and Family cannot
// change; the Master address and the AH sequence number are kept.
func (r *Registration) Update(v InstanceView) error {
	if v.VRID != r.vrid || v.Family != r.family {
		return fmt.Errorf("%w: VRID and family cannot change", ErrBadView)
	}
	if err := validView(&v); err != nil {
		return err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	v.Master, v.AHSeq = r.view.Master, r.view.AHSeq
	if !v.Src.IsValid() {
		v.Src = r.view.Src
	}
	r.view = v
	return nil
}

// SetMaster records the source address of the master the instance follows
// in BACKUP state (invalid when it is master or has none): with
// skip_check_adv_addr, its adverts skip the address checks.
func (r *Registration) SetMaster(a netip.Addr) {
	r.mu.Lock()
	r.view.Master = a
	r.mu.Unlock()
}

// SetAHSeq sets the AH sequence number (keepalived resets it to 0 when
// becoming master after the counter cycled).
func (r *Registration) SetAHSeq(seq uint32) {
	r.mu.Lock()
	r.view.AHSeq = seq
	r.mu.Unlock()
}

func (r *Registration) noteAHSeq(seq uint32) {
	r.mu.Lock()
	if seq > r.view.AHSeq {
		r.view.AHSeq = seq
	}
	r.mu.Unlock()
}

func (r *Registration) setChecksum(k vrrp.ChecksumKind) {
	r.mu.Lock()
	r.view.Checksum = k
	r.mu.Unlock()
}

// Close unregisters the instance (and releases what the socket layer holds
// for it). Adverts of its VRID are then counted as unknown.
func (r *Registration) Close() error {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return nil
	}
	r.closed = true
	onClose := r.onClose
	r.mu.Unlock()
	r.mux.mu.Lock()
	slot := &r.mux.regs[famIndex(r.family)][r.vrid]
	slot.CompareAndSwap(r, nil)
	r.mux.mu.Unlock()
	if onClose != nil {
		onClose()
	}
	return nil
}

// SendPriority0 sends the priority 0 advert a master sends when it stops
// or goes to FAULT (RFC 3768 §6.4.3, RFC 5798 §6.4.3).
func (r *Registration) SendPriority0() error { return r.Send(0) }

// Send sends one advert with priority prio: to the multicast group, or one
// copy to each unicast peer. IPv4 adverts carry keepalived's header (TOS
// 0xc0, TTL 255 or unicast_ttl, no DF) and an IP ID that counts adverts
// from 1, skipping 0 (the same for every copy of one advert), as keepalived
// keeps per instance; with auth_type AH the AH sequence number counts the
// same way.
func (r *Registration) Send(prio uint8) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return ErrClosed
	}
	if r.w == nil {
		return ErrNotConnected
	}
	v := &r.view
	if !v.Src.IsValid() {
		return ErrNoSource
	}
	p := vrrp.Packet{
		Version:        v.Version,
		Type:           vrrp.TypeAdvertisement,
		VRID:           v.VRID,
		Priority:       prio,
		AdvertInterval: v.AdvertInterval,
		Addrs:          v.VIPs,
	}
	opt := &vrrp.Options{Checksum: v.Checksum, Group4: v.Group4}
	if v.Version == vrrp.Version2 {
		p.AuthType = v.authType()
		if p.AuthType != vrrp.AuthNone {
			opt.Auth = v.Auth
		}
		if p.AuthType == vrrp.AuthPass {
			p.AuthData = v.Auth.Key
		}
	}

	dsts := []netip.Addr{v.group()}
	unicast := v.Unicast()
	if unicast {
		dsts = dsts[:0]
		for _, peer := range v.Peers {
			dsts = append(dsts, peer.Addr)
		}
	}

	var errs []error
	if v.Family == vrrp.IPv4 {
		// keepalived leaves 0 to the kernel, so it wraps to 1.
		r.ipID++
		if r.ipID == 0 {
			r.ipID = 1
		}
		if p.AuthType == vrrp.AuthAH {
			// keepalived stops counting (and calls it a cycle) near the top.
			if v.AHSeq <= 0xfffffffd {
				v.AHSeq++
			}
			p.AH.Seq = v.AHSeq
		}
		ttl := uint8(vrrp.TTL)
		if unicast && v.UnicastTTL != 0 {
			ttl = v.UnicastTTL
		}
		for _, dst := range dsts {
			h := vrrp.NewIPv4Header(v.Src, dst, r.ipID)
			h.TTL = ttl
			pkt, err := vrrp.EncodeIPv4(r.buf[:0], &h, &p, opt)
			if err == nil {
				r.buf = pkt
				err = r.w.writeIPv4(pkt, dst, !unicast, r)
			}
			if err != nil {
				errs = append(errs, r.sendError(dst, unicast, err))
			}
		}
	} else {
		hop := vrrp.TTL
		if unicast {
			hop = int(v.UnicastTTL) // 0: the kernel's unicast hop limit
		}
		for _, dst := range dsts {
			msg, err := vrrp.Encode(r.buf[:0], vrrp.IP{Family: vrrp.IPv6, Src: v.Src, Dst: dst}, &p, nil)
			if err == nil {
				r.buf = msg
				err = r.w.writeIPv6(msg, v.Src, dst, hop, !unicast, r)
			}
			if err != nil {
				errs = append(errs, r.sendError(dst, unicast, err))
			}
		}
	}
	return errors.Join(errs...)
}

// sendError logs a failed send with keepalived's line and returns it.
func (r *Registration) sendError(dst netip.Addr, unicast bool, err error) error {
	return r.mux.sendError(r.view.Name, dst, unicast, err)
}

// sendError logs a failed advert with keepalived's words and returns it
// as an error.
func (m *Mux) sendError(inst string, dst netip.Addr, unicast bool, err error) error {
	if unicast {
		m.log.logf(kindSend, msgSendUnicast, inst, dst, err)
	} else {
		var errno syscall.Errno
		errors.As(err, &errno)
		m.log.logf(kindSend, msgSendMulticast, inst, int(errno), err)
	}
	return fmt.Errorf("transport: (%s) send advert to %s: %w", inst, dst, err)
}
