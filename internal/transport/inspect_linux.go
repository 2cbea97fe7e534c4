package transport

import (
	"fmt"

	"github.com/gokeepalived/gokeepalived/pkg/vrrp"
)

// FD returns the descriptor of the raw socket the registration sends and
// receives on (keepalived's fd_in/fd_out in its SIGUSR1 dump: one socket
// does both here), or -1 when it has none (closed, or not a socket).
func (r *Registration) FD() int {
	r.mu.Lock()
	c, ok := r.w.(*Conn)
	r.mu.Unlock()
	if !ok || c == nil {
		return -1
	}
	fd := -1
	if err := c.rc.Control(func(s uintptr) { fd = int(s) }); err != nil {
		return -1
	}
	return fd
}

// SockpoolLine is keepalived's "VRRP sockpool" line for the socket the
// registration uses, and the key that makes it one line per pool entry
// (interface, family, protocol, and multicast group or unicast source).
// ok is false when the registration has no socket.
func (r *Registration) SockpoolLine() (key, line string, ok bool) {
	r.mu.Lock()
	c, isConn := r.w.(*Conn)
	v := r.view
	r.mu.Unlock()
	fd := r.FD()
	if !isConn || c == nil || fd < 0 {
		return "", "", false
	}
	mode, addr := msgSockpoolMulticast, v.group()
	if v.Unicast() {
		mode, addr = msgSockpoolUnicast, v.Src
	}
	fam := "IPv4"
	if c.key.family == vrrp.IPv6 {
		fam = "IPv6"
	}
	key = fmt.Sprintf("%d/%s/%d/%s%s", c.ifindex, fam, c.key.proto, mode, addr)
	return key, fmt.Sprintf(msgSockpool, c.ifindex, fam, c.key.proto, fd, fd, mode, addr), true
}
