package daemon

import (
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/cli"
	"github.com/gokeepalived/gokeepalived/pkg/config"
)

func TestPidFiles(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "sub", "k.pid")
	if err := writePidFile(p, 1234); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(p); string(b) != "1234\n" {
		t.Errorf("content %q", b)
	}
	removePidFile(p, 999) // someone else's: kept
	if _, err := os.Stat(p); err != nil {
		t.Error("removed another daemon's pid file")
	}
	removePidFile(p, 1234)
	if _, err := os.Stat(p); err == nil {
		t.Error("pid file left")
	}

	// Our parent process is alive; a pid that cannot exist is not.
	if err := writePidFile(p, os.Getppid()); err != nil {
		t.Fatal(err)
	}
	if pid, ok := runningPid(p, os.Getpid()); !ok || pid != os.Getppid() {
		t.Errorf("live pid not seen: %d %v", pid, ok)
	}
	if _, ok := runningPid(p, os.Getppid()); ok {
		t.Error("our own pid counted as another daemon")
	}
	writePidFile(p, 1<<22+12345)
	if _, ok := runningPid(p, os.Getpid()); ok {
		t.Error("stale pid file counted")
	}
	os.WriteFile(p, []byte("junk"), 0o644)
	if _, ok := runningPid(p, os.Getpid()); ok {
		t.Error("junk counted")
	}
}

// A pid file naming a process that has ended but is not reaped yet does
// not block a new start.
func TestRunningPidZombie(t *testing.T) {
	cmd := exec.Command("true")
	if err := cmd.Start(); err != nil {
		t.Skip(err)
	}
	pid := cmd.Process.Pid
	path := filepath.Join(t.TempDir(), "k.pid")
	if err := writePidFile(path, pid); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for !zombie(pid) && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if !zombie(pid) {
		t.Fatal("child never became a zombie")
	}
	if _, running := runningPid(path, os.Getpid()); running {
		t.Error("a zombie counted as a running daemon")
	}
	cmd.Wait()
	if zombie(os.Getpid()) {
		t.Error("this process is no zombie")
	}
}

func TestPidPaths(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts func(*cli.Options)
		g    *config.GlobalDefs
		want pidFiles
	}{
		{"defaults", nil, &config.GlobalDefs{}, pidFiles{"/run/keepalived.pid", "/run/vrrp.pid", "/run/checkers.pid"}},
		{"no configuration yet", nil, nil, pidFiles{"/run/keepalived.pid", "/run/vrrp.pid", "/run/checkers.pid"}},
		{"instance", nil, &config.GlobalDefs{Instance: "blue"},
			pidFiles{"/run/keepalived/keepalived_blue.pid", "/run/keepalived/vrrp_blue.pid", "/run/keepalived/checkers_blue.pid"}},
		{"instance and use_pid_dir", nil, &config.GlobalDefs{Instance: "blue", UsePIDDir: true},
			pidFiles{"/run/keepalived/keepalived_blue.pid", "/run/keepalived/vrrp_blue.pid", "/run/keepalived/checkers_blue.pid"}},
		{"use_pid_dir", nil, &config.GlobalDefs{UsePIDDir: true},
			pidFiles{"/run/keepalived/keepalived.pid", "/run/keepalived/vrrp.pid", "/run/keepalived/checkers.pid"}},
		{"command line wins", func(o *cli.Options) { o.PidFile, o.VRRPPidFile = "/tmp/k.pid", "/tmp/v.pid" },
			&config.GlobalDefs{Instance: "blue"}, pidFiles{"/tmp/k.pid", "/tmp/v.pid", "/run/keepalived/checkers_blue.pid"}},
	} {
		o := cli.NewOptions()
		if tc.opts != nil {
			tc.opts(&o)
		}
		if got := pidPaths(o, tc.g); got != tc.want {
			t.Errorf("%s: %+v, want %+v", tc.name, got, tc.want)
		}
	}
}

// withUmask runs the rest of the test under mask (the process's: tests
// that use it must not run in parallel with others).
func withUmask(t *testing.T, mask int) {
	t.Helper()
	old := syscall.Umask(mask)
	t.Cleanup(func() { syscall.Umask(old) })
}

// TestPidFileMode: keepalived 2.2.7's pid files are 0644 under any
// umask (observed under 0177, 027, 022, 0777), also when the file was
// there before with another mode.
func TestPidFileMode(t *testing.T) {
	for _, mask := range []int{0o177, 0o027, 0o022, 0o777, 0} {
		withUmask(t, mask)
		dir := t.TempDir()
		fresh, old := filepath.Join(dir, "k.pid"), filepath.Join(dir, "old.pid")
		if err := os.WriteFile(old, []byte("1\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		for _, p := range []string{fresh, old} {
			if err := writePidFile(p, 4321); err != nil {
				t.Fatalf("umask %#o: %v", mask, err)
			}
			st, err := os.Stat(p)
			if err != nil {
				t.Fatal(err)
			}
			if st.Mode().Perm() != 0o644 {
				t.Errorf("umask %#o: %s is %v, want 0644", mask, filepath.Base(p), st.Mode().Perm())
			}
		}
		if left, _ := filepath.Glob(filepath.Join(dir, "*.tmp")); len(left) != 0 {
			t.Errorf("left %q", left)
		}
	}
}
