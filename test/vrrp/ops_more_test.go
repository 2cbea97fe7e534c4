package vrrptest

import (
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gokeepalived/gokeepalived/test/netlab"
)

// More of the process as an operator sees it, each checked on ours and
// on Debian's keepalived 2.2.7 alike: a configuration with nothing to
// run, the umask and the modes of the files the daemon writes, the
// once-per-process script user line, a child's stop line, and the
// signals the children leave at their defaults for the programs they
// run.

// procStatus returns the value of one field of /proc/PID/status.
func procStatus(t *testing.T, pid int, field string) string {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatalf("status of %d: %v", pid, err)
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, field+":"); ok {
			return strings.TrimSpace(v)
		}
	}
	t.Fatalf("no %s in /proc/%d/status", field, pid)
	return ""
}

// TestNothingToRun: global_defs alone starts no child. keepalived logs
// the max_auto_priority NOTICE, then "Warning - keepalived has no
// configuration to run", never "Startup complete", writes no child pid
// file and runs on; a reload to a file with a vrrp_instance starts the
// VRRP child, and "Startup complete" follows.
func TestNothingToRun(t *testing.T) {
	bothKinds(t, func(t *testing.T, k netlab.Kind) {
		l := newLab(t, 1)
		conf := l.WriteConf("r1.conf", "global_defs {\n    router_id NOTHING\n}\n")
		d := l.Start(k, binary, 0, conf)
		d.MustLine("Warning - keepalived has no configuration to run", time.Time{}, startupTimeout)
		time.Sleep(1500 * time.Millisecond)
		if d.Exited() {
			t.Fatalf("exited with nothing to run:\n%s", d.LogText())
		}
		if d.Count("Startup complete") != 0 || d.Count("child process") != 0 {
			t.Errorf("started something:\n%s", d.LogText())
		}
		for _, p := range []string{d.VRRPPid, d.CheckPid} {
			if _, err := os.Stat(p); err == nil {
				t.Errorf("pid file %s written", p)
			}
		}
		if miss := inOrder(consoleLines(d), []string{
			"Configuration file " + conf,
			"NOTICE: setting config option max_auto_priority should result in better keepalived performance",
			"Warning - keepalived has no configuration to run",
		}); miss != "" {
			t.Errorf("no %q in order:\n%s", miss, d.LogText())
		}

		since := time.Now()
		l.WriteConf("r1.conf", logConf(34))
		d.Signal(syscall.SIGHUP)
		d.MustLine("Starting VRRP child process, pid=", since, startupTimeout)
		d.MustLine("Startup complete", since, startupTimeout)
		d.MustLine("(VI_1) Entering BACKUP STATE (init)", since, startupTimeout)
		readPid(t, d.VRRPPid)
		d.Signal(syscall.SIGTERM)
		if code := d.Wait(10 * time.Second); code != 0 {
			t.Errorf("exit %d", code)
		}
	})
}

// TestUmaskAndFileModes: global_defs' umask is the processes' umask
// (also with -n); pid files are 0644 whatever it is; the dump files are
// 0666 less it (0640 under 027); keepalived_script missing, the parent
// and the VRRP child each log "Script user 'keepalived_script' does not
// exist" at their first SIGUSR1 dump and not at the second. A reload
// that gives the parent another umask sets it.
func TestUmaskAndFileModes(t *testing.T) {
	_, err := user.Lookup("keepalived_script")
	userMissing := err != nil
	bothKinds(t, func(t *testing.T, k netlab.Kind) {
		l := newLab(t, 1)
		tmp := t.TempDir()
		os.Chmod(tmp, 0o755)
		text := strings.Replace(logConf(35), "vrrp_instance", "global_defs {\n    umask 027\n}\nvrrp_instance", 1)
		conf := l.WriteConf("r1.conf", text)
		d := l.StartEnv([]string{"TMPDIR=" + tmp}, k, binary, 0, conf)
		d.MustLine("Startup complete", time.Time{}, startupTimeout)
		parent, vrrp := d.Cmd.Process.Pid, readPid(t, d.VRRPPid)
		for name, pid := range map[string]int{"parent": parent, "VRRP child": vrrp} {
			if got := procStatus(t, pid, "Umask"); got != "0027" {
				t.Errorf("%s umask %s, want 0027", name, got)
			}
		}
		for _, p := range []string{d.PidFile, d.VRRPPid} {
			if st, err := os.Stat(p); err != nil || st.Mode().Perm() != 0o644 {
				t.Errorf("pid file %s: %v %v, want 0644", filepath.Base(p), st, err)
			}
		}

		const noUser = "Script user 'keepalived_script' does not exist"
		for round := 1; round <= 2; round++ {
			for _, f := range []string{"keepalived.data", "keepalived_parent.data"} {
				os.Remove(filepath.Join(tmp, f))
			}
			since := time.Now()
			d.Signal(syscall.SIGUSR1)
			d.MustLine("Printing parent data for process(", since, 3*time.Second)
			d.MustLine("Printing VRRP data for process(", since, 3*time.Second)
			for _, f := range []string{"keepalived.data", "keepalived_parent.data"} {
				waitFile(t, filepath.Join(tmp, f))
				if st, err := os.Stat(filepath.Join(tmp, f)); err != nil || st.Mode().Perm() != 0o640 {
					t.Errorf("round %d: %s: %v %v, want 0640", round, f, st, err)
				}
			}
			if userMissing {
				time.Sleep(200 * time.Millisecond)
				if n := d.Count(noUser); n != 2 {
					t.Errorf("round %d: %d lines %q, want 2 (parent and VRRP child, first dump only)", round, n, noUser)
				}
			}
		}

		since := time.Now()
		l.WriteConf("r1.conf", strings.Replace(text, "umask 027", "umask 022", 1))
		d.Signal(syscall.SIGHUP)
		d.MustLine("Reload", since, startupTimeout)
		deadline := time.Now().Add(3 * time.Second)
		for procStatus(t, parent, "Umask") != "0022" && time.Now().Before(deadline) {
			time.Sleep(50 * time.Millisecond)
		}
		if got := procStatus(t, parent, "Umask"); got != "0022" {
			t.Errorf("parent umask after the reload %s, want 0022", got)
		}
	})
}

// burnScript writes a vrrp_script that uses some user time and exits 0,
// in a directory only root may write (script security).
func burnScript(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	os.Chmod(dir, 0o755)
	p := filepath.Join(dir, "burn.sh")
	body := "#!/bin/sh\ni=0\nwhile [ $i -lt 20000 ]; do i=$((i+1)); done\nexit 0\n"
	if err := os.WriteFile(p, []byte(body), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestStoppedWithChildren: a VRRP child that ran a vrrp_script ends, with
// -D, on keepalived's "Stopped - used (self/children) ..." line, the
// form for a child whose own children used user time.
func TestStoppedWithChildren(t *testing.T) {
	bothKinds(t, func(t *testing.T, k netlab.Kind) {
		l := newLab(t, 1)
		script := burnScript(t)
		text := fmt.Sprintf("global_defs {\n    script_user root\n    enable_script_security\n}\n"+
			"vrrp_script chk {\n    script %q\n    interval 1\n}\n", script) +
			strings.Replace(logConf(36), "    virtual_ipaddress", "    track_script {\n        chk\n    }\n    virtual_ipaddress", 1)
		d := l.Start(k, binary, 0, l.WriteConf("r1.conf", text))
		d.MustLine("Startup complete", time.Time{}, startupTimeout)
		time.Sleep(2500 * time.Millisecond) // the script runs (every second)
		d.Signal(syscall.SIGTERM)
		if code := d.Wait(10 * time.Second); code != 0 {
			t.Errorf("exit %d", code)
		}
		if d.Count("Stopped - used (self/children) ") != 1 {
			t.Errorf("no (self/children) stop line:\n%s", d.LogText())
		}
	})
}

// TestChildSignalDefaults: neither child ignores SIGHUP or SIGINT (the
// parent's signals): an ignored signal would stay ignored in every
// program a child runs (vrrp_scripts, notify scripts, MISC_CHECKs).
func TestChildSignalDefaults(t *testing.T) {
	bothKinds(t, func(t *testing.T, k netlab.Kind) {
		l := newLab(t, 1)
		d := l.Start(k, binary, 0, l.WriteConf("r1.conf", logConf(37)), "--all")
		d.MustLine("Startup complete", time.Time{}, startupTimeout)
		for name, path := range map[string]string{"VRRP": d.VRRPPid, "checker": d.CheckPid} {
			pid := readPid(t, path)
			mask, err := strconv.ParseUint(procStatus(t, pid, "SigIgn"), 16, 64)
			if err != nil {
				t.Fatalf("%s child SigIgn: %v", name, err)
			}
			for _, s := range []syscall.Signal{syscall.SIGHUP, syscall.SIGINT} {
				if mask&(1<<(uint(s)-1)) != 0 {
					t.Errorf("%s child ignores %v (SigIgn %016x)", name, s, mask)
				}
			}
		}
	})
}
