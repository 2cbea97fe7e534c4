//go:build linux

package firewall

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strings"

	"github.com/google/nftables"
	"github.com/google/nftables/binaryutil"
	"github.com/google/nftables/expr"
	mnl "github.com/mdlayher/netlink"
	"github.com/vishvananda/netlink"
	"github.com/vishvananda/netns"
	"golang.org/x/sys/unix"
)

// nftBackend builds keepalived 2.2.7's tables with nf_tables netlink
// messages. The objects are made in keepalived's order (chains, then
// sets, then rules) so that even the handles `nft -a list ruleset` shows
// come out as keepalived's.
type nftBackend struct {
	o    Options
	ns   netns.NsHandle // -1: the caller's namespace
	nl   *netlink.Handle
	conn *nftables.Conn
	// sets made in this run, by family and name (the lookups of the
	// rules in the same batch refer to them by id).
	sets map[Family]map[string]*nftables.Set
}

func newBackend(o Options) (backend, error) {
	b := &nftBackend{o: o, ns: -1, sets: map[Family]map[string]*nftables.Set{}}
	var err error
	var opts []nftables.ConnOption
	if o.NetNS != "" {
		if strings.ContainsRune(o.NetNS, '/') {
			b.ns, err = netns.GetFromPath(o.NetNS)
		} else {
			b.ns, err = netns.GetFromName(o.NetNS)
		}
		if err != nil {
			return nil, fmt.Errorf("namespace %s: %w", o.NetNS, err)
		}
		opts = append(opts, nftables.WithNetNSFd(int(b.ns)))
		if b.nl, err = netlink.NewHandleAt(b.ns); err != nil {
			b.ns.Close()
			return nil, err
		}
	} else if b.nl, err = netlink.NewHandle(); err != nil {
		return nil, err
	}
	if b.conn, err = nftables.New(opts...); err != nil {
		b.close()
		return nil, err
	}
	return b, nil
}

func (b *nftBackend) close() error {
	if b.nl != nil {
		b.nl.Close()
		b.nl = nil
	}
	if b.ns >= 0 {
		b.ns.Close()
		b.ns = -1
	}
	return nil
}

func (b *nftBackend) ifindex(name string) (int, error) {
	l, err := b.nl.LinkByName(name)
	if err != nil {
		return 0, err
	}
	return l.Attrs().Index, nil
}

func tableFamily(f Family) nftables.TableFamily {
	if f == IPv6 {
		return nftables.TableFamilyIPv6
	}
	return nftables.TableFamilyIPv4
}

func (b *nftBackend) table(f Family) *nftables.Table {
	return &nftables.Table{Name: b.o.Table, Family: tableFamily(f)}
}

func (b *nftBackend) tableExists(f Family) (bool, error) {
	ts, err := b.conn.ListTablesOfFamily(tableFamily(f))
	if err != nil {
		return false, err
	}
	for _, t := range ts {
		if t.Name == b.o.Table {
			return true, nil
		}
	}
	return false, nil
}

func (b *nftBackend) deleteTable(f Family) error {
	b.conn.DelTable(b.table(f))
	delete(b.sets, f)
	err := b.conn.Flush()
	if errors.Is(err, unix.ENOENT) {
		return nil
	}
	return err
}

// Offsets in the IPv4 (RFC 791) and IPv6 (RFC 8200) headers.
const (
	ip4Src     = 12
	ip4Dst     = 16
	ip6NextHdr = 6
	ip6Src     = 8
	ip6Dst     = 24
)

// setupBase makes the table and its output chain, in which keepalived
// 2.2.7 starts every table.
func (b *nftBackend) setupBase(f Family) error {
	t := b.conn.AddTable(b.table(f))
	b.baseChain(t, "out", nftables.ChainHookOutput)
	b.sets[f] = map[string]*nftables.Set{}
	return b.conn.Flush()
}

func (b *nftBackend) baseChain(t *nftables.Table, name string, hook *nftables.ChainHook) *nftables.Chain {
	prio := nftables.ChainPriority(int32(b.o.Priority))
	accept := nftables.ChainPolicyAccept
	return b.conn.AddChain(&nftables.Chain{Name: name, Table: t, Hooknum: hook,
		Priority: &prio, Type: nftables.ChainTypeFilter, Policy: &accept})
}

func (b *nftBackend) setupVIPs(f Family) error {
	t := b.table(f)
	out := &nftables.Chain{Name: "out", Table: t}
	in := b.baseChain(t, "in", nftables.ChainHookInput)
	if f == IPv4 {
		vips, err := b.addSet(f, t, setVIPs, nftables.TypeIPAddr, false)
		if err != nil {
			return err
		}
		b.rule(in, payload(ip4Dst, 4), lookup(1, vips), b.verdict(expr.VerdictDrop, ""))
		b.rule(out, payload(ip4Src, 4), lookup(1, vips), b.verdict(expr.VerdictDrop, ""))
		return b.conn.Flush()
	}
	inLL := b.conn.AddChain(&nftables.Chain{Name: "in_link_local", Table: t})
	outLL := b.conn.AddChain(&nftables.Chain{Name: "out_link_local", Table: t})
	vips, err := b.addSet(f, t, setVIPs, nftables.TypeIP6Addr, false)
	if err != nil {
		return err
	}
	nd, err := b.addSet(f, t, setND, nftables.TypeICMP6Type, true)
	if err != nil {
		return err
	}
	// Neighbour solicitations and advertisements (RFC 4861 §4.3, §4.4)
	// must pass, or nobody could resolve the master's VIPs.
	if err := b.conn.SetAddElements(nd, []nftables.SetElement{{Key: []byte{icmp6NS}}, {Key: []byte{icmp6NA}}}); err != nil {
		return err
	}
	ndRule := func(c *nftables.Chain) {
		b.rule(c,
			payload(ip6NextHdr, 1),
			&expr.Cmp{Op: expr.CmpOpEq, Register: 1, Data: []byte{unix.IPPROTO_ICMPV6}},
			&expr.Payload{DestRegister: 1, Base: expr.PayloadBaseTransportHeader, Offset: 0, Len: 1},
			lookup(1, nd),
			b.verdict(expr.VerdictAccept, ""))
	}
	// fe80::/10 (RFC 4291 §2.5.6) goes to the per-interface chain.
	llRule := func(c *nftables.Chain, off uint32, to string) {
		mask := make([]byte, 16)
		mask[0], mask[1] = 0xff, 0xc0
		ll := make([]byte, 16)
		ll[0], ll[1] = 0xfe, 0x80
		b.rule(c,
			payload(off, 16),
			&expr.Bitwise{SourceRegister: 1, DestRegister: 1, Len: 16, Mask: mask, Xor: make([]byte, 16)},
			&expr.Cmp{Op: expr.CmpOpEq, Register: 1, Data: ll},
			b.verdict(expr.VerdictGoto, to))
	}
	ndRule(in)
	llRule(in, ip6Dst, inLL.Name)
	ndRule(out)
	llRule(out, ip6Src, outLL.Name)
	b.rule(in, payload(ip6Dst, 16), lookup(1, vips), b.verdict(expr.VerdictDrop, ""))
	b.rule(out, payload(ip6Src, 16), lookup(1, vips), b.verdict(expr.VerdictDrop, ""))
	return b.conn.Flush()
}

// ICMPv6 types (RFC 4861 §4, RFC 3810 §5.2).
const (
	icmp6RS        = 133
	icmp6NS        = 135
	icmp6NA        = 136
	icmp6MLDReport = 143
	igmpProto      = 2
	ip4Proto       = 9
)

// nftMetaOIFKind is NFT_META_OIFKIND (the output interface's kind),
// which x/sys/unix does not name.
const nftMetaOIFKind expr.MetaKey = 27

// setupVMAC: the map from a VMAC's index to its parent's, and the rules
// that send a VMAC's IGMP / MLDv2 reports out of the parent (dup to the
// same destination there) and drop them (and, IPv6, its router
// solicitations) on the macvlan.
func (b *nftBackend) setupVMAC(f Family) error {
	t := b.table(f)
	out := &nftables.Chain{Name: "out", Table: t}
	if err := b.addVMACMap(f); err != nil {
		return err
	}
	m := &nftables.Set{Table: t, Name: mapVMAC}
	kind := make([]byte, ifNameSize)
	copy(kind, "macvlan")
	viaParent := func() []expr.Any {
		return []expr.Any{
			&expr.Meta{Key: nftMetaOIFKind, Register: 2},
			&expr.Cmp{Op: expr.CmpOpEq, Register: 2, Data: kind},
			&expr.Meta{Key: expr.MetaKeyOIF, Register: 2},
			&expr.Lookup{SourceRegister: 2, DestRegister: 2, IsDestRegSet: true, SetName: m.Name, SetID: m.ID},
			&expr.Dup{RegAddr: 1, RegDev: 2, IsRegDevSet: true},
			b.verdict(expr.VerdictDrop, ""),
		}
	}
	if f == IPv4 {
		b.rule(out, append([]expr.Any{
			payload(ip4Proto, 1),
			&expr.Cmp{Op: expr.CmpOpEq, Register: 1, Data: []byte{igmpProto}},
			payload(ip4Dst, 4),
		}, viaParent()...)...)
		return b.conn.Flush()
	}
	set := &nftables.Set{Table: t, Name: setVMAC, KeyType: nftables.TypeIFIndex, KeyByteOrder: binaryutil.NativeEndian}
	if err := b.conn.AddSet(set, nil); err != nil {
		return err
	}
	icmp6 := func(typ byte) []expr.Any {
		return []expr.Any{
			&expr.Meta{Key: expr.MetaKeyL4PROTO, Register: 1},
			&expr.Cmp{Op: expr.CmpOpEq, Register: 1, Data: []byte{unix.IPPROTO_ICMPV6}},
			&expr.Payload{DestRegister: 1, Base: expr.PayloadBaseTransportHeader, Offset: 0, Len: 1},
			&expr.Cmp{Op: expr.CmpOpEq, Register: 1, Data: []byte{typ}},
		}
	}
	b.rule(out, append(append(icmp6(icmp6MLDReport), payload(ip6Dst, 16)), viaParent()...)...)
	b.rule(out, append(icmp6(icmp6RS),
		&expr.Meta{Key: nftMetaOIFKind, Register: 2},
		&expr.Cmp{Op: expr.CmpOpEq, Register: 2, Data: kind},
		&expr.Meta{Key: expr.MetaKeyOIF, Register: 2},
		lookup(2, set),
		b.verdict(expr.VerdictDrop, ""))...)
	return b.conn.Flush()
}

// addVMACMap makes the map "vmac_map" (interface index : interface
// index) in a batch of its own. nft shows an interface index as a name
// only when the set's user data says its key and its data are host
// order, as keepalived's say; google/nftables writes the key's only, so
// this message is built here.
func (b *nftBackend) addVMACMap(f Family) error {
	u32 := binary.BigEndian.AppendUint32
	// libnftnl's user data: type, length, value (host order).
	var udata []byte
	for _, typ := range []byte{udataSetKeyByteOrder, udataSetDataByteOrder} {
		udata = append(udata, typ, 4)
		udata = binary.NativeEndian.AppendUint32(udata, byteOrderHost)
	}
	attrs, err := mnl.MarshalAttributes([]mnl.Attribute{
		{Type: unix.NFTA_SET_TABLE, Data: []byte(b.o.Table + "\x00")},
		{Type: unix.NFTA_SET_NAME, Data: []byte(mapVMAC + "\x00")},
		{Type: unix.NFTA_SET_FLAGS, Data: u32(nil, unix.NFT_SET_MAP)},
		{Type: unix.NFTA_SET_KEY_TYPE, Data: u32(nil, nftables.TypeIFIndex.GetNFTMagic())},
		{Type: unix.NFTA_SET_KEY_LEN, Data: u32(nil, 4)},
		{Type: unix.NFTA_SET_DATA_TYPE, Data: u32(nil, nftables.TypeIFIndex.GetNFTMagic())},
		{Type: unix.NFTA_SET_DATA_LEN, Data: u32(nil, 4)},
		{Type: unix.NFTA_SET_ID, Data: u32(nil, 1)},
		{Type: unix.NFTA_SET_USERDATA, Data: udata},
	})
	if err != nil {
		return err
	}
	var cfg mnl.Config
	if b.ns >= 0 {
		cfg.NetNS = int(b.ns)
	}
	c, err := mnl.Dial(unix.NETLINK_NETFILTER, &cfg)
	if err != nil {
		return err
	}
	defer c.Close()
	hdr := func(fam byte, res uint16) []byte { return []byte{fam, unix.NFNETLINK_V0, byte(res >> 8), byte(res)} }
	msgs := []mnl.Message{
		{Header: mnl.Header{Type: mnl.HeaderType(unix.NFNL_MSG_BATCH_BEGIN), Flags: mnl.Request},
			Data: hdr(0, unix.NFNL_SUBSYS_NFTABLES)},
		{Header: mnl.Header{Type: mnl.HeaderType(unix.NFNL_SUBSYS_NFTABLES<<8 | unix.NFT_MSG_NEWSET),
			Flags: mnl.Request | mnl.Acknowledge | mnl.Create},
			Data: append(hdr(byte(tableFamily(f)), 0), attrs...)},
		{Header: mnl.Header{Type: mnl.HeaderType(unix.NFNL_MSG_BATCH_END), Flags: mnl.Request},
			Data: hdr(0, unix.NFNL_SUBSYS_NFTABLES)},
	}
	if _, err := c.SendMessages(msgs); err != nil {
		return err
	}
	// The acknowledgement of the new set, or its error.
	_, err = c.Receive()
	return err
}

// libnftnl's set user data types and byte order values.
const (
	udataSetKeyByteOrder  = 0
	udataSetDataByteOrder = 1
	byteOrderHost         = 1
)

func (b *nftBackend) vmac(add bool, f Family, index, parent int) error {
	t := b.table(f)
	key := binary.NativeEndian.AppendUint32(nil, uint32(index))
	val := binary.NativeEndian.AppendUint32(nil, uint32(parent))
	m := &nftables.Set{Table: t, Name: mapVMAC, IsMap: true}
	sets := []*nftables.Set{m}
	elems := [][]nftables.SetElement{{{Key: key, Val: val}}}
	if f == IPv6 {
		sets = append(sets, &nftables.Set{Table: t, Name: setVMAC})
		elems = append(elems, []nftables.SetElement{{Key: key}})
	}
	for i, s := range sets {
		var err error
		if add {
			err = b.conn.SetAddElements(s, elems[i])
		} else {
			err = b.conn.SetDeleteElements(s, elems[i])
		}
		if err != nil {
			return err
		}
	}
	return b.conn.Flush()
}

func (b *nftBackend) setupLinkLocal(byName bool) error {
	t := b.table(IPv6)
	name, key := setLinkLocal, nftables.MustConcatSetType(nftables.TypeIP6Addr, nftables.TypeIFIndex)
	inKey, outKey := expr.MetaKeyIIF, expr.MetaKeyOIF
	if byName {
		name, key = setLinkLocalN, nftables.MustConcatSetType(nftables.TypeIP6Addr, nftables.TypeIFName)
		inKey, outKey = expr.MetaKeyIIFNAME, expr.MetaKeyOIFNAME
	}
	s, err := b.addSet(IPv6, t, name, key, false)
	if err != nil {
		return err
	}
	// The address in register 1 and the interface right after it in
	// register 2 make the concatenated key the lookup reads.
	b.rule(&nftables.Chain{Name: "in_link_local", Table: t},
		payload(ip6Dst, 16), &expr.Meta{Key: inKey, Register: 2}, lookup(1, s), b.verdict(expr.VerdictDrop, ""))
	b.rule(&nftables.Chain{Name: "out_link_local", Table: t},
		payload(ip6Src, 16), &expr.Meta{Key: outKey, Register: 2}, lookup(1, s), b.verdict(expr.VerdictDrop, ""))
	return b.conn.Flush()
}

func (b *nftBackend) addSet(f Family, t *nftables.Table, name string, key nftables.SetDatatype, constant bool) (*nftables.Set, error) {
	s := &nftables.Set{Table: t, Name: name, KeyType: key, Constant: constant}
	if err := b.conn.AddSet(s, nil); err != nil {
		return nil, err
	}
	if b.sets[f] == nil {
		b.sets[f] = map[string]*nftables.Set{}
	}
	b.sets[f][name] = s
	return s, nil
}

func (b *nftBackend) elements(add bool, els []elem) error {
	type setKey struct {
		f    Family
		name string
	}
	by := map[setKey][]nftables.SetElement{}
	var order []setKey
	for _, e := range els {
		k := setKey{e.fam, e.set}
		if _, ok := by[k]; !ok {
			order = append(order, k)
		}
		by[k] = append(by[k], nftables.SetElement{Key: []byte(e.key)})
	}
	for _, k := range order {
		s := &nftables.Set{Table: b.table(k.f), Name: k.name}
		var err error
		if add {
			err = b.conn.SetAddElements(s, by[k])
		} else {
			err = b.conn.SetDeleteElements(s, by[k])
		}
		if err != nil {
			return err
		}
	}
	return b.conn.Flush()
}

// rule appends a rule whose last expression is its verdict; with
// nftables_counters a counter goes just before the verdict, where
// keepalived puts it.
func (b *nftBackend) rule(c *nftables.Chain, exprs ...expr.Any) {
	if b.o.Counters {
		n := len(exprs)
		exprs = append(exprs[:n-1:n-1], &expr.Counter{}, exprs[n-1])
	}
	b.conn.AddRule(&nftables.Rule{Table: c.Table, Chain: c, Exprs: exprs})
}

func (b *nftBackend) verdict(kind expr.VerdictKind, chain string) expr.Any {
	return &expr.Verdict{Kind: kind, Chain: chain}
}

func payload(off, n uint32) expr.Any {
	return &expr.Payload{DestRegister: 1, Base: expr.PayloadBaseNetworkHeader, Offset: off, Len: n}
}

func lookup(reg uint32, s *nftables.Set) expr.Any {
	return &expr.Lookup{SourceRegister: reg, SetName: s.Name, SetID: s.ID}
}
