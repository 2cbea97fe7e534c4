package vrrptest

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gokeepalived/gokeepalived/test/netlab"
)

// TestStrictMulticast: seed 001 §3.1 and §3.2 exactly as written:
// multicast, vrrp_strict, auth PASS, state MASTER on a priority 100 that
// is not the address owner. vrrp_strict changes what keepalived 2.2.7
// runs, and it says so at start (the same lines, observed with Debian's
// keepalived in a lab):
//   - "State MASTER must match being address owner": the MASTER starts
//     as a backup like any non-owner;
//   - "Strict mode does not support authentication. Ignoring.": adverts
//     go out with auth type 0 (RFC 5798 dropped authentication), which
//     both sides accept since both ignore it;
//   - strict implies no_accept (RFC 3768 §6.4.3 Accept_Mode false), for
//     which keepalived installs firewall rules ("... no firewall
//     configured - using nftables"): while master, an nftables table
//     "keepalived" whose input chain drops traffic to the VIP and whose
//     output chain drops traffic from it. A client's TCP connect to the
//     VIP gets no answer, while the router's own address answers. The
//     table appears on the first master only, stays (its set emptied)
//     when that router goes back to BACKUP, and is gone after SIGTERM;
//     its listing is keepalived's, compared at the end with Debian's
//     keepalived 2.2.7 master of the same file.
//
// Election, handover on SIGTERM and preemption back must work as without
// vrrp_strict.
func TestStrictMulticast(t *testing.T) {
	const inst = "(magedu-master-backup) "
	l := newLab(t, 2)
	needNft(t)
	l.Server(0, 8080)
	l.Server(1, 8080)
	wire := l.Capture("ip proto 112")
	m := l.start(0, l.WriteConf("r1.conf", topoSeed(t, "001_c0dd877eb076e720_3.1-master.conf")))
	mInit := m.MustLine(inst+"Entering BACKUP STATE (init)", time.Time{}, startupTimeout)
	mUp := m.MustLine(inst+"Entering MASTER STATE", time.Time{}, masterDown+startupTimeout)
	// A MASTER that is not the owner waits out its Master_Down_Interval.
	if d := mUp.Sub(mInit); d < masterDown-tolerance || d > masterDown+tolerance {
		t.Errorf("master after %v in BACKUP, want %v", d, masterDown)
	}
	b := l.start(1, l.WriteConf("r2.conf", topoSeed(t, "001_c0dd877eb076e720_3.2-backup.conf")))
	b.MustLine(inst+"Entering BACKUP STATE (init)", time.Time{}, startupTimeout)

	for _, c := range []struct {
		d         *netlab.Daemon
		want, not []string
	}{
		{m, []string{
			inst + "State MASTER must match being address owner",
			inst + "Strict mode does not support authentication. Ignoring.",
			"use_vmac or no_accept/strict specified, but no firewall configured - using nftables",
			inst + "removing firewall drop rule",
			inst + "setting firewall drop rule",
		}, []string{"not supported yet", "Deleting old"}},
		{b, []string{
			inst + "Strict mode does not support authentication. Ignoring.",
			inst + "removing firewall drop rule",
		}, []string{"State MASTER must match", "setting firewall drop rule", "not supported yet"}},
	} {
		for _, s := range c.want {
			if c.d.Count(s) == 0 {
				t.Errorf("%s log lacks %q", c.d.Name, s)
			}
		}
		for _, s := range c.not {
			if c.d.Count(s) != 0 {
				t.Errorf("%s log has %q", c.d.Name, s)
			}
		}
	}

	time.Sleep(backupDown + 500*time.Millisecond)
	checkHolder(t, l, 0)
	// The firewall: the master drops what goes to the VIP, the backup
	// never made a table.
	masterRules := ruleset(t, l, 0)
	if !strings.Contains(masterRules, "table ip keepalived") || !strings.Contains(masterRules, "elements = { 192.168.0.248 }") {
		t.Errorf("master's ruleset:\n%s", masterRules)
	}
	if r := ruleset(t, l, 1); r != "" {
		t.Errorf("backup's ruleset:\n%s", r)
	}
	checkDropped(t, l, 0)
	if b.Count("Entering MASTER STATE") != 0 || b.Count("invalid passwd") != 0 {
		t.Errorf("the backup refused or missed the master's adverts:\n%s", b.LogText())
	}
	if wire != nil {
		if n := wire.Count("192.168.0.162 > 224.0.0.18", "VRRPv2, Advertisement, vrid 254, prio 100, authtype none, intvl 1s"); n < 3 {
			t.Errorf("%d adverts without authentication from the master:\n%s", n, wire.Text())
		}
		if n := wire.Count("authtype simple"); n != 0 {
			t.Errorf("%d adverts carry the ignored password", n)
		}
	}

	termAt := time.Now()
	m.Signal(syscall.SIGTERM)
	took := b.MustLine(inst+"Entering MASTER STATE", termAt, backupDown+2*time.Second)
	t.Logf("strict: backup master %v after SIGTERM (Skew_Time %v)", took.Sub(termAt).Round(time.Millisecond), backupSkew)
	if took.Sub(termAt) > backupSkew+tolerance {
		t.Errorf("takeover after %v, want about the skew %v", took.Sub(termAt), backupSkew)
	}
	b.MustLine(inst+"Backup received priority 0 advertisement", termAt, time.Second)
	if code := m.Wait(5 * time.Second); code != 0 {
		t.Errorf("master exit %d", code)
	}
	m.MustLine(inst+"sent 0 priority", termAt, time.Second)
	checkHolder(t, l, 1)
	if r := ruleset(t, l, 0); r != "" {
		t.Errorf("ruleset after SIGTERM:\n%s", r)
	}
	if r := ruleset(t, l, 1); r != masterRules {
		t.Errorf("new master's ruleset\n%s\nwant the first master's\n%s", r, masterRules)
	}
	checkDropped(t, l, 1)

	// Strict mode keeps preemption: the priority 100 comes back and
	// takes the VIP after its Master_Down_Interval.
	restart := time.Now()
	m2 := l.start(0, l.WriteConf("r1.conf", topoSeed(t, "001_c0dd877eb076e720_3.1-master.conf")))
	initAt := m2.MustLine(inst+"Entering BACKUP STATE (init)", restart, startupTimeout)
	back := m2.MustLine(inst+"Entering MASTER STATE", restart, masterDown+startupTimeout)
	if d := back.Sub(initAt); d < masterDown-tolerance || d > masterDown+tolerance {
		t.Errorf("returning master preempted %v after start-up, want %v", d, masterDown)
	}
	b.MustLine(inst+"Entering BACKUP STATE", initAt, time.Second)
	time.Sleep(500 * time.Millisecond)
	checkHolder(t, l, 0)
	if r := ruleset(t, l, 0); r != masterRules {
		t.Errorf("returning master's ruleset\n%s\nwant\n%s", r, masterRules)
	}
	// keepalived 2.2.7 keeps the table of a master gone back to BACKUP,
	// its set emptied.
	if r := ruleset(t, l, 1); r != strings.Replace(masterRules, "\t\telements = { 192.168.0.248 }\n", "", 1) {
		t.Errorf("ruleset of the backup that was master:\n%s", r)
	}
	stopAt := time.Now()
	m2.Signal(syscall.SIGTERM)
	m2.Wait(5 * time.Second)
	b.MustLine(inst+"Entering MASTER STATE", stopAt, backupDown+2*time.Second)

	// Debian's keepalived 2.2.7 as the master of the same file: the
	// same ruleset, the VIP dropped the same way.
	if err := netlab.CheckReference(); err != nil {
		t.Logf("no comparison with keepalived: %v", err)
		return
	}
	b.Signal(syscall.SIGTERM)
	b.Wait(5 * time.Second)
	refAt := time.Now()
	ref := l.Start(netlab.Reference, netlab.ReferencePath, 0, l.WriteConf("r1.conf", topoSeed(t, "001_c0dd877eb076e720_3.1-master.conf")))
	ref.MustLine(inst+"Entering MASTER STATE", refAt, masterDown+startupTimeout)
	ref.MustLine(inst+"setting firewall drop rule", refAt, time.Second)
	time.Sleep(300 * time.Millisecond)
	if r := ruleset(t, l, 0); r != masterRules {
		t.Errorf("keepalived's ruleset\n%s\ndiffers from ours\n%s", r, masterRules)
	}
	checkDropped(t, l, 0)
	ref.Signal(syscall.SIGTERM)
	ref.Wait(5 * time.Second)
	if r := ruleset(t, l, 0); r != "" {
		t.Errorf("keepalived's ruleset after SIGTERM:\n%s", r)
	}
}

// needNft: the firewall checks need the nft command (package nftables).
func needNft(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("nft"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("no nft command (package nftables) under CI=true")
		}
		t.Skip("no nft command (package nftables)")
	}
}

// ruleset is router i's `nft list ruleset` (no handles).
func ruleset(t *testing.T, l *lab, i int) string {
	t.Helper()
	return run(t, "ip", "netns", "exec", l.Routers[i], "nft", "list", "ruleset")
}

// checkDropped: router i holds the VIP, but a client's connection to it
// gets no answer (the SYN is dropped), while the router's own address
// answers from the same server.
func checkDropped(t *testing.T, l *lab, i int) {
	t.Helper()
	if got := l.Dial(vip+":8080", time.Second); got != "" {
		t.Errorf("the VIP answered %q through the drop rule", got)
	}
	want := fmt.Sprintf("r%d", i+1)
	if got := l.Dial(netlab.RouterAddr(i)+":8080", time.Second); got != want {
		t.Errorf("router %d's own address answered %q, want %q", i, got, want)
	}
}
