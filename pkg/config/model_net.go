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
