package trackingtest

import (
	"fmt"
	"os"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/gokeepalived/gokeepalived/test/netlab"
)

// burstConf: two instances on eth0 in sync group G, each tracking file
// with weight 0 (a non-zero value is a FAULT), a notify script per
// instance and for the group, and a notify_fifo.
func burstConf(file, fifo, notify string) string {
	inst := fmt.Sprintf(`    track_file {
        flip
    }
    notify %s
`, notify)
	return globalDefs(fmt.Sprintf("   notify_fifo %s\n", fifo)) + fmt.Sprintf(`
track_file flip {
    file %s
    weight 0
}

vrrp_sync_group G {
    group {
        VI_1
        VI_2
    }
    notify %s
}

`, file, notify) + instance("VI_1", "MASTER", 0, 51, 100, "192.168.0.248", inst) +
		instance("VI_2", "MASTER", 0, 52, 100, "192.168.0.249", inst)
}

// burstToggles is how many times the test writes 1 then 0: twice as
// many transitions of the group.
const burstToggles = 25

// TestFIFOBurst: 50 transitions as fast as the daemon takes them (the
// tracked file flipped between 1 and 0, each write as soon as the
// previous transition's group line arrived): every notify_fifo line
// arrives, in order, in keepalived 2.2.7's format — INSTANCE "VI_1"
// FAULT 100, then the group's GROUP "G" FAULT 0 after its members. Every
// notify script call happens too; ours must also run each name's calls
// in transition order (the README promises it; keepalived forks each
// script and does not wait, so the reference is only logged).
func TestFIFOBurst(t *testing.T) {
	netlab.BothKinds(t, func(t *testing.T, k netlab.Kind) {
		l := newLab(t, k, 1)
		flip := l.path("flip")
		if err := os.WriteFile(flip, []byte("0\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		out := l.path("notify.out")
		fifo, lines := l.FIFO("notify.fifo")
		d := l.start(0, l.WriteConf("r1.conf", burstConf(flip, fifo, l.recorder("notify.sh", out))))
		// Start-up: the group's BACKUP line first, then its members'.
		want := []string{`GROUP "G" BACKUP 0`, `INSTANCE "VI_1" BACKUP 100`, `INSTANCE "VI_2" BACKUP 100`}
		step := func(state string) {
			want = append(want, fmt.Sprintf(`INSTANCE "VI_1" %s 100`, state), fmt.Sprintf(`INSTANCE "VI_2" %s 100`, state),
				fmt.Sprintf(`GROUP "G" %s 0`, state))
		}
		step("MASTER")
		if got := lines.Wait(len(want), startupTimeout); len(got) < len(want) {
			t.Fatalf("notify_fifo at start-up: %q\n%s", got, d.LogText())
		}

		start := time.Now()
		for i := range 2 * burstToggles {
			v, state := "1\n", "FAULT"
			if i%2 == 1 {
				v, state = "0\n", "BACKUP"
			}
			if err := os.WriteFile(flip, []byte(v), 0o644); err != nil {
				t.Fatal(err)
			}
			step(state)
			if got := lines.Wait(len(want), 3*time.Second); len(got) < len(want) {
				t.Fatalf("transition %d (%s): notify_fifo has %d lines, want %d:\n%s", i+1, state, len(got), len(want), d.LogText())
			}
		}
		t.Logf("%d transitions in %v", 2*burstToggles, time.Since(start).Round(time.Millisecond))
		// Alone on its segment, the group becomes master again.
		step("MASTER")
		lines.Wait(len(want), takeover)
		time.Sleep(300 * time.Millisecond) // nothing more comes
		if d := equalLines(sortRuns(lines.Texts()), want); d != "" {
			t.Errorf("notify_fifo (members' runs sorted): %s", d)
		}

		// The notify scripts: every call, and (ours) each name's in order.
		calls := byName(waitLines(out, len(want), 5*time.Second))
		for _, name := range []string{"G", "VI_1", "VI_2"} {
			var w []string
			for _, f := range want {
				if byName([]string{f})[name] != nil {
					w = append(w, plain(f))
				}
			}
			if d := equalLines(sorted(calls[name]), sorted(w)); d != "" {
				t.Errorf("notify calls for %s (sorted): %s", name, d)
				continue
			}
			ordered := slices.Equal(calls[name], w)
			if k == netlab.Reference {
				t.Logf("keepalived ran %s's %d notify calls in transition order: %v", name, len(w), ordered)
			} else if !ordered {
				t.Errorf("notify calls for %s out of transition order: %s", name, equalLines(calls[name], w))
			}
		}
	})
}

// plain turns a notify_fifo line into the notify script's arguments as
// the recorder writes them: the quotes go.
func plain(fifoLine string) string {
	b := []byte(fifoLine)
	return string(slices.DeleteFunc(b, func(c byte) bool { return c == '"' }))
}

// TestFIFOCreated: a notify_fifo that does not exist is made by the
// daemon, a named pipe of mode 0600, and notify_fifo_script is started
// with its path as only argument and reads the lines from it; at SIGTERM
// the script gets SIGTERM. keepalived 2.2.7 (observed) leaves the pipe it
// made in place when it stops.
func TestFIFOCreated(t *testing.T) {
	netlab.BothKinds(t, func(t *testing.T, k netlab.Kind) {
		l := newLab(t, k, 1)
		fifo, out := l.path("made.fifo"), l.path("reader.out")
		reader := l.script("reader.sh", fmt.Sprintf(`echo "args $#: $*" >> %[1]s
trap 'echo TERM >> %[1]s; exit 0' TERM
while read line; do echo "$line" >> %[1]s; done < "$1"
`, out))
		conf := globalDefs(fmt.Sprintf("   notify_fifo %s\n   notify_fifo_script %s\n", fifo, reader)) +
			instance("VI_1", "MASTER", 0, 51, 100, vip, "")
		d := l.start(0, l.WriteConf("r1.conf", conf))
		d.MustLine("(VI_1) Entering MASTER STATE", time.Time{}, startupTimeout)
		if fi, err := os.Lstat(fifo); err != nil {
			t.Errorf("notify_fifo: %v", err)
		} else if fi.Mode().Type() != os.ModeNamedPipe || fi.Mode().Perm() != 0o600 {
			t.Errorf("notify_fifo is %v, want a named pipe, mode 0600", fi.Mode())
		}
		checkCalls(t, out, "args 1: "+fifo, `INSTANCE "VI_1" BACKUP 100`, `INSTANCE "VI_1" MASTER 100`)
		d.Signal(syscall.SIGTERM)
		if code := d.Wait(10 * time.Second); code != 0 {
			t.Errorf("exit %d", code)
		}
		got := waitLines(out, 4, 2*time.Second)
		if len(got) < 4 || got[len(got)-1] != "TERM" {
			t.Errorf("notify_fifo_script at stop: %q, want its TERM trap last", got)
		}
		if _, err := os.Lstat(fifo); err != nil {
			t.Errorf("the pipe is gone after the stop: %v", err)
		}
	})
}
