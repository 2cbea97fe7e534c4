// Package config reads keepalived.conf exactly as keepalived 2.2 does:
// preprocessor (include, @conditionals, $macros, ~SEQ) → tokens → keyword
// tree → typed model → checks. It is public so that linters and exporters
// can reuse it.
package config

import (
	"fmt"
	"sort"
	"sync"
)

// Config is the whole typed model of a keepalived configuration.
type Config struct {
	Global GlobalDefs `json:"global_defs"`

	StaticAddresses []*IPAddress `json:"static_ipaddress,omitempty"`
	StaticRoutes    []*Route     `json:"static_routes,omitempty"`
	StaticRules     []*Rule      `json:"static_rules,omitempty"`

	VRRPScripts    []*VRRPScript   `json:"vrrp_scripts,omitempty"`
	TrackFiles     []*TrackFile    `json:"track_files,omitempty"`
	TrackProcesses []*TrackProcess `json:"track_processes,omitempty"`
	SyncGroups     []*SyncGroup    `json:"sync_groups,omitempty"`
	Instances      []*VRRPInstance `json:"vrrp_instances,omitempty"`

	GARPGroups            []*GARPGroup          `json:"garp_groups,omitempty"`
	LinkbeatInterfaces    []string              `json:"linkbeat_interfaces,omitempty"`
	InterfaceUpDownDelays []*InterfaceUpDown    `json:"interface_up_down_delays,omitempty"`
	BFDInstances          []*BFDInstance        `json:"bfd_instances,omitempty"`
	VirtualServerGroups   []*VirtualServerGroup `json:"virtual_server_groups,omitempty"`
	VirtualServers        []*VirtualServer      `json:"virtual_servers,omitempty"`
	// SSLBlock is the top-level SSL block used by SSL_GET checkers.
	SSLBlock *SSLConfig `json:"ssl,omitempty"`
}

// Options controls how a configuration is read.
type Options struct {
	// File is the main configuration file (-f).
	File string
	// ConfigID is the id for '@' conditional lines (-i); empty means the
	// short host name.
	ConfigID string
	// AllConfig makes missing include files errors (-e).
	AllConfig bool
	// FS reads files and expands globs; nil means the real file system.
	FS FS
	// Host answers questions about the machine for the checks (interfaces,
	// users, file permissions); nil means the real host.
	Host Host
}

// Ctx carries the state of one parse: options, diagnostics and the model.
type Ctx struct {
	Opts  Options
	Diags Diagnostics
	Cfg   *Config

	// Keyword engine state (keywords.go): nesting depth, statements moved
	// up a level by a stray '{', and the synthetic stray '}' nodes.
	depth       int
	spill       []*Node
	closedEarly bool
	strays      map[*Node]bool

	realHost  *cachedHost // the real host, interface list read once
	missingIf bool        // a dev named by an address/route/rule does not exist
	defined   map[string]bool
}

// FirstDefinition records that a named block (kind, name) is defined and
// reports whether it is the first definition of that name. A map keeps
// configurations with thousands of instances linear.
func (c *Ctx) FirstDefinition(kind, name string) bool {
	if c.defined == nil {
		c.defined = map[string]bool{}
	}
	k := kind + "\x00" + name
	if c.defined[k] {
		return false
	}
	c.defined[k] = true
	return true
}

func (c *Ctx) add(d Diagnostic) { c.Diags = append(c.Diags, d) }

func posOf(n *Node) (Pos, string) {
	if n == nil {
		return Pos{}, ""
	}
	return n.Pos, n.Raw
}

// Report adds a diagnostic of class cl at node n (n may be nil).
func (c *Ctx) Report(n *Node, cl Class, msg string) {
	p, raw := posOf(n)
	c.add(Diagnostic{Pos: p, Class: cl, Msg: msg, Quote: raw})
}

// ReportHint adds a diagnostic with a suggestion of what to write instead.
func (c *Ctx) ReportHint(n *Node, cl Class, msg, hint string) {
	p, raw := posOf(n)
	c.add(Diagnostic{Pos: p, Class: cl, Msg: msg, Quote: raw, Hint: hint})
}

// Errorf reports a general configuration error (keepalived's
// CONFIG_GENERAL_ERROR: -t fails with 5, the daemon would still run).
func (c *Ctx) Errorf(n *Node, format string, a ...any) {
	c.Report(n, ClassGeneral, fmt.Sprintf(format, a...))
}

// Fatalf reports an error that stops the configuration from running.
func (c *Ctx) Fatalf(n *Node, format string, a ...any) {
	c.Report(n, ClassFatal, fmt.Sprintf(format, a...))
}

// Infof reports a message keepalived only logs (no effect on -t).
func (c *Ctx) Infof(n *Node, format string, a ...any) {
	c.Report(n, ClassInfo, fmt.Sprintf(format, a...))
}

// Deprecated reports a deprecated keyword spelling. keepalived 2.2.7 accepts
// these silently in most places; we say what to write instead, as
// information only, so -t verdicts stay the same.
func (c *Ctx) Deprecated(n *Node, old, repl string) {
	p, raw := posOf(n)
	c.add(Diagnostic{Pos: p, Class: ClassInfo, Msg: fmt.Sprintf("Keyword '%s' is deprecated", old), Quote: raw, Hint: fmt.Sprintf("use '%s'", repl)})
}

// topEntries holds the top-level keywords; each area of the model adds its
// own from an init function in its kw_*.go file.
var (
	topEntries = map[string]Entry[Config]{}
	topOnce    sync.Once
	topTable   *Table[Config]
)

func registerTop(name string, e Entry[Config]) {
	if _, dup := topEntries[name]; dup {
		panic("config: top-level keyword registered twice: " + name)
	}
	topEntries[name] = e
}

func top() *Table[Config] {
	topOnce.Do(func() { topTable = NewTable("the top level", topEntries) })
	return topTable
}

// check is a validation pass run after the whole model has been built.
type check struct {
	order int
	name  string
	fn    func(c *Ctx, cfg *Config)
}

var checks []check

// registerCheck adds a validation pass; lower order runs first. keepalived
// validates global data, then checker, then VRRP, then BFD.
func registerCheck(order int, name string, fn func(c *Ctx, cfg *Config)) {
	checks = append(checks, check{order, name, fn})
	sort.SliceStable(checks, func(i, j int) bool { return checks[i].order < checks[j].order })
}

// Build turns a keyword tree into the typed model and runs the checks.
func Build(c *Ctx, nodes []*Node) *Config {
	cfg := NewConfig()
	c.Cfg = cfg
	Apply(c, nodes, top(), cfg)
	for _, ch := range checks {
		ch.fn(c, cfg)
	}
	return cfg
}

// NewConfig returns a model holding keepalived's defaults.
func NewConfig() *Config {
	cfg := &Config{}
	cfg.Global = DefaultGlobalDefs()
	return cfg
}

// Load reads, parses and checks the configuration named by opts.File.
func Load(opts Options) (*Config, Diagnostics) {
	c := &Ctx{Opts: opts}
	lines := Preprocess(c)
	nodes := BuildTree(c, lines)
	cfg := Build(c, nodes)
	return cfg, c.Diags
}

// Parse parses configuration text as if it were the file name, for tests,
// fuzzing and tools. Includes are read through opts.FS.
func Parse(name string, src []byte, opts Options) (*Config, Diagnostics) {
	opts.File = name
	if opts.FS == nil {
		opts.FS = MapFS{}
	}
	fs := overlayFS{name: name, data: src, next: opts.FS}
	opts.FS = fs
	return Load(opts)
}
