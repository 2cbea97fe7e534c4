package track

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestParseStat(t *testing.T) {
	tests := []struct {
		in    string
		comm  string
		state byte
		ok    bool
	}{
		{"1234 (nginx) S 1 1234 1234 0 -1", "nginx", 'S', true},
		{"77 (my prog) R 1", "my prog", 'R', true},
		{"78 (a) b) Z 1", "a) b", 'Z', true},
		{"79 ((sd-pam)) S 1", "(sd-pam)", 'S', true},
		{"80 (x)", "", 0, false},
		{"81 x) S", "", 0, false},
		{"", "", 0, false},
	}
	for _, tt := range tests {
		comm, state, ok := parseStat([]byte(tt.in))
		if comm != tt.comm || state != tt.state || ok != tt.ok {
			t.Errorf("parseStat(%q) = %q %q %v, want %q %q %v", tt.in, comm, state, ok, tt.comm, tt.state, tt.ok)
		}
	}
}

// fakeProc writes a /proc-like tree: pid → (stat, cmdline, comm).
func fakeProc(t *testing.T, procs map[int][3]string) string {
	t.Helper()
	root := t.TempDir()
	for pid, f := range procs {
		dir := filepath.Join(root, strconv.Itoa(pid))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for i, name := range []string{"stat", "cmdline", "comm"} {
			if f[i] == "-" {
				continue // missing: the process went away while read
			}
			if err := os.WriteFile(filepath.Join(dir, name), []byte(f[i]), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	// Not processes.
	for _, name := range []string{"self", "sys", "0"} {
		if err := os.MkdirAll(filepath.Join(root, name), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(root, "99"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	return root
}

func TestReadProcsFake(t *testing.T) {
	root := fakeProc(t, map[int][3]string{
		1:   {"1 (init) S 0", "/sbin/init\x00splash\x00", "init\n"},
		42:  {"42 (nginx) S 1", "nginx: master process /usr/sbin/nginx\x00", "nginx\n"},
		43:  {"43 (nginx) Z 42", "", "nginx\n"},
		44:  {"44 (haproxy) S 1", "/usr/sbin/haproxy\x00-f\x00/etc/haproxy/haproxy.cfg\x00", "haproxy\n"},
		45:  {"-", "/x\x00", "x\n"},
		460: {"460 (kworker/0:1) I 2", "", "kworker/0:1\n"},
	})
	procs, err := readProcs(root, true, 20)
	if err != nil {
		t.Fatal(err)
	}
	got := map[int]ProcInfo{}
	for _, p := range procs {
		got[p.PID] = p
	}
	if len(got) != 5 {
		t.Fatalf("readProcs found %d processes: %+v", len(got), procs)
	}
	if p := got[44]; p.Comm != "haproxy" || !bytes.Equal(p.Cmdline, []byte("/usr/sbin/haproxy\x00-f")) {
		t.Errorf("haproxy = %+v (cmdline cut at 20 bytes)", p)
	}
	if !got[43].Zombie || got[42].Zombie {
		t.Errorf("zombie flags: 42 %v, 43 %v", got[42].Zombie, got[43].Zombie)
	}
	spec := ProcSpec{Process: "nginx"}
	n := 0
	for _, p := range procs {
		if spec.match(p) {
			n++
		}
	}
	if n != 1 {
		t.Errorf("nginx counted %d times, want 1 (the zombie does not count)", n)
	}
	p, ok := readProc(root, 44, true, 64)
	if !ok || p.Comm != "haproxy" || !bytes.HasPrefix(p.Cmdline, []byte("/usr/sbin/haproxy\x00")) {
		t.Errorf("readProc = %+v %v", p, ok)
	}
	if _, ok := readProc(root, 12345, true, 0); ok {
		t.Error("readProc of a missing process ok")
	}
}

// sleeper copies /bin/sleep to a name of its own (the process name is
// the file's base name, at most 15 characters) and starts n of them.
func sleeper(t *testing.T, n int, args ...string) (path string, cmds []*exec.Cmd) {
	t.Helper()
	name := fmt.Sprintf("gvh-%d", os.Getpid()%10000000)
	path = filepath.Join(t.TempDir(), name)
	src, err := os.ReadFile("/bin/sleep")
	if err != nil {
		t.Skipf("no /bin/sleep: %v", err)
	}
	if err := os.WriteFile(path, src, 0o755); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < n; i++ {
		cmds = append(cmds, startSleeper(t, path, args...))
	}
	return path, cmds
}

func startSleeper(t *testing.T, path string, args ...string) *exec.Cmd {
	t.Helper()
	if len(args) == 0 {
		args = []string{"30"}
	}
	c := exec.Command(path, args...)
	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stopSleeper(c) })
	return c
}

func stopSleeper(c *exec.Cmd) {
	if c.ProcessState == nil {
		_ = c.Process.Signal(syscall.SIGKILL)
		_ = c.Wait()
	}
}

// TestReadProcsReal counts real processes in /proc.
func TestReadProcsReal(t *testing.T) {
	path, cmds := sleeper(t, 2)
	name := filepath.Base(path)
	other := startSleeper(t, path, "31")
	specs := []ProcSpec{
		{Name: "by-name", Process: name, Quorum: 1, QuorumMax: -1},
		{Name: "by-command", Process: path, FullCommand: true, Quorum: 1, QuorumMax: -1},
		{Name: "with-param", Process: path, Params: []string{"30"}, Match: MatchExact, FullCommand: true, Quorum: 1, QuorumMax: -1},
		{Name: "initial", Process: path, Params: []string{"3"}, Match: MatchInitial, FullCommand: true, Quorum: 1, QuorumMax: -1},
	}
	tb := newProcTable(specs)
	count := func() map[string]int {
		comm, cmdline := tb.needs()
		procs, err := readProcs("/proc", comm, cmdline)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]int{}
		for _, s := range specs {
			for _, p := range procs {
				if s.match(p) {
					out[s.Name]++
				}
			}
		}
		return out
	}
	want := map[string]int{"by-name": 3, "by-command": 3, "with-param": 2, "initial": 3}
	if got := count(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("counts = %v, want %v", got, want)
	}
	stopSleeper(cmds[0])
	stopSleeper(other)
	want = map[string]int{"by-name": 1, "by-command": 1, "with-param": 1, "initial": 1}
	deadline := time.Now().Add(5 * time.Second)
	for {
		got := count()
		if fmt.Sprint(got) == fmt.Sprint(want) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after two exits counts = %v, want %v", got, want)
		}
		time.Sleep(20 * time.Millisecond)
	}
	p, ok := readProc("/proc", cmds[1].Process.Pid, true, 256)
	if !ok || p.Comm != name || !strings.HasPrefix(string(p.Cmdline), path+"\x00") {
		t.Errorf("readProc(%d) = %+v %v", cmds[1].Process.Pid, p, ok)
	}
}
