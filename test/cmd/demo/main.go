// Command demo is `make demo`: a VRRP failover seen from a client.
//
// It builds a namespace lab (a client on a bridge, routers r1 and r2),
// runs our keepalived in both routers with the seed notes' master/backup
// pair (seed 001 §3), an HTTP server in each router answering "served by
// rN", and a client asking http://VIP/ every 50 ms. It then kills the
// master (SIGKILL and its cable cut), lets the backup take over, brings
// the master back (it preempts), prints every answer change with its
// time and the client-seen gaps, and removes the lab, also on Ctrl-C.
//
// Run as root from the repository: go run ./test/cmd/demo [-keepalived bin/keepalived].
package main

import (
	"bufio"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/gokeepalived/gokeepalived/test/cmd/internal/cmdutil"
	"github.com/gokeepalived/gokeepalived/test/netlab"
)

const (
	vip  = "192.168.0.248"
	port = 80
	// The client's request period and per-request timeout.
	period = 50 * time.Millisecond
	// Seed 001 §3: advert_int 1, backup priority 80.
	advertInt  = time.Second
	backupPrio = 80
)

// The seed pair, relative to the repository.
const (
	seedMaster = "001_c0dd877eb076e720_3.1-master.conf"
	seedBackup = "001_c0dd877eb076e720_3.2-backup.conf"
)

func main() {
	serveHTTP() // when started as a router's HTTP server: never returns
	keepalived := flag.String("keepalived", "bin/keepalived", "our keepalived binary")
	seeds := flag.String("seeds", "test/testdata/seeds", "directory of the seed configurations")
	flag.Parse()
	if why := cmdutil.NeedRoot(); why != "" {
		fmt.Fprintf(os.Stderr, "demo: %s; run it as root: sudo make demo\n", why)
		os.Exit(2)
	}
	bin, err := filepath.Abs(*keepalived)
	if err == nil {
		_, err = os.Stat(bin)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "demo: %v (make build makes it)\n", err)
		os.Exit(2)
	}
	var confs [2]string
	for i, name := range []string{seedMaster, seedBackup} {
		b, err := os.ReadFile(filepath.Join(*seeds, name))
		if err != nil {
			fmt.Fprintf(os.Stderr, "demo: %v\n", err)
			os.Exit(2)
		}
		confs[i] = labConf(string(b))
	}
	p := cmdutil.New(false)
	run(p, bin, confs)
	p.Close()
	say("Done: the lab is gone.")
}

// out serialises the demo's lines (client answers and daemon lines come
// from several goroutines).
var out sync.Mutex

func say(format string, args ...any) {
	out.Lock()
	defer out.Unlock()
	fmt.Printf(format+"\n", args...)
}

func step(format string, args ...any) { say("\n==> "+format, args...) }

func stamp(t time.Time) string { return t.Format("15:04:05.000") }

func run(p *cmdutil.Program, bin string, confs [2]string) {
	l := netlab.New(p, 2)
	step("Lab: client %s on bridge br0 (namespace %s); routers r1 %s and r2 %s (namespaces %s, %s)",
		netlab.ClientAddr, l.Client, netlab.RouterAddr(0), netlab.RouterAddr(1), l.Routers[0], l.Routers[1])
	paths := [2]string{l.WriteConf("r1.conf", confs[0]), l.WriteConf("r2.conf", confs[1])}
	step("r1's keepalived.conf: seed 001 §3 as written, without vrrp_strict and the mail settings")
	fmt.Print(indent(confs[0]))
	step("r2's differs in: %s", strings.Join(changedLines(confs[0], confs[1]), ", "))
	name := instanceName(confs[0])

	for i := range 2 {
		startHTTP(p, l, i)
	}
	step("HTTP servers on port %d in r1 and r2 answer \"served by r1\" / \"served by r2\"", port)

	step("Starting keepalived in r1 (MASTER, priority 100), then in r2 (BACKUP, priority 80)")
	d1 := startDaemon(l, bin, 0, paths[0], name)
	d1.MustLine("("+name+") Entering MASTER STATE", time.Time{}, 15*time.Second)
	d2 := startDaemon(l, bin, 1, paths[1], name)
	d2.MustLine("("+name+") Entering BACKUP STATE", time.Time{}, 15*time.Second)
	showHolders(l)

	step("The client asks http://%s/ every %v (a line when the answer changes, else once a second)", vip, period)
	c := startClient(l)
	c.waitFor("r1", 5*time.Second)
	time.Sleep(3 * time.Second)

	step("Crash: r1's keepalived gets SIGKILL (no priority-0 advert) and r1's cable is cut")
	killAt := time.Now()
	d1.Crash()
	l.Cut(0)
	d2.MustLine("("+name+") Entering MASTER STATE", killAt, 15*time.Second)
	c.waitFor("r2", 5*time.Second)
	time.Sleep(2 * time.Second)
	showHolders(l)
	say("    (r1 still has the VIP on its dead eth0: nobody removed it; its next keepalived does)")

	step("r1 returns: cable mended, keepalived restarted; priority 100 > 80 and preemption is on")
	l.Mend(0)
	backAt := time.Now()
	d1 = startDaemon(l, bin, 0, paths[0], name)
	d1.MustLine("("+name+") Entering MASTER STATE", backAt, 20*time.Second)
	c.waitFor("r1", 5*time.Second)
	time.Sleep(2 * time.Second)
	samples := c.stop()
	showHolders(l)

	probe := &netlab.Probe{Samples: samples}
	bound := protocolBound(advertInt, backupPrio)
	step("What the client saw")
	if g, ok := probe.Gap(killAt, "r1", "r2"); ok {
		say("    failover: %v from r1's last answer to r2's first, %d requests unanswered",
			g.Round(time.Millisecond), unanswered(samples, killAt, "r1", "r2"))
		say("    (VRRP: the backup takes over 3 x advert_int + skew = %v after the last advert it heard,",
			bound.Round(time.Millisecond))
		say("    which r1 sent up to %v before the kill; then a gratuitous ARP moves the client)", advertInt)
	} else {
		say("    failover: r2 never answered")
	}
	if g, ok := probe.Gap(backAt, "r2", "r1"); ok {
		say("    fail-back: %v from r2's last answer to r1's first, %d requests unanswered", g.Round(time.Millisecond),
			unanswered(samples, backAt, "r2", "r1"))
		say("    (r2 steps down when it hears r1's higher priority; r1 has the VIP and sent its ARP by then)")
	} else {
		say("    fail-back: r1 never answered")
	}
	step("Removing the lab (daemons, servers, namespaces)")
}

// startDaemon runs our keepalived in router i and prints its state
// changes as they come, in its own order.
func startDaemon(l *netlab.Lab, bin string, i int, conf, name string) *netlab.Daemon {
	d := l.Start(netlab.Ours, bin, i, conf)
	shown := []string{"Entering MASTER STATE", "Entering BACKUP STATE", "Entering FAULT STATE",
		"setting VIPs.", "removing VIPs.", "Sending/queueing gratuitous ARPs"}
	go func() {
		from := time.Now()
		for {
			// Every line ("" is in each), then which of shown it is.
			at, ok := d.WaitLine("", from, time.Hour)
			if !ok {
				return
			}
			for _, sub := range shown {
				if t, ok := d.WaitLine(sub, at, 0); ok && t.Equal(at) {
					say("%s  r%d keepalived: (%s) %s", stamp(at), i+1, name, sub)
					break
				}
			}
			from = at.Add(time.Nanosecond)
		}
	}()
	return d
}

func showHolders(l *netlab.Lab) {
	var on []string
	for _, i := range l.Holders(vip) {
		a, _ := l.Has(l.Routers[i], vip)
		on = append(on, fmt.Sprintf("r%d (%s/%d label %s)", i+1, vip, a.PrefixLen, a.Label))
	}
	if len(on) == 0 {
		on = []string{"nobody"}
	}
	say("    VIP held by: %s", strings.Join(on, ", "))
}

func indent(s string) string {
	var b strings.Builder
	for _, line := range strings.Split(strings.TrimRight(s, "\n"), "\n") {
		b.WriteString("    | " + line + "\n")
	}
	return b.String()
}

// httpEnv asks this program, started in a router's namespace, to serve
// HTTP: "ADDR NAME".
const httpEnv = "GKDEMO_HTTP"

// serveHTTP serves and never returns when httpEnv is set.
func serveHTTP() {
	spec := os.Getenv(httpEnv)
	if spec == "" {
		return
	}
	addr, name, _ := strings.Cut(spec, " ")
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println("listening")
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		fmt.Fprintf(w, "served by %s\n", name)
	})
	err = http.Serve(ln, h)
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}

// startHTTP runs this program as router i's HTTP server.
func startHTTP(p *cmdutil.Program, l *netlab.Lab, i int) {
	self, err := os.Executable()
	if err != nil {
		p.Fatalf("%v", err)
	}
	cmd := exec.Command("ip", "netns", "exec", l.Routers[i], self)
	cmd.Env = append(os.Environ(), fmt.Sprintf("%s=:%d r%d", httpEnv, port, i+1))
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		p.Fatalf("%v", err)
	}
	if err := cmd.Start(); err != nil {
		p.Fatalf("%v", err)
	}
	p.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	line, _ := bufio.NewReader(stdout).ReadString('\n')
	if strings.TrimSpace(line) != "listening" {
		p.Fatalf("HTTP server in %s did not start: %q", l.Routers[i], line)
	}
}
