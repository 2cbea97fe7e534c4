// Package version holds the version strings the binary reports.
package version

// Version is the keepalived release whose behaviour we follow.
const Version = "2.2.7"

// Commit is set at build time by the Makefile (-ldflags -X).
var Commit = "dev"
