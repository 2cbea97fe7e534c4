package script

import (
	"strings"
	"testing"
)

// FuzzBuildEnv checks buildEnv on any environment (the daemon's comes from
// whoever started it): nothing removed survives unless the caller adds it,
// the caller's entries come last and in order, and a name the caller sets
// is never also left from the daemon's.
func FuzzBuildEnv(f *testing.F) {
	f.Add("PATH=/bin\nLD_PRELOAD=/x.so\nIFS= \nA=1", "A=2\nB=3")
	f.Add("NOEQUALS\n=\n==\nLD_LIBRARY_PATH", "")
	f.Add("", "IFS=x")
	f.Fuzz(func(t *testing.T, base, extra string) {
		b, e := strings.Split(base, "\n"), strings.Split(extra, "\n")
		if extra == "" {
			e = nil
		}
		got := buildEnv(b, e)
		if len(got) < len(e) || strings.Join(got[len(got)-len(e):], "\n") != strings.Join(e, "\n") {
			t.Fatalf("extra %q not at the end of %q", e, got)
		}
		for _, kv := range got[:len(got)-len(e)] {
			name := envName(kv)
			if isRemoved(name) {
				t.Fatalf("%q kept in %q", kv, got)
			}
			if inEnv(e, name) {
				t.Fatalf("%q kept although extra sets %s", kv, name)
			}
		}
	})
}
