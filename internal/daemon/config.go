package daemon

import (
	"github.com/gokeepalived/gokeepalived/internal/cli"
	"github.com/gokeepalived/gokeepalived/internal/logging"
	"github.com/gokeepalived/gokeepalived/pkg/config"
)

// Exit statuses of a daemon that cannot start, as keepalived 2.2.7's
// (checked in a namespace lab): a configuration its VRRP child refuses
// (no virtual_router_id, a missing interface) ends the parent with 2; a
// missing main configuration file (with or without -e), a missing file
// under -e, or an include the include variant requires, with 6.
const (
	exitConfig      = 2
	exitConfigFiles = 6
	exitSetup       = 2 // the host cannot be set up (pid file, netlink)
)

type loader func(config.Options) (*config.Config, config.Diagnostics)

// loadConfig reads the configuration and logs every diagnostic. ok is
// false when the daemon must stop, with its exit status.
func loadConfig(o cli.Options, load loader, log logging.Logger) (cfg *config.Config, exit int, ok bool) {
	cfg, _, exit, ok = readConfig(o, load, log)
	return cfg, exit, ok
}

// readConfig is loadConfig with the diagnostics, for reloads.
func readConfig(o cli.Options, load loader, log logging.Logger) (cfg *config.Config, diags config.Diagnostics, exit int, ok bool) {
	logging.Detailf(log, fmtOpening, o.ConfigFile)
	if d, bad := cli.MainFileProblem(o.ConfigFile, o.AllConfig); bad {
		logging.Infof(log, "%s", d.String())
		// keepalived 2.2.7's daemon stops with 6, -e or not (observed:
		// a missing file and a directory); a reload keeps running.
		return nil, config.Diagnostics{d}, exitConfigFiles, false
	}
	logging.Infof(log, fmtConfiguration, o.ConfigFile)
	cfg, diags = load(config.Options{File: o.ConfigFile, ConfigID: o.ConfigID, AllConfig: o.AllConfig})
	for _, d := range diags {
		logging.Infof(log, "%s", d.String())
	}
	if !diags.Fatal() {
		return cfg, diags, 0, true
	}
	for _, d := range diags {
		if d.Class == config.ClassConfigFile || d.Class == config.ClassFileNotFound && o.AllConfig {
			return nil, diags, exitConfigFiles, false
		}
	}
	return nil, diags, exitConfig, false
}
