package daemon

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

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
	if cfg := l.eng.config(); k == ipc.DumpData && cfg != nil {
		// keepalived.data's "Default script uid:gid" looks the user up.
		scriptUser.note(l.log, cfg)
	}
	s = l.eng.snapshot(liveFacts())
	if err := writeDump(name, write); err != nil {
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
	scriptUser.note(log, cfg)
	g := globalOf(&cfg.Global, liveFacts(), true)
	err := writeDump(dump.ParentDataFile, func(w io.Writer) error { return dump.WriteParentData(w, &g) })
	if err != nil {
		logging.Errorf(log, fmtDumpFailed, dump.ParentDataFile, err)
	}
}

// writeDump writes one dump file in $TMPDIR or /tmp with the mode
// keepalived's have: 0666 less the process's umask, as fopen makes them
// (keepalived 2.2.7 observed: 0640 under umask 027, 0644 under 022, 0600
// under its default 0177). dump.WriteFile makes it 0600, the mode is
// widened once the file is in place.
func writeDump(name string, write func(io.Writer) error) error {
	dir := dump.Dir()
	if err := dump.WriteFile(dir, name, write); err != nil {
		return err
	}
	mask, err := currentUmask()
	if err != nil {
		return err
	}
	return os.Chmod(filepath.Join(dir, name), dumpFileMode(mask))
}

// dumpFileMode is the mode a file created 0666 gets under mask.
func dumpFileMode(mask uint32) os.FileMode {
	return 0o666 &^ os.FileMode(mask&0o777)
}

// currentUmask reads the process's umask from /proc/self/status (Linux
// 4.7 and later): syscall.Umask can only read it by changing it, which
// would race with the files other goroutines create.
func currentUmask() (uint32, error) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, fmt.Errorf("read umask: %w", err)
	}
	return parseUmask(b)
}

// parseUmask finds the "Umask:" line of a /proc/PID/status text.
func parseUmask(status []byte) (uint32, error) {
	sc := bufio.NewScanner(bytes.NewReader(status))
	for sc.Scan() {
		v, ok := strings.CutPrefix(sc.Text(), "Umask:")
		if !ok {
			continue
		}
		m, err := strconv.ParseUint(strings.TrimSpace(v), 8, 32)
		if err != nil || m > 0o777 {
			return 0, fmt.Errorf("read umask: bad Umask line %q", sc.Text())
		}
		return uint32(m), nil
	}
	return 0, fmt.Errorf("read umask: no Umask line in /proc/self/status")
}

// scriptUser is the process's "Script user 'keepalived_script' does not
// exist" note. keepalived looks its default script user up once per
// process, the first time it needs it (observed: a VRRP child or a
// checker with a script that names no user at start-up; otherwise at
// the first SIGUSR1 dump, in the parent and in each child, and not at
// the second, nor at a stats or JSON dump).
var scriptUser = &scriptUserNote{missing: defaultUserMissing}

// scriptUserNote logs keepalived's line the first time it is asked
// while the configuration leaves the default user to find and that user
// is missing.
type scriptUserNote struct {
	mu      sync.Mutex
	done    bool
	missing func() bool
}

func (n *scriptUserNote) note(log logging.Logger, cfg *config.Config) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.done || cfg.Global.ScriptUser != "" {
		return
	}
	n.done = true
	if n.missing() {
		logging.Infof(log, fmtNoScriptUser, defaultScriptUser)
	}
}

func defaultUserMissing() bool {
	_, err := user.Lookup(defaultScriptUser)
	return err != nil
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
