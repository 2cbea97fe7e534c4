package trackingtest

import (
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/gokeepalived/gokeepalived/test/netlab"
)

// fileConf tracks file through a track_file of weight -20: a value v
// written into it adds v × -20 to the priority.
func fileConf(file, state string, prio int) string {
	return globalDefs("") + fmt.Sprintf(`
track_file maint {
    file %s
    weight -20
}

`, file) + instance("VI_1", state, 0, 51, prio, vip, `    track_file {
        maint
    }
`)
}

// TestTrackFile: the maintenance switch as a track_file (what keepalived
// recommends instead of a script polling a file). Writing 1 into the
// master's file drops it from 100 to 80 at once (inotify, no polling) and
// the backup, 90, takes over; writing 0 restores 100 and the master
// preempts back.
func TestTrackFile(t *testing.T) {
	netlab.BothKinds(t, func(t *testing.T, k netlab.Kind) {
		l := newLab(t, k, 2)
		f1, f2 := l.path("maint-r1"), l.path("maint-r2")
		for _, f := range []string{f1, f2} {
			if err := os.WriteFile(f, []byte("0\n"), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		m := l.start(0, l.WriteConf("r1.conf", fileConf(f1, "MASTER", 100)))
		m.MustLine("(VI_1) Entering MASTER STATE", time.Time{}, startupTimeout)
		b := l.start(1, l.WriteConf("r2.conf", fileConf(f2, "BACKUP", 90)))
		b.MustLine("(VI_1) Entering BACKUP STATE (init)", time.Time{}, startupTimeout)
		time.Sleep(1500 * time.Millisecond)
		l.mustHold(vip, 0, time.Second)

		down := time.Now()
		if err := os.WriteFile(f1, []byte("1\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		at := m.MustLine("(VI_1) Changing effective priority from 100 to 80", down, 2*time.Second)
		if d := at.Sub(down); d > 500*time.Millisecond {
			t.Errorf("priority changed %v after the write, want at once (inotify)", d)
		}
		b.MustLine("(VI_1) Entering MASTER STATE", down, takeover)
		m.MustLine("(VI_1) Master received advert from 192.168.0.163 with higher priority 90, ours 80", down, takeover)
		m.MustLine("(VI_1) Entering BACKUP STATE", down, takeover)
		l.mustHold(vip, 1, 2*time.Second)

		up := time.Now()
		if err := os.WriteFile(f1, []byte("0\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		m.MustLine("(VI_1) Changing effective priority from 80 to 100", up, 2*time.Second)
		m.MustLine("(VI_1) Entering MASTER STATE", up, takeover)
		b.MustLine("(VI_1) Entering BACKUP STATE", up, takeover)
		l.mustHold(vip, 0, 2*time.Second)
	})
}
