package configtest

import (
	"os"
	"path/filepath"
	"testing"
)

// samplesDir is where Debian's keepalived package puts keepalived's own
// example configurations.
const samplesDir = "/usr/share/doc/keepalived/samples"

// TestSamples compares the verdicts on keepalived's sample configurations.
func TestSamples(t *testing.T) {
	requireReference(t)
	files, _ := filepath.Glob(filepath.Join(samplesDir, "keepalived.conf.*"))
	if len(files) == 0 {
		// Minimal images may exclude /usr/share/doc from packages.
		if os.Getenv("CI") == "true" {
			t.Fatalf("no samples under %s", samplesDir)
		}
		t.Skipf("no samples under %s", samplesDir)
	}
	for _, f := range files {
		c, err := NewCase(f, samplesDir, "")
		if err != nil {
			t.Fatal(err)
		}
		t.Run(filepath.Base(f), func(t *testing.T) { runCase(t, c) })
	}
}
