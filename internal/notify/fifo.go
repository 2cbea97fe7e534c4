package notify

import (
	"errors"
	"io/fs"
	"os"
	"slices"
	"syscall"

	"github.com/gokeepalived/gokeepalived/internal/script"
	"github.com/gokeepalived/gokeepalived/pkg/config"
)

// fifo is one of the notify FIFOs the VRRP process writes: notify_fifo
// (prefix "") or vrrp_notify_fifo (prefix "vrrp_"). keepalived 2.2.7's
// handling, observed with strace and ls:
//
//   - a missing FIFO is created (mknod under umask 0177: mode 0600) and
//     given to the configured user and group; an existing path is used
//     as it is, whatever its type and mode (a regular file gets the
//     lines appended);
//   - it is opened O_RDWR|O_NONBLOCK|O_NOFOLLOW: the open never waits
//     for a reader, lines written while nobody reads wait in the pipe,
//     and a full pipe drops lines instead of blocking the daemon;
//   - the notify_fifo_script reader is started with the FIFO's name
//     appended to its argv, in a process group of its own;
//   - when a reload changes it, the reader's group gets SIGTERM, the
//     FIFO is closed and removed if keepalived created it;
//   - at the daemon's stop the reader gets SIGTERM and the FIFO is
//     closed but left in place, even one keepalived made (observed: the
//     pipe is still there after keepalived 2.2.7 exits).
type fifo struct {
	prefix  string
	cfg     config.NotifyFIFO
	fd      int // -1: not open
	created bool
	full    bool // lines are being dropped (logged once per episode)

	readerGen      uint64
	readerRunning  bool
	readerStopping bool   // its end is ours, not news
	stopReader     func() // nil when the runner cannot stop programs
}

func sameFIFO(a, b config.NotifyFIFO) bool {
	return a.Name == b.Name && a.User == b.User && a.Group == b.Group &&
		slices.Equal(a.Script, b.Script) && a.ScriptUser == b.ScriptUser && a.ScriptGroup == b.ScriptGroup
}

// openFIFO creates (if missing) and opens the FIFO of c, then starts its
// reader. Failures are logged with keepalived's lines; the FIFO is then
// left closed and its lines are not written.
func (n *Notifier) openFIFO(prefix string, c config.NotifyFIFO) *fifo {
	f := &fifo{prefix: prefix, cfg: c, fd: -1}
	switch err := syscall.Mkfifo(c.Name, 0o600); {
	case err == nil:
		f.created = true
		if c.User != "" {
			n.chownFIFO(c)
		}
	case !errors.Is(err, fs.ErrExist):
		n.log.printf(fmtFIFOCreate, prefix, c.Name)
		return f
	}
	fd, err := syscall.Open(c.Name, syscall.O_RDWR|syscall.O_NONBLOCK|syscall.O_NOFOLLOW|syscall.O_CLOEXEC, 0)
	if err != nil {
		errno, _ := err.(syscall.Errno)
		n.log.printf(fmtFIFOOpen, prefix, c.Name, int(errno))
		n.unlinkFIFO(f)
		return f
	}
	f.fd = fd
	if len(c.Script) > 0 {
		n.startReader(f)
	}
	return f
}

func (n *Notifier) chownFIFO(c config.NotifyFIFO) {
	cred, err := n.opts.LookupCred(c.User, c.Group)
	if err == nil {
		err = os.Lchown(c.Name, int(cred.UID), int(cred.GID))
	}
	if err != nil {
		n.log.printf(fmtFIFOOwner, c.Name)
	}
}

// startReader runs notify_fifo_script with the FIFO's name as its last
// argument, as the script's user (default: the default script user).
func (n *Notifier) startReader(f *fifo) {
	argv := append(slices.Clone(f.cfg.Script), f.cfg.Name)
	cred, err := n.cred(f.cfg.ScriptUser, f.cfg.ScriptGroup)
	if err != nil {
		n.log.printf(fmtReaderStart, f.prefix, argv[0], err)
		return
	}
	f.readerGen++
	gen := f.readerGen
	done := func(r script.Result) { n.post(request{kind: rqReaderEnded, fifo: f, seq: gen, res: r}) }
	cmd := script.Cmd{Argv: argv, Cred: cred}
	if sr, ok := n.run.(StoppableRunner); ok {
		f.stopReader, err = sr.StartStoppable(cmd, done)
	} else {
		err = n.run.Start(cmd, done)
	}
	if err != nil {
		n.log.printf(fmtReaderStart, f.prefix, argv[0], err)
		return
	}
	f.readerRunning = true
}

// readerEnded handles the end of a reader: news only when nobody
// stopped it ("vrrp notify fifo script terminated"); keepalived does not
// restart it.
func (n *Notifier) readerEnded(f *fifo, gen uint64, r script.Result) {
	if gen != f.readerGen {
		return
	}
	f.readerRunning = false
	if f.readerStopping {
		return // stopped by us (perhaps before it started): no news
	}
	if r.Err != nil {
		n.log.printf("%s", execErrLine(f.cfg.Script[0], r.Err))
	}
	n.log.printf(msgReaderEnded)
}

// write writes one line without ever waiting: a full pipe drops it.
func (f *fifo) write(line string, log Logger) {
	if f.fd < 0 {
		return
	}
	b := []byte(line + "\n")
	for {
		_, err := syscall.Write(f.fd, b)
		switch {
		case err == nil:
			f.full = false
		case err == syscall.EINTR:
			continue
		case err == syscall.EAGAIN:
			if !f.full {
				f.full = true
				log.printf(fmtFIFOFull, f.prefix, f.cfg.Name)
			}
		}
		return
	}
}

// closeFIFO stops the reader and closes the FIFO; with unlink (a reload
// that changes it), it removes it too if it was created here.
func (n *Notifier) closeFIFO(f *fifo, unlink bool) {
	if f.readerRunning {
		f.readerStopping = true
		if f.stopReader != nil {
			f.stopReader()
		}
	}
	if f.fd >= 0 {
		_ = syscall.Close(f.fd)
		f.fd = -1
	}
	if unlink {
		n.unlinkFIFO(f)
	}
}

func (n *Notifier) unlinkFIFO(f *fifo) {
	if f.created {
		_ = os.Remove(f.cfg.Name)
		f.created = false
	}
}
