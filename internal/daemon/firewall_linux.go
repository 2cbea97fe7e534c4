package daemon

import "github.com/gokeepalived/gokeepalived/internal/firewall"

// addVMACRules gives a new VMAC keepalived 2.2.7's rules (its multicast
// reports leave from the parent), as keepalived makes them with the VMAC.
// Failures are logged by the firewall.
func (h *host) addVMACRules(s *spec) {
	if h.fw == nil || s.vmac == nil {
		return
	}
	fam := firewall.IPv4
	if s.conf != nil && s.conf.Family == "inet6" {
		fam = firewall.IPv6
	}
	_ = h.fw.AddVMAC(s.vmac.Name, s.vmac.Parent, fam)
}
