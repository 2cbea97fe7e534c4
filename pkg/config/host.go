package config

import (
	"net"
	"os"
	"os/user"
)

// Host answers the questions the checks ask about the machine the
// configuration will run on. Tests use a fake; RealHost asks the kernel.
type Host interface {
	// InterfaceExists reports whether a network interface of that name exists.
	InterfaceExists(name string) bool
	// LookupUser returns uid and gid of a user name, ok=false if unknown.
	LookupUser(name string) (uid, gid int, ok bool)
	// LookupGroup returns the gid of a group name.
	LookupGroup(name string) (gid int, ok bool)
	// Stat returns file information (for script security checks).
	Stat(path string) (os.FileInfo, error)
	// Hostname returns the host name (router_id default, @ conditionals).
	Hostname() string
}

// RealHost is the machine we run on.
type RealHost struct{}

func (RealHost) InterfaceExists(name string) bool {
	_, err := net.InterfaceByName(name)
	return err == nil
}

func (RealHost) LookupUser(name string) (int, int, bool) {
	u, err := user.Lookup(name)
	if err != nil {
		return 0, 0, false
	}
	return atoiOr(u.Uid, -1), atoiOr(u.Gid, -1), true
}

func (RealHost) LookupGroup(name string) (int, bool) {
	g, err := user.LookupGroup(name)
	if err != nil {
		return 0, false
	}
	return atoiOr(g.Gid, -1), true
}

func (RealHost) Stat(path string) (os.FileInfo, error) { return os.Stat(path) }

func (RealHost) Hostname() string {
	h, _ := os.Hostname()
	return h
}

func atoiOr(s string, def int) int {
	n := 0
	if s == "" {
		return def
	}
	for _, ch := range s {
		if ch < '0' || ch > '9' {
			return def
		}
		n = n*10 + int(ch-'0')
		if n > 1<<30 {
			return def
		}
	}
	return n
}

func (c *Ctx) host() Host {
	if c.Opts.Host != nil {
		return c.Opts.Host
	}
	if c.realHost == nil {
		c.realHost = newCachedHost()
	}
	return c.realHost
}

// cachedHost is RealHost with the interface list read once per load: a
// configuration with thousands of instances asks about the same few
// interfaces thousands of times, and each net.InterfaceByName is a netlink
// dump of every link.
type cachedHost struct {
	RealHost
	ifaces map[string]bool
}

func newCachedHost() *cachedHost {
	h := &cachedHost{ifaces: map[string]bool{}}
	if list, err := net.Interfaces(); err == nil {
		for _, i := range list {
			h.ifaces[i.Name] = true
		}
	}
	return h
}

func (h *cachedHost) InterfaceExists(name string) bool { return h.ifaces[name] }

func (c *Ctx) fs() FS {
	if c.Opts.FS == nil {
		return OSFS{}
	}
	return c.Opts.FS
}

// FakeHost is a Host for tests and tools that check a configuration for
// another machine: the listed interfaces and users exist, nothing else does.
type FakeHost struct {
	Interfaces []string
	Users      map[string][2]int // name → uid, gid
	Groups     map[string]int
	Files      map[string]os.FileInfo
	Name       string
}

func (f FakeHost) InterfaceExists(name string) bool {
	for _, i := range f.Interfaces {
		if i == name {
			return true
		}
	}
	return false
}

func (f FakeHost) LookupUser(name string) (int, int, bool) {
	if u, ok := f.Users[name]; ok {
		return u[0], u[1], true
	}
	if name == "root" {
		return 0, 0, true
	}
	return 0, 0, false
}

func (f FakeHost) LookupGroup(name string) (int, bool) {
	if g, ok := f.Groups[name]; ok {
		return g, true
	}
	if name == "root" {
		return 0, true
	}
	return 0, false
}

func (f FakeHost) Stat(path string) (os.FileInfo, error) {
	if fi, ok := f.Files[path]; ok {
		return fi, nil
	}
	return nil, &os.PathError{Op: "stat", Path: path, Err: os.ErrNotExist}
}

func (f FakeHost) Hostname() string {
	if f.Name == "" {
		return "localhost"
	}
	return f.Name
}

// Script users, as keepalived resolves them when it reads a script.

// scriptUserOK is keepalived's set_uid_gid: the user, and the group when
// one is given, must exist; uid is the user's.
func scriptUserOK(c *Ctx, user, group string) (uid int, ok bool) {
	uid, _, ok = c.host().LookupUser(user)
	if !ok {
		return 0, false
	}
	if group != "" {
		if _, ok := c.host().LookupGroup(group); !ok {
			return 0, false
		}
	}
	return uid, true
}

// defaultScriptUser is keepalived's get_default_script_user with the
// settings read so far: the global script_user, else keepalived_script
// when that user exists, else root, which enable_script_security refuses
// (ok false).
func defaultScriptUser(c *Ctx) (uid int, ok bool) {
	g := &c.Cfg.Global
	if g.ScriptUser != "" {
		// global_defs reports its own error for a bad script_user.
		return scriptUserOK(c, g.ScriptUser, g.ScriptGroup)
	}
	if uid, _, ok := c.host().LookupUser("keepalived_script"); ok {
		return uid, true
	}
	return 0, !g.EnableScriptSecurity
}

// scriptUID is the uid a script with the given user words runs as.
func scriptUID(c *Ctx, user, group string) int {
	if user != "" {
		uid, _ := scriptUserOK(c, user, group)
		return uid
	}
	uid, _ := defaultScriptUser(c)
	return uid
}
