package netif

import (
	"bytes"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"syscall"

	"github.com/vishvananda/netlink"
	"golang.org/x/sys/unix"
)

// Sysctl groups in the ledger.
const (
	groupRPFilter = "rp_filter"
	groupParent   = "parent:" // + parent name
)

const confDir = "net/ipv4/conf/"

// CreateVMAC makes an instance's VMAC as keepalived 2.2.7 does
// (testdata/keepalived-2.2.7-vmac.txt): the macvlan (private mode, down);
// for an IPv4 instance, the rp_filter adjustment when
// net.ipv4.conf.all.rp_filter is set (default and every interface raised
// to it, then all set to 0, as keepalived's man page says), the VMAC's
// arp_ignore 1, accept_local 1, rp_filter 0 and promote_secondaries 1 and
// the parent's arp_ignore 1 and arp_filter 1; IPv6 disabled on an IPv4
// VMAC and enabled on an IPv6 one; no kernel link-local address; up; and
// for an IPv6 instance without vmac_xmit_base, the parent's link-local
// address. Everything is recorded in the ledger and undone by DeleteVMAC
// or Release. An existing macvlan with the same parent and MAC (left by a
// previous run) is taken over.
func (h *Host) CreateVMAC(v VMAC) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	err := h.createVMAC(v)
	if err != nil {
		h.log.logf(false, fmtVMACCreateErr, v.Instance, v.Name, err)
	}
	if serr := h.led.save(); serr != nil {
		err = errors.Join(err, serr)
	}
	return err
}

func (h *Host) createVMAC(v VMAC) error {
	parent, err := h.index(v.Parent)
	if err != nil {
		return err
	}
	e := entry{Kind: kindLink, ID: v.Name, Desc: "VMAC " + v.Name + " on " + v.Parent,
		Parent: v.Parent, MAC: v.MAC.String(), IPv6: v.IPv6}
	if l, err := h.nh.LinkByName(v.Name); err == nil {
		if !h.isOurVMAC(l, parent, v.MAC.String()) {
			return fmt.Errorf("interface %s exists and is not a VMAC of %s with %s", v.Name, v.Parent, v.MAC)
		}
		h.led.put(e)
	} else {
		h.led.put(e)
		if err := h.led.save(); err != nil {
			return err
		}
		if err := h.nl.do(linkCreateMsg(v.Name, parent, v.MAC)); err != nil {
			h.led.drop(kindLink, v.Name)
			return err
		}
	}
	delete(h.idx, v.Name)
	idx, err := h.index(v.Name)
	if err != nil {
		return err
	}
	if !v.IPv6 {
		if err := h.adjustRPFilter(); err != nil {
			return err
		}
		if err := h.nl.do(linkDevconfMsg(idx, vmacConf)); err != nil {
			return err
		}
		if err := h.setParentConf(v.Parent, parent); err != nil {
			return err
		}
	}
	disable := "0"
	if !v.IPv6 {
		disable = "1"
	}
	if err := h.writeSysctl("net/ipv6/conf/"+v.Name+"/disable_ipv6", disable); err != nil {
		return err
	}
	if err := h.nl.do(linkAddrGenModeMsg(idx)); err != nil {
		return err
	}
	if err := h.nl.do(linkUpMsg(idx)); err != nil {
		return err
	}
	if v.IPv6 && !v.XmitBase {
		ll, err := h.linkLocal(v.Parent)
		if err != nil {
			return err
		}
		err = h.nl.do(addrMsg(true, vmacLinkLocal(v.Name, ll), idx))
		if err != nil && !errors.Is(err, unix.EEXIST) {
			return err
		}
	}
	h.log.logf(false, fmtVMACCreated, v.Instance, v.Name)
	return nil
}

func (h *Host) isOurVMAC(l netlink.Link, parent int, mac string) bool {
	_, ok := l.(*netlink.Macvlan)
	return ok && l.Attrs().ParentIndex == parent && l.Attrs().HardwareAddr.String() == mac
}

// linkLocal is the parent's link-local address (EUI-64 of its MAC if it
// has none).
func (h *Host) linkLocal(parent string) (netip.Addr, error) {
	l, err := h.nh.LinkByName(parent)
	if err != nil {
		return netip.Addr{}, err
	}
	addrs, err := h.nh.AddrList(l, netlink.FAMILY_V6)
	if err != nil {
		return netip.Addr{}, err
	}
	for _, a := range addrs {
		if ip, ok := netip.AddrFromSlice(a.IP); ok && ip.IsLinkLocalUnicast() {
			return ip, nil
		}
	}
	return eui64LinkLocal(l.Attrs().HardwareAddr), nil
}

// setParentConf sets the parent's ARP sysctls, recording their values the
// first time.
func (h *Host) setParentConf(name string, idx int) error {
	for _, c := range parentConf {
		path := confDir + name + "/" + devconfNames[c.id]
		old, err := h.readSysctl(path)
		if err != nil {
			return err
		}
		h.led.keep(entry{Kind: kindSysctl, ID: path, Value: old, Iface: name, Conf: c.id, Group: groupParent + name})
	}
	if err := h.led.save(); err != nil {
		return err
	}
	return h.nl.do(linkDevconfMsg(idx, parentConf))
}

// adjustRPFilter makes reverse-path filtering compatible with VMACs once:
// net.ipv4.conf.all.rp_filter overrides every interface, and must be 0
// for a VMAC to work, so keepalived first raises default and every
// interface to the value of all (keeping the protection where it was)
// and then sets all to 0. The original values are recorded and put back
// when the last IPv4 VMAC goes.
func (h *Host) adjustRPFilter() error {
	if h.led.has(kindSysctl, confDir+"all/rp_filter") {
		return nil // done already
	}
	all, err := h.readSysctlInt(confDir + "all/rp_filter")
	if err != nil || all == 0 {
		return err
	}
	def, err := h.readSysctlInt(confDir + "default/rp_filter")
	if err != nil {
		return err
	}
	if def < all {
		h.led.keep(entry{Kind: kindSysctl, ID: confDir + "default/rp_filter", Value: strconv.Itoa(def), Group: groupRPFilter})
		if err := h.led.save(); err != nil {
			return err
		}
		if err := h.writeSysctl(confDir+"default/rp_filter", strconv.Itoa(all)); err != nil {
			return err
		}
		h.log.logf(false, fmtSysctlSet, "default", strconv.Itoa(def), strconv.Itoa(all))
	}
	var ifaces []string
	if err := h.inNS(func() error {
		des, err := os.ReadDir("/proc/sys/" + confDir)
		for _, d := range des {
			ifaces = append(ifaces, d.Name())
		}
		return err
	}); err != nil {
		return err
	}
	for _, name := range ifaces {
		if name == "all" || name == "default" || name == "lo" {
			continue
		}
		path := confDir + name + "/rp_filter"
		cur, err := h.readSysctlInt(path)
		if err != nil || cur >= all {
			continue
		}
		idx, err := h.index(name)
		if err != nil {
			continue
		}
		if !h.led.has(kindLink, name) {
			h.led.keep(entry{Kind: kindSysctl, ID: path, Value: strconv.Itoa(cur), Iface: name, Conf: ipv4DevconfRPFilter, Group: groupRPFilter})
			if err := h.led.save(); err != nil {
				return err
			}
		}
		if err := h.nl.do(linkDevconfMsg(idx, []devconf{{ipv4DevconfRPFilter, uint32(all)}})); err != nil {
			return err
		}
	}
	h.led.keep(entry{Kind: kindSysctl, ID: confDir + "all/rp_filter", Value: strconv.Itoa(all), Group: groupRPFilter})
	if err := h.led.save(); err != nil {
		return err
	}
	if err := h.writeSysctl(confDir+"all/rp_filter", "0"); err != nil {
		return err
	}
	h.log.logf(false, fmtSysctlSet, "all", strconv.Itoa(all), "0")
	return nil
}

// restoreRPFilter puts the rp_filter values back in keepalived's order:
// all, default, then the interfaces.
func (h *Host) restoreRPFilter() error {
	es := h.led.filter(func(e entry) bool { return e.Kind == kindSysctl && e.Group == groupRPFilter })
	rank := func(e entry) int {
		switch e.ID {
		case confDir + "all/rp_filter":
			return 0
		case confDir + "default/rp_filter":
			return 1
		}
		return 2
	}
	var errs []error
	for r := 0; r < 3; r++ {
		for _, e := range es {
			if rank(e) != r {
				continue
			}
			if err := h.restoreSysctl(e); err != nil {
				errs = append(errs, err)
			}
			h.led.drop(e.Kind, e.ID)
		}
	}
	return errors.Join(errs...)
}

// restoreSysctl puts one recorded value back (through netlink for an
// interface's IPv4 setting, as it was set).
func (h *Host) restoreSysctl(e entry) error {
	if e.Iface != "" && e.Conf != 0 {
		idx, err := h.index(e.Iface)
		if err != nil {
			return nil // the interface is gone, and its setting with it
		}
		v, err := strconv.ParseUint(e.Value, 10, 32)
		if err != nil {
			return fmt.Errorf("ledger: %s = %q: %w", e.ID, e.Value, err)
		}
		err = h.nl.do(linkDevconfMsg(idx, []devconf{{e.Conf, uint32(v)}}))
		if errors.Is(err, unix.ENODEV) {
			return nil
		}
		return err
	}
	if err := h.writeSysctl(e.ID, e.Value); err != nil {
		return err
	}
	if name, ok := strings.CutPrefix(e.ID, confDir); ok && strings.HasSuffix(name, "/rp_filter") {
		h.log.logf(false, fmtSysctlReset, strings.TrimSuffix(name, "/rp_filter"), e.Value)
	} else {
		h.log.logf(true, fmtRestored, e.ID, e.Value)
	}
	return nil
}

// DeleteVMAC removes an instance's VMAC (if it is ours: a macvlan with
// the VMAC's MAC), then puts back the parent's ARP sysctls when it was
// the parent's last VMAC and the rp_filter values when it was the last
// IPv4 VMAC.
func (h *Host) DeleteVMAC(v VMAC) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	e, ok := h.led.get(kindLink, v.Name)
	if !ok {
		e = entry{Kind: kindLink, ID: v.Name, Parent: v.Parent, MAC: v.MAC.String(), IPv6: v.IPv6}
	}
	err := h.deleteLink(e)
	if err == nil {
		h.log.logf(false, fmtVMACRemoved, v.Instance, v.Name)
	}
	if serr := h.led.save(); serr != nil {
		err = errors.Join(err, serr)
	}
	return err
}

// deleteLink removes a VMAC and what was set for it; a link of that name
// that is not ours (another MAC, not a macvlan) is left alone.
func (h *Host) deleteLink(e entry) error {
	var err error
	l, lerr := h.nh.LinkByName(e.ID)
	if lerr == nil {
		if _, ok := l.(*netlink.Macvlan); ok && l.Attrs().HardwareAddr.String() == e.MAC {
			err = h.nl.do(linkDelMsg(l.Attrs().Index))
			if errors.Is(err, unix.ENODEV) {
				err = nil
			}
		}
	}
	delete(h.idx, e.ID)
	if err != nil {
		return err
	}
	h.led.drop(kindLink, e.ID)
	var errs []error
	others := h.led.filter(func(o entry) bool { return o.Kind == kindLink })
	if !anyEntry(others, func(o entry) bool { return o.Parent == e.Parent }) {
		for _, s := range h.led.filter(func(o entry) bool { return o.Kind == kindSysctl && o.Group == groupParent+e.Parent }) {
			if err := h.restoreSysctl(s); err != nil {
				errs = append(errs, err)
			}
			h.led.drop(s.Kind, s.ID)
		}
	}
	if !anyEntry(others, func(o entry) bool { return !o.IPv6 }) {
		if err := h.restoreRPFilter(); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

func anyEntry(es []entry, f func(entry) bool) bool {
	for _, e := range es {
		if f(e) {
			return true
		}
	}
	return false
}

func (h *Host) readSysctl(path string) (string, error) {
	var b []byte
	err := h.inNS(func() error {
		var err error
		b, err = os.ReadFile("/proc/sys/" + path)
		return err
	})
	return string(bytes.TrimSpace(b)), err
}

func (h *Host) readSysctlInt(path string) (int, error) {
	s, err := h.readSysctl(path)
	if err != nil {
		return 0, err
	}
	return strconv.Atoi(s)
}

func (h *Host) writeSysctl(path, value string) error {
	return h.inNS(func() error {
		err := os.WriteFile("/proc/sys/"+path, []byte(value), 0)
		var errno syscall.Errno
		if errors.As(err, &errno) {
			return fmt.Errorf("/proc/sys/%s: %w", path, errno)
		}
		return err
	})
}
