package script

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// helperEnv makes the test binary a small daemon for the tests that need
// one to die (see TestMain).
const helperEnv = "GVH_SCRIPT_HELPER"

func TestMain(m *testing.M) {
	if os.Getenv(helperEnv) == "pdeath" {
		pdeathHelper()
		return
	}
	os.Exit(m.Run())
}

// pdeathHelper starts "sleep 1000" through a Runner, prints its pid and
// waits to be killed.
func pdeathHelper() {
	r := NewRunner(Options{})
	if err := r.Start(Cmd{Argv: []string{"/bin/sh", "-c", "echo $$ > " + os.Getenv("GVH_SCRIPT_PIDFILE") + "; exec sleep 1000"}}, func(Result) {}); err != nil {
		fmt.Println("start:", err)
		os.Exit(2)
	}
	time.Sleep(time.Hour) // SIGKILL ends us first
}

// runSync runs c and returns its Result, failing the test after limit.
func runSync(t *testing.T, r *Runner, c Cmd, limit time.Duration) Result {
	t.Helper()
	ch := make(chan Result, 2)
	if err := r.Start(c, func(res Result) { ch <- res }); err != nil {
		t.Fatalf("Start(%q): %v", c.Argv, err)
	}
	select {
	case res := <-ch:
		return res
	case <-time.After(limit):
		t.Fatalf("%q: no result after %v", c.Argv, limit)
	}
	return Result{}
}

// newRunner is a runner closed when the test ends.
func newRunner(t *testing.T, o Options) *Runner {
	t.Helper()
	r := NewRunner(o)
	t.Cleanup(func() { r.Close(100 * time.Millisecond) })
	return r
}

// publicDir is a directory anyone may traverse, with a subdirectory
// "out" anyone may write, removed when the test ends (t.TempDir is 0700
// under a 0700 parent, no use to a script running as another user).
func publicDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", fmt.Sprintf("gvh-script-%d-", os.Getpid()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "out"), 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(filepath.Join(dir, "out"), 0o1777); err != nil {
		t.Fatal(err)
	}
	return dir
}

// writeScript writes an executable shell script.
func writeScript(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte("#!/bin/sh\n"+body), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

// readWhenThere reads a file a program writes, waiting for it a little.
func readWhenThere(t *testing.T, path string) string {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		b, err := os.ReadFile(path)
		if err == nil && len(b) > 0 && strings.HasSuffix(string(b), "\n") {
			return string(b)
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: not written (%v)", path, err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// procStat is the state and parent of a process from /proc/PID/stat.
func procStat(pid int) (state byte, ppid, pgrp int, ok bool) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, 0, 0, false
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 || i+2 >= len(s) {
		return 0, 0, 0, false
	}
	f := strings.Fields(s[i+2:])
	if len(f) < 3 {
		return 0, 0, 0, false
	}
	ppid, _ = strconv.Atoi(f[1])
	pgrp, _ = strconv.Atoi(f[2])
	return f[0][0], ppid, pgrp, true
}

// gone reports whether pid has ended: no such process, or a zombie left
// for whoever adopted it (not ours to reap).
func gone(pid int) bool {
	if err := syscall.Kill(pid, 0); err == syscall.ESRCH {
		return true
	}
	state, ppid, _, ok := procStat(pid)
	return !ok || (state == 'Z' && ppid != os.Getpid())
}

// waitGone waits a little for pid to end.
func waitGone(t *testing.T, pid int, what string) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Second)
	for !gone(pid) {
		if time.Now().After(deadline) {
			t.Fatalf("%s (pid %d) still running", what, pid)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// children lists this process's children and how many are zombies.
func children(t *testing.T) (all, zombies []int) {
	t.Helper()
	ents, err := os.ReadDir("/proc")
	if err != nil {
		t.Fatal(err)
	}
	me := os.Getpid()
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		state, ppid, _, ok := procStat(pid)
		if !ok || ppid != me {
			continue
		}
		all = append(all, pid)
		if state == 'Z' {
			zombies = append(zombies, pid)
		}
	}
	return all, zombies
}

// statusField is one line of a /proc/PID/status dump, without its name.
func statusField(t *testing.T, status, name string) string {
	t.Helper()
	sc := bufio.NewScanner(strings.NewReader(status))
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), name+":"); ok {
			return strings.TrimSpace(v)
		}
	}
	t.Fatalf("no %s in %q", name, status)
	return ""
}

func needRoot(t *testing.T) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root")
	}
}
