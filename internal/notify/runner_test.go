package notify

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/script"
	"github.com/gokeepalived/gokeepalived/internal/vrrp"
)

// The real runner (internal/script) with real programs: the interface
// the notifier is written against is the runner's.
var (
	_ Runner          = (*script.Runner)(nil)
	_ StoppableRunner = (*script.Runner)(nil)
)

const realConf = `
global_defs {
    router_id R1
    vrrp_notify_fifo /FIFODIR/vfifo
    vrrp_notify_fifo_script "/usr/local/bin/fiforeader.sh /FIFODIR/reader.out"
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    priority 100
    virtual_ipaddress {
        10.0.0.1
    }
    notify_master "/usr/local/bin/rec.sh master"
    notify_backup "/usr/local/bin/rec.sh backup"
    notify "/usr/local/bin/rec.sh generic"
}
`

// recScript records its start and end (with its argv) in out and takes a
// little time, so that overlapping runs would show.
const recScript = `#!/bin/sh
echo "start $*" >> %[1]s
sleep 0.02
echo "end $*" >> %[1]s
`

// readerScript copies the FIFO (its last argument) to its first.
const readerScript = `#!/bin/sh
out=$1
for fifo; do :; done
exec cat "$fifo" > "$out"
`

func writeScript(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o755); err != nil {
		t.Fatal(err)
	}
}

// TestRealRunner: scripts of one instance never overlap and run in
// transition order with keepalived's argv; the FIFO reader gets the
// lines and is stopped by Close; a script that cannot be executed is
// logged with keepalived's line.
func TestRealRunner(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "rec.out")
	rec, reader := filepath.Join(dir, "rec.sh"), filepath.Join(dir, "fiforeader.sh")
	writeScript(t, rec, fmt.Sprintf(recScript, out))
	writeScript(t, reader, readerScript)
	cfg := loadConfig(t, "real.conf", realConf, dir)
	inst := cfg.Instances[0]
	for _, s := range []*[]string{&inst.NotifyMaster.Argv, &inst.NotifyBackup.Argv, &inst.Notify.Argv} {
		(*s)[0] = rec
	}
	cfg.Global.VRRPNotifyFIFO.Script[0] = reader

	r := script.NewRunner(script.Options{})
	defer r.Close(time.Second)
	logs := &logRecorder{}
	n := NewOptions(cfg, r, logs.log, Options{LookupCred: script.LookupCred})
	var want []string
	for i := range 6 {
		st := []vrrp.State{vrrp.Backup, vrrp.Master}[i%2]
		n.Instance("VI_1", st, 100+i)
		specific := strings.ToLower(st.String())
		generic := fmt.Sprintf("generic INSTANCE VI_1 %s %d", st, 100+i)
		want = append(want, "start "+specific, "end "+specific, "start "+generic, "end "+generic)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	// Let the reader copy the lines before Close stops it.
	readerOut := filepath.Join(dir, "reader.out")
	waitFor(t, "the reader's copy", func() bool {
		b, _ := os.ReadFile(readerOut)
		return strings.Count(string(b), "\n") == 6
	})
	n.Close(ctx)

	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n"); !slices.Equal(got, want) {
		t.Errorf("runs\n got %q\nwant %q", got, want)
	}
	b, _ = os.ReadFile(readerOut)
	var wantLines strings.Builder
	for i := range 6 {
		fmt.Fprintf(&wantLines, "INSTANCE \"VI_1\" %s %d\n", []string{"BACKUP", "MASTER"}[i%2], 100+i)
	}
	if string(b) != wantLines.String() {
		t.Errorf("reader copied %q, want %q", b, wantLines.String())
	}
	if err := r.Wait(ctx); err != nil {
		t.Errorf("the reader was not stopped by Close: %v", err)
	}
	if slices.Contains(logs.all(), msgReaderEnded) {
		t.Errorf("the reader's stop was reported: %q", logs.all())
	}
	if _, err := os.Lstat(filepath.Join(dir, "vfifo")); err != nil {
		t.Errorf("the FIFO was removed at stop (keepalived leaves it): %v", err)
	}
}

// TestRealRunnerExecError: keepalived's line for a script that vanished
// after the configuration was read.
func TestRealRunnerExecError(t *testing.T) {
	dir := t.TempDir()
	cfg := loadConfig(t, "real.conf", strings.Replace(realConf, "    vrrp_notify_fifo_script", "    #", 1), dir)
	missing := filepath.Join(dir, "gone.sh")
	cfg.Instances[0].NotifyMaster.Argv[0] = missing
	cfg.Instances[0].Notify = nil
	r := script.NewRunner(script.Options{})
	defer r.Close(time.Second)
	logs := &logRecorder{}
	n := NewOptions(cfg, r, logs.log, Options{LookupCred: script.LookupCred})
	n.Instance("VI_1", vrrp.Master, 100)
	closeWithin(n, 5*time.Second)
	want := "Error exec-ing command '" + missing + "', error 2: No such file or directory"
	if !slices.Contains(logs.all(), want) {
		t.Errorf("log %q, want %q", logs.all(), want)
	}
}
