package main

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/gokeepalived/gokeepalived/test/cmd/internal/cmdutil"
	"github.com/gokeepalived/gokeepalived/test/netlab"
)

// userHZ is the unit of /proc/PID/stat's times: fixed at 100 by the
// kernel's ABI whatever CONFIG_HZ is.
const userHZ = 100

// scaleResult is one implementation's pair of daemons, per window.
type scaleResult struct {
	cpu   [2][]float64 // % of one CPU, master and backup
	rss   [2][]float64 // MiB, VmRSS of all processes summed
	pss   [2][]float64 // MiB, Pss summed: shared pages (the executable's text) split between the processes
	anon  [2][]float64 // MiB, RssAnon summed: heap, stacks, runtime
	procs [2]int
	flaps int // state changes during the windows
}

// scaleLab is one implementation's pair: r1 runs ifaces × perIf
// instances (all MASTER, priority 100), r2 the same (all BACKUP, 80),
// joined by ifaces links.
type scaleLab struct {
	k  netlab.Kind
	rp *cmdutil.Program
	ds [2]*netlab.Daemon // master, backup
}

func startScale(p *cmdutil.Program, k netlab.Kind, ours string, ifaces, perIf int) *scaleLab {
	rp := p.Sub()
	l := netlab.New(rp, 2)
	// eth0 is the lab's bridge; eth1.. are direct veth pairs r1–r2.
	for i := 1; i < ifaces; i++ {
		eth := fmt.Sprintf("eth%d", i)
		l.Run("ip", "-n", l.Routers[0], "link", "add", eth, "type", "veth", "peer", "name", eth, "netns", l.Routers[1])
		for r := range 2 {
			l.Run("ip", "-n", l.Routers[r], "addr", "add", fmt.Sprintf("10.0.%d.%d/24", i, r+1), "dev", eth)
			l.Run("ip", "-n", l.Routers[r], "link", "set", eth, "up")
		}
	}
	n := ifaces * perIf
	m := l.Start(k, ours, 0, l.WriteConf("r1.conf", scaleConf(ifaces, perIf, "MASTER", 100)))
	waitCount(rp, m, "Entering MASTER STATE", n, 60*time.Second)
	b := l.Start(k, ours, 1, l.WriteConf("r2.conf", scaleConf(ifaces, perIf, "BACKUP", backupPrio)))
	waitCount(rp, b, "Entering BACKUP STATE", n, 60*time.Second)
	if k == netlab.Ours && os.Getenv("VRRPBENCH_KEEP") != "" {
		defer func() {
			fmt.Fprintf(os.Stderr, "vrrpbench: VRRPBENCH_KEEP: %s master %v backup %v, press Enter\n", l.Prefix, m.Pids(), b.Pids())
			fmt.Scanln()
		}()
	}
	return &scaleLab{k: k, rp: rp, ds: [2]*netlab.Daemon{m, b}}
}

// measureScale measures every lab's daemons over the same windows, after
// settle: a busy moment of the shared machine then weighs on every
// implementation alike, and the ratio of each window compares like with
// like. The labs run side by side, about 2 % of a CPU each.
func measureScale(p *cmdutil.Program, labs []*scaleLab, settle, window time.Duration, windows int) []scaleResult {
	time.Sleep(settle)
	res := make([]scaleResult, len(labs))
	var before [][2]int
	var ticks [][2]int64
	for _, lb := range labs {
		var b [2]int
		var t [2]int64
		for i, d := range lb.ds {
			b[i] = d.Count("Entering")
			t[i] = sumTicks(p, d.Pids())
		}
		before, ticks = append(before, b), append(ticks, t)
	}
	t0 := time.Now()
	for range windows {
		time.Sleep(window)
		t1 := time.Now()
		for li, lb := range labs {
			r := &res[li]
			for i, d := range lb.ds {
				pids := d.Pids()
				r.procs[i] = len(pids)
				now := sumTicks(p, pids)
				r.cpu[i] = append(r.cpu[i], 100*float64(now-ticks[li][i])/userHZ/t1.Sub(t0).Seconds())
				m := sumMem(p, pids)
				r.rss[i] = append(r.rss[i], float64(m.rss)/1024)
				r.pss[i] = append(r.pss[i], float64(m.pss)/1024)
				r.anon[i] = append(r.anon[i], float64(m.anon)/1024)
				ticks[li][i] = now
			}
		}
		t0 = t1
	}
	for li, lb := range labs {
		for i, d := range lb.ds {
			res[li].flaps += d.Count("Entering") - before[li][i]
		}
	}
	return res
}

// waitCount waits until d logged want lines containing sub.
func waitCount(p *cmdutil.Program, d *netlab.Daemon, sub string, want int, timeout time.Duration) {
	deadline := time.Now().Add(timeout)
	for d.Count(sub) < want {
		if time.Now().After(deadline) || d.Exited() {
			p.Fatalf("%s: %d of %d %q lines within %v:\n%s", d.Name, d.Count(sub), want, sub, timeout, tail(d.LogText(), 30))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

func sumTicks(p *cmdutil.Program, pids []int) int64 {
	var sum int64
	for _, pid := range pids {
		b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
		if err != nil {
			p.Fatalf("%v", err)
		}
		t, err := cpuTicks(string(b))
		if err != nil {
			p.Fatalf("pid %d: %v", pid, err)
		}
		sum += t
	}
	return sum
}

// sumMem sums the memory of pids, KiB: VmRSS and RssAnon from
// /proc/PID/status, Pss from /proc/PID/smaps_rollup.
func sumMem(p *cmdutil.Program, pids []int) memKiB {
	var sum memKiB
	for _, pid := range pids {
		dir := "/proc/" + strconv.Itoa(pid)
		st, err := os.ReadFile(dir + "/status")
		if err != nil {
			p.Fatalf("%v", err)
		}
		roll, err := os.ReadFile(dir + "/smaps_rollup")
		if err != nil {
			p.Fatalf("%v", err)
		}
		rss, err1 := kibField(string(st), "VmRSS:")
		anon, err2 := kibField(string(st), "RssAnon:")
		pss, err3 := kibField(string(roll), "Pss:")
		if err := errors.Join(err1, err2, err3); err != nil {
			p.Fatalf("pid %d: %v", pid, err)
		}
		sum.rss += rss
		sum.anon += anon
		sum.pss += pss
	}
	return sum
}
