package main

import (
	"strings"
	"testing"
	"time"
)

func TestBound(t *testing.T) {
	tests := []struct {
		s    scenario
		want time.Duration
	}{
		// VRRPv2: Skew_Time in seconds whatever the interval.
		{scenario{version: 2, advert: time.Second}, 3*time.Second + 687500*time.Microsecond},
		{scenario{version: 2, advert: time.Second, term: true}, 687500 * time.Microsecond},
		// VRRPv3: Skew_Time scales with the interval.
		{scenario{version: 3, advert: 50 * time.Millisecond}, 150*time.Millisecond + 34375*time.Microsecond},
		{scenario{version: 3, advert: 50 * time.Millisecond, term: true}, 34375 * time.Microsecond},
		{scenario{version: 3, advert: time.Second}, 3*time.Second + 687500*time.Microsecond},
	}
	for _, tt := range tests {
		if got := bound(tt.s); got != tt.want {
			t.Errorf("bound(%+v) = %v, want %v", tt.s, got, tt.want)
		}
	}
	for _, s := range scenarios {
		if bound(s) <= 0 || bound(s) > 4*time.Second {
			t.Errorf("%s: bound %v", s.name, bound(s))
		}
	}
}

func TestPairConf(t *testing.T) {
	tests := []struct {
		s          scenario
		has, lacks []string
	}{
		{scenario{version: 2, advert: time.Second},
			[]string{"advert_int 1\n", "auth_type PASS", "state MASTER", "priority 100", "192.168.0.248/24 dev eth0 label eth0:0"},
			[]string{"vrrp_version"}},
		{scenario{version: 3, advert: 50 * time.Millisecond},
			[]string{"advert_int 0.05\n", "vrrp_version 3", "state MASTER"},
			[]string{"authentication", "auth_type"}},
	}
	for _, tt := range tests {
		c := pairConf(tt.s, "MASTER", 100)
		for _, h := range tt.has {
			if !strings.Contains(c, h) {
				t.Errorf("v%d: lacks %q:\n%s", tt.s.version, h, c)
			}
		}
		for _, l := range tt.lacks {
			if strings.Contains(c, l) {
				t.Errorf("v%d: has %q:\n%s", tt.s.version, l, c)
			}
		}
		if strings.Count(c, "{") != strings.Count(c, "}") {
			t.Errorf("v%d: unbalanced braces:\n%s", tt.s.version, c)
		}
	}
}

func TestSeconds(t *testing.T) {
	for d, want := range map[time.Duration]string{time.Second: "1", 50 * time.Millisecond: "0.05", 1500 * time.Millisecond: "1.5", 10 * time.Millisecond: "0.01"} {
		if got := seconds(d); got != want {
			t.Errorf("seconds(%v) = %q, want %q", d, got, want)
		}
	}
}

func TestScaleConf(t *testing.T) {
	c := scaleConf(4, 250, "BACKUP", 80)
	if n := strings.Count(c, "vrrp_instance "); n != 1000 {
		t.Errorf("%d instances, want 1000", n)
	}
	// A VRID is unique per interface; VIPs and names unique overall.
	seen := map[string]bool{}
	for _, l := range strings.Split(c, "\n") {
		f := strings.Fields(l)
		if len(f) > 0 && (f[0] == "vrrp_instance" || strings.HasPrefix(f[0], "10.")) {
			if seen[f[0]+" "+f[1]] {
				t.Fatalf("duplicate %q", l)
			}
			seen[f[0]+" "+f[1]] = true
		}
	}
	for _, want := range []string{"interface eth3\n    virtual_router_id 250\n", "10.103.0.250/32 dev eth3", "state BACKUP", "priority 80", "advert_int 1\n"} {
		if !strings.Contains(c, want) {
			t.Errorf("lacks %q", want)
		}
	}
	if strings.Contains(c, "virtual_router_id 251") || strings.Contains(c, "interface eth4") {
		t.Error("beyond 4 × 250")
	}
}

func TestEpochTime(t *testing.T) {
	tests := []struct {
		line string
		want time.Time
		ok   bool
	}{
		{"1764786000.123456 IP 192.168.0.162 > 224.0.0.18: VRRPv2, Advertisement", time.Unix(1764786000, 123456000), true},
		{"1764786000.000001 IP6 fe80::1 > ff02::12", time.Unix(1764786000, 1000), true},
		{"18:31:40.998123 IP 192.168.0.162 > 224.0.0.18", time.Time{}, false}, // not -tt
		{"", time.Time{}, false},
		{"tcpdump: listening on br0", time.Time{}, false},
	}
	for _, tt := range tests {
		got, ok := epochTime(tt.line)
		if ok != tt.ok || !got.Equal(tt.want) {
			t.Errorf("epochTime(%q) = %v %v, want %v %v", tt.line, got, ok, tt.want, tt.ok)
		}
	}
}

func TestSummarize(t *testing.T) {
	tests := []struct {
		in   []float64
		want summary
		ok   bool
	}{
		{nil, summary{}, false},
		{[]float64{3}, summary{3, 3, 3}, true},
		{[]float64{5, 1, 3}, summary{1, 3, 5}, true},
		{[]float64{4, 1, 3, 2}, summary{1, 2.5, 4}, true},
	}
	for _, tt := range tests {
		in := append([]float64(nil), tt.in...)
		got, ok := summarize(tt.in)
		if ok != tt.ok || got != tt.want {
			t.Errorf("summarize(%v) = %+v %v, want %+v %v", in, got, ok, tt.want, tt.ok)
		}
		for i := range in {
			if in[i] != tt.in[i] {
				t.Errorf("summarize sorted its argument")
			}
		}
	}
}

func TestCPUTicksAndRSS(t *testing.T) {
	// Field 2 may hold spaces and ')'.
	stat := "1234 (keep alived) x) S 1 1234 1234 0 -1 4194560 500 0 0 0 17 25 0 0 20 0 1 0 100 1000 200"
	if got, err := cpuTicks(stat); err != nil || got != 42 {
		t.Errorf("cpuTicks = %d %v, want 42", got, err)
	}
	if _, err := cpuTicks("1234 (x) S 1"); err == nil {
		t.Error("short stat accepted")
	}
	status := "Name:\tkeepalived\nVmPeak:\t  20000 kB\nVmRSS:\t   14224 kB\nRssAnon:\t 9000 kB\n"
	roll := "55d0-7ffd ---p 00000000 00:00 0   [rollup]\nRss:               27296 kB\nPss:               23673 kB\nPss_Anon:          19804 kB\n"
	tests := []struct {
		text, name string
		want       int64
	}{
		{status, "VmRSS:", 14224},
		{status, "RssAnon:", 9000},
		{roll, "Pss:", 23673}, // not Pss_Anon
		{roll, "Pss_Anon:", 19804},
	}
	for _, tt := range tests {
		if got, err := kibField(tt.text, tt.name); err != nil || got != tt.want {
			t.Errorf("kibField(%s) = %d %v, want %d", tt.name, got, err, tt.want)
		}
	}
	if _, err := kibField("Name:\tx\n", "VmRSS:"); err == nil {
		t.Error("status without VmRSS accepted")
	}
}

func TestMedians(t *testing.T) {
	runs := []failoverRun{
		{gap: 30, afterLast: 300, masterLine: 3000, ok: true},
		{gap: 10, afterLast: 100, masterLine: 1000, ok: true},
		{gap: 999, afterLast: 999, masterLine: 999, ok: false}, // a failed run is left out
		{gap: 20, afterLast: 200, masterLine: 2000, ok: true},
	}
	got, ok := medians(runs)
	if want := (failoverRun{gap: 20, afterLast: 200, masterLine: 2000, ok: true}); !ok || got != want {
		t.Errorf("medians = %+v %v, want %+v", got, ok, want)
	}
	if _, ok := medians([]failoverRun{{ok: false}}); ok {
		t.Error("medians of no successful run is ok")
	}
}
