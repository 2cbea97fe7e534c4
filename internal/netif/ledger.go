package netif

import (
	"bytes"
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
// start can undo a dead process's work without its configuration.
//
// The file is a journal: a version line, then one JSON line per change
// ("put" an entry, "drop" one). A new master records its VIP between its
// advert and its gratuitous ARP, so a change must cost one append, not a
// rewrite of every entry (0.15 ms for one entry on this project's test VM,
// and a rewrite per instance is quadratic when 1,000 instances take over
// at once). A process killed in the middle of an append leaves at most a
// last line without its newline, which loading ignores: its request was
// never sent. The journal is rewritten whole (a temporary file renamed
// over it) when it is loaded and when it holds many more lines than
// entries; it stays open while the Host is, and a Host closed with no
// entries left removes it. It lives on /run (tmpfs), which a reboot
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

// ledgerFile is the first version's format (one JSON document), still
// read after an upgrade.
type ledgerFile struct {
	Version int     `json:"version"`
	Entries []entry `json:"entries"`
}

// ledgerVersion is the journal's version line.
const ledgerVersion = `{"version":2}`

// record is one journal line: Put, or Drop's kind and id.
type record struct {
	Put  *entry   `json:"put,omitempty"`
	Drop *entryID `json:"drop,omitempty"`
}

type entryID struct {
	Kind string `json:"kind"`
	ID   string `json:"id"`
}

// ledger is the in-memory copy of the file; path "" keeps it in memory
// only.
type ledger struct {
	path    string
	entries []entry
	// pending are the journal lines not yet written; lines counts those
	// in the file; f is the file open for appending (nil: the next save
	// writes it whole).
	pending []byte
	lines   int
	f       *journal
	// broken: an append failed or a line could not be made, so the
	// next save writes the file whole.
	broken  bool
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
	json.Marshal(record{Put: &entry{Undo: []byte{0}}, Drop: &entryID{}})
	b, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	if l.entries, err = parseLedger(b); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	// Open the journal now, written afresh, rather than at the first
	// change, which may be a takeover.
	if err := l.rewrite(); err != nil {
		return nil, err
	}
	return l, nil
}

// parseLedger reads a journal, or a first-version file.
func parseLedger(b []byte) ([]entry, error) {
	if len(b) == 0 {
		return nil, nil // no file
	}
	first, rest, _ := bytes.Cut(b, []byte{'\n'})
	if string(first) != ledgerVersion {
		var f ledgerFile
		if err := json.Unmarshal(b, &f); err != nil {
			return nil, err
		}
		if f.Version != 1 {
			return nil, fmt.Errorf("unknown version %d", f.Version)
		}
		return f.Entries, nil
	}
	l := &ledger{}
	for n := 2; len(rest) > 0; n++ {
		line, more, complete := bytes.Cut(rest, []byte{'\n'})
		if !complete {
			break // an append cut short by a kill: its request was never sent
		}
		rest = more
		var r record
		if err := json.Unmarshal(line, &r); err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		switch {
		case r.Put != nil && r.Drop == nil:
			l.put(*r.Put)
		case r.Drop != nil && r.Put == nil:
			l.drop(r.Drop.Kind, r.Drop.ID)
		default:
			return nil, fmt.Errorf("line %d: neither put nor drop", n)
		}
	}
	return l.entries, nil
}

func (l *ledger) find(kind, id string) int {
	return slices.IndexFunc(l.entries, func(e entry) bool { return e.Kind == kind && e.ID == id })
}

func (l *ledger) has(kind, id string) bool { return l.find(kind, id) >= 0 }

// put records e (replacing an entry of the same kind and id, whose place
// it keeps) and reports whether one was there.
func (l *ledger) put(e entry) bool {
	if i := l.find(e.Kind, e.ID); i >= 0 {
		if !sameEntry(l.entries[i], e) {
			l.journal(record{Put: &e})
			l.entries[i] = e
		}
		return true
	}
	l.journal(record{Put: &e})
	l.entries = append(l.entries, e)
	return false
}

// sameEntry: a put of b where a is changes nothing.
func sameEntry(a, b entry) bool {
	return bytes.Equal(a.Undo, b.Undo) && a.Desc == b.Desc && a.Parent == b.Parent && a.MAC == b.MAC &&
		a.IPv6 == b.IPv6 && a.Value == b.Value && a.Iface == b.Iface && a.Conf == b.Conf && a.Group == b.Group
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
		l.journal(record{Drop: &entryID{Kind: kind, ID: id}})
	}
}

// journal queues r's line for the next save.
func (l *ledger) journal(r record) {
	if l.path == "" {
		return
	}
	b, err := json.Marshal(r)
	if err != nil {
		// An entry is strings and bytes: Marshal cannot fail. Should it,
		// the next save writes the file whole.
		l.broken = true
		return
	}
	l.pending = append(append(l.pending, b...), '\n')
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

// save writes what changed since the last save: one append, or the
// whole file when none is open or the journal has grown to many times
// the entries.
func (l *ledger) save() error {
	if l.path == "" || len(l.pending) == 0 && !l.broken && l.f != nil {
		l.pending = l.pending[:0]
		return nil
	}
	n := bytes.Count(l.pending, []byte{'\n'})
	if l.f == nil || l.broken || l.lines+n > 4*len(l.entries)+64 {
		return l.rewrite()
	}
	if err := l.f.append(l.pending); err != nil {
		// Whatever part of the lines went in, the next save starts over.
		l.broken = true
		return fmt.Errorf("%s: %w", l.path, err)
	}
	l.lines += n
	l.pending = l.pending[:0]
	return nil
}

// rewrite writes the journal whole: the version line and one put per
// entry, to a temporary file renamed over the old one, which stays open
// for the appends that follow.
func (l *ledger) rewrite() error {
	l.closeJournal()
	if !l.dirMade {
		if err := os.MkdirAll(filepath.Dir(l.path), 0o755); err != nil {
			return err
		}
		l.dirMade = true
	}
	b := append([]byte(ledgerVersion), '\n')
	for i := range l.entries {
		line, err := json.Marshal(record{Put: &l.entries[i]})
		if err != nil {
			return err
		}
		b = append(append(b, line...), '\n')
	}
	tmp := l.path + ".tmp"
	f, err := createJournal(tmp)
	if err != nil {
		return err
	}
	if err := f.append(b); err != nil {
		f.close()
		os.Remove(tmp)
		return fmt.Errorf("%s: %w", tmp, err)
	}
	if err := rename(tmp, l.path); err != nil {
		f.close()
		os.Remove(tmp)
		return err
	}
	l.f, l.lines, l.broken = f, len(l.entries), false
	l.pending = l.pending[:0]
	return nil
}

func (l *ledger) closeJournal() {
	if l.f != nil {
		l.f.close()
		l.f = nil
	}
}

// close releases the open journal. A ledger with no entries goes with
// it: after a clean stop, nothing of ours is left on the host.
func (l *ledger) close() error {
	l.closeJournal()
	if l.path == "" || len(l.entries) > 0 {
		return nil
	}
	if err := os.Remove(l.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}
