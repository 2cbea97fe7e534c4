package vrrptest

import (
	"encoding/json"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gokeepalived/gokeepalived/test/netlab"
)

// The VMAC of VRID 51 (RFC 5798 §7.3: 00-00-5E-00-01-{VRID}) and the
// macvlan keepalived names after it.
const (
	vmacAddr = "00:00:5e:00:01:33"
	vmacName = "vrrp.51"
)

// vmacSysctls are the sysctls keepalived 2.2.7 sets for an IPv4 VMAC,
// read beside it in a namespace: on the VMAC, ARP answered only for its
// own addresses, packets from its own addresses accepted (the parent
// hears them too), no reverse-path filter, secondaries promoted, no IPv6;
// on the parent, no ARP answers for the VMAC's addresses.
var vmacSysctls = []struct{ path, want string }{
	{"net/ipv4/conf/" + vmacName + "/arp_ignore", "1"},
	{"net/ipv4/conf/" + vmacName + "/accept_local", "1"},
	{"net/ipv4/conf/" + vmacName + "/rp_filter", "0"},
	{"net/ipv4/conf/" + vmacName + "/promote_secondaries", "1"},
	{"net/ipv6/conf/" + vmacName + "/disable_ipv6", "1"},
	{"net/ipv4/conf/eth0/arp_ignore", "1"},
	{"net/ipv4/conf/eth0/arp_filter", "1"},
}

// sysctl reads a sysctl in namespace ns.
func sysctl(t *testing.T, ns, path string) string {
	t.Helper()
	out, err := exec.Command("ip", "netns", "exec", ns, "cat", "/proc/sys/"+path).CombinedOutput()
	if err != nil {
		return "(" + strings.TrimSpace(string(out)) + ")"
	}
	return strings.TrimSpace(string(out))
}

// vmacLink describes the VMAC in namespace ns: its MAC, parent, link
// kind and macvlan mode; ok is false when there is none.
func vmacLink(t *testing.T, ns string) (mac, parent, kind, mode string, ok bool) {
	t.Helper()
	out, err := exec.Command("ip", "-n", ns, "-d", "-j", "link", "show", "dev", vmacName).Output()
	if err != nil {
		return "", "", "", "", false
	}
	var links []struct {
		Address  string `json:"address"`
		Link     string `json:"link"`
		LinkInfo struct {
			Kind string `json:"info_kind"`
			Data struct {
				Mode string `json:"mode"`
			} `json:"info_data"`
		} `json:"linkinfo"`
	}
	if err := json.Unmarshal(out, &links); err != nil || len(links) != 1 {
		t.Fatalf("ip -j link show %s: %v\n%s", vmacName, err, out)
	}
	k := links[0]
	return k.Address, k.Link, k.LinkInfo.Kind, k.LinkInfo.Data.Mode, true
}

// TestVMAC: seed 001 §3's pair with use_vmac. Each router makes the
// macvlan vrrp.51 (private mode, 00:00:5e:00:01:33, keepalived's
// sysctls); the master puts the VIP, label kept, on it; adverts and
// gratuitous ARPs leave with the virtual MAC (the adverts still from
// eth0's address), so the client's neighbour entry names the virtual
// MAC; on SIGTERM the backup takes over and the stopped router's macvlan
// goes. Run against Debian's keepalived too, where the expectations come
// from.
func TestVMAC(t *testing.T) {
	bothKinds(t, testVMAC)
}

func testVMAC(t *testing.T, k netlab.Kind) {
	l := newLab(t, 2)
	wire := l.Capture("arp or ip proto 112")
	const extra = "    use_vmac\n"
	m := l.Start(k, binary, 0, l.WriteConf("r1.conf", seedConf("MASTER", 100, extra)))
	m.MustLine("(VI_1) Entering MASTER STATE", time.Time{}, startupTimeout)
	b := l.Start(k, binary, 1, l.WriteConf("r2.conf", seedConf("BACKUP", 80, extra)))
	b.MustLine("(VI_1) Entering BACKUP STATE (init)", time.Time{}, startupTimeout)
	for _, d := range []*netlab.Daemon{m, b} {
		d.MustLine("(VI_1): Success creating VMAC interface "+vmacName, time.Time{}, time.Second)
	}
	l.Server(0, 8080)
	l.Server(1, 8080)
	// Past the backup's Master_Down_Interval: it hears the adverts sent
	// through the VMAC, or it would be master by now.
	time.Sleep(settle)
	if n := b.Count("Entering MASTER STATE"); n != 0 {
		t.Fatalf("backup became master beside a live master (adverts through the VMAC not heard):\n%s", b.LogText())
	}

	for i, ns := range l.Routers {
		mac, parent, kind, mode, ok := vmacLink(t, ns)
		if !ok {
			t.Fatalf("r%d has no %s", i+1, vmacName)
		}
		if mac != vmacAddr || parent != "eth0" || kind != "macvlan" || mode != "private" {
			t.Errorf("r%d: %s is %s %s mode %s on %s, want macvlan private %s on eth0", i+1, vmacName, kind, mac, mode, parent, vmacAddr)
		}
		for _, s := range vmacSysctls {
			if got := sysctl(t, ns, s.path); got != s.want {
				t.Errorf("r%d: %s = %s, want %s", i+1, s.path, got, s.want)
			}
		}
	}
	// keepalived 2.2.7 makes nftables rules with each VMAC, master or
	// not: the VMAC's IGMP reports leave through eth0.
	for i := range l.Routers {
		checkVMACRules(t, l, i)
	}
	if a, ok := l.vip(l.Routers[0], vip); !ok || a.Dev != vmacName || a.Label != "eth0:0" || a.PrefixLen != 24 {
		t.Errorf("master's VIP %+v (present %v), want %s/24 on %s label eth0:0", a, ok, vip, vmacName)
	}
	if hs := l.Holders(vip); len(hs) != 1 || hs[0] != 0 {
		t.Errorf("VIP held by %v, want r1 only", hs)
	}
	// Five (garp_master_repeat), and maybe some of the second batch
	// garp_master_delay (5 s) brings about the end of the settle time.
	if n := m.Count("Sending gratuitous ARP on " + vmacName + " for " + vip); n < 5 {
		t.Errorf("master logged %d gratuitous ARPs on %s, want at least 5", n, vmacName)
	}
	if wire != nil {
		time.Sleep(100 * time.Millisecond)
		if n := wire.Count(vmacAddr+" > 01:00:5e:00:00:12", "192.168.0.162 > 224.0.0.18: VRRPv2, Advertisement, vrid 51, prio 100"); n < 3 {
			t.Errorf("%d adverts from the virtual MAC with eth0's address:\n%s", n, wire.Text())
		}
		if n := wire.Count(vmacAddr+" > ff:ff:ff:ff:ff:ff, ethertype ARP", "who-has "+vip+" (ff:ff:ff:ff:ff:ff) tell "+vip); n < 5 {
			t.Errorf("%d gratuitous ARPs from the virtual MAC, want at least 5:\n%s", n, wire.Text())
		}
		if n := wire.Count(linkMAC(t, l.Routers[0], "eth0") + " > "); n != 0 {
			t.Errorf("%d VRRP/ARP frames from r1's own MAC, want all from the VMAC:\n%s", n, wire.Text())
		}
	}
	if got := l.dialUntil(vip+":8080", "r1", 2*time.Second); got != "r1" {
		t.Fatalf("client reached %q through the VIP, want r1", got)
	}
	// The client's ARP request for the VIP is answered by the VMAC alone
	// (arp_ignore 1 keeps eth0 quiet about an address it does not hold).
	if wire != nil {
		if n := waitCapture(wire, 1, "Reply "+vip+" is-at "+vmacAddr); n == 0 {
			t.Errorf("no ARP reply for the VIP from the VMAC:\n%s", wire.Text())
		}
		if n := wire.Count("Reply "+vip+" is-at ") - wire.Count("Reply "+vip+" is-at "+vmacAddr); n != 0 {
			t.Errorf("%d ARP replies for the VIP from another MAC:\n%s", n, wire.Text())
		}
	}

	// SIGTERM: priority 0, the backup takes over after its skew; the
	// stopped router's macvlan is removed.
	termAt := time.Now()
	m.Signal(syscall.SIGTERM)
	took := b.MustLine("(VI_1) Entering MASTER STATE", termAt, backupDown+2*time.Second)
	if gap := took.Sub(termAt); gap > backupSkew+tolerance {
		t.Errorf("takeover after %v, want about the skew %v", gap, backupSkew)
	}
	if code := m.Wait(5 * time.Second); code != 0 {
		t.Errorf("master exit %d", code)
	}
	m.MustLine("(VI_1) Success removing VMAC interface "+vmacName, termAt, time.Second)
	if _, _, _, _, ok := vmacLink(t, l.Routers[0]); ok {
		t.Errorf("r1's %s left after SIGTERM", vmacName)
	}
	if r := ruleset(t, l, 0); r != "" {
		t.Errorf("r1's nftables ruleset after SIGTERM:\n%s", r)
	}
	if a, ok := l.vip(l.Routers[1], vip); !ok || a.Dev != vmacName {
		t.Errorf("r2's VIP %+v (present %v), want on %s", a, ok, vmacName)
	}
	// The same virtual MAC now answers from r2: the client needs no new
	// neighbour entry, only the bridge learns the port from the GARPs.
	if got := l.dialUntil(vip+":8080", "r2", 3*time.Second); got != "r2" {
		t.Errorf("client reached %q through the VIP after the handover, want r2", got)
	}
	if k == netlab.Ours {
		// Beyond keepalived 2.2.7, which leaves them at 1: the parent's
		// ARP sysctls are put back once its last VMAC is gone.
		for _, p := range []string{"net/ipv4/conf/eth0/arp_ignore", "net/ipv4/conf/eth0/arp_filter"} {
			if got := sysctl(t, l.Routers[0], p); got != "0" {
				t.Errorf("r1: %s = %s after stop, want 0 (restored)", p, got)
			}
		}
	}
}

// vmacRules is the ruleset keepalived 2.2.7 keeps for vrrp.51 on eth0
// (accept mode: no drop rules), as `nft list ruleset` shows it.
const vmacRules = `table ip keepalived {
	map vmac_map {
		type iface_index : iface_index
		elements = { "vrrp.51" : "eth0" }
	}

	chain out {
		type filter hook output priority filter - 1; policy accept;
		ip protocol igmp meta oifkind "macvlan" dup to ip daddr device oif map @vmac_map drop
	}
}
`

func checkVMACRules(t *testing.T, l *lab, i int) {
	t.Helper()
	if _, err := exec.LookPath("nft"); err != nil {
		t.Logf("no nft command: ruleset not checked")
		return
	}
	if r := ruleset(t, l, i); r != vmacRules {
		t.Errorf("r%d's nftables ruleset\n%s\nwant\n%s", i+1, r, vmacRules)
	}
}
