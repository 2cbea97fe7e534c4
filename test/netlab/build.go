package netlab

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
)

// ReferencePath is Debian's keepalived, the reference implementation.
const ReferencePath = "/usr/sbin/keepalived"

// ReferenceVersion is the only version the comparisons accept.
const ReferenceVersion = "Keepalived v2.2.7"

// CheckReference returns an error unless ReferencePath is Debian's
// keepalived 2.2.7 (and not, say, ours installed over it).
func CheckReference() error {
	out, err := exec.Command(ReferencePath, "-v").CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s -v: %v", ReferencePath, err)
	}
	first, _, _ := strings.Cut(string(out), "\n")
	if !strings.HasPrefix(first, ReferenceVersion) || strings.Contains(string(out), "gokeepalived") {
		return fmt.Errorf("%s is not Debian's keepalived 2.2.7: %q", ReferencePath, first)
	}
	return nil
}

// BuildOurs builds cmd/keepalived into dir and returns the binary's path.
func BuildOurs(dir string) (string, error) {
	bin := filepath.Join(dir, "keepalived")
	goTool := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := os.Stat(goTool); err != nil {
		goTool = "go"
	}
	build := exec.Command(goTool, "build", "-buildvcs=false", "-o", bin, "github.com/gokeepalived/gokeepalived/cmd/keepalived")
	if out, err := build.CombinedOutput(); err != nil {
		return "", fmt.Errorf("building keepalived: %v\n%s", err, out)
	}
	return bin, nil
}

// OursEnv names a keepalived binary of ours that Main uses instead of
// building one (e.g. bin/keepalived after make build, or a build of
// another checkout).
const OursEnv = "GV_NETLAB_OURS"

// Main is the TestMain of a package of lab tests: the test binary
// doubles as the TCP server of Server (MaybeServe), our keepalived is
// built once into a temporary directory (its path is stored in *binary),
// the tests run, and the directory goes. With $GV_NETLAB_OURS set, that
// binary is used and nothing is built.
func Main(m interface{ Run() int }, binary *string) {
	MaybeServe()
	if p := os.Getenv(OursEnv); p != "" {
		abs, err := filepath.Abs(p)
		if err == nil {
			_, err = os.Stat(abs)
		}
		if err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", OursEnv, err)
			os.Exit(1)
		}
		*binary = abs
		os.Exit(m.Run())
	}
	dir, err := os.MkdirTemp("", "gokeepalived-lab-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	*binary, err = BuildOurs(dir)
	if err != nil {
		os.RemoveAll(dir)
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}
