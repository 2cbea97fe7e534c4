package config

import (
	"bufio"
	"flag"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Golden cases for global_defs and the address/route/rule grammars. Each
// case is one configuration; its expected messages and `-t` exit code were
// produced by Debian's keepalived 2.2.7 (`go test -run Golden -update-ka`
// regenerates them, as root, inside a network namespace that has eth0 and
// eth1). The normal run checks that we print the same messages and give
// the same verdict.
//
// Case file syntax (testdata/{global,net}/cases.txt):
//
//	KIND: TEXT           one case; "\n" in TEXT separates lines
//	--- rc=N             keepalived's exit code, then its messages
//
// KIND wraps TEXT: g = global_defs { }, s = static_ipaddress { },
// r = static_routes { }, u = static_rules { }, t = as is. A '!' after the
// kind (g!:) marks a deliberate difference: we must accept the case
// silently whatever keepalived said. A '~' (g~:) marks a known difference
// in wording only: the verdict must still be keepalived's.

var updateKA = flag.Bool("update-ka", false, "regenerate golden expectations by running /usr/sbin/keepalived -t")

type goldenCase struct {
	kind     string
	text     string
	improved bool
	wording  bool
	rc       int
	want     []string
}

func (g goldenCase) config() string {
	body := strings.ReplaceAll(g.text, `\n`, "\n")
	switch g.kind {
	case "g":
		return "global_defs {\n " + body + "\n}\n"
	case "s":
		return "static_ipaddress {\n " + body + "\n}\n"
	case "r":
		return "static_routes {\n " + body + "\n}\n"
	case "u":
		return "static_rules {\n " + body + "\n}\n"
	}
	return body + "\n"
}

func (g goldenCase) header() string {
	k := g.kind
	if g.improved {
		k += "!"
	}
	if g.wording {
		k += "~"
	}
	return k + ": " + g.text
}

func readGolden(t *testing.T, path string) []goldenCase {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []goldenCase
	head := regexp.MustCompile(`^([gsrut])([!~]?): (.*)$`)
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
		case head.MatchString(line):
			m := head.FindStringSubmatch(line)
			out = append(out, goldenCase{kind: m[1], improved: m[2] == "!", wording: m[2] == "~", text: m[3], rc: -1})
		case strings.HasPrefix(line, "--- rc="):
			rc, err := strconv.Atoi(strings.TrimPrefix(line, "--- rc="))
			if err != nil || len(out) == 0 {
				t.Fatalf("%s: bad line %q", path, line)
			}
			out[len(out)-1].rc = rc
		default:
			if len(out) == 0 {
				t.Fatalf("%s: message before any case: %q", path, line)
			}
			out[len(out)-1].want = append(out[len(out)-1].want, line)
		}
	}
	return out
}

func writeGolden(t *testing.T, path string, cases []goldenCase) {
	t.Helper()
	old, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// Keep the leading comment block.
	var b strings.Builder
	for _, l := range strings.Split(string(old), "\n") {
		if !strings.HasPrefix(l, "#") {
			break
		}
		b.WriteString(l + "\n")
	}
	for _, c := range cases {
		fmt.Fprintf(&b, "\n%s\n--- rc=%d\n", c.header(), c.rc)
		for _, w := range c.want {
			b.WriteString(w + "\n")
		}
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// testHost is the machine the golden cases were recorded on, as far as the
// checks ask: eth0 and eth1 exist; root and nobody/nogroup exist.
func testHost() FakeHost {
	return FakeHost{
		Interfaces: []string{"lo", "eth0", "eth1"},
		Users:      map[string][2]int{"root": {0, 0}, "nobody": {65534, 65534}},
		Groups:     map[string]int{"root": 0, "nogroup": 65534},
		Files:      map[string]os.FileInfo{"/bin/true": fakeFile{}, "/bin/false": fakeFile{}},
		Name:       "testhost",
	}
}

// ourMessages renders diagnostics the way the golden files hold
// keepalived's: "(Line N) text", positionless ones bare.
// Identical lines are shown once, as the recorded keepalived output is
// (keepalived reads the file several times and repeats its messages).
func ourMessages(ds Diagnostics) []string {
	var out []string
	seen := map[string]bool{}
	for _, d := range ds {
		if d.Class == ClassInfo {
			continue // keepalived -t does not print its LOG_INFO messages
		}
		m := d.Msg
		if m == "Non-existent interface specified in configuration" {
			continue // the recorder leaves keepalived's summary line out too
		}
		if d.Pos.Line > 0 {
			m = fmt.Sprintf("(Line %d) %s", d.Pos.Line, d.Msg)
		}
		if !seen[m] {
			seen[m] = true
			out = append(out, m)
		}
	}
	return out
}

// kaExitAsOurs maps keepalived's recorded exit status onto ours; they are
// the same codes (2 for an aborted read, 4, 5, 6).
func kaExitAsOurs(rc int) int { return rc }

func sortedCopy(s []string) []string {
	c := append([]string(nil), s...)
	sort.Strings(c)
	return c
}

func runGolden(t *testing.T, path string) {
	cases := readGolden(t, path)
	if *updateKA {
		recordKeepalived(t, cases)
		writeGolden(t, path, cases)
		return
	}
	old := numCPUs
	numCPUs = func() int { return 2 }
	defer func() { numCPUs = old }()
	for _, gc := range cases {
		t.Run(gc.header(), func(t *testing.T) {
			if gc.rc < 0 {
				t.Fatal("case has no recorded keepalived result (run with -update-ka)")
			}
			_, ds := Parse("keepalived.conf", []byte(gc.config()), Options{Host: testHost()})
			got := ourMessages(ds)
			want, wantRC := gc.want, kaExitAsOurs(gc.rc)
			if gc.improved {
				want, wantRC = nil, ExitOK
			}
			if gc.wording {
				t.Logf("known wording difference\ngot:  %q\nkeepalived: %q", got, want)
			} else if strings.Join(sortedCopy(got), "\n") != strings.Join(sortedCopy(want), "\n") {
				t.Errorf("messages differ\nconfig:\n%s\ngot:\n  %s\nwant (keepalived 2.2.7):\n  %s",
					gc.config(), strings.Join(got, "\n  "), strings.Join(want, "\n  "))
			}
			if rc := ds.ExitCode(); rc != wantRC {
				t.Errorf("exit code %d, want %d", rc, wantRC)
			}
		})
	}
}

// recordKeepalived runs each case through keepalived -t in a fresh network
// namespace with eth0 and eth1, and stores its messages and exit code.
func recordKeepalived(t *testing.T, cases []goldenCase) {
	if _, err := os.Stat("/usr/sbin/keepalived"); err != nil {
		t.Skip("keepalived not installed")
	}
	ns := fmt.Sprintf("gk-h2-%d-%d", os.Getpid(), rand.Intn(1e6))
	run := func(args ...string) {
		if out, err := exec.Command(args[0], args[1:]...).CombinedOutput(); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, out)
		}
	}
	run("ip", "netns", "add", ns)
	defer exec.Command("ip", "netns", "del", ns).Run()
	run("ip", "-n", ns, "link", "add", "eth0", "type", "veth", "peer", "name", "eth1")
	run("ip", "-n", ns, "link", "set", "lo", "up")
	dir := t.TempDir()
	prefix := regexp.MustCompile(`^\([^()]*: Line `)
	for i := range cases {
		f := filepath.Join(dir, "keepalived.conf")
		if err := os.WriteFile(f, []byte(cases[i].config()), 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command("ip", "netns", "exec", ns, "/usr/sbin/keepalived", "-t", "-f", f)
		out, _ := cmd.CombinedOutput()
		cases[i].rc = cmd.ProcessState.ExitCode()
		seen := map[string]bool{}
		cases[i].want = nil
		for _, l := range strings.Split(string(out), "\n") {
			l = prefix.ReplaceAllString(strings.TrimSpace(l), "(Line ")
			// keepalived's summary line after interface errors; the
			// per-line message carries the verdict.
			if l == "" || seen[l] || l == "Non-existent interface specified in configuration" {
				continue
			}
			seen[l] = true
			cases[i].want = append(cases[i].want, l)
		}
	}
}

func TestGlobalGolden(t *testing.T) { runGolden(t, "testdata/global/cases.txt") }

// fakeFile is an os.FileInfo for FakeHost.Files.
type fakeFile struct{}

func (fakeFile) Name() string       { return "f" }
func (fakeFile) Size() int64        { return 0 }
func (fakeFile) Mode() os.FileMode  { return 0o755 }
func (fakeFile) ModTime() time.Time { return time.Time{} }
func (fakeFile) IsDir() bool        { return false }
func (fakeFile) Sys() any           { return nil }

func parseGlobal(t *testing.T, body string) (*Config, Diagnostics) {
	t.Helper()
	return Parse("keepalived.conf", []byte("global_defs {\n"+body+"\n}\n"), Options{Host: testHost()})
}

// TestGlobalKeywordsComplete proves that every global_defs keyword of
// keepalived 2.2.7 (testdata/global/keywords.txt) is known to our table,
// and that the table holds nothing else.
func TestGlobalKeywordsComplete(t *testing.T) {
	data, err := os.ReadFile("testdata/global/keywords.txt")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{}
	for _, l := range strings.Split(string(data), "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			want[l] = true
		}
	}
	if len(want) < 120 {
		t.Fatalf("only %d keywords in the list", len(want))
	}
	for k := range want {
		if _, ok := globalTable.Entries[k]; !ok {
			t.Errorf("global_defs keyword %q is not in our table", k)
		}
	}
	for k := range globalTable.Entries {
		if !want[k] {
			t.Errorf("table has %q, which keepalived does not accept in global_defs", k)
		}
	}
	for _, k := range []string{"net_namespace", "net_namespace_ipvs", "namespace_with_ipsets", "use_pid_dir", "instance", "child_wait_time", "linkbeat_use_polling", "global_defs", "static_ipaddress", "static_routes", "static_rules"} {
		if _, ok := top().Entries[k]; !ok {
			t.Errorf("top-level keyword %q is not registered", k)
		}
	}
}

func TestGlobalDefaults(t *testing.T) {
	cfg, ds := parseGlobal(t, "")
	if len(ds) != 0 {
		t.Fatalf("unexpected diagnostics %v", ds)
	}
	g := cfg.Global
	checks := []struct {
		name      string
		got, want any
	}{
		{"router_id from host name", g.RouterID, "testhost"},
		{"smtp port", g.SMTPPort, 25},
		{"smtp_connect_timeout", g.SMTPConnectTimeout, 30},
		{"mcast4", g.VRRPMcastGroup4.String(), "224.0.0.18"},
		{"mcast6", g.VRRPMcastGroup6.String(), "ff02::12"},
		{"default_interface", g.DefaultInterface, "eth0"},
		{"garp delay", g.VRRPGARPMasterDelay, 5},
		{"garp repeat", g.VRRPGARPMasterRepeat, 5},
		{"garp refresh", g.VRRPGARPMasterRefresh, 0},
		{"garp refresh repeat", g.VRRPGARPMasterRefreshRepeat, 1},
		{"lower prio delay follows master", g.VRRPGARPLowerPrioDelay, 5},
		{"lower prio repeat follows master", g.VRRPGARPLowerPrioRepeat, 5},
		{"garp interval", g.VRRPGARPIntervalUsec, int64(0)},
		{"vrrp_version", g.VRRPVersion, 2},
		{"down timer adverts", g.VRRPDownTimerAdverts, 3},
		{"child_wait_time", g.ChildWaitTime, 5},
		{"min_auto_priority_delay", g.MinAutoPriorityDelay, 1000000},
		{"rlimit", g.VRRPProcess.RLimitRTTime, uint32(10000)},
		{"rx multiplier", g.VRRPRxBufsMultiplier, uint32(3)},
		{"nft start fwmark", g.NFTablesIPVSStartFwmark, uint32(1000)},
		{"no mail sender without smtp_server", g.NotificationEmailFrom, ""},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s: got %v, want %v", c.name, c.got, c.want)
		}
	}
}

// TestGlobalValues checks the typed model each keyword produces.
func TestGlobalValues(t *testing.T) {
	old := numCPUs
	numCPUs = func() int { return 4 }
	defer func() { numCPUs = old }()
	tests := []struct {
		body  string
		check func(g GlobalDefs) string
	}{
		{"router_id r1", func(g GlobalDefs) string { return eq(g.RouterID, "r1") }},
		{"smtp_server 10.0.0.1 2525\nsmtp_helo_name helo", func(g GlobalDefs) string {
			return eq(sp(g.SMTPServer, g.SMTPPort, g.SMTPHeloName, g.NotificationEmailFrom), "10.0.0.1 2525 helo keepalived@testhost")
		}},
		{"smtp_server 10.0.0.1", func(g GlobalDefs) string { return eq(g.SMTPHeloName, "testhost") }},
		{"notification_email {\n a@b c@d\n e@f\n}\nnotification_email {\n g@h\n}", func(g GlobalDefs) string {
			return eq(strings.Join(g.NotificationEmail, ","), "a@b,c@d,e@f,g@h")
		}},
		{"smtp_connect_timeout 0", func(g GlobalDefs) string { return eq(g.SMTPConnectTimeout, 1) }},
		{"smtp_alert false\nsmtp_alert_vrrp", func(g GlobalDefs) string {
			return eq(sp(*g.SMTPAlert, *g.SMTPAlertVRRP, g.SMTPAlertChecker == nil), "false true true")
		}},
		{"vrrp_mcast_group4 224.0.0.19\nvrrp_mcast_group6 ff02::13", func(g GlobalDefs) string {
			return eq(g.VRRPMcastGroup4.String()+" "+g.VRRPMcastGroup6.String(), "224.0.0.19 ff02::13")
		}},
		{"vrrp_mcast_group4 1.2.3.4", func(g GlobalDefs) string { return eq(g.VRRPMcastGroup4.String(), "224.0.0.18") }},
		{"vrrp_garp_master_delay 10\nvrrp_garp_master_repeat 3", func(g GlobalDefs) string {
			return eq(sp(g.VRRPGARPMasterDelay, g.VRRPGARPMasterRepeat, g.VRRPGARPLowerPrioDelay, g.VRRPGARPLowerPrioRepeat), "10 3 10 3")
		}},
		{"vrrp_garp_lower_prio_delay 0\nvrrp_garp_lower_prio_repeat 0", func(g GlobalDefs) string {
			return eq(sp(g.VRRPGARPLowerPrioDelay, g.VRRPGARPLowerPrioRepeat), "0 0")
		}},
		{"vrrp_garp_master_refresh 60\nvrrp_garp_master_refresh x", func(g GlobalDefs) string { return eq(g.VRRPGARPMasterRefresh, 0) }},
		{"vrrp_garp_interval 0.001\nvrrp_gna_interval 1.5", func(g GlobalDefs) string {
			return eq(sp(g.VRRPGARPIntervalUsec, g.VRRPGNAIntervalUsec), "1000 1500000")
		}},
		{"vrrp_garp_interval 0.0000005", func(g GlobalDefs) string { return eq(g.VRRPGARPIntervalUsec, int64(1)) }},
		// keepalived reads the padded text "15x0000" with strtoull: 15µs.
		{"vrrp_garp_interval 1.5x", func(g GlobalDefs) string { return eq(g.VRRPGARPIntervalUsec, int64(15)) }},
		// The deliberate improvement: 0 is accepted as "no delay".
		{"vrrp_garp_interval 0.5\nvrrp_garp_interval 0", func(g GlobalDefs) string { return eq(g.VRRPGARPIntervalUsec, int64(0)) }},
		{"vrrp_min_garp", func(g GlobalDefs) string {
			return eq(sp(g.VRRPMinGARP, g.VRRPGARPMasterRepeat, g.VRRPGARPMasterDelay, g.VRRPGARPMasterRefreshRepeat), "true 1 0 0")
		}},
		{"vrrp_garp_master_repeat 3\nvrrp_min_garp", func(g GlobalDefs) string { return eq(g.VRRPGARPMasterRepeat, 3) }},
		{"vrrp_min_garp false", func(g GlobalDefs) string { return eq(g.VRRPGARPMasterRepeat, 5) }},
		{"vrrp_garp_extra_if all 100", func(g GlobalDefs) string { return eq(sp(g.VRRPGARPExtraIf, g.VRRPGARPExtraIfAll), "100 true") }},
		{"vrrp_startup_delay 5.5", func(g GlobalDefs) string { return eq(g.VRRPStartupDelayUsec, int64(5500000)) }},
		{"vrrp_version 3\nvrrp_strict\nvrrp_lower_prio_no_advert false", func(g GlobalDefs) string {
			return eq(sp(g.VRRPVersion, g.VRRPStrict, *g.VRRPLowerPrioNoAdvert), "3 true false")
		}},
		{"vrrp_iptables in out", func(g GlobalDefs) string {
			return eq(sp(*g.VRRPIPTables, g.NFTables, g.NFTablesPriority), "{in out} keepalived -1")
		}},
		{"vrrp_iptables", func(g GlobalDefs) string { return eq(sp(*g.VRRPIPTables), "{INPUT OUTPUT}") }},
		{"nftables\nnftables_priority -5\nnftables_ipvs ipvs\nnftables_ipvs_start_fwmark 7", func(g GlobalDefs) string {
			return eq(sp(g.NFTables, g.NFTablesPriority, g.NFTablesIPVS, g.NFTablesIPVSStartFwmark), "keepalived -5 ipvs 7")
		}},
		{"max_auto_priority", func(g GlobalDefs) string { return eq(g.MaxAutoPriority, 99) }},
		{"max_auto_priority -1", func(g GlobalDefs) string { return eq(g.MaxAutoPriority, -1) }},
		{"vrrp_priority -5\nchecker_no_swap\nbfd_rt_priority 100\nvrrp_cpu_affinity 0 3\nchecker_rlimit_rtime 1", func(g GlobalDefs) string {
			return eq(sp(g.VRRPProcess.Priority, g.CheckerProcess.NoSwap, g.BFDProcess.RTPriority, g.VRRPProcess.CPUAffinity, g.CheckerProcess.RLimitRTTime), "-5 true 99 [0 3] 2")
		}},
		{"umask 027", func(g GlobalDefs) string { return eq(*g.Umask, uint32(0o27)) }},
		{"umask 0x12", func(g GlobalDefs) string { return eq(*g.Umask, uint32(0o22)) }},
		{"umask IWGRP | IWOTH|IXOTH", func(g GlobalDefs) string { return eq(*g.Umask, uint32(0o23)) }},
		{"random_seed 42", func(g GlobalDefs) string { return eq(*g.RandomSeed, uint32(42)) }},
		{"lvs_timeouts tcp 900 udp 300", func(g GlobalDefs) string {
			return eq(sp(*g.LVSTimeouts.TCP, g.LVSTimeouts.TCPFin == nil, *g.LVSTimeouts.UDP), "900 true 300")
		}},
		{"lvs_sync_daemon eth0 inst VI_1 id 5 maxlen 100 port 8848 ttl 2 group 224.0.0.81", func(g GlobalDefs) string {
			s := g.LVSSyncDaemon
			return eq(sp(s.Interface, s.Instance, *s.SyncID, s.MaxLen, s.Port, s.TTL, s.Group), "eth0 VI_1 5 100 8848 2 224.0.0.81")
		}},
		{"lvs_sync_daemon eth1 VI_2 7", func(g GlobalDefs) string {
			return eq(sp(g.LVSSyncDaemon.Instance, *g.LVSSyncDaemon.SyncID), "VI_2 7")
		}},
		{"lvs_flush\nlvs_flush_onstop VS", func(g GlobalDefs) string { return eq(sp(g.LVSFlush, g.LVSFlushOnStop), "true vs") }},
		{"lvs_flush_on_stop", func(g GlobalDefs) string { return eq(g.LVSFlushOnStop, "full") }},
		{"enable_snmp_keepalived\nenable_snmp_rfc\nsnmp_socket udp:1.2.3.4:705\nenable_dbus\ndbus_service_name org.x", func(g GlobalDefs) string {
			return eq(sp(g.EnableSNMPVRRP, g.EnableSNMPRFCv2, g.EnableSNMPRFCv3, g.SNMPSocket, g.EnableDBus, g.DBusServiceName), "true true true udp:1.2.3.4:705 true org.x")
		}},
		{"script_user nobody nogroup\nenable_script_security", func(g GlobalDefs) string {
			return eq(sp(g.ScriptUser, g.ScriptGroup, g.EnableScriptSecurity), "nobody nogroup true")
		}},
		{"vrrp_notify_fifo /run/f nobody\nvrrp_notify_fifo_script \"/bin/x 'a b'\" root", func(g GlobalDefs) string {
			f := g.VRRPNotifyFIFO
			return eq(fmt.Sprintf("%s %s %q %s", f.Name, f.User, f.Script, f.ScriptUser), `/run/f nobody ["/bin/x" "a b"] root`)
		}},
		{"startup_script \"/bin/true -x\" nobody\nshutdown_script_timeout 20\nshutdown_script /bin/false", func(g GlobalDefs) string {
			return eq(fmt.Sprintf("%q %s %d %d", g.StartupScript.Argv, g.StartupScript.User, g.StartupScriptTimeout, g.ShutdownScriptTimeout), `["/bin/true" "-x"] nobody 10 20`)
		}},
		{"vrrp_netlink_cmd_rcv_bufs 1048576\nvrrp_netlink_cmd_rcv_bufs_force\nvrrp_rx_bufs_policy 4096\nvrrp_rx_bufs_multiplier 4", func(g GlobalDefs) string {
			return eq(sp(g.VRRPNetlinkCmdRcvBufs, g.VRRPNetlinkCmdRcvBufsForce, g.VRRPRxBufsPolicy, g.VRRPRxBufsSize, g.VRRPRxBufsMultiplier), "1048576 true SIZE 4096 4")
		}},
		{"vrrp_rx_bufs_policy MTU ADVERT", func(g GlobalDefs) string { return eq(g.VRRPRxBufsPolicy, "MTU") }},
		{"reload_file\nreload_check_config\nreload_time_file /run/t\nreload_repeat", func(g GlobalDefs) string {
			return eq(sp(g.ReloadFile, g.ReloadCheckConfig, g.ReloadTimeFile, g.ReloadRepeat), DefaultReloadFile+" /dev/null /run/t true")
		}},
		{"include_check +match -wildcard_match", func(g GlobalDefs) string { return eq(sp(g.IncludeCheck), "[+match -wildcard_match]") }},
		{"process_names", func(g GlobalDefs) string {
			return eq(g.VRRPProcessName+" "+g.CheckerProcessName+" "+g.BFDProcessName, "keepalived_vrrp keepalived_ipvs keepalived_bfd")
		}},
		{"process_name 0123456789abcdefXYZ\nlvs_process_name lvs", func(g GlobalDefs) string {
			return eq(g.ProcessName+" "+g.CheckerProcessName, "0123456789abcde lvs")
		}},
		{"dynamic_interfaces allow_if_changes\ndefault_interface bond0", func(g GlobalDefs) string {
			return eq(sp(g.DynamicInterfaces, g.AllowIfChanges, g.DefaultInterface), "true true bond0")
		}},
		{"vmac_prefix vr\nvmac_addr_prefix va\ntmp_config_directory /tmp\nconfig_save_dir /var/x\ndata_use_instance", func(g GlobalDefs) string {
			return eq(sp(g.VMACPrefix, g.VMACAddrPrefix, g.TmpConfigDirectory, g.ConfigSaveDir, g.DataUseInstance), "vr va /tmp /var/x true")
		}},
	}
	for _, tc := range tests {
		t.Run(strings.ReplaceAll(tc.body, "\n", ";"), func(t *testing.T) {
			cfg, _ := parseGlobal(t, tc.body)
			if msg := tc.check(cfg.Global); msg != "" {
				t.Error(msg)
			}
		})
	}
}

func TestGlobalTopLevelValues(t *testing.T) {
	src := "net_namespace blue\nnet_namespace_ipvs\ninstance i1\nchild_wait_time 9\nlinkbeat_use_polling\nnamespace_with_ipsets\n"
	cfg, ds := Parse("keepalived.conf", []byte(src), Options{Host: testHost()})
	if len(ds) != 0 {
		t.Fatalf("diagnostics: %v", ds)
	}
	g := cfg.Global
	got := sp(g.NetNamespace, g.HasNetNamespaceIPVS, g.NetNamespaceIPVS == "", g.Instance, g.UsePIDDir, g.ChildWaitTime, g.LinkbeatUsePolling, g.NamespaceWithIPSets)
	if want := "blue true true i1 true 9 true true"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestGlobalScriptSecurity covers the startup/shutdown script rule: the
// violation needs a script that exists, runs as root, and no
// enable_script_security; the user is the one in force when the line is
// read.
func TestGlobalScriptSecurity(t *testing.T) {
	const violation = "SECURITY VIOLATION - start/shutdown scripts are being executed but script_security not enabled."
	tests := []struct {
		body string
		want bool
	}{
		{"startup_script /bin/true", true},
		{"shutdown_script /bin/true", true},
		{"startup_script /bin/true\nenable_script_security", false},
		{"startup_script /nonexistent", false},
		{"startup_script /bin/true nobody", false},
		{"script_user nobody\nstartup_script /bin/true", false},
		{"startup_script /bin/true\nscript_user nobody", true},
	}
	for _, tc := range tests {
		_, ds := parseGlobal(t, tc.body)
		got := false
		for _, d := range ds {
			if d.Msg == violation && d.Class == ClassSecurity {
				got = true
			}
		}
		if got != tc.want {
			t.Errorf("%q: violation %v, want %v (%v)", tc.body, got, tc.want, ds)
		}
		if got && ds.ExitCode() != ExitConfigTestS {
			t.Errorf("%q: exit %d, want %d", tc.body, ds.ExitCode(), ExitConfigTestS)
		}
	}
	// keepalved_script is the default user when it exists.
	h := testHost()
	h.Users["keepalived_script"] = [2]int{999, 999}
	_, ds := Parse("k.conf", []byte("global_defs {\nstartup_script /bin/true\n}\n"), Options{Host: h})
	if len(ds) != 0 {
		t.Errorf("with keepalived_script: %v", ds)
	}
}

func eq(got, want any) string {
	if fmt.Sprint(got) != fmt.Sprint(want) {
		return fmt.Sprintf("got %v, want %v", got, want)
	}
	return ""
}

// sp joins values with spaces (fmt.Sprintln without the newline).
func sp(a ...any) string { return strings.TrimSuffix(fmt.Sprintln(a...), "\n") }
