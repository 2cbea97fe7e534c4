package daemon

import (
	"os"
	"strconv"
	"testing"

	"golang.org/x/sys/unix"
)

// threadCPUs reads every thread's CPU set.
func threadCPUs(t *testing.T) map[int]string {
	t.Helper()
	tasks, err := os.ReadDir("/proc/self/task")
	if err != nil {
		t.Fatal(err)
	}
	out := map[int]string{}
	for _, e := range tasks {
		tid, _ := strconv.Atoi(e.Name())
		var set unix.CPUSet
		if unix.SchedGetaffinity(tid, &set) == nil {
			out[tid] = formatCPUs(&set)
		}
	}
	return out
}

// TestPinParent: the parent's threads all go to one of its CPUs and the
// children are told the whole set, which restoreCPUs puts back on every
// thread (and forgets).
func TestPinParent(t *testing.T) {
	var all unix.CPUSet
	if err := unix.SchedGetaffinity(0, &all); err != nil || all.Count() < 2 {
		t.Skip("one CPU: nothing to pin")
	}
	want := formatCPUs(&all)
	t.Cleanup(func() { setAffinity(&all); os.Unsetenv(cpusEnv) })
	pinParent()
	if got := os.Getenv(cpusEnv); got != want {
		t.Errorf("%s=%q, want %q", cpusEnv, got, want)
	}
	one := ""
	for tid, s := range threadCPUs(t) {
		if set, ok := parseCPUs(s); !ok || set.Count() != 1 {
			t.Errorf("thread %d on %s", tid, s)
		}
		if one != "" && s != one {
			t.Errorf("threads on %s and %s", one, s)
		}
		one = s
	}
	restoreCPUs()
	if _, ok := os.LookupEnv(cpusEnv); ok {
		t.Error("the children's variable was kept")
	}
	for tid, s := range threadCPUs(t) {
		if s != want {
			t.Errorf("thread %d on %s after restoring, want %s", tid, s, want)
		}
	}
}

func TestCPUList(t *testing.T) {
	for _, s := range []string{"0", "1,3", "0,1,2,63,64,1023"} {
		set, ok := parseCPUs(s)
		if !ok || formatCPUs(&set) != s {
			t.Errorf("%q: %q %v", s, formatCPUs(&set), ok)
		}
	}
	for _, bad := range []string{"", "x", "1,", "-1", "1024"} {
		if _, ok := parseCPUs(bad); ok {
			t.Errorf("%q accepted", bad)
		}
	}
	if c := currentCPU(); c < 0 {
		t.Errorf("current CPU %d", c)
	}
}
