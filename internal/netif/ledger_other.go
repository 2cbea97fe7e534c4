//go:build !linux

package netif

import "os"

// journal is the ledger file open for appending.
type journal struct{ f *os.File }

func createJournal(path string) (*journal, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC|os.O_APPEND, 0o600)
	if err != nil {
		return nil, err
	}
	return &journal{f}, nil
}

func (j *journal) append(b []byte) error { _, err := j.f.Write(b); return err }
func (j *journal) close()                { j.f.Close() }

func rename(from, to string) error { return os.Rename(from, to) }
