package configtest

import (
	"sort"
	"strings"
)

// Keywords whose next word names an interface. "interface" covers
// vrrp_instance, garp_group and bfd; "dev" covers virtual/static addresses,
// routes (also after "nexthop") and unicast peers; the rest are the global
// and per-instance keywords of keepalived.conf(5) that take an interface.
var ifaceArgKeywords = map[string]bool{
	"interface":                 true,
	"dev":                       true,
	"default_interface":         true,
	"lvs_sync_daemon":           true,
	"lvs_sync_daemon_interface": true,
	"iif":                       true,
	"oif":                       true,
	"bind_dev":                  true,
}

// Blocks whose lines each start with an interface name.
var ifaceListBlocks = map[string]bool{
	"track_interface":          true,
	"linkbeat_interfaces":      true,
	"interface_up_down_delays": true,
	"interfaces":               true, // inside garp_group
}

// ScanInterfaces returns, sorted and without duplicates, the network
// interfaces a keepalived configuration text names, so that the harness can
// create them before asking both implementations for a verdict. It is a
// deliberately loose scanner (no preprocessing): naming one interface too
// many is harmless, since both implementations see the same namespace.
func ScanInterfaces(text string) []string {
	seen := map[string]bool{}
	inList := 0 // >0 while inside one of ifaceListBlocks (brace depth there)
	for _, raw := range strings.Split(text, "\n") {
		words := configWords(raw)
		if inList == -1 && len(words) > 0 && words[0] != "{" {
			inList = 0 // the list keyword had no block after all
		}
		for i := 0; i < len(words); i++ {
			w := words[i]
			switch {
			case inList > 0:
				switch w {
				case "{":
					inList++
				case "}":
					inList--
				default:
					// Only the first word of a line inside the list is a
					// name ("eth0 weight 10").
					if i == 0 || words[i-1] == "{" {
						addIface(seen, w)
					}
				}
			case ifaceListBlocks[w]:
				// The '{' may follow on the same line or on the next one.
				inList = 1
				if i+1 < len(words) && words[i+1] == "{" {
					i++
				} else if i+1 == len(words) {
					inList = -1 // waiting for '{' on a later line
				}
			case inList == -1 && w == "{":
				inList = 1
			case ifaceArgKeywords[w] && i+1 < len(words):
				addIface(seen, words[i+1])
				i++
			}
		}
	}
	out := make([]string, 0, len(seen))
	for n := range seen {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// configWords splits one line as far as interface scanning needs:
// comments ('#' or '!') cut the line, braces are words of their own,
// quotes are dropped.
func configWords(line string) []string {
	if i := strings.IndexAny(line, "#!"); i >= 0 {
		line = line[:i]
	}
	line = strings.ReplaceAll(line, "{", " { ")
	line = strings.ReplaceAll(line, "}", " } ")
	line = strings.ReplaceAll(line, "\"", " ")
	return strings.Fields(line)
}

func addIface(seen map[string]bool, name string) {
	if ValidIfName(name) {
		seen[name] = true
	}
}

// ValidIfName reports whether name is worth creating as a link: the kernel's
// rules (dev_valid_name: 1-15 bytes, no '/', ':' or white space, not "." or
// "..") restricted to printable ASCII without '<', '>', braces and '$', so
// that labels such as eth0:1, placeholders such as <IPADDR> and unexpanded
// parameters such as $IFACE are left out (cases using parameters name their
// interfaces with a directive).
func ValidIfName(name string) bool {
	if name == "" || len(name) > 15 || name == "." || name == ".." {
		return false
	}
	for _, r := range name {
		if r == '/' || r == ':' || r <= ' ' || r > '~' || strings.ContainsRune("<>{}$", r) {
			return false
		}
	}
	return true
}
