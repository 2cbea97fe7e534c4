package netif

import (
	"encoding/json"
	"fmt"

	"github.com/gokeepalived/gokeepalived/pkg/config"
)

// OpKind is what an Op does.
type OpKind uint8

// Operations, in the order Plan emits them: keepalived removes rules,
// routes then addresses, and adds addresses, routes then rules (its
// "removing Virtual Rules / Virtual Routes / VIPs." and "setting VIPs. /
// Virtual Routes / Virtual Rules" sequences), so that no route or rule
// ever points at a missing address.
const (
	OpDelRule OpKind = iota + 1
	OpDelRoute
	OpDelAddr
	OpAddAddr
	OpAddRoute
	OpAddRule
)

var opNames = [...]string{"", "del-rule", "del-route", "del-addr", "add-addr", "add-route", "add-rule"}

func (k OpKind) String() string {
	if int(k) < len(opNames) && k != 0 {
		return opNames[k]
	}
	return fmt.Sprintf("op(%d)", k)
}

// Add reports whether the operation creates something.
func (k OpKind) Add() bool { return k >= OpAddAddr }

// Op is one change to the host. Addr, Route or Rule is set by Kind.
type Op struct {
	Kind  OpKind
	Addr  Addr
	Route *config.Route
	Rule  *config.Rule
}

func (o Op) String() string {
	switch o.Kind {
	case OpAddAddr, OpDelAddr:
		return o.Kind.String() + " " + o.Addr.String()
	case OpAddRoute, OpDelRoute:
		return o.Kind.String() + " " + RouteString(o.Route)
	case OpAddRule, OpDelRule:
		return o.Kind.String() + " " + RuleString(o.Rule)
	}
	return o.Kind.String()
}

// Plan returns the operations that turn have into want, in keepalived's
// order. have is what was configured before (the previous configuration's
// set on a reload, as keepalived's reload diff; empty when becoming
// master), not a kernel dump: the kernel fills in attributes (labels,
// broadcasts, flags) the configuration never gave. Objects in both are
// left alone, so that a reload never flaps an unchanged VIP; an object
// whose attributes changed is removed and added again. Duplicates are
// configured once.
func Plan(want, have Set) []Op {
	var ops []Op
	for _, r := range missing(have.Rules, want.Rules, ruleID) {
		ops = append(ops, Op{Kind: OpDelRule, Rule: r})
	}
	for _, r := range missing(have.Routes, want.Routes, routeID) {
		ops = append(ops, Op{Kind: OpDelRoute, Route: r})
	}
	for _, a := range missing(have.Addrs, want.Addrs, addrID) {
		ops = append(ops, Op{Kind: OpDelAddr, Addr: a})
	}
	for _, a := range missing(want.Addrs, have.Addrs, addrID) {
		ops = append(ops, Op{Kind: OpAddAddr, Addr: a})
	}
	for _, r := range missing(want.Routes, have.Routes, routeID) {
		ops = append(ops, Op{Kind: OpAddRoute, Route: r})
	}
	for _, r := range missing(want.Rules, have.Rules, ruleID) {
		ops = append(ops, Op{Kind: OpAddRule, Rule: r})
	}
	return ops
}

// PlanAdd configures a whole set (becoming master).
func PlanAdd(s Set) []Op { return Plan(s, Set{}) }

// PlanRemove removes a whole set (leaving master, stopping, or clearing
// what the configuration names at start-up as keepalived does).
func PlanRemove(s Set) []Op { return Plan(Set{}, s) }

// missing returns the elements of from (deduplicated, in order) that are
// not in other.
func missing[T any](from, other []T, id func(T) string) []T {
	skip := make(map[string]bool, len(other))
	for _, x := range other {
		skip[id(x)] = true
	}
	var out []T
	for _, x := range from {
		k := id(x)
		if !skip[k] {
			out = append(out, x)
			skip[k] = true
		}
	}
	return out
}

func addrID(a Addr) string { return fmt.Sprintf("%#v", a) }

// routeID and ruleID compare everything the configuration says but the
// position and the text quoted in messages (JSON leaves those out).
func routeID(r *config.Route) string { return canonical(r) }
func ruleID(r *config.Rule) string   { return canonical(r) }

func canonical(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // the model is plain data
	}
	return string(b)
}

// RouteString renders a route for logs.
func RouteString(r *config.Route) string {
	if r == nil {
		return "<nil>"
	}
	s := r.Type + " " + r.Dst.String()
	if r.Dest != "" {
		s = r.Dest
		if r.Type != "unicast" {
			s = r.Type + " " + s
		}
	}
	if r.Via.IsValid() {
		s += " via " + r.Via.String()
	}
	if r.Dev != "" {
		s += " dev " + r.Dev
	}
	if r.Table != 0 && r.Table != rtTableMain {
		s += fmt.Sprintf(" table %d", r.Table)
	}
	if r.Metric != nil {
		s += fmt.Sprintf(" metric %d", *r.Metric)
	}
	return s
}

// RuleString renders a rule for logs.
func RuleString(r *config.Rule) string {
	if r == nil {
		return "<nil>"
	}
	s := fmt.Sprintf("%d:", r.Priority)
	if r.Not {
		s += " not"
	}
	switch {
	case r.From.IsValid() && !r.FromAll:
		s += " from " + r.From.String()
	default:
		s += " from all"
	}
	if r.To.IsValid() && !r.ToAll {
		s += " to " + r.To.String()
	}
	if r.IIF != "" {
		s += " iif " + r.IIF
	}
	if r.OIF != "" {
		s += " oif " + r.OIF
	}
	s += " " + r.Action
	switch r.Action {
	case "table":
		s += fmt.Sprintf(" %d", r.Table)
	case "goto":
		s += fmt.Sprintf(" %d", r.Goto)
	}
	return s
}
