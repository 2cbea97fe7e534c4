package daemon

import (
	"os"
	"path/filepath"
	"strconv"
	"syscall"

	"github.com/gokeepalived/gokeepalived/internal/netif"
)

// ledgerPath is the netif ownership file of this daemon. Daemons in
// different network namespaces share /run, so each namespace needs its
// own ledger, or one daemon's start-up cleanup would undo another's VIPs
// (every test lab, and "ip netns exec NS keepalived" in production, runs
// such daemons). A namespace made by ip-netns is known by its name; an
// unnamed one other than PID 1's by its inode.
func ledgerPath(instance string) string {
	return netif.LedgerPath(instance, netnsLabel())
}

func netnsLabel() string {
	self, ok := nsID("/proc/self/ns/net")
	if !ok {
		return ""
	}
	if entries, err := os.ReadDir("/run/netns"); err == nil {
		for _, e := range entries {
			if id, ok := nsID(filepath.Join("/run/netns", e.Name())); ok && id == self {
				return e.Name()
			}
		}
	}
	// PID 1's namespace may be unreadable (a container without
	// CAP_SYS_PTRACE): then we cannot tell, and take the default.
	if init, ok := nsID("/proc/1/ns/net"); ok && init != self {
		return "netns-" + strconv.FormatUint(self.ino, 10)
	}
	return ""
}

type nsKey struct{ dev, ino uint64 }

func nsID(path string) (nsKey, bool) {
	var st syscall.Stat_t
	if err := syscall.Stat(path, &st); err != nil {
		return nsKey{}, false
	}
	return nsKey{dev: uint64(st.Dev), ino: st.Ino}, true
}
