package configtest

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/gokeepalived/gokeepalived/test/gen"
)

// TestGenerated runs the benchmark generator's output, at a size that keeps
// the test quick, through the comparison: keepalived must accept it (the
// benchmark would otherwise time a failing parse) and so must we.
func TestGenerated(t *testing.T) {
	requireReference(t)
	dir := t.TempDir()
	files := map[string][]byte{
		"vrrp-600.conf":  gen.VRRP(600), // three interfaces, VRIDs 1-250 on each
		"lvs-20x10.conf": gen.VirtualServers(20, 10),
	}
	for name, text := range files {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, text, 0o644); err != nil {
			t.Fatal(err)
		}
		c, err := NewCase(path, dir, "")
		if err != nil {
			t.Fatal(err)
		}
		c.WantKeepalived = 0
		t.Run(name, func(t *testing.T) { runCase(t, c) })
	}
}
