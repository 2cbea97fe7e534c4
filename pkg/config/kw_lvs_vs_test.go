package config

import (
	"encoding/hex"
	"encoding/json"
	"net/netip"
	"reflect"
	"strings"
	"testing"
	"time"
)

// Model tests for the LVS side: what each keyword stores, keepalived's
// defaults and the inheritance the LVS check resolves. Expected messages and
// verdicts were checked with /usr/sbin/keepalived -t (2.2.7); where
// keepalived does not finish (see the deviations table) the comment says so.

func parseLVS(t *testing.T, src string) (*Config, Diagnostics) {
	t.Helper()
	return Parse("lvs.conf", []byte(src), Options{Host: lvsTestHost{}})
}

// lvsErrs lists the non-informational diagnostics as "LINE|MSG".
func lvsErrs(ds Diagnostics) []string {
	var out []string
	for _, d := range ds {
		if d.Class != ClassInfo {
			out = append(out, strings.TrimPrefix(d.Pos.String()+" ", " ")+d.Msg)
		}
	}
	return out
}

func lvsMustNoErrs(t *testing.T, ds Diagnostics) {
	t.Helper()
	if e := lvsErrs(ds); len(e) > 0 {
		t.Fatalf("unexpected diagnostics:\n%s", strings.Join(e, "\n"))
	}
}

func lvsD(s string) time.Duration {
	v, err := time.ParseDuration(s)
	if err != nil {
		panic(err)
	}
	return v
}

// The LVS part of the seed notes (001): lb_algo/lb_kind are accepted
// silently by keepalived 2.2.7 (exit 0).
const seedHTTP = `virtual_server 172.20.0.248 80 {
    delay_loop 6
    lb_algo wrr
    lb_kind DR
    protocol TCP
    real_server 172.20.0.151 80 {
        weight 1
        HTTP_GET {
            url {
              path /index.html
            }
            connect_timeout 3
            retry 3
            delay_before_retry 3
        }
    }
    real_server 172.20.0.152 80 {
        weight 1
        TCP_CHECK {
            connect_timeout 3
        }
    }
}
`

func TestLVSSeedModel(t *testing.T) {
	cfg, ds := parseLVS(t, seedHTTP)
	lvsMustNoErrs(t, ds)
	if ds.ExitCode() != 0 {
		t.Fatalf("exit %d", ds.ExitCode())
	}
	if len(cfg.VirtualServers) != 1 {
		t.Fatalf("%d virtual servers", len(cfg.VirtualServers))
	}
	vs := cfg.VirtualServers[0]
	if vs.Addr != netip.MustParseAddr("172.20.0.248") || vs.Port != 80 || vs.Family != "inet" {
		t.Errorf("address %v port %d family %q", vs.Addr, vs.Port, vs.Family)
	}
	if vs.Scheduler != "wrr" || vs.Forwarding.Method != "DR" || vs.Protocol != "TCP" || vs.DelayLoop != 6*time.Second {
		t.Errorf("sched %q method %q proto %q delay %v", vs.Scheduler, vs.Forwarding.Method, vs.Protocol, vs.DelayLoop)
	}
	if vs.Quorum != 1 || vs.Hysteresis != 0 || vs.ConnectTimeout != 5*time.Second || *vs.SMTPAlert {
		t.Errorf("quorum %d hysteresis %d timeout %v smtp %v", vs.Quorum, vs.Hysteresis, vs.ConnectTimeout, *vs.SMTPAlert)
	}
	if vs.Name() != "[172.20.0.248]:tcp:80" {
		t.Errorf("name %q", vs.Name())
	}
	rs := vs.RealServers[0]
	if *rs.Weight != 1 || rs.Forwarding.Method != "DR" || *rs.DelayLoop != 6*time.Second || !*rs.SMTPAlert || *rs.Alpha || *rs.Inhibit {
		t.Errorf("rs %+v", rs)
	}
	h := rs.Checkers[0]
	if h.Type != CheckHTTP || len(h.HTTP.URLs) != 1 {
		t.Fatalf("checker %+v", h)
	}
	u := h.HTTP.URLs[0]
	if u.Path != "/index.html" || !reflect.DeepEqual(u.StatusCodes, []StatusRange{{200, 299}}) {
		t.Errorf("url %+v", u)
	}
	if *h.Conn.Timeout != 3*time.Second || *h.Retry != 3 || *h.DelayBeforeRetry != 3*time.Second ||
		*h.DelayLoop != 6*time.Second || *h.Warmup != 6*time.Second || *h.Alpha || h.HTTP.Protocol != "1.0" {
		t.Errorf("http timing timeout %v retry %d dbr %v loop %v warmup %v", *h.Conn.Timeout, *h.Retry, *h.DelayBeforeRetry, *h.DelayLoop, *h.Warmup)
	}
	// The model is what --dump-conf=json prints.
	js, err := json.Marshal(vs)
	if err != nil || !strings.Contains(string(js), `"lvs_sched":"wrr"`) || !strings.Contains(string(js), `"path":"/index.html"`) {
		t.Errorf("json %v: %s", err, js)
	}
	tc := vs.RealServers[1].Checkers[0]
	// TCP_CHECK defaults: retry 1, delay_before_retry 1s.
	if tc.Type != CheckTCP || *tc.Retry != 1 || *tc.DelayBeforeRetry != time.Second || *tc.Conn.Timeout != 3*time.Second {
		t.Errorf("tcp %+v retry %d dbr %v", tc, *tc.Retry, *tc.DelayBeforeRetry)
	}
}

func TestLVSInheritance(t *testing.T) {
	cfg, ds := parseLVS(t, `virtual_server 10.0.0.1 80 {
  lvs_sched rr
  lvs_method NAT
  protocol UDP
  delay_loop 10
  retry 4
  warmup 2.5
  delay_before_retry 7
  connect_timeout 9
  inhibit_on_failure
  alpha
  weight 3
  real_server 10.1.1.1 {
    DNS_CHECK {
    }
    MISC_CHECK {
      misc_path "/nonexistent/check.sh arg1 'two words'"
      misc_timeout 4
    }
  }
  real_server 10.1.1.2 81 {
    weight 0
    delay_loop 20
    alpha no
    inhibit_on_failure false
    DNS_CHECK {
      type mx
      name example.com
      retry 0
      delay_loop 30
    }
    UDP_CHECK {
    }
  }
}
`)
	lvsMustNoErrs(t, ds)
	vs := cfg.VirtualServers[0]
	r1, r2 := vs.RealServers[0], vs.RealServers[1]
	// NAT real servers without a port take the virtual server's.
	if r1.Port != 80 || r2.Port != 81 {
		t.Errorf("ports %d %d", r1.Port, r2.Port)
	}
	if *r1.Weight != 3 || *r2.Weight != 0 || !*r1.Alpha || *r2.Alpha || !*r1.Inhibit || *r2.Inhibit {
		t.Errorf("weights %d %d alpha %v %v inhibit %v %v", *r1.Weight, *r2.Weight, *r1.Alpha, *r2.Alpha, *r1.Inhibit, *r2.Inhibit)
	}
	if *r1.Retry != 4 || *r1.Warmup != lvsD("2.5s") || *r1.ConnectTimeout != 9*time.Second || *r2.DelayLoop != 20*time.Second {
		t.Errorf("r1 retry %d warmup %v timeout %v; r2 loop %v", *r1.Retry, *r1.Warmup, *r1.ConnectTimeout, *r2.DelayLoop)
	}
	// The MISC_CHECK script does not exist, so keepalived disables it.
	if len(r1.Checkers) != 1 {
		t.Fatalf("r1 checkers %d", len(r1.Checkers))
	}
	dns := r1.Checkers[0]
	if dns.DNS.Type != "SOA" || dns.DNS.Name != "." || *dns.Retry != 4 || *dns.DelayBeforeRetry != 7*time.Second || *dns.Warmup != lvsD("2.5s") || !*dns.Alpha {
		t.Errorf("dns1 %+v retry %d dbr %v", dns.DNS, *dns.Retry, *dns.DelayBeforeRetry)
	}
	dns2, udp := r2.Checkers[0], r2.Checkers[1]
	// DNS_CHECK: delay_before_retry defaults to its delay_loop when nothing
	// above sets it; here the virtual server does (7).
	if dns2.DNS.Type != "MX" || dns2.DNS.Name != "example.com" || *dns2.Retry != 0 || *dns2.DelayLoop != 30*time.Second || *dns2.DelayBeforeRetry != 7*time.Second {
		t.Errorf("dns2 %+v retry %d loop %v dbr %v", dns2.DNS, *dns2.Retry, *dns2.DelayLoop, *dns2.DelayBeforeRetry)
	}
	if udp.UDP.MaxReplyLen != 255 || udp.UDP.MinReplyLen != 0 || *udp.Warmup != lvsD("2.5s") || *udp.DelayLoop != 20*time.Second {
		t.Errorf("udp %+v", udp.UDP)
	}
}

func TestLVSCheckerDefaults(t *testing.T) {
	cfg, ds := parseLVS(t, `virtual_server 10.0.0.1 80 {
  lvs_sched rr
  lvs_method DR
  protocol TCP
  real_server 10.1.1.1 80 {
    DNS_CHECK {
    }
    MISC_CHECK {
      misc_path /bin/true
    }
    SSL_GET {
      url {
        path /
        digest 640205B7B0FC66C1EA91C463FAC6334D
        status_code 200 300-399 302
      }
      http_protocol 1.0c
      enable_sni
    }
    SMTP_CHECK {
    }
  }
}
`)
	// /bin/true exists: keepalived 2.2.7 exits 6 for the security violation.
	if got := lvsErrs(ds); !reflect.DeepEqual(got, []string{"SECURITY VIOLATION - check scripts are being executed but script_security not enabled."}) {
		t.Errorf("diagnostics %q", got)
	}
	if ds.ExitCode() != ExitConfigTestS {
		t.Errorf("exit %d", ds.ExitCode())
	}
	cs := cfg.VirtualServers[0].RealServers[0].Checkers
	if len(cs) != 4 {
		t.Fatalf("%d checkers", len(cs))
	}
	dns, misc, ssl, smtp := cs[0], cs[1], cs[2], cs[3]
	if *dns.Retry != 3 || *dns.DelayBeforeRetry != 60*time.Second || *dns.Warmup != 60*time.Second || *dns.Conn.Timeout != 5*time.Second {
		t.Errorf("dns retry %d dbr %v warmup %v", *dns.Retry, *dns.DelayBeforeRetry, *dns.Warmup)
	}
	if *misc.Retry != 0 || misc.Conn != nil || !reflect.DeepEqual(misc.Misc.Script.Argv, []string{"/bin/true"}) {
		t.Errorf("misc %+v", misc)
	}
	u := ssl.HTTP.URLs[0]
	if *ssl.Retry != 1 || *ssl.DelayBeforeRetry != 3*time.Second || ssl.HTTP.Protocol != "1.0C" || !ssl.HTTP.EnableSNI {
		t.Errorf("ssl %+v", ssl.HTTP)
	}
	if u.Digest != "640205b7b0fc66c1ea91c463fac6334d" || !reflect.DeepEqual(u.StatusCodes, []StatusRange{{200, 200}, {300, 399}}) {
		t.Errorf("url %+v", u)
	}
	if smtp.SMTP.HeloName != "smtpchecker.keepalived.org" || *smtp.Retry != 1 {
		t.Errorf("smtp %+v", smtp.SMTP)
	}
}

func TestLVSGroups(t *testing.T) {
	cfg, ds := parseLVS(t, `virtual_server_group G {
  10.0.0.1 80
  10.0.0.1-10 80
  10.0.0.250-10.0.1.5 0080
  10.0.2.8/29 80
}
virtual_server_group G6 {
  2001:db8::1-ff 443
  2001:db8::/126
  fwmark 8 inet6
  fwmark 9 inet
}
virtual_server group G {
  lvs_sched sh
  sh-port
  sh-fallback
  mh-port
  lvs_method TUN type gue port 5555 csum
  protocol TCP
  persistence_timeout
  persistence_granularity 255.255.255.0
  real_server 192.168.1.20 80 {
  }
}
`)
	lvsMustNoErrs(t, ds)
	if len(cfg.VirtualServerGroups) != 2 {
		t.Fatalf("%d groups", len(cfg.VirtualServerGroups))
	}
	g := cfg.VirtualServerGroups[0]
	want := []string{"10.0.0.1-10.0.0.1:80", "10.0.0.1-10.0.0.10:80", "10.0.0.250-10.0.1.5:80", "10.0.2.8-10.0.2.15:80"}
	var got []string
	for _, r := range g.Ranges {
		got = append(got, r.Start.String()+"-"+r.End.String()+":"+lvsItoa(int(r.Port)))
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ranges %q", got)
	}
	if len(g.Fwmarks) != 0 || !g.HasIPv4() || g.HasIPv6() {
		t.Errorf("fwmarks %+v", g.Fwmarks)
	}
	g6 := cfg.VirtualServerGroups[1]
	if len(g6.Fwmarks) != 2 || g6.Fwmarks[0].Mark != 8 || g6.Fwmarks[0].Family != "inet6" || g6.Fwmarks[1].Family != "inet" {
		t.Errorf("fwmarks %+v", g6.Fwmarks)
	}
	// An IPv4 fwmark with its family counts as IPv4 for the group.
	if g6.Ranges[0].End != netip.MustParseAddr("2001:db8::ff") || g6.Ranges[1].End != netip.MustParseAddr("2001:db8::3") || g6.Ranges[1].Port != 0 || !g6.HasIPv6() || !g6.HasIPv4() {
		t.Errorf("v6 ranges %+v %+v", g6.Ranges[0], g6.Ranges[1])
	}
	vs := cfg.VirtualServers[0]
	if vs.Group != g || vs.Name() != "[G]:0" {
		t.Errorf("group link %v name %q", vs.Group, vs.Name())
	}
	// sh-* apply because lvs_sched sh came first; mh-port is silently
	// ignored for sh.
	if !vs.SHPort || !vs.SHFallbk || vs.MHPort {
		t.Errorf("flags sh %v %v mh %v", vs.SHPort, vs.SHFallbk, vs.MHPort)
	}
	if vs.Forwarding != (Forwarding{Method: "TUN", TunnelType: "gue", TunnelPort: 5555, TunnelCsum: "csum"}) {
		t.Errorf("forwarding %+v", vs.Forwarding)
	}
	if vs.PersistenceTimeout != 360 || vs.PersistenceGranularity != "255.255.255.0" || vs.Family != "inet" {
		t.Errorf("persistence %d %q family %q", vs.PersistenceTimeout, vs.PersistenceGranularity, vs.Family)
	}
	if rs := vs.RealServers[0]; rs.Forwarding != vs.Forwarding {
		t.Errorf("rs forwarding %+v", rs.Forwarding)
	}
}

func lvsItoa(i int) string {
	if i == 0 {
		return "0"
	}
	s := ""
	for ; i > 0; i /= 10 {
		s = string(rune('0'+i%10)) + s
	}
	return s
}

func TestLVSSSLAndSorry(t *testing.T) {
	cfg, ds := parseLVS(t, `SSL {
  password secret
  ca /etc/ca.pem
  certificate /etc/c.pem
  key /etc/k.pem
}
virtual_server fwmark 5 {
  lvs_sched wlc
  lvs_method DR
  sorry_server 10.0.0.9 8080
  sorry_server_inhibit
  sorry_server_lvs_method NAT
  real_server 192.168.1.20 {
    notify_up "/usr/local/bin/up.sh 'a b' c" nobody nogroup
    notify_down /nonexistent/down.sh
  }
}
`)
	lvsMustNoErrs(t, ds)
	s := cfg.SSL()
	if s == nil || s.Password != "secret" || s.CAFile != "/etc/ca.pem" || s.Certificate != "/etc/c.pem" || s.Key != "/etc/k.pem" {
		t.Errorf("ssl %+v", s)
	}
	vs := cfg.VirtualServers[0]
	if !vs.IsFwmark || vs.Fwmark != 5 || vs.Family != "inet" || vs.Name() != "FWM 5" {
		t.Errorf("vs %+v", vs)
	}
	ss := vs.SorryServer
	if ss == nil || ss.Addr != netip.MustParseAddr("10.0.0.9") || ss.Port != 8080 || !*ss.Inhibit || ss.Forwarding.Method != "NAT" {
		t.Errorf("sorry %+v", ss)
	}
	rs := vs.RealServers[0]
	if got := rs.NotifyUp; got == nil || !reflect.DeepEqual(got.Argv, []string{"/usr/local/bin/up.sh", "a b", "c"}) || got.User != "nobody" || got.Group != "nogroup" {
		t.Errorf("notify_up %+v", got)
	}
	if rs.NotifyDown == nil || rs.NotifyDown.Argv[0] != "/nonexistent/down.sh" {
		t.Errorf("notify_down %+v", rs.NotifyDown)
	}
	other, _ := parseLVS(t, "")
	if other.SSL() != nil {
		t.Error("SSL block leaked into another configuration")
	}
}

func TestLVSFileAndBFDCheckers(t *testing.T) {
	// FILE_CHECK and BFD_CHECK name blocks defined earlier in the file; we
	// drive the real_server table directly so that this test does not depend
	// on the track_file / bfd_instance parsers. Messages as keepalived 2.2.7
	// printed them (golden case exp-f1 holds the whole file).
	c := &Ctx{Cfg: NewConfig(), Opts: Options{Host: lvsTestHost{}}}
	c.Cfg.TrackFiles = []*TrackFile{{Name: "tf1"}}
	c.Cfg.BFDInstances = []*BFDInstance{{Name: "bfd1"}}
	lines := []Line{}
	for i, s := range strings.Split(`real_server 192.168.1.20 80 {
FILE_CHECK {
track_file tf1
weight -3 reverse
}
FILE_CHECK {
track_file tf2
}
BFD_CHECK {
name bfd1
alpha
}
BFD_CHECK {
name bfd1
}
BFD_CHECK {
name bfd2
}
}`, "\n") {
		lines = append(lines, Line{Pos: Pos{File: "x", Line: i + 1}, Raw: s, Tokens: Tokenize(s)})
	}
	nodes := BuildTree(c, lines)
	vs := &VirtualServer{Protocol: "TCP"}
	Apply(c, nodes, vsTable, vs)
	if got := lvsErrs(c.Diags); !reflect.DeepEqual(got, []string{
		"(x: Line 7) track_file tf2 not found",
		"(x: Line 8) FILE_CHECK has no track_file specified - ignoring",
		"(x: Line 14) ([192.168.1.20]:tcp:80) BFD_CHECK - RS already monitoring bfd1",
		"(x: Line 17) ([192.168.1.20]:tcp:80) BFD_CHECK - BFD bfd2 not configured",
	}) {
		t.Errorf("diagnostics %q", got)
	}
	cs := vs.RealServers[0].Checkers
	if len(cs) != 2 || cs[0].File.TrackFile != "tf1" || *cs[0].File.Weight != -3 || !cs[0].File.Reverse ||
		cs[1].BFD.Name != "bfd1" || !*cs[1].Alpha {
		t.Errorf("checkers %+v", cs)
	}
}

func TestLVSHexStrings(t *testing.T) {
	for _, tc := range []struct {
		in         string
		mask       bool
		data, bits string
		ok         bool
	}{
		// The man page's example.
		{"Ab12f 3 456 546443123", false, "ab120f034506546443120" + "3", "", true},
		{"1x 2X", true, "1020", "0f0f", true},
		{"zz", true, "", "", false},
		{"1x", false, "", "", false},
	} {
		data, m, ok := lvsHexStr(strings.Fields(tc.in), tc.mask)
		if ok != tc.ok || hex.EncodeToString(data) != tc.data || hex.EncodeToString(m) != tc.bits {
			t.Errorf("%q: %x %x %v", tc.in, data, m, ok)
		}
	}
}

func TestLVSReaders(t *testing.T) {
	for _, tc := range []struct {
		word     string
		min, max uint64
		want     time.Duration
		ok       bool
		msgs     []string
	}{
		{"1.5", 1, 0, lvsD("1.5s"), true, nil},
		{".5", 0, 0, lvsD("0.5s"), true, nil},
		{"+2", 0, 0, 2 * time.Second, true, nil},
		{"1.0000001", 1, 0, time.Second, true, []string{"number '1.0000001' has too many decimal places"}},
		// Trailing junk: keepalived goes on with what strtoull read of
		// the text with the '.' removed and zeros added ("15x0000": 15µs).
		{"1.5x", 1, 0, 15 * time.Microsecond, true, []string{"invalid number '1.5x'"}},
		{"x", 0, 0, 0, true, []string{"invalid number 'x'"}},
		{"x", 1, 0, 0, false, []string{"invalid number 'x'"}},
		{"-1", 0, 0, 0, false, []string{"negative number '-1'"}},
		{"0", 1, connectTimeoutMaxMicros, 0, false, []string{"number '0' outside range [0.000001, 4294.967295]"}},
		{"0", 1, 0, 0, false, []string{"number '0' outside range [0.000001, 18446744073709.551614]"}},
		{"99999999999999999999", 1, 0, 0, false, []string{"number '99999999999999999999' outside unsigned decimal range"}},
	} {
		c := &Ctx{}
		n := &Node{Tokens: []Token{{Text: "delay_loop"}, {Text: tc.word}}}
		v, ok := c.TimerArg(n, 0, tc.min, tc.max, true)
		got := Micros(v)
		var msgs []string
		for _, d := range c.Diags {
			msgs = append(msgs, d.Msg)
		}
		if got != tc.want || ok != tc.ok || !reflect.DeepEqual(msgs, tc.msgs) {
			t.Errorf("timer %q [%d,%d]: %v %v %q", tc.word, tc.min, tc.max, got, ok, msgs)
		}
	}
	for _, tc := range []struct {
		word string
		want uint64
		ok   bool
		msg  string
	}{
		{"+5", 5, true, ""},
		{"05", 5, true, ""},
		{"-0", 0, false, "negative number '-0'"},
		{"0x10", 0, false, "invalid number '0x10'"},
		{"4294967296", 0, false, "number '4294967296' outside unsigned integer range"},
		{"70000", 0, false, "number '70000' outside range [0, 65535]"},
	} {
		c := &Ctx{}
		n := &Node{Tokens: []Token{{Text: "k"}, {Text: tc.word}}}
		got, ok := c.UintArg(n, 0, 0, 65535)
		msg := ""
		if len(c.Diags) > 0 {
			msg = c.Diags[0].Msg
		}
		if got != tc.want || ok != tc.ok || msg != tc.msg {
			t.Errorf("unsigned %q: %d %v %q", tc.word, got, ok, msg)
		}
	}
	for _, tc := range []struct {
		in   string
		want uint32
		ok   bool
	}{
		{"255.255.255.0", 0xffffff00, true},
		{"33", 33, true},
		{"1.2", 0x01000002, true},
		{"0x10.010.0.1", 0x10080001, true},
		{"256.0.0.0", 0, false},
		{"abc", 0, false},
		{"1.2.3.4.5", 0, false},
	} {
		got, ok := lvsInetAton(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("inet_aton %q: %#x %v", tc.in, got, ok)
		}
	}
}

// Where keepalived 2.2.7 itself does not get to the end of its check, we
// still report the problem: these are the differences, on purpose.
func TestLVSDeviations(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		want      []string
		exit      int
	}{{
		// keepalived: the same text, then it stops with exit 2.
		name: "missing value",
		src: `virtual_server 10.0.0.1 80 {
  lvs_sched
  real_server 192.168.1.20 80 {
  }
}`,
		want: []string{
			"(lvs.conf: Line 2) *** Configuration line starting `lvs_sched` is missing a parameter after keyword `lvs_sched` at word position 2",
			"Virtual server [10.0.0.1]:none:80: no protocol set - defaulting to UDP",
			"Virtual server [10.0.0.1]:udp:80: no scheduler set, setting default 'wlc'",
			"Virtual server [10.0.0.1]:udp:80: no forwarding method set, setting default NAT",
		},
		exit: ExitProgram, // keepalived stops reading at the missing word: exit 2
	}, {
		// keepalived: the message, then a crash (exit 139).
		name: "HTTP_GET without url",
		src: `virtual_server 10.0.0.1 80 {
  lvs_sched rr
  lvs_method DR
  protocol TCP
  real_server 192.168.1.20 80 {
    HTTP_GET {
      connect_timeout 3
    }
  }
}`,
		want: []string{"(lvs.conf: Line 8) HTTP/SSL_GET checker has no urls specified - ignoring"},
		exit: ExitConfigTest,
	}, {
		// keepalived: crash (exit 139) without a message; we give the
		// message its reader gives for a missing word.
		name: "group without name",
		src:  "virtual_server group {\n}\n",
		want: []string{"(lvs.conf: Line 1) *** Configuration line starting `virtual_server` is missing a parameter after keyword `group` at word position 3"},
		exit: ExitProgram,
	}} {
		t.Run(tc.name, func(t *testing.T) {
			_, ds := parseLVS(t, tc.src)
			var got []string
			for _, d := range ds {
				if d.Class != ClassInfo {
					got = append(got, strings.TrimPrefix(d.Pos.String()+" ", " ")+d.Msg)
				}
			}
			// Validation messages carry the virtual server's position
			// (keepalived prints none).
			for i, g := range got {
				if strings.HasPrefix(g, "(lvs.conf: Line 1) Virtual server ") {
					got[i] = strings.TrimPrefix(g, "(lvs.conf: Line 1) ")
				}
			}
			if !reflect.DeepEqual(got, tc.want) || ds.ExitCode() != tc.exit {
				t.Errorf("got exit %d\n%s", ds.ExitCode(), strings.Join(got, "\n"))
			}
		})
	}
}

// The placeholder block of the seed notes: keepalived 2.2.7 says
// "Unknown keyword 'XXX_CHECK'" and -t exits 5.
func TestLVSSeedPlaceholderChecker(t *testing.T) {
	_, ds := parseLVS(t, `virtual_server 10.0.0.1 80 {
  delay_loop 6
  lvs_sched rr
  lvs_method DR
  protocol TCP
  real_server 192.168.1.20 80 {
    XXX_CHECK {
      connect timeout 10
    }
  }
}
`)
	found := false
	for _, d := range ds {
		if d.Msg == "Unknown keyword 'XXX_CHECK'" && d.Pos.Line == 7 && d.Class == ClassUnknownKeyword {
			found = true
		}
	}
	if !found || ds.ExitCode() != ExitConfigTest {
		t.Errorf("exit %d, diagnostics %q", ds.ExitCode(), lvsErrs(ds))
	}
}
