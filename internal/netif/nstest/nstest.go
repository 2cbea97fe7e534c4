// Package nstest makes throw-away network namespaces for tests that need
// root: every name carries the test process id, and everything is deleted
// in t.Cleanup, pass or fail. Tests skip without root, and fail instead
// when CI=true (CI runs as root, so a skip there would hide the tests).
package nstest

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync/atomic"
	"testing"
)

// Root skips the test unless it runs as root with the ip command; under
// CI=true it fails instead.
func Root(t testing.TB) {
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
		t.Fatalf("namespace test cannot run: %s (CI=true)", why)
	}
	t.Skipf("namespace test skipped: %s", why)
}

var seq atomic.Int32

// Name returns a name unique to this process and call: PREFIX-PID-N.
// Keep prefix short: interface names have 15 characters.
func Name(prefix string) string {
	return fmt.Sprintf("%s-%d-%d", prefix, os.Getpid(), seq.Add(1))
}

// NS creates a network namespace with lo up, deleted at cleanup, and
// returns its name.
func NS(t testing.TB, prefix string) string {
	t.Helper()
	Root(t)
	name := Name(prefix)
	Must(t, "ip", "netns", "add", name)
	t.Cleanup(func() { _ = exec.Command("ip", "netns", "del", name).Run() })
	Must(t, "ip", "-n", name, "link", "set", "lo", "up")
	return name
}

// Must runs a command and fails the test if it fails.
func Must(t testing.TB, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

// IP runs "ip -n NS ARGS..." and returns its output.
func IP(t testing.TB, ns string, args ...string) string {
	t.Helper()
	return Must(t, "ip", append([]string{"-n", ns}, args...)...)
}

// Exec runs a command inside the namespace and returns its output.
func Exec(t testing.TB, ns string, args ...string) string {
	t.Helper()
	return Must(t, "ip", append([]string{"netns", "exec", ns}, args...)...)
}

// Veth joins two namespaces with a veth pair: ifA in nsA with macA, ifB in
// nsB with macB (empty MACs are random). Both are up. Deleting the
// namespaces deletes the pair.
func Veth(t testing.TB, nsA, ifA, macA, nsB, ifB, macB string) {
	t.Helper()
	args := []string{"-n", nsA, "link", "add", ifA}
	if macA != "" {
		args = append(args, "address", macA)
	}
	args = append(args, "type", "veth", "peer", "name", ifB)
	if macB != "" {
		args = append(args, "address", macB)
	}
	args = append(args, "netns", nsB)
	Must(t, "ip", args...)
	IP(t, nsA, "link", "set", ifA, "up")
	IP(t, nsB, "link", "set", ifB, "up")
}

// Sysctl reads a sysctl inside the namespace. key is a path under
// /proc/sys ("net/ipv4/conf/vrrp.1/arp_ignore"), or dotted when no
// interface name in it holds a dot ("net.ipv4.conf.all.rp_filter").
func Sysctl(t testing.TB, ns, key string) string {
	t.Helper()
	return strings.TrimSpace(Exec(t, ns, "cat", sysctlPath(key)))
}

// SetSysctl writes a sysctl inside the namespace (key as for Sysctl).
func SetSysctl(t testing.TB, ns, key, value string) {
	t.Helper()
	Exec(t, ns, "sh", "-c", "echo "+value+" > "+sysctlPath(key))
}

func sysctlPath(key string) string {
	if !strings.Contains(key, "/") {
		key = strings.ReplaceAll(key, ".", "/")
	}
	return "/proc/sys/" + strings.TrimPrefix(key, "/proc/sys/")
}
