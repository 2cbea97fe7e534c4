// Command soak is `make soak`: reloads under traffic.
//
// Three routers run our keepalived (priorities 100, 90, 80; one VRRP
// instance with a VIP, seed 001 §5.1's shape, tracking a weighted
// vrrp_script, with a generic notify script) and a TCP server each; a
// client connects to the VIP every 10 ms for the whole run. Each round
// rewrites every router's configuration (alternately the same file and
// one with a second VIP and other timers — never a change of who should
// be master) and sends SIGHUP to all three parents. After the rounds it
// reports the requests the client lost, the state and priority changes
// the daemons logged, and each daemon's memory (RSS of the parent and its VRRP
// child) after warm-up rounds (the Go heap grows to its working size over
// the first few dozen reloads, then stays) and at the end. It exits 1 if
// a request was lost, a state or a priority changed, or memory grew
// beyond the allowance.
//
// Run as root from the repository: go run ./test/cmd/soak [-rounds 100].
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/gokeepalived/gokeepalived/test/cmd/internal/cmdutil"
	"github.com/gokeepalived/gokeepalived/test/netlab"
)

const (
	vip  = "192.168.0.248"
	vip2 = "192.168.0.249"
	port = 8080
)

func main() {
	netlab.MaybeServe()
	keepalived := flag.String("keepalived", "bin/keepalived", "our keepalived binary")
	rounds := flag.Int("rounds", 100, "measured reload rounds (each reloads all three routers)")
	flag.IntVar(&warmup, "warmup", 50, "reload rounds before the measured ones (the Go heap reaches its working size)")
	growth := flag.Int("max-growth-kib", 2048, "allowed RSS growth per daemon (parent and child) over the measured rounds")
	flag.BoolVar(&verbose, "v", false, "print each process's RSS every 50 rounds")
	flag.Parse()
	if why := cmdutil.NeedRoot(); why != "" {
		fmt.Fprintf(os.Stderr, "soak: %s; run it as root: sudo make soak\n", why)
		os.Exit(2)
	}
	bin, err := filepath.Abs(*keepalived)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	p := cmdutil.New(false)
	code := run(p, bin, *rounds, *growth)
	p.Close() // not deferred: os.Exit runs no deferred call
	os.Exit(code)
}

// conf is router i's configuration; alt selects the variant with a
// second VIP and other GARP timers (same priorities: no one should move).
func conf(i int, alt bool) string {
	state := "BACKUP"
	if i == 0 {
		state = "MASTER"
	}
	extra, vips := "", "        "+vip+"/24 dev eth0 label eth0:0\n"
	if alt {
		vips += "        " + vip2 + "/24 dev eth0\n"
		extra = "    garp_master_delay 2\n    garp_master_refresh 30\n"
	}
	// A weighted script that always succeeds and a generic notify
	// script: every reload hands the trackers and the notifier a new
	// configuration, and neither may move the priority or notify.
	return fmt.Sprintf(`global_defs {
   router_id R%d
   vrrp_garp_interval 0
   vrrp_gna_interval 0
   enable_script_security
   script_user root
}
vrrp_script chk {
    script "/bin/true"
    interval 1
    weight -20
}
vrrp_instance VI_1 {
    state %s
    interface eth0
    virtual_router_id 51
    priority %d
    advert_int 1
    authentication {
        auth_type PASS
        auth_pass 1111
    }
    virtual_ipaddress {
%s    }
    track_script {
        chk
    }
    notify "/bin/true"
%s}
`, i+1, state, 100-10*i, vips, extra)
}

var (
	verbose bool
	warmup  int
)

func run(p *cmdutil.Program, bin string, rounds, maxGrowthKiB int) int {
	l := netlab.New(p, 3)
	var ds []*netlab.Daemon
	for i := range 3 {
		l.Server(i, port)
		ds = append(ds, l.Start(netlab.Ours, bin, i, l.WriteConf(fmt.Sprintf("r%d.conf", i+1), conf(i, false))))
	}
	ds[0].MustLine("(VI_1) Entering MASTER STATE", time.Time{}, 15*time.Second)
	for _, d := range ds[1:] {
		d.MustLine("(VI_1) Entering BACKUP STATE", time.Time{}, 15*time.Second)
	}
	time.Sleep(2 * time.Second)
	if got := l.Dial(vip+":"+strconv.Itoa(port), time.Second); got != "r1" {
		p.Fatalf("the client reaches %q through the VIP, want r1", got)
	}
	entering, prio := make([]int, 3), make([]int, 3)
	for i, d := range ds {
		entering[i] = d.Count("Entering")
		prio[i] = d.Count("Changing effective priority")
	}

	stop := make(chan struct{})
	probe := make(chan *netlab.Probe)
	go func() { probe <- l.RunProbeTimeout(vip+":"+strconv.Itoa(port), 10*time.Millisecond, time.Second, stop) }()

	start := time.Now()
	var rssWarm []int
	reloads := 0
	if warmup == 0 {
		rssWarm = rssAll(ds)
	}
	for r := range warmup + rounds {
		alt := r%2 == 1
		at := time.Now()
		for i, d := range ds {
			l.WriteConf(fmt.Sprintf("r%d.conf", i+1), conf(i, alt))
			d.Signal(syscall.SIGHUP)
		}
		for _, d := range ds {
			d.MustLine("Reload complete", at, 10*time.Second)
			reloads++
		}
		if r == warmup-1 {
			rssWarm = rssAll(ds)
		}
		if verbose && r%50 == 49 {
			for i, d := range ds {
				var per []string
				for _, pid := range d.Pids() {
					per = append(per, fmt.Sprintf("%d:%dKiB", pid, rssKiB(pid)))
				}
				fmt.Printf("round %d r%d %s\n", r+1, i+1, strings.Join(per, " "))
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	time.Sleep(time.Second)
	close(stop)
	pr := <-probe
	rssEnd := rssAll(ds)
	took := time.Since(start)

	lost, wrong := 0, 0
	for _, s := range pr.Samples {
		switch s.Who {
		case "":
			lost++
			fmt.Printf("lost: request at %v\n", s.At.Sub(start).Round(time.Millisecond))
		case "r1":
		default:
			wrong++
		}
	}
	fail := false
	fmt.Printf("soak: %d reloads (%d + %d warm-up rounds × 3 routers) in %v\n", reloads, rounds, warmup, took.Round(time.Millisecond))
	fmt.Printf("client: %d requests through the VIP, %d lost, %d answered by another router than the master\n", len(pr.Samples), lost, wrong)
	if lost > 0 || wrong > 0 {
		fail = true
	}
	for i, d := range ds {
		changes := d.Count("Entering") - entering[i]
		prioChanges := d.Count("Changing effective priority") - prio[i]
		refused := d.Count("Reload refused")
		growth := rssEnd[i] - rssWarm[i]
		fmt.Printf("r%d: %d state changes, %d priority changes, %d refused reloads, RSS %d KiB after the warm-up, %d KiB at the end (%+d KiB)\n",
			i+1, changes, prioChanges, refused, rssWarm[i], rssEnd[i], growth)
		if changes != 0 || prioChanges != 0 || refused != 0 || growth > maxGrowthKiB {
			fail = true
		}
	}
	if fail {
		fmt.Println("soak: FAIL")
		return 1
	}
	fmt.Println("soak: PASS")
	return 0
}

// rssAll is each daemon's RSS in KiB: the parent and its VRRP child.
func rssAll(ds []*netlab.Daemon) []int {
	out := make([]int, len(ds))
	for i, d := range ds {
		for _, pid := range d.Pids() {
			out[i] += rssKiB(pid)
		}
	}
	return out
}

func rssKiB(pid int) int {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmRSS:") {
			f := strings.Fields(line)
			if len(f) >= 2 {
				n, _ := strconv.Atoi(f[1])
				return n
			}
		}
	}
	return 0
}
