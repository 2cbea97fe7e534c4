package vrrp

import "net/netip"

// Read-only views of a machine's state for the daemon's dump files
// (keepalived.data and keepalived.json show these values of its vrrp_t).
// None of them changes the machine.

// WantState is keepalived's wantstate: where the machine is heading (a
// sync group member held back in BACKUP wants MASTER).
func (m *Machine) WantState() State { return m.want }

// BasePriority is the configured priority, before tracking weights.
func (m *Machine) BasePriority() int { return m.basePrio }

// TotalPriority is the base priority plus the weighted trackers'
// contributions, before EffectivePriority clamps it.
func (m *Machine) TotalPriority() int { return m.totalPriority() }

// MasterRouter is the source address and priority of the last advert
// that made this machine follow a master (keepalived's master_saddr and
// master_priority); the address is invalid until one arrived.
func (m *Machine) MasterRouter() (netip.Addr, int) { return m.masterSaddr, m.masterPrio }

// TrackFaults is the number of weight-0 tracked objects that are down
// (keepalived's num_script_if_fault).
func (m *Machine) TrackFaults() int { return m.faults() }

// TrackInits is the number of weight-0 tracked objects that have not
// reported yet (keepalived's num_script_init).
func (m *Machine) TrackInits() int { return m.inits() }

// VIPsSet says the machine holds its addresses (keepalived's vipset).
func (m *Machine) VIPsSet() bool { return m.vipSet }

// IsResignAdvert reports whether acts[i] is the priority-0 advert a
// master sends when it gives up its addresses (RFC 3768 §6.4.3 "Stop"),
// which keepalived counts as pri_zero_sent; the priority-0 advert it
// sends first on its way to FAULT is not counted (vrrp_restore_interface
// with advF set is the only place keepalived 2.2.7 counts it).
func IsResignAdvert(acts []Action, i int) bool {
	if i < 0 || i+1 >= len(acts) {
		return false
	}
	a, next := &acts[i], &acts[i+1]
	return a.Kind == ActSendAdvert && a.Priority == PrioStop &&
		next.Kind == ActLog && next.Instance == a.Instance && next.Text == msgSentPrio0.text(a.Instance)
}
