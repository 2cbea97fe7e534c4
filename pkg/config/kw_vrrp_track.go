package config

import (
	"strings"
)

// vrrp_script, track_file (vrrp_track_file), vrrp_track_process and the
// track_* blocks of instances and sync groups, with keepalived 2.2.7's
// defaults and messages (vrrp_parser.c, vrrp_track.c, track_file.c).

func init() {
	registerTop("vrrp_script", Entry[Config]{Block: true, H: vrrpScriptBlock})
	registerTop("track_file", Entry[Config]{Block: true, H: vrrpTrackFileBlock})
	// keepalived 2.2.7 still accepts vrrp_track_file and logs its own
	// deprecation line (as a log message: the verdict does not change).
	registerTop("vrrp_track_file", Entry[Config]{Block: true, Quiet: true, Alias: "track_file", H: func(c *Ctx, n *Node, cfg *Config) {
		c.ReportHint(n, ClassInfo, `"vrrp_track_file" is deprecated, please use "track_file"`, "use 'track_file'")
		vrrpTrackFileBlock(c, n, cfg)
	}})
	registerTop("vrrp_track_process", Entry[Config]{Block: true, H: vrrpTrackProcessBlock})
}

// vrrpBlockName returns the name word of a named top-level block, or "" after
// reporting a missing parameter.
func vrrpBlockName(c *Ctx, n *Node) (string, bool) {
	if !c.NeedArgs(n, 1) {
		return "", false
	}
	return n.Arg(0), true
}

// ---- vrrp_script ----

var vrrpScriptTable = NewTable("vrrp_script", map[string]Entry[VRRPScript]{
	// keepalived does not check for a command here: a script line
	// without one leaves the script without, and the block's end drops it.
	"script": {H: func(c *Ctx, n *Node, s *VRRPScript) { s.Argv = c.ScriptParams(n) }},
	"interval": {H: func(c *Ctx, n *Node, s *VRRPScript) {
		// keepalived allows 0 (pre-2.0.7 configurations) and bumps it to 1.
		v, ok := c.UintArg(n, 0, 0, 4294)
		if !ok {
			if n.NArgs() > 0 {
				c.Errorf(n, "(%s): vrrp script interval '%s' must be between 1 and %d - ignoring", s.Name, n.Arg(0), 4294)
			}
			return
		}
		if v == 0 {
			c.Errorf(n, "(%s): vrrp script interval must be greater than 0, setting to 1", s.Name)
			v = 1
		}
		s.IntervalSec = int(v)
	}},
	"timeout": {H: func(c *Ctx, n *Node, s *VRRPScript) {
		v, ok := c.UintArg(n, 0, 0, 4294)
		if !ok {
			if n.NArgs() > 0 {
				c.Errorf(n, "(%s): vrrp script timeout '%s' invalid - ignoring", s.Name, n.Arg(0))
			}
			return
		}
		if v == 0 {
			c.Errorf(n, "(%s): vrrp script timeout must be greater than 0, setting to 1", s.Name)
			v = 1
		}
		s.TimeoutSec = int(v)
	}},
	"weight": {H: func(c *Ctx, n *Node, s *VRRPScript) {
		v, ok := c.IntArg(n, 0, -253, 253)
		if !ok {
			if n.NArgs() > 0 {
				c.Errorf(n, "vrrp_script %s weight %s must be in [-253, 253]", s.Name, n.Arg(0))
			}
			// keepalived stores whatever its reader left: 0.
			v = 0
		}
		s.Weight = int(v)
		if n.NArgs() >= 2 {
			if n.Arg(1) == "reverse" {
				s.WeightReverse = true
			} else {
				c.Errorf(n, "vrrp_script %s unknown weight option %s", s.Name, n.Arg(1))
			}
		}
	}},
	"rise": {H: func(c *Ctx, n *Node, s *VRRPScript) {
		v, ok := c.UintArg(n, 0, 1, 2147483647)
		if !ok {
			if n.NArgs() > 0 {
				c.Errorf(n, "(%s): vrrp script rise value '%s' invalid, defaulting to 1", s.Name, n.Arg(0))
			}
			v = 1
		}
		s.Rise = int(v)
	}},
	"fall": {H: func(c *Ctx, n *Node, s *VRRPScript) {
		v, ok := c.UintArg(n, 0, 1, 2147483647)
		if !ok {
			if n.NArgs() > 0 {
				c.Errorf(n, "(%s): vrrp script fall value '%s' invalid, defaulting to 1", s.Name, n.Arg(0))
			}
			v = 1
		}
		s.Fall = int(v)
	}},
	"user": {H: func(c *Ctx, n *Node, s *VRRPScript) {
		if !c.NeedArgs(n, 1) {
			return
		}
		s.User, s.Group = n.Arg(0), n.Arg(1)
		if _, ok := scriptUserOK(c, s.User, s.Group); !ok {
			c.Errorf(n, "Unable to set uid/gid for script %s", CmdStr(s.Argv))
			s.User, s.Group = "", ""
			s.userBad = true
			return
		}
		s.userBad = false
	}},
	"init_fail": {H: func(c *Ctx, n *Node, s *VRRPScript) { s.InitFail = true }},
})

func vrrpScriptBlock(c *Ctx, n *Node, cfg *Config) {
	name, ok := vrrpBlockName(c, n)
	if !ok {
		return
	}
	s := &VRRPScript{Pos: n.Pos, Name: name, IntervalSec: 1, Rise: 1, Fall: 1}
	Apply(c, n.Block, vrrpScriptTable, s)
	end := blockEnd(n)
	// keepalived's end-of-block handler: a script without a command, or
	// whose user cannot be resolved, is dropped (and tracking it later
	// says "not found").
	switch {
	case len(s.Argv) == 0:
		c.Errorf(end, "No script set for vrrp_script %s - removing", s.Name)
		return
	case s.userBad:
		return
	case s.User == "":
		if _, ok := vrrpDefaultScriptUser(c, end); !ok {
			c.Errorf(end, "Unable to set default user for vrrp script %s - removing", s.Name)
			return
		}
	}
	cfg.VRRPScripts = append(cfg.VRRPScripts, s)
}

// ---- script users ----

const vrrpMsgDefaultUser = "Unable to set default user keepalived_script for script"

// vrrpDefaultScriptUser is defaultScriptUser for a script read now; when
// there is none, keepalived reports once that it cannot set the default
// user and refuses every such script.
func vrrpDefaultScriptUser(c *Ctx, at *Node) (uid int, ok bool) {
	uid, ok = defaultScriptUser(c)
	if !ok && c.Cfg.Global.ScriptUser == "" && !vrrpReported(c, vrrpMsgDefaultUser) {
		c.Errorf(at, "%s", vrrpMsgDefaultUser)
	}
	return uid, ok
}

// reported tells whether a diagnostic with that exact text was already made
// (keepalived prints some messages only once per read of the file).
func vrrpReported(c *Ctx, msg string) bool {
	for _, d := range c.Diags {
		if d.Msg == msg {
			return true
		}
	}
	return false
}

// vrrpNotifyScript reads "KEYWORD CMD [USER [GROUP]]" as keepalived's
// notify_script_init. A script whose user cannot be resolved is dropped
// (keepalived only logs it).
func vrrpNotifyScript(c *Ctx, n *Node, typ string) *NotifyScript {
	argv, user, group, ok := c.NotifyCommand(n)
	if !ok {
		return nil
	}
	s := &NotifyScript{Pos: n.Pos, Argv: argv, User: user, Group: group}
	if s.User != "" {
		if _, ok := scriptUserOK(c, s.User, s.Group); !ok {
			c.Infof(n, "Invalid user/group for %s script %s - ignoring", typ, s.Argv[0])
			return nil
		}
	} else if _, ok := vrrpDefaultScriptUser(c, n); !ok {
		c.Infof(n, "Failed to set default user for %s script %s - ignoring", typ, s.Argv[0])
		return nil
	}
	return s
}

// ---- track_file ----

var vrrpTrackFileTable = NewTable("track_file", map[string]Entry[TrackFile]{
	"file": {H: func(c *Ctx, n *Node, t *TrackFile) {
		if !c.NeedArgs(n, 1) {
			return
		}
		if t.File != "" {
			c.Errorf(n, "File already set for track file %s - ignoring %s", t.Name, n.Arg(0))
			return
		}
		t.File = n.Arg(0)
	}},
	"weight": {H: func(c *Ctx, n *Node, t *TrackFile) {
		if n.NArgs() < 1 {
			c.Errorf(n, "No weight specified for track file %s - ignoring", t.Name)
			return
		}
		if t.Weight != 1 {
			c.Errorf(n, "Weight already set for track file %s - ignoring %s", t.Name, n.Arg(0))
			return
		}
		v, ok := c.IntArg(n, 0, -254, 254)
		if !ok {
			c.Errorf(n, "Weight (%s) for track_file %s must be between [-254..254] inclusive. Ignoring...", n.Arg(0), t.Name)
			v = 1
		}
		if n.NArgs() >= 2 {
			if n.Arg(1) == "reverse" {
				t.WeightReverse = true
			} else {
				c.Errorf(n, "track_file %s unknown weight option %s", t.Name, n.Arg(1))
			}
		}
		t.Weight = int(v)
	}},
	"init_file": {H: func(c *Ctx, n *Node, t *TrackFile) {
		in := &TrackFileInit{}
		for _, word := range n.Args() {
			w := strings.TrimLeft(word, whiteSpace)
			switch {
			case w != "" && (w[0] == '-' || (w[0] >= '0' && w[0] <= '9')):
				v, ok := c.ReadInt(n, word, intMin32, intMax32)
				if !ok {
					c.Errorf(n, "Track file %s init value %s is invalid", t.Name, w)
					v = 0
				} else if v < -254 || v > 254 {
					c.Errorf(n, "Track file %s init value %d is outside sensible range [%d, %d]", t.Name, v, -254, 254)
				}
				in.Value = int(v)
			case w == "overwrite":
				in.Overwrite = true
			default:
				c.Errorf(n, "Unknown track file init option %s", w)
			}
		}
		t.Init = in
	}},
})

func vrrpTrackFileBlock(c *Ctx, n *Node, cfg *Config) {
	name, ok := vrrpBlockName(c, n)
	if !ok {
		c.Errorf(n, "track file file name missing")
		return
	}
	t := &TrackFile{Pos: n.Pos, Name: name, Weight: 1}
	Apply(c, n.Block, vrrpTrackFileTable, t)
	if t.File == "" {
		c.Errorf(blockEnd(n), "No file set for track_file %s - ignoring", t.Name)
		return
	}
	if t.Init != nil && t.Init.Overwrite {
		// With overwrite keepalived refuses to replace anything but a
		// regular file.
		if fi, err := c.host().Stat(t.File); err == nil && !fi.Mode().IsRegular() {
			c.Errorf(blockEnd(n), "Cannot initialise track file %s - it is not a regular file", t.Name)
		}
	}
	cfg.TrackFiles = append(cfg.TrackFiles, t)
}

// ---- vrrp_track_process ----

var vrrpTrackProcessTable = NewTable("vrrp_track_process", map[string]Entry[TrackProcess]{
	"process": {H: func(c *Ctx, n *Node, p *TrackProcess) {
		if !c.NeedArgs(n, 1) {
			return
		}
		if p.Process != "" {
			c.Errorf(n, "Process already set for track process %s - ignoring %s", p.Name, n.Arg(0))
			return
		}
		p.Process = n.Arg(0)
		if n.NArgs() > 1 {
			p.Params = n.Args()[1:]
			if p.ParamMatch == "" {
				p.ParamMatch = "exact"
			}
			p.FullCommand = true
		}
	}},
	"param_match": {H: func(c *Ctx, n *Node, p *TrackProcess) {
		switch {
		case n.NArgs() == 0:
			p.ParamMatch, p.FullCommand = "exact", true
		case n.Arg(0) == "initial" || n.Arg(0) == "partial":
			p.ParamMatch, p.FullCommand = n.Arg(0), true
		default:
			c.Errorf(n, "Invalid param_match type %s - ignoring", n.Arg(0))
		}
	}},
	"weight": {H: func(c *Ctx, n *Node, p *TrackProcess) {
		if n.NArgs() < 1 {
			c.Errorf(n, "No weight specified for track process %s - ignoring", p.Name)
			return
		}
		if p.Weight != 0 {
			c.Errorf(n, "Weight already set for track process %s - ignoring %s", p.Name, n.Arg(0))
			return
		}
		v, ok := c.IntArg(n, 0, -254, 254)
		if !ok {
			c.Errorf(n, "Weight (%s) for vrrp_track_process %s must be between [-254..254] inclusive. Ignoring...", n.Arg(0), p.Name)
			return
		}
		if n.NArgs() >= 2 {
			if n.Arg(1) == "reverse" {
				p.WeightReverse = true
			} else {
				c.Errorf(n, "vrrp_track_process %s unknown weight option %s", p.Name, n.Arg(1))
			}
		}
		p.Weight = int(v)
	}},
	"quorum": {H: func(c *Ctx, n *Node, p *TrackProcess) {
		v, ok := c.UintArg(n, 0, 1, 65535)
		if !ok {
			if n.NArgs() > 0 {
				c.Errorf(n, "Quorum (%s) for vrrp_track_process %s must be between [1..65535] inclusive. Ignoring...", n.Arg(0), p.Name)
			}
			return
		}
		if p.QuorumMax != QuorumUnlimited && int(v) > p.QuorumMax {
			c.Errorf(n, "Quorum is greater than quorum_max - ignoring")
			return
		}
		p.Quorum = int(v)
	}},
	"quorum_max": {H: func(c *Ctx, n *Node, p *TrackProcess) {
		v, ok := c.UintArg(n, 0, 0, 65535)
		if !ok {
			if n.NArgs() > 0 {
				c.Errorf(n, "quorum_max (%s) for vrrp_track_process %s must be between [0..65535] inclusive. Ignoring...", n.Arg(0), p.Name)
			}
			return
		}
		// quorum_max 0 is allowed when no quorum above 1 was given.
		if (v != 0 || p.Quorum > 1) && int(v) < p.Quorum {
			c.Errorf(n, "quorum_max is less than quorum - ignoring")
			return
		}
		p.QuorumMax = int(v)
		if v == 0 {
			p.Quorum = 0
		} else if p.Quorum == 0 {
			p.Quorum = 1
		}
	}},
	"delay":           {H: func(c *Ctx, n *Node, p *TrackProcess) { vrrpProcessDelay(c, n, p, "") }},
	"terminate_delay": {H: func(c *Ctx, n *Node, p *TrackProcess) { vrrpProcessDelay(c, n, p, "terminate_") }},
	"fork_delay":      {H: func(c *Ctx, n *Node, p *TrackProcess) { vrrpProcessDelay(c, n, p, "fork_") }},
	"full_command":    {H: func(c *Ctx, n *Node, p *TrackProcess) { p.FullCommand = true }},
})

// vrrpProcessDelay reads delay / terminate_delay / fork_delay: seconds with
// microsecond resolution up to an hour; plain delay sets both.
func vrrpProcessDelay(c *Ctx, n *Node, p *TrackProcess, kind string) {
	v, ok := c.DecimalArg(n, 0, 6, 1, 3600*1000000, true)
	if !ok {
		if n.NArgs() > 0 {
			c.Errorf(n, "%sdelay (%s) for vrrp_track_process %s must be between [0.000001..3600] inclusive. Ignoring...", kind, n.Arg(0), p.Name)
		}
		return
	}
	if kind != "fork_" {
		p.TerminateDelayUsec = int64(v)
	}
	if kind != "terminate_" {
		p.ForkDelayUsec = int64(v)
	}
}

func vrrpTrackProcessBlock(c *Ctx, n *Node, cfg *Config) {
	name, ok := vrrpBlockName(c, n)
	if !ok {
		return
	}
	p := &TrackProcess{Pos: n.Pos, Name: name, Quorum: 1, QuorumMax: QuorumUnlimited}
	Apply(c, n.Block, vrrpTrackProcessTable, p)
	if p.Process == "" {
		c.Errorf(blockEnd(n), "track process '%s' process name not specified", p.Name)
		return
	}
	cfg.TrackProcesses = append(cfg.TrackProcesses, p)
}

// ---- track_* blocks of instances and sync groups ----

// vrrpTrackKind is how a track_script, track_file, track_process or
// track_bfd block resolves its names, with keepalived's messages for each
// (they differ in wording and in the weight range).
type vrrpTrackKind struct {
	what                 string // "script", "file", ...: the word in the shared messages
	min, max             int64
	badWeight, badOption string
	// stopOnBadOption drops the line after an unknown word after the
	// weight (the other kinds keep it).
	stopOnBadOption bool
	find            func(cfg *Config, name string) (weight int, reverse, ok bool)
	list            func(tr *Tracking) *[]*Tracked
}

var vrrpTrackKinds = map[string]vrrpTrackKind{
	"track_script": {what: "script", min: -254, max: 254,
		badWeight: "(%s) track script %s: weight must be between [-253..253] inclusive, ignoring...",
		badOption: "(%s) unknown track_script %s weight option %s - ignoring",
		find: func(cfg *Config, name string) (int, bool, bool) {
			return findTracked(cfg.VRRPScripts, name, func(x *VRRPScript) (string, int, bool) { return x.Name, x.Weight, x.WeightReverse })
		},
		list: func(tr *Tracking) *[]*Tracked { return &tr.TrackScripts }},
	"track_file": {what: "file", min: -254, max: 254, stopOnBadOption: true,
		badWeight: "(%s) weight for track file %s must be in [-254..254] inclusive. Ignoring...",
		badOption: "(%s) unknown track file %s weight option %s - ignoring",
		find: func(cfg *Config, name string) (int, bool, bool) {
			return findTracked(cfg.TrackFiles, name, func(x *TrackFile) (string, int, bool) { return x.Name, x.Weight, x.WeightReverse })
		},
		list: func(tr *Tracking) *[]*Tracked { return &tr.TrackFiles }},
	"track_process": {what: "process", min: -254, max: 254,
		badWeight: "(%s) weight for track process %s must be in [-254..254] inclusive. Ignoring...",
		badOption: "(%s) unknown track_process %s weight option %s - ignoring",
		find: func(cfg *Config, name string) (int, bool, bool) {
			return findTracked(cfg.TrackProcesses, name, func(x *TrackProcess) (string, int, bool) { return x.Name, x.Weight, x.WeightReverse })
		},
		list: func(tr *Tracking) *[]*Tracked { return &tr.TrackProcesses }},
	"track_bfd": {what: "bfd", min: -253, max: 253, stopOnBadOption: true,
		badWeight: "(%s) weight for track bfd %s must be in [-253..253] inclusive. Ignoring...",
		badOption: "(%s) unknown track bfd %s weight option %s - ignoring",
		find: func(cfg *Config, name string) (int, bool, bool) {
			return findTracked(cfg.BFDInstances, name, func(x *BFDInstance) (string, int, bool) { return x.Name, x.Weight, x.Reverse })
		},
		list: func(tr *Tracking) *[]*Tracked { return &tr.TrackBFDs }},
}

// findTracked returns the weight settings of the object called name in
// list; get gives an object's name, weight and reverse setting.
func findTracked[T any](list []*T, name string, get func(*T) (string, int, bool)) (weight int, reverse, ok bool) {
	for _, x := range list {
		if n, w, r := get(x); n == name {
			return w, r, true
		}
	}
	return 0, false, false
}

// vrrpTrackedWeight reads the optional "weight N [reverse|noreverse]" words of
// a tracked object line, starting at argument 0. It returns false when the
// line must be ignored.
func vrrpTrackedWeight(c *Ctx, n *Node, owner, name string, k vrrpTrackKind, t *Tracked) bool {
	what := k.what
	if n.NArgs() == 0 {
		return true
	}
	if n.Arg(0) != "weight" {
		switch what {
		case "bfd":
			c.Errorf(n, "(%s) unknown track bfd %s option %s - ignoring", owner, name, n.Arg(0))
		default:
			c.Errorf(n, "(%s) unknown track %s option %s - ignoring", owner, what, n.Arg(0))
		}
		return false
	}
	if n.NArgs() == 1 {
		c.Errorf(n, "(%s) weight without value specified for track %s %s - ignoring", owner, what, name)
		return false
	}
	if v, ok := c.IntArg(n, 1, k.min, k.max); ok {
		t.Weight = int(v)
		if v == -254 || v == 254 {
			if what == "script" {
				c.Errorf(n, "(%s) weight for %s cannot be +/-254. Setting to +/-253", owner, name)
				t.Weight = int(v / 254 * 253)
			}
		}
	} else {
		c.Errorf(n, k.badWeight, owner, name)
	}
	if n.NArgs() >= 3 {
		switch {
		case n.Arg(2) == "reverse":
			t.Reverse = true
		case n.Arg(2) == "noreverse":
			t.Reverse = false
		default:
			c.Errorf(n, k.badOption, owner, name, n.Arg(2))
			if k.stopOnBadOption {
				return false
			}
		}
	}
	return true
}

// vrrpParseTracking fills the track_* list named by kw from the block of n.
// Objects are looked up among those defined so far: keepalived resolves
// the names while reading, so a vrrp_script defined after the instance that
// tracks it is "not found".
func vrrpParseTracking(c *Ctx, n *Node, owner string, tr *Tracking, missingIfs *int) {
	cfg := c.Cfg
	for _, ln := range n.Block {
		name := ln.Keyword()
		switch n.Keyword() {
		case "track_interface":
			if !vrrpIfaceExists(c, name) {
				c.Errorf(ln, "(%s) tracked interface %s doesn't exist", owner, name)
				*missingIfs++
				continue
			}
			dup := false
			for _, e := range tr.TrackInterfaces {
				dup = dup || e.Name == name
			}
			if dup {
				c.Errorf(ln, "(%s) duplicate track_interface %s - ignoring", owner, name)
				continue
			}
			ti := &TrackedInterface{Pos: ln.Pos, Name: name}
			if ln.NArgs() >= 1 {
				if ln.Arg(0) != "weight" {
					c.Errorf(ln, "(%s) unknown track_interface %s option %s - ignoring", owner, name, ln.Arg(0))
					continue
				}
				if ln.NArgs() == 1 {
					c.Errorf(ln, "(%s) weight without value specified for track_interface %s - ignoring", owner, name)
					continue
				}
				if v, ok := c.IntArg(ln, 1, -254, 254); !ok {
					c.Errorf(ln, "(%s) weight %s for %s must be between [-253..253] inclusive. Ignoring...", owner, ln.Arg(1), name)
				} else if v == 254 || v == -254 {
					c.Errorf(ln, "(%s) weight for %s cannot be +/-254. Setting to +/-253", owner, name)
					ti.Weight = int(v / 254 * 253)
				} else {
					ti.Weight = int(v)
				}
				if ln.NArgs() >= 3 {
					if ln.Arg(2) == "reverse" {
						ti.Reverse = true
					} else {
						// keepalived's message really says "track_interace".
						c.Errorf(ln, "(%s) unknown track_interace %s weight option %s - ignoring", owner, name, ln.Arg(2))
					}
				}
			}
			tr.TrackInterfaces = append(tr.TrackInterfaces, ti)
		default:
			k, ok := vrrpTrackKinds[n.Keyword()]
			if !ok {
				continue
			}
			weight, reverse, found := k.find(cfg, name)
			if !found {
				c.Errorf(ln, "(%s) track %s %s not found, ignoring...", owner, k.what, name)
				continue
			}
			list := k.list(tr)
			if vrrpHasTracked(*list, name) {
				c.Errorf(ln, "(%s) duplicate %s %s - ignoring", owner, n.Keyword(), name)
				continue
			}
			t := &Tracked{Pos: ln.Pos, Name: name, Weight: weight, Reverse: reverse}
			if !vrrpTrackedWeight(c, ln, owner, name, k, t) {
				continue
			}
			*list = append(*list, t)
		}
	}
}

func vrrpHasTracked(l []*Tracked, name string) bool {
	for _, t := range l {
		if t.Name == name {
			return true
		}
	}
	return false
}

// vrrpIfaceExists tells whether an interface named in the configuration exists
// on the host. With dynamic_interfaces keepalived accepts absent ones.
func vrrpIfaceExists(c *Ctx, name string) bool {
	return c.Cfg.Global.DynamicInterfaces || c.host().InterfaceExists(name)
}
