package netlab

import (
	"os"
	"testing"
)

// BothKinds runs f as two parallel subtests, "gokeepalived" against our
// daemon and "keepalived" against Debian's keepalived 2.2.7 (where the
// expectations come from). Without the reference its subtest skips, or
// fails under CI=true (make test installs it).
func BothKinds(t *testing.T, f func(*testing.T, Kind)) {
	t.Helper()
	for _, k := range []Kind{Ours, Reference} {
		t.Run(k.String(), func(t *testing.T) {
			RequireKind(t, k)
			t.Parallel()
			f(t, k)
		})
	}
}

// RequireKind skips t (or fails it under CI=true) when k is the
// reference and Debian's keepalived 2.2.7 is not installed.
func RequireKind(t testing.TB, k Kind) {
	t.Helper()
	if k != Reference {
		return
	}
	if err := CheckReference(); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("reference cannot run: %v (CI=true)", err)
		}
		t.Skipf("no reference: %v", err)
	}
}
