package cli

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"

	"github.com/gokeepalived/gokeepalived/internal/version"
)

// VersionInfo is what -v prints besides our own lines; Main fills it from
// the running system, tests fill it by hand.
type VersionInfo struct {
	Sysname, Release, KernelVersion string // uname
	Distro                          string // PRETTY_NAME of /etc/os-release
}

// SystemVersionInfo reads the running system.
func SystemVersionInfo() VersionInfo {
	s, r, v := uname()
	return VersionInfo{Sysname: s, Release: r, KernelVersion: v, Distro: distro("/etc/os-release")}
}

// WriteVersion writes the -v text. keepalived writes it to stderr and exits
// 0. Its shape is keepalived's (version line, blank, copyright, blank, build
// and system lines) so that readers of the first line or of "Running on"
// keep working; the first line names gokeepalived and its commit where
// keepalived has its release date, so it is never taken for keepalived's
// own binary.
func WriteVersion(w io.Writer, vi VersionInfo) {
	fmt.Fprintf(w, "%s\n\n", version.Line())
	fmt.Fprintf(w, "gokeepalived, a drop-in replacement for keepalived written in Go.\n")
	fmt.Fprintf(w, "Copyright(C) the gokeepalived authors. Follows keepalived %s (Alexandre Cassen and contributors).\n\n", version.Version)
	fmt.Fprintf(w, "Built with %s for %s/%s\n", runtime.Version(), runtime.GOOS, runtime.GOARCH)
	fmt.Fprintf(w, "Running on %s %s %s\n", vi.Sysname, vi.Release, vi.KernelVersion)
	if vi.Distro != "" {
		fmt.Fprintf(w, "Distro: %s\n", vi.Distro)
	}
}

// distro returns PRETTY_NAME from an os-release file, as keepalived's
// "Distro:" line shows it; "" when there is none.
func distro(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), "=")
		if !ok || strings.TrimSpace(k) != "PRETTY_NAME" {
			continue
		}
		v = strings.TrimSpace(v)
		if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
			v = v[1 : len(v)-1]
		}
		return v
	}
	return ""
}
