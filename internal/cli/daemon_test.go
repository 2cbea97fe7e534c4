package cli

import (
	"strings"
	"testing"

	"github.com/gokeepalived/gokeepalived/pkg/config"
)

// TestMainRunsDaemon: with a daemon in Env, the run path calls it with
// the parsed options and returns its status; -d dumps first, as
// keepalived does before starting.
func TestMainRunsDaemon(t *testing.T) {
	var got []Options
	daemon := func(o Options) int { got = append(got, o); return 7 }
	var r run
	env := Env{Stdout: &r.stdout, Stderr: &r.stderr, Daemon: daemon,
		Load: func(config.Options) (*config.Config, config.Diagnostics) { return config.NewConfig(), nil }}
	if code := Main([]string{"keepalived", "-n", "-l", "-D", "-p", "/tmp/x.pid"}, env); code != 7 {
		t.Errorf("exit %d, want the daemon's 7", code)
	}
	if len(got) != 1 || !got[0].DontFork || !got[0].LogConsole || got[0].LogDetail != 1 || got[0].PidFile != "/tmp/x.pid" {
		t.Errorf("daemon options %+v", got)
	}
	if r.stderr.Len() != 0 {
		t.Errorf("stderr %q", r.stderr.String())
	}
	conf := existing(t)
	if code := Main([]string{"keepalived", "-d", "-f", conf}, env); code != 7 || !strings.Contains(r.stdout.String(), "global_defs:") {
		t.Errorf("-d: exit %d stdout %.60q", code, r.stdout.String())
	}
	// -t never starts the daemon.
	if code := Main([]string{"keepalived", "-t", "-f", conf}, env); code != 0 || len(got) != 2 {
		t.Errorf("-t: exit %d, daemon calls %d", code, len(got))
	}
}
