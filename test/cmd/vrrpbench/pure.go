package main

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// skew is a backup's Skew_Time: (256 − Priority)/256 s in VRRPv2 (RFC
// 3768 §6.1), (256 − Priority) × Master_Adver_Interval/256 in VRRPv3
// (RFC 5798 §6.1). keepalived computes both so.
func skew(version int, advert time.Duration, prio int) time.Duration {
	if version == 3 {
		return time.Duration(256-prio) * advert / 256
	}
	return time.Duration(256-prio) * time.Second / 256
}

// bound is how long after the master's last advert the backup takes
// over: Master_Down_Interval (3 × advert + Skew_Time) after a crash, only
// Skew_Time after a priority-0 advert (RFC 3768/5798 §6.4.2).
func bound(s scenario) time.Duration {
	sk := skew(s.version, s.advert, backupPrio)
	if s.term {
		return sk
	}
	return 3*s.advert + sk
}

// pairConf is the seed 001 §3 pair at the scenario's version and
// interval: VRRPv2 keeps the seed's PASS authentication, VRRPv3 has none
// (RFC 5798 removed it).
func pairConf(s scenario, state string, prio int) string {
	var b strings.Builder
	b.WriteString("global_defs {\n    router_id bench\n    vrrp_skip_check_adv_addr\n    vrrp_garp_interval 0\n    vrrp_gna_interval 0\n")
	if s.version == 3 {
		b.WriteString("    vrrp_version 3\n")
	}
	b.WriteString("}\n\n")
	fmt.Fprintf(&b, "vrrp_instance VI_1 {\n    state %s\n    interface eth0\n    virtual_router_id 51\n    priority %d\n    advert_int %s\n",
		state, prio, seconds(s.advert))
	if s.version == 2 {
		b.WriteString("    authentication {\n        auth_type PASS\n        auth_pass 1111\n    }\n")
	}
	fmt.Fprintf(&b, "    virtual_ipaddress {\n        %s/24 dev eth0 label eth0:0\n    }\n}\n", vip)
	return b.String()
}

// seconds writes d as keepalived's advert_int: "1", "0.05".
func seconds(d time.Duration) string {
	return strings.TrimRight(strings.TrimRight(fmt.Sprintf("%.3f", d.Seconds()), "0"), ".")
}

// scaleConf is ifaces × perIf instances at advert_int 1 (VRRPv2, PASS),
// interfaces eth0..eth<ifaces-1>, VRIDs 1..perIf on each (a VRID is unique
// per interface), one /32 VIP each.
func scaleConf(ifaces, perIf int, state string, prio int) string {
	var b strings.Builder
	b.WriteString("global_defs {\n    router_id scale\n    vrrp_skip_check_adv_addr\n    vrrp_garp_interval 0\n    vrrp_gna_interval 0\n}\n")
	for k := range ifaces {
		for vrid := 1; vrid <= perIf; vrid++ {
			fmt.Fprintf(&b, `
vrrp_instance VI_%d_%d {
    state %s
    interface eth%d
    virtual_router_id %d
    priority %d
    advert_int 1
    authentication {
        auth_type PASS
        auth_pass 1111
    }
    virtual_ipaddress {
        10.%d.%d.%d/32 dev eth%d
    }
}
`, k, vrid, state, k, vrid, prio, 100+k, vrid/256, vrid%256, k)
		}
	}
	return b.String()
}

// epochTime reads the time tcpdump -tt prints first on a line
// ("1764786000.123456").
func epochTime(line string) (time.Time, bool) {
	f, _, _ := strings.Cut(line, " ")
	sec, frac, ok := strings.Cut(f, ".")
	if !ok || len(frac) != 6 {
		return time.Time{}, false
	}
	s, err1 := strconv.ParseInt(sec, 10, 64)
	us, err2 := strconv.ParseInt(frac, 10, 64)
	if err1 != nil || err2 != nil {
		return time.Time{}, false
	}
	return time.Unix(s, us*1000), true
}

// summary is min, median and max of a sample.
type summary struct{ min, med, max float64 }

func summarize(v []float64) (summary, bool) {
	if len(v) == 0 {
		return summary{}, false
	}
	s := slices.Clone(v)
	slices.Sort(s)
	n := len(s)
	med := s[n/2]
	if n%2 == 0 {
		med = (s[n/2-1] + s[n/2]) / 2
	}
	return summary{s[0], med, s[n-1]}, true
}

// ms formats durations in milliseconds for the tables.
func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func (s summary) cells(format string) string {
	return fmt.Sprintf(format+" | "+format+" | "+format, s.min, s.med, s.max)
}

// cpuTicks sums utime and stime (fields 14 and 15) of /proc/PID/stat
// texts; the command name (field 2) may hold spaces and parentheses, so
// fields are counted after its last ')'.
func cpuTicks(stat string) (int64, error) {
	i := strings.LastIndexByte(stat, ')')
	if i < 0 {
		return 0, fmt.Errorf("no command name in %q", stat)
	}
	f := strings.Fields(stat[i+1:])
	// f[0] is field 3 (state): utime is field 14, f[11].
	if len(f) < 13 {
		return 0, fmt.Errorf("short stat %q", stat)
	}
	var u, s int64
	if _, err := fmt.Sscan(f[11], &u); err != nil {
		return 0, err
	}
	if _, err := fmt.Sscan(f[12], &s); err != nil {
		return 0, err
	}
	return u + s, nil
}

// memKiB is the memory of a daemon's processes.
type memKiB struct{ rss, pss, anon int64 }

// kibField reads a "Name:   1234 kB" line of a /proc status or
// smaps_rollup text.
func kibField(text, name string) (int64, error) {
	for _, l := range strings.Split(text, "\n") {
		if rest, ok := strings.CutPrefix(l, name); ok {
			var n int64
			_, err := fmt.Sscan(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), &n)
			return n, err
		}
	}
	return 0, fmt.Errorf("no %s", name)
}
