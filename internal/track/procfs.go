package track

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strconv"
)

// The /proc reader of vrrp_track_process: thin on purpose, the matching
// is ProcSpec.match. root is /proc, or a fake tree in tests.

// parseStat finds the name and state in /proc/PID/stat ("PID (comm) S
// ..."). The name is between the first '(' and the last ')', since a
// name may itself hold parentheses.
func parseStat(b []byte) (comm string, state byte, ok bool) {
	open := bytes.IndexByte(b, '(')
	shut := bytes.LastIndexByte(b, ')')
	if open < 0 || shut < open || shut+2 >= len(b) {
		return "", 0, false
	}
	return string(b[open+1 : shut]), b[shut+2], true
}

// statReadMax is keepalived's buffer for /proc/PID/stat: the name (at
// most 15 bytes) and the state are near the start.
const statReadMax = 127

// readProcs lists the running processes with what the specs need of
// them: comm (and whether it is a zombie) from /proc/PID/stat, and the
// first cmdlineLen bytes of /proc/PID/cmdline. A process that vanishes
// while it is read is left out.
func readProcs(root string, comm bool, cmdlineLen int) ([]ProcInfo, error) {
	ents, err := os.ReadDir(root)
	if err != nil {
		return nil, err
	}
	var out []ProcInfo
	for _, e := range ents {
		name := e.Name()
		if !e.IsDir() || name[0] < '1' || name[0] > '9' {
			continue
		}
		pid, err := strconv.Atoi(name)
		if err != nil {
			continue
		}
		p := ProcInfo{PID: pid}
		dir := filepath.Join(root, name)
		if cmdlineLen > 0 {
			if p.Cmdline, err = readUpTo(filepath.Join(dir, "cmdline"), cmdlineLen); err != nil {
				continue
			}
		}
		if comm {
			b, err := readUpTo(filepath.Join(dir, "stat"), statReadMax)
			if err != nil {
				continue
			}
			c, state, ok := parseStat(b)
			if !ok {
				continue
			}
			p.Comm, p.Zombie = c, state == 'Z'
		}
		out = append(out, p)
	}
	return out, nil
}

// readProc reads one process after an exec event, as keepalived's
// check_process: the name from /proc/PID/comm, the command line from
// /proc/PID/cmdline. ok is false when the process is gone.
func readProc(root string, pid int, comm bool, cmdlineLen int) (ProcInfo, bool) {
	p := ProcInfo{PID: pid}
	dir := filepath.Join(root, strconv.Itoa(pid))
	var err error
	if cmdlineLen > 0 {
		if p.Cmdline, err = readUpTo(filepath.Join(dir, "cmdline"), cmdlineLen); err != nil {
			return p, false
		}
	}
	if comm {
		b, err := readUpTo(filepath.Join(dir, "comm"), 16)
		if err != nil {
			return p, false
		}
		p.Comm = string(bytes.TrimSuffix(b, []byte("\n")))
	}
	return p, true
}

// readUpTo reads at most n bytes of a file.
func readUpTo(path string, n int) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	buf := make([]byte, n)
	m, err := io.ReadFull(f, buf)
	if err == io.ErrUnexpectedEOF || err == io.EOF {
		err = nil
	}
	return buf[:m], err
}
