package netlab

import (
	"fmt"
	"os"
	"os/exec"
	"sync"
	"testing"
)

// TB is what a lab needs of its owner: a *testing.T, or a Program for
// commands (the demo, the benchmarks) that are not tests.
type TB interface {
	Helper()
	Fatalf(format string, args ...any)
	Logf(format string, args ...any)
	Cleanup(func())
	Failed() bool
	TempDir() string
}

var _ TB = (*testing.T)(nil)

// RequireRoot skips a test without root or iproute2, or fails it under
// CI=true (CI runs as root: a skip there would hide the test).
func RequireRoot(t testing.TB) {
	t.Helper()
	why := ""
	if os.Geteuid() != 0 {
		why = "not root"
	} else if _, err := exec.LookPath("ip"); err != nil {
		why = "no ip command (iproute2)"
	}
	if why == "" {
		return
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("network test cannot run: %s (CI=true)", why)
	}
	t.Skipf("network test skipped: %s", why)
}

// Program is a TB for a command: Fatalf runs the cleanups and exits 1,
// Close runs them at the end.
type Program struct {
	mu       sync.Mutex
	cleanups []func()
	dir      string
	failed   bool
	Verbose  bool
}

func (p *Program) Helper() {}

func (p *Program) Logf(format string, args ...any) {
	if p.Verbose {
		fmt.Fprintf(os.Stderr, format+"\n", args...)
	}
}

func (p *Program) Fatalf(format string, args ...any) {
	p.mu.Lock()
	p.failed = true
	p.mu.Unlock()
	fmt.Fprintf(os.Stderr, "error: "+format+"\n", args...)
	p.Close()
	os.Exit(1)
}

func (p *Program) Cleanup(f func()) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.cleanups = append(p.cleanups, f)
}

func (p *Program) Failed() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.failed
}

func (p *Program) TempDir() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.dir == "" {
		d, err := os.MkdirTemp("", "gokeepalived-lab-")
		if err != nil {
			panic(err)
		}
		p.dir = d
		p.cleanups = append(p.cleanups, func() { os.RemoveAll(d) })
	}
	return p.dir
}

// Close runs the cleanups, last registered first, once.
func (p *Program) Close() {
	p.mu.Lock()
	cs := p.cleanups
	p.cleanups = nil
	p.mu.Unlock()
	for i := len(cs) - 1; i >= 0; i-- {
		cs[i]()
	}
}
