package netif

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"strings"

	"github.com/vishvananda/netlink"
	"github.com/vishvananda/netns"
	"golang.org/x/sys/unix"
)

// EventKind is what happened to a link or an address.
type EventKind uint8

// Watch events.
const (
	// LinkUp / LinkDown: the interface's state as keepalived sees it
	// changed: up means both IFF_UP and IFF_RUNNING (administratively up
	// and with carrier). Reported on changes only.
	LinkUp EventKind = iota + 1
	LinkDown
	// LinkDeleted: the interface is gone.
	LinkDeleted
	// AddrAdded / AddrRemoved: an address appeared on or left an
	// interface (a VIP removed by someone else shows as AddrRemoved).
	AddrAdded
	AddrRemoved
)

var eventNames = [...]string{"", "link-up", "link-down", "link-deleted", "addr-added", "addr-removed"}

func (k EventKind) String() string {
	if int(k) < len(eventNames) && k != 0 {
		return eventNames[k]
	}
	return fmt.Sprintf("event(%d)", k)
}

// Event is one change. What it means for an instance (FAULT when its
// interface goes down, re-adding a VIP) is the state machine's decision.
type Event struct {
	Kind  EventKind
	Index int
	// Name is the interface's name (its last known name for an address
	// event, empty if never seen).
	Name string
	// Addr is the address of an address event.
	Addr netip.Prefix
}

func (e Event) String() string {
	s := fmt.Sprintf("%s %s(%d)", e.Kind, e.Name, e.Index)
	if e.Addr.IsValid() {
		s += " " + e.Addr.String()
	}
	return s
}

// WatchOptions configure Watch.
type WatchOptions struct {
	// NetNS is the namespace to watch (name or path; empty: the caller's).
	NetNS string
	// Existing reports the current state first: every link as LinkUp or
	// LinkDown, every address as AddrAdded.
	Existing bool
	// Buffer is the channel's capacity (default 64).
	Buffer int
	// OnError receives the error that ends the watch early (the netlink
	// socket failed or overflowed); the channel is then closed and the
	// caller should re-read the state and watch again.
	OnError func(error)
}

// Watch reports link and address changes until ctx is done, then closes
// the channel.
func Watch(ctx context.Context, o WatchOptions) (<-chan Event, error) {
	var ns *netns.NsHandle
	if o.NetNS != "" {
		var h netns.NsHandle
		var err error
		if strings.ContainsRune(o.NetNS, '/') {
			h, err = netns.GetFromPath(o.NetNS)
		} else {
			h, err = netns.GetFromName(o.NetNS)
		}
		if err != nil {
			return nil, fmt.Errorf("netif: namespace %s: %w", o.NetNS, err)
		}
		ns = &h
	}
	closeNS := func() {
		if ns != nil {
			ns.Close()
		}
	}
	if o.Buffer <= 0 {
		o.Buffer = 64
	}
	done := make(chan struct{})
	links := make(chan netlink.LinkUpdate, o.Buffer)
	addrs := make(chan netlink.AddrUpdate, o.Buffer)
	errc := make(chan error, 2)
	cb := func(err error) {
		select {
		case errc <- err:
		default:
		}
	}
	if err := netlink.LinkSubscribeWithOptions(links, done, netlink.LinkSubscribeOptions{
		Namespace: ns, ListExisting: o.Existing, ErrorCallback: cb,
	}); err != nil {
		close(done)
		closeNS()
		return nil, fmt.Errorf("netif: link watch: %w", err)
	}
	if err := netlink.AddrSubscribeWithOptions(addrs, done, netlink.AddrSubscribeOptions{
		Namespace: ns, ListExisting: o.Existing, ErrorCallback: cb,
	}); err != nil {
		close(done)
		closeNS()
		return nil, fmt.Errorf("netif: address watch: %w", err)
	}
	var nh *netlink.Handle
	var err error
	if ns != nil {
		nh, err = netlink.NewHandleAt(*ns, unix.NETLINK_ROUTE)
	} else {
		nh, err = netlink.NewHandle(unix.NETLINK_ROUTE)
	}
	if err != nil {
		close(done)
		closeNS()
		return nil, fmt.Errorf("netif: watch: %w", err)
	}
	out := make(chan Event, o.Buffer)
	go func() {
		defer close(out)
		defer closeNS()
		defer nh.Close()
		defer close(done)
		w := watcher{state: map[int]linkState{}, names: map[int]string{}, name: func(idx int) string {
			if l, err := nh.LinkByIndex(idx); err == nil {
				return l.Attrs().Name
			}
			return ""
		}}
		if ls, err := nh.LinkList(); err == nil {
			for _, l := range ls {
				w.names[l.Attrs().Index] = l.Attrs().Name
			}
		}
		for {
			var evs []Event
			select {
			case <-ctx.Done():
				return
			case u, ok := <-links:
				if !ok {
					w.fail(ctx, errc, o.OnError)
					return
				}
				evs = w.link(u)
			case u, ok := <-addrs:
				if !ok {
					w.fail(ctx, errc, o.OnError)
					return
				}
				evs = w.addr(u)
			}
			for _, e := range evs {
				select {
				case out <- e:
				case <-ctx.Done():
					return
				}
			}
		}
	}()
	return out, nil
}

type linkState struct {
	name string
	up   bool
}

// watcher turns netlink updates into events (pure, given the updates).
type watcher struct {
	state map[int]linkState
	// names caches the interfaces' names: those listed when the watch
	// began, and those looked up since. An address event must not cost
	// a netlink round trip: a new master's own VIP comes back as one
	// while it sends its gratuitous ARPs.
	names map[int]string
	// name looks up an interface not seen yet (its address came first).
	name func(index int) string
}

func (w *watcher) link(u netlink.LinkUpdate) []Event {
	idx := int(u.Index)
	name := ""
	if u.Link != nil && u.Link.Attrs() != nil {
		name = u.Link.Attrs().Name
	}
	if u.Header.Type == unix.RTM_DELLINK {
		if name == "" {
			name = w.state[idx].name
		}
		delete(w.state, idx)
		delete(w.names, idx)
		return []Event{{Kind: LinkDeleted, Index: idx, Name: name}}
	}
	up := u.Flags&unix.IFF_UP != 0 && u.Flags&unix.IFF_RUNNING != 0
	old, seen := w.state[idx]
	w.state[idx] = linkState{name: name, up: up}
	if seen && old.up == up {
		return nil
	}
	k := LinkDown
	if up {
		k = LinkUp
	}
	return []Event{{Kind: k, Index: idx, Name: name}}
}

func (w *watcher) addr(u netlink.AddrUpdate) []Event {
	ip, ok := netip.AddrFromSlice(u.LinkAddress.IP)
	if !ok {
		return nil
	}
	ones, _ := u.LinkAddress.Mask.Size()
	k := AddrRemoved
	if u.NewAddr {
		k = AddrAdded
	}
	name := w.state[u.LinkIndex].name
	if name == "" {
		name = w.names[u.LinkIndex]
	}
	if name == "" && w.name != nil {
		name = w.name(u.LinkIndex)
		if name != "" {
			if w.names == nil {
				w.names = map[int]string{}
			}
			w.names[u.LinkIndex] = name
		}
	}
	return []Event{{Kind: k, Index: u.LinkIndex, Name: name, Addr: netip.PrefixFrom(ip.Unmap(), ones)}}
}

func (w *watcher) fail(ctx context.Context, errc chan error, onError func(error)) {
	if ctx.Err() != nil || onError == nil {
		return
	}
	err := errors.New("netlink subscription closed")
	select {
	case e := <-errc:
		err = e
	default:
	}
	onError(fmt.Errorf("netif: watch: %w", err))
}
