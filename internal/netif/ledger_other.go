//go:build !linux

package netif

import "os"

func writeFile(path string, b []byte) error { return os.WriteFile(path, b, 0o600) }

func rename(from, to string) error { return os.Rename(from, to) }
