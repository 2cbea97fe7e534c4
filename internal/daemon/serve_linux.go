package daemon

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/announce"
	"github.com/gokeepalived/gokeepalived/internal/cli"
	"github.com/gokeepalived/gokeepalived/internal/firewall"
	"github.com/gokeepalived/gokeepalived/internal/logging"
	"github.com/gokeepalived/gokeepalived/internal/netif"
	"github.com/gokeepalived/gokeepalived/internal/transport"
	"github.com/gokeepalived/gokeepalived/internal/vrrp"
	"github.com/gokeepalived/gokeepalived/pkg/config"
)

// Signals the daemon handles. The dump signals (--signum DATA, STATS,
// STATS_CLEAR, JSON) are caught so that an operator's "kill -USR1" does
// not end the daemon (their default action) while the dumps do not exist
// yet.
var (
	stopSignals = []os.Signal{syscall.SIGTERM, syscall.SIGINT}
	dumpSignals = []os.Signal{syscall.SIGUSR1, syscall.SIGUSR2, syscall.Signal(36), syscall.Signal(63)}
)

// host is what serve sets up, torn down in reverse.
type host struct {
	log      logging.Logger
	nl       *netif.Host
	pool     *transport.Pool
	sender   *announce.Sender
	ann      *announce.Announcer
	fw       *firewall.Firewall
	static   netif.Set
	vmacs    []netif.VMAC
	keepVIPs bool
	// packets carries the adverts the socket goroutines received to the
	// loop; lost counts those dropped because it was full.
	packets chan packet
	lost    lossCounter
	// parents maps each VMAC to its interface, for the GARP rate limits.
	parents map[string]string
}

// open makes an instance's VMAC and registers its sockets (opener).
func (h *host) open(s *spec, idx int) (advertiser, error) {
	if s.vmac != nil {
		if err := h.nl.CreateVMAC(*s.vmac); err != nil {
			return nil, err
		}
		h.addVMACRules(s)
		h.vmacs = append(h.vmacs, *s.vmac)
		h.parents[s.vmac.Name] = s.vmac.Parent
		// The VMAC has no address of its own (an IPv4 one gets only the
		// VIPs, and those only as master): as keepalived 2.2.7 does, the
		// adverts leave from the parent's address, with the VMAC's MAC.
		if !s.view.Src.IsValid() {
			s.view.Src = transport.InterfaceSource(s.vmac.Parent, s.view.Family)
		}
	}
	reg, err := h.pool.Register(s.iface, s.view, func(a *transport.Advert) {
		ad := advertOf(a)
		select {
		case h.packets <- packet{idx: idx, ad: ad, at: a.At}:
		default:
			h.lost.add()
		}
	})
	if err != nil {
		return nil, err
	}
	// The tie-breaker is the address the adverts leave from, which the
	// transport chose when the file names none.
	s.params.SrcIP = reg.View().Src
	for i, t := range s.targets {
		if i == 0 || t.Iface != s.targets[i-1].Iface {
			h.sender.Prepare(t.Iface)
		}
	}
	return reg, nil
}

// update gives a kept instance's sockets their new view (opener).
func (h *host) update(adv advertiser, s *spec) error {
	reg := adv.(*transport.Registration)
	if !s.view.Src.IsValid() {
		s.view.Src = reg.View().Src
	}
	return reg.Update(s.view)
}

// release frees a removed instance's sockets and VMAC (opener).
func (h *host) release(s *spec, adv advertiser) {
	adv.(*transport.Registration).Close()
	if s.vmac == nil {
		return
	}
	for i, vm := range h.vmacs {
		if vm.Name == s.vmac.Name {
			h.fw.DelVMAC(vm.Name) // failures logged by the firewall
			h.nl.DeleteVMAC(vm)
			h.vmacs = append(h.vmacs[:i], h.vmacs[i+1:]...)
			delete(h.parents, vm.Name)
			break
		}
	}
}

// serve sets up the host, runs the instances until a stop signal, and
// tears everything down. It returns the exit status.
//
// It runs in the VRRP child: SIGTERM stops it (keepalived's children
// stop on it too); SIGHUP and SIGINT are the parent's, which sends a
// reload or a stop over the pipe (ctl).
func serve(o cli.Options, cfg *config.Config, specs []spec, log logging.Logger, env runEnv) int {
	sigs := make(chan os.Signal, 8)
	ignoreParentSignals()
	signal.Notify(sigs, append([]os.Signal{syscall.SIGTERM}, dumpSignals...)...)
	defer signal.Stop(sigs)

	if cfg.Global.NetNamespace != "" {
		logging.Infof(log, fmtNetNS, cfg.Global.NetNamespace)
	}
	if line := unsupportedLine(cfg); line != "" {
		logging.Infof(log, fmtUnsupported, line)
	}
	if vrrpScriptWithoutUser(cfg) {
		scriptUser.note(log, cfg)
	}

	h := &host{log: log, keepVIPs: o.DontReleaseVRRP}
	nl, err := netif.Open(netif.Options{Ledger: ledgerPath(cfg.Global.Instance), Log: netifLog(log)})
	if err != nil {
		logging.Errorf(log, fmtSetupFailed, err)
		return exitSetup
	}
	h.nl = nl
	defer h.close()
	logging.Detailf(log, msgNetlinkReflector)
	logging.Detailf(log, msgNetlinkCommand)
	for _, l := range assignedAddressLines(specs) {
		logging.Detailf(log, "%s", l)
	}
	// A respawned child takes over the addresses its predecessor left
	// for instances it can resume (not a sync group member, whose group
	// decides, nor a VMAC, made anew).
	if env.respawn {
		for i := range specs {
			sp := &specs[i]
			sp.resume = sp.group == "" && sp.vmac == nil && nl.Adopt(sp.addrs)
		}
	}
	// What a killed daemon left behind goes first: it may hold the VIPs
	// this start is about to decide on.
	_ = nl.Cleanup() // each left-over is logged by netif

	h.static = netif.StaticSet(cfg)
	if err := nl.Apply(netif.PlanAdd(h.static)); err != nil {
		logging.Errorf(log, fmtStaticSet, err)
	}

	h.pool = transport.NewPool(transport.MuxConfig{
		Log:             func(s string) { logging.Infof(log, "%s", s) },
		LogUnknownVRIDs: cfg.Global.LogUnknownVRIDs,
		LogDetail:       o.LogDetail > 0,
	})
	if h.sender, err = announce.NewSender(announce.SenderOptions{Log: announceLog(log)}); err != nil {
		logging.Errorf(log, fmtSetupFailed, err)
		return exitSetup
	}
	logging.Detailf(log, msgGARPChannel)

	h.packets = make(chan packet, 4096)
	h.parents = map[string]string{}
	eng := newEngine(log, nl, nil)
	eng.keepVIPs = o.DontReleaseVRRP
	h.fw = newFirewall(cfg, log)
	eng.fw = h.fw
	eng.linkUp = linkUp
	if env.up != nil {
		eng.report = func(instance, group string, st vrrp.State, prio int) {
			env.up.Send(stateReport(instance, group, st, prio))
		}
	}
	h.ann = announce.NewAnnouncer(h.sender, announce.ConfigLimits(cfg, func(ifname string) string { return h.parents[ifname] }))
	eng.garp = h.ann
	eng.batch = h.pool

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	links, err := netif.Watch(ctx, netif.WatchOptions{OnError: func(err error) { logging.Errorf(log, "%v", err) }})
	if err != nil {
		logging.Errorf(log, fmtSetupFailed, err)
		return exitSetup
	}

	// The watchers' first verdicts (files read, processes counted) are
	// the instances' start-up state.
	sc := newScripting(cfg, log)
	defer sc.close()
	eng.notify = sc.notifier
	for _, st := range sc.initial() {
		eng.trackStatus(st, time.Now())
	}

	// The first configuration is a reload of nothing: every instance is
	// new.
	eng.reload(specs, h, time.Now())
	for _, l := range sockpoolLines(eng) {
		logging.Detailf(log, "%s", l)
	}
	sc.start()
	if env.ready != nil {
		env.ready()
	}

	env.ack(nil)
	trimMemory()
	r := &reloader{o: o, log: log, eng: eng, host: h, scripts: sc, setUmask: env.setUmask}
	l := loop{eng: eng, log: log, packets: h.packets, links: links, tracks: sc.statuses, sigs: sigs, stop: env.stop,
		lost: &h.lost, sender: h.sender, ctl: env.ctl, up: env.up, reload: r.apply, gen: env.gen}
	l.run() // stops the engine
	return 0
}

// close tears the host down: sockets first (the priority-0 adverts are
// out), then what we configured, unless -V keeps it.
func (h *host) close() {
	if h.ann != nil {
		h.ann.Close()
	}
	if h.pool != nil {
		h.pool.Close()
	}
	if h.sender != nil {
		h.sender.Close()
	}
	if !h.keepVIPs {
		if err := h.nl.Apply(netif.PlanRemove(h.static)); err != nil {
			logging.Errorf(h.log, fmtStaticDel, err)
		}
		for _, vm := range h.vmacs {
			h.nl.DeleteVMAC(vm)
		}
		// The drop rules' tables go with the VIPs (keepalived 2.2.7
		// leaves none after a stop); -V keeps both.
		if h.fw != nil {
			_ = h.fw.Close()
		}
		// Anything still recorded (a VIP whose removal failed) goes now,
		// so that a clean stop leaves nothing of ours.
		if err := h.nl.Release(); err != nil {
			logging.Errorf(h.log, fmtRelease, err)
		}
	}
	h.nl.Close()
}

// ignoreParentSignals makes SIGHUP and SIGINT (the parent's: it sends
// a reload or a stop over the pipe) harmless to a child. They are caught
// and dropped rather than ignored: an ignored signal stays ignored in the
// scripts the child runs, a caught one is reset to its default.
func ignoreParentSignals() {
	c := make(chan os.Signal, 1)
	signal.Notify(c, syscall.SIGHUP, syscall.SIGINT)
	go func() {
		for range c {
		}
	}()
}

// assignedAddressLines are keepalived's "Assigned address" detail lines:
// for each interface an instance runs on, in order of first use, its
// first IPv4 address and its first IPv6 link-local one (the addresses
// keepalived takes as the interface's own for its adverts).
func assignedAddressLines(specs []spec) []string {
	var out []string
	seen := map[string]bool{}
	for i := range specs {
		name := specs[i].iface
		if specs[i].vmac != nil {
			name = specs[i].vmac.Parent
		}
		if seen[name] {
			continue
		}
		seen[name] = true
		ifi, err := net.InterfaceByName(name)
		if err != nil {
			continue
		}
		addrs, err := ifi.Addrs()
		if err != nil {
			continue
		}
		var v4, v6 net.IP
		for _, a := range addrs {
			ipn, ok := a.(*net.IPNet)
			if !ok {
				continue
			}
			switch {
			case ipn.IP.To4() != nil && v4 == nil:
				v4 = ipn.IP
			case ipn.IP.To4() == nil && ipn.IP.IsLinkLocalUnicast() && v6 == nil:
				v6 = ipn.IP
			}
		}
		for _, ip := range []net.IP{v4, v6} {
			if ip != nil {
				out = append(out, fmt.Sprintf(fmtAssignedAddress, ip, name))
			}
		}
	}
	return out
}

// sockpoolLines are keepalived's "VRRP sockpool" detail lines, one per
// socket and address, in the instances' order.
func sockpoolLines(eng *engine) []string {
	var out []string
	seen := map[string]bool{}
	for _, in := range eng.insts {
		reg, ok := in.adv.(*transport.Registration)
		if !ok || in.dead {
			continue
		}
		if key, line, ok := reg.SockpoolLine(); ok && !seen[key] {
			seen[key] = true
			out = append(out, line)
		}
	}
	return out
}

// linkUp reports whether an interface is up and running, as the link
// watch defines it.
func linkUp(name string) bool {
	ifi, err := net.InterfaceByName(name)
	if err != nil {
		return false
	}
	return ifi.Flags&net.FlagUp != 0 && ifi.Flags&net.FlagRunning != 0
}

func netifLog(log logging.Logger) netif.Logger {
	return func(l netif.Line) { log.Log(logging.Line{Text: l.Text, Detail: l.Detail}) }
}

func announceLog(log logging.Logger) announce.Logger {
	return func(l announce.Line) { log.Log(logging.Line{Text: l.Text, Detail: l.Detail}) }
}
