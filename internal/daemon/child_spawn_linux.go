package daemon

import (
	"fmt"
	"os"
	"os/exec"
	"syscall"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/ipc"
	"github.com/gokeepalived/gokeepalived/internal/version"
)

// child is one of the parent's children as the parent sees it.
type child struct {
	role    ipc.Role
	what    string // "VRRP" or "Healthcheck", as keepalived's lines name them
	flag    string // --child=...
	pidFile string
	policy  respawnPolicy

	cmd     *exec.Cmd
	conn    *ipc.Conn
	ep      ipc.Endpoint
	started time.Time
	// gen is the snapshot generation the child acknowledged.
	gen      uint64
	lastPong time.Time
	pingSeq  uint64
	running  bool
	// respawned: the process replaces one that died (ipc.Config.Respawn).
	respawned bool
}

// childEvent is what a child's goroutines report to the parent's loop:
// a message, or the end of the process.
type childEvent struct {
	c   *child
	cmd *exec.Cmd // the process it is about (a respawned child has another)
	msg ipc.Message
	err error     // the pipe broke or a frame was bad
	end *childEnd // the process ended
}

// spawn re-executes this binary as the child, with the same command line
// plus --child, its pipe pair as file descriptors 3 and 4, and
// PR_SET_PDEATHSIG so that it stops (SIGTERM: an orderly stop) when the
// parent dies, whatever kills it.
func (c *child) spawn(args []string, events chan<- childEvent) error {
	parent, kid, err := ipc.Pipes()
	if err != nil {
		return fmt.Errorf("pipes for the %s child: %w", c.what, err)
	}
	exe, err := os.Executable()
	if err != nil {
		exe = "/proc/self/exe"
	}
	cmd := exec.Command(exe, append(append([]string(nil), args...), c.flag)...)
	cmd.Args[0] = args0()
	cmd.Stdin, cmd.Stdout, cmd.Stderr = nil, os.Stdout, os.Stderr
	cmd.ExtraFiles = []*os.File{kid.R, kid.W}
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
	if err := cmd.Start(); err != nil {
		parent.Close()
		kid.Close()
		return fmt.Errorf("start the %s child: %w", c.what, err)
	}
	kid.Close()
	c.cmd, c.ep, c.conn = cmd, parent, parent.Conn()
	c.started, c.lastPong, c.gen, c.running = time.Now(), time.Now(), 0, true
	conn, role := c.conn, c.role
	go func() {
		// The child's Hello comes first; the loop answers it with the
		// configuration.
		h, err := conn.Handshake(ipc.Hello{Role: ipc.RoleParent, PID: os.Getpid(), Build: version.Line()}, role)
		if err != nil {
			events <- childEvent{c: c, cmd: cmd, err: err}
			return
		}
		events <- childEvent{c: c, cmd: cmd, msg: &h}
		for {
			m, err := conn.Recv()
			if err != nil {
				events <- childEvent{c: c, cmd: cmd, err: err}
				return
			}
			events <- childEvent{c: c, cmd: cmd, msg: m}
		}
	}()
	started := c.started
	go func() {
		err := cmd.Wait()
		end := childEnd{ranFor: time.Since(started)}
		if ee, ok := err.(*exec.ExitError); ok {
			if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
				end.signaled = true
			} else {
				end.code = ee.ExitCode()
			}
		}
		events <- childEvent{c: c, cmd: cmd, end: &end}
	}()
	return nil
}

// args0 is argv[0] as the parent was started with it.
func args0() string {
	if len(os.Args) > 0 {
		return os.Args[0]
	}
	return "keepalived"
}

// signal sends s to the child if it runs.
func (c *child) signal(s syscall.Signal) {
	if c.running && c.cmd != nil && c.cmd.Process != nil {
		c.cmd.Process.Signal(s)
	}
}

// closePipes closes the parent's ends after the child ended.
func (c *child) closePipes() {
	c.ep.Close()
}

// ident is the child's syslog identity, which keepalived's parent also
// uses to name it.
func (c *child) ident() string {
	if c.role == ipc.RoleChecker {
		return identChecker
	}
	return identVRRP
}
