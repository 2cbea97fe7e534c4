package trackingtest

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gokeepalived/gokeepalived/test/netlab"
)

// lab is a netlab segment whose daemons are all of one kind.
type lab struct {
	*netlab.Lab
	t    *testing.T
	kind netlab.Kind
}

func newLab(t *testing.T, k netlab.Kind, routers int) *lab {
	t.Helper()
	netlab.RequireRoot(t)
	return &lab{Lab: netlab.New(t, routers), t: t, kind: k}
}

// start runs the lab's kind of keepalived in router i with conf. The BFD
// child's pid file is the lab's too: keepalived 2.2.7 checks every
// child's pid file at start and refuses with "daemon is already running"
// when one names a live process, and -b's default (/run/bfd.pid) is
// shared with every other keepalived on the host (a refusal was seen
// once here, with the lab's -p, -r and -c files all absent).
func (l *lab) start(i int, conf string, extra ...string) *netlab.Daemon {
	l.t.Helper()
	bfd := l.path(fmt.Sprintf("r%d-bfd.pid", i+1))
	return l.Start(l.kind, binary, i, conf, append([]string{"-b", bfd}, extra...)...)
}

// path is name inside the lab's directory.
func (l *lab) path(name string) string { return filepath.Join(l.Dir, name) }

// script writes an executable /bin/sh script (mode 0755) into the lab's
// directory and returns its path. keepalived runs a script line as argv,
// without a shell, so anything shell-like lives in such a file.
func (l *lab) script(name, body string) string {
	l.t.Helper()
	p := l.path(name)
	if err := os.WriteFile(p, []byte("#!/bin/sh\n"+body), 0o755); err != nil {
		l.t.Fatal(err)
	}
	// WriteFile keeps the mode of an existing file and the umask
	// applies to a new one: set it.
	if err := os.Chmod(p, 0o755); err != nil {
		l.t.Fatal(err)
	}
	return p
}

// recorder writes a script that appends its arguments, as one line, to
// out: the notify script of the seed notes, reduced to what it was
// called with.
func (l *lab) recorder(name, out string) string {
	return l.script(name, fmt.Sprintf("echo \"$@\" >> %s\n", out))
}

// Timings of an advert_int 1, VRRPv2 pair: a backup of priority p
// takes over 3 adverts plus its skew (256-p)/256 s after the last advert
// it heard.
const (
	advertInt      = time.Second
	startupTimeout = 10 * time.Second
	// takeover bounds a backup's Master_Down_Interval plus start-up
	// and scheduling slack on a shared 2-core machine.
	takeover = 3*advertInt + time.Second + 2*time.Second
)

// globalDefs is the seed notes' global_defs with extra lines.
func globalDefs(extra string) string {
	return `global_defs {
   router_id LVS_DEVEL
   vrrp_skip_check_adv_addr
` + extra + `}
`
}

// instance is a vrrp_instance of seed 001 §3 (auth PASS, advert_int 1, a
// labelled VIP) on eth<seg> with extra lines.
func instance(name, state string, seg, vrid, prio int, vip, extra string) string {
	return fmt.Sprintf(`vrrp_instance %s {
    state %s
    interface eth%d
    virtual_router_id %d
    priority %d
    advert_int 1
    authentication {
        auth_type PASS
        auth_pass 1111
    }
    virtual_ipaddress {
        %s/24 dev eth%d label eth%d:0
    }
%s}
`, name, state, seg, vrid, prio, vip, seg, seg, extra)
}

// vip is the seed notes' VIP on segment 0.
const vip = "192.168.0.248"

// mustHold polls until exactly router want (0-based; -1: none) holds ip,
// and fails if that does not happen within timeout.
func (l *lab) mustHold(ip string, want int, timeout time.Duration) {
	l.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		h := l.Holders(ip)
		if (want < 0 && len(h) == 0) || (len(h) == 1 && h[0] == want) {
			return
		}
		if time.Now().After(deadline) {
			l.t.Fatalf("%s held by routers (0-based) %v, want only %d", ip, h, want)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// readLines returns the lines of file p (none when it does not exist).
func readLines(p string) []string {
	b, err := os.ReadFile(p)
	if err != nil || len(b) == 0 {
		return nil
	}
	return strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
}

// waitLines polls file p until it has at least n lines or timeout
// passes, and returns its lines.
func waitLines(p string, n int, timeout time.Duration) []string {
	deadline := time.Now().Add(timeout)
	for {
		ls := readLines(p)
		if len(ls) >= n || time.Now().After(deadline) {
			return ls
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// equalLines reports a difference between got and want, or "".
func equalLines(got, want []string) string {
	if strings.Join(got, "\n") == strings.Join(want, "\n") {
		return ""
	}
	return fmt.Sprintf("got %d lines:\n  %s\nwant %d:\n  %s",
		len(got), strings.Join(got, "\n  "), len(want), strings.Join(want, "\n  "))
}

// sorted returns a sorted copy of ls.
func sorted(ls []string) []string {
	c := slices.Clone(ls)
	slices.Sort(c)
	return c
}

// indexOf is the index of s in ls, or -1.
func indexOf(ls []string, s string) int { return slices.Index(ls, s) }

// wantLine is MustLine that lets the test go on: a line missing from a
// log is reported (the daemon's log is printed when the test ends
// failed) and the later checks still run.
func wantLine(t *testing.T, d *netlab.Daemon, sub string, since time.Time, timeout time.Duration) time.Time {
	t.Helper()
	at, ok := d.WaitLine(sub, since, timeout)
	if !ok {
		t.Errorf("%s: no %q within %v", d.Name, sub, timeout)
	}
	return at
}
