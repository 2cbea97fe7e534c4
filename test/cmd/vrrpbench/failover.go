package main

import (
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"github.com/gokeepalived/gokeepalived/test/cmd/internal/cmdutil"
	"github.com/gokeepalived/gokeepalived/test/netlab"
)

const (
	vip        = "192.168.0.248"
	port       = 8080
	backupPrio = 80
	// The client dials every probeStep: probes probes of period
	// probeStep×probes, each dial bounded by probeTimeout (which a dial
	// toward the departed master runs out: hence several probes).
	probes       = 5
	probeStep    = time.Millisecond
	probeTimeout = 4 * time.Millisecond
)

// scenario is one failover measured.
type scenario struct {
	name    string
	version int
	advert  time.Duration
	term    bool // SIGTERM handover (priority 0) instead of a crash
}

var scenarios = []scenario{
	{"crash (SIGKILL + cable cut), VRRPv2 advert_int 1", 2, time.Second, false},
	{"crash (SIGKILL + cable cut), VRRPv3 advert_int 0.05", 3, 50 * time.Millisecond, false},
	{"SIGTERM handover, VRRPv2 advert_int 1", 2, time.Second, true},
	{"SIGTERM handover, VRRPv3 advert_int 0.05", 3, 50 * time.Millisecond, true},
}

// failoverRun is one repetition's result.
type failoverRun struct {
	gap       time.Duration // client: r1's last answer to r2's first
	afterLast time.Duration // wire: r1's last advert to r2's first answer
	// masterLine is from r1's last advert to r2's "Entering MASTER STATE"
	// as read from its console: how much of afterLast is the backup's
	// timer.
	masterLine time.Duration
	ok         bool
}

// failover runs one repetition of s with both routers running kind k:
// the master (r1, priority 100) is stopped right after one of its adverts
// crossed the bridge, and the client dials VIP:port every millisecond.
func failover(p *cmdutil.Program, k netlab.Kind, ours string, s scenario) failoverRun {
	rp := p.Sub()
	defer rp.Close()
	l := netlab.New(rp, 2)
	l.Server(0, port)
	l.Server(1, port)
	start := 15*time.Second + 4*s.advert
	m := l.Start(k, ours, 0, l.WriteConf("r1.conf", pairConf(s, "MASTER", 100)))
	if _, ok := m.WaitLine("(VI_1) Entering MASTER STATE", time.Time{}, start); !ok {
		rp.Fatalf("%s: r1 not master within %v:\n%s", k, start, m.LogText())
	}
	b := l.Start(k, ours, 1, l.WriteConf("r2.conf", pairConf(s, "BACKUP", backupPrio)))
	if _, ok := b.WaitLine("(VI_1) Entering BACKUP STATE", time.Time{}, start); !ok {
		rp.Fatalf("%s: r2 not backup within %v:\n%s", k, start, b.LogText())
	}
	wire := startWatch(rp, l, fmt.Sprintf("ip proto 112 and src host %s", netlab.RouterAddr(0)))
	if dir := os.Getenv("VRRPBENCH_PCAP"); dir != "" {
		// Diagnosis: everything on the bridge, one file per run.
		pcapSeq++
		dump(rp, l, filepath.Join(dir, fmt.Sprintf("%03d-%s.pcap", pcapSeq, k)))
	}
	stop := make(chan struct{})
	probed := make(chan *netlab.Probe)
	go func() {
		probed <- l.RunProbes(fmt.Sprintf("%s:%d", vip, port), probes, probes*probeStep, probeTimeout, stop)
	}()
	// The client resolves the VIP to r1 and a few adverts go by.
	time.Sleep(max(time.Second, 3*s.advert))

	// Act just after an advert: the backup has just restarted its
	// Master_Down timer, so every repetition measures the same interval.
	wire.next(2 * s.advert)
	at := time.Now()
	if s.term {
		m.Signal(syscall.SIGTERM)
	} else {
		m.Crash()
		l.Cut(0)
	}
	tookAt, took := b.WaitLine("(VI_1) Entering MASTER STATE", at, bound(s)+5*time.Second)
	// Long enough for the client to reach r2 (gratuitous ARP, the next
	// probe) and for tcpdump to print r1's last advert.
	time.Sleep(300*time.Millisecond + s.advert)
	close(stop)
	probe := <-probed
	if !took {
		fmt.Fprintf(os.Stderr, "vrrpbench: %s %s: r2 did not take over\n", k, s.name)
		return failoverRun{}
	}
	if s.term {
		m.Wait(5 * time.Second)
	}

	var r failoverRun
	first := probe.Samples[0].At
	gap, ok := probe.Gap(first, "r1", "r2")
	if !ok {
		fmt.Fprintf(os.Stderr, "vrrpbench: %s %s: the client never reached r2\n", k, s.name)
		return r
	}
	r.gap = gap
	// r2's first answer, and r1's last advert before it.
	var firstR2 time.Time
	for _, smp := range probe.Samples {
		if smp.Who == "r2" {
			firstR2 = smp.At
			break
		}
	}
	last, ok := wire.lastBefore(firstR2)
	if !ok {
		fmt.Fprintf(os.Stderr, "vrrpbench: %s %s: no advert of r1 captured\n", k, s.name)
		return r
	}
	r.masterLine = tookAt.Sub(last)
	r.afterLast = firstR2.Sub(last)
	r.ok = true
	return r
}
