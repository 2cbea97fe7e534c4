package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gokeepalived/gokeepalived/internal/cli"
)

// serviceFile returns the unit's [Section] key=value lines.
func serviceFile(t *testing.T) map[string][]string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "keepalived.service"))
	if err != nil {
		t.Fatal(err)
	}
	keys := map[string][]string{}
	section := ""
	for _, l := range strings.Split(string(b), "\n") {
		l = strings.TrimSpace(l)
		switch {
		case l == "" || l[0] == '#' || l[0] == ';':
		case l[0] == '[':
			section = strings.Trim(l, "[]")
		default:
			k, v, ok := strings.Cut(l, "=")
			if !ok {
				t.Errorf("not key=value: %q", l)
				continue
			}
			keys[section+"."+k] = append(keys[section+"."+k], v)
		}
	}
	return keys
}

func TestServiceUnit(t *testing.T) {
	keys := serviceFile(t)
	want := map[string][]string{
		"Unit.After":                 {"network-online.target"},
		"Service.Type":               {"notify"},
		"Service.NotifyAccess":       {"main"},
		"Service.EnvironmentFile":    {"-/etc/sysconfig/keepalived", "-/etc/default/keepalived"},
		"Service.ExecStart":          {"/usr/sbin/keepalived --dont-fork $KEEPALIVED_OPTIONS $DAEMON_ARGS"},
		"Service.ExecReload":         {"/bin/kill -HUP $MAINPID"},
		"Service.KillMode":           {"mixed"},
		"Install.WantedBy":           {"multi-user.target"},
		"Unit.ConditionFileNotEmpty": {"/etc/keepalived/keepalived.conf"},
	}
	for k, v := range want {
		if strings.Join(keys[k], "|") != strings.Join(v, "|") {
			t.Errorf("%s = %q, want %q", k, keys[k], v)
		}
	}
	if d := keys["Unit.Description"]; len(d) != 1 || !strings.Contains(d[0], "LVS and VRRP High Availability Monitor") {
		t.Errorf("Description %q: should read like keepalived's", d)
	}
	// The reload signal is the one --signum=RELOAD names.
	if n, _ := cli.Signum("RELOAD"); n != 1 {
		t.Errorf("RELOAD is signal %d, the unit sends HUP (1)", n)
	}
}

// TestServiceCommandLines: ExecStart with typical option files, split on
// blanks as systemd does for an unquoted $VAR, parses without error.
func TestServiceCommandLines(t *testing.T) {
	start := serviceFile(t)["Service.ExecStart"][0]
	for _, env := range []map[string]string{
		{},
		{"KEEPALIVED_OPTIONS": "-D"},
		{"KEEPALIVED_OPTIONS": "-D -S 1 -p /run/k.pid"},
		{"KEEPALIVED_OPTIONS": "--log-detail --log-console --vrrp"},
		{"DAEMON_ARGS": ""},
		{"DAEMON_ARGS": "-D -i lb1", "KEEPALIVED_OPTIONS": "-P"},
	} {
		var args []string
		for _, w := range strings.Fields(start)[1:] {
			if strings.HasPrefix(w, "$") {
				args = append(args, strings.Fields(env[w[1:]])...)
				continue
			}
			args = append(args, w)
		}
		r := cli.Parse(args)
		if r.Bad || len(r.Messages) > 0 || len(r.Unexpected) > 0 || r.Action != cli.ActionRun || !r.Options.DontFork {
			t.Errorf("%v → %q: bad=%v messages=%q unexpected=%q", env, args, r.Bad, r.Messages, r.Unexpected)
		}
	}
}

// TestServiceVerify asks systemd, when it is there, whether the unit is
// well formed.
func TestServiceVerify(t *testing.T) {
	tool, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Skip("systemd-analyze not installed")
	}
	unit, err := filepath.Abs(filepath.Join("..", "..", "keepalived.service"))
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(tool, "verify", unit).CombinedOutput()
	// verify complains when /usr/sbin/keepalived is missing on this
	// machine; that is not a defect of the unit.
	var problems []string
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if l != "" && !strings.Contains(l, "/usr/sbin/keepalived") {
			problems = append(problems, l)
		}
	}
	if len(problems) > 0 {
		t.Errorf("systemd-analyze verify: %v\n%s", err, strings.Join(problems, "\n"))
	}
}
