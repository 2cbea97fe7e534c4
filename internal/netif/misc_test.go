package netif

import (
	"bytes"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"

	"github.com/vishvananda/netlink"
	"golang.org/x/sys/unix"
)

func TestWatcher(t *testing.T) {
	lookups := 0
	w := watcher{state: map[int]linkState{}, names: map[int]string{5: "listed"},
		name: func(i int) string { lookups++; return "lookup" }}
	link := func(typ uint16, idx int32, name string, flags uint32) []Event {
		u := netlink.LinkUpdate{Header: unix.NlMsghdr{Type: typ}}
		u.Index, u.Flags = idx, flags
		u.Link = &netlink.Device{LinkAttrs: netlink.LinkAttrs{Name: name, Index: int(idx)}}
		return w.link(u)
	}
	str := func(evs []Event) string {
		var s []string
		for _, e := range evs {
			s = append(s, e.String())
		}
		return strings.Join(s, ";")
	}
	up := uint32(unix.IFF_UP | unix.IFF_RUNNING)
	for _, c := range []struct {
		evs  []Event
		want string
	}{
		{link(unix.RTM_NEWLINK, 2, "eth0", up), "link-up eth0(2)"},
		{link(unix.RTM_NEWLINK, 2, "eth0", up), ""},                           // no change
		{link(unix.RTM_NEWLINK, 2, "eth0", unix.IFF_UP), "link-down eth0(2)"}, // carrier lost
		{link(unix.RTM_NEWLINK, 2, "eth0", up), "link-up eth0(2)"},
		{link(unix.RTM_NEWLINK, 2, "eth0", unix.IFF_RUNNING), "link-down eth0(2)"}, // admin down
		{link(unix.RTM_NEWLINK, 3, "eth1", 0), "link-down eth1(3)"},                // first sight
		{w.addr(netlink.AddrUpdate{LinkIndex: 2, NewAddr: true, LinkAddress: net.IPNet{IP: net.ParseIP("10.0.0.1"), Mask: net.CIDRMask(24, 32)}}),
			"addr-added eth0(2) 10.0.0.1/24"},
		{w.addr(netlink.AddrUpdate{LinkIndex: 9, LinkAddress: net.IPNet{IP: net.ParseIP("fd00::1"), Mask: net.CIDRMask(64, 128)}}),
			"addr-removed lookup(9) fd00::1/64"},
		{w.addr(netlink.AddrUpdate{LinkIndex: 9, NewAddr: true, LinkAddress: net.IPNet{IP: net.ParseIP("fd00::2"), Mask: net.CIDRMask(64, 128)}}),
			"addr-added lookup(9) fd00::2/64"}, // looked up once
		{w.addr(netlink.AddrUpdate{LinkIndex: 5, NewAddr: true, LinkAddress: net.IPNet{IP: net.ParseIP("10.1.0.1"), Mask: net.CIDRMask(16, 32)}}),
			"addr-added listed(5) 10.1.0.1/16"}, // listed when the watch began
		{w.addr(netlink.AddrUpdate{LinkIndex: 2}), ""},
		{link(unix.RTM_DELLINK, 2, "", 0), "link-deleted eth0(2)"},
	} {
		if got := str(c.evs); got != c.want {
			t.Errorf("got %q, want %q", got, c.want)
		}
	}
	if lookups != 1 {
		t.Errorf("%d name lookups, want 1", lookups)
	}
	if EventKind(0).String() != "event(0)" || AddrRemoved.String() != "addr-removed" {
		t.Error("names")
	}
}

// TestLedgerJournal checks that a change is appended to the file (the
// same file, its old content a prefix of the new), that loading replays
// the journal and ignores a last line cut short, that the file is written
// whole again when the journal outgrows its entries, and that the first
// version's file still loads.
func TestLedgerJournal(t *testing.T) {
	path := filepath.Join(t.TempDir(), "netif.json")
	l, err := loadLedger(path)
	if err != nil {
		t.Fatal(err)
	}
	defer l.close()
	l.put(entry{Kind: kindAddr, ID: "a", Undo: []byte{1}})
	l.put(entry{Kind: kindAddr, ID: "b"})
	if err := l.save(); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(path)
	st0, _ := os.Stat(path)
	l.put(entry{Kind: kindRoute, ID: "r"})
	l.drop(kindAddr, "b")
	l.drop(kindAddr, "nope") // not there: no line
	if err := l.save(); err != nil {
		t.Fatal(err)
	}
	after, _ := os.ReadFile(path)
	st1, _ := os.Stat(path)
	if !os.SameFile(st0, st1) || !bytes.HasPrefix(after, before) {
		t.Fatalf("a change rewrote the file:\n%s\nthen\n%s", before, after)
	}
	if got := strings.Count(string(after), "\n") - strings.Count(string(before), "\n"); got != 2 {
		t.Errorf("%d lines appended, want 2:\n%s", got, after)
	}
	// Putting what is there already writes nothing; a change is a line.
	if !l.put(entry{Kind: kindAddr, ID: "a", Undo: []byte{1}}) {
		t.Error("existing entry not reported")
	}
	if err := l.save(); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); !bytes.Equal(b, after) {
		t.Errorf("an unchanged put was written:\n%s", b)
	}
	l.put(entry{Kind: kindAddr, ID: "a", Undo: []byte{2}})
	l.put(entry{Kind: kindAddr, ID: "a", Undo: []byte{1}})
	if err := l.save(); err != nil {
		t.Fatal(err)
	}
	after, _ = os.ReadFile(path)
	ids := func(es []entry) string {
		var s []string
		for _, e := range es {
			s = append(s, e.Kind+":"+e.ID)
		}
		return strings.Join(s, ",")
	}
	// A kill in the middle of an append leaves a line without its end.
	torn := append(slices.Clone(after), `{"put":{"kind":"addr","id":"c"`...)
	for _, c := range []struct {
		name string
		b    []byte
		want string
	}{{"journal", after, "addr:a,route:r"}, {"torn", torn, "addr:a,route:r"}} {
		got, err := parseLedger(c.b)
		if err != nil || ids(got) != c.want {
			t.Errorf("%s: %s, %v; want %s", c.name, ids(got), err, c.want)
		}
	}
	// Loading writes the journal whole again: one line per entry.
	os.WriteFile(path, torn, 0o600)
	l2, err := loadLedger(path)
	if err != nil || ids(l2.entries) != "addr:a,route:r" {
		t.Fatalf("%+v %v", l2, err)
	}
	defer l2.close()
	if b, _ := os.ReadFile(path); strings.Count(string(b), "\n") != 3 {
		t.Errorf("not rewritten at load:\n%s", b)
	}
	// Churn: the file stays within a bound of its entries' lines.
	for i := range 200 {
		l2.put(entry{Kind: kindAddr, ID: "x"})
		if err := l2.save(); err != nil {
			t.Fatal(err)
		}
		l2.drop(kindAddr, "x")
		if err := l2.save(); err != nil {
			t.Fatal(err)
		}
		if b, _ := os.ReadFile(path); strings.Count(string(b), "\n") > 4*3+64+2 {
			t.Fatalf("round %d: %d lines", i, strings.Count(string(b), "\n"))
		}
	}
	b, _ := os.ReadFile(path)
	if got, err := parseLedger(b); err != nil || ids(got) != "addr:a,route:r" {
		t.Errorf("after churn: %s %v", ids(got), err)
	}
	// The first version's format.
	v1 := `{"version": 1, "entries": [{"kind": "addr", "id": "old", "undo": "AQ=="}]}`
	if got, err := parseLedger([]byte(v1)); err != nil || ids(got) != "addr:old" || got[0].Undo[0] != 1 {
		t.Errorf("version 1: %+v %v", got, err)
	}
}

func TestLedger(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "sub", "netif.json")
	l, err := loadLedger(path)
	if err != nil || len(l.entries) != 0 {
		t.Fatal(err)
	}
	if l.put(entry{Kind: kindAddr, ID: "a", Undo: []byte{1, 2}}) {
		t.Error("new entry reported as existing")
	}
	l.put(entry{Kind: kindRoute, ID: "r"})
	l.keep(entry{Kind: kindSysctl, ID: "s", Value: "1"})
	l.keep(entry{Kind: kindSysctl, ID: "s", Value: "2"}) // the first value stays
	if !l.put(entry{Kind: kindAddr, ID: "a", Undo: []byte{3}}) {
		t.Error("replacement not reported")
	}
	if err := l.save(); err != nil {
		t.Fatal(err)
	}
	l2, err := loadLedger(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(l2.entries) != 3 || l2.entries[0].Undo[0] != 3 || l2.entries[2].Value != "1" {
		t.Fatalf("reloaded %+v", l2.entries)
	}
	if e, ok := l2.get(kindSysctl, "s"); !ok || e.Value != "1" {
		t.Error("get")
	}
	l2.drop(kindAddr, "a")
	l2.drop(kindRoute, "r")
	l2.drop(kindSysctl, "s")
	l2.drop(kindSysctl, "nope")
	if err := l2.save(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Error("the journal went before its ledger was closed")
	}
	if err := l2.close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Error("empty ledger not removed")
	}
	for _, bad := range []string{"{", `{"version":3}`, "{\"version\":2}\n{\"put\":{\"kind\":\"addr\",\"id\":\"a\"}}\nnot json\n{}\n", "{\"version\":2}\n{}\n"} {
		os.WriteFile(path, []byte(bad), 0o600)
		if _, err := loadLedger(path); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	mem, _ := loadLedger("")
	mem.put(entry{Kind: kindAddr, ID: "x"})
	if err := mem.save(); err != nil || len(mem.entries) != 1 {
		t.Error("memory ledger")
	}
	if LedgerPath("", "") != DefaultLedger || LedgerPath("lb1", "blue") != "/run/keepalived/netif_lb1@blue.json" {
		t.Error(LedgerPath("lb1", "blue"))
	}
}

func TestLogLines(t *testing.T) {
	if got := netlinkErrorLine(syscall.EINVAL, rtmNewAddr, 1795326830).Text; got != "Netlink: error: Invalid argument(22), type=RTM_NEWADDR(20), seq=1795326830, pid=0" {
		t.Error(got)
	}
	if got := netlinkErrorLine(syscall.EEXIST, 99, 1).Text; got != "Netlink: error: File exists(17), type=99(99), seq=1, pid=0" {
		t.Error(got)
	}
	a := Addr{Dev: "eth0", Prefix: netip.MustParsePrefix("10.0.0.1/24")}
	if got := AddrGoneLine(a).Text; got != "ip address 10.0.0.1/24 dev eth0, no longer exist" {
		t.Error(got)
	}
	var got []Line
	Logger(func(l Line) { got = append(got, l) }).logf(true, "x %d", 1)
	Logger(nil).logf(false, "dropped")
	if len(got) != 1 || got[0].Text != "x 1" || !got[0].Detail {
		t.Error(got)
	}
}
