package configtest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

var (
	// refErr says why the comparison with Debian's keepalived cannot run.
	refErr error
	// ours is the gokeepalived binary under test, built by TestMain (or
	// named by GKT_OURS, e.g. to compare an installed build).
	ours     string
	buildErr error
)

func TestMain(m *testing.M) {
	refErr = CheckReference()
	var tmp string
	if refErr == nil {
		if ours = os.Getenv("GKT_OURS"); ours == "" {
			var err error
			if tmp, err = os.MkdirTemp("", "gkt-bin-"); err != nil {
				buildErr = err
			} else if root, err := ModuleRoot("."); err != nil {
				buildErr = err
			} else {
				ours, buildErr = BuildOurs(root, tmp)
			}
		}
	}
	code := m.Run()
	removeLeftoverNamespaces()
	CleanupEtcNetns()
	if tmp != "" {
		os.RemoveAll(tmp)
	}
	os.Exit(code)
}

// removeLeftoverNamespaces deletes any namespace this process made that a
// panicking test did not get to close. Only our own pid's names are
// touched.
func removeLeftoverNamespaces() {
	if refErr != nil {
		return
	}
	out, err := exec.Command("ip", "netns", "list").Output()
	if err != nil {
		return
	}
	mine := fmt.Sprintf("%s%d-", NamePrefix, os.Getpid())
	for _, line := range strings.Split(string(out), "\n") {
		f := strings.Fields(line)
		if len(f) > 0 && strings.HasPrefix(f[0], mine) {
			(&Namespace{Name: f[0]}).Close()
		}
	}
}

// requireReference skips the test when the reference cannot run here,
// or fails it under CI=true, where skipping would hide that nothing was
// compared.
func requireReference(t *testing.T) {
	t.Helper()
	if refErr != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI=true and the keepalived comparison cannot run: %v", refErr)
		}
		t.Skipf("skipping the keepalived comparison: %v", refErr)
	}
	if buildErr != nil {
		t.Fatalf("building our keepalived: %v", buildErr)
	}
}

// knownDiff is a message keepalived prints that we deliberately do not
// print the same way; every entry says why.
type knownDiff struct {
	msg    string
	reason string
}

// knownDiffs holds, per case name, the keepalived messages ours may lack.
// The verdict (exit code) must still match: only the text may differ.
var knownDiffs = map[string][]knownDiff{
	"braces-missing-open.conf": {{
		msg: "(VI_1) No VIP specified; at least one is sensible",
		reason: "a block keyword with no '{' at all: keepalived half-creates the instance " +
			"and later drops it silently; we report the missing '{' and do not create it",
	}},
}

func isKnown(name, msg string) (string, bool) {
	for _, k := range knownDiffs[name] {
		if k.msg == msg {
			return k.reason, true
		}
	}
	return "", false
}

// runCase compares both implementations on one case in a namespace of its
// own, which is always deleted.
func runCase(t *testing.T, c Case) {
	t.Helper()
	t.Parallel()
	ns, err := NewNamespace()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := ns.Close(); err != nil {
			t.Errorf("cleanup: %v", err)
		}
	})
	cmp, err := Compare(context.Background(), ns, c, ours, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Log(cmp.Report())

	if cmp.Ours.Signal != "" {
		t.Fatalf("our keepalived was killed by %s:\n%s", cmp.Ours.Signal, cmp.Ours.Stderr)
	}
	want := cmp.Ref.Exit
	switch {
	case cmp.Ref.Signal != "" && c.ReferenceCrashes >= 0:
		t.Logf("keepalived 2.2.7 crashes on this input (%s), as the case records; we must exit %d", cmp.Ref.Signal, c.ReferenceCrashes)
		want = c.ReferenceCrashes
	case cmp.Ref.Signal != "":
		t.Fatalf("keepalived was killed by %s; if that is keepalived's own bug, record it with '# harness: reference-crashes EXIT'", cmp.Ref.Signal)
	case c.ReferenceCrashes >= 0:
		t.Errorf("fixture: the case says keepalived crashes, but it exited %d", cmp.Ref.Exit)
	}
	if c.WantKeepalived >= 0 {
		got := cmp.Ref.Exit
		if cmp.GarpZero {
			got = cmp.RefOriginal.Exit
		}
		if got != c.WantKeepalived {
			t.Errorf("fixture: keepalived exits %d, the fixture says it should exit %d", got, c.WantKeepalived)
		}
	}
	if cmp.GarpZero {
		t.Logf("documented improvement: vrrp_garp_interval/vrrp_gna_interval 0 accepted (keepalived exits %d on the text as written)", cmp.RefOriginal.Exit)
	}
	if cmp.Ours.Exit != want {
		t.Errorf("verdict differs: want exit %d (keepalived -t), ours exits %d", want, cmp.Ours.Exit)
	}
	for _, m := range cmp.Missing() {
		if reason, ok := isKnown(c.Name, m); ok {
			t.Logf("known difference: keepalived says %q, we do not: %s", m, reason)
			continue
		}
		t.Errorf("keepalived says %q; we do not", m)
	}
	for _, k := range knownDiffs[c.Name] {
		if HasMessage(cmp.Ours.Messages(), k.msg) || !contains(cmp.Ref.Messages(), k.msg) {
			t.Logf("known difference %q did not occur; the entry may be stale", k.msg)
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func testdata(parts ...string) string {
	return filepath.Join(append([]string{"..", "testdata"}, parts...)...)
}
