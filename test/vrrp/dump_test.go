package vrrptest

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gokeepalived/gokeepalived/test/netlab"
)

// TestDumps: keepalived's dump signals on the seed pair, with keepalived
// 2.2.7 beside ours. r1 (ours, MASTER 100) holds the VIP; r2 (ours) and
// r3 (keepalived 2.2.7), both BACKUP 80 on the same configuration, hear
// it. Each daemon writes in a TMPDIR of its own. Signalled at its parent
// pid:
//
//	SIGUSR1    keepalived.data and keepalived_parent.data
//	SIGUSR2    keepalived.stats
//	signal 36  keepalived.json
//	signal 63  keepalived.stats, then the counters start again from 0
//
// The two backups' files must be the same up to what differs between two
// hosts (addresses, times, socket numbers) and keepalived's firewall
// lines (ours manages no firewall).
func TestDumps(t *testing.T) {
	if err := netlab.CheckReference(); err != nil {
		t.Skipf("no reference keepalived: %v", err)
	}
	l := newLab(t, 3)
	dirs := []string{t.TempDir(), t.TempDir(), t.TempDir()}
	for _, d := range dirs {
		os.Chmod(d, 0o755)
	}
	m := l.StartEnv([]string{"TMPDIR=" + dirs[0]}, netlab.Ours, binary, 0, l.WriteConf("r1.conf", seedConf("MASTER", 100, "")))
	m.MustLine("(VI_1) Entering MASTER STATE", time.Time{}, startupTimeout)
	b := l.StartEnv([]string{"TMPDIR=" + dirs[1]}, netlab.Ours, binary, 1, l.WriteConf("r2.conf", seedConf("BACKUP", 80, "")))
	k := l.StartEnv([]string{"TMPDIR=" + dirs[2]}, netlab.Reference, "", 2, l.WriteConf("r3.conf", seedConf("BACKUP", 80, "")))
	b.MustLine("(VI_1) Entering BACKUP STATE (init)", time.Time{}, startupTimeout)
	k.MustLine("(VI_1) Entering BACKUP STATE (init)", time.Time{}, startupTimeout)
	// A few adverts reach the backups.
	time.Sleep(3 * advertInt)

	daemons := []*netlab.Daemon{m, b, k}
	files := map[string][3]string{}
	for _, f := range []struct {
		sig   syscall.Signal
		names []string
	}{
		{syscall.SIGUSR1, []string{"keepalived.data", "keepalived_parent.data"}},
		{syscall.SIGUSR2, []string{"keepalived.stats"}},
		{syscall.Signal(36), []string{"keepalived.json"}},
	} {
		for i, d := range daemons {
			d.Signal(f.sig)
			for _, n := range f.names {
				texts := files[n]
				texts[i] = waitFile(t, filepath.Join(dirs[i], n))
				files[n] = texts
			}
		}
	}

	data := files["keepalived.data"]
	for i, want := range []struct{ state, extra string }{
		{"   State = MASTER\n", "   Virtual IP (1):\n     192.168.0.248/24 dev eth0 scope global label eth0:0 set\n"},
		{"   State = BACKUP\n   Master router = 192.168.0.162\n   Master priority = 100\n", "     192.168.0.248/24 dev eth0 scope global label eth0:0\n"},
	} {
		for _, s := range []string{" VRRP Instance = VI_1\n", want.state, want.extra, " Router ID = LVS_DEVEL\n", "   Interface = eth0\n"} {
			if !strings.Contains(data[i], s) {
				t.Errorf("r%d keepalived.data lacks %q:\n%s", i+1, s, data[i])
			}
		}
	}
	// Real socket descriptors (keepalived's two, our one) and the
	// router's interface with the instance tracking it.
	for i := range data[:2] {
		for _, s := range []string{"   fd_in -1", " Name = eth0\n", "   Tracking VRRP instances :\n     VI_1, weight 0\n"} {
			if strings.Contains(data[i], s) == (s == "   fd_in -1") {
				t.Errorf("r%d keepalived.data: %q expected %v:\n%s", i+1, s, s != "   fd_in -1", data[i])
			}
		}
	}
	if got, want := sections(data[1]), sections(data[2]); !slices.Equal(got, want) {
		t.Errorf("keepalived.data sections: ours %q, keepalived %q", got, want)
	}
	// The global definitions and the instance are the same, but for
	// what two hosts cannot share.
	for _, sec := range []string{"------< Global definitions >------", "------< VRRP Topology >------"} {
		ours, theirs := hostNeutral(section(data[1], sec)), hostNeutral(section(data[2], sec))
		if ours != theirs {
			t.Errorf("%s differs from keepalived 2.2.7's:\n%s", sec, lineDiff(theirs, ours))
		}
	}
	parent := files["keepalived_parent.data"]
	if ours, theirs := hostNeutral(parent[1]), hostNeutral(parent[2]); ours != theirs || !strings.Contains(ours, " Router ID = LVS_DEVEL\n") {
		t.Errorf("keepalived_parent.data differs from keepalived 2.2.7's:\n%s", lineDiff(theirs, ours))
	}

	stats := files["keepalived.stats"]
	ms, bs, ks := statsOf(t, stats[0]), statsOf(t, stats[1]), statsOf(t, stats[2])
	if ms["Sent"] < 3 || ms["Became master"] != 1 || ms["Received"] != 0 {
		t.Errorf("master stats %v:\n%s", ms, stats[0])
	}
	if bs["Received"] < 2 || bs["Sent"] != 0 || bs["Became master"] != 0 {
		t.Errorf("backup stats %v:\n%s", bs, stats[1])
	}
	if ks["Received"] < 2 {
		t.Errorf("keepalived's backup stats %v:\n%s", ks, stats[2])
	}
	if a, b := statLabels(stats[1]), statLabels(stats[2]); !slices.Equal(a, b) {
		t.Errorf("keepalived.stats lines: ours %q, keepalived %q", a, b)
	}

	js := files["keepalived.json"]
	var ours, theirs []map[string]map[string]any
	if err := json.Unmarshal([]byte(js[0]), &ours); err != nil || len(ours) != 1 {
		t.Fatalf("master keepalived.json %v: %s", err, js[0])
	}
	if d, s := ours[0]["data"], ours[0]["stats"]; d["iname"] != "VI_1" || d["state"] != 2.0 || d["vipset"] != true || s["advert_sent"].(float64) < 3 {
		t.Errorf("master keepalived.json: %s", js[0])
	}
	if err := json.Unmarshal([]byte(js[1]), &ours); err != nil || len(ours) != 1 {
		t.Fatalf("backup keepalived.json %v: %s", err, js[1])
	}
	if err := json.Unmarshal([]byte(js[2]), &theirs); err != nil || len(theirs) != 1 {
		t.Fatalf("keepalived's keepalived.json %v: %s", err, js[2])
	}
	for _, part := range []string{"data", "stats"} {
		if a, b := keys(ours[0][part]), keys(theirs[0][part]); !slices.Equal(a, b) {
			t.Errorf("keepalived.json %s members: ours %q, keepalived %q", part, a, b)
		}
	}
	if d := ours[0]["data"]; d["state"] != 1.0 || d["master_priority"] != 100.0 || d["vipset"] != false {
		t.Errorf("backup keepalived.json: %s", js[1])
	}

	// Signal 63: the stats as they are, then counting from zero, as
	// keepalived does (checked on its backup too).
	clear := func(i int, d *netlab.Daemon) (before, after map[string]int) {
		statsFile := filepath.Join(dirs[i], "keepalived.stats")
		os.Remove(statsFile)
		d.Signal(syscall.Signal(63))
		before = statsOf(t, waitFile(t, statsFile))
		os.Remove(statsFile)
		d.Signal(syscall.SIGUSR2)
		return before, statsOf(t, waitFile(t, statsFile))
	}
	before, after := clear(0, m)
	if before["Sent"] < ms["Sent"] || after["Sent"] > 1 || after["Became master"] != 0 {
		t.Errorf("stats before clear %v, after %v", before, after)
	}
	for i, d := range daemons[1:] {
		before, after := clear(i+1, d)
		if before["Received"] < 2 || after["Received"] > 1 {
			t.Errorf("%s: stats before clear %v, after %v", d.Name, before, after)
		}
	}
	// The lines keepalived logs for each, with the writer's pid.
	for _, d := range daemons {
		for line, n := range map[string]int{"Printing parent data for process(": 1, "Printing VRRP data for process(": 1,
			"Printing VRRP stats for process(": 2, "Printing VRRP as json for process(": 1, "Printing and clearing VRRP stats for process(": 1} {
			if d.Count(line) != n {
				t.Errorf("%s logged %q %d times, want %d", d.Name, line, d.Count(line), n)
			}
		}
	}
	for i, d := range daemons[:2] {
		if d.Exited() {
			t.Errorf("r%d exited on the dump signals:\n%s", i+1, d.LogText())
		}
	}
}

// waitFile waits for a dump file to appear (the signal is handled
// asynchronously) and returns its text.
func waitFile(t *testing.T, path string) string {
	t.Helper()
	deadline := time.Now().Add(3 * time.Second)
	for {
		b, err := os.ReadFile(path)
		if err == nil && len(b) > 0 {
			return string(b)
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s not written: %v", path, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// sections lists a data file's section headings.
func sections(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.HasPrefix(l, "------<") {
			out = append(out, l)
		}
	}
	return out
}

// section is one section of a data file, heading included.
func section(s, head string) string {
	i := strings.Index(s, head+"\n")
	if i < 0 {
		return ""
	}
	rest := s[i+len(head)+1:]
	if j := strings.Index(rest, "------<"); j >= 0 {
		rest = rest[:j]
	}
	return head + "\n" + rest
}

var (
	dumpTimeRE = regexp.MustCompile(`\d{9,}\.\d{6} \([^)]*\)`)
	dumpFdRE   = regexp.MustCompile(`fd_in \d+(,| fd_out =) (fd_out )?\d+`)
	dumpSrcRE  = regexp.MustCompile(`Using src_ip = \S+`)
)

// hostNeutral removes what two hosts running the same configuration
// cannot share: times, socket descriptors, the source address; and
// keepalived's build-dependent firewall lines.
func hostNeutral(s string) string {
	s = dumpTimeRE.ReplaceAllString(s, "TIME")
	s = dumpFdRE.ReplaceAllString(s, "FDS")
	s = dumpSrcRE.ReplaceAllString(s, "Using src_ip = SRC")
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l == " nftables without counters" || strings.HasPrefix(l, " libnftnl version") {
			continue
		}
		out = append(out, l)
	}
	return strings.Join(out, "\n")
}

func lineDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	n := 0
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			b.WriteString("  keepalived: " + strconv.Quote(w) + "\n  ours:       " + strconv.Quote(g) + "\n")
			if n++; n == 10 {
				break
			}
		}
	}
	return b.String()
}

// statsOf reads a keepalived.stats of one instance: the first value of
// each label ("Received" is the adverts', before the priority-0 one).
func statsOf(t *testing.T, s string) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, l := range strings.Split(s, "\n") {
		k, v, ok := strings.Cut(strings.TrimSpace(l), ": ")
		if !ok {
			continue
		}
		n, err := strconv.Atoi(v)
		if err != nil {
			continue
		}
		if _, seen := out[k]; !seen {
			out[k] = n
		}
	}
	if len(out) == 0 {
		t.Fatalf("no counters in %q", s)
	}
	return out
}

// statLabels are a stats file's lines without their numbers.
func statLabels(s string) []string {
	var out []string
	for _, l := range strings.Split(strings.TrimSpace(s), "\n") {
		k, _, _ := strings.Cut(l, ": ")
		out = append(out, k)
	}
	return out
}

func keys(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
