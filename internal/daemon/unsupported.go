package daemon

import (
	"strings"

	"github.com/gokeepalived/gokeepalived/pkg/config"
)

// fmtUnsupported is logged once at start when the configuration uses
// features this version reads and checks but does not run yet, so that an
// operator who switched from keepalived learns it from the log and not
// from an outage. Ours; keepalived has no such line.
const fmtUnsupported = "Configured but not supported yet (read and checked, not run): %s"

// unsupported lists, in a fixed order, the configured features the daemon
// does not run yet. Each name is the keyword an operator would grep for.
func unsupported(cfg *config.Config) []string {
	var out []string
	add := func(cond bool, what string) {
		if cond {
			out = append(out, what)
		}
	}
	var bfds bool
	for _, v := range cfg.Instances {
		bfds = bfds || len(v.TrackBFDs) > 0
	}
	for _, g := range cfg.SyncGroups {
		bfds = bfds || len(g.TrackBFDs) > 0
	}
	gl := &cfg.Global
	add(bfds || len(cfg.BFDInstances) > 0, "bfd_instance/track_bfd")
	add(len(cfg.VirtualServers) > 0 || len(cfg.VirtualServerGroups) > 0, "virtual_server (IPVS and health checkers)")
	add(gl.EnableTraps || gl.EnableSNMPVRRP || gl.EnableSNMPChecker || gl.EnableSNMPRFCv2 || gl.EnableSNMPRFCv3, "SNMP")
	return out
}

func isTrue(b *bool) bool { return b != nil && *b }

func unsupportedLine(cfg *config.Config) string {
	u := unsupported(cfg)
	if len(u) == 0 {
		return ""
	}
	return strings.Join(u, ", ")
}
