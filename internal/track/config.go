package track

import (
	"time"

	"github.com/gokeepalived/gokeepalived/pkg/config"
)

// tracked is the set of objects some vrrp_instance or vrrp_sync_group
// tracks. keepalived runs only those: an unused vrrp_script is dropped
// ("Warning - script %s is not used", a configuration message), a
// track_file nothing tracks is forgotten (init_track_files). An unused
// vrrp_track_process is still counted by keepalived and logs its quorum
// changes; we leave it out with the others, as nothing depends on it.
type tracked struct {
	scripts, files, procs map[string]bool
}

func trackedBy(cfg *config.Config) tracked {
	t := tracked{scripts: map[string]bool{}, files: map[string]bool{}, procs: map[string]bool{}}
	add := func(tr *config.Tracking) {
		for _, x := range tr.TrackScripts {
			t.scripts[x.Name] = true
		}
		for _, x := range tr.TrackFiles {
			t.files[x.Name] = true
		}
		for _, x := range tr.TrackProcesses {
			t.procs[x.Name] = true
		}
	}
	for _, in := range cfg.Instances {
		add(&in.Tracking)
	}
	for _, g := range cfg.SyncGroups {
		add(&g.Tracking)
	}
	return t
}

// specs are the objects of a configuration the manager watches.
type specs struct {
	scripts []ScriptSpec
	files   []FileSpec
	procs   []ProcSpec
}

// specsFrom picks the tracked objects of cfg. A script marked insecure by
// the configuration check is not run (keepalived disables it and removes
// it from the instances); one whose user cannot be resolved any more is
// left out with a line saying why.
func specsFrom(cfg *config.Config) (specs, []Line) {
	var s specs
	var lines []Line
	t := trackedBy(cfg)
	for _, sc := range cfg.VRRPScripts {
		if !t.scripts[sc.Name] || sc.Insecure {
			continue
		}
		cred, err := scriptCred(&cfg.Global, sc.User, sc.Group)
		if err != nil {
			lines = append(lines, info(fmtScriptNoUser, sc.Name, err))
			continue
		}
		interval := time.Duration(max(sc.IntervalSec, 1)) * time.Second
		timeout := interval
		if sc.TimeoutSec > 0 {
			timeout = time.Duration(sc.TimeoutSec) * time.Second
		}
		sp := ScriptSpec{Name: sc.Name, Interval: interval, Rise: sc.Rise, Fall: sc.Fall, InitFail: sc.InitFail}
		sp.Cmd.Argv = append([]string(nil), sc.Argv...)
		sp.Cmd.Cred = cred
		sp.Cmd.Timeout = timeout
		s.scripts = append(s.scripts, sp)
	}
	for _, f := range cfg.TrackFiles {
		if t.files[f.Name] {
			s.files = append(s.files, FileSpec{Name: f.Name, Path: f.File, Init: f.Init})
		}
	}
	for _, p := range cfg.TrackProcesses {
		if t.procs[p.Name] {
			s.procs = append(s.procs, procSpecFrom(p))
		}
	}
	return s, lines
}
