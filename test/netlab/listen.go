package netlab

import (
	"fmt"
	"net"
	"runtime"

	"github.com/vishvananda/netns"
)

// ListenIn listens on addr in network namespace ns, from this process: a
// socket belongs to the namespace of the thread that made it, so a
// throw-away thread moves there, makes the socket and dies with its
// goroutine (never unlocked, never moved back). The listener is then used
// from any goroutine.
func ListenIn(ns, network, addr string) (net.Listener, error) {
	type result struct {
		ln  net.Listener
		err error
	}
	ch := make(chan result, 1)
	go func() {
		runtime.LockOSThread()
		h, err := netns.GetFromName(ns)
		if err != nil {
			ch <- result{err: fmt.Errorf("namespace %s: %w", ns, err)}
			return
		}
		defer h.Close()
		if err := netns.Set(h); err != nil {
			ch <- result{err: fmt.Errorf("enter namespace %s: %w", ns, err)}
			return
		}
		ln, err := net.Listen(network, addr)
		if err != nil {
			err = fmt.Errorf("listen %s %s in %s: %w", network, addr, ns, err)
		}
		ch <- result{ln: ln, err: err}
	}()
	r := <-ch
	return r.ln, r.err
}
