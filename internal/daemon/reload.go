package daemon

import (
	"fmt"
	"strings"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/logging"
	"github.com/gokeepalived/gokeepalived/internal/netif"
	"github.com/gokeepalived/gokeepalived/internal/vrrp"
	"github.com/gokeepalived/gokeepalived/pkg/config"
	pkt "github.com/gokeepalived/gokeepalived/pkg/vrrp"
)

// A reload (SIGHUP) turns the running instances into the new
// configuration's without disturbing what did not change, as keepalived's
// reload does: an instance found again under the same name and identity
// keeps its state and its addresses (only the difference between the old
// and the new sets is applied), an instance gone is deleted (a master
// sends priority 0 and gives up its addresses), a new one starts.

// opener sets up and tears down the host side of instances: VMAC and
// sockets (*host in production, a fake in tests).
type opener interface {
	// open makes the instance's VMAC and registers its sockets; it sets
	// s.params.SrcIP to the address the adverts leave from.
	open(s *spec, idx int) (advertiser, error)
	// update gives a kept instance's sockets their new view.
	update(adv advertiser, s *spec) error
	// release frees what open made.
	release(s *spec, adv advertiser)
}

// identity is what a reload cannot change in place: an instance whose
// identity changed is deleted and started again. The rest (priority,
// intervals, addresses, peers, authentication password, options) is
// updated in place.
func (s *spec) identity() string {
	v := &s.view
	group := "unicast"
	if len(v.Peers) == 0 {
		group = "mcast " + v.Group.String()
	}
	vmac := ""
	if s.vmac != nil {
		vmac = fmt.Sprintf("%s/%v", s.vmac.Name, s.vmac.XmitBase)
	}
	ah := v.Auth != nil && v.Auth.Type == pkt.AuthAH
	return fmt.Sprintf("%s|%s|%d|%v|%d|%s|%s|%v|%s", s.name, s.iface, v.VRID, v.Family, v.Version, group, vmac, ah, s.group)
}

// reloadSummary says what a reload did, for the log and the tests.
type reloadSummary struct {
	kept, added, removed []string
}

// reload applies specs, the new configuration's instances.
func (e *engine) reload(specs []spec, op opener, now time.Time) reloadSummary {
	var sum reloadSummary
	next := make(map[string]*spec, len(specs))
	for i := range specs {
		next[specs[i].name] = &specs[i]
	}
	// Instances gone, or changed beyond an update, go first: their
	// addresses may be taken over by a new instance.
	for _, in := range e.insts {
		if in.dead {
			continue
		}
		if s := next[in.spec.name]; s == nil || s.identity() != in.spec.identity() {
			e.remove(in, op, now)
			sum.removed = append(sum.removed, in.spec.name)
		}
	}
	var added []*instance
	var kept []keptInstance
	machines := map[string]*vrrp.Machine{}
	for i := range specs {
		s := &specs[i]
		if in := e.byName[s.name]; in != nil {
			if err := op.update(in.adv, s); err != nil {
				logging.Errorf(e.log, fmtInstanceSkip, s.name, err)
			}
			s.params.SrcIP = in.m.Params().SrcIP
			if src := s.view.Src; src.IsValid() {
				s.params.SrcIP = src
			}
			before := in.m.Params().Trackers
			e.reconfigure(in, *s, now)
			kept = append(kept, keptInstance{in, before})
			sum.kept = append(sum.kept, s.name)
			continue
		}
		adv, err := op.open(s, len(e.insts))
		if err != nil {
			logging.Errorf(e.log, fmtInstanceSkip, s.name, err)
			continue
		}
		m := vrrp.New(s.params)
		machines[s.name] = m
		added = append(added, e.add(*s, m, adv))
		sum.added = append(sum.added, s.name)
	}
	// New sync groups are made of new members only: a group whose
	// membership changed changed every member's identity.
	for _, g := range groupsOf(specs) {
		var ms []*vrrp.Machine
		for _, name := range g.members {
			if m := machines[name]; m != nil {
				ms = append(ms, m)
			}
		}
		if len(ms) > 0 && len(ms) == len(g.members) {
			vrrp.NewGroup(g.name, ms...)
		}
	}
	e.retrack()
	// What the watchers already know counts from the start: an interface
	// down or a script failing starts its instance in FAULT. A kept
	// instance learns it for the objects it newly tracks.
	for _, k := range kept {
		e.applyKnown(k.in, k.before, now)
	}
	for _, in := range added {
		e.applyKnown(in, nil, now)
	}
	for _, in := range added {
		e.step(in, vrrp.Start{Resume: in.spec.resume}, now)
	}
	return sum
}

// reconfigure hands a kept instance its new parameters. The machine
// says what to announce; the addresses applied are the difference
// between the old and the new sets (see perform).
func (e *engine) reconfigure(in *instance, s spec, now time.Time) {
	old := in.spec
	in.spec = s
	in.prev = &old
	e.step(in, vrrp.Reload{Params: s.params}, now)
	in.prev = nil
}

// remove deletes an instance: a master resigns (priority 0) and gives up
// its addresses, its timers stop, its sockets close.
func (e *engine) remove(in *instance, op opener, now time.Time) {
	in.deleting = true
	e.step(in, vrrp.Delete{}, now)
	e.garp.Flush(in.spec.name)
	for _, t := range []vrrp.TimerID{vrrp.TimerMain, vrrp.TimerGARP} {
		e.timers.cancel(timerKey{in.idx, t})
	}
	op.release(&in.spec, in.adv)
	in.dead = true
	delete(e.byName, in.spec.name)
}

// keptInstance is an instance a reload kept, with the trackers it had.
type keptInstance struct {
	in     *instance
	before []vrrp.TrackerParam
}

// plan is the host change for an add action: everything when becoming
// master, the difference with the previous configuration's set while a
// master reloads.
func plan(in *instance, pick func(*spec) netif.Set) []netif.Op {
	if in.prev != nil {
		return netif.Plan(pick(&in.spec), pick(in.prev))
	}
	return netif.PlanAdd(pick(&in.spec))
}

func addrsOf(s *spec) netif.Set  { return s.addrs }
func routesOf(s *spec) netif.Set { return s.routes }
func rulesOf(s *spec) netif.Set  { return s.rules }

// syncGroup is a vrrp_sync_group as the specs name it.
type syncGroup struct {
	name    string
	members []string
}

// groupsOf lists the sync groups of specs, in the order of their first
// member.
func groupsOf(specs []spec) []syncGroup {
	var out []syncGroup
	seen := map[string]bool{}
	for i := range specs {
		g := specs[i].group
		if g == "" || seen[g] {
			continue
		}
		seen[g] = true
		name, members, _ := strings.Cut(g, ":")
		out = append(out, syncGroup{name: name, members: strings.Split(members, ",")})
	}
	return out
}

func knownErrors(ds config.Diagnostics) map[string]bool {
	known := map[string]bool{}
	for _, d := range ds {
		known[d.Msg] = true
	}
	return known
}

// refusal returns the first diagnostic that makes a reload unsafe: one
// that stops the daemon, or an error (a keyword keepalived would skip, a
// brace out of place, a bad number) the running configuration did not
// have. Script security warnings do not count: keepalived runs such
// configurations with the scripts disabled.
func refusal(ds config.Diagnostics, known map[string]bool) (config.Diagnostic, bool) {
	if ds.Fatal() {
		for _, d := range ds {
			if d.Class >= config.ClassFileNotFound && d.Class <= config.ClassFatal || d.Class >= config.ClassConfigFile {
				return d, true
			}
		}
	}
	for _, d := range ds {
		if d.Class > config.ClassFatal && d.Class < config.ClassSecurity && !known[d.Msg] {
			return d, true
		}
	}
	return config.Diagnostic{}, false
}
