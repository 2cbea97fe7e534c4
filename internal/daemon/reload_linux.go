package daemon

import (
	"time"

	"github.com/gokeepalived/gokeepalived/internal/cli"
	"github.com/gokeepalived/gokeepalived/internal/logging"
	"github.com/gokeepalived/gokeepalived/internal/netif"
	"github.com/gokeepalived/gokeepalived/pkg/config"
)

// reloader carries out SIGHUP: read and check the configuration first,
// and only if it is sound hand it to the engine. keepalived 2.2.7 applies
// whatever it could read of a broken file (or dies of it); we keep the
// running configuration and say why.
type reloader struct {
	o    cli.Options
	load loader
	log  logging.Logger
	eng  *engine
	host *host
	// known are the errors of the running configuration (without their
	// positions): a reload is refused only for an error it brings, so a
	// configuration that started with a warning-level error can still be
	// reloaded.
	known map[string]bool
}

func newReloader(o cli.Options, load loader, log logging.Logger, eng *engine, h *host, running config.Diagnostics) *reloader {
	r := &reloader{o: o, load: load, log: log, eng: eng, host: h}
	r.known = knownErrors(running)
	return r
}

func knownErrors(ds config.Diagnostics) map[string]bool {
	known := map[string]bool{}
	for _, d := range ds {
		known[d.Msg] = true
	}
	return known
}

// refusal returns the first diagnostic that makes a reload unsafe: one
// that stops the daemon, or an error (a keyword keepalived would skip, a
// brace out of place, a bad number) the running configuration did not
// have. Script security warnings do not count: keepalived runs such
// configurations with the scripts disabled.
func refusal(ds config.Diagnostics, known map[string]bool) (config.Diagnostic, bool) {
	if ds.Fatal() {
		for _, d := range ds {
			if d.Class >= config.ClassFileNotFound && d.Class <= config.ClassFatal || d.Class >= config.ClassConfigFile {
				return d, true
			}
		}
	}
	for _, d := range ds {
		if d.Class > config.ClassFatal && d.Class < config.ClassSecurity && !known[d.Msg] {
			return d, true
		}
	}
	return config.Diagnostic{}, false
}

func (r *reloader) reload() {
	logging.Infof(r.log, msgReloading)
	o := r.o
	o.AllConfig = true // a missing main file on a reload is an error, not "run with nothing"
	cfg, diags, _, ok := readConfig(o, r.load, r.log)
	if d, bad := refusal(diags, r.known); !ok || bad {
		where := d.String()
		if !bad && len(diags) > 0 {
			where = diags[0].String()
		}
		logging.Errorf(r.log, fmtReloadRefused, where)
		return
	}
	if !r.o.VRRP {
		cfg = config.NewConfig()
	}
	specs, err := buildSpecs(cfg)
	if err != nil {
		logging.Errorf(r.log, fmtReloadRefused, err.Error())
		return
	}
	logging.Infof(r.log, msgReloadingChild)
	static := netif.StaticSet(cfg)
	if err := r.host.nl.Apply(netif.Plan(static, r.host.static)); err != nil {
		logging.Errorf(r.log, fmtStaticSet, err)
	}
	r.host.static = static
	sum := r.eng.reload(specs, r.host, time.Now())
	r.known = knownErrors(diags)
	logging.Detailf(r.log, fmtReloadSummary, len(sum.kept), len(sum.added), len(sum.removed))
	logging.Infof(r.log, msgReloadComplete)
}
