package configtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"syscall"
	"time"
)

// Reference is Debian's keepalived, the reference for every verdict.
const Reference = "/usr/sbin/keepalived"

// ReferenceVersion is what `keepalived -v` must print for Reference to count.
const ReferenceVersion = "Keepalived v2.2.7 (01/16,2022)"

// RunTimeout bounds one `-t` run; both implementations take milliseconds.
const RunTimeout = 60 * time.Second

// Verdict is what one `-t` run produced.
type Verdict struct {
	Exit int
	// Signal names the signal that killed the process ("" if it exited):
	// keepalived 2.2.7 itself crashes on a few inputs.
	Signal string
	Stderr string
}

// Outcome says how the run ended: "exit N" or "killed by SIGNAL".
func (v Verdict) Outcome() string {
	if v.Signal != "" {
		return "killed by " + v.Signal
	}
	return fmt.Sprintf("exit %d", v.Exit)
}

// Messages returns the run's diagnostic messages, see Messages.
func (v Verdict) Messages() []string { return Messages(v.Stderr) }

// RunCheck runs `bin [args...] -t -f conf` inside the namespace.
func RunCheck(ctx context.Context, ns *Namespace, bin string, args []string, conf string) (Verdict, error) {
	ctx, cancel := context.WithTimeout(ctx, RunTimeout)
	defer cancel()
	argv := append(append([]string{bin}, args...), "-t", "-f", conf)
	cmd := ns.Command(ctx, argv...)
	var stderr bytes.Buffer
	cmd.Stdout = &stderr // keepalived -t writes nothing on stdout; keep order if one does
	cmd.Stderr = &stderr
	err := cmd.Run()
	v := Verdict{Stderr: stderr.String()}
	var ee *exec.ExitError
	switch {
	case err == nil:
	case ctx.Err() != nil:
		return v, fmt.Errorf("%s -t -f %s: timed out after %v", bin, conf, RunTimeout)
	case errors.As(err, &ee) && ee.Exited():
		v.Exit = ee.ExitCode()
	case errors.As(err, &ee):
		v.Exit = -1
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			v.Signal = ws.Signal().String()
		} else {
			v.Signal = ee.String()
		}
	default:
		return v, fmt.Errorf("%s -t -f %s: %v\n%s", bin, conf, err, v.Stderr)
	}
	return v, nil
}

// posPrefixRE matches keepalived's "(FILE: Line N) " / "(Line N) " prefix.
var posPrefixRE = regexp.MustCompile(`^\((?:.*?: )?Line [0-9]+\) `)

// quoteLineRE matches the indented "| source text" line our verbose
// diagnostics add under a message; it quotes the input, it is no message.
var quoteLineRE = regexp.MustCompile(`^[ \t]+\| `)

// Messages turns `-t` output into the set of its messages, sorted: the
// position prefix is removed (keepalived names the file differently in its
// passes, and parses up to three times, printing some messages once per
// pass), surrounding white space is trimmed and empty lines and the
// namespace's bind-mount chatter from ip and our quoted source lines are
// dropped.
func Messages(out string) []string {
	set := map[string]bool{}
	for _, line := range strings.Split(out, "\n") {
		if quoteLineRE.MatchString(line) {
			continue
		}
		line = strings.TrimSpace(posPrefixRE.ReplaceAllString(strings.TrimSpace(line), ""))
		if line == "" || strings.HasPrefix(line, "Bind /etc/netns/") {
			continue
		}
		set[line] = true
	}
	out2 := make([]string, 0, len(set))
	for m := range set {
		out2 = append(out2, m)
	}
	sort.Strings(out2)
	return out2
}

// HasMessage reports whether ours contains keepalived's message want:
// either the same text, or the same text followed by our " - " hint (a
// "did you mean" or what to write instead), which we append on the same
// line so that greps for keepalived's text still match.
func HasMessage(ours []string, want string) bool {
	for _, o := range ours {
		if o == want || strings.HasPrefix(o, want+" - ") {
			return true
		}
	}
	return false
}

// CheckReference reports why the reference comparison cannot run here
// (not root, no ip, no Debian keepalived 2.2.7), or nil.
func CheckReference() error {
	if os.Geteuid() != 0 {
		return errors.New("needs root (network namespaces)")
	}
	if _, err := exec.LookPath("ip"); err != nil {
		return errors.New("needs ip from iproute2")
	}
	out, err := exec.Command(Reference, "-v").CombinedOutput()
	if err != nil {
		return fmt.Errorf("needs Debian's keepalived at %s (apt-get install keepalived): %v", Reference, err)
	}
	if !strings.Contains(string(out), ReferenceVersion) {
		return fmt.Errorf("%s is not %q: %s", Reference, ReferenceVersion, firstLine(string(out)))
	}
	return nil
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}

// ModuleRoot finds the directory holding go.mod above dir.
func ModuleRoot(dir string) (string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("go.mod not found")
		}
		dir = parent
	}
}

// BuildOurs builds cmd/keepalived of the module at root into dir and
// returns the binary's path. Building here, rather than trusting
// bin/keepalived, keeps `go test ./...` from comparing a stale binary.
func BuildOurs(root, dir string) (string, error) {
	bin := filepath.Join(dir, "keepalived")
	goTool, err := exec.LookPath("go")
	if err != nil {
		goTool = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	cmd := exec.Command(goTool, "build", "-o", bin, "./cmd/keepalived")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build ./cmd/keepalived: %v\n%s", err, out)
	}
	return bin, nil
}
