package trackingtest

import (
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gokeepalived/gokeepalived/test/netlab"
)

// reloadConf: the master of a pair tracks a vrrp_script that always
// fails (weight w, run every 5 s) and a track_file of weight -5, with a
// notify script, a notify_fifo and vrrp_notify_priority_changes.
func reloadConf(chk, file, notify, fifo string, w int) string {
	return globalDefs(fmt.Sprintf("   notify_fifo %s\n   vrrp_notify_priority_changes\n", fifo)) + fmt.Sprintf(`
vrrp_script chk {
    script "%s"
    interval 5
    weight %d
}

track_file tf {
    file %s
    weight -5
}

`, chk, w, file) + instance("VI_1", "MASTER", 0, 51, 100, vip, fmt.Sprintf(`    track_script {
        chk
    }
    track_file {
        tf
    }
    notify %s
`, notify))
}

// advert is a VRRP advert seen on the wire.
type advert struct {
	at   time.Time
	prio int
}

// tcpdump's line for a VRRPv2 advert: "HH:MM:SS.micro ... SRC > 224.0.0.18:
// VRRPv2, Advertisement, vrid N, prio P, ...".
var advertRE = regexp.MustCompile(`^(\d\d:\d\d:\d\d\.\d+) .* (\S+) > 224\.0\.0\.18: VRRPv2, Advertisement, vrid (\d+), prio (\d+),`)

// adverts are the adverts of vrid from src that c saw, with tcpdump's
// clock (this host's, today).
func adverts(t *testing.T, c *netlab.Capture, src string, vrid int) []advert {
	t.Helper()
	y, mo, d := time.Now().Date()
	var as []advert
	for _, line := range strings.Split(c.Text(), "\n") {
		m := advertRE.FindStringSubmatch(line)
		if m == nil || m[2] != src || m[3] != strconv.Itoa(vrid) {
			continue
		}
		clock, err := time.ParseInLocation("15:04:05.000000", m[1], time.Local)
		if err != nil {
			t.Fatalf("tcpdump time %q: %v", m[1], err)
		}
		p, _ := strconv.Atoi(m[4])
		as = append(as, advert{time.Date(y, mo, d, clock.Hour(), clock.Minute(), clock.Second(), clock.Nanosecond(), time.Local), p})
	}
	return as
}

// TestReloadTrackers: SIGHUP while trackers hold the master's priority
// down: a failing vrrp_script (weight -20) and a track_file (value 1,
// weight -5) make it 75; the backup is 70. The VIP is sampled every
// 20 ms on the master throughout.
//
//  1. The same configuration: no state change, no notify call, the VIP
//     never leaves, every advert on the wire says 75. keepalived 2.2.7
//     (observed) keeps the script's result ("VRRP_Script(chk) considered
//     unsuccessful on reload") but logs "(VI_1) Changing effective
//     priority from 100 to 75" (it rebuilds from the base priority) and
//     writes INSTANCE "VI_1" BACKUP_PRIORITY 75 to the FIFO although the
//     instance is master and nothing changed. Ours (better) says
//     nothing: no line, no FIFO line.
//     No gratuitous ARP either: the addresses are the same.
//  2. The script's weight becomes -10: the new priority, 85, applies at
//     once, not at the script's next run (5 s later): the advert sent at
//     the reload says 85. keepalived logs "from 100 to 85" and writes
//     BACKUP_PRIORITY 85; ours (better) logs the real change, "from 75
//     to 85", and writes MASTER_PRIORITY 85.
func TestReloadTrackers(t *testing.T) {
	netlab.BothKinds(t, func(t *testing.T, k netlab.Kind) {
		l := newLab(t, k, 2)
		tf := l.path("tf")
		if err := os.WriteFile(tf, []byte("1\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		chk := l.script("chk.sh", "exit 1\n")
		out := l.path("notify.out")
		notify := l.recorder("notify.sh", out)
		fifo, lines := l.FIFO("r1.fifo")
		m := l.start(0, l.WriteConf("r1.conf", reloadConf(chk, tf, notify, fifo, -20)))
		m.MustLine("(VI_1) Changing effective priority from 95 to 75", time.Time{}, startupTimeout)
		mastered := m.MustLine("(VI_1) Entering MASTER STATE", time.Time{}, startupTimeout)
		b := l.start(1, l.WriteConf("r2.conf", globalDefs("")+instance("VI_1", "BACKUP", 0, 51, 70, vip, "")))
		b.MustLine("(VI_1) Entering BACKUP STATE (init)", time.Time{}, startupTimeout)
		// Start-up, as keepalived: the file's share first, then the
		// script's failure, each priority line before the state.
		startFIFO := []string{`INSTANCE "VI_1" BACKUP_PRIORITY 95`, `INSTANCE "VI_1" BACKUP 95`,
			`INSTANCE "VI_1" BACKUP_PRIORITY 75`, `INSTANCE "VI_1" MASTER 75`}
		if d := equalLines(lines.Wait(len(startFIFO), time.Second), startFIFO); d != "" {
			t.Errorf("notify_fifo at start-up: %s", d)
		}
		startCalls := []string{"INSTANCE VI_1 BACKUP 95", "INSTANCE VI_1 MASTER 75"}
		checkCalls(t, out, startCalls...)
		// The reloads come after the master's second round of gratuitous
		// ARPs (vrrp_garp_master_delay, 5 s after MASTER): every ARP the
		// capture sees is the reloads'.
		time.Sleep(time.Until(mastered.Add(5500 * time.Millisecond)))
		wire := l.Capture("vrrp or arp")

		stop := make(chan struct{})
		sampled := make(chan [2]int)
		go func() {
			n, miss := l.SampleAddr(0, vip, 20*time.Millisecond, stop)
			sampled <- [2]int{n, miss}
		}()

		// 1. The same configuration.
		hup1 := time.Now()
		m.Signal(syscall.SIGHUP)
		m.MustLine("Reload complete", hup1, 5*time.Second)
		wantLine(t, m, "VRRP_Script(chk) considered unsuccessful on reload", hup1, time.Second)
		time.Sleep(2500 * time.Millisecond)
		var fifoAt1 []string
		if k == netlab.Reference {
			wantLine(t, m, "(VI_1) Changing effective priority from 100 to 75", hup1, time.Second)
			fifoAt1 = []string{`INSTANCE "VI_1" BACKUP_PRIORITY 75`}
		} else if n := m.CountSince("Changing effective priority", hup1); n != 0 {
			t.Errorf("a reload of the same configuration logged %d priority changes:\n%s", n, m.LogText())
		}
		if d := equalLines(lines.Texts()[len(startFIFO):], fifoAt1); d != "" {
			t.Errorf("notify_fifo after the same configuration: %s", d)
		}

		// 2. The script's weight changes.
		l.WriteConf("r1.conf", reloadConf(chk, tf, notify, fifo, -10))
		hup2 := time.Now()
		m.Signal(syscall.SIGHUP)
		m.MustLine("Reload complete", hup2, 5*time.Second)
		from := map[netlab.Kind]int{netlab.Reference: 100, netlab.Ours: 75}[k]
		at := m.MustLine(fmt.Sprintf("(VI_1) Changing effective priority from %d to 85", from), hup2, 2*time.Second)
		if d := at.Sub(hup2); d > time.Second {
			t.Errorf("new weight applied %v after the reload, want at once", d)
		}
		fifoAt2 := append(fifoAt1, map[netlab.Kind]string{
			netlab.Reference: `INSTANCE "VI_1" BACKUP_PRIORITY 85`,
			netlab.Ours:      `INSTANCE "VI_1" MASTER_PRIORITY 85`}[k])
		if d := equalLines(lines.Wait(len(startFIFO)+len(fifoAt2), time.Second)[len(startFIFO):], fifoAt2); d != "" {
			t.Errorf("notify_fifo after the new weight: %s", d)
		}
		time.Sleep(1500 * time.Millisecond)
		close(stop)
		s := <-sampled
		t.Logf("VIP missing in %d of %d samples", s[1], s[0])
		if s[1] != 0 {
			t.Errorf("the VIP left the master during the reloads in %d of %d samples", s[1], s[0])
		}
		if n := m.CountSince("Entering", hup1); n != 0 {
			t.Errorf("state changed at a reload:\n%s", m.LogText())
		}
		if n := b.Count("Entering MASTER STATE"); n != 0 {
			t.Errorf("the backup took over:\n%s", b.LogText())
		}
		checkCalls(t, out, startCalls...)

		// The wire: 75 until the second reload, 85 from its first advert
		// on, which comes at once.
		var first85 time.Time
		as := adverts(t, wire, netlab.RouterAddr(0), 51)
		for _, a := range as {
			want := 75
			if a.at.After(hup2) && (a.prio == 85 || !first85.IsZero()) {
				want = 85
			}
			if a.prio != want {
				t.Errorf("advert at %s says %d, want %d", a.at.Format("15:04:05.000"), a.prio, want)
			}
			if a.prio == 85 && first85.IsZero() {
				first85 = a.at
			}
		}
		// The addresses did not change: no gratuitous ARP (keepalived
		// 2.2.7; ours since it announces only changed address sets).
		if n := wire.Count("who-has "+vip+" ", "tell "+vip); n != 0 {
			t.Errorf("%d gratuitous ARPs for the VIP at reloads that kept it:\n%s", n, wire.Text())
		}
		if first85.IsZero() {
			t.Errorf("no advert with priority 85 after the reload (%d adverts)", len(as))
		} else if d := first85.Sub(hup2); d > time.Second {
			t.Errorf("first advert with 85 came %v after the reload, want at once", d)
		}
	})
}
