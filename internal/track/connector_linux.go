package track

import (
	"errors"
	"fmt"
	"os"
	"time"

	"golang.org/x/sys/unix"
)

// connector is a subscription to the kernel's process events. The
// kernel only sends them in the initial network namespace: elsewhere the
// subscription is refused (ECONNREFUSED, as keepalived 2.2.7 logs it in
// a namespace) and the manager scans /proc instead.
type connector struct {
	f    *os.File
	seqs seqTracker
}

// openConnector subscribes to process events and waits for the kernel's
// acknowledgement. rcvbuf sets the socket's receive buffer when not 0
// (global_defs process_monitor_rcv_bufs, forced with ..._force). The
// lines are keepalived's, for the log.
func openConnector(rcvbuf uint32, force bool, ackWait time.Duration) (*connector, []Line, error) {
	var lines []Line
	fd, err := unix.Socket(unix.AF_NETLINK, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC|unix.SOCK_NONBLOCK, unix.NETLINK_CONNECTOR)
	if err != nil {
		if errors.Is(err, unix.EPROTONOSUPPORT) {
			lines = append(lines, detail(fmtProcNoSupport))
		} else {
			n, m := errnoText(err)
			lines = append(lines, info(fmtProcOpenErr, n, m))
		}
		return nil, lines, fmt.Errorf("process connector socket: %w", err)
	}
	if err := unix.Bind(fd, &unix.SockaddrNetlink{Family: unix.AF_NETLINK, Groups: cnIdxProc}); err != nil {
		unix.Close(fd)
		n, m := errnoText(err)
		return nil, append(lines, info(fmtProcBindErr, n, m)), fmt.Errorf("process connector bind: %w", err)
	}
	if rcvbuf != 0 {
		if l, ok := setRcvBuf(fd, int(rcvbuf), force); !ok {
			lines = append(lines, l)
		}
	}
	if err := unix.Send(fd, subscribeMsg(true), 0); err != nil {
		unix.Close(fd)
		n, m := errnoText(err)
		return nil, append(lines, info(fmtProcListenErr, n, m)), fmt.Errorf("process connector listen: %w", err)
	}
	c := &connector{f: os.NewFile(uintptr(fd), "proc-connector"), seqs: seqTracker{}}
	// The acknowledgement (PROC_EVENT_NONE) comes first; keepalived
	// warns when it has not come within 100 ms.
	_ = c.f.SetReadDeadline(time.Now().Add(ackWait))
	defer c.f.SetReadDeadline(time.Time{})
	buf := make([]byte, 512)
	for {
		ev, err := c.recv(buf)
		if errors.Is(err, errSkip) {
			continue
		}
		if err != nil {
			c.f.Close()
			if errors.Is(err, os.ErrDeadlineExceeded) {
				return nil, append(lines, info(fmtProcNoAck)), errors.New("process connector: no acknowledgement")
			}
			return nil, lines, err
		}
		if ev.what == procEventNone && ev.ack {
			return c, append(lines, detail(fmtProcAck)), nil
		}
	}
}

func setRcvBuf(fd, size int, force bool) (Line, bool) {
	opt, word := unix.SO_RCVBUF, ""
	if force {
		opt, word = unix.SO_RCVBUFFORCE, "FORCE"
	}
	if err := unix.SetsockoptInt(fd, unix.SOL_SOCKET, opt, size); err != nil {
		n, m := errnoText(err)
		return info(fmtProcSetBufErr, word, n, m), false
	}
	return Line{}, true
}

// recv waits for the next datagram and decodes it. A datagram that does
// not come from the kernel is skipped (errSkip); ENOBUFS means events
// were lost.
func (c *connector) recv(buf []byte) (procEvent, error) {
	rc, err := c.f.SyscallConn()
	if err != nil {
		return procEvent{}, err
	}
	var (
		n    int
		from unix.Sockaddr
		rerr error
	)
	err = rc.Read(func(fd uintptr) bool {
		n, from, rerr = unix.Recvfrom(int(fd), buf, 0)
		return !errors.Is(rerr, unix.EAGAIN)
	})
	if err != nil {
		return procEvent{}, err
	}
	if rerr != nil {
		return procEvent{}, fmt.Errorf("process connector recv: %w", rerr)
	}
	if n == 0 {
		return procEvent{}, errors.New(fmtProcRecvZero)
	}
	if sa, ok := from.(*unix.SockaddrNetlink); !ok || sa.Pid != 0 {
		return procEvent{}, errSkip
	}
	return parseProcEvent(buf[:n])
}

// grow doubles the receive buffer after lost events, as keepalived does
// (and says so).
func (c *connector) grow(force bool) Line {
	rc, err := c.f.SyscallConn()
	if err != nil {
		return info("%v", err)
	}
	var l Line
	_ = rc.Control(func(fd uintptr) {
		size, err := unix.GetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_RCVBUF)
		if err != nil {
			n, m := errnoText(err)
			l = info(fmtProcGetBufErr, n, m)
			return
		}
		// keepalived doubles what the kernel reports.
		size *= 2
		if bl, ok := setRcvBuf(int(fd), size, force); !ok {
			l = bl
			return
		}
		l = info(fmtProcBufGrown, size)
	})
	return l
}

// close unsubscribes and closes the socket (a blocked recv returns).
func (c *connector) close() {
	rc, err := c.f.SyscallConn()
	if err == nil {
		_ = rc.Control(func(fd uintptr) { _ = unix.Send(int(fd), subscribeMsg(false), 0) })
	}
	_ = c.f.Close()
}
