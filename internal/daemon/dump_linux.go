package daemon

import (
	"io"
	"net"
	"net/netip"
	"os"
	"os/user"
	"strconv"
	"strings"

	"github.com/gokeepalived/gokeepalived/internal/dump"
	"github.com/gokeepalived/gokeepalived/internal/ipc"
	"github.com/gokeepalived/gokeepalived/internal/logging"
	"github.com/gokeepalived/gokeepalived/internal/transport"
	"github.com/gokeepalived/gokeepalived/pkg/config"
)

// The dump lines: keepalived 2.2.7's (logged by the process that
// writes, with its pid, observed in test/vrrp's TestDumps), and ours for
// a failure, where keepalived says nothing.
const (
	fmtDumpData       = "Printing VRRP data for process(%d) on signal"
	fmtDumpStats      = "Printing VRRP stats for process(%d) on signal"
	fmtDumpStatsClear = "Printing and clearing VRRP stats for process(%d) on signal"
	fmtDumpJSON       = "Printing VRRP as json for process(%d) on signal"
	fmtDumpParent     = "Printing parent data for process(%d) on signal"
	fmtDumpFailed     = "Cannot write %s: %v"
)

// dump writes the file a dump signal asks for, in $TMPDIR or /tmp as
// keepalived does: SIGUSR1 keepalived.data, SIGUSR2 keepalived.stats,
// STATS_CLEAR keepalived.stats and then the counters zeroed, JSON
// keepalived.json.
func (l *loop) dump(k ipc.DumpKind) {
	var s *dump.Snapshot
	name, line, write := dump.DataFile, fmtDumpData, func(w io.Writer) error { return dump.WriteData(w, s) }
	switch k {
	case ipc.DumpData:
	case ipc.DumpStats, ipc.DumpStatsClear:
		name, line, write = dump.StatsFile, fmtDumpStats, func(w io.Writer) error { return dump.WriteStats(w, s) }
		if k == ipc.DumpStatsClear {
			line = fmtDumpStatsClear
		}
	case ipc.DumpJSON:
		name, line, write = dump.JSONFile, fmtDumpJSON, func(w io.Writer) error { return dump.WriteJSON(w, s) }
	default:
		return
	}
	logging.Infof(l.log, line, os.Getpid())
	s = l.eng.snapshot(liveFacts())
	if err := dump.WriteFile(dump.Dir(), name, write); err != nil {
		logging.Errorf(l.log, fmtDumpFailed, name, err)
	}
	if k == ipc.DumpStatsClear {
		l.eng.clearStats()
	}
}

// writeParentData is the parent's part of SIGUSR1:
// keepalived_parent.data, the global definitions as the parent read
// them.
func writeParentData(cfg *config.Config, log logging.Logger) {
	if cfg == nil {
		cfg = config.NewConfig()
	}
	logging.Infof(log, fmtDumpParent, os.Getpid())
	g := globalOf(&cfg.Global, liveFacts(), true)
	err := dump.WriteFile(dump.Dir(), dump.ParentDataFile, func(w io.Writer) error { return dump.WriteParentData(w, &g) })
	if err != nil {
		logging.Errorf(log, fmtDumpFailed, dump.ParentDataFile, err)
	}
}

// liveFacts reads the host: the name, the script users, the interfaces
// of the network namespace, the instances' socket descriptors.
func liveFacts() *hostFacts {
	h := &hostFacts{ids: scriptIDs, fd: advertiserFD, ifindex: func(name string) int {
		if ifi, err := net.InterfaceByName(name); err == nil {
			return ifi.Index
		}
		return 0
	}}
	h.hostname, _ = os.Hostname()
	ifs, _ := net.Interfaces()
	for _, ifi := range ifs {
		h.interfaces = append(h.interfaces, interfaceOf(ifi))
	}
	return h
}

func advertiserFD(a advertiser) int {
	if r, ok := a.(*transport.Registration); ok {
		return r.FD()
	}
	return -1
}

// scriptIDs is the uid and gid scripts run as: the named user (and
// group, else the user's own), or keepalived's default script user,
// keepalived_script when it exists, else root.
func scriptIDs(name, group string) (int, int) {
	if name == "" {
		name = "keepalived_script"
	}
	u, err := user.Lookup(name)
	if err != nil {
		return 0, 0
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	if group != "" {
		if g, err := user.LookupGroup(group); err == nil {
			gid, _ = strconv.Atoi(g.Gid)
		}
	}
	return uid, gid
}

// interfaceOf is an interface as keepalived's interface list shows it:
// its first IPv4 address and its IPv6 link-local address (the one
// keepalived keeps for the interface), flags, MTU and hardware type.
func interfaceOf(ifi net.Interface) dump.Interface {
	d := dump.Interface{
		Name: ifi.Name, Index: ifi.Index, MTU: ifi.MTU,
		Up:          ifi.Flags&net.FlagUp != 0,
		Running:     ifi.Flags&net.FlagRunning != 0,
		Loopback:    ifi.Flags&net.FlagLoopback != 0,
		NoBroadcast: ifi.Flags&net.FlagBroadcast == 0,
		NoMulticast: ifi.Flags&net.FlagMulticast == 0,
	}
	d.SeenUp = d.Up && d.Running
	if len(ifi.HardwareAddr) > 0 {
		d.MAC = ifi.HardwareAddr.String()
		d.MACBrd = sysfs(ifi.Name, "broadcast")
	}
	switch sysfs(ifi.Name, "type") {
	case "1":
		d.HWType = "ETHERNET"
	case "772":
		d.HWType = "LOOPBACK"
	case "":
		d.HWType = "ETHERNET"
		if d.Loopback {
			d.HWType = "LOOPBACK"
		}
	default:
		d.HWType = "UNKNOWN"
	}
	addrs, _ := ifi.Addrs()
	for _, a := range addrs {
		n, ok := a.(*net.IPNet)
		if !ok {
			continue
		}
		if v4 := n.IP.To4(); v4 != nil {
			if !d.IPv4.IsValid() {
				d.IPv4 = addrOf(v4)
			}
		} else if n.IP.IsLinkLocalUnicast() && !d.IPv6.IsValid() {
			d.IPv6 = addrOf(n.IP)
		}
	}
	return d
}

// sysfs reads one attribute of an interface (the network namespace's
// sysfs, as ip netns exec mounts it).
func sysfs(ifname, attr string) string {
	b, err := os.ReadFile("/sys/class/net/" + ifname + "/" + attr)
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}

func addrOf(ip net.IP) netip.Addr {
	a, _ := netip.AddrFromSlice(ip)
	return a.Unmap()
}
