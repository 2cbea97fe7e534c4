package script

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

func TestEnds(t *testing.T) {
	dir := t.TempDir()
	noShebang := filepath.Join(dir, "noshebang")
	if err := os.WriteFile(noShebang, []byte("exit 1\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	exists := filepath.Join(dir, "exists")
	if err := os.WriteFile(exists, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	r := newRunner(t, Options{})
	for _, tc := range []struct {
		name     string
		argv     []string
		exited   bool
		status   int
		signal   syscall.Signal
		errIs    error // Result.Err wraps it
		describe string
	}{
		{name: "success", argv: []string{"/bin/true"}, exited: true, describe: "succeeded"},
		{name: "status", argv: []string{"/bin/sh", "-c", "exit 3"}, exited: true, status: 3, describe: "failed (exited with status 3)"},
		{name: "signal", argv: []string{"/bin/sh", "-c", "kill -USR1 $$"}, signal: syscall.SIGUSR1, describe: "failed (due to signal 10)"},
		{name: "arguments", argv: []string{"/bin/sh", "-c", `[ "$1" = "a b" ] && [ "$2" = "'c'" ]`, "sh", "a b", "'c'"}, exited: true, describe: "succeeded"},
		{name: "path lookup", argv: []string{"false"}, exited: true, status: 1, describe: "failed (exited with status 1)"},
		{name: "not in path", argv: []string{"gvh-no-such-program"}, errIs: fs.ErrNotExist, describe: "succeeded"},
		{name: "no such file", argv: []string{filepath.Join(dir, "missing")}, errIs: syscall.ENOENT, describe: "succeeded"},
		// keepalived 2.2.7 (no libmagic) execve()s it, fails, and its
		// child exits 0.
		{name: "no #! line", argv: []string{noShebang}, errIs: syscall.ENOEXEC, describe: "succeeded"},
		{name: "file test, exists", argv: []string{"<" + exists}, exited: true, describe: "succeeded"},
		{name: "file test, missing", argv: []string{"< " + filepath.Join(dir, "missing")}, exited: true, status: 2, describe: "failed (exited with status 2)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := runSync(t, r, Cmd{Argv: tc.argv}, 10*time.Second)
			if tc.errIs != nil {
				if !errors.Is(res.Err, tc.errIs) {
					t.Fatalf("Err = %v, want %v", res.Err, tc.errIs)
				}
			} else {
				if res.Err != nil {
					t.Fatalf("Err = %v", res.Err)
				}
				if res.Exited != tc.exited || res.Status != tc.status || res.Signal != tc.signal {
					t.Fatalf("got exited %v status %d signal %v, want %v %d %v", res.Exited, res.Status, res.Signal, tc.exited, tc.status, tc.signal)
				}
				if res.Pid <= 0 || res.Elapsed <= 0 {
					t.Errorf("pid %d elapsed %v", res.Pid, res.Elapsed)
				}
			}
			if res.TimedOut || res.Killed || res.Stopped {
				t.Errorf("flags %+v", res)
			}
			if got := res.Describe(); got != tc.describe {
				t.Errorf("Describe() = %q, want %q", got, tc.describe)
			}
		})
	}
}

func TestStartMisuse(t *testing.T) {
	r := NewRunner(Options{})
	called := false
	done := func(Result) { called = true }
	if err := r.Start(Cmd{}, done); !errors.Is(err, ErrNoCommand) {
		t.Errorf("empty argv: %v", err)
	}
	if err := r.Start(Cmd{Argv: []string{""}}, done); !errors.Is(err, ErrNoCommand) {
		t.Errorf("empty program: %v", err)
	}
	if err := r.Start(Cmd{Argv: []string{"/bin/true"}, Timeout: -time.Second}, done); err == nil {
		t.Error("negative timeout accepted")
	}
	r.Close(time.Second)
	if err := r.Start(Cmd{Argv: []string{"/bin/true"}}, done); !errors.Is(err, ErrClosed) {
		t.Errorf("after Close: %v", err)
	}
	r.Close(time.Second) // twice is fine
	if called {
		t.Error("done called for a refused Start")
	}
}

// The program runs as keepalived runs scripts: own process group, its
// session kept, /dev/null on 0-2 and nothing else open, working
// directory /, no signal blocked or ignored (a signal the daemon
// catches is back to its default). Seen from outside, in /proc, while it
// runs.
func TestProcessSetup(t *testing.T) {
	// A descriptor inherited without close-on-exec, like the children's
	// IPC pipes.
	var p [2]int
	if err := unix.Pipe2(p[:], 0); err != nil {
		t.Fatal(err)
	}
	defer unix.Close(p[0])
	defer unix.Close(p[1])
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGHUP, syscall.SIGUSR2)
	defer signal.Stop(sigs)

	r := newRunner(t, Options{})
	pid, _ := liveChild(t, r, Cmd{Argv: []string{"/bin/sleep", "1000"}})
	proc := "/proc/" + strconv.Itoa(pid)
	ents, err := os.ReadDir(proc + "/fd")
	if err != nil {
		t.Fatal(err)
	}
	var fds []string
	for _, e := range ents {
		fds = append(fds, e.Name())
		if target, _ := os.Readlink(proc + "/fd/" + e.Name()); target != "/dev/null" {
			t.Errorf("fd %s -> %s", e.Name(), target)
		}
	}
	if strings.Join(fds, " ") != "0 1 2" {
		t.Errorf("open descriptors %v, want 0 1 2", fds)
	}
	if cwd, _ := os.Readlink(proc + "/cwd"); cwd != "/" {
		t.Errorf("working directory %q", cwd)
	}
	b, err := os.ReadFile(proc + "/status")
	if err != nil {
		t.Fatal(err)
	}
	if v := statusField(t, string(b), "SigBlk"); strings.Trim(v, "0") != "" {
		t.Errorf("SigBlk = %s", v)
	}
	// A signal ignored by whoever started the test process stays ignored
	// in its children (the kernel keeps SIG_IGN across exec, and so does
	// Go); the runner must add none.
	self, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	if v, want := statusField(t, string(b), "SigIgn"), statusField(t, string(self), "SigIgn"); v != want {
		t.Errorf("SigIgn = %s, want the test process's %s", v, want)
	}
	_, _, pgrp, _ := procStat(pid)
	if pgrp != pid {
		t.Errorf("process group %d, want its own %d", pgrp, pid)
	}
	if sid, _ := unix.Getsid(pid); sid != mustSid(t) {
		t.Errorf("session %d, want ours %d", sid, mustSid(t))
	}
}

func mustSid(t *testing.T) int {
	sid, err := unix.Getsid(0)
	if err != nil {
		t.Fatal(err)
	}
	return sid
}

// liveChild starts c, a program that keeps running, and finds it among
// our children; the runner's Close ends it.
func liveChild(t *testing.T, r *Runner, c Cmd) (int, <-chan Result) {
	t.Helper()
	ch := make(chan Result, 1)
	if err := r.Start(c, func(res Result) { ch <- res }); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		all, _ := children(t)
		for _, pid := range all {
			cmdline, _ := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/cmdline")
			if strings.Join(c.Argv, "\x00")+"\x00" == string(cmdline) {
				return pid, ch
			}
		}
		select {
		case res := <-ch:
			t.Fatalf("%q ended: %+v", c.Argv, res)
		case <-time.After(5 * time.Millisecond):
		}
	}
	t.Fatalf("%q: not found among our children", c.Argv)
	return 0, nil
}

func TestDir(t *testing.T) {
	dir := t.TempDir()
	r := newRunner(t, Options{Dir: dir})
	pid, _ := liveChild(t, r, Cmd{Argv: []string{"/bin/sleep", "1000"}})
	if cwd, _ := os.Readlink("/proc/" + strconv.Itoa(pid) + "/cwd"); cwd != dir {
		t.Errorf("working directory %q, want %q", cwd, dir)
	}
}

func TestEnvironment(t *testing.T) {
	t.Setenv("LD_PRELOAD", "/gvh-script-nonexistent.so")
	t.Setenv("LD_LIBRARY_PATH", "/gvh-script-nonexistent")
	t.Setenv("IFS", "x")
	t.Setenv("GVH_SCRIPT_KEPT", "kept")
	t.Setenv("GVH_SCRIPT_REPLACED", "old")
	for _, tc := range []struct {
		name string
		opts Options
		want []string // NAME=value entries expected, once each
		not  []string // names that must be absent
	}{
		{name: "daemon's", opts: Options{},
			want: []string{"GVH_SCRIPT_KEPT=kept", "GVH_SCRIPT_REPLACED=new", "GVH_SCRIPT_ADDED=1", "PATH=" + os.Getenv("PATH")},
			not:  []string{"LD_PRELOAD", "LD_LIBRARY_PATH", "IFS"}},
		{name: "given", opts: Options{Env: []string{"PATH=/usr/bin:/bin", "LD_PRELOAD=/x.so", "IFS=y", "ONLY=1"}},
			want: []string{"ONLY=1", "GVH_SCRIPT_REPLACED=new", "PATH=/usr/bin:/bin"},
			not:  []string{"LD_PRELOAD", "IFS", "GVH_SCRIPT_KEPT"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRunner(t, tc.opts)
			pid, _ := liveChild(t, r, Cmd{Argv: []string{"/bin/sleep", "1000"}, Env: []string{"GVH_SCRIPT_REPLACED=new", "GVH_SCRIPT_ADDED=1"}})
			b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/environ")
			if err != nil {
				t.Fatal(err)
			}
			env := strings.Split(strings.TrimSuffix(string(b), "\x00"), "\x00")
			count := map[string]int{}
			for _, kv := range env {
				count[kv]++
				count[envName(kv)+"="]++
			}
			for _, w := range tc.want {
				if count[w] != 1 || count[envName(w)+"="] != 1 {
					t.Errorf("%s: %d times, its name %d times, in %q", w, count[w], count[envName(w)+"="], env)
				}
			}
			for _, n := range tc.not {
				if count[n+"="] != 0 {
					t.Errorf("%s passed on", n)
				}
			}
		})
	}
}

// A script that spawns a child and waits: at the timeout the group gets
// SIGTERM, the shell dies of it and its child with it, and keepalived
// calls that timed_out.
func TestTimeoutKillsGroup(t *testing.T) {
	dir := publicDir(t)
	pids := filepath.Join(dir, "out", "pids")
	r := newRunner(t, Options{})
	res := runSync(t, r, Cmd{Argv: []string{"/bin/sh", "-c", "sleep 1000 & echo $$ $! > " + pids + "; wait"}, Timeout: 300 * time.Millisecond}, 10*time.Second)
	f := strings.Fields(readWhenThere(t, pids))
	if len(f) != 2 {
		t.Fatalf("pids %q", f)
	}
	if !res.TimedOut || res.Killed || res.Exited || res.Signal != syscall.SIGTERM {
		t.Errorf("%+v", res)
	}
	if res.Elapsed < 300*time.Millisecond || res.Elapsed > 2*time.Second {
		t.Errorf("ended after %v", res.Elapsed)
	}
	if got := res.Describe(); got != "timed_out" {
		t.Errorf("Describe() = %q", got)
	}
	for i, what := range []string{"script", "its sleep"} {
		pid, _ := strconv.Atoi(f[i])
		t.Cleanup(func() { syscall.Kill(pid, syscall.SIGKILL) })
		waitGone(t, pid, what)
	}
}

// A program that ignores SIGTERM gets SIGKILL after the grace, and so do
// the children it left in its group.
func TestTimeoutEscalates(t *testing.T) {
	dir := publicDir(t)
	pids := filepath.Join(dir, "out", "pids")
	r := newRunner(t, Options{KillGrace: 300 * time.Millisecond})
	res := runSync(t, r, Cmd{Argv: []string{"/bin/sh", "-c", "trap '' TERM; sleep 1000 & echo $$ $! > " + pids + "; while :; do wait; done"}, Timeout: 200 * time.Millisecond}, 10*time.Second)
	if !res.TimedOut || !res.Killed || res.Signal != syscall.SIGKILL {
		t.Errorf("%+v", res)
	}
	if res.Elapsed < 500*time.Millisecond || res.Elapsed > 3*time.Second {
		t.Errorf("ended after %v, want timeout+grace", res.Elapsed)
	}
	if got := res.Describe(); got != "timed_out" {
		t.Errorf("Describe() = %q", got)
	}
	for i, what := range []string{"script", "its sleep"} {
		pid, _ := strconv.Atoi(strings.Fields(readWhenThere(t, pids))[i])
		t.Cleanup(func() { syscall.Kill(pid, syscall.SIGKILL) })
		waitGone(t, pid, what)
	}
}

// A script that catches the SIGTERM and exits with a status: keepalived
// reports the status; what the script left in its group is killed.
func TestTimeoutCaught(t *testing.T) {
	dir := publicDir(t)
	pids := filepath.Join(dir, "out", "pids")
	r := newRunner(t, Options{})
	res := runSync(t, r, Cmd{Argv: []string{"/bin/sh", "-c", "trap 'exit 3' TERM; (trap '' TERM; exec sleep 1000) & echo $! > " + pids + "; wait"}, Timeout: 200 * time.Millisecond}, 10*time.Second)
	if !res.TimedOut || res.Killed || !res.Exited || res.Status != 3 {
		t.Errorf("%+v", res)
	}
	if got := res.Describe(); got != "failed (exited with status 3)" {
		t.Errorf("Describe() = %q", got)
	}
	pid, _ := strconv.Atoi(strings.TrimSpace(readWhenThere(t, pids)))
	t.Cleanup(func() { syscall.Kill(pid, syscall.SIGKILL) })
	waitGone(t, pid, "the sleep that ignores SIGTERM")
}

// A program that ends by itself keeps its background children (a notify
// script may leave a mail being sent), as with keepalived.
func TestBackgroundChildKept(t *testing.T) {
	dir := publicDir(t)
	pids := filepath.Join(dir, "out", "pids")
	r := newRunner(t, Options{})
	res := runSync(t, r, Cmd{Argv: []string{"/bin/sh", "-c", "sleep 1000 & echo $! > " + pids}, Timeout: 5 * time.Second}, 10*time.Second)
	if !res.Succeeded() {
		t.Fatalf("%+v", res)
	}
	pid, _ := strconv.Atoi(strings.TrimSpace(readWhenThere(t, pids)))
	defer syscall.Kill(pid, syscall.SIGKILL)
	time.Sleep(50 * time.Millisecond)
	if gone(pid) {
		t.Error("the background child was killed")
	}
}

func TestNoZombies(t *testing.T) {
	r := newRunner(t, Options{})
	const n = 100
	var wg sync.WaitGroup
	wg.Add(n)
	for i := 0; i < n; i++ {
		argv := []string{"/bin/true"}
		if i%2 == 1 {
			argv = []string{"/bin/sh", "-c", "kill -KILL $$"}
		}
		if err := r.Start(Cmd{Argv: argv}, func(Result) { wg.Done() }); err != nil {
			t.Fatal(err)
		}
	}
	wg.Wait()
	if err := r.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	all, zombies := children(t)
	if len(zombies) > 0 || len(all) > 0 {
		t.Errorf("children left: %v, zombies %v", all, zombies)
	}
}

// Many programs at once, each reported exactly once with its own status.
func TestConcurrent(t *testing.T) {
	r := newRunner(t, Options{})
	const n = 200
	var mu sync.Mutex
	seen := make([]int, n)
	var wg sync.WaitGroup
	wg.Add(n)
	for i := 0; i < n; i++ {
		i := i
		c := Cmd{Argv: []string{"/bin/sh", "-c", "sleep 0.$1; exit $2", "sh", strconv.Itoa(i % 3), strconv.Itoa(i % 50)}, Timeout: 30 * time.Second}
		err := r.Start(c, func(res Result) {
			defer wg.Done()
			mu.Lock()
			seen[i]++
			mu.Unlock()
			if res.Err != nil || !res.Exited || res.Status != i%50 {
				t.Errorf("program %d: %+v", i, res)
			}
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if got := r.Running(); got == 0 || got > n {
		t.Errorf("Running() = %d", got)
	}
	wg.Wait()
	if err := r.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := r.Running(); got != 0 {
		t.Errorf("Running() = %d after all ended", got)
	}
	for i, c := range seen {
		if c != 1 {
			t.Errorf("program %d reported %d times", i, c)
		}
	}
}

// Waiting for a program costs a parked goroutine, not a thread: 100
// programs at once do not make 100 threads.
func TestWaitingCostsNoThreads(t *testing.T) {
	r := newRunner(t, Options{})
	const n = 100
	for i := 0; i < n; i++ {
		if err := r.Start(Cmd{Argv: []string{"/bin/sleep", "1000"}}, nil); err != nil {
			t.Fatal(err)
		}
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		if all, _ := children(t); len(all) == n {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("programs did not start")
		}
		time.Sleep(10 * time.Millisecond)
	}
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	threads, _ := strconv.Atoi(statusField(t, string(b), "Threads"))
	if threads >= n/2 {
		t.Errorf("%d threads for %d waiting programs", threads, n)
	}
}

func TestWait(t *testing.T) {
	r := newRunner(t, Options{})
	if err := r.Wait(context.Background()); err != nil {
		t.Fatalf("idle runner: %v", err)
	}
	ended := make(chan struct{})
	if err := r.Start(Cmd{Argv: []string{"/bin/sleep", "0.2"}}, func(Result) { close(ended) }); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := r.Wait(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Wait while running: %v", err)
	}
	ctx2, cancel2 := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel2()
	if err := r.Wait(ctx2); err != nil {
		t.Fatal(err)
	}
	select {
	case <-ended:
	default:
		t.Error("Wait returned before done")
	}
}

// Close stops every running program, the stubborn ones with SIGKILL after
// the grace, and returns when all are reported.
func TestClose(t *testing.T) {
	dir := publicDir(t)
	r := NewRunner(Options{})
	var mu sync.Mutex
	var results []Result
	done := func(res Result) { mu.Lock(); results = append(results, res); mu.Unlock() }
	for i := 0; i < 4; i++ {
		argv := []string{"/bin/sleep", "1000"}
		if i == 3 {
			argv = []string{"/bin/sh", "-c", "trap '' TERM; echo $$ > " + filepath.Join(dir, "out", "stubborn") + "; while :; do sleep 1; done"}
		}
		if err := r.Start(Cmd{Argv: argv}, done); err != nil {
			t.Fatal(err)
		}
	}
	readWhenThere(t, filepath.Join(dir, "out", "stubborn"))
	start := time.Now()
	r.Close(300 * time.Millisecond)
	took := time.Since(start)
	if took < 300*time.Millisecond || took > 3*time.Second {
		t.Errorf("Close took %v", took)
	}
	if len(results) != 4 {
		t.Fatalf("%d results", len(results))
	}
	sigs := map[syscall.Signal]int{}
	for _, res := range results {
		if !res.Stopped || res.TimedOut || res.Exited || res.Err != nil {
			t.Errorf("%+v", res)
		}
		sigs[res.Signal]++
	}
	if sigs[syscall.SIGTERM] != 3 || sigs[syscall.SIGKILL] != 1 {
		t.Errorf("signals %v", sigs)
	}
	if all, _ := children(t); len(all) > 0 {
		t.Errorf("children left: %v", all)
	}
}

// Programs still queued when Close comes are reported with ErrClosed.
func TestCloseQueued(t *testing.T) {
	r := NewRunner(Options{})
	var mu sync.Mutex
	count := map[string]int{}
	const n = 50
	for i := 0; i < n; i++ {
		err := r.Start(Cmd{Argv: []string{"/bin/sleep", "1000"}}, func(res Result) {
			mu.Lock()
			defer mu.Unlock()
			switch {
			case errors.Is(res.Err, ErrClosed):
				count["closed"]++
			case res.Stopped:
				count["stopped"]++
			default:
				count["other"]++
			}
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	r.Close(time.Second)
	if count["closed"]+count["stopped"] != n || count["other"] != 0 {
		t.Errorf("%v", count)
	}
	if r.Running() != 0 {
		t.Errorf("Running() = %d", r.Running())
	}
}

func TestStartStoppable(t *testing.T) {
	r := newRunner(t, Options{KillGrace: 200 * time.Millisecond})
	ch := make(chan Result, 1)
	stop, err := r.StartStoppable(Cmd{Argv: []string{"/bin/sh", "-c", "trap '' TERM; while :; do sleep 1; done"}}, func(res Result) { ch <- res })
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond)
	stop()
	stop()
	select {
	case res := <-ch:
		if !res.Stopped || res.TimedOut || res.Signal != syscall.SIGKILL {
			t.Errorf("%+v", res)
		}
		if res.Elapsed > 3*time.Second {
			t.Errorf("stopped after %v", res.Elapsed)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("not stopped")
	}
	stop() // after the end: nothing
	if _, err := r.StartStoppable(Cmd{}, nil); !errors.Is(err, ErrNoCommand) {
		t.Errorf("empty command: %v", err)
	}

	// Stopped before the forker got to it: never runs.
	got := make(chan Result, 1)
	p := &proc{r: r, c: Cmd{Argv: []string{"/bin/true"}}, done: func(res Result) { got <- res }, pid: -1, pidfd: -1}
	r.mu.Lock()
	r.addRunningLocked()
	r.mu.Unlock()
	p.stopOne()
	p.launch()
	if res := <-got; !errors.Is(res.Err, ErrStopped) || res.Pid != 0 {
		t.Errorf("%+v", res)
	}
}

// If the daemon is killed, its programs get SIGTERM (PR_SET_PDEATHSIG).
func TestDiesWithDaemon(t *testing.T) {
	dir := publicDir(t)
	pidfile := filepath.Join(dir, "out", "pid")
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), helperEnv+"=pdeath", "GVH_SCRIPT_PIDFILE="+pidfile)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pid, _ := strconv.Atoi(strings.TrimSpace(readWhenThere(t, pidfile)))
	t.Cleanup(func() { syscall.Kill(pid, syscall.SIGKILL) })
	if gone(pid) {
		t.Fatal("the program is not running")
	}
	cmd.Process.Kill()
	cmd.Wait()
	waitGone(t, pid, "the program of a killed daemon")
}

// Other goroutines that lock their thread and return end that thread;
// a program is not the child of such a thread, so it lives on.
func TestThreadExitKeepsPrograms(t *testing.T) {
	dir := publicDir(t)
	pidfile := filepath.Join(dir, "out", "pid")
	r := newRunner(t, Options{})
	if err := r.Start(Cmd{Argv: []string{"/bin/sh", "-c", "echo $$ > " + pidfile + "; exec sleep 1000"}}, nil); err != nil {
		t.Fatal(err)
	}
	pid, _ := strconv.Atoi(strings.TrimSpace(readWhenThere(t, pidfile)))
	var wg sync.WaitGroup
	for i := 0; i < 64; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			runtime.LockOSThread() // and return locked: the thread ends
			time.Sleep(time.Millisecond)
		}()
	}
	wg.Wait()
	time.Sleep(100 * time.Millisecond)
	if gone(pid) {
		t.Fatal("the program died with a thread of the daemon")
	}
}

// A name without a slash is looked up in PATH and run as the path found.
func TestPathLookup(t *testing.T) {
	dir := publicDir(t)
	bin := filepath.Join(dir, "bin")
	if err := os.Mkdir(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out", "zero")
	writeScript(t, bin, "gvh-probe", `echo "$0" > `+out+"\n")
	r := newRunner(t, Options{Env: []string{"PATH=/nonexistent:" + bin + ":/usr/bin:/bin"}})
	res := runSync(t, r, Cmd{Argv: []string{"gvh-probe"}}, 10*time.Second)
	if res.Err != nil || !res.Succeeded() {
		t.Fatalf("%+v", res)
	}
	if got := strings.TrimSpace(readWhenThere(t, out)); got != filepath.Join(bin, "gvh-probe") {
		t.Errorf("$0 = %q", got)
	}
}

// The program runs as the given user, with its group as the only
// supplementary group (keepalived's setgroups(1, &gid)).
func TestCred(t *testing.T) {
	needRoot(t)
	name := "gvh-sc-" + strconv.Itoa(os.Getpid())
	if out, err := exec.Command("useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", name).CombinedOutput(); err != nil {
		t.Skipf("useradd: %v %s", err, out)
	}
	t.Cleanup(func() { exec.Command("userdel", name).Run(); exec.Command("groupdel", name).Run() })
	for _, tc := range []struct{ user, group string }{{name, ""}, {"nobody", "nogroup"}} {
		t.Run(tc.user, func(t *testing.T) {
			cred, err := LookupCred(tc.user, tc.group)
			if err != nil {
				t.Fatal(err)
			}
			dir := publicDir(t)
			out := filepath.Join(dir, "out", "status")
			script := writeScript(t, dir, "probe", "cat /proc/$$/status > "+out+"\n")
			r := newRunner(t, Options{})
			res := runSync(t, r, Cmd{Argv: []string{script}, Cred: &cred}, 10*time.Second)
			if res.Err != nil || !res.Succeeded() {
				t.Fatalf("%+v", res)
			}
			status := readWhenThere(t, out)
			uid, gid := strconv.Itoa(int(cred.UID)), strconv.Itoa(int(cred.GID))
			if got := strings.Fields(statusField(t, status, "Uid")); len(got) != 4 || got[0] != uid || got[1] != uid {
				t.Errorf("Uid %v, want %s", got, uid)
			}
			if got := strings.Fields(statusField(t, status, "Gid")); len(got) != 4 || got[0] != gid || got[1] != gid {
				t.Errorf("Gid %v, want %s", got, gid)
			}
			if got := statusField(t, status, "Groups"); got != gid {
				t.Errorf("Groups %q, want %s", got, gid)
			}
		})
	}
}

// A user that may not execute the file: the start fails with the reason.
func TestCredNotExecutable(t *testing.T) {
	needRoot(t)
	cred, err := LookupCred("nobody", "")
	if err != nil {
		t.Skip(err)
	}
	dir := publicDir(t)
	script := writeScript(t, dir, "rootonly", "exit 0\n")
	if err := os.Chmod(script, 0o700); err != nil {
		t.Fatal(err)
	}
	r := newRunner(t, Options{})
	res := runSync(t, r, Cmd{Argv: []string{script}, Cred: &cred}, 10*time.Second)
	if !errors.Is(res.Err, syscall.EACCES) {
		t.Errorf("Err = %v, want EACCES", res.Err)
	}
}

// The escalation steps, on a proc whose pid exists nowhere (above any
// pid_max), so that no signal reaches anyone and it never ends.
func TestEscalationSteps(t *testing.T) {
	after, every := stuckAfter, stuckEvery
	stuckAfter, stuckEvery = 30*time.Millisecond, 30*time.Millisecond
	defer func() { stuckAfter, stuckEvery = after, every }()

	stuck := make(chan int, 10)
	r := &Runner{grace: 30 * time.Millisecond, opts: Options{Stuck: func(c Cmd, pid int) { stuck <- pid }}}
	const nowhere = 1 << 23
	p := &proc{r: r, c: Cmd{Argv: []string{"x"}}, pid: nowhere, pidfd: -1}
	p.mu.Lock()
	p.arm(20 * time.Millisecond)
	p.mu.Unlock()
	for i := 0; i < 2; i++ {
		select {
		case pid := <-stuck:
			if pid != nowhere {
				t.Fatalf("stuck pid %d", pid)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("Stuck not called")
		}
	}
	p.mu.Lock()
	if !p.timedOut || !p.killed || p.stage != stageKill {
		t.Errorf("timedOut %v killed %v stage %d", p.timedOut, p.killed, p.stage)
	}
	p.exited = true // stops the timer chain
	p.timer.Stop()
	p.mu.Unlock()

	// halt of a proc already being killed does not restart it.
	p2 := &proc{r: r, c: Cmd{Argv: []string{"x"}}, pid: nowhere, pidfd: -1}
	p2.halt(time.Hour)
	p2.mu.Lock()
	if !p2.stopped || p2.stage != stageTerm || p2.timedOut {
		t.Errorf("halt: stopped %v stage %d timedOut %v", p2.stopped, p2.stage, p2.timedOut)
	}
	due := p2.due
	p2.mu.Unlock()
	p2.halt(time.Minute) // a shorter grace wins
	p2.mu.Lock()
	if !p2.due.Before(due) {
		t.Error("a shorter grace did not move the SIGKILL earlier")
	}
	p2.exited = true
	p2.timer.Stop()
	p2.mu.Unlock()
}

func BenchmarkStartTrue(b *testing.B) {
	r := NewRunner(Options{})
	defer r.Close(time.Second)
	ch := make(chan Result, 1)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := r.Start(Cmd{Argv: []string{"/bin/true"}}, func(res Result) { ch <- res }); err != nil {
			b.Fatal(err)
		}
		if res := <-ch; !res.Succeeded() || res.Err != nil {
			b.Fatalf("%+v", res)
		}
	}
}
