package daemon

import (
	"github.com/gokeepalived/gokeepalived/internal/ipc"
	"github.com/gokeepalived/gokeepalived/internal/vrrp"
	"github.com/gokeepalived/gokeepalived/pkg/config"
)

// The VRRP child reports every instance's state change to the parent,
// which keeps the latest and relays it to the checker child: keepalived's
// checkers suspend a virtual server whose address is not configured
// (ha_suspend), so they need to know which instances are master.

// ipcState maps a machine's state to the pipe's.
func ipcState(s vrrp.State) ipc.State {
	switch s {
	case vrrp.Backup:
		return ipc.StateBackup
	case vrrp.Master:
		return ipc.StateMaster
	case vrrp.Fault:
		return ipc.StateFault
	case vrrp.Stopped, vrrp.Deleted:
		return ipc.StateStop
	}
	return ipc.StateInit
}

// stateReport is the VRRP child's message for one state change.
func stateReport(instance, group string, s vrrp.State, prio int) *ipc.VRRPState {
	if prio < 0 {
		prio = 0
	} else if prio > 255 {
		prio = 255
	}
	return &ipc.VRRPState{Instance: instance, Group: group, State: ipcState(s), Priority: uint8(prio)}
}

// relayOf is what the parent tells the checker child about a state: the
// instance's virtual addresses are configured only while it is master.
func relayOf(m *ipc.VRRPState, cfg *config.Config) *ipc.Relay {
	r := &ipc.Relay{Instance: m.Instance, State: m.State}
	if m.State != ipc.StateMaster || cfg == nil {
		return r
	}
	for _, v := range cfg.Instances {
		if v.Name != m.Instance {
			continue
		}
		for _, a := range v.VIPs {
			r.Addresses = append(r.Addresses, a.Prefix.Addr())
		}
		for _, a := range v.EVIPs {
			r.Addresses = append(r.Addresses, a.Prefix.Addr())
		}
	}
	return r
}
