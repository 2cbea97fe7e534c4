// Package cmdutil is what the lab commands (the demo, the VRRP
// benchmarks) share: a netlab owner whose cleanups also run on Ctrl-C or
// SIGTERM, and the root check.
package cmdutil

import (
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"sync"
	"syscall"

	"github.com/gokeepalived/gokeepalived/test/netlab"
)

// Program is a netlab.Program that cleans up when the command is
// interrupted. Once interrupted, a cleanup registered later (a daemon
// started while the handler ran) runs at once, and a Fatalf from the
// main goroutine waits for the handler's exit instead of racing it.
type Program struct {
	*netlab.Program
	mu     sync.Mutex
	closed bool
	parent *Program
}

// Sub returns an owner for one lab of many (a benchmark repetition): its
// Close removes that lab; the parent's Close (and so Ctrl-C) removes it
// too if it is still there, and its Fatalf ends the whole command.
func (p *Program) Sub() *Program {
	c := &Program{Program: &netlab.Program{Verbose: p.Verbose}, parent: p}
	p.Cleanup(c.Close)
	return c
}

// New returns a Program whose cleanups run on SIGINT and SIGTERM, after
// which the command exits 130.
func New(verbose bool) *Program {
	p := &Program{Program: &netlab.Program{Verbose: verbose}}
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	go func() {
		s := <-sigs
		fmt.Fprintf(os.Stderr, "\n%v: removing the lab\n", s)
		p.Close()
		os.Exit(130)
	}()
	return p
}

func (p *Program) Cleanup(f func()) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		f()
		return
	}
	p.Program.Cleanup(f)
}

func (p *Program) Fatalf(format string, args ...any) {
	p.mu.Lock()
	closed := p.closed
	p.mu.Unlock()
	if closed {
		// The signal handler is cleaning up and will exit: a command
		// failing because its namespace went away is no news.
		select {}
	}
	if p.parent != nil {
		p.parent.Fatalf(format, args...)
	}
	fmt.Fprintf(os.Stderr, "error: "+format+"\n", args...)
	p.Close()
	os.Exit(1)
}

// Close runs the cleanups once; later ones run as they are registered.
func (p *Program) Close() {
	p.mu.Lock()
	p.closed = true
	p.mu.Unlock()
	p.Program.Close()
}

// NeedRoot returns why the labs cannot be built here ("" when they can):
// they need root for namespaces and iproute2's ip.
func NeedRoot() string {
	if os.Geteuid() != 0 {
		return "needs root (it creates network namespaces)"
	}
	if _, err := exec.LookPath("ip"); err != nil {
		return "needs ip from iproute2 (scripts/test-deps.sh installs it)"
	}
	return ""
}
