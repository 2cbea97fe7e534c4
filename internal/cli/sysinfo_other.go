//go:build !linux

package cli

import "runtime"

// uname: keepalived only runs on Linux; elsewhere say what we know.
func uname() (sysname, release, version string) {
	return runtime.GOOS, "unknown", ""
}
