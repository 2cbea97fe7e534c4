package dump

import (
	"bytes"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestCheckGolden: keepalived 2.2.7's keepalived_check.data of its
// checker run with --all and no virtual server (testdata/check_*,
// capture_check.sh) is its parent's global section; ours for the same
// global_defs, byte for byte.
func TestCheckGolden(t *testing.T) {
	empty := *parentGlobal(DefaultGlobal())
	empty.RouterID = "CHECK_EMPTY"
	empty.Firewall = debianFirewall

	on := true
	globals := *parentGlobal(DefaultGlobal())
	globals.RouterID = "LVS_1"
	globals.SMTPServer, globals.SMTPPort, globals.SMTPHelo = "192.168.200.1", 2525, "mail.example.com"
	globals.SMTPTimeout = 7 * time.Second
	globals.EmailFrom, globals.EmailTo = "lvs@example.com", []string{"ops@example.com", "noc@example.com"}
	globals.SMTPAlertCheck = &on
	globals.CheckerLogAll, globals.LVSFlush, globals.LVSFlushOnStop = true, true, "VS"
	globals.MaxAutoPriority = -1
	globals.CheckerProcess.Priority, globals.CheckerProcess.NoSwap = -5, true
	globals.Umask = 0o22
	globals.Firewall = debianFirewall

	for _, c := range []struct {
		dir string
		g   Global
	}{{"check_empty", empty}, {"check_globals", globals}} {
		t.Run(c.dir, func(t *testing.T) {
			var got bytes.Buffer
			if err := WriteCheckData(&got, &CheckSnapshot{Global: c.g, LVSVersion: "1.2.1"}); err != nil {
				t.Fatal(err)
			}
			for _, name := range []string{CheckDataFile, ParentDataFile} {
				want, err := os.ReadFile(filepath.Join("testdata", c.dir, name))
				if err != nil {
					t.Fatal(err)
				}
				if *update {
					os.WriteFile(filepath.Join("testdata", c.dir, name+".ours"), got.Bytes(), 0o644)
				}
				if got.String() != string(want) {
					t.Errorf("%s differs from keepalived's:\n%s", name, lineDiff(string(want), got.String()))
				}
			}
		})
	}
}

// checkLines writes s and returns its lines after the global section.
func checkLines(t *testing.T, s *CheckSnapshot) []string {
	t.Helper()
	var b bytes.Buffer
	if err := WriteCheckData(&b, s); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, " umask = ") {
			return lines[i+1:]
		}
	}
	t.Fatalf("no global section:\n%s", b.String())
	return nil
}

// TestCheckForwarding: keepalived's dump_forwarding_method, whose GUE
// and GRE forms and unset method leave the prefix out.
func TestCheckForwarding(t *testing.T) {
	for _, c := range []struct {
		f    Forwarding
		want string
	}{
		{Forwarding{Method: "NAT"}, "   default forwarding method = NAT"},
		{Forwarding{Method: "DR"}, "   default forwarding method = DR"},
		{Forwarding{Method: "TUN"}, "   default forwarding method = TUN, type = IPIP"},
		{Forwarding{Method: "TUN", TunnelType: "ipip"}, "   default forwarding method = TUN, type = IPIP"},
		{Forwarding{Method: "TUN", TunnelType: "gue", TunnelPort: 6080}, "   forwarding method = TUN, type = GUE, port = 6080, no checksum"},
		{Forwarding{Method: "TUN", TunnelType: "gue", TunnelPort: 6080, TunnelCsum: "remcsum"}, "   forwarding method = TUN, type = GUE, port = 6080, remote checksum"},
		{Forwarding{Method: "TUN", TunnelType: "gre", TunnelCsum: "csum"}, "   forwarding method = TUN, type = GRE, checksum"},
		{Forwarding{}, "   forwarding method =  0x7"},
	} {
		lines := checkLines(t, &CheckSnapshot{Servers: []VirtualServer{{Forwarding: c.f}}})
		found := false
		for _, l := range lines {
			found = found || l == c.want
		}
		if !found {
			t.Errorf("%+v: no %q in\n%s", c.f, c.want, strings.Join(lines, "\n"))
		}
	}
}

// TestCheckVirtualServerLines: the lines of a virtual server that
// depend on its settings.
func TestCheckVirtualServerLines(t *testing.T) {
	retry, dbr := uint32(3), 2500*time.Millisecond
	for _, c := range []struct {
		name string
		vs   VirtualServer
		want []string
		not  []string
	}{
		{"sh scheduler flags", VirtualServer{Scheduler: "sh", Flags: SvcSched2},
			[]string{"   sh-port = enabled", "   sh-fallback = disabled"}, []string{"   flag-1 = disabled"}},
		{"mh scheduler flags", VirtualServer{Scheduler: "mh", Flags: SvcSched1},
			[]string{"   mh-port = disabled", "   mh-fallback = enabled"}, nil},
		{"flags", VirtualServer{Scheduler: "wrr", Flags: SvcSched1 | SvcSched3},
			[]string{"   flag-1 = enabled", "   flag-2 = disabled", "   flag-3 = enabled"}, nil},
		{"ops on TCP", VirtualServer{Protocol: "TCP", Flags: SvcOnePacket},
			[]string{"   One packet scheduling = enabled (inactive due to not UDP)"}, nil},
		{"ops on UDP", VirtualServer{Protocol: "UDP", Flags: SvcOnePacket},
			[]string{"   One packet scheduling = enabled", "   protocol = UDP"}, nil},
		{"no protocol, family unknown", VirtualServer{IsFwmark: true, Fwmark: 5},
			[]string{" VS FWMARK = 5", "   protocol = none", "   Address family = unknown"}, []string{"   persistence timeout = 0"}},
		{"group of both families", VirtualServer{Group: "G", Name: "[G]:0", Family: "both"},
			[]string{" VS GROUP = [G]:0", "   Address family = IPv4 & IPv6"}, nil},
		{"timers", VirtualServer{Family: "inet6", ConnectTO: 1500 * time.Millisecond, DelayLoop: 6 * time.Second, Retry: &retry, DelayBeforeRetry: &dbr},
			[]string{"   Address family = inet6", "   connection timeout = 1.500000", "   delay_loop = 6.000000", "   Retry count = 3", "   Retry delay = 2.500000"},
			[]string{"   Warmup = "}},
		{"sorry server duplicating a real server", VirtualServer{Sorry: &SorryServer{Name: "[10.0.0.2]:tcp:80", DuplicatesRS: true, Forwarding: Forwarding{Method: "NAT"}, Inhibit: true}},
			[]string{"   sorry server (duplicates rs) = [10.0.0.2]:tcp:80", "     forwarding method = NAT", "     Inhibit on failure is ON"}, nil},
		{"scripts and suspend", VirtualServer{QuorumDown: &NotifyCmd{Cmd: "'/x' 'down'", UID: 7, GID: 8}, HASuspend: true, VirtualHost: "www", SNMPName: "s1"},
			[]string{"   Quorum down notify script = '/x' 'down', uid:gid 7:8", "   Using HA suspend", "   VirtualHost = www", "   SNMP name = 's1'"}, nil},
	} {
		lines := strings.Join(checkLines(t, &CheckSnapshot{Servers: []VirtualServer{c.vs}}), "\n") + "\n"
		for _, w := range c.want {
			if !strings.Contains(lines, w+"\n") {
				t.Errorf("%s: no %q in\n%s", c.name, w, lines)
			}
		}
		for _, n := range c.not {
			if strings.Contains(lines, n) {
				t.Errorf("%s: %q in\n%s", c.name, n, lines)
			}
		}
	}
}

// TestCheckURL: status code ranges, digest and regex lines of an url;
// any regex option set lists every option keepalived knows.
func TestCheckURL(t *testing.T) {
	max := uint64(99)
	c := Checker{Kind: CheckHTTP, HTTP: &HTTPCheck{Protocol: "1.1", VirtualHost: "vh", EnableSNI: true, URLs: []URL{
		{Path: "/a", Status: [][2]int{{200, 200}, {301, 302}, {599, 599}}, Digest: "00ff"},
		{Path: "/b", Status: [][2]int{{100, 599}}, VirtualHost: "b.example", Regex: "x+", RegexNoMatch: true, RegexMin: 3, RegexMax: &max,
			RegexOptions: true, RegexRefs: 2, RegexStack: &[2]uint64{32768, 65536}},
		{Path: "/c", Regex: "y", RegexMin: 4},
	}}}
	got := strings.Join(checkLines(t, &CheckSnapshot{Checkers: []Checker{c}}), "\n")
	want := strings.Join([]string{
		"   Keepalive method = HTTP_GET, http protocol 1.1",
		"   Virtualhost = vh",
		"   Enable SNI set",
		"   Fast recovery unset",
		"   Checked url = /a",
		"     digest = 00ff",
		"     HTTP Status Code(s)",
		"       200",
		"       301-302",
		"       599",
		"   Checked url = /b",
		"     HTTP Status Code(s)",
		"       100-599",
		"     Virtual host = b.example",
		`     Regex = "x+"`,
		"     Regex no match",
		"     Regex min offset = 3, max_offset = 99",
		"     Regex options: " + strings.Join(RegexOptionNames, " "),
		"     Regex ref count = 2",
		"     Regex stack start 32768, max 65536",
		"   Checked url = /c",
		"     HTTP Status Code(s)",
		`     Regex = "y"`,
		"     Regex min offset = 4",
		"     Regex options:",
		"     Regex ref count = 0",
	}, "\n")
	if !strings.HasSuffix(got, want) {
		t.Errorf("got\n%s\nwant the end to be\n%s", got, want)
	}
	if len(RegexOptionNames) != 24 || RegexOptionNames[3] != "caseless" {
		t.Errorf("keepalived 2.2.7 knows 24 options, caseless 4th: %q", RegexOptionNames)
	}
}

// TestCheckCheckerLines: the common part (no retry lines with 0
// retries, none of the timing for a FILE_CHECK), the connection and the
// kinds' own lines.
func TestCheckCheckerLines(t *testing.T) {
	conn := &Conn{Dst: netip.MustParseAddrPort("[fd00::2]:53"), BindTo: netip.MustParseAddrPort("[fd00::1]:0"), BindIf: "eth1", Fwmark: 3, Timeout: 2500 * time.Millisecond, LastErrno: 111}
	for _, c := range []struct {
		name string
		c    Checker
		want []string
		not  []string
	}{
		{"no retries", Checker{Kind: CheckMisc, Retry: 0, Misc: &MiscCheck{Script: NotifyCmd{Cmd: "'/bin/true'"}}},
			[]string{"   Retries = 0", "   Default delay before retry = 0 us", "   dynamic = NO", "   Last ran = 0.000000 ("}, []string{"Retries iterations", "Delay before retry ="}},
		{"file", Checker{Kind: CheckFile, HasRun: true, File: &FileCheck{File: "tf", Reloaded: true}},
			[]string{"   Has run = yes", "   Keepalive method = FILE_CHECK", "     Tracked file = tf", "     Reloaded = Yes"}, []string{"Alpha =", "Delay loop", "Retries"}},
		{"connection", Checker{Kind: CheckDNS, Conn: conn, DNS: &DNSCheck{Type: "AAAA", Name: "."}},
			[]string{"   Connection", "     Dest = [fd00::2]:53", "     Bind to = [fd00::1]:0", "     Bind i/f = eth1", "     Mark = 3", "     Timeout = 2.500000", "     Last errno = 111",
				"   Type = AAAA", "   Name = ."}, nil},
		{"udp without reply", Checker{Kind: CheckUDP, UDP: &UDPCheck{}},
			[]string{"   Payload specified = no", "   Require reply = no"}, []string{"Min reply length"}},
		{"udp reply without data", Checker{Kind: CheckUDP, UDP: &UDPCheck{PayloadLen: 4, RequireReply: true, MaxReply: 255}},
			[]string{"   Payload len = 4", "     Min reply length = 0", "     Max reply length = 255", "     Reply data len = 0"}, []string{"Reply data mask"}},
		{"bfd", Checker{Kind: CheckBFD, Alpha: true, Retry: ^uint32(0), RetryIt: ^uint32(0), DelayLoop: ^uint64(0), BFD: &BFDCheck{Name: "b1"}},
			[]string{"   Delay loop = 18446744073709551615 us", "   Retries = 4294967295", "   Retries iterations = 4294967295", "   Name = b1", "   Alpha is ON"}, nil},
		{"ssl", Checker{Kind: CheckSSL, HTTP: &HTTPCheck{Protocol: "1.0C"}}, []string{"   Keepalive method = SSL_GET, http protocol 1.0C"}, nil},
		{"ping", Checker{Kind: CheckPing, VSName: "FWM 1", RSName: "[10.0.0.2]:none:0"}, []string{" FWM 1 -> [10.0.0.2]:none:0", "   Keepalive method = PING_CHECK"}, nil},
	} {
		lines := strings.Join(checkLines(t, &CheckSnapshot{Checkers: []Checker{c.c}}), "\n") + "\n"
		if !strings.HasPrefix(lines, "------< Health checkers >------\n") {
			t.Errorf("%s: no section header:\n%s", c.name, lines)
		}
		for _, w := range c.want {
			if !strings.Contains(lines, w+"\n") && !strings.Contains(lines, w) {
				t.Errorf("%s: no %q in\n%s", c.name, w, lines)
			}
		}
		for _, n := range c.not {
			if strings.Contains(lines, n) {
				t.Errorf("%s: %q in\n%s", c.name, n, lines)
			}
		}
	}
}

// TestCheckSections: keepalived leaves out the sections it has nothing
// for, and prints them in its order.
func TestCheckSections(t *testing.T) {
	s := &CheckSnapshot{
		SSL: &SSL{}, LVSVersion: "1.2.1",
		Groups:     []VSGroup{{Name: "G", IPv6: true, Fwmarks: []VSGroupFwmark{{Mark: 4, Family: "inet6"}, {Mark: 5}}}},
		Servers:    []VirtualServer{{Group: "G", Name: "[G]:0"}},
		Checkers:   []Checker{{Kind: CheckTCP}},
		TrackFiles: []CheckTrackFile{{Name: "tf", Path: "/p", Status: -3, Weight: 5, Reverse: true}},
		TrackBFDs:  []CheckTrackBFD{{Name: "b1", Tracking: []string{"[10.0.0.2]:tcp:80"}}},
	}
	got := strings.Join(checkLines(t, s), "\n")
	for _, w := range []string{
		"------< SSL definitions >------\n Using autogen SSL context\n------< LVS Topology >------\n System is compiled with LVS v1.2.1\n ------< Virtual server group >------\n Virtual Server Group = G, IPv4 = no, IPv6 = yes\n   FWMARK = 4 IPv6\n     Alive: 0 IPv4, 0 IPv6\n     reloaded = False\n   FWMARK = 5\n",
		"------< Checker track files >------\n Track file = tf\n   File = /p\n   Status = -3\n   Weight = 5 reverse\n------< Checker track BFDs >------\n Checker Track BFD = b1\n   Tracking RS :\n   [10.0.0.2]:tcp:80",
	} {
		if !strings.Contains(got, w) {
			t.Errorf("no\n%s\nin\n%s", w, got)
		}
	}
	// Groups are shown only with the virtual servers, as in keepalived.
	if got := strings.Join(checkLines(t, &CheckSnapshot{Groups: s.Groups}), "\n"); got != "" {
		t.Errorf("groups without virtual servers:\n%s", got)
	}
}

func TestDecimal(t *testing.T) {
	for d, want := range map[time.Duration]string{0: "0.000000", time.Second: "1.000000", 1500 * time.Microsecond: "0.001500", 90 * time.Second: "90.000000"} {
		if got := decimal(d); got != want {
			t.Errorf("%v: %q, want %q", d, got, want)
		}
	}
}
