//go:build !linux

package firewall

import "errors"

func newBackend(Options) (backend, error) {
	return nil, errors.New("nftables needs Linux")
}
