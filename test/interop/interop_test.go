package interop

import (
	"fmt"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gokeepalived/gokeepalived/test/netlab"
)

const (
	// tolerance covers scheduling, process start-up and a loaded 2-core
	// CI box on top of the protocol's own bounds.
	tolerance      = 400 * time.Millisecond
	startupTimeout = 10 * time.Second
	port           = 8080
)

// role says which implementation runs the higher priority (r1, the
// master) and which the lower (r2, the backup).
type role struct {
	name           string
	master, backup netlab.Kind
}

var roles = []role{
	{"ours-master", netlab.Ours, netlab.Reference},
	{"keepalived-master", netlab.Reference, netlab.Ours},
}

// TestInterop runs, for every variant and both roles, one lab through
// the scenarios in turn: election (1), SIGTERM handover with priority 0
// (3), the master's return and preemption (4), a crash of the master (2)
// and, in some variants, the crashed router's return running the other
// implementation; the unicast variant is scenario 5.
func TestInterop(t *testing.T) {
	for _, v := range variants {
		t.Run(v.name, func(t *testing.T) {
			logs := transcripts{}
			for _, r := range roles {
				t.Run(r.name, func(t *testing.T) { scenarios(t, v, r, logs) })
			}
			logs.compare(t)
		})
	}
}

// transcripts are the distinct VRRP log lines of each router (0-based)
// by implementation, over the scenarios of both roles: the same events
// happen to r1 and r2 in either role, so ours and keepalived must have
// logged the same lines.
type transcripts map[int]map[netlab.Kind]map[string]bool

var (
	linkLocalRE = regexp.MustCompile(`fe80::[0-9a-f:]+`)
	positionRE  = regexp.MustCompile(`^\([^()]*: Line \d+\) `)
)

func (ts transcripts) add(i int, d *netlab.Daemon) {
	if ts[i] == nil {
		ts[i] = map[netlab.Kind]map[string]bool{}
	}
	if ts[i][d.Kind] == nil {
		ts[i][d.Kind] = map[string]bool{}
	}
	for _, line := range strings.Split(d.LogText(), "\n") {
		// "  15:04:05.000 text"
		_, text, ok := strings.Cut(strings.TrimSpace(line), " ")
		// Ours gives each configuration diagnostic its position
		// (README: deliberate differences); keepalived's VRRP process
		// logs some without.
		text = positionRE.ReplaceAllString(text, "")
		if !ok || !vrrpLine(text) {
			continue
		}
		// Link-local addresses come from each lab's random MACs.
		ts[i][d.Kind][linkLocalRE.ReplaceAllString(text, "fe80::X")] = true
	}
}

// vrrpLine: the instance's lines and its announcements, not the
// start-up chatter in which the two differ by design (version, command
// line, keepalived's child processes and netlink channels).
func vrrpLine(s string) bool {
	return strings.HasPrefix(s, "(VI_1) ") || strings.HasPrefix(s, "Sending gratuitous ARP") ||
		strings.HasPrefix(s, "Sending unsolicited Neighbour Advert")
}

func (ts transcripts) compare(t *testing.T) {
	t.Helper()
	for i := range 2 {
		ours, ref := ts[i][netlab.Ours], ts[i][netlab.Reference]
		if ours == nil || ref == nil {
			continue // a role did not get far
		}
		for l := range ref {
			if !ours[l] && !racy(l) {
				t.Errorf("r%d: keepalived logged %q, ours never did", i+1, l)
			}
		}
		for l := range ours {
			if !ref[l] && !racy(l) {
				t.Errorf("r%d: ours logged %q, keepalived never did", i+1, l)
			}
		}
	}
}

// racy lines depend on packet timing, not on the implementation: a
// preempting master logs "lower priority ..., forcing new election" only
// if the old master's last advert crosses its first one on the wire
// (seen from keepalived and from ours, depending on the load).
func racy(line string) bool {
	return strings.Contains(line, "with lower priority") && strings.HasSuffix(line, "forcing new election")
}

// pair is a lab with the two daemons and what was learnt on the way.
type pair struct {
	t    *testing.T
	l    *netlab.Lab
	v    variant
	r    role
	m, b *netlab.Daemon // r1 (priority 100) and r2 (priority 80)
}

// start runs router i's daemon: r1 "state MASTER" priority 100 of the
// role's master kind, r2 "state BACKUP" priority 80 of the other.
func (p *pair) start(i int) *netlab.Daemon {
	p.t.Helper()
	kind, state, prio := p.r.master, "MASTER", prioHigh
	if i == 1 {
		kind, state, prio = p.r.backup, "BACKUP", prioLow
	}
	conf := p.l.WriteConf(fmt.Sprintf("r%d.conf", i+1), p.v.conf(i, state, prio))
	return p.l.Start(kind, binary, i, conf)
}

func scenarios(t *testing.T, v variant, r role, logs transcripts) {
	requireReference(t)
	l := netlab.New(t, 2)
	p := &pair{t: t, l: l, v: v, r: r}
	wire := startCapture(t, l, "ip proto 112 or ip6 proto 112")
	l.Server(0, port)
	l.Server(1, port)

	p.election()
	p.termHandover()
	first := p.m
	p.preempt()
	p.crash()
	if !t.Failed() {
		logs.add(0, first) // until SIGTERM
		logs.add(0, p.m)   // from its return to the crash
		logs.add(1, p.b)
	}
	if v.replace {
		p.replace()
	}

	for _, d := range []*netlab.Daemon{p.m, p.b} {
		noComplaints(t, d)
	}
	p.wireChecks(wire)
}

// election: scenario 1. r1 starts first and becomes master (keepalived
// 2.2.7 starts every instance below priority 255 in BACKUP, "state
// MASTER" or not, and so do we); r2 then stays BACKUP for longer than its
// Master_Down_Interval, and only r1 holds the VIP.
func (p *pair) election() {
	t, v := p.t, p.v
	p.m = p.start(0)
	p.m.MustLine("(VI_1) Entering MASTER STATE", time.Time{}, v.down(prioHigh)+startupTimeout)
	p.b = p.start(1)
	p.b.MustLine("(VI_1) Entering BACKUP STATE (init)", time.Time{}, startupTimeout)
	// Had r2 not accepted r1's adverts it would be master by now.
	time.Sleep(v.down(prioLow) + tolerance)
	if n := p.b.Count("Entering MASTER STATE"); n != 0 {
		t.Fatalf("%s (backup) became master beside %s:\n%s", p.b.Name, p.m.Name, p.b.LogText())
	}
	p.holders(0)
	p.dial("r1")
}

// termHandover: scenario 3. SIGTERM makes the master send priority 0
// (RFC 5798 §6.4.3 "Shutdown"); the backup then waits only its Skew_Time
// (§6.4.2) before taking over. Both implementations log the same lines.
func (p *pair) termHandover() {
	t, v := p.t, p.v
	// A few adverts, so that the backup's interval is the master's.
	time.Sleep(2 * v.advert)
	termAt := time.Now()
	p.m.Signal(syscall.SIGTERM)
	took := p.b.MustLine("(VI_1) Entering MASTER STATE", termAt, v.down(prioLow)+2*time.Second)
	gap := took.Sub(termAt)
	t.Logf("SIGTERM handover %s → %s: %v (Skew_Time %v)", p.m.Name, p.b.Name, gap.Round(time.Millisecond), v.skew(prioLow))
	if gap > v.skew(prioLow)+tolerance {
		t.Errorf("takeover %v after SIGTERM, want within Skew_Time %v + %v", gap, v.skew(prioLow), tolerance)
	}
	if code := p.m.Wait(5 * time.Second); code != 0 {
		t.Errorf("%s exit %d after SIGTERM, want 0", p.m.Name, code)
	}
	p.m.MustLine("(VI_1) sent 0 priority", termAt, time.Second)
	p.b.MustLine("(VI_1) Backup received priority 0 advertisement", termAt, time.Second)
	p.holders(1)
	p.dial("r2")
}

// preempt: scenario 4. r1 comes back; it starts in BACKUP, discards r2's
// lower-priority adverts (preemption is the default) so its
// Master_Down_Interval runs out, and takes the VIP back; r2 steps down on
// r1's first advert.
func (p *pair) preempt() {
	t, v := p.t, p.v
	old := p.m
	restart := time.Now()
	p.m = p.start(0)
	init := p.m.MustLine("(VI_1) Entering BACKUP STATE (init)", restart, startupTimeout)
	p.m.MustLine(fmt.Sprintf("(VI_1) received lower priority (%d) advert from", prioLow), restart, v.down(prioHigh)+tolerance)
	back := p.m.MustLine("(VI_1) Entering MASTER STATE", restart, v.down(prioHigh)+startupTimeout)
	gap := back.Sub(init)
	t.Logf("%s preempted %v after it started as backup (Master_Down_Interval %v)", p.m.Name, gap.Round(time.Millisecond), v.down(prioHigh))
	if gap < v.down(prioHigh)-tolerance || gap > v.down(prioHigh)+tolerance {
		t.Errorf("preemption %v after start, want Master_Down_Interval %v ± %v", gap, v.down(prioHigh), tolerance)
	}
	p.b.MustLine(fmt.Sprintf("with higher priority %d, ours %d", prioHigh, prioLow), restart, v.down(prioHigh)+startupTimeout)
	// Read from another process's console, r2's line may come a little
	// before r1's.
	stepped := p.b.MustLine("(VI_1) Entering BACKUP STATE", restart, time.Second)
	if d := stepped.Sub(back); d > v.advert+tolerance || d < -tolerance {
		t.Errorf("%s stepped down %v after %s became master, want within one advert %v", p.b.Name, d, p.m.Name, v.advert)
	}
	noComplaints(t, old)
	time.Sleep(v.advert) // the GARPs / NAs of the new master
	p.holders(0)
	p.dial("r1")
}

// crash: scenario 2. The master dies without a word (SIGKILL to every
// process, keepalived's VRRP child too) and its cable is cut; the backup
// takes over one Master_Down_Interval after the last advert it heard,
// and the client's connections to the VIP reach it.
func (p *pair) crash() {
	t, v := p.t, p.v
	time.Sleep(2 * v.advert)
	crashAt := time.Now()
	p.m.Crash()
	p.l.Cut(0)
	took := p.b.MustLine("(VI_1) Entering MASTER STATE", crashAt, v.down(prioLow)+3*time.Second)
	gap := took.Sub(crashAt)
	t.Logf("crash failover %s → %s: %v (Master_Down_Interval %v)", p.m.Name, p.b.Name, gap.Round(time.Millisecond), v.down(prioLow))
	// The last advert left at most one interval before the kill.
	if lo, hi := v.down(prioLow)-v.advert-tolerance, v.down(prioLow)+tolerance; gap < lo || gap > hi {
		t.Errorf("takeover %v after the crash, want within [%v, %v]", gap, lo, hi)
	}
	if p.b.CountSince("priority 0", crashAt) != 0 {
		t.Errorf("%s saw a priority 0 advert from a killed master", p.b.Name)
	}
	if hs := p.l.Holders(v.vip); len(hs) != 1 || hs[0] != 1 {
		// r1 (cut off) may still hold it: a killed keepalived leaves its
		// VIPs behind. r2 must have it.
		if _, ok := p.l.Has(p.l.Routers[1], v.vip); !ok {
			t.Errorf("%s has no %s after taking over", p.b.Name, v.vip)
		}
	}
	p.dial("r2")
}

// replace: the crashed router comes back running the other
// implementation, with the killed daemon's VIP still on its eth0 — the
// operator's drop-in replacement of keepalived by ours, or the way back.
// Both clear the instance's addresses at start (keepalived 2.2.7's
// start-up clean-up), so the returning backup does not hold the VIP
// beside the master; then it preempts.
func (p *pair) replace() {
	t, v := p.t, p.v
	if _, ok := p.l.Has(p.l.Routers[0], v.vip); !ok {
		t.Fatalf("the killed %s left no %s: the step lost its point", p.m.Name, v.vip)
	}
	// keepalived's killed VRRP child is reaped by PID 1, which may take
	// a moment: until then its pid file names a live process and any
	// keepalived, ours too, refuses to start ("daemon is already
	// running").
	gone(t, p.m, 10*time.Second)
	p.l.Mend(0)
	p.r.master = p.r.backup
	events := addrEvents(t, p.l.Routers[0])
	restart := time.Now()
	p.m = p.start(0)
	cleared := p.m.MustLine("(VI_1) removing VIPs.", restart, startupTimeout)
	init := p.m.MustLine("(VI_1) Entering BACKUP STATE (init)", restart, startupTimeout)
	if init.Before(cleared) {
		t.Errorf("%s: the VIPs were removed after the init state", p.m.Name)
	}
	p.m.MustLine("(VI_1) Entering MASTER STATE", restart, v.down(prioHigh)+startupTimeout)
	p.b.MustLine("(VI_1) Entering BACKUP STATE", restart, time.Second+v.down(prioHigh)+startupTimeout)
	time.Sleep(v.advert)
	// The kernel's order of events on r1: the left-over VIP went (at
	// start, as a backup), then came back (as master) — never held by a
	// backup beside the master.
	var seen []string
	for _, e := range events.lines() {
		if strings.Contains(e, " "+v.vip+"/") {
			seen = append(seen, strings.Fields(e)[0])
		}
	}
	if len(seen) != 2 || seen[0] != "Deleted" || seen[1] == "Deleted" {
		t.Errorf("%s on r1: events %q, want a deletion then an addition:\n%s", v.vip, seen, events.text())
	}
	p.holders(0)
	p.dial("r1")
}

// gone waits until no process of d's pid files is alive.
func gone(t *testing.T, d *netlab.Daemon, timeout time.Duration) {
	t.Helper()
	start := time.Now()
	for {
		alive := 0
		for _, pid := range d.Pids() {
			if syscall.Kill(pid, 0) == nil {
				alive++
			}
		}
		if alive == 0 {
			if w := time.Since(start); w > 100*time.Millisecond {
				t.Logf("%s's processes went %v after the crash", d.Name, w.Round(time.Millisecond))
			}
			return
		}
		if time.Since(start) > timeout {
			t.Fatalf("%s: %d processes still alive %v after SIGKILL", d.Name, alive, timeout)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// holders asserts that router want alone (0-based) holds the VIP.
func (p *pair) holders(want int) {
	p.t.Helper()
	hs := p.l.Holders(p.v.vip)
	if len(hs) != 1 || hs[0] != want {
		p.t.Errorf("%s held by routers %v (0-based), want only %d:\n%+v\n%+v", p.v.vip, hs, want,
			p.l.Addrs(p.l.Routers[0]), p.l.Addrs(p.l.Routers[1]))
	}
	if want >= 0 && !p.v.ipv6 {
		if a, ok := p.l.Has(p.l.Routers[want], p.v.vip); ok && (a.Label != "eth0:0" || a.PrefixLen != 24) {
			p.t.Errorf("VIP %+v, want %s/24 label eth0:0", a, p.v.vip)
		}
	}
}

// dial connects to the VIP from the client until router want answers:
// the master's gratuitous ARPs / unsolicited NAs moved the client's
// neighbour entry.
func (p *pair) dial(want string) {
	p.t.Helper()
	deadline := time.Now().Add(3 * time.Second)
	got := ""
	for time.Now().Before(deadline) {
		if got = p.l.Dial(p.v.dialAddr(port), 500*time.Millisecond); got == want {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	p.t.Errorf("client reached %q through %s, want %s", got, p.v.dialAddr(port), want)
}

// complaints are what either implementation logs when it drops or
// distrusts the other's advert: none may appear between the two.
var complaints = []string{
	"invalid", "Invalid", "checksum", "mismatch", "not present", "wrong",
	"bad ", "Bad ", "ttl", "TTL", "interval", "error", "Error", "unknown",
	"Discarding", "ignoring",
}

func noComplaints(t *testing.T, d *netlab.Daemon) {
	t.Helper()
	for _, c := range complaints {
		if d.Count(c) != 0 {
			t.Errorf("%s logged %q:\n%s", d.Name, c, d.LogText())
			return
		}
	}
}

var (
	prioRE = regexp.MustCompile(`prio (\d+)`)
	// What each sender numbers or hashes on its own: the IPv4 ID and the
	// IPv6 flow label (the kernel's, per socket).
	idRE   = regexp.MustCompile(`, id \d+,`)
	flowRE = regexp.MustCompile(`, flowlabel 0x[0-9a-f]+,`)
	// tcpdump -e -vv: time, source MAC > destination MAC, link and IP
	// header, source > destination: the VRRP part.
	frameRE = regexp.MustCompile(`^\S+ \S+ > (\S+), (.*\)) (\S+) > (\S+): (VRRP.*)$`)
)

// wireAdvert is one advert as tcpdump printed it.
type wireAdvert struct {
	dstMAC, src, dst string
	// shape is the rest, with what differs between any two senders (the
	// priority, the IP ID, the flow label) blanked.
	shape string
}

func parseWire(line string) (wireAdvert, bool) {
	f := frameRE.FindStringSubmatch(line)
	if f == nil {
		return wireAdvert{}, false
	}
	hdr := flowRE.ReplaceAllString(idRE.ReplaceAllString(f[2], ", id _,"), ", flowlabel _,")
	return wireAdvert{dstMAC: f[1], src: f[3], dst: f[4],
		shape: hdr + " SRC > DST: " + prioRE.ReplaceAllString(f[5], "prio _")}, true
}

// wireChecks: on the segment both implementations' adverts are the same
// to tcpdump -vv (link and IP header, TTL / hop limit, TOS / class, VRRP
// version, type, VRID, auth, interval, lengths, addresses, and for VRRPv2
// tcpdump's checksum verdict), each from its router's own address (for
// IPv6 its link-local one, RFC 5798 §5.1.2.1) to the group or the unicast
// peer; the stopped master's priority 0 advert too.
func (p *pair) wireChecks(c *watch) {
	t, v := p.t, p.v
	if c == nil {
		return
	}
	time.Sleep(100 * time.Millisecond) // tcpdump's last lines
	// r1 sends priority 100 (and 0 when stopping), r2 priority 80.
	senders := map[string]int{"100": 0, "0": 0, "80": 1}
	seen := map[string]int{}
	for _, line := range c.lines() {
		a, ok := parseWire(line)
		if !ok {
			continue
		}
		prio := prioRE.FindStringSubmatch(line)[1]
		i, ok := senders[prio]
		if !ok {
			t.Errorf("advert with an unexpected priority: %s", line)
			continue
		}
		seen[prio]++
		if a.shape != v.wire {
			t.Errorf("advert of r%d differs from the expected\n got  %s\n want %s", i+1, a.shape, v.wire)
		}
		switch {
		case v.ipv6 && !strings.HasPrefix(a.src, "fe80::"):
			t.Errorf("IPv6 advert of r%d from %s, want its link-local address", i+1, a.src)
		case !v.ipv6 && a.src != v.addr(i):
			t.Errorf("advert of r%d from %s, want %s", i+1, a.src, v.addr(i))
		}
		wantDst, wantMAC := v.group(), v.groupMAC()
		if v.unicast {
			wantDst, wantMAC = v.addr(1-i), a.dstMAC
		}
		if a.dst != wantDst || a.dstMAC != wantMAC {
			t.Errorf("advert of r%d to %s (%s), want %s (%s)", i+1, a.dst, a.dstMAC, wantDst, wantMAC)
		}
	}
	// Each of the two sent as master, and r1 its priority 0 when stopped.
	for prio := range senders {
		if seen[prio] == 0 {
			t.Errorf("no advert with priority %s on the wire:\n%s", prio, c.text())
		}
	}
	t.Logf("adverts on the wire (priority: count): %v", seen)
}
