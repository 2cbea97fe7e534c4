package daemon

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gokeepalived/gokeepalived/internal/dump"
	"github.com/gokeepalived/gokeepalived/internal/logging"
	"github.com/gokeepalived/gokeepalived/pkg/config"
)

// TestDumpFileMode: the dump files are created 0666 less the umask, as
// keepalived 2.2.7's (observed: 0640 under "umask 027", 0644 under -u
// 022, 0600 under its default 0177), whatever the mode of the file they
// replace.
func TestDumpFileMode(t *testing.T) {
	for _, c := range []struct {
		mask int
		want os.FileMode
	}{{0o177, 0o600}, {0o027, 0o640}, {0o022, 0o644}, {0, 0o666}, {0o777, 0}} {
		withUmask(t, c.mask)
		dir := t.TempDir()
		t.Setenv("TMPDIR", dir)
		path := filepath.Join(dir, dump.ParentDataFile)
		if err := os.WriteFile(path, []byte("old\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		writeParentData(config.NewConfig(), &logging.Sink{})
		st, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != c.want {
			t.Errorf("umask %#o: %v, want %v", c.mask, st.Mode().Perm(), c.want)
		}
		if b, _ := os.ReadFile(path); c.want&0o400 != 0 && !strings.Contains(string(b), "Global definitions") {
			t.Errorf("umask %#o: not the parent's dump:\n%s", c.mask, b)
		}
	}
}

func TestParseUmask(t *testing.T) {
	for _, c := range []struct {
		text string
		want uint32
		ok   bool
	}{
		{"Name:\tkeepalived\nUmask:\t0177\nState:\tS (sleeping)\n", 0o177, true},
		{"Umask:\t0027\n", 0o027, true},
		{"Umask:\t0000", 0, true},
		{"Name:\tx\n", 0, false},
		{"Umask:\t0999\n", 0, false},
		{"Umask:\t01777\n", 0, false},
		{"Umask:\t\n", 0, false},
	} {
		got, err := parseUmask([]byte(c.text))
		if (err == nil) != c.ok || got != c.want {
			t.Errorf("%q: %#o %v, want %#o ok=%v", c.text, got, err, c.want, c.ok)
		}
	}
	// This process's, as the kernel says it.
	withUmask(t, 0o037)
	if m, err := currentUmask(); err != nil || m != 0o037 {
		t.Errorf("currentUmask: %#o %v, want 037", m, err)
	}
}

// FuzzParseUmask: any status text gives a mask within 0777 or an error,
// never a panic; a text with a well-formed Umask line gives its value.
func FuzzParseUmask(f *testing.F) {
	for _, s := range []string{"Umask:\t0022\n", "Name:\tk\nUmask:\t0177\n", "Umask:", "Umask:\t-1\n", "Umask:\t0x1f\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := parseUmask(b)
		if err == nil && m > 0o777 {
			t.Fatalf("%q: %#o", b, m)
		}
	})
}

// TestScriptUserOncePerProcess: the parent logs keepalived's "Script
// user 'keepalived_script' does not exist" at its first SIGUSR1 dump, not
// at the next (observed: the parent's and the VRRP child's first data
// dumps log it, the second do not).
func TestScriptUserOncePerProcess(t *testing.T) {
	saved := scriptUser
	t.Cleanup(func() { scriptUser = saved })
	scriptUser = &scriptUserNote{missing: func() bool { return true }}
	t.Setenv("TMPDIR", t.TempDir())
	sink := &logging.Sink{}
	cfg := config.NewConfig()
	for i := 0; i < 2; i++ {
		writeParentData(cfg, sink)
	}
	texts := sink.Texts(true)
	if sink.Count("Script user 'keepalived_script' does not exist") != 1 {
		t.Errorf("lines:\n%s", strings.Join(texts, "\n"))
	}
	// The line follows the first "Printing parent data".
	if len(texts) < 2 || !strings.HasPrefix(texts[0], "Printing parent data for process(") || !strings.HasPrefix(texts[1], "Script user") {
		t.Errorf("order:\n%s", strings.Join(texts, "\n"))
	}
}
