package script

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/gokeepalived/gokeepalived/pkg/config"
)

// removedEnv are the variables a program never inherits from the daemon.
// keepalived 2.2.7 passes its whole environment on (observed: a script
// saw LD_PRELOAD, LD_LIBRARY_PATH and IFS set in keepalived's); we drop
// these three, which let whoever started the daemon choose code that runs
// inside every script as root or change how its shell splits words.
var removedEnv = [...]string{"LD_PRELOAD", "LD_LIBRARY_PATH", "IFS"}

// csPath is what glibc's confstr(_CS_PATH) gives on Linux: keepalived
// searches it for a command without a slash when its own environment has
// no PATH. The program's environment still gets no PATH in that case.
const csPath = "/bin:/usr/bin"

// shellBin runs keepalived's "</file" test (system() runs /bin/sh -c).
const shellBin = "/bin/sh"

// buildEnv is base without the removed variables, then extra; a name in
// extra replaces the one in base (glibc's getenv takes the first of two,
// so both must not be passed).
func buildEnv(base, extra []string) []string {
	out := make([]string, 0, len(base)+len(extra))
	for _, kv := range base {
		name := envName(kv)
		if isRemoved(name) || inEnv(extra, name) {
			continue
		}
		out = append(out, kv)
	}
	return append(out, extra...)
}

func envName(kv string) string {
	if i := strings.IndexByte(kv, '='); i >= 0 {
		return kv[:i]
	}
	return kv
}

func isRemoved(name string) bool {
	for _, r := range removedEnv {
		if name == r {
			return true
		}
	}
	return false
}

func inEnv(env []string, name string) bool {
	for _, kv := range env {
		if envName(kv) == name {
			return true
		}
	}
	return false
}

// lookupEnv is the value of name in env (the last one, as buildEnv keeps it).
func lookupEnv(env []string, name string) (string, bool) {
	val, ok := "", false
	for _, kv := range env {
		if envName(kv) == name && len(kv) > len(name) {
			val, ok = kv[len(name)+1:], true
		}
	}
	return val, ok
}

// isFileTest reports whether argv is keepalived's "can this file be
// opened" test: a first word "<" followed (after blanks) by an absolute
// path, which keepalived gives to system() instead of execve().
func isFileTest(argv []string) bool {
	if len(argv) == 0 || !strings.HasPrefix(argv[0], "<") {
		return false
	}
	return strings.HasPrefix(strings.TrimLeft(argv[0][1:], " \t"), "/")
}

// shellLine is the line keepalived hands to system() for argv: its
// cmd_str form (each word in single quotes, a first word that is a
// redirection as it is).
func shellLine(argv []string) string { return config.CmdStr(argv) }

// lookPath finds the program keepalived would run for name: a name with a
// slash as it is (relative to the working directory); otherwise the first
// regular file in path that uid:gid may execute, as keepalived's
// find_path does (an empty element of path is the working directory).
func lookPath(name, path string, uid, gid uint32) (string, error) {
	if strings.Contains(name, "/") {
		return name, nil
	}
	denied := false
	for _, dir := range filepath.SplitList(path) {
		if dir == "" {
			dir = "."
		}
		p := dir + "/" + name
		fi, err := os.Stat(p)
		if err != nil {
			continue
		}
		if !fi.Mode().IsRegular() || !executableBy(fi, uid, gid) {
			denied = true
			continue
		}
		return p, nil
	}
	if denied {
		return "", fmt.Errorf("%s in PATH %s: %w", name, path, fs.ErrPermission)
	}
	return "", fmt.Errorf("%s not found in PATH %s: %w", name, path, fs.ErrNotExist)
}

// executableBy is keepalived's is_executable: root may run a file with
// any execute bit; otherwise the owner's, group's or others' bit counts,
// whichever class uid:gid falls in.
func executableBy(fi fs.FileInfo, uid, gid uint32) bool {
	m := fi.Mode().Perm()
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return m&0o111 != 0
	}
	switch {
	case uid == 0:
		return m&0o111 != 0
	case uid == st.Uid:
		return m&0o100 != 0
	case gid == st.Gid:
		return m&0o010 != 0
	}
	return m&0o001 != 0
}
