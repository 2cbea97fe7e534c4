package daemon

import (
	"os"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// The parent runs on one CPU. It is idle but for its pings, and its one
// urgent job is to pass a stop signal on to the VRRP child. The Go runtime
// takes a signal through three threads (the one the kernel interrupts,
// the one waiting for signals, and one to run the parent's loop), and
// waking a sleeping thread on another CPU costs about 0.3 ms on this
// project's test VM (an IPI to an idle virtual CPU). With every thread on
// one CPU the wakes stay local: kill(2) to the parent's loop went from
// 0.45-2.2 ms (median 0.6) to 0.30-0.56 ms (median 0.35), measured in a
// lab. The children put back the CPUs the parent had: they do the work,
// and they and their scripts run as keepalived's would.

// cpusEnv hands the parent's CPUs to its children; they remove it.
const cpusEnv = "GOKEEPALIVED_CPUS"

// pinParent keeps every thread of this process on one of the CPUs it
// may use (the one it runs on), and tells the children the full set. It
// does nothing when there is only one, or when the set cannot be read.
func pinParent() {
	var all unix.CPUSet
	if unix.SchedGetaffinity(0, &all) != nil || all.Count() < 2 {
		return
	}
	cpu := currentCPU()
	if cpu < 0 || !all.IsSet(cpu) {
		cpu = firstCPU(&all)
	}
	var one unix.CPUSet
	one.Set(cpu)
	if setAffinity(&one) {
		os.Setenv(cpusEnv, formatCPUs(&all))
	}
}

// restoreCPUs gives a child the parent's CPUs back.
func restoreCPUs() {
	v, ok := os.LookupEnv(cpusEnv)
	if !ok {
		return
	}
	os.Unsetenv(cpusEnv)
	if set, ok := parseCPUs(v); ok {
		setAffinity(&set)
	}
}

// setAffinity applies set to every thread of the process (a thread the
// runtime starts later inherits its creator's); it reports whether all
// took it.
func setAffinity(set *unix.CPUSet) bool {
	tasks, err := os.ReadDir("/proc/self/task")
	if err != nil {
		return false
	}
	ok := true
	for _, t := range tasks {
		tid, err := strconv.Atoi(t.Name())
		if err != nil {
			continue
		}
		if unix.SchedSetaffinity(tid, set) != nil {
			ok = false
		}
	}
	return ok
}

// currentCPU is the CPU this thread last ran on (field 39 of its stat
// line), or -1.
func currentCPU() int {
	b, err := os.ReadFile("/proc/thread-self/stat")
	if err != nil {
		return -1
	}
	// The command name, field 2, may hold blanks: count after its ')'.
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return -1
	}
	f := strings.Fields(s[i+1:])
	if len(f) < 37 {
		return -1
	}
	n, err := strconv.Atoi(f[36]) // field 39; fields 3.. start at f[0]
	if err != nil {
		return -1
	}
	return n
}

func firstCPU(set *unix.CPUSet) int {
	for i := range len(set) * 64 {
		if set.IsSet(i) {
			return i
		}
	}
	return 0
}

// formatCPUs lists a set's CPUs: "0,1,5".
func formatCPUs(set *unix.CPUSet) string {
	var b strings.Builder
	for i := range len(set) * 64 {
		if set.IsSet(i) {
			if b.Len() > 0 {
				b.WriteByte(',')
			}
			b.WriteString(strconv.Itoa(i))
		}
	}
	return b.String()
}

func parseCPUs(s string) (unix.CPUSet, bool) {
	var set unix.CPUSet
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(f)
		if err != nil || n < 0 || n >= len(set)*64 {
			return set, false
		}
		set.Set(n)
	}
	return set, set.Count() > 0
}
