package transport

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
