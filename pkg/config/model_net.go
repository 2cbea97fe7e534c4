package config

// IPAddress is one line of virtual_ipaddress, virtual_ipaddress_excluded or
// static_ipaddress. (Owned by the line-grammar work.)
type IPAddress struct {
	Pos Pos `json:"-"`
}

// Route is one line of virtual_routes or static_routes.
type Route struct {
	Pos Pos `json:"-"`
}

// Rule is one line of virtual_rules or static_rules.
type Rule struct {
	Pos Pos `json:"-"`
}

// ParseAddressLine parses one address line (VIP, eVIP, static address):
// IP[/len] [brd IP|+|-] [dev IF] [scope S] [label L] [peer IP] ...
// FIRST CUT stub; reports nothing.
func ParseAddressLine(c *Ctx, n *Node) *IPAddress { return &IPAddress{Pos: n.Pos} }

// ParseRouteLine parses one ip-route style line (virtual_routes, static_routes).
func ParseRouteLine(c *Ctx, n *Node) *Route { return &Route{Pos: n.Pos} }

// ParseRuleLine parses one ip-rule style line (virtual_rules, static_rules).
func ParseRuleLine(c *Ctx, n *Node) *Rule { return &Rule{Pos: n.Pos} }
