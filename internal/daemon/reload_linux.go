package daemon

import (
	"time"

	"github.com/gokeepalived/gokeepalived/internal/cli"
	"github.com/gokeepalived/gokeepalived/internal/logging"
	"github.com/gokeepalived/gokeepalived/internal/netif"
	"github.com/gokeepalived/gokeepalived/pkg/config"
)

// reloader applies a configuration the parent read and checked (the
// snapshot of a SIGHUP) to the running instances.
type reloader struct {
	o    cli.Options
	log  logging.Logger
	eng  *engine
	host *host
	// scripts is nil in tests without trackers.
	scripts *scripting
	// setUmask applies a reloaded global_defs umask (keepalived's VRRP
	// process follows it, like the parent); nil in tests.
	setUmask func(uint32)
}

func (r *reloader) apply(cfg *config.Config) error {
	if !r.o.VRRP {
		cfg = config.NewConfig()
	}
	specs, err := buildSpecs(cfg)
	if err != nil {
		// The parent checked the same text: only a changed host (an
		// interface gone since) gets here.
		logging.Errorf(r.log, fmtReloadRefused, err.Error())
		return err
	}
	logging.Infof(r.log, msgReloadingChild)
	if m, ok := reloadUmask(r.o, &cfg.Global); ok && r.setUmask != nil {
		r.setUmask(m)
	}
	static := netif.StaticSet(cfg)
	if err := r.host.nl.Apply(netif.Plan(static, r.host.static)); err != nil {
		logging.Errorf(r.log, fmtStaticSet, err)
	}
	r.host.static = static
	if r.scripts != nil {
		// New and changed tracked objects' statuses first: the
		// instances that start now start from them.
		for _, st := range r.scripts.reload(cfg) {
			r.eng.trackStatus(st, time.Now())
		}
	}
	sum := r.eng.reload(specs, r.host, time.Now())
	logging.Detailf(r.log, fmtReloadSummary, len(sum.kept), len(sum.added), len(sum.removed))
	logging.Infof(r.log, msgReloadComplete)
	return nil
}
