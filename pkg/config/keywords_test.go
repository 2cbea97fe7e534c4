package config

import (
	"fmt"
	"sort"
	"strings"
	"testing"
)

// Stray '{' handling, as keepalived 2.2.7 does it (each case checked with
// `keepalived -t`): the block's statements are read at the current level and
// its '}' closes the enclosing block.
func TestStrayBraces(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		want      []string
		exit      int
	}{{
		name: "unknown keyword with a block inside global_defs",
		src: `global_defs {
  router_id r1
  foo_block {
    router_id r2
    lvs_sync_daemon_bogus
  }
  script_user root
}
vrrp_garp_interval 1
`,
		want: []string{
			"3|Unexpected '{' - ignoring",
			"3|Unknown keyword 'foo_block'",
			"5|Unknown keyword 'lvs_sync_daemon_bogus'",
			"7|Unknown keyword 'script_user'",
			"8|Unknown keyword '}'",
			"9|Unknown keyword 'vrrp_garp_interval'",
		},
		exit: ExitConfigTest,
	}, {
		name: "unknown block at the top level",
		src:  "foo_block {\n  router_id r2\n}\nglobal_defs {\n  router_id r1\n}\n",
		want: []string{
			"1|Unexpected '{' - ignoring",
			"1|Unknown keyword 'foo_block'",
			"2|Unknown keyword 'router_id'",
			"3|Unknown keyword '}'",
		},
		exit: ExitConfigTest,
	}, {
		name: "known keyword that takes no block",
		src:  "global_defs {\n  router_id r1 {\n  smtp_server 1.1.1.1\n  }\n  script_user root\n}\n",
		want: []string{
			"2|Unexpected '{' - ignoring",
			"5|Unknown keyword 'script_user'",
			"6|Unknown keyword '}'",
		},
		exit: ExitConfigTest,
	}, {
		// The '{' on a line of its own is reported on its own line (the
		// rest checked with keepalived 2.2.7 -t as well).
		name: "brace on the next line",
		src:  "global_defs {\n  router_id x\n  vrrp_strict\n  {\n    enable_script_security\n  }\n  nosuchkw\n  {\n  }\n}\n",
		want: []string{
			"10|Unknown keyword '}'",
			"4|Unexpected '{' - ignoring",
			"7|Unknown keyword 'nosuchkw'",
			"8|Unexpected '{' - ignoring",
			"9|Unknown keyword '}'",
		},
		exit: ExitConfigTest,
	}, {
		name: "unknown block, brace two lines down",
		src:  "foo_block\n\n{\n  router_id r2\n}\n",
		want: []string{
			"1|Unknown keyword 'foo_block'",
			"3|Unexpected '{' - ignoring",
			"4|Unknown keyword 'router_id'",
			"5|Unknown keyword '}'",
		},
		exit: ExitConfigTest,
	}} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, ds := Parse("k.conf", []byte(tc.src), Options{Host: FakeHost{Interfaces: []string{"eth0"}}})
			var got []string
			for _, d := range ds {
				if d.Class != ClassInfo {
					got = append(got, fmt.Sprintf("%d|%s", d.Pos.Line, d.Msg))
				}
			}
			sort.Strings(got)
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("got:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(tc.want, "\n  "))
			}
			if ds.ExitCode() != tc.exit {
				t.Errorf("exit %d, want %d", ds.ExitCode(), tc.exit)
			}
			if tc.name == "known keyword that takes no block" {
				if cfg.Global.RouterID != "r1" {
					t.Errorf("router_id %q, want r1", cfg.Global.RouterID)
				}
			}
		})
	}
}

func TestUnknownKeywordHints(t *testing.T) {
	for _, tc := range []struct{ src, hint string }{
		{"vrrp_instance VI_1 {\n  prority 100\n}\n", "did you mean 'priority'?"},
		{"global_defs {\n  priority 100\n}\n", "'priority' belongs in"},
		{"global_defs {\n  zzzzzzzz\n}\n", ""},
	} {
		_, ds := Parse("k.conf", []byte(tc.src), Options{Host: FakeHost{Interfaces: []string{"eth0"}}})
		found := false
		for _, d := range ds {
			if strings.HasPrefix(d.Msg, "Unknown keyword") {
				found = true
				if tc.hint == "" && d.Hint != "" || !strings.HasPrefix(d.Hint, tc.hint) {
					t.Errorf("%q: hint %q, want prefix %q", tc.src, d.Hint, tc.hint)
				}
			}
		}
		if !found {
			t.Errorf("%q: no unknown keyword reported", tc.src)
		}
	}
}

func TestEditDistance(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		d    int
	}{{"prority", "priority", 1}, {"priroity", "priority", 1}, {"", "abc", 3}, {"abc", "abc", 0}, {"kitten", "sitting", 3}} {
		if got := editDistance(tc.a, tc.b); got != tc.d {
			t.Errorf("editDistance(%q,%q)=%d want %d", tc.a, tc.b, got, tc.d)
		}
	}
}
