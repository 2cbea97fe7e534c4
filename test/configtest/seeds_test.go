package configtest

import (
	"bytes"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// seedIndex loads testdata/seeds/INDEX.
func seedIndex(t *testing.T) []IndexEntry {
	t.Helper()
	entries, err := LoadIndex(testdata("seeds", "INDEX"))
	if err != nil {
		t.Fatal(err)
	}
	return entries
}

// TestSeeds gives every seed configuration to both implementations in a
// namespace with the interfaces it names and compares the verdicts.
func TestSeeds(t *testing.T) {
	requireReference(t)
	dir := testdata("seeds")
	for _, e := range seedIndex(t) {
		if strings.Contains(e.Conf, "/") {
			continue // an overlay file, not a case
		}
		c, err := NewCase(filepath.Join(dir, e.Conf), dir, e.Etc)
		if err != nil {
			t.Fatal(err)
		}
		t.Run(strings.TrimSuffix(e.Conf, ".conf"), func(t *testing.T) { runCase(t, c) })
	}
}

// TestSeedIndexComplete checks that INDEX and the files agree both ways,
// so that no seed configuration is left out of TestSeeds.
func TestSeedIndexComplete(t *testing.T) {
	dir := testdata("seeds")
	indexed := map[string]bool{}
	for _, e := range seedIndex(t) {
		if indexed[e.Conf] {
			t.Errorf("INDEX lists %s twice", e.Conf)
		}
		indexed[e.Conf] = true
		if _, err := os.Stat(filepath.Join(dir, e.Conf)); err != nil {
			t.Errorf("INDEX lists %s: %v", e.Conf, err)
		}
		if e.Etc != "-" {
			if fi, err := os.Stat(filepath.Join(dir, "etc", e.Etc)); err != nil || !fi.IsDir() {
				t.Errorf("%s: overlay etc/%s missing", e.Conf, e.Etc)
			}
		}
		if _, err := LineRanges(e.Lines); err != nil {
			t.Errorf("%s: %v", e.Conf, err)
		}
	}
	var files []string
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() == "INDEX" {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		files = append(files, rel)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files)
	for _, f := range files {
		if !indexed[f] {
			t.Errorf("%s is not in INDEX", f)
		}
	}
	if len(files) < 40 {
		t.Errorf("only %d seed files; the extraction lost some", len(files))
	}
}

// TestSeedsMatchSource checks, when the user's seed notes are at hand
// (GKT_SEEDS_DIR, or ../shared/seeds beside the repository), that every
// extracted file is exactly the lines INDEX names: nothing fixed, nothing
// lost.
func TestSeedsMatchSource(t *testing.T) {
	src := os.Getenv("GKT_SEEDS_DIR")
	if src == "" {
		root, err := ModuleRoot(".")
		if err != nil {
			t.Fatal(err)
		}
		src = filepath.Join(root, "..", "shared", "seeds")
	}
	if _, err := os.Stat(src); err != nil {
		t.Skipf("seed notes not available (%v); set GKT_SEEDS_DIR", err)
	}
	for _, e := range seedIndex(t) {
		raw, err := os.ReadFile(filepath.Join(src, e.Source))
		if err != nil {
			t.Errorf("%s: %v", e.Conf, err)
			continue
		}
		lines := strings.SplitAfter(string(raw), "\n")
		ranges, err := LineRanges(e.Lines)
		if err != nil {
			t.Fatal(err)
		}
		var want bytes.Buffer
		for _, r := range ranges {
			if r[1] > len(lines) {
				t.Errorf("%s: lines %d-%d beyond the end of %s", e.Conf, r[0], r[1], e.Source)
				continue
			}
			for _, l := range lines[r[0]-1 : r[1]] {
				want.WriteString(l)
			}
		}
		got, err := os.ReadFile(testdata("seeds", e.Conf))
		if err != nil {
			t.Errorf("%s: %v", e.Conf, err)
			continue
		}
		if !bytes.Equal(got, want.Bytes()) {
			t.Errorf("%s differs from %s lines %s", e.Conf, e.Source, e.Lines)
		}
	}
}
