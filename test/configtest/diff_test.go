package configtest

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestDiff compares the verdicts on the tricky configurations written for
// this harness under testdata/diff/.
func TestDiff(t *testing.T) {
	requireReference(t)
	dir := testdata("diff")
	files, err := filepath.Glob(filepath.Join(dir, "*.conf"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no configurations under %s: %v", dir, err)
	}
	for _, f := range files {
		c, err := NewCase(f, dir, "")
		if err != nil {
			t.Fatal(err)
		}
		t.Run(strings.TrimSuffix(filepath.Base(f), ".conf"), func(t *testing.T) { runCase(t, c) })
	}
}
