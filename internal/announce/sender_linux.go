package announce

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"runtime"
	"strings"
	"sync"

	"github.com/mdlayher/ethernet"
	"github.com/mdlayher/packet"
	"github.com/vishvananda/netns"
	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"
)

// Sender writes announcements on packet sockets, one pair (ARP, IPv6) per
// interface, opened on first use, as keepalived does: raw AF_PACKET
// sockets of protocol ETH_P_ARP / ETH_P_IPV6 with a drop-everything
// filter, so that they never queue received frames. It is safe for
// concurrent use.
type Sender struct {
	ns  netns.NsHandle // -1: the caller's namespace
	log Logger

	mu     sync.Mutex
	ifaces map[string]*senderIface
}

type senderIface struct {
	mac    net.HardwareAddr
	router bool // net.ipv6.conf.IF.forwarding: the NA Router flag
	arp    *packet.Conn
	ip6    *packet.Conn
}

// SenderOptions configure a Sender.
type SenderOptions struct {
	// NetNS is a namespace to send in (a name under /run/netns, or a
	// path); empty means the caller's.
	NetNS string
	// Log receives "Sending gratuitous ARP on eth0 for 10.0.0.1" (detail)
	// and send errors.
	Log Logger
}

// NewSender returns a sender.
func NewSender(o SenderOptions) (*Sender, error) {
	s := &Sender{ns: -1, log: o.Log, ifaces: map[string]*senderIface{}}
	if o.NetNS != "" {
		h, err := openNS(o.NetNS)
		if err != nil {
			return nil, err
		}
		s.ns = h
	}
	return s, nil
}

func openNS(name string) (netns.NsHandle, error) {
	if strings.ContainsRune(name, '/') {
		return netns.GetFromPath(name)
	}
	return netns.GetFromName(name)
}

// inNS runs fn on a thread in namespace ns (-1: the caller's). Sockets
// opened there stay in it. The thread is thrown away if it cannot be
// brought back to its own namespace.
func inNS(ns netns.NsHandle, fn func() error) error {
	if ns < 0 {
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
		if err := netns.Set(ns); err != nil {
			runtime.UnlockOSThread()
			errc <- err
			return
		}
		ferr := fn()
		if err := netns.Set(orig); err != nil {
			errc <- errors.Join(ferr, err) // the thread stays locked and dies
			return
		}
		runtime.UnlockOSThread()
		errc <- ferr
	}()
	return <-errc
}

// dropAll is "ret #0": the sockets only send.
var dropAll = []bpf.RawInstruction{{Op: 0x06, K: 0}}

func (s *Sender) iface(name string) (*senderIface, error) {
	if si, ok := s.ifaces[name]; ok {
		return si, nil
	}
	si := &senderIface{}
	err := inNS(s.ns, func() error {
		ifi, err := net.InterfaceByName(name)
		if err != nil {
			return err
		}
		if len(ifi.HardwareAddr) != 6 {
			return fmt.Errorf("interface %s has no Ethernet address", name)
		}
		si.mac = ifi.HardwareAddr
		fw, _ := os.ReadFile("/proc/sys/net/ipv6/conf/" + name + "/forwarding")
		si.router = strings.TrimSpace(string(fw)) == "1"
		cfg := &packet.Config{Filter: dropAll}
		if si.arp, err = packet.Listen(ifi, packet.Raw, unix.ETH_P_ARP, cfg); err != nil {
			return err
		}
		if si.ip6, err = packet.Listen(ifi, packet.Raw, unix.ETH_P_IPV6, cfg); err != nil {
			si.arp.Close()
			return err
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("announce: %s: %w", name, err)
	}
	s.ifaces[name] = si
	return si, nil
}

// Prepare opens iface's sockets now rather than at its first
// announcement: finding the interface and opening two packet sockets
// with their filters takes milliseconds that a takeover should not wait
// for. A failure is left for Send to meet and log.
func (s *Sender) Prepare(iface string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.iface(iface)
}

// Send sends the announcement for vip on iface (the interface the address
// is configured on), logging the detail line keepalived logs.
func (s *Sender) Send(iface string, vip netip.Addr) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	err := s.send(iface, vip)
	if err != nil && s.ifaces[iface] != nil {
		// The interface may have been re-created (a VMAC after a
		// reload): start again from its current index and address.
		s.forget(iface)
		err = s.send(iface, vip)
	}
	if err != nil {
		s.log.log(errLine(iface, vip, err))
	}
	return err
}

func (s *Sender) send(iface string, vip netip.Addr) error {
	si, err := s.iface(iface)
	if err != nil {
		return err
	}
	vip = vip.Unmap()
	b, err := Frame(si.mac, vip, si.router)
	if err != nil {
		return err
	}
	c, dst := si.arp, ethernet.Broadcast
	if vip.Is6() {
		c, dst = si.ip6, allNodesMAC
	}
	s.log.log(SentLine(iface, vip))
	_, err = c.WriteTo(b, &packet.Addr{HardwareAddr: dst})
	return err
}

// Forget closes the sockets of an interface (deleted, re-created or its
// address changed); the next Send opens new ones.
func (s *Sender) Forget(iface string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.forget(iface)
}

func (s *Sender) forget(iface string) {
	if si := s.ifaces[iface]; si != nil {
		si.arp.Close()
		si.ip6.Close()
		delete(s.ifaces, iface)
	}
}

// Close closes every socket.
func (s *Sender) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for name := range s.ifaces {
		s.forget(name)
	}
	if s.ns >= 0 {
		s.ns.Close()
		s.ns = -1
	}
	return nil
}
