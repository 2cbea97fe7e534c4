package dump

import (
	"bufio"
	"io"
	"os"
	"path/filepath"
)

// The dump file names, keepalived's.
const (
	DataFile       = "keepalived.data"        // SIGUSR1, VRRP child
	ParentDataFile = "keepalived_parent.data" // SIGUSR1, parent
	CheckDataFile  = "keepalived_check.data"  // SIGUSR1, checker child
	StatsFile      = "keepalived.stats"       // SIGUSR2 and STATS_CLEAR
	JSONFile       = "keepalived.json"        // signal 36
)

// Dir is where keepalived writes its dumps: $TMPDIR, or /tmp.
func Dir() string {
	if d := os.Getenv("TMPDIR"); d != "" {
		return d
	}
	return "/tmp"
}

// WriteFile writes one dump file in dir, replacing any earlier one, with
// mode 0600 (keepalived creates them under its umask 0177). The file is
// written under a temporary name and renamed, so a reader never sees a
// half-written dump.
func WriteFile(dir, name string, write func(io.Writer) error) error {
	f, err := os.CreateTemp(dir, "."+name+".*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer os.Remove(tmp) // after a successful rename there is nothing to remove
	bw := bufio.NewWriter(f)
	if err := write(bw); err != nil {
		f.Close()
		return err
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		return err
	}
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, filepath.Join(dir, name))
}
