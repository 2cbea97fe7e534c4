package script

import (
	"fmt"
	"syscall"

	"github.com/gokeepalived/gokeepalived/pkg/config"
)

// defaultUser is the user keepalived runs scripts as when neither the
// script nor global_defs' script_user names one, if it exists.
const defaultUser = "keepalived_script"

// host answers the user and group questions; pkg/config asks the same
// ones when it checks a configuration, so both agree on what exists.
var host config.Host = config.RealHost{}

// LookupCred resolves "user USER [GROUP]" as keepalived's set_uid_gid
// does: the user must exist; the group is the user's primary group unless
// GROUP names another, which must exist. Names only: keepalived looks both
// up with getpwnam/getgrnam, so "1000" is a user called 1000, not uid
// 1000. The supplementary groups are the group alone — keepalived calls
// setgroups(1, &gid) before it drops to the user.
func LookupCred(user, group string) (Cred, error) {
	uid, gid, ok := host.LookupUser(user)
	if !ok || uid < 0 || gid < 0 {
		return Cred{}, fmt.Errorf("script user '%s' does not exist", user)
	}
	if group != "" {
		g, ok := host.LookupGroup(group)
		if !ok || g < 0 {
			return Cred{}, fmt.Errorf("script group '%s' does not exist", group)
		}
		gid = g
	}
	return Cred{User: user, UID: uint32(uid), GID: uint32(gid), Groups: []uint32{uint32(gid)}}, nil
}

// DefaultCred is keepalived's default script user for scripts configured
// without "user": global_defs' script_user (and its group) when set, else
// keepalived_script when that user exists, else root. nil means root,
// which keepalived runs as the daemon itself (it changes neither uid nor
// gid when both are 0). A script_user that does not exist is an error.
func DefaultCred(scriptUser, scriptGroup string) (*Cred, error) {
	if scriptUser != "" {
		c, err := LookupCred(scriptUser, scriptGroup)
		if err != nil {
			return nil, fmt.Errorf("script_user: %w", err)
		}
		if c.UID == 0 && c.GID == 0 {
			return nil, nil
		}
		return &c, nil
	}
	c, err := LookupCred(defaultUser, "")
	if err != nil || (c.UID == 0 && c.GID == 0) {
		return nil, nil
	}
	return &c, nil
}

// credential is c for the child: nil (no change) for root:root, as
// keepalived leaves uid and gid alone when they are 0; the supplementary
// groups are c.Groups, or the group alone when c has none.
func credential(c *Cred) *syscall.Credential {
	if c == nil || (c.UID == 0 && c.GID == 0) {
		return nil
	}
	groups := c.Groups
	if len(groups) == 0 {
		groups = []uint32{c.GID}
	}
	return &syscall.Credential{Uid: c.UID, Gid: c.GID, Groups: append([]uint32(nil), groups...)}
}
