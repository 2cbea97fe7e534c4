package daemon

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/dump"
	"github.com/gokeepalived/gokeepalived/internal/logging"
	"github.com/gokeepalived/gokeepalived/pkg/config"
)

// TestCheckDataMatchesKeepalived builds keepalived_check.data from the
// configurations in internal/dump/testdata: check_empty and
// check_globals are keepalived 2.2.7's own files (its checker run with
// --all, no virtual server), check_lvs is what its source writes for a
// topology this kernel cannot run (no ip_vs). Byte for byte, with
// keepalived's build lines (nftables, libnftnl) added to ours.
func TestCheckDataMatchesKeepalived(t *testing.T) {
	// keepalived prints a MISC_CHECK that never ran with ctime(0).
	local := time.Local
	time.Local = time.UTC
	t.Cleanup(func() { time.Local = local })
	for _, dir := range []string{"check_empty", "check_globals", "check_lvs"} {
		t.Run(dir, func(t *testing.T) {
			dir := filepath.Join("..", "dump", "testdata", dir)
			text, err := os.ReadFile(filepath.Join(dir, "keepalived.conf"))
			if err != nil {
				t.Fatal(err)
			}
			want, err := os.ReadFile(filepath.Join(dir, dump.CheckDataFile))
			if err != nil {
				t.Fatal(err)
			}
			// The real host: check_lvs runs /bin/true as root.
			cfg, diags := config.Parse(filepath.Join(dir, "keepalived.conf"), text, config.Options{})
			if cfg == nil || diags.Fatal() {
				t.Fatalf("%v", diags)
			}
			h := &hostFacts{hostname: "vm", ids: func(user, group string) (int, int) {
				if user == "root" || user == "" {
					// "": keepalived_script is missing, keepalived
					// runs scripts as itself.
					return 0, 0
				}
				return 4242, 4242 // would show if a script ran as another user
			}}
			s := checkSnapshot(cfg, h)
			s.Global.Firewall = []string{"nftables without counters", "libnftnl version 1.2.3"}
			var got bytes.Buffer
			if err := dump.WriteCheckData(&got, s); err != nil {
				t.Fatal(err)
			}
			if got.String() != string(want) {
				firstDiff(t, string(want), got.String())
			}
		})
	}
}

// TestCheckSnapshotRuntime: the runtime fields as keepalived's checker
// has them before its services start, per real server and checker.
func TestCheckSnapshotRuntime(t *testing.T) {
	text := `global_defs {
   script_user root
}
virtual_server 10.0.0.1 80 {
   protocol TCP
   lb_kind NAT
   real_server 10.0.0.2 80 {
      weight 70000
      alpha
      TCP_CHECK {
      }
      TCP_CHECK {
         alpha no
      }
      SMTP_CHECK {
         host {
            connect_ip 10.0.0.3
         }
         host {
            connect_ip 10.0.0.4
         }
      }
   }
}
virtual_server 10.0.0.1 81 {
   protocol TCP
   lb_kind NAT
   real_server 10.0.0.2 81 {
      weight 0
   }
}
`
	cfg, diags := config.Parse("k.conf", []byte(text), config.Options{Host: config.FakeHost{Name: "h"}})
	if cfg == nil || diags.Fatal() {
		t.Fatalf("%v", diags)
	}
	s := checkSnapshot(cfg, &hostFacts{hostname: "h"})
	if len(s.Servers) != 2 || len(s.Servers[0].Reals) != 1 {
		t.Fatalf("%+v", s.Servers)
	}
	vs, rs := s.Servers[0], s.Servers[0].Reals[0]
	// No live real server: the quorum (1) is not met.
	if vs.Alive || vs.QuorumStateUp || vs.Reloaded {
		t.Errorf("virtual server alive %v quorum_state_up %v reloaded %v", vs.Alive, vs.QuorumStateUp, vs.Reloaded)
	}
	// Weight 0: keepalived lowers the quorum to 0 and sets hysteresis to
	// quorum-1 in 32 bits; 0 live weight does not reach 0 + 4294967295.
	if v := s.Servers[1]; v.Quorum != 0 || v.Hysteresis != 4294967295 || v.QuorumStateUp {
		t.Errorf("weight 0: quorum %d hysteresis %d quorum_state_up %v", v.Quorum, v.Hysteresis, v.QuorumStateUp)
	}
	// Three alpha checkers (the first TCP_CHECK and the SMTP_CHECK's two
	// hosts, which become a checker each) count as failed.
	if rs.Alive || rs.Set || rs.NumFailed != 3 || rs.EffectiveWeight != 70000 || rs.InitialWeight != 70000 || rs.PreviousWeight != 0 {
		t.Errorf("real server %+v", rs)
	}
	var b bytes.Buffer
	dump.WriteCheckData(&b, s)
	// WEIGHT is what IPVS can take.
	if !strings.Contains(b.String(), "   RIP = 10.0.0.2, RPORT = 80, WEIGHT = 65535 EFF WEIGHT = 70000\n") {
		t.Errorf("weight line:\n%s", b.String())
	}
	var ups []bool
	var dests []string
	for _, c := range s.Checkers {
		if c.RSName != "[10.0.0.2]:tcp:80" {
			t.Errorf("checker of %s", c.RSName)
		}
		ups = append(ups, c.Up)
		if c.HasRun || !c.Enabled || c.CurWeight != 0 || c.RetryIt != c.Retry {
			t.Errorf("checker %+v", c)
		}
		dests = append(dests, c.Conn.Dst.String())
	}
	if want := []bool{false, true, false, false}; !equalBools(ups, want) {
		t.Errorf("checkers up %v, want %v", ups, want)
	}
	if want := "10.0.0.2:80 10.0.0.2:80 10.0.0.3:80 10.0.0.4:80"; strings.Join(dests, " ") != want {
		t.Errorf("destinations %q, want %q", strings.Join(dests, " "), want)
	}
}

func equalBools(a, b []bool) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestCheckSnapshotSSL: an SSL_GET without an SSL block gets keepalived's
// autogen context; neither, no SSL section.
func TestCheckSnapshotSSL(t *testing.T) {
	vs := func(kind string) string {
		return "virtual_server 10.0.0.1 443 {\n protocol TCP\n lb_kind NAT\n real_server 10.0.0.2 443 {\n  " + kind +
			" {\n   url {\n    path /\n   }\n  }\n }\n}\n"
	}
	for _, c := range []struct {
		text string
		want *dump.SSL
	}{
		{vs("SSL_GET"), &dump.SSL{}},
		{vs("HTTP_GET"), nil},
		{"SSL {\n ca /ca.pem\n}\n" + vs("HTTP_GET"), &dump.SSL{CAFile: "/ca.pem"}},
	} {
		cfg, diags := config.Parse("k.conf", []byte(c.text), config.Options{Host: config.FakeHost{Name: "h"}})
		if cfg == nil || diags.Fatal() {
			t.Fatalf("%v", diags)
		}
		got := checkSnapshot(cfg, &hostFacts{}).SSL
		if (got == nil) != (c.want == nil) || got != nil && *got != *c.want {
			t.Errorf("%q: SSL %+v, want %+v", c.text, got, c.want)
		}
	}
}

func TestCmdStr(t *testing.T) {
	for _, c := range []struct {
		argv []string
		want string
	}{
		{[]string{"/bin/echo", "up"}, "'/bin/echo' 'up'"},
		// keepalived leaves a redirection-only first word bare.
		{[]string{"</tmp/flag"}, "</tmp/flag"},
		{[]string{">/tmp/x", ">y"}, ">/tmp/x '>y'"},
	} {
		if got := cmdStr(c.argv); got != c.want {
			t.Errorf("%q: %q, want %q", c.argv, got, c.want)
		}
	}
}

// TestScriptUserNote: keepalived's "Script user 'keepalived_script'
// does not exist" comes once per process, and not when global_defs names
// a script user or the default one exists.
func TestScriptUserNote(t *testing.T) {
	withUser := config.NewConfig()
	withUser.Global.ScriptUser = "root"
	for _, c := range []struct {
		name    string
		cfg     *config.Config
		missing bool
		want    int
	}{
		{"missing", config.NewConfig(), true, 1},
		{"exists", config.NewConfig(), false, 0},
		{"script_user set", withUser, true, 0},
	} {
		sink := &logging.Sink{}
		asked := 0
		n := scriptUserNote{missing: func() bool { asked++; return c.missing }}
		for i := 0; i < 3; i++ {
			n.note(sink, c.cfg)
		}
		if got := sink.Count("Script user 'keepalived_script' does not exist"); got != c.want || asked > 1 {
			t.Errorf("%s: %d lines, %d lookups", c.name, got, asked)
		}
	}
}

func TestCheckerScriptWithoutUser(t *testing.T) {
	rs := func(body string) string {
		return "virtual_server 10.0.0.1 80 {\n protocol TCP\n lb_kind NAT\n real_server 10.0.0.2 80 {\n" + body + "\n }\n}\n"
	}
	for _, c := range []struct {
		text string
		want bool
	}{
		{rs("  TCP_CHECK {\n  }"), false},
		{rs("  notify_up /bin/true"), true},
		{rs("  notify_up \"/bin/true\" root"), false},
		{rs("  MISC_CHECK {\n   misc_path /bin/true\n  }"), true},
		{rs("  MISC_CHECK {\n   misc_path /bin/true\n   user root\n  }"), false},
		{"virtual_server 10.0.0.1 80 {\n protocol TCP\n quorum_down /bin/true\n real_server 10.0.0.2 80 {\n }\n}\n", true},
	} {
		cfg, _ := config.Parse("k.conf", []byte(c.text), config.Options{})
		if cfg == nil {
			t.Fatalf("%q: no configuration", c.text)
		}
		if got := checkerScriptWithoutUser(cfg); got != c.want {
			t.Errorf("%q: %v, want %v", c.text, got, c.want)
		}
	}
}
