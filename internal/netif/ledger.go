package netif

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
)

// Ownership of what we configure is kept in a ledger file, not in a
// marker on the kernel objects:
//
//   - keepalived itself only removes, at start, what its configuration
//     names; a daemon killed before a reload that dropped a VIP leaves
//     that VIP behind forever. The ledger names exactly what the dead
//     process had added, whatever the new configuration says.
//   - routes and rules could be recognised by protocol keepalived (18),
//     but so are another keepalived instance's (-i/instance, or a second
//     daemon with another configuration) and the operator's; addresses
//     could carry IFA_PROTO (Linux 5.18+), but ip(8) then prints "proto
//     18" in the "ip addr" lines operators grep, and older kernels drop
//     it; VMACs and sysctls have no marker at all.
//
// Entries are written before the request that creates the object is sent
// (a crash in between leaves an entry whose undo finds nothing to remove)
// and dropped after the object is removed. Each entry holds the netlink
// request that undoes it, or the sysctl value to restore, so that a new
// start can undo a dead process's work without its configuration. The
// file is replaced atomically; it lives on /run (tmpfs), which a reboot
// empties together with the kernel state it describes.

// DefaultLedger is the ledger of a daemon started without -i/instance
// and net_namespace; LedgerPath gives the others.
const DefaultLedger = "/run/keepalived/netif.json"

// LedgerPath returns the ledger of a daemon instance (keepalived's
// "instance" / -i) in a network namespace (net_namespace), so that
// several daemons on one host never undo each other's work.
func LedgerPath(instance, netns string) string {
	name := "netif"
	if instance != "" {
		name += "_" + instance
	}
	if netns != "" {
		name += "@" + netns
	}
	return filepath.Join(filepath.Dir(DefaultLedger), name+".json")
}

// Entry kinds.
const (
	kindAddr   = "addr"
	kindRoute  = "route"
	kindRule   = "rule"
	kindLink   = "link"
	kindSysctl = "sysctl"
)

// entry is one thing we own.
type entry struct {
	Kind string `json:"kind"`
	ID   string `json:"id"`
	Desc string `json:"desc,omitempty"`
	// Undo is the netlink request that removes an address, route or rule.
	Undo []byte `json:"undo,omitempty"`
	// Links: the VMAC's name (ID), parent, MAC and address family.
	Parent string `json:"parent,omitempty"`
	MAC    string `json:"mac,omitempty"`
	IPv6   bool   `json:"ipv6,omitempty"`
	// Sysctls: ID is the path under /proc/sys, Value the value to put
	// back; Iface and Conf (IPV4_DEVCONF_*) when it is set by netlink;
	// Group says why it was changed ("rp_filter", "parent").
	Value string `json:"value,omitempty"`
	Iface string `json:"iface,omitempty"`
	Conf  uint16 `json:"conf,omitempty"`
	Group string `json:"group,omitempty"`
}

type ledgerFile struct {
	Version int     `json:"version"`
	Entries []entry `json:"entries"`
}

// ledger is the in-memory copy of the file; path "" keeps it in memory
// only.
type ledger struct {
	path    string
	entries []entry
	dirty   bool
	dirMade bool // path's directory was made once
}

func loadLedger(path string) (*ledger, error) {
	l := &ledger{path: path}
	if path == "" {
		return l, nil
	}
	// encoding/json builds its encoder for a type on first use: 0.3 ms
	// here, which the first save would spend between a new master's
	// advert and its first gratuitous ARP. Spend it now.
	json.MarshalIndent(ledgerFile{Entries: []entry{{Undo: []byte{0}}}}, "", "\t")
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return l, nil
	}
	if err != nil {
		return nil, err
	}
	var f ledgerFile
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if f.Version != 1 {
		return nil, fmt.Errorf("%s: unknown version %d", path, f.Version)
	}
	l.entries = f.Entries
	return l, nil
}

func (l *ledger) find(kind, id string) int {
	return slices.IndexFunc(l.entries, func(e entry) bool { return e.Kind == kind && e.ID == id })
}

func (l *ledger) has(kind, id string) bool { return l.find(kind, id) >= 0 }

// put records e (replacing an entry of the same kind and id, whose place
// it keeps) and reports whether one was there.
func (l *ledger) put(e entry) bool {
	l.dirty = true
	if i := l.find(e.Kind, e.ID); i >= 0 {
		l.entries[i] = e
		return true
	}
	l.entries = append(l.entries, e)
	return false
}

// keep records a sysctl's original value unless it is already recorded
// (the first value seen is the one to put back).
func (l *ledger) keep(e entry) {
	if !l.has(e.Kind, e.ID) {
		l.put(e)
	}
}

func (l *ledger) drop(kind, id string) {
	if i := l.find(kind, id); i >= 0 {
		l.entries = slices.Delete(l.entries, i, i+1)
		l.dirty = true
	}
}

func (l *ledger) get(kind, id string) (entry, bool) {
	if i := l.find(kind, id); i >= 0 {
		return l.entries[i], true
	}
	return entry{}, false
}

// filter returns the entries f accepts, in order.
func (l *ledger) filter(f func(entry) bool) []entry {
	var out []entry
	for _, e := range l.entries {
		if f(e) {
			out = append(out, e)
		}
	}
	return out
}

// save writes the file if it changed: a temporary file renamed over the
// old one; no entries remove it.
func (l *ledger) save() error {
	if l.path == "" || !l.dirty {
		l.dirty = false
		return nil
	}
	if len(l.entries) == 0 {
		if err := os.Remove(l.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		l.dirty = false
		return nil
	}
	b, err := json.MarshalIndent(ledgerFile{Version: 1, Entries: l.entries}, "", "\t")
	if err != nil {
		return err
	}
	if !l.dirMade {
		if err := os.MkdirAll(filepath.Dir(l.path), 0o755); err != nil {
			return err
		}
		l.dirMade = true
	}
	tmp := l.path + ".tmp"
	if err := writeFile(tmp, append(b, '\n')); err != nil {
		return err
	}
	if err := rename(tmp, l.path); err != nil {
		os.Remove(tmp)
		return err
	}
	l.dirty = false
	return nil
}
