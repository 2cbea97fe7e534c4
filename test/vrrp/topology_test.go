package vrrptest

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gokeepalived/gokeepalived/test/netlab"
)

// seedDir holds the seed notes' configurations, byte for byte
// (test/testdata/seeds/INDEX says where each comes from).
const seedDir = "../testdata/seeds"

// topoSeed reads a seed configuration (a path under seedDir).
func topoSeed(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(seedDir, name))
	if err != nil {
		t.Fatalf("seed: %v", err)
	}
	return string(b)
}

// topoDown is the Master_Down_Interval of a VRRPv2 backup of priority
// prio with advert_int 1 s (RFC 3768 §6.1: 3 × Advertisement_Interval +
// (256 - Priority)/256 s).
func topoDown(prio int) time.Duration {
	return 3*advertInt + time.Duration(256-prio)*time.Second/256
}

// topoHolds asserts that, among the routers in live (0-based), exactly
// holder has each of ips, with the label of the same index in labels
// when labels is not nil. Routers not in live (crashed, cable cut) are
// not looked at: a SIGKILLed keepalived leaves its addresses behind.
func topoHolds(t *testing.T, l *lab, live []int, holder int, ips, labels []string) {
	t.Helper()
	for _, i := range live {
		for k, ip := range ips {
			a, ok := l.vip(l.Routers[i], ip)
			switch {
			case i == holder && !ok:
				t.Errorf("r%d (master) lacks %s: %+v", i+1, ip, l.addrs(l.Routers[i]))
			case i == holder && labels != nil && a.Label != labels[k]:
				t.Errorf("r%d: %s has label %q, want %q", i+1, ip, a.Label, labels[k])
			case i != holder && ok:
				t.Errorf("r%d is a backup but holds %s", i+1, ip)
			}
		}
	}
}

// topoReach asserts that the client's connections to each of ips reach
// router want (0-based) within a few seconds: the gratuitous ARPs moved
// the client's neighbour entries.
func topoReach(t *testing.T, l *lab, ips []string, want int) {
	t.Helper()
	name := fmt.Sprintf("r%d", want+1)
	for _, ip := range ips {
		deadline := time.Now().Add(3 * time.Second)
		got := ""
		for time.Now().Before(deadline) {
			if got = l.Dial(ip+":8080", 500*time.Millisecond); got == name {
				break
			}
		}
		if got != name {
			t.Errorf("client reached %q through %s, want %s", got, ip, name)
		}
	}
}

// topoUnicast004 is seed 004's unicast node (VRID 6, auth PASS
// 571f97b2, advert_int 1, no vrrp_skip_check_adv_addr), on the lab's
// addresses, for three nodes each listing both others as the seed's
// master does. The seed's backup carries another VIP than its master
// (10.42.79.20 against .10), which would make each refuse the other's
// adverts; the nodes here share one, as the seed's comment on it
// ("the IP that floats over here") means.
func topoUnicast004(self int, state string, prio int) string {
	var peers []string
	for i := range 3 {
		if i != self {
			peers = append(peers, "      "+netlab.RouterAddr(i))
		}
	}
	return fmt.Sprintf(`  ! Configuration File for keepalived
    global_defs {
        notification_email {
            root@localhost
        }
        notification_email_from keepalived@localhost
        smtp_server 127.0.0.1
        smtp_connect_timeout 30
        router_id km12-0%d
    }

vrrp_instance VI_1 {
    state %s
    interface eth0
    virtual_router_id 6
    priority %d
    advert_int 1
    authentication {
        auth_type PASS
        auth_pass 571f97b2
    }
    unicast_src_ip %s
    unicast_peer {
%s
    }
    virtual_ipaddress {
        192.168.0.79/24
    }
}
`, self+1, state, prio, netlab.RouterAddr(self), strings.Join(peers, "\n"))
}

// TestUnicastThreeNodes: seed 004's unicast cluster with a third node
// (priorities 100, 80, 60). Only the master advertises, once to each
// peer and never to the multicast group, with the password; on SIGTERM
// its priority 0 reaches both backups, and the higher one, whose
// Skew_Time is the shorter, takes over while the lower one stays backup.
func TestUnicastThreeNodes(t *testing.T) {
	const vip004 = "192.168.0.79"
	l := newLab(t, 3)
	wire := l.Capture("ip proto 112")
	m := l.start(0, l.WriteConf("r1.conf", topoUnicast004(0, "MASTER", 100)))
	m.MustLine("(VI_1) Entering MASTER STATE", time.Time{}, startupTimeout)
	b1 := l.start(1, l.WriteConf("r2.conf", topoUnicast004(1, "BACKUP", 80)))
	b2 := l.start(2, l.WriteConf("r3.conf", topoUnicast004(2, "BACKUP", 60)))
	b1.MustLine("(VI_1) Entering BACKUP STATE (init)", time.Time{}, startupTimeout)
	b2.MustLine("(VI_1) Entering BACKUP STATE (init)", time.Time{}, startupTimeout)
	heard := time.Now()
	time.Sleep(topoDown(60) + time.Second)
	all := []int{0, 1, 2}
	topoHolds(t, l, all, 0, []string{vip004}, nil)
	for _, d := range []*netlab.Daemon{b1, b2} {
		if d.Count("Entering MASTER STATE") != 0 {
			t.Errorf("%s became master beside a live master:\n%s", d.Name, d.LogText())
		}
	}
	if wire != nil {
		// One advert a second to each peer while both backups listened.
		secs := int(time.Since(heard) / time.Second)
		for _, peer := range []string{netlab.RouterAddr(1), netlab.RouterAddr(2)} {
			n := wire.Count(netlab.RouterAddr(0) + " > " + peer + ": VRRPv2, Advertisement, vrid 6, prio 100, authtype simple, intvl 1s")
			if n < secs-1 {
				t.Errorf("%d adverts from the master to %s in %ds", n, peer, secs)
			}
		}
		if n := wire.Count("> 224.0.0.18"); n != 0 {
			t.Errorf("%d multicast adverts in a unicast cluster:\n%s", n, wire.Text())
		}
		for _, b := range []string{netlab.RouterAddr(1), netlab.RouterAddr(2)} {
			if n := wire.Count(b + " > "); n != 0 {
				t.Errorf("backup %s sent %d adverts", b, n)
			}
		}
	}

	termAt := time.Now()
	m.Signal(syscall.SIGTERM)
	took := b1.MustLine("(VI_1) Entering MASTER STATE", termAt, topoDown(80)+2*time.Second)
	skew80 := time.Duration(256-80) * time.Second / 256
	t.Logf("r2 master %v after SIGTERM (its Skew_Time %v; r3's %v)", took.Sub(termAt).Round(time.Millisecond), skew80, time.Duration(256-60)*time.Second/256)
	if took.Sub(termAt) > skew80+tolerance {
		t.Errorf("r2 took over %v after SIGTERM, want about %v", took.Sub(termAt), skew80)
	}
	b2.MustLine("(VI_1) Backup received priority 0 advertisement", termAt, time.Second)
	if code := m.Wait(5 * time.Second); code != 0 {
		t.Errorf("master exit %d", code)
	}
	time.Sleep(topoDown(60) - skew80 + tolerance) // r3 would have timed out by now
	// r3's Skew_Time is only 78 ms longer than r2's: on a loaded machine
	// it may win the race to MASTER for an instant, and then yield to
	// r2's higher priority. The end state is what RFC 3768 promises.
	if n := b2.Count("Entering MASTER STATE"); n != 0 {
		t.Logf("r3 was master for a moment after the handover:\n%s", b2.LogText())
	}
	topoHolds(t, l, []int{1, 2}, 1, []string{vip004}, nil)
	if wire != nil {
		if n := wire.Count(netlab.RouterAddr(1) + " > " + netlab.RouterAddr(2) + ": VRRPv2, Advertisement, vrid 6, prio 80"); n == 0 {
			t.Errorf("the new master sends no adverts to r3:\n%s", wire.Text())
		}
	}
}

// The VIPs of seed 001 §5.1 (one instance, VRID 254, three addresses,
// each with its label).
var (
	topoVIPs51   = []string{"192.168.0.247", "192.168.0.248", "192.168.0.249"}
	topoLabels51 = []string{"eth0:0", "eth0:1", "eth0:2"}
)

// TestOneMasterTwoBackups: seed 001 §5.1 exactly as written (unicast,
// each node listing both others; priorities 100, 80, 60; three VIPs with
// labels). The master holds all three VIPs and the backups none; when the
// master dies (SIGKILL: no priority 0) the priority 80 takes all three
// one Master_Down_Interval after the last advert, and when that one dies
// too, the priority 60 takes them. Each time the client reaches the new
// master through every VIP.
func TestOneMasterTwoBackups(t *testing.T) {
	l := newLab(t, 3)
	files := []string{
		"001_c0dd877eb076e720_5.1-162-master.conf",
		"001_c0dd877eb076e720_5.1-163-backup.conf",
		"001_c0dd877eb076e720_5.1-164-backup.conf",
	}
	const inst = "(magedu-master-backup) "
	var ds []*netlab.Daemon
	for i, f := range files {
		d := l.start(i, l.WriteConf(fmt.Sprintf("r%d.conf", i+1), topoSeed(t, f)))
		if i == 0 {
			d.MustLine(inst+"Entering MASTER STATE", time.Time{}, startupTimeout)
		} else {
			d.MustLine(inst+"Entering BACKUP STATE (init)", time.Time{}, startupTimeout)
		}
		ds = append(ds, d)
		l.Server(i, 8080)
	}
	time.Sleep(topoDown(60) + 500*time.Millisecond)
	topoHolds(t, l, []int{0, 1, 2}, 0, topoVIPs51, topoLabels51)
	topoReach(t, l, topoVIPs51, 0)

	// Each crash: kill the master, cut its cable (its VIPs stay
	// configured, as a crashed keepalived's do), and the highest
	// remaining priority takes over.
	for _, step := range []struct {
		dead, next, prio int
		left             []int
	}{
		{dead: 0, next: 1, prio: 80, left: []int{1, 2}},
		{dead: 1, next: 2, prio: 60, left: []int{2}},
	} {
		killed := time.Now()
		ds[step.dead].Crash()
		l.Cut(step.dead)
		down := topoDown(step.prio)
		took := ds[step.next].MustLine(inst+"Entering MASTER STATE", killed, down+3*time.Second)
		gap := took.Sub(killed)
		t.Logf("r%d (priority %d) master %v after r%d's crash (Master_Down_Interval %v)", step.next+1, step.prio, gap.Round(time.Millisecond), step.dead+1, down)
		// The last advert came at most one interval before the kill.
		if gap > down+tolerance || gap < down-advertInt-tolerance {
			t.Errorf("takeover after %v, want within (%v, %v]", gap, down-advertInt, down+tolerance)
		}
		if step.next == 1 && ds[2].CountSince("Entering MASTER STATE", killed) != 0 {
			// 78 ms apart in Skew_Time: see TestUnicastThreeNodes.
			t.Logf("r3 was master for a moment after r1's crash")
		}
		time.Sleep(500 * time.Millisecond)
		topoHolds(t, l, step.left, step.next, topoVIPs51, topoLabels51)
		topoReach(t, l, topoVIPs51, step.next)
	}
	if n := ds[2].Count("Sending gratuitous ARP on eth0 for 192.168.0.249"); n < 5 {
		t.Errorf("r3 logged %d gratuitous ARPs for the third VIP, want the 5 of garp_master_repeat", n)
	}
}

// topoOverlay is seed 001 §5.2's /etc overlay of one node
// (testdata/seeds/etc/001-nodeNNN/keepalived/conf.d).
func topoOverlay(node string) string {
	return filepath.Join("etc", "001-node"+node, "keepalived", "conf.d")
}

// TestMultiMasterInclude: seed 001 §5.2. Each node's keepalived.conf is
// §5.1's with "include /etc/keepalived/conf.d/*.conf" appended, and each
// conf.d holds three instances, each node master of one of them (VRIDs
// 253 on 162 besides §5.1's 254, 252 on 163, 251 on 164). The files are
// the seed's; two things change for the lab: the include names the
// node's own conf.d, relative to the main file as keepalived resolves
// it, and 192.168.0.10, a VIP of the seed's VRID 251 but the lab
// client's address, becomes 192.168.0.12. Each node must hold exactly
// the VIPs of the instances it is master of; when 163 dies its instance
// goes to the next priority, 162 (80 against 164's 60).
func TestMultiMasterInclude(t *testing.T) {
	l := newLab(t, 3)
	type inst struct {
		name   string
		ips    []string
		master int // 0-based router
	}
	insts := []inst{
		{"magedu-master-backup", topoVIPs51, 0},
		{"magedu-84", []string{"192.168.0.3", "192.168.0.4", "192.168.0.5"}, 0},
		{"magedu-8", []string{"192.168.0.6", "192.168.0.7", "192.168.0.8"}, 1},
		{"magedu-11", []string{"192.168.0.9", "192.168.0.12", "192.168.0.11"}, 2},
	}
	lab10 := func(s string) string {
		return strings.ReplaceAll(s, netlab.ClientAddr+"/24", "192.168.0.12/24")
	}
	var ds []*netlab.Daemon
	for i, node := range []string{"162", "163", "164"} {
		dir := fmt.Sprintf("r%d", i+1)
		main := topoSeed(t, "001_c0dd877eb076e720_5.2-node"+node+".conf")
		const include = "include /etc/keepalived/conf.d/*.conf"
		if !strings.Contains(main, include) {
			t.Fatalf("seed 5.2-node%s has no %q", node, include)
		}
		main = strings.Replace(main, include, "include conf.d/*.conf", 1)
		ents, err := os.ReadDir(filepath.Join(seedDir, topoOverlay(node)))
		if err != nil || len(ents) != 3 {
			t.Fatalf("conf.d of node %s: %v (%d files)", node, err, len(ents))
		}
		for _, e := range ents {
			l.WriteConf(filepath.Join(dir, "conf.d", e.Name()), lab10(topoSeed(t, filepath.Join(topoOverlay(node), e.Name()))))
		}
		ds = append(ds, l.start(i, l.WriteConf(filepath.Join(dir, "keepalived.conf"), main)))
		l.Server(i, 8080)
	}
	// Started together, every instance starts in BACKUP and the highest
	// priority's timer runs out first.
	for _, in := range insts {
		ds[in.master].MustLine("("+in.name+") Entering MASTER STATE", time.Time{}, topoDown(100)+startupTimeout)
	}
	time.Sleep(topoDown(60) + 500*time.Millisecond)
	var ips []string
	for _, in := range insts {
		ips = append(ips, in.ips...)
	}
	// Exactly: a VIP of nobody's instance, or one too many, fails.
	check := func(live []int, masterOf func(inst) int) {
		t.Helper()
		for _, i := range live {
			var want, got []string
			for _, in := range insts {
				if masterOf(in) == i {
					want = append(want, in.ips...)
				}
			}
			for _, ip := range ips {
				if _, ok := l.vip(l.Routers[i], ip); ok {
					got = append(got, ip)
				}
			}
			slices.Sort(want)
			slices.Sort(got)
			if !slices.Equal(got, want) {
				t.Errorf("r%d holds %v, want %v", i+1, got, want)
			}
		}
		for _, in := range insts {
			topoReach(t, l, in.ips[:1], masterOf(in))
		}
	}
	check([]int{0, 1, 2}, func(in inst) int { return in.master })

	killed := time.Now()
	ds[1].Crash()
	l.Cut(1)
	took := ds[0].MustLine("(magedu-8) Entering MASTER STATE", killed, topoDown(80)+3*time.Second)
	gap := took.Sub(killed)
	t.Logf("r1 master of magedu-8 %v after r2's crash (Master_Down_Interval %v)", gap.Round(time.Millisecond), topoDown(80))
	if gap > topoDown(80)+tolerance || gap < topoDown(80)-advertInt-tolerance {
		t.Errorf("takeover after %v, want within (%v, %v]", gap, topoDown(80)-advertInt, topoDown(80)+tolerance)
	}
	time.Sleep(500 * time.Millisecond)
	check([]int{0, 2}, func(in inst) int {
		if in.master == 1 {
			return 0
		}
		return in.master
	})
	// The other instances did not move: r1 and r3 stayed masters of
	// theirs all along.
	for _, d := range []*netlab.Daemon{ds[0], ds[2]} {
		if n := d.CountSince("Entering BACKUP STATE", killed); n != 0 {
			t.Errorf("%s left MASTER after r2's crash:\n%s", d.Name, d.LogText())
		}
	}
}
