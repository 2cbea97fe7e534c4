// Package install checks `make install` as an operator runs it: the
// binary, the systemd unit, and the example configuration only where
// there is none. Everything goes under a temporary DESTDIR: the test
// never touches /usr/sbin (Debian's keepalived may be there).
package install

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func makeInstall(t *testing.T, dest string) string {
	t.Helper()
	if _, err := exec.LookPath("make"); err != nil {
		t.Skip("no make")
	}
	cmd := exec.Command("make", "-s", "-C", "../..", "install", "DESTDIR="+dest)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("make install: %v\n%s", err, out)
	}
	return string(out)
}

func TestInstall(t *testing.T) {
	dest := t.TempDir()
	makeInstall(t, dest)
	for _, f := range []struct {
		path string
		mode os.FileMode
	}{
		{"usr/sbin/keepalived", 0o755},
		{"lib/systemd/system/keepalived.service", 0o644},
		{"etc/keepalived/keepalived.conf", 0o644},
	} {
		st, err := os.Stat(filepath.Join(dest, f.path))
		if err != nil {
			t.Errorf("%s not installed: %v", f.path, err)
			continue
		}
		if st.Mode().Perm() != f.mode {
			t.Errorf("%s mode %v, want %v", f.path, st.Mode().Perm(), f.mode)
		}
	}
	unit, err := os.ReadFile(filepath.Join(dest, "lib/systemd/system/keepalived.service"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"Type=notify", "NotifyAccess=main", "EnvironmentFile=-/etc/sysconfig/keepalived",
		"ExecStart=/usr/sbin/keepalived --dont-fork $KEEPALIVED_OPTIONS", "ExecReload=/bin/kill -HUP $MAINPID",
	} {
		if !strings.Contains(string(unit), want) {
			t.Errorf("unit lacks %q", want)
		}
	}
	// The installed example is a configuration our -t accepts.
	bin := filepath.Join(dest, "usr/sbin/keepalived")
	out, err := exec.Command(bin, "-t", "-f", filepath.Join(dest, "etc/keepalived/keepalived.conf")).CombinedOutput()
	if code := exitCode(err); code != 0 && code != 4 { // 4: no eth0 on this machine
		t.Errorf("-t of the example: exit %d\n%s", code, out)
	}

	// A second install keeps the operator's configuration.
	conf := filepath.Join(dest, "etc/keepalived/keepalived.conf")
	mine := "! the operator's own\n"
	if err := os.WriteFile(conf, []byte(mine), 0o600); err != nil {
		t.Fatal(err)
	}
	out2 := makeInstall(t, dest)
	if b, _ := os.ReadFile(conf); string(b) != mine {
		t.Errorf("make install overwrote the configuration: %q", b)
	}
	if !strings.Contains(out2, "keeping the existing") {
		t.Errorf("no word about the kept configuration: %q", out2)
	}
}

func exitCode(err error) int {
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode()
	}
	if err != nil {
		return -1
	}
	return 0
}
