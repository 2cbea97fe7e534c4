package notify

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/script"
	"github.com/gokeepalived/gokeepalived/internal/vrrp"
	"github.com/gokeepalived/gokeepalived/pkg/config"
)

const queueConf = `
global_defs {
    router_id R1
    script_user alice
}
vrrp_sync_group G1 {
    group {
        VI_2
        VI_3
    }
    notify "/usr/local/bin/rec.sh g_generic"
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    priority 100
    virtual_ipaddress {
        10.0.0.1
    }
    notify_master "/usr/local/bin/rec.sh i1_master"
    notify_backup "/usr/local/bin/rec.sh i1_backup" nobody nogroup
    notify_stop "/usr/local/bin/rec.sh i1_stop" root
    notify "/usr/local/bin/rec.sh i1_generic"
}
vrrp_instance VI_2 {
    interface eth0
    virtual_router_id 52
    priority 100
    virtual_ipaddress {
        10.0.0.2
    }
    notify "/usr/local/bin/rec.sh i2_generic"
}
vrrp_instance VI_3 {
    interface eth0
    virtual_router_id 53
    priority 100
    virtual_ipaddress {
        10.0.0.3
    }
}
`

func newTestNotifier(t *testing.T, conf string, r Runner, o Options) (*Notifier, *logRecorder, *config.Config) {
	t.Helper()
	cfg := loadConfig(t, "queue.conf", conf, t.TempDir())
	logs := &logRecorder{}
	if o.LookupCred == nil {
		o.LookupCred = hostLookupCred(testHost())
	}
	n := NewOptions(cfg, r, logs.log, o)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		n.Close(ctx)
	})
	return n, logs, cfg
}

func closeWithin(n *Notifier, d time.Duration) {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	n.Close(ctx)
}

// TestBurstOrder: 50 transitions of one instance against a runner that
// takes a while per script: the caller never waits, and the scripts run
// one at a time in the transitions' order, specific before generic.
func TestBurstOrder(t *testing.T) {
	r := &fakeRunner{delay: 2 * time.Millisecond}
	n, _, _ := newTestNotifier(t, queueConf, r, Options{})
	var want []string
	begin := time.Now()
	for i := range 50 {
		st := []vrrp.State{vrrp.Master, vrrp.Backup}[i%2]
		n.Instance("VI_1", st, 100+i)
		if st == vrrp.Master {
			want = append(want, "i1_master")
		} else {
			want = append(want, "i1_backup")
		}
		want = append(want, fmt.Sprintf("i1_generic INSTANCE VI_1 %s %d", st, 100+i))
	}
	if d := time.Since(begin); d > 20*time.Millisecond {
		t.Errorf("50 notifications took the caller %v", d)
	}
	closeWithin(n, 5*time.Second)
	var got []string
	for _, c := range r.cmds() {
		got = append(got, strings.Join(c.Argv[1:], " "))
	}
	if !slices.Equal(got, want) {
		t.Errorf("order\n got %q\nwant %q", got, want)
	}
	if r.maxRunning != 1 {
		t.Errorf("%d scripts of the instance ran at the same time", r.maxRunning)
	}
}

// TestCallerNeverBlocked: a runner whose Start itself hangs (a fork
// stuck on a slow machine) holds up nobody but the notifier's goroutine.
func TestCallerNeverBlocked(t *testing.T) {
	unblock := make(chan struct{})
	r := &fakeRunner{startFn: func(script.Cmd) error { <-unblock; return nil }}
	n, _, _ := newTestNotifier(t, queueConf, r, Options{})
	done := make(chan struct{})
	go func() {
		for range 1000 {
			n.Instance("VI_1", vrrp.Master, 100)
			n.Group("G1", vrrp.Master)
			n.Event("VI_1", vrrp.EventPriorityChange, vrrp.Master, 101)
		}
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(2 * time.Second):
		t.Fatal("the caller was blocked by the runner")
	}
	close(unblock)
}

// TestQueuesIndependent: one instance's running script does not hold
// back another instance's or a group's; the next script of the same
// instance waits for it to end.
func TestQueuesIndependent(t *testing.T) {
	r := &fakeRunner{hold: true}
	n, _, _ := newTestNotifier(t, queueConf, r, Options{})
	n.Instance("VI_1", vrrp.Master, 100) // i1_master held
	n.Instance("VI_2", vrrp.Master, 100)
	n.Group("G1", vrrp.Master)
	waitFor(t, "VI_2's and G1's scripts", func() bool { return len(r.cmds()) == 3 })
	time.Sleep(20 * time.Millisecond)
	if got := len(r.cmds()); got != 3 {
		t.Fatalf("%d scripts started while i1_master runs, want 3 (i1_master, i2_generic, g_generic)", got)
	}
	r.releaseNext(script.Result{Exited: true}) // i1_master ends
	waitFor(t, "i1_generic after i1_master", func() bool { return len(r.cmds()) == 4 })
	if got := r.cmds()[3].Argv[1]; got != "i1_generic" {
		t.Errorf("next script %q, want i1_generic", got)
	}
	for r.releaseNext(script.Result{Exited: true}) {
	}
}

// TestHungScript: a script that never ends holds its queue for HungAfter
// only: the hang is logged once, the next script starts, and the hung
// one's late end changes nothing.
func TestHungScript(t *testing.T) {
	r := &fakeRunner{hold: true}
	n, logs, _ := newTestNotifier(t, queueConf, r, Options{HungAfter: 150 * time.Millisecond})
	begin := time.Now()
	n.Instance("VI_1", vrrp.Master, 100)
	waitFor(t, "i1_generic after the hung i1_master", func() bool { return len(r.cmds()) == 2 })
	if d := time.Since(begin); d < 150*time.Millisecond {
		t.Errorf("the next script started after %v, before the bound", d)
	}
	want := "(VI_1) notify script '/usr/local/bin/rec.sh' still running after 150ms - starting the next one"
	if got := logs.count("still running"); got != 1 || !slices.Contains(logs.all(), want) {
		t.Errorf("log %q, want %q once", logs.all(), want)
	}
	n.Instance("VI_1", vrrp.Backup, 100)
	r.releaseNext(script.Result{Exited: true}) // the hung i1_master, at last
	time.Sleep(20 * time.Millisecond)
	if got := len(r.cmds()); got != 2 {
		t.Errorf("the hung script's end started another script (%d started)", got)
	}
	r.releaseNext(script.Result{Exited: true}) // i1_generic, before its bound
	waitFor(t, "i1_backup", func() bool { return len(r.cmds()) == 3 })
	if got := r.cmds()[2].Argv[1]; got != "i1_backup" {
		t.Errorf("third script %q, want i1_backup", got)
	}
	if got := logs.count("still running"); got != 1 {
		t.Errorf("%d hang lines, want 1: %q", got, logs.all())
	}
	for r.releaseNext(script.Result{Exited: true}) {
	}
}

// TestExecFailure: a script that cannot be executed is logged with
// keepalived's line and its queue goes on.
func TestExecFailure(t *testing.T) {
	r := &fakeRunner{hold: true}
	n, logs, _ := newTestNotifier(t, queueConf, r, Options{})
	n.Instance("VI_1", vrrp.Master, 100)
	waitFor(t, "i1_master", func() bool { return len(r.cmds()) == 1 })
	r.releaseNext(script.Result{Err: &pathErr{syscall.ENOENT}})
	waitFor(t, "i1_generic", func() bool { return len(r.cmds()) == 2 })
	want := "Error exec-ing command '/usr/local/bin/rec.sh', error 2: No such file or directory"
	waitFor(t, "the exec error line", func() bool { return slices.Contains(logs.all(), want) })
	r.releaseNext(script.Result{Exited: true})
}

type pathErr struct{ errno syscall.Errno }

func (e *pathErr) Error() string { return "fork/exec: " + e.errno.Error() }
func (e *pathErr) Unwrap() error { return e.errno }

// TestStartRefused: a runner that refuses a start (closed) gets the
// start logged and the next script tried.
func TestStartRefused(t *testing.T) {
	r := &fakeRunner{startFn: func(c script.Cmd) error {
		if c.Argv[1] == "i1_master" {
			return errors.New("script: runner closed")
		}
		return nil
	}}
	n, logs, _ := newTestNotifier(t, queueConf, r, Options{})
	n.Instance("VI_1", vrrp.Master, 100)
	waitFor(t, "i1_generic", func() bool { return len(r.cmds()) == 1 })
	want := "Error exec-ing command '/usr/local/bin/rec.sh' - script: runner closed"
	waitFor(t, "the start error line", func() bool { return slices.Contains(logs.all(), want) })
}

// TestCreds: a script's own user, global script_user for the others,
// root as the daemon itself (nil).
func TestCreds(t *testing.T) {
	r := &fakeRunner{}
	n, _, _ := newTestNotifier(t, queueConf, r, Options{})
	n.Instance("VI_1", vrrp.Backup, 100)
	n.Instance("VI_1", vrrp.Stopped, 100)
	closeWithin(n, 5*time.Second)
	var got []string
	for _, c := range r.cmds() {
		who := "daemon"
		if c.Cred != nil {
			who = fmt.Sprintf("%s %d:%d %v", c.Cred.User, c.Cred.UID, c.Cred.GID, c.Cred.Groups)
		}
		got = append(got, c.Argv[1]+" as "+who+" timeout "+c.Timeout.String())
	}
	want := []string{
		"i1_backup as nobody 65534:65534 [65534] timeout 0s",
		"i1_generic as alice 1000:1000 [1000] timeout 0s",
		"i1_stop as daemon timeout 1s",
		"i1_generic as alice 1000:1000 [1000] timeout 1s",
	}
	if !slices.Equal(got, want) {
		t.Errorf("runs\n got %q\nwant %q", got, want)
	}
}

// TestDefaultScriptUser: without script_user, keepalived_script if it
// exists, else root.
func TestDefaultScriptUser(t *testing.T) {
	conf := strings.Replace(queueConf, "    script_user alice\n", "", 1)
	for _, c := range []struct {
		name   string
		lookup func(user, group string) (script.Cred, error)
		want   string
	}{
		{"keepalived_script", func(user, group string) (script.Cred, error) {
			if user == "keepalived_script" {
				return script.Cred{User: user, UID: 990, GID: 990}, nil
			}
			return script.Cred{}, fmt.Errorf("no %s", user)
		}, "keepalived_script 990"},
		{"root", func(user, group string) (script.Cred, error) { return script.Cred{}, fmt.Errorf("no %s", user) }, "daemon"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := &fakeRunner{}
			n, _, _ := newTestNotifier(t, conf, r, Options{LookupCred: c.lookup})
			n.Instance("VI_2", vrrp.Master, 100)
			closeWithin(n, 5*time.Second)
			cmds := r.cmds()
			if len(cmds) != 1 {
				t.Fatalf("%d runs", len(cmds))
			}
			got := "daemon"
			if cr := cmds[0].Cred; cr != nil {
				got = fmt.Sprintf("%s %d", cr.User, cr.UID)
			}
			if got != c.want {
				t.Errorf("runs as %s, want %s", got, c.want)
			}
		})
	}
}

// TestCloseRunsQueuedStop: Close waits for the STOP scripts queued
// behind a running script, and ignores notifications after it.
func TestCloseRunsQueuedStop(t *testing.T) {
	r := &fakeRunner{delay: 30 * time.Millisecond}
	n, _, _ := newTestNotifier(t, queueConf, r, Options{})
	n.Instance("VI_1", vrrp.Master, 100)
	n.Instance("VI_1", vrrp.Stopped, 100)
	n.Group("G1", vrrp.Stopped)
	begin := time.Now()
	closeWithin(n, 5*time.Second)
	if d := time.Since(begin); d < 90*time.Millisecond {
		t.Errorf("Close returned after %v, before the 4 queued scripts of VI_1 ran", d)
	}
	n.Instance("VI_1", vrrp.Master, 100)
	var got []string
	for _, c := range r.cmds() {
		got = append(got, c.Argv[1])
	}
	want := []string{"i1_master", "g_generic", "i1_generic", "i1_stop", "i1_generic"}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("runs %q, want %q", got, want)
	}
}

// TestCloseDeadline: what has not started when Close's context ends is
// dropped and logged; Close returns at the deadline.
func TestCloseDeadline(t *testing.T) {
	r := &fakeRunner{hold: true}
	n, logs, _ := newTestNotifier(t, queueConf, r, Options{})
	n.Instance("VI_1", vrrp.Master, 100)
	n.Instance("VI_1", vrrp.Stopped, 100)
	begin := time.Now()
	closeWithin(n, 50*time.Millisecond)
	if d := time.Since(begin); d > time.Second {
		t.Errorf("Close took %v with a 50ms context", d)
	}
	if got := logs.count("not run: stopping"); got != 3 {
		t.Errorf("%d dropped scripts logged, want 3 (i1_generic, i1_stop, i1_generic): %q", got, logs.all())
	}
	want := "(VI_1) notify script '/usr/local/bin/rec.sh' not run: stopping"
	if !slices.Contains(logs.all(), want) {
		t.Errorf("log %q lacks %q", logs.all(), want)
	}
	r.releaseNext(script.Result{Exited: true})
}
