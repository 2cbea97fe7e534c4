package daemon

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/gokeepalived/gokeepalived/internal/cli"
	"github.com/gokeepalived/gokeepalived/internal/logging"
	"github.com/gokeepalived/gokeepalived/pkg/config"
)

// These runs all end before the host is touched: a configuration the
// daemon refuses, a missing file under -e, a daemon already running.

func testOptions(t *testing.T, conf string) cli.Options {
	o := cli.NewOptions()
	dir := t.TempDir()
	o.ConfigFile = conf
	o.PidFile = filepath.Join(dir, "k.pid")
	o.VRRPPidFile = filepath.Join(dir, "v.pid")
	return o
}

func writeFile(t *testing.T, text string) string {
	p := filepath.Join(t.TempDir(), "keepalived.conf")
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func runWith(o cli.Options, load loader) (int, *logging.Sink) {
	sink := &logging.Sink{}
	code := run(o, runEnv{args: []string{"keepalived", "-n"}, log: sink, load: load})
	return code, sink
}

func fakeLoad(diags config.Diagnostics, inst ...*config.VRRPInstance) loader {
	return func(config.Options) (*config.Config, config.Diagnostics) {
		cfg := config.NewConfig()
		cfg.Instances = inst
		return cfg, diags
	}
}

func TestRunRefusesConfigurations(t *testing.T) {
	conf := writeFile(t, "# faked\n")
	cases := []struct {
		name  string
		o     func(*cli.Options)
		load  loader
		code  int
		lines []string
	}{
		{"fatal", nil, fakeLoad(config.Diagnostics{{Class: config.ClassBadIf, Msg: "Non-existent interface specified in configuration"}}),
			exitConfig, []string{"Non-existent interface specified in configuration"}},
		{"include required", nil, fakeLoad(config.Diagnostics{{Class: config.ClassConfigFile, Msg: "Config files missing 'x'."}}),
			exitConfigFiles, nil},
		{"no vrid", nil, fakeLoad(config.Diagnostics{{Class: config.ClassGeneral, Msg: "(VI_1) the virtual router id must be set"}},
			&config.VRRPInstance{Name: "VI_1", Interface: "eth0", Version: 2}),
			exitConfig, []string{"(VI_1) the virtual router id must be set", "VRRP cannot run with this configuration: (VI_1) no valid virtual_router_id"}},
		{"missing -e", func(o *cli.Options) { o.ConfigFile = conf + ".missing"; o.AllConfig = true }, fakeLoad(nil),
			exitConfigFiles, []string{"Config files missing '" + conf + ".missing'."}},
	}
	for _, c := range cases {
		o := testOptions(t, conf)
		if c.o != nil {
			c.o(&o)
		}
		code, sink := runWith(o, c.load)
		if code != c.code {
			t.Errorf("%s: exit %d, want %d\n%s", c.name, code, c.code, strings.Join(sink.Texts(true), "\n"))
		}
		for _, l := range c.lines {
			if sink.Count(l) == 0 {
				t.Errorf("%s: no line %q in\n%s", c.name, l, strings.Join(sink.Texts(true), "\n"))
			}
		}
		texts := sink.Texts(true)
		if !strings.HasPrefix(texts[0], "Starting Keepalived v2.2.7") || !strings.HasPrefix(texts[len(texts)-1], "Stopped Keepalived v2.2.7") {
			t.Errorf("%s: first/last lines %q / %q", c.name, texts[0], texts[len(texts)-1])
		}
		for _, p := range []string{o.PidFile, o.VRRPPidFile} {
			if _, err := os.Stat(p); err == nil {
				t.Errorf("%s: pid file %s written", c.name, p)
			}
		}
	}
}

func TestRunAlreadyRunning(t *testing.T) {
	o := testOptions(t, writeFile(t, "# faked\n"))
	// Our parent (go test) is alive: a pid file naming it means a daemon
	// runs.
	if err := os.WriteFile(o.VRRPPidFile, []byte(strconv.Itoa(os.Getppid())+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	loaded := false
	code, sink := runWith(o, func(config.Options) (*config.Config, config.Diagnostics) {
		loaded = true
		return config.NewConfig(), nil
	})
	if code != 0 || sink.Count("daemon is already running") != 1 || loaded {
		t.Errorf("exit %d, loaded %v, log %q", code, loaded, sink.Texts(true))
	}
}
