package daemon

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/logging"
	"github.com/gokeepalived/gokeepalived/pkg/config"
)

// TestStoppedLine: a child's last line. keepalived 2.2.7 (observed with
// -D) gives the "(self/children)" form to any child whose own children
// used user time — a checker that ran modprobe, a VRRP child that ran a
// vrrp_script — and the short form otherwise; without -D just "Stopped".
func TestStoppedLine(t *testing.T) {
	ru := func(us, uu, ss, su int64) *syscall.Rusage {
		return &syscall.Rusage{Utime: syscall.Timeval{Sec: us, Usec: uu}, Stime: syscall.Timeval{Sec: ss, Usec: su}}
	}
	self := ru(0, 4621, 1, 3725)
	for _, c := range []struct {
		name   string
		detail bool
		kids   *syscall.Rusage
		want   string
	}{
		{"no -D", false, ru(1, 0, 1, 0), "Stopped"},
		{"no children", true, ru(0, 0, 0, 0), "Stopped - used 0.004621 user time, 1.003725 system time"},
		{"children, user time", true, ru(0, 3441, 0, 0),
			"Stopped - used (self/children) 0.004621/0.003441 user time, 1.003725/0.000000 system time"},
		{"children, whole seconds", true, ru(2, 0, 0, 7),
			"Stopped - used (self/children) 0.004621/2.000000 user time, 1.003725/0.000007 system time"},
		// Only the children's user time decides, as keepalived's test.
		{"children, system time only", true, ru(0, 0, 0, 9),
			"Stopped - used 0.004621 user time, 1.003725 system time"},
	} {
		if got := stoppedLine(c.detail, self, c.kids); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}

// TestRunNothingToRun: a configuration that starts no child (global_defs
// alone) — keepalived 2.2.7 observed: after "Configuration file" the
// max_auto_priority NOTICE (its pid file written), then "Warning -
// keepalived has no configuration to run", no "Startup complete"; the
// parent runs on until it is stopped. It runs under 0177, then the
// file's umask; its pid file is 0644; stale pid files of the children
// it does not start are removed.
func TestRunNothingToRun(t *testing.T) {
	conf := writeFile(t, "global_defs {\n router_id NOTHING\n umask 027\n}\n")
	o := testOptions(t, conf)
	o.CheckersPidFile = filepath.Join(filepath.Dir(o.PidFile), "c.pid")
	for _, p := range []string{o.VRRPPidFile, o.CheckersPidFile} {
		// Pids that cannot be running.
		if err := os.WriteFile(p, []byte("4194999\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	sink := &logging.Sink{}
	stop := make(chan struct{})
	var once sync.Once
	var masks []int
	var atReady []string
	ready := false
	// The NOTICE comes once the pid file is written.
	log := hookLogger{sink, func(l logging.Line) {
		if l.Text == msgMaxAutoPriority {
			if _, err := os.Stat(o.PidFile); err != nil {
				atReady = append(atReady, "NOTICE before the pid file")
			}
		}
	}}
	env := runEnv{args: []string{"keepalived", "-n"}, log: log, load: config.Load, stop: stop,
		umask: func(m int) int { masks = append(masks, m); return 0 }}
	timeout := time.AfterFunc(10*time.Second, func() { once.Do(func() { close(stop) }) })
	defer timeout.Stop()
	env.ready = func() {
		ready = true
		st, err := os.Stat(o.PidFile)
		if err != nil {
			atReady = append(atReady, "no pid file: "+err.Error())
		} else if st.Mode().Perm() != 0o644 {
			atReady = append(atReady, "pid file mode "+st.Mode().Perm().String())
		}
		for _, p := range []string{o.VRRPPidFile, o.CheckersPidFile} {
			if _, err := os.Stat(p); err == nil {
				atReady = append(atReady, "stale "+filepath.Base(p)+" kept")
			}
		}
		once.Do(func() { close(stop) })
	}
	if code := run(o, env); code != 0 {
		t.Errorf("exit %d", code)
	}
	texts := sink.Texts(true)
	if miss := inOrderTexts(texts, []string{
		"Configuration file " + conf, msgMaxAutoPriority, msgNothingToRun, "Stopped Keepalived v2.2.7",
	}); miss != "" {
		t.Errorf("no %q in order:\n%s", miss, strings.Join(texts, "\n"))
	}
	if sink.Count(msgStartup) != 0 {
		t.Errorf("%q logged with nothing to run", msgStartup)
	}
	if !ready {
		t.Error("the parent never said it was up (READY=1)")
	}
	if len(atReady) > 0 {
		t.Errorf("while running: %q", atReady)
	}
	if want := []int{0o177, 0o027}; !reflect.DeepEqual(masks, want) {
		t.Errorf("umasks set %#o, want %#o", masks, want)
	}
	if _, err := os.Stat(o.PidFile); err == nil {
		t.Error("pid file left after the stop")
	}
}

// hookLogger records lines and shows each to a hook as it comes.
type hookLogger struct {
	*logging.Sink
	hook func(logging.Line)
}

func (h hookLogger) Log(l logging.Line) {
	h.hook(l)
	h.Sink.Log(l)
}

// inOrderTexts returns the first of want not found, in order, as a
// prefix of a line of texts.
func inOrderTexts(texts, want []string) string {
	i := 0
	for _, l := range texts {
		if i < len(want) && strings.HasPrefix(l, want[i]) {
			i++
		}
	}
	if i < len(want) {
		return want[i]
	}
	return ""
}
