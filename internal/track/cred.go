package track

import (
	"github.com/gokeepalived/gokeepalived/internal/script"
	"github.com/gokeepalived/gokeepalived/pkg/config"
)

// scriptCred is who a vrrp_script runs as: its "user USER [GROUP]", else
// keepalived's default script user (global_defs script_user, else
// keepalived_script when it exists, else root: nil, the daemon itself).
func scriptCred(g *config.GlobalDefs, user, group string) (*script.Cred, error) {
	if user == "" {
		return script.DefaultCred(g.ScriptUser, g.ScriptGroup)
	}
	c, err := script.LookupCred(user, group)
	if err != nil {
		return nil, err
	}
	if c.UID == 0 && c.GID == 0 {
		return nil, nil
	}
	return &c, nil
}
