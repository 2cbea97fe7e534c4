package netlab

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
)

// ClientAddr and ClientAddr6 are the client's addresses on br0.
const (
	ClientAddr  = "192.168.0.10"
	ClientAddr6 = "fd00::10"
)

// RouterAddr is router i's (0-based) IPv4 address: 192.168.0.162, .163, ...
func RouterAddr(i int) string { return fmt.Sprintf("192.168.0.%d", 162+i) }

// RouterAddr6 is router i's global IPv6 address: fd00::162, fd00::163, ...
func RouterAddr6(i int) string { return fmt.Sprintf("fd00::%d", 162+i) }

var seq atomic.Int32

// Lab is a segment: routers r1..rN, each with eth0 on the bridge br0 of
// namespace Client, which is also the client (ClientAddr/24,
// ClientAddr6/64).
type Lab struct {
	T       TB
	Prefix  string
	Dir     string
	Client  string
	Routers []string // router namespaces
}

// New makes a lab of n routers. IPv6 duplicate address detection is off
// in every namespace, so addresses are usable at once.
func New(t TB, n int) *Lab {
	t.Helper()
	l := &Lab{T: t, Prefix: fmt.Sprintf("gv-%d-%d", os.Getpid(), seq.Add(1)), Dir: t.TempDir()}
	l.Client = l.Prefix + "-c"
	for i := range n {
		l.Routers = append(l.Routers, fmt.Sprintf("%s-r%d", l.Prefix, i+1))
	}
	all := append([]string{l.Client}, l.Routers...)
	t.Cleanup(func() {
		// Registered first, run last: the daemons and servers are gone.
		for _, ns := range all {
			exec.Command("ip", "netns", "del", ns).Run()
			// The ledger a killed daemon of ours left for its namespace,
			// and its temporary copy when the kill came mid-write.
			os.Remove("/run/keepalived/netif@" + ns + ".json")
			os.Remove("/run/keepalived/netif@" + ns + ".json.tmp")
		}
	})
	for _, ns := range all {
		l.Run("ip", "netns", "add", ns)
		l.Run("ip", "-n", ns, "link", "set", "lo", "up")
		l.Run("ip", "netns", "exec", ns, "sysctl", "-q", "-w",
			"net.ipv6.conf.all.accept_dad=0", "net.ipv6.conf.default.accept_dad=0")
	}
	l.Run("ip", "-n", l.Client, "link", "add", "br0", "type", "bridge", "mcast_snooping", "0")
	l.Run("ip", "-n", l.Client, "link", "set", "br0", "up")
	l.Run("ip", "-n", l.Client, "addr", "add", ClientAddr+"/24", "dev", "br0")
	l.Run("ip", "-n", l.Client, "addr", "add", ClientAddr6+"/64", "dev", "br0", "nodad")
	for i, ns := range l.Routers {
		// Made inside the router's namespace, the peer moved straight
		// into the client's: nothing is created on the host.
		port := l.Port(i)
		l.Run("ip", "-n", ns, "link", "add", "eth0", "type", "veth", "peer", "name", port, "netns", l.Client)
		l.Run("ip", "-n", l.Client, "link", "set", port, "master", "br0")
		l.Run("ip", "-n", l.Client, "link", "set", port, "up")
		l.Run("ip", "-n", ns, "addr", "add", RouterAddr(i)+"/24", "dev", "eth0")
		l.Run("ip", "-n", ns, "addr", "add", RouterAddr6(i)+"/64", "dev", "eth0", "nodad")
		l.Run("ip", "-n", ns, "link", "set", "eth0", "up")
	}
	return l
}

// Run runs a command and fails t if it fails.
func Run(t TB, args ...string) string {
	t.Helper()
	out, err := exec.Command(args[0], args[1:]...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// Run runs a command and fails the lab's owner if it fails.
func (l *Lab) Run(args ...string) string {
	l.T.Helper()
	return Run(l.T, args...)
}

// Port is the bridge port of router i: setting it down cuts the cable.
func (l *Lab) Port(i int) string { return fmt.Sprintf("p%d", i+1) }

// Cut and Mend take router i's cable out of the bridge and back.
func (l *Lab) Cut(i int)  { l.Run("ip", "-n", l.Client, "link", "set", l.Port(i), "down") }
func (l *Lab) Mend(i int) { l.Run("ip", "-n", l.Client, "link", "set", l.Port(i), "up") }

// Addr is one address as `ip -j addr` reports it.
type Addr struct {
	Dev       string `json:"-"`
	Local     string `json:"local"`
	PrefixLen int    `json:"prefixlen"`
	Label     string `json:"label"`
	Scope     string `json:"scope"`
}

// Addrs lists every address of every link in namespace ns.
func (l *Lab) Addrs(ns string) []Addr {
	l.T.Helper()
	out := l.Run("ip", "-n", ns, "-j", "addr", "show")
	var links []struct {
		IfName   string `json:"ifname"`
		AddrInfo []Addr `json:"addr_info"`
	}
	if err := json.Unmarshal([]byte(out), &links); err != nil {
		l.T.Fatalf("ip -j addr: %v\n%s", err, out)
	}
	var as []Addr
	for _, li := range links {
		for _, a := range li.AddrInfo {
			a.Dev = li.IfName
			as = append(as, a)
		}
	}
	return as
}

// Has returns ip's entry in namespace ns, on whatever link, if there.
func (l *Lab) Has(ns, ip string) (Addr, bool) {
	for _, a := range l.Addrs(ns) {
		if a.Local == ip {
			return a, true
		}
	}
	return Addr{}, false
}

// Holders lists the routers (0-based) that hold ip.
func (l *Lab) Holders(ip string) []int {
	var hs []int
	for i, ns := range l.Routers {
		if _, ok := l.Has(ns, ip); ok {
			hs = append(hs, i)
		}
	}
	return hs
}

// WriteConf writes a file into the lab's directory (name may contain
// subdirectories) and returns its path.
func (l *Lab) WriteConf(name, text string) string {
	l.T.Helper()
	p := filepath.Join(l.Dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		l.T.Fatalf("%v", err)
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		l.T.Fatalf("%v", err)
	}
	return p
}
