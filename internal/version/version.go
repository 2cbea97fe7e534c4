// Package version holds the version strings the binary reports.
package version

import "runtime/debug"

// Version is the keepalived release whose behaviour we follow.
const Version = "2.2.7"

// Commit is set at build time by the Makefile (-ldflags -X).
var Commit = "dev"

// CommitID names the source the binary was built from: Commit when the
// Makefile set it, otherwise the VCS revision the Go toolchain recorded
// (plain `go build` in a checkout), otherwise "dev".
func CommitID() string {
	if Commit != "" && Commit != "dev" {
		return Commit
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "dev"
	}
	var rev string
	var dirty bool
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if rev == "" {
		return "dev"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if dirty {
		rev += "-dirty"
	}
	return rev
}

// Line is the first line of `keepalived -v`. It starts like keepalived's
// own ("Keepalived v2.2.7") so that scripts reading the version keep
// working, but the parenthesis names us where keepalived puts its release
// date, so it cannot be mistaken for keepalived's binary.
func Line() string {
	return "Keepalived v" + Version + " (gokeepalived " + CommitID() + ")"
}

// MinKernel is the Linux release this binary is built for, in the place
// of the kernel headers version keepalived prints in its start-up line
// ("Running on ... (built for Linux 5.19.11)"). A Go binary is not
// compiled against kernel headers, so the honest equivalent is the oldest
// kernel whose interfaces we rely on: nf_tables sets with concatenated
// keys (address . interface, the vips_link_local sets of no_accept and
// vrrp_strict) came with Linux 4.1; the Go runtime needs 3.2 and the
// netlink, macvlan and socket options we use are older still. A kernel
// older than this gets keepalived's "built for newer Linux" warning
// instead of the usual line, which then means what it says.
var MinKernel = [3]int{4, 1, 0}
