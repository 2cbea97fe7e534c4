package dump

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestAddressString(t *testing.T) {
	tests := []struct {
		a    Address
		want string
	}{
		{Address{Prefix: pfx("10.0.0.1/24"), Dev: "eth0", Scope: "global"}, "10.0.0.1/24 dev eth0 scope global"},
		{Address{Prefix: pfx("10.0.0.1/32"), Dev: "eth0", Scope: "global", Set: true}, "10.0.0.1 dev eth0 scope global set"},
		{Address{Prefix: pfx("10.0.0.1/24"), Broadcast: addr("10.0.0.255"), Dev: "eth0", Scope: "link", Label: "eth0:1"},
			"10.0.0.1/24 brd 10.0.0.255 dev eth0 scope link label eth0:1"},
		{Address{Prefix: pfx("fd00::1/128"), Dev: "eth0", Scope: "global", PreferredLft: "forever", Set: true},
			"fd00::1 dev eth0 scope global preferred_lft forever set"},
		{Address{Prefix: pfx("fd00::1/64"), Dev: "eth0", Scope: "global", PreferredLft: "0"},
			"fd00::1/64 dev eth0 scope global preferred_lft 0"},
	}
	for _, tc := range tests {
		if got := tc.a.String(); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.a, got, tc.want)
		}
	}
}

func TestJSONString(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain", `"plain"`},
		{"/usr/bin/x 'a'", `"\/usr\/bin\/x 'a'"`},
		{"q\"b\\", `"q\"b\\"`},
		{"t\tn\n\x01", `"t\tn\n\u0001"`},
		{"é", `"é"`},
	}
	for _, tc := range tests {
		if got := jsonString(tc.in); got != tc.want {
			t.Errorf("%q: %s, want %s", tc.in, got, tc.want)
		}
	}
}

func TestTimeFormats(t *testing.T) {
	ts := time.Date(2026, 1, 5, 7, 8, 9, 12000, time.UTC)
	if got, want := timeval(ts), "1767596889.000012 (Mon Jan  5 07:08:09.000012 2026)"; got != want {
		t.Errorf("timeval %q, want %q", got, want)
	}
	if got, want := timevalLate(ts), "1767596889.000012 (Mon Jan  5 07:08:09 2026.000012)"; got != want {
		t.Errorf("timevalLate %q, want %q", got, want)
	}
	for d, want := range map[time.Duration]string{time.Second: "1", 500 * time.Millisecond: "0.5", 2250 * time.Millisecond: "2.25", 0: "0"} {
		if got := seconds(d); got != want {
			t.Errorf("seconds(%v) %q, want %q", d, got, want)
		}
	}
}

// Conditional lines keepalived adds for states and settings the golden
// captures do not cover.
func TestInstanceVariants(t *testing.T) {
	base := instance("VI_9", "eth0", 9, 100, "10.0.0.1")
	tests := []struct {
		name   string
		mod    func(*Instance)
		has    []string
		hasnot []string
	}{
		{"v3 backup shows the master's interval", func(v *Instance) {
			v.Version, v.State = 3, Backup
			v.MasterRouter, v.MasterPriority = addr("10.0.0.2"), 200
			v.AdvertInterval, v.MasterAdvertInt = 100*time.Millisecond, 250*time.Millisecond
		}, []string{"   Master router = 10.0.0.2", "   Advert interval = 100 milli-sec", "   Master advert interval = 250 milli-sec"},
			[]string{"Authentication type"}},
		{"v2 without authentication", func(v *Instance) {}, []string{"   Authentication type = none", "   Flags: none"}, []string{"Password"}},
		{"notify_deleted and scripts in order", func(v *Instance) {
			v.NotifyDeleted = true
			v.Notify = NotifyScripts{Generic: "'/g'", Fault: "'/f'", Master: "'/m'", UID: 5, GID: 6}
		}, []string{"   Notify deleted = Deleted\n   Master state transition script = '/m', uid:gid 5:6\n   Fault state transition script = '/f', uid:gid 5:6\n   Generic state transition script = '/g', uid:gid 5:6\n"}, nil},
		// keepalived 2.2.7 with vrrp_skip_check_adv_addr (observed in
		// test/vrrp's TestDumps): an empty "Flags:" and the line after
		// the interface.
		{"skip_check_adv_addr", func(v *Instance) { v.SkipCheckAdvAddr = true },
			[]string{"   Flags:\n   Wantstate", "   Interface = eth0\n   Skip checking advert IP addresses\n   Using src_ip"}, []string{"Flags: none"}},
		{"fault", func(v *Instance) { v.State = Fault }, []string{"   State = FAULT\n   Flags: none"}, []string{"Master router"}},
		{"tracked files and rules", func(v *Instance) {
			v.TrackFiles = []Tracked{{"tf", 3}}
			v.Rules = []string{"from 10.0.0.0/8 table 100"}
		}, []string{"   Virtual Rules :\n     from 10.0.0.0/8 table 100\n", "   Tracked files :\n     tf, weight 3\n"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := base
			tc.mod(&v)
			var b bytes.Buffer
			WriteData(&b, &Snapshot{Global: DefaultGlobal(), Instances: []Instance{v}})
			out := b.String()
			for _, s := range tc.has {
				if !strings.Contains(out, s) {
					t.Errorf("missing %q", s)
				}
			}
			for _, s := range tc.hasnot {
				if strings.Contains(out, s) {
					t.Errorf("unexpected %q", s)
				}
			}
		})
	}
}

// An empty snapshot is the global section alone and an empty JSON array,
// as keepalived writes with no instances.
func TestEmpty(t *testing.T) {
	var d, j, s bytes.Buffer
	snap := &Snapshot{Global: DefaultGlobal()}
	WriteData(&d, snap)
	WriteJSON(&j, snap)
	WriteStats(&s, snap)
	if strings.Contains(d.String(), "------< VRRP") || !strings.HasSuffix(d.String(), " umask = 0177\n") {
		t.Errorf("data:\n%s", d.String())
	}
	if j.String() != "[]\n" || s.Len() != 0 {
		t.Errorf("json %q, stats %q", j.String(), s.String())
	}
}

func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("TMPDIR", dir)
	if Dir() != dir {
		t.Fatalf("Dir() = %q with TMPDIR=%q", Dir(), dir)
	}
	snap := &Snapshot{Instances: []Instance{{Name: "VI_1"}}}
	for i := 0; i < 2; i++ { // the second write replaces the first
		if err := WriteFile(Dir(), StatsFile, func(w io.Writer) error { return WriteStats(w, snap) }); err != nil {
			t.Fatal(err)
		}
	}
	p := filepath.Join(dir, StatsFile)
	fi, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want -rw------- as keepalived's", fi.Mode())
	}
	b, _ := os.ReadFile(p)
	if !strings.HasPrefix(string(b), "VRRP Instance: VI_1\n") {
		t.Errorf("content %q", b)
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 1 {
		t.Errorf("left-over files: %v", ents)
	}
	t.Setenv("TMPDIR", "")
	if Dir() != "/tmp" {
		t.Errorf("Dir() without TMPDIR = %q", Dir())
	}
}
