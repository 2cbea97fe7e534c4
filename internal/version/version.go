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
