//go:build !linux

package daemon

// CPU affinity is Linux's (affinity_linux.go).
func pinParent()   {}
func restoreCPUs() {}
