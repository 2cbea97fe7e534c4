package configtest

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
)

// Namespace is a network namespace made for one comparison. Its name
// carries the harness prefix, this process's pid and a counter, so that
// concurrent runs never collide and leftovers are recognisable.
type Namespace struct {
	Name string
}

// NamePrefix starts the name of every namespace the harness makes.
const NamePrefix = "gkt-"

var nsCounter atomic.Int64

// etcNetns is where `ip netns exec` looks for per-namespace /etc files.
const etcNetns = "/etc/netns"

var (
	etcNetnsOnce    sync.Once
	etcNetnsExisted bool
)

// NewNamespace creates an empty network namespace.
func NewNamespace() (*Namespace, error) {
	etcNetnsOnce.Do(func() {
		_, err := os.Stat(etcNetns)
		etcNetnsExisted = err == nil
	})
	n := &Namespace{Name: fmt.Sprintf("%s%d-%d", NamePrefix, os.Getpid(), nsCounter.Add(1))}
	if out, err := exec.Command("ip", "netns", "add", n.Name).CombinedOutput(); err != nil {
		return nil, fmt.Errorf("ip netns add %s: %v: %s", n.Name, err, out)
	}
	return n, nil
}

// AddInterfaces creates each named interface in the namespace as one end of
// a veth pair (the kernels we run on may lack the dummy and bond drivers;
// veth is always there). The other ends are named gkp0, gkp1, ...
func (n *Namespace) AddInterfaces(names []string) error {
	for i, name := range names {
		peer := fmt.Sprintf("gkp%d", i)
		out, err := exec.Command("ip", "-n", n.Name, "link", "add", name, "type", "veth", "peer", "name", peer).CombinedOutput()
		if err != nil {
			return fmt.Errorf("creating %s in %s: %v: %s", name, n.Name, err, out)
		}
	}
	return nil
}

// SetEtc prepares what the namespace's commands see under /etc: every
// entry of overlay (a directory, may be "") replaces /etc/<entry>, and
// /etc/keepalived is always replaced (by an empty directory if overlay has
// none) so that the host's configuration never takes part. The files are
// copied with root ownership and modes 0755/0644 (0755 for files that were
// executable), which is what keepalived's script security expects of a
// healthy /etc/keepalived. The host's /etc itself is never written: ip
// bind-mounts the entries in the command's private mount namespace.
func (n *Namespace) SetEtc(overlay string) error {
	dir := n.etcDir()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if overlay != "" {
		entries, err := os.ReadDir(overlay)
		if err != nil {
			return err
		}
		for _, e := range entries {
			if _, err := os.Stat(filepath.Join("/etc", e.Name())); err != nil {
				// ip can only bind over something that exists.
				return fmt.Errorf("etc overlay %s: /etc/%s does not exist on this host", overlay, e.Name())
			}
		}
		if err := copyTree(overlay, dir); err != nil {
			return err
		}
	}
	return os.MkdirAll(filepath.Join(dir, "keepalived"), 0o755)
}

// ChmodEtc changes the mode of /etc/<rel> as the namespace sees it.
func (n *Namespace) ChmodEtc(rel string, mode os.FileMode) error {
	return os.Chmod(filepath.Join(n.etcDir(), rel), mode)
}

func (n *Namespace) etcDir() string { return filepath.Join(etcNetns, n.Name) }

// Command returns a command running argv inside the namespace.
func (n *Namespace) Command(ctx context.Context, argv ...string) *exec.Cmd {
	return exec.CommandContext(ctx, "ip", append([]string{"netns", "exec", n.Name}, argv...)...)
}

// Close deletes the namespace (its interfaces go with it) and its /etc
// overlay.
func (n *Namespace) Close() error {
	var errs []string
	if out, err := exec.Command("ip", "netns", "del", n.Name).CombinedOutput(); err != nil {
		errs = append(errs, fmt.Sprintf("ip netns del %s: %v: %s", n.Name, err, out))
	}
	if err := os.RemoveAll(n.etcDir()); err != nil {
		errs = append(errs, err.Error())
	}
	if len(errs) > 0 {
		return fmt.Errorf("%s", strings.Join(errs, "; "))
	}
	return nil
}

// CleanupEtcNetns removes /etc/netns when the harness created it and it is
// empty again; call it once, after all namespaces are closed.
func CleanupEtcNetns() {
	if !etcNetnsExisted {
		os.Remove(etcNetns) // fails harmlessly if someone else put files there
	}
}

// copyTree copies the regular files and directories under src into dst.
func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			if err := os.MkdirAll(target, 0o755); err != nil {
				return err
			}
			return os.Chmod(target, 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		mode := os.FileMode(0o644)
		if fi.Mode()&0o111 != 0 {
			mode = 0o755
		}
		return copyFile(path, target, mode)
	})
}

func copyFile(src, dst string, mode os.FileMode) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, mode)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Close(); err != nil {
		return err
	}
	return os.Chmod(dst, mode) // umask may have narrowed it
}
