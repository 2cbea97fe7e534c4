package daemon

import (
	"os"
	"syscall"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// waker is what the loop needs of its timer: a channel that says "look
// at the timers", Reset, Stop, Close.
type waker interface {
	Wake() <-chan struct{}
	Reset(d time.Duration)
	Stop()
	Close()
}

// newWaker is a timerfd, or where none can be made (a seccomp filter)
// the runtime's timer.
func newWaker() waker {
	if t, err := newWakeTimer(); err == nil {
		return t
	}
	return newGoWaker()
}

// goWaker is the fallback: the runtime's timer, less precise.
type goWaker struct {
	t *time.Timer
	C chan struct{}
}

func newGoWaker() *goWaker {
	g := &goWaker{C: make(chan struct{}, 1)}
	g.t = time.AfterFunc(time.Hour, func() {
		select {
		case g.C <- struct{}{}:
		default:
		}
	})
	g.t.Stop()
	return g
}

func (g *goWaker) Wake() <-chan struct{} { return g.C }
func (g *goWaker) Reset(d time.Duration) { g.t.Reset(d) }
func (g *goWaker) Stop()                 { g.t.Stop() }
func (g *goWaker) Close()                { g.t.Stop() }

// wakeTimer is the loop's one timer, a timerfd read through the runtime's
// poller. Go's own timers wake the process through epoll_wait's
// millisecond timeout: measured here, 0.6 ms late on average and up to
// 2 ms, which a backup's Master_Down timer adds to every failover.
// keepalived's scheduler runs on a timerfd too. Its channel may deliver
// an expiry already overtaken by a Reset: the loop then finds nothing
// due and arms again.
type wakeTimer struct {
	f *os.File
	C chan struct{}
	// spec and settime are made once: a closure built per Reset would
	// be allocated per Reset.
	spec    unix.ItimerSpec
	settime func(fd uintptr)
	rc      syscall.RawConn
}

func (t *wakeTimer) Wake() <-chan struct{} { return t.C }

func newWakeTimer() (*wakeTimer, error) {
	fd, err := unix.TimerfdCreate(unix.CLOCK_MONOTONIC, unix.TFD_NONBLOCK|unix.TFD_CLOEXEC)
	if err != nil {
		return nil, err
	}
	t := &wakeTimer{f: os.NewFile(uintptr(fd), "timerfd"), C: make(chan struct{}, 1)}
	if t.rc, err = t.f.SyscallConn(); err != nil {
		t.f.Close()
		return nil, err
	}
	t.settime = func(fd uintptr) {
		// Raw: timerfd_settime never blocks (see read).
		unix.RawSyscall6(unix.SYS_TIMERFD_SETTIME, fd, 0, uintptr(unsafe.Pointer(&t.spec)), 0, 0, 0)
	}
	go t.read()
	return t, nil
}

func (t *wakeTimer) read() {
	var b [8]byte // the expiry count
	var rerr unix.Errno
	// The runtime's poller waits; the read itself is a raw system call,
	// which never blocks on this non-blocking descriptor and so skips
	// Syscall's bookkeeping (which wakes sysmon).
	read := func(fd uintptr) bool {
		_, _, rerr = unix.RawSyscall(unix.SYS_READ, fd, uintptr(unsafe.Pointer(&b[0])), uintptr(len(b)))
		return rerr != unix.EAGAIN
	}
	for {
		err := t.rc.Read(read)
		if err != nil || rerr != 0 && rerr != unix.EINTR {
			return // closed
		}
		select {
		case t.C <- struct{}{}:
		default:
		}
	}
}

// Reset arms the timer to expire after d (at once when d <= 0).
func (t *wakeTimer) Reset(d time.Duration) {
	if d <= 0 {
		d = 1
	}
	t.set(unix.NsecToTimespec(int64(d)))
}

// Stop disarms the timer.
func (t *wakeTimer) Stop() { t.set(unix.Timespec{}) }

func (t *wakeTimer) set(v unix.Timespec) {
	t.spec = unix.ItimerSpec{Value: v}
	t.rc.Control(t.settime)
}

// Close stops the reading goroutine.
func (t *wakeTimer) Close() { t.f.Close() }
