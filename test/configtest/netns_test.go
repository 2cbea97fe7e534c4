package configtest

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestNamespaceLifecycle checks the harness's own plumbing: interfaces
// appear inside the namespace only, the /etc overlay replaces
// /etc/keepalived for commands run there, and Close removes everything.
func TestNamespaceLifecycle(t *testing.T) {
	requireReference(t)
	overlay := writeFiles(t, map[string]string{"keepalived/conf.d/x.conf": "hello\n", "keepalived/run.sh": "#!/bin/sh\n"})
	if err := os.Chmod(filepath.Join(overlay, "keepalived/run.sh"), 0o700); err != nil {
		t.Fatal(err)
	}
	ns, err := NewNamespace()
	if err != nil {
		t.Fatal(err)
	}
	closed := false
	t.Cleanup(func() {
		if !closed {
			ns.Close()
		}
	})
	if !strings.HasPrefix(ns.Name, NamePrefix) {
		t.Errorf("namespace %q lacks the prefix %q", ns.Name, NamePrefix)
	}
	if err := ns.AddInterfaces([]string{"eth0", "bond0"}); err != nil {
		t.Fatal(err)
	}
	if err := ns.SetEtc(overlay); err != nil {
		t.Fatal(err)
	}
	if err := ns.ChmodEtc("keepalived/conf.d", 0o777); err != nil {
		t.Fatal(err)
	}
	run := func(argv ...string) string {
		t.Helper()
		out, err := ns.Command(context.Background(), argv...).CombinedOutput()
		if err != nil {
			t.Fatalf("%v: %v: %s", argv, err, out)
		}
		return string(out)
	}
	links := run("ip", "-o", "link", "show")
	for _, want := range []string{" eth0@", " bond0@", " gkp0@", " gkp1@"} {
		if !strings.Contains(links, want) {
			t.Errorf("ip link in the namespace lacks %q:\n%s", want, links)
		}
	}
	if got := run("cat", "/etc/keepalived/conf.d/x.conf"); got != "hello\n" {
		t.Errorf("overlay file reads %q", got)
	}
	if got := run("stat", "-c", "%a %U", "/etc/keepalived/run.sh", "/etc/keepalived/conf.d"); got != "755 root\n777 root\n" {
		t.Errorf("overlay modes:\n%s", got)
	}
	if err := ns.Close(); err != nil {
		t.Fatal(err)
	}
	closed = true
	if out, _ := exec.Command("ip", "netns", "list").Output(); strings.Contains(string(out), ns.Name) {
		t.Errorf("namespace %s still listed after Close", ns.Name)
	}
	if _, err := os.Stat(filepath.Join(etcNetns, ns.Name)); !os.IsNotExist(err) {
		t.Errorf("/etc/netns/%s still there after Close: %v", ns.Name, err)
	}
}
