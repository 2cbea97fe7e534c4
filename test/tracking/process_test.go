package trackingtest

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/gokeepalived/gokeepalived/test/netlab"
)

var procSeq atomic.Int32

// procName is a unique process name for a tracked process: a copy of
// /bin/sleep under this name has it as its comm (at most 15 characters,
// the kernel's TASK_COMM_LEN less the NUL).
func procName() string {
	return fmt.Sprintf("gvt%d-%d", os.Getpid(), procSeq.Add(1))
}

// tracked is a process the test starts and kills: the haproxy of seed
// 000's `killall -0 haproxy`, as a copy of /bin/sleep named name.
type tracked struct {
	l    *lab
	path string
	cmd  *exec.Cmd
}

func (l *lab) tracked(name string) *tracked {
	l.t.Helper()
	p := l.path(name)
	src, err := os.Open("/bin/sleep")
	if err != nil {
		l.t.Fatal(err)
	}
	defer src.Close()
	dst, err := os.OpenFile(p, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o755)
	if err != nil {
		l.t.Fatal(err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		l.t.Fatal(err)
	}
	if err := dst.Close(); err != nil {
		l.t.Fatal(err)
	}
	tp := &tracked{l: l, path: p}
	l.t.Cleanup(tp.stop)
	return tp
}

// start runs the process (it sleeps far longer than any test).
//
// A fork by a parallel test may still hold the copy open for writing
// (the copy was just written; go.dev/issue/22315): exec then fails with
// ETXTBSY for a moment, so it is retried.
func (tp *tracked) start() {
	tp.l.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		cmd := exec.Command(tp.path, "3600")
		err := cmd.Start()
		if err == nil {
			tp.cmd = cmd
			return
		}
		if !errors.Is(err, syscall.ETXTBSY) || time.Now().After(deadline) {
			tp.l.t.Fatal(err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// stop kills the process by its PID and reaps it.
func (tp *tracked) stop() {
	if tp.cmd == nil {
		return
	}
	tp.cmd.Process.Signal(syscall.SIGKILL)
	tp.cmd.Wait()
	tp.cmd = nil
}

// procConf tracks process name with weight w (0: FAULT while it is not
// running).
func procConf(name string, w int, state string, prio int) string {
	return globalDefs("") + fmt.Sprintf(`
vrrp_track_process proc {
    process %s
    weight %d
}

`, name, w) + instance("VI_1", state, 0, 51, prio, vip, `    track_process {
        proc
    }
`)
}

// procEventsRefused is keepalived 2.2.7's line when the kernel's process
// connector refuses it: the connector only serves the initial network
// namespace.
const procEventsRefused = "Failed to set/clear process event listen - errno 111 - Connection refused"

// TestTrackProcess: vrrp_track_process in place of seed 000's `killall -0
// haproxy`, weight -20, on the master (100) of a pair whose backup (90)
// tracks nothing. Killing the process drops the master to 80 and the
// backup takes over; starting it again restores 100 and the master
// preempts back.
//
// keepalived 2.2.7 learns of processes from the kernel's process
// connector, which answers only in the initial network namespace: in a
// lab router it logs procEventsRefused, never scans /proc afterwards, and
// counts every tracked process as down for good (observed: priority 80
// from the start although the process runs; killing and restarting it
// changes nothing). The reference subtest pins that; ours must work
// there, by scanning /proc.
func TestTrackProcess(t *testing.T) {
	netlab.BothKinds(t, func(t *testing.T, k netlab.Kind) {
		l := newLab(t, k, 2)
		name := procName()
		p := l.tracked(name)
		p.start()
		m := l.start(0, l.WriteConf("r1.conf", procConf(name, -20, "MASTER", 100)))
		m.MustLine("(VI_1) Entering MASTER STATE", time.Time{}, startupTimeout)
		b := l.start(1, l.WriteConf("r2.conf", globalDefs("")+instance("VI_1", "BACKUP", 0, 51, 90, vip, "")))
		b.MustLine("(VI_1) Entering BACKUP STATE (init)", time.Time{}, startupTimeout)

		if k == netlab.Reference {
			m.MustLine(procEventsRefused, time.Time{}, time.Second)
			m.MustLine("(VI_1) Changing effective priority from 100 to 80", time.Time{}, time.Second)
			// 80 < 90: the backup takes over although the process runs.
			b.MustLine("(VI_1) Entering MASTER STATE", time.Time{}, takeover)
			l.mustHold(vip, 1, 2*time.Second)
			killed := time.Now()
			p.stop()
			p.start()
			time.Sleep(2 * time.Second)
			if n := m.CountSince("Changing effective priority", killed); n != 0 {
				t.Errorf("keepalived saw the process go and come back in a namespace:\n%s", m.LogText())
			}
			return
		}

		time.Sleep(1500 * time.Millisecond)
		if n := m.Count("Changing effective priority"); n != 0 {
			t.Fatalf("priority changed while the process runs:\n%s", m.LogText())
		}
		l.mustHold(vip, 0, time.Second)

		killed := time.Now()
		p.stop()
		at := m.MustLine("(VI_1) Changing effective priority from 100 to 80", killed, 3*time.Second)
		t.Logf("priority dropped %v after the kill", at.Sub(killed).Round(time.Millisecond))
		b.MustLine("(VI_1) Entering MASTER STATE", killed, takeover)
		m.MustLine("(VI_1) Entering BACKUP STATE", killed, takeover)
		l.mustHold(vip, 1, 2*time.Second)

		back := time.Now()
		p.start()
		at = m.MustLine("(VI_1) Changing effective priority from 80 to 100", back, 3*time.Second)
		t.Logf("priority restored %v after the restart", at.Sub(back).Round(time.Millisecond))
		m.MustLine("(VI_1) Entering MASTER STATE", back, takeover)
		b.MustLine("(VI_1) Entering BACKUP STATE", back, takeover)
		l.mustHold(vip, 0, 2*time.Second)
	})
}

// TestTrackProcessFault: the same process tracked with weight 0, alone:
// while it is not running the instance is in FAULT and holds no VIP;
// once it runs again the instance leaves FAULT and, alone on its
// segment, becomes master again. keepalived 2.2.7 in a namespace never
// sees the process (see TestTrackProcess): FAULT from the start.
func TestTrackProcessFault(t *testing.T) {
	netlab.BothKinds(t, func(t *testing.T, k netlab.Kind) {
		l := newLab(t, k, 1)
		name := procName()
		p := l.tracked(name)
		p.start()
		m := l.start(0, l.WriteConf("r1.conf", procConf(name, 0, "MASTER", 100)))
		if k == netlab.Reference {
			m.MustLine(procEventsRefused, time.Time{}, startupTimeout)
			m.MustLine("(VI_1) entering FAULT state (tracked process proc quorum not achieved)", time.Time{}, time.Second)
			m.MustLine("(VI_1) entering FAULT state", time.Time{}, time.Second)
			time.Sleep(takeover)
			if n := m.Count("Entering MASTER STATE"); n != 0 {
				t.Errorf("keepalived left FAULT in a namespace:\n%s", m.LogText())
			}
			if h := l.Holders(vip); len(h) != 0 {
				t.Errorf("VIP held by %v in FAULT", h)
			}
			return
		}
		m.MustLine("(VI_1) Entering MASTER STATE", time.Time{}, startupTimeout)
		l.mustHold(vip, 0, time.Second)

		killed := time.Now()
		p.stop()
		m.MustLine("(VI_1) Entering FAULT STATE", killed, 3*time.Second)
		l.mustHold(vip, -1, 2*time.Second)

		back := time.Now()
		p.start()
		m.MustLine("(VI_1) Entering MASTER STATE", back, 3*time.Second+takeover)
		l.mustHold(vip, 0, 2*time.Second)
	})
}
