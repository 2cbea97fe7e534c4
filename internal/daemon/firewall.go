package daemon

import (
	"github.com/gokeepalived/gokeepalived/internal/firewall"
	"github.com/gokeepalived/gokeepalived/internal/logging"
	"github.com/gokeepalived/gokeepalived/pkg/config"
)

// firewaller keeps the no_accept drop rules (*firewall.Firewall).
type firewaller interface {
	Set(instance string, vips []firewall.VIP) error
	Remove(instance string) error
}

// dropRules sets an instance's drop rules (set: with ActAddVIPs, before
// its addresses, as keepalived 2.2.7 does, so that no packet reaches a VIP
// of a no_accept master) or clears them (after the addresses). An
// instance in accept mode has none; a reload that turns no_accept off
// clears what it had. Failures are logged by the firewall.
func (e *engine) dropRules(in *instance, set bool) {
	if e.fw == nil || in == nil {
		return
	}
	if set && in.m.Params().NoAccept {
		_ = e.fw.Set(in.spec.name, firewallVIPs(&in.spec))
	} else {
		_ = e.fw.Remove(in.spec.name)
	}
}

// firewallVIPs are an instance's VIPs and eVIPs on the devices they are
// placed on (its VMAC with use_vmac).
func firewallVIPs(s *spec) []firewall.VIP {
	dev := ""
	if s.conf != nil {
		dev = s.conf.Interface
	}
	if s.vmac != nil {
		dev = s.vmac.Name
	}
	var g *config.GlobalDefs
	if s.cfg != nil {
		g = &s.cfg.Global
	}
	return firewall.VIPsOf(s.conf, g, s.addrs.Addrs, dev)
}

// newFirewall makes the firewall of a configuration; it touches nothing
// until an instance needs a drop rule.
func newFirewall(cfg *config.Config, log logging.Logger) *firewall.Firewall {
	o := firewall.OptionsFromConfig(&cfg.Global)
	o.Log = func(l firewall.Line) { log.Log(logging.Line{Text: l.Text, Detail: l.Detail}) }
	return firewall.New(o)
}
