package main

import (
	"regexp"
	"strings"
	"time"

	"github.com/gokeepalived/gokeepalived/test/netlab"
)

// labConf is a seed configuration as the lab runs it: vrrp_strict
// (keepalived's iptables rules, not implemented yet) and the mail
// settings (the lab has no SMTP server) are taken out; every other line
// is kept as written.
func labConf(seed string) string {
	var b strings.Builder
	depth, skipDepth := 0, -1
	for _, line := range strings.SplitAfter(seed, "\n") {
		f := strings.Fields(line)
		key := ""
		if len(f) > 0 {
			key = f[0]
		}
		opens, closes := strings.Count(line, "{"), strings.Count(line, "}")
		switch {
		case skipDepth >= 0:
			// Inside a dropped block.
		case key == "notification_email" && opens > 0:
			skipDepth = depth
		case key == "vrrp_strict", key == "notification_email_from",
			key == "smtp_server", key == "smtp_connect_timeout", key == "smtp_alert":
		default:
			b.WriteString(line)
		}
		depth += opens - closes
		if skipDepth >= 0 && depth <= skipDepth {
			skipDepth = -1
		}
	}
	return b.String()
}

// changedLines lists the lines of b that a does not have, trimmed.
func changedLines(a, b string) []string {
	have := map[string]bool{}
	for _, l := range strings.Split(a, "\n") {
		have[strings.TrimSpace(l)] = true
	}
	var out []string
	for _, l := range strings.Split(b, "\n") {
		if t := strings.TrimSpace(l); t != "" && !have[t] {
			out = append(out, "'"+t+"'")
		}
	}
	return out
}

var instanceRE = regexp.MustCompile(`(?m)^\s*vrrp_instance\s+(\S+)`)

// instanceName is the first vrrp_instance's name, as log lines show it.
func instanceName(conf string) string {
	if m := instanceRE.FindStringSubmatch(conf); m != nil {
		return m[1]
	}
	return "VI_1"
}

// protocolBound is how long after the master's last advert a backup of
// priority prio takes over (RFC 3768 §6.1, VRRPv2):
// Master_Down_Interval = 3 × Advertisement_Interval + Skew_Time, with
// Skew_Time = (256 − Priority) / 256 s.
func protocolBound(advert time.Duration, prio int) time.Duration {
	return 3*advert + time.Duration(256-prio)*time.Second/256
}

// unanswered counts the requests made at or after from that nobody
// answered, between before's last answer and after's first.
func unanswered(samples []netlab.Sample, from time.Time, before, after string) int {
	n := 0
	for _, s := range samples {
		switch {
		case s.At.Before(from):
		case s.Who == before:
			n = 0
		case s.Who == after:
			return n
		case s.Who == "":
			n++
		}
	}
	return n
}
